"""Does the back leg's knee sitting over the tested shin in the picture predict a confident wrong shin angle?

Diagnosis only (session 23, s23knee). For every matched true rep of the given scored sets, at the rep's true hold
(hold_start_frame..hold_end_frame, medians over the frames inside it) it measures
  - from OUR landmarks (the landmark cache, legs split front/back by ankle_cv.kinematics.legs as the analysis does):
    the back knee's distance to the front shin segment (ankle->knee) and the knee-knee distance, in front shank lengths;
  - the same from the render's truth joints_2d (tested leg vs the other leg);
and joins them with the lead's scored error/valid (scores.json) and the rep's ci95 (results/<clip>.json), then prints
bins of that distance (n, valid MAE, RMS z = error / (ci95 / 1.96), valid reps outside their interval), split by
near/far tested leg, and a threshold "refuse when the back knee is within T shanks of the shin" fitted on fit-split
bodies and checked leave-one-body-out; and a "knee over shin" box (both ratios under given limits; defaults from the
session-23 holdout case's reported geometry, ~0.29 and 0.375, with margin: not fitted) crossed with the bottoms tag.

    python benchmarks/knee_over_shin.py --sets random_v1 random_v3 ... --scores /work/scratch/s23/fin [--json F]
"""

from __future__ import annotations

import argparse
import json
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ankle_cv.kinematics.legs import facing_sign, split_front_back
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.pose.landmarks import PoseSeries

BINS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, np.inf)


@dataclass(frozen=True)
class RepKnee:
    """One matched rep: its score and the back knee's place relative to the tested shin at the hold."""

    set: str
    clip: str
    split: str
    body: str
    near: bool
    truth_rep: int
    error_deg: float
    valid: bool
    ci95_deg: float | None
    z: float | None
    ours_perp: float | None  # back knee to front shin segment / front shank (our landmarks)
    ours_kk: float | None  # knee-knee / front shank (our landmarks)
    truth_perp: float | None
    truth_kk: float | None
    shank_px: float | None
    bottoms: str  # the render's tag: shorts, long, loose


def seg_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Distance of point p from the segment a->b (pixels)."""
    ab = b - a
    t = float(np.clip(np.dot(p - a, ab) / max(float(np.dot(ab, ab)), 1e-9), 0.0, 1.0))
    return float(np.linalg.norm(p - (a + t * ab)))


def ratios(ankle: np.ndarray, knee: np.ndarray, other_knee: np.ndarray) -> tuple[float, float, float] | None:
    """(other knee to shin / shank, knee-knee / shank, shank px), None when any point is missing."""
    if not (np.isfinite(ankle).all() and np.isfinite(knee).all() and np.isfinite(other_knee).all()):
        return None
    shank = float(np.linalg.norm(knee - ankle))
    if shank <= 0:
        return None
    return seg_distance(other_knee, ankle, knee) / shank, float(np.linalg.norm(other_knee - knee)) / shank, shank


def _median(points: np.ndarray) -> np.ndarray:
    """Per-coordinate median over frames, NaN-aware and quiet on all-NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.nanmedian(points, axis=0))


def _ours_ci(result: dict[str, Any], side: str, ours_deg: float | None, peak_s: float) -> float | None:
    """The ci95 of our rep that scored this truth rep (same side and angle, nearest peak)."""
    if ours_deg is None:
        return None
    cands = [r for r in result.get("reps") or [] if r.get("side") == side and r.get("tibial_inclination_deg") is not None
             and abs(float(r["tibial_inclination_deg"]) - ours_deg) < 0.051]
    if not cands:
        return None
    best = min(cands, key=lambda r: abs(float(r.get("peak_s") or 0.0) - peak_s))
    ci = best.get("tibial_inclination_ci95_deg")
    return float(ci) if ci is not None else None


def clip_inputs(set_dir: Path, cache_dir: Path, scores_dir: Path, name: str) -> tuple[dict[str, Any], dict[str, Any], PoseSeries | None]:
    """A scored clip's render truth, our result (empty when not written) and its cached landmarks (None when not cached)."""
    doc = json.loads((set_dir / f"{name}.json").read_text())
    res_path = scores_dir / "results" / f"{name}.json"
    result = json.loads(res_path.read_text()) if res_path.is_file() else {}
    return doc, result, load_cached(cache_file(cache_dir, set_dir / f"{name}.mp4", "full"))


