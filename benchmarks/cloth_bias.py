"""Where the valid reps' systematic angle bias by clothes comes from: each estimator's standing and turn error (issue 19).

    python benchmarks/cloth_bias.py SET_DIR [SET_DIR ...] --cache-root /work/cache --json OUT.json [--only r001,r002]
    python benchmarks/cloth_bias.py OUT.json [OUT2.json ...] --table

Capture: every rendered clip (manifest.json as benchmarks/render_random_set.py writes it) is analysed as `ankle-cv
analyze` does (landmarks from the cache <cache-root>/<set name>), then each stance's kinematics is re-run with
kinematics.estimator_choice.choose_angle watched (choice_watch), so the landmarks, the edge line and the outline's turn
are those the product combined, each carried into the leg's plane by the frame's own shift. Per stance it also keeps
what they rest on: the rest outline's distance ahead of the shank (the fabric cue), the calibration gap, how far the
cloth's reference raised the edge, the stance's pivot reading and the turn's pivot against the renders' true ankle
joint (shank lengths along the shank, + = the pivot below the joint), and the pivot's two estimates' inputs (the landmark
ankle, the heel's floor contact, the sole's length) beside the truth's joints at rest (benchmarks/shoe_cue.py reads them). Per rep (matched to the truth by leg and peak
time): each estimator's error at the rest frames before and after the rep (the truth within 3 deg of the stance's
lowest among the frames it marks "rest": the standing reference; step-in clips have none) and over the hold, so the hold error splits into standing + turn.
--table reads capture JSONs and prints, per clothes group and split, the valid reps' bias, their stances' standing error
at the product's own rest frames and each estimator's bias over the hold. Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from choice_watch import ChoiceWatch

import ankle_cv.protocol.stance_kinematics as sk
from ankle_cv.kinematics.shank import rest_frames
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.protocol.analysis import _scene
from ankle_cv.settings import Settings

REST_WITHIN_DEG = 3.0  # rest frames: the truth within this of the stance's lowest true angle at rest
KEYS = ("fused", "edge", "turn", "lm")


class _StanceWatch:
    """Records, per stance_kinematics call, the fabric cue, the pivot reading and the turn's pivot (last call wins)."""

    def __init__(self) -> None:
        self.rec: dict[str, Any] = {}
        self._orig = (sk.outline_ahead_shanks, sk.pivot_low_shanks, sk.turned_angles_deg, sk.ankle_pivot)

    def __enter__(self) -> _StanceWatch:
        ahead0, low0, turned0, pivot0 = self._orig

        def pivot_parts(landmark_ankle: Any, length_px: float, facing: int, up: Any = None, heel_back: Any = None,
                        sole_px: float = float("nan"), **kw: Any) -> Any:
            self.rec["pivot_in"] = {"ankle": [float(v) for v in landmark_ankle], "length_px": float(length_px),
                                    "heel_back": None if heel_back is None else [float(v) for v in heel_back], "sole_px": float(sole_px),
                                    "up": None if up is None else [float(v) for v in up]}
            v = pivot0(landmark_ankle, length_px, facing, up, heel_back, sole_px, **kw)
            self.rec["pivot0"] = [float(v[0]), float(v[1])]
            return v

        def ahead(*a: Any, **k: Any) -> float:
            v = ahead0(*a, **k)
            self.rec["ahead"] = v
            return v

        def low(*a: Any, **k: Any) -> float:
            v = low0(*a, **k)
            self.rec["pivot_low"] = v
            return v

        def turned(edge_x: Any, rows: Any, pivot: Any, *a: Any, **k: Any) -> Any:
            self.rec["pivot"] = [float(pivot[0]), float(pivot[1])]
            return turned0(edge_x, rows, pivot, *a, **k)

        sk.outline_ahead_shanks, sk.pivot_low_shanks, sk.turned_angles_deg = ahead, low, turned  # type: ignore[assignment]
        sk.ankle_pivot = pivot_parts
        return self

    def __exit__(self, *exc: object) -> None:
        sk.outline_ahead_shanks, sk.pivot_low_shanks, sk.turned_angles_deg, sk.ankle_pivot = self._orig


