"""Heel lift read from the full-resolution image: the foot's bottom edge at the heel, rest against the hold.

The person mask (256 px over the whole body) cannot tell an 8 mm lift (~2 px at 720p) from the heel's back
outline receding as the shin tilts, so its reading flags some heels that stay down and misses some that
lift. The image itself shows the foot's bottom edge sharply. Per image column under the rear foot, the
edge is the uppermost strong vertical step of brightness near the silhouette's bottom in the rest frames
(before the rep; its sign says whether the foot is lighter or darker than what lies below it); in the hold
it is the lowest step of the same sign up to MAX_RISE_FOOT above. The contact shadow and the floor stay put
while the foot rises, and taking the lowest step keeps to the foot's own edge. The heel's step is placed where it
has risen through EDGE_FLANK_SHARE of its peak on the foot's side (above its steepest row): a rounded heel
shades into its contact shadow over several pixels, and as the heel lifts the shadow's dark bottom stays on
the floor, so the step stretches and its steepest row moves ~0.6 of the lift (heel sweep h025: 1.2 px for
an 8 mm lift, its foot-side flank 2.0 px). The same is read under the forefoot (at its steepest row), which
stays down when the heel pivots about the ball, and subtracted: it cancels camera shake.

Renders, 67 reps (both sets): 63 read; heels down (<= 2 mm) -0.4 to +0.5 % of the foot's length, every one
the mask flagged included; all 9 lifts >= 8 mm 3.3-7.8 %. Four reps leave no readable edge (dim footage,
MIN_STEP) and keep the silhouette's reading. Where a dark contact shadow merges with a dark foot's edge
the edge followed can be the shadow's, which does not move (d05's 5 mm lifts read ~0; tests show the
case). Pure numpy: grey crops in, pixels out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ankle_cv.kinematics.fitted import (  # fitted: see fitted.py
    EDGE_FLANK_SHARE,
    FORE_ZONE,
    HEEL_ZONE,
    LIT_GAP_SHARE,
    REST_EDGE_KEEP_SHARE,
)
from ankle_cv.kinematics.signals import rolling_median, runs

REST_FRAMES = 5  # samples just before a rep starts (shin near upright, foot flat) form the reference
REST_SEARCH_FRAMES = 15  # how far before a rep's start still rest samples are looked for (1 s at 15 Hz)
REST_AFTER_FRAMES = 4  # ... and after it, at least this many samples
REST_AFTER_SHARE = 0.3  # ... or this share of the way to the peak (the renders' heels start to lift from 0.3 of the excursion)
STILL_FOOT = 0.06  # the foot's centre moving at most this many foot lengths from sample to sample stands still (jitter ~0.03)
STILL_MIN_PX = 2.0  # ... or at most this many pixels (small feet)
STILL_SMOOTH = 5  # samples of the running median the foot's centre is taken through first
PLACE_FOOT = 0.8  # ... within this many foot lengths of its place in the rep: not still beside the other foot before a step-in
# (a stance is ~1.6 foot lengths; a far foot's landmarks, behind the near leg, jump by up to ~0.6 while it stands still)
MIN_STILL = 3
HOLD_HALF_FRAMES = 2  # samples either side of the peak read in the hold
SEARCH_BELOW_PX = 3.0  # the rest edge is looked for from SEARCH_ABOVE_FOOT above to this below the silhouette's bottom
SEARCH_ABOVE_FOOT = 0.12  # ... in foot lengths (the sole's thickness and the mask's blur)
MAX_RISE_FOOT = 0.2  # the hold edge is looked for up to this far above the rest edge, in foot lengths (~5 cm)
MIN_STEP = 6.0  # grey levels per pixel: weaker steps are noise (dim footage leaves no edge: no reading)
STRONG_SHARE = 0.3  # a step counts as strong at this share of the column's strongest
HOLD_STRONG_SHARE = 0.4  # ... and in the hold's search window (_column_steps), above the rest edge
MIN_COLUMNS = 3
# A zone's columns agree with their median shift within AGREE_PX or AGREE_SHARE of it (agreed_shift). Not fitted: margins
# over how the columns of one edge spread, the edge's placement (HEEL_EDGE_UNCERTAINTY_PX, 0.32 px at the 80th percentile)
# and, under a pivoting heel, the zone's ends rising 0.7/0.6 and 0.5/0.6 of its centre's rise (HEEL_ZONE about BALL_U).
AGREE_PX = 1.0
AGREE_SHARE = 0.25
HOLD_EDGE_PICK = "lowest"  # "lowest" strong step, or "like_rest": the step most like the rest edge in strength
LIKE_REST_TOLERANCE = 0.35  # steps within this log-ratio of each other count as equally like the rest edge
MAX_DROP_FOOT = 0.02  # a heel edge read this far (foot lengths) *below* its rest place was not the foot's: no reading
BOX_MARGIN_FOOT = (0.6, 0.6, 0.6)  # crop around the foot: beyond heel/toe, above and below the lower of them (foot lengths)
# ... and this many pixels more below: the rest edge is searched SEARCH_BELOW_PX under the sole, and the steps' blur darkens
# a crop's last 3 rows. On a small foot 0.6 of it is a few pixels, and the foot's points can sit 0.45 foot above the sole
# (random_v1 r014, 25-29 px near foot: the sole 2-3 px from the crop's bottom, so no flat foot's edge was read and its
# three flat heels were "not checked"). Not fitted: a margin.
BOX_BELOW_PX = SEARCH_BELOW_PX + 5.0


@dataclass(frozen=True)
class FootCrop:
    """A grey crop of one frame around the front foot, with its top-left corner in image pixels (and its colours, where
    the picture had them: kinematics/heel_colour reads the heel's edge in them where grey cannot)."""

    x0: int
    y0: int
    grey: np.ndarray  # (h, w) float32
    rgb: np.ndarray | None = None  # (h, w, 3) uint8


CropReader = Callable[[dict[int, tuple[int, int, int, int]]], Mapping[int, FootCrop]]  # boxes -> grey crops of the video


@dataclass(frozen=True)
class SoleColumns:
    """Image columns under the rear foot and the forefoot, and the rest silhouette's bottom there (image y)."""

    heel_x: np.ndarray
    heel_y: float
    fore_x: np.ndarray
    fore_y: float
    foot_px: float


def foot_box(heel_xy: np.ndarray, toe_xy: np.ndarray, min_foot_px: float = 0.0) -> tuple[int, int, int, int] | None:
    """Image box (x0, y0, x1, y1) around a foot that holds its sole, the floor below and the heel above; its margins from
    a foot at least min_foot_px long (heel and toe points drawn together, as a toe behind a sheet, would cut the sole off)."""
    if not (np.all(np.isfinite(heel_xy)) and np.all(np.isfinite(toe_xy))):
        return None
    foot = max(float(np.linalg.norm(toe_xy - heel_xy)), min_foot_px if np.isfinite(min_foot_px) else 0.0)
    if foot < 5:
        return None
    side, above, below = (m * foot for m in BOX_MARGIN_FOOT)
    below += BOX_BELOW_PX
    x0 = int(np.floor(min(heel_xy[0], toe_xy[0]) - side))
    x1 = int(np.ceil(max(heel_xy[0], toe_xy[0]) + side))
    y0 = int(np.floor(max(heel_xy[1], toe_xy[1]) - above))
    y1 = int(np.ceil(max(heel_xy[1], toe_xy[1]) + below))
    return max(x0, 0), max(y0, 0), x1, y1


def sole_columns(u: np.ndarray, bottom_y: np.ndarray, cols_x: np.ndarray, foot_px: float, need_fore: bool = True) -> SoleColumns | None:
    """Full-resolution columns of the heel and forefoot zones from the rest silhouette's sole coordinate u (need_fore
    False: a sole seen from its heel's side alone may have no forefoot columns, fore_x then empty)."""
    if not np.isfinite(foot_px):
        return None
    ok = np.isfinite(u) & np.isfinite(bottom_y)
    if ok.sum() < 4:
        return None
    xs = np.arange(int(np.floor(cols_x[ok].min())), int(np.ceil(cols_x[ok].max())) + 1)
    order = np.argsort(cols_x[ok])
    u_x = np.interp(xs, cols_x[ok][order], u[ok][order])
    y_x = np.interp(xs, cols_x[ok][order], bottom_y[ok][order])
    heel = (u_x >= HEEL_ZONE[0]) & (u_x <= HEEL_ZONE[1])
    fore = (u_x >= FORE_ZONE[0]) & (u_x <= FORE_ZONE[1])
    if heel.sum() < MIN_COLUMNS or (need_fore and fore.sum() < MIN_COLUMNS):
        return None
    fore_y = float(np.median(y_x[fore])) if fore.any() else float(np.median(y_x[heel]))
    return SoleColumns(xs[heel], float(np.median(y_x[heel])), xs[fore], fore_y, float(foot_px))


def brightness_steps(grey: np.ndarray) -> np.ndarray:
    """Vertical brightness steps (row k to k+1) after a sigma-1 px Gaussian blur, so single-pixel noise makes none."""
    k = np.exp(-0.5 * np.arange(-3, 4) ** 2)
    k /= k.sum()
    g = grey.astype(np.float32)
    for axis in (0, 1):  # separable blur, zero beyond the border (as np.convolve's "same")
        padded = np.pad(g, [(3, 3) if a == axis else (0, 0) for a in (0, 1)])
        n = g.shape[axis]
        g = sum(w * padded.take(np.arange(i, i + n), axis=axis) for i, w in enumerate(k[::-1]))
    return np.diff(g, axis=0)


def _peak_offset(a: float, b: float, c: float) -> float:
    """Sub-pixel position of a peak from three samples (parabola)."""
    d = a - 2.0 * b + c
    return float(np.clip(0.5 * (a - c) / d, -0.5, 0.5)) if d != 0 else 0.0


def _step_row(crop: FootCrop, lo: int, prof: np.ndarray, k: int) -> float:
    """Image y of a column profile's step at its row k (prof starts at crop row lo; the parabola's sub-pixel peak)."""
    return crop.y0 + lo + k + 0.5 + _peak_offset(prof[k - 1], prof[k], prof[k + 1])


def _upper_flank(prof: np.ndarray, k: int, share: float) -> float:
    """Where a step (prof, its own sign positive, peak at row k) rises through share of its peak on its upper side (sub-pixel)."""
    level = share * float(prof[k])
    j = k
    while j > 0 and prof[j - 1] >= level:
        j -= 1
    if j == 0:
        return 0.0
    below, at = float(prof[j - 1]), float(prof[j])
    return j - 1 + (level - below) / (at - below) if at > below else float(j)


def foot_side_rows(g: np.ndarray, crop: FootCrop, xs: np.ndarray, rows: np.ndarray, signs: np.ndarray) -> np.ndarray:
    """Per column: where the step whose steepest point is at rows (image y) has risen through EDGE_FLANK_SHARE of its
    peak on the foot's side (above it), in steps g of the crop; NaN where no step was read."""
    out = np.full(xs.size, np.nan)
    for j, x in enumerate(xs - crop.x0):
        k = int(np.rint(rows[j] - 0.5)) - crop.y0 if np.isfinite(rows[j]) else -1  # the steepest row (rows carry its sub-pixel offset)
        if signs[j] == 0 or not (0 <= x < g.shape[1] and 0 <= k < g.shape[0]):
            continue
        out[j] = crop.y0 + _upper_flank(g[:k + 1, x] * np.sign(signs[j]), k, EDGE_FLANK_SHARE) + 0.5
    return out


def _first_whole_step(prof: np.ndarray, above: float, strong: float) -> int | None:
    """The first row of the uppermost strong step (|prof| >= strong) whose steepest row lies inside the window (None: none).

    A step still steepening at the window's first row (above: the step one row above the window, the same sign and at least
    as steep) is the tail of an edge above the window, not an edge in it: random_v10 r004 (a black shoe's 9 px white sole
    on a dark carpet, the window reaching 8.9 px above the silhouette's bottom) took the upper's edge over the sole's tail
    as the flat foot's edge in 13 of 15 heel columns, read its flank from the peak outside the window, and a 10 mm lift read
    1.2 % of the foot ("down", the rep valid); the sole's own edge on the floor lies below it.
    """
    strong_rows = np.nonzero(np.abs(prof) >= strong)[0]
    if not strong_rows.size:
        return None
    k = int(strong_rows[0])
    sign = np.sign(prof[k])
    if k == 0 and above * sign >= prof[0] * sign:  # the tail of a step above the window: skip its run of the same sign
        j = 0
        while j < prof.size and prof[j] * sign > 0:
            j += 1
        later = strong_rows[strong_rows >= j]
        return int(later[0]) if later.size else None
    return k


def rest_edges(g: np.ndarray, crop: FootCrop, xs: np.ndarray, bottom_y: float, foot_px: float) -> tuple[np.ndarray, np.ndarray]:
    """Per column: the foot's bottom edge (image y, sub-pixel) in a rest crop's steps g and its signed step (NaN/0 where none)."""
    lo = int(np.floor(bottom_y - SEARCH_ABOVE_FOOT * foot_px)) - crop.y0
    hi = int(np.ceil(bottom_y + SEARCH_BELOW_PX)) - crop.y0
    rows, signs = np.full(xs.size, np.nan), np.zeros(xs.size)
    for j, x in enumerate(xs - crop.x0):
        if not (0 <= x < g.shape[1]) or lo < 1 or hi >= g.shape[0] - 1 or hi - lo < 3:
            continue
        prof = g[lo:hi, x]
        strongest = float(np.max(np.abs(prof)))
        if strongest < MIN_STEP:
            continue
        k = _first_whole_step(prof, float(g[lo - 1, x]), STRONG_SHARE * strongest)
        if k is None:
            continue
        sign = np.sign(prof[k])
        while k + 1 < prof.size and prof[k + 1] * sign > prof[k] * sign:  # climb to the step's steepest row
            k += 1
        off = _peak_offset(*np.abs(prof[k - 1:k + 2])) if 0 < k < prof.size - 1 else 0.0
        rows[j] = crop.y0 + lo + k + 0.5 + off
        signs[j] = sign * max(abs(float(prof[k])), 1e-6)
    return rows, signs


def _column_steps(g: np.ndarray, crop: FootCrop, x: int, rest_row: float, rest_step: float, foot_px: float
                  ) -> tuple[int, np.ndarray, list[int]] | None:
    """One crop column's steps from MAX_RISE_FOOT above the rest edge to 1 px below, signed so the foot's step is positive:
    the first row (crop index), the profile and its strong peaks (None: no step there).

    Strong: at least HOLD_STRONG_SHARE of the column's strongest, or at least REST_EDGE_KEEP_SHARE of the rest edge's own
    step (rest_step, signed): a faint heel edge under a much stronger step a little above it (a shoe's top, a trouser hem)
    is still the edge followed, not dropped as noise for the stronger one (heel sweep h061: a 25 mm lift unread, its flat
    rest frames read 0.19 foot up at the hem).
    """
    lo = int(np.floor(rest_row - MAX_RISE_FOOT * foot_px)) - crop.y0
    hi = int(np.ceil(rest_row + 1.0)) - crop.y0
    if lo < 1 or hi >= g.shape[0] - 1:
        return None
    prof = g[lo:hi, x] * np.sign(rest_step)
    peaks = [k for k in range(1, prof.size - 1) if prof[k] >= prof[k - 1] and prof[k] >= prof[k + 1] and prof[k] >= MIN_STEP]
    if not peaks:
        return None
    strongest = max(prof[k] for k in peaks)
    keep = REST_EDGE_KEEP_SHARE * abs(float(rest_step))
    return lo, prof, [k for k in peaks if prof[k] >= HOLD_STRONG_SHARE * strongest or prof[k] >= keep]


def hold_edges(g: np.ndarray, crop: FootCrop, xs: np.ndarray, rest_rows: np.ndarray, rest_steps: np.ndarray, foot_px: float) -> np.ndarray:
    """Per column: the foot's edge from MAX_RISE_FOOT above the rest edge to 1 px below (image y).

    Of the steps with the rest edge's sign, the one most like the rest edge in strength (the same foot over the
    same kind of ground; a lifted heel's contact shadow leaves a second, different step at the old place), the
    lower of near-equals (HOLD_EDGE_PICK "lowest": the lowest strong step, the earlier rule).
    """
    out = np.full(xs.size, np.nan)
    for j, x in enumerate(xs - crop.x0):
        if not (np.isfinite(rest_rows[j]) and rest_steps[j] != 0 and 0 <= x < g.shape[1]):
            continue
        col = _column_steps(g, crop, x, rest_rows[j], float(rest_steps[j]), foot_px)
        if col is None:
            continue
        lo, prof, strong = col
        if HOLD_EDGE_PICK == "lowest":
            k = max(strong)
        else:
            ref = abs(float(rest_steps[j]))
            k = min(strong, key=lambda q: (round(float(abs(np.log(prof[q] / ref))) / LIKE_REST_TOLERANCE), -q))
        out[j] = _step_row(crop, lo, prof, k)
    return out


def above_lit_gap(prof: np.ndarray, rest_prof: np.ndarray, strong: list[int], k: int) -> tuple[int, int]:
    """The foot's step over a contact shadow it has lifted off, and the shadow's thickness (rows): (k, 0) for the lowest
    strong step k, or the strong step just above it where lit floor newly shows between the two.

    prof and rest_prof are one column's steps in the hold and at rest, signed so the foot-to-floor step is positive.
    A heel lifted off its dark contact shadow leaves the shadow on the floor with lit floor between: going down, the
    heel's step, an opposite step (lit gap to shadow), the shadow's step. A sole on the floor shows no lit gap over its
    shadow, so the opposite step must be new: at rest, over the same rows, none as strong (a shoe's light sole band
    shows its opposite step at rest too and keeps the lowest step).
    """
    above = [q for q in strong if q < k]
    if not above:
        return k, 0
    q = max(above)
    level = -LIT_GAP_SHARE * float(prof[k])
    if float(np.min(prof[q:k + 1])) <= level < float(np.min(rest_prof[q:k + 1])):
        return q, k - (q + int(np.argmin(prof[q:k + 1])))
    return k, 0


def heel_hold_rows(
    g: np.ndarray, crop: FootCrop, xs: np.ndarray, rest_rows: np.ndarray, rest_steps: np.ndarray, foot_px: float, rest_g: np.ndarray,
) -> np.ndarray:
    """Per heel column: where its bottom is read in a hold frame's steps g, comparable with its rest place (image y).

    The lowest strong step's foot-side flank (foot_side_rows), or, over a lit gap (above_lit_gap), the heel's step's
    flank plus the contact shadow's thickness: at rest the heel and its shadow merge into one step at the shadow's
    lower edge, so the heel's rise is the lit gap's height.
    """
    rows, shadow = np.full(xs.size, np.nan), np.zeros(xs.size)
    for j, x in enumerate(xs - crop.x0):
        pick = _heel_pick(g, crop, x, rest_rows[j], rest_steps[j], foot_px, rest_g)
        if pick is not None:
            lo, prof, k, shadow[j] = pick
            rows[j] = _step_row(crop, lo, prof, k)
    return foot_side_rows(g, crop, xs, rows, rest_steps) + shadow


def _heel_pick(
    g: np.ndarray, crop: FootCrop, x: int, rest_row: float, rest_step: float, foot_px: float, rest_g: np.ndarray,
) -> tuple[int, np.ndarray, int, int] | None:
    """The step one heel column (crop x) is read at in a hold frame's steps g: the first row (crop index), the profile
    signed so the foot's step is positive, the step's row in it and the contact shadow's thickness (None: no step)."""
    if not (np.isfinite(rest_row) and rest_step != 0 and 0 <= x < g.shape[1]):
        return None
    sign = np.sign(rest_step)
    col = _column_steps(g, crop, x, rest_row, rest_step, foot_px)
    if col is None:
        return None
    lo, prof, strong = col
    k, shadow = above_lit_gap(prof, rest_g[lo:lo + prof.size, x] * sign, strong, max(strong))
    return lo, prof, k, shadow


def heel_hold_step(
    g: np.ndarray, crop: FootCrop, xs: np.ndarray, rest_rows: np.ndarray, rest_steps: np.ndarray, foot_px: float, rest_g: np.ndarray,
) -> tuple[float, float]:
    """The step heel_hold_rows reads in a hold frame's steps g: its strength as a multiple of the rest edge's step and how
    far its steepest row lies above the rest edge's (foot lengths), medians over the heel columns (NaN where none is read)."""
    ratios, rises = [], []
    for j, x in enumerate(xs - crop.x0):
        pick = _heel_pick(g, crop, x, rest_rows[j], rest_steps[j], foot_px, rest_g)
        if pick is not None:
            lo, prof, k, _ = pick
            ratios.append(float(prof[k]) / abs(float(rest_steps[j])))
            rises.append((rest_rows[j] - _step_row(crop, lo, prof, k)) / foot_px)
    if len(ratios) < MIN_COLUMNS:
        return float("nan"), float("nan")
    return float(np.median(ratios)), float(np.median(rises))


def _placed(g: np.ndarray, crop: FootCrop, xs: np.ndarray, rows: np.ndarray, signs: np.ndarray, heel: bool) -> np.ndarray:
    """Where each column's step (steepest at rows) is read: on its foot side under the heel, which lifts off its shadow;
    at its steepest row under the forefoot, which stays down and only cancels shake (there a weak step's flank wanders:
    a real flat heel's forefoot read 2.5 px "down", lunge_side_nowva rep 2)."""
    return foot_side_rows(g, crop, xs, rows, signs) if heel else rows


def _held(
    g: np.ndarray, rest_g: np.ndarray, crop: FootCrop, xs: np.ndarray, rows: np.ndarray, signs: np.ndarray, foot_px: float, heel: bool,
) -> np.ndarray:
    """Where a hold frame's edge is read per column (image y): heel_hold_rows under the heel; the forefoot (which stays
    down, with no lit gap to look for) at its steepest row."""
    return heel_hold_rows(g, crop, xs, rows, signs, foot_px, rest_g) if heel else hold_edges(g, crop, xs, rows, signs, foot_px)


def _zone_rise(
    rest_steps: np.ndarray, hold_steps: list[np.ndarray], crop: FootCrop, xs: np.ndarray, bottom_y: float, foot_px: float,
    heel: bool,
) -> float:
    """Median upward shift of the foot's bottom edge over a zone's columns, rest to hold (px)."""
    rows, signs = rest_edges(rest_steps, crop, xs, bottom_y, foot_px)
    if np.isfinite(rows).sum() < MIN_COLUMNS:
        return float("nan")
    held = np.nanmedian(np.stack([_held(g, rest_steps, crop, xs, rows, signs, foot_px, heel) for g in hold_steps]), axis=0)
    shift = _placed(rest_steps, crop, xs, rows, signs, heel) - held
    return float(np.nanmedian(shift)) if np.isfinite(shift).sum() >= MIN_COLUMNS else float("nan")


def edge_rise_px(rest: list[FootCrop], hold: list[FootCrop], sole: SoleColumns) -> float:
    """The heel's rise from rest to hold in pixels (rear-foot edge shift minus forefoot edge shift); NaN if unreadable."""
    if not rest or not hold or min(rest[0].grey.shape) < 8 or any(
        c.grey.shape != rest[0].grey.shape or (c.x0, c.y0) != (rest[0].x0, rest[0].y0) for c in [*rest, *hold]
    ):
        return float("nan")
    rest_steps = brightness_steps(np.median(np.stack([c.grey for c in rest]), axis=0))
    hold_steps = [brightness_steps(c.grey) for c in hold]
    heel = _zone_rise(rest_steps, hold_steps, rest[0], sole.heel_x, sole.heel_y, sole.foot_px, heel=True)
    fore = _zone_rise(rest_steps, hold_steps, rest[0], sole.fore_x, sole.fore_y, sole.foot_px, heel=False)
    rise = heel - fore
    return float(rise) if np.isfinite(rise) and rise > -MAX_DROP_FOOT * sole.foot_px else float("nan")


def edge_rise_trace_px(rest: list[FootCrop], frames: list[FootCrop | None], sole: SoleColumns, use_forefoot: bool = True) -> np.ndarray:
    """Per frame, the heel's rise from rest in pixels (rear-foot edge shift minus forefoot edge shift); NaN where unreadable.

    The same reading as edge_rise_px, frame by frame, so a rep's verdict and its per-frame trace are one measurement.
    Without the forefoot (hidden, e.g. by the sheet) the rear-foot shift alone is read (no cancelling of camera shake).
    """
    out = np.full(len(frames), np.nan)
    if not rest or min(rest[0].grey.shape) < 8 or any(c.grey.shape != rest[0].grey.shape or (c.x0, c.y0) != (rest[0].x0, rest[0].y0)
                                                     for c in rest):
        return out
    ref = rest[0]
    rest_steps = brightness_steps(np.median(np.stack([c.grey for c in rest]), axis=0))
    zones: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]] = []
    for xs, y, heel in ((sole.heel_x, sole.heel_y, True), (sole.fore_x, sole.fore_y, False))[: 2 if use_forefoot else 1]:
        rows, signs = rest_edges(rest_steps, ref, xs, y, sole.foot_px)
        if np.isfinite(rows).sum() < MIN_COLUMNS:
            if zones:  # the forefoot shows no edge: the rear foot alone
                break
            return out
        zones.append((xs, rows, signs, _placed(rest_steps, ref, xs, rows, signs, heel), heel))
    if len(zones) == 2 and np.sign(np.median(zones[0][2])) != np.sign(np.median(zones[1][2])):
        # The forefoot's edge is not the same sole-on-floor boundary as the heel's (a far foot's raised arch or toes
        # over another edge): it would not cancel shake but add its own movement; the rear foot alone is read.
        zones = zones[:1]
    for i, crop in enumerate(frames):
        if crop is None or crop.grey.shape != ref.grey.shape or (crop.x0, crop.y0) != (ref.x0, ref.y0):
            continue
        g = brightness_steps(crop.grey)
        shifts = []
        for xs, rows, signs, rest_at, heel in zones:
            shift = rest_at - _held(g, rest_steps, ref, xs, rows, signs, sole.foot_px, heel)
            shifts.append(agreed_shift(shift))
        rise = shake_cancelled(shifts[0], shifts[1], MAX_DROP_FOOT * sole.foot_px) if len(shifts) == 2 else shifts[0]
        if np.isfinite(rise) and rise > -MAX_DROP_FOOT * sole.foot_px:
            out[i] = rise
    return out


