"""Where the tested leg's floor point lies against the upright sheet's outline, on renders with a side sheet (issue 22).

Usage:
    python benchmarks/sheet_depth.py --set /work/renders/random_v6 --cache /work/cache/random_v6 [--only r003,r010]

Why: the sheet's depth against the leg (its scale and the wall's point in the leg's plane) comes from the leg's floor point,
the sole's contact nearest the camera. A sheet standing between the camera and the foot hides that contact; the point
read is then the outline's cut at the sheet's top edge, and the leg is put far behind the sheet (random_v6 r003: 58 cm
instead of 13, knee-to-wall -4.4 cm). Per leg this prints, in pixels of drop below the horizon measured from the sheet's
floor line at the point's column: the point read (before it is moved back to the leg's plane), the true contact (the
true ankle's floor point moved forward by the product's own SOLE_CONTACT_NEARER_CM), and the sheet's top edge, and the
distance ratio D_sheet / D_leg the product took against the truth's.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

import ankle_cv.protocol.centimetres as cmod
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.scene.marker import _level, contact_hidden_px, sheet_outline_px
from ankle_cv.settings import Settings


def _project(doc: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """Pixel of a world point through the render's camera."""
    cam = doc["camera"]
    c = np.asarray(cam["K"], float) @ (np.asarray(cam["R"], float) @ x + np.asarray(cam["t"], float).ravel())
    return c[:2] / c[2]


def _depth(doc: dict[str, Any], x: np.ndarray) -> float:
    """A world point's depth along the render camera's axis (m)."""
    cam = doc["camera"]
    return float((np.asarray(cam["R"], float) @ x + np.asarray(cam["t"], float).ravel())[2])


def clip_rows(video: Path, doc: dict[str, Any], cache: Path | None) -> list[str]:
    """One line per call of the sheet's scale (a leg, or its second try)."""
    calls: list[dict[str, Any]] = []
    original = cmod.marker_scale

    def wrapped(fit: Any, track: Any, facing: int, leg_floor_px: Any, image_size: Any, *a: Any, **k: Any) -> Any:
        out = original(fit, track, facing, leg_floor_px, image_size, *a, **k)
        calls.append({"fit": fit, "facing": facing, "floor": np.asarray(leg_floor_px, float), "size": image_size, "scale": out,
                      "nearer": a[0] if a else k.get("floor_nearer_cm")})
        return out

    cmod.marker_scale = wrapped
    try:
        cached = load_cached(cache_file(cache, video, "full")) if cache is not None else None
        measure_video(video, Settings(), "full", None, series=cached)
    finally:
        cmod.marker_scale = original
    rows = []
    marker = doc["marker"]
    sheet_3d = np.asarray(marker["corners_3d"][3], float)
    for call in calls:
        fit, facing, floor = call["fit"], call["facing"], call["floor"]
        w, h = call["size"]
        up = fit.up
        horizon = _level(np.array([(w - 1) / 2.0, (h - 1) / 2.0]), up)[1]
        outline = sheet_outline_px(fit, facing)
        a, b = outline[0], outline[3]
        t = (floor[0] - a[0]) / (b[0] - a[0]) if b[0] != a[0] else 0.0
        bottom = a + t * (b - a)
        top = outline[1] + t * (outline[2] - outline[1])
        legs = []
        for leg in doc["subject"]["legs_tested"]:
            ank = np.asarray(doc["frames"][0]["joints_3d"][f"{leg}_ankle"], float)
            nearer = doc["subject"]["legs"][leg]["nearer_camera"]
            cam_y = float(doc["camera"]["position"][1])
            toward = np.sign(cam_y - ank[1])
            contact = np.array([ank[0], ank[1] + toward * float(call["nearer"] or 0.0) / 100.0, 0.0])
            true_px = _project(doc, contact)
            ratio = _depth(doc, np.array([sheet_3d[0], sheet_3d[1], 0.0])) / _depth(doc, np.array([sheet_3d[0], ank[1], 0.0]))
            legs.append((leg, nearer, true_px, ratio))
        ours_ratio = float(call["scale"].details.get("leg_to_sheet_distance_ratio", float("nan")))
        leg, nearer, true_px, ratio = min(legs, key=lambda x: abs(x[2][0] - floor[0]))

        def drop(p: np.ndarray, up: np.ndarray = up, horizon: float = horizon) -> float:
            return float(_level(p, up)[1] - horizon)

        rows.append(f"{video.stem[:32]:32s} {leg[:1]} {'near' if nearer else 'far '} hidden {contact_hidden_px(fit, facing, floor):5.1f} px | "
                    f"above the sheet's floor line (px): read {drop(bottom) - drop(floor):6.1f} true {drop(bottom) - drop(true_px):6.1f} "
                    f"sheet top {drop(bottom) - drop(top):6.1f} | ratio ours {ours_ratio:.4f} true {ratio:.4f} | sheet drop {drop(bottom):.0f} px")
    return rows


def main() -> int:
    """Print the rows for a set's side-sheet clips."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", type=Path, required=True)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    only = [s for s in args.only.split(",") if s]
    for truth in sorted(args.set.glob("r*.json")):
        if only and not any(truth.stem.startswith(o) for o in only):
            continue
        doc = json.loads(truth.read_text())
        if (doc.get("marker") or {}).get("placement") != "side":
            continue
        for row in clip_rows(truth.with_suffix(".mp4"), doc, args.cache):
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
