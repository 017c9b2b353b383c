"""A rep's 95 % interval for the tibial inclination, from where its hold's angles came from and how they agree.

The parts (1 sigma, combined in quadrature): the method error of the hold's frames (kinematics.estimator_choice: by
source, widened where the estimators disagree); the angle's spread over the hold; half of an implausibly large move from re-reading the angle in the leg's plane;
half the gap
between the person's own edge offset and the population's (kinematics.shank: the standing reference lies between,
whichever is used; the whole gap where the own offset is below any shin's lean, `reference_share`); the
vertical's own error (`vertical_sigma_deg`: a roll error moves the angle ~1:1). The scale
INTERVAL_GAIN makes the 95 % interval cover the truth on the randomised renders' fit split (docs/validation.md
gives the coverage on the renders and the real reference). Pure: numpy only.
"""

from __future__ import annotations

import numpy as np

from ankle_cv.enums import AngleCode, VerticalSource
from ankle_cv.kinematics.fitted import INTERVAL_GAIN, MAX_PLAUSIBLE_PLANE_SHIFT_DEG, MIN_SHIN_FRONT_LEAN_DEG, ROLL_SIGMA_DEG

Z95 = 1.96
SILHOUETTE_CODES = (AngleCode.SILHOUETTE, AngleCode.EDGE_AND_LANDMARKS)  # angles resting on the outline's calibration
MAX_CONFLICT_SHARE = 0.5  # hold frames whose estimators disagree beyond this share: no number for the rep


def vertical_sigma_deg(source: VerticalSource, roll_spread_deg: float = 0.0, roll_disagreement_deg: float = 0.0) -> float:
    """1-sigma of the true vertical's own error (deg of shank angle): by where it came from, or the level lines'
    disagreement when they set it; the sources whose error the fitted gain already holds add nothing."""
    if source == VerticalSource.ROOM_LEVEL_LINES:
        return abs(roll_spread_deg) if np.isfinite(roll_spread_deg) else ROLL_SIGMA_DEG[VerticalSource.ROOM_LEVEL_LINES]
    if source == VerticalSource.ROOM_LINES:  # how far the roll moves over the focals the lines allow (room_camera)
        spread = abs(roll_spread_deg) if np.isfinite(roll_spread_deg) else 0.0
        # The level lines read another roll (room_camera.roll_disagreement_deg): the angle is read halfway between the two,
        # and the 95 % interval reaches the whole gap from there, beyond either reading.
        gap = abs(roll_disagreement_deg) if np.isfinite(roll_disagreement_deg) else 0.0
        return float(np.hypot(spread, gap / (Z95 * INTERVAL_GAIN)))
    return ROLL_SIGMA_DEG.get(source, 0.0)


def reference_share(own_offset_deg: float | None) -> float:
    """The share of the calibration gap (own edge offset minus the population's) taken as the standing reference's 1-sigma:
    half, the reference lying between the two; the whole gap where the person's own offset (kinematics.shank) puts the
    shin's front edge on or behind the landmarks' knee-ankle line at standing (below MIN_SHIN_FRONT_LEAN_DEG), which no
    shin's front is: the landmarks every estimator is referred to at standing, or the edge, followed something else, and
    the angle may be off by the whole gap either way (random_v13 r010's near leg: own -0.44, every estimator +5 high)."""
    if own_offset_deg is not None and np.isfinite(own_offset_deg) and own_offset_deg < MIN_SHIN_FRONT_LEAN_DEG:
        return 1.0
    return 0.5


def rep_ci95_deg(
    source: np.ndarray, angle_deg: np.ndarray, sigma_deg: np.ndarray, calibration_gap_deg: float = 0.0, plane_shift_deg: float = 0.0,
    vertical_sigma_deg: float = 0.0, plane_unsure: bool = False, gap_share: float = 0.5,
) -> float:
    """Half-width of the 95 % interval of a rep measured over these hold frames (NaN when no frame has an angle); a leg
    plane not trusted (`plane_unsure`: CameraGeometry.leg_plane_unsure) adds its whole move, reaching the reading without it."""
    source = np.asarray(source)
    angle = np.asarray(angle_deg, float)
    ok = np.isfinite(angle) & np.isfinite(sigma_deg)
    if not ok.any():
        return float("nan")
    sigma_method = float(np.sqrt(np.mean(np.asarray(sigma_deg, float)[ok] ** 2)))
    sigma_spread = float(np.std(angle[ok])) if ok.sum() > 1 else 0.0
    silhouette = float(np.mean(np.isin(source[ok], SILHOUETTE_CODES)))
    sigma_reference = gap_share * abs(calibration_gap_deg) * silhouette  # the standing reference between population and person
    shift = abs(plane_shift_deg) if np.isfinite(plane_shift_deg) else 0.0
    sigma_plane = 0.5 * shift if shift > MAX_PLAUSIBLE_PLANE_SHIFT_DEG and not plane_unsure else 0.0
    sigma_parts = sigma_method**2 + sigma_spread**2 + sigma_reference**2 + sigma_plane**2 + vertical_sigma_deg**2
    return Z95 * INTERVAL_GAIN * float(np.sqrt(sigma_parts)) + (shift if plane_unsure else 0.0)


def frame_ci95_deg(
    source: np.ndarray, sigma_deg: np.ndarray, calibration_gap_deg: float = 0.0, vertical_sigma_deg: float = 0.0, gap_share: float = 0.5
) -> np.ndarray:
    """Per-frame half-width of the 95 % interval (the rep's without the hold's spread; NaN where no angle)."""
    source = np.asarray(source)
    silhouette = np.isin(source, SILHOUETTE_CODES)
    reference = np.where(silhouette, gap_share * abs(calibration_gap_deg), 0.0)
    return Z95 * INTERVAL_GAIN * np.sqrt(np.asarray(sigma_deg, float) ** 2 + reference**2 + vertical_sigma_deg**2)


def conflict_reason(source: np.ndarray, landmark_deg: np.ndarray, edge_deg: np.ndarray) -> str | None:
    """Why a rep has no trusted angle: most of its hold's frames have estimators that disagree (None otherwise)."""
    source = np.asarray(source)
    if source.size == 0 or float(np.mean(source == AngleCode.CONFLICT)) <= MAX_CONFLICT_SHARE:
        return None
    lm = float(np.nanmedian(landmark_deg)) if np.isfinite(landmark_deg).any() else float("nan")
    edge = float(np.nanmedian(edge_deg)) if np.isfinite(edge_deg).any() else float("nan")
    return (f"the shin's outline and the pose landmarks disagree at the peak (edge line {edge:.0f}°, landmarks {lm:.0f}°): "
            "another leg, an object or the folded thigh may cover the shin")
