"""Which vertical each render was measured from, and how far its roll is from the truth's (issue 22: roll must cost <= 1 deg).

    python benchmarks/vertical_survey.py /work/renders/<set> --cache /work/cache/<set> [--scores DIR] [--json F]
    python benchmarks/vertical_survey.py --table F [F...] [--room]   (the per-source table over earlier --json outputs)

For each render (its <clip>.json truth beside it): the truth's roll in RoomCamera's convention (room_fit_survey.true_tilt;
the manifest's roll_deg has the other sign), the room's level-line roll and doubt as the product reads them
(scene.room_camera.RoomView.level_roll), the room-line fit's roll and whether it is trusted, and what room_geometry would
make of the two when no sheet and no user roll set the vertical. With --scores (a score_renders output: scores.json and
results/), the vertical source and roll the product used and each matched rep's error, interval and validity. The table
gives, per vertical source: clips, roll error MAE / worst, the roll inside its own 95 % (1.96 x INTERVAL_GAIN x its
sigma: the share of the rep's interval it is given), valid reps and how many lie outside their interval. Diagnosis only.
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

from ankle_cv.enums import VerticalSource
from ankle_cv.kinematics.fitted import INTERVAL_GAIN
from ankle_cv.pose.landmarks import NOSE
from ankle_cv.protocol.interval import Z95, vertical_sigma_deg
from ankle_cv.scene import room_camera as rc
from ankle_cv.scene.camera_geometry import CameraGeometry
from benchmarks.room_fit_survey import _manifest_tags, room_view_at_start, true_tilt


def _rep_rows(clip: dict[str, Any], result: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The clip's matched reps: error, interval (from the result's rep with the same angle) and validity."""
    out = []
    reps = (result or {}).get("reps", [])
    for r in clip.get("reps", []):
        if not r.get("matched") or r.get("error_deg") is None:
            continue
        ci = next((x.get("tibial_inclination_ci95_deg") for x in reps if x.get("tibial_inclination_deg") is not None
                   and abs(x["tibial_inclination_deg"] - r["ours_deg"]) < 0.051), None)
        out.append({"error": r["error_deg"], "ci": ci, "valid": bool(r.get("valid"))})
    return out


def survey_clip(video: Path, cache: Path, tags: dict[str, Any], scored: dict[str, Any] | None,
                result: dict[str, Any] | None) -> dict[str, Any] | None:
    """One render's verticals against its truth, or None without truth or cached landmarks."""
    truth_path = video.with_suffix(".json")
    opened = room_view_at_start(video, cache) if truth_path.is_file() else None
    if opened is None:
        return None
    series, view = opened
    truth = json.loads(truth_path.read_text())
    size = (series.width, series.height)
    cam = view.camera(series)
    level = view.level_roll(series)
    room = rc.room_geometry(CameraGeometry(), cam, size, level, series.image_xy[:, NOSE, :])  # as the pipeline: the nose too
    tc = truth["camera"]
    true_pitch, true_roll = true_tilt(np.asarray(tc["R"], float))
    marker = truth.get("marker") or {}
    row: dict[str, Any] = {
        "clip": video.stem, "split": (scored or {}).get("split", tags.get("split", "?")), "true_roll": true_roll,
        "true_pitch": true_pitch, "true_yaw": float(tc["yaw_deg"]), "background": tags.get("background", "?"),
        "marker": marker.get("placement") or tags.get("marker", "none"), "body": (scored or {}).get("reps", [{}])[0].get("body")
        if (scored or {}).get("reps") else None,
        "level_roll": None if level is None else level[0], "level_sigma": None if level is None else level[1],
        "fit_roll": None if cam is None else cam.roll_deg, "fit_trusted": bool(cam is not None and cam.trusted),
        "room_source": str(room.vertical_source), "room_roll": room.roll_deg,
        "room_sigma": vertical_sigma_deg(room.vertical_source, room.roll_spread_deg, room.roll_disagreement_deg),
    }
    if result is not None:
        settings = result.get("settings", {})
        row["used_source"] = settings.get("vertical_source")
        row["used_roll"] = float(settings.get("camera_roll_deg") or 0.0)
        row["reps"] = _rep_rows(scored or {}, result)
    return row


