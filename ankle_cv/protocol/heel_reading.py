"""Each rep's heel read from the image's heel edge, frame by frame, where the foot crops and the sole allow it (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import cast

import numpy as np

from ankle_cv.enums import HeelSource
from ankle_cv.kinematics.fitted import (  # fitted: see fitted.py
    BELOW_REST_BANDS,
    BROADENED_MIN_PX,
    BROADENED_STEP_SHARE,
    HEEL_EDGE_UNCERTAINTY_PX,
    MAX_HOLD_STEP_RATIO,
    MAX_HOLD_STEP_RISE_FOOT,
    MAX_LIGHT_CHANGE_STEPS,
    MAX_SHADOWED_STEP_RATIO,
    MAX_UNDER_EDGE_BRIGHTENING_STEPS,
    MIN_HEEL_FOOT_PX,
    MIN_UNDER_EDGE_DARKENING_STEPS,
    SOLE_PER_LANDMARK_SHANK,
)
from ankle_cv.kinematics.heel import PIVOT_GAIN, RELEASE_FRACTION, SMOOTH_S, TYPICAL_FOOT_MM, heel_side_sole, rest_sole
from ankle_cv.kinematics.heel_colour import colour_crops, foot_colour_axis
from ankle_cv.kinematics.heel_edge import (
    MAX_DROP_FOOT,
    MAX_RISE_FOOT,
    MIN_COLUMNS,
    SEARCH_ABOVE_FOOT,
    SEARCH_BELOW_PX,
    FootCrop,
    SoleColumns,
    crops_for,
    edge_rise_trace_px,
    foot_box,
    sole_columns,
    still_after_frames,
    still_rest_frames,
)
from ankle_cv.kinematics.heel_edge_trust import EdgeConditions, edge_conditions
from ankle_cv.kinematics.signals import hysteresis, odd_window, rolling_median, runs
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import Analysis, RepResult
from ankle_cv.protocol.rep_checks import HEEL_REASON, heel_pitch_deg, heel_reason, rep_heel_state
from ankle_cv.scene.marker import NEARER_MARGIN_PX

SHEET_HIDES = "the marker sheet stands between the camera and the foot"
HEEL_UNCHECKED = "heel not checked"
NOT_STILL = "the foot did not stand still before the rep nor just after it: no flat-foot picture to compare with"  # in brackets
NO_SOLE = "the flat foot's sole was not found in the person's outline"
# Said of the reference, not the rep: on a small excursion after a step-in (random_v1 r046 rep 1, 0.56 of 10.7 deg) the rep is
# found right and its flat-foot picture taken past half of it.
UNDER_WAY = ("the flat-foot picture before the rep was taken with the shin already past half of the rep's excursion, where the "
             "heel may have lifted, and the foot was not seen standing still just after it")
REST_SHIN_SHARE = 0.5  # the rest reference must be read before the shin has gone this share of the way to the peak
TOO_CLOSE = ("the heel read just under the rise that counts as lifted, nearer to it than the picture can tell on a foot this small "
             "(film closer or at a higher resolution)")  # one wording for every such rep: the warnings group them
TOO_CLOSE_FADED = ("the heel read just under the rise that counts as lifted, nearer to it than the picture can tell where the "
                   "heel's edge faded in the hold (a shadow over the foot)")
FADED_LIFT = ("the heel read just over the rise that counts as lifted, nearer to it than the picture can tell where the "
              "heel's edge faded in the hold (its step under half as strong as the flat foot's)")
LIGHT_CHANGED = ("the light on the foot changed between the flat-foot picture and the hold by far more than the heel's "
                 "edge stands out from the floor (a faint edge, e.g. a light shoe on a light floor)")
UNDER_BRIGHTENED = ("the floor just under the heel brightened in the hold, as under a heel that lifts off its shadow, while "
                    "its edge read still: the picture disagrees with itself")
OTHER_EDGE = ("the edge read under the heel in the hold is a much stronger step than the flat foot's, far above it: another "
              "edge of the foot or shoe (as where a faint sole line fades as the shin tilts), so the picture does not show the "
              "heel lifted")
SHADOWED = ("a shadow fell over the heel in the hold (the floor under it darkened by more than the heel's edge stands out) "
            "and the edge read there is under half as strong as the flat foot's: the picture does not show the heel lifted")
SHADOW_EDGE = ("a shadow fell over the heel in the hold (the floor under it darkened by more than the heel's edge stands out) "
               "and the edge read there lies farther above the flat foot's than a heel lifts in this test: the shadow's edge, "
               "not the heel's")
SHADOW_BORDER = ("a shadow fell under the heel in the hold (the floor under it darkened by more than the heel's edge stands "
                 "out) and the step read there is far stronger than the flat foot's edge: the shadow's border on the floor, "
                 "not the heel's edge as it stood")
FAR_COLOUR_EDGE = ("the heel's edge read in colour in the hold lies farther above the flat foot's than a heel lifts in this "
                   "test: another boundary of the same colours (a loose hem's, a fold's), not the heel's")
BELOW_REST = ("the heel's edge was read below the flat foot's, by more than the picture places it: the edge followed is not "
              "the heel's (e.g. a shadow's border on the floor), so the picture does not show whether the heel lifted")
BROADENED = ("the heel's edge broadened upward in the hold while its steepest part stayed where the flat foot's was (the "
             "light on the heel's underside changed, e.g. the leg's shadow left it): the picture does not show the heel lifted")
HIDDEN_MARGIN_FOOT = 0.3  # a sheet's outline this close to the foot (foot lengths) may hide or mimic its edges
SHEET_CLEAR_FOOT = 0.05  # ... so the heel is read only on columns this far (foot lengths) from the sheet's outline
SHEET_CLEAR_PX = 2.0  # ... plus the outline's blur (px); neither fitted: a margin, not a measurement
LIFT_TO_CATCH_MM = 8.0  # issue 22: lifts from 8 mm must be caught
MIN_HOLD_READINGS = 3  # image heel readings in the hold that suffice when other frames of the rep are unreadable
MIN_HOLD_SHARE = 0.3  # ... and the share of the hold's samples that must be read for a verdict
# A heel read lifted from within the hold to past its end counts while the shin stays above this share of the rep's
# excursion (late_lift_ratio). Not fitted: the rest reference's own limit (REST_SHIN_SHARE), the shin still near the wall.
LATE_LIFT_SHIN_SHARE = REST_SHIN_SHARE
EDGE_NOT_AT_PEAK = "the heel's edge was not found in the image at the peak"
HOLD_TOO_SHORT = (f"the rep's hold lasts under {MIN_HOLD_READINGS} samples in the video (e.g. the leg lost at its peak): too "
                  "short to see whether the heel lifted in it")


@dataclass(frozen=True)
class RepHeel:
    """One rep's per-frame heel reading (frames start..end): rise (fraction of foot length), heel-up state."""

    start: int
    rise_ratio: np.ndarray
    lifted: np.ndarray