def _med(x: np.ndarray) -> float:
    """NaN-safe median."""
    x = np.asarray(x, float)
    return float(np.nanmedian(x)) if np.isfinite(x).any() else float("nan")


def _pivot_error_shanks(pivot: list[float], truth_frames: list[dict[str, Any]], side: str, rest_idx: np.ndarray) -> float:
    """The turn's pivot below the true ankle joint along the true shank at rest, in true shank lengths (+ = too low)."""
    ankle = np.array([truth_frames[int(i)]["joints_2d"][f"{side}_ankle"] for i in rest_idx], float)
    knee = np.array([truth_frames[int(i)]["joints_2d"][f"{side}_knee"] for i in rest_idx], float)
    a, kn = np.median(ankle, axis=0), np.median(knee, axis=0)
    axis = kn - a
    length = float(np.linalg.norm(axis))
    if not np.isfinite(length) or length <= 0:
        return float("nan")
    return float(-(np.asarray(pivot) - a) @ axis / length**2)


def _true_rest_joints(truth_frames: list[dict[str, Any]], side: str, rest_idx: np.ndarray) -> dict[str, Any]:
    """The truth's joints of the leg at rest (image medians) and the ankle joint's height above the floor (m, 3-D)."""
    out: dict[str, Any] = {}
    for j in ("ankle", "knee", "heel", "toe_tip", "mtp"):
        pts = [truth_frames[int(i)]["joints_2d"].get(f"{side}_{j}") for i in rest_idx]
        pts = [p for p in pts if p is not None]
        out[j] = np.median(np.array(pts, float), axis=0).tolist() if pts else None
    out["ankle_z_m"] = _med(np.array([truth_frames[int(i)]["joints_3d"][f"{side}_ankle"][2] for i in rest_idx], float))
    return out


