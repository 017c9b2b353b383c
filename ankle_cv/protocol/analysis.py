"""The analysis core's orchestration: pose landmarks in; the scene, each stance's kinematics and reps, the heels, the
checks and the verdict out as an Analysis (pure, no I/O). The stages: protocol/stance_kinematics.py, rep_checks.py,
heel_reading.py; the types handed on: protocol/analysis_types.py."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from ankle_cv.enums import AngleCode, HeelSource, Side, SideChoice, SideMethod, View
from ankle_cv.kinematics.heel_edge import CropReader, FootCrop
from ankle_cv.kinematics.legs import (
    FloorView,
    LegTracks,
    Stance,
    facing_sign,
    find_stances,
    label_side_doubt,
    split_frames,
    split_front_back,
    swapped_share,
)
from ankle_cv.kinematics.plausibility import FrameGate, gate_frames
from ankle_cv.kinematics.shank import inclination_deg
from ankle_cv.kinematics.signals import lowpass
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import Analysis, FrameKinematics, Quality, RepResult
from ankle_cv.protocol.heel_reading import RepHeel, heel_boxes, heel_from_image, hidden_foot_parts, unread_heel_notes
from ankle_cv.protocol.hidden_ankle import with_hidden_ankles
from ankle_cv.protocol.interval import frame_ci95_deg, reference_share, vertical_sigma_deg
from ankle_cv.protocol.movement import FAILURES, NOT_TEST, SLID_WORDS, MovementCheck, check_movement
from ankle_cv.protocol.rep_checks import (
    MAX_NOT_TEST_IN_REP,
    RepInputs,
    angle_sigma_deg,
    best_valid_rep,
    gate_reps,
    heel_pitch_deg,
    measure_rep,
    merged_reasons,
    rep_heel_state,
    summarise_leg,
)
from ankle_cv.protocol.reps import MIN_RELATIVE_EXCURSION, RepWindow, SmallMovement, segment
from ankle_cv.protocol.sheet_cover import rep_sheet_cover
from ankle_cv.protocol.stance_kinematics import StanceKinematics, measured_line, stance_kinematics, with_inclinometer
from ankle_cv.protocol.unknown_camera import with_unknown_camera
from ankle_cv.protocol.view import camera_view
from ankle_cv.scene.camera_geometry import CameraGeometry
from ankle_cv.settings import Settings

FEET_OUT_SHARE = 0.5  # feet cut off in more frames than this (of those with a person): say so as the reason
MIN_USABLE_SHARE = 0.8  # fewer plausible frames than this: warn with the commonest failures
MIN_MEASURED_SHARE = 0.5  # a clip without reps whose test-like frames had a shin angle in fewer: the shin was lost, not still
SHIN_UNMEASURED = "no knee-to-wall rep could be measured"
MIN_SLID_SAID = 0.05  # the gate's own floor for naming a failure (plausibility.FrameGate.reasons)
MIN_PERSON_SHARE = 0.05  # the person found in fewer frames than this: no measurement, and nothing else is said
FEW_PERSON_SHARE = 0.9  # ... in fewer than this: a warning
HALF_PERSON_SHARE = 0.5  # no valid rep and the person found in fewer frames than this: that is the reason
MAX_SWAPPED_SHARE = 0.1  # left/right labels exchanged in more frames than this: a warning (repaired)


@dataclass(frozen=True)
class _Scene:
    """The clip's people and legs before any rep: facing, the front/back tracks, stances, gates and the test's geometry."""

    facing: int
    tracks: LegTracks
    stances: list[Stance]
    visibility: np.ndarray  # front leg's mean landmark visibility per frame
    gate: FrameGate
    movement: MovementCheck
    detected_fraction: float
    notes: list[str]


@dataclass(frozen=True)
class _ClipFrames:
    """The clip's per-frame arrays, filled stance by stance (NaN, False or "" outside stances)."""

    incl: np.ndarray
    smooth: np.ndarray
    lm_incl: np.ndarray
    rise: np.ndarray
    lifted: np.ndarray
    past_toe: np.ndarray
    inclinometer: np.ndarray
    ci95: np.ndarray
    source: np.ndarray
    front_side: np.ndarray
    rep_index: np.ndarray
    ankle_anchor: np.ndarray
    shin_top: np.ndarray
    fabric_rise: np.ndarray

    @classmethod
    def empty(cls, n: int) -> _ClipFrames:
        """Arrays for n frames with nothing measured."""
        return cls(incl=_nan(n), smooth=_nan(n), lm_incl=_nan(n), rise=_nan(n), lifted=np.zeros(n, bool), past_toe=_nan(n),
                   inclinometer=_nan(n), ci95=_nan(n), source=np.full(n, "", dtype=object), front_side=np.full(n, "", dtype=object),
                   rep_index=np.zeros(n, dtype=int), ankle_anchor=np.full((n, 2), np.nan), shin_top=np.full((n, 2), np.nan),
                   fabric_rise=np.zeros(n))

    def write(self, sl: slice, k: StanceKinematics, side: Side, line: tuple[np.ndarray, np.ndarray], vertical_sigma: float) -> None:
        """One stance's values into the clip's frames."""
        self.incl[sl], self.smooth[sl], self.lm_incl[sl] = k.incl, k.smooth, k.shank.landmark_deg
        self.rise[sl], self.past_toe[sl], self.lifted[sl] = k.heel.rise_ratio, k.past_toe, k.heel.lifted
        if k.outline_deg is not None:
            self.inclinometer[sl] = k.outline_deg
        self.source[sl] = [AngleCode(int(c)).text for c in k.shank.source]
        self.ci95[sl] = np.where(np.isfinite(k.incl), frame_ci95_deg(k.shank.source, angle_sigma_deg(k.shank), k.shank.calibration_gap_deg,
                                                                            vertical_sigma, reference_share(k.shank.own_offset_deg)),
                                 np.nan)
        self.front_side[sl] = side
        self.ankle_anchor[sl], self.shin_top[sl] = line
        self.fabric_rise[sl] = np.where(np.isfinite(k.incl), k.shank.fabric_rise_deg, 0.0)


