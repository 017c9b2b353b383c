"""What the analysis core hands on: per-frame kinematics, reps, legs, quality and the clip's Analysis (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ankle_cv.enums import Category, HeelSource, Side, View
from ankle_cv.protocol.centimetre_types import Centimetres
from ankle_cv.scene.camera_geometry import CameraGeometry
from ankle_cv.settings import Settings


@dataclass(frozen=True)
class FrameKinematics:
    """Per-frame measurements of the front leg (NaN where unknown)."""

    times_s: np.ndarray
    tibial_inclination_deg: np.ndarray  # the engineered estimate
    tibial_inclination_smooth_deg: np.ndarray
    landmark_inclination_deg: np.ndarray  # raw knee-ankle landmarks (for comparison)
    left_shank_deg: np.ndarray  # MediaPipe's left-labelled knee-ankle angle (raw)
    right_shank_deg: np.ndarray
    ankle_dorsiflexion_deg: np.ndarray
    foot_pitch_deg: np.ndarray
    heel_rise_ratio: np.ndarray
    heel_lifted: np.ndarray
    knee_past_toe_px: np.ndarray
    front_visibility: np.ndarray
    front_side: np.ndarray  # Side's text per frame, "" outside stances
    rep_index: np.ndarray  # 1-based, 0 outside reps
    angle_source: np.ndarray  # AngleSource's text per frame
    inclinometer_equivalent_deg: np.ndarray | None = None  # the shin's front over the inclinometer's stretch (trusted frames)
    tibial_inclination_ci95_deg: np.ndarray | None = None  # per-frame 95 % half-width (protocol.interval), NaN where none
    # How far the cloth's standing reference raised each frame (kinematics.fabric_reference; 0 elsewhere): the angle less
    # this is the angle as the outline was read, on which the fabric test and the rest frames were fitted (protocol.centimetres).
    fabric_rise_deg: np.ndarray | None = None

@dataclass(frozen=True)
class RepResult:
    """One forward lunge measured at its peak."""

    index: int
    side: Side
    start_frame: int
    peak_frame: int
    end_frame: int
    start_s: float
    peak_s: float
    end_s: float
    tibial_inclination_deg: float
    ankle_dorsiflexion_deg: float
    landmark_inclination_deg: float
    knee_past_toe_px: float
    heel_lift_ratio: float
    heel_lift_mm_approx: float
    heel_lifted: bool
    valid: bool
    invalid_reasons: tuple[str, ...]
    confidence: float
    heel_lift_source: HeelSource = HeelSource.SILHOUETTE
    inclinometer_equivalent_deg: float = float("nan")  # the shin's front over the device's stretch (NaN: not read)
    inclinometer_equivalent_ci95_deg: float | None = None  # half-width, as tibial_inclination_ci95_deg
    inclinometer_unread_reason: str | None = None  # why it was not read (None when read)
    tibial_inclination_ci95_deg: float = float("nan")  # half-width of the 95 % interval (protocol.interval)
    hold_start_frame: int = -1  # the plateau at the peak (clip frame indices)
    hold_end_frame: int = -1
    heel_unread_reason: str | None = None  # why the heel was not judged (heel_lift_source HIDDEN or UNREAD)
    heel_read_ratio: float = float("nan")  # the image's reading at the hold before the verdict (kept where too near the threshold)
    heel_foot_px: float = float("nan")  # the foot's length in the image that reading is a fraction of

    @property
    def judged_heel_lifted(self) -> bool | None:
        """The heel verdict, None where the heel was not judged (hidden or unread): such a heel is not "down"."""
        return self.heel_lifted if HeelSource(self.heel_lift_source).judged else None

@dataclass(frozen=True)
class LegSummary:
    """The result for one leg: best valid rep and the spread over valid reps."""

    side: Side
    best_rep: int | None
    tibial_inclination_deg: float | None
    ankle_dorsiflexion_deg: float | None
    mean_deg: float | None
    sd_deg: float | None
    category: Category | None
    reps_valid: int
    reps_total: int
    inclinometer_equivalent_deg: float | None = None  # the best rep's; the category is decided on it
    inclinometer_equivalent_ci95_deg: float | None = None  # half-width, as tibial_inclination_ci95_deg
    category_reason: str | None = None  # why there is no category although a rep is valid
    tibial_inclination_ci95_deg: float | None = None  # the best rep's 95 % interval half-width

@dataclass(frozen=True)
class Quality:
    """How far the numbers can be trusted."""

    pose_detected_fraction: float
    leg_visibility_mean: float
    usable_fraction: float
    view: View
    max_people: int
    lr_swap_fraction: float
    warnings: tuple[str, ...]

@dataclass(frozen=True)
class Analysis:
    """Everything measured in one clip."""

    facing: Side  # the side of the image the person faces (the wall's)
    side: Side
    reps: tuple[RepResult, ...]
    legs: dict[Side, LegSummary]
    best_rep: int | None
    frames: FrameKinematics
    quality: Quality
    settings: Settings
    camera: CameraGeometry
    shank_length_px: float
    foot_length_px: float
    edge_offset_deg: float | None
    heel_source: HeelSource
    no_measurement_reason: str | None = None
    # Tested leg's points to draw: the pose model's hip/knee/ankle/heel/toe as detected, and the measured shin line
    # (`ankle_anchor`, the steadied ankle, to `shin_top`, one shank length along the measured angle in the image).
    front_xy: dict[str, np.ndarray] = field(default_factory=dict)
    centimetres: Centimetres | None = None  # attached by centimetres.attach_centimetres (None: not measured)
