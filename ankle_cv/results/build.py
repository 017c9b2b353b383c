"""The result.json contract and frames.csv rows, built from an Analysis (pure: returns data, writes nothing)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

from ankle_cv import __version__
from ankle_cv.protocol.analysis import Analysis, AnalysisSettings, RepResult
from ankle_cv.protocol.centimetres import apply_centimetres, frame_knee_to_wall_cm
from ankle_cv.io.json_numbers import json_number
from ankle_cv.protocol.norms import NORM_TEXT
from ankle_cv.io.video_source import VideoInfo

SCHEMA_VERSION = 1


def _frames_read(video: VideoInfo, times_s: np.ndarray) -> int:
    """Video frames actually decoded: the header's count, unless the file ended early (truncated copy)."""
    stride = max(1, round(video.fps / _sample_rate(times_s, video.fps))) if video.fps > 0 else 1
    covered = int(times_s.size) * stride
    return min(int(video.frames), covered) if video.frames else covered


def _sample_rate(times_s: np.ndarray, fallback: float) -> float:
    """Samples per second the analysis actually saw."""
    dt = np.diff(times_s)
    return float(1.0 / np.median(dt)) if dt.size and np.median(dt) > 0 else fallback


def _heel_text(source: str) -> str:
    """How the heel lift was read, for method.heel."""
    if source == "image":
        return ("heel rise as a fraction of the foot's length; per rep from the foot's bottom edge in the full-resolution "
                "image, rest against the hold (reps.heel_lift_source says which reps fell back to the silhouette); per frame "
                "from the silhouette")
    return f"heel rise from the {source}, as a fraction of the foot's length"


def _vertical_text(settings: AnalysisSettings) -> str:
    """Which vertical the angles are measured from, in words."""
    source, roll_deg, in_leg_plane = settings.vertical_source, settings.camera_roll_deg, settings.leg_plane_homography is not None
    if source == "image":
        return ("image vertical (camera assumed square-on and level: no marker, too few room lines, "
                "no --camera-roll-deg given)")
    if source == "room lines":
        return (f"true vertical in the leg's plane from the room's straight lines (camera turned {settings.camera_yaw_deg or 0:+.1f} deg, "
                f"tilted {settings.camera_pitch_deg or 0:+.1f} deg, roll {roll_deg:+.1f} deg; yaw and perspective undone)")
    if in_leg_plane:
        return (f"true vertical in the leg's plane from the marker sheet (camera roll {roll_deg:+.1f} deg, "
                "yaw and perspective undone)")
    return f"true vertical from the {source} (camera roll {roll_deg:+.1f} deg corrected)"


def _rep_dict(rep: RepResult, fps: float) -> dict[str, Any]:
    """One rep in the contract's names."""
    return {
        "index": rep.index,
        "side": rep.side,
        "start_s": json_number(rep.start_s, 3),
        "peak_s": json_number(rep.peak_s, 3),
        "end_s": json_number(rep.end_s, 3),
        "start_frame": rep.start_frame,
        "peak_frame": rep.peak_frame,
        "end_frame": rep.end_frame,
        "tibial_inclination_deg": json_number(rep.tibial_inclination_deg),
        "ankle_dorsiflexion_deg": json_number(rep.ankle_dorsiflexion_deg),
        "landmark_inclination_deg": json_number(rep.landmark_inclination_deg),
        "knee_past_toe_px": json_number(rep.knee_past_toe_px),
        "knee_past_toe_cm": None,
        "heel_lift_mm": None,
        "heel_lift_foot_fraction": json_number(rep.heel_lift_ratio, 4),
        "heel_lifted": rep.heel_lifted,
        "heel_lift_source": rep.heel_lift_source,
        "valid": rep.valid,
        "invalid_reasons": list(rep.invalid_reasons),
        "confidence": json_number(rep.confidence, 3),
    }


def _leg_dict(analysis: Analysis, side: str) -> dict[str, Any]:
    """A leg's summary in the same names as the top-level result."""
    leg = analysis.legs[side]
    return {
        "best_rep": leg.best_rep,
        "tibial_inclination_deg": json_number(leg.tibial_inclination_deg),
        "ankle_dorsiflexion_deg": json_number(leg.ankle_dorsiflexion_deg),
        "mean_deg": json_number(leg.mean_deg),
        "sd_deg": json_number(leg.sd_deg),
        "category": leg.category,
        "reps_valid": leg.reps_valid,
        "reps_total": leg.reps_total,
    }


