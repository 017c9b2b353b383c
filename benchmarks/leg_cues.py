"""Which leg each rendered rep was given, and the scene's cues for it: near/far on the floor and in the image, size, labels.

Usage:
    python benchmarks/leg_cues.py --set /work/renders/<set> --cache /work/cache/<set> [--split fit] [--only r005,r009] [--json out.json]

Per truth rep (its planted span, plant_frame..lift_off_frame of the render's JSON): the true tested leg and whether it
stood nearer the camera; the stance that holds the rep's peak (our side, how it was decided, its confidence); and inside
the planted span the medians of the near/far cue in the image (legs.near_far_cue, + = front foot nearer the camera), on
the floor (legs.floor_near_far_cue with the room fit's camera; NaN where the fit puts the feet above its horizon), the
front leg's share of right labels, and the front shank's and foot's pixel length over the back leg's (a nearer leg is
seen larger). Session 22 (s22leg): random_v9 r005's left reps given to the right leg (the floor cue all NaN, the whole
clip then taken from the labels). Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from render_set import add_set_options, set_clips

from ankle_cv.kinematics.legs import floor_near_far_cue, near_far_cue, split_frames
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.protocol.analysis import _floor_view, _scene
from ankle_cv.settings import Settings


def _median(x: np.ndarray) -> float:
    """Median of the finite values, NaN without any."""
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else float("nan")


def clip_rows(video: Path, cache: Path | None) -> list[dict[str, Any]]:
    """One row per truth rep of a rendered clip: truth, our stance and the cues inside the rep's planted span."""
    truth = json.loads(video.with_suffix(".json").read_text())
    settings = Settings()
    _info, series, analysis, _w = measure_video_cached(video, settings, cache)
    fps = 1.0 / float(np.median(np.diff(series.times_s)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        scene = _scene(series, fps, settings, analysis.camera)
        tracks = scene.tracks
        floor = _floor_view(analysis.camera, (series.width, series.height))
        img = near_far_cue(tracks)
        flo = floor_near_far_cue(tracks, floor) if floor is not None else np.full_like(img, np.nan)
        split = split_frames(tracks)
        size = {p: np.linalg.norm(tracks.front[a] - tracks.front[b], axis=1) / np.linalg.norm(tracks.back[a] - tracks.back[b], axis=1)
                for p, (a, b) in {"shank": ("knee", "ankle"), "foot": ("toe", "heel")}.items()}
    vfps = float(truth["video"]["fps"])
    frame_of = np.round(series.times_s * vfps).astype(int)
    legs = truth["subject"].get("legs") or {truth["subject"]["forward_leg"]: {"nearer_camera": truth["subject"]["forward_leg_nearer_camera"]}}
    rows = []
    for rep in truth["reps"]:
        leg = rep["tested_leg"]
        span = (frame_of >= rep.get("plant_frame", rep["start_frame"])) & (frame_of <= rep.get("lift_off_frame", rep["end_frame"]))
        voting = span & split
        peak = int(np.argmin(np.abs(frame_of - rep["peak_frame"])))
        st = next((s for s in scene.stances if s.start <= peak <= s.end), None)
        lab = tracks.front_label[voting]
        lab = lab[lab >= 0]
        rows.append({
            "clip": video.stem, "rep": rep["index"], "leg": leg, "near": bool(legs[leg]["nearer_camera"]),
            "facing_ok": (scene.facing > 0) == (truth["camera"]["wall_side_in_image"] == "right"),
            "ours": str(st.side) if st else None, "method": str(st.side_method) if st else None,
            "conf": round(st.side_confidence, 3) if st else None,
            "img": round(_median(img[voting]), 3), "floor": round(_median(flo[voting]), 3),
            "has_floor": floor is not None,
            "floor_known": round(float(np.isfinite(flo[voting]).mean()), 2) if voting.any() else float("nan"),
            "right_labels": round(float(np.mean(lab == 1)), 2) if lab.size else float("nan"),
            "shank_ratio": round(_median(size["shank"][voting]), 3), "foot_ratio": round(_median(size["foot"][voting]), 3),
            "frames": int(voting.sum()),
        })
    return rows


def main() -> int:
    """Print one line per truth rep of a set (and write them as JSON)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    args = ap.parse_args()
    rows: list[dict[str, Any]] = []
    for _entry, video in sorted(set_clips(args.set, args.split, args.only), key=lambda c: c[1].name):
        for r in clip_rows(video, args.cache):
            rows.append(r)
            print(" ".join(f"{k}={v}" for k, v in r.items()), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
