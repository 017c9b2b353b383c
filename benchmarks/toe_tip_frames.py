"""Where the toe tip is found in each rest frame against the render's true toe (or shoe) tip, per tested leg (issue 22).

Usage:
    python benchmarks/toe_tip_frames.py --set /work/renders/random_v7 --cache /work/cache/random_v7 [--only r004,r009]
        [--split fit|report|all] [--json rows.json]

Why: the equivalent toe-to-wall distance is the knee's front less the toe tip; where knee-to-wall is right and the
equivalent is not, the toe is the miss. The product reads the toe tip once per leg, as the median over the leg's rest
frames (the shin near its most upright) of the silhouette's foremost point at the toes. This splits that reading's error
into where the frames were taken (a rest frame whose foot was not yet at its test place: a step-in's stance or swing)
and what the silhouette showed in frames whose foot stood at its place (a toe lost against the floor or the sheet).

Per leg (the product's own geometry after the run, `centimetres._leg_reps` wrapped as in benchmarks/distance_parts.py):
rest frames and how many of them had the foot at its test place (truth: the frame's toe distance within 0.5 cm of the
rep's), the silhouette toe's error in cm along our forward axis (+ = read behind the true tip, i.e. farther from the wall)
as the median over all rest frames (what the product reads), over the planted ones, and its frame-to-frame spread; the
proportional toe's error, and the toe contrast. Truth: the rep's `toe_to_wall_cm` (with shoes `shoe_toe_to_wall_cm`),
carried to the leg's plane (the knee joint's Y) as distance_parts does, with the product's toe_in_leg_plane.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from distance_parts import TrueCamera, _capture, _proportional_toe, marker_entries
from render_set import add_set_options

import ankle_cv.protocol.centimetres as cmod
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.protocol.distance import forward_axis
from ankle_cv.settings import Settings

PLANTED_CM = 0.5  # a frame's toe within this of the rep's own distance: the foot stands at its test place


@dataclass(frozen=True)
class LegToe:
    """One tested leg's toe reading against the truth (cm, + = read behind the true tip)."""

    clip: str
    split: str
    body: str
    placement: str
    side: str
    near_camera: bool
    shoes: bool
    loose: bool
    step_in: bool
    foot_wall: str
    rest_frames: int
    rest_planted: int
    err_rest_median: float | None  # the product's reading: median silhouette toe over all rest frames
    err_planted_median: float | None  # the same over the rest frames whose foot stood at its place
    err_planted_spread: float | None  # frame-to-frame spread (IQR/1.35) of the planted frames' errors
    err_unplanted_median: float | None
    err_proportional: float | None
    toe_contrast: float | None
    toe_source: str
    toe_true_cm: float
    cm_per_px: float = float("nan")


def _truth_index(analysis: Any, fps: float) -> np.ndarray:
    """The truth frame of each analysed frame."""
    t = np.asarray(analysis.frames.times_s, float)
    t0 = float(t[0]) if t.size else 0.0
    return np.round((t - t0) * fps).astype(int)


def _err_cm(cam: TrueCamera, g: Any, px: np.ndarray, y_leg: float, toe_true_cm: float) -> float:
    """How far a toe pixel stands behind the true tip along our forward axis (cm), in the leg's plane."""
    t3 = cam.back_project(np.asarray(px, float), np.array([0.0, 1.0, 0.0]), y_leg)
    tt = cam.project(np.array([-toe_true_cm / 100.0, y_leg, t3[2]]))
    return float((tt - np.asarray(px, float)) @ forward_axis(g.up, g.facing) * g.cm_per_px)


def _median(v: list[float]) -> float | None:
    """Median or None."""
    return round(float(np.median(v)), 3) if v else None


