"""Is there an image cue that a shoe is on, one that holds on real people too (issue 19: shod shorts read low)?

    python benchmarks/shoe_cue.py CAPTURE.json [...] --renders-root /work/renders --cache-root /work/cache [--json OUT]
        [--set-dir synthetic=../shared/synthetic --cache-for synthetic=/work/cache/s11_syn]
    python benchmarks/shoe_cue.py --real /work/shared/real --real-cache /work/cache/s16_real [--json OUT]

CAPTURE.json: benchmarks/cloth_bias.py's capture (its stances keep the turn's pivot parts and the truth's joints). Two cues
per stance, each from what the product has at the stance's standing frames:
- geometry: how far the landmark's pivot estimate (MediaPipe's ankle less LANDMARK_ANKLE_HIGH) lies above the sole's
  (the heel's floor contact plus PIVOT_ABOVE_FLOOR / PIVOT_AHEAD_OF_HEEL), in shank lengths. A shoe's sole lowers the
  floor contact under the joint, so the sole's estimate drops and the difference grows; only where the sole was found.
  On renders it also gives each estimate's height against the true ankle joint; on the real clips against the
  annotators' ankle joint centre (median of every annotator's mark on the stance's annotated frames).
- colour: the foot's colour (the midfoot between the ankle and the heel-toe midpoint, landmarks) against the shin's
  (0.35-0.55 of the way from the ankle to the knee landmark), CIELAB distance, median over up to 8 standing frames.
Printed: per world and clothes group the cues' spread, and the hit / false-alarm rates of the threshold that separates
the renders' fit split best. Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from cloth_bias import _StanceWatch

import ankle_cv.protocol.stance_kinematics as sk
from ankle_cv.kinematics.fitted import LANDMARK_ANKLE_HIGH, PIVOT_ABOVE_FLOOR, PIVOT_AHEAD_OF_HEEL
from ankle_cv.kinematics.shank import rest_frames
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis import _scene
from ankle_cv.scene.camera_geometry import forward_of, up_axis
from ankle_cv.settings import Settings

LEG = {"left": {"knee": 25, "ankle": 27, "heel": 29, "toe": 31}, "right": {"knee": 26, "ankle": 28, "heel": 30, "toe": 32}}
MAX_FRAMES = 8
PATCH_SHANKS = 0.03  # patch half-size, per landmark shank length


def geometry_cue(pin: dict[str, Any], toe_dir: np.ndarray | None = None, facing: int = 1) -> dict[str, Any]:
    """The two pivot estimates (image points) and the landmark's above the sole's, per shank (cue NaN without a sole)."""
    up = up_axis(None if pin.get("up") is None else np.asarray(pin["up"], float))
    length = float(pin["length_px"])
    from_lm = np.asarray(pin["ankle"], float) - LANDMARK_ANKLE_HIGH * length * up
    out: dict[str, Any] = {"from_lm": from_lm, "from_sole": None, "cue": float("nan"), "length_px": length, "up": up}
    if pin.get("heel_back") is None or not np.isfinite(pin.get("sole_px", np.nan)):
        return out
    fwd = forward_of(up, facing)
    if toe_dir is not None and float(toe_dir @ fwd) < 0:
        fwd = -fwd
    from_sole = np.asarray(pin["heel_back"], float) + PIVOT_AHEAD_OF_HEEL * float(pin["sole_px"]) * fwd + PIVOT_ABOVE_FLOOR * length * up
    out.update(from_sole=from_sole, cue=float((from_lm - from_sole) @ up / length))
    return out


def _lab(bgr: np.ndarray) -> np.ndarray:
    """CIELAB with L in 0-100 and a/b centred on 0."""
    lab = cv2.cvtColor(bgr, cv2.COLOR_BGR2LAB).astype(float)
    lab[..., 0] *= 100.0 / 255.0
    lab[..., 1:] -= 128.0
    return lab


def _patch(lab: np.ndarray, p: np.ndarray, r: float) -> np.ndarray | None:
    """Median colour of a square patch (None outside the picture)."""
    h, w = lab.shape[:2]
    x, y, k = int(round(p[0])), int(round(p[1])), max(1, int(round(r)))
    if not (0 <= x < w and 0 <= y < h):
        return None
    return np.median(lab[max(0, y - k):y + k + 1, max(0, x - k):x + k + 1].reshape(-1, 3), axis=0)


def _foot_and_shin(lab: np.ndarray, pts: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """The shin's and the foot's colour in one frame from the leg's landmarks (None where they are not all seen)."""
    if not all(np.all(np.isfinite(pts[n])) for n in ("knee", "ankle", "heel", "toe")):
        return None
    knee, ankle, heel, toe = pts["knee"], pts["ankle"], pts["heel"], pts["toe"]
    r = max(1.0, PATCH_SHANKS * float(np.linalg.norm(knee - ankle)))
    shin = [_patch(lab, ankle + f * (knee - ankle), r) for f in (0.35, 0.45, 0.55)]
    mid = 0.55 * 0.5 * (heel + toe) + 0.45 * ankle
    foot = [_patch(lab, mid + f * (toe - heel), r) for f in (-0.1, 0.0, 0.1)]
    s, f = [x for x in shin if x is not None], [x for x in foot if x is not None]
    return (np.median(s, axis=0), np.median(f, axis=0)) if s and f else None


