"""What the video told about the camera: the true vertical, the leg plane's homography, turn and tilt, and their source.

Kept apart from what the user chose (ankle_cv.settings.Settings): the marker sheet or the room's lines fill
it in (centimetres.marker_geometry, room_camera.room_geometry); a roll the user typed overrides both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankle_cv.enums import VerticalSource

IMAGE_UP = np.array([0.0, -1.0])  # up in image coordinates (rows grow downwards) for a level camera


def up_axis(up: np.ndarray | None) -> np.ndarray:
    """True up as an image vector: the given one, or the image's own up for a camera taken as level (None)."""
    return IMAGE_UP.copy() if up is None else np.asarray(up, float)


def forward_of(up_v: np.ndarray, facing: int) -> np.ndarray:
    """Along the floor towards the wall in the image: true up turned a quarter (image right for IMAGE_UP), times facing."""
    return np.array([-up_v[1], up_v[0]]) * facing


def tilt_deg(up_v: np.ndarray) -> float:
    """The true vertical's tilt from the image's own (deg, + clockwise): what an angle fitted against image columns misses."""
    return float(np.degrees(np.arctan2(up_v[0], -up_v[1])))


def up_from_roll(roll_deg: float) -> np.ndarray:
    """True up in image coordinates for a camera rolled so the floor runs down to the right by roll_deg."""
    a = np.radians(roll_deg)
    return np.array([np.sin(a), -np.cos(a)])


@dataclass(frozen=True)
class CameraGeometry:
    """The camera as the video shows it (the defaults: level, square-on, nothing measured)."""

    roll_deg: float = 0.0  # floor's tilt in the image (+ runs down to the right)
    vertical_source: VerticalSource = VerticalSource.IMAGE
    # Homography from a plane parallel to the leg's (x forward, y up) to the image, row-major 3x3, from the
    # marker sheet or the room's lines: angles are then read in the leg's plane.
    leg_plane_homography: tuple[float, ...] | None = None
    yaw_deg: float | None = None  # the room-line fit's camera turn and tilt (echoed; the homography holds them)
    pitch_deg: float | None = None
    # The marker sheet's outline (x0, y0, ... x3, y3 image pixels) when it stands between the camera and a foot it
    # overlaps (centimetres.marker_geometry): a heel near it is not judged, the foot's floor contact is less sure.
    sheet_cover_px: tuple[float, ...] | None = None
    # A standing sheet's outline whether or not it covers the clip's still feet: a foot that stands before it only in its
    # own stance (a both-legs clip's near foot, random_v15 r009) is judged per rep (protocol.sheet_cover.rep_sheet_cover).
    sheet_outline_px: tuple[float, ...] | None = None
    # The roll's 1-sigma where the room's level lines set it: their disagreement and the horizon's unknown row
    # (room_camera.level_roll_and_spread); where the room-line fit sets it, half the roll's move over the focal lengths its
    # lines allow (RoomCamera.roll_focal_spread_deg).
    roll_spread_deg: float = 0.0
    # A trusted room-line fit's roll minus the room's level lines' where the two disagree beyond the level lines' own doubt
    # (room_camera.room_geometry): one of them rests on lines that are not the room's (a shadow, the person's edge), so
    # the angles are read halfway between the two (roll_deg and the homography are turned so) and the interval is
    # widened to reach beyond both readings (protocol.interval.vertical_sigma_deg). 0: they agree. With the level lines as
    # the source (ROOM_LEVEL_LINES): the gap to a fit on a few lines that was left out for it (room_camera.few_lines_contradicted).
    roll_disagreement_deg: float = 0.0
    # The room-line fit's rotation (world -> camera, row-major 3x3; room X along the floor across the image, Y away from
    # the camera, Z up) and focal length (px): where floor points lie, so which foot is nearer the camera under a turn.
    room_rotation: tuple[float, ...] | None = None
    focal_px: float | None = None
    # The room-line fit's pitch rests on uprights near the centre column with no line along the wall
    # (room_camera.RoomCamera.pitch_from_uprights_doubt_deg beyond a hand-set phone's spread): the leg plane's correction
    # is read but not trusted, each interval reaching the reading without it (protocol.interval.rep_ci95_deg).
    leg_plane_unsure: bool = False

    @classmethod
    def from_user_roll(cls, roll_deg: float | None) -> CameraGeometry:
        """The user's --camera-roll-deg as the vertical, or a level camera until the video says otherwise."""
        return cls(roll_deg, VerticalSource.USER) if roll_deg is not None else cls()

    @property
    def up(self) -> np.ndarray | None:
        """True up in the image, None when the camera is taken as level (the image's own up)."""
        return up_from_roll(self.roll_deg) if self.roll_deg else None


def room_lean_deg(camera: CameraGeometry, point_px: np.ndarray, image_size: tuple[int, int]) -> float:
    """How far the true vertical at an image point leans off the one at the picture's centre (deg, + clockwise) in the
    trusted room-line fit's camera (its rotation and focal length).

    True verticals meet at the room's vertical vanishing point (below a camera looking down), so under a pitch they lean
    by their place, about atan(dx tan(pitch) / f) at a column dx from the centre; a vertical read for the whole picture
    (the room's roll) is the centre's. 0 where no room-line fit set the vertical (the pitch is not known). A fit whose pitch
    rests on uprights near the centre (`leg_plane_unsure`: the angles do not lean on its plane) still gives it, as it gives a
    floor marker's horizon (centimetres._room_horizon): random_v17 r018's such fit read 5.4 deg for a true 5.2."""
    if camera.vertical_source != VerticalSource.ROOM_LINES or camera.room_rotation is None or camera.focal_px is None:
        return 0.0
    p = np.asarray(point_px, float).ravel()[:2]
    w, h = image_size
    if not np.all(np.isfinite(p)) or not camera.focal_px > 0:
        return 0.0
    f = float(camera.focal_px)
    k = np.array([[f, 0.0, (w - 1) / 2.0], [0.0, f, (h - 1) / 2.0], [0.0, 0.0, 1.0]])
    zenith = k @ np.asarray(camera.room_rotation, float).reshape(3, 3)[:, 2]  # the room's up seen by the camera

    def up_at(q: np.ndarray) -> np.ndarray:
        # the image direction a point moves in as it rises: towards the vertical vanishing point (away from a nadir)
        return zenith[:2] - q * zenith[2]

    lean = tilt_deg(up_at(p)) - tilt_deg(up_at(np.array([(w - 1) / 2.0, (h - 1) / 2.0])))
    return float((lean + 180.0) % 360.0 - 180.0)


def turned_up(up: np.ndarray | None, deg: float) -> np.ndarray | None:
    """The true up turned `deg` clockwise (None, the image's own up, stays None when not turned)."""
    if deg == 0.0:
        return up
    return up_from_roll(tilt_deg(up_axis(up)) + deg)
