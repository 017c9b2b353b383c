"""One rep measured at its hold and checked: its numbers, its confidence and every reason it is refused (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from ankle_cv.enums import AngleCode, HeelSource, Side
from ankle_cv.kinematics.estimator_choice import landmarks_only
from ankle_cv.kinematics.fitted import (
    CALIBRATION_TRUST_DEG,
    EDGE_MIN_SUPPORT_SHARE,
    LANDMARKS_ABOVE_OUTLINE_MAX_DEG,
    MIN_STANDING_EDGE_LEAN_DEG,
    TURN_SD_DEG,
)
from ankle_cv.kinematics.heel import BALL_U, TYPICAL_FOOT_MM
from ankle_cv.kinematics.plausibility import MIN_VISIBILITY, FrameGate
from ankle_cv.kinematics.shank import ShankAngles
from ankle_cv.kinematics.signals import runs
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import LegSummary, RepResult
from ankle_cv.protocol.interval import SILHOUETTE_CODES, conflict_reason, reference_share, rep_ci95_deg
from ankle_cv.protocol.movement import NOT_TEST, SLID_WORDS, MovementCheck, implausible_peak_reason
from ankle_cv.protocol.norms import category_for_deg
from ankle_cv.protocol.reps import MAX_STEPPING_SHARE, RepWindow
from ankle_cv.protocol.stance_kinematics import StanceKinematics

FOOT_SLIP_RATIO = 0.5  # foot centre moved more than this share of the foot length: the foot slid (landmark noise allows no finer)
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
MIN_HEEL_LIFT_S = 0.2  # a heel lift shorter than this inside the hold is a mask glitch
MAX_UNPLANTED_SHARE = 0.2  # share of a rep's frames where the front foot may be away from its place
MAX_IMPLAUSIBLE_IN_REP = 0.3  # share of a rep's frames whose landmarks fail the plausibility checks
MAX_IMPLAUSIBLE_AT_PEAK = 0.5  # the same within a quarter second of the peak
MAX_NOT_TEST_IN_REP = MAX_STEPPING_SHARE  # share of a rep's frames outside the test's geometry (protocol.movement) that refuses it; the rep finder's step share (one number)
HEEL_REASON = "heel lifted in the hold"
OWN_LEAN_WORDS = "whose standing lean is unlike most legs'"  # own_reference_contradicted_reason; outputs.refusal_advice
BEHIND_AXIS_WORDS = "behind the knee–ankle line"  # outline_behind_axis_reason; outputs.refusal_advice
OUTLINE_HIDDEN_WORDS = "steeper than its outline"  # landmarks_above_outline_reason (own_reference_contradicted_reason says it too); outputs.refusal_advice
SHIN_LOST_REASON = "shin lost"  # a rep that looks too quick because it runs into frames without a shin angle


@dataclass(frozen=True)
class RepInputs:
    """What one stance gives a rep's measurement (stance frames): its landmarks, kinematics, leg visibility, foot centre."""

    series: PoseSeries  # the stance's frames
    kin: StanceKinematics
    visibility: np.ndarray  # mean visibility of the front leg's knee, ankle, heel and toe
    foot_centre_px: np.ndarray  # (N, 2) the front foot's centre where it is planted, NaN elsewhere
    vertical_sigma_deg: float = 0.0  # the true vertical's own 1-sigma error (protocol.interval.vertical_sigma_deg)
    plane_unsure: bool = False  # the leg plane read but not trusted (CameraGeometry.leg_plane_unsure)


LOST_AT_DEPTH = "the outline lost the shin at the rep's depth"


def lost_at_depth_reason(dip_deg: float, at_s: float) -> str:
    """A rep joined across a valley only the outline showed (protocol.reps.join_unshared_valleys): its peak was not seen."""
    return (f"{LOST_AT_DEPTH}: the shin's angle fell {dip_deg:.0f}° in mid-rep (at {at_s:.1f} s) while the pose landmarks "
            "stayed up (the other leg, or a background of the clothes' tone, before the shin), so the rep's peak was not measured")


