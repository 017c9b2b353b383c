"""The analysis core: pose landmarks in, per-frame kinematics, reps and the test result out (pure, no I/O)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

import numpy as np

from ankle_cv.enums import AngleCode, Category, HeelSource, Side, SideChoice, SideMethod, VerticalSource, View
from ankle_cv.kinematics.estimator_choice import choose_angle, landmarks_only
from ankle_cv.kinematics.fitted import LANDMARK_ANKLE_HIGH, LANDMARK_SHANK_RATIO, VERTICAL_SIGMA_DEG
from ankle_cv.kinematics.heel import (
    BALL_U,
    RELEASE_FRACTION,
    SMOOTH_S,
    TYPICAL_FOOT_MM,
    HeelLift,
    estimate_heel_lift,
    heel_on_floor,
    rest_sole,
)
from ankle_cv.kinematics.heel_edge import (
    EDGE_PIVOT_GAIN,
    FootCrop,
    SoleColumns,
    crops_for,
    edge_rise_trace_px,
    foot_box,
    rep_frames,
    sole_columns,
)
from ankle_cv.kinematics.inclinometer import (
    APPROACH_SHARE,
    SIGMA_AXIS_DEG,
    OutlineReading,
    distrust_reason,
    read_outline,
    rep_reading,
)
from ankle_cv.kinematics.legs import (
    LegTracks,
    Stance,
    facing_sign,
    find_stances,
    split_front_back,
)
from ankle_cv.kinematics.plausibility import MIN_VISIBILITY, FrameGate, gate_frames
from ankle_cv.kinematics.shank import (
    ShankAngles,
    estimate_shank_angles,
    inclination_deg,
    rest_frames,
    steadied_ankle,
)
from ankle_cv.kinematics.shank_rotation import ankle_pivot, turned_angles_deg
from ankle_cv.kinematics.signals import hysteresis, lowpass, odd_window, rolling_median, runs
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.centimetre_types import Centimetres
from ankle_cv.protocol.interval import conflict_reason, frame_ci95_deg, rep_ci95_deg
from ankle_cv.protocol.movement import NOT_TEST, MovementCheck, check_movement, implausible_peak_reason
from ankle_cv.protocol.norms import category_for_deg
from ankle_cv.protocol.reps import RepWindow, segment_reps
from ankle_cv.protocol.view import camera_view
from ankle_cv.scene.camera_geometry import IMAGE_UP, CameraGeometry, tilt_deg, up_axis
from ankle_cv.scene.plane_angle import image_line_points, plane_inclination_deg
from ankle_cv.settings import Settings

CropReader = Callable[[dict[int, tuple[int, int, int, int]]], Mapping[int, FootCrop]]  # boxes -> grey foot crops (the video)

FOOT_SLIP_RATIO = 0.5  # foot centre moved more than this share of the foot length: the foot slid (landmark noise allows no finer)
PLANTED_RATIO = 0.35  # front foot farther than this (foot lengths) from its stance position: stepping, not testing
MIN_DETECTED_IN_REP = 0.7
MIN_CONFIDENCE = 0.3  # below it a rep with no other fault is refused as unsteady (rep_confidence)
# rep_confidence's terms, set by hand in the first version (9a32296), not fitted: a hold read from landmarks alone
# (they read low near the wall) scores 0.6 of one read from the silhouette; an angle SD over the hold up to 1 deg is
# the method's own noise, beyond it confidence falls by e every 3 deg.
LANDMARKS_ONLY_WEIGHT = 0.6
SILHOUETTE_WEIGHT = 0.4
STEADY_SPREAD_DEG = 1.0
SPREAD_FALLOFF_DEG = 3.0
NO_SPREAD_DEG = 99.0  # the spread of a hold without any angle (confidence ~0)
MIN_REP_DURATION_S = 1.0  # a knee-to-wall rep is slow and controlled; faster swings are gait or jumping
HIDDEN_MARGIN_FOOT = 0.3  # a sheet's outline this close to the foot (foot lengths) may hide or mimic its edges
MIN_HOLD_READINGS = 3  # image heel readings in the hold that suffice when other frames of the rep are unreadable
MIN_HEEL_LIFT_S = 0.2  # a heel lift shorter than this inside the hold is a mask glitch
MAX_FOOT_GLITCH_S = 1.5  # shorter runs of the front foot "away" between planted frames are landmark jumps
MAX_UNPLANTED_SHARE = 0.2  # share of a rep's frames where the front foot may be away from its place
MAX_IMPLAUSIBLE_IN_REP = 0.3  # share of a rep's frames whose landmarks fail the plausibility checks
MAX_IMPLAUSIBLE_AT_PEAK = 0.5  # the same within a quarter second of the peak
MAX_NOT_TEST_IN_REP = 0.3  # share of a rep's frames outside the test's geometry (protocol.movement) that refuses it
FEET_OUT_SHARE = 0.5  # feet cut off in more frames than this (of those with a person): say so as the reason
MIN_USABLE_SHARE = 0.8  # fewer plausible frames than this: warn with the commonest failures
HEEL_REASON = "heel lifted at the peak"


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


def _measure_rep(
    k: int,
    w: RepWindow,
    side: Side,
    series: PoseSeries,
    incl: np.ndarray,
    lm_incl: np.ndarray,
    dflex: np.ndarray,
    past_toe: np.ndarray,
    heel: HeelLift,
    vis: np.ndarray,
    shank: ShankAngles,
    toe: np.ndarray,
) -> RepResult:
    """Peak values over the rep's hold (medians resist single-frame glitches) and validity."""
    hold = slice(w.hold_start, w.hold_end + 1)
    rep = slice(w.start, w.end + 1)
    t = series.times_s
    angle = float(np.nanmedian(incl[hold]))
    state = rep_heel_state(heel.lifted[rep], series.times_s[rep], w.hold_start - w.start, w.hold_end - w.start)
    lifted_any = bool(state.any())
    rise = float(np.nanmax(heel.rise_ratio[hold])) if np.isfinite(heel.rise_ratio[hold]).any() else float("nan")
    reasons: list[str] = []
    if lifted_any:
        reasons.append(_heel_reason(rise))
    slip = _toe_slip(toe, w, heel.foot_length_px)
    if slip > FOOT_SLIP_RATIO:
        reasons.append(f"front foot moved during the rep ({100 * slip:.0f}% of foot length)")
    duration = float(t[w.end] - t[w.start])
    if duration < MIN_REP_DURATION_S:
        reasons.append(f"too quick for a knee-to-wall rep ({duration:.1f} s from start to end)")
    unplanted = float(np.mean(~np.isfinite(incl[rep])))
    if unplanted > MAX_UNPLANTED_SHARE:
        reasons.append(f"front foot not planted ({100 * unplanted:.0f}% of the rep)")
    detected = float(np.mean(series.detected[rep]))
    vis_hold = float(np.nanmean(vis[hold])) if np.isfinite(vis[hold]).any() else 0.0
    if detected < MIN_DETECTED_IN_REP or vis_hold < MIN_VISIBILITY:
        reasons.append(f"landmarks unreliable (person found in {100 * detected:.0f}% of rep frames, leg visibility {vis_hold:.2f})")
    edge_share = float(np.mean(shank.source[hold] == AngleCode.SILHOUETTE))
    spread = float(np.nanstd(incl[hold])) if np.isfinite(incl[hold]).any() else NO_SPREAD_DEG
    confidence = rep_confidence(vis_hold, detected, edge_share, spread)
    conflict = conflict_reason(shank.source[hold], shank.landmark_deg[hold], shank.edge_deg[hold])
    if conflict:
        reasons.append(conflict)
    elif not np.isfinite(angle):
        reasons.append("no shank angle at the peak")
    elif confidence < MIN_CONFIDENCE and not reasons:
        reasons.append(f"unsteady measurement at the peak (confidence {confidence:.2f}, spread {spread:.1f}°)")
    return RepResult(
        index=k,
        side=side,
        start_frame=w.start,
        peak_frame=w.peak,
        end_frame=w.end,
        start_s=float(t[w.start]),
        peak_s=float(t[w.peak]),
        end_s=float(t[w.end]),
        tibial_inclination_deg=angle,
        ankle_dorsiflexion_deg=float(np.nanmedian((incl - heel_pitch_deg(heel.rise_ratio, heel.lifted))[hold]))
        if lifted_any else angle,
        landmark_inclination_deg=float(np.nanmedian(lm_incl[hold])),
        knee_past_toe_px=float(np.nanmedian(past_toe[hold])),
        heel_lift_ratio=rise,
        heel_lift_mm_approx=rise * TYPICAL_FOOT_MM,
        heel_lifted=lifted_any,
        valid=not reasons,
        invalid_reasons=tuple(reasons),
        confidence=round(confidence, 3),
        heel_lift_source=heel.source,
        tibial_inclination_ci95_deg=rep_ci95_deg(shank.source[hold], shank.fused_deg[hold], _sigma(shank)[hold], shank.calibration_gap_deg,
                                                 plane_shift_deg=angle - float(np.nanmedian(shank.fused_deg[hold]))),
        hold_start_frame=w.hold_start,
        hold_end_frame=w.hold_end,
    )