def _rest_sole(
    series: PoseSeries, front: dict[str, np.ndarray], facing: int, rest: np.ndarray, beside_sheet: bool = False,
) -> SoleColumns | None:
    """The flat foot's sole columns (heel and forefoot zones) from the silhouette of the rest frames; beside a sheet, from
    the heel's side alone (kinematics/heel.heel_side_sole).

    A sheet beside the foot cuts its outline and hides its toe: the whole sole is then not found, or found short (random
    renders' side_near sheets: 0.34-0.45 of the landmark shank against 0.52-0.74 elsewhere), and the toe's landmark strays.
    """
    if not series.has_mask:
        return None
    cols = np.asarray(series.mask_cols_x, float)
    ends, base, sole = rest_sole(front["heel"], front["toe"], facing, rest, cast(np.ndarray, series.mask_bottom_y), cols, own_floor=True)
    if beside_sheet:  # the sole's length from the shank's
        sole = None
        shank = float(np.linalg.norm(np.nanmedian(front["knee"][rest], axis=0) - np.nanmedian(front["ankle"][rest], axis=0)))
        if np.isfinite(ends[0, 0]) and shank > 0:
            sole = heel_side_sole(base, cols, float(ends[0, 0]), facing, SOLE_PER_LANDMARK_SHANK * shank)
    return sole_columns(sole.u, base, cols, sole.length_px, need_fore=not beside_sheet) if sole is not None else None


def sheet_beyond_sole(cover: tuple[float, ...] | None, sole: SoleColumns | None) -> bool:
    """The sheet stands beyond the foot (farther from the camera), so it hides none of it: its floor line (the outline's
    bottom edge, front-bottom to back-bottom) lies above the flat foot's sole, seen whole in the person's outline, by more
    than NEARER_MARGIN_PX at both the heel zone and the forefoot.

    On a floor seen from above what stands farther meets the floor higher in the image. The sheet is taken to stand before
    the foot when it overlaps the heel or toe *landmarks* (scene/marker.sheet_covers_foot), which sit up to ~0.45 foot above
    the sole: a sheet beyond the foot overlaps them too (random_v13 r007, a near foot with the sheet on its far side: the
    sheet's floor line 7-15 px above the sole, a 20 mm lift "hidden"; random_v12 r002 5 px, random_v11 r009 7-16 px), while
    sheets before the foot meet the floor 4.5-22 px *below* the sole where it is found whole (random_v9 r007, random_v10 r016).
    """
    if cover is None or sole is None or not sole.fore_x.size:
        return False
    a, b = (np.asarray(cover, float).reshape(4, 2)[k] for k in (0, 3))
    if a[0] == b[0]:
        return False
    for xs, y in ((sole.heel_x, sole.heel_y), (sole.fore_x, sole.fore_y)):
        x = float(np.median(xs))
        floor_y = a[1] + (x - a[0]) / (b[0] - a[0]) * (b[1] - a[1])
        if not floor_y < y - NEARER_MARGIN_PX:
            return False
    return True


def sheet_near_foot(
    series: PoseSeries, front: dict[str, np.ndarray], facing: int, frames: np.ndarray, cover: tuple[float, ...] | None,
) -> bool:
    """Whether a marker sheet may hide or mimic the front foot's edges in these flat-foot frames: its outline reaches the
    foot's box (hidden_foot_parts) and it does not stand beyond the sole (sheet_beyond_sole)."""
    if not (frames.size and hidden_foot_parts(front, frames, cover)):
        return False
    return not sheet_beyond_sole(cover, _rest_sole(series, front, facing, frames))


def heel_check_boxes(analysis: Analysis, series: PoseSeries) -> dict[int, tuple[int, int, int, int]]:
    """Frames (sample index -> image box around the front foot) whose crops let each rep's heel be read from the image."""
    return heel_boxes(analysis.reps, analysis.front_xy, series.n_frames)


def heel_boxes(reps: Sequence[RepResult], front: Mapping[str, np.ndarray], n: int) -> dict[int, tuple[int, int, int, int]]:
    """heel_check_boxes from the reps and the front leg's points.

    The rest just before the rep and every frame of the rep: the per-frame trace and the verdict come from the same reading.
    """
    boxes: dict[int, tuple[int, int, int, int]] = {}
    _, clip_foot_px = _foot_centre(front, n)
    for r in reps:
        rest, after = reference_frames(r, front, n)
        box = next((b for b in (_box_of(front, ref, clip_foot_px) for ref in (rest, after)) if b is not None), None)
        if box is not None:  # a later rep's frames keep its own box: its reference comes before it
            boxes.update({int(i): box for i in np.concatenate([rest, np.arange(r.start_frame, r.end_frame + 1), after])})
    return boxes


def _foot_centre(front: Mapping[str, np.ndarray], n: int) -> tuple[np.ndarray, float]:
    """The front foot's centre per sample and its median length (px)."""
    heel, toe = np.asarray(front["heel"], float)[:n], np.asarray(front["toe"], float)[:n]
    foot_px = float(np.nanmedian(np.linalg.norm(toe - heel, axis=1))) if np.isfinite(heel).any() else float("nan")
    return 0.5 * (heel + toe), foot_px


def _box_of(front: Mapping[str, np.ndarray], frames: np.ndarray, clip_foot_px: float = 0.0) -> tuple[int, int, int, int] | None:
    """The image box around the front foot where it stands in these frames (None: no frames or no foot in them), its
    margins from a foot no shorter than the clip's median (clip_foot_px).

    Random_v5 r010 rep 2: the toe's landmark drawn towards the heel behind a sheet made the foot 17 px for a 31 px sole,
    and the box ended 3 px below the sole's edge, inside the search for it: a 20 mm lift "hidden" (reps 1 and 3 read).
    """
    heel, toe = np.asarray(front["heel"], float)[frames], np.asarray(front["toe"], float)[frames]
    if not (np.isfinite(heel).any(axis=0).all() and np.isfinite(toe).any(axis=0).all()):
        return None
    return foot_box(np.nanmedian(heel, axis=0), np.nanmedian(toe, axis=0), clip_foot_px)


