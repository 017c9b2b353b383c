"""Per frame on renders: where would the raw landmarks beat the product? (issue 19's "never more than 1 deg worse than
the raw landmarks"; session 32, s32real). Diagnosis only: it changes nothing.

    python benchmarks/frame_vs_raw.py /work/renders/random_v19 [/work/renders/random_v20 ...] [--json OUT.json]
    python benchmarks/frame_vs_raw.py /work/renders/random_v19 ... --cut-hold 22   (also: each rep peaking below 22 deg
        re-read from a stance cut to its hold, +-0.3 s: no standing frame, as in real ypt_army's first shot)

Every clip is analysed as `ankle-cv analyze` does (landmarks from /work/cache/<set name>, or --cache for one set); per
analysed frame of each stance inside the truth's test phase it takes the raw MediaPipe knee-ankle angle, the product's
angle in the image (`StanceKinematics.incl_image`) and the truth's `shin_angle_2d_gt_deg`, and the knee skin's distance to
the wall. Clips whose camera is rolled more than 0.5 deg are left out (the truth is against the image's vertical, the product
against the true one). The table bins the frames by true angle and knee-to-wall distance: MAE and bias of each, and how
often the product is more than 1 deg worse than the raw landmarks (the real reference's criterion, by chance alone).

With --cut-hold MAXPEAK: every true rep peaking below MAXPEAK deg (inside the edge offset's calibration range, as real
ypt_army's +17..+20 deg) is read again from its stance cut to the rep's hold +-0.3 s, so the edge line is calibrated on the
very depth it measures and the turn's rest frames are that depth; per hold frame the raw landmarks, the whole stance's
product, the cut stance's product and the landmarks' median over the cut, against the truth.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

import ankle_cv.protocol.stance_kinematics as sk
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.protocol.analysis import _scene
from ankle_cv.settings import Settings

ANGLE_BINS = ((-30.0, 5.0), (5.0, 15.0), (15.0, 25.0), (25.0, 35.0), (35.0, 70.0))
WALL_BINS_CM = ((-5.0, 3.0), (3.0, 8.0), (8.0, 300.0))
MAX_ROLL_DEG = 0.5
WORSE_DEG = 1.0
HOLD_MARGIN_S = 0.3


def summarize(raw_err: np.ndarray, ours_err: np.ndarray) -> dict[str, float]:
    """MAE and bias of both, and the share of frames where ours is more than WORSE_DEG worse than raw (finite pairs only)."""
    raw_err, ours_err = np.asarray(raw_err, float), np.asarray(ours_err, float)
    ok = np.isfinite(raw_err) & np.isfinite(ours_err)
    r, o = raw_err[ok], ours_err[ok]
    if not ok.any():
        return {"n": 0.0, "raw_mae": np.nan, "raw_bias": np.nan, "ours_mae": np.nan, "ours_bias": np.nan, "worse_share": np.nan}
    return {"n": float(ok.sum()), "raw_mae": float(np.mean(np.abs(r))), "raw_bias": float(np.mean(r)),
            "ours_mae": float(np.mean(np.abs(o))), "ours_bias": float(np.mean(o)),
            "worse_share": float(np.mean(np.abs(o) - np.abs(r) > WORSE_DEG))}


def _truth_index(times_s: np.ndarray, fps_video: float, n_truth: int) -> np.ndarray:
    """The truth's frame for each analysed frame (the analysis samples the video from its first frame)."""
    return np.clip(np.round((times_s - times_s[0]) * fps_video).astype(int), 0, n_truth - 1)


def capture(video: Path, cache: Path | None, cut_below: float | None) -> dict[str, Any]:
    """Per test frame: raw, product and truth (image); with cut_below, the cut-hold re-reading of each shallow rep."""
    doc = json.loads(video.with_suffix(".json").read_text())
    settings = Settings()
    _, series, analysis, _ = measure_video_cached(video, settings, cache)
    fps = 1.0 / float(np.median(np.diff(series.times_s)))
    scene = _scene(series, fps, settings, analysis.camera)
    tf = doc["frames"]
    ti = _truth_index(series.times_s, float(doc["video"]["fps"]), len(tf))
    t_rel = series.times_s - series.times_s[0]
    frames, cut = [], []
    for st in scene.stances:
        k = sk.stance_kinematics(series, scene.tracks, st, scene.facing, fps, settings, analysis.camera)
        for j, i in enumerate(range(st.start, st.end + 1)):
            t = tf[ti[i]]
            if t["phase"] != "test" or t.get("knee_surface_to_wall_cm") is None:
                continue
            frames.append({"truth": t["shin_angle_2d_gt_deg"], "wall_cm": t["knee_surface_to_wall_cm"],
                           "raw": float(k.shank.landmark_deg[j]), "ours": float(k.incl_image[j])})
        if cut_below is None:
            continue
        vfps = float(doc["video"]["fps"])
        for rep in doc["reps"]:
            hs, he = rep["hold_start_frame"] / vfps, rep["hold_end_frame"] / vfps
            if rep["peak_tibial_inclination_deg"] >= cut_below or not t_rel[st.start] <= hs <= he <= t_rel[st.end]:
                continue
            a = max(st.start, int(np.searchsorted(t_rel, hs - HOLD_MARGIN_S)))
            b = min(st.end, int(np.searchsorted(t_rel, he + HOLD_MARGIN_S)))
            kc = sk.stance_kinematics(series, scene.tracks, dataclasses.replace(st, start=a, end=b), scene.facing, fps, settings,
                                      analysis.camera)
            lm_median = float(np.nanmedian(kc.shank.landmark_deg)) if np.isfinite(kc.shank.landmark_deg).any() else np.nan
            for i in range(a, b + 1):
                if not hs <= t_rel[i] <= he:
                    continue
                truth = tf[ti[i]]["shin_angle_2d_gt_deg"]
                cut.append({"rep": rep["index"], "peak": rep["peak_tibial_inclination_deg"], "truth": truth,
                            "raw": float(kc.shank.landmark_deg[i - a]), "whole": float(k.incl_image[i - st.start]),
                            "cut": float(kc.incl_image[i - a]), "lm_median": lm_median,
                            "edge_calibrated": kc.shank.edge_offset_deg is not None})
    return {"roll_deg": float(doc["args"].get("cam_roll") or 0.0), "frames": frames, "cut": cut}


