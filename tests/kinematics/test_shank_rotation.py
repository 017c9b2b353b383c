"""The shank angle from the mid-shin outline's turn about the ankle, on drawn outlines of known angle."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.kinematics.fitted import TURN_WEIGHT
from ankle_cv.kinematics.shank import estimate_shank_angles
from ankle_cv.kinematics.shank_rotation import (
    LANDMARK_ANKLE_HIGH,
    PIVOT_ABOVE_FLOOR,
    PIVOT_AHEAD_OF_HEEL,
    PIVOT_READING_DEADBAND_SHANKS,
    TURN_GAIN,
    ankle_pivot,
    pivot_low_shanks,
    raised_pivot,
    reference_profile,
    turned_angle_deg,
    turned_angles_deg,
)
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.scene.camera_geometry import forward_of, tilt_deg, up_from_roll
from tests.synthetic_legs import MEDIAPIPE_ANKLE_HIGH, make_series, rep_profile

FPS = 30.0
L_PX = 110.0
JOINT = np.array([640.0, 560.0])
ROWS = np.arange(720, dtype=float)


def _outline(angles_deg: np.ndarray, facing: int = 1, fold: float = 0.0, joint: np.ndarray = JOINT) -> np.ndarray:
    """Front-edge x per image row of a rigid shin turning about `joint` (ends folding in by `fold` at 40 deg)."""
    along = np.linspace(0.0, L_PX, 400)
    out = np.full((angles_deg.size, ROWS.size), np.nan)
    for i, a in enumerate(np.radians(angles_deg)):
        ahead = 12.0 + along * np.tan(np.radians(3.5)) + 0.002 * (along - 50.0) ** 2 / 10  # a gently curved shin
        depth = max(np.degrees(a) - 5.0, 0.0) / 35.0
        ahead -= fold * L_PX * depth * (np.clip((0.3 - along / L_PX) / 0.3, 0, 1) + np.clip((along / L_PX - 0.75) / 0.25, 0, 1))
        x = joint[0] + facing * (along * np.sin(a) + ahead * np.cos(a))
        y = joint[1] - along * np.cos(a) + ahead * np.sin(a)
        out[i] = np.interp(ROWS, y[::-1], x[::-1], left=np.nan, right=np.nan)
    return out


def _turned(angles: np.ndarray, edges: np.ndarray, pivot: np.ndarray, facing: int = 1) -> np.ndarray:
    rest = angles < 6.0
    return turned_angles_deg(edges, ROWS, pivot, angles, rest, L_PX, facing, FPS)


def _undo_gain(turned: np.ndarray, standing: float = 5.0) -> np.ndarray:
    """The drawn outline is exactly rigid: take away the gain that corrects the renders' skin."""
    return standing + (turned - standing) / TURN_GAIN


@pytest.mark.parametrize("facing", [1, -1])
def test_a_rigid_outline_turned_about_the_ankle_gives_its_angle(facing: int) -> None:
    angles = rep_profile(FPS, [40.0], rest_deg=5.0)
    got = _undo_gain(_turned(angles, _outline(angles, facing), JOINT, facing))
    ok = np.isfinite(got)
    assert ok.mean() > 0.95
    assert np.max(np.abs(got[ok] - angles[ok])) < 0.3


def test_the_ends_folding_in_fool_the_edge_line_but_not_the_turn() -> None:
    angles = rep_profile(FPS, [40.0], rest_deg=5.0)
    peak = angles == 40.0
    knee = JOINT + L_PX * np.stack([np.sin(np.radians(angles)), -np.cos(np.radians(angles))], axis=1)
    line_deg = {}
    for fold in (0.0, 0.1):
        edges = _outline(angles, fold=fold)
        turned = _undo_gain(_turned(angles, edges, JOINT))
        assert np.nanmedian(turned[peak]) == pytest.approx(40.0, abs=0.3)
        # The straight line over 30-80 % of the shin reads the folds as tilt (landmarks exact here, so only the line errs).
        line = estimate_shank_angles(knee, np.tile(JOINT, (angles.size, 1)), 1, FPS, edges, ROWS)
        line_deg[fold] = float(np.nanmedian(line.fused_deg[peak]))
    assert abs(line_deg[0.1] - line_deg[0.0]) > 0.4  # (the rigid drawn shin gains no lean: the line's own offset aside)


