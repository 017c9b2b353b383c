"""Split the shank-angle series into forward lunges (reps): start, peak, hold and end of each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankle_cv.kinematics.fitted import MIN_EXCURSION_DEG, MIN_MOVEMENT_S, UNSHARED_VALLEY_SHARE

MIN_REP_SEPARATION_S = 0.8
HOLD_BAND_DEG = 1.5  # frames within this of the smoothed peak form the hold
START_FRACTION = 0.15  # a rep starts/ends where the angle is this share of the way up from its base
MIN_RELATIVE_EXCURSION = 0.4  # movements under this share of the deepest rep are stepping or sway, not reps
MAX_STEPPING_SHARE = 0.3  # a movement with the feet side by side in more of its frames is a step (rep_checks refuses a rep past it too)


@dataclass(frozen=True)
class RepWindow:
    """Frame indices of one rep (end inclusive) and its base and peak angle in the smoothed series."""

    start: int
    peak: int
    end: int
    hold_start: int
    hold_end: int
    base_deg: float
    peak_deg: float
    # Two reps' windows joined across a valley the landmarks did not share (segment: the outline lost the shin at the rep's
    # depth): how far the smoothed angle fell there and at which frame; 0 / -1 for a rep found whole.
    lost_dip_deg: float = 0.0
    lost_frame: int = -1


def _crossing(angle: np.ndarray, frm: int, to: int, level: float) -> int:
    """First index walking from frm towards to where the angle is at or below level."""
    step = 1 if to >= frm else -1
    for i in range(frm, to + step, step):
        if angle[i] <= level:
            return i
    return to


@dataclass(frozen=True)
class SmallMovement:
    """A shin movement past the sway limit that was not counted as a rep because it is small beside the stance's reps."""

    peak: int
    peak_deg: float
    excursion_deg: float
    deepest_deg: float  # the deepest rep's excursion it was judged against


@dataclass(frozen=True)
class Segmentation:
    """The reps of one stance and the movements left out for being small beside them (said, not silently dropped)."""

    reps: list[RepWindow]
    small: list[SmallMovement]


def segment_reps(
    smooth_deg: np.ndarray, fps: float, min_excursion_deg: float = MIN_EXCURSION_DEG, stepping: np.ndarray | None = None,
    landmark_deg: np.ndarray | None = None,
) -> list[RepWindow]:
    """Reps as prominent peaks of the smoothed angle; bases are the minima between neighbouring peaks."""
    return segment(smooth_deg, fps, min_excursion_deg, stepping, landmark_deg).reps


def _stepping_share(stepping: np.ndarray | None, w: RepWindow) -> float:
    """Share of the window's frames with the feet side by side (0 without the flags)."""
    if stepping is None or stepping.size <= w.end:
        return 0.0
    return float(stepping[w.start:w.end + 1].mean())


def segment(
    smooth_deg: np.ndarray, fps: float, min_excursion_deg: float = MIN_EXCURSION_DEG, stepping: np.ndarray | None = None,
    landmark_deg: np.ndarray | None = None,
) -> Segmentation:
    """Reps as prominent peaks of the smoothed angle, judged against the stance's own reps, not its steps.

    stepping: per frame, the feet side by side (protocol.movement). Stepping in or out tilts the shin 10-20° (random_v3:
    every peak of more than 1° outside the true reps was a step), more than a very stiff ankle's whole rep: the relative
    limits (the prominence from the spread, the share of the deepest rep) come from the frames and movements in the
    test's split stance, so a 5-14° rep is not lost beside the steps. Steps are still found and left to the caller.
    """
    a = np.asarray(smooth_deg, dtype=float)
    ok = np.isfinite(a)
    if ok.sum() < 3:
        return Segmentation([], [])
    filled = np.where(ok, a, np.nanmin(a))
    steps = None if stepping is None else np.asarray(stepping, dtype=bool)
    in_split = ok & ~steps if steps is not None and steps.size == a.size else ok
    scale = a[in_split] if in_split.sum() >= 3 else a[ok]
    spread = np.percentile(scale, 95) - np.percentile(scale, 5)
    prominence = max(min_excursion_deg, 0.3 * spread)
    from scipy.signal import find_peaks  # here, not at the top: scipy.signal takes 1-2 s to import

    peaks, _ = find_peaks(filled, prominence=prominence, distance=max(1, int(MIN_REP_SEPARATION_S * fps)))
    reps: list[RepWindow] = []
    rise: dict[int, float] = {}  # each rep's rise from the lowest angle SEEN beside it, by peak frame
    bounds = [0] + [int(np.argmin(filled[p:q + 1])) + p for p, q in zip(peaks[:-1], peaks[1:])] + [len(a) - 1]
    for k, p in enumerate(peaks):
        lo, hi = bounds[k], bounds[k + 1]
        base_before = float(np.min(filled[lo:p + 1]))
        base_after = float(np.min(filled[p:hi + 1]))
        peak = float(filled[p])
        start = _crossing(filled, p, lo, base_before + START_FRACTION * (peak - base_before))
        end = _crossing(filled, p, hi, base_after + START_FRACTION * (peak - base_after))
        if end - start < MIN_MOVEMENT_S * fps:
            continue
        hold = np.nonzero(filled[start:end + 1] >= peak - HOLD_BAND_DEG)[0] + start
        reps.append(RepWindow(start, int(p), end, int(hold.min()), int(hold.max()), min(base_before, base_after), peak))
        # the share-of-the-deepest test reads bases from frames with an angle: the fill of a gap (a step, a foot lost)
        # is the stance's minimum, and a bump beside it would borrow the deepest rep's depth (random_v1 r082). The
        # window keeps the filled bases: its ends are where the heel crops and the hold are looked for.
        seen = a[lo:hi + 1][ok[lo:hi + 1]]
        rise[int(p)] = peak - float(seen.min()) if seen.size else peak - min(base_before, base_after)
    if landmark_deg is not None and np.asarray(landmark_deg).size == a.size:
        reps = join_unshared_valleys(a, np.asarray(landmark_deg, float), reps, rise, prominence)
    lunges = [r for r in reps if _stepping_share(steps, r) <= MAX_STEPPING_SHARE] or reps
    if not lunges:
        return Segmentation([], [])
    deepest = max(rise[r.peak] for r in lunges)
    reps = [r for r in reps if rise[r.peak] >= MIN_RELATIVE_EXCURSION * deepest]
    return Segmentation(reps, _small_movements(filled, fps, min_excursion_deg, steps, reps, deepest))


