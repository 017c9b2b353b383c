"""When does the shin's edge line hold? Per-frame estimators and edge-support cues against the renders' truth (issue 19 item 2).

    python benchmarks/edge_trust.py SET_DIR [SET_DIR ...] --cache-root /work/cache [--cache DIR] [--only r015,r016] --json OUT.json
        [--crops DIR]
    python benchmarks/edge_trust.py OUT.json [OUT2.json ...] --scan 0.4,0.5,0.6
    python benchmarks/edge_trust.py OUT.json [OUT2.json ...] --bridged

For every rendered clip (manifest.json as benchmarks/render_random_set.py writes it, or any folder of <clip>.mp4 +
<clip>.json truth), analyses it as `ankle-cv analyze` does (landmarks from the cache <cache-root>/<set name> when there),
then re-runs each stance's kinematics with kinematics.estimator_choice.choose_angle watched, so the three estimators it
combines (landmarks, edge line, outline turn) are captured exactly as the product saw them. Per frame it writes each
estimator carried into the leg's plane by the frame's own shift (product angle in the plane minus in the image), the
truth, and the edge line's support cues (kinematics.edge_support); per rep (matched to the truth by leg and peak time)
the hold medians. --scan T1,T2 reads capture JSONs instead and prints, per split and minimum support share, the
per-rep error with the edge line kept only where kinematics.edge_support.trusted_edge keeps it. --bridged reads capture
JSONs and lists the reps whose hold has frames where the edge line was bridged from its neighbours, not fitted
(kinematics.shank; estimator_choice.with_bridged_doubt), each estimator's error there and whether the rep's interval
holds the truth. --crops DIR saves, for each rep's hold middle frame, a crop around the shin with the mask's front edge
(dots), the fitted edge line (red), the turn (green), the landmarks (blue) and the truth (white) drawn.
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

from choice_watch import ChoiceWatch

import ankle_cv.protocol.stance_kinematics as sk
from ankle_cv.kinematics.edge_support import edge_support, trusted_edge
from ankle_cv.kinematics.estimator_choice import choose_angle
from ankle_cv.kinematics.fitted import EDGE_OFFSET_PER_DEG
from ankle_cv.kinematics.legs import find_stances, split_front_back
from ankle_cv.kinematics.shank import steadied_ankle
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.pose.cache import prepare_cache_dir
from ankle_cv.protocol.analysis import _within
from ankle_cv.protocol.movement import check_movement
from ankle_cv.settings import Settings


def _clips(folder: Path, only: set[str]) -> list[tuple[Path, str, str, dict[str, Any]]]:
    """(video, body, split, tags) of every rendered clip with its truth JSON."""
    manifest = folder / "manifest.json"
    out = []
    if manifest.is_file():
        for c in json.loads(manifest.read_text())["clips"]:
            video = folder / f"{c['id']}.mp4"
            if video.is_file() and video.with_suffix(".json").is_file():
                out.append((video, str(c["body"]), str(c["split"]), dict(c.get("tags", {}))))
    else:  # the dev renders (truth beside each clip) or the real clips (clips/, no truth: the cues only)
        videos = sorted([*folder.glob("*.mp4"), *folder.glob("clips/*.mp4"), *folder.glob("clips/*.webm")])
        out = [(v, v.stem, "check" if v.with_suffix(".json").is_file() else "real", {}) for v in videos]
    return [x for x in out if not only or any(x[0].stem.startswith(o) for o in only)]


def _truth_index(times_s: np.ndarray, truth: dict[str, Any]) -> np.ndarray:
    """The truth frame of each analysed sample."""
    fps = float(truth["video"]["fps"])
    n = len(truth["frames"])
    return np.clip(np.round((times_s - times_s[0]) * fps).astype(int), 0, n - 1)


def _med(x: np.ndarray) -> float:
    """NaN-safe median."""
    return float(np.nanmedian(x)) if np.isfinite(x).any() else float("nan")


def capture_clip(video: Path, cache: Path | None, crops: Path | None = None) -> dict[str, Any]:
    """Per-frame and per-rep rows of one clip."""
    settings = Settings()
    _, series, analysis, _ = measure_video_cached(video, settings, cache)
    truth_file = video.with_suffix(".json")
    truth: dict[str, Any] = json.loads(truth_file.read_text()) if truth_file.is_file() else {"frames": [], "reps": [], "video": {"fps": 30.0}}
    tframes = truth["frames"]
    tidx = _truth_index(series.times_s, truth) if tframes else np.zeros(series.n_frames, int)
    fps = 1.0 / float(np.median(np.diff(series.times_s)))
    facing = 1 if analysis.facing == "right" else -1
    tracks = split_front_back(series, facing)
    stances = _within(find_stances(tracks, facing, fps, settings.side),
                      check_movement(series, tracks.front, tracks.back, fps).geometry_runs(fps))
    frames: list[dict[str, Any]] = []
    per_frame: dict[int, dict[str, Any]] = {}
    for st in stances:
        if st.end - st.start + 1 < 3:
            continue
        with ChoiceWatch() as w:
            k = sk.stance_kinematics(series, tracks, st, facing, fps, settings, analysis.camera)
        if not w.calls:
            continue
        lm, edge, turn = w.calls[-1]
        bridged = w.bridged[-1]
        shift = k.incl - k.incl_image
        sl = slice(st.start, st.end + 1)
        edge_x = series.mask_right_x if facing > 0 else series.mask_left_x
        assert edge_x is not None and series.mask_rows_y is not None
        anchor = steadied_ankle(tracks.front["ankle"][sl], fps)
        length = k.shank.shank_length_px
        for j, i in enumerate(range(st.start, st.end + 1)):
            tf = tframes[int(tidx[i])] if tframes else {"tibial_inclination_deg": float("nan")}
            if tframes and tf.get("front_leg") != st.side and tf.get("tested_leg") != st.side:
                continue
            raw_guess = edge[j] * (1.0 + EDGE_OFFSET_PER_DEG) + (k.shank.edge_offset_deg or 0.0)  # shank.axis_from_edge_deg inverted
            sup = edge_support(edge_x[i], series.mask_rows_y, anchor[j], float(raw_guess), length, facing)
            row = {"i": i, "t": float(series.times_s[i]), "side": st.side, "truth": float(tf["tibial_inclination_deg"]), "shift": float(shift[j]),
                   "lm": float(lm[j] + shift[j]), "edge": float(edge[j] + shift[j]), "turn": float(turn[j] + shift[j]),
                   "fused": float(k.incl[j]), "sigma": float(k.shank.sigma_deg[j]) if k.shank.sigma_deg is not None else float("nan"),
                   "source": int(k.shank.source[j]), "length_px": float(length), **sup.as_dict(),
                   "share_p": float(k.shank.edge_support_share[j]) if k.shank.edge_support_share is not None else float("nan"),
                   "bridged": bool(bridged[j]) if bridged is not None else None}
            frames.append(row)
            per_frame[i] = row
    reps = []
    t0 = float(series.times_s[0])
    for r in analysis.reps:
        cands = [t for t in truth["reps"] if t["tested_leg"] == r.side and t["start_time_s"] - 0.02 <= r.peak_s - t0 <= t["end_time_s"] + 0.02]
        if not cands:
            continue
        t = min(cands, key=lambda t: abs(t["peak_time_s"] - (r.peak_s - t0)))
        hold = [per_frame[i] for i in range(r.hold_start_frame, r.hold_end_frame + 1) if i in per_frame]
        rep = {"rep": r.index, "side": r.side, "truth": float(t["peak_tibial_inclination_deg"]), "ours": float(r.tibial_inclination_deg),
               "ci": float(r.tibial_inclination_ci95_deg), "valid": bool(r.valid), "hold": [r.hold_start_frame, r.hold_end_frame]}
        for key in ("lm", "edge", "turn", "fused", "share", "rms", "bend_deg", "ahead_sd"):
            rep[key] = _med(np.array([h[key] for h in hold], float)) if hold else float("nan")
        rep["bridged"] = float(np.mean([_bridged(h) for h in hold])) if hold else float("nan")
        reps.append(rep)
        if crops is not None:
            _save_crop(video, crops, r, per_frame, series, tracks, facing, fps)
    return {"frames": frames, "reps": reps}


def _bridged(row: dict[str, Any]) -> bool:
    """The frame's edge line was bridged from its neighbours, not fitted (captures before the flag existed: the product's
    support share is NaN where the frame's own line was not fitted)."""
    flag = row.get("bridged")
    if flag is not None:
        return bool(flag)
    return bool(np.isfinite(row["edge"]) and not np.isfinite(row["share_p"]))


