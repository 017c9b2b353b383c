"""Does the outline lose the front of a far knee? The silhouette's front edge at the knee landmark's height, per rep.

Diagnosis (session 24, s24far). For every matched true rep of the given scored sets, at the rep's true hold (medians over
its analysed frames), from the landmark cache (legs split front/back as the analysis does) and the render's truth:
  - lm_front: the person mask's front edge over the rows within KNEE_BAND shank of the front knee landmark, the foremost
    point ahead of the landmark, in front shank lengths (a knee's front stands ~0.17 shank ahead of its joint centre);
  - true_front: the same at the true tested knee (joints_2d): negative when the mask's front lies behind the true knee;
  - lm_knee_back: how far the knee landmark lies behind the true knee along the image x, in shanks;
joined with the lead's scored error/valid (scores.json) and the rep's ci95 (results/<clip>.json). Prints per near/far
bins of lm_front with n, valid, valid MAE, RMS z and valid reps outside their interval, and the far valid reps sorted
by lm_front.

    python benchmarks/far_knee_outline.py --sets random_v1 random_v3 ... --scores /work/scratch/s23/fin [--json F]
"""

from __future__ import annotations

import argparse
import json
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ankle_cv.kinematics.legs import facing_sign, split_front_back
from benchmarks.knee_over_shin import _ours_ci, bin_table, clip_inputs, matched_holds

KNEE_BAND = 0.1  # rows within this share of the shank of the knee's height
BINS = (-np.inf, 0.0, 0.05, 0.10, 0.15, 0.20, 0.30, np.inf)


@dataclass(frozen=True)
class RepFront:
    """One matched rep: its score and the outline's front at the knee's height over the hold."""

    set: str
    clip: str
    split: str
    body: str
    near: bool
    error_deg: float
    valid: bool
    ci95_deg: float | None
    z: float | None
    lm_front: float | None
    true_front: float | None
    lm_knee_back: float | None
    shank_px: float | None
    bottoms: str
    contrast: str


def front_ahead(edge_x: np.ndarray, rows_y: np.ndarray, knee: np.ndarray, facing: int, shank: float) -> float:
    """The mask's foremost front-edge point within KNEE_BAND shank of the knee's row, ahead of the knee, in shanks."""
    if not (np.isfinite(knee).all() and shank > 0):
        return float("nan")
    near = np.abs(rows_y - knee[1]) <= KNEE_BAND * shank
    ahead = facing * (edge_x[near] - knee[0]) / shank
    ahead = ahead[np.isfinite(ahead) & (ahead < 0.5)]
    return float(np.max(ahead)) if ahead.size else float("nan")


def _nanmed(x: list[float]) -> float | None:
    """NaN-aware median of a list, None when empty."""
    a = np.array(x, float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        m = float(np.nanmedian(a)) if a.size else float("nan")
    return m if np.isfinite(m) else None


def clip_reps(set_name: str, set_dir: Path, cache_dir: Path, scores_dir: Path, clip: dict[str, Any]) -> list[RepFront]:
    """Every matched rep of one scored clip with its knee-front measures."""
    name = clip["clip"]
    doc, result, series = clip_inputs(set_dir, cache_dir, scores_dir, name)
    if series is None or not series.has_mask:
        return []
    facing = facing_sign(series)
    tracks = split_front_back(series, facing)
    edge = np.asarray(series.mask_right_x if facing > 0 else series.mask_left_x, float)
    rows = np.asarray(series.mask_rows_y, float)
    frames, fps = doc["frames"], float(doc["video"]["fps"])
    out = []
    for rep, t, lo, hi in matched_holds(clip, doc):
        side = t["tested_leg"]
        sel = np.nonzero((series.times_s >= lo / fps - 1e-6) & (series.times_s <= hi / fps + 1e-6))[0]
        lm_f, tr_f, back, shanks = [], [], [], []
        for i in sel:
            j = frames[min(int(round(series.times_s[i] * fps)), len(frames) - 1)].get("joints_2d")
            knee, ankle = tracks.front["knee"][i], tracks.front["ankle"][i]
            shank = float(np.linalg.norm(knee - ankle))
            if not np.isfinite(shank) or shank <= 0:
                continue
            shanks.append(shank)
            lm_f.append(front_ahead(edge[i], rows, knee, facing, shank))
            if j:
                tk = np.asarray(j[f"{side}_knee"], float)
                tr_f.append(front_ahead(edge[i], rows, tk, facing, shank))
                back.append(facing * (tk[0] - knee[0]) / shank)
        ci = _ours_ci(result, side, rep["ours_deg"], float(t["peak_time_s"]))
        err = float(rep["error_deg"])
        out.append(RepFront(set_name, name, rep["split"], rep["body"], bool(rep["near_camera"]), err, bool(rep["valid"]), ci,
                            err / (ci / 1.96) if ci else None, _nanmed(lm_f), _nanmed(tr_f), _nanmed(back), _nanmed(shanks),
                            str(clip["tags"].get("bottoms")), str(clip["tags"].get("contrast"))))
    return out


def main() -> int:
    """Measure every matched rep of the sets and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", required=True)
    ap.add_argument("--scores", type=Path, required=True)
    ap.add_argument("--renders", type=Path, default=Path("/work/renders"))
    ap.add_argument("--cache-root", type=Path, default=Path("/work/cache"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    reps: list[RepFront] = []
    for s in args.sets:
        scores = json.loads((args.scores / s / "scores.json").read_text())
        for clip in scores["clips"]:
            reps += clip_reps(s, args.renders / s, args.cache_root / s, args.scores / s, clip)
    for near in (False, True):
        part = [r for r in reps if r.near == near]
        tag = "near" if near else "far"
        print(bin_table(part, "lm_front", f"{tag} tested leg: mask front ahead of the knee landmark / shank, at the hold", bins=BINS))
        print(bin_table(part, "true_front", f"{tag} tested leg: mask front ahead of the TRUE knee / shank, at the hold", bins=BINS))
    print("\nfar valid reps, lowest lm_front first\n")
    print("| set | clip | split | error | ci | z | lm_front | true_front | lm knee back | shank px | bottoms | contrast |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    far = sorted([r for r in reps if not r.near and r.valid and r.lm_front is not None], key=lambda r: r.lm_front or 0.0)
    for r in far[:30]:
        print(f"| {r.set} | {r.clip} | {r.split} | {r.error_deg:+.1f} | {r.ci95_deg or float('nan'):.1f} | {r.z or float('nan'):+.2f} | "
              f"{r.lm_front:.3f} | {r.true_front if r.true_front is not None else float('nan'):.3f} | "
              f"{r.lm_knee_back if r.lm_knee_back is not None else float('nan'):.3f} | {r.shank_px or float('nan'):.0f} | {r.bottoms} | {r.contrast} |")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in reps], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
