"""The camera's view from the hips' apparent width and the foot's apparent length, each against the shank."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.enums import View
from ankle_cv.pose.landmarks import LEFT_HIP, RIGHT_HIP, PoseSeries
from ankle_cv.protocol.view import FRONT_HIP_RATIO, OBLIQUE_FOOT_RATIO, OBLIQUE_HIP_RATIO, camera_view

SHANK_PX = 100.0


def _hips_apart(width_px: float, n: int = 10) -> PoseSeries:
    """A series whose hips lie width_px apart in every frame (nothing else placed)."""
    xy = np.full((n, 33, 2), 300.0)
    xy[:, LEFT_HIP, 0] -= width_px / 2
    xy[:, RIGHT_HIP, 0] += width_px / 2
    return PoseSeries(np.arange(n) / 15.0, xy, np.full((n, 33), 0.9), np.zeros((n, 33, 3)), 640, 480, np.ones(n, int))


@pytest.mark.parametrize(
    ("hips_per_shank", "foot_per_shank", "view"),
    [
        (0.05, 0.6, View.SIDE),
        (OBLIQUE_HIP_RATIO + 0.05, 0.6, View.OBLIQUE),
        (0.05, OBLIQUE_FOOT_RATIO - 0.05, View.OBLIQUE),  # a foreshortened foot alone says oblique
        (FRONT_HIP_RATIO + 0.05, 0.6, View.FRONT),
        (0.05, 0.1, View.FRONT),  # a foot seen end-on
    ],
)
def test_view_from_proportions(hips_per_shank: float, foot_per_shank: float, view: View) -> None:
    got, ratio = camera_view(_hips_apart(hips_per_shank * SHANK_PX), SHANK_PX, foot_per_shank * SHANK_PX)
    assert got == view
    assert ratio == pytest.approx(hips_per_shank)


def test_no_shank_no_view() -> None:
    assert camera_view(_hips_apart(10.0), float("nan"), 60.0)[0] == View.UNKNOWN