def reference_frames(rep: RepResult, front: Mapping[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """The rep's flat-foot reference samples: just before it starts, where the foot already stands still, and just after
    it, for a rep with none before it (heel_edge.still_rest_frames, still_after_frames)."""
    centre, foot_px = _foot_centre(front, n)
    return (still_rest_frames(rep.start_frame, rep.peak_frame, rep.end_frame, centre, foot_px),
            still_after_frames(rep.start_frame, rep.end_frame, centre, foot_px))


def hidden_foot_parts(front: dict[str, np.ndarray], frames: np.ndarray, cover: tuple[float, ...] | None) -> tuple[str, ...]:
    """The front foot's parts a sheet standing before it may hide: both, when its outline reaches the foot's box.

    A sheet nearer the camera than the foot cuts the foot's outline and puts its own edges beside the heel's
    (renders: a 'near' card beside the foot made a heel that never moved read 25 mm and 19 cm), so the heel is then
    read only from its side of the sole and on columns clear of the sheet (clear_of_sheet), or not at all.
    """
    if cover is None:
        return ()
    heel, toe = np.nanmedian(front["heel"][frames], axis=0), np.nanmedian(front["toe"][frames], axis=0)
    if not (np.all(np.isfinite(heel)) and np.all(np.isfinite(toe))):
        return ()
    foot = float(np.linalg.norm(toe - heel))
    lo = np.minimum(heel, toe) - [HIDDEN_MARGIN_FOOT * foot, 0.5 * foot]
    hi = np.maximum(heel, toe) + HIDDEN_MARGIN_FOOT * foot
    poly = np.asarray(cover, float).reshape(-1, 2)
    box_lo, box_hi = poly.min(axis=0), poly.max(axis=0)
    if np.any(box_hi < lo) or np.any(box_lo > hi):
        return ()
    return ("heel", "toe")


def clear_of_sheet(sole: SoleColumns, cover: tuple[float, ...] | None) -> tuple[SoleColumns | None, bool]:
    """The sole's heel columns the sheet's outline stays clear of (None: too few to read), and whether the forefoot's are.

    A sheet standing on the camera's side of the foot usually covers its forefoot and ankle, not the back of the heel
    (random renders' "side_near" sheets: the truth's hidden joints are the toe tip, the ball and the ankle in every
    one of 24 reps, the heel in none; random_v1 r064's 15 mm lifts were not checked for it). The heel is read on the
    columns SHEET_CLEAR_FOOT of a foot away from the sheet's outline over the height the edge is searched in, against
    its rest place alone where the forefoot is covered (no cancelling of shake); a heel under the sheet stays hidden.
    """
    if cover is None:
        return sole, True
    poly = np.asarray(cover, float).reshape(-1, 2)
    margin = SHEET_CLEAR_FOOT * sole.foot_px + SHEET_CLEAR_PX
    top = min(sole.heel_y, sole.fore_y) - (SEARCH_ABOVE_FOOT + MAX_RISE_FOOT) * sole.foot_px - margin
    bottom = max(sole.heel_y, sole.fore_y) + SEARCH_BELOW_PX + margin
    if poly[:, 1].max() < top or poly[:, 1].min() > bottom:
        return sole, True
    lo, hi = poly[:, 0].min() - margin, poly[:, 0].max() + margin
    heel_x = sole.heel_x[(sole.heel_x < lo) | (sole.heel_x > hi)]
    fore_clear = sole.fore_x.size >= MIN_COLUMNS and bool(np.all((sole.fore_x < lo) | (sole.fore_x > hi)))
    if heel_x.size < MIN_COLUMNS:
        return None, fore_clear
    return replace(sole, heel_x=heel_x), fore_clear


def reference_sole(
    series: PoseSeries, front: dict[str, np.ndarray], facing: int, frames: np.ndarray, sheet: tuple[float, ...] | None,
) -> tuple[SoleColumns | None, bool]:
    """The flat foot's sole in these frames' outline and whether it was taken from the heel's side alone, its forefoot cut.

    Beside a sheet the sole is always followed from the heel's side (_rest_sole). Elsewhere, where no whole sole is found,
    something nearer the camera may cut the foot's outline as a sheet does: the other foot (random_v9 r015 rep 2,
    random_v10 r011 rep 3: a far foot whose forefoot the near foot's sole overlaps, so the outline's lowest point under
    it, its "own floor", is the near foot's) or a sheet not found (random_v13 r002). Its heel is then read as beside a
    sheet: from the heel's side, the sole's length from the shank's, the heel zone alone (no forefoot to cancel shake).
    """
    whole = _rest_sole(series, front, facing, frames, sheet is not None)
    if whole is not None or sheet is not None:
        return whole, False
    cut = _rest_sole(series, front, facing, frames, True)
    return cut, cut is not None


def _rest_under_way(rep: RepResult, incl: np.ndarray, rest: np.ndarray) -> bool:
    """Some rest sample has the shin already past REST_SHIN_SHARE of the rep's excursion: the rep was found late.

    Heel sweep h008 rep 3 and h021 rep 3: the rep was found starting in its hold (h008: at a 3-sample landmark glitch
    that read the shin upright), so the "flat foot" compared with was the heel already 19-25 mm up, and 20-25 mm lifts
    read 1.3 % and -0.3 %.
    """
    span = np.asarray(incl, float)[rep.start_frame:rep.end_frame + 1]
    at_rest = np.asarray(incl, float)[rest]
    if not (np.isfinite(span).any() and np.isfinite(at_rest).any()):
        return False
    low, peak = float(np.nanmin(span)), float(rep.tibial_inclination_deg)
    return bool(np.isfinite(peak) and peak > low and float(np.nanmax(at_rest)) - low > REST_SHIN_SHARE * (peak - low))


def _reference(
    rep: RepResult, series: PoseSeries, front: dict[str, np.ndarray], facing: int, crops: Mapping[int, FootCrop], incl: np.ndarray,
    frames: np.ndarray, sheet: tuple[float, ...] | None = None,
) -> tuple[list[FootCrop], SoleColumns, np.ndarray, bool] | str:
    """The flat-foot reference read from these frames (crops, sole columns clear of a sheet beside the foot, their own
    edge reading, whether the forefoot is read too), or why it cannot be."""
    rest_crops = crops_for(frames, crops)
    problem = NOT_STILL if not rest_crops else UNDER_WAY if _rest_under_way(rep, incl, frames) else NO_SOLE
    whole, cut = reference_sole(series, front, facing, frames, sheet) if problem == NO_SOLE else (None, False)
    if whole is None:
        return problem
    sole, use_forefoot = clear_of_sheet(whole, sheet)
    use_forefoot = use_forefoot and not cut
    if sole is None:
        return SHEET_HIDES
    # The rest frames read by the same rule as the rep's: the rest edge (the uppermost strong step) and the rep's (the
    # lowest of its sign) can be different steps of one sole, a constant offset that read flat heels as 2-3 % lifts
    # (random renders r002, r020, r030: the trace already "up" at the rep's first frame); it is taken off.
    base = edge_rise_trace_px(rest_crops, list(rest_crops), sole, use_forefoot)
    if not np.isfinite(base).any():
        return "the flat foot's edge could not be read before the rep"
    return rest_crops, sole, base, use_forefoot


def _not_judged(rep: RepResult, source: HeelSource, reason: str) -> tuple[RepResult, RepHeel]:
    """The rep with its heel not judged (hidden or unread): no rise, no heel verdict, no dorsiflexion (the foot's pitch
    unknown: the inclination would be it only if the heel stayed down; random_v1 r013 rep 2 read 7.3 deg so for a true
    2.3 deg under a 20 mm lift not checked), the shin's angle kept.

    A foot never seen standing flat and still before the rep leaves it unchecked and it does not count (a running clip's
    strides were refused only for their landmark-read heel lifts), nor does a rep whose hold lasts under MIN_HOLD_READINGS
    samples (HOLD_TOO_SHORT: the shin's reading peaked rather than held, so its heel was never seen at the depth it is
    measured at; at session 28's start random_v16 r013 rep 2, a both-legs clip's near leg whose landmarks went to the back
    leg at the peak, led its leg at +6.5 deg with a 15 mm lift unseen, and random_v14 r019 rep 1 read +9.7 deg: both are
    now read lifted through their short holds, short_hold_lift, and this refuses the short holds no lift is seen through);
    where the picture is what fails (dim, small, a sheet before the foot) the rep keeps its verdictless heel and counts,
    with the warning.
    """
    kept = tuple(x for x in rep.invalid_reasons if not x.startswith(HEEL_REASON))
    if reason in (NOT_STILL, NO_SOLE, UNDER_WAY, HOLD_TOO_SHORT):
        kept = (f"{HEEL_UNCHECKED} ({reason})", *kept)
    n = rep.end_frame - rep.start_frame + 1
    return (replace(rep, heel_lift_ratio=float("nan"), heel_lift_mm_approx=float("nan"), heel_lifted=False, valid=not kept,
                    invalid_reasons=kept, heel_lift_source=source, heel_unread_reason=reason,
                    ankle_dorsiflexion_deg=float("nan")),
            RepHeel(rep.start_frame, np.full(n, np.nan), np.zeros(n, bool)))


def too_small_reason(foot_px: float) -> str | None:
    """Why a foot this long in the picture is too small for its heel to be judged (None when it is not)."""
    if foot_px >= MIN_HEEL_FOOT_PX:
        return None
    lift_px = foot_px * LIFT_TO_CATCH_MM / TYPICAL_FOOT_MM
    return (f"the foot is {foot_px:.0f} px long in the picture: an {LIFT_TO_CATCH_MM:.0f} mm heel lift moves its edge "
            f"{lift_px:.1f} px, too little to tell from a heel that stays down (film closer or at a higher resolution)")


def hold_unread_reason(hold_ratio: np.ndarray, held_reads: int) -> str | None:
    """Why the hold's readings give no verdict (None when they do): a hold of fewer samples than MIN_HOLD_READINGS, or the
    edge itself read in too few of them.

    The edge must be read in the hold: the running median (hold_ratio) carries readings from before the lift into a hold
    where the edge was lost (random render r013: a far heel's 20 mm lift read -1 % from the frames before it). And a rep cut
    off at its peak (heel sweep h001 rep 3: the leg lost from the sample after the "peak", whose 2-sample "hold" came before
    the heel lifted) read its heel "down" from frames the lift had not reached: no hold, no verdict.
    """
    if hold_ratio.size < MIN_HOLD_READINGS:
        return HOLD_TOO_SHORT
    if not np.isfinite(hold_ratio).any() or held_reads < max(MIN_HOLD_READINGS, MIN_HOLD_SHARE * hold_ratio.size):
        return EDGE_NOT_AT_PEAK
    return None


def _lifted_at_wall(
    ratio: np.ndarray, incl: np.ndarray, h0: int, h1: int, threshold: float, peak_deg: float,
) -> np.ndarray | None:
    """Per sample, the heel read at or above threshold with the shin above LATE_LIFT_SHIN_SHARE of the rep's excursion (a
    shin unread does not end a run): what late_lift_ratio, early_lift and short_hold_lift look for runs in. None where the
    hold (h0..h1) is outside the readings or the shin was never read."""
    n = min(ratio.size, incl.size)
    if not (0 <= h0 <= h1 < n and np.isfinite(peak_deg)) or not np.isfinite(incl[:n]).any():
        return None
    low = float(np.nanmin(incl[:n]))
    high = low + LATE_LIFT_SHIN_SHARE * (peak_deg - low)
    return np.isfinite(ratio[:n]) & (ratio[:n] >= threshold) & ~(incl[:n] < high)


def late_lift_ratio(ratio: np.ndarray, incl: np.ndarray, h0: int, h1: int, threshold: float, peak_deg: float) -> float | None:
    """The heel's reading over a lift that began in the hold and outlasted it (None: no such lift): the median of the
    longest run of readings at or above threshold that starts in the hold (h0..h1, indices into the rep's ratio and incl),
    reaches its end and lasts at least as many samples as the hold (and MIN_HOLD_READINGS), the shin staying above
    LATE_LIFT_SHIN_SHARE of the rep's excursion throughout.

    The hold is where the shin reads within a band of its peak; a shin read wrong can put that peak before the heel lifts
    at the wall (random_v11 r017 rep 2: a far leg read 9.3 deg for 21.1, a 6-sample hold whose last 3 samples rose to
    5.7-7.7 % and 10 more stayed at 8.0 %; the hold's median, 0.4 %, read the 25 mm lift "down" in a valid rep).
    """
    up = _lifted_at_wall(ratio, incl, h0, h1, threshold, peak_deg)
    if up is None:
        return None
    # the one run through the hold's end, counted from the hold's start at the earliest
    run = next(((max(a, h0), b) for a, b in runs(up) if a <= h1 <= b), None)
    if run is None or run[1] - run[0] + 1 < max(h1 - h0 + 1, MIN_HOLD_READINGS):
        return None
    return float(np.median(ratio[run[0]:run[1] + 1]))


def _beside_hold(
    ratio: np.ndarray, read: np.ndarray, incl: np.ndarray, h0: int, h1: int, threshold: float, peak_deg: float, held_ratio: float,
) -> tuple[float, float | None, tuple[int, int] | None]:
    """A hold read down, read over a lift beside it: one that rose as the hold ended and stayed up at the wall
    (late_lift_ratio), else one held up at the wall that came down as the hold began (early_lift, read and judged over that
    lift's samples). The reading, the late lift's and the early lift's first and last index (None: none)."""
    late = late_lift_ratio(ratio, incl, h0, h1, threshold, peak_deg) if held_ratio < threshold else None
    held_ratio = late or held_ratio
    early = early_lift(ratio, read, incl, h0, h1, threshold, peak_deg) if held_ratio < threshold else None
    return (early[0], late, (early[1], early[2])) if early is not None else (held_ratio, late, None)


def early_lift(
    ratio: np.ndarray, read: np.ndarray, incl: np.ndarray, h0: int, h1: int, threshold: float, peak_deg: float,
) -> tuple[float, int, int] | None:
    """The heel's reading over a lift held at the wall that ended as the hold began (None: no such lift): the median of
    the run of readings at or above threshold that began before the hold (h0..h1, indices into the rep's ratio, read and
    incl) and reaches into it but not through it, counted up to the hold's end at the latest, lasting at least as many
    samples as the hold (and MIN_HOLD_READINGS) with the edge itself read (read) in MIN_HOLD_READINGS of them, the shin
    staying above LATE_LIFT_SHIN_SHARE of the rep's excursion throughout; and the run's first and last index.

    late_lift_ratio's mirror. The hold is where the shin reads within a band of its peak, and a heel lifted with the knee at
    the wall tilts the shin back (the foot pivots about the ball; renders with the wall closer than the shin can reach,
    "wall_conflict angle": 35.2 deg with the heel down, 32.5 with it 25 mm up), so the shin's peak can come just after the
    heel came down: random_v17 r002 rep 1 (a far shoe, dim, 57 px) read 10-11 % over 16 samples at the wall (the shin
    40-41 deg) and its 5-sample hold at 42.6 deg caught the heel landing: "down", 1.0 %.
    """
    up = _lifted_at_wall(ratio[:read.size], incl, h0, h1, threshold, peak_deg)
    if up is None:
        return None
    run = next(((a, min(b, h1)) for a, b in runs(up) if a < h0 <= b < h1), None)
    if run is None or run[1] - run[0] + 1 < max(h1 - h0 + 1, MIN_HOLD_READINGS) or int(read[run[0]:run[1] + 1].sum()) < MIN_HOLD_READINGS:
        return None
    return float(np.median(ratio[run[0]:run[1] + 1])), run[0], run[1]


def short_hold_lift(
    ratio: np.ndarray, read: np.ndarray, incl: np.ndarray, h0: int, h1: int, threshold: float, peak_deg: float,
) -> tuple[float, int, int] | None:
    """Over a hold too short to judge (under MIN_HOLD_READINGS samples), the heel's reading where it is seen lifted
    through it (None: not seen so): the median of the run of readings at or above threshold that covers the whole hold
    (h0..h1, indices into the rep's ratio, read and incl), lasts MIN_HOLD_READINGS samples with the edge itself read
    (read) in as many, the shin staying above LATE_LIFT_SHIN_SHARE of the rep's excursion; and the run's first and last
    index.

    Only a lift is read so: a short "hold" can come before the heel lifts (heel sweep h001 rep 3, the leg lost from the
    sample after its peak), so a heel read down over it stays not checked. random_v16 r013 rep 2: a near shin read
    jumping to 64 deg at its peak left a 2-sample hold inside 8 samples whose edge read 1.8-2.1 px up (a 15 mm lift,
    5 % of a 51 px foot): "not checked", the rep valid +6.5 deg off.
    """
    up = _lifted_at_wall(ratio[:read.size], incl, h0, h1, threshold, peak_deg)
    if up is None:
        return None
    run = next(((a, b) for a, b in runs(up) if a <= h0 and h1 <= b), None)
    if run is None or run[1] - run[0] + 1 < MIN_HOLD_READINGS or int(read[run[0]:run[1] + 1].sum()) < MIN_HOLD_READINGS:
        return None
    return float(np.median(ratio[run[0]:run[1] + 1])), run[0], run[1]


def _edge_band(foot_px: float, hold_step_ratio: float = 1.0) -> float:
    """The heel edge's uncertainty band as a share of the foot (HEEL_EDGE_UNCERTAINTY_PX through PIVOT_GAIN), widened by
    the inverse of a hold step weaker than the rest edge (never narrower): every "too near to tell" check reads this one."""
    weaker = hold_step_ratio if np.isfinite(hold_step_ratio) and 0.0 < hold_step_ratio < 1.0 else 1.0
    return HEEL_EDGE_UNCERTAINTY_PX * PIVOT_GAIN / foot_px / weaker


def below_rest_reason(held_ratio: float, foot_px: float, hold_step_ratio: float = 1.0) -> str | None:
    """Why a reading far *below* the flat foot's edge gives no verdict (None when it does): the hold's reading lies under
    zero by more than BELOW_REST_BANDS times the edge's uncertainty band (too_close_reason's, widened alike where the hold's
    step is weaker than the rest edge).

    A heel cannot sink into the floor, so a reading that far under its rest place is another edge followed, and its
    "down" says nothing of the heel. random_v17 r013 reps 2-3 (a far 100 px bare heel, dim, the floor under it 3 steps
    darker in the hold: the near leg's shadow): grey followed the contact shadow's border while the heel rose 20 mm and
    read -2.23 % / -1.49 % (5.5 / 3.7 bands under zero): "heel down", the reps valid. Every other rep read from the image
    on this machine's open sets (random_v16-v20, the hard kinds, roll_pairs26: 191 reps, 128 heels <= 2 mm) reads above
    -1.0 band, the real reference's flat heels above -1.7. Colour is still asked (heel_from_image): where it sees the heel
    lifted, that is the verdict.
    """
    band = _edge_band(foot_px, hold_step_ratio)
    return BELOW_REST if held_ratio <= -BELOW_REST_BANDS * band else None


def too_close_reason(held_ratio: float, threshold: float, foot_px: float, hold_step_ratio: float = 1.0) -> str | None:
    """Why a reading just under the threshold cannot be called "heel down" on a foot this small (None when it can).

    The image places the heel's edge to about HEEL_EDGE_UNCERTAINTY_PX whatever the foot's size, so on a small foot a
    reading that short of the threshold cannot rule out a lift (random renders: 10 mm lifts read 2.0 % of a 32 px foot);
    a missed lift would let the rep count, so such a heel is not checked rather than called down.

    That uncertainty was measured on edges as strong in the hold as at rest. A step's place is found to the noise over its
    slope, so where the step read in the hold is weaker than the flat foot's (hold_step_ratio < 1: a shadow over the foot)
    the band widens by its inverse: heel sweep h001 rep 3 (heel_sweep26; a far 42 px bare foot, dim, the leg's shadow over
    it in the hold, its step 0.62 as strong) read an 8 mm lift 1.28 %, under the plain band's 1.30-2.25 % (the threshold
    then 2.25 %): "down" in a valid rep. No other reading of random_v8-v14 or heel_sweep26 moves into the band by it. Never narrower.
    """
    if threshold - _edge_band(foot_px) <= held_ratio < threshold:
        return TOO_CLOSE
    return TOO_CLOSE_FADED if threshold - _edge_band(foot_px, hold_step_ratio) <= held_ratio < threshold else None


def untrusted_edge_reason(cond: EdgeConditions | None, held_ratio: float, threshold: float) -> str | None:
    """Why the heel edge's reading cannot be trusted, from how its surroundings changed rest to hold (None when it can).

    Each condition made a heel's verdict wrong on the randomised renders with nothing odd in the reading itself
    (kinematics/heel_edge_trust; limits in kinematics/fitted.py): a light change swamping a faint edge, (only against
    a "down" verdict) the floor under the heel brightening while its edge stays, and (only against a "lifted" verdict) the
    step read in the hold far stronger than the rest edge and far above it, or, with the floor under it darkened (a shadow
    fell over the heel), far weaker or far above it. The last: heel sweep h012 (heel_sweep26, fit split; a far 37 px bare
    foot at 640x360, bright light): the leg's shadow over the heel darkened the floor under its edge by 2.1-2.3 steps and
    the step read was 0.19 foot above the rest edge, 0.68-0.73 as strong (over MAX_SHADOWED_STEP_RATIO): a flat heel read
    as a 23 % lift. No lift >= 8 mm on the open sets reads a step that far up under a shadow (at most 0.093 foot, random_v9
    r002's 25 mm); the rise limit is OTHER_EDGE's (MAX_HOLD_STEP_RISE_FOOT, lifts on the fit split up to 0.107 foot).
    And under such a shadow a step read far *stronger* than the rest edge (MAX_HOLD_STEP_RATIO, OTHER_EDGE's bound) is the
    shadow's border on the darkened floor, however near the rest place: random_v14 r007 rep 1 (a far 31 px bare foot, dim,
    a faint 6-grey-level rest edge; the floor under it 1.5 steps darker, the step 1.7x as strong) read a flat heel as a
    3.3 % lift. Lifts >= 8 mm under a shadow on random_v8-v14 and heel_sweep26 read steps 0.56-1.02 as strong.
    """
    if cond is None or not cond.rest_step > 0:
        return None
    if abs(cond.light_change) >= MAX_LIGHT_CHANGE_STEPS * cond.rest_step:
        return LIGHT_CHANGED
    if held_ratio >= threshold and cond.hold_step_ratio >= MAX_HOLD_STEP_RATIO and cond.hold_step_rise_foot >= MAX_HOLD_STEP_RISE_FOOT:
        return OTHER_EDGE
    shadowed = cond.under_change <= -MIN_UNDER_EDGE_DARKENING_STEPS * cond.rest_step
    if held_ratio >= threshold and shadowed and cond.hold_step_ratio <= MAX_SHADOWED_STEP_RATIO:
        return SHADOWED
    if held_ratio >= threshold and shadowed and cond.hold_step_rise_foot >= MAX_HOLD_STEP_RISE_FOOT:
        return SHADOW_EDGE
    if held_ratio >= threshold and shadowed and cond.hold_step_ratio >= MAX_HOLD_STEP_RATIO:
        return SHADOW_BORDER
    if held_ratio < threshold and cond.under_change >= MAX_UNDER_EDGE_BRIGHTENING_STEPS * cond.rest_step:
        return UNDER_BRIGHTENED
    return None


def shadowed_step_lift(cond: EdgeConditions | None, threshold: float, foot_px: float) -> float | None:
    """Under a shadow that made untrusted_edge_reason refuse a "lifted" reading (SHADOWED: the floor under the heel darkened,
    the step read in the hold under half the flat foot's), the heel's reading from that step's steepest row where the step
    itself rose by a lift: clear of the threshold by the edge's uncertainty widened for the weaker step (too_close_reason's
    band, above the threshold instead of below), and less than MAX_HOLD_STEP_RISE_FOOT (None: it did not, SHADOWED stands).

    SHADOWED was fitted on flat heels whose weak hold step lay where it lay at rest or far above it (random_v11 r015, a
    flat far heel read 2.78 %: steepest row under 0.023 foot up); the far leg's lifts under the near leg's shadow move the
    weak step itself by the lift, while its upper flank smears far up (random_v19 r012, 10 mm, a 30 px bare foot under a
    loose dark hem at 640x360, dim: flank 22 %, steepest row 0.048-0.058 foot up = 6.0-7.2 %).
    """
    if cond is None or not (np.isfinite(cond.hold_step_rise_foot) and foot_px > 0):
        return None
    steep = cond.hold_step_rise_foot * PIVOT_GAIN
    band = _edge_band(foot_px, cond.hold_step_ratio)
    if threshold + band <= steep and cond.hold_step_rise_foot < MAX_HOLD_STEP_RISE_FOOT:
        return float(steep)
    return None


def faded_lift_reason(cond: EdgeConditions | None, held_ratio: float, threshold: float, foot_px: float) -> str | None:
    """Why a "lifted" reading on a step that faded in the hold gives no verdict (None when it does): the hold's step is at
    most MAX_SHADOWED_STEP_RATIO of the flat foot's and the reading clears the threshold by less than the edge's
    uncertainty band widened by that ratio (too_close_reason's faded band, above the threshold instead of below).

    shadowed_step_lift asks this of a weak step under a shadow that darkened the floor by MIN_UNDER_EDGE_DARKENING_STEPS;
    the band widens with the weak step whatever made it weak. random_v18 r013 rep 2 (a far 45 px bare heel, dim, the
    near leg's shadow darkening the floor under it 0.88 steps, just short of SHADOWED's 1.0; a true 2 mm): its step 0.43 as
    strong, read 2.92 % where its band reaches 4.05 %: flagged, the rep refused. Rep 1 of the same clip (0.38, 1.21 steps)
    was SHADOWED. Every lift >= 8 mm flagged on the open sets with a step that weak is read at its risen steepest row
    (shadowed_step_lift, which clears this bound by construction); the weakest other flagged lift's step is 0.67 (random_v18
    r007 rep 3). Nothing fitted.
    """
    if cond is None or held_ratio < threshold or not (np.isfinite(cond.hold_step_ratio) and foot_px > 0):
        return None
    if not 0.0 < cond.hold_step_ratio <= MAX_SHADOWED_STEP_RATIO:
        return None
    return FADED_LIFT if held_ratio < threshold + _edge_band(foot_px, cond.hold_step_ratio) else None


def far_colour_edge_reason(cond: EdgeConditions | None, held_ratio: float, threshold: float) -> str | None:
    """Why a "lifted" reading of the colour crops (kinematics/heel_colour) is another boundary, not the heel's (None when
    it is not): the step read in the hold lies MAX_HOLD_STEP_RISE_FOOT or more above the flat foot's edge.

    Grey takes such a step for another edge only when it is also far stronger (OTHER_EDGE) or a shadow fell (SHADOW_EDGE):
    a large lift's own step is read that far up (a ~40 mm lift would reach 0.16 foot). Colour is asked only after grey read
    the heel down, and in colour a shadow reads as the floor, so the shadow's sign is gone. Session 29's roll_pairs26 p05
    rolled twin rep 1 (loose dark trousers over a bare heel on a pink floor, 44 px; that machine's render): in the hold the
    heel's colour step was read 8.2-8.4 px (~0.19 foot) above its rest place in 4 of 9 columns, at the hem's lower border,
    the reading jumping 0 -> 21 % in one sample: a flat heel flagged. Lifts read in colour read theirs <= 0.089 foot up
    (random_v17 r013 rep 1, 20 mm: 0.073; r002's 25 mm, colour read alone: 0.080-0.089). The bound is OTHER_EDGE's, not
    refitted; a lift read only in colour and that far up (some 30-35 mm or more, grey reading it down) is no longer
    flagged: grey's "down" stands.
    """
    if cond is None or held_ratio < threshold or not np.isfinite(cond.hold_step_rise_foot):
        return None
    return FAR_COLOUR_EDGE if cond.hold_step_rise_foot >= MAX_HOLD_STEP_RISE_FOOT else None


def broadened_reason(cond: EdgeConditions | None, held_ratio: float, threshold: float, foot_px: float) -> str | None:
    """Why a "lifted" reading is a step that broadened in place, not a heel that rose (None when it is not).

    The heel is read where its step has risen through half its peak on the foot's side (heel_edge.foot_side_rows); a heel
    that lifts moves the whole step, its steepest row at least ~0.6 as far as that flank where it leaves its contact
    shadow on the floor (session 12). random_v16 r018 (a flat far bare foot, 59 px): the skin above the edge brightened from
    134 to 161 grey as the leg's shadow left the heel, its rounded underside now shading into the edge over 3-4 rows; the
    steepest row stayed (+0.004 foot) while the flank rose 1.5-1.6 px: a flat heel read as a 4.0 % lift and both reps
    refused. Against a "lifted" reading read over the hold, a steepest row risen less than BROADENED_STEP_SHARE of the
    reading with the flank more than BROADENED_MIN_PX above it is that broadening (the heel is not checked).
    """
    if cond is None or held_ratio < threshold or not (np.isfinite(cond.hold_step_rise_foot) and foot_px > 0):
        return None
    steep_ratio = cond.hold_step_rise_foot * PIVOT_GAIN  # the steepest row's rise as the reading would give it
    flank_above_px = (held_ratio - steep_ratio) * foot_px / PIVOT_GAIN
    if steep_ratio < BROADENED_STEP_SHARE * held_ratio and flank_above_px > BROADENED_MIN_PX:
        return BROADENED
    return None


def heel_from_image(
    rep: RepResult, series: PoseSeries, front: dict[str, np.ndarray], facing: int, crops: Mapping[int, FootCrop], threshold: float,
    fps: float, incl: np.ndarray, cover: tuple[float, ...] | None = None,
) -> tuple[RepResult, RepHeel]:
    """The rep with its heel read from the image's heel edge frame by frame, or not judged, with the reason; a heel grey
    reads down is read again in colour (kinematics/heel_colour), and a lift seen there is the verdict.

    Where the image cannot be read the heel is not judged (heel_lift_source UNREAD): the silhouette's and the
    landmarks' readings it used to fall back on flagged 10 of 35 flat heels on the random renders (landmarks 10 of 12).
    In dim light a heel as dark as its contact shadow leaves grey following the shadow's border, which stays on the
    floor (random_v17 r013: 20 mm lifts read -0.2 % and -1.5 %, "down"); colour tells the heel from the shadow. A colour
    step read farther above the flat heel's edge than a heel lifts is not taken (far_colour_edge_reason). A grey reading far
    below the flat heel's edge (below_rest_reason: another edge followed) is not checked, and colour is asked there too.
    """
    grey = heel_from_crops(rep, series, front, facing, crops, threshold, fps, incl, cover)
    below = grey[0].heel_unread_reason == BELOW_REST  # grey followed another edge: colour may see the heel's
    if not (grey[0].heel_lift_source == HeelSource.IMAGE or below) or grey[0].heel_lifted:
        return grey
    coloured = _colour_crops(rep, series, front, facing, crops, incl, cover)
    if not coloured:
        return grey
    colour = heel_from_crops(rep, series, front, facing, coloured, threshold, fps, incl, cover, colour=True)
    return colour if colour[0].heel_lift_source == HeelSource.IMAGE and colour[0].heel_lifted else grey


def _colour_crops(
    rep: RepResult, series: PoseSeries, front: dict[str, np.ndarray], facing: int, crops: Mapping[int, FootCrop], incl: np.ndarray,
    cover: tuple[float, ...] | None,
) -> dict[int, FootCrop]:
    """The rep's crops (its reference's and its own frames) in the colour that tells its flat heel from the floor and the
    floor's shadows (heel_colour.foot_colour_axis, on the reference heel_from_crops reads against); empty where none."""
    rest, after = reference_frames(rep, front, series.n_frames)
    near_sheet = sheet_near_foot(series, front, facing, rest if rest.size else after, cover)
    sheet = cover if near_sheet else None
    ref = _reference(rep, series, front, facing, crops, incl, rest, sheet)
    if isinstance(ref, str) and after.size:
        later = _reference(rep, series, front, facing, crops, incl, after, sheet)
        ref = ref if isinstance(later, str) else later
    if isinstance(ref, str):
        return {}
    axis = foot_colour_axis(ref[0], ref[1])
    if axis is None:
        return {}
    wanted = {int(i) for i in np.concatenate([rest, after, np.arange(rep.start_frame, rep.end_frame + 1)])}
    return colour_crops({i: c for i, c in crops.items() if i in wanted}, axis)


def _doubt(
    cond: EdgeConditions | None, held_ratio: float, ratio: np.ndarray, threshold: float, foot_px: float, colour: bool, late: bool,
) -> tuple[str | None, float, np.ndarray]:
    """Why the hold's reading gives no verdict (None: it does), the reading judged and the per-sample trace: under a
    shadow, the weak step's steepest row where that row itself rose by a lift (shadowed_step_lift), the trace (its smeared
    flank) drawn no higher than it; else held_ratio and ratio as they are. late: read over a late lift (late_lift_ratio),
    whose conditions (cond, the hold's) are not the lift's. A lifted reading on a faded step must clear the faded band
    (faded_lift_reason); a reading far below the flat foot's edge is another edge (below_rest_reason)."""
    near = untrusted_edge_reason(cond, held_ratio, threshold)
    shaded_lift = shadowed_step_lift(cond, threshold, foot_px) if near == SHADOWED else None
    if shaded_lift is not None:  # the weak step itself rose by a lift: read at its steepest row, no longer refused
        near, held_ratio, ratio = None, shaded_lift, np.minimum(ratio, shaded_lift)
    near = near or (far_colour_edge_reason(cond, held_ratio, threshold) if colour else None)
    near = near or (broadened_reason(cond, held_ratio, threshold, foot_px) if not late and shaded_lift is None else None)
    near = near or (faded_lift_reason(cond, held_ratio, threshold, foot_px) if not late else None)
    step_ratio = cond.hold_step_ratio if cond is not None else 1.0
    near = near or below_rest_reason(held_ratio, foot_px, step_ratio)
    near = near or too_close_reason(held_ratio, threshold, foot_px, step_ratio)
    return near, held_ratio, ratio


def heel_from_crops(
    rep: RepResult, series: PoseSeries, front: dict[str, np.ndarray], facing: int, crops: Mapping[int, FootCrop], threshold: float,
    fps: float, incl: np.ndarray, cover: tuple[float, ...] | None = None, colour: bool = False,
) -> tuple[RepResult, RepHeel]:
    """heel_from_image's reading of one set of crops (grey, or, colour True, the colour heel_colour gives)."""
    rest, after = reference_frames(rep, front, series.n_frames)
    near_sheet = sheet_near_foot(series, front, facing, rest if rest.size else after, cover)
    sheet = cover if near_sheet else None
    ref = _reference(rep, series, front, facing, crops, incl, rest, sheet)
    if isinstance(ref, str) and after.size:  # no flat foot before the rep: the one just after it, where it stands still
        later = _reference(rep, series, front, facing, crops, incl, after, sheet)
        ref = ref if isinstance(later, str) else later
    if isinstance(ref, str):  # beside a sheet, whatever failed may be the sheet's doing (its outline cuts the foot's)
        return _not_judged(rep, HeelSource.HIDDEN, SHEET_HIDES) if near_sheet else _not_judged(rep, HeelSource.UNREAD, ref)
    rest_crops, sole, base, use_forefoot = ref
    small = too_small_reason(sole.foot_px)
    if small is not None:
        return _not_judged(rep, HeelSource.UNREAD, small)
    idx = np.arange(rep.start_frame, rep.end_frame + 1)
    raw = edge_rise_trace_px(rest_crops, [crops.get(int(i)) for i in idx], sole, use_forefoot) - float(np.nanmedian(base))
    # An edge read well below its rest place is not the foot's (heel_edge.MAX_DROP_FOOT), also once the rest frames' own
    # reading is taken off: where that reading was another edge 0.1-0.2 foot up, a heel that lifted 8 mm read -19 %
    # of the foot (heel sweep h009) and a flat one -7 % (random render r060).
    raw[raw < -MAX_DROP_FOOT * sole.foot_px] = np.nan
    h0, h1 = rep.hold_start_frame - rep.start_frame, rep.hold_end_frame - rep.start_frame
    readable = np.isfinite(raw).sum() >= max(3, 0.5 * idx.size) or np.isfinite(raw[max(h0, 0):h1 + 1]).sum() >= MIN_HOLD_READINGS
    if not readable:
        if near_sheet:  # the sheet cuts the foot's outline: its edges may be what hid the heel's
            return _not_judged(rep, HeelSource.HIDDEN, SHEET_HIDES)
        return _not_judged(rep, HeelSource.UNREAD, "no sharp edge under the heel in the image (dim, low-contrast or blurred footage)")
    win = odd_window(fps, SMOOTH_S)
    ratio = rolling_median(raw * PIVOT_GAIN / sole.foot_px, win)
    hold = ratio[max(h0, 0):h1 + 1]
    no_hold = hold_unread_reason(hold, int(np.isfinite(raw[max(h0, 0):h1 + 1]).sum()))
    around = short_hold_lift(ratio, np.isfinite(raw), incl[idx], h0, h1, threshold, rep.tibial_inclination_deg) \
        if no_hold == HOLD_TOO_SHORT else None
    if no_hold is not None and around is None:
        return _not_judged(rep, HeelSource.UNREAD, no_hold)
    if around is not None:  # a hold too short to judge, inside a lift seen through it: read over that lift
        held_ratio, h0, h1 = around
    else:
        held_ratio = float(np.nanmedian(hold))
    held_ratio, late, early = _beside_hold(ratio, np.isfinite(raw), incl[idx], h0, h1, threshold, rep.tibial_inclination_deg, held_ratio)
    hold_frames = np.arange(max(rep.hold_start_frame, 0), rep.hold_end_frame + 1) if around is None else rep.start_frame + np.arange(h0, h1 + 1)
    hold_frames = rep.start_frame + np.arange(early[0], early[1] + 1) if early is not None else hold_frames
    hold_crops = crops_for(hold_frames, crops)
    cond = edge_conditions(rest_crops, hold_crops, sole)
    near, held_ratio, ratio = _doubt(cond, held_ratio, ratio, threshold, sole.foot_px, colour, late is not None)
    if near is not None:
        unread, trace = _not_judged(rep, HeelSource.UNREAD, near)
        return replace(unread, heel_read_ratio=held_ratio, heel_foot_px=sole.foot_px), trace
    # The verdict is the hold's median reading (a real lift holds; single noisy frames do not make one); the frames
    # drawn as heel-up are then the run of readings above the release level that holds the hold, so they agree with it.
    if held_ratio >= threshold:
        state = rep_heel_state(hysteresis(ratio, threshold * RELEASE_FRACTION, threshold * RELEASE_FRACTION), series.times_s[idx], h0, h1)
        if not state.any():
            state[max(h0, 0):h1 + 1] = True
    else:
        state = np.zeros(idx.size, bool)
    peak_ratio = held_ratio
    lifted = bool(state.any())
    reasons = [x for x in rep.invalid_reasons if not x.startswith(HEEL_REASON)]
    if lifted:
        reasons.insert(0, heel_reason(peak_ratio))
    pitch = heel_pitch_deg(ratio, state)
    dflex = float(np.nanmedian((incl[idx] - pitch)[max(h0, 0):h1 + 1])) if lifted else rep.tibial_inclination_deg
    out = replace(rep, heel_lift_ratio=peak_ratio, heel_lift_mm_approx=peak_ratio * TYPICAL_FOOT_MM, heel_lifted=lifted,
                  valid=not reasons, invalid_reasons=tuple(reasons), heel_lift_source=HeelSource.IMAGE, ankle_dorsiflexion_deg=dflex,
                  heel_read_ratio=held_ratio, heel_foot_px=sole.foot_px)
    return out, RepHeel(rep.start_frame, ratio, state)


def unread_heel_notes(reps: Sequence[RepResult]) -> list[str]:
    """One warning per reason the image could not show a rep's heel, naming the reps (heel_lift_source UNREAD)."""
    unread: dict[str, list[str]] = {}
    for r in reps:
        if r.heel_lift_source == HeelSource.UNREAD:
            unread.setdefault(r.heel_unread_reason or "not readable", []).append(str(r.index))
    return [f"the heel lift of rep{'s' if len(idx) > 1 else ''} {', '.join(idx)} was not checked (heel_lift_source 'unread'): "
            f"{reason}" for reason, idx in unread.items()]