def test_the_pivot_matters_along_the_shank() -> None:
    """A pivot 3 % of the shank too high reads the turn long: the pivot's placement is what the angle rests on."""
    angles = rep_profile(FPS, [40.0], rest_deg=5.0)
    edges = _outline(angles)
    high = _undo_gain(_turned(angles, edges, JOINT - np.array([0.0, 0.03 * L_PX])))
    err = np.nanmedian(high[angles == 40.0]) - 40.0
    assert 0.8 < err < 3.0


@pytest.mark.parametrize("low_shanks", [0.0, 0.03, 0.06, 0.09])
def test_the_edge_line_tells_how_far_below_the_joint_the_pivot_sits(low_shanks: float) -> None:
    """A shoe lifts the joint above the pivot: the turn reads short at depth where the edge line (no pivot) does not,
    and the two together say by how much, so the turn read again about the raised pivot errs less (a reading within
    the bare feet's scatter moves nothing)."""
    angles = rep_profile(FPS, [45.0], rest_deg=5.0)
    edges, peak = _outline(angles), angles == 45.0
    pivot = JOINT + np.array([0.0, low_shanks * L_PX])  # image y down: the pivot below the joint
    turned = _undo_gain(_turned(angles, edges, pivot))
    low = pivot_low_shanks(angles, turned, 5.0)  # the edge line exact here
    assert low == pytest.approx(low_shanks, abs=0.008)
    again = _undo_gain(_turned(angles, edges, raised_pivot(pivot, low, L_PX)))
    before, after = abs(np.nanmedian(turned[peak]) - 45.0), abs(np.nanmedian(again[peak]) - 45.0)
    if low_shanks <= PIVOT_READING_DEADBAND_SHANKS:
        assert after == pytest.approx(before, abs=1e-9)
    else:
        assert before > 3.0  # the low pivot's error is real (1 % of the shank ~ 0.7 deg at 40 deg)
        assert after < before - 0.5


def test_no_pivot_error_is_read_without_enough_turn_or_agreement() -> None:
    """A stance that hardly turns, or whose edge line never agrees with the turn, cannot tell the pivot's error."""
    still = np.full(60, 8.0)
    assert np.isnan(pivot_low_shanks(still, still + 0.1, 8.0))
    angles = rep_profile(FPS, [45.0], rest_deg=5.0)
    assert np.isnan(pivot_low_shanks(angles + 20.0, angles, 5.0))
    assert np.isnan(pivot_low_shanks(angles, angles, float("nan")))
    assert np.all(raised_pivot(JOINT, float("nan"), L_PX) == JOINT)


def test_the_pivot_averages_the_landmark_and_the_sole() -> None:
    heel_back = JOINT + np.array([-PIVOT_AHEAD_OF_HEEL * 60.0, PIVOT_ABOVE_FLOOR * L_PX])
    landmark = JOINT - np.array([0.0, LANDMARK_ANKLE_HIGH * L_PX])
    assert ankle_pivot(landmark, L_PX, 1, None, heel_back, 60.0) == pytest.approx(JOINT)
    assert ankle_pivot(landmark, L_PX, 1) == pytest.approx(JOINT)  # no sole: the landmark alone
    moved = ankle_pivot(landmark, L_PX, 1, None, heel_back + np.array([0.0, 10.0]), 60.0)
    assert moved == pytest.approx(JOINT + np.array([0.0, 5.0]))
    mirrored = ankle_pivot(landmark, L_PX, -1, None, JOINT + np.array([PIVOT_AHEAD_OF_HEEL * 60.0, PIVOT_ABOVE_FLOOR * L_PX]), 60.0)
    assert mirrored == pytest.approx(JOINT)
    up = up_from_roll(5.0)
    rolled = ankle_pivot(JOINT + LANDMARK_ANKLE_HIGH * L_PX * up, L_PX, 1, up)
    assert rolled == pytest.approx(JOINT)


