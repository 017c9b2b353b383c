"""A camera nothing measured (no sheet, no room lines, no roll typed): its roll and its turn (a turned view's, or a side
view's smaller one) widen the rep's interval or refuse it (s16cam c5: 9.2 deg low inside +-3.7)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ankle_cv.enums import Side, VerticalSource, View
from ankle_cv.kinematics.fitted import INTERVAL_GAIN, LEVEL_LINES_TURN_DEG, PHONE_TURN_DEG, SIDE_TURN_DEG
from ankle_cv.protocol.analysis_types import RepResult
from ankle_cv.protocol.interval import Z95, vertical_sigma_deg
from ankle_cv.protocol.unknown_camera import (
    LEVEL_LINES_NOTE,
    SIDE_CAMERA_NOTE,
    UNKNOWN_CAMERA_NOTE,
    UNKNOWN_CAMERA_REASON,
    turn_range_deg,
    with_unknown_camera,
)
from ankle_cv.scene.camera_geometry import CameraGeometry


def rep_result() -> RepResult:
    """A valid rep at 30 deg (only the angle, its interval and validity matter here)."""
    return RepResult(index=1, side=Side.RIGHT, start_frame=0, peak_frame=30, end_frame=60, start_s=0.0, peak_s=1.0, end_s=2.0,
                     tibial_inclination_deg=30.0, ankle_dorsiflexion_deg=30.0, landmark_inclination_deg=30.0, knee_past_toe_px=0.0,
                     heel_lift_ratio=0.0, heel_lift_mm_approx=0.0, heel_lifted=False, valid=True, invalid_reasons=(), confidence=1.0)


def test_the_image_vertical_carries_a_hand_set_phones_roll() -> None:
    """A phone rolled 5 deg and pitched 8 (s16cam c2: the shin 5.5 deg off against the image's vertical) lies within the
    image vertical's own 95 % reach (it was 1.5 deg 1-sigma: 2.3 deg)."""
    assert Z95 * INTERVAL_GAIN * vertical_sigma_deg(VerticalSource.IMAGE) >= 5.5
    assert vertical_sigma_deg(VerticalSource.ROOM_LEVEL_LINES, float("nan")) == 1.5  # the level lines' fallback kept


def test_the_turn_range_reaches_the_true_angle_of_a_foreshortened_shin() -> None:
    """A 30 deg shin seen turned 35 deg (s16cam c5's effective turn) reads 25.4: the range from the reading reaches 30."""
    seen = float(np.degrees(np.arctan(np.tan(np.radians(30.0)) * np.cos(np.radians(35.0)))))
    assert seen == pytest.approx(25.3, abs=0.1)
    assert seen + turn_range_deg(seen) >= 30.0
    assert turn_range_deg(0.0) == 0.0 and turn_range_deg(float("nan")) == 0.0
    assert turn_range_deg(-20.0) == turn_range_deg(20.0)
    assert turn_range_deg(30.0, 0.0) == pytest.approx(0.0, abs=1e-9)


def test_a_turned_view_with_nothing_measured_is_refused_with_the_reason() -> None:
    """s16cam c5's rep 1: 20.8 deg, truth 30, view oblique, image vertical; +-3.7 before, +-6.4 with the phone's roll: with
    the turn's range beyond +-12, refused, and the clip says why."""
    rep = replace(rep_result(), tibial_inclination_deg=20.8, tibial_inclination_ci95_deg=6.4, inclinometer_equivalent_ci95_deg=6.6)
    (out,), notes = with_unknown_camera([rep], CameraGeometry(), View.OBLIQUE)
    assert out.tibial_inclination_ci95_deg >= 30.0 - 20.8
    assert not out.valid and UNKNOWN_CAMERA_REASON in out.invalid_reasons
    assert notes == [UNKNOWN_CAMERA_NOTE] and f"{PHONE_TURN_DEG:.0f}°" in UNKNOWN_CAMERA_NOTE


def test_a_small_angle_is_widened_and_kept() -> None:
    """A 12 deg shin on a turned view: the range (3 deg) keeps the interval under the refusal; the number stays."""
    rep = replace(rep_result(), tibial_inclination_deg=12.0, tibial_inclination_ci95_deg=4.0)
    (out,), _ = with_unknown_camera([rep], CameraGeometry(), View.OBLIQUE)
    assert out.valid and out.tibial_inclination_deg == 12.0
    assert out.tibial_inclination_ci95_deg == pytest.approx(4.0 + turn_range_deg(12.0))


def test_a_side_view_with_nothing_measured_reaches_a_smaller_turn() -> None:
    """random_v1 r011's near rep: side view, image vertical, 33.5 deg read for 40.9 inside +-6.3: the side view's turn
    (SIDE_TURN_DEG) reaches the truth, kept valid, and the clip says why; less than a turned view's range."""
    rep = replace(rep_result(), tibial_inclination_deg=33.5, tibial_inclination_ci95_deg=6.3)
    (out,), notes = with_unknown_camera([rep], CameraGeometry(), View.SIDE)
    assert out.valid and out.tibial_inclination_deg == 33.5
    assert out.tibial_inclination_ci95_deg >= 40.9 - 33.5
    assert out.tibial_inclination_ci95_deg == pytest.approx(6.3 + turn_range_deg(33.5, SIDE_TURN_DEG))
    assert turn_range_deg(33.5, SIDE_TURN_DEG) < turn_range_deg(33.5)
    assert notes == [SIDE_CAMERA_NOTE] and f"{SIDE_TURN_DEG:.0f}°" in SIDE_CAMERA_NOTE


@pytest.mark.parametrize("camera, view", [
    (CameraGeometry(roll_deg=2.0, vertical_source=VerticalSource.ROOM_LEVEL_LINES, roll_spread_deg=1.0), View.UNKNOWN),
    (CameraGeometry(roll_deg=2.0, vertical_source=VerticalSource.ROOM_LINES, leg_plane_homography=tuple(np.eye(3).ravel())), View.SIDE),
    (CameraGeometry(roll_deg=2.0, vertical_source=VerticalSource.MARKER, leg_plane_homography=tuple(np.eye(3).ravel())), View.OBLIQUE),
    (CameraGeometry(roll_deg=2.0, vertical_source=VerticalSource.USER), View.OBLIQUE),  # a roll the user measured
    (CameraGeometry(), View.UNKNOWN),
])
def test_a_measured_camera_moves_nothing(camera: CameraGeometry, view: View) -> None:
    rep = replace(rep_result(), tibial_inclination_deg=35.0, tibial_inclination_ci95_deg=4.0)
    assert with_unknown_camera([rep], camera, view) == ([rep], [])


def test_a_side_view_is_widened_not_refused() -> None:
    """A landmarks-only rep at 40 deg (+-9.5) on a side view: the side turn takes it past +-12 and it stays valid, the
    interval saying how far it may read low (a turned view would be refused)."""
    rep = replace(rep_result(), tibial_inclination_deg=40.0, tibial_inclination_ci95_deg=9.5)
    (out,), _ = with_unknown_camera([rep], CameraGeometry(), View.SIDE)
    assert out.valid and out.tibial_inclination_ci95_deg > 12.0
    (turned,), _ = with_unknown_camera([rep], CameraGeometry(), View.OBLIQUE)
    assert not turned.valid


def test_the_level_lines_roll_alone_widens_for_the_unknown_turn() -> None:
    """random_v14 r004's near rep: the room's level lines gave the roll (no leg plane), 37.2 read for 41.3 (a 25 deg
    effective turn: portrait, camera turned 9.5) outside +-3.2: the level lines' turn reaches the truth, the number and
    its validity kept, the clip says why; a turn-free reading (0 deg) is not widened."""
    camera = CameraGeometry(roll_deg=-1.1, vertical_source=VerticalSource.ROOM_LEVEL_LINES, roll_spread_deg=0.4)
    rep = replace(rep_result(), tibial_inclination_deg=37.2, tibial_inclination_ci95_deg=3.2, inclinometer_equivalent_ci95_deg=4.0)
    seen = float(np.degrees(np.arctan(np.tan(np.radians(41.3)) * np.cos(np.radians(25.0)))))
    assert seen == pytest.approx(38.5, abs=0.1)  # the foreshortening alone (the rest: the roll and the outline)
    (out,), notes = with_unknown_camera([rep], camera, View.SIDE)
    assert out.valid and out.tibial_inclination_deg == 37.2
    assert out.tibial_inclination_ci95_deg >= 41.3 - 37.2
    assert out.tibial_inclination_ci95_deg == pytest.approx(3.2 + turn_range_deg(37.2, LEVEL_LINES_TURN_DEG))
    assert out.inclinometer_equivalent_ci95_deg == pytest.approx(4.0 + turn_range_deg(37.2, LEVEL_LINES_TURN_DEG))
    assert notes == [LEVEL_LINES_NOTE] and f"{LEVEL_LINES_TURN_DEG:.0f}°" in LEVEL_LINES_NOTE
    flat = replace(rep, tibial_inclination_deg=0.0)
    assert with_unknown_camera([flat], camera, View.SIDE)[0][0].tibial_inclination_ci95_deg == 3.2


def test_the_level_lines_never_refuse() -> None:
    """A wide landmarks-only rep at 45 deg (+-11.5) on level lines: widened past +-12, kept valid (their turn is bounded)."""
    camera = CameraGeometry(roll_deg=1.0, vertical_source=VerticalSource.ROOM_LEVEL_LINES, roll_spread_deg=1.0)
    rep = replace(rep_result(), tibial_inclination_deg=45.0, tibial_inclination_ci95_deg=11.5)
    (out,), _ = with_unknown_camera([rep], camera, View.OBLIQUE)
    assert out.valid and out.tibial_inclination_ci95_deg > 12.0
