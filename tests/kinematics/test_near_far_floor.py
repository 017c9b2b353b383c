"""Which foot is nearer the camera when the camera is turned: on the floor (room fit's camera) the turn drops out."""

from __future__ import annotations

import numpy as np

from ankle_cv.enums import Side, SideMethod
from ankle_cv.kinematics.legs import FloorView, LegTracks, find_stances, floor_near_far_cue, near_far_cue
from ankle_cv.scene.room_camera import rotation

FOCAL = 600.0
CENTRE = (479.5, 269.5)
HEIGHT_M = 0.35


def _pixels(rot: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Pixels of world points (X across, Y away from the camera, Z up) for a camera HEIGHT_M above the floor at the origin."""
    cam = (rot @ (np.asarray(pts, float) - np.array([0.0, 0.0, HEIGHT_M])).T).T
    return np.column_stack([FOCAL * cam[:, 0] / cam[:, 2] + CENTRE[0], FOCAL * cam[:, 1] / cam[:, 2] + CENTRE[1]])


def _tracks(rot: np.ndarray, n: int = 90) -> LegTracks:
    """A lunge facing +X (the wall on the image's right): the front foot 16 cm nearer the camera than the back one, the
    toes 60 cm apart along the stance (s16cam c1's stance)."""
    front_toe, front_heel, back_toe = (np.array(p) for p in ([0.30, 1.72, 0.0], [0.05, 1.72, 0.0], [-0.30, 1.88, 0.0]))
    px = {name: np.repeat(_pixels(rot, p[None]), n, axis=0) for name, p in
          (("toe", front_toe), ("heel", front_heel), ("back_toe", back_toe))}
    front = {"toe": px["toe"], "heel": px["heel"]}
    back = {"toe": px["back_toe"], "heel": px["back_toe"] + np.array([-40.0, 0.0])}
    return LegTracks(front, back, np.ones(n, int), {"toe": np.ones(n), "heel": np.ones(n)}, np.zeros(n, bool))


def test_a_camera_turned_towards_the_back_flips_the_image_cue_not_the_floor_cue() -> None:
    """Turned 25 deg (the image's right side, the front foot's, further away), 5 deg down: in the picture the back toe sits
    lower (s16cam c1, turned 20 deg: 6 px), so the image cue calls the front foot the far one and the leg comes out left for
    a right one; on the floor the front foot is the nearer one."""
    rot = rotation(np.array(25.0), np.array(5.0), np.array(0.0))
    tracks = _tracks(rot)
    assert np.nanmedian(near_far_cue(tracks)) < -0.08  # the picture's cue is fooled by the turn, past its threshold
    view = FloorView(rot, FOCAL, CENTRE)
    assert np.nanmedian(floor_near_far_cue(tracks, view)) > 0.5  # 16 cm across a 25 cm foot
    image_side = find_stances(tracks, +1, 30.0)
    floor_side = find_stances(tracks, +1, 30.0, floor=view)
    assert [(s.side, s.side_method) for s in image_side] == [(Side.LEFT, SideMethod.GEOMETRY)]
    assert [(s.side, s.side_method) for s in floor_side] == [(Side.RIGHT, SideMethod.GEOMETRY)]


def test_square_on_both_cues_agree() -> None:
    """A camera square to the wall: the floor cue tells what the image cue tells."""
    rot = rotation(np.array(0.0), np.array(5.0), np.array(0.0))
    tracks = _tracks(rot)
    view = FloorView(rot, FOCAL, CENTRE)
    assert np.nanmedian(near_far_cue(tracks)) > 0
    assert [s.side for s in find_stances(tracks, +1, 30.0, floor=view)] == [Side.RIGHT] == [s.side for s in find_stances(tracks, +1, 30.0)]