def capture_clip(video: Path, cache: Path | None) -> dict[str, Any]:
    """Per stance and per matched rep, each estimator's standing and hold errors."""
    settings = Settings()
    _, series, analysis, _ = measure_video_cached(video, settings, cache)
    tdoc = json.loads(video.with_suffix(".json").read_text())
    tframes = tdoc["frames"]
    fps_t = float(tdoc["video"]["fps"])
    tidx = np.clip(np.round((series.times_s - series.times_s[0]) * fps_t).astype(int), 0, len(tframes) - 1)
    fps = 1.0 / float(np.median(np.diff(series.times_s)))
    scene = _scene(series, fps, settings, analysis.camera)
    stances, per_frame = [], {}
    for n, st in enumerate(scene.stances):
        with ChoiceWatch() as w, _StanceWatch() as sw:
            k = sk.stance_kinematics(series, scene.tracks, st, scene.facing, fps, settings, analysis.camera)
        if not w.calls:
            continue
        lm, edge, turn = w.calls[-1]
        shift = k.incl - k.incl_image
        truth = np.array([tframes[int(tidx[i])]["tibial_inclination_deg"] if tframes[int(tidx[i])].get("front_leg") == st.side
                          else np.nan for i in range(st.start, st.end + 1)], float)
        truth2d = np.array([tframes[int(tidx[i])].get("shin_angle_2d_gt_deg", np.nan) if np.isfinite(truth[j]) else np.nan
                            for j, i in enumerate(range(st.start, st.end + 1))], float)
        vals = {"lm": lm + shift, "edge": edge + shift, "turn": turn + shift, "fused": np.asarray(k.incl, float)}
        img = {"lm": lm, "edge": edge, "turn": turn}
        phase = [str(tframes[int(tidx[i])].get("rep_phase")) for i in range(st.start, st.end + 1)]
        rest = np.isfinite(truth) & np.array([p == "rest" for p in phase])  # standing still between reps, per the truth
        if rest.any():
            rest &= truth <= np.nanmin(truth[rest]) + REST_WITHIN_DEG
        own_rest = rest_frames(np.asarray(k.smooth, float)) & np.isfinite(truth)  # the product's own rest frames
        rest_idx = tidx[st.start:st.end + 1][rest]
        piv_err = _pivot_error_shanks(sw.rec["pivot"], tframes, st.side, rest_idx) if "pivot" in sw.rec and rest.any() else float("nan")
        joints = _true_rest_joints(tframes, st.side, rest_idx) if rest.any() else None
        stances.append({"n": n, "side": st.side, "pivot_in": sw.rec.get("pivot_in"), "pivot0": sw.rec.get("pivot0"),
                        "pivot_used": sw.rec.get("pivot"), "true_joints": joints, "start": st.start, "end": st.end, "ahead": sw.rec.get("ahead", float("nan")),
                        "gap": float(k.shank.calibration_gap_deg), "fabric_rise": float(k.shank.fabric_rise_deg),
                        "pivot_low": sw.rec.get("pivot_low", float("nan")), "pivot_err": piv_err, "length_px": float(k.shank.shank_length_px),
                        "rest_err": {key: _med(v[rest] - truth[rest]) for key, v in vals.items()},
                        "rest_err_2d": {key: _med(v[rest] - truth2d[rest]) for key, v in img.items()},
                        "own_rest_err": {key: _med(v[own_rest] - truth[own_rest]) for key, v in vals.items()},
                        "n_rest": int(rest.sum()), "n_own_rest": int(own_rest.sum()),
                        "frames": {"i": list(range(st.start, st.end + 1)), "truth": truth.tolist(), "truth2d": truth2d.tolist(),
                                   "phase": phase, "smooth": np.asarray(k.smooth, float).tolist(),
                                   **{key: np.asarray(v, float).tolist() for key, v in vals.items()},
                                   **{f"{key}_2d": np.asarray(v, float).tolist() for key, v in img.items()}}})
        for j, i in enumerate(range(st.start, st.end + 1)):
            per_frame[i] = {"stance": len(stances) - 1, "truth": truth[j], "truth2d": truth2d[j], "rest": bool(rest[j]),
                            **{key: float(v[j]) for key, v in vals.items()}, **{f"{key}_2d": float(v[j]) for key, v in img.items()}}
    reps = []
    t0 = float(series.times_s[0])
    for r in analysis.reps:
        cands = [t for t in tdoc["reps"] if t["tested_leg"] == r.side and t["start_time_s"] - 0.02 <= r.peak_s - t0 <= t["end_time_s"] + 0.02]
        if not cands or r.tibial_inclination_deg is None:
            continue
        t = min(cands, key=lambda t: abs(t["peak_time_s"] - (r.peak_s - t0)))
        hold = [per_frame[i] for i in range(r.hold_start_frame, r.hold_end_frame + 1) if i in per_frame]
        if not hold:
            continue
        s = hold[0]["stance"]
        rep = {"rep": r.index, "side": r.side, "stance": s, "truth": float(t["peak_tibial_inclination_deg"]),
               "ours": float(r.tibial_inclination_deg), "ci": float(r.tibial_inclination_ci95_deg or np.nan), "valid": bool(r.valid),
               "hold_truth": _med(np.array([h["truth"] for h in hold])), "hold": [r.hold_start_frame, r.hold_end_frame]}
        for key in KEYS:
            rep[f"hold_{key}"] = _med(np.array([h[key] - h["truth"] for h in hold]))
        for key in ("lm", "edge", "turn"):
            rep[f"hold_{key}_2d"] = _med(np.array([h[f"{key}_2d"] - h["truth2d"] for h in hold]))
        reps.append(rep)
    return {"stances": stances, "reps": reps}


