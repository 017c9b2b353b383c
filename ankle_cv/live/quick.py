"""Per-frame quick estimates for the live display: front leg, shin angle, heel rise, floor tilt, brightness.

Each works on one frame (plus a little remembered state) so it keeps up with the camera. Where the
analysis core has a per-frame building block (the shin-edge fit in shank.py, the sole zones in
heel.py) it is reused, so the live numbers follow the core's method; the session's result is
still computed by the core over all frames at the end.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import numpy as np

from ankle_cv.kinematics.heel import (
    FORE_ZONE,
    HEEL_ZONE,
    PIVOT_GAIN,
    SMOOTH_S,
    find_sole,
    zone_median,
)
from ankle_cv.kinematics.shank import axis_from_edge_deg, edge_angle
from ankle_cv.pose.landmarker import FramePose
from ankle_cv.pose.landmarks import LEG_INDEX

FRONT_MARGIN = 0.35  # feet closer than this (foot lengths) along the facing direction: keep the previous front leg
REST_FRAMES = 15  # rest silhouettes pooled into the flat-foot reference
REFERENCE_EVERY_S = 0.5


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


class QuickHeel:
    """Heel rise per frame from the silhouette's sole against recent flat-foot (rest) frames, as heel.py reads it.

    Rear-foot sole rise minus forefoot sole rise, over the sole length scaled by heel.PIVOT_GAIN,
    median over the last heel.SMOOTH_S seconds; the heel landmark (which wanders as the shin tilts) is the
    fallback when no mask is available.
    """

    def __init__(self) -> None:
        self._rest: deque[tuple[float, np.ndarray, float, float]] = deque(maxlen=REST_FRAMES)
        self._reference: tuple[np.ndarray, Any, float] | None = None  # (base, sole, length px)
        self._reference_at = -math.inf
        self._landmark_rest: deque[float] = deque(maxlen=REST_FRAMES)
        self._rises: deque[tuple[float, float]] = deque()  # (time_s, rise) over the last SMOOTH_S

    def add_rest(self, time_s: float, bottom_y: np.ndarray | None, heel: np.ndarray, toe: np.ndarray) -> None:
        """Remember a frame with the shin upright (foot flat) as reference."""
        self._landmark_rest.append(float(heel[1] - toe[1]))
        if bottom_y is not None:
            self._rest.append((time_s, np.asarray(bottom_y, float), float(heel[0]), float(toe[0])))

    def _refresh(self, time_s: float, facing: int, foot_px: float) -> None:
        """Rebuild the flat-foot silhouette and the sole from the pooled rest frames (not every frame)."""
        if not self._rest or time_s - self._reference_at < REFERENCE_EVERY_S:
            return
        self._reference_at = time_s
        # Columns the body never reaches are all-NaN: the median is taken over the others only, so that no warning is
        # raised (warnings.catch_warnings is not thread-safe, and live mode analyses on threads).
        stack = np.stack([r[1] for r in self._rest])
        seen = np.isfinite(stack).any(axis=0)
        base = np.full(stack.shape[1], np.nan)
        base[seen] = np.nanmedian(stack[:, seen], axis=0)
        heel_x = float(np.median([r[2] for r in self._rest]))
        toe_x = float(np.median([r[3] for r in self._rest]))
        cols = np.arange(base.shape[0], dtype=float)
        sole = find_sole(base, cols, heel_x, toe_x, facing, foot_px)
        self._reference = (base, sole, sole.length_px) if sole is not None else None

    def rise(self, time_s: float, bottom_y: np.ndarray | None, heel: np.ndarray, toe: np.ndarray, facing: int) -> float:
        """Heel rise as a fraction of the foot's length (NaN until a rest reference exists)."""
        foot_px = float(np.linalg.norm(toe - heel))
        if not (np.isfinite(foot_px) and foot_px > 0):
            return float("nan")
        value = float("nan")
        if bottom_y is not None:
            self._refresh(time_s, facing, foot_px)
            if self._reference is not None:
                base, sole, length = self._reference
                delta = base - np.asarray(bottom_y, float)
                rear, fore = zone_median(delta, sole.u, HEEL_ZONE), zone_median(delta, sole.u, FORE_ZONE)
                value = (rear - fore) * PIVOT_GAIN / length
        elif len(self._landmark_rest) >= 3:
            value = (float(np.median(self._landmark_rest)) - float(heel[1] - toe[1])) / foot_px
        if np.isfinite(value):
            self._rises.append((time_s, value))
        while self._rises and time_s - self._rises[0][0] > SMOOTH_S:
            self._rises.popleft()
        return float(np.median([r for _, r in self._rises])) if self._rises else float("nan")
