"""Shin angles in the leg's own plane, through the marker sheet's homography.

The sheet stands upright beside the foot, parallel to the leg's plane. A 3D direction in any plane
parallel to the sheet is imaged towards one vanishing point on the sheet's vanishing line, so an image
line's direction in that plane follows from the sheet's homography alone, whatever the camera's yaw,
pitch, roll and the leg's depth: the foreshortening of an oblique camera (tan θ' = tan θ · cos yaw)
and the perspective tilt of a high or low camera are undone, and the sheet's vertical is the true one.
"""

from __future__ import annotations

import numpy as np

from ankle_cv.scene.camera_geometry import forward_of


def _forward_sign(h: np.ndarray, hinv: np.ndarray, facing: int) -> float:
    """+1 when the sheet's x axis points the way the person faces in the image (towards the wall)."""
    centre = h @ np.array([0.0, 0.0, 1.0])
    p0 = centre[:2] / centre[2]
    a = hinv @ np.array([p0[0], p0[1], 1.0])
    b = hinv @ np.array([p0[0] + 10.0 * facing, p0[1], 1.0])
    return 1.0 if (b[0] / b[2] - a[0] / a[2]) > 0 else -1.0


def plane_inclination_deg(lower_px: np.ndarray, upper_px: np.ndarray, homography: np.ndarray, facing: int) -> np.ndarray:
    """Inclination from the true vertical, in the sheet's plane, of the 3D line imaged through lower->upper (+ = facing)."""
    h = np.asarray(homography, float).reshape(3, 3)
    lower = np.atleast_2d(np.asarray(lower_px, float))
    upper = np.atleast_2d(np.asarray(upper_px, float))
    ones = np.ones((lower.shape[0], 1))
    lines = np.cross(np.hstack([lower, ones]), np.hstack([upper, ones]))
    hinv = np.linalg.inv(h)
    horizon = hinv.T @ np.array([0.0, 0.0, 1.0])  # the sheet plane's vanishing line
    vanishing = np.cross(lines, horizon)
    d = vanishing @ hinv.T  # sheet-plane direction (x, y, ~0) per row
    d = np.where(d[:, 1:2] < 0, -d, d)  # knee above ankle: the sheet's y is up
    return np.degrees(np.arctan2(_forward_sign(h, hinv, facing) * d[:, 0], d[:, 1]))


def image_line_points(ankle_px: np.ndarray, angle_deg: np.ndarray, facing: int, up: np.ndarray, length_px: float) -> np.ndarray:
    """Where the knee end of a shank at angle_deg (against the image vertical `up`) lies in the image."""
    a = np.radians(np.asarray(angle_deg, float))[:, None]
    fwd = forward_of(up, facing)
    return np.asarray(ankle_px, float) + length_px * (np.cos(a) * up[None, :] + np.sin(a) * fwd[None, :])
