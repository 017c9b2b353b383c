"""The result.json contract and frames.csv rows, built from an Analysis (pure: returns data, writes nothing)."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import numpy as np

from ankle_cv import __version__
from ankle_cv.analysis import Analysis, RepResult
from ankle_cv.norms import NORM_TEXT
from ankle_cv.video_source import VideoInfo

SCHEMA_VERSION = 1


def _num(value: float | None, digits: int = 1) -> float | None:
    """JSON-safe rounded number: NaN and inf become null."""
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if math.isfinite(value) else None


def _rep_dict(rep: RepResult, fps: float) -> dict[str, Any]:
    """One rep in the contract's names."""
    return {
        "index": rep.index,
        "side": rep.side,
        "start_s": _num(rep.start_s, 3),
        "peak_s": _num(rep.peak_s, 3),
        "end_s": _num(rep.end_s, 3),
        "start_frame": rep.start_frame,
        "peak_frame": rep.peak_frame,
        "end_frame": rep.end_frame,
        "tibial_inclination_deg": _num(rep.tibial_inclination_deg),
        "ankle_dorsiflexion_deg": _num(rep.ankle_dorsiflexion_deg),
        "landmark_inclination_deg": _num(rep.landmark_inclination_deg),
        "knee_past_toe_px": _num(rep.knee_past_toe_px),
        "knee_past_toe_cm": None,
        "heel_lift_mm": None,
        "heel_lift_foot_fraction": _num(rep.heel_lift_ratio, 4),
        "heel_lifted": rep.heel_lifted,
        "valid": rep.valid,
        "invalid_reasons": list(rep.invalid_reasons),
        "confidence": _num(rep.confidence, 3),
    }


def _leg_dict(analysis: Analysis, side: str) -> dict[str, Any]:
    """A leg's summary in the same names as the top-level result."""
    leg = analysis.legs[side]
    return {
        "best_rep": leg.best_rep,
        "tibial_inclination_deg": _num(leg.tibial_inclination_deg),
        "ankle_dorsiflexion_deg": _num(leg.ankle_dorsiflexion_deg),
        "mean_deg": _num(leg.mean_deg),
        "sd_deg": _num(leg.sd_deg),
        "category": leg.category,
        "reps_valid": leg.reps_valid,
        "reps_total": leg.reps_total,
    }


def build_result(analysis: Analysis, video: VideoInfo, model: str = "full") -> dict[str, Any]:
    """The result.json document: stable names, units in names, null where unknown."""
    best = next((r for r in analysis.reps if r.index == analysis.best_rep), None)
    leg = analysis.legs.get(best.side) if best else None
    warnings = list(analysis.quality.warnings)
    warnings.append(
        "no scale: centimetre fields are null; results are angles (scale calibration is not available in this version)"
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "ankle_cv_version": __version__,
        "input": {
            "path": video.path,
            "width": video.width,
            "height": video.height,
            "fps": _num(video.fps, 3),
            "frames": int(analysis.frames.times_s.size),
            "duration_s": _num(video.duration_s, 3),
            "rotation_deg": video.rotation_deg,
        },
        "side": analysis.side,
        "facing": analysis.facing,
        "foot_to_wall_cm": analysis.settings.foot_to_wall_cm,
        "reps": [_rep_dict(r, video.fps) for r in analysis.reps],
        "best_rep": analysis.best_rep,
        "result": {
            "tibial_inclination_deg": _num(best.tibial_inclination_deg) if best else None,
            "ankle_dorsiflexion_deg": _num(best.ankle_dorsiflexion_deg) if best else None,
            "knee_past_toe_cm": None,
            "knee_to_wall_cm": None,
            "passes_10cm": None,
            "mean_deg": _num(leg.mean_deg) if leg else None,
            "sd_deg": _num(leg.sd_deg) if leg else None,
            "category": leg.category if leg else None,
            "norms": NORM_TEXT,
            "no_measurement_reason": analysis.no_measurement_reason,
        },
        "legs": {side: _leg_dict(analysis, side) for side in analysis.legs},
        "quality": {
            "pose_detected_fraction": _num(analysis.quality.pose_detected_fraction, 3),
            "leg_visibility_mean": _num(analysis.quality.leg_visibility_mean, 3),
            "usable_frame_fraction": _num(analysis.quality.usable_fraction, 3),
            "view": analysis.quality.view,
            "people_max": analysis.quality.max_people,
            "left_right_swap_fraction": _num(analysis.quality.lr_swap_fraction, 3),
            "warnings": warnings,
        },
        "method": {
            "pose_model": f"MediaPipe PoseLandmarker ({model}), VIDEO mode",
            "angle": "shank (ankle to knee joint centre) from vertical in the image, + towards the wall; "
            "near the wall the silhouette's shin edge, calibrated per person on near-upright frames, carries it",
            "vertical": "image vertical (camera assumed level)",
            "heel": f"heel rise from the {analysis.heel_source}, as a fraction of the foot's length",
            "shank_length_px": _num(analysis.shank_length_px),
            "foot_length_px": _num(analysis.foot_length_px),
            "edge_offset_deg": _num(analysis.edge_offset_deg, 2),
        },
        "settings": {k: v for k, v in asdict(analysis.settings).items()} | {"model": model},
    }


FRAME_COLUMNS = (
    "frame", "time_s", "rep", "front_side", "tibial_inclination_deg", "tibial_inclination_smooth_deg",
    "landmark_inclination_deg", "left_shank_deg", "right_shank_deg", "ankle_dorsiflexion_deg", "foot_pitch_deg",
    "heel_rise_foot_fraction", "heel_lifted", "knee_past_toe_px", "front_leg_visibility", "angle_source",
)


def frame_rows(analysis: Analysis) -> list[list[Any]]:
    """frames.csv rows in FRAME_COLUMNS order (empty cells where unknown)."""
    f = analysis.frames

    def cell(v: float, digits: int = 2) -> Any:
        return "" if not np.isfinite(v) else round(float(v), digits)

    rows = []
    for i in range(f.times_s.size):
        rows.append([
            i, round(float(f.times_s[i]), 4), int(f.rep_index[i]), f.front_side[i],
            cell(f.tibial_inclination_deg[i]), cell(f.tibial_inclination_smooth_deg[i]),
            cell(f.landmark_inclination_deg[i]), cell(f.left_shank_deg[i]), cell(f.right_shank_deg[i]),
            cell(f.ankle_dorsiflexion_deg[i]), cell(f.foot_pitch_deg[i]), cell(f.heel_rise_ratio[i], 4),
            int(bool(f.heel_lifted[i])), cell(f.knee_past_toe_px[i], 1), cell(f.front_visibility[i], 3),
            f.angle_source[i],
        ])
    return rows
