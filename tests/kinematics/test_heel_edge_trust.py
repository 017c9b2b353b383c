"""When the heel edge's reading is not trusted: synthetic feet whose light or floor change between rest and hold."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.kinematics.heel_edge import FootCrop, edge_rise_px
from ankle_cv.kinematics.heel_edge_trust import EdgeConditions, edge_conditions
from ankle_cv.protocol.heel_reading import (
    BELOW_REST,
    BROADENED,
    FADED_LIFT,
    LIGHT_CHANGED,
    OTHER_EDGE,
    SHADOW_BORDER,
    SHADOW_EDGE,
    SHADOWED,
    UNDER_BRIGHTENED,
    _doubt,
    below_rest_reason,
    broadened_reason,
    faded_lift_reason,
    shadowed_step_lift,
    untrusted_edge_reason,
)
from tests.kinematics.test_heel_edge import FLOOR_Y, HEEL_X, TOE_X, _crops, _foot_image, _sole

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


def _shoe(heel_line: float, lift_px: float = 0.0, seed: int = 0) -> np.ndarray:
    """A side-view shoe (foot 50 px): a light sock over a grey upper 10 px tall with a 3-px sole line (its grey under the rear
    half given) on a light floor, pivoting about the ball (x 80) by lift_px at the heel."""
    rng = np.random.default_rng(seed)
    img = np.full((90, 130), 190.0, np.float32)
    y = int(FLOOR_Y)
    for x in range(HEEL_X, TOE_X):
        r = int(round(lift_px * max(80 - x, 0) / (80 - HEEL_X)))
        img[y - 30 - r:y - 10 - r, x] = 220.0
        img[y - 10 - r:y - r, x] = 170.0
        img[y - 3 - r:y - r, x] = heel_line if x < 60 else 140.0
    return img + rng.normal(0, 1.0, img.shape).astype(np.float32)


def _shoes(heel_line: float, lift_px: float = 0.0, seed0: int = 0) -> list[FootCrop]:
    return [FootCrop(0, 0, _shoe(heel_line, lift_px, seed=seed0 + i)) for i in range(5)]


def test_a_faint_sole_line_that_fades_under_a_still_heel_is_not_trusted_as_a_lift() -> None:
    """The rest edge is a faint sole line (~12 levels/px) under a stronger step (the upper, ~20) 7 px up; in the hold the
    line fades under the heel, which stays down: the reader takes the upper's step and reads a 7 px lift (heel sweep h051,
    h053)."""
    rest, hold = _shoes(140.0), _shoes(170.0, seed0=10)
    assert edge_rise_px(rest, hold, _sole()) > 6.0  # the reading is fooled
    cond = edge_conditions(rest, hold, _sole())
    assert cond is not None and cond.hold_step_ratio > 1.5 and cond.hold_step_rise_foot > 0.13
    assert _reason(rest, hold, 0.12) == OTHER_EDGE
    assert _reason(rest, hold, 0.0) is None  # only against a "lifted" verdict


def test_a_lift_far_up_or_a_step_that_strengthens_near_its_place_keeps_its_verdict() -> None:
    """A lift of 8 px (the sole line read 0.16 foot up, as strong as at rest) and a 3 px lift whose line darkens (a
    stronger step just above the rest edge) are the heel's own edge."""
    rest = _shoes(140.0)
    far, darker = _shoes(140.0, 8.0, seed0=10), _shoes(100.0, 3.0, seed0=10)
    assert edge_rise_px(rest, far, _sole()) > 6.0 and edge_rise_px(rest, darker, _sole()) > 2.0
    cond_far, cond_darker = edge_conditions(rest, far, _sole()), edge_conditions(rest, darker, _sole())
    assert cond_far is not None and cond_far.hold_step_rise_foot > 0.13 and cond_far.hold_step_ratio < 1.2
    assert cond_darker is not None and cond_darker.hold_step_ratio > 1.5 and cond_darker.hold_step_rise_foot < 0.08
    assert _reason(rest, far, 0.15) is None
    assert _reason(rest, darker, 0.06) is None


def _shadowed(crops: list[FootCrop], dim: float) -> list[FootCrop]:
    """The crops with a shadow (brightness times dim) over the rear foot and the floor under and behind it."""
    out = []
    for c in crops:
        g = c.grey.copy()
        g[int(FLOOR_Y) - 35:, :HEEL_X + 20] *= dim  # its edges lie above the search and beyond the heel zone's columns
        out.append(FootCrop(c.x0, c.y0, g))
    return out