def matched_holds(clip: dict[str, Any], doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any], int, int]]:
    """Each scored rep matched to a true rep with an error, with that true rep and its hold's first and last frame (the
    peak frame where the truth gives no hold): the frames every per-rep diagnosis here reads."""
    truths = {int(t["index"]): t for t in doc["reps"]}
    for rep in clip["reps"]:
        if not rep["matched"] or rep["error_deg"] is None:
            continue
        t = truths[int(rep["truth_rep"])]
        yield rep, t, int(t.get("hold_start_frame", t["peak_frame"])), int(t.get("hold_end_frame", t["peak_frame"]))


def clip_reps(set_name: str, set_dir: Path, cache_dir: Path, scores_dir: Path, clip: dict[str, Any]) -> list[RepKnee]:
    """Every matched rep of one scored clip with its knee-over-shin measures."""
    name = clip["clip"]
    doc, result, series = clip_inputs(set_dir, cache_dir, scores_dir, name)
    tracks = split_front_back(series, facing_sign(series)) if series is not None else None
    frames = doc["frames"]
    out = []
    for rep, t, lo, hi in matched_holds(clip, doc):
        side, other = t["tested_leg"], "right" if t["tested_leg"] == "left" else "left"
        j2 = [f["joints_2d"] for f in frames[lo:hi + 1] if f.get("joints_2d")]
        tr = ratios(_median(np.array([j[f"{side}_ankle"] for j in j2])), _median(np.array([j[f"{side}_knee"] for j in j2])),
                    _median(np.array([j[f"{other}_knee"] for j in j2]))) if j2 else None
        ours = None
        if tracks is not None and series is not None:
            fps = float(doc["video"]["fps"])
            sel = (series.times_s >= lo / fps - 1e-6) & (series.times_s <= hi / fps + 1e-6)
            if sel.any():
                ours = ratios(_median(tracks.front["ankle"][sel]), _median(tracks.front["knee"][sel]), _median(tracks.back["knee"][sel]))
        ci = _ours_ci(result, side, rep["ours_deg"], float(t["peak_time_s"]))
        err = float(rep["error_deg"])
        out.append(RepKnee(set_name, name, rep["split"], rep["body"], bool(rep["near_camera"]), int(rep["truth_rep"]), err,
                           bool(rep["valid"]), ci, err / (ci / 1.96) if ci else None,
                           ours[0] if ours else None, ours[1] if ours else None, tr[0] if tr else None,
                           tr[1] if tr else None, ours[2] if ours else None, str(clip["tags"].get("bottoms"))))
    return out


class ScoredRep(Protocol):
    """What the tables read of a rep (RepKnee here, far_knee_outline.RepFront)."""

    @property
    def valid(self) -> bool: ...
    @property
    def z(self) -> float | None: ...
    @property
    def error_deg(self) -> float: ...


def outside(r: ScoredRep) -> bool:
    """A valid rep whose truth lies outside its 95 % interval (the confident wrong number)."""
    return r.valid and r.z is not None and abs(r.z) > 1.96


def bin_table(reps: Sequence[ScoredRep], key: str, title: str, bins: Sequence[float] = BINS) -> str:
    """Markdown: bins of `key` vs n reps, n valid, valid MAE, RMS z, valid reps outside."""
    lines = [f"\n{title}\n", "| bin | n | valid | valid MAE ° | RMS z | outside (valid) |", "|---|---|---|---|---|---|"]
    for lo, hi in zip(bins[:-1], bins[1:]):
        sel = [r for r in reps if getattr(r, key) is not None and lo <= getattr(r, key) < hi]
        val = [r for r in sel if r.valid]
        zs = [r.z for r in val if r.z is not None]
        mae = f"{np.mean([abs(r.error_deg) for r in val]):.2f}" if val else "-"
        rms = f"{np.sqrt(np.mean(np.square(zs))):.2f}" if zs else "-"
        lines.append(f"| {lo:.2f}–{hi:.2f} | {len(sel)} | {len(val)} | {mae} | {rms} | {sum(outside(r) for r in val)} |")
    return "\n".join(lines)


