"""Why a real annotated frame reads what it reads: each shank estimator beside the annotators' reference (issue 19 item 2).

    python benchmarks/real_estimators.py /work/shared/real --cache /work/cache/s16_real [--json OUT.json]
    python benchmarks/real_estimators.py /work/renders/<set> --cache /work/cache/<set> [--only r001,r002]  (renders: the
        same stance-level numbers, no annotated frames)

For every clip of a real-footage folder (annotations.json, ../shared/real/README.md) analysed as `ankle-cv analyze` does
(landmarks from the cache), each stance's kinematics is re-run with kinematics.estimator_choice.choose_angle watched, so
the three estimators it combines (landmarks, the edge line, the outline's turn) are seen exactly as the product saw them.
Per stance it prints what they all rest on: the edge line's offset (edge minus joint-centre axis: the person's own,
read against the landmarks on the frames where they are trusted, the population's at that angle, and the shrunk value
used), the calibration frames' landmark angle, and the rest frames (the turn's standing reference) with their angle.
Per annotated frame it prints the reference, each estimator and the product, all in the image (the reference's frame),
the annotators' own front-edge line and edge-minus-axis offset (from their two shin-front points) beside ours, and
what the edge line would read with the person's own offset unshrunk. Diagnosis only: it changes nothing.
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
from ankle_cv.kinematics.estimator_choice import choose_angle
from ankle_cv.kinematics.fitted import EDGE_OFFSET_PER_DEG
from ankle_cv.kinematics.shank import axis_from_edge_deg, rest_frames, typical_offset_deg
from ankle_cv.kinematics.signals import lowpass
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.protocol.analysis import _scene
from ankle_cv.settings import Settings


def _line_deg(p_top: np.ndarray, p_bottom: np.ndarray, facing: int) -> float:
    """Inclination of bottom->top from the image vertical, + towards the facing side."""
    v = np.asarray(p_top, float) - np.asarray(p_bottom, float)
    return float(np.degrees(np.arctan2(facing * v[0], -v[1])))


def _annotated(frame: dict[str, Any], facing: int) -> dict[str, float]:
    """The annotators' mean axis angle, front-edge angle and edge-minus-axis offset (NaN where no edge points)."""
    axis, edge, off = [], [], []
    for a in frame["annotators"].values():
        ax = _line_deg(np.array(a["knee_px"]), np.array(a["ankle_px"]), facing)
        axis.append(ax)
        pts = a.get("shin_front_px")
        if pts and all(p is not None for p in pts):
            top, bottom = sorted((np.array(p, float) for p in pts), key=lambda p: p[1])
            e = _line_deg(top, bottom, facing)
            edge.append(e)
            off.append(e - ax)
    mean = lambda x: float(np.mean(x)) if x else float("nan")  # noqa: E731
    return {"ref": float(frame["reference"]["tibial_inclination_deg"]), "ref_sd": float(frame["reference"]["annotator_sd_deg"]),
            "ann_axis": mean(axis), "ann_edge": mean(edge), "ann_offset": mean(off), "n_edge": float(len(edge))}


def _truth_2d(video: Path, times_s: np.ndarray) -> np.ndarray | None:
    """A render's true knee-ankle angle in the image per analysed frame (+ towards the wall side), or None."""
    path = video.with_suffix(".json")
    if not path.is_file():
        return None
    doc = json.loads(path.read_text())
    frames = doc.get("frames", [])
    if not frames or "shin_angle_2d_gt_deg" not in frames[0]:
        return None
    idx = np.clip(np.round((times_s - times_s[0]) * float(doc["video"]["fps"])).astype(int), 0, len(frames) - 1)
    return np.array([frames[i]["shin_angle_2d_gt_deg"] for i in idx], float)


