"""The standing reference under loose fabric: the landmarks' low standing reading is not followed, the cloth's lean is."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.enums import AngleCode
from ankle_cv.kinematics.fabric_reference import fabric_offset_drop_deg, with_offset_lowered
from ankle_cv.kinematics.fitted import (
    CALIBRATION_TRUST_DEG,
    CALIBRATION_WEIGHT,
    EDGE_OFFSET_PER_DEG,
    FABRIC_EDGE_LEAN_SHORT_DEG,
    FABRIC_HOLD_LOW_DEG,
)
from ankle_cv.kinematics.shank import ShankAngles
from ankle_cv.pose.landmarks import LEG_INDEX
from ankle_cv.protocol.analysis import analyze_series
from tests.synthetic_legs import make_series, rep_profile

FPS = 30.0
PEAK_DEG = 35.0
SKIN, CLOTH = 0.08, 0.22  # outline ahead of the shank's axis at the ankle, shank lengths (make_series)


@pytest.mark.parametrize(
    ("gap_deg", "followed_deg"),
    [
        (2.0, CALIBRATION_WEIGHT * 2.0),  # within the trust band: a fifth of the way
        (CALIBRATION_TRUST_DEG, CALIBRATION_WEIGHT * CALIBRATION_TRUST_DEG),
        (2 * CALIBRATION_TRUST_DEG + 0.5, 2 * CALIBRATION_TRUST_DEG + 0.5),  # beyond twice the band: all of it
        (9.8, 9.8),  # random_v2 r007's gap
        (-2.0, 0.0),  # the landmarks steeper than the cloth: followed as before, nothing undone
        (-9.0, 0.0),
        (float("nan"), 0.0),
    ],
)
def test_only_the_followed_part_of_a_positive_gap_is_undone(gap_deg: float, followed_deg: float) -> None:
    assert fabric_offset_drop_deg(gap_deg) == pytest.approx(followed_deg + FABRIC_EDGE_LEAN_SHORT_DEG + FABRIC_HOLD_LOW_DEG)


def test_halfway_between_the_bands_the_offset_followed_is_interpolated() -> None:
    t, w = CALIBRATION_TRUST_DEG, CALIBRATION_WEIGHT
    mid = 1.5 * t  # halfway from "a fifth of the band" (w t at t) to "all of it" (2 t at 2 t)
    assert fabric_offset_drop_deg(mid) - FABRIC_EDGE_LEAN_SHORT_DEG - FABRIC_HOLD_LOW_DEG == pytest.approx(0.5 * (w * t + 2 * t))


def _shank() -> ShankAngles:
    """Six frames: four read from the edge line, two from the landmarks only (no edge)."""
    source = np.array([AngleCode.SILHOUETTE] * 4 + [AngleCode.LANDMARKS] * 2)
    edge = np.array([5.0, 10.0, 20.0, 30.0, np.nan, np.nan])
    landmarks = np.array([4.0, 9.0, 18.0, 25.0, 7.0, 6.0])
    fused = np.where(source == AngleCode.SILHOUETTE, edge, landmarks)
    return ShankAngles(landmarks, edge, fused, source, 3.3, 110.0, calibration_gap_deg=6.5)


def test_a_lowered_offset_raises_every_working_angle_and_leaves_the_landmarks() -> None:
    shank = _shank()
    out = with_offset_lowered(shank, 2.0)
    rise = 2.0 / (1.0 + EDGE_OFFSET_PER_DEG)
    edge_frames = shank.source == AngleCode.SILHOUETTE
    np.testing.assert_allclose(out.edge_deg[edge_frames], shank.edge_deg[edge_frames] + rise)
    assert np.isnan(out.edge_deg[~edge_frames]).all()
    np.testing.assert_allclose(out.fused_deg, shank.fused_deg + rise)  # the turn's guesses move with its reference
    np.testing.assert_array_equal(out.landmark_deg, shank.landmark_deg)
    assert out.edge_offset_deg == pytest.approx(1.3)
    assert out.calibration_gap_deg == shank.calibration_gap_deg  # the two references' disagreement stays in the interval
    assert out.fabric_rise_deg == pytest.approx(rise)


def test_without_a_calibrated_edge_nothing_moves() -> None:
    shank = ShankAngles(*(getattr(_shank(), f) for f in ("landmark_deg", "edge_deg", "fused_deg", "source")), None, 110.0)
    assert with_offset_lowered(shank, 2.0) is shank


def _peak_error_deg(front_ahead_shanks: float, landmarks_low_deg: float, facing: int) -> float:
    """A one-rep lunge whose front knee landmark reads the shin landmarks_low_deg too upright in every frame: the rep's
    angle minus the truth."""
    s = make_series(rep_profile(FPS, [PEAK_DEG]), FPS, facing=facing, with_mask=True, front_ahead_shanks=front_ahead_shanks)
    knee, ankle = LEG_INDEX["right"]["knee"], LEG_INDEX["right"]["ankle"]
    v = s.image_xy[:, knee] - s.image_xy[:, ankle]
    t = np.radians(-facing * landmarks_low_deg)  # image y down: this turns the knee back towards the vertical
    c, si = np.cos(t), np.sin(t)
    s.image_xy[:, knee] = s.image_xy[:, ankle] + np.stack([c * v[:, 0] - si * v[:, 1], si * v[:, 0] + c * v[:, 1]], axis=1)
    rep = analyze_series(s, FPS).reps[0]
    assert rep.landmark_inclination_deg - PEAK_DEG == pytest.approx(-landmarks_low_deg, abs=0.2)
    return rep.tibial_inclination_deg - PEAK_DEG


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize("landmarks_low_deg", [4.0, 8.0])
def test_under_cloth_landmarks_reading_low_at_rest_do_not_pull_the_shin_low(facing: int, landmarks_low_deg: float) -> None:
    """Cloth: the same reading as with landmarks that are right (random_v2 r007 read 12 deg low by following them)."""
    right = _peak_error_deg(CLOTH, 0.0, facing)
    assert abs(right) < 1.0
    assert _peak_error_deg(CLOTH, landmarks_low_deg, facing) == pytest.approx(right, abs=0.3)


def test_skin_still_follows_the_persons_own_offset() -> None:
    """Skin: a moderate gap is still taken partly over (the reading moves with the landmarks), as it did before."""
    assert _peak_error_deg(SKIN, 4.0, 1) < _peak_error_deg(SKIN, 0.0, 1) - 1.5


def test_under_cloth_landmarks_steeper_than_the_cloth_are_followed_as_before() -> None:
    assert _peak_error_deg(CLOTH, -8.0, 1) > 5.0


def test_the_frames_keep_the_angle_as_read_beside_the_cloths_rise(monkeypatch: pytest.MonkeyPatch) -> None:
    """The centimetres' fabric test and rest frames read the angle as the outline gave it: the smoothed angle less the
    recorded rise is the reading with the cloth's reference switched off."""
    import ankle_cv.protocol.stance_kinematics as stance_kinematics

    def analysed() -> tuple[np.ndarray, np.ndarray]:
        s = make_series(rep_profile(FPS, [PEAK_DEG]), FPS, with_mask=True, front_ahead_shanks=CLOTH)
        knee, ankle = LEG_INDEX["right"]["knee"], LEG_INDEX["right"]["ankle"]
        v = s.image_xy[:, knee] - s.image_xy[:, ankle]
        t = np.radians(-8.0)
        s.image_xy[:, knee] = s.image_xy[:, ankle] + np.stack([np.cos(t) * v[:, 0] - np.sin(t) * v[:, 1],
                                                               np.sin(t) * v[:, 0] + np.cos(t) * v[:, 1]], axis=1)
        f = analyze_series(s, FPS).frames
        assert f.fabric_rise_deg is not None
        return np.asarray(f.tibial_inclination_smooth_deg), np.asarray(f.fabric_rise_deg)

    smooth, rise = analysed()
    monkeypatch.setattr(stance_kinematics, "with_offset_lowered", lambda shank, drop: shank)
    as_read, no_rise = analysed()
    measured = np.isfinite(smooth) & np.isfinite(as_read)
    assert measured.sum() > 50
    assert np.all(rise[measured] > 5.0)  # the landmarks' 8 deg low standing reading undone (and the cloth's lean)
    assert np.all(no_rise == 0.0)
    np.testing.assert_allclose((smooth - rise)[measured], as_read[measured], atol=0.1)
