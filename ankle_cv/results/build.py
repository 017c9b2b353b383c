"""The one place a Result is made: an Analysis (with its centimetres) and the video in, the typed result.json out (pure)."""

from __future__ import annotations

import numpy as np

from ankle_cv import __version__
from ankle_cv.enums import (
    Category,
    HeelSource,
    ScaleMethod,
    Side,
    SideChoice,
    VerticalSource,
    View,
)
from ankle_cv.io.json_numbers import json_number
from ankle_cv.io.path_text import path_text
from ankle_cv.io.video_source import VideoInfo
from ankle_cv.kinematics.inclinometer import DEVICE_SPAN, OFFSET_BAND_DEG
from ankle_cv.protocol.analysis_types import Analysis, LegSummary, RepResult
from ankle_cv.protocol.centimetre_types import Centimetres, RepCentimetres
from ankle_cv.protocol.centimetres import WALL_MARKER_NOTE
from ankle_cv.protocol.interval import Z95
from ankle_cv.protocol.norms import NORM_TEXT, categories_in_cm, categories_in_deg, category_for_cm
from ankle_cv.results.angle_names import definitions
from ankle_cv.results.plausible import drop_implausible
from ankle_cv.results.types import (
    SCHEMA_VERSION,
    TOE_TO_WALL_WORDS,
    InputInfo,
    Leg,
    LegDistances,
    LegScale,
    LengthDetails,
    MarkerDetails,
    Method,
    Quality,
    Rep,
    RepDistances,
    Result,
    ScaleSummary,
    SettingsEcho,
    Summary,
    SummaryUncertainty,
    TouchModel,
)
from ankle_cv.scene.camera_geometry import CameraGeometry

NO_SCALE_WARNING = (
    "no scale: centimetre fields are null; for centimetres print the marker sheet (ankle-cv marker --out marker.pdf) and "
    "stand it beside the tested foot, or give --foot-length-cm, --shank-length-cm or --height-cm"
)
NO_WALL_WARNING = (
    "no wall was located in the video (the marker sheet beside the foot or on the wall locates one, and with a scale "
    "so does the wall's base where the picture shows it clearly elsewhere than the stated toe distance): the "
    "knee-to-wall category assumes the knee touched a wall at each rep's peak; a lunge without a wall is not a "
    "knee-to-wall test"
)
OBLIQUE_CM_WARNING = ("oblique view: centimetres assume a camera square to the leg and may be off by more than the "
                      "stated uncertainty (floor distances shrink by the cosine of the camera's turn off square)")
ANGLE_TEXT = ("shank (ankle to knee joint centre) from vertical in the image, + towards the wall; "
              "from the silhouette: standing, the shin's front edge (edge-to-axis offset: population value, refined per person "
              "on near-upright frames); through the lunge, the mid-shin outline's turn about the ankle joint")
INCLINOMETER_TEXT = (f"front of the shin over {DEVICE_SPAN[0]:.2f}-{DEVICE_SPAN[1]:.2f} of the ankle-to-knee length from the "
                     "ankle (an inclinometer's 14 cm, centred 15 cm below the tibial tuberosity), from the silhouette's outline: "
                     "the person's lean beyond the joint-centre axis read on each rep's approach and return, added to the "
                     "joint-centre angle at the hold; the outline trusted where found, straight, clear of the other leg and "
                     f"the hands, and within {OFFSET_BAND_DEG[0]:+.0f}..{OFFSET_BAND_DEG[1]:+.0f} deg of the joint-centre axis")


def _distance_category(c: RepCentimetres | None) -> Category | None:
    """The centimetre cut-offs on the equivalent toe-to-wall distance (None without one)."""
    cat = category_for_cm(c.equivalent_toe_to_wall_cm) if c is not None else None
    return Category(cat) if cat else None


def angle_bands(category: str | None, angle_deg: float | None, half_deg: float | None) -> tuple[Category, ...] | None:
    """The bands the reported angle's 95 % interval touches (from the rounded numbers result.json holds)."""
    if category is None or angle_deg is None or half_deg is None:
        return None
    return categories_in_deg(angle_deg - half_deg, angle_deg + half_deg)