def rep_confidence(visibility: float, detected: float, silhouette_share: float, spread_deg: float) -> float:
    """A rep's 0-1 confidence: leg visibility x share of frames with a person x angle source x steadiness at the hold."""
    source = LANDMARKS_ONLY_WEIGHT + SILHOUETTE_WEIGHT * silhouette_share
    steadiness = np.exp(-max(spread_deg - STEADY_SPREAD_DEG, 0) / SPREAD_FALLOFF_DEG)
    return float(np.clip(visibility, 0, 1) * detected * source * steadiness)


def _sigma(shank: ShankAngles) -> np.ndarray:
    """Per-frame method error of the shank angle (the landmarks' where no silhouette was chosen among estimators)."""
    return shank.sigma_deg if shank.sigma_deg is not None else landmarks_only(shank.fused_deg).sigma_deg


def rep_heel_state(lifted: np.ndarray, times_s: np.ndarray, hold_start: int, hold_end: int) -> np.ndarray:
    """Per frame of one rep, heel up: the lifted runs that last MIN_HEEL_LIFT_S and reach into the hold.

    The rep's verdict is whether any frame is up, so the drawn per-frame state and the verdict are one reading;
    runs that end before the hold or start after it are the outline moving with the shin, not a lift at the test's peak.
    """
    out = np.zeros(lifted.size, bool)
    dt = float(np.median(np.diff(times_s))) if times_s.size > 1 else 0.0
    for a, b in runs(lifted):
        if b >= hold_start and a <= hold_end and ((b - a + 1) * dt >= MIN_HEEL_LIFT_S - 1e-6 or b - a + 1 >= lifted.size):
            out[a:b + 1] = True
    return out


def heel_pitch_deg(rise_ratio: np.ndarray, lifted: np.ndarray) -> np.ndarray:
    """The foot's heel-up pitch about the ball from the heel's rise (a fraction of the foot's length); 0 where the heel is down."""
    pitch = np.degrees(np.arcsin(np.clip(np.nan_to_num(rise_ratio) / BALL_U, 0.0, 1.0)))
    return np.where(lifted, pitch, 0.0)


def _heel_reason(rise_ratio: float) -> str:
    """The invalid reason for a lifted heel, in foot-length percent and approximate millimetres."""
    return f"{HEEL_REASON} (rise {100 * rise_ratio:.1f}% of foot length, ~{rise_ratio * TYPICAL_FOOT_MM:.0f} mm)"


