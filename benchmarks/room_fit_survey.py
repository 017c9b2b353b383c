"""Survey the room-line camera fit's pitch, roll and focal against the renders' true camera (is its tilt's sign ever wrong?).

    python benchmarks/room_fit_survey.py /work/renders/<set> --cache /work/cache/<set> [--results DIR/results] [--json F]

For each render (its <clip>.json truth beside it): the room fit as the product makes it (scene.room_camera.RoomView on
the first frame, lines off the person: `room_fit_parts.py` does the same for one clip with the marker's share), whether
it is trusted, and, from a score_renders run's results/<clip>.json when given, the vertical source the product used. Both
cameras use one convention (pitch + looking down; the truth's R confirms it: a camera at 0.43 m aimed at 0.92 m has
pitch -11.6). The horizon row (where the floor's points end: legs.FloorView) is cy - f tan(pitch), so a pitch read
right from the uprights' convergence at a wrong focal still puts the horizon in the wrong row. Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from ankle_cv.kinematics.legs import FloorView
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.pose.landmarks import LEFT_HEEL, LEFT_TOE, RIGHT_HEEL, RIGHT_TOE, PoseSeries
from ankle_cv.scene import room_camera as rc

PITCH_BAD_DEG = 3.0  # a tilt this far off is reported apart from the fine ones


def _manifest_tags(render_dir: Path) -> dict[str, dict[str, Any]]:
    """Each clip's tags from the set's manifest (empty for sets without one)."""
    path = render_dir / "manifest.json"
    if not path.is_file():
        return {}
    return {c["id"]: c.get("tags", {}) for c in json.loads(path.read_text()).get("clips", [])}


def horizon_row(pitch_deg: float, focal_px: float, cy: float) -> float:
    """The image row of the floor's horizon at the centre column for a camera pitched pitch_deg (+ down), roll ignored."""
    return cy - focal_px * math.tan(math.radians(pitch_deg))


def true_tilt(r: np.ndarray) -> tuple[float, float]:
    """The truth's pitch (+ looking down) and roll (+ the true vertical leaning right in the image) from its world ->
    camera R, in RoomCamera's conventions (the manifest's roll_deg has the other sign)."""
    pitch = float(np.degrees(-np.arcsin(np.clip(r[2, 2], -1.0, 1.0))))  # the optical axis' rise, negated
    up = r[:2, 2]  # the world's up in the camera's x, y
    return pitch, float(np.degrees(np.arctan2(up[0], -up[1])))


def feet_above_horizon(cam: rc.RoomCamera, series: PoseSeries) -> float:
    """The share of the heels' and toes' landmarks over the first ROOM_PERSON_FRAMES frames that the fit puts above the
    floor's horizon (legs.FloorView gives them no floor point): a fit with the standing feet above its horizon is
    impossible, whatever its lines say (NaN without feet)."""
    feet = series.image_xy[: rc.ROOM_PERSON_FRAMES, [LEFT_HEEL, RIGHT_HEEL, LEFT_TOE, RIGHT_TOE]].reshape(-1, 2)
    feet = feet[np.isfinite(feet).all(axis=1)]
    if feet.size == 0:
        return float("nan")
    return float(np.mean(~np.isfinite(FloorView(cam.rotation, cam.focal_px, cam.centre_px).floor_points(feet)[:, 1])))


def room_view_at_start(video: Path, cache: Path) -> tuple[PoseSeries, rc.RoomView] | None:
    """The clip's cached landmarks and a RoomView on its first frame, as the analysis builds it (None: no cache or frame)."""
    entry = cache_file(cache, video, "full")
    series = load_cached(entry) if entry is not None else None
    if series is None:
        return None
    cap = cv2.VideoCapture(str(video))
    ok, bgr = cap.read()
    cap.release()
    if not ok:
        return None
    view = rc.RoomView((series.width, series.height))
    view.gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    view.scale = series.width / view.gray.shape[1]
    return series, view


