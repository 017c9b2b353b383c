"""The heel's verdict from the image reading: what is too close to the threshold to call "down" on a small foot."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import cast

import numpy as np
import pytest

import ankle_cv.protocol.heel_reading as heel_reading
from ankle_cv.enums import HeelSource, Side
from ankle_cv.kinematics.fitted import DEFAULT_EDGE_LIFT_RATIO, HEEL_EDGE_UNCERTAINTY_PX
from ankle_cv.kinematics.heel import PIVOT_GAIN, heel_side_sole
from ankle_cv.kinematics.heel_edge import SoleColumns
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import RepResult
from ankle_cv.protocol.heel_reading import (
    BELOW_REST,
    EDGE_NOT_AT_PEAK,
    HEEL_UNCHECKED,
    HOLD_TOO_SHORT,
    MIN_HOLD_READINGS,
    TOO_CLOSE,
    TOO_CLOSE_FADED,
    _not_judged,
    _rest_under_way,
    clear_of_sheet,
    early_lift,
    heel_boxes,
    hold_unread_reason,
    late_lift_ratio,
    reference_sole,
    sheet_beyond_sole,
    short_hold_lift,
    too_close_reason,
)
from ankle_cv.protocol.rep_checks import best_valid_rep, summarise_leg

THRESHOLD = DEFAULT_EDGE_LIFT_RATIO


def _band(foot_px: float) -> float:
    """The reading's uncertainty as a fraction of a foot this long."""
    return HEEL_EDGE_UNCERTAINTY_PX * PIVOT_GAIN / foot_px


def test_a_reading_just_under_the_threshold_on_a_small_foot_is_not_called_down() -> None:
    foot = 32.0
    assert too_close_reason(THRESHOLD - 0.5 * _band(foot), THRESHOLD, foot) is not None


def test_the_same_reading_on_a_large_foot_is_called_down() -> None:
    reading = THRESHOLD - 0.5 * _band(32.0)
    assert too_close_reason(reading, THRESHOLD, 200.0) is None  # 200 px: the band is far narrower than the gap


def test_readings_over_the_threshold_or_well_under_it_are_judged() -> None:
    foot = 32.0
    assert too_close_reason(THRESHOLD, THRESHOLD, foot) is None  # lifted: flagged, not left unchecked
    assert too_close_reason(THRESHOLD + 0.5 * _band(foot), THRESHOLD, foot) is None
    assert too_close_reason(THRESHOLD - 1.5 * _band(foot), THRESHOLD, foot) is None  # clearly down


def test_a_reading_under_the_band_on_a_step_the_hold_weakened_is_not_called_down() -> None:
    """Heel sweep h001 rep 3: an 8 mm lift of a 42 px foot read 1.28 %, just under the plain band; the leg's shadow over
    the foot left the hold's step 0.62 as strong as the rest edge's, so the edge is placed 1/0.62 as loosely."""
    foot = 42.0
    reading = THRESHOLD - 1.3 * _band(foot)
    assert too_close_reason(reading, THRESHOLD, foot) is None  # as strong as at rest: called down
    assert too_close_reason(reading, THRESHOLD, foot, hold_step_ratio=0.62) == TOO_CLOSE_FADED
    assert too_close_reason(THRESHOLD - 0.5 * _band(foot), THRESHOLD, foot, hold_step_ratio=0.62) == TOO_CLOSE  # the plain band's
    assert too_close_reason(reading, THRESHOLD, foot, hold_step_ratio=1.8) is None  # a stronger step never narrows nor widens it
    assert too_close_reason(THRESHOLD - 0.5 * _band(foot), THRESHOLD, foot, hold_step_ratio=1.8) is not None
    assert too_close_reason(reading, THRESHOLD, foot, hold_step_ratio=float("nan")) is None  # unread: the plain band
    assert too_close_reason(THRESHOLD - 1.7 * _band(foot), THRESHOLD, foot, hold_step_ratio=0.62) is None  # clearly down


