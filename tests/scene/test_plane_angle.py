"""Shin angles read in the leg's plane through the marker sheet's homography (camera yaw, pitch, roll undone)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.scene.camera_geometry import CameraGeometry
from ankle_cv.scene.plane_angle import image_line_points, plane_inclination_deg
from ankle_cv.settings import Settings
from tests.synthetic_legs import make_series, rep_profile

FPS = 30.0
LANDMARKS_ONLY = Settings(use_silhouette=False)


def _rotation(yaw_deg: float, pitch_deg: float, roll_deg: float) -> np.ndarray:
    y, p, r = np.radians([yaw_deg, pitch_deg, roll_deg])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    rx = np.array([[1, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    return ry @ rx @ rz


def _camera(yaw_deg: float, pitch_deg: float, roll_deg: float):
    """Pinhole camera 2.5 m to the side of the leg's plane (z = 0): world x forward, y up, z towards the camera."""
    rot = _rotation(yaw_deg, pitch_deg, roll_deg)
    centre = np.array([0.2, 0.9, 2.5])
    k = np.array([[800.0, 0, 640], [0, 800.0, 360], [0, 0, 1]])

    def project(points: np.ndarray) -> np.ndarray:
        c = (np.atleast_2d(points) - centre) @ rot
        cam = np.stack([c[:, 0], -c[:, 1], -c[:, 2]], axis=1)  # x right, y down, z along the view
        uv = cam @ k.T
        return uv[:, :2] / uv[:, 2:]

    return project


def _leg_plane_homography(project, forward: float) -> np.ndarray:
    """The 150 mm marker square standing 12 cm nearer the camera than the leg, x along the print."""
    square_mm = np.array([[0, 0], [150, 0], [150, 150], [0, 150]], float)
    world = np.array([[0.3 + forward * x / 1000, y / 1000, 0.12] for x, y in square_mm])
    h, _ = cv2.findHomography(square_mm, project(world))
    return h


@pytest.mark.parametrize("yaw, pitch, roll", [(0, 0, 0), (15, 0, 0), (-20, 5, 0), (10, -10, 3), (25, 8, -4)])
@pytest.mark.parametrize("facing_world", [1, -1])
@pytest.mark.parametrize("sheet_forward", [1, -1])
def test_the_true_angle_comes_back_through_the_sheet(yaw: float, pitch: float, roll: float, facing_world: int, sheet_forward: float) -> None:
    """Whatever the camera's pose, the way the person faces, or which way the print runs."""
    project = _camera(yaw, pitch, roll)
    h = _leg_plane_homography(project, sheet_forward)
    truth = np.array([5.0, 25.0, 40.0, 48.0])
    ankle = np.array([0.0, 0.08, 0.0])
    t = np.radians(truth)
    knees = ankle + 0.4 * np.stack([facing_world * np.sin(t), np.cos(t), np.zeros_like(t)], axis=1)
    a_px = np.repeat(project(ankle), truth.size, axis=0)
    k_px = project(knees)
    forward_px = project(ankle + np.array([facing_world * 0.3, 0, 0]))[0]
    facing = 1 if forward_px[0] > a_px[0, 0] else -1
    got = plane_inclination_deg(a_px, k_px, h, facing)
    assert got == pytest.approx(truth, abs=0.02)
    naive = np.degrees(np.arctan2(facing * (k_px[:, 0] - a_px[:, 0]), a_px[:, 1] - k_px[:, 1]))
    if abs(yaw) >= 15:  # the image alone is off by a degree or more: the correction is not vacuous
        assert np.max(np.abs(naive - truth)) > 1.0


def test_image_line_points_follow_the_given_vertical() -> None:
    up = np.array([np.sin(np.radians(3.0)), -np.cos(np.radians(3.0))])
    knee = image_line_points(np.array([[100.0, 500.0]]), np.array([0.0]), 1, up, 100.0)
    assert knee[0] == pytest.approx([100.0 + 100 * np.sin(np.radians(3.0)), 500.0 - 100 * np.cos(np.radians(3.0))])


@pytest.mark.parametrize("facing", [1, -1])
def test_analysis_reads_rep_peaks_in_the_leg_plane(facing: int) -> None:
    """A camera yawed 30 deg shows tan(theta) * cos(30); the sheet's homography gives the true peaks back."""
    peaks = [30.0, 42.0]
    cos_yaw = np.cos(np.radians(30.0))
    shown = np.degrees(np.arctan(np.tan(np.radians(rep_profile(FPS, peaks))) * cos_yaw))
    s = make_series(shown, FPS, facing=facing)
    px_per_mm = 0.5  # the sheet's plane: x squeezed by the yaw, y up in the sheet = down in the image
    h = np.array([[px_per_mm * cos_yaw * facing, 0, 200.0], [0, -px_per_mm, 600.0], [0, 0, 1.0]])
    plain = analyze_series(s, FPS, LANDMARKS_ONLY)
    through = analyze_series(s, FPS, LANDMARKS_ONLY, camera=CameraGeometry(leg_plane_homography=tuple(h.ravel())))
    assert [r.tibial_inclination_deg for r in plain.reps] == pytest.approx([26.6, 38.1], abs=0.3)
    assert [r.tibial_inclination_deg for r in through.reps] == pytest.approx(peaks, abs=0.3)
    # Drawing stays in the image: the engineered knee is where the picture shows it.
    assert np.nanmax(np.abs(through.front_xy["knee"] - plain.front_xy["knee"])) < 1e-6
