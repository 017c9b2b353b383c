"""No vertical and no leg plane found (no sheet, no room lines, no roll typed) and the view turned (oblique or front): a
rep's interval reaches how low the shin reads under the turn a hand-set phone may have, refused beyond
MAX_UNKNOWN_CAMERA_CI95_DEG.

The image then shows the shin against the image's own vertical. A phone leaned on something low down is rolled a few
degrees (interval.vertical_sigma_deg carries it, ROLL_SIGMA_DEG[IMAGE], whatever the view) and turned off square: a shin
leaning theta in its own plane, seen turned by phi (the camera's turn plus the shin's place off the picture's centre),
reads atan(tan theta cos phi), always lower. s16cam c5 (portrait, plain backdrop, roll 5, turn 20, view oblique): 6.0 deg
from the vertical and 4.6 from the turn, the rep read 9.2 low inside +-3.7. A side view (protocol.view) is turned less,
but the shin's place off the picture's centre turns it too: random_v1 r011 (side, turned 11 deg, the shin low in a portrait
picture) read 7.4 low inside +-6.3 with the roll's term alone, so its interval reaches a smaller turn (SIDE_TURN_DEG).
The room's level lines alone (a plain backdrop) give the roll but not the turn: their reps are widened the same way
(LEVEL_LINES_TURN_DEG; random_v14 r004, turned 9.5 deg in a portrait picture, read 4.1 low outside +-3.2), never refused.
Geometry with three fitted bounds (kinematics.fitted.PHONE_TURN_DEG, SIDE_TURN_DEG, LEVEL_LINES_TURN_DEG). Pure: numpy only.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ankle_cv.enums import VerticalSource, View
from ankle_cv.kinematics.fitted import LEVEL_LINES_TURN_DEG, PHONE_TURN_DEG, SIDE_TURN_DEG
from ankle_cv.protocol.analysis_types import RepResult
from ankle_cv.protocol.hidden_ankle import MAX_HIDDEN_CI95_DEG
from ankle_cv.scene.camera_geometry import CameraGeometry

MAX_UNKNOWN_CAMERA_CI95_DEG = MAX_HIDDEN_CI95_DEG  # an interval wider than this says nothing: the rep is refused instead
UNKNOWN_CAMERA_NOTE = ("nothing in the picture gave the true vertical or the leg's plane (no marker sheet, no room lines): "
                       f"a phone turned up to {PHONE_TURN_DEG:.0f}° off square makes the shin read low, so each angle's interval "
                       "reaches that far; stand the marker sheet beside the foot (ankle-cv marker) or film square to the side of the leg")
SIDE_CAMERA_NOTE = ("nothing in the picture gave the true vertical or the leg's plane (no marker sheet, no room lines): "
                    f"even a side view may be turned up to {SIDE_TURN_DEG:.0f}° off square where the phone is turned or the leg "
                    "lies off the picture's centre, which makes the shin read low, so each angle's interval reaches that far; "
                    "stand the marker sheet beside the foot (ankle-cv marker) for the true vertical")
LEVEL_LINES_NOTE = ("the room's level lines gave the camera's roll but not its turn (no marker sheet, no room-line fit to trust): "
                    f"a camera turned up to {LEVEL_LINES_TURN_DEG:.0f}° off square makes the shin read low, so each angle's "
                    "interval reaches that far; stand the marker sheet beside the foot (ankle-cv marker) for the leg's plane")
UNKNOWN_CAMERA_REASON = (f"the camera's turn and roll are unknown (interval beyond ±{MAX_UNKNOWN_CAMERA_CI95_DEG:.0f}°): "
                         "stand the marker sheet beside the foot or film square-on with the room's lines in view")


def turn_range_deg(angle_deg: float, turn_deg: float = PHONE_TURN_DEG) -> float:
    """How much higher the shin may truly lean than it reads when seen turned by up to turn_deg (deg, >= 0)."""
    if not np.isfinite(angle_deg):
        return 0.0
    theta = np.radians(min(abs(angle_deg), 89.0))
    return float(np.degrees(np.arctan(np.tan(theta) / np.cos(np.radians(turn_deg))) - theta))


def camera_unknown(camera: CameraGeometry) -> bool:
    """Nothing measured the camera: the image's vertical taken as true and no leg plane."""
    return camera.vertical_source == VerticalSource.IMAGE and camera.leg_plane_homography is None


def turn_unknown(camera: CameraGeometry) -> bool:
    """The room's level lines gave the roll and nothing gave the leg's plane: the camera's turn is not known."""
    return camera.vertical_source == VerticalSource.ROOM_LEVEL_LINES and camera.leg_plane_homography is None


def with_unknown_camera(reps: list[RepResult], camera: CameraGeometry, view: View) -> tuple[list[RepResult], list[str]]:
    """The reps with the unknown turn's range added to their 95 % intervals when nothing measured the camera (a turned
    view: PHONE_TURN_DEG, refused beyond MAX_UNKNOWN_CAMERA_CI95_DEG; a side view: SIDE_TURN_DEG, widened only) or only its
    roll (the room's level lines: LEVEL_LINES_TURN_DEG, widened only), and the clip's note when any rep was widened."""
    if view not in (View.OBLIQUE, View.FRONT, View.SIDE) or not reps:
        return reps, []
    if turn_unknown(camera):
        return [_widened(rep, LEVEL_LINES_TURN_DEG) for rep in reps], [LEVEL_LINES_NOTE]
    if not camera_unknown(camera):
        return reps, []
    side = view == View.SIDE
    turn = SIDE_TURN_DEG if side else PHONE_TURN_DEG
    out: list[RepResult] = []
    for rep in reps:
        wide = _widened(rep, turn)
        ci = wide.tibial_inclination_ci95_deg
        # A side view is widened, never refused here: its turn is bounded and its interval says how far it may read low.
        refused = bool(not side and np.isfinite(ci) and ci > MAX_UNKNOWN_CAMERA_CI95_DEG and rep.valid)
        reasons = (*rep.invalid_reasons, UNKNOWN_CAMERA_REASON) if refused else rep.invalid_reasons
        out.append(replace(wide, valid=rep.valid and not refused, invalid_reasons=reasons))
    return out, [SIDE_CAMERA_NOTE if side else UNKNOWN_CAMERA_NOTE]


def _widened(rep: RepResult, turn_deg: float) -> RepResult:
    """The rep with how low a turn of up to turn_deg reads it added to both its intervals (the number kept)."""
    extra = turn_range_deg(rep.tibial_inclination_deg, turn_deg)
    incl_ci = rep.inclinometer_equivalent_ci95_deg + extra if rep.inclinometer_equivalent_ci95_deg is not None else None
    return replace(rep, tibial_inclination_ci95_deg=rep.tibial_inclination_ci95_deg + extra, inclinometer_equivalent_ci95_deg=incl_ci)