def agreed_shift(shift: np.ndarray) -> float:
    """A zone's edge shift in one frame (px): the median over its columns where at least MIN_COLUMNS of them lie within
    AGREE_PX (or AGREE_SHARE of it) of that median, else NaN: columns that split between edges give no reading.

    Random_v3 r005 rep 3 (a flat far heel, a grey shoe on a grey floor, three different edges across the heel zone): from
    one hold sample on 8 of 16 columns read, 5 near 0 and 3 near 7.7 px (another edge taken), and their median, 1.4 px,
    which no column read, flagged the heel as lifted 2.3 %.
    """
    ok = shift[np.isfinite(shift)]
    if ok.size < MIN_COLUMNS:
        return float("nan")
    med = float(np.median(ok))
    agree = np.abs(ok - med) <= max(AGREE_PX, AGREE_SHARE * abs(med))
    return med if int(agree.sum()) >= MIN_COLUMNS else float("nan")


def shake_cancelled(heel: float, fore: float, drop_px: float) -> float:
    """One frame's heel rise (px): the heel zone's edge shift less the forefoot's (camera shake moves both alike), or the
    heel's alone where the forefoot's edge moved by itself: unread in the frame, or read more than drop_px above the heel's
    while the heel's own stays within drop_px of its rest place (shake would have moved the heel's edge as far).

    Random_v4 r015 (a far bare foot, 73 px): the forefoot's edge read 1.4-1.5 px up in every hold frame while the heel's
    read -0.1 to +0.5 px (truth 0-2 mm): the difference fell under -MAX_DROP_FOOT, every hold frame was dropped and two flat
    heels were "not checked"; random_v6 r016 rep 2: the forefoot read in 1 of 8 hold frames, the heel in all 8.
    """
    if not np.isfinite(fore) or (heel - fore < -drop_px and heel >= -drop_px):
        return heel
    return heel - fore


