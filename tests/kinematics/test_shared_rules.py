"""The rules several stages share, written once: rest frames, the steadied ankle, running windows, the angle codes."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.enums import AngleCode, AngleSource, Side
from ankle_cv.kinematics.shank import rest_frames, steadied_ankle
from ankle_cv.kinematics.signals import odd_window


def test_rest_frames_are_the_lowest_quarter_of_the_excursion() -> None:
    upright, deep = 5.0, 45.0
    smooth = np.concatenate([np.full(20, upright), np.linspace(upright, deep, 20), np.full(20, deep), [np.nan]])
    rest = rest_frames(smooth)
    assert rest[:20].all() and not rest[40:].any()
    limit = upright + 0.25 * (deep - upright)
    assert np.array_equal(rest[20:40], smooth[20:40] <= limit)


def test_rest_frames_of_a_still_shin_and_of_nothing() -> None:
    assert rest_frames(np.full(10, 12.0)).all()  # no excursion: every frame is at rest
    assert not rest_frames(np.full(5, np.nan)).any()


@pytest.mark.parametrize(("fps", "seconds", "frames"), [(15.0, 1.0, 15), (29.97, 1.0, 31), (23.976, 1.0, 25), (30.0, 0.4, 13), (5.0, 0.2, 3)])
def test_odd_window_is_about_the_time_odd_and_at_least_three(fps: float, seconds: float, frames: int) -> None:
    assert odd_window(fps, seconds) == frames


def test_steadied_ankle_ignores_a_one_frame_jump() -> None:
    ankle = np.tile([400.0, 600.0], (30, 1))
    ankle[15] = [460.0, 560.0]
    steady = steadied_ankle(ankle, 15.0)
    assert np.array_equal(steady, np.tile([400.0, 600.0], (30, 1)))


def test_angle_codes_write_their_sources_and_sides_their_signs() -> None:
    assert [c.text for c in AngleCode] == [AngleSource.CONFLICT, AngleSource.NONE, AngleSource.LANDMARKS, AngleSource.SILHOUETTE,
                                           AngleSource.EDGE_AND_LANDMARKS]
    assert f"{AngleCode.NONE.text}" == ""
    assert (Side.RIGHT.sign, Side.LEFT.sign) == (1, -1)
    assert Side.from_sign(-1) is Side.LEFT and Side("right") is Side.RIGHT
