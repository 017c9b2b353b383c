"""How far the pose model's planted ankle slides at a rep's hold, against where the planted joint can be (issue 19 item 2).

    python benchmarks/ankle_slide.py --set /work/renders/<set> --cache /work/cache/<set> --scores DIR [--only h003,h008]
        [--json OUT.json]

While the heel is down the ankle joint cannot move; when the heel rises the foot turns about its ball and the joint with
it. The planted anchor here is that: the landmark ankle over the stance's standing frames (the landmark angle's rest
frames, the foot at its place, the heel not lifted), carried linearly in time between them, turned about the ball
(fitted.BALL_U) by the heel's measured rise (kinematics.heel against those frames). Per rep of a score_renders output
(--scores: its scores.json gives truth, error, validity and leg), over the hold: the steadied landmark ankle (what the
product anchors its edge line, inclinometer and leg-plane reading on) minus the planted anchor ("slide", shank lengths,
x towards the wall, y up), and each one's offset from the rendered ankle joint minus the same offset at the standing
frames (how far each moved where the rendered joint did not). Prints, per leg near/far and slide bin, the valid reps'
n, MAE, bias and coverage. Session 18 (s18anchor, /work/notes/s18anchor.md): the anchor follows the rendered joint within
~0.01 shank lengths through 20 mm heel lifts while the landmark wanders 0.05-0.3, but anchoring the edge line on it
moved the per-rep errors both ways (not landed); the slide as an interval cue rests on one far rep (heel_sweep h003).
Diagnosis only: it changes nothing in the product.
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

import ankle_cv.protocol.analysis as analysis_module
from ankle_cv.kinematics.fitted import BALL_U
from ankle_cv.kinematics.heel import estimate_heel_lift
from ankle_cv.kinematics.shank import ANKLE_STEADY_S, inclination_deg, rest_frames, steadied_ankle
from ankle_cv.kinematics.signals import lowpass, odd_window, rolling_median
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.protocol import stance_kinematics as sk
from ankle_cv.settings import Settings

MIN_STANDING = 5
SLIDE_BINS = (-1.0, 0.04, 0.06, 0.08, 0.10, 1.0)


def _standing_track(points: np.ndarray, standing: np.ndarray, fps: float) -> np.ndarray | None:
    """The point over the standing frames (running median over about a second of them), carried linearly between them."""
    idx = np.nonzero(standing & np.isfinite(points).all(axis=1))[0]
    if idx.size < MIN_STANDING:
        return None
    win = min(odd_window(fps, ANKLE_STEADY_S), idx.size if idx.size % 2 else idx.size - 1)
    frames = np.arange(points.shape[0])
    return np.stack([np.interp(frames, idx, rolling_median(points[idx, k], win)) for k in (0, 1)], axis=1)


def planted_anchor(front: dict[str, np.ndarray], facing: int, fps: float, bottom: np.ndarray | None, cols: np.ndarray | None,
                   up: np.ndarray | None, settings: Settings) -> np.ndarray:
    """(N, 2) the planted ankle: standing place, carried between standing frames, turned about the ball by the heel's rise."""
    ankle = front["ankle"]
    steadied = steadied_ankle(ankle, fps)
    standing = rest_frames(lowpass(inclination_deg(front["knee"], ankle, facing, up), fps, settings.smoothing_hz))
    heel = estimate_heel_lift(front["heel"], front["toe"], facing, fps, standing, bottom, cols, settings.heel_lift_ratio)
    planted = sk._planted(front, fps)
    use = standing & planted & ~heel.lifted
    still, heel0, toe0 = (_standing_track(p, use, fps) for p in (ankle, front["heel"], front["toe"]))
    if still is None or heel0 is None or toe0 is None:
        return steadied
    ball = heel0 + BALL_U * (toe0 - heel0)
    rise = np.clip(np.nan_to_num(np.asarray(heel.rise_ratio, float)), 0.0, 0.5)
    theta = facing * rise / BALL_U
    rel = still - ball
    turned = ball + np.stack([rel[:, 0] * np.cos(theta) - rel[:, 1] * np.sin(theta),
                              rel[:, 0] * np.sin(theta) + rel[:, 1] * np.cos(theta)], axis=1)
    return np.where(planted[:, None] & np.isfinite(turned).all(axis=1)[:, None], turned, steadied)


def _capture(video: Path, cache: Path | None) -> tuple[Any, Any, list[dict[str, Any]]]:
    """Analyse the clip with each stance's steadied and planted ankles recorded."""
    stances: list[dict[str, Any]] = []
    original = sk.stance_kinematics

    def watched(series: Any, tracks: Any, st: Any, facing: int, fps: float, settings: Settings, camera: Any) -> Any:
        k = original(series, tracks, st, facing, fps, settings, camera)
        sl = slice(st.start, st.end + 1)
        front = {name: v[sl] for name, v in tracks.front.items()}
        bottom = series.mask_bottom_y[sl] if series.mask_bottom_y is not None else None
        stances.append({"start": st.start, "end": st.end, "facing": facing, "length": k.shank.shank_length_px,
                        "steadied": steadied_ankle(front["ankle"], fps),
                        "planted": planted_anchor(front, facing, fps, bottom, series.mask_cols_x, camera.up, settings)})
        return k

    analysis_module.stance_kinematics = watched
    try:
        _info, series, analysis, _w = measure_video_cached(video, Settings(), cache)
    finally:
        analysis_module.stance_kinematics = original
    return series, analysis, stances


