"""Robust 1-D signal helpers for landmark time series (NaN-aware, zero-phase)."""

from __future__ import annotations

import numpy as np


def interpolate_gaps(values: np.ndarray, max_gap: int | None = None) -> np.ndarray:
    """Fill NaN runs linearly (ends held); runs longer than max_gap stay NaN."""
    y = np.asarray(values, dtype=float).copy()
    ok = np.isfinite(y)
    if ok.sum() == 0:
        return y
    idx = np.arange(y.size)
    filled = np.interp(idx, idx[ok], y[ok])
    if max_gap is not None:
        gap_id = np.cumsum(ok)
        run_len = np.bincount(gap_id[~ok], minlength=gap_id.max() + 1) if (~ok).any() else None
        if run_len is not None:
            too_long = (~ok) & (run_len[gap_id] > max_gap)
            filled[too_long] = np.nan
    return filled


def lowpass(values: np.ndarray, fps: float, cutoff_hz: float = 3.0, order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass over a gap-filled copy; NaNs stay where they were."""
    y = np.asarray(values, dtype=float)
    ok = np.isfinite(y)
    if ok.sum() < 3 * (order + 1) or cutoff_hz >= fps / 2:
        return y.copy()
    filled = interpolate_gaps(y)
    from scipy.signal import butter, filtfilt  # here, not at the top: scipy.signal takes 1-2 s to import

    b, a = butter(order, cutoff_hz / (fps / 2))
    pad = min(3 * max(len(a), len(b)), filled.size - 1)
    out = filtfilt(b, a, filled, padlen=pad)
    out[~ok] = np.nan
    return out


def odd_window(fps: float, seconds: float) -> int:
    """About `seconds` of samples as a centred running window: odd, at least 3 (rounded, so 29.97 fps is 30)."""
    return max(3, int(round(fps * seconds)) | 1)


def rolling_median(values: np.ndarray, window: int) -> np.ndarray:
    """Centred running median that ignores NaN (window in samples, odd)."""
    y = np.asarray(values, dtype=float)
    window = max(1, int(window) | 1)
    if window == 1:
        return y.copy()
    filled = interpolate_gaps(y)
    if not np.isfinite(filled).any():
        return y.copy()
    from scipy.ndimage import median_filter  # imported here: scipy.ndimage takes ~0.3 s, before tracking if at the top

    return median_filter(filled, size=window, mode="nearest")


def hysteresis(signal: np.ndarray, on: float, off: float) -> np.ndarray:
    """Boolean state that turns on above `on` and off below `off` (NaN keeps the state)."""
    state = False
    out = np.zeros(len(signal), dtype=bool)
    for i, v in enumerate(signal):
        if np.isfinite(v):
            if not state and v >= on:
                state = True
            elif state and v <= off:
                state = False
        out[i] = state
    return out


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end_inclusive) index pairs of the True runs of a boolean array."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    d = np.diff(m.astype(int))
    starts = np.nonzero(d == 1)[0]
    ends = np.nonzero(d == -1)[0] - 1
    return list(zip(starts.tolist(), ends.tolist()))