@dataclass(frozen=True)
class _Stances:
    """What the stances measured: reps, each rep's heel reading, lengths and edge offsets, notes."""

    frames: _ClipFrames
    reps: list[RepResult]
    heel_states: dict[int, RepHeel]
    shank_px: list[float]
    foot_px: list[float]
    offsets: list[float]
    heel_source: HeelSource
    notes: list[str]


def _scene(series: PoseSeries, fps: float, settings: Settings, camera: CameraGeometry) -> _Scene:
    """Facing, the legs' tracks and the stances cut to the test's geometry, with the frame gates."""
    facing = facing_sign(series)
    tracks = split_front_back(series, facing)
    floor = _floor_view(camera, (series.width, series.height))
    stances = find_stances(tracks, facing, fps, settings.side, floor)
    notes = []
    if settings.side in ("left", "right"):
        notes += _side_disagrees(find_stances(tracks, facing, fps, SideChoice.AUTO, floor), settings.side)
    vis = np.nanmean(np.stack([tracks.front_visibility[p] for p in ("knee", "ankle", "heel", "toe")]), axis=0)
    movement = check_movement(series, tracks.front, tracks.back, fps, camera.up)
    shots = movement.geometry_runs(fps)
    gate = gate_frames(tracks.front, tracks.front_visibility, series.width, series.height, fps, shots)
    stances = _within(stances, shots)
    detected_fraction = float(series.detected.mean()) if series.n_frames else 0.0
    return _Scene(facing, tracks, stances, vis, gate, movement, detected_fraction, notes)


def _floor_view(camera: CameraGeometry, image_size: tuple[int, int]) -> FloorView | None:
    """The room fit's camera for placing the feet on the floor (None without a trusted room fit)."""
    if camera.room_rotation is None or camera.focal_px is None:
        return None
    w, h = image_size
    return FloorView(np.asarray(camera.room_rotation, float).reshape(3, 3), float(camera.focal_px), ((w - 1) / 2.0, (h - 1) / 2.0))