def test_a_hold_shorter_than_the_readings_a_verdict_needs_gets_none() -> None:
    """Heel sweep h001 rep 3: cut off one sample after its peak, a 2-sample "hold" before the lift read "down"."""
    down = np.full(MIN_HOLD_READINGS - 1, 0.001)  # every sample read, clearly down
    assert hold_unread_reason(down, down.size) == HOLD_TOO_SHORT
    assert hold_unread_reason(np.full(MIN_HOLD_READINGS, 0.001), MIN_HOLD_READINGS) is None  # long enough: judged
    long = np.full(10, 0.001)
    assert hold_unread_reason(long, MIN_HOLD_READINGS - 1) == EDGE_NOT_AT_PEAK  # the edge itself read in too few samples
    assert hold_unread_reason(np.full(10, np.nan), 0) == EDGE_NOT_AT_PEAK


def _rep(start: int, end: int, peak_deg: float) -> RepResult:
    """A rep over samples start..end peaking at peak_deg (only what the rest check reads matters)."""
    return RepResult(index=1, side=Side.RIGHT, start_frame=start, peak_frame=(start + end) // 2, end_frame=end, start_s=0.0,
                     peak_s=0.0, end_s=0.0, tibial_inclination_deg=peak_deg, ankle_dorsiflexion_deg=peak_deg,
                     landmark_inclination_deg=peak_deg, knee_past_toe_px=0.0, heel_lift_ratio=0.0, heel_lift_mm_approx=0.0,
                     heel_lifted=False, valid=True, invalid_reasons=(), confidence=1.0)


def test_a_rest_reference_read_with_the_shin_already_deep_is_a_rep_found_late() -> None:
    incl = np.concatenate([np.full(10, 5.0), np.linspace(5, 45, 15), np.full(10, 45.0), np.linspace(45, 5, 15), np.full(10, 5.0)])
    assert not _rest_under_way(_rep(10, 50, 45.0), incl, np.arange(6, 11))  # rest before the shin moves: fine
    late = incl.copy()
    late[33:36] = 6.0  # a landmark glitch reads the shin upright for 3 samples in the hold, and a rep is found from it
    assert _rest_under_way(_rep(35, 50, 45.0), late, np.arange(31, 36))  # some rest sample is deep in the rep


def test_a_rep_with_no_foot_seen_before_it_is_read_against_the_flat_foot_after_it() -> None:
    """Heel sweep h021 rep 1: no landmarks before the rep (the clip starts as the shin tilts); the foot stands still after it."""
    n = 70
    heel, toe = np.tile([300.0, 400.0], (n, 1)), np.tile([350.0, 402.0], (n, 1))
    heel[:10], toe[:10] = np.nan, np.nan
    boxes = heel_boxes([_rep(10, 40, 40.0)], {"heel": heel, "toe": toe}, n)
    assert set(range(10, 41)) <= set(boxes) and set(range(41, 46)) <= set(boxes)  # the rep and the still foot after it
    assert len({boxes[i] for i in range(10, 46)}) == 1  # one box: the rep's frames compare with the reference's


def _sole_cols() -> SoleColumns:
    """A 100 px foot facing right: heel zone x 105-125, forefoot 170-190, the sole at row 200."""
    return SoleColumns(np.arange(105, 126), 200.0, np.arange(170, 191), 200.0, 100.0)


def test_a_sheet_over_the_forefoot_leaves_the_heel_read_alone() -> None:
    sheet = (140.0, 215.0, 140.0, 150.0, 260.0, 150.0, 260.0, 215.0)  # front-bottom, front-top, back-top, back-bottom
    sole, fore_clear = clear_of_sheet(_sole_cols(), sheet)
    assert sole is not None and np.array_equal(sole.heel_x, np.arange(105, 126))
    assert not fore_clear


def test_a_sheet_over_the_heel_hides_it_and_its_outline_keeps_a_margin() -> None:
    over = (100.0, 215.0, 100.0, 150.0, 260.0, 150.0, 260.0, 215.0)
    assert clear_of_sheet(_sole_cols(), over)[0] is None
    beside = (121.0, 215.0, 121.0, 150.0, 260.0, 150.0, 260.0, 215.0)  # 4 px into the zone: 7 px of margin
    sole, _ = clear_of_sheet(_sole_cols(), beside)
    assert sole is not None and sole.heel_x.max() < 121 - 5