def _sigma_of(row: dict[str, Any], key: str) -> float:
    """The vertical's 1-sigma as the interval takes it (the room's when the source is the room's; 0: the fitted gain
    holds that source's error, so the roll has no interval of its own)."""
    source = VerticalSource(row[key])
    if source == VerticalSource(row["room_source"]):
        return float(row["room_sigma"])
    return vertical_sigma_deg(source)


def table(rows: list[dict[str, Any]], used: bool = True) -> str:
    """Markdown: per vertical source (the one the product used, or with used=False the one the room alone gives: no sheet,
    no user roll), clips, roll error MAE / worst, the roll inside its own 95 % ('-' where the fitted gain holds the
    source's error), valid reps, those outside their interval and their MAE (the product's source only)."""
    key, roll = ("used_source", "used_roll") if used else ("room_source", "room_roll")
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if key in r:
            groups.setdefault(r[key], []).append(r)
    out = [f"| vertical {'used' if used else 'from the room'} | clips | roll error MAE / worst (deg) | roll within its 95 % | "
           "valid reps | valid reps outside interval | valid MAE (deg) |", "|---|---|---|---|---|---|---|"]
    for name, rs in sorted(groups.items()):
        err = np.array([r[roll] - r["true_roll"] for r in rs])
        sigma = [_sigma_of(r, key) for r in rs]
        inside = (f"{sum(abs(e) <= Z95 * INTERVAL_GAIN * s + 0.05 for e, s in zip(err, sigma))}/{len(rs)}"
                  if all(s > 0 for s in sigma) else "-")
        valid = [p for r in rs for p in r.get("reps", []) if p["valid"]] if used else []
        outside = sum(p["ci"] is not None and abs(p["error"]) > p["ci"] for p in valid)
        mae = f"{np.mean([abs(p['error']) for p in valid]):.2f}" if valid else "-"
        out.append(f"| {name} | {len(rs)} | {np.mean(np.abs(err)):.2f} / {np.max(np.abs(err)):.2f} | {inside} | "
                   f"{len(valid) if used else '-'} | {outside if used else '-'} | {mae} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: one line per render (or, with --table, the per-source table over earlier --json files)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("render_dir", type=Path, nargs="?")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--scores", type=Path, default=None, help="a score_renders output folder (scores.json, results/)")
    ap.add_argument("--only", default=None, help="comma-separated clip id prefixes")
    ap.add_argument("--table", type=Path, nargs="+", default=None, help="earlier --json outputs: print the per-source table")
    ap.add_argument("--room", action="store_true", help="with --table: group by the room's vertical, not the product's")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.table is not None:
        print(table([r for p in args.table for r in json.loads(p.read_text())], used=not args.room))
        return 0
    if args.render_dir is None or args.cache is None:
        ap.error("a render folder and --cache are needed")
    tags = _manifest_tags(args.render_dir)
    scored = {}
    if args.scores is not None and (args.scores / "scores.json").is_file():
        scored = {c["clip"]: c for c in json.loads((args.scores / "scores.json").read_text())["clips"]}
    only = tuple(args.only.split(",")) if args.only else None
    rows = []
    for video in sorted(args.render_dir.glob("*.mp4")):
        if only and not video.stem.startswith(only):
            continue
        res_path = args.scores / "results" / f"{video.stem}.json" if args.scores is not None else None
        result = json.loads(res_path.read_text()) if res_path is not None and res_path.is_file() else None
        row = survey_clip(video, args.cache, tags.get(video.stem, {}), scored.get(video.stem), result)
        if row is None:
            continue
        rows.append(row)
        lv = "-" if row["level_roll"] is None else f"{row['level_roll']:+5.1f}±{row['level_sigma']:.1f}"
        fit = "-" if row["fit_roll"] is None else f"{row['fit_roll']:+5.1f}{'T' if row['fit_trusted'] else 'u'}"
        used = f"{row.get('used_source', '?')} {row.get('used_roll', float('nan')):+5.1f}"
        print(f"{row['clip']:<40} {row['background']:<6} {row['marker']:<9} truth {row['true_roll']:+5.1f} "
              f"level {lv:<11} fit {fit:<7} room {row['room_source']} {row['room_roll']:+5.1f}  used {used}")
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
