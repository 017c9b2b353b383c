"""The heel's crops in a colour that tells the foot from the floor and its shadow alike, for where grey cannot (pure numpy).

In dim light a bare heel can be as dark as its own contact shadow, and a lifted heel over a floor in the other leg's
shadow shows the floor between heel and shadow no brighter than the heel: the grey step followed is then the shadow's
upper border, which stays on the floor (random_v17 r013, a far 100 px bare heel, dim: 20 mm lifts read -0.2 % and
-1.5 %; random_v16 r011, random_v11 r001). A shadow darkens the floor but keeps its colour, while skin or a coloured shoe
differs from the floor in colour. So the crops are projected on the part of the foot's colour that no brightness of the
floor's colour explains (the foot's colour less its projection on the floor's): the floor, lit or shadowed, reads ~0
there and the foot its own contrast, and the same edge reader (kinematics/heel_edge) finds the foot's bottom in it.
Where the foot's colour is nearly a shade of the floor's (a black or grey shoe on a grey floor) there is no such
colour: None.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ankle_cv.kinematics.fitted import COLOUR_SCALE, MIN_COLOUR_CONTRAST  # fitted: see fitted.py (chosen, not fitted)
from ankle_cv.kinematics.heel_edge import FootCrop, SoleColumns

FOOT_ROWS_FOOT = (0.2, 0.06)  # the foot's colour: rows this far (foot lengths) above to this far above the flat foot's bottom
FLOOR_ROWS_FOOT = (0.04, 0.15)  # the floor's colour: rows this far to this far below it (beyond the contact shadow's core)
FLOOR_ROWS_PX = 2.0  # ... and at least this many pixels below it (the edge's blur)


def _median_colour(crops: list[FootCrop], xs: np.ndarray, y0: float, y1: float) -> np.ndarray | None:
    """The median RGB of the crops' pixels in image columns xs, image rows y0..y1 (None: none there)."""
    ref = crops[0]
    cols = np.asarray(xs, int) - ref.x0
    cols = cols[(cols >= 0) & (cols < ref.grey.shape[1])]
    r0, r1 = max(int(np.floor(y0)) - ref.y0, 0), min(int(np.ceil(y1)) - ref.y0, ref.grey.shape[0])
    if not cols.size or r1 <= r0 or any(c.rgb is None for c in crops):
        return None
    px = np.concatenate([np.asarray(c.rgb, float)[r0:r1][:, cols].reshape(-1, 3) for c in crops if c.rgb is not None])
    return np.median(px, axis=0) if px.size else None


def foot_colour_axis(rest: list[FootCrop], sole: SoleColumns) -> np.ndarray | None:
    """The RGB direction in which the flat foot's heel differs from every shade of the floor under it, scaled so the heel
    reads COLOUR_SCALE and the floor 0; None where the crops have no colour or that difference is under
    MIN_COLOUR_CONTRAST grey levels."""
    if not rest or not np.isfinite(sole.foot_px):
        return None
    foot = _median_colour(rest, sole.heel_x, sole.heel_y - FOOT_ROWS_FOOT[0] * sole.foot_px, sole.heel_y - FOOT_ROWS_FOOT[1] * sole.foot_px)
    floor = _median_colour(rest, sole.heel_x, sole.heel_y + max(FLOOR_ROWS_FOOT[0] * sole.foot_px, FLOOR_ROWS_PX),
                           sole.heel_y + max(FLOOR_ROWS_FOOT[1] * sole.foot_px, FLOOR_ROWS_PX + 2.0))
    if foot is None or floor is None or not np.linalg.norm(floor) > 0:
        return None
    shade = floor / np.linalg.norm(floor)
    away = foot - float(foot @ shade) * shade
    contrast = float(np.linalg.norm(away))
    return away * (COLOUR_SCALE / contrast ** 2) if contrast >= MIN_COLOUR_CONTRAST else None


def colour_crops(crops: Mapping[int, FootCrop], axis: np.ndarray) -> dict[int, FootCrop]:
    """The crops projected on a colour axis (foot_colour_axis): the floor and its shadows ~0, the foot its contrast."""
    w = np.asarray(axis, np.float32)
    return {i: FootCrop(c.x0, c.y0, np.asarray(c.rgb, np.float32) @ w) for i, c in crops.items() if c.rgb is not None}
