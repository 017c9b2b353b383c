"""What the centimetre stage measures, as frozen dataclasses (centimetres.py fills them, the Analysis carries them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ankle_cv.scene.marker import Scale


@dataclass(frozen=True)
class TouchNumbers:
    """L, p and a (cm) of one leg's touch condition L sin(theta) + p cos(theta) = d + a (NaN/None where unknown)."""

    shank_cm: float
    patella_offset_cm: float | None
    patella_offset_source: str
    ankle_to_toe_cm: float


@dataclass(frozen=True)
class LegGeometry:
    """One tested leg's fixed points and lengths in pixels (rest frames) and the scale that holds for it."""

    side: str
    scale: Scale
    toe_px: np.ndarray  # toe tip, on the floor
    floor_px: np.ndarray  # the sole's floor line under mid-foot
    ankle_px: np.ndarray  # ankle joint (landmark), rest
    foot_length_px: float  # back of the heel to the toe tip (silhouette sole), NaN when not found
    shank_length_px: float
    toe_contrast: float = float("nan")  # grey step across the toe tip's edge in the picture (NaN: not read)
    toe_seen_px: np.ndarray | None = None  # the silhouette's toe tip in the leg's plane, before proportions or a line replaced it


@dataclass(frozen=True)
class RepCentimetres:
    """A rep's distances (cm/mm) at its hold, with the 1-sigma uncertainty of knee_to_wall_cm."""

    index: int
    knee_to_wall_cm: float | None
    knee_past_toe_cm: float | None
    equivalent_toe_to_wall_cm: float | None
    heel_lift_mm: float | None
    uncertainty_cm: float | None  # of knee_to_wall_cm
    equivalent_uncertainty_cm: float | None
    touches_wall: bool | None


@dataclass(frozen=True)
class Centimetres:
    """Everything in centimetres for one clip (empty when there is no scale)."""

    method: str
    legs: dict[str, LegGeometry]
    reps: dict[int, RepCentimetres]
    knee_to_wall_cm: np.ndarray  # per frame, NaN where unknown
    toe_to_wall_cm: dict[str, float]  # per leg: measured (marker, toe outlined) or stated
    toe_to_wall_source: str  # "marker", "picture" (the wall's base seen) or "stated"
    model: dict[str, TouchNumbers] = field(default_factory=dict)  # per leg: L, p, a (cm) of L sin + p cos = d + a
    warnings: tuple[str, ...] = ()