def test_no_sheet_or_one_far_above_the_sole_changes_nothing() -> None:
    high = (100.0, 60.0, 100.0, 10.0, 260.0, 10.0, 260.0, 60.0)
    for sheet in (None, high):
        sole, fore_clear = clear_of_sheet(_sole_cols(), sheet)
        assert sole is not None and np.array_equal(sole.heel_x, _sole_cols().heel_x) and fore_clear


def test_a_sheet_meeting_the_floor_above_the_sole_stands_beyond_the_foot() -> None:
    """random_v13 r007: a sheet on the foot's far side overlaps its landmarks, its floor line 7-15 px above the sole."""
    beyond = (100.0, 190.0, 100.0, 120.0, 260.0, 120.0, 260.0, 190.0)  # front-bottom, front-top, back-top, back-bottom
    assert sheet_beyond_sole(beyond, _sole_cols())
    before = (100.0, 206.0, 100.0, 140.0, 260.0, 140.0, 260.0, 206.0)  # meets the floor below the sole: nearer the camera
    level = (100.0, 198.0, 100.0, 130.0, 260.0, 130.0, 260.0, 198.0)  # within the margin: not known to stand beyond
    tilted = (100.0, 190.0, 100.0, 120.0, 260.0, 120.0, 260.0, 210.0)  # above the heel, below the forefoot
    for sheet in (before, level, tilted, None):
        assert not sheet_beyond_sole(sheet, _sole_cols())
    assert not sheet_beyond_sole(beyond, None)  # no whole sole seen: nothing to compare with


def _outline_series(bottom_y: np.ndarray, cols: np.ndarray, n: int) -> PoseSeries:
    """A series whose person outline has this lowest y per column in every one of n frames (all the sole reads)."""
    return cast(PoseSeries, SimpleNamespace(has_mask=True, mask_cols_x=cols, mask_bottom_y=np.tile(bottom_y, (n, 1))))


def test_a_foot_whose_forefoot_the_other_foot_cuts_from_the_outline_is_read_from_its_heel_side() -> None:
    """random_v9 r015 rep 2: the near foot's sole, lower in the picture, overlaps the far foot's forefoot; the outline's
    lowest point under the far foot is the near foot's, so no sole was found and a 20 mm lift went unchecked."""
    n, cols = 5, np.arange(0, 300, 1.0)
    base = np.full(cols.size, np.nan)
    base[(cols >= 100) & (cols < 140)] = 200.0  # the far heel's floor contact
    base[(cols >= 140) & (cols < 160)] = 185.0  # the outline rises between the feet
    base[(cols >= 160) & (cols <= 220)] = 215.0  # the near foot's sole, lower in the picture
    front = {"heel": np.tile([104.0, 190.0], (n, 1)), "toe": np.tile([200.0, 192.0], (n, 1)),
             "knee": np.tile([100.0, 40.0], (n, 1)), "ankle": np.tile([100.0, 190.0], (n, 1))}
    sole, cut = reference_sole(_outline_series(base, cols, n), front, 1, np.arange(n), None)
    assert cut and sole is not None and sole.heel_y == 200.0 and 100 <= sole.heel_x.min() and sole.heel_x.max() < 140
    whole = base.copy()
    whole[(cols >= 140) & (cols <= 200)] = 200.0  # the same foot seen whole: its sole, forefoot and all
    sole, cut = reference_sole(_outline_series(whole, cols, n), front, 1, np.arange(n), None)
    assert not cut and sole is not None and sole.fore_x.size


def test_the_sole_beside_a_sheet_is_followed_back_from_the_heel() -> None:
    cols = np.arange(0, 300, 2.0)
    base = np.full(cols.size, np.nan)
    base[(cols >= 100) & (cols <= 130)] = 200.0  # the heel's floor contact
    base[(cols > 130) & (cols <= 220)] = 150.0  # the sheet cuts the outline over the forefoot
    sole = heel_side_sole(base, cols, 104.0, 1, 100.0)
    assert sole is not None and sole.length_px == 100.0
    assert np.nanmin(sole.u) == 0.0 and cols[np.nanargmin(sole.u)] == 100.0
    assert heel_side_sole(base, cols, 104.0, 1, 0.0) is None