def bridged_report(doc: dict[str, Any]) -> None:
    """Per split: the edge line's hold error where it was fitted and where bridged, and every rep with bridged hold
    frames (each estimator's error at the hold, the product's error and interval)."""
    for split in sorted({v["split"] for v in doc.values()}):
        fitted, bridged, lines = [], [], []
        for v in (v for v in doc.values() if v["split"] == split):
            idx = {f["i"]: f for f in v["frames"]}
            for r in v["reps"]:
                hold = [idx[i] for i in range(r["hold"][0], r["hold"][1] + 1) if i in idx]
                if not hold or not np.isfinite(r["ours"]):
                    continue
                flags = np.array([_bridged(h) for h in hold])
                errs = {k: _med(np.array([h[k] - h["truth"] for h in hold], float)) for k in ("lm", "edge", "turn")}
                (bridged if flags.mean() >= 0.5 else fitted).append(abs(errs["edge"]))
                if flags.any():
                    err = r["ours"] - r["truth"]
                    lines.append(f"| {v['set']} {v['clip'][:4]} {v['body']} | {r['rep']} | {'yes' if r['valid'] else 'no'} | {flags.mean():.2f} | "
                                 f"{errs['edge']:+.1f} | {errs['turn']:+.1f} | {errs['lm']:+.1f} | {err:+.1f} ± {r['ci']:.1f} | "
                                 f"{'yes' if abs(err) <= r['ci'] else '**no**'} |")
        print(f"\n{split}: edge line's hold |error| (median over reps of the hold's median): fitted {_med(np.array(fitted)):.2f} (n {len(fitted)}), "
              f"bridged over half the hold {_med(np.array(bridged)):.2f} (n {len(bridged)})")
        print("| clip | rep | valid | hold bridged | edge line | turn | landmarks | ours ± 95 % | covered |\n|---|---|---|---|---|---|---|---|---|")
        print("\n".join(lines) or "| none |")


