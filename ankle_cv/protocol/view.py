"""How the camera sees the tested leg (side, oblique, front) from the landmarks' proportions (pure)."""

from __future__ import annotations

import numpy as np

from ankle_cv.enums import View
from ankle_cv.pose.landmarks import LEFT_HIP, RIGHT_HIP, PoseSeries

# Hips apart / shank length and foot length / shank length that mark a view. Set by hand in the first version
# (9a32296), not fitted: a side view shows the hips nearly on top of each other and the foot at full length (~0.6
# shank), a front view the hips a shank-half apart and the foot foreshortened. The Is-it-the-test check's front view
# (protocol.movement, fitted.FRONT_VIEW_SHOULDER_RATIO) uses the shoulders, which separate the views more cleanly.
FRONT_HIP_RATIO = 0.55
FRONT_FOOT_RATIO = 0.25
OBLIQUE_HIP_RATIO = 0.3
OBLIQUE_FOOT_RATIO = 0.38


def camera_view(series: PoseSeries, shank_px: float, foot_px: float) -> tuple[View, float]:
    """Side, oblique or front view (and the hips' apparent width per shank) from how wide the hips and how long the feet look."""
    hips = np.linalg.norm(series.point(LEFT_HIP) - series.point(RIGHT_HIP), axis=1)
    hip_ratio = float(np.nanmedian(hips) / shank_px) if np.isfinite(shank_px) and shank_px > 0 else np.nan
    foot_ratio = foot_px / shank_px if np.isfinite(shank_px) and shank_px > 0 else np.nan
    if not np.isfinite(hip_ratio):
        return View.UNKNOWN, hip_ratio
    if hip_ratio > FRONT_HIP_RATIO or (np.isfinite(foot_ratio) and foot_ratio < FRONT_FOOT_RATIO):
        return View.FRONT, hip_ratio
    if hip_ratio > OBLIQUE_HIP_RATIO or (np.isfinite(foot_ratio) and foot_ratio < OBLIQUE_FOOT_RATIO):
        return View.OBLIQUE, hip_ratio
    return View.SIDE, hip_ratio