def _measure_stances(series: PoseSeries, fps: float, settings: Settings, camera: CameraGeometry, scene: _Scene) -> _Stances:
    """Each stance's kinematics into the clip's frames, and its reps measured."""
    frames = _ClipFrames.empty(series.n_frames)
    out = _Stances(frames, [], {}, [], [], [], HeelSource.LANDMARKS, [])
    heel_source = HeelSource.LANDMARKS
    tracks, facing = scene.tracks, scene.facing
    vertical_sigma = vertical_sigma_deg(camera.vertical_source, camera.roll_spread_deg, camera.roll_disagreement_deg)
    voting = split_frames(tracks)
    for st in scene.stances:
        if st.end - st.start + 1 < 3:
            continue
        sl = slice(st.start, st.end + 1)
        k = stance_kinematics(series, tracks, st, facing, fps, settings, camera)
        frames.write(sl, k, st.side, measured_line(tracks.front["ankle"][sl], k.incl_image, k.shank.shank_length_px, facing, fps,
                                                   camera.up), vertical_sigma)
        out.shank_px.append(k.shank.shank_length_px)
        out.foot_px.append(k.heel.foot_length_px)
        heel_source = k.heel.source
        if k.shank.edge_offset_deg is not None:
            out.offsets.append(k.shank.edge_offset_deg)
        foot_centre = np.where(k.planted[:, None], 0.5 * (tracks.front["toe"][sl] + tracks.front["heel"][sl]), np.nan)
        inputs = RepInputs(_slice_series(series, sl), k, scene.visibility[sl], foot_centre, vertical_sigma, camera.leg_plane_unsure)
        landmarks = lowpass(np.where(np.isfinite(k.incl), k.shank.landmark_deg, np.nan), fps, settings.smoothing_hz)
        found = segment(k.smooth, fps, settings.min_excursion_deg, scene.movement.failure[sl] == FAILURES.index("feet side by side"),
                        landmarks)
        for w in found.reps:
            _add_rep(out, w, st, inputs, settings, camera)
            out.reps[-1] = _with_side_doubt(out.reps[-1], label_side_doubt(st, tracks.front_label, voting, out.reps[-1].start_frame,
                                                                              out.reps[-1].end_frame))
        out.notes.extend(_small_note(st.side, m, series.times_s[st.start + m.peak]) for m in found.small)
        if st.side_method == SideMethod.LABELS and scene.detected_fraction >= MIN_PERSON_SHARE:
            note = _labels_note(st, scene.stances, series.times_s)
            if note not in out.notes:
                out.notes.append(note)
    return replace(out, heel_source=heel_source)


LABELS_NOTE = "could not tell the tested leg from the scene; it was taken from the pose model's labels (use --side to be sure)"


def _labels_note(st: Stance, stances: list[Stance], times_s: np.ndarray) -> str:
    """What a stance whose leg came from the labels says: in a video the scene shows another leg's stance in, --side (one
    leg for the whole video) is no remedy, so the note names the stretch and asks for one leg per video instead."""
    if not any(o.side_method == SideMethod.GEOMETRY and o.side != st.side for o in stances):
        return LABELS_NOTE
    return (f"could not tell the tested leg of {times_s[st.start]:.1f}-{times_s[st.end]:.1f} s from the scene (the front foot "
            f"hidden or level with the back one); it was taken as the {st.side} leg from the pose model's labels, which named "
            "the other stance's leg as the scene did (film each leg in its own video to be sure)")


def _with_side_doubt(rep: RepResult, doubt: str | None) -> RepResult:
    """The rep refused with the reason its leg is uncertain (unchanged without a doubt)."""
    if doubt is None:
        return rep
    return replace(rep, valid=False, invalid_reasons=(*rep.invalid_reasons, doubt))


def _small_note(side: Side, m: SmallMovement, peak_s: float) -> str:
    """Why a shin movement past the sway limit is not a rep: it is small beside the stance's reps (said, never silent)."""
    return (f"{side} leg: a shin movement of {m.excursion_deg:.1f}° (to {m.peak_deg:.1f}° at {peak_s:.1f} s) not counted as a "
            f"rep: under {100 * MIN_RELATIVE_EXCURSION:.0f} % of the deepest rep's {m.deepest_deg:.1f}° movement")


def _add_rep(out: _Stances, w: RepWindow, st: Stance, inputs: RepInputs, settings: Settings, camera: CameraGeometry) -> None:
    """One rep of a stance measured, numbered and placed in the clip's frames, with its heel reading frame by frame."""
    idx = len(out.reps) + 1
    k = inputs.kin
    rep = _shift_rep(with_inclinometer(measure_rep(idx, w, st.side, inputs), w, k, settings, camera), st.start)
    out.reps.append(rep)
    out.frames.rep_index[rep.start_frame:rep.end_frame + 1] = idx
    r0 = rep.start_frame - st.start
    times = inputs.series.times_s[w.start:w.end + 1]
    out.heel_states[idx] = RepHeel(rep.start_frame, k.heel.rise_ratio[r0:r0 + rep.end_frame - rep.start_frame + 1],
                                   rep_heel_state(k.heel.lifted[w.start:w.end + 1], times, w.hold_start - w.start, w.hold_end - w.start))