def valley_dips(smooth_deg: np.ndarray, landmark_deg: np.ndarray, a: RepWindow, b: RepWindow) -> tuple[float, float, int]:
    """The valley between two neighbouring reps' peaks: the smoothed angle's fall below the lower peak, the landmarks' own
    deepest valley there (at each frame between the peaks, the lower of their highest point before it, from rep a's start,
    and after it, to rep b's end, less their value: a series that only rises or only falls has none), and the valley's
    frame. NaN for the landmarks where they are missing over half the frames between the peaks."""
    s = np.asarray(smooth_deg, float)
    seg = s[a.peak:b.peak + 1]
    valley = a.peak + int(np.nanargmin(seg)) if np.isfinite(seg).any() else a.peak
    dip = float(min(a.peak_deg, b.peak_deg) - s[valley]) if np.isfinite(s[valley]) else float("nan")
    lm = np.asarray(landmark_deg, float)
    if np.isfinite(lm[a.peak:b.peak + 1]).mean() < 0.5:
        return dip, float("nan"), valley
    left = np.fmax.accumulate(np.where(np.isfinite(lm[a.start:b.peak + 1]), lm[a.start:b.peak + 1], -np.inf))[a.peak - a.start:]
    right = np.fmax.accumulate(np.where(np.isfinite(lm[a.peak:b.end + 1]), lm[a.peak:b.end + 1], -np.inf)[::-1])[::-1]
    right = right[:b.peak - a.peak + 1]
    with np.errstate(invalid="ignore"):
        depth = np.fmin(left, right) - lm[a.peak:b.peak + 1]
    depth = depth[np.isfinite(depth)]
    return dip, float(depth.max()) if depth.size else float("nan"), valley


def join_unshared_valleys(
    smooth_deg: np.ndarray, landmark_deg: np.ndarray, reps: list[RepWindow], rise: dict[int, float], limit_deg: float,
) -> list[RepWindow]:
    """Neighbouring reps whose valley the landmarks do not share are one rep: the smoothed angle (the outline) fell between
    the peaks while the knee-ankle landmarks stayed up, by under UNSHARED_VALLEY_SHARE of that fall and under the prominence
    a rep must have (`limit_deg`: the landmarks alone would not see two reps there). A shin that returns towards standing
    takes its landmarks with it; an outline that loses the shin at the rep's depth (the far shin behind the back thigh, or
    on a wall of the trousers' tone) does not (random_v19 r013: the turn fell 24 deg while the landmarks fell 5; r007: 13
    deg against 0.3). The joined window keeps the higher peak and its hold; `rise` gains its entry."""
    out: list[RepWindow] = reps[:1]
    for b in reps[1:]:
        a = out[-1]
        dip, lm_dip, valley = valley_dips(smooth_deg, landmark_deg, a, b)
        if not (np.isfinite(dip) and np.isfinite(lm_dip) and lm_dip < UNSHARED_VALLEY_SHARE * dip and lm_dip < limit_deg):
            out.append(b)
            continue
        keep = a if a.peak_deg >= b.peak_deg else b
        rise[keep.peak] = max(rise[a.peak], rise[b.peak])
        out[-1] = RepWindow(a.start, keep.peak, b.end, keep.hold_start, keep.hold_end, min(a.base_deg, b.base_deg),
                            keep.peak_deg, max(dip, a.lost_dip_deg, b.lost_dip_deg), valley)
    return out


def _small_movements(
    filled: np.ndarray, fps: float, min_excursion_deg: float, steps: np.ndarray | None, reps: list[RepWindow], deepest: float,
) -> list[SmallMovement]:
    """Movements past the sway limit, outside every rep, neither steps nor glitches: left out only for being small beside
    the reps (under 0.3 of the spread or MIN_RELATIVE_EXCURSION of the deepest), which the caller says."""
    from scipy.signal import find_peaks, peak_widths

    peaks, props = find_peaks(filled, prominence=min_excursion_deg, distance=max(1, int(MIN_REP_SEPARATION_S * fps)))
    if peaks.size == 0:
        return []
    _w, _h, left, right = peak_widths(filled, peaks, rel_height=1.0 - START_FRACTION, prominence_data=(
        props["prominences"], props["left_bases"], props["right_bases"]))
    out = []
    for p, q, lo, hi in zip(peaks, props["prominences"], left, right):
        window = RepWindow(int(lo), int(p), int(np.ceil(hi)), int(p), int(p), float(filled[p] - q), float(filled[p]))
        if any(r.start <= p <= r.end for r in reps) or window.end - window.start < MIN_MOVEMENT_S * fps:
            continue
        if _stepping_share(steps, window) > MAX_STEPPING_SHARE:
            continue
        out.append(SmallMovement(int(p), float(filled[p]), float(q), deepest))
    return out