def distance_bands(c: RepCentimetres | None) -> tuple[Category, ...] | None:
    """The bands the equivalent distance's 95 % interval (1.96 of its sigma) touches."""
    distance, sigma = (json_number(c.equivalent_toe_to_wall_cm), json_number(c.equivalent_uncertainty_cm)) if c else (None, None)
    if distance is None or sigma is None:
        return None
    return categories_in_cm(distance - Z95 * sigma, distance + Z95 * sigma)


def _frames_read(video: VideoInfo, times_s: np.ndarray) -> int:
    """Video frames actually decoded: the video's count (a cut-off file's decoded one, io/read_extent), at most the samples'."""
    stride = max(1, round(video.fps / _sample_rate(times_s, video.fps))) if video.fps > 0 else 1
    covered = int(times_s.size) * stride
    return min(int(video.frames), covered) if video.frames else covered


def _sample_rate(times_s: np.ndarray, fallback: float) -> float:
    """Samples per second the analysis actually saw."""
    dt = np.diff(times_s)
    return float(1.0 / np.median(dt)) if dt.size and np.median(dt) > 0 else fallback


def percent_text(ratio: float) -> str:
    """A threshold ratio as a percentage with one decimal, two where one would round it (2.25 must not read 2.2)."""
    pct = 100 * ratio
    return f"{pct:.1f}" if abs(pct - round(pct, 1)) < 1e-9 else f"{pct:.2f}"


def heel_rule(sources: set[str], edge_ratio: float | None, silhouette_ratio: float) -> str:
    """The heel-lift rule the reps were judged by, with its threshold ('heel lift ≥ 2.25% of foot length (image)')."""
    rules = []
    if HeelSource.IMAGE in sources and edge_ratio is not None:
        rules.append(f"heel lift ≥ {percent_text(edge_ratio)}% of foot length (image)")
    rest = sorted(str(s) for s in sources if s != HeelSource.IMAGE and HeelSource(s).judged)
    if rest:
        rules.append(f"heel lift ≥ {percent_text(silhouette_ratio)}% of foot length ({' or '.join(rest)})")
    return "; ".join(rules) or "no rep judged"


def _heel_text(source: str, rule: str) -> str:
    """How the heel lift was read, for method.heel: the rule used, then the method."""
    if source == HeelSource.IMAGE:
        return (f"{rule}: heel rise as a fraction of the foot's length; per rep from the foot's bottom edge in the "
                "full-resolution image, rest against the hold, frame by frame through the rep (reps.heel_lift_source "
                "'unread' or 'hidden': that rep's heel was not judged, the warnings say why)")
    if not HeelSource(source).judged:
        return "no rep's heel could be judged from the image (the reps' heel_lift_source and the warnings say why)"
    return f"{rule}: heel rise from the {source}, as a fraction of the foot's length"


def _signed_deg(value: float | None) -> str:
    """'+1.2' / '-0.4' to 0.1 degree; a value that rounds to zero is '+0.0', never '-0.0'."""
    v = float(value or 0.0)
    return f"{(v if round(v, 1) != 0 else 0.0):+.1f}"


def _widened_turn_deg(warnings: tuple[str, ...]) -> float | None:
    """The camera turn the intervals were widened to reach when nothing measured the camera or only its roll (its note is
    among the warnings: protocol.unknown_camera), else None."""
    from ankle_cv.kinematics.fitted import LEVEL_LINES_TURN_DEG, PHONE_TURN_DEG, SIDE_TURN_DEG
    from ankle_cv.protocol.unknown_camera import LEVEL_LINES_NOTE, SIDE_CAMERA_NOTE, UNKNOWN_CAMERA_NOTE

    turns = {SIDE_CAMERA_NOTE: SIDE_TURN_DEG, UNKNOWN_CAMERA_NOTE: PHONE_TURN_DEG, LEVEL_LINES_NOTE: LEVEL_LINES_TURN_DEG}
    return next((turn for note, turn in turns.items() if note in warnings), None)


