"""Why an upright side sheet's scale misses in the leg's plane: the depth ratio's inputs against the renders' truth (issue 22).

Usage:
    python benchmarks/sheet_scale_parts.py --set /work/renders/random_v7 --cache /work/cache/random_v7 [--only r004,r019]
        [--json out.json]

Why: the scale in the tested leg's plane is the sheet's own (px per cm along its marker) times the distance ratio
r = D_sheet / D_leg, read from the drops below the horizon of the sheet's floor corner and of the leg's floor point
(`scene.marker.marker_scale`). The horizon is taken through the picture's centre (a level camera), the floor point is the
sole's contact moved back by SOLE_CONTACT_NEARER_CM. Each of those can miss; per leg this prints the ratio the product took
and the ratio it would take with one input replaced by its true value:
    horizon   the true horizon row (the floor's vanishing line through the renderer's camera) instead of the centre's;
    floor     the true contact (the true ankle's floor point moved towards the camera by the product's own nearer-cm)
              instead of the one read from the outline;
    both      the two together;
and the ratios the distances need: the true depth of the marker's centre over the leg plane's (the tested knee's Y over its
holds) at the floor below the knee, and at the knee's height (the knee is measured there; the toe at the floor). Errors are
in % of the ratio (+ = the product's ratio reads the leg farther away, the scale too coarse, distances too long).
Also printed: the camera's true pitch (+ = looking up), the pitch the product read off the sheet (same sign), the sheet's
depth beyond the leg, and the product's final scale (at the knee's height) against the true one at the knee, with its
1-sigma (%).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from render_set import add_set_options, set_clips

import ankle_cv.protocol.centimetres as cmod
import ankle_cv.scene.marker as marker_module
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.scene.marker import _distance_cm, _level, front_bottom_px
from ankle_cv.settings import Settings

sheet_pitch = getattr(marker_module, "sheet_pitch", None)  # absent before session 20 (the script also runs on older code)


def _cam(doc: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """K, R, t of the render's camera."""
    c = doc["camera"]
    return np.asarray(c["K"], float), np.asarray(c["R"], float), np.asarray(c["t"], float).ravel()


