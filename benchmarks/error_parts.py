"""Split each valid rep's error (ours - truth at the peak) into its parts from the render's truth (issue 19/22: where it comes from).

    python benchmarks/error_parts.py rows /work/renders/<set> --cache /work/cache/<set> --scores DIR --json OUT.json [--only r001,...]
    python benchmarks/error_parts.py table OUT.json [OUT.json ...] [--by resolution,light,...] [--all-matched]

`rows` re-analyses each clip from its landmark cache (as score_renders does) and, for every matched rep of DIR/scores.json
(a score_renders output on the same code), splits ours - truth exactly into five parts, each a mean over the rep's hold
frames (the rep's angle is the median of its in-plane angle over them):

- line:     our in-plane angle of our image shin line minus the same reading of the truth's joint-centre line (joints_2d):
            what the landmarks / outline got wrong in the picture;
- vertical: the truth's line against our vertical at the ankle (the roll, or the sheet's / room's homography's vertical
            there) minus it against the world's vertical projected at the ankle (the truth's local vertical);
- plane:    our leg-plane correction of the truth's line (homography reading minus the reading against our vertical: 0
            without a homography) minus the one needed (truth's sagittal angle minus its reading against the local vertical):
            the turn's foreshortening left in;
- summary:  the rep's angle (median over the hold) minus the hold's mean in-plane angle;
- timing:   the truth's mean angle over our hold frames minus the truth's peak (our hold off the truth's peak).

Each row also holds line_at_rest, the line part on the leg's rest frames between reps (the standing reference the
outline's turn is added to: kinematics.shank_rotation.turned_angles_deg), and chain_check, the largest gap over the hold
between this tool's reading of the product's own drawn shin line and the product's per-frame angle (0: the parts are
read through the product's own geometry).

`table` prints, per condition value, each part's MAE / bias / SD and its share of the error's variance
(cov(part, error) / var(error): the shares add up to 1). Diagnosis only; nothing here changes a number.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from ankle_cv.enums import Side
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.protocol.analysis_types import Analysis, RepResult
from ankle_cv.scene.camera_geometry import forward_of, up_axis
from ankle_cv.scene.plane_angle import plane_inclination_deg
from ankle_cv.settings import Settings
from benchmarks.camera_error_parts import _project

PARTS = ("line", "vertical", "plane", "summary", "timing")
CONDITIONS = ("resolution", "light", "contrast", "vertical_source", "near_far", "bottoms", "yaw_class", "background", "marker",
              "source", "set")


def signed_angle(vec: np.ndarray, up: np.ndarray, facing: int) -> float:
    """Angle (deg) of an image vector from an image 'up' direction, + towards the wall (image_line_points' convention)."""
    u = up / np.linalg.norm(up)
    return float(np.degrees(np.arctan2(float(vec @ forward_of(u, facing)), float(vec @ u))))


def homography_up(h: np.ndarray, at_px: np.ndarray) -> np.ndarray:
    """The leg plane's vertical at an image point as the homography images it (towards its vertical vanishing point)."""
    v = h @ np.array([0.0, 1.0, 0.0])
    d = v[:2] - at_px * v[2] if abs(v[2]) > 1e-12 else v[:2]
    if abs(v[2]) > 1e-12 and v[2] < 0:
        d = -d
    return np.asarray(d if d[1] < 0 else -d, float)


def our_reading(lower: np.ndarray, upper: np.ndarray, analysis: Analysis, facing: int) -> tuple[float, np.ndarray]:
    """Our in-plane angle of an image line (lower -> upper) and our vertical at its lower end."""
    hom = analysis.camera.leg_plane_homography
    if hom is None:
        up = up_axis(analysis.camera.up)
        return signed_angle(upper - lower, up, facing), up
    h = np.asarray(hom, float).reshape(3, 3)
    return float(plane_inclination_deg(lower, upper, h, facing)[0]), homography_up(h, lower)


def _frame_reading(analysis: Analysis, i: int, truth: dict[str, Any], leg: str, facing: int, origin_s: float) -> tuple[float, ...] | None:
    """One analysed frame: our angle, the truth's line read our way, against our vertical, against the local vertical,
    the truth's angle, the raw landmarks' angle and the chain check (None without an angle or a truth frame)."""
    cam = truth["camera"]
    k, r, t = (np.asarray(cam[n], float) for n in ("K", "R", "t"))
    fr = analysis.frames
    anchor, top = analysis.front_xy["ankle_anchor"], analysis.front_xy["shin_top"]
    a = float(fr.tibial_inclination_deg[i])
    j = int(round((float(fr.times_s[i]) - origin_s) * float(cam["fps"])))
    if not np.isfinite(a) or not 0 <= j < len(truth["frames"]) or not np.isfinite(anchor[i]).all():
        return None
    tf = truth["frames"][j]
    ankle2, knee2 = (np.asarray(tf["joints_2d"][f"{leg}_{n}"], float) for n in ("ankle", "knee"))
    ankle3 = np.asarray(tf["joints_3d"][f"{leg}_ankle"], float)
    b, our_up = our_reading(ankle2, knee2, analysis, facing)
    chain = our_reading(anchor[i], top[i], analysis, facing)[0] - a if np.isfinite(top[i]).all() else float("nan")
    c = signed_angle(knee2 - ankle2, our_up, facing)
    true_up = _project(k, r, t, ankle3 + np.array([0.0, 0.0, 0.3])) - _project(k, r, t, ankle3)
    d = signed_angle(knee2 - ankle2, true_up, facing)
    return a, b, c, d, float(tf["tibial_inclination_deg"]), float(fr.landmark_inclination_deg[i]), chain


def _truth_phase(analysis: Analysis, i: int, truth: dict[str, Any], origin_s: float) -> str:
    """The truth's rep phase ('rest', 'forward', 'hold', 'back') at an analysed frame ('' outside the clip)."""
    j = int(round((float(analysis.frames.times_s[i]) - origin_s) * float(truth["camera"]["fps"])))
    return str(truth["frames"][j].get("rep_phase", "")) if 0 <= j < len(truth["frames"]) else ""


def rep_parts(analysis: Analysis, rep: RepResult, truth: dict[str, Any], origin_s: float) -> dict[str, Any] | None:
    """The five parts of one rep's error against a truth rep (None when the hold has no usable frame), and the line part
    on the leg's rest frames between reps (the shin standing: a line part there too is the standing reference's, which
    the turn is added to)."""
    facing = 1 if analysis.facing == Side.RIGHT else -1
    leg = rep.side.value
    held = [(i, x) for i in range(rep.hold_start_frame, rep.hold_end_frame + 1)
            if (x := _frame_reading(analysis, i, truth, leg, facing, origin_s)) is not None]
    if not held:
        return None
    a, b, c, d, tt, lm, chain = np.array([x for _, x in held], float).T
    srcs = [str(analysis.frames.angle_source[i]) for i, _ in held]
    rest = [x for i in np.nonzero(analysis.frames.front_side == leg)[0] if _truth_phase(analysis, int(i), truth, origin_s) == "rest"
            and (x := _frame_reading(analysis, int(i), truth, leg, facing, origin_s)) is not None]
    line_rest = float(np.mean([x[0] - x[1] for x in rest])) if rest else float("nan")
    return {
        "line": float(np.mean(a - b)), "vertical": float(np.mean(c - d)), "plane": float(np.mean((b - c) - (tt - d))),
        "summary": float(rep.tibial_inclination_deg - np.mean(a)), "true_at_hold": float(np.mean(tt)),
        "landmark_line": float(np.nanmean(lm - b)) if np.isfinite(lm - b).any() else float("nan"),
        "line_at_rest": line_rest, "truth_at_rest": float(np.mean([x[4] for x in rest])) if rest else float("nan"),
        "turn_needed": float(np.mean(tt - d)), "hold_frames": len(held),
        "chain_check": float(np.nanmax(np.abs(chain))) if np.isfinite(chain).any() else float("nan"),
        "source": max(set(srcs), key=srcs.count) or "none",
    }


def _match(reps: Iterable[RepResult], side: str, ours_deg: float) -> RepResult | None:
    """Our rep whose (rounded) angle and leg are the scored row's."""
    for rep in reps:
        if rep.side.value == side and abs(round(rep.tibial_inclination_deg, 1) - ours_deg) < 0.051:
            return rep
    return None


def clip_rows(video: Path, cache: Path, scored: dict[str, Any], set_name: str) -> list[dict[str, Any]]:
    """Every matched rep of one scored clip, with its parts and conditions."""
    truth = json.loads(video.with_suffix(".json").read_text())
    _, _, analysis, _ = measure_video_cached(video, Settings(), cache)
    origin_s = float(analysis.frames.times_s[0]) if analysis.frames.times_s.size else 0.0
    tags = scored.get("tags", {})
    truth_reps = {int(t["index"]): t for t in truth["reps"]}
    out = []
    for row in scored.get("reps", []):
        if not row.get("matched") or row.get("ours_deg") is None:
            continue
        rep = _match(analysis.reps, row["side"], float(row["ours_deg"]))
        parts = rep_parts(analysis, rep, truth, origin_s) if rep is not None else None
        if rep is None or parts is None:
            continue
        true_peak = float(truth_reps[int(row["truth_rep"])]["peak_tibial_inclination_deg"])
        parts["timing"] = parts.pop("true_at_hold") - true_peak
        error = rep.tibial_inclination_deg - true_peak
        out.append({
            "set": set_name, "clip": scored["clip"], "split": scored.get("split"), "body": row.get("body"), "rep": row["truth_rep"],
            "valid": bool(row.get("valid")), "truth": true_peak, "ours": rep.tibial_inclination_deg, "error": error,
            "residual": error - sum(parts[p] for p in PARTS), "ci95": rep.tibial_inclination_ci95_deg, **parts,
            "resolution": tags.get("resolution", "?"), "light": tags.get("light", "?"), "contrast": tags.get("contrast", "?"),
            "vertical_source": str(analysis.camera.vertical_source), "near_far": "near" if row.get("near_camera") else "far",
            "bottoms": tags.get("bottoms", "?"), "yaw_class": tags.get("yaw_class", "?"), "background": tags.get("background", "?"),
            "marker": tags.get("marker", "?"), "yaw": float(truth["camera"]["yaw_deg"]), "roll_used": analysis.camera.roll_deg,
            "homography": analysis.camera.leg_plane_homography is not None,
        })
    return out


def _share(part: np.ndarray, total: np.ndarray) -> float:
    """cov(part, total) / var(total): the part's share of the total's variance (shares over all parts add up to 1)."""
    v = float(np.var(total))
    return float(np.mean((part - part.mean()) * (total - total.mean())) / v) if v > 0 else float("nan")


def table(rows: list[dict[str, Any]], by: Iterable[str]) -> str:
    """Markdown: per condition value, the error's and each part's MAE / bias / SD and share of the error's variance."""
    head = "| group | reps | error MAE / bias / SD | " + " | ".join(f"{p}: MAE / bias / SD / share" for p in PARTS) + " |"
    out = [head, "|" + "---|" * (3 + len(PARTS))]

    def line(name: str, rs: list[dict[str, Any]]) -> str:
        e = np.array([r["error"] for r in rs])
        cells = [f"{np.mean(np.abs(e)):.2f} / {e.mean():+.2f} / {e.std():.2f}"]
        for p in PARTS:
            x = np.array([r[p] for r in rs])
            cells.append(f"{np.mean(np.abs(x)):.2f} / {x.mean():+.2f} / {x.std():.2f} / {_share(x, e):.0%}")
        return f"| {name} | {len(rs)} | " + " | ".join(cells) + " |"

    out.append(line("all", rows))
    for key in by:
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            groups.setdefault(str(r.get(key)), []).append(r)
        for name, rs in sorted(groups.items()):
            out.append(line(f"{key}={name}", rs))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: `rows` (per rep, JSON) or `table` (over earlier rows)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    rw = sub.add_parser("rows")
    rw.add_argument("render_dir", type=Path)
    rw.add_argument("--cache", type=Path, required=True)
    rw.add_argument("--scores", type=Path, required=True, help="a score_renders output folder (scores.json)")
    rw.add_argument("--json", type=Path, required=True)
    rw.add_argument("--only", default=None, help="comma-separated clip id prefixes")
    tb = sub.add_parser("table")
    tb.add_argument("rows", type=Path, nargs="+")
    tb.add_argument("--by", default=",".join(CONDITIONS))
    tb.add_argument("--all-matched", action="store_true", help="every matched rep, not only the valid ones")
    args = ap.parse_args(argv)
    if args.cmd == "table":
        rows = [r for p in args.rows for r in json.loads(p.read_text())]
        rows = rows if args.all_matched else [r for r in rows if r["valid"]]
        print(table(rows, [b for b in args.by.split(",") if b]))
        return 0
    scored = {c["clip"]: c for c in json.loads((args.scores / "scores.json").read_text())["clips"]}
    only = tuple(args.only.split(",")) if args.only else None
    rows = []
    for video in sorted(args.render_dir.glob("*.mp4")):
        if (only and not video.stem.startswith(only)) or video.stem not in scored:
            continue
        got = clip_rows(video, args.cache, scored[video.stem], args.render_dir.name)
        rows.extend(got)
        for g in got:
            print(f"{g['clip']:<40} rep {g['rep']} {'V' if g['valid'] else '-'} err {g['error']:+5.1f} = "
                  + " ".join(f"{p} {g[p]:+5.1f}" for p in PARTS) + f" (res {g['residual']:+.2f}) {g['vertical_source']}", flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
