"""frames.csv: one row per analysed frame of the tested leg (pure: rows and text, nothing written)."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np

from ankle_cv.enums import HeelSource
from ankle_cv.protocol.analysis_types import Analysis

FRAME_COLUMNS: tuple[str, ...] = (
    "frame", "time_s", "rep", "front_side", "tibial_inclination_deg", "tibial_inclination_smooth_deg",
    "landmark_inclination_deg", "left_shank_deg", "right_shank_deg", "ankle_dorsiflexion_deg", "foot_pitch_deg",
    "heel_rise_foot_fraction", "heel_lifted", "knee_past_toe_px", "front_leg_visibility", "angle_source",
)
OVERLAY_POINTS = ("hip", "knee", "ankle", "heel", "toe")  # tested leg's joints as the pose model detected them
MEASURED_LINE_POINTS = ("ankle_anchor", "shin_top")  # the measured shin line: steadied ankle -> one shank along the angle
FRAME_COLUMNS += tuple(f"{p}_{axis}_px" for p in OVERLAY_POINTS for axis in ("x", "y"))
FRAME_COLUMNS += ("knee_to_wall_cm",)  # front of the knee to the wall (empty without a scale)
FRAME_COLUMNS += ("inclinometer_equivalent_deg",)  # the shin's front outline over the inclinometer's stretch (trusted frames)
FRAME_COLUMNS += ("tibial_inclination_ci95_deg",)  # the frame's 95 % interval half-width (protocol.interval)
FRAME_COLUMNS += tuple(f"{p}_{axis}_px" for p in MEASURED_LINE_POINTS for axis in ("x", "y"))


def frame_rows(analysis: Analysis, video_frames: np.ndarray | None = None) -> list[list[Any]]:
    """frames.csv rows in FRAME_COLUMNS order (empty cells where unknown), one per analysed frame; `frame` is its video
    frame index (`video_frames`, default every frame)."""
    f = analysis.frames
    frames_idx = np.arange(f.times_s.size) if video_frames is None else np.asarray(video_frames, int)

    def cell(v: float, digits: int = 2) -> Any:
        return "" if not np.isfinite(v) else round(float(v), digits) + 0.0  # never "-0.0"

    nan_xy = np.full((f.times_s.size, 2), np.nan)
    points = {p: analysis.front_xy.get(p, nan_xy) for p in OVERLAY_POINTS + MEASURED_LINE_POINTS}
    cm = analysis.centimetres
    knee_to_wall = cm.knee_to_wall_cm if cm is not None else np.full(f.times_s.size, np.nan)
    inclinometer = f.inclinometer_equivalent_deg if f.inclinometer_equivalent_deg is not None else np.full(f.times_s.size, np.nan)
    ci95 = f.tibial_inclination_ci95_deg if f.tibial_inclination_ci95_deg is not None else np.full(f.times_s.size, np.nan)
    unjudged = {r.index for r in analysis.reps if not HeelSource(r.heel_lift_source).judged}  # their heel cells stay empty
    rows = []
    for i in range(f.times_s.size):
        rows.append([
            int(frames_idx[i]), round(float(f.times_s[i]), 4), int(f.rep_index[i]), f.front_side[i],
            cell(f.tibial_inclination_deg[i]), cell(f.tibial_inclination_smooth_deg[i]),
            cell(f.landmark_inclination_deg[i]), cell(f.left_shank_deg[i]), cell(f.right_shank_deg[i]),
            cell(f.ankle_dorsiflexion_deg[i]), cell(f.foot_pitch_deg[i]), cell(f.heel_rise_ratio[i], 4),
            "" if int(f.rep_index[i]) in unjudged else int(bool(f.heel_lifted[i])), cell(f.knee_past_toe_px[i], 1), cell(f.front_visibility[i], 3),
            f.angle_source[i],
            *(cell(points[p][i, k], 1) for p in OVERLAY_POINTS for k in (0, 1)),
            cell(knee_to_wall[i]),
            cell(inclinometer[i]),
            cell(ci95[i]),
            *(cell(points[p][i, k], 1) for p in MEASURED_LINE_POINTS for k in (0, 1)),
        ])
    return rows


def csv_text(analysis: Analysis, video_frames: np.ndarray | None = None) -> str:
    """frames.csv's text: the header and one row per analysed frame (`video_frames`: their video frame indices)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FRAME_COLUMNS)
    writer.writerows(frame_rows(analysis, video_frames))
    return buf.getvalue()
