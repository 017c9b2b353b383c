"""Edge profiles of the person's segmentation mask: the shin's front edge and the sole, at sub-pixel precision."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MASK_LEVEL = 0.5


@dataclass(frozen=True)
class MaskProfiles:
    """Per-row outermost mask x (both directions) and per-column lowest mask y of one frame, in pixels."""

    right_x: np.ndarray  # (H,) largest x inside the person per row, NaN where the row is empty
    left_x: np.ndarray  # (H,) smallest x inside the person per row
    bottom_y: np.ndarray  # (W,) largest y inside the person per column


def _last_true(inside: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the last True along axis 1 and whether the row has any."""
    n = inside.shape[1]
    any_ = np.asarray(inside.any(axis=1))
    last = n - 1 - np.argmax(inside[:, ::-1], axis=1)
    return last, any_


def _refine(values: np.ndarray, idx: np.ndarray, step: int) -> np.ndarray:
    """Sub-pixel crossing of MASK_LEVEL between idx and idx+step, by linear interpolation."""
    rows = np.arange(values.shape[0])
    nxt = np.clip(idx + step, 0, values.shape[1] - 1)
    a = values[rows, idx]
    b = values[rows, nxt]
    denom = a - b
    frac = np.where(np.abs(denom) > 1e-6, (a - MASK_LEVEL) / np.where(np.abs(denom) > 1e-6, denom, 1.0), 0.0)
    return idx + step * np.clip(frac, 0.0, 1.0)


def mask_profiles(mask: np.ndarray) -> MaskProfiles:
    """Profiles of a soft (0..1) person mask of shape (H, W) or (H, W, 1)."""
    m = np.asarray(mask, dtype=np.float32).reshape(mask.shape[0], mask.shape[1])
    inside = m >= MASK_LEVEL
    last, has = _last_true(inside)
    right = np.where(has, _refine(m, last, 1), np.nan)
    first, _ = _last_true(inside[:, ::-1])
    first = m.shape[1] - 1 - first
    left = np.where(has, _refine(m, first, -1), np.nan)
    mt = m.T
    low, has_c = _last_true(inside.T)
    bottom = np.where(has_c, _refine(mt, low, 1), np.nan)
    return MaskProfiles(right.astype(np.float32), left.astype(np.float32), bottom.astype(np.float32))