def _toe_slip(toe: np.ndarray, w: RepWindow, foot_px: float) -> float:
    """How far the foot moved from the rep's start to its hold, in foot lengths (the foot slid)."""
    before = toe[max(0, w.start - 5):w.start + 1]
    during = toe[w.hold_start:w.hold_end + 1]
    if not (np.isfinite(before).any() and np.isfinite(during).any() and foot_px > 0):
        return 0.0
    return float(np.linalg.norm(np.nanmedian(during, axis=0) - np.nanmedian(before, axis=0)) / foot_px)


def _summarise_leg(side: Side, reps: list[RepResult]) -> LegSummary:
    """Best valid rep = the largest inclination with the heel down; mean and SD over valid reps."""
    valid = [r for r in reps if r.valid]
    if not valid:
        return LegSummary(side, None, None, None, None, None, None, 0, len(reps))
    best = max(valid, key=lambda r: r.tibial_inclination_deg)
    angles = np.array([r.tibial_inclination_deg for r in valid])
    inclinometer = best.inclinometer_equivalent_deg if np.isfinite(best.inclinometer_equivalent_deg) else None
    reason = None if inclinometer is not None else (
        "not compared with the inclinometer norms: " + (best.inclinometer_unread_reason or "the front of the shin was not read")
    )
    return LegSummary(
        side=side,
        best_rep=best.index,
        tibial_inclination_deg=best.tibial_inclination_deg,
        ankle_dorsiflexion_deg=best.ankle_dorsiflexion_deg,
        mean_deg=float(angles.mean()),
        sd_deg=float(angles.std(ddof=1)) if angles.size > 1 else 0.0,
        category=category_for_deg(inclinometer),
        reps_valid=len(valid),
        reps_total=len(reps),
        inclinometer_equivalent_deg=inclinometer,
        inclinometer_equivalent_ci95_deg=best.inclinometer_equivalent_ci95_deg if inclinometer is not None else None,
        category_reason=reason,
        tibial_inclination_ci95_deg=best.tibial_inclination_ci95_deg,
    )


@dataclass(frozen=True)
class _StanceKinematics:
    """Per-frame arrays of one stance (slices of the clip)."""

    incl: np.ndarray
    smooth: np.ndarray
    shank: ShankAngles
    heel: HeelLift
    dflex: np.ndarray
    pitch: np.ndarray
    past_toe: np.ndarray
    planted: np.ndarray  # front-foot landmarks at the foot's place (False also where they jumped to the other foot)
    incl_image: np.ndarray  # the angle as the image shows it (for drawing; `incl` is in the leg's plane when a sheet is seen)
    outline: OutlineReading | None = None  # the shin's front over the inclinometer's stretch (None: no silhouette)
    outline_deg: np.ndarray | None = None  # its angle in the leg's plane where trusted (NaN elsewhere)


HAND_LANDMARKS = (15, 16, 19, 20)  # wrists and index fingers: a held weight hangs from them


def _others_near_shin(tracks: LegTracks, series: PoseSeries, sl: slice) -> np.ndarray:
    """(N, M, 2) image points of the other leg (along its shank and foot) and of the hands, to keep off the outline."""
    back = tracks.back
    parts = [back[p][sl] for p in ("knee", "ankle", "heel", "toe")]
    for a, b in (("knee", "ankle"), ("ankle", "toe")):
        for t in (0.25, 0.5, 0.75):
            parts.append((1 - t) * back[a][sl] + t * back[b][sl])
    parts += [series.image_xy[sl, i, :] for i in HAND_LANDMARKS]
    return np.stack(parts, axis=1)


def _read_outline(
    series: PoseSeries, tracks: LegTracks, sl: slice, edge_x: np.ndarray, rows: np.ndarray, anchor: np.ndarray,
    incl_image: np.ndarray, shank: ShankAngles, facing: int, camera: CameraGeometry,
) -> tuple[OutlineReading, np.ndarray]:
    """The inclinometer's stretch placed on the joint centres (MediaPipe's ankle sits high, its shank reads short)."""
    up = camera.up
    up_v = up_axis(up)
    joint_ankle = anchor - LANDMARK_ANKLE_HIGH * shank.shank_length_px * up_v[None, :]
    joint_length = shank.shank_length_px / LANDMARK_SHANK_RATIO
    reading = read_outline(edge_x, rows, joint_ankle, incl_image, joint_length, facing, _others_near_shin(tracks, series, sl),
                           tilt_deg(up_v))
    trusted_deg = np.where(reading.trusted, reading.angle_deg, np.nan)
    return reading, _in_leg_plane(trusted_deg, anchor, facing, shank.shank_length_px, up, camera.leg_plane_homography)