def _save_crop(video: Path, out: Path, r: Any, per_frame: dict[int, dict[str, Any]], series: Any, tracks: Any, facing: int, fps: float) -> None:
    """The hold's middle frame around the shin, with the estimators' lines drawn (cv2 only here)."""
    import cv2

    i = (r.hold_start_frame + r.hold_end_frame) // 2
    row = per_frame.get(i)
    if row is None:
        return
    cap = cv2.VideoCapture(str(video))
    fps_v = cap.get(cv2.CAP_PROP_FPS)
    cap.set(cv2.CAP_PROP_POS_FRAMES, int(round((series.times_s[i] - series.times_s[0]) * fps_v)))
    ok, img = cap.read()
    cap.release()
    if not ok:
        return
    ankle = np.nanmedian(tracks.front["ankle"][max(0, i - 5):i + 6], axis=0)
    length = row["length_px"]
    edge_x = series.mask_right_x if facing > 0 else series.mask_left_x
    for y, x in zip(series.mask_rows_y, edge_x[i]):
        if np.isfinite(x) and ankle[1] - 1.2 * length < y < ankle[1] + 0.2 * length:
            cv2.circle(img, (int(round(x)), int(round(y))), 1, (0, 255, 255), -1)
    for key, colour in (("truth", (255, 255, 255)), ("edge", (0, 0, 255)), ("turn", (0, 200, 0)), ("lm", (255, 0, 0))):
        deg = row[key] - (row["shift"] if key != "truth" else 0.0)
        if not np.isfinite(deg):
            continue
        top = ankle + length * np.array([facing * np.sin(np.radians(deg)), -np.cos(np.radians(deg))])
        cv2.line(img, tuple(int(v) for v in ankle), tuple(int(v) for v in top), colour, 1, cv2.LINE_AA)
    x0, y0 = int(max(0, ankle[0] - 1.0 * length)), int(max(0, ankle[1] - 1.3 * length))
    x1, y1 = int(min(img.shape[1], ankle[0] + 1.0 * length)), int(min(img.shape[0], ankle[1] + 0.4 * length))
    crop = img[y0:y1, x0:x1]
    scale = max(1, int(400 / max(crop.shape[0], 1)))
    crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
    out.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(out / f"{video.stem}_rep{r.index}_f{i}.png"), crop)