def clip_legs(entry: dict[str, Any], set_dir: Path, cache_dir: Path | None) -> list[LegToe]:
    """Run one clip and read each tested leg's toe frame by frame."""
    video, truth_path = set_dir / f"{entry['id']}.mp4", set_dir / f"{entry['id']}.json"
    if not (video.exists() and truth_path.exists()):
        return []
    doc = json.loads(truth_path.read_text())
    cached = load_cached(cache_file(cache_dir, video, "full")) if cache_dir is not None else None
    seen, restore = _capture()
    try:
        _, series, analysis, _ = measure_video(video, Settings(), "full", None, series=cached)
    finally:
        restore()
    cms = analysis.centimetres
    if cms is None:
        return []
    cam_doc = doc["camera"]
    cam = TrueCamera(np.asarray(cam_doc["K"], float), np.asarray(cam_doc["R"], float), np.asarray(cam_doc["t"], float).ravel())
    frames = doc["frames"]
    idx = _truth_index(analysis, float(doc["video"]["fps"]))
    tags = entry.get("tags") or {}
    legs = {c["side"]: c["leg"] for c in seen}
    size = (series.width, series.height)
    out = []
    for side, leg in legs.items():
        g = leg.touch
        t_rep = next((r for r in doc["reps"] if r["tested_leg"] == side), None)
        if t_rep is None:
            continue
        shoe = t_rep.get("shoe_toe_to_wall_cm")
        key = "shoe_toe_to_wall_cm" if shoe is not None else "toe_to_wall_cm"
        toe_true = float(shoe if shoe is not None else t_rep["toe_to_wall_cm"])
        knees = [f["joints_3d"][f"{side}_knee"][1] for f in frames if f.get("tested_leg") == side]
        y_leg = float(np.median(knees)) if knees else float(frames[0]["joints_3d"][f"{side}_knee"][1])
        rest = cmod._rest_frames(analysis, side)
        near = (side == "right") == (g.facing > 0)
        p = analysis.front_xy
        planted, unplanted = [], []
        for i in np.flatnonzero(rest):
            one = np.zeros_like(rest)
            one[i] = True
            px = cmod.toe_tip_px(series, p["toe"], p["heel"], g.facing, one)
            if not np.all(np.isfinite(px)) or not 0 <= idx[i] < len(frames):
                continue
            px = cmod.toe_in_leg_plane(px, size, g.cm_per_px, near)
            f = frames[idx[i]]
            own = f.get(key)
            e = _err_cm(cam, g, px, y_leg, toe_true)
            (planted if own is not None and abs(float(own) - toe_true) <= PLANTED_CM and f.get("front_leg") == side
             else unplanted).append(e)
        med = cmod.toe_tip_px(series, p["toe"], p["heel"], g.facing, rest)
        err_rest = (_err_cm(cam, g, cmod.toe_in_leg_plane(med, size, g.cm_per_px, near), y_leg, toe_true)
                    if np.all(np.isfinite(med)) else None)
        q = np.percentile(planted, [25, 75]) if len(planted) >= 4 else None
        contrast = getattr(leg.geometry, "toe_contrast", float("nan"))
        out.append(LegToe(
            clip=entry["id"], split=entry.get("split", ""), body=entry.get("body", ""), placement=str(tags.get("marker")),
            side=side, near_camera=near, shoes=bool(tags.get("shoes")), loose=tags.get("bottoms") == "loose",
            step_in=bool(tags.get("step_in")), foot_wall=str(tags.get("foot_wall", "")), rest_frames=int(rest.sum()),
            rest_planted=len(planted), err_rest_median=None if err_rest is None else round(err_rest, 3),
            err_planted_median=_median(planted), err_planted_spread=None if q is None else round(float(q[1] - q[0]) / 1.35, 3),
            err_unplanted_median=_median(unplanted),
            err_proportional=round(_err_cm(cam, g, _proportional_toe(g), y_leg, toe_true), 3),
            toe_contrast=None if not np.isfinite(contrast) else round(float(contrast), 1),
            toe_source=f"sd{g.toe_sd_cm:.2f}", toe_true_cm=round(toe_true, 2), cm_per_px=round(float(g.cm_per_px), 4),
        ))
    return out


def table(rows: list[LegToe]) -> str:
    """One markdown row per leg."""
    def f(v: float | None) -> str:
        return "–" if v is None else f"{v:+.2f}"

    out = ["| clip | leg | shoes/loose/step-in | foot_wall | rest (planted) | toe err: rest median | planted | spread | "
           "unplanted | proportions | contrast | cm/px |", "|---" * 12 + "|"]
    for r in rows:
        kind = "/".join(k for k, on in (("shoes", r.shoes), ("loose", r.loose), ("step-in", r.step_in)) if on) or "bare"
        out.append(f"| {r.clip} | {r.side[0]}{'n' if r.near_camera else 'f'} | {kind} | {r.foot_wall} | {r.rest_frames} "
                   f"({r.rest_planted}) | {f(r.err_rest_median)} | {f(r.err_planted_median)} | {f(r.err_planted_spread)} | "
                   f"{f(r.err_unplanted_median)} | {f(r.err_proportional)} | "
                   f"{'–' if r.toe_contrast is None else f'{r.toe_contrast:.0f}'} | {r.cm_per_px:.2f} |")
    return "\n".join(out)


def families(rows: list[LegToe]) -> str:
    """The toe readings' errors by clip family: n, median, within +-1 cm, for the outline (all rest frames, planted ones) and
    for the proportional toe."""
    def cell(v: list[float | None]) -> str:
        a = np.array([x for x in v if x is not None], float)
        return "–" if not a.size else f"{np.median(a):+.2f} / {int((np.abs(a) <= 1.0).sum())}/{a.size}"

    groups: dict[str, list[LegToe]] = {}
    for r in rows:
        if r.placement == "side_near":
            continue  # the sheet stands before the toes: no toe is read
        for name in (f"{r.placement}", "shoes" if r.shoes else "bare", "loose" if r.loose else "not loose",
                     "step-in" if r.step_in else "lunge stance", "near" if r.near_camera else "far", "all"):
            groups.setdefault(name, []).append(r)
    out = ["| family | legs | outline, rest frames: median / within ±1 | outline, planted frames | proportions |", "|---" * 5 + "|"]
    order = ["all", "side_far", "floor", "shoes", "bare", "loose", "not loose", "step-in", "lunge stance", "near", "far"]
    for name, rs in sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        out.append(f"| {name} | {len(rs)} | {cell([r.err_rest_median for r in rs])} | {cell([r.err_planted_median for r in rs])} | "
                   f"{cell([r.err_proportional for r in rs])} |")
    return "\n".join(out)


def main() -> int:
    """Run the clips with a marker, print one row per leg, optionally save them as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    ap.add_argument("--from-json", type=Path, nargs="*", help="print the tables of saved rows instead of running clips")
    args = ap.parse_args()
    if args.from_json:
        names = set(LegToe.__dataclass_fields__)
        saved = [LegToe(**{k: v for k, v in r.items() if k in names}) for f in args.from_json for r in json.loads(f.read_text())]
        print(table(saved))
        print()
        print(families(saved))
        return 0
    rows: list[LegToe] = []
    for entry in marker_entries(args.set, args.split, args.only):
        rows.extend(clip_legs(entry, args.set, args.cache))
        print(f"{entry['id']} done", file=sys.stderr)
    print(table(rows))
    print()
    print(families(rows))
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