def capture(video: Path, cache: Path | None, frames: list[dict[str, Any]], facing_ref: int) -> dict[str, Any]:
    """Per stance the calibration and rest numbers; per annotated frame inside a stance every estimator."""
    settings = Settings()
    _, series, analysis, _ = measure_video_cached(video, settings, cache)
    fps = 1.0 / float(np.median(np.diff(series.times_s)))
    scene = _scene(series, fps, settings, analysis.camera)
    truth2d = _truth_2d(video, series.times_s)
    flip = 1.0 if facing_ref in (0, scene.facing) else -1.0
    stances, rows = [], []
    for st in scene.stances:
        with ChoiceWatch() as w:
            k = sk.stance_kinematics(series, scene.tracks, st, scene.facing, fps, settings, analysis.camera)
        sh = k.shank
        lm, edge, turn = w.calls[-1] if w.calls else (sh.landmark_deg, sh.edge_deg, np.full_like(sh.edge_deg, np.nan))
        rest = rest_frames(lowpass(sh.edge_deg if sh.edge_offset_deg is not None else sh.landmark_deg, fps, settings.smoothing_hz))
        cal_at = float(np.nanmedian(lm[(lm > 0) & (lm < 22)])) if np.any((lm > 0) & (lm < 22)) else float("nan")
        typical = typical_offset_deg(cal_at) if np.isfinite(cal_at) else float("nan")
        own = typical + sh.calibration_gap_deg
        used = (sh.edge_offset_deg + EDGE_OFFSET_PER_DEG * cal_at) if sh.edge_offset_deg is not None else float("nan")
        st_row = {"side": st.side, "start_s": float(series.times_s[st.start]), "end_s": float(series.times_s[st.end]),
                  "n": st.end - st.start + 1, "length_px": float(sh.shank_length_px), "cal_at_deg": cal_at,
                  "own_offset": own, "typical_offset": typical, "used_offset": used,
                  "rest_n": int(rest.sum()), "rest_deg": float(np.nanmedian(edge[rest])) if rest.any() else float("nan"),
                  "lm_range": [float(np.nanpercentile(lm, 5)), float(np.nanpercentile(lm, 95))] if np.isfinite(lm).any() else []}
        if truth2d is not None:  # a render: the edge line's true offset on the same calibration frames
            j_all = np.arange(st.start, st.end + 1)
            line = edge * (1.0 + EDGE_OFFSET_PER_DEG) + (sh.edge_offset_deg or 0.0)
            cal = (lm > 0) & (lm < 22) & np.isfinite(line)
            gap = line - truth2d[j_all]
            st_row["true_offset"] = float(np.nanmedian(gap[cal])) if cal.any() else float("nan")
            rest_t = rest & np.isfinite(gap)
            st_row["true_offset_rest"] = float(np.nanmedian(gap[rest_t])) if rest_t.any() else float("nan")
        stances.append(st_row)
        shift = k.incl - k.incl_image  # the leg-plane shift; the reference is in the image, so every estimator is compared there
        for fr in frames:
            i = int(np.argmin(np.abs(series.times_s - fr["time_s"])))
            if not st.start <= i <= st.end:
                continue
            j = i - st.start
            raw_edge = edge[j] * (1.0 + EDGE_OFFSET_PER_DEG) + (sh.edge_offset_deg or 0.0)  # the line's own angle (image)
            own_axis = float(axis_from_edge_deg(raw_edge, own - EDGE_OFFSET_PER_DEG * cal_at)) if np.isfinite(own) else float("nan")
            ann = _annotated(fr, facing_ref)
            rows.append({"frame": int(fr["frame_index"]), "side": st.side, **ann,
                         "lm": flip * float(lm[j]), "edge": flip * float(edge[j]), "turn": flip * float(turn[j]),
                         "product_image": flip * float(k.incl_image[j]), "product": flip * float(analysis.frames.tibial_inclination_deg[i]),
                         "shift": float(shift[j]) if np.isfinite(shift[j]) else 0.0,
                         "edge_line": flip * float(raw_edge), "edge_own_offset": flip * own_axis,
                         "source": str(analysis.frames.angle_source[i]),
                         "choice_again": flip * float(choose_angle(lm[j:j + 1], edge[j:j + 1], turn[j:j + 1]).angle_deg[0])})
    return {"stances": stances, "frames": rows, "refused": analysis.no_measurement_reason,
            "reps": [{"index": r.index, "side": r.side, "deg": r.tibial_inclination_deg, "ci95": r.tibial_inclination_ci95_deg,
                      "valid": r.valid, "reasons": list(r.invalid_reasons)} for r in analysis.reps]}


def _err(x: float, ref: float) -> str:
    """An estimate's error against the reference, or a dash where there is none."""
    return f"{x - ref:+.1f}" if np.isfinite(x) else "-"


def _print(name: str, got: dict[str, Any]) -> None:
    """One clip's tables."""
    print(f"\n## {name}: {'refused: ' + got['refused'] if got['refused'] else 'measured'}")
    for r in got["reps"]:
        print(f"rep {r['index']} {r['side']}: {r['deg']:+.1f} +- {r['ci95']:.1f} valid {r['valid']} {r['reasons']}")
    print("| stance | frames | shank px | landmarks 5-95 % | calib. at | own offset | population | used | rest frames | rest deg | true offset (cal., rest) |")
    for s in got["stances"]:
        lr = "..".join(f"{v:+.1f}" for v in s["lm_range"])
        print(f"| {s['side']} {s['start_s']:.1f}-{s['end_s']:.1f} s | {s['n']} | {s['length_px']:.0f} | {lr} | {s['cal_at_deg']:+.1f} | "
              f"{s['own_offset']:+.1f} | {s['typical_offset']:+.1f} | {s['used_offset']:+.1f} | {s['rest_n']} | {s['rest_deg']:+.1f} | "
              f"{s.get('true_offset', float('nan')):+.1f}, {s.get('true_offset_rest', float('nan')):+.1f} |")
    if got["frames"]:
        print("| frame | ref (SD) | landmarks | edge | turn | product (image) | edge, own offset | edge line | annotators' edge | their offset |")
        for f in got["frames"]:
            print(f"| {f['frame']} | {f['ref']:+.1f} ({f['ref_sd']:.1f}) | {_err(f['lm'], f['ref'])} | {_err(f['edge'], f['ref'])} | "
                  f"{_err(f['turn'], f['ref'])} | {_err(f['product_image'], f['ref'])} | {_err(f['edge_own_offset'], f['ref'])} | {f['edge_line']:+.1f} | {f['ann_edge']:+.1f} | {f['ann_offset']:+.1f} |")


def main() -> int:
    """Capture and print every clip of a real-footage folder (or rendered set)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--only", default="")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    only = {o for o in args.only.split(",") if o}
    ann_file = args.folder / "annotations.json"
    doc: dict[str, Any] = {}
    if ann_file.is_file():
        ann = json.loads(ann_file.read_text())
        items = [(args.folder / "clips" / c["file"], name, [f for f in ann["frames"] if f["clip"] == name], 1 if c["facing"] == "right" else -1)
                 for name, c in ann["clips"].items()]
    else:
        items = [(v, v.stem, [], 0) for v in sorted(args.folder.glob("*.mp4"))]
    for video, name, frames, facing in items:
        if only and not any(name.startswith(o) for o in only):
            continue
        got = capture(video, args.cache, frames, facing)
        doc[name] = got
        _print(name, got)
    if args.json is not None:
        args.json.write_text(json.dumps(doc, default=float, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
