"""Per rep of rendered clips: where the tested leg's landmark ankle sits against a near-side sheet and the foot, and how
high it truly reads (session 17, s17ankle: what tells a sheet-hidden ankle from the picture alone).

Usage:
    python benchmarks/hidden_ankle_probe.py /work/renders/<set> --cache /work/cache/<set> [--only r001,r012] [--json F]

Per rep, at the hold (medians): the landmark ankle beyond the sheet's x-span (per shank; 0 inside, NaN without an outline),
above its top edge (per shank, the edge's line extended; negative: below it), the landmark ankle above the foot's lowest heel/toe landmark
(per shank), and from the truth: the landmark ankle above the true joint along the image vertical (per shank; open view
0.077, SD 0.024) and whether the card hides the ankle/heel/toe. Diagnosis only: nothing here feeds the product.
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from pathlib import Path
from typing import Any

os.environ.setdefault("GLOG_minloglevel", "2")

import numpy as np

from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.protocol.hidden_ankle import _down_to_line
from ankle_cv.scene.marker import outline_covers_feet
from ankle_cv.settings import Settings


def _truth_index(times_s: np.ndarray, truth: dict[str, Any]) -> np.ndarray:
    """The truth frame of each analysed sample."""
    fps = float(truth["video"]["fps"])
    return np.clip(np.round((times_s - times_s[0]) * fps).astype(int), 0, len(truth["frames"]) - 1)


def probe_clip(video: Path, cache: Path | None) -> list[dict[str, Any]]:
    """One row per rep of the clip."""
    series = load_cached(cache_file(cache, video, "full")) if cache is not None else None
    _, series, a, _ = measure_video(video, Settings(), "full", series=series)
    truth = json.loads(video.with_suffix(".json").read_text())
    tidx = _truth_index(series.times_s, truth)
    up = a.camera.up if a.camera.up is not None else np.array([0.0, -1.0])
    clip_cover = np.asarray(a.camera.sheet_cover_px, float).reshape(4, 2) if a.camera.sheet_cover_px is not None else None
    rows: list[dict[str, Any]] = []
    for r in a.reps:
        leg = series.leg(r.side)
        cover = clip_cover
        if cover is None and a.camera.sheet_outline_px is not None:  # the sheet judged in the rep's own stance (protocol.sheet_cover)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                span = slice(max(r.start_frame, 0), r.end_frame + 1)
                feet_px = np.array([np.nanmedian(leg[p][span], axis=0) for p in ("heel", "toe")])
            if outline_covers_feet(a.camera.sheet_outline_px, feet_px):
                cover = np.asarray(a.camera.sheet_outline_px, float).reshape(4, 2)
        hold = np.arange(max(r.hold_start_frame, 0), max(r.hold_end_frame, r.hold_start_frame, 0) + 1)
        if r.hold_start_frame < 0:
            hold = np.array([r.peak_frame])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            knee, ankle = np.nanmedian(leg["knee"][hold], axis=0), np.nanmedian(leg["ankle"][hold], axis=0)
            heel, toe = np.nanmedian(leg["heel"][hold], axis=0), np.nanmedian(leg["toe"][hold], axis=0)
        length = float(np.linalg.norm(knee - ankle))
        frames = [truth["frames"][int(tidx[i])] for i in hold]
        ta = np.median([f["joints_2d"][f"{r.side}_ankle"] for f in frames], axis=0)
        tk = np.median([f["joints_2d"][f"{r.side}_knee"] for f in frames], axis=0)
        th = np.median([f["joints_2d"][f"{r.side}_heel"] for f in frames], axis=0)
        hides = sorted({h for f in frames for h in (f.get("card_hides") or []) if h.startswith(r.side)})
        tlen = float(np.linalg.norm(tk - ta))
        feet = np.array([heel, toe])
        sole = feet[int(np.nanargmax(feet[:, 1]))] if np.isfinite(feet[:, 1]).any() else np.full(2, np.nan)
        row: dict[str, Any] = {
            "clip": video.stem, "rep": r.index, "side": r.side, "valid": r.valid,
            "ours": round(r.tibial_inclination_deg, 2), "ci": round(r.tibial_inclination_ci95_deg, 2),
            "truth_peak": round(max(f["tibial_inclination_deg"] for f in frames), 2),
            "near": bool(truth["subject"].get("forward_leg_nearer_camera")) if r.side == truth["subject"]["forward_leg"]
            else not bool(truth["subject"].get("forward_leg_nearer_camera")),
            "L": round(length, 1), "L_true": round(tlen, 1),
            "ankle_high_true": round(float(np.dot(ankle - ta, up)) / tlen, 3),
            "ankle_fwd_px": round(float(ankle[0] - ta[0]), 1),
            "knee_err_px": round(float(np.linalg.norm(knee - tk)), 1),
            "ankle_above_sole": round(float(np.dot(ankle - sole, up)) / length, 3),
            "ankle_above_heel": round(float(np.dot(ankle - heel, up)) / length, 3),
            "true_ankle_above_heel": round(float(np.dot(ta - th, up)) / tlen, 3),
            "card_hides": hides, "cover": cover is not None, "clip_cover": clip_cover is not None,
        }
        if cover is not None and length > 0:
            xs = cover[:, 0]
            row["beyond_x"] = round(max(xs.min() - ankle[0], ankle[0] - xs.max(), 0.0) / length, 3)
            row["above_top"] = round(_down_to_line(ankle, up, cover[1], cover[2]) / length, 3)
            row["floor_below"] = round(_down_to_line(ankle, up, cover[0], cover[3]) / length, 3)
            row["sole_below_floor_px"] = round(-_down_to_line(sole, up, cover[0], cover[3]), 1)
        rows.append(row)
    return rows


def main() -> None:
    """Print one JSON line per rep; --json writes them all."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("set_dir", type=Path)
    p.add_argument("--cache", type=Path)
    p.add_argument("--only", default="")
    p.add_argument("--json", type=Path)
    args = p.parse_args()
    only = [s for s in args.only.split(",") if s]
    out: list[dict[str, Any]] = []
    for video in sorted(args.set_dir.glob("*.mp4")):
        if only and not any(video.stem.startswith(o) for o in only):
            continue
        for row in probe_clip(video, args.cache):
            print(json.dumps(row), flush=True)
            out.append(row)
    if args.json is not None:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