def _stance_kinematics(
    series: PoseSeries, tracks: LegTracks, st: Stance, facing: int, fps: float, settings: Settings, camera: CameraGeometry
) -> _StanceKinematics:
    """Shank angle, heel lift and derived values for one planted front foot."""
    sl = slice(st.start, st.end + 1)
    front = {k: v[sl] for k, v in tracks.front.items()}
    edge_x = rows = bottom = cols = None
    if settings.use_silhouette and series.has_mask:
        edge_x = cast(np.ndarray, series.mask_right_x if facing > 0 else series.mask_left_x)[sl]
        rows, bottom, cols = series.mask_rows_y, cast(np.ndarray, series.mask_bottom_y)[sl], series.mask_cols_x
    up = camera.up
    shank = estimate_shank_angles(front["knee"], front["ankle"], facing, fps, edge_x, rows, up)
    if edge_x is not None and rows is not None and bottom is not None and cols is not None and shank.edge_offset_deg is not None:
        shank = _with_turn(shank, front, facing, fps, edge_x, rows, bottom, cols, up, rest_frames(lowpass(shank.fused_deg, fps, settings.smoothing_hz)))
    planted = _planted(front, fps)
    incl_image = np.where(_bridge_glitches(planted, fps), shank.fused_deg, np.nan)
    anchor = steadied_ankle(front["ankle"], fps)
    incl = _in_leg_plane(incl_image, anchor, facing, shank.shank_length_px, up, camera.leg_plane_homography)
    smooth = lowpass(incl, fps, settings.smoothing_hz)
    rest = rest_frames(smooth)
    heel = estimate_heel_lift(front["heel"], front["toe"], facing, fps, rest, bottom, cols, settings.heel_lift_ratio)
    # Foot pitch against its own flat baseline: dorsiflexion = inclination - heel-up pitch.
    fvec = front["toe"] - front["heel"]
    pitch = np.degrees(np.arctan2(-fvec[:, 1], facing * fvec[:, 0]))
    pitch = rolling_median(pitch - np.nanmedian(pitch[rest]), 5) if rest.any() else np.zeros_like(pitch)
    pitch = np.where(heel.lifted, np.maximum(pitch, 0.0), 0.0)
    # Knee rebuilt from the planted ankle, the shank length and the robust angle.
    ankle_x = anchor[:, 0]
    toe_x0 = np.nanmedian(front["toe"][rest, 0]) if rest.any() else np.nanmedian(front["toe"][:, 0])
    knee_x = ankle_x + facing * shank.shank_length_px * np.sin(np.radians(incl_image))
    outline = outline_deg = None
    if edge_x is not None and rows is not None and np.isfinite(shank.shank_length_px):
        outline, outline_deg = _read_outline(series, tracks, sl, edge_x, rows, anchor, incl_image, shank, facing, camera)
    return _StanceKinematics(
        incl, smooth, shank, heel, incl - pitch, pitch, facing * (knee_x - toe_x0), planted, incl_image, outline, outline_deg
    )


def _with_inclinometer(rep: RepResult, w: RepWindow, k: _StanceKinematics, settings: Settings, camera: CameraGeometry) -> RepResult:
    """The rep with its inclinometer-equivalent angle: the joint-centre angle at the hold plus the person's own
    front-edge lean read on the rep's approach and return (or the reason there is none)."""
    if k.outline is None or k.outline_deg is None:
        reason = "the shin's outline was not read (no silhouette)" if settings.use_silhouette else "the silhouette is off (--no-silhouette)"
        return replace(rep, inclinometer_unread_reason=reason)
    frames = np.arange(w.start, w.end + 1)
    excursion = (k.smooth[frames] - w.base_deg) / max(w.peak_deg - w.base_deg, 1e-6)
    moving = frames[(excursion > APPROACH_SHARE[0]) & (excursion < APPROACH_SHARE[1])]
    hold = slice(w.hold_start, w.hold_end + 1)
    used = np.concatenate([moving, np.arange(w.hold_start, w.hold_end + 1)])
    vertical = VERTICAL_SIGMA_DEG.get(camera.vertical_source, VERTICAL_SIGMA_DEG[VerticalSource.IMAGE])
    reading = rep_reading(
        rep.tibial_inclination_deg, k.outline_deg[moving] - k.incl[moving], k.outline_deg[hold],
        np.where(k.outline.trusted[used], k.outline.placement_deg[used], np.nan), distrust_reason(k.outline, slice(w.start, w.end + 1)),
        float(np.hypot(SIGMA_AXIS_DEG, vertical)),
    )
    return replace(rep, inclinometer_equivalent_deg=reading.angle_deg, inclinometer_equivalent_ci95_deg=reading.ci95_deg,
                   inclinometer_unread_reason=reading.reason)


def _with_turn(
    shank: ShankAngles,
    front: dict[str, np.ndarray],
    facing: int,
    fps: float,
    edge_x: np.ndarray,
    rows: np.ndarray,
    bottom: np.ndarray,
    cols: np.ndarray,
    up: np.ndarray | None,
    rest: np.ndarray,
) -> ShankAngles:
    """The edge line's angle replaced by the mid-shin outline's turn about the ankle wherever that can be read."""
    rest = rest & (shank.source == AngleCode.SILHOUETTE)
    if not rest.any():
        return shank
    _, base, sole = rest_sole(front["heel"], front["toe"], facing, rest, bottom, cols)
    heel_back = heel_on_floor(sole, base, cols) if sole is not None else None
    length = shank.shank_length_px
    ankle = np.nanmedian(front["ankle"][rest], axis=0)
    pivot = ankle_pivot(ankle, length, facing, up, heel_back, sole.length_px if sole is not None else float("nan"))
    turned = turned_angles_deg(edge_x, rows, pivot, shank.fused_deg, rest, length, facing, fps, up)
    choice = choose_angle(shank.landmark_deg, shank.edge_deg, turned)
    return replace(shank, fused_deg=choice.angle_deg, source=choice.source, sigma_deg=choice.sigma_deg)


def _in_leg_plane(
    incl_deg: np.ndarray,
    anchor: np.ndarray,
    facing: int,
    length_px: float,
    up: np.ndarray | None,
    homography: tuple[float, ...] | None,
) -> np.ndarray:
    """Image angles re-read in the leg's plane through the sheet (undoes camera yaw and perspective)."""
    if homography is None or not np.isfinite(length_px):
        return incl_deg
    up_v = up_axis(up)
    knee = image_line_points(anchor, incl_deg, facing, up_v, length_px)
    ok = np.isfinite(incl_deg) & np.isfinite(anchor).all(axis=1)
    out = np.full_like(incl_deg, np.nan)
    if ok.any():
        out[ok] = plane_inclination_deg(anchor[ok], knee[ok], np.array(homography), facing)
    return out


def _planted(front: dict[str, np.ndarray], fps: float) -> np.ndarray:
    """Frames where the front foot stands where it stands for most of the stance (not stepping)."""
    foot = np.nanmedian(np.linalg.norm(front["toe"] - front["heel"], axis=1))
    centre = 0.5 * (front["toe"] + front["heel"])
    win = max(3, int(0.5 * fps) | 1)
    smooth = np.stack([rolling_median(centre[:, 0], win), rolling_median(centre[:, 1], win)], axis=1)
    home = np.nanmedian(smooth, axis=0)
    return np.linalg.norm(smooth - home, axis=1) < PLANTED_RATIO * foot