def measure_rep(index: int, w: RepWindow, side: Side, rep: RepInputs) -> RepResult:
    """Peak values over the rep's hold (medians resist single-frame glitches) and validity."""
    hold = slice(w.hold_start, w.hold_end + 1)
    span = slice(w.start, w.end + 1)
    k, t = rep.kin, rep.series.times_s
    incl, heel, shank = k.incl, k.heel, k.shank
    angle = float(np.nanmedian(incl[hold]))
    state = rep_heel_state(heel.lifted[span], t[span], w.hold_start - w.start, w.hold_end - w.start)
    lifted_any = bool(state.any())
    rise = float(np.nanmax(heel.rise_ratio[hold])) if np.isfinite(heel.rise_ratio[hold]).any() else float("nan")
    detected = float(np.mean(rep.series.detected[span]))
    vis_hold = float(np.nanmean(rep.visibility[hold])) if np.isfinite(rep.visibility[hold]).any() else 0.0
    edge_share = float(np.mean(shank.source[hold] == AngleCode.SILHOUETTE))
    spread = float(np.nanstd(incl[hold])) if np.isfinite(incl[hold]).any() else NO_SPREAD_DEG
    confidence = rep_confidence(vis_hold, detected, edge_share, spread)
    reasons = ([heel_reason(rise)] if lifted_any else []) + _movement_reasons(w, rep)
    if w.lost_dip_deg > 0:
        reasons.append(lost_at_depth_reason(w.lost_dip_deg, float(t[w.lost_frame])))
    if detected < MIN_DETECTED_IN_REP or vis_hold < MIN_VISIBILITY:
        reasons.append(f"landmarks unreliable (person found in {100 * detected:.0f}% of rep frames, leg visibility {vis_hold:.2f})")
    conflict = conflict_reason(shank.source[hold], shank.landmark_deg[hold], shank.edge_deg[hold])
    hidden = landmarks_above_outline_reason(shank.landmark_deg[hold], shank.fused_deg[hold])
    hidden = hidden or unsupported_outline_reason(shank.edge_support_share[hold] if shank.edge_support_share is not None else None,
                                                  shank.landmark_deg[hold], shank.fused_deg[hold])
    own = own_reference_contradicted_reason(shank.landmark_deg[hold], shank.fused_deg[hold], shank.calibration_gap_deg,
                                            shank.fabric_rise_deg)
    behind = outline_behind_axis_reason(shank.source[hold], shank.edge_offset_deg, shank.fabric_rise_deg)
    if conflict:
        reasons.append(conflict)
    elif hidden:
        reasons.append(hidden)
    elif own:
        reasons.append(own)
    elif behind:
        reasons.append(behind)
    elif not np.isfinite(angle):
        reasons.append("no shank angle at the peak")
    elif confidence < MIN_CONFIDENCE and not reasons:
        reasons.append(f"unsteady measurement at the peak (confidence {confidence:.2f}, spread {spread:.1f}°)")
    return RepResult(
        index=index,
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
        landmark_inclination_deg=float(np.nanmedian(shank.landmark_deg[hold])),
        knee_past_toe_px=float(np.nanmedian(k.past_toe[hold])),
        heel_lift_ratio=rise,
        heel_lift_mm_approx=rise * TYPICAL_FOOT_MM,
        heel_lifted=lifted_any,
        valid=not reasons,
        invalid_reasons=tuple(reasons),
        confidence=round(confidence, 3),
        heel_lift_source=heel.source,
        tibial_inclination_ci95_deg=rep_ci95_deg(shank.source[hold], shank.fused_deg[hold], angle_sigma_deg(shank)[hold],
                                                 shank.calibration_gap_deg,
                                                 plane_shift_deg=angle - float(np.nanmedian(shank.fused_deg[hold])),
                                                 vertical_sigma_deg=rep.vertical_sigma_deg, plane_unsure=rep.plane_unsure,
                                                 gap_share=reference_share(shank.own_offset_deg)),
        hold_start_frame=w.hold_start,
        hold_end_frame=w.hold_end,
    )


