"""Which plane a detected marker lies in (upright sheet, wall, floor, or none we can use), from its own pose.

A printed marker is put where people put it: upright beside the foot (the sheet the product expects),
flat on the floor, taped to the wall, or held at an angle. Each gives something different (the upright
sheet: the leg's plane and the vertical; the wall: the vertical; the floor: distances along the floor), and
reading one as another gives confident wrong numbers (a floor marker read as the upright sheet made
the camera roll +86 deg). The marker's pose comes from its four corners with a phone's typical focal
length (OpenCV's IPPE for squares). A small marker's pose is two-fold ambiguous (the plane's tilt
about the line of sight can be mirrored), so every solution is tried with every hypothesis of where the
world's up lies (the printed up for a marker upright in a vertical plane, the normal for one flat on
the floor), and a hypothesis stands only if the camera it implies is plausible for filming this test
(level to looking down, little roll). Pure numpy + cv2.solvePnPGeneric.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ankle_cv.kinematics.fitted import FOCAL_FOR_CAMERA_POSE as FOCAL_PER_LONG_SIDE  # fitted: see fitted.py

PITCH_RANGE_DEG = (-20.0, 40.0)  # a camera filming the lower leg: from slightly up to steeply down (+ = down; 35 deg: 1.5 m high, 2 m away)
MAX_ROLL_DEG = 15.0  # a camera rolled more than this is not how anyone films the test (and the roll corrections stop)
MAX_SIDE_VIEW_DEG = 50.0  # an upright marker seen within this of its normal faces the camera (the side sheet)
MIN_WALL_VIEW_DEG = 55.0  # ... seen this far off its normal, it lies in a plane along the line of sight (the wall)
MAX_REPROJECTION_PX = 1.5  # a solution that misses the corners by more than this (mean, px) is not the marker's pose


@dataclass(frozen=True)
class MarkerPlane:
    """Where the marker lies: 'upright' (the side sheet, facing the camera), 'wall', 'floor' or 'unknown'."""

    kind: str
    view_angle_deg: float  # between the marker's normal and the line of sight (NaN when unknown)
    camera_pitch_deg: float  # what this plane implies about the camera (+ = looking down), NaN when unknown
    camera_roll_deg: float  # + = image rotated clockwise (true vertical leans right), NaN when unknown
    reason: str  # in words, for warnings and result.json
    rotations: tuple[np.ndarray, ...] = ()  # marker -> camera rotations of the pose solutions that support `kind`
    focal_px: float = float("nan")  # the focal length the poses assumed


def camera_matrix(image_size: tuple[int, int], focal_per_long_side: float = FOCAL_PER_LONG_SIDE) -> np.ndarray:
    """A phone-like pinhole for the image: focal length from the long side, centre at the image centre."""
    w, h = image_size
    f = focal_per_long_side * max(w, h)
    return np.array([[f, 0.0, (w - 1) / 2.0], [0.0, f, (h - 1) / 2.0], [0.0, 0.0, 1.0]])


def marker_poses(corners_px: np.ndarray, size_mm: float, k: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Both IPPE poses (rotation marker->camera, translation mm, mean reprojection error px) of a square marker."""
    s = size_mm / 2.0
    obj = np.array([[-s, s, 0.0], [s, s, 0.0], [s, -s, 0.0], [-s, -s, 0.0]])  # TL, TR, BR, BL; x right, y up, z out
    img = np.asarray(corners_px, np.float64).reshape(4, 2)
    try:
        _, rvecs, tvecs, errs = cv2.solvePnPGeneric(obj, img, k, None, flags=cv2.SOLVEPNP_IPPE_SQUARE)
    except cv2.error:
        return []
    out = []
    for rv, tv, e in zip(rvecs, tvecs, errs if errs is not None else [None] * len(rvecs)):
        rot, _ = cv2.Rodrigues(rv)
        err = float(np.ravel(e)[0]) if e is not None else 0.0
        out.append((rot, np.ravel(tv), err))
    return sorted(out, key=lambda pose: pose[2])  # the best first (sheet_pitch_deg reads the first one kept)