def _clips(folder: Path, only: set[str]) -> list[tuple[Path, str, str, dict[str, Any]]]:
    """(video, body, split, tags) of every rendered clip in the manifest with its truth JSON."""
    out = []
    if not (folder / "manifest.json").is_file():  # the development renders: every clip with its truth, one split "dev"
        for video in sorted(folder.glob("*.mp4")):
            if video.with_suffix(".json").is_file() and (not only or any(video.stem.startswith(o) for o in only)):
                a = json.loads(video.with_suffix(".json").read_text())["args"]
                out.append((video, "dev", "dev", {"bottoms": a.get("bottoms"), "shoes": bool(a.get("shoes"))}))
        return out
    for c in json.loads((folder / "manifest.json").read_text())["clips"]:
        video = folder / f"{c['id']}.mp4"
        if video.is_file() and video.with_suffix(".json").is_file() and (not only or any(c["id"].startswith(o) for o in only)):
            out.append((video, str(c["body"]), str(c["split"]), dict(c.get("tags", {}))))
    return out


def group_of(tags: dict[str, Any]) -> str:
    """The clothes group: bottoms and shoes."""
    return f"{tags.get('bottoms')} {'shoes' if tags.get('shoes') else 'bare'}"


def table(doc: dict[str, Any]) -> None:
    """Per clothes group and split: the valid reps' bias (mean of ours - truth), what their stances' standing reads (the
    product's own rest frames against the truth) and each estimator's bias over the hold."""
    rows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for v in doc.values():
        for r in v["reps"]:
            if not r["valid"]:
                continue
            st = v["stances"][r["stance"]]
            row = {**r, "st": st, "fabric": bool(st["fabric_rise"] != 0.0)}
            rows[(group_of(v["tags"]), v["split"])].append(row)
    print("| clothes | split | valid reps (fabric) | product: bias / MAE | standing (own rest frames) | hold: fused / edge line / turn / landmarks "
          "| hold less standing (truth's rest frames): edge line / turn | turn's pivot below the joint (shanks) |")
    print("|---|---|---|---|---|---|---|---|")
    for (g, split), rs in sorted(rows.items()):
        def m(f: Any, rs: list[dict[str, Any]] = rs) -> float:
            """The mean over the group's reps."""
            return float(np.nanmean([f(r) for r in rs]))

        hold = [m(lambda r, k=k: r[f"hold_{k}"]) for k in KEYS]
        print(f"| {g} | {split} | {len(rs)} ({sum(r['fabric'] for r in rs)}) | {m(lambda r: r['ours'] - r['truth']):+.2f} / "
              f"{m(lambda r: abs(r['ours'] - r['truth'])):.2f} | {m(lambda r: r['st']['own_rest_err']['fused']):+.2f} | "
              + " / ".join(f"{x:+.2f}" for x in hold) + f" | {m(lambda r: r['hold_edge'] - r['st']['rest_err']['edge']):+.2f} / "
              f"{m(lambda r: r['hold_turn'] - r['st']['rest_err']['turn']):+.2f} | {m(lambda r: r['st']['pivot_err']):+.3f} |")


def main() -> int:
    """Capture the sets into one JSON, or print the table from such JSONs."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--cache-root", type=Path, default=None)
    ap.add_argument("--only", default="")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--table", action="store_true")
    args = ap.parse_args()
    if args.table:
        doc: dict[str, Any] = {}
        for f in args.sets:
            doc.update(json.loads(f.read_text()))
        table(doc)
        return 0
    if args.json is None:
        ap.error("--json is required to capture")
    only = {o for o in args.only.split(",") if o}
    out: dict[str, Any] = json.loads(args.json.read_text()) if args.json.is_file() else {}
    for folder in args.sets:
        cache = args.cache_root / folder.name if args.cache_root is not None else None
        for video, body, split, tags in _clips(folder, only):
            key = f"{folder.name}/{video.stem}"
            if key in out:
                continue
            try:
                got = capture_clip(video, cache)
            except Exception as exc:  # a diagnosis run goes on past one clip
                print(f"{key}: {exc!r}", file=sys.stderr)
                continue
            out[key] = {"set": folder.name, "clip": video.stem, "body": body, "split": split, "tags": tags, **got}
            print(f"{key} ({split}, {body}, {group_of(tags)}): {len(got['reps'])} reps", file=sys.stderr)
            args.json.write_text(json.dumps(out, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