def survey_clip(video: Path, cache: Path, results: Path | None, tags: dict[str, Any]) -> dict[str, Any] | None:
    """One render's fit against its truth, or None without truth or cached landmarks."""
    truth_path = video.with_suffix(".json")
    if not truth_path.is_file():
        return None
    truth = json.loads(truth_path.read_text())
    opened = room_view_at_start(video, cache)
    if opened is None:
        return None
    series, view = opened
    size = (series.width, series.height)
    cam = view.camera(series)
    tc = truth["camera"]
    scale = size[0] / float(tc["width"])
    true_focal = float(tc["K"][0][0]) * scale
    cy = (size[1] - 1) / 2.0
    marker = truth.get("marker") or {}
    true_pitch, true_roll = true_tilt(np.asarray(tc["R"], float))
    row: dict[str, Any] = {
        "clip": video.stem, "true_pitch": true_pitch, "true_roll": true_roll, "manifest_roll": float(tc["roll_deg"]),
        "true_yaw": float(tc["yaw_deg"]), "true_focal_ls": true_focal / max(size), "cam_height_m": float(tc["position"][2]),
        "background": tags.get("background", "?"), "marker": marker.get("placement") or tags.get("marker", "none"),
        "true_horizon": horizon_row(true_pitch, true_focal, cy), "height_px": size[1],
    }
    if cam is not None:
        row.update(fit_pitch=cam.pitch_deg, fit_roll=cam.roll_deg, fit_yaw=cam.yaw_deg, fit_focal_ls=cam.focal_px / max(size),
                   trusted=cam.trusted, fit_horizon=horizon_row(cam.pitch_deg, cam.focal_px, cy), support=list(cam.support),
                   distinct_lines=cam.distinct_lines, feet_above_horizon=feet_above_horizon(cam, series))
    if results is not None and (results / f"{video.stem}.json").is_file():
        settings = json.loads((results / f"{video.stem}.json").read_text()).get("settings", {})
        row["used_source"] = settings.get("vertical_source")
    return row


def verdict(row: dict[str, Any]) -> str:
    """'sign' when the fit tilts the other way from the truth (both beyond 1 deg), 'off' beyond PITCH_BAD_DEG, else 'fine'."""
    fit, true = row["fit_pitch"], row["true_pitch"]
    if abs(fit) > 1.0 and abs(true) > 1.0 and np.sign(fit) != np.sign(true):
        return "sign"
    return "off" if abs(fit - true) > PITCH_BAD_DEG else "fine"


def _height_bin(h: float) -> str:
    """The camera's height class (m)."""
    return "< 0.6 m" if h < 0.6 else "0.6-0.9 m" if h < 0.9 else ">= 0.9 m"


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: per background, camera height and marker, the trusted fits' pitch verdicts (sign / off / fine), their
    pitch and roll errors, and how many untrusted fits tilt the wrong way (never used: room_geometry takes no pitch)."""
    groups: dict[str, list[dict[str, Any]]] = {"all": rows}
    for r in rows:
        for key in (f"background {r['background']}", f"camera {_height_bin(r['cam_height_m'])}", f"marker {r['marker']}"):
            groups.setdefault(key, []).append(r)
    out = ["| group | trusted fits | sign wrong | pitch off > 3 deg | fine | pitch error median / max (deg) | horizon error "
           "median / max (% of height) | roll error max (deg) | untrusted: sign wrong / all |", "|---|---|---|---|---|---|---|---|---|"]
    for name, rs in sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        t = [r for r in rs if r["trusted"]]
        u = [r for r in rs if not r["trusted"]]
        pe = [abs(r["fit_pitch"] - r["true_pitch"]) for r in t]
        he = [100.0 * abs(r["fit_horizon"] - r["true_horizon"]) / r["height_px"] for r in t]
        re = [abs(r["fit_roll"] - r["true_roll"]) for r in t]
        count = {v: sum(r["verdict"] == v for r in t) for v in ("sign", "off", "fine")}
        stats = (f"{np.median(pe):.1f} / {max(pe):.1f} | {np.median(he):.1f} / {max(he):.1f} | {max(re):.1f}" if t else "- | - | -")
        out.append(f"| {name} | {len(t)} | {count['sign']} | {count['off']} | {count['fine']} | {stats} | "
                   f"{sum(r['verdict'] == 'sign' for r in u)} / {len(u)} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: one line per clip with a fit (or, with --table, the table over earlier --json files)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("render_dir", type=Path, nargs="?")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--table", type=Path, nargs="+", default=None, help="earlier --json outputs: print the verdict table")
    ap.add_argument("--results", type=Path, default=None, help="a score_renders run's results/ folder (the source used)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.table is not None:
        print(table([r for p in args.table for r in json.loads(p.read_text())]))
        return 0
    if args.render_dir is None or args.cache is None:
        ap.error("a render folder and --cache are needed")
    tags = _manifest_tags(args.render_dir)
    rows = []
    for video in sorted(args.render_dir.glob("*.mp4")):
        row = survey_clip(video, args.cache, args.results, tags.get(video.stem, {}))
        if row is None or "fit_pitch" not in row:
            continue
        row["verdict"] = verdict(row)
        rows.append(row)
        print(f"{row['clip']:<40} {row['background']:<6} h {row['cam_height_m']:.2f} {row['marker']:<9} "
              f"pitch {row['fit_pitch']:+6.1f} / {row['true_pitch']:+6.1f}  roll {row['fit_roll']:+5.1f} / {row['true_roll']:+5.1f}  "
              f"focal {row['fit_focal_ls']:.2f} / {row['true_focal_ls']:.2f}  horizon {row['fit_horizon']:7.0f} / {row['true_horizon']:7.0f}  "
              f"feet above {row['feet_above_horizon']:.2f}  trusted {row['trusted']!s:<5} used {row.get('used_source', '?')}  {row['verdict']}")
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
