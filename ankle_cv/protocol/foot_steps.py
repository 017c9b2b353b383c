"""Whether the front foot really stepped away, from the silhouette: the pose model's foot landmarks jump to the other
foot near the wall for a second or so (bridged as a glitch), but a real step between reps moves the whole foot, and then
the person's silhouette no longer reaches the floor where the foot stood (random_v13 r010, random_v8 r007: the stepping
frames show no silhouette at all over the foot's place, 2.4-3.8 foot lengths clear where a landmark jump's frames keep
it within 0.2). Pure: numpy only.
"""

from __future__ import annotations

import warnings

import numpy as np

# A frame's silhouette whose lowest point over the foot's place lies more than this many foot lengths above where it
# lies while the foot stands there (or that has none there) has the foot elsewhere: physical, not fitted (a standing
# foot's silhouette reaches its sole; a heel lifted for the test rises millimetres, a stepping foot leaves; the renders'
# planted frames sit within 0.4 foot of their median, the stepping frames 2.4 and more above it or empty).
STEP_CLEAR_FOOT = 1.0


def silhouette_left_foot(
    bottom_y: np.ndarray, cols_x: np.ndarray, heel: np.ndarray, toe: np.ndarray, planted: np.ndarray,
) -> np.ndarray:
    """Per frame, whether the silhouette has left the columns where the front foot stands (False where unknown).

    bottom_y: (N, W) the silhouette's lowest y per sampled column (NaN: none); cols_x: (W,) those columns' x;
    heel, toe: (N, 2) the front foot's landmarks; planted: (N,) frames with the foot at its place (they set the place).
    """
    out = np.zeros(planted.shape, bool)
    if not planted.any():
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # landmarks or silhouette missing: NaN, unknown
        hx, tx = np.nanmedian(heel[planted, 0]), np.nanmedian(toe[planted, 0])
        foot = np.nanmedian(np.linalg.norm(toe[planted] - heel[planted], axis=1))
        if not (np.isfinite(hx) and np.isfinite(tx) and np.isfinite(foot) and foot > 0):
            return out
        place = (cols_x >= min(hx, tx)) & (cols_x <= max(hx, tx))
        if not place.any():
            return out
        lowest = np.nanmax(bottom_y[:, place], axis=1)  # image y grows downwards
        standing = np.nanmedian(lowest[planted])
        if not np.isfinite(standing):
            return out
    seen = np.isfinite(bottom_y).any(axis=1)  # a frame without any silhouette says nothing
    clear = ~np.isfinite(lowest) | (standing - lowest > STEP_CLEAR_FOOT * foot)
    return seen & clear


def bridge_glitches(planted: np.ndarray, max_run: int, stepped: np.ndarray | None = None) -> np.ndarray:
    """Treat short 'not planted' runs (at most max_run frames, planted on both sides) as landmark jumps (legs confused
    near the wall), not as stepping away, unless the silhouette left the foot's place in most of the run's frames."""
    out = planted.copy()
    n, i = planted.size, 0
    while i < n:
        if planted[i]:
            i += 1
            continue
        j = i
        while j < n and not planted[j]:
            j += 1
        left = stepped is not None and 2 * int(stepped[i:j].sum()) > j - i
        if 0 < i and j < n and j - i <= max_run and not left:
            out[i:j] = True
        i = j
    return out