def _table(clips: dict[str, dict[str, Any]]) -> None:
    """The frames binned by true angle and knee-to-wall distance."""
    rows = [f for c in clips.values() if abs(c["roll_deg"]) <= MAX_ROLL_DEG for f in c["frames"]]
    if not rows:
        print("no frames")
        return
    truth = np.array([f["truth"] for f in rows], float)
    wall = np.array([f["wall_cm"] for f in rows], float)
    raw = np.array([f["raw"] for f in rows], float) - truth
    ours = np.array([f["ours"] for f in rows], float) - truth
    print("| true angle (deg) | knee skin to wall (cm) | frames | raw MAE / bias | product MAE / bias | product > 1 deg worse than raw |")
    print("|---|---|---|---|---|---|")
    bins = [(a, w) for a in ANGLE_BINS for w in WALL_BINS_CM] + [((-90.0, 90.0), (-99.0, 999.0))]
    for (a0, a1), (w0, w1) in bins:
        m = (truth >= a0) & (truth < a1) & (wall >= w0) & (wall < w1)
        s = summarize(raw[m], ours[m])
        if s["n"]:
            label = "all | all" if a0 == -90.0 else f"{a0:g}..{a1:g} | {w0:g}..{w1:g}"
            print(f"| {label} | {s['n']:.0f} | {s['raw_mae']:.2f} / {s['raw_bias']:+.2f} | {s['ours_mae']:.2f} / {s['ours_bias']:+.2f} | "
                  f"{100 * s['worse_share']:.0f} % |")


def _cut_table(clips: dict[str, dict[str, Any]]) -> None:
    """Per shallow rep, the hold's median error of each reading with and without the stance's standing frames."""
    print("\n| clip | rep | peak | edge calibrated on the cut | raw | whole stance's product | cut stance's product | landmarks' median over the cut |")
    print("|---|---|---|---|---|---|---|---|")
    pooled: dict[str, list[float]] = {"raw": [], "whole": [], "cut": [], "lm_median": []}
    for name, c in clips.items():
        if abs(c["roll_deg"]) > MAX_ROLL_DEG:
            continue
        for rep in sorted({f["rep"] for f in c["cut"]}):
            fr = [f for f in c["cut"] if f["rep"] == rep]
            err = {k: [f[k] - f["truth"] for f in fr] for k in pooled}
            for k in pooled:
                pooled[k] += err[k]
            med = {k: float(np.nanmedian(v)) if np.isfinite(v).any() else np.nan for k, v in err.items()}
            print(f"| {name} | {rep} | {fr[0]['peak']:.1f} | {'yes' if fr[0]['edge_calibrated'] else 'no'} | {med['raw']:+.1f} | "
                  f"{med['whole']:+.1f} | {med['cut']:+.1f} | {med['lm_median']:+.1f} |")
    for k, v in pooled.items():
        x = np.asarray(v, float)
        x = x[np.isfinite(x)]
        if x.size:
            print(f"{k}: per hold frame MAE {np.mean(np.abs(x)):.2f}, bias {np.mean(x):+.2f} (n={x.size})")


def main() -> int:
    """Capture every clip of the given rendered sets and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", type=Path, nargs="+")
    ap.add_argument("--cache", type=Path, default=None, help="landmark cache (one set); default /work/cache/<set name>")
    ap.add_argument("--cut-hold", type=float, default=None, metavar="MAXPEAK")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    clips: dict[str, dict[str, Any]] = {}
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    for folder in args.sets:
        cache = args.cache if args.cache is not None else Path("/work/cache") / folder.name
        for video in sorted(folder.glob("*.mp4")):
            if not video.with_suffix(".json").is_file():
                continue
            clips[f"{folder.name}/{video.stem}"] = capture(video, cache, args.cut_hold)
            print(f"{folder.name}/{video.stem}", file=sys.stderr, flush=True)
    _table(clips)
    if args.cut_hold is not None:
        _cut_table(clips)
    if args.json is not None:
        args.json.write_text(json.dumps(clips, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
