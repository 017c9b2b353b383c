"""The wall's base found ahead of the toes in synthetic pictures of known geometry (and left alone where unclear)."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.scene.wall_base import find_wall_base

SIZE = (240, 400)  # h, w
TOE = np.array([120.0, 150.0])
FOOT_PX = 80.0
FORWARD = np.array([1.0, 0.0])


def _scene(ahead_px: float, slant_deg: float, floor: float = 60.0, wall: float = 150.0, seed: int = 0) -> np.ndarray:
    """A noisy floor with the wall beyond a straight base crossing the sole's line `ahead_px` ahead of the toe."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:SIZE[0], 0:SIZE[1]].astype(float)
    t = np.radians(slant_deg)
    along_up = np.array([np.sin(t), -np.cos(t)])  # the base's direction, upwards
    normal = np.array([-along_up[1], along_up[0]])
    normal = normal if normal @ FORWARD > 0 else -normal
    cross = TOE + ahead_px * FORWARD
    side = (x - cross[0]) * normal[0] + (y - cross[1]) * normal[1]
    return np.where(side > 0, wall, floor) + rng.normal(0.0, 4.0, SIZE)


@pytest.mark.parametrize(("ahead_px", "slant_deg"), [(30.0, -30.0), (55.0, 0.0), (90.0, 45.0), (12.0, -50.0)])
def test_the_base_is_found_where_it_crosses_the_sole(ahead_px: float, slant_deg: float) -> None:
    found = find_wall_base(_scene(ahead_px, slant_deg).astype(np.float32), TOE, FORWARD, FOOT_PX)
    assert found is not None
    assert found.ahead_px == pytest.approx(ahead_px, abs=1.5)
    assert found.slant_deg == pytest.approx(slant_deg, abs=3.0)
    assert found.point_px == pytest.approx(TOE + found.ahead_px * FORWARD)


def test_the_nearest_clear_step_is_the_base_not_a_skirting_boards_top() -> None:
    grey = _scene(40.0, -30.0, floor=60.0, wall=120.0)
    board_top = _scene(52.0, -30.0, floor=0.0, wall=80.0)  # the wall beyond the board is brighter still
    grey = np.where(board_top > 40, grey + 80.0, grey)
    found = find_wall_base(grey.astype(np.float32), TOE, FORWARD, FOOT_PX)
    assert found is not None and found.ahead_px == pytest.approx(40.0, abs=1.5)
    assert found.rivals >= 1


def test_the_persons_pixels_are_no_wall() -> None:
    grey = _scene(60.0, -20.0)
    person = np.zeros(SIZE, bool)
    person[:, :135] = True  # the foot and the shin, reaching 15 px past the toe tip's landmark
    grey[person] = 230.0  # a white shoe: a strong step at its front
    found = find_wall_base(grey.astype(np.float32), TOE, FORWARD, FOOT_PX, person)
    assert found is not None and found.ahead_px == pytest.approx(60.0, abs=1.5)
    unmasked = find_wall_base(grey.astype(np.float32), TOE, FORWARD, FOOT_PX)
    assert unmasked is not None and unmasked.ahead_px == pytest.approx(15.0, abs=1.5)  # the shoe's front, were it not masked


@pytest.mark.parametrize("grey", [
    np.full(SIZE, 90.0),  # a plain picture: nothing to find
    _scene(50.0, 0.0, floor=90.0, wall=96.0),  # a base too faint to trust
])
def test_no_clear_base_gives_none(grey: np.ndarray) -> None:
    rng = np.random.default_rng(1)
    assert find_wall_base((grey + rng.normal(0.0, 4.0, SIZE)).astype(np.float32), TOE, FORWARD, FOOT_PX) is None


def test_a_thin_line_on_the_floor_is_no_wall() -> None:
    grey = np.full(SIZE, 70.0) + np.random.default_rng(2).normal(0.0, 3.0, SIZE)
    grey[:, 199:201] = 200.0  # a grout line or a floorboard's seam 50 px ahead, two pixels wide
    assert find_wall_base(grey.astype(np.float32), TOE, FORWARD, FOOT_PX) is None


def test_facing_left_is_mirrored() -> None:
    grey = _scene(45.0, 20.0)[:, ::-1].copy()
    toe = np.array([SIZE[1] - 1 - TOE[0], TOE[1]])
    found = find_wall_base(grey.astype(np.float32), toe, -FORWARD, FOOT_PX)
    assert found is not None and found.ahead_px == pytest.approx(45.0, abs=1.5)