def test_a_heel_not_judged_gives_no_dorsiflexion_but_keeps_the_shin_angle() -> None:
    """random_v1 r013 rep 2: a 20 mm lift not checked read its dorsiflexion as the inclination (7.3 deg for a true 2.3)."""
    rep, trace = _not_judged(_rep(10, 50, 30.0), HeelSource.UNREAD, EDGE_NOT_AT_PEAK)
    assert np.isnan(rep.ankle_dorsiflexion_deg) and rep.tibial_inclination_deg == 30.0
    assert rep.valid and rep.judged_heel_lifted is None and not trace.lifted.any()


def test_a_hold_too_short_to_see_the_heel_refuses_the_rep_where_a_picture_too_poor_does_not() -> None:
    """random_v16 r013 rep 2: a 2-sample hold (the reading peaked, the landmarks on the back leg) led the leg at +6.5 deg
    with a 15 mm lift unseen; a heel the picture cannot show (a small foot) still counts with its warning."""
    short, _ = _not_judged(_rep(10, 50, 64.0), HeelSource.UNREAD, HOLD_TOO_SHORT)
    assert not short.valid and short.invalid_reasons == (f"{HEEL_UNCHECKED} ({HOLD_TOO_SHORT})",)
    assert short.tibial_inclination_deg == 64.0 and short.heel_unread_reason == HOLD_TOO_SHORT
    small, _ = _not_judged(_rep(10, 50, 64.0), HeelSource.UNREAD, "the foot is 18 px long in the picture")
    assert small.valid and small.invalid_reasons == ()


def test_the_best_rep_is_one_whose_heel_was_seen_down_when_any_is() -> None:
    """A heel that lifted unseen adds its pitch to the angle: the largest angle must not pick the rep not checked."""
    checked = replace(_rep(10, 50, 30.0), index=1, heel_lift_source=HeelSource.IMAGE)
    unchecked = replace(_rep(60, 100, 36.0), index=2, heel_lift_source=HeelSource.UNREAD)
    hidden = replace(_rep(110, 150, 38.0), index=3, heel_lift_source=HeelSource.HIDDEN)
    assert best_valid_rep([checked, unchecked, hidden]) == checked
    assert best_valid_rep([unchecked, hidden]) == hidden  # none checked: the largest, as before (its warning says so)
    assert best_valid_rep([]) is None
    leg = summarise_leg(Side.RIGHT, [checked, unchecked])
    assert leg.best_rep == 1 and leg.reps_valid == 2


def test_a_foot_whose_points_draw_together_before_a_rep_keeps_a_box_deep_enough_for_its_sole() -> None:
    """Random_v5 r010 rep 2: the toe's landmark drawn in behind a sheet (17 px for a 31 px sole) cut the box 3 px below
    the sole, inside the search for its edge: a 20 mm lift went "hidden". The box's margins come from the clip's foot."""
    n = 70
    heel, toe = np.tile([300.0, 400.0], (n, 1)), np.tile([330.0, 402.0], (n, 1))
    heel_in = heel.copy()
    heel_in[:20, 0] = 318.0  # before the rep the two points draw together to 12 px
    tall = heel_boxes([_rep(10, 40, 40.0)], {"heel": heel, "toe": toe}, n)[10]
    short = heel_boxes([_rep(10, 40, 40.0)], {"heel": heel_in, "toe": toe}, n)[10]
    assert short[3] - 402 >= 0.6 * 30 - 1 and short[3] == tall[3]  # as far below the foot as the clip's 30 px foot gives


def _late_rep(rise_from: int, rise_to: int, shin_after: float) -> tuple[np.ndarray, np.ndarray]:
    """A rep of 30 samples, its hold at samples 8-13 (the shin 10 deg, from -4 at the start): the heel reads 8 % of the foot
    from rise_from to rise_to (0 elsewhere) and the shin shin_after from the hold's end on."""
    ratio = np.zeros(30)
    ratio[rise_from:rise_to + 1] = 0.08
    incl = np.concatenate([np.linspace(-4.0, 9.0, 8), np.full(6, 10.0), np.full(16, shin_after)])
    return ratio, incl