def scan_rows(doc: dict[str, Any], min_share: float) -> list[dict[str, Any]]:
    """Each captured rep re-read with the edge line trusted only where its support share holds (the product's own
    kinematics.edge_support.trusted_edge and estimator_choice.choose_angle on the captured estimators; the three share one
    per-frame shift into the leg's plane, which the choice carries unchanged)."""
    out = []
    for v in doc.values():
        fr = v["frames"]
        if not fr:
            continue
        idx = {f["i"]: n for n, f in enumerate(fr)}
        lm, edge, turn, share = (np.array([f[k] for f in fr], float) for k in ("lm", "edge", "turn", "share_p"))
        kept = np.full(len(fr), np.nan)
        start = 0
        for n in range(1, len(fr) + 1):  # the running median runs within each stance (consecutive frames of one leg)
            if n == len(fr) or fr[n]["i"] != fr[n - 1]["i"] + 1 or fr[n]["side"] != fr[n - 1]["side"]:
                kept[start:n] = trusted_edge(edge[start:n], share[start:n], min_share)
                start = n
        dropped = np.isfinite(edge) & ~np.isfinite(kept)
        angle = choose_angle(lm, kept, turn, edge).angle_deg
        for r in v["reps"]:
            hold = [idx[i] for i in range(r["hold"][0], r["hold"][1] + 1) if i in idx]
            if not hold:
                continue
            new = float(np.nanmedian(angle[hold])) if np.isfinite(angle[hold]).any() else float("nan")
            out.append({"set": v["set"], "clip": v["clip"], "split": v["split"], "rep": r["rep"], "err": r["ours"] - r["truth"],
                        "new_err": new - r["truth"], "fired": float(np.mean(dropped[hold]))})
    return out


def scan(doc: dict[str, Any], thresholds: list[float]) -> None:
    """Per split and threshold: per-rep MAE before and after, the reps where the rule fires, and each one's change."""
    for split in sorted({v["split"] for v in doc.values()}):
        sub = {k: v for k, v in doc.items() if v["split"] == split}
        print(f"\n{split}: | min share | reps | MAE before | after | lost | reps it fires on (error before -> after) |\n|---|---|---|---|---|---|")
        for t in thresholds:
            rows = scan_rows(sub, t)
            e0 = np.array([r["err"] for r in rows])
            e1 = np.array([r["new_err"] for r in rows])
            fired = ", ".join(f"{r['clip'][:4]} {r['rep']} {r['err']:+.1f} -> {r['new_err']:+.1f}" for r in rows if r["fired"] > 0)
            print(f"| {t:.2f} | {len(rows)} | {np.nanmean(np.abs(e0)):.3f} | {np.nanmean(np.abs(e1)):.3f} | {int(np.sum(~np.isfinite(e1)))} | {fired or 'none'} |")


