"""Fit and check the angle's trust rule and interval (kinematics.fitted) on a randomised rendered set.

    python benchmarks/fit_trust.py /work/renders/random_v1 --cache /work/cache/random_v1 [--also ../shared/synthetic]

Reads the set's manifest.json (clips with a body id and a 'fit' / 'report' split, as written by the render script),
analyses every rendered clip as `ankle-cv analyze` would (pose landmarks from the cache when present) and prints:
- per frame, |outline turn - edge line| where the turn was used (fit split): the spread TURN_EDGE_TOL_DEG must exceed;
- per rep, ours - truth and the 95 % interval: coverage with INTERVAL_GAIN as it is, the gain that would give 95 %
  on the fit split, that gain checked leave-one-body-out, and the report split's numbers;
- per rep of every clip: accepted as the knee-to-wall test or refused (every render must be accepted).
Constants are not written back: copy them into ankle_cv/kinematics/fitted.py with the numbers printed here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ankle_cv.enums import AngleCode
from ankle_cv.kinematics.legs import find_stances, split_front_back
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.pose.cache import prepare_cache_dir
from ankle_cv.protocol.analysis import _within
from ankle_cv.protocol.movement import check_movement
from ankle_cv.protocol.stance_kinematics import stance_kinematics
from ankle_cv.settings import Settings


def _clips(folder: Path) -> list[tuple[Path, str, str]]:
    """(video, body, split) of every rendered clip with its truth JSON; a folder without a manifest is all 'check'."""
    manifest = folder / "manifest.json"
    if manifest.is_file():
        doc = json.loads(manifest.read_text())
        out = []
        for c in doc["clips"]:
            video = folder / f"{c['id']}.mp4"
            if video.is_file() and video.with_suffix(".json").is_file():
                out.append((video, str(c["body"]), str(c["split"])))
        return out
    return [(v, v.stem, "check") for v in sorted(folder.glob("*.mp4")) if v.with_suffix(".json").is_file()]


def _turn_edge_gaps(series, analysis, fps: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    """|turn - edge line| on the frames whose angle is the turn (the analysis's own stances)."""
    settings = analysis.settings
    facing = 1 if analysis.facing == "right" else -1
    tracks = split_front_back(series, facing)
    stances = _within(find_stances(tracks, facing, fps, settings.side), check_movement(series, tracks.front, tracks.back, fps).geometry_runs(fps))
    gaps = []
    for st in stances:
        if st.end - st.start + 1 < 3:
            continue
        k = stance_kinematics(series, tracks, st, facing, fps, settings, analysis.camera)
        use = (k.shank.source == AngleCode.SILHOUETTE) & np.isfinite(k.shank.edge_deg) & np.isfinite(k.shank.fused_deg)
        gaps.append(np.abs(k.shank.fused_deg[use] - k.shank.edge_deg[use]))
    return np.concatenate(gaps) if gaps else np.zeros(0)


def _rep_rows(video: Path, analysis, body: str, split: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """Our reps matched to the truth's by side and peak time."""
    truth = json.loads(video.with_suffix(".json").read_text())
    t0 = float(analysis.frames.times_s[0]) if analysis.frames.times_s.size else 0.0
    rows = []
    for r in analysis.reps:
        cands = [t for t in truth["reps"] if t["tested_leg"] == r.side and t["start_time_s"] - 0.02 <= r.peak_s - t0 <= t["end_time_s"] + 0.02]
        if not cands:
            continue
        t = min(cands, key=lambda t: abs(t["peak_time_s"] - (r.peak_s - t0)))
        rows.append({"clip": video.stem, "body": body, "split": split, "err": r.tibial_inclination_deg - t["peak_tibial_inclination_deg"],
                     "ci": r.tibial_inclination_ci95_deg, "valid": r.valid, "reasons": list(r.invalid_reasons),
                     "raw_err": r.landmark_inclination_deg - t["peak_tibial_inclination_deg"]})
    return rows


def _gain_for(rows: list[dict], coverage: float = 0.95) -> float:
    """The smallest interval scale covering this share of the rows' errors."""
    ratios = np.array([abs(r["err"]) / r["ci"] for r in rows if np.isfinite(r["err"]) and np.isfinite(r["ci"]) and r["ci"] > 0])
    return float(np.quantile(ratios, coverage)) if ratios.size else float("nan")


def _stats(rows: list[dict], label: str) -> str:
    """MAE / bias / LoA / worst / coverage of a set of reps."""
    e = np.array([r["err"] for r in rows if np.isfinite(r["err"])])
    if e.size < 2:
        return f"| {label} | {e.size} | n/a |"
    ci = np.array([r["ci"] for r in rows if np.isfinite(r["err"])])
    raw = np.array([r["raw_err"] for r in rows if np.isfinite(r["raw_err"])])
    sd = float(np.std(e, ddof=1))
    cov = float(np.mean(np.abs(e) <= ci))
    return (f"| {label} | {e.size} | {np.mean(np.abs(e)):.2f} / {np.mean(e):+.2f} / {np.mean(e) - 1.96 * sd:+.1f} to {np.mean(e) + 1.96 * sd:+.1f} / "
            f"{np.max(np.abs(e)):.1f} | {np.mean(np.abs(raw)):.2f} / {np.max(np.abs(raw)):.1f} | {100 * cov:.0f} % (median ±{np.median(ci):.1f}°) |")


def main() -> int:
    """Analyse, collect and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None, help="write every row here")
    args = ap.parse_args()
    if args.cache is not None:
        prepare_cache_dir(args.cache)
    reps: list[dict] = []
    gaps: dict[str, list[float]] = {"fit": [], "report": [], "check": []}
    refused: list[str] = []
    for folder in args.folders:
        for video, body, split in _clips(folder):
            _, series, analysis, _ = measure_video_cached(video, Settings(), args.cache)
            fps = 1.0 / float(np.median(np.diff(series.times_s)))
            gaps[split] += list(_turn_edge_gaps(series, analysis, fps))
            rows = _rep_rows(video, analysis, body, split)
            reps += rows
            if analysis.no_measurement_reason and analysis.no_measurement_reason.startswith("not a knee-to-wall test"):
                refused.append(f"{video.stem}: {analysis.no_measurement_reason}")
            print(f"{video.stem} ({split}, {body}): {len(rows)} reps, worst {max((abs(r['err']) for r in rows), default=float('nan')):.2f}", file=sys.stderr)
    print("| per frame |turn - edge| (turn used) | n | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|")
    for split, g in gaps.items():
        if g:
            a = np.array(g)
            print(f"| {split} | {a.size} | {np.median(a):.2f} | {np.percentile(a, 95):.2f} | {np.percentile(a, 99):.2f} | {a.max():.2f} |")
    print("\n| reps | n | ours MAE / bias / 95 % LoA / worst | raw landmarks MAE / worst | 95 % interval coverage |\n|---|---|---|---|---|")
    for split in ("fit", "report", "check"):
        sub = [r for r in reps if r["split"] == split]
        if sub:
            print(_stats(sub, split))
    fit = [r for r in reps if r["split"] == "fit"]
    gain = _gain_for(fit)
    print(f"\ngain for 95 % coverage on the fit split: {gain:.2f}")
    bodies = sorted({r["body"] for r in fit})
    held: list[bool] = []
    for b in bodies:
        body_gain = _gain_for([r for r in fit if r["body"] != b])
        held += [abs(r["err"]) <= body_gain * r["ci"] for r in fit if r["body"] == b and np.isfinite(r["err"]) and np.isfinite(r["ci"])]
    if held:
        print(f"leave-one-body-out coverage with the gain fitted on the other bodies: {100 * np.mean(held):.0f} % of {len(held)} reps")
    print("\nrefused as not the test (renders must all be accepted):", refused or "none")
    if args.json:
        args.json.write_text(json.dumps({"reps": reps, "gaps": {k: list(map(float, v)) for k, v in gaps.items()}}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
