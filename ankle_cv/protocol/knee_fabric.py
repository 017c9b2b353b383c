"""How far a tested leg's rest outline stands before its shank, read on its rest frames as the angle stage reads it (pure).

Loose trousers stand in front of the knee: the silhouette's foremost point at knee height is the fabric's, centimetres
ahead of the knee's skin, so the knee's distances are read short (protocol.centimetres widens their interval: the same
test fires on some real bare shins, so nothing is shifted).
"""

from __future__ import annotations

import numpy as np

from ankle_cv.kinematics.heel import heel_on_floor, rest_sole
from ankle_cv.kinematics.shank_rotation import ankle_pivot, outline_ahead_shanks, reference_profile
from ankle_cv.pose.landmarks import PoseSeries


def rest_outline_ahead_shanks(
    series: PoseSeries, front: dict[str, np.ndarray], incl_deg: np.ndarray, rest: np.ndarray, shank_px: float, facing: int,
    up: np.ndarray | None,
) -> float:
    """The rest outline's median distance ahead of the shank's axis over the mid-shin band, in shank lengths (NaN: unread)."""
    if not (series.has_mask and rest.any() and np.isfinite(shank_px) and shank_px > 0):
        return float("nan")
    edge = np.asarray(series.mask_right_x if facing > 0 else series.mask_left_x, float)
    bottom = series.mask_bottom_y
    if bottom is None:
        return float("nan")
    heel, toe, ankle = front["heel"], front["toe"], front["ankle"]
    _, base, sole = rest_sole(heel, toe, facing, rest, np.asarray(bottom, float), np.asarray(series.mask_cols_x, float))
    heel_back = heel_on_floor(sole, base, np.asarray(series.mask_cols_x, float)) if sole is not None else None
    ankle_rest = np.nanmedian(ankle[rest], axis=0)
    if not np.all(np.isfinite(ankle_rest)):
        return float("nan")
    pivot = ankle_pivot(ankle_rest, shank_px, facing, up, heel_back, sole.length_px if sole is not None else float("nan"))
    profile = reference_profile(edge[rest], np.asarray(series.mask_rows_y, float), pivot, np.asarray(incl_deg, float)[rest],
                                shank_px, facing, up)
    return outline_ahead_shanks(profile, shank_px)

