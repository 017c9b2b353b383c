"""Split each rep's knee-to-wall and equivalent toe-to-wall error into parts against the renders' truth (issue 22 item 3).

Usage:
    python benchmarks/distance_parts.py --set /work/renders/random_v3 --cache /work/cache/random_v3 [--only r004,r016]
        [--split fit|report|all] [--json parts.json]
    python benchmarks/distance_parts.py --set ../shared/synthetic --cache /work/cache/s11_syn   (no manifest: every clip
        whose truth has a marker)

Why: the distances are a sum of several image readings (the knee's front, the wall's point, the toe tip, the vertical,
the scale); a miss is only fixable once it is known which reading missed. Each part is one reading replaced by its true
value, in order, all measured as the product measures (our forward axis and scale, in pixels) so the parts add up exactly
to ours - truth (cm, + = the distance reads longer than true):

  knee-to-wall = knee + wall line + wall depth + vertical + scale + peak
    knee        our knee front against the true skin front (`knee_surface_to_wall_cm`, over our hold's frames) at the
                height our point back-projects to in the leg's plane (the knee joint's depth);
    wall line   our wall point against the true wall-floor line at the same depth (X = 0 on the floor);
    wall depth  that point slid along the line from its depth to the leg's (the sole's contact moved back, the horizon);
    vertical    our up against the true vertical: the wall's floor point against the wall at the knee's height;
    scale       our cm per px against the leg's plane at the knee's height (and what perspective leaves);
    peak        the truth over our hold against the truth at its peak frame (what the scorer compares with).
  equivalent   = knee + toe + vertical + scale + peak (its knee part is the other one's, negated), the toe being ours (after toe_in_leg_plane) against the true toe
                (the shoe's tip when shod) in the leg's plane, and its source: seen, proportions, or the printed line.

The truth camera is the renderer's (K, R, t; OpenCV pinhole, world X towards the wall, wall at X = 0, Z up). The leg's
plane is Y = the tested knee joint's Y over the hold. The script runs the product as `benchmarks/score_renders.py` does
(same cache) and reads its internal geometry (`protocol.centimetres._Geometry`) by wrapping `_leg_reps`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from render_set import add_set_options

import ankle_cv.kinematics.fitted as fitted
import ankle_cv.protocol.centimetres as cmod
from ankle_cv.io.json_numbers import finite_or_none
from ankle_cv.kinematics.fitted import ANKLE_TO_TOE_SD_PER_SHANK, TOE_SD_CM
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached, store_cached
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.protocol.distance import forward_axis
from ankle_cv.results.build import build_result
from ankle_cv.settings import Settings
from ankle_cv.validation.evaluate import evaluate_clip
from ankle_cv.validation.run import read_truth

Z95 = 1.96


@dataclass(frozen=True)
class TrueCamera:
    """The renderer's pinhole camera: world (m) -> pixels."""

    k: np.ndarray
    r: np.ndarray
    t: np.ndarray

    def project(self, x: np.ndarray) -> np.ndarray:
        """Pixel of a world point."""
        c = self.k @ (self.r @ np.asarray(x, float) + self.t)
        return c[:2] / c[2]

    def back_project(self, px: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
        """The world point on the plane normal . X = offset seen at this pixel."""
        centre = -self.r.T @ self.t
        ray = self.r.T @ np.linalg.solve(self.k, np.array([px[0], px[1], 1.0]))
        lam = (offset - normal @ centre) / (normal @ ray)
        return centre + lam * ray


@dataclass(frozen=True)
class RepParts:
    """One matched rep's errors (cm) and their parts; None where the product gave no number."""

    clip: str
    split: str
    body: str
    placement: str
    loose: bool
    shoes: bool
    near_camera: bool
    side: str
    truth_rep: int
    scale_method: str
    wall_method: str
    toe_source: str
    knee_wall_err: float | None
    knee_wall_sd: float | None
    knee: float | None
    wall_line: float | None
    wall_depth: float | None
    vertical: float | None
    scale: float | None
    peak: float | None
    equivalent_err: float | None
    equivalent_sd: float | None
    eq_knee: float | None
    eq_toe: float | None
    eq_vertical: float | None
    eq_scale: float | None
    eq_peak: float | None
    knee_fabric_sd: float
    toe_sd: float
    toe_contrast: float | None = None
    seen_toe_err: float | None = None  # the silhouette's toe tip (before any replacement) against the true tip (cm, + = behind)
    marker_side_px: float | None = None
    vertical_sd_deg: float | None = None
    vertical_err_deg: float | None = None  # our up against the true vertical at the knee (deg, + = ours turned clockwise)
    vertical_source: str = ""  # the camera's vertical (the sheet's own where a sheet gave the scale)
    toe_true_cm: float | None = None  # the true toe (shoe) tip's distance from the wall
    foot_wall: str = ""  # how the render placed the foot (toe_line_10cm: the toes on the sheet's printed 10 cm line)
    proportional_toe_err: float | None = None  # the toe placed from average proportions against the true tip (cm, + = behind)
    line_toe_err: float | None = None  # the toe put on the stated (printed) line against the true tip (cm, + = behind)
    knee_truth_cm: float | None = None  # the true knee-to-wall gap at the peak (cm)
    front_ahead_joint: float | None = None  # our knee front ahead of the knee landmark over the hold (shank lengths)
    true_front_ahead_joint: float | None = None  # the true skin front ahead of the true knee joint over the hold (shank lengths)
    knee_landmark_err: float | None = None  # the knee landmark ahead of the true joint in the leg's plane (cm, + = nearer the wall)
    outline_ahead: float | None = None  # the rest outline ahead of the shank (the fabric test's number, shank lengths)
    wall_beyond_leg_cm: float | None = None  # our wall point's depth beyond the leg's plane (cm, + = farther from the camera)
    wall_sd_cm: float | None = None  # the wall point's 1-sigma (weighs wall line + wall depth)
    knee_sd_cm: float | None = None  # the knee front's 1-sigma (edge, hold spread, cloth; weighs the knee part)
    roll_sd_cm: float | None = None  # the vertical's 1-sigma at the knee's height (weighs the vertical part)
    cm_per_px: float | None = None  # the leg's scale at the knee's height


Captured = dict[str, Any]


def _capture() -> tuple[list[Captured], Callable[[], None]]:
    """Wrap centimetres._leg_reps so every leg's final geometry is recorded (the last call per side wins)."""
    seen: list[Captured] = []
    original = cmod._leg_reps

    def wrapped(analysis: Analysis, side: str, leg: Any) -> Any:
        seen.append({"side": side, "leg": leg})
        return original(analysis, side, leg)

    cmod._leg_reps = wrapped

    def restore() -> None:
        cmod._leg_reps = original

    return seen, restore


def _toe_source(g: Any, stated_cm: float | None = None) -> str:
    """How the toe of a leg's geometry was placed, from its sigma (centimetres._leg_centimetres); `stated_cm`: the stated
    line's distance, to tell a toe put on the line from an outline there with proportions well ahead of it."""
    proportional = ANKLE_TO_TOE_SD_PER_SHANK * g.shank_px * g.cm_per_px
    if stated_cm is not None and np.all(np.isfinite(g.toe)):
        on_line = np.asarray(g.wall, float) - forward_axis(g.up, g.facing) * stated_cm / float(g.cm_per_px)
        if float(np.linalg.norm(np.asarray(g.toe, float) - on_line)) < 0.5 and g.toe_sd_cm > np.hypot(cmod.TOE_PLACEMENT_SD_CM, proportional) + 1e-6:
            return "line (outline; proportions ahead)"  # centimetres._line_or_proportions_sd_cm
    if abs(g.toe_sd_cm - cmod.TOE_PLACEMENT_SD_CM) < 1e-9:
        return "line"
    if abs(g.toe_sd_cm - TOE_SD_CM) < 1e-9:
        return "seen"
    if abs(g.toe_sd_cm - float(np.hypot(TOE_SD_CM, getattr(fitted, "FAINT_TOE_SD_CM", np.nan)))) < 1e-9:
        return "faint"
    if abs(g.toe_sd_cm - proportional) < 1e-6:
        return "proportions"
    if abs(g.toe_sd_cm - float(np.hypot(cmod.TOE_PLACEMENT_SD_CM, proportional))) < 1e-6:
        return "line (lost toe)"
    faint = float(np.hypot(TOE_SD_CM, getattr(fitted, "FAINT_TOE_SD_CM", np.nan)))
    if abs(g.toe_sd_cm - float(np.hypot(cmod.TOE_PLACEMENT_SD_CM, faint))) < 1e-6:
        return "line (faint toe)"
    if TOE_SD_CM < g.toe_sd_cm < float(np.hypot(TOE_SD_CM, cmod._toes_lost_cm(True))) + 1e-9:
        return "seen (behind proportions)"  # centimetres._toe_behind_sd_cm: the outline's tip behind the proportional one
    return f"sd{g.toe_sd_cm:.2f}"


def _median_truth(frames: list[dict], idx: np.ndarray, key: str) -> float:
    """Median of a per-frame truth number over some truth frames."""
    vals = [float(frames[i][key]) for i in idx if 0 <= i < len(frames) and frames[i].get(key) is not None]
    return float(np.median(vals)) if vals else float("nan")


def rep_parts(
    cam: TrueCamera, g: Any, knee_px: np.ndarray, truth_frames: list[dict], hold_truth: np.ndarray, side: str,
    gap_peak_cm: float, toe_true_cm: float | None,
) -> dict[str, float]:
    """The parts of one rep's two distances (cm, + = reads longer), summing exactly to ours - truth."""
    s = float(g.cm_per_px)
    fwd = forward_axis(g.up, g.facing)

    def along(a: np.ndarray, b: np.ndarray) -> float:
        """b - a along our forward axis, in cm with our scale."""
        return float((np.asarray(b, float) - np.asarray(a, float)) @ fwd * s)

    knees = [truth_frames[i]["joints_3d"][f"{side}_knee"] for i in hold_truth if 0 <= i < len(truth_frames)]
    y_leg = float(np.median([k[1] for k in knees]))
    plane_y = (np.array([0.0, 1.0, 0.0]), y_leg)
    k3 = cam.back_project(knee_px, *plane_y)
    gap_hold = _median_truth(truth_frames, hold_truth, "knee_surface_to_wall_cm")
    kt = cam.project(np.array([-gap_hold / 100.0, y_leg, k3[2]]))
    w3 = cam.back_project(np.asarray(g.wall, float), np.array([0.0, 0.0, 1.0]), 0.0)
    w_line = cam.project(np.array([0.0, w3[1], 0.0]))
    w_true = cam.project(np.array([0.0, y_leg, 0.0]))
    v = cam.project(np.array([0.0, y_leg, k3[2]]))
    ours = along(knee_px, g.wall)
    true_up = cam.project(np.array([0.0, y_leg, k3[2]])) - cam.project(np.array([0.0, y_leg, 0.0]))
    our_up = np.asarray(g.up if g.up is not None else np.array([0.0, -1.0]), float)
    turn = float(np.degrees(np.arctan2(our_up[0], -our_up[1]) - np.arctan2(true_up[0], -true_up[1])))
    out = {
        "ours": ours, "knee": along(knee_px, kt), "wall_line": along(w_line, g.wall), "wall_depth": along(w_true, w_line),
        "vertical": along(v, w_true), "scale": along(kt, v) - gap_hold, "peak": gap_hold - gap_peak_cm,
        "vertical_err_deg": turn, "knee_height_cm": float(k3[2] * 100.0), "wall_depth_y_cm": float((w3[1] - y_leg) * 100.0),
        "wall_beyond_leg_cm": float((w3[1] - y_leg) * 100.0 * np.sign(y_leg - float((-cam.r.T @ cam.t)[1]))),
    }
    if toe_true_cm is not None:
        t3 = cam.back_project(np.asarray(g.toe, float), *plane_y)
        tt = cam.project(np.array([-toe_true_cm / 100.0, y_leg, t3[2]]))
        tv = cam.project(np.array([-toe_true_cm / 100.0, y_leg, k3[2]]))
        out.update({
            "eq_ours": along(g.toe, knee_px), "eq_knee": along(kt, knee_px), "eq_toe": along(g.toe, tt),
            "eq_vertical": along(tt, tv), "eq_scale": along(tv, kt) - (toe_true_cm - gap_hold),
            "eq_peak": gap_peak_cm - gap_hold, "toe_x_err_cm": float((t3[0] * 100.0) + toe_true_cm),
        })
    return out


def _seen_toe_err(cam: TrueCamera, g: Any, seen_px: np.ndarray | None, frames: list[dict], hold_truth: np.ndarray, side: str,
                  toe_true_cm: float | None) -> float | None:
    """How far a toe point (the silhouette's own tip in the leg's plane, or another candidate) stands behind the true one,
    along our forward axis (cm)."""
    if seen_px is None or toe_true_cm is None or not np.all(np.isfinite(seen_px)):
        return None
    y_leg = float(np.median([frames[i]["joints_3d"][f"{side}_knee"][1] for i in hold_truth if 0 <= i < len(frames)]))
    t3 = cam.back_project(np.asarray(seen_px, float), np.array([0.0, 1.0, 0.0]), y_leg)
    tt = cam.project(np.array([-toe_true_cm / 100.0, y_leg, t3[2]]))
    return round(float((tt - np.asarray(seen_px, float)) @ forward_axis(g.up, g.facing) * g.cm_per_px), 3)


def _proportional_toe(g: Any) -> np.ndarray:
    """The toe tip the average foot proportions put ahead of the ankle (as centimetres._leg_centimetres does)."""
    return np.asarray(g.ankle, float) + forward_axis(g.up, g.facing) * fitted.ANKLE_TO_TOE_PER_SHANK * float(g.shank_px)


def _line_toe(g: Any, analysis: Analysis) -> np.ndarray:
    """The toe put on the stated line (the sheet's printed 10 cm line by default) behind our wall point."""
    return np.asarray(g.wall, float) - forward_axis(g.up, g.facing) * float(analysis.settings.foot_to_wall_cm) / float(g.cm_per_px)


def _entries(set_dir: Path) -> list[dict[str, Any]]:
    """The set's manifest entries, or (no manifest: the dev renders) one per truth file with a marker."""
    manifest = set_dir / "manifest.json"
    if manifest.exists():
        return list(json.loads(manifest.read_text())["clips"])
    out = []
    for path in sorted(set_dir.glob("*.json")):
        doc = json.loads(path.read_text())
        if not isinstance(doc, dict) or not doc.get("marker"):
            continue
        args = doc.get("args") or {}
        placement = "floor" if doc["marker"].get("placement") == "floor" else f"side_{args.get('card_side', 'far')}"
        out.append({"id": path.stem, "split": "dev", "body": path.stem.split("_")[1],
                    "tags": {"marker": placement, "bottoms": args.get("bottoms"), "shoes": bool(args.get("shoes"))}})
    return out


def marker_entries(set_dir: Path, split: str = "all", only: str = "") -> list[dict[str, Any]]:
    """The set's entries of the split whose id starts with one of `only`'s prefixes and whose marker gives a scale (on the
    floor or upright beside the foot: not none, not on the wall)."""
    prefixes = [s for s in only.split(",") if s]
    return [e for e in _entries(set_dir)
            if (not prefixes or any(e["id"].startswith(o) for o in prefixes))
            and (split == "all" or e.get("split") == split)
            and (e.get("tags") or {}).get("marker") not in (None, "none", "wall")]


def clip_parts(entry: dict[str, Any], set_dir: Path, cache_dir: Path | None, model: str = "full") -> list[RepParts]:
    """Run one clip and split each matched rep's distances."""
    video, truth_path = set_dir / f"{entry['id']}.mp4", set_dir / f"{entry['id']}.json"
    if not (video.exists() and truth_path.exists()):
        return []
    doc = json.loads(truth_path.read_text())
    truth = read_truth(truth_path)
    entry_cache = cache_file(cache_dir, video, model) if cache_dir is not None else None
    cached = load_cached(entry_cache) if entry_cache is not None else None
    seen, restore = _capture()
    try:
        info, series, analysis, _ = measure_video(video, Settings(), model, None, series=cached)
    finally:
        restore()
    if entry_cache is not None and cached is None:
        store_cached(entry_cache, series)
    cms = analysis.centimetres
    if cms is None or not cms.reps:
        return []
    typed = build_result(analysis, info, model)
    t0 = float(analysis.frames.times_s[0]) if analysis.frames.times_s.size else 0.0
    report = evaluate_clip(entry["id"], str(video), truth, typed, time_origin_s=t0)
    cam_doc = doc["camera"]
    cam = TrueCamera(np.asarray(cam_doc["K"], float), np.asarray(cam_doc["R"], float), np.asarray(cam_doc["t"], float).ravel())
    legs = {c["side"]: c["leg"] for c in seen}
    fps = float(doc["video"]["fps"])
    frames = doc["frames"]
    tags = entry.get("tags") or {}
    out = []
    for row in report.rows:
        t = next(r for r in doc["reps"] if int(r["index"]) == row.truth_rep)
        ours = cms.reps.get(row.our_rep) if row.our_rep is not None else None
        rep = next((r for r in analysis.reps if r.index == row.our_rep), None)
        side = t["tested_leg"]
        if ours is None or rep is None or rep.side not in legs:
            continue
        leg = legs[rep.side]
        g = leg.touch
        hold = cmod._hold(rep, analysis)
        knee_px, spread_px = cmod._knee_at_hold(rep, analysis, g)
        if knee_px is None:
            continue
        knee_sd, roll_sd = cmod.knee_and_vertical_sd_cm(g, knee_px, spread_px)
        hold_truth = np.round((analysis.frames.times_s[hold] - t0) * fps).astype(int)
        gap = float(t["knee_surface_to_wall_cm_at_peak"])
        shoe = t.get("shoe_toe_to_wall_cm")
        toe_true = float(shoe) if shoe is not None else finite_or_none(t.get("toe_to_wall_cm"))
        p = rep_parts(cam, g, knee_px, frames, hold_truth, side, gap, toe_true)
        k2w, eq = ours.knee_to_wall_cm, ours.equivalent_toe_to_wall_cm
        if k2w is not None and abs(k2w - p["ours"]) > 0.02:
            print(f"  {entry['id']} rep {row.truth_rep}: parts' knee-to-wall {p['ours']:.2f} != reported {k2w:.2f}", file=sys.stderr)
        if eq is not None and "eq_ours" in p and abs(eq - p["eq_ours"]) > 0.02:
            print(f"  {entry['id']} rep {row.truth_rep}: parts' equivalent {p['eq_ours']:.2f} != reported {eq:.2f}", file=sys.stderr)
        have_k, have_e = k2w is not None, eq is not None and "eq_ours" in p
        total = sum(p[k] for k in ("knee", "wall_line", "wall_depth", "vertical", "scale", "peak"))
        if abs(total - (p["ours"] - gap)) > 1e-6:
            print(f"  {entry['id']} rep {row.truth_rep}: parts do not add up ({total:.3f} vs {p['ours'] - gap:.3f})", file=sys.stderr)

        def part(key: str, have: bool, p: dict[str, float] = p) -> float | None:
            return round(p[key], 3) if have else None

        extra = _knee_extra(cam, g, knee_px, analysis, series, hold, frames, hold_truth, side, rep.side)
        out.append(RepParts(
            clip=entry["id"], split=entry.get("split", ""), body=entry.get("body", ""), placement=str(tags.get("marker")),
            loose=tags.get("bottoms") == "loose", shoes=bool(tags.get("shoes")),
            near_camera=bool(((doc.get("subject") or {}).get("legs") or {}).get(side, {}).get("nearer_camera")),
            side=side, truth_rep=row.truth_rep, scale_method=g_method(leg), wall_method=str(leg.geometry.scale.details.get("wall", "")),
            toe_source=_toe_source(g, float(analysis.settings.foot_to_wall_cm)),
            knee_wall_err=round(k2w - gap, 3) if k2w is not None else None, knee_wall_sd=finite_or_none(ours.uncertainty_cm),
            knee=part("knee", have_k), wall_line=part("wall_line", have_k), wall_depth=part("wall_depth", have_k),
            vertical=part("vertical", have_k), scale=part("scale", have_k), peak=part("peak", have_k),
            equivalent_err=round(eq - (toe_true - gap), 3) if have_e and eq is not None and toe_true is not None else None,
            equivalent_sd=finite_or_none(ours.equivalent_uncertainty_cm),
            eq_knee=part("eq_knee", have_e), eq_toe=part("eq_toe", have_e), eq_vertical=part("eq_vertical", have_e),
            eq_scale=part("eq_scale", have_e), eq_peak=part("eq_peak", have_e),
            knee_fabric_sd=float(g.knee_fabric_sd_cm), toe_sd=float(g.toe_sd_cm),
            toe_contrast=finite_or_none(getattr(leg.geometry, "toe_contrast", float("nan"))),
            seen_toe_err=_seen_toe_err(cam, g, getattr(leg.geometry, "toe_seen_px", None), frames, hold_truth, side, toe_true),
            marker_side_px=finite_or_none(leg.geometry.scale.details.get("marker_side_px")),
            vertical_sd_deg=float(g.vertical_sd_deg), vertical_err_deg=round(p["vertical_err_deg"], 3),
            vertical_source=str(analysis.camera.vertical_source),
            toe_true_cm=toe_true, foot_wall=str(tags.get("foot_wall", "")),
            proportional_toe_err=_seen_toe_err(cam, g, _proportional_toe(g), frames, hold_truth, side, toe_true),
            line_toe_err=_seen_toe_err(cam, g, _line_toe(g, analysis), frames, hold_truth, side, toe_true),
            knee_truth_cm=gap, wall_beyond_leg_cm=round(p["wall_beyond_leg_cm"], 2) if have_k else None,
            wall_sd_cm=round(float(g.wall_sd_cm), 3), knee_sd_cm=round(knee_sd, 3), roll_sd_cm=round(roll_sd, 3),
            cm_per_px=round(float(g.cm_per_px), 4), **extra,
        ))
    return out


def _knee_extra(
    cam: TrueCamera, g: Any, knee_px: np.ndarray, analysis: Analysis, series: Any, hold: np.ndarray, frames: list[dict],
    hold_truth: np.ndarray, side: str, our_side: str,
) -> dict[str, float | None]:
    """The knee front against the knee landmark and the truth's skin front against the joint (shank lengths), the knee
    landmark's own error in the leg's plane (cm) and the rest outline's fabric number: what tells cloth before a knee."""
    fwd = forward_axis(g.up, g.facing)
    lm = np.asarray(analysis.front_xy["knee"], float)[hold]
    lm = lm[np.isfinite(lm).all(axis=1)]
    if not lm.shape[0]:
        return {}
    knee_lm = np.median(lm, axis=0)
    ahead = float((np.asarray(knee_px, float) - knee_lm) @ fwd / float(g.shank_px))
    ok = [i for i in hold_truth if 0 <= i < len(frames)]
    k3 = np.median([frames[i]["joints_3d"][f"{side}_knee"] for i in ok], axis=0)
    a3 = np.median([frames[i]["joints_3d"][f"{side}_ankle"] for i in ok], axis=0)
    gap = _median_truth(frames, np.asarray(ok), "knee_surface_to_wall_cm")
    shank_m = float(np.linalg.norm(np.asarray(k3) - np.asarray(a3)))
    true_ahead = float((-gap / 100.0 - k3[0]) / shank_m)
    lm3 = cam.back_project(knee_lm, np.array([0.0, 1.0, 0.0]), float(k3[1]))
    rest = cmod._rest_frames(analysis, our_side)
    outline = cmod.rest_outline_ahead_shanks(series, analysis.front_xy, cmod._as_read_deg(analysis), rest,
                                             analysis.shank_length_px, g.facing, analysis.camera.up)
    return {"front_ahead_joint": round(ahead, 4), "true_front_ahead_joint": round(true_ahead, 4),
            "knee_landmark_err": round(float(lm3[0] - k3[0]) * 100.0, 2), "outline_ahead": finite_or_none(outline)}


def g_method(leg: Any) -> str:
    """The leg's scale method."""
    return str(leg.geometry.scale.method)


def _cell(vals: list[float]) -> str:
    """Mean / mean abs of a part."""
    a = np.asarray(vals, float)
    return f"{a.mean():+.2f} / {np.abs(a).mean():.2f}" if a.size else "–"


def tables(rows: list[RepParts]) -> str:
    """Markdown tables of the parts by placement, split and cloth."""
    groups: dict[str, list[RepParts]] = {}
    for r in rows:
        groups.setdefault(f"{r.placement} {r.split}{', loose' if r.loose else ''}", []).append(r)
    out = ["| knee-to-wall: placement, split | n | within ±0.5 | 95 % covers | MAE / bias | knee | wall line | wall depth | "
           "vertical | scale | peak |", "|---" * 11 + "|"]
    for name, rs in sorted(groups.items()):
        k = [r for r in rs if r.knee_wall_err is not None]
        if not k:
            continue
        e = np.array([r.knee_wall_err for r in k], float)
        cov = sum(1 for r in k if r.knee_wall_sd is not None and abs(r.knee_wall_err or 0.0) <= Z95 * r.knee_wall_sd)
        out.append(f"| {name} | {len(k)} | {int((np.abs(e) <= 0.5).sum())}/{len(k)} | {cov}/{len(k)} | "
                   f"{np.abs(e).mean():.2f} / {e.mean():+.2f} | " + " | ".join(
                       _cell([getattr(r, f) for r in k]) for f in ("knee", "wall_line", "wall_depth", "vertical", "scale", "peak")) + " |")
    out += ["", "| equivalent: placement, split | n | within ±1.0 | 95 % covers | MAE / bias | knee | toe | vertical | scale | peak | toe sources |",
            "|---" * 11 + "|"]
    for name, rs in sorted(groups.items()):
        q = [r for r in rs if r.equivalent_err is not None]
        if not q:
            continue
        e = np.array([r.equivalent_err for r in q], float)
        cov = sum(1 for r in q if r.equivalent_sd is not None and abs(r.equivalent_err or 0.0) <= Z95 * r.equivalent_sd)
        src: dict[str, int] = {}
        for r in q:
            src[r.toe_source] = src.get(r.toe_source, 0) + 1
        out.append(f"| {name} | {len(q)} | {int((np.abs(e) <= 1.0).sum())}/{len(q)} | {cov}/{len(q)} | "
                   f"{np.abs(e).mean():.2f} / {e.mean():+.2f} | " + " | ".join(
                       _cell([getattr(r, f) for r in q]) for f in ("eq_knee", "eq_toe", "eq_vertical", "eq_scale", "eq_peak"))
                   + " | " + ", ".join(f"{k} {v}" for k, v in sorted(src.items())) + " |")
    out += ["", "| clip | rep | side | marker px | vertical err (sd) deg | wall | toe (contrast; seen toe's error) | k2w err ± sd | knee | wall line | wall depth | vertical | scale | peak | "
            "eq err ± sd | eq knee | eq toe | eq vertical | eq scale |", "|---" * 19 + "|"]
    def f(v: float | None) -> str:
        return "–" if v is None else f"{v:+.2f}"

    for r in rows:
        k2w = "–" if r.knee_wall_err is None else f"{r.knee_wall_err:+.2f} ± {r.knee_wall_sd or 0:.2f}"
        eq = "–" if r.equivalent_err is None else f"{r.equivalent_err:+.2f} ± {r.equivalent_sd or 0:.2f}"
        px = "–" if r.marker_side_px is None else f"{r.marker_side_px:.0f}"
        out.append(f"| {r.clip} | {r.truth_rep} | {r.side[0]}{'n' if r.near_camera else 'f'} | {px} | "
                   f"{r.vertical_err_deg:+.2f} ({r.vertical_sd_deg:.2f}, {r.vertical_source[:10]}) | {r.wall_method[:14]} | {r.toe_source} ({'–' if r.toe_contrast is None else f'{r.toe_contrast:.0f}'}; seen {f(r.seen_toe_err)}) | "
                   f"{k2w} | {f(r.knee)} | {f(r.wall_line)} | {f(r.wall_depth)} | {f(r.vertical)} | {f(r.scale)} | {f(r.peak)} | "
                   f"{eq} | {f(r.eq_knee)} | {f(r.eq_toe)} | {f(r.eq_vertical)} | {f(r.eq_scale)} |")
    return "\n".join(out)


def main() -> int:
    """Run the clips, print the tables, optionally save every rep's parts as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    ap.add_argument("--model", default="full")
    args = ap.parse_args()
    rows: list[RepParts] = []
    for entry in marker_entries(args.set, args.split, args.only):
        got = clip_parts(entry, args.set, args.cache, args.model)
        print(f"{entry['id']}: {len(got)} reps", file=sys.stderr)
        rows.extend(got)
    print(tables(rows))
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