def _vertical_text(camera: CameraGeometry, warnings: tuple[str, ...] = ()) -> str:
    """Which vertical the angles are measured from, in words (and, when nothing measured the camera, how far the
    intervals reach for its unknown turn: 'assumed square-on' beside a widened interval read as a contradiction)."""
    source, roll, in_leg_plane = camera.vertical_source, _signed_deg(camera.roll_deg), camera.leg_plane_homography is not None
    if source == VerticalSource.IMAGE:
        turn = _widened_turn_deg(warnings)
        if turn is not None:
            return ("image vertical (camera assumed level: no marker, too few room lines, no --camera-roll-deg given; "
                    f"the angles read as if square-on, each interval reaching a camera turned up to {turn:.0f} deg off square)")
        return ("image vertical (camera assumed square-on and level: no marker, too few room lines, "
                "no --camera-roll-deg given)")
    if source == VerticalSource.ROOM_LINES:
        doubt = (f"; the room's level lines read the roll {abs(camera.roll_disagreement_deg):.1f} deg apart, so the angles are read "
                 "halfway between the two rolls and each interval reaches beyond both" if camera.roll_disagreement_deg else "")
        unsure = ("; the tilt rests on upright lines near the picture's centre, so each interval reaches the angle read "
                  "without the leg's plane" if camera.leg_plane_unsure else "")
        return (f"true vertical in the leg's plane from the room's straight lines (camera turned {_signed_deg(camera.yaw_deg)} deg, "
                f"tilted {_signed_deg(camera.pitch_deg)} deg, roll {roll} deg; yaw and perspective undone{doubt}{unsure})")
    if in_leg_plane:
        what = ("the marker on the wall (its normal is the leg's forward axis)" if source == VerticalSource.MARKER_ON_WALL
                else "the marker sheet")
        return (f"true vertical in the leg's plane from {what} (camera roll {roll} deg, "
                "yaw and perspective undone)")
    if source == VerticalSource.ROOM_LEVEL_LINES:  # the roll alone, as sure as the lines' stated doubt
        turn = _widened_turn_deg(warnings)
        reach = f"; the camera's turn unknown, each interval reaching a turn up to {turn:.0f} deg" if turn is not None else ""
        left = (f"; a fit to the room's few straight lines read the roll {abs(camera.roll_disagreement_deg):.1f} deg apart and was "
                "left out" if camera.roll_disagreement_deg else "")
        return (f"true vertical from the {source} (camera roll {roll} deg corrected, "
                f"±{Z95 * camera.roll_spread_deg:.1f} deg at 95 %{left}{reach})")
    return f"true vertical from the {source} (camera roll {roll} deg corrected)"


def video_frames_of(video: VideoInfo, times_s: np.ndarray) -> np.ndarray:
    """Video frame index of each analysed frame when every n-th frame of a file was analysed (pose.sampling.frame_stride)."""
    stride = max(1, round(video.fps / _sample_rate(times_s, video.fps))) if video.fps > 0 else 1
    return np.arange(times_s.size) * stride


def _rep(rep: RepResult, c: RepCentimetres | None, video_frames: np.ndarray) -> Rep:
    """One rep in the contract's names (its frames are video frame indices); its distances when a scale was known."""
    return Rep(
        index=rep.index,
        side=Side(rep.side),
        start_s=json_number(rep.start_s, 3),  # type: ignore[arg-type]  # rep times are finite
        peak_s=json_number(rep.peak_s, 3),  # type: ignore[arg-type]
        end_s=json_number(rep.end_s, 3),  # type: ignore[arg-type]
        start_frame=int(video_frames[rep.start_frame]),
        peak_frame=int(video_frames[rep.peak_frame]),
        end_frame=int(video_frames[rep.end_frame]),
        tibial_inclination_deg=json_number(rep.tibial_inclination_deg),
        tibial_inclination_ci95_deg=json_number(rep.tibial_inclination_ci95_deg),
        ankle_dorsiflexion_deg=json_number(rep.ankle_dorsiflexion_deg),
        landmark_inclination_deg=json_number(rep.landmark_inclination_deg),
        knee_past_toe_px=json_number(rep.knee_past_toe_px),
        knee_past_toe_cm=json_number(c.knee_past_toe_cm) if c else None,
        heel_lift_mm=json_number(c.heel_lift_mm) if c else None,
        heel_lift_foot_fraction=json_number(rep.heel_lift_ratio, 4),
        heel_lifted=rep.judged_heel_lifted,
        heel_lift_source=HeelSource(rep.heel_lift_source),
        heel_unread_reason=None if HeelSource(rep.heel_lift_source).judged else (rep.heel_unread_reason or "not readable"),
        valid=rep.valid,
        invalid_reasons=tuple(rep.invalid_reasons),
        confidence=json_number(rep.confidence, 3),
        inclinometer_equivalent_deg=json_number(rep.inclinometer_equivalent_deg),
        inclinometer_equivalent_ci95_deg=json_number(rep.inclinometer_equivalent_ci95_deg),
        inclinometer_unread_reason=rep.inclinometer_unread_reason,
        distances=RepDistances(json_number(c.knee_to_wall_cm), json_number(c.uncertainty_cm),
                               json_number(c.equivalent_toe_to_wall_cm), c.touches_wall,
                               json_number(c.equivalent_uncertainty_cm)) if c else None,
    )