def _drop_steps(m: _Stances, movement: MovementCheck) -> _Stances:
    """Steps between reps (stepping in, out or over to the other leg: the feet side by side in more of the movement than a
    rep may be out of the test's geometry) are not reps once the clip holds another; a clip of nothing else keeps them, and
    exit 3 says what it is. On the randomised renders such steps had the feet side by side in 43-68 % of their frames
    (the movement check's smoothing), the reps in none."""
    steps = {r.index for r in m.reps if movement.side_by_side_share(slice(r.start_frame, r.end_frame + 1)) > MAX_NOT_TEST_IN_REP}
    if not steps or len(steps) == len(m.reps):
        return m
    new_index: dict[int, int] = {}
    kept: list[RepResult] = []
    for rep in m.reps:
        if rep.index not in steps:
            new_index[rep.index] = len(kept) + 1
            kept.append(replace(rep, index=len(kept) + 1))
    old_index = m.frames.rep_index.copy()
    m.frames.rep_index[:] = 0
    for old, new in new_index.items():
        m.frames.rep_index[old_index == old] = new
    heel_states = {new_index[i]: h for i, h in m.heel_states.items() if i in new_index}
    note = (f"{len(steps)} shin movement{'s' if len(steps) > 1 else ''} with the feet side by side (stepping in, out or "
            "between legs) not counted as reps")
    return replace(m, reps=kept, heel_states=heel_states, notes=[*m.notes, note])


BEST_HEEL_UNCHECKED = ("the result comes from rep {}, whose heel was not checked (no rep with its heel seen down counts): "
                       "a heel that lifted unseen makes the shin's angle read high, so its ankle dorsiflexion is not given")


def _image_heels(
    series: PoseSeries, fps: float, settings: Settings, camera: CameraGeometry, scene: _Scene, m: _Stances,
    foot_crops: Mapping[int, FootCrop], read_crops: CropReader | None,
) -> tuple[list[RepResult], HeelSource]:
    """The reps with their heels read from the image where the foot crops allow (heel_states updated), and the heel source."""
    reps, heel_source = m.reps, m.heel_source
    # With the video at hand every rep's heel is judged from the image or not at all (a rep without a still flat
    # foot to compare with gets no crops and is not judged): the silhouette's verdict is kept only without it.
    from_image = read_crops is not None or bool(foot_crops)
    if read_crops is not None and not foot_crops:
        boxes = heel_boxes(reps, scene.tracks.front, series.n_frames)
        foot_crops = read_crops(boxes) if boxes else {}
    if from_image:
        read = [heel_from_image(r, series, scene.tracks.front, scene.facing, foot_crops, settings.heel_edge_ratio, fps, m.frames.incl,
                                rep_sheet_cover(camera, scene.tracks.front, r)) for r in reps]
        reps = [r for r, _ in read]
        m.heel_states.update({r.index: h for r, h in read if h is not None})
        if any(r.heel_lift_source == HeelSource.IMAGE for r in reps):
            heel_source = HeelSource.IMAGE
        elif reps:
            heel_source = HeelSource.UNREAD
    # One heel reading per rep, frame by frame: the drawn state, frames.csv and the verdict agree; between reps it is not judged.
    m.frames.lifted[:] = False
    for h in m.heel_states.values():
        sl_h = slice(h.start, h.start + h.rise_ratio.size)
        m.frames.rise[sl_h], m.frames.lifted[sl_h] = h.rise_ratio, h.lifted
    return reps, heel_source


# Said in words, not as tanθ' = tanθ·cosφ: a user needs the size of the effect, not the formula.
OBLIQUE_NOTE = ("oblique camera view: a camera turned from square to the leg reads the shin's tilt low (turned 30°, a 40° shin "
                "reads about 36°); film square to the side of the leg")


