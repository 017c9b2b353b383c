"""The report names the vertical the angles are measured from, and how sure it is where that was measured with a doubt."""

from __future__ import annotations

from ankle_cv.enums import VerticalSource
from ankle_cv.results.build import _vertical_text
from ankle_cv.scene.camera_geometry import CameraGeometry


def test_a_roll_from_the_level_lines_states_its_doubt() -> None:
    """The level lines' roll is read with a stated doubt (scene.room_camera.level_roll_and_spread): the report says it."""
    text = _vertical_text(CameraGeometry(roll_deg=-4.4, vertical_source=VerticalSource.ROOM_LEVEL_LINES, roll_spread_deg=1.0))
    assert "roll -4.4 deg corrected" in text and "±2.0 deg at 95 %" in text
    marker = _vertical_text(CameraGeometry(roll_deg=1.0, vertical_source=VerticalSource.MARKER))
    assert "±" not in marker


def test_an_unmeasured_camera_says_its_intervals_reach_the_turn_they_were_widened_for() -> None:
    """'camera assumed square-on' beside intervals widened for a turned camera (protocol.unknown_camera) read as a
    contradiction: the vertical's words say how far the intervals reach, as the warning that comes with them does."""
    from ankle_cv.kinematics.fitted import PHONE_TURN_DEG, SIDE_TURN_DEG
    from ankle_cv.protocol.unknown_camera import SIDE_CAMERA_NOTE, UNKNOWN_CAMERA_NOTE

    image = CameraGeometry(vertical_source=VerticalSource.IMAGE)
    assert "interval" not in _vertical_text(image)
    assert "interval" not in _vertical_text(image, ("no scale: centimetre fields are null",))
    side = _vertical_text(image, (SIDE_CAMERA_NOTE,))
    assert "camera assumed level" in side and f"turned up to {SIDE_TURN_DEG:.0f} deg off square" in side
    assert f"turned up to {PHONE_TURN_DEG:.0f} deg off square" in _vertical_text(image, (UNKNOWN_CAMERA_NOTE,))


def test_the_level_lines_roll_says_its_intervals_reach_the_unknown_turn() -> None:
    """The level lines give the roll, not the turn (protocol.unknown_camera widens for it): the words say so, beside the
    roll's own doubt; without the note they stay as they were."""
    from ankle_cv.kinematics.fitted import LEVEL_LINES_TURN_DEG
    from ankle_cv.protocol.unknown_camera import LEVEL_LINES_NOTE

    camera = CameraGeometry(roll_deg=-1.1, vertical_source=VerticalSource.ROOM_LEVEL_LINES, roll_spread_deg=0.5)
    text = _vertical_text(camera, (LEVEL_LINES_NOTE,))
    assert "±1.0 deg at 95 %" in text and f"a turn up to {LEVEL_LINES_TURN_DEG:.0f} deg" in text
    assert "turn" not in _vertical_text(camera)


def test_the_level_lines_roll_says_when_a_fit_on_few_lines_was_left_out_for_it() -> None:
    """A room fit on a few lines the level lines contradicted was left out (room_camera.few_lines_contradicted): the words
    give the gap; level lines with no such fit say nothing of one."""
    camera = CameraGeometry(roll_deg=-4.3, vertical_source=VerticalSource.ROOM_LEVEL_LINES, roll_spread_deg=1.4,
                            roll_disagreement_deg=6.84)
    assert "few straight lines read the roll 6.8 deg apart and was left out" in _vertical_text(camera)
    plain = CameraGeometry(roll_deg=-4.3, vertical_source=VerticalSource.ROOM_LEVEL_LINES, roll_spread_deg=1.4)
    assert "left out" not in _vertical_text(plain)