def _movement_reasons(w: RepWindow, rep: RepInputs) -> list[str]:
    """The rep's refusals for how the person moved: the foot slid, the rep was too quick, the foot was not planted."""
    reasons = []
    t = rep.series.times_s
    slip = _toe_slip(rep.foot_centre_px, w, rep.kin.heel.foot_length_px)
    if slip > FOOT_SLIP_RATIO:
        reasons.append(f"front foot moved during the rep ({100 * slip:.0f}% of foot length)")
    duration = float(t[w.end] - t[w.start])
    lost = lost_beside(rep.kin.incl, w)
    lost_s = (lost.stop - lost.start) * float(np.median(np.diff(t))) if t.size > 1 else 0.0
    if duration < MIN_REP_DURATION_S and duration + lost_s >= MIN_REP_DURATION_S:
        why = ("the front foot's landmarks left the foot's place" if np.mean(~rep.kin.planted[lost]) >= 0.5
               else "no shin angle was read")
        reasons.append(f"{SHIN_LOST_REASON} for {lost_s:.1f} s in the rep (from {t[lost.start]:.1f} s; {why}), so its "
                       "length and hold were not seen")
    elif duration < MIN_REP_DURATION_S:
        reasons.append(f"too quick for a knee-to-wall rep ({duration:.1f} s from start to end)")
    unplanted = float(np.mean(~np.isfinite(rep.kin.incl[w.start:w.end + 1])))
    if unplanted > MAX_UNPLANTED_SHARE:
        reasons.append(f"front foot not planted ({100 * unplanted:.0f}% of the rep)")
    return reasons


def lost_beside(incl: np.ndarray, w: RepWindow) -> slice:
    """The longer run of frames without a shin angle that a rep's window runs into (an empty slice when there is none).

    A window's ends are found on the angle with its gaps filled at the stance's low, so a rep whose shin is lost in it
    ends or starts where the gap does (heel_sweep h001: the far foot's landmarks slid onto the near foot for 1.6 s): it
    looks short, but its length was not seen.
    """
    lost = ~np.isfinite(np.asarray(incl, float))
    a = w.end if lost[w.end] else w.end + 1
    b = a
    while b < lost.size and lost[b]:
        b += 1
    d = w.start if lost[w.start] else w.start - 1
    c = d
    while c >= 0 and lost[c]:
        c -= 1
    return slice(a, b) if b - a >= d - c else slice(c + 1, d + 1)


def _hold_medians_deg(landmark_deg: np.ndarray, angle_deg: np.ndarray) -> tuple[float, float] | None:
    """The hold's median landmark and outline angles, which the outline's witness checks compare (None if either is unread)."""
    lm, angle = np.asarray(landmark_deg, float), np.asarray(angle_deg, float)
    if not (np.isfinite(lm).any() and np.isfinite(angle).any()):
        return None
    return float(np.nanmedian(lm)), float(np.nanmedian(angle))


def landmarks_above_outline_reason(landmark_deg: np.ndarray, angle_deg: np.ndarray) -> str | None:
    """Why a rep's angle is not trusted: over its hold the landmarks read the shin steeper than the outline beyond their
    known error (they read low near a wall, not high), so the outline read is not the shin's (None otherwise)."""
    medians = _hold_medians_deg(landmark_deg, angle_deg)
    if medians is None or medians[0] - medians[1] <= LANDMARKS_ABOVE_OUTLINE_MAX_DEG:
        return None
    lm_deg, outline_deg = medians
    return (f"the pose landmarks read the shin {lm_deg - outline_deg:.0f}° {OUTLINE_HIDDEN_WORDS} (landmarks {lm_deg:.0f}°, "
            f"outline {outline_deg:.0f}°): something before the shin (the marker sheet, loose clothing, the other leg) may hide "
            "its outline; film with nothing between the camera and the tested shin")


def unsupported_outline_reason(support: np.ndarray | None, landmark_deg: np.ndarray, angle_deg: np.ndarray) -> str | None:
    """Why a rep's angle is not trusted: over its hold the shin's outline did not lie along its edge line (the median
    share of the stretch on the fitted line below EDGE_MIN_SUPPORT_SHARE: the mask lost part of the shin, session 16, so
    the line was left out and the angle is the outline's turn, which reads the same outline), and the pose landmarks, which
    near a wall read the shin low, not high, read it steeper than that outline by more than the turn's own 1-sigma
    (TURN_SD_DEG): both say the outline is not the shin's, and neither says where the shin is. Session 32 (s32sheet):
    s31sheet_2001 r006's far leg (both legs, shorts before a wall of the skin's tone, 854x480; support 0.49/0.52, the
    landmarks +6/+2 above) read 9.3/4.6 deg low at +-3.8/3.5; no other rep of the open renders has both (the two other
    unsupported holds, random_v18 r001 rep 3 and random_v19 r011 rep 3, right within 1.4 deg, have the landmarks below).
    None otherwise (no edge support known, a supported outline, or the landmarks not above it)."""
    if support is None:
        return None
    share = np.asarray(support, float)
    medians = _hold_medians_deg(landmark_deg, angle_deg)
    if medians is None or not np.isfinite(share).any() or float(np.nanmedian(share)) >= EDGE_MIN_SUPPORT_SHARE:
        return None
    lm_deg, outline_deg = medians
    if lm_deg - outline_deg <= TURN_SD_DEG:
        return None
    return (f"the pose landmarks read the shin {lm_deg - outline_deg:.0f}° {OUTLINE_HIDDEN_WORDS} (landmarks {lm_deg:.0f}°, "
            f"outline {outline_deg:.0f}°), and at the peak that outline did not follow the shin's line ({100 * float(np.nanmedian(share)):.0f}% "
            "of it on the line): the other leg or a background of the skin's colour may hide the shin's front; film with "
            "nothing between the camera and the tested shin, before a background unlike the skin")