def _along(d: np.ndarray, facing: int, length: float) -> tuple[float, float]:
    """Median offset over the hold in shank lengths: towards the wall, up."""
    return float(np.nanmedian(facing * d[:, 0])) / length, float(np.nanmedian(-d[:, 1])) / length


def clip_rows(video: Path, cache: Path | None, scored: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per rep we found: the hold's slide and each anchor's move against the rendered joint, joined to its score."""
    series, analysis, stances = _capture(video, cache)
    truth = json.loads(video.with_suffix(".json").read_text())
    ft = np.array([f["t"] for f in truth["frames"]])
    rows = []
    for rep in analysis.reps:
        h0, h1 = (rep.hold_start_frame, rep.hold_end_frame) if rep.hold_start_frame >= 0 else (rep.peak_frame, rep.peak_frame)
        st = [s for s in stances if s["start"] <= h0 <= s["end"]]
        if not st:
            continue
        s = st[-1]
        fac, length = s["facing"], s["length"]
        hold = np.arange(h0, min(h1, s["end"]) + 1) - s["start"]

        row: dict[str, Any] = {"clip": video.stem, "side": str(rep.side.value), "ours": rep.tibial_inclination_deg,
                               "ci": rep.tibial_inclination_ci95_deg}
        row["slide_x"], row["slide_y"] = _along(s["steadied"][hold] - s["planted"][hold], fac, length)
        key = f"{row['side']}_ankle"
        frames = truth["frames"]
        if key in frames[0].get("joints_2d", {}):
            idx = np.clip(np.searchsorted(ft, series.times_s[s["start"]:s["end"] + 1]), 0, ft.size - 1)
            joint = np.array([frames[i]["joints_2d"][key][:2] for i in idx], float)
            rest = np.array([frames[i]["tibial_inclination_deg"] < 12.0 for i in idx]) & np.isfinite(joint).all(axis=1)
            for name in ("steadied", "planted"):
                off = s[name] - joint
                base = np.nanmedian(off[rest], axis=0) if rest.any() else np.zeros(2)
                row[f"{name}_moved_x"], row[f"{name}_moved_y"] = _along(off[hold] - base[None, :], fac, length)
        match = [r for r in scored.get("reps", []) if r.get("ours_deg") is not None and abs(r["ours_deg"] - rep.tibial_inclination_deg) < 0.051]
        if match:
            row.update({k: match[0][k] for k in ("truth_deg", "error_deg", "valid", "near_camera", "body", "split")})
        rows.append(row)
    return rows


def table(rows: list[dict[str, Any]]) -> list[str]:
    """Valid reps by leg and hold slide: n, MAE, bias, covered, and how far each anchor moved from the rendered joint."""
    out = ["| leg | slide (shank lengths) | valid reps | MAE | bias | covered | landmark moved | planted moved |", "|---|---|---|---|---|---|---|---|"]
    valid = [r for r in rows if r.get("valid")]
    for near in (True, False):
        for lo, hi in zip(SLIDE_BINS[:-1], SLIDE_BINS[1:]):
            g = [r for r in valid if r["near_camera"] == near and lo <= r["slide_x"] < hi]
            if not g:
                continue
            e = np.array([r["error_deg"] for r in g])
            cov = sum(abs(r["error_deg"]) <= r["ci"] + 0.05 for r in g)
            moved = {n: np.nanmedian([np.hypot(r.get(f"{n}_moved_x", np.nan), r.get(f"{n}_moved_y", np.nan)) for r in g]) for n in ("steadied", "planted")}
            out.append(f"| {'near' if near else 'far'} | {max(lo, 0.0):.2f}-{min(hi, 1.0):.2f} | {len(g)} | {np.mean(np.abs(e)):.2f} | "
                       f"{np.mean(e):+.2f} | {cov}/{len(g)} | {moved['steadied']:.3f} | {moved['planted']:.3f} |")
    return out


def main() -> int:
    """Measure every scored clip of a set and print the table."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--set", dest="set_dir", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--scores", type=Path, required=True, help="a score_renders --out folder (its scores.json)")
    ap.add_argument("--only", default="")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    only = {o for o in args.only.split(",") if o}
    scores = json.loads((args.scores / "scores.json").read_text())
    rows: list[dict[str, Any]] = []
    for clip in scores["clips"]:
        if only and not any(clip["clip"].startswith(o) for o in only):
            continue
        video = args.set_dir / f"{clip['clip']}.mp4"
        if video.is_file():
            got = clip_rows(video, args.cache, clip)
            rows += got
            print(f"{clip['clip']}: " + ", ".join(f"{r['slide_x']:+.3f}" for r in got), file=sys.stderr)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, default=float))
    print("\n".join(table(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
