"""A marker sheet standing before the tested foot may hide its ankle: the rep's interval then reaches the angle of the
lowest place the ankle can be.

Behind a sheet nearer the camera the pose model puts the ankle on the sheet's top edge, where the visible shin ends
(random_v4 r001/r017, random_v1 r012, random_v3 r012: 0.19-0.29 shank lengths above the joint, against 0.077 in open
view). The landmarks, the edge line and the outline's turn all pivot on that ankle, so they agree and the interval built
from their disagreement stays narrow (reps +5-7 deg at +-3-4.6). Geometry only, nothing fitted here: the ankle landmark lies no
lower than its pivot height above the floor plus its usual place above the pivot, the floor under the leg no lower than the sheet's own floor line (the sheet
stands nearer the camera); the ankle read dropped by d along the vertical turns the shin from theta to
atan2(sin theta, cos theta + d / L). Pure: numpy only.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ankle_cv.kinematics.fitted import (
    HIDDEN_ANKLE_CORNER_REACH,
    HIDDEN_ANKLE_TOP_EDGE_REACH,
    INTERVAL_GAIN,
    LANDMARK_ANKLE_HIGH,
    LANDMARK_ANKLE_HIGH_SD,
    LANDMARK_SHANK_RATIO,
    PIVOT_ABOVE_FLOOR,
    SHEET_BEFORE_FOOT_SHANKS,
    SHEET_CUT_FOOT_SD_DEG,
)
from ankle_cv.protocol.analysis_types import RepResult
from ankle_cv.protocol.interval import Z95
from ankle_cv.protocol.sheet_cover import rep_sheet_cover
from ankle_cv.scene.camera_geometry import CameraGeometry
from ankle_cv.scene.marker import NEARER_MARGIN_PX

# The lowest the landmark ankle the estimators expect can be, above the floor, per shank: the joint's pivot above the sole
# plus the landmark's usual place above the joint (both kinematics.fitted; the estimators' calibration holds the latter).
LOWEST_LANDMARK_ABOVE_FLOOR = PIVOT_ABOVE_FLOOR + LANDMARK_ANKLE_HIGH
# A landmark ankle this far above the sheet's top edge (per shank) may still stand over a joint the sheet hides: seen, it
# lies LANDMARK_ANKLE_HIGH above its joint to within 1.96 LANDMARK_ANKLE_HIGH_SD, so nearer the edge than that bound the
# joint may be below it, and the landmark is then the pose model's guess (random_v11 r010 rep 3, a both-legs clip's near
# ankle behind a side-near sheet: 0.109 above the edge, 0.19 above its joint, +4.0 deg at +-2.8). Derived, not fitted.
HIDDEN_ABOVE_EDGE_REACH = max(HIDDEN_ANKLE_TOP_EDGE_REACH, LANDMARK_ANKLE_HIGH + 1.96 * LANDMARK_ANKLE_HIGH_SD)
MAX_HIDDEN_CI95_DEG = 12.0  # a widened interval beyond this says nothing: the rep is refused instead
HIDDEN_ANKLE_NOTE = ("the sheet hides the ankle: stand it beyond the foot (far side from the camera); the angle's interval "
                     "reaches down to where the ankle may be")
HIDDEN_ANKLE_REASON = f"the sheet hides the ankle (interval beyond ±{MAX_HIDDEN_CI95_DEG:.0f}°): stand it beyond the foot"
CUT_FOOT_NOTE = ("the sheet stands between the camera and the tested foot, cutting the foot's outline (its toes hidden): the "
                 "shin's angle is less sure there (a wider interval); stand the sheet beyond the foot (far side from the camera)")
CUT_FOOT_REASON = f"the sheet cuts the foot's outline (interval beyond ±{MAX_HIDDEN_CI95_DEG:.0f}°): stand it beyond the foot"


@dataclass(frozen=True)
class HiddenAnkle:
    """Where a sheet hides the ankle at the hold: the ankle read above the sheet's top edge and how far it may drop."""

    above_top_edge: float  # the landmark ankle above the sheet's top edge, per shank (negative: below it)
    drop: float  # from the ankle read down to its lowest plausible place, per shank (>= 0)


