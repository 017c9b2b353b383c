"""The true vertical's shared directions: up, forward along the floor, tilt, and up from a roll."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.scene.camera_geometry import IMAGE_UP, forward_of, tilt_deg, up_axis, up_from_roll


def test_level_camera_up_is_the_image_up_and_forward_the_facing_side() -> None:
    up = up_axis(None)
    assert np.array_equal(up, IMAGE_UP)
    assert np.array_equal(forward_of(up, +1), [1.0, 0.0])  # facing right: image right
    assert np.array_equal(forward_of(up, -1), [-1.0, 0.0])
    up[0] = 5.0  # a caller's change must not move the shared constant
    assert np.array_equal(IMAGE_UP, [0.0, -1.0])


@pytest.mark.parametrize("roll_deg", [-8.0, 0.0, 3.5, 12.0])
def test_tilt_reads_back_the_roll_and_forward_is_square_to_up(roll_deg: float) -> None:
    up = up_from_roll(roll_deg)
    assert tilt_deg(up) == pytest.approx(roll_deg)
    assert float(forward_of(up, 1) @ up) == pytest.approx(0.0)
    fwd = forward_of(up, 1)
    assert float(up[0] * fwd[1] - up[1] * fwd[0]) == pytest.approx(1.0)  # up turned a quarter clockwise on screen, unit length