def _leg(leg: LegSummary, cm: Centimetres | None) -> Leg:
    """A leg's summary in the same names as the top-level result; its best rep's distances when scaled."""
    c = cm.reps.get(leg.best_rep) if cm and leg.best_rep is not None else None
    return Leg(
        best_rep=leg.best_rep,
        tibial_inclination_deg=json_number(leg.tibial_inclination_deg),
        tibial_inclination_ci95_deg=json_number(leg.tibial_inclination_ci95_deg),
        ankle_dorsiflexion_deg=json_number(leg.ankle_dorsiflexion_deg),
        mean_deg=json_number(leg.mean_deg),
        sd_deg=json_number(leg.sd_deg),
        category=Category(leg.category) if leg.category else None,
        reps_valid=leg.reps_valid,
        reps_total=leg.reps_total,
        inclinometer_equivalent_deg=json_number(leg.inclinometer_equivalent_deg),
        inclinometer_equivalent_ci95_deg=json_number(leg.inclinometer_equivalent_ci95_deg),
        category_reason=leg.category_reason,
        distance_category=_distance_category(c),
        category_ci95=angle_bands(leg.category, json_number(leg.inclinometer_equivalent_deg),
                                 json_number(leg.inclinometer_equivalent_ci95_deg)),
        distance_category_ci95=distance_bands(c),
        distances=LegDistances(json_number(c.knee_to_wall_cm) if c else None,
                               json_number(c.equivalent_toe_to_wall_cm) if c else None) if cm else None,
    )


def _summary(analysis: Analysis, best: RepResult | None, leg: LegSummary | None, c: RepCentimetres | None) -> Summary:
    """The `result` block: the best valid rep, the leg's spread and, with a scale, its distances."""
    return Summary(
        tibial_inclination_deg=json_number(best.tibial_inclination_deg) if best else None,
        tibial_inclination_ci95_deg=json_number(best.tibial_inclination_ci95_deg) if best else None,
        ankle_dorsiflexion_deg=json_number(best.ankle_dorsiflexion_deg) if best else None,
        knee_past_toe_cm=json_number(c.knee_past_toe_cm) if c else None,
        knee_to_wall_cm=json_number(c.knee_to_wall_cm) if c else None,
        passes_10cm=c.touches_wall if c else None,
        equivalent_toe_to_wall_cm=json_number(c.equivalent_toe_to_wall_cm) if c else None,
        mean_deg=json_number(leg.mean_deg) if leg else None,
        sd_deg=json_number(leg.sd_deg) if leg else None,
        category=Category(leg.category) if leg and leg.category else None,
        inclinometer_equivalent_deg=json_number(leg.inclinometer_equivalent_deg) if leg else None,
        inclinometer_equivalent_ci95_deg=json_number(leg.inclinometer_equivalent_ci95_deg) if leg else None,
        category_reason=leg.category_reason if leg else None,
        distance_category=_distance_category(c),
        category_ci95=angle_bands(leg.category, json_number(leg.inclinometer_equivalent_deg),
                                 json_number(leg.inclinometer_equivalent_ci95_deg)) if leg else None,
        distance_category_ci95=distance_bands(c),
        norms=NORM_TEXT,
        no_measurement_reason=analysis.no_measurement_reason,
        uncertainty=SummaryUncertainty(json_number(c.uncertainty_cm), json_number(c.equivalent_uncertainty_cm)) if c else None,
    )