def own_reference_contradicted_reason(
    landmark_deg: np.ndarray, angle_deg: np.ndarray, calibration_gap_deg: float, fabric_rise_deg: float = 0.0
) -> str | None:
    """Why a rep's angle is not trusted: the person's own edge offset was taken over whole (it lay beyond twice
    CALIBRATION_TRUST_DEG above the population's, kinematics.shank.shrink_offset), reading the outline that much flatter
    than the population's offset would, and at the hold the landmarks read the shin steeper than the outline by more
    than half that gap, nearer the population's reading than the person's: the witness contradicts the one reference the
    angle rests on, the direction the landmarks do not err (they read low near a wall). Randomised render random_v10 r005
    (far leg, 49 px of shank, shorts and shoes: own offset +7.1 from the front edge's bend at standing, gone at depth;
    landmarks +5.3/+5.5 above an outline 9.8/11.0 deg low at +-6.5/7.4). Under loose fabric a positive gap is not
    followed (kinematics.fabric_reference): no such rep there. None otherwise."""
    gap = float(calibration_gap_deg) if np.isfinite(calibration_gap_deg) else 0.0
    if gap <= 2.0 * CALIBRATION_TRUST_DEG or fabric_rise_deg != 0.0:
        return None
    lm, angle = np.asarray(landmark_deg, float), np.asarray(angle_deg, float)
    if not (np.isfinite(lm).any() and np.isfinite(angle).any()):
        return None
    lm_deg, outline_deg = float(np.nanmedian(lm)), float(np.nanmedian(angle))
    if lm_deg - outline_deg <= 0.5 * gap:
        return None
    return (f"the pose landmarks read the shin {lm_deg - outline_deg:.0f}° steeper than its outline, {OWN_LEAN_WORDS} "
            f"(landmarks {lm_deg:.0f}°, outline {outline_deg:.0f}°; its front edge stood {gap:.0f}° off the usual lean from "
            "the knee-ankle axis, and the outline is read against that): which one is the shin is unknown")


def outline_behind_axis_reason(source: np.ndarray, edge_offset_deg: float | None, fabric_rise_deg: float = 0.0) -> str | None:
    """Why a rep's angle is not trusted: it is read from an outline whose front edge, against the landmarks at standing,
    leans behind the knee-ankle axis beyond the landmarks' noise (the person's offset as followed, kinematics.shank, below
    MIN_STANDING_EDGE_LEAN_DEG), which no shin's front does: the outline and the landmarks at standing are not the same shin, so either may follow
    something else. Randomised render random_v11 r017 (far leg in shorts before a wall of the skin's tone: the mask lost the
    far knee's front into the wall, the landmarks' knee followed it towards the near knee; offset -2.05, both reps 11.5/11.8
    deg low at +-7.0/5.5). Not under fabric (cloth may hang behind the shin's lean) nor for a hold read mostly from the
    landmarks alone. None otherwise."""
    if edge_offset_deg is None or not np.isfinite(edge_offset_deg) or fabric_rise_deg != 0.0:
        return None
    if edge_offset_deg >= MIN_STANDING_EDGE_LEAN_DEG:
        return None
    src = np.asarray(source)
    if src.size == 0 or float(np.mean(np.isin(src, SILHOUETTE_CODES))) <= 0.5:
        return None
    return (f"when standing, the shin's outline had its front edge {abs(float(edge_offset_deg)):.0f}° {BEHIND_AXIS_WORDS} "
            "of the pose landmarks (a shin's front leans ahead of that line): the outline or the landmarks follow something "
            "else, such as the other leg or a background of the skin's colour")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def merged_reasons(reasons: Iterable[str]) -> list[str]:
    """Each reason's short form (before " (") once, sorted, so a clip's summary does not repeat one cause per rep: the
    same words with other numbers merge into their range ("implausible landmarks in 36–53% of the rep's frames")."""
    numbers_by_words: dict[str, list[list[str]]] = {}
    for reason in reasons:
        short = reason.split(" (")[0]
        numbers_by_words.setdefault(_NUMBER.sub("\0", short), []).append(_NUMBER.findall(short))
    merged = []
    for words, numbers in numbers_by_words.items():
        pieces = words.split("\0")
        text = pieces[0]
        for slot, piece in enumerate(pieces[1:]):
            values = sorted({n[slot] for n in numbers}, key=float)
            text += (values[0] if len(values) == 1 else f"{values[0]}–{values[-1]}") + piece
        merged.append(text)
    return sorted(merged)


