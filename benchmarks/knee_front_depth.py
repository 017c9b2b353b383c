"""The silhouette's knee front against the true skin front on every clip of a rendered set, and the knee front's depth (issue 22).

Usage:
    python benchmarks/knee_front_depth.py --set /work/renders/random_v12 --cache /work/cache/random_v12 [--split fit]
        [--only r002,r011] [--json rows.json]
    python benchmarks/knee_front_depth.py --fit rows_v10.json rows_v11.json ...   (fit the depth on the rows' fit split)

Why: knee-to-wall is the knee's front read in the picture against the wall's point in the leg's plane (through the ankle).
distance_parts.py splits that error on clips with a scale; this reads the knee part alone, which needs no scale, so every
clip counts. Per rep: the product's knee front (centimetres.knee_front_px, median over the rep's hold) against the true
skin front (`knee_surface_to_wall_cm`) projected through the renderer's camera at the knee joint's depth, cm along the
true floor direction towards the wall (+ = ours behind, knee-to-wall reads longer).
The question it was written for (session 25): does the knee's front lie off the leg's plane, as the big toe's tip does
(centimetres.toe_in_leg_plane)? Anny's rest mesh puts its foremost knee vertex 2.1 cm medial of the knee joint (the 4.5 cm
patch the truth reads: 1.3 cm), which would make the leg nearer the camera read behind and the far one ahead. `pred` is
that model's move per centimetre of medial depth (about the picture's centre at a phone's focal, as toe_in_leg_plane), so
err = depth x pred; --fit prints the least-squares depth on the fit split's legs not in loose cloth, leave-one-body-out,
and the RMS with and without it on both splits. (random_v12: 2.5 cm; random_v10: -0.8; not a property of the knee.)
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

from distance_parts import TrueCamera
from render_set import add_set_options, set_clips

import ankle_cv.protocol.centimetres as cmod
from ankle_cv.enums import Side
from ankle_cv.kinematics.fitted import FOCAL_FOR_MARKER_SCALE
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached, store_cached
from ankle_cv.settings import Settings


def clip_rows(entry: dict[str, Any], video: Path, cache: Path | None) -> list[dict[str, Any]]:
    """One clip's reps: the knee front's error before and after the product's carry to the leg's plane."""
    entry_cache = cache_file(cache, video, "full") if cache is not None else None
    cached = load_cached(entry_cache) if entry_cache is not None else None
    _, series, analysis, _ = measure_video(video, Settings(), "full", None, series=cached)
    if entry_cache is not None and cached is None:
        store_cached(entry_cache, series)
    doc = json.loads(video.with_suffix(".json").read_text())
    c = doc["camera"]
    cam = TrueCamera(np.asarray(c["K"], float), np.asarray(c["R"], float), np.asarray(c["t"], float).ravel())
    fps, frames = float(doc["video"]["fps"]), doc["frames"]
    facing = Side(analysis.facing).sign
    p = analysis.front_xy
    front = cmod.knee_front_px(series, np.where(np.isfinite(p["shin_top"]), p["shin_top"], p["knee"]), facing,
                               analysis.shank_length_px)
    size = (series.width, series.height)
    centre = np.array([(size[0] - 1) / 2.0, (size[1] - 1) / 2.0])
    t0 = float(analysis.frames.times_s[0])
    legs = (doc.get("subject") or {}).get("legs") or {}
    tags = entry.get("tags") or {}
    rows = []
    for rep in analysis.reps:
        near = bool(legs.get(rep.side, {}).get("nearer_camera"))
        raw, pred = [], []
        for i in cmod._hold(rep, analysis):
            f = front[i]
            ti = int(round((analysis.frames.times_s[i] - t0) * fps))
            if not (np.all(np.isfinite(f)) and 0 <= ti < len(frames)) or frames[ti].get("knee_surface_to_wall_cm") is None:
                continue
            knee = np.asarray(frames[ti]["joints_3d"][f"{rep.side}_knee"], float)
            height = cam.back_project(f, np.array([0.0, 1.0, 0.0]), knee[1])[2]
            truth = np.array([-float(frames[ti]["knee_surface_to_wall_cm"]) / 100.0, knee[1], height])
            tpx = cam.project(truth)
            step = cam.project(truth + np.array([0.01, 0.0, 0.0])) - tpx  # 1 cm towards the wall
            px_per_cm = float(np.linalg.norm(step))
            u = step / px_per_cm
            raw.append(float((tpx - f) @ u) / px_per_cm)
            pred.append((1.0 if near else -1.0) * float((f - centre) @ u) / (FOCAL_FOR_MARKER_SCALE * max(size)))
        if raw:
            rows.append({"clip": entry["id"], "split": entry.get("split"), "body": entry.get("body"), "side": rep.side,
                         "near": near, "rep": rep.index, "marker": tags.get("marker"), "bottoms": tags.get("bottoms"),
                         "shoes": tags.get("shoes"), "resolution": tags.get("resolution"), "frames": len(raw),
                         "err_cm": round(float(np.median(raw)), 3),
                         "pred": round(float(np.median(pred)), 4)})
    return rows


def _depth(rows: list[dict[str, Any]]) -> float:
    """Least-squares depth (cm): err = depth x pred."""
    x = np.array([r["pred"] for r in rows])
    y = np.array([r["err_cm"] for r in rows])
    return float(x @ y / (x @ x))


def fit(rows: list[dict[str, Any]]) -> None:
    """Print the fitted depth on the fit split (not loose cloth), leave-one-body-out, and the RMS on both splits."""
    tight = [r for r in rows if r.get("bottoms") != "loose"]
    fit_rows = [r for r in tight if r["split"] == "fit"]
    depth = _depth(fit_rows)
    lobo = [_depth([r for r in fit_rows if r["body"] != b]) for b in sorted({r["body"] for r in fit_rows})]
    print(f"fit split: {len(fit_rows)} reps of {len({r['body'] for r in fit_rows})} bodies, depth {depth:.2f} cm "
          f"(leave-one-body-out {min(lobo):.2f}-{max(lobo):.2f})")
    for split in ("fit", "report"):
        for near in (True, False):
            q = [r for r in tight if r["split"] == split and r["near"] == near]
            if not q:
                continue
            raw = np.array([r["err_cm"] for r in q])
            at = raw - depth * np.array([r["pred"] for r in q])
            print(f"  {split:6s} {'near' if near else 'far '} n={len(q):3d}: mean {raw.mean():+.2f} -> {at.mean():+.2f}; "
                  f"RMS {np.sqrt((raw**2).mean()):.2f} -> {np.sqrt((at**2).mean()):.2f}")


def main() -> int:
    """Read a set's clips (or fit saved rows)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", nargs="+", type=Path, default=None, help="rows saved with --json (one file per set)")
    if "--fit" in sys.argv:
        args = ap.parse_args()
        fit([{**r, "set": p.stem} for p in args.fit for r in json.loads(p.read_text())])
        return 0
    add_set_options(ap)
    args = ap.parse_args()
    rows: list[dict[str, Any]] = []
    for entry, video in set_clips(args.set, args.split, args.only):
        got = clip_rows(entry, video, args.cache)
        for r in got:
            print(f"{r['clip']} rep {r['rep']} {r['side']} {'near' if r['near'] else 'far'}: {r['err_cm']:+.2f} cm "
                  f"(pred {r['pred']:+.3f}/cm)")
        rows.extend(got)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