MARKER_METHODS = (ScaleMethod.MARKER, ScaleMethod.MARKER_FLOOR)  # scales whose details are the marker's


def _scale(analysis: Analysis, cm: Centimetres | None, best: RepCentimetres | None) -> ScaleSummary:
    """The `scale` block: method "none" alone, or the scale of the best rep's leg and every leg's details."""
    if cm is None or not cm.legs:
        return ScaleSummary(ScaleMethod.NONE, cm_per_px=None, relative_uncertainty=None, uncertainty_cm=None, vertical=None,
                            camera_roll_deg=None, toe_to_wall=None, legs=None)
    side = next((r.side for r in analysis.reps if r.index == analysis.best_rep), None) or next(iter(cm.legs))
    primary = cm.legs.get(side) or next(iter(cm.legs.values()))
    legs = {}
    for s, g in cm.legs.items():
        touch = cm.model[s]
        method = ScaleMethod(g.scale.method)
        legs[Side(s)] = LegScale(
            cm_per_px=json_number(g.scale.cm_per_px, 5),
            relative_uncertainty=json_number(g.scale.relative_uncertainty, 4),
            wall_uncertainty_cm=json_number(g.scale.wall_uncertainty_cm, 2),
            toe_to_wall_cm=json_number(cm.toe_to_wall_cm.get(s)),
            touch_model=TouchModel(json_number(touch.shank_cm), json_number(touch.patella_offset_cm),
                                   touch.patella_offset_source, json_number(touch.ankle_to_toe_cm)),
            marker=MarkerDetails(**g.scale.details) if method in MARKER_METHODS else None,
            length=LengthDetails(**g.scale.details) if method not in MARKER_METHODS else None,
        )
    return ScaleSummary(
        method=ScaleMethod(cm.method),
        cm_per_px=json_number(primary.scale.cm_per_px, 5),
        relative_uncertainty=json_number(primary.scale.relative_uncertainty, 4),
        uncertainty_cm=json_number(best.uncertainty_cm) if best else None,
        vertical=analysis.camera.vertical_source,
        camera_roll_deg=analysis.camera.roll_deg,
        toe_to_wall=TOE_TO_WALL_WORDS.get(cm.toe_to_wall_source, "stated (--foot-to-wall-cm)"),
        legs=legs,
    )


def _warnings(analysis: Analysis, cm: Centimetres | None) -> tuple[str, ...]:
    """The analysis's warnings, then the centimetre stage's (each once), then why centimetres are missing or shaky."""
    warnings = list(analysis.quality.warnings)
    for w in cm.warnings if cm else ():
        if w not in warnings:
            warnings.append(w)
    if cm is None or not cm.legs:
        if analysis.reps:
            warnings.append(NO_SCALE_WARNING)
    elif analysis.quality.view == View.OBLIQUE:
        warnings.append(OBLIQUE_CM_WARNING)
    if not wall_seen(cm) and any(leg.category is not None for leg in analysis.legs.values()):
        warnings.append(NO_WALL_WARNING)
    return tuple(warnings)


def wall_seen(cm: Centimetres | None) -> bool:
    """Whether the video showed where the wall is: the sheet beside the foot located it, the sheet hung on it, or its base was seen."""
    return cm is not None and (cm.toe_to_wall_source in ("marker", "picture") or WALL_MARKER_NOTE in cm.warnings)


def _settings(analysis: Analysis, model: str) -> SettingsEcho:
    """Every option and camera estimate that changed the numbers, and the sizes the user gave."""
    s, sizes, camera = analysis.settings, analysis.settings.sizes, analysis.camera
    return SettingsEcho(
        side=SideChoice(s.side), foot_to_wall_cm=s.foot_to_wall_cm, heel_lift_ratio=s.heel_lift_ratio,
        heel_edge_ratio=s.heel_edge_ratio, min_excursion_deg=s.min_excursion_deg, smoothing_hz=s.smoothing_hz,
        use_silhouette=s.use_silhouette, camera_roll_deg=camera.roll_deg, vertical_source=camera.vertical_source,
        leg_plane_homography=camera.leg_plane_homography, camera_yaw_deg=camera.yaw_deg, camera_pitch_deg=camera.pitch_deg,
        model=model, foot_length_cm=sizes.foot_length_cm, shank_length_cm=sizes.shank_length_cm, height_cm=sizes.height_cm,
        marker_size_mm=sizes.marker_size_mm, marker_id=sizes.marker_id,
    )