def rep_confidence(visibility: float, detected: float, silhouette_share: float, spread_deg: float) -> float:
    """A rep's 0-1 confidence: leg visibility x share of frames with a person x angle source x steadiness at the hold."""
    source = LANDMARKS_ONLY_WEIGHT + SILHOUETTE_WEIGHT * silhouette_share
    steadiness = np.exp(-max(spread_deg - STEADY_SPREAD_DEG, 0) / SPREAD_FALLOFF_DEG)
    return float(np.clip(visibility, 0, 1) * detected * source * steadiness)

def angle_sigma_deg(shank: ShankAngles) -> np.ndarray:
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

def heel_reason(rise_ratio: float) -> str:
    """The invalid reason for a lifted heel, in foot-length percent and approximate millimetres."""
    return f"{HEEL_REASON} (rise {100 * rise_ratio:.1f}% of foot length, ~{rise_ratio * TYPICAL_FOOT_MM:.0f} mm)"

def _toe_slip(toe: np.ndarray, w: RepWindow, foot_px: float) -> float:
    """How far the foot moved from the rep's start to its hold, in foot lengths (the foot slid)."""
    before = toe[max(0, w.start - 5):w.start + 1]
    during = toe[w.hold_start:w.hold_end + 1]
    if not (np.isfinite(before).any() and np.isfinite(during).any() and foot_px > 0):
        return 0.0
    return float(np.linalg.norm(np.nanmedian(during, axis=0) - np.nanmedian(before, axis=0)) / foot_px)


def best_valid_rep(valid: list[RepResult]) -> RepResult | None:
    """The valid rep the result is taken from: the largest inclination of those whose heel was seen down, else (no
    valid rep's heel could be checked) the largest of all.

    A rep whose heel was not checked may have lifted it unseen, and a lifted heel adds its pitch to the shin's angle, so
    the largest angle would favour it (random_v1 r013 rep 2: a 20 mm lift not checked, its "dorsiflexion" 7.3 deg for a
    true 2.3 deg).
    """
    checked = [r for r in valid if HeelSource(r.heel_lift_source).judged]
    pool = checked or valid
    return max(pool, key=lambda r: r.tibial_inclination_deg) if pool else None


def summarise_leg(side: Side, reps: list[RepResult]) -> LegSummary:
    """Best valid rep = the largest inclination with the heel down (best_valid_rep); mean and SD over valid reps."""
    valid = [r for r in reps if r.valid]
    best = best_valid_rep(valid)
    if best is None:
        return LegSummary(side, None, None, None, None, None, None, 0, len(reps))
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

def gate_reps(reps: list[RepResult], gate: FrameGate, movement: MovementCheck, fps: float) -> list[RepResult]:
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
        elif movement.slid_share(frames) > MAX_NOT_TEST_IN_REP:
            reasons.append(f"{SLID_WORDS} in {100 * movement.slid_share(frames):.0f}% of the rep's frames: the shin's angle "
                           "is not the front leg's there")
        implausible = implausible_peak_reason(r.tibial_inclination_deg)
        if implausible:
            reasons.append(implausible)
        out.append(replace(r, valid=not reasons, invalid_reasons=tuple(reasons)))
    return out
