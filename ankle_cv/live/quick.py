"""Per-frame quick estimates for the live display: front leg, shin angle, floor tilt, brightness.

Each works on one frame so it keeps up with the camera. Where the analysis core has a per-frame building block (the
shin-edge fit in shank.py) it is reused, so the live numbers follow the core's method; the session's result is still
computed by the core over all frames at the end. The heel is not read here: live shows the running analysis's reading.
"""

from __future__ import annotations

import math

import numpy as np

from ankle_cv.kinematics.shank import axis_from_edge_deg, edge_angle
from ankle_cv.pose.landmarker import FramePose
from ankle_cv.pose.landmarks import LEG_INDEX

FRONT_MARGIN = 0.35  # feet closer than this (foot lengths) along the facing direction: keep the previous front leg


def leg_points(pose: FramePose, side: str) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """One leg's points (pixels) and visibilities from a frame's landmarks."""
    ids = LEG_INDEX[side]
    return {k: pose.image_xy[i] for k, i in ids.items()}, {k: float(pose.visibility[i]) for k, i in ids.items()}


def foot_centre(points: dict[str, np.ndarray]) -> np.ndarray:
    """Mean of ankle, heel and toe (the same stable point the core uses)."""
    return np.mean([points["ankle"], points["heel"], points["toe"]], axis=0)


def front_side(pose: FramePose, facing: int, previous: str) -> str:
    """The leg whose foot is nearer the wall; ambiguous overlaps keep the previous choice."""
    left, _ = leg_points(pose, "left")
    right, _ = leg_points(pose, "right")
    gap = facing * (foot_centre(right)[0] - foot_centre(left)[0])
    foot = np.nanmean([np.linalg.norm(left["toe"] - left["heel"]), np.linalg.norm(right["toe"] - right["heel"])])
    if not np.isfinite(gap):
        return previous or "right"
    if previous and np.isfinite(foot) and abs(gap) < FRONT_MARGIN * foot:
        return previous
    return "right" if gap > 0 else "left"


def sole_roll_deg(bottom_y: np.ndarray, heel_x: float, toe_x: float) -> float:
    """Tilt of the floor under a flat foot, from the silhouette's lowest points near heel and toe (+ clockwise)."""
    lo, hi = sorted([heel_x, toe_x])
    length = hi - lo
    if not (np.isfinite(length) and length >= 5):
        return float("nan")
    cols = np.arange(bottom_y.shape[0], dtype=float)
    third = length / 3
    ends = []
    for zone in ((cols >= lo - 0.1 * length) & (cols <= lo + third), (cols >= hi - third) & (cols <= hi + 0.1 * length)):
        y = np.where(zone, bottom_y, np.nan)
        if np.isfinite(y).sum() < 2:
            return float("nan")
        k = int(np.nanargmax(y))
        ends.append((cols[k], y[k]))
    (x0, y0), (x1, y1) = ends
    return float(math.degrees(math.atan2(y1 - y0, x1 - x0)))


def frame_luma(rgb: np.ndarray) -> float:
    """Mean grey level of a frame, from a sparse grid of pixels (cheap enough for every frame)."""
    sample = np.asarray(rgb[::8, ::8], dtype=np.float32)
    return float((sample @ np.array([0.299, 0.587, 0.114], np.float32)).mean())


def edge_angle_deg(
    edge_x: np.ndarray, anchor: np.ndarray, guesses: tuple[float, ...], length_px: float, facing: int, offset_deg: float
) -> float:
    """The shin angle from the silhouette's front edge, offset-corrected, fitted as the core fits it (NaN when no fit)."""
    rows = np.arange(edge_x.shape[0], dtype=float)
    best = (float("nan"), float("inf"))
    for g in guesses:
        if not np.isfinite(g):
            continue
        e, _ = edge_angle(edge_x, rows, anchor, g, length_px, facing, max_ahead=0.6)
        if not np.isfinite(e):
            continue
        e2, rms = edge_angle(edge_x, rows, anchor, e, length_px, facing)
        if np.isfinite(e2) and rms < best[1]:
            best = (e2, rms)
    return float(axis_from_edge_deg(best[0], offset_deg)) if np.isfinite(best[0]) else float("nan")
