"""The mask's edge profiles are the outermost inside pixels of each row and column, refined to the 0.5 crossing."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.pose.silhouette import MASK_LEVEL, mask_profiles


def _crossing(values: np.ndarray, i: int, step: int) -> float:
    """Sub-pixel position where values crosses MASK_LEVEL going from index i to i + step (i itself when flat or at the edge)."""
    j = min(max(i + step, 0), values.size - 1)
    a, b = float(values[i]), float(values[j])
    frac = (a - MASK_LEVEL) / (a - b) if abs(a - b) > 1e-6 else 0.0
    return i + step * min(max(frac, 0.0), 1.0)


def _profiles_one_by_one(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same profiles with a loop per row and column (the reference)."""
    h, w = m.shape
    right, left, bottom = np.full(h, np.nan), np.full(h, np.nan), np.full(w, np.nan)
    for y in range(h):
        xs = np.flatnonzero(m[y] >= MASK_LEVEL)
        if xs.size:
            right[y], left[y] = _crossing(m[y], int(xs[-1]), 1), _crossing(m[y], int(xs[0]), -1)
    for x in range(w):
        ys = np.flatnonzero(m[:, x] >= MASK_LEVEL)
        if ys.size:
            bottom[x] = _crossing(m[:, x], int(ys[-1]), 1)
    return right, left, bottom


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_profiles_match_a_row_by_row_reading(seed: int) -> None:
    rng = np.random.default_rng(seed)
    h, w = 60, 90
    yy, xx = np.mgrid[0:h, 0:w]
    blob = np.exp(-(((xx - rng.uniform(20, 70)) / 18.0) ** 2 + ((yy - rng.uniform(15, 45)) / 12.0) ** 2))  # a soft person
    mask = (blob + 0.2 * rng.random((h, w))).clip(0, 1).astype(np.float32)
    mask[:, :3] = 0.0  # empty columns and rows are NaN
    mask[:4] = 0.0
    got = mask_profiles(mask[..., None])
    want = _profiles_one_by_one(mask)
    for g, r in zip((got.right_x, got.left_x, got.bottom_y), want):
        assert np.array_equal(np.isnan(g), np.isnan(r))
        np.testing.assert_allclose(g[~np.isnan(g)], r[~np.isnan(r)], atol=1e-4)
