"""The wall's base ahead of each tested foot, read from the rest frames' pixels (scene/wall_base on a still median).

The centimetres need the wall. The upright sheet shows it; otherwise it was placed at the stated toe distance.
Here the picture is asked first: the rest frames around the tested foot are cut (the crops the heel reading
uses come from the same kept pixels), their median is a still background, the person's own outline is
masked off from the silhouette's front edge, and `find_wall_base` looks for the wall's base ahead of the toe.
"""

from __future__ import annotations

import warnings

import cv2
import numpy as np

from ankle_cv.enums import Side
from ankle_cv.kinematics.heel_edge import CropReader
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.scene.marker import MarkerTrack
from ankle_cv.scene.wall_base import SEARCH_FOOT, SIDE_FOOT, SPAN_FOOT, WallBase, find_wall_base

MAX_FRAMES = 9  # rest frames whose median makes the still background (spread over the clip's rests)
PERSON_MARGIN_PX = 2.0  # pixels beyond the silhouette's front edge still counted as the person (its soft edge)
MIN_FRAMES = 3
PAPER_PER_SQUARE = 1.6  # a marker's paper around its black square, widened (renders' paper: 1.33; the product's sheet is larger but its
# edges beyond this are far from the square and straight up: the search's slant and its nearest-step rule pass them by)


def _box(toe: np.ndarray, facing: int, foot_px: float, size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The picture's box the search reads: ahead of the toe along the floor, above and below the sole's line."""
    reach = SEARCH_FOOT[1] + SPAN_FOOT[0] + SIDE_FOOT
    x_near, x_far = toe[0] - facing * 0.5 * foot_px, toe[0] + facing * reach * foot_px
    x0, x1 = sorted((x_near, x_far))
    y0, y1 = toe[1] - 0.5 * foot_px, toe[1] + 0.6 * foot_px
    w, h = size
    box = (max(0, int(x0)), max(0, int(y0)), min(w, int(np.ceil(x1))), min(h, int(np.ceil(y1))))
    return box if box[2] - box[0] >= 8 and box[3] - box[1] >= 8 else None


def _person(series: PoseSeries, frames: np.ndarray, facing: int, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The box's pixels behind the silhouette's front edge (median over the frames), row by row."""
    if not series.has_mask or series.mask_rows_y is None:
        return None
    edge = np.asarray(series.mask_right_x if facing > 0 else series.mask_left_x, float)[frames]
    rows = np.asarray(series.mask_rows_y, float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows the person never reaches are all NaN: no person there
        front = np.nanmedian(edge, axis=0) if np.isfinite(edge).any() else np.full(rows.size, np.nan)
    x0, y0, x1, y1 = box
    ys = np.arange(y0, y1, dtype=float)
    known = np.isfinite(front)
    if known.sum() < 2:
        return None
    front_y = np.interp(ys, rows[known], front[known], left=np.nan, right=np.nan)
    gap = np.diff(rows).mean() if rows.size > 1 else 1.0
    nearest = np.min(np.abs(ys[:, None] - rows[known][None, :]), axis=1)
    front_y[nearest > 1.5 * gap] = np.nan  # rows far from any row with the person: no person there
    xs = np.arange(x0, x1, dtype=float)
    return np.isfinite(front_y)[:, None] & (facing * (xs[None, :] - front_y[:, None]) <= PERSON_MARGIN_PX)


def _paper(marker: MarkerTrack | None, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The box's pixels a marker sheet covers (its square widened to the paper around it): its edges are no wall."""
    if marker is None or not marker.observations:
        return None
    corners = np.median(np.stack([o.corners_px for o in marker.observations]), axis=0)
    centre = corners.mean(axis=0)
    paper = centre + (corners - centre) * PAPER_PER_SQUARE - np.array(box[:2], float)
    mask = np.zeros((box[3] - box[1], box[2] - box[0]), np.uint8)
    cv2.fillConvexPoly(mask, np.round(paper).astype(np.int32), 1)
    return mask.astype(bool)


def leg_wall_base(
    analysis: Analysis, series: PoseSeries, side: Side, toe_px: np.ndarray, rest_mask: np.ndarray, read_crops: CropReader,
    marker: MarkerTrack | None = None,
) -> WallBase | None:
    """The wall's base ahead of one tested leg's toe tip (found on its rest frames, `rest_mask`), or None when the
    picture does not show it."""
    rest = np.flatnonzero(rest_mask)
    heel, toe = analysis.front_xy["heel"][rest], analysis.front_xy["toe"][rest]
    keep = np.isfinite(heel).all(axis=1) & np.isfinite(toe).all(axis=1)
    rest, heel, toe = rest[keep], heel[keep], toe[keep]
    if rest.size < MIN_FRAMES or not np.all(np.isfinite(toe_px)):
        return None
    forward = np.median(toe - heel, axis=0)
    foot_px = float(np.median(np.linalg.norm(toe - heel, axis=1)))
    facing = 1 if forward[0] > 0 else -1
    box = _box(toe_px, facing, foot_px, (series.width, series.height))
    if box is None:
        return None
    chosen = rest[np.linspace(0, rest.size - 1, min(MAX_FRAMES, rest.size)).round().astype(int)]
    crops = read_crops({int(i): box for i in chosen})
    greys = [c.grey for c in crops.values() if (c.x0, c.y0) == box[:2] and c.grey.shape == (box[3] - box[1], box[2] - box[0])]
    if len(greys) < MIN_FRAMES:
        return None
    still = np.median(np.stack(greys), axis=0).astype(np.float32)
    person = _person(series, chosen, facing, box)
    paper = _paper(marker, box)
    if paper is not None:
        person = paper if person is None else person | paper
    origin = np.array(box[:2], float)
    found = find_wall_base(still, np.asarray(toe_px, float) - origin, forward / np.linalg.norm(forward), foot_px, person)
    if found is None:
        return None
    return WallBase(found.point_px + origin, found.ahead_px, found.slant_deg, found.step, found.agreement, found.rivals)