def _project(doc: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """Pixel of a world point."""
    k, r, t = _cam(doc)
    c = k @ (r @ np.asarray(x, float) + t)
    return c[:2] / c[2]


def _depth(doc: dict[str, Any], x: np.ndarray) -> float:
    """A world point's depth along the camera's axis (m)."""
    _, r, t = _cam(doc)
    return float((r @ np.asarray(x, float) + t)[2])


def _horizon_px(doc: dict[str, Any]) -> np.ndarray:
    """A pixel on the floor's vanishing line (far along the camera's horizontal heading)."""
    k, r, _ = _cam(doc)
    axis = r.T @ np.array([0.0, 0.0, 1.0])
    heading = np.array([axis[0], axis[1], 0.0]) / np.hypot(axis[0], axis[1])
    c = k @ (r @ heading)
    return c[:2] / c[2]


def _pitch_deg(doc: dict[str, Any]) -> float:
    """The optical axis above the horizontal (deg)."""
    _, r, _ = _cam(doc)
    return float(np.degrees(np.arcsin((r.T @ np.array([0.0, 0.0, 1.0]))[2])))


def _leg_truth(doc: dict[str, Any], side: str) -> dict[str, float]:
    """The tested leg's plane (its knee's Y over the holds), the knee's X and height there, and the ankle's floor point."""
    frames = doc["frames"]
    holds = [i for rep in doc["reps"] if rep["tested_leg"] == side
             for i in range(rep["hold_start_frame"], rep["hold_end_frame"] + 1) if i < len(frames)]
    knees = np.array([frames[i]["joints_3d"][f"{side}_knee"] for i in holds], float)
    ankles = np.array([frames[i]["joints_3d"][f"{side}_ankle"] for i in holds], float)
    return {"y": float(np.median(knees[:, 1])), "knee_x": float(np.median(knees[:, 0])), "knee_z": float(np.median(knees[:, 2])),
            "ankle_x": float(np.median(ankles[:, 0])), "ankle_y": float(np.median(ankles[:, 1]))}


def _ratio(floor: np.ndarray, corner: np.ndarray, up: np.ndarray, horizon_v: float, card: float, nearer_cm: float,
           size: tuple[int, int]) -> float:
    """marker_scale's depth ratio from a floor point, the sheet's floor corner and a horizon row."""
    sheet_drop = _level(corner, up)[1] - horizon_v
    leg_drop = _level(floor, up)[1] - horizon_v
    per_cm = leg_drop / _distance_cm(card * leg_drop / sheet_drop, size)
    return float((leg_drop - nearer_cm * per_cm) / sheet_drop)


def clip_rows(video: Path, doc: dict[str, Any], cache: Path | None) -> list[dict[str, Any]]:
    """One row per call of the sheet's scale, tagged with the leg it was asked for."""
    calls: list[dict[str, Any]] = []
    side_now: list[str] = [""]
    original_scale, original_leg = cmod.marker_scale, cmod._leg_centimetres

    def leg_wrapped(analysis: Any, series: Any, side: Any, *a: Any, **k: Any) -> Any:
        side_now[0] = str(side)
        return original_leg(analysis, series, side, *a, **k)

    def scale_wrapped(fit: Any, track: Any, facing: int, leg_floor_px: Any, image_size: Any, *a: Any, **k: Any) -> Any:
        out = original_scale(fit, track, facing, leg_floor_px, image_size, *a, **k)
        calls.append({"side": side_now[0], "fit": fit, "facing": facing, "floor": np.asarray(leg_floor_px, float),
                      "size": image_size, "scale": out, "nearer": float(a[0] if a else k.get("floor_nearer_cm", 0.0))})
        return out

    cmod.marker_scale, cmod._leg_centimetres = scale_wrapped, leg_wrapped  # type: ignore[assignment]
    try:
        cached = load_cached(cache_file(cache, video, "full")) if cache is not None else None
        measure_video(video, Settings(), "full", None, series=cached)
    finally:
        cmod.marker_scale, cmod._leg_centimetres = original_scale, original_leg  # type: ignore[assignment]
    marker = doc["marker"]
    centre_3d = np.mean(np.asarray(marker["corners_3d"], float), axis=0)
    sheet_y = float(centre_3d[1])
    rows = []
    for call in calls:
        fit, facing, floor, size = call["fit"], call["facing"], call["floor"], call["size"]
        if not call["side"] or call["scale"].cm_per_px is None:
            continue
        w, h = size
        up = fit.up
        centre_v = float(_level(np.array([(w - 1) / 2.0, (h - 1) / 2.0]), up)[1])
        true_v = float(_level(_horizon_px(doc), up)[1])
        corner = front_bottom_px(fit, facing)
        c = fit.corners_px
        card = 0.5 * (np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / (fit.size_mm / 10.0)
        leg = _leg_truth(doc, call["side"])
        cam_y = float(doc["camera"]["position"][1])
        toward = np.sign(cam_y - leg["ankle_y"])
        contact = _project(doc, np.array([leg["ankle_x"], leg["ankle_y"] + toward * call["nearer"] / 100.0, 0.0]))
        ours = float(call["scale"].details["leg_to_sheet_distance_ratio"])
        d_marker = _depth(doc, centre_3d)
        need_floor = d_marker / _depth(doc, np.array([leg["knee_x"], leg["y"], 0.0]))
        need_knee = d_marker / _depth(doc, np.array([leg["knee_x"], leg["y"], leg["knee_z"]]))
        alt = {"horizon": _ratio(floor, corner, up, true_v, card, call["nearer"], size),
               "floor": _ratio(contact, corner, up, centre_v, card, call["nearer"], size),
               "both": _ratio(contact, corner, up, true_v, card, call["nearer"], size)}
        sheet_scale = card / float(np.linalg.norm(_project(doc, centre_3d + [0.005, 0, 0]) - _project(doc, centre_3d - [0.005, 0, 0])))
        near = bool(doc["subject"]["legs"][call["side"]]["nearer_camera"])
        knee_3d = np.array([leg["knee_x"], leg["y"], leg["knee_z"]])
        true_knee_px_per_cm = float(np.linalg.norm(_project(doc, knee_3d + [0.005, 0, 0]) - _project(doc, knee_3d - [0.005, 0, 0])))
        ours_px_per_cm = 1.0 / float(call["scale"].cm_per_px)
        rows.append({
            "clip": video.stem, "side": call["side"], "near": near, "pitch_deg": round(_pitch_deg(doc), 2),
            "sheet_beyond_leg_cm": round(abs(sheet_y - leg["y"]) * 100.0, 1),
            "horizon_below_centre_px": round(true_v - centre_v, 1),
            "floor_read_minus_true_px": round(float(_level(floor, up)[1] - _level(contact, up)[1]), 1),
            "ratio_ours": ours, "ratio_need_floor": round(need_floor, 4), "ratio_need_knee": round(need_knee, 4),
            **{f"ratio_{k}": round(v, 4) for k, v in alt.items()},
            "card_px_per_cm_err_pct": round(100.0 * (sheet_scale - 1.0), 2),
            "err_pct_knee": round(100.0 * (need_knee / ours - 1.0), 2), "err_pct_floor": round(100.0 * (need_floor / ours - 1.0), 2),
            "wall": str(call["scale"].details.get("wall", "")),
            "scale_err_pct": round(100.0 * (true_knee_px_per_cm / ours_px_per_cm - 1.0), 2),
            "scale_sd_pct": round(100.0 * float(call["scale"].relative_uncertainty or 0.0), 2),
            "pitch_read_deg": -sheet_pitch(fit, size)[0] if sheet_pitch is not None else 0.0,
        })
    return rows


def main() -> int:
    """Print the rows for a set's side-sheet clips."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    args = ap.parse_args()
    out = []
    print("| clip | split | leg | placement | pitch | sheet beyond leg cm | horizon below centre px | floor read - true px | ratio ours | "
          "need (floor / knee) | with true horizon | with true floor | both | card err % | ratio err % at knee / floor | "
          "pitch read | scale err % at the knee (its 1-sigma) |")
    print("|---" * 17 + "|")
    for entry, video in set_clips(args.set, args.split, args.only):
        doc = json.loads(video.with_suffix(".json").read_text())
        if (doc.get("marker") or {}).get("placement") != "side":
            continue
        for r in clip_rows(video, doc, args.cache):
            r.update(split=entry.get("split", ""), body=entry.get("body", ""), placement=entry.get("tags", {}).get("marker", "side"))
            out.append(r)
            print(f"| {r['clip'][:30]} | {r['split']} | {r['side'][:1]}{'n' if r['near'] else 'f'} | {r['placement']} | "
                  f"{r['pitch_deg']:+.1f} | {r['sheet_beyond_leg_cm']:.1f} | {r['horizon_below_centre_px']:+.0f} | "
                  f"{r['floor_read_minus_true_px']:+.1f} | {r['ratio_ours']:.4f} | {r['ratio_need_floor']:.4f} / {r['ratio_need_knee']:.4f} | "
                  f"{r['ratio_horizon']:.4f} | {r['ratio_floor']:.4f} | {r['ratio_both']:.4f} | {r['card_px_per_cm_err_pct']:+.2f} | "
                  f"{r['err_pct_knee']:+.2f} / {r['err_pct_floor']:+.2f} | {r['pitch_read_deg']:+.1f} | "
                  f"{r['scale_err_pct']:+.2f} ({r['scale_sd_pct']:.2f}) |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