def test_unreadable_input_gives_nan_not_a_number() -> None:
    angles = rep_profile(FPS, [40.0], rest_deg=5.0)
    edges = _outline(angles)
    assert np.isnan(_turned(angles, np.full_like(edges, np.nan), JOINT)).all()
    assert np.isnan(turned_angles_deg(edges, ROWS, JOINT, angles, np.zeros(angles.size, bool), L_PX, 1, FPS)).all()
    assert np.isnan(_turned(angles, edges, np.array([np.nan, np.nan]))).all()


def test_the_pipeline_reads_through_folding_skin_and_a_sliding_knee() -> None:
    """End to end: MediaPipe-like ankle point, knee landmark sliding back near the wall, ends of the outline folding."""
    angles = rep_profile(FPS, [40.0, 40.0], rest_deg=5.0)
    s = make_series(angles, FPS, with_mask=True, ankle_landmark_high=MEDIAPIPE_ANKLE_HIGH, end_fold=0.04)
    from ankle_cv.pose.landmarks import LEG_INDEX

    s.image_xy[angles > 25, LEG_INDEX["right"]["knee"], 0] -= 25.0
    a = analyze_series(s, FPS)
    standing_error = 0.6  # the standing frames' calibration, inherited by the peak (see test_analysis)
    turn = 40.0 * TURN_GAIN - 5.0 * (TURN_GAIN - 1)  # the turn's reading; the edge line's is the true 40
    for r in a.reps:
        assert r.tibial_inclination_deg == pytest.approx(TURN_WEIGHT * turn + (1 - TURN_WEIGHT) * 40.0, abs=standing_error)


def test_the_pipeline_raises_a_pivot_that_a_shoe_left_low(monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end: MediaPipe's ankle point well below the joint (as on a shod foot) puts the pivot low and the rep reads
    low; the stance's own edge line raises the pivot and the rep reads nearer its true angle."""
    import ankle_cv.kinematics.shank_rotation as rotation

    angles = rep_profile(FPS, [45.0, 45.0], rest_deg=5.0)
    error = {}
    for share in (0.0, rotation.PIVOT_FROM_EDGE_SHARE):
        monkeypatch.setattr(rotation, "PIVOT_FROM_EDGE_SHARE", share)
        reps = analyze_series(make_series(angles, FPS, with_mask=True, ankle_landmark_high=-0.1), FPS).reps
        assert len(reps) == 2
        error[share] = max(abs(r.tibial_inclination_deg - 45.0) for r in reps)
    assert error[0.0] > 2.0  # the low pivot's error, without the raise
    assert error[rotation.PIVOT_FROM_EDGE_SHARE] < error[0.0] - 0.3


def _rolled_outline(angle_deg: float, up: np.ndarray, facing: int) -> np.ndarray:
    """Front-edge x per image row of a straight shin `angle_deg` from the true vertical `up` (a rolled camera)."""
    up_v, fwd = up / np.linalg.norm(up), forward_of(up / np.linalg.norm(up), facing)
    along = np.linspace(0.0, L_PX, 400)
    a = np.radians(angle_deg)
    pts = JOINT + np.outer(along, np.cos(a) * up_v + np.sin(a) * fwd) + 12.0 * (np.cos(a) * fwd - np.sin(a) * up_v)
    return np.interp(ROWS, pts[::-1, 1], pts[::-1, 0], left=np.nan, right=np.nan)


@pytest.mark.parametrize("facing", [1, -1])
def test_a_rolled_cameras_outline_is_covered_by_its_image_rows(facing: int) -> None:
    """The outline is read on image rows: two thirds of the rows its band crosses are enough under a 10 deg roll too
    (the coverage needed was once counted at the angle from the true vertical, 10 deg off the rows' own)."""
    up = up_from_roll(10.0 * facing)  # the shin leans 10 deg further from the image's columns than from the true vertical
    assert facing * tilt_deg(up) == pytest.approx(10.0)
    rest = np.array([_rolled_outline(5.0, up, facing) for _ in range(6)])
    profile = reference_profile(rest, ROWS, JOINT, np.full(6, 5.0), L_PX, facing, up)
    assert profile is not None
    frame = _rolled_outline(35.0, up, facing)
    frame[ROWS % 3 == 0] = np.nan  # a third of the rows unread (hair, a hand, mask holes)
    got = turned_angle_deg(frame, ROWS, JOINT, profile, L_PX, facing, 35.0, up)
    assert got == pytest.approx(35.0, abs=0.3)