def colour_cue(video: Path, series: PoseSeries, frames: list[int], side: str) -> dict[str, float] | None:
    """Foot against shin colour over the frames given (CIELAB distance, its chroma part and the foot's lightness above the shin)."""
    cap = cv2.VideoCapture(str(video))
    shins, feet = [], []
    for i in frames[:: max(1, len(frames) // MAX_FRAMES)][:MAX_FRAMES]:
        cap.set(cv2.CAP_PROP_POS_FRAMES, int(i))
        ok, im = cap.read()
        if not ok:
            continue
        got = _foot_and_shin(_lab(im), {n: np.asarray(series.image_xy[i, j], float) for n, j in LEG[side].items()})
        if got is not None:
            shins.append(got[0])
            feet.append(got[1])
    cap.release()
    if not shins:
        return None
    s, f = np.median(shins, axis=0), np.median(feet, axis=0)
    return {"dE": float(np.linalg.norm(f - s)), "dC": float(np.linalg.norm(f[1:] - s[1:])), "dL": float(f[0] - s[0])}


def _label_side(series: PoseSeries, start: int, end: int, ankle: np.ndarray) -> str:
    """The pose model's leg label whose ankle lies at the product's rest ankle."""
    def dist(side: str) -> float:
        return float(np.linalg.norm(np.nanmedian(series.image_xy[start:end + 1, LEG[side]["ankle"]], axis=0) - ankle))
    return min(("left", "right"), key=dist)


def render_rows(
    capture: dict[str, Any], renders_root: Path, cache_root: Path, caches: dict[str, Path], set_dirs: dict[str, Path]
) -> list[dict[str, Any]]:
    """Per captured stance with a pivot: both cues, each pivot estimate against the true ankle joint (per true shank)."""
    rows = []
    for key, v in capture.items():
        video = set_dirs.get(v["set"], renders_root / v["set"]) / f"{v['clip']}.mp4"
        entry = cache_file(caches.get(v["set"], cache_root / v["set"]), video, "full")
        series = load_cached(entry) if entry.is_file() else None
        for n, st in enumerate(v["stances"]):
            pin, tj = st.get("pivot_in"), st.get("true_joints")
            if pin is None:
                continue
            toe_dir = np.subtract(tj["toe_tip"], tj["heel"]) if tj and tj.get("toe_tip") and tj.get("heel") else None
            g = geometry_cue(pin, toe_dir)
            row: dict[str, Any] = {"key": f"{key}#{n}", "set": v["set"], "body": v["body"], "split": v["split"],
                                   "bottoms": v["tags"].get("bottoms"), "shoes": bool(v["tags"].get("shoes")), "cue": g["cue"]}
            if tj and tj.get("ankle") is not None:
                ta, tk = np.asarray(tj["ankle"], float), np.asarray(tj["knee"], float)
                lt = float(np.linalg.norm(tk - ta))
                row["lm_err"] = float((g["from_lm"] - ta) @ g["up"] / lt)
                row["lm_raw_above"] = float((np.asarray(pin["ankle"], float) - ta) @ g["up"] / lt)
                row["sole_err"] = float((g["from_sole"] - ta) @ g["up"] / lt) if g["from_sole"] is not None else float("nan")
                row["ankle_z_m"] = tj.get("ankle_z_m")
            if series is not None:
                fr = st["frames"]
                idx = [i for i, p, t in zip(fr["i"], fr["phase"], fr["truth"]) if p == "rest" and t is not None and np.isfinite(t)]
                if len(idx) >= 3:
                    c = colour_cue(video, series, idx, _label_side(series, st["start"], st["end"], np.asarray(pin["ankle"], float)))
                    if c is not None:
                        row.update(c)
            rows.append(row)
    return rows


def real_rows(folder: Path, cache: Path) -> list[dict[str, Any]]:
    """Per stance of the real test-like clips with a pivot: both cues, each estimate against the annotators' ankle."""
    ann = json.loads((folder / "annotations.json").read_text())
    settings = Settings()
    rows = []
    for name, clip in ann["clips"].items():
        if not clip.get("test_like"):
            continue
        video = folder / "clips" / clip["file"]
        _, series, analysis, _ = measure_video_cached(video, settings, cache)
        fps = 1.0 / float(np.median(np.diff(series.times_s)))
        scene = _scene(series, fps, settings, analysis.camera)
        marks = [f for f in ann["frames"] if f["clip"] == name]
        for st in scene.stances:
            with _StanceWatch() as sw:
                k = sk.stance_kinematics(series, scene.tracks, st, scene.facing, fps, settings, analysis.camera)
            pin = sw.rec.get("pivot_in")
            if pin is None:
                continue
            g = geometry_cue(pin, None, scene.facing)
            row: dict[str, Any] = {"key": f"{name}:{st.start}-{st.end}", "world": "real", "cue": g["cue"]}
            pts = np.array([a["ankle_px"] for f in marks if st.start <= f["frame_index"] <= st.end
                            for a in f["annotators"].values() if a.get("ankle_px")], float)
            if len(pts):
                ta = np.median(pts, axis=0)
                row["lm_err"] = float((g["from_lm"] - ta) @ g["up"] / g["length_px"])
                row["lm_raw_above"] = float((np.asarray(pin["ankle"], float) - ta) @ g["up"] / g["length_px"])
                row["sole_err"] = float((g["from_sole"] - ta) @ g["up"] / g["length_px"]) if g["from_sole"] is not None else float("nan")
            rest = np.nonzero(rest_frames(np.asarray(k.smooth, float)))[0] + st.start
            front = {p: scene.tracks.front[p] for p in ("knee", "ankle", "heel", "toe")}
            side = _label_side(series, st.start, st.end, np.nanmedian(front["ankle"][rest], axis=0)) if len(rest) else None
            c = colour_cue(video, series, [int(i) for i in rest], side) if side is not None and len(rest) >= 3 else None
            if c is not None:
                row.update(c)
            rows.append(row)
    return rows


def _threshold(shod: np.ndarray, bare: np.ndarray) -> float:
    """The threshold (cue above it = a shoe) with the fewest misses + false alarms."""
    cands = np.unique(np.concatenate([shod, bare]))
    errs = [int((shod <= c).sum() + (bare > c).sum()) for c in cands]
    return float(cands[int(np.argmin(errs))])


def summary(rows: list[dict[str, Any]], real: list[dict[str, Any]]) -> None:
    """The cues' spread per group and the fit split's best threshold's hits and false alarms elsewhere."""
    for cue in ("cue", "dE", "dC"):
        ok = [r for r in rows if np.isfinite(r.get(cue, np.nan))]
        fit = [r for r in ok if r["split"] == "fit" and r["bottoms"] == "shorts"]
        thr = _threshold(np.array([r[cue] for r in fit if r["shoes"]]), np.array([r[cue] for r in fit if not r["shoes"]]))
        print(f"\n{cue}: threshold {thr:.3f} (fit split, shorts)")
        print("| world | group | stances | 10th / median / 90th pct | read as shod |")
        print("|---|---|---|---|---|")
        for split in ("fit", "report", "dev"):
            for b in ("shorts", "long", "loose"):
                for sh in (False, True):
                    x = np.array([r[cue] for r in ok if r["split"] == split and r["bottoms"] == b and r["shoes"] == sh])
                    if len(x):
                        p = np.percentile(x, [10, 50, 90])
                        print(f"| renders {split} | {b} {'shoes' if sh else 'bare'} | {len(x)} | {p[0]:.3f} / {p[1]:.3f} / {p[2]:.3f} | "
                              f"{int((x > thr).sum())}/{len(x)} |")
        for r in real:
            if np.isfinite(r.get(cue, np.nan)):
                print(f"| real | {r['key']} (shod) | 1 | {r[cue]:.3f} | {'yes' if r[cue] > thr else 'no'} |")


def main() -> int:
    """Cue rows from captures (renders) and/or the real clips; print the summary."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("captures", nargs="*", type=Path)
    ap.add_argument("--renders-root", type=Path, default=Path("/work/renders"))
    ap.add_argument("--cache-root", type=Path, default=Path("/work/cache"))
    ap.add_argument("--cache-for", action="append", default=[], help="SET=DIR: the landmark cache of a set not under --cache-root")
    ap.add_argument("--set-dir", action="append", default=[], help="SET=DIR: a captured set's clips not under --renders-root")
    ap.add_argument("--real", type=Path, default=None)
    ap.add_argument("--real-cache", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    caches = {k: Path(v) for k, v in (c.split("=", 1) for c in args.cache_for)}
    set_dirs = {k: Path(v) for k, v in (c.split("=", 1) for c in args.set_dir)}
    rows: list[dict[str, Any]] = []
    for f in args.captures:
        rows += render_rows(json.loads(f.read_text()), args.renders_root, args.cache_root, caches, set_dirs)
    real = real_rows(args.real, args.real_cache) if args.real is not None else []
    if args.json is not None:
        args.json.write_text(json.dumps({"renders": rows, "real": real}, default=float))
    summary(rows, real)
    return 0


if __name__ == "__main__":
    sys.exit(main())