def _clip_warnings(
    series: PoseSeries, settings: Settings, camera: CameraGeometry, scene: _Scene, reps: list[RepResult], view: View, calibrated: bool,
) -> list[str]:
    """What the user should know about the clip as a whole: people, view, detection, a hiding sheet, swaps, the outline, gates."""
    notes = []
    max_people = _people_in_view(series.people)
    detected_fraction = scene.detected_fraction
    if max_people > 1:
        notes.append(f"{max_people} people were in view; the one tracked is the most prominent (check the annotated video)")
    if view == View.OBLIQUE:
        notes.append(OBLIQUE_NOTE)
    elif view == View.FRONT:
        notes.append("the camera does not see the leg from the side: angles are not measurable in this view")
    if MIN_PERSON_SHARE <= detected_fraction < FEW_PERSON_SHARE:  # below, the no-measurement reason says it
        notes.append(f"the person was found in only {100 * detected_fraction:.0f}% of frames")
    # a heel read beside the sheet (protocol/heel_reading.clear_of_sheet) or not checked for another reason is not hidden
    for part_side in sorted({(p, r.side) for r in reps if r.heel_lift_source not in (HeelSource.IMAGE, HeelSource.UNREAD)
                             for p in hidden_foot_parts(
            scene.tracks.front, np.arange(max(r.start_frame - 5, 0), r.start_frame + 1), rep_sheet_cover(camera, scene.tracks.front, r))}):
        if part_side[0] != "heel":
            continue
        notes.append(f"the marker sheet stands between the camera and the {part_side[1]} foot, beside or over it: the heel "
                     "lift was not checked (reps' heel_lift_source 'hidden'); stand the sheet beyond the foot, on the side "
                     "away from the camera")
    notes += unread_heel_notes(reps)
    swapped = swapped_share(scene.tracks.front_label, scene.stances)
    if swapped > MAX_SWAPPED_SHARE:
        notes.append(f"the pose model confused left and right legs in {100 * swapped:.0f}% of frames (repaired)")
    if series.has_mask and settings.use_silhouette and not calibrated and reps:
        notes.append("the shin's outline could not be calibrated: angles come from raw landmarks and may read low near the wall")
    usable = scene.gate.usable
    if series.n_frames and detected_fraction >= MIN_PERSON_SHARE and usable.mean() < MIN_USABLE_SHARE:
        failures = ", ".join(scene.gate.reasons(series.detected))
        notes.append(f"only {100 * usable.mean():.0f}% of frames have plausible leg landmarks ({failures})")
    return notes


def _no_measurement_reason(series: PoseSeries, settings: Settings, scene: _Scene, reps: list[RepResult], incl: np.ndarray) -> str | None:
    """Why the clip gives no valid measurement, the most basic cause first (None when a rep is valid; `incl` the frames'
    shin angle: no rep where it was mostly missing is no proof that the shin stayed still)."""
    detected_fraction, movement = scene.detected_fraction, scene.movement
    valid = any(r.valid for r in reps)
    feet_out = scene.gate.share("feet out of frame", series.detected)
    if detected_fraction < MIN_PERSON_SHARE or (not valid and detected_fraction < HALF_PERSON_SHARE):
        return f"no person found in {100 * (1 - detected_fraction):.0f}% of frames"
    if valid:
        return None
    if feet_out > FEET_OUT_SHARE:  # before the movement: feet out of the picture have guessed landmarks
        return f"feet out of frame in {100 * feet_out:.0f}% of frames: keep the whole foot and the floor in view"
    if movement.clip_reason():
        return movement.clip_reason()
    if reps and all(any(x.startswith(NOT_TEST) for x in r.invalid_reasons) for r in reps):
        return f"{NOT_TEST}: {movement.reason(np.concatenate([np.arange(r.start_frame, r.end_frame + 1) for r in reps]))}"
    test = np.flatnonzero(movement.test_like)
    measured = float(np.isfinite(incl[test]).mean()) if test.size and not reps else 1.0
    if measured < MIN_MEASURED_SHARE:  # no rep, and the shin was mostly not measured
        slid = movement.slid_share(test)
        failures = ", ".join(scene.gate.reasons(test) + ([f"{SLID_WORDS} {100 * slid:.0f}%"] if slid >= MIN_SLID_SAID else [])
                             ) or "the leg's landmarks not plausible"
        return f"{SHIN_UNMEASURED}: the shin was measured in only {100 * measured:.0f}% of the test's frames ({failures})"
    if not reps:
        return f"no knee-to-wall rep found (the shin never tilted forward and back by {settings.min_excursion_deg:g}° or more)"
    return "no valid rep: " + "; ".join(merged_reasons(x for r in reps for x in r.invalid_reasons))