def _bridge_glitches(planted: np.ndarray, fps: float) -> np.ndarray:
    """Treat short 'not planted' runs as landmark jumps (legs confused near the wall), not as stepping away."""
    out = planted.copy()
    n, max_run = planted.size, int(MAX_FOOT_GLITCH_S * fps)
    i = 0
    while i < n:
        if planted[i]:
            i += 1
            continue
        j = i
        while j < n and not planted[j]:
            j += 1
        if 0 < i and j < n and j - i <= max_run:  # bounded by planted frames on both sides
            out[i:j] = True
        i = j
    return out


def _measured_line(
    ankle: np.ndarray, incl_deg: np.ndarray, length_px: float, facing: int, fps: float, roll_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """The measured shin line in the image: the steadied ankle and the point one shank length along the measured angle.

    Drawn beside the detected knee (never instead of it), so a measured angle that disagrees with the picture shows.
    """
    a = steadied_ankle(ankle, fps)
    # Against the image's vertical, as the centimetres' knee has always been placed (roll_deg kept for when they move
    # to the true vertical together: drawing it alone would move the knee-to-wall numbers).
    del roll_deg
    return a, image_line_points(a, incl_deg, facing, IMAGE_UP, length_px)


def _side_disagrees(scene: list[Stance], asked: SideChoice) -> list[str]:
    """A warning when --side names a leg the scene's geometry does not show in front (the front leg is measured anyway)."""
    seen = {st.side for st in scene if st.side_method == SideMethod.GEOMETRY}
    if not seen or asked in seen:
        return []
    return [f"--side {asked}: the picture shows the {seen.pop()} leg in front (the foot nearer the camera); the front leg "
            f"was measured and is labelled {asked} as asked"]


def _people_in_view(samples: np.ndarray) -> int:
    """Most people seen in at least two of the sparse samples (one sample can be a false detection)."""
    counts = np.sort(samples[samples >= 0])[::-1]
    if counts.size == 0:
        return -1
    return int(counts[1]) if counts.size >= 2 else int(counts[0])


def _nan(n: int) -> np.ndarray:
    """A float array of NaN."""
    return np.full(n, np.nan)


def analyze_series(
    series: PoseSeries, fps: float, settings: Settings = Settings(), foot_crops: Mapping[int, FootCrop] | None = None,
    camera: CameraGeometry | None = None, read_crops: CropReader | None = None,
) -> Analysis:
    """Turn a clip's landmarks into the knee-to-wall result (NaN-heavy clips are expected: numpy stays quiet).

    foot_crops: grey crops of the frames `heel_check_boxes` asks for (a first analysis finds them); with them
    each rep's heel is read from the image's heel edge instead of the silhouette. camera: what the video told
    about the vertical and the leg's plane (default: the user's roll, else a level camera). read_crops: gives
    those crops once the reps are found (from the video), so one analysis does what a first one and foot_crops would.
    """
    camera = camera or CameraGeometry.from_user_roll(settings.camera_roll_deg)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return _analyze(series, fps, settings, camera, foot_crops or {}, read_crops)


def _analyze(
    series: PoseSeries, fps: float, settings: Settings, camera: CameraGeometry, foot_crops: Mapping[int, FootCrop],
    read_crops: CropReader | None = None,
) -> Analysis:
    """analyze_series without the warning guard."""
    n = series.n_frames
    notes: list[str] = []
    detected_fraction = float(series.detected.mean()) if n else 0.0
    facing = facing_sign(series)
    tracks = split_front_back(series, facing)
    stances = find_stances(tracks, facing, fps, settings.side)
    if settings.side in ("left", "right"):
        notes += _side_disagrees(find_stances(tracks, facing, fps, SideChoice.AUTO), settings.side)
    vis = np.nanmean(np.stack([tracks.front_visibility[p] for p in ("knee", "ankle", "heel", "toe")]), axis=0)
    gate = gate_frames(tracks.front, tracks.front_visibility, series.width, series.height, fps)
    movement = check_movement(series, tracks.front, tracks.back, fps, camera.up)
    stances = _within(stances, movement.geometry_runs(fps))
    incl, smooth, lm_incl, dflex, pitch, rise, past_toe, inclinometer, ci95 = (_nan(n) for _ in range(9))
    lifted = np.zeros(n, bool)
    source = np.full(n, "", dtype=object)
    front_side = np.full(n, "", dtype=object)
    rep_index = np.zeros(n, dtype=int)
    reps: list[RepResult] = []
    heel_states: dict[int, _RepHeel] = {}
    shank_px, foot_px, offsets, heel_source = [], [], [], HeelSource.LANDMARKS
    shin_top = np.full((n, 2), np.nan)
    ankle_anchor = np.full((n, 2), np.nan)
    for st in stances:
        if st.end - st.start + 1 < 3:
            continue
        sl = slice(st.start, st.end + 1)
        k = _stance_kinematics(series, tracks, st, facing, fps, settings, camera)
        incl[sl], smooth[sl], lm_incl[sl] = k.incl, k.smooth, k.shank.landmark_deg
        dflex[sl], pitch[sl], rise[sl], past_toe[sl] = k.dflex, k.pitch, k.heel.rise_ratio, k.past_toe
        lifted[sl] = k.heel.lifted
        if k.outline_deg is not None:
            inclinometer[sl] = k.outline_deg
        source[sl] = [AngleCode(int(c)).text for c in k.shank.source]
        ci95[sl] = np.where(np.isfinite(k.incl), frame_ci95_deg(k.shank.source, _sigma(k.shank), k.shank.calibration_gap_deg), np.nan)
        front_side[sl] = st.side
        ankle_anchor[sl], shin_top[sl] = _measured_line(tracks.front["ankle"][sl], k.incl_image, k.shank.shank_length_px, facing, fps,
                                                        camera.roll_deg)
        shank_px.append(k.shank.shank_length_px)
        foot_px.append(k.heel.foot_length_px)
        heel_source = k.heel.source
        if k.shank.edge_offset_deg is not None:
            offsets.append(k.shank.edge_offset_deg)
        sub = _slice_series(series, sl)
        for w in segment_reps(k.smooth, fps, settings.min_excursion_deg):
            idx = len(reps) + 1
            rep = _measure_rep(
                idx, w, st.side, sub, k.incl, k.shank.landmark_deg, k.dflex, k.past_toe, k.heel, vis[sl], k.shank,
                np.where(k.planted[:, None], 0.5 * (tracks.front["toe"][sl] + tracks.front["heel"][sl]), np.nan),
            )
            rep = _shift_rep(_with_inclinometer(rep, w, k, settings, camera), st.start)
            reps.append(rep)
            rep_index[rep.start_frame:rep.end_frame + 1] = idx
            r0 = rep.start_frame - st.start
            heel_states[idx] = _RepHeel(rep.start_frame, k.heel.rise_ratio[r0:r0 + rep.end_frame - rep.start_frame + 1],
                                        rep_heel_state(k.heel.lifted[w.start:w.end + 1], sub.times_s[w.start:w.end + 1],
                                                       w.hold_start - w.start, w.hold_end - w.start))
        if st.side_method == SideMethod.LABELS and detected_fraction >= 0.05:
            notes.append("could not tell the tested leg from the scene; it was taken from the pose model's labels (use --side to be sure)")
    shank_len = float(np.nanmedian(shank_px)) if shank_px else float("nan")
    foot_len = float(np.nanmedian(foot_px)) if foot_px else float("nan")
    view, _ = camera_view(series, shank_len, foot_len)
    if read_crops is not None and not foot_crops:
        boxes = _heel_boxes(reps, tracks.front, n)
        foot_crops = read_crops(boxes) if boxes else {}
    if foot_crops:
        read = [_heel_from_image(r, series, tracks.front, facing, foot_crops, settings.heel_edge_ratio, fps, incl,
                                 camera.sheet_cover_px) for r in reps]
        reps = [r for r, _ in read]
        heel_states.update({r.index: h for r, h in read if h is not None})
        if any(r.heel_lift_source == HeelSource.IMAGE for r in reps):
            heel_source = HeelSource.IMAGE
    # One heel reading per rep, frame by frame: the drawn state, frames.csv and the verdict agree; between reps it is not judged.
    lifted[:] = False
    for h in heel_states.values():
        sl_h = slice(h.start, h.start + h.rise_ratio.size)
        rise[sl_h], lifted[sl_h] = h.rise_ratio, h.lifted
    pitch = heel_pitch_deg(rise, lifted)
    dflex = incl - pitch
    reps = _gate_reps(reps, gate, movement, fps)
    legs = {side: _summarise_leg(side, [r for r in reps if r.side == side]) for side in sorted({r.side for r in reps})}
    valid = [r for r in reps if r.valid]
    best = max(valid, key=lambda r: r.tibial_inclination_deg) if valid else None
    primary = best.side if best else (reps[0].side if reps else (stances[0].side if stances else Side.RIGHT))
    max_people = _people_in_view(series.people)
    if max_people > 1:
        notes.append(f"{max_people} people were in view; the one tracked is the most prominent (check the annotated video)")
    if view == View.OBLIQUE:
        notes.append("oblique camera view: angles may read low (tanθ' = tanθ·cosφ); film square to the side of the leg")
    elif view == View.FRONT:
        notes.append("the camera does not see the leg from the side: angles are not measurable in this view")
    if 0.05 <= detected_fraction < 0.9:  # below, the no-measurement reason says it
        notes.append(f"the person was found in only {100 * detected_fraction:.0f}% of frames")
    for part_side in sorted({(p, r.side) for r in reps for p in hidden_foot_parts(
            tracks.front, np.arange(max(r.start_frame - 5, 0), r.start_frame + 1), camera.sheet_cover_px)}):
        if part_side[0] != "heel":
            continue
        notes.append(f"the marker sheet stands between the camera and the {part_side[1]} foot, beside or over it: the heel "
                     "lift was not checked (reps' heel_lift_source 'hidden'); stand the sheet beyond the foot, on the side "
                     "away from the camera")
    if tracks.swapped_fraction > 0.1:
        notes.append(f"the pose model confused left and right legs in {100 * tracks.swapped_fraction:.0f}% of frames (repaired)")
    if series.has_mask and settings.use_silhouette and not offsets and reps:
        notes.append("the shin's outline could not be calibrated: angles come from raw landmarks and may read low near the wall")
    usable = gate.usable
    if n and detected_fraction >= 0.05 and usable.mean() < MIN_USABLE_SHARE:
        failures = ", ".join(gate.reasons(series.detected))
        notes.append(f"only {100 * usable.mean():.0f}% of frames have plausible leg landmarks ({failures})")
    feet_out = gate.share("feet out of frame", series.detected)
    reason = None
    if detected_fraction < 0.05 or (not valid and detected_fraction < 0.5):
        reason = f"no person found in {100 * (1 - detected_fraction):.0f}% of frames"
    elif not valid and feet_out > FEET_OUT_SHARE:  # before the movement: feet out of the picture have guessed landmarks
        reason = f"feet out of frame in {100 * feet_out:.0f}% of frames: keep the whole foot and the floor in view"
    elif not valid and movement.clip_reason():
        reason = movement.clip_reason()
    elif not valid and reps and all(any(x.startswith(NOT_TEST) for x in r.invalid_reasons) for r in reps):
        reason = f"{NOT_TEST}: {movement.reason(np.concatenate([np.arange(r.start_frame, r.end_frame + 1) for r in reps]))}"
    elif not reps:
        reason = f"no knee-to-wall rep found (the shin never tilted forward and back by {settings.min_excursion_deg:.0f}° or more)"
    elif not valid:
        reason = "no valid rep: " + "; ".join(sorted({x.split(" (")[0] for r in reps for x in r.invalid_reasons}))
    frames = FrameKinematics(
        times_s=series.times_s,
        tibial_inclination_deg=incl,
        tibial_inclination_smooth_deg=smooth,
        landmark_inclination_deg=lm_incl,
        left_shank_deg=inclination_deg(series.leg(Side.LEFT)["knee"], series.leg(Side.LEFT)["ankle"], facing),
        right_shank_deg=inclination_deg(series.leg(Side.RIGHT)["knee"], series.leg(Side.RIGHT)["ankle"], facing),
        ankle_dorsiflexion_deg=dflex,
        foot_pitch_deg=pitch,
        heel_rise_ratio=rise,
        heel_lifted=lifted,
        knee_past_toe_px=past_toe,
        front_visibility=vis,
        front_side=front_side.astype(str),
        rep_index=rep_index,
        angle_source=source.astype(str),
        inclinometer_equivalent_deg=inclinometer,
        tibial_inclination_ci95_deg=ci95,
    )
    quality = Quality(
        pose_detected_fraction=detected_fraction,
        leg_visibility_mean=float(np.nanmean(vis)) if np.isfinite(vis).any() else 0.0,
        usable_fraction=float(usable.mean()) if n else 0.0,
        view=view,
        max_people=max_people,
        lr_swap_fraction=tracks.swapped_fraction,
        warnings=tuple(notes),
    )
    return Analysis(
        facing=Side.from_sign(facing),
        side=primary,
        reps=tuple(reps),
        legs=legs,
        best_rep=best.index if best else None,
        frames=frames,
        quality=quality,
        settings=settings,
        camera=camera,
        shank_length_px=shank_len,
        foot_length_px=foot_len,
        edge_offset_deg=float(np.median(offsets)) if offsets else None,
        heel_source=heel_source,
        no_measurement_reason=reason,
        front_xy={**tracks.front, "ankle_anchor": ankle_anchor, "shin_top": shin_top},
    )


def _rest_sole(series: PoseSeries, front: dict[str, np.ndarray], facing: int, rest: np.ndarray) -> SoleColumns | None:
    """The flat foot's sole columns (heel and forefoot zones) from the silhouette of the rest frames."""
    if not series.has_mask:
        return None
    cols = np.asarray(series.mask_cols_x, float)
    _, base, sole = rest_sole(front["heel"], front["toe"], facing, rest, cast(np.ndarray, series.mask_bottom_y), cols)
    return sole_columns(sole.u, base, cols, sole.length_px) if sole is not None else None


def heel_check_boxes(analysis: Analysis, series: PoseSeries) -> dict[int, tuple[int, int, int, int]]:
    """Frames (sample index -> image box around the front foot) whose crops let each rep's heel be read from the image."""
    return _heel_boxes(analysis.reps, analysis.front_xy, series.n_frames)


def _heel_boxes(reps: Sequence[RepResult], front: Mapping[str, np.ndarray], n: int) -> dict[int, tuple[int, int, int, int]]:
    """heel_check_boxes from the reps and the front leg's points.

    The rest just before the rep and every frame of the rep: the per-frame trace and the verdict come from the same reading.
    """
    boxes: dict[int, tuple[int, int, int, int]] = {}
    for r in reps:
        rest, _ = rep_frames(r.start_frame, r.peak_frame, n)
        box = foot_box(np.nanmedian(front["heel"][rest], axis=0), np.nanmedian(front["toe"][rest], axis=0))
        if box is not None:
            boxes.update({int(i): box for i in np.concatenate([rest, np.arange(r.start_frame, r.end_frame + 1)])})
    return boxes


def hidden_foot_parts(front: dict[str, np.ndarray], frames: np.ndarray, cover: tuple[float, ...] | None) -> tuple[str, ...]:
    """The front foot's parts a sheet standing before it may hide: both, when its outline reaches the foot's box.

    A sheet nearer the camera than the foot cuts the foot's outline and puts its own edges beside the heel's
    (renders: a 'near' card beside the foot made a heel that never moved read 25 mm and 19 cm), so no heel
    reading near it is trusted.
    """
    if cover is None:
        return ()
    heel, toe = np.nanmedian(front["heel"][frames], axis=0), np.nanmedian(front["toe"][frames], axis=0)
    if not (np.all(np.isfinite(heel)) and np.all(np.isfinite(toe))):
        return ()
    foot = float(np.linalg.norm(toe - heel))
    lo = np.minimum(heel, toe) - [HIDDEN_MARGIN_FOOT * foot, 0.5 * foot]
    hi = np.maximum(heel, toe) + HIDDEN_MARGIN_FOOT * foot
    poly = np.asarray(cover, float).reshape(-1, 2)
    box_lo, box_hi = poly.min(axis=0), poly.max(axis=0)
    if np.any(box_hi < lo) or np.any(box_lo > hi):
        return ()
    return ("heel", "toe")


@dataclass(frozen=True)
class _RepHeel:
    """One rep's per-frame heel reading (frames start..end): rise (fraction of foot length), heel-up state."""

    start: int
    rise_ratio: np.ndarray
    lifted: np.ndarray


def _heel_from_image(
    rep: RepResult, series: PoseSeries, front: dict[str, np.ndarray], facing: int, crops: Mapping[int, FootCrop], threshold: float,
    fps: float, incl: np.ndarray, cover: tuple[float, ...] | None = None,
) -> tuple[RepResult, _RepHeel | None]:
    """The rep with its heel read from the image's heel edge frame by frame, when the crops and the sole allow it."""
    rest, _ = rep_frames(rep.start_frame, rep.peak_frame, series.n_frames)
    rest_crops = crops_for(rest, crops)
    sole = _rest_sole(series, front, facing, rest) if rest_crops else None
    hidden = hidden_foot_parts(front, rest, cover)
    idx = np.arange(rep.start_frame, rep.end_frame + 1)
    raw = np.full(idx.size, np.nan)
    foot_px = sole.foot_px if sole is not None else float("nan")
    if sole is not None and not hidden:
        raw = edge_rise_trace_px(rest_crops, [crops.get(int(i)) for i in idx], sole)
    h0, h1 = rep.hold_start_frame - rep.start_frame, rep.hold_end_frame - rep.start_frame
    readable = np.isfinite(raw).sum() >= max(3, 0.5 * idx.size) or np.isfinite(raw[max(h0, 0):h1 + 1]).sum() >= MIN_HOLD_READINGS
    if not readable:
        if not hidden and cover is None:
            return rep, None
        # The sheet hides part of the foot and cuts its outline: neither reading holds, the heel is not judged.
        kept = tuple(x for x in rep.invalid_reasons if not x.startswith(HEEL_REASON))
        return (replace(rep, heel_lift_ratio=float("nan"), heel_lift_mm_approx=float("nan"), heel_lifted=False, valid=not kept,
                        invalid_reasons=kept, heel_lift_source=HeelSource.HIDDEN),
                _RepHeel(rep.start_frame, np.full(idx.size, np.nan), np.zeros(idx.size, bool)))
    win = odd_window(fps, SMOOTH_S)
    ratio = rolling_median(raw * EDGE_PIVOT_GAIN / foot_px, win)
    hold = ratio[max(h0, 0):h1 + 1]
    held_ratio = float(np.nanmedian(hold)) if np.isfinite(hold).any() else float("nan")
    # The verdict is the hold's median reading (a real lift holds; single noisy frames do not make one); the frames
    # drawn as heel-up are then the run of readings above the release level that holds the hold, so they agree with it.
    if np.isfinite(held_ratio) and held_ratio >= threshold:
        state = rep_heel_state(hysteresis(ratio, threshold * RELEASE_FRACTION, threshold * RELEASE_FRACTION), series.times_s[idx], h0, h1)
        if not state.any():
            state[max(h0, 0):h1 + 1] = True
    else:
        state = np.zeros(idx.size, bool)
    peak_ratio = held_ratio if np.isfinite(held_ratio) else float(np.nanmax(ratio))
    lifted = bool(state.any())
    reasons = [x for x in rep.invalid_reasons if not x.startswith(HEEL_REASON)]
    if lifted:
        reasons.insert(0, _heel_reason(peak_ratio))
    pitch = heel_pitch_deg(ratio, state)
    dflex = float(np.nanmedian((incl[idx] - pitch)[max(h0, 0):h1 + 1])) if lifted else rep.tibial_inclination_deg
    out = replace(rep, heel_lift_ratio=peak_ratio, heel_lift_mm_approx=peak_ratio * TYPICAL_FOOT_MM, heel_lifted=lifted,
                  valid=not reasons, invalid_reasons=tuple(reasons), heel_lift_source=HeelSource.IMAGE, ankle_dorsiflexion_deg=dflex)
    return out, _RepHeel(rep.start_frame, ratio, state)


def _gate_reps(reps: list[RepResult], gate: FrameGate, movement: MovementCheck, fps: float) -> list[RepResult]:
    """Refuse reps measured on implausible landmarks, outside the test's geometry or at an impossible angle, saying why."""
    half = max(1, int(round(0.25 * fps)))
    out = []
    for r in reps:
        reasons = list(r.invalid_reasons)
        frames = slice(r.start_frame, r.end_frame + 1)
        peak = slice(max(r.peak_frame - half, 0), r.peak_frame + half + 1)
        if gate.unusable_share(frames) > MAX_IMPLAUSIBLE_IN_REP:
            share, failures = gate.unusable_share(frames), ", ".join(gate.reasons(frames))
            reasons.append(f"implausible landmarks in {100 * share:.0f}% of the rep's frames ({failures})")
        elif gate.unusable_share(peak) > MAX_IMPLAUSIBLE_AT_PEAK:
            reasons.append(f"implausible landmarks at the peak ({', '.join(gate.reasons(peak))})")
        if movement.geometry_failure_share(frames) > MAX_NOT_TEST_IN_REP:
            reasons.append(f"{NOT_TEST} in this rep ({movement.reason(frames)})")
        implausible = implausible_peak_reason(r.tibial_inclination_deg)
        if implausible:
            reasons.append(implausible)
        out.append(replace(r, valid=not reasons, invalid_reasons=tuple(reasons)))
    return out


def _within(stances: list[Stance], test_runs: list[tuple[int, int]]) -> list[Stance]:
    """The stances cut to the runs of frames in the test's geometry (a clip that changes view is judged per segment)."""
    out = []
    for st in stances:
        for a, b in test_runs:
            lo, hi = max(st.start, a), min(st.end, b)
            if hi - lo + 1 >= 3:
                out.append(replace(st, start=lo, end=hi))
    return out


def _slice_series(series: PoseSeries, sl: slice) -> PoseSeries:
    """The frames of one stance (only the fields the rep measurement reads)."""
    return PoseSeries(
        series.times_s[sl], series.image_xy[sl], series.visibility[sl], series.world_xyz[sl],
        series.width, series.height, series.people[sl],
    )


def _shift_rep(rep: RepResult, offset: int) -> RepResult:
    """Express a stance-relative rep in clip frame indices."""
    return replace(
        rep,
        start_frame=rep.start_frame + offset,
        peak_frame=rep.peak_frame + offset,
        end_frame=rep.end_frame + offset,
        hold_start_frame=rep.hold_start_frame + offset,
        hold_end_frame=rep.hold_end_frame + offset,
    )
