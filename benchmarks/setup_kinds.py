"""Accuracy by kind of set-up on rendered clips: marker placement, heel lift, near/far leg, camera roll, peak, clothes.

Usage: python benchmarks/setup_kinds.py DIR [DIR ...] --cache CACHE_DIR [--manifest M.json --split fit|report]
       [--thresholds] [--out table.md]

Every `<clip>.mp4` with its renderer truth `<clip>.json` (../shared/synth/README.md) is analysed as `analyze`
does (landmarks kept in CACHE_DIR, as `validate --cache`; the user is taken to state the toe-to-wall distance
they measured, to 0.5 cm) and each true rep scored: peak tibial inclination, heel flag against the true heel
height at the peak (lifted >= 8 mm, down <= 2 mm), knee-to-wall (knee skin to wall) and the equivalent
toe-to-wall distance (toe-to-wall less knee-to-wall). `--thresholds` re-applies the heel verdict to each rep's
per-frame image trace at several thresholds (the trade-off curve of docs/validation.md). With a manifest (the
randomised set's, benchmarks/render_random_set.py) `--split` keeps the clips of one split of bodies.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached, prepare_cache_dir, store_cached

LIFT_BUCKETS_MM = ((-1, 1, "0"), (1, 2.5, "2"), (2.5, 5, "4"), (5, 7, "6"), (7, 9, "8"), (9, 12.5, "10"), (12.5, 17.5, "15"),
                   (17.5, 22.5, "20"), (22.5, 99, "25"))
THRESHOLDS = (0.01, 0.015, 0.02, 0.025, 0.03, 0.04)


def _settings(stated_cm: float) -> Any:
    """The analysis settings with the stated toe-to-wall distance."""
    from ankle_cv.settings import Settings

    return Settings(foot_to_wall_cm=stated_cm)


def _result_dict(analysis: Any, info: Any) -> dict:
    """result.json as a dict, whatever build_result returns."""
    from ankle_cv.results.build import build_result

    result = build_result(analysis, info, "full")
    return json.loads(result.to_json()) if hasattr(result, "to_json") else result


def analyse(video: Path, cache_dir: Path) -> tuple[dict, dict, Any]:
    """The truth, our result.json and the analysis of one clip (landmarks from the cache when there)."""
    truth = json.loads(video.with_suffix(".json").read_text())
    toe = truth["reps"][0].get("toe_to_wall_cm") if truth.get("reps") else None
    stated = round(float(toe) * 2) / 2 if toe is not None else 10.0
    entry = cache_file(cache_dir, video, "full")
    series = load_cached(entry)
    info, tracked, analysis, _ = measure_video(video, _settings(stated), "full", series=series)
    if series is None:
        store_cached(entry, tracked)
    return truth, _result_dict(analysis, info), analysis


def score(clip: str, truth: dict, result: dict, analysis: Any) -> list[dict]:
    """One row per true rep: its set-up kinds, ours against the truth, and the heel verdict at several thresholds."""
    args, cam, mk = truth.get("args", {}), truth["camera"], truth.get("marker") or {}
    marker = mk.get("placement", "none") if mk else "none"
    base = {"clip": clip, "marker": f"side_{mk.get('card_side')}" if marker == "side" else marker,
            "roll": f"{'0' if abs(cam.get('roll_deg') or 0) < 0.5 else '1-3' if abs(cam['roll_deg']) < 2.9 else '3-5'} deg, "
                    f"{args.get('background', 'room')}",
            "clothes": f"{args.get('bottoms', 'shorts')}{' + shoes' if args.get('shoes') else ''}"}
    ours, used, rows = result.get("reps", []), set(), []
    f = analysis.frames
    for t in truth["reps"]:
        lo, hi = t["start_time_s"] - 0.3, t["end_time_s"] + 0.3
        cand = [(i, r) for i, r in enumerate(ours) if i not in used and r.get("peak_s") is not None and lo <= r["peak_s"] <= hi]
        mm = float(t["heel_height_mm_at_peak"])
        row = dict(base, near="near" if truth["subject"]["legs"][t["tested_leg"]]["nearer_camera"] else "far",
                   lift=next(name for a, b, name in LIFT_BUCKETS_MM if a < mm <= b), heel_mm=mm,
                   peak="5-15" if t["peak_tibial_inclination_deg"] < 15 else "15-25" if t["peak_tibial_inclination_deg"] < 25
                   else "25-45" if t["peak_tibial_inclination_deg"] < 45 else "45-60", found=bool(cand))
        if cand:
            i, r = min(cand, key=lambda ir: abs(ir[1]["peak_s"] - t["peak_time_s"]))
            used.add(i)
            row["err_deg"] = r["tibial_inclination_deg"] - t["peak_tibial_inclination_deg"]
            row["flagged"] = bool(r["heel_lifted"])
            k2w, eq = r.get("knee_to_wall_cm"), r.get("equivalent_toe_to_wall_cm")
            if k2w is not None:
                row["err_k2w"] = k2w - t["knee_surface_to_wall_cm_at_peak"]
            if eq is not None:
                row["err_equiv"] = eq - (t["toe_to_wall_cm"] - t["knee_surface_to_wall_cm_at_peak"])
            if r.get("heel_lift_source") == "image":
                s, e = r["start_frame"], r["end_frame"]
                rise, incl = f.heel_rise_ratio[s:e + 1], f.tibial_inclination_smooth_deg[s:e + 1]
                hold = np.nonzero(incl >= np.nanmax(incl) - 1.5)[0]
                held = rise[hold] if hold.size else np.array([])
                if np.isfinite(held).any():  # the verdict's rule: the hold's median reading against the threshold
                    row["flags_at"] = {str(th): bool(np.nanmedian(held) >= th) for th in THRESHOLDS}
        rows.append(row)
    return rows


def _cells(a: list[float]) -> str:
    return f"{len(a)}, {np.mean(np.abs(a)):.2f}, {np.max(np.abs(a)):.2f}" if a else "-"


def table(rows: list[dict], key: str) -> list[str]:
    """Markdown table of one kind of set-up."""
    out = [f"| {key} | reps | found | MAE deg | worst deg | >= 8 mm flagged | <= 2 mm flagged | knee-to-wall err cm (n, MAE, worst) "
           "| equivalent err cm (n, MAE, worst) |", "|---|---|---|---|---|---|---|---|---|"]
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r[key]].append(r)
    for k in sorted(groups):
        g = groups[k]
        found = [r for r in g if r["found"]]
        err = [r["err_deg"] for r in found if r.get("err_deg") is not None]
        lifted = [r for r in found if r["heel_mm"] >= 8]
        down = [r for r in found if r["heel_mm"] <= 2]
        out.append(f"| {k} | {len(g)} | {len(found)} | {np.mean(np.abs(err)):.2f} | {np.max(np.abs(err)):.2f} | "
                   f"{sum(r['flagged'] for r in lifted)}/{len(lifted)} | {sum(r['flagged'] for r in down)}/{len(down)} | "
                   f"{_cells([r['err_k2w'] for r in found if 'err_k2w' in r])} | "
                   f"{_cells([r['err_equiv'] for r in found if 'err_equiv' in r])} |" if err else f"| {k} | {len(g)} | 0 | - | - | - | - | - | - |")
    return out


def tradeoff(rows: list[dict]) -> list[str]:
    """Heel reps flagged per true lift, per threshold (image readings only)."""
    kinds = [name for _, _, name in LIFT_BUCKETS_MM]
    out = ["| threshold (rise / foot length) | " + " | ".join(f"{k} mm" for k in kinds) + " |", "|---|" + "---|" * len(kinds)]
    for th in THRESHOLDS:
        cells = []
        for k in kinds:
            g = [r["flags_at"][str(th)] for r in rows if r["lift"] == k and "flags_at" in r]
            cells.append(f"{sum(g)}/{len(g)}" if g else "-")
        out.append(f"| {th:.3f} | " + " | ".join(cells) + " |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--manifest", type=Path)
    ap.add_argument("--split", choices=["fit", "report"])
    ap.add_argument("--thresholds", action="store_true")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    prepare_cache_dir(a.cache)
    keep = None
    if a.manifest and a.split:
        keep = {c["id"] for c in json.loads(a.manifest.read_text())["clips"] if c["split"] == a.split}
    rows: list[dict] = []
    for d in a.dirs:
        for video in sorted(d.glob("*.mp4")):
            if not video.with_suffix(".json").exists() or (keep is not None and video.stem not in keep):
                continue
            truth, result, analysis = analyse(video, a.cache)
            rows += score(video.stem, truth, result, analysis)
            print(f"{video.stem}: {len(truth['reps'])} true reps, {len(result.get('reps', []))} found", flush=True)
    lines = [f"{len({r['clip'] for r in rows})} clips, {len(rows)} true reps", ""]
    for key in ("marker", "lift", "near", "roll", "peak", "clothes"):
        lines += table(rows, key) + [""]
    if a.thresholds:
        lines += tradeoff(rows)
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        a.out.write_text(text)


if __name__ == "__main__":
    main()