def camera_from_up(up_cam: np.ndarray) -> tuple[float, float]:
    """Camera pitch (+ down) and roll (+ clockwise) implied by the world's up direction in camera coordinates."""
    u = np.asarray(up_cam, float) / np.linalg.norm(up_cam)
    pitch = float(np.degrees(np.arcsin(np.clip(-u[2], -1.0, 1.0))))
    roll = float(np.degrees(np.arctan2(u[0], -u[1])))
    return pitch, roll


def _plausible(pitch: float, roll: float) -> bool:
    """A camera pose someone filming this test would use."""
    return PITCH_RANGE_DEG[0] <= pitch <= PITCH_RANGE_DEG[1] and abs(roll) <= MAX_ROLL_DEG


def classify_marker_plane(corners_px: np.ndarray, size_mm: float, image_size: tuple[int, int]) -> MarkerPlane:
    """The plane the marker lies in, from its pooled corners (TL, TR, BR, BL of the printed square)."""
    k = camera_matrix(image_size)
    found: list[tuple[str, float, float, float, np.ndarray]] = []
    for rot, t, err in marker_poses(corners_px, size_mm, k):
        if err > MAX_REPROJECTION_PX:
            continue
        normal, printed_up = rot[:, 2], rot[:, 1]
        sight = t / np.linalg.norm(t)
        view = float(np.degrees(np.arccos(min(1.0, abs(float(normal @ sight))))))
        pitch, roll = camera_from_up(printed_up)  # upright in a vertical plane: the printed up is the world's
        if _plausible(pitch, roll):
            kind = "upright" if view <= MAX_SIDE_VIEW_DEG else "wall" if view >= MIN_WALL_VIEW_DEG else "unknown"
            found.append((kind, view, pitch, roll, rot))
        facing_up = normal if normal[1] < 0 else -normal  # flat on the floor: the normal is the world's up
        pitch, roll = camera_from_up(facing_up)
        if _plausible(pitch, roll):
            found.append(("floor", view, pitch, roll, rot))
    kinds = {f[0] for f in found}
    if not found:
        return MarkerPlane("unknown", float("nan"), float("nan"), float("nan"),
                           "the marker is neither upright nor flat on the floor for any plausible camera (held at an angle?)")
    if len(kinds) > 1:
        return MarkerPlane("unknown", float("nan"), float("nan"), float("nan"),
                           f"the marker's plane is ambiguous ({' or '.join(sorted(kinds))}): it is too small or too oblique in the image")
    kind = kinds.pop()
    views, pitches, rolls = (np.array([f[i] for f in found]) for i in (1, 2, 3))
    reasons = {
        "upright": "upright, facing the camera",
        "wall": "upright, seen edge-on (on the wall)",
        "floor": "flat on the floor",
        "unknown": "upright but seen at an in-between angle (neither facing the camera nor on the wall)",
    }
    return MarkerPlane(kind, float(np.mean(views)), float(np.mean(pitches)), float(np.mean(rolls)), reasons[kind],
                       tuple(f[4] for f in found), float(k[0, 0]))


def wall_leg_plane_homography(plane: MarkerPlane, facing: int, image_size: tuple[int, int]) -> np.ndarray | None:
    """Homography from a plane parallel to the leg's (x towards the wall, y up) to the image, from a marker on the wall.

    The wall's normal is the leg's forward axis and the marker's printed up the vertical; of the pose's two
    solutions, the one whose forward axis runs towards the wall's side of the image (the person faces the wall).
    """
    if plane.kind != "wall":
        return None
    w, h = image_size
    k = camera_matrix(image_size)
    for rot in plane.rotations:
        forward = -rot[:, 2]  # the normal points out of the wall, into the room
        if np.sign(forward[0]) != np.sign(facing):
            continue
        up = rot[:, 1] - (rot[:, 1] @ forward) * forward
        up /= np.linalg.norm(up)
        ray = np.linalg.solve(k, np.array([(w - 1) / 2.0, (h - 1) / 2.0, 1.0]))
        hom = k @ np.column_stack([forward, up, ray])  # camera coordinates: the image's y runs down, `up` has y < 0
        return hom / hom[2, 2]
    return None
