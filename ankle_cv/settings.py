"""What the user chose: the options of analyze, live and validate, built once from the command line.

What the video tells about the camera is apart, in scene/camera_geometry.py (CameraGeometry).
"""

from __future__ import annotations

from dataclasses import dataclass

from ankle_cv.enums import SideChoice
from ankle_cv.kinematics.fitted import DEFAULT_EDGE_LIFT_RATIO, DEFAULT_LIFT_RATIO, MIN_EXCURSION_DEG
from ankle_cv.protocol.norms import REFERENCE_TOE_TO_WALL_CM

SMOOTHING_HZ = 3.0  # low-pass of the shank angle: a knee-to-wall rep lasts 2-5 s


@dataclass(frozen=True)
class ScaleInputs:
    """Sizes the user gave for centimetres (all optional) and the marker sheet they printed."""

    foot_length_cm: float | None = None
    shank_length_cm: float | None = None
    height_cm: float | None = None
    marker_size_mm: float = 150.0
    marker_id: int = 0


@dataclass(frozen=True)
class Settings:
    """Every user choice that changes the numbers (echoed in result.json's `settings`)."""

    side: SideChoice = SideChoice.AUTO  # the tested (front) leg
    foot_to_wall_cm: float = REFERENCE_TOE_TO_WALL_CM
    heel_lift_ratio: float = DEFAULT_LIFT_RATIO  # silhouette reading (no frames: live, or the image unreadable)
    heel_edge_ratio: float = DEFAULT_EDGE_LIFT_RATIO  # reading from the image's heel edge (kinematics/heel_edge.py)
    min_excursion_deg: float = MIN_EXCURSION_DEG
    smoothing_hz: float = SMOOTHING_HZ
    use_silhouette: bool = True
    camera_roll_deg: float | None = None  # --camera-roll-deg: the user's vertical, over the marker's and the room's
    sizes: ScaleInputs = ScaleInputs()