def test_a_shadow_over_a_heel_read_lifted_is_not_trusted() -> None:
    """A shadow falls over the rear foot in the hold (random_v11 r015, random_v10 r003: the near leg's over a far heel): the
    floor under the heel darkens by more than the heel's step and that step fades to under half its rest strength."""
    rest = _crops([0.0] * 5)
    hold = _shadowed(_crops([0.0] * 5, seed0=10), 0.35)
    cond = edge_conditions(rest, hold, _sole())
    assert cond is not None and cond.under_change < -cond.rest_step and cond.hold_step_ratio < 0.5
    assert _reason(rest, hold, 0.05) == SHADOWED
    assert _reason(rest, hold, 0.0) is None  # only against a "lifted" verdict
    # A lighter shadow leaves the step over half as strong, and a lifted heel under it keeps its verdict.
    light = _shadowed(_crops([3.0] * 5, seed0=10), 0.7)
    cond_light = edge_conditions(rest, light, _sole())
    assert cond_light is not None and cond_light.hold_step_ratio > 0.5
    assert _reason(rest, light, 0.06) is None


def test_a_weak_step_under_a_shadow_that_itself_rose_by_a_lift_reads_lifted() -> None:
    """random_v19 r012 (a far 30 px bare heel under a loose dark hem, 640x360, dim; 10 mm): in the hold the near leg's
    shadow darkened the floor under the heel 1.6 steps and its step faded to 0.29-0.36 of the flat foot's, so SHADOWED
    refused the 22 % its smeared upper flank read, though the step's steepest row itself rose 0.048-0.058 foot. A flat heel
    under the same shadow keeps its weak step where it stood, and a rise within the weak step's uncertainty is not taken."""
    foot = float(TOE_X - HEEL_X)
    rest = _crops([0.0] * 5)
    for lift_px in (3.0, 4.0):
        hold = _shadowed(_crops([lift_px] * 5, seed0=10), 0.35)
        cond = edge_conditions(rest, hold, _sole())
        assert cond is not None and cond.hold_step_ratio < 0.5 and cond.under_change < -cond.rest_step
        assert _reason(rest, hold, 0.2) == SHADOWED  # the check itself is unchanged
        lift = shadowed_step_lift(cond, THRESHOLD, foot)
        # the heel zone's centre rises (80 - 47.5) / 40 of the heel's lift: read as the heel's rise (PIVOT_GAIN 1.25)
        assert lift == pytest.approx(lift_px * (80 - (HEEL_X + 0.15 * foot)) / (80 - HEEL_X) * 1.25 / foot, abs=0.012)
    flat = edge_conditions(rest, _shadowed(_crops([0.0] * 5, seed0=10), 0.35), _sole())
    assert shadowed_step_lift(flat, THRESHOLD, foot) is None
    small = edge_conditions(rest, _shadowed(_crops([1.0] * 5, seed0=10), 0.35), _sole())  # 2.5 %, inside the widened band
    assert shadowed_step_lift(small, THRESHOLD, foot) is None
    far_up = EdgeConditions(rest_step=20.0, light_change=-5.0, under_change=-22.0, hold_step_ratio=0.37, hold_step_rise_foot=0.188)
    assert shadowed_step_lift(far_up, THRESHOLD, 70.0) is None  # random_v16 r002: another edge far up, flats read the same
    r012 = EdgeConditions(rest_step=28.0, light_change=-6.8, under_change=-45.5, hold_step_ratio=0.36, hold_step_rise_foot=0.058)
    assert shadowed_step_lift(r012, 0.02, 30.0) == pytest.approx(0.0725, abs=1e-3)
    # The rep is judged at that row, its trace (the smeared flank, 17-22 %) drawn no higher, so the foot's pitch follows it.
    trace = np.array([0.0, 0.18, 0.22, 0.22, 0.22, 0.19, np.nan, 0.0])
    near, reading, drawn = _doubt(r012, 0.22, trace, 0.02, 30.0, colour=False, late=False)
    assert near is None and reading == pytest.approx(0.0725, abs=1e-3)
    assert np.nanmax(drawn) == pytest.approx(reading) and drawn[0] == 0.0 and np.isnan(drawn[6])
    assert _doubt(far_up, 0.22, trace, 0.02, 70.0, colour=False, late=False)[0] == SHADOWED