def test_a_heel_that_rose_as_the_hold_ended_and_stayed_up_at_the_wall_reads_lifted() -> None:
    """random_v11 r017 rep 2: the far shin read 9.3 deg for 21.1, its hold came before the heel lifted, and the hold's
    median read a 25 mm lift "down" while 13 samples from the hold's end on read 8 %."""
    thr = DEFAULT_EDGE_LIFT_RATIO
    ratio, incl = _late_rep(12, 24, 7.0)
    assert float(np.median(ratio[8:14])) < thr  # the hold alone reads it down
    assert late_lift_ratio(ratio, incl, 8, 13, thr, 10.0) == pytest.approx(0.08)


def test_a_rise_after_the_hold_or_once_the_shin_left_the_wall_or_shorter_than_the_hold_is_not_a_late_lift() -> None:
    thr = DEFAULT_EDGE_LIFT_RATIO
    assert late_lift_ratio(*_late_rep(15, 24, 7.0), 8, 13, thr, 10.0) is None  # began after the hold: the foot stepping out
    assert late_lift_ratio(*_late_rep(12, 24, 1.0), 8, 13, thr, 10.0) is None  # the shin back below half its excursion
    assert late_lift_ratio(*_late_rep(12, 16, 7.0), 8, 13, thr, 10.0) is None  # up for 5 samples: under the hold's 6
    assert late_lift_ratio(*_late_rep(12, 19, 7.0), 8, 13, thr, 10.0) == pytest.approx(0.08)  # up for 8: a lift