def _frame_kinematics(
    series: PoseSeries, facing: int, f: _ClipFrames, visibility: np.ndarray, reps: list[RepResult],
) -> FrameKinematics:
    """The clip's per-frame arrays as the Analysis holds them (dorsiflexion = inclination - the heel-up pitch; unknown
    in the frames of a rep whose heel was not judged, as the rep's own)."""
    pitch = heel_pitch_deg(f.rise, f.lifted)
    unjudged = np.isin(f.rep_index, [r.index for r in reps if not HeelSource(r.heel_lift_source).judged])
    return FrameKinematics(
        times_s=series.times_s,
        tibial_inclination_deg=f.incl,
        tibial_inclination_smooth_deg=f.smooth,
        landmark_inclination_deg=f.lm_incl,
        left_shank_deg=inclination_deg(series.leg(Side.LEFT)["knee"], series.leg(Side.LEFT)["ankle"], facing),
        right_shank_deg=inclination_deg(series.leg(Side.RIGHT)["knee"], series.leg(Side.RIGHT)["ankle"], facing),
        ankle_dorsiflexion_deg=np.where(unjudged, np.nan, f.incl - pitch),
        foot_pitch_deg=pitch,
        heel_rise_ratio=f.rise,
        heel_lifted=f.lifted,
        knee_past_toe_px=f.past_toe,
        front_visibility=visibility,
        front_side=f.front_side.astype(str),
        rep_index=f.rep_index,
        angle_source=f.source.astype(str),
        inclinometer_equivalent_deg=f.inclinometer,
        tibial_inclination_ci95_deg=f.ci95,
        fabric_rise_deg=f.fabric_rise,
    )


def _analyze(
    series: PoseSeries, fps: float, settings: Settings, camera: CameraGeometry, foot_crops: Mapping[int, FootCrop],
    read_crops: CropReader | None = None,
) -> Analysis:
    """analyze_series without the warning guard: the scene, the stances and their reps, the heels, the checks, the verdict."""
    scene = _scene(series, fps, settings, camera)
    m = _drop_steps(_measure_stances(series, fps, settings, camera, scene), scene.movement)
    shank_len = float(np.nanmedian(m.shank_px)) if m.shank_px else float("nan")
    foot_len = float(np.nanmedian(m.foot_px)) if m.foot_px else float("nan")
    view, _ = camera_view(series, shank_len, foot_len)
    reps, heel_source = _image_heels(series, fps, settings, camera, scene, m, foot_crops, read_crops)
    reps, hidden_notes = with_hidden_ankles(reps, scene.tracks.front, camera)
    reps, camera_notes = with_unknown_camera(reps, camera, view)
    reps = gate_reps(reps, scene.gate, scene.movement, fps)
    legs = {side: summarise_leg(side, [r for r in reps if r.side == side]) for side in sorted({r.side for r in reps})}
    valid = [r for r in reps if r.valid]
    best = best_valid_rep(valid)
    primary = best.side if best else (reps[0].side if reps else (scene.stances[0].side if scene.stances else Side.RIGHT))
    notes = scene.notes + m.notes + hidden_notes + camera_notes + _clip_warnings(series, settings, camera, scene, reps, view, bool(m.offsets))
    notes += [BEST_HEEL_UNCHECKED.format(best.index)] if best is not None and not HeelSource(best.heel_lift_source).judged else []
    n = series.n_frames
    quality = Quality(
        pose_detected_fraction=scene.detected_fraction,
        leg_visibility_mean=float(np.nanmean(scene.visibility)) if np.isfinite(scene.visibility).any() else 0.0,
        usable_fraction=float(scene.gate.usable.mean()) if n else 0.0,
        view=view,
        max_people=_people_in_view(series.people),
        lr_swap_fraction=swapped_share(scene.tracks.front_label, scene.stances),
        warnings=tuple(notes),
    )
    return Analysis(
        facing=Side.from_sign(scene.facing),
        side=primary,
        reps=tuple(reps),
        legs=legs,
        best_rep=best.index if best else None,
        frames=_frame_kinematics(series, scene.facing, m.frames, scene.visibility, reps),
        quality=quality,
        settings=settings,
        camera=camera,
        shank_length_px=shank_len,
        foot_length_px=foot_len,
        edge_offset_deg=float(np.median(m.offsets)) if m.offsets else None,
        heel_source=heel_source,
        no_measurement_reason=_no_measurement_reason(series, settings, scene, reps, m.frames.incl),
        front_xy={**scene.tracks.front, "ankle_anchor": m.frames.ankle_anchor, "shin_top": m.frames.shin_top},
    )


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
