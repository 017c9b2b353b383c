"""How clearly the picture shows the toe tip the silhouette ends at: the grey step across its front edge (rest frames).

The equivalent toe-to-wall distance is measured from the toe tip, the silhouette's foremost point at the toes. Where
the shoe (or foot) is as dark as the floor ahead of it, the segmentation stops short of the tip (a black shoe on a black
floor: the tip 3 cm behind, read as surely as a clear one). The step across the silhouette's front edge at the toes'
rows, on the still median of the rest frames, says whether the edge the toe was read at is one the picture shows.
"""

from __future__ import annotations

import warnings

import numpy as np

from ankle_cv.enums import Side
from ankle_cv.kinematics.heel_edge import CropReader
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import Analysis

MAX_FRAMES = 9  # rest frames whose median makes the still picture (as wall_in_view)
MIN_FRAMES = 3
BOX_FOOT = 0.35  # the box read: this many foot lengths around the toe tip
ROWS_FOOT = 0.08  # the silhouette's rows within this of the toe tip's row are its front
BAND_FOOT = (0.04, 0.12)  # grey levels compared this far behind and ahead of the front edge (foot lengths)
MIN_ROWS = 2


def _sample_row(still: np.ndarray, row: float, xs: np.ndarray) -> np.ndarray:
    """Grey levels of the still crop along one row (nearest pixel), NaN outside it."""
    r = int(round(row))
    cols = np.round(xs).astype(int)
    ok = (0 <= r < still.shape[0]) & (cols >= 0) & (cols < still.shape[1])
    out = np.full(xs.size, np.nan)
    if 0 <= r < still.shape[0]:
        out[ok] = still[r, cols[ok]]
    return out


def toe_edge_contrast(
    analysis: Analysis, series: PoseSeries, side: Side, toe_px: np.ndarray, rest_mask: np.ndarray, read_crops: CropReader,
) -> float:
    """The median grey step (0-255) across the silhouette's front edge at the toe tip's rows, NaN where it cannot be read."""
    del side  # the rest frames are this leg's already
    rest = np.flatnonzero(rest_mask)
    heel, toe = analysis.front_xy["heel"][rest], analysis.front_xy["toe"][rest]
    keep = np.isfinite(heel).all(axis=1) & np.isfinite(toe).all(axis=1)
    rest, heel, toe = rest[keep], heel[keep], toe[keep]
    if rest.size < MIN_FRAMES or not np.all(np.isfinite(toe_px)) or not series.has_mask or series.mask_rows_y is None:
        return float("nan")
    forward = np.median(toe - heel, axis=0)
    foot_px = float(np.median(np.linalg.norm(toe - heel, axis=1)))
    if not foot_px > 0:
        return float("nan")
    facing = 1 if forward[0] > 0 else -1
    half = BOX_FOOT * foot_px
    w, h = series.width, series.height
    box = (max(0, int(toe_px[0] - half)), max(0, int(toe_px[1] - half)), min(w, int(np.ceil(toe_px[0] + half))),
           min(h, int(np.ceil(toe_px[1] + half))))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return float("nan")
    chosen = rest[np.linspace(0, rest.size - 1, min(MAX_FRAMES, rest.size)).round().astype(int)]
    crops = read_crops({int(i): box for i in chosen})
    shape = (box[3] - box[1], box[2] - box[0])
    greys = [c.grey for c in crops.values() if (c.x0, c.y0) == box[:2] and c.grey.shape == shape]
    if len(greys) < MIN_FRAMES:
        return float("nan")
    still = np.median(np.stack(greys), axis=0).astype(np.float32)
    rows = np.asarray(series.mask_rows_y, float)
    near = np.abs(rows - toe_px[1]) <= ROWS_FOOT * foot_px
    edge_all = np.asarray(series.mask_right_x if facing > 0 else series.mask_left_x, float)[chosen][:, near]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows the silhouette never reaches: all NaN
        edge = np.nanmedian(edge_all, axis=0) if edge_all.size else np.array([])
    offsets = np.arange(BAND_FOOT[0] * foot_px, BAND_FOOT[1] * foot_px + 1e-9, 1.0)
    if offsets.size == 0:
        offsets = np.array([BAND_FOOT[0] * foot_px])
    steps = []
    for row, x in zip(rows[near], edge, strict=True):
        if not np.isfinite(x) or abs(facing * (x - toe_px[0])) > 0.2 * foot_px:
            continue  # not the toes' front (the mask's edge elsewhere on that row)
        inside = _sample_row(still, row - box[1], x - box[0] - facing * offsets)
        outside = _sample_row(still, row - box[1], x - box[0] + facing * offsets)
        if np.isfinite(inside).sum() >= 2 and np.isfinite(outside).sum() >= 2:
            steps.append(abs(float(np.nanmean(inside)) - float(np.nanmean(outside))))
    return float(np.median(steps)) if len(steps) >= MIN_ROWS else float("nan")