def build_result(analysis: Analysis, video: VideoInfo, model: str = "full", video_frames: np.ndarray | None = None) -> Result:
    """The result.json contract: stable names, units in names, null where unknown.

    `video_frames`: the video (or camera) frame index of each analysed frame; default every n-th frame of a file.
    """
    frames_idx = video_frames_of(video, analysis.frames.times_s) if video_frames is None else np.asarray(video_frames, int)
    best = next((r for r in analysis.reps if r.index == analysis.best_rep), None)
    leg = analysis.legs.get(best.side) if best else None
    cm = analysis.centimetres if analysis.centimetres is not None and analysis.centimetres.legs else None
    best_cm = cm.reps.get(analysis.best_rep) if cm and analysis.best_rep is not None else None
    q = analysis.quality
    seen = q.pose_detected_fraction > 0
    times = analysis.frames.times_s
    result = Result(
        schema_version=SCHEMA_VERSION,
        ankle_cv_version=__version__,
        input=InputInfo(
            path=path_text(video.path),
            width=video.width,
            height=video.height,
            fps=json_number(video.fps, 3),  # type: ignore[arg-type]  # a probed video's rate is finite
            frames=_frames_read(video, times),
            duration_s=json_number(video.duration_s, 3),  # type: ignore[arg-type]
            analysed_frames=int(times.size),  # every n-th frame above 15 Hz (pose.sampling.frame_stride)
            analysed_fps=json_number(_sample_rate(times, video.fps), 2),
            rotation_deg=video.rotation_deg,
        ),
        side=Side(analysis.side) if seen else None,  # nobody seen: no tested leg nor wall is claimed
        facing=Side(analysis.facing) if seen else None,
        foot_to_wall_cm=analysis.settings.foot_to_wall_cm,
        reps=tuple(_rep(r, cm.reps.get(r.index) if cm else None, frames_idx) for r in analysis.reps),
        best_rep=analysis.best_rep,
        summary=_summary(analysis, best, leg, best_cm),
        legs={Side(side): _leg(analysis.legs[side], cm) for side in analysis.legs},
        quality=Quality(
            pose_detected_fraction=json_number(q.pose_detected_fraction, 3),  # type: ignore[arg-type]
            leg_visibility_mean=json_number(q.leg_visibility_mean, 3),  # type: ignore[arg-type]
            usable_frame_fraction=json_number(q.usable_fraction, 3),  # type: ignore[arg-type]
            view=View(q.view),
            people_max=q.max_people,
            left_right_swap_fraction=json_number(q.lr_swap_fraction, 3),  # type: ignore[arg-type]
            warnings=_warnings(analysis, analysis.centimetres),
        ),
        method=Method(
            pose_model=f"MediaPipe PoseLandmarker ({model}), VIDEO mode",
            angle=ANGLE_TEXT,
            vertical=_vertical_text(analysis.camera, analysis.quality.warnings),
            heel=_heel_text(analysis.heel_source, heel_rule({r.heel_lift_source for r in analysis.reps},
                                                            analysis.settings.heel_edge_ratio, analysis.settings.heel_lift_ratio)),
            shank_length_px=json_number(analysis.shank_length_px),
            foot_length_px=json_number(analysis.foot_length_px),
            edge_offset_deg=json_number(analysis.edge_offset_deg, 2),
            inclinometer=INCLINOMETER_TEXT,
            definitions=definitions(),
        ),
        settings=_settings(analysis, model),
        scale=_scale(analysis, cm, best_cm),
    )
    return _without_impossible(result)


def _without_impossible(result: Result) -> Result:
    """Impossible numbers (a 519 mm heel rise in a dark clip) written as null with a warning: never as measured."""
    obj = result.to_obj()
    notes: list[str] = []
    drop_implausible(obj, notes.append)
    if not notes:
        return result
    obj["quality"]["warnings"] = [*obj["quality"]["warnings"], *notes]
    return Result.from_obj(obj)
