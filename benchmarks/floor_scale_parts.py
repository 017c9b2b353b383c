"""Split a floor marker's scale error into its parts against the renders' truth (issue 22 item 3: equivalent distance).

Usage:
    python benchmarks/floor_scale_parts.py --set /work/renders/random_v10 --cache /work/cache/random_v10 [--only r014]

Why: a marker flat on the floor gives the leg's scale as the marker's own floor scale times the ratio of the two floor
points' drops below the horizon (scene.marker.floor_scale); the equivalent distance (10-20 cm) carries any error of it.
Each part is one reading against the truth camera's: the horizon (px, at the leg's column), the marker's own px per cm
(along the picture's level direction at its centre), the leg's floor point's depth (the sole's contact against the leg's
plane), and the result against the true px per cm along the wall's normal (world X) in the leg's plane at the floor.
The script runs the product as `benchmarks/score_renders.py` does (same cache) and captures floor_scale's inputs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from distance_parts import TrueCamera, marker_entries
from render_set import add_set_options

import ankle_cv.protocol.centimetres as cmod
from ankle_cv.kinematics.fitted import FOCAL_FOR_MARKER_SCALE
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.scene.camera_geometry import up_from_roll
from ankle_cv.scene.marker import _level
from ankle_cv.settings import Settings


def true_horizon_v(cam: TrueCamera, u: float) -> float:
    """The floor's vanishing line's row at column u."""
    n = cam.r @ np.array([0.0, 0.0, 1.0])
    line = np.linalg.inv(cam.k).T @ n
    return float(-(line[0] * u + line[2]) / line[1])


def true_px_per_cm(cam: TrueCamera, point: np.ndarray, direction: np.ndarray) -> float:
    """Pixels per cm along a world direction at a world point (m)."""
    a, b = cam.project(point - direction * 0.005), cam.project(point + direction * 0.005)
    return float(np.linalg.norm(b - a))


def clip_scale_parts(entry: dict[str, Any], set_dir: Path, cache_dir: Path | None) -> list[dict[str, Any]]:
    """Run one floor-marker clip and compare floor_scale's readings with the truth camera's."""
    video, truth_path = set_dir / f"{entry['id']}.mp4", set_dir / f"{entry['id']}.json"
    doc = json.loads(truth_path.read_text())
    cached = load_cached(cache_file(cache_dir, video, "full")) if cache_dir is not None else None
    seen: list[dict[str, Any]] = []
    original = cmod.floor_scale

    def wrapped(fit: Any, leg_floor_px: Any, image_size: Any, *a: Any, **k: Any) -> Any:
        out = original(fit, leg_floor_px, image_size, *a, **k)
        seen.append({"fit": fit, "floor": np.asarray(leg_floor_px, float), "size": image_size, "scale": out})
        return out

    cmod.floor_scale = wrapped
    try:
        _, _, analysis, _ = measure_video(video, Settings(), "full", None, series=cached)
    finally:
        cmod.floor_scale = original
    if not seen:
        return []
    return [_one(entry, doc, {**s, "camera": analysis.camera}) for s in seen]


def _one(entry: dict[str, Any], doc: dict[str, Any], s: dict[str, Any]) -> dict[str, Any]:
    """One floor_scale call's readings against the truth (the leg: the one whose ankle lies nearest its floor point)."""
    fit, floor, (w, h), scale = s["fit"], s["floor"], s["size"], s["scale"]
    cam_doc = doc["camera"]
    cam = TrueCamera(np.asarray(cam_doc["K"], float), np.asarray(cam_doc["R"], float), np.asarray(cam_doc["t"], float).ravel())
    focal = FOCAL_FOR_MARKER_SCALE * max(w, h)
    up = up_from_roll(fit.plane.camera_roll_deg)
    centre = np.array([(w - 1) / 2.0, (h - 1) / 2.0])
    ours_h = float(centre[1] - (centre @ up + 0) * 0 - focal * np.tan(np.radians(fit.plane.camera_pitch_deg)))
    mid = fit.corners_px.mean(axis=0)
    true_h_mid, true_h_leg = true_horizon_v(cam, float(mid[0])), true_horizon_v(cam, float(floor[0]))
    m3 = np.asarray(doc["marker"]["centre_3d"], float)
    frames = doc["frames"]
    floor3 = cam.back_project(floor, np.array([0.0, 0.0, 1.0]), 0.0)
    legs = {}
    for side in ("left", "right"):
        held = [i for r in doc["reps"] if r["tested_leg"] == side for i in range(int(r["hold_start_frame"]), int(r["hold_end_frame"]) + 1)]
        held = held or list(range(len(frames)))
        ankles = np.array([frames[i]["joints_3d"][f"{side}_ankle"] for i in held if i < len(frames)])
        legs[side] = np.median(ankles, axis=0)
    side = min(legs, key=lambda k: abs(float(legs[k][1]) - float(floor3[1])))
    leg3 = np.array([float(legs[side][0]), float(legs[side][1]), 0.0])  # the ankle's floor point over the holds
    y_leg = float(leg3[1])
    true_marker = true_px_per_cm(cam, m3, np.array([0.0, 1.0, 0.0]) if abs(cam.r[0, 1]) > abs(cam.r[0, 0]) else np.array([1.0, 0.0, 0.0]))
    true_leg = true_px_per_cm(cam, leg3, np.array([1.0, 0.0, 0.0]))
    ours = 1.0 / scale.cm_per_px if scale.cm_per_px else float("nan")
    room = s["camera"]
    h_room = float("nan")
    if room.pitch_deg is not None and room.focal_px is not None:
        h_room = float(centre[1] - room.focal_px * np.tan(np.radians(room.pitch_deg)))
    true_line = np.linalg.inv(cam.k).T @ (cam.r @ np.array([0.0, 0.0, 1.0]))

    def true_drop(p: np.ndarray) -> float:
        return float(abs(true_line @ np.array([p[0], p[1], 1.0])) / np.hypot(true_line[0], true_line[1]))

    def level_y(p: np.ndarray) -> float:
        return float(_level(np.asarray(p, float), up)[1])

    def with_horizon(h_centre: float, point: np.ndarray) -> float:
        """The leg's px per cm as floor_scale reads it with the horizon at this row (at the centre column)."""
        h_lev = level_y(centre) - (centre[1] - h_centre)
        return marker_ours_h * (level_y(point) - h_lev) / (level_y(mid) - h_lev)

    marker_ours_h = 1.0 / float(scale.details.get("sheet_cm_per_px", float("nan"))) if scale.cm_per_px else float("nan")

    marker_ours = 1.0 / float(scale.details.get("sheet_cm_per_px", float("nan"))) if scale.cm_per_px else float("nan")
    return {
        "clip": entry["id"], "leg": side, "split": entry.get("split", ""), "body": entry.get("body", ""), "side_px": round(fit.side_px, 1),
        "true_focal_per_long": round(float(cam.k[0, 0]) / max(w, h), 3),
        "pitch_ours": round(float(fit.plane.camera_pitch_deg), 2), "pitch_true": cam_doc.get("pitch_deg"),
        "horizon_marker_pose": round(ours_h, 1), "horizon_true_mid": round(true_h_mid, 1), "horizon_true_leg": round(true_h_leg, 1),
        "marker_px_per_cm": round(marker_ours, 3), "marker_true": round(true_marker, 3),
        "floor_point_y_m": round(float(floor3[1]), 3), "leg_plane_y_m": round(y_leg, 3),
        "horizon_room": round(h_room, 1), "room_focal_per_long": None if room.focal_px is None else round(room.focal_px / max(w, h), 3),
        "room_pitch": room.pitch_deg,
        "scale_err_pct_marker_pose": round((true_leg / with_horizon(ours_h, floor) - 1.0) * 100.0, 2),  # session 22's horizon
        "vertical_source": str(room.vertical_source),
        "scale_err_pct_true_horizon": round((true_leg / (marker_ours_h * true_drop(floor) / true_drop(mid)) - 1.0) * 100.0, 2),
        "leg_px_per_cm": round(ours, 3), "leg_true": round(true_leg, 3),
        "scale_err_pct": round((true_leg / ours - 1.0) * 100.0, 2) if np.isfinite(ours) else None,  # + = cm read longer
        "rel_sd_pct": round(100.0 * (scale.relative_uncertainty or float("nan")), 2),
    }


def main() -> int:
    """Print one row per floor-marker clip."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    args = ap.parse_args()
    rows = []
    for entry in marker_entries(args.set, args.split, args.only):
        if (entry.get("tags") or {}).get("marker") != "floor":
            continue
        for r in clip_scale_parts(entry, args.set, args.cache):
            rows.append(r)
            print(json.dumps(r))
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
