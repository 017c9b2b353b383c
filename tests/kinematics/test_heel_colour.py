"""The heel's crops in the colour that tells the foot from every shade of the floor (kinematics/heel_colour)."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.kinematics.fitted import MAX_HOLD_STEP_RISE_FOOT
from ankle_cv.kinematics.heel import PIVOT_GAIN
from ankle_cv.kinematics.heel_colour import COLOUR_SCALE, colour_crops, foot_colour_axis
from ankle_cv.kinematics.heel_edge import FootCrop, SoleColumns, edge_rise_px
from ankle_cv.kinematics.heel_edge_trust import EdgeConditions, edge_conditions
from ankle_cv.protocol.heel_reading import FAR_COLOUR_EDGE, far_colour_edge_reason, untrusted_edge_reason

FLOOR_Y, HEEL_X, TOE_X = 60.0, 40, 90
FLOOR = np.array([90.0, 90.0, 70.0])  # a greenish grey floor (random_v17 r013's #626654, lit)
SKIN = np.array([98.0, 64.0, 46.0])  # a bare heel in dim light, grey ~70: as dark as the floor in the other leg's shadow
GREY = np.array([0.299, 0.587, 0.114])
THRESHOLD = 0.02


def _foot(lift_px: float, skin: np.ndarray = SKIN, seed: int = 0) -> FootCrop:
    """A side-view foot pivoting about the ball (x 80) over its contact shadow (floor x 0.55, stays on the floor); the floor
    the lifted heel uncovers lies in the other leg's shadow (floor x 0.8, as bright as the heel in grey)."""
    h, w = 90, 130
    img = np.tile(FLOOR, (h, w, 1))
    img[int(FLOOR_Y):int(FLOOR_Y) + 2, HEEL_X - 2:TOE_X + 2] = 0.55 * FLOOR
    for x in range(HEEL_X, TOE_X):
        bottom = int(round(FLOOR_Y - lift_px * max(80 - x, 0) / (80 - HEEL_X)))
        img[bottom:int(FLOOR_Y), x] = 0.8 * FLOOR
        img[bottom - 25:bottom, x] = skin
    rgb = np.clip(img + np.random.default_rng(seed).normal(0, 1.0, img.shape), 0, 255).astype(np.uint8)
    return FootCrop(0, 0, rgb.astype(np.float32) @ GREY.astype(np.float32), rgb)


def _sole() -> SoleColumns:
    foot = float(TOE_X - HEEL_X)
    xs = np.arange(HEEL_X, TOE_X)
    u = (xs - HEEL_X) / foot
    return SoleColumns(xs[(u >= 0.05) & (u <= 0.25)], FLOOR_Y, xs[(u >= 0.7) & (u <= 0.9)], FLOOR_Y, foot)


def test_every_shade_of_the_floor_reads_nought_and_the_heel_its_scale() -> None:
    rest = [_foot(0.0, seed=i) for i in range(5)]
    axis = foot_colour_axis(rest, _sole())
    assert axis is not None
    for shade in (1.0, 0.8, 0.55):
        assert float(shade * FLOOR @ axis) == pytest.approx(0.0, abs=1.5)  # the floor measured through the noise
    assert float(SKIN @ axis) == pytest.approx(COLOUR_SCALE, rel=0.05)


def test_a_heel_as_dark_as_its_shadow_reads_its_lift_in_colour_not_in_grey() -> None:
    """random_v17 r013 rep 1: grey follows the contact shadow's border, which stays on the floor (-0.2 % for 20 mm)."""
    rest = [_foot(0.0, seed=i) for i in range(5)]
    hold = [_foot(6.0, seed=10 + i) for i in range(5)]
    expected = 6.0 * (80 - (HEEL_X + 0.15 * 50)) / (80 - HEEL_X)  # the heel zone's centre (u 0.15) rises that much
    assert not edge_rise_px(rest, hold, _sole()) > 0.5 * expected  # grey: the shadow's border, which stays
    axis = foot_colour_axis(rest, _sole())
    assert axis is not None
    coloured = colour_crops(dict(enumerate(rest + hold)), axis)
    assert edge_rise_px([coloured[i] for i in range(5)], [coloured[i] for i in range(5, 10)], _sole()) == pytest.approx(expected, abs=1.0)


def test_a_foot_the_colour_of_a_shade_of_the_floor_or_without_colour_gives_no_axis() -> None:
    grey_shoe = 0.4 * FLOOR + 3.0  # a dark shoe whose colour is a shade of the floor's
    assert foot_colour_axis([_foot(0.0, skin=grey_shoe, seed=i) for i in range(5)], _sole()) is None
    assert foot_colour_axis([FootCrop(0, 0, _foot(0.0, seed=i).grey) for i in range(5)], _sole()) is None


def _hem_over_heel(cover_px: float, seed: int) -> FootCrop:
    """A flat foot whose heel a cloth of a floor's shade hides from the floor up to cover_px in the hold (session 29's
    roll_pairs26 p05 rolled twin: a loose hem's border over the heel, read in colour 8.2-8.4 px up on a 44 px foot)."""
    crop = _foot(0.0, seed=seed)
    assert crop.rgb is not None
    img = crop.rgb.astype(float)
    img[int(FLOOR_Y - cover_px):int(FLOOR_Y), HEEL_X - 3:HEEL_X + 16] = 0.7 * FLOOR
    rgb = np.clip(img, 0, 255).astype(np.uint8)
    return FootCrop(0, 0, rgb.astype(np.float32) @ GREY.astype(np.float32), rgb)


def test_a_boundary_read_in_colour_farther_above_the_heel_than_it_lifts_is_not_a_lift() -> None:
    """A step read in colour MAX_HOLD_STEP_RISE_FOOT or more above the flat heel's edge is another boundary (a hem's), not
    the heel: not taken against grey's "down". A 6 px lift at the pivot (4.9 px at the heel zone's centre, 0.1 foot) is."""
    sole = _sole()
    rest = [_foot(0.0, seed=i) for i in range(5)]
    axis = foot_colour_axis(rest, sole)
    assert axis is not None
    for hold, far in (([_hem_over_heel(9.0, 10 + i) for i in range(5)], True), ([_foot(6.0, seed=10 + i) for i in range(5)], False)):
        coloured = colour_crops(dict(enumerate(rest + hold)), axis)
        c_rest, c_hold = [coloured[i] for i in range(5)], [coloured[i] for i in range(5, 10)]
        ratio = edge_rise_px(c_rest, c_hold, sole) * PIVOT_GAIN / sole.foot_px
        cond = edge_conditions(c_rest, c_hold, sole)
        assert cond is not None and ratio > THRESHOLD  # both read lifted in colour
        assert untrusted_edge_reason(cond, ratio, THRESHOLD) is None  # the older checks pass both
        assert (cond.hold_step_rise_foot >= MAX_HOLD_STEP_RISE_FOOT) == far
        assert far_colour_edge_reason(cond, ratio, THRESHOLD) == (FAR_COLOUR_EDGE if far else None)
        assert far_colour_edge_reason(cond, 0.0, THRESHOLD) is None  # only against a "lifted" reading
    # random_v17 r013 rep 1 (20 mm, a far bare heel grey reads down): its colour step 0.073 foot up, 0.89 as strong
    r013 = EdgeConditions(rest_step=20.0, light_change=-5.0, under_change=-19.0, hold_step_ratio=0.89, hold_step_rise_foot=0.073)
    assert far_colour_edge_reason(r013, 0.0815, THRESHOLD) is None