def box_table(reps: list[RepKnee], perp: float, kk: float) -> str:
    """Markdown: reps with the back knee over the tested shin (ours_perp < perp and ours_kk < kk) or not, by bottoms."""
    lines = [f"\nback knee over the tested shin (our landmarks: to shin < {perp} and knee-knee < {kk} shanks), by bottoms\n",
             "| bottoms | knee over shin | n | invalid | valid MAE ° | RMS z | valid |err| > 5° | outside (valid) |",
             "|---|---|---|---|---|---|---|---|"]
    for bottoms in sorted({r.bottoms for r in reps}):
        for over in (True, False):
            sel = [r for r in reps if r.bottoms == bottoms and r.ours_perp is not None and r.ours_kk is not None
                   and (r.ours_perp < perp and r.ours_kk < kk) == over]
            val = [r for r in sel if r.valid]
            zs = [r.z for r in val if r.z is not None]
            mae = f"{np.mean([abs(r.error_deg) for r in val]):.2f}" if val else "-"
            rms = f"{np.sqrt(np.mean(np.square(zs))):.2f}" if zs else "-"
            lines.append(f"| {bottoms} | {'yes' if over else 'no'} | {len(sel)} | {len(sel) - len(val)} | {mae} | {rms} | "
                         f"{sum(abs(r.error_deg) > 5 for r in val)} | {sum(outside(r) for r in val)} |")
    return "\n".join(lines)


def _cost(reps: list[RepKnee], key: str, thr: float) -> tuple[int, int]:
    """(bad valid reps caught, good valid reps refused) by refusing valid reps with key < thr."""
    hit = [r for r in reps if r.valid and getattr(r, key) is not None and getattr(r, key) < thr]
    return sum(outside(r) for r in hit), sum(not outside(r) for r in hit)


def fit_threshold(reps: list[RepKnee], key: str) -> float:
    """The threshold maximising caught bad minus refused good (ties: the smaller), 0 when nothing is worth it."""
    cands = sorted({round(float(getattr(r, key)), 3) + 1e-4 for r in reps if r.valid and getattr(r, key) is not None})
    best, best_score = 0.0, 0
    for thr in cands:
        caught, refused = _cost(reps, key, thr)
        if caught - refused > best_score:
            best, best_score = thr, caught - refused
    return best


def threshold_report(reps: list[RepKnee], key: str) -> str:
    """Fit on fit-split reps, report on the report split, and leave-one-body-out over all reps."""
    fit = [r for r in reps if r.split == "fit"]
    thr = fit_threshold(fit, key)
    lines = [f"\nthreshold on {key} (refuse valid reps below it): fitted on fit split = {thr:.3f}"]
    for name, part in (("fit", fit), ("report", [r for r in reps if r.split != "fit"])):
        caught, refused = _cost(part, key, thr)
        bad = sum(outside(r) for r in part)
        lines.append(f"  {name}: caught {caught}/{bad} outside-interval valid reps, refused {refused} good valid reps "
                     f"of {sum(r.valid and not outside(r) for r in part)}")
    caught_t = refused_t = 0
    bodies = sorted({r.body for r in reps})
    for body in bodies:
        thr_b = fit_threshold([r for r in fit if r.body != body], key)
        c, g = _cost([r for r in reps if r.body == body], key, thr_b)
        caught_t, refused_t = caught_t + c, refused_t + g
    lines.append(f"  leave-one-body-out ({len(bodies)} bodies): caught {caught_t}/{sum(outside(r) for r in reps)}, "
                 f"refused {refused_t} good of {sum(r.valid and not outside(r) for r in reps)}")
    return "\n".join(lines)


def main() -> None:
    """Collect every matched rep of the sets and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", required=True)
    parser.add_argument("--renders", type=Path, default=Path("/work/renders"))
    parser.add_argument("--caches", type=Path, default=Path("/work/cache"))
    parser.add_argument("--scores", type=Path, required=True, help="folder with <set>/scores.json and <set>/results/")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--over-perp", type=float, default=0.35, help="knee-over-shin box: back knee to shin / shank below")
    parser.add_argument("--over-kk", type=float, default=0.45, help="knee-over-shin box: knee-knee / shank below")
    args = parser.parse_args()
    reps: list[RepKnee] = []
    for s in args.sets:
        doc = json.loads((args.scores / s / "scores.json").read_text())
        for clip in doc["clips"]:
            reps.extend(clip_reps(s, args.renders / s, args.caches / s, args.scores / s, clip))
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in reps], indent=1))
    for near in (False, True):
        part = [r for r in reps if r.near == near]
        leg = "near" if near else "far"
        print(bin_table(part, "ours_perp", f"{leg} tested leg: back knee to tested shin / shank, our landmarks"))
        print(bin_table(part, "ours_kk", f"{leg} tested leg: knee-knee / shank, our landmarks"))
        print(bin_table(part, "truth_perp", f"{leg} tested leg: other knee to tested shin / shank, truth joints_2d"))
        print(bin_table(part, "truth_kk", f"{leg} tested leg: knee-knee / shank, truth joints_2d"))
        print(box_table(part, args.over_perp, args.over_kk))
        for key in ("ours_perp", "ours_kk"):
            print(threshold_report(part, key))


if __name__ == "__main__":
    main()