def build_result(analysis: Analysis, video: VideoInfo, model: str = "full") -> dict[str, Any]:
    """The result.json document: stable names, units in names, null where unknown."""
    best = next((r for r in analysis.reps if r.index == analysis.best_rep), None)
    leg = analysis.legs.get(best.side) if best else None
    warnings = list(analysis.quality.warnings)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "ankle_cv_version": __version__,
        "input": {
            "path": video.path,
            "width": video.width,
            "height": video.height,
            "fps": json_number(video.fps, 3),
            "frames": _frames_read(video, analysis.frames.times_s),
            "duration_s": json_number(video.duration_s, 3),
            "analysed_frames": int(analysis.frames.times_s.size),  # every n-th frame above 15 Hz (pipeline.frame_stride)
            "analysed_fps": json_number(_sample_rate(analysis.frames.times_s, video.fps), 2),
            "rotation_deg": video.rotation_deg,
        },
        "side": analysis.side,
        "facing": analysis.facing,
        "foot_to_wall_cm": analysis.settings.foot_to_wall_cm,
        "reps": [_rep_dict(r, video.fps) for r in analysis.reps],
        "best_rep": analysis.best_rep,
        "result": {
            "tibial_inclination_deg": json_number(best.tibial_inclination_deg) if best else None,
            "ankle_dorsiflexion_deg": json_number(best.ankle_dorsiflexion_deg) if best else None,
            "knee_past_toe_cm": None,
            "knee_to_wall_cm": None,
            "passes_10cm": None,
            "equivalent_toe_to_wall_cm": None,
            "mean_deg": json_number(leg.mean_deg) if leg else None,
            "sd_deg": json_number(leg.sd_deg) if leg else None,
            "category": leg.category if leg else None,
            "norms": NORM_TEXT,
            "no_measurement_reason": analysis.no_measurement_reason,
        },
        "legs": {side: _leg_dict(analysis, side) for side in analysis.legs},
        "quality": {
            "pose_detected_fraction": json_number(analysis.quality.pose_detected_fraction, 3),
            "leg_visibility_mean": json_number(analysis.quality.leg_visibility_mean, 3),
            "usable_frame_fraction": json_number(analysis.quality.usable_fraction, 3),
            "view": analysis.quality.view,
            "people_max": analysis.quality.max_people,
            "left_right_swap_fraction": json_number(analysis.quality.lr_swap_fraction, 3),
            "warnings": warnings,
        },
        "method": {
            "pose_model": f"MediaPipe PoseLandmarker ({model}), VIDEO mode",
            "angle": "shank (ankle to knee joint centre) from vertical in the image, + towards the wall; "
            "from the silhouette: standing, the shin's front edge (edge-to-axis offset: population value, refined per person "
            "on near-upright frames); through the lunge, the mid-shin outline's turn about the ankle joint",
            "vertical": _vertical_text(analysis.settings),
            "heel": _heel_text(analysis.heel_source),
            "shank_length_px": json_number(analysis.shank_length_px),
            "foot_length_px": json_number(analysis.foot_length_px),
            "edge_offset_deg": json_number(analysis.edge_offset_deg, 2),
        },
        "settings": {k: v for k, v in asdict(analysis.settings).items()} | {"model": model},
    }
    return apply_centimetres(doc, analysis)  # centimetre fields, the `scale` block, the no-scale warning


FRAME_COLUMNS = (
    "frame", "time_s", "rep", "front_side", "tibial_inclination_deg", "tibial_inclination_smooth_deg",
    "landmark_inclination_deg", "left_shank_deg", "right_shank_deg", "ankle_dorsiflexion_deg", "foot_pitch_deg",
    "heel_rise_foot_fraction", "heel_lifted", "knee_past_toe_px", "front_leg_visibility", "angle_source",
)
OVERLAY_POINTS = ("hip", "knee", "ankle", "heel", "toe")  # tested leg's drawn points (knee as measured), for re-drawing key frames
FRAME_COLUMNS += tuple(f"{p}_{axis}_px" for p in OVERLAY_POINTS for axis in ("x", "y"))
FRAME_COLUMNS += ("knee_to_wall_cm",)  # front of the knee to the wall (empty without a scale)


def frame_rows(analysis: Analysis) -> list[list[Any]]:
    """frames.csv rows in FRAME_COLUMNS order (empty cells where unknown)."""
    f = analysis.frames

    def cell(v: float, digits: int = 2) -> Any:
        return "" if not np.isfinite(v) else round(float(v), digits)

    nan_xy = np.full((f.times_s.size, 2), np.nan)
    points = {p: analysis.front_xy.get(p, nan_xy) for p in OVERLAY_POINTS}
    knee_to_wall = frame_knee_to_wall_cm(analysis)
    rows = []
    for i in range(f.times_s.size):
        rows.append([
            i, round(float(f.times_s[i]), 4), int(f.rep_index[i]), f.front_side[i],
            cell(f.tibial_inclination_deg[i]), cell(f.tibial_inclination_smooth_deg[i]),
            cell(f.landmark_inclination_deg[i]), cell(f.left_shank_deg[i]), cell(f.right_shank_deg[i]),
            cell(f.ankle_dorsiflexion_deg[i]), cell(f.foot_pitch_deg[i]), cell(f.heel_rise_ratio[i], 4),
            int(bool(f.heel_lifted[i])), cell(f.knee_past_toe_px[i], 1), cell(f.front_visibility[i], 3),
            f.angle_source[i],
            *(cell(points[p][i, k], 1) for p in OVERLAY_POINTS for k in (0, 1)),
            cell(knee_to_wall[i]),
        ])
    return rows