def rep_frames(start: int, peak: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sample indices of a rep's rest reference (just before it starts) and of its hold (around the peak)."""
    rest = np.arange(max(start - REST_FRAMES + 1, 0), start + 1)
    hold = np.arange(max(peak - HOLD_HALF_FRAMES, 0), min(peak + HOLD_HALF_FRAMES, n - 1) + 1)
    return rest, hold


def _still_samples(start: int, end: int, foot_xy: np.ndarray, foot_px: float) -> np.ndarray | None:
    """Per sample, whether the foot stands still at its place through the rep start..end (None: no foot in the rep)."""
    n = foot_xy.shape[0]
    span = foot_xy[max(start, 0):min(end, n - 1) + 1]
    if not np.isfinite(foot_px) or foot_px <= 0 or not np.isfinite(span).all(axis=1).any():
        return None
    # A running median over STILL_SMOOTH samples first: single-sample landmark glitches (0.1-0.3 foot on d08, a camera
    # turned 12 deg) vanish, a foot swinging in over several samples stays.
    xy = np.stack([rolling_median(foot_xy[:, k], STILL_SMOOTH) for k in (0, 1)], axis=1)
    off = np.linalg.norm(xy - np.nanmedian(span, axis=0), axis=1)  # the landmarks drift ~0.1 foot as the shin tilts
    step = np.linalg.norm(np.diff(xy, axis=0), axis=1)
    tol = max(STILL_FOOT * foot_px, STILL_MIN_PX)
    # Still: arrived from the previous sample within tol (only backwards: a landmark glitch in the next sample, as on
    # d08 at the rep's start, must not unsettle a foot that stands). NaN: not still.
    return np.asarray((off <= PLACE_FOOT * foot_px) & (np.append(np.inf, step) <= tol))


def still_rest_frames(start: int, peak: int, end: int, foot_xy: np.ndarray, foot_px: float) -> np.ndarray:
    """The rest reference of a rep whose foot may still be moving when it starts (a step-in, a foot shuffled into place).

    Up to REST_FRAMES consecutive samples where the foot's centre (foot_xy, per sample) has moved at most STILL_FOOT foot
    lengths (or STILL_MIN_PX) since the previous sample and stands within PLACE_FOOT of its place through the rep:
    the run through the rep's start, or, when the foot moves then, the nearest such run within REST_SEARCH_FRAMES before
    it, else the first such run after it within the first REST_AFTER_SHARE of the way to the peak (the shin only starts to tilt; heels lift later). A reference taken while the foot swings in shows a blurred foot elsewhere (random renders, step-in reps:
    no edge found, or a flat heel read as lifted by 2 cm). Empty when fewer than MIN_STILL such samples exist.
    """
    n = foot_xy.shape[0]
    still = _still_samples(start, end, foot_xy, foot_px)
    if still is None:
        return np.zeros(0, int)
    last_after = min(start + max(REST_AFTER_FRAMES, int(REST_AFTER_SHARE * (peak - start))), peak - 1, n - 1)
    if 0 <= start < n and still[start]:  # the still run through the start, back from it first
        a = start
        while a > max(start - REST_SEARCH_FRAMES, 0) and still[a - 1] and start - a + 1 < REST_FRAMES:
            a -= 1
        b = start
        while b - a + 1 < REST_FRAMES and b + 1 <= last_after and still[b + 1]:
            b += 1
        if b - a + 1 >= MIN_STILL:
            return np.arange(a, b + 1)
    # The foot moves at the start (a step-in, or the landmarks jumping for a few samples as the rep begins: heel sweep
    # h008, whose foot stood still for 15 samples before): the nearest still run just before it, else the first after it.
    before = _runs(still, max(start - REST_SEARCH_FRAMES, 0), min(start, n))
    if before:
        a, b = before[-1]
        return np.arange(max(a, b - REST_FRAMES + 1), b + 1)
    after = _runs(still, max(start + 1, 0), last_after + 1)
    if after:
        a, b = after[0]
        return np.arange(a, min(b, a + REST_FRAMES - 1) + 1)
    return np.zeros(0, int)


def still_after_frames(start: int, end: int, foot_xy: np.ndarray, foot_px: float) -> np.ndarray:
    """The flat-foot reference after a rep, for a rep with none before it: the first still run within REST_SEARCH_FRAMES.

    Still as in still_rest_frames (the same steps, tolerance and place through the rep), up to REST_FRAMES samples from the
    first sample after the rep's end. Heel sweep h021: no landmarks before rep 1 (the clip starts as the shin tilts) and
    none before rep 3 (tracking lost), so 25 mm lifts went unchecked while the foot stood flat and still just after each.
    """
    still = _still_samples(start, end, foot_xy, foot_px)
    if still is None:
        return np.zeros(0, int)
    after = _runs(still, end + 1, min(end + 1 + REST_SEARCH_FRAMES, foot_xy.shape[0]))
    if not after:
        return np.zeros(0, int)
    a, b = after[0]
    return np.arange(a, min(b, a + REST_FRAMES - 1) + 1)


def _runs(still: np.ndarray, lo: int, hi: int) -> list[tuple[int, int]]:
    """The runs of at least MIN_STILL still samples within [lo, hi), first and last sample of each."""
    lo = max(lo, 0)
    return [(lo + a, lo + b) for a, b in runs(still[lo:max(hi, lo)]) if b - a + 1 >= MIN_STILL]


def crops_for(frames: np.ndarray, crops: Mapping[int, FootCrop]) -> list[FootCrop]:
    """The crops of these frames, or an empty list when any is missing."""
    got = [crops.get(int(i)) for i in frames]
    return [c for c in got if c is not None] if all(c is not None for c in got) else []