def _early_rep(rise_from: int, rise_to: int, shin_before: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A rep of 30 samples, its hold at samples 16-20 (the shin 12 deg, from -4 at the start, shin_before from sample 6 to
    the hold): the heel reads 10 % of the foot from rise_from to rise_to (0 elsewhere), every sample read."""
    ratio = np.zeros(30)
    ratio[rise_from:rise_to + 1] = 0.10
    incl = np.concatenate([np.linspace(-4.0, 8.0, 6), np.full(10, shin_before), np.full(5, 12.0), np.linspace(10.0, -4.0, 9)])
    return ratio, np.ones(30, bool), incl


def test_a_heel_held_up_at_the_wall_that_came_down_as_the_hold_began_reads_lifted() -> None:
    """random_v17 r002 rep 1: the heel read 10-11 % over 16 samples at the wall, the shin's peak came as it landed, and the
    5-sample hold's median read a 25 mm lift "down" (1.0 %)."""
    ratio, read, incl = _early_rep(6, 16, 10.0)
    assert float(np.median(ratio[16:21])) < THRESHOLD  # the hold alone reads it down
    got = early_lift(ratio, read, incl, 16, 20, THRESHOLD, 12.0)
    assert got is not None and got[0] == pytest.approx(0.10) and (got[1], got[2]) == (6, 16)


def test_a_lift_before_the_hold_that_ended_before_it_away_from_the_wall_or_shorter_than_the_hold_is_not_read() -> None:
    assert early_lift(*_early_rep(6, 15, 10.0), 16, 20, THRESHOLD, 12.0) is None  # down before the hold began
    assert early_lift(*_early_rep(6, 16, 3.0), 16, 20, THRESHOLD, 12.0) is None  # the shin under half its excursion
    assert early_lift(*_early_rep(13, 16, 10.0), 16, 20, THRESHOLD, 12.0) is None  # up for 4 samples: under the hold's 5
    assert early_lift(*_early_rep(12, 16, 10.0), 16, 20, THRESHOLD, 12.0) is not None  # up for 5: a lift
    assert early_lift(*_early_rep(6, 25, 10.0), 16, 20, THRESHOLD, 12.0) is None  # up through the hold: the hold reads it
    ratio, read, incl = _early_rep(6, 16, 10.0)
    read[:] = False  # the rolling median carried a reading the edge itself never gave
    read[16:18] = True
    assert early_lift(ratio, read, incl, 16, 20, THRESHOLD, 12.0) is None


def _short_hold_rep(rise_from: int, rise_to: int, shin_at_rise: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A rep of 30 samples whose "hold" is samples 14-15 (the shin read jumping to 60 deg there, 40 around it, from -2 at
    the start): the heel reads 5 % of the foot from rise_from to rise_to (0 elsewhere), every sample read."""
    ratio = np.zeros(30)
    ratio[rise_from:rise_to + 1] = 0.05
    incl = np.concatenate([np.linspace(-2.0, 38.0, 8), np.full(6, shin_at_rise), np.full(2, 60.0), np.full(6, shin_at_rise),
                           np.linspace(38.0, -2.0, 8)])
    return ratio, np.ones(30, bool), incl


def test_a_hold_too_short_to_judge_inside_a_lift_seen_through_it_reads_lifted() -> None:
    """random_v16 r013 rep 2: a shin read jumping to 64 deg left a 2-sample hold inside 8 samples read 5 % up (15 mm)."""
    ratio, read, incl = _short_hold_rep(8, 18, 40.0)
    got = short_hold_lift(ratio, read, incl, 14, 15, THRESHOLD, 60.0)
    assert got is not None and got[0] == pytest.approx(0.05) and (got[1], got[2]) == (8, 18)


def test_a_short_hold_not_inside_a_lift_or_away_from_the_wall_is_not_read() -> None:
    assert short_hold_lift(*_short_hold_rep(15, 20, 40.0), 14, 15, THRESHOLD, 60.0) is None  # the lift began after the hold's start
    assert short_hold_lift(*_short_hold_rep(10, 15, 40.0), 14, 15, THRESHOLD, 60.0) is not None  # ends with the hold: seen through it
    assert short_hold_lift(*_short_hold_rep(14, 15, 40.0), 14, 15, THRESHOLD, 60.0) is None  # 2 samples up: too short
    assert short_hold_lift(*_short_hold_rep(8, 18, 20.0), 14, 15, THRESHOLD, 60.0) is None  # the shin under half its excursion
    ratio, read, incl = _short_hold_rep(8, 18, 40.0)
    read[8:19] = False  # the rolling median carried the lift, the edge itself read only in the hold
    read[14:16] = True
    assert short_hold_lift(ratio, read, incl, 14, 15, THRESHOLD, 60.0) is None
    assert short_hold_lift(np.zeros(30), *_short_hold_rep(8, 18, 40.0)[1:], 14, 15, THRESHOLD, 60.0) is None  # read down: no verdict


def test_a_grey_reading_below_the_flat_foot_is_read_again_in_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """random_v17 r013 (a far bare heel, dim, under the near leg's shadow): grey followed the contact shadow's border, reading
    20 mm lifts -1.5 to -2.2 % (below_rest_reason: not checked). Colour, which tells the heel from the shadow, is asked there
    as after a "down": a lift it sees is the verdict (rep 1's 8.15 %), else grey's "not checked" stands, not a "down"."""
    rep = _rep(10, 50, 40.0)
    grey = _not_judged(rep, HeelSource.UNREAD, BELOW_REST)
    colour_lift = (replace(rep, heel_lifted=True, heel_lift_source=HeelSource.IMAGE, heel_read_ratio=0.0815), grey[1])
    colour_down = (replace(rep, heel_lifted=False, heel_lift_source=HeelSource.IMAGE, heel_read_ratio=0.001), grey[1])
    asked: list[bool] = []

    def crops(*args: object, **kw: object) -> dict[int, object]:
        asked.append(True)
        return {0: object()}

    monkeypatch.setattr(heel_reading, "_colour_crops", crops)
    for colour, expect in ((colour_lift, colour_lift[0]), (colour_down, grey[0])):
        monkeypatch.setattr(heel_reading, "heel_from_crops", lambda *a, colour_out=colour, **k: colour_out if k.get("colour") else grey)
        out = heel_reading.heel_from_image(rep, cast(PoseSeries, None), {}, 1, {}, THRESHOLD, 15.0, np.zeros(60))
        assert out[0] == expect
    assert len(asked) == 2
    # another reason grey could not read the heel (here: a foot too small) is not read again in colour
    small = _not_judged(rep, HeelSource.UNREAD, "the foot is 18 px long in the picture")
    monkeypatch.setattr(heel_reading, "heel_from_crops", lambda *a, **k: colour_lift if k.get("colour") else small)
    assert heel_reading.heel_from_image(rep, cast(PoseSeries, None), {}, 1, {}, THRESHOLD, 15.0, np.zeros(60))[0] == small[0]
    assert len(asked) == 2