def test_a_step_read_far_above_the_heel_where_a_shadow_fell_is_not_trusted() -> None:
    """Heel sweep h012 rep 2 (heel_sweep26): a flat far heel under the leg's shadow (the floor under its edge 2.3 steps darker)
    read a step 0.19 foot up, 0.73 as strong as the rest edge, as a 23 % lift; lifts under a shadow read theirs <= 0.093 up."""
    h012 = EdgeConditions(rest_step=29.6, light_change=-21.3, under_change=-67.9, hold_step_ratio=0.73, hold_step_rise_foot=0.188)
    assert untrusted_edge_reason(h012, 0.234, THRESHOLD) == SHADOW_EDGE
    assert untrusted_edge_reason(h012, 0.0, THRESHOLD) is None  # only against a "lifted" verdict
    lift = EdgeConditions(rest_step=20.0, light_change=-2.0, under_change=-24.8, hold_step_ratio=0.95, hold_step_rise_foot=0.093)
    assert untrusted_edge_reason(lift, 0.114, THRESHOLD) is None  # random_v9 r002's 25 mm under a shadow: as high as lifts go
    unshaded = EdgeConditions(rest_step=20.0, light_change=0.0, under_change=-10.0, hold_step_ratio=1.2, hold_step_rise_foot=0.127)
    assert untrusted_edge_reason(unshaded, 0.154, THRESHOLD) is None  # far up, but no shadow fell: not this check


def test_a_step_far_stronger_than_the_heel_edge_where_a_shadow_fell_is_not_trusted() -> None:
    """random_v14 r007 rep 1: a flat far heel with a faint rest edge (6.1 grey/px); in the hold the floor under it 1.5 steps
    darker and the step read 1.72x as strong, near the rest place: a 3.3 % "lift". Lifts under a shadow read <= 1.02x."""
    r007 = EdgeConditions(rest_step=6.1, light_change=-1.0, under_change=-9.3, hold_step_ratio=1.72, hold_step_rise_foot=0.012)
    assert untrusted_edge_reason(r007, 0.0327, THRESHOLD) == SHADOW_BORDER
    assert untrusted_edge_reason(r007, 0.0, THRESHOLD) is None  # only against a "lifted" verdict
    lift = EdgeConditions(rest_step=28.4, light_change=-9.0, under_change=-29.8, hold_step_ratio=1.02, hold_step_rise_foot=0.03)
    assert untrusted_edge_reason(lift, 0.09, THRESHOLD) is None  # random_v8 r012 rep 4's 20 mm under a shadow
    unshaded = EdgeConditions(rest_step=11.2, light_change=-1.3, under_change=-1.8, hold_step_ratio=3.2, hold_step_rise_foot=0.04)
    assert untrusted_edge_reason(unshaded, 0.025, THRESHOLD) is None  # r007 rep 2's 10 mm: a strong step, no shadow


def test_a_step_that_broadened_in_place_is_not_read_as_a_lift() -> None:
    """random_v16 r018 rep 1: a flat far heel (59 px) whose skin brightened as the leg's shadow left it read a 4.0 % lift on
    its step's foot-side flank while the steepest row rose 0.004 foot (0.13 of the reading, the flank 1.6 px above it)."""
    r018 = EdgeConditions(rest_step=15.2, light_change=-7.1, under_change=-9.5, hold_step_ratio=0.99, hold_step_rise_foot=0.0043)
    assert untrusted_edge_reason(r018, 0.0401, THRESHOLD) is None  # no shadow, no other edge: the older checks pass it
    assert broadened_reason(r018, 0.0401, THRESHOLD, 59.0) == BROADENED
    assert broadened_reason(r018, 0.0100, THRESHOLD, 59.0) is None  # only against a "lifted" verdict
    assert broadened_reason(None, 0.0401, THRESHOLD, 59.0) is None
    # random_v12 r007 rep 2 (20 mm, far 30 px): the steepest row rose 0.34 of the 4.7 % reading, the flank 0.75 px above it;
    # random_v10 r012 rep 2 (20 mm, near 35 px): 0.47, 1.0 px. Lifts move their steepest row too.
    v12 = EdgeConditions(rest_step=48.3, light_change=-3.6, under_change=10.1, hold_step_ratio=0.73, hold_step_rise_foot=0.0127)
    assert broadened_reason(v12, 0.0473, THRESHOLD, 30.0) is None
    v10 = EdgeConditions(rest_step=24.9, light_change=-3.3, under_change=16.0, hold_step_ratio=0.79, hold_step_rise_foot=0.0257)
    assert broadened_reason(v10, 0.0685, THRESHOLD, 35.0) is None
    # the same shares on a foot too small for the flank to stand a blur's width above the steepest row: not this check
    assert broadened_reason(r018, 0.0401, THRESHOLD, 25.0) is None


