"""The inclinometer-equivalent angle against its references: rendered skin truth and the real annotators' front edge.

  python benchmarks/inclinometer_equivalent.py renders CLIP.mp4 ... --shin-truth DIR [--cache DIR] [--json OUT]
      per rep: ours (hold median) against the body model's skin outline over the same stretch of the shank
      (benchmarks/shin_truth.py clips ...), the 95 % interval's coverage, the joint-centre angle against its truth,
      the person's edge-minus-axis offset and the category by each definition
  python benchmarks/inclinometer_equivalent.py real ../shared/real [--cache DIR] [--json OUT]
      per annotated frame: ours at the nearest analysed frame against the mean of the annotators' front-edge
      lines (T1-T2), within max(2 deg, 2 x their SD); where the annotators saw no front edge, ours must be absent

Landmarks are tracked once per clip and kept in --cache (any `<stem>.*.npz` or `<folder>__<stem>.npz` there is
used as is). Markdown tables go to stdout.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from ankle_cv.kinematics.fitted import LANDMARK_ANKLE_HIGH, LANDMARK_SHANK_RATIO
from ankle_cv.kinematics.inclinometer import outline_angle
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.landmarks import PoseSeries, load_series, save_series
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.protocol.norms import category_for_deg
from ankle_cv.settings import Settings

TRUTH_SPAN_KEY = "edge_lsq_incl15_0.40_0.74"  # the device's stretch, as ankle_cv.kinematics.inclinometer.DEVICE_SPAN


def _analyse(video: Path, cache: Path | None) -> tuple[PoseSeries, Analysis]:
    """measure_video with landmarks from the cache when there (tracked and stored otherwise)."""
    series = None
    found: list[str] = []
    if cache is not None:
        found = sorted(glob.glob(str(cache / f"{video.stem}.*.npz"))) + sorted(glob.glob(str(cache / f"*__{video.stem}.npz")))
        if found:
            series = load_series(found[0])
    _, series, analysis, _ = measure_video(video, Settings(), "full", series=series)
    if cache is not None and not found:
        cache.mkdir(parents=True, exist_ok=True)
        save_series(series, str(cache / f"{video.stem}.i21.npz"))
    return series, analysis


def _fmt(v: float | None, digits: int = 1) -> str:
    return "—" if v is None or not np.isfinite(v) else f"{v:.{digits}f}"


def renders(args: argparse.Namespace) -> list[dict[str, Any]]:
    """One row per rendered rep with a valid truth."""
    rows = []
    for path in args.clips:
        video = Path(path)
        truth = json.loads(video.with_suffix(".json").read_text())
        shin_path = Path(args.shin_truth) / f"{video.stem}.shin.json"
        if not shin_path.exists():
            print(f"{video.stem}: no shin truth in {args.shin_truth} (benchmarks/shin_truth.py clips ...)", file=sys.stderr)
            continue
        shin = {r["frame"]: r for r in json.loads(shin_path.read_text())["frames"]}
        _, analysis = _analyse(video, Path(args.cache) if args.cache else None)
        stride = max(1, round(truth["video"]["fps"] / (1.0 / float(np.median(np.diff(analysis.frames.times_s))))))
        for t in truth["reps"]:
            hold = [shin[f] for f in range(t["hold_start_frame"], t["hold_end_frame"] + 1) if f in shin]
            if not hold:
                continue
            true_incl = float(np.median([h[TRUTH_SPAN_KEY] for h in hold]))
            true_axis = float(np.median([h["axis_deg"] for h in hold]))
            ours = min(analysis.reps, key=lambda r: abs(r.peak_s - t["peak_time_s"]), default=None)
            if ours is None or abs(ours.peak_s - t["peak_time_s"]) > 1.5:
                ours = None
            half = ours.inclinometer_equivalent_ci95_deg if ours else None
            value = ours.inclinometer_equivalent_deg if ours else float("nan")
            ci = (value - half, value + half) if half is not None else None
            rows.append({
                "clip": video.stem, "rep": t["index"], "leg": t["tested_leg"], "heel_mm": t["max_heel_height_mm"],
                "true_axis_deg": true_axis, "true_incl_deg": true_incl, "true_offset_deg": true_incl - true_axis,
                "ours_axis_deg": ours.tibial_inclination_deg if ours else None, "ours_incl_deg": value,
                "ci95": list(ci) if ci else None, "covered": bool(ci and ci[0] <= true_incl <= ci[1]),
                "reason": ours.inclinometer_unread_reason if ours else "rep not found",
                "stride": stride,
            })
    print("| clip | rep | truth: joint-centre / inclinometer-eq. (offset) | ours: joint-centre / inclinometer-eq. [95 % interval] | error | covered |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        err = r["ours_incl_deg"] - r["true_incl_deg"] if np.isfinite(r["ours_incl_deg"]) else float("nan")
        ci = f"[{r['ci95'][0]:.1f}, {r['ci95'][1]:.1f}]" if r["ci95"] else (r["reason"] or "—")
        print(f"| {r['clip']} | {r['rep']} | {r['true_axis_deg']:.1f} / {r['true_incl_deg']:.1f} ({r['true_offset_deg']:+.1f}) | "
              f"{_fmt(r['ours_axis_deg'])} / {_fmt(r['ours_incl_deg'])} {ci} | {_fmt(err)} | {'yes' if r['covered'] else 'no'} |")
    measured = [r for r in rows if np.isfinite(r["ours_incl_deg"])]
    if measured:
        e = np.array([r["ours_incl_deg"] - r["true_incl_deg"] for r in measured])
        cov = np.mean([r["covered"] for r in measured])
        flips_axis = sum(category_for_deg(r["true_axis_deg"]) != category_for_deg(r["true_incl_deg"]) for r in rows)
        flips_ours = sum(category_for_deg(r["ours_incl_deg"]) != category_for_deg(r["true_incl_deg"]) for r in measured)
        print(f"\nmeasured {len(measured)} of {len(rows)} reps: MAE {np.mean(np.abs(e)):.2f}°, bias {np.mean(e):+.2f}°, "
              f"95 % limits {np.mean(e) - 1.96 * np.std(e, ddof=1):+.2f}…{np.mean(e) + 1.96 * np.std(e, ddof=1):+.2f}°, "
              f"worst {np.max(np.abs(e)):.2f}°, interval coverage {100 * cov:.0f} %")
        offs = np.array([r["true_offset_deg"] for r in rows])
        print(f"truth's edge-minus-axis offset over these reps: median {np.median(offs):.1f}°, range {offs.min():.1f}…{offs.max():.1f}°; "
              f"category by the joint-centre angle differs from the inclinometer-equivalent truth's in {flips_axis} of {len(rows)} reps; "
              f"ours differs from it in {flips_ours} of {len(measured)}")
    return rows


def _edge_deg(p: list[list[float]], facing: int) -> float:
    (x1, y1), (x2, y2) = sorted(p, key=lambda q: q[1])
    return math.degrees(math.atan2(facing * (x1 - x2), y2 - y1))


ANNOTATED_SPAN = (0.25, 0.78)  # where the annotators' T1 and T2 lie along the shank (../shared/real PROTOCOL.md)


def _over_span(series: PoseSeries, a: Analysis, i: int, facing: int, span: tuple[float, float]) -> float:
    """Our outline at frame i over another stretch (image vertical; the same joint placement as the product's)."""
    side = a.frames.front_side[i]
    if not side or series.mask_rows_y is None:
        return float("nan")
    edge = (series.mask_right_x if facing > 0 else series.mask_left_x)[i]
    length = float(a.shank_length_px)
    ankle = series.leg(side)["ankle"][i] + np.array([0.0, LANDMARK_ANKLE_HIGH * length])
    axis = float(a.frames.tibial_inclination_deg[i])
    return outline_angle(edge.astype(float), series.mask_rows_y.astype(float), ankle, axis, length / LANDMARK_SHANK_RATIO, facing, span)[0]


def real(args: argparse.Namespace) -> list[dict[str, Any]]:
    """One row per annotated frame."""
    folder = Path(args.folder)
    ann = json.loads((folder / "annotations.json").read_text())
    rows = []
    analyses: dict[str, tuple[PoseSeries, Analysis]] = {}
    for f in ann["frames"]:
        clip = ann["clips"][f["clip"]]
        facing = 1 if clip["facing"] == "right" else -1
        if f["clip"] not in analyses:
            analyses[f["clip"]] = _analyse(folder / "clips" / clip["file"], Path(args.cache) if args.cache else None)
        series, a = analyses[f["clip"]]
        edges = [_edge_deg(x["shin_front_px"], facing) for x in f["annotators"].values() if x.get("shin_front_px")]
        i = int(np.argmin(np.abs(a.frames.times_s - f["time_s"])))
        inc = a.frames.inclinometer_equivalent_deg
        ours = float(inc[i]) if inc is not None and abs(a.frames.times_s[i] - f["time_s"]) < 0.05 else float("nan")
        ref = float(np.mean(edges)) if edges else None
        wide = _over_span(series, a, i, facing, ANNOTATED_SPAN) if np.isfinite(ours) else float("nan")
        sd = float(np.std(edges, ddof=1)) if len(edges) > 1 else None
        tol = max(2.0, 2 * sd) if sd is not None else 2.0
        rows.append({
            "clip": f["clip"], "frame": f["frame_index"], "test_like": clip["test_like"], "ref_edge_deg": ref, "ref_sd_deg": sd,
            "n_edges": len(edges), "ref_axis_deg": f["reference"]["tibial_inclination_deg"], "ours_deg": ours,
            "ours_axis_deg": float(a.frames.tibial_inclination_deg[i]), "ours_annotated_span_deg": wide,
            "within": bool(ref is not None and np.isfinite(ours) and abs(ours - ref) <= tol),
            "tolerance_deg": tol,
        })
    print("| clip | frame | annotators' front edge (SD, n) | their knee–ankle | ours: inclinometer-eq. (0.40–0.74) | error | within max(2°, 2 SD) | ours over their stretch (0.25–0.78) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        ref = f"{r['ref_edge_deg']:.1f} ({r['ref_sd_deg']:.1f}, {r['n_edges']})" if r["ref_edge_deg"] is not None else "hidden (no edge marked)"
        err = r["ours_deg"] - r["ref_edge_deg"] if r["ref_edge_deg"] is not None and np.isfinite(r["ours_deg"]) else float("nan")
        ok = "yes" if r["within"] else ("— (refused, edge hidden)" if r["ref_edge_deg"] is None and not np.isfinite(r["ours_deg"])
                                         else "no (confident where hidden)" if r["ref_edge_deg"] is None else "not measured" if not np.isfinite(r["ours_deg"]) else "no")
        print(f"| {r['clip']} | {r['frame']} | {ref} | {r['ref_axis_deg']:.1f} | {_fmt(r['ours_deg'])} | {_fmt(err)} | {ok} | {_fmt(r['ours_annotated_span_deg'])} |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("renders")
    r.add_argument("clips", nargs="+")
    r.add_argument("--shin-truth", required=True)
    r.add_argument("--cache")
    r.add_argument("--json")
    q = sub.add_parser("real")
    q.add_argument("folder")
    q.add_argument("--cache")
    q.add_argument("--json")
    args = ap.parse_args()
    rows = renders(args) if args.cmd == "renders" else real(args)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
