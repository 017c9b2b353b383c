"""One planted front foot's per-frame kinematics: the shank angle (in the leg's plane), heel lift, the inclinometer's outline (pure)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

import numpy as np

from ankle_cv.enums import AngleCode, VerticalSource
from ankle_cv.kinematics.edge_support import trusted_edge
from ankle_cv.kinematics.estimator_choice import choose_angle, is_fabric, with_fabric_doubt, with_turn_reference_doubt
from ankle_cv.kinematics.fabric_reference import fabric_offset_drop_deg, with_offset_lowered
from ankle_cv.kinematics.fitted import LANDMARK_ANKLE_HIGH, LANDMARK_SHANK_RATIO, STEP_KNEE_BACK_SHANKS, VERTICAL_SIGMA_DEG
from ankle_cv.kinematics.heel import HeelLift, estimate_heel_lift, heel_on_floor, rest_sole
from ankle_cv.kinematics.inclinometer import (
    APPROACH_SHARE,
    SIGMA_AXIS_DEG,
    OutlineReading,
    distrust_reason,
    read_outline,
    rep_reading,
)
from ankle_cv.kinematics.legs import LegTracks, Stance
from ankle_cv.kinematics.shank import ShankAngles, estimate_shank_angles, rest_frames, steadied_ankle
from ankle_cv.kinematics.shank_rotation import (
    ankle_pivot,
    outline_ahead_shanks,
    pivot_low_shanks,
    raised_pivot,
    reference_profile,
    turned_angles_deg,
)
from ankle_cv.kinematics.signals import lowpass, rolling_median
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import RepResult
from ankle_cv.protocol.interval import Z95
from ankle_cv.protocol.reps import RepWindow
from ankle_cv.scene.camera_geometry import CameraGeometry, forward_of, tilt_deg, up_axis
from ankle_cv.scene.plane_angle import image_line_points, plane_inclination_deg
from ankle_cv.settings import Settings

PLANTED_RATIO = 0.35  # front foot farther than this (foot lengths) from its stance position: stepping, not testing
MAX_FOOT_GLITCH_S = 1.5  # shorter runs of the front foot "away" between planted frames are landmark jumps
STEP_FLANK_S = 0.5  # the planted frames on either side of an away-run the foremost knee is compared with


@dataclass(frozen=True)
class StanceKinematics:
    """Per-frame arrays of one stance (slices of the clip)."""

    incl: np.ndarray
    smooth: np.ndarray
    shank: ShankAngles
    heel: HeelLift
    past_toe: np.ndarray
    planted: np.ndarray  # front-foot landmarks at the foot's place (False also where they jumped to the other foot)
    incl_image: np.ndarray  # the angle from the true vertical as the image shows it (drawing; `incl`: in the leg's plane when a sheet is seen)
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

def stance_kinematics(
    series: PoseSeries, tracks: LegTracks, st: Stance, facing: int, fps: float, settings: Settings, camera: CameraGeometry
) -> StanceKinematics:
    """Shank angle, heel lift and derived values for one planted front foot."""
    sl = slice(st.start, st.end + 1)
    front = {k: v[sl] for k, v in tracks.front.items()}
    edge_x = rows = bottom = cols = None
    if settings.use_silhouette and series.has_mask:
        edge_x = cast(np.ndarray, series.mask_right_x if facing > 0 else series.mask_left_x)[sl]
        rows, bottom, cols = series.mask_rows_y, cast(np.ndarray, series.mask_bottom_y)[sl], series.mask_cols_x
    up = camera.up
    up_v = up_axis(up)
    fwd = forward_of(up_v, facing)
    shank = estimate_shank_angles(front["knee"], front["ankle"], facing, fps, edge_x, rows, up)
    planted = _planted(front, fps)
    # The turn's standing outline only from frames where the foot stands where it pivots: a foot stepping away and back
    # between reps is near upright too, but its outline is not the shin turning about that ankle (random_v12 r017: 37 of
    # its 93 rest frames with the foot a shank ahead set the turn 4-5 deg high in every frame; not glitch-bridged here).
    if edge_x is not None and rows is not None and bottom is not None and cols is not None and shank.edge_offset_deg is not None:
        shank = _with_turn(shank, front, facing, fps, edge_x, rows, bottom, cols, up,
                           rest_frames(lowpass(shank.fused_deg, fps, settings.smoothing_hz)) & planted)
    knee_fwd = np.fmax(front["knee"] @ fwd, tracks.back["knee"][sl] @ fwd)  # either label's knee: the legs may be merged
    incl_image = np.where(_bridge_glitches(planted, fps, knee_fwd, shank.shank_length_px), shank.fused_deg, np.nan)
    anchor = steadied_ankle(front["ankle"], fps)
    incl = _in_leg_plane(incl_image, anchor, facing, shank.shank_length_px, up, camera.leg_plane_homography)
    smooth = lowpass(incl, fps, settings.smoothing_hz)
    rest = rest_frames(smooth)
    heel = estimate_heel_lift(front["heel"], front["toe"], facing, fps, rest, bottom, cols, settings.heel_lift_ratio)
    # Knee rebuilt from the planted ankle, the shank length and the robust angle (against the true vertical, as drawn),
    # and how far it is past the resting toes along the floor.
    toe0 = np.nanmedian(front["toe"][rest] if rest.any() else front["toe"], axis=0)
    knee = image_line_points(anchor, incl_image, facing, up_v, shank.shank_length_px)
    past_toe = (knee - toe0[None, :]) @ fwd
    outline = outline_deg = None
    if edge_x is not None and rows is not None and np.isfinite(shank.shank_length_px):
        outline, outline_deg = _read_outline(series, tracks, sl, edge_x, rows, anchor, incl_image, shank, facing, camera)
    return StanceKinematics(
        incl, smooth, shank, heel, past_toe, planted, incl_image, outline, outline_deg
    )

def with_inclinometer(rep: RepResult, w: RepWindow, k: StanceKinematics, settings: Settings, camera: CameraGeometry) -> RepResult:
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
    # The angle is the joint-centre angle plus a lean: the joint-centre angle's own error passes straight into it
    # (randomised renders: 11 of 24 reps covered with the fixed 0.7 deg axis term), so its calibrated interval is used.
    axis_ci95 = rep.tibial_inclination_ci95_deg
    axis_sigma = max(SIGMA_AXIS_DEG, axis_ci95 / Z95) if axis_ci95 is not None and np.isfinite(axis_ci95) else SIGMA_AXIS_DEG
    reading = rep_reading(
        rep.tibial_inclination_deg, k.outline_deg[moving] - k.incl[moving], k.outline_deg[hold],
        np.where(k.outline.trusted[used], k.outline.placement_deg[used], np.nan), distrust_reason(k.outline, slice(w.start, w.end + 1)),
        float(np.hypot(axis_sigma, vertical)),
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
    """The edge line's angle replaced by the mid-shin outline's turn about the ankle wherever that can be read (and its
    interval widened where the outline lies as far ahead of the shin as loose fabric does, whose standing reference is
    the cloth's: kinematics.fabric_reference)."""
    rest = rest & (shank.source == AngleCode.SILHOUETTE)
    if not rest.any():
        return shank
    _, base, sole = rest_sole(front["heel"], front["toe"], facing, rest, bottom, cols)
    heel_back = heel_on_floor(sole, base, cols) if sole is not None else None
    length = shank.shank_length_px
    ankle = np.nanmedian(front["ankle"][rest], axis=0)
    pivot = ankle_pivot(ankle, length, facing, up, heel_back, sole.length_px if sole is not None else float("nan"))
    ahead = outline_ahead_shanks(reference_profile(edge_x[rest], rows, pivot, shank.fused_deg[rest], length, facing, up), length)
    if is_fabric(ahead):  # the cloth's standing reference (kinematics.fabric_reference); decided on the outline as read
        shank = with_offset_lowered(shank, fabric_offset_drop_deg(shank.calibration_gap_deg))
    turned = turned_angles_deg(edge_x, rows, pivot, shank.fused_deg, rest, length, facing, fps, up)
    standing = float(np.nanmedian(shank.fused_deg[rest]))
    # The turn read again about the pivot the stance's own edge line puts higher or lower (shoes: higher); not where the
    # outline is fabric, whose edge line does not turn with the shin (randomised renders' fit split, fabric outlines: 2.76 deg
    # either way, bare feet in loose trousers 1.66 -> 1.79).
    low = float("nan") if is_fabric(ahead) else pivot_low_shanks(shank.edge_deg, turned, standing)
    raised = raised_pivot(pivot, low, length, up)
    if not np.array_equal(raised, pivot, equal_nan=True):
        turned = turned_angles_deg(edge_x, rows, raised, shank.fused_deg, rest, length, facing, fps, up)
    choice = choose_angle(shank.landmark_deg, trusted_edge(shank.edge_deg, shank.edge_support_share), turned, shank.edge_deg,
                          shank.edge_bridged)
    choice = with_fabric_doubt(choice, standing, ahead)
    choice = with_turn_reference_doubt(choice, turned, shank.edge_deg, rest)
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

def _bridge_glitches(planted: np.ndarray, fps: float, knee_fwd: np.ndarray | None = None, shank_px: float = float("nan")) -> np.ndarray:
    """Treat short 'not planted' runs as landmark jumps (legs confused near the wall), not as stepping away, unless the
    foremost knee came back with the foot (`knee_fwd`: either leg's knee along the floor towards the wall, pixels): a
    foot stepping away takes its knee with it, a foot's landmarks jumping onto the other foot leave the knee where it is."""
    out = planted.copy()
    n, max_run = planted.size, int(MAX_FOOT_GLITCH_S * fps)
    flank = max(1, round(STEP_FLANK_S * fps))
    i = 0
    while i < n:
        if planted[i]:
            i += 1
            continue
        j = i
        while j < n and not planted[j]:
            j += 1
        if 0 < i and j < n and j - i <= max_run:  # bounded by planted frames on both sides
            stepped = knee_fwd is not None and _knee_back_shanks(knee_fwd, planted, i, j, flank, shank_px) > STEP_KNEE_BACK_SHANKS
            out[i:j] = not stepped
        i = j
    return out


def _knee_back_shanks(knee_fwd: np.ndarray, planted: np.ndarray, start: int, stop: int, flank: int, shank_px: float) -> float:
    """How far the foremost knee came back over frames [start, stop) behind where it stood on the planted frames up to
    `flank` frames before and after (the smaller of the two, in shank lengths: a step takes it behind both, a rep's return
    inside the run only behind the deeper side); NaN when either side or the run has no knee."""
    run = knee_fwd[start:stop]
    sides = [np.arange(max(0, start - flank), start), np.arange(stop, min(planted.size, stop + flank))]
    refs = [knee_fwd[s[planted[s]]] for s in sides]
    if not np.isfinite(run).any() or not all(np.isfinite(r).any() for r in refs) or not (np.isfinite(shank_px) and shank_px > 0):
        return float("nan")
    return min(float(np.nanmedian(r)) for r in refs) / shank_px - float(np.nanmin(run)) / shank_px


def measured_line(
    ankle: np.ndarray, incl_deg: np.ndarray, length_px: float, facing: int, fps: float, up: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The measured shin line in the image: the steadied ankle and the point one shank length along the measured angle.

    Drawn beside the detected knee (never instead of it), so a measured angle that disagrees with the picture shows.
    """
    a = steadied_ankle(ankle, fps)
    # Against the true vertical the angle was measured from, so under a rolled camera the line lies on the shin.
    return a, image_line_points(a, incl_deg, facing, up_axis(up), length_px)
