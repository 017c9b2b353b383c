"""When the heel edge's reading is not trusted: synthetic feet whose light or floor change between rest and hold."""

from __future__ import annotations

import numpy as np

from ankle_cv.kinematics.heel_edge import FootCrop
from ankle_cv.kinematics.heel_edge_trust import edge_conditions
from ankle_cv.protocol.heel_reading import LIGHT_CHANGED, UNDER_BRIGHTENED, untrusted_edge_reason
from tests.kinematics.test_heel_edge import FLOOR_Y, HEEL_X, _crops, _foot_image, _sole

THRESHOLD = 0.025


def _reason(rest: list[FootCrop], hold: list[FootCrop], held_ratio: float) -> str | None:
    return untrusted_edge_reason(edge_conditions(rest, hold, _sole()), held_ratio, THRESHOLD)


def test_a_plain_lift_or_a_still_heel_is_trusted() -> None:
    rest = _crops([0.0] * 5)
    for lift_px, ratio in ((0.0, 0.0), (2.0, 0.05), (4.0, 0.09)):
        cond = edge_conditions(rest, _crops([lift_px] * 5, seed0=10), _sole())
        assert cond is not None
        assert abs(cond.light_change) < 1.0 and abs(cond.under_change) < 1.0
        assert _reason(rest, _crops([lift_px] * 5, seed0=10), ratio) is None


def test_a_light_change_many_times_a_faint_edge_is_not_trusted() -> None:
    """A light foot on a light floor (a 20-grey-level edge, ~8 levels per px once blurred) whose picture darkens by 40 levels."""
    rest = [FootCrop(0, 0, _foot_image(0.0, skin=180.0, floor=200.0, sole=180.0, shadow=None, seed=i)) for i in range(5)]
    hold = [FootCrop(0, 0, _foot_image(0.0, skin=180.0, floor=200.0, sole=180.0, shadow=None, seed=10 + i) - 40.0) for i in range(5)]
    cond = edge_conditions(rest, hold, _sole())
    assert cond is not None and cond.light_change < -35.0 and cond.rest_step < 12.0
    assert _reason(rest, hold, 0.06) == LIGHT_CHANGED
    # The same change on a strong edge (a dark sole on a light floor, 120 levels) leaves it readable.
    assert _reason(_crops([0.0] * 5), [FootCrop(0, 0, c.grey - 30.0) for c in _crops([0.0] * 5, seed0=10)], 0.0) is None


def test_the_floor_brightening_under_a_heel_read_down_is_not_trusted_but_a_heel_read_up_keeps_its_verdict() -> None:
    """The floor just under the heel brightens in the hold (its contact shadow fading) while the edge does not move."""
    rest = _crops([0.0] * 5)
    hold = []
    for c in _crops([0.0] * 5, seed0=10):
        g = c.grey.copy()
        g[int(FLOOR_Y):int(FLOOR_Y) + 4, HEEL_X - 2:HEEL_X + 12] += 70.0  # under the heel zone only
        hold.append(FootCrop(0, 0, g))
    cond = edge_conditions(rest, hold, _sole())
    assert cond is not None and cond.under_change > 0.5 * cond.rest_step
    assert _reason(rest, hold, 0.0) == UNDER_BRIGHTENED
    assert _reason(rest, hold, 0.05) is None  # read as lifted: the brightening agrees with it


def test_no_edge_or_no_hold_gives_no_conditions() -> None:
    flat = [FootCrop(0, 0, np.full((90, 130), 120.0, np.float32)) for _ in range(3)]
    assert edge_conditions(flat, flat, _sole()) is None
    assert edge_conditions(_crops([0.0] * 3), [], _sole()) is None
    assert untrusted_edge_reason(None, 0.0, THRESHOLD) is None
