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