def _down_to_line(p: np.ndarray, up: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """How far (px) the line a-b lies below p along the true vertical (negative: above it; NaN: parallel)."""
    m = np.column_stack([-up, a - b])  # p - t*up = a + s*(b - a)
    if abs(float(np.linalg.det(m))) < 1e-9:
        return float("nan")
    t, _ = np.linalg.solve(m, a - p)
    return float(t)


def _beyond_span(p: np.ndarray, up: np.ndarray, outline: np.ndarray) -> float:
    """How far (px, along the true horizontal) p lies beyond the outline's side corners (0 between them)."""
    across = np.array([-up[1], up[0]])
    xs, x = outline @ across, float(p @ across)
    return max(float(xs.min()) - x, x - float(xs.max()), 0.0)


def hidden_ankle(
    cover: tuple[float, ...] | None, knee: np.ndarray, ankle: np.ndarray, sole: np.ndarray, up: np.ndarray | None = None,
) -> HiddenAnkle | None:
    """The sheet hiding this ankle at the hold, or None: the sheet stands nearer the camera than the foot (the foot's sole
    not below its floor line; cover is only set for a sheet nearer a foot), and the landmark ankle lies within
    HIDDEN_ABOVE_EDGE_REACH above its top edge's line and either across the sheet (any depth below) or within
    HIDDEN_ANKLE_CORNER_REACH beyond its side corner on that line (no more than HIDDEN_ANKLE_TOP_EDGE_REACH below it).

    cover: the sheet's outline (front-bottom, front-top, back-top, back-bottom; CameraGeometry.sheet_cover_px);
    knee, ankle: the tested leg's landmarks at the hold; sole: the tested foot's lowest heel/toe point; up: true up.
    """
    if cover is None:
        return None
    knee, ankle, sole = (np.asarray(v, float).ravel()[:2] for v in (knee, ankle, sole))
    if not (np.all(np.isfinite(knee)) and np.all(np.isfinite(ankle))):
        return None
    up_v = np.array([0.0, -1.0]) if up is None else np.asarray(up, float)
    outline = np.asarray(cover, float).reshape(4, 2)
    length = float(np.linalg.norm(knee - ankle))
    beyond = _beyond_span(ankle, up_v, outline) / length if length > 0 else float("inf")
    if beyond > HIDDEN_ANKLE_CORNER_REACH:
        return None  # the sheet stands beside the ankle, not before it (just beyond its corner the foot behind it still drags the ankle up)
    floor_below = _down_to_line(ankle, up_v, outline[0], outline[3])
    top_below = _down_to_line(ankle, up_v, outline[1], outline[2])
    if not (np.isfinite(floor_below) and np.isfinite(top_below)):
        return None
    if np.all(np.isfinite(sole)) and _down_to_line(sole, up_v, outline[0], outline[3]) < -NEARER_MARGIN_PX:
        return None  # the foot's sole lies below the sheet's floor line: the sheet stands beyond it (a hidden sole reads high)
    above = top_below / length
    if above > HIDDEN_ABOVE_EDGE_REACH:
        return None  # the ankle is seen above the sheet
    if beyond > 0 and above < -HIDDEN_ANKLE_TOP_EDGE_REACH:
        return None  # past the corner and clearly below the edge's line: the ankle is seen there, beside the sheet
    return HiddenAnkle(above_top_edge=above, drop=max(floor_below / length - LOWEST_LANDMARK_ABOVE_FLOOR, 0.0))


def hidden_ankle_range_deg(angle_deg: float, drop: float) -> float:
    """How much lower the shin angle reads with the ankle dropped by `drop` shank lengths (the read length) along the vertical."""
    if not np.isfinite(angle_deg) or drop <= 0:
        return 0.0
    theta = np.radians(angle_deg)
    return float(angle_deg - np.degrees(np.arctan2(np.sin(theta), np.cos(theta) + drop)))


TOE_AT_EDGE_PX = 2.0  # scene.marker.sheet_hides_toes' margin: a hidden toe's landmark stops on the sheet's edge


def foot_behind_sheet(cover: tuple[float, ...], feet_px: np.ndarray, length_px: float, up: np.ndarray | None = None) -> bool:
    """Whether the sheet stands clearly before this foot: a heel or toe point lies inside its outline or on its edge (within
    TOE_AT_EDGE_PX: where the sheet hides the toes their landmark stops at its edge, scene.marker.sheet_hides_toes, just
    outside), and the sheet's floor line lies more than SHEET_BEFORE_FOOT_SHANKS (of `length_px`, the joint-centre shank) below the foot's points'
    mean along the true vertical (centimetres._sheet_clearly_before's test: a sheet beyond the foot meets the floor near the
    foot's own rows, and outline_covers_feet may still call it before it)."""
    outline = np.asarray(cover, float).reshape(4, 2)
    poly = outline.astype(np.float32).reshape(-1, 1, 2)
    pts = np.asarray(feet_px, float).reshape(-1, 2)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if not pts.size or not np.isfinite(length_px) or length_px <= 0:
        return False
    if not any(cv2.pointPolygonTest(poly, (float(p[0]), float(p[1])), True) >= -TOE_AT_EDGE_PX for p in pts):
        return False
    up_v = np.array([0.0, -1.0]) if up is None else np.asarray(up, float)
    below = _down_to_line(pts.mean(axis=0), up_v, outline[0], outline[3])
    return bool(np.isfinite(below) and below > SHEET_BEFORE_FOOT_SHANKS * length_px)


def cut_foot_ci95_deg(ci95_deg: float) -> float:
    """A 95 % half-width with the cut foot's doubt (SHEET_CUT_FOOT_SD_DEG at 1 sigma, on the interval's own scale) added."""
    return float(np.hypot(ci95_deg, Z95 * INTERVAL_GAIN * SHEET_CUT_FOOT_SD_DEG))


def _with_cut_foot(rep: RepResult) -> RepResult:
    """The rep whose foot a sheet nearer the camera stands before, its ankle seen: the cut foot's doubt in both intervals
    (refused with the reason beyond MAX_HIDDEN_CI95_DEG, as a hidden ankle's)."""
    ci = cut_foot_ci95_deg(rep.tibial_inclination_ci95_deg)
    incl_ci = (cut_foot_ci95_deg(rep.inclinometer_equivalent_ci95_deg) if rep.inclinometer_equivalent_ci95_deg is not None else None)
    refused = bool(np.isfinite(ci) and ci > MAX_HIDDEN_CI95_DEG and rep.valid)
    reasons = (*rep.invalid_reasons, CUT_FOOT_REASON) if refused else rep.invalid_reasons
    return replace(rep, valid=rep.valid and not refused, invalid_reasons=reasons, tibial_inclination_ci95_deg=ci,
                   inclinometer_equivalent_ci95_deg=incl_ci)


def with_hidden_ankles(reps: list[RepResult], front: Mapping[str, np.ndarray], camera: CameraGeometry) -> tuple[list[RepResult], list[str]]:
    """The reps with each hidden ankle's angle range added to their 95 % intervals (refused beyond MAX_HIDDEN_CI95_DEG),
    and the clip's notes when any fired. front: the tested leg's (N, 2) point tracks after swap repair.

    Where the sheet stands clearly before the rep's own foot (protocol.sheet_cover, and foot_behind_sheet on the foot's heel
    and toe, medians over the hold) but the ankle is seen, the sheet still cuts the foot's outline: the interval holds
    SHEET_CUT_FOOT_SD_DEG more (kinematics.fitted: every such rep on the open renders read the shin 1.5-6.4 deg steep)."""
    if camera.sheet_cover_px is None and camera.sheet_outline_px is None:
        return reps, []
    out: list[RepResult] = []
    fired = cut = False
    for rep in reps:
        cover = rep_sheet_cover(camera, front, rep)  # the sheet before this rep's own stance (a both-legs clip's near foot)
        hold = _hold_frames(rep, len(front["ankle"]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a hold without landmarks: all NaN
            knee, ankle = np.nanmedian(front["knee"][hold], axis=0), np.nanmedian(front["ankle"][hold], axis=0)
            feet = np.concatenate([front["heel"][hold], front["toe"][hold]])
            sole = feet[int(np.nanargmax(feet[:, 1]))] if np.isfinite(feet[:, 1]).any() else np.full(2, np.nan)
            own = np.array([np.nanmedian(front[part][hold], axis=0) for part in ("heel", "toe")])
        joint_shank = float(np.linalg.norm(knee - ankle)) / LANDMARK_SHANK_RATIO  # joint centres, as centimetres' shank_px
        hidden = hidden_ankle(cover, knee, ankle, sole, camera.up)
        if hidden is None:
            if cover is not None and np.isfinite(rep.tibial_inclination_ci95_deg) and foot_behind_sheet(cover, own, joint_shank, camera.up):
                cut = True
                rep = _with_cut_foot(rep)
            out.append(rep)
            continue
        fired = True
        extra = abs(hidden_ankle_range_deg(rep.tibial_inclination_deg, hidden.drop))
        ci = rep.tibial_inclination_ci95_deg + extra
        incl_ci = (rep.inclinometer_equivalent_ci95_deg + extra if rep.inclinometer_equivalent_ci95_deg is not None else None)
        refused = bool(np.isfinite(ci) and ci > MAX_HIDDEN_CI95_DEG and rep.valid)
        reasons = (*rep.invalid_reasons, HIDDEN_ANKLE_REASON) if refused else rep.invalid_reasons
        out.append(replace(rep, valid=rep.valid and not refused, invalid_reasons=reasons,
                           tibial_inclination_ci95_deg=ci, inclinometer_equivalent_ci95_deg=incl_ci))
    return out, ([HIDDEN_ANKLE_NOTE] if fired else []) + ([CUT_FOOT_NOTE] if cut else [])


def _hold_frames(rep: RepResult, n: int) -> np.ndarray:
    """The rep's hold (clip frames), its peak frame where no hold was found."""
    if 0 <= rep.hold_start_frame <= rep.hold_end_frame:
        return np.arange(rep.hold_start_frame, min(rep.hold_end_frame, n - 1) + 1)
    return np.array([min(max(rep.peak_frame, 0), n - 1)])