def test_a_lift_read_on_a_step_that_faded_must_clear_the_faded_band() -> None:
    """random_v18 r013 rep 2 (a far 45 px bare heel, dim; a true 2 mm): the near leg's shadow darkened the floor under it
    0.88 steps (SHADOWED asks 1.0) and its step faded to 0.43 of the flat foot's; read 2.92 % where the edge's band widened
    by that weak step reaches 4.05 %: not a lift the picture can tell. The same reading on a step as strong as at rest, a
    weak step read far over the band (random_v19 r012 rep 2's 7.3 %) and a reading under the threshold are not this check."""
    r013 = EdgeConditions(rest_step=33.6, light_change=1.3, under_change=-29.6, hold_step_ratio=0.43, hold_step_rise_foot=0.013)
    assert untrusted_edge_reason(r013, 0.0292, 0.02) is None  # the shadow is just short of SHADOWED's
    assert faded_lift_reason(r013, 0.0292, 0.02, 45.3) == FADED_LIFT
    assert _doubt(r013, 0.0292, np.full(5, 0.0292), 0.02, 45.3, colour=False, late=False)[0] == FADED_LIFT
    assert _doubt(r013, 0.0292, np.full(5, 0.0292), 0.02, 45.3, colour=False, late=True)[0] is None  # a late lift's own step is not the hold's
    strong = EdgeConditions(rest_step=33.6, light_change=1.3, under_change=-29.6, hold_step_ratio=0.67, hold_step_rise_foot=0.018)
    assert faded_lift_reason(strong, 0.0292, 0.02, 45.3) is None  # random_v18 r007 rep 3's 0.67: not under half
    assert faded_lift_reason(r013, 0.0420, 0.02, 45.3) is None  # over the faded band
    assert faded_lift_reason(r013, 0.0150, 0.02, 45.3) is None  # under the threshold: too_close_reason's
    assert faded_lift_reason(None, 0.0292, 0.02, 45.3) is None
    r012 = EdgeConditions(rest_step=28.0, light_change=-6.8, under_change=-45.5, hold_step_ratio=0.36, hold_step_rise_foot=0.058)
    assert _doubt(r012, 0.22, np.full(5, 0.22), 0.02, 30.0, colour=False, late=False)[0] is None  # read at its risen row


def test_a_heel_read_far_below_the_flat_foots_edge_is_not_called_down() -> None:
    """random_v17 r013 reps 2-3 (a far 100 px bare heel, dim, the floor under it 3 steps darker: the near leg's shadow):
    grey followed the contact shadow's border while the heel rose 20 mm, reading -2.23 % and -1.49 % (5.5 and 3.7 bands
    under zero): "heel down" in valid reps. A heel cannot sink into the floor; flat heels on the open sets read above
    -1.0 band (-0.85 % on roll_pairs26 p05's 46 px foot is -0.98), the real reference's above -1.7 (-0.70 % of 93 px)."""
    v17 = EdgeConditions(rest_step=8.4, light_change=-3.5, under_change=-25.5, hold_step_ratio=1.14, hold_step_rise_foot=0.004)
    for reading in (-0.0223, -0.0149):
        assert below_rest_reason(reading, 99.0) == BELOW_REST
        assert _doubt(v17, reading, np.full(5, reading), 0.02, 99.0, colour=False, late=False)[0] == BELOW_REST
    assert below_rest_reason(-0.0085, 46.0) is None  # roll_pairs26 p05's flat heel
    assert below_rest_reason(-0.0070, 32.0) is None  # random_v18 r001's far flat heel
    assert below_rest_reason(-0.0070, 93.0) is None  # the real reference's lowest flat heel (-1.63 bands)
    assert below_rest_reason(0.005, 99.0) is None
    # the band widens on a step weaker than at rest, as too_close_reason's: the same reading on a step half as strong passes
    assert below_rest_reason(-0.0149, 99.0, 0.4) is None
