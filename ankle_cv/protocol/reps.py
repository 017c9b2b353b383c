"""Split the shank-angle series into forward lunges (reps): start, peak, hold and end of each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankle_cv.kinematics.fitted import MIN_EXCURSION_DEG, MIN_MOVEMENT_S

MIN_REP_SEPARATION_S = 0.8
HOLD_BAND_DEG = 1.5  # frames within this of the smoothed peak form the hold
START_FRACTION = 0.15  # a rep starts/ends where the angle is this share of the way up from its base
MIN_RELATIVE_EXCURSION = 0.4  # movements under this share of the deepest rep are stepping or sway, not reps


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


def _crossing(angle: np.ndarray, frm: int, to: int, level: float) -> int:
    """First index walking from frm towards to where the angle is at or below level."""
    step = 1 if to >= frm else -1
    for i in range(frm, to + step, step):
        if angle[i] <= level:
            return i
    return to


def segment_reps(smooth_deg: np.ndarray, fps: float, min_excursion_deg: float = MIN_EXCURSION_DEG) -> list[RepWindow]:
    """Reps as prominent peaks of the smoothed angle; bases are the minima between neighbouring peaks."""
    a = np.asarray(smooth_deg, dtype=float)
    ok = np.isfinite(a)
    if ok.sum() < 3:
        return []
    filled = np.where(ok, a, np.nanmin(a))
    spread = np.nanpercentile(a, 95) - np.nanpercentile(a, 5)
    prominence = max(min_excursion_deg, 0.3 * spread)
    from scipy.signal import find_peaks  # here, not at the top: scipy.signal takes 1-2 s to import

    peaks, _ = find_peaks(filled, prominence=prominence, distance=max(1, int(MIN_REP_SEPARATION_S * fps)))
    reps: list[RepWindow] = []
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
    if reps:
        deepest = max(r.peak_deg - r.base_deg for r in reps)
        reps = [r for r in reps if r.peak_deg - r.base_deg >= MIN_RELATIVE_EXCURSION * deepest]
    return reps