def leave_one_body_out(doc: dict[str, Any], thresholds: list[float]) -> None:
    """The fit split's threshold chosen without each body (the smallest reaching the others' least MAE), applied to it."""
    fit = {k: v for k, v in doc.items() if v["split"] == "fit"}
    per_t = {t: scan_rows(fit, t) for t in thresholds}
    bodies = sorted({v["body"] for v in fit.values()})
    body_of = {(v["set"], v["clip"]): v["body"] for v in fit.values()}
    held: list[float] = []
    chosen: dict[str, float] = {}
    def mae(rows: list[dict[str, Any]], body: str, keep: bool) -> float:
        e = [abs(r["new_err"]) for r in rows if (body_of[(r["set"], r["clip"])] == body) == keep and np.isfinite(r["new_err"])]
        return float(np.mean(e)) if e else float("nan")

    for b in bodies:
        scores = [round(mae(per_t[t], b, False), 6) for t in thresholds]
        t_b = thresholds[int(np.nanargmin(scores))]
        chosen[b] = t_b
        held += [abs(r["new_err"]) for r in per_t[t_b] if body_of[(r["set"], r["clip"])] == b and np.isfinite(r["new_err"])]
    print(f"\nleave-one-body-out ({len(bodies)} bodies): MAE {np.mean(held):.3f} over {len(held)} reps; thresholds chosen "
          + ", ".join(f"{t:.2f} (without {', '.join(b for b in bodies if chosen[b] == t)})" for t in sorted(set(chosen.values()))))


def main() -> int:
    """Capture the sets and write one JSON (or, with --scan, read such JSONs and print the rule's tables)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--cache-root", type=Path, default=None, help="landmark caches: <cache-root>/<set folder name>")
    ap.add_argument("--cache", type=Path, default=None, help="one landmark cache for every set given (overrides --cache-root)")
    ap.add_argument("--only", default="")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--crops", type=Path, default=None)
    ap.add_argument("--scan", default="", help="comma list of minimum support shares: read SETS as capture JSONs and scan")
    ap.add_argument("--bridged", action="store_true", help="read SETS as capture JSONs and list the reps with bridged hold frames")
    args = ap.parse_args()
    if args.bridged:
        got: dict[str, Any] = {}
        for f in args.sets:
            got.update(json.loads(f.read_text()))
        bridged_report(got)
        return 0
    if args.scan:
        captured: dict[str, Any] = {}
        for f in args.sets:
            captured.update(json.loads(f.read_text()))
        grid = [float(t) for t in args.scan.split(",")]
        scan(captured, grid)
        leave_one_body_out(captured, grid)
        return 0
    only = {o for o in args.only.split(",") if o}
    if args.json is None:
        ap.error("--json is required to capture")
    doc: dict[str, Any] = json.loads(args.json.read_text()) if args.json.is_file() else {}
    for folder in args.sets:
        cache = args.cache if args.cache is not None else (args.cache_root / folder.name if args.cache_root is not None else None)
        if cache is not None:
            prepare_cache_dir(cache)
        for video, body, split, tags in _clips(folder, only):
            key = f"{folder.name}/{video.stem}"
            got = capture_clip(video, cache, args.crops)
            doc[key] = {"set": folder.name, "clip": video.stem, "body": body, "split": split, "tags": tags, **got}
            worst = max((abs(r["ours"] - r["truth"]) for r in got["reps"]), default=float("nan"))
            print(f"{key} ({split}, {body}): {len(got['reps'])} reps, worst {worst:.2f}", file=sys.stderr)
            args.json.write_text(json.dumps(doc, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
