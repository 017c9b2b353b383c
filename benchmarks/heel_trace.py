"""Why a rendered rep's heel was missed, not checked or flagged: our heel reading frame by frame beside the truth's heel.

Usage:
    python benchmarks/heel_trace.py /work/renders/<set>/<clip>.mp4 [--cache /work/cache/<set>] [--rep N] [--every 1]

Prints, per rep we found: its frames, hold, heel source, verdict and reason (heel_unread_reason), the image's reading at
the hold (heel_read_ratio) and the foot's length in px; then per sample of the rep (every `--every`-th): time, the
truth's heel height (mm) and foot pitch, our rise (fraction of the foot), our heel-up state and the landmarks' heel and
toe heights above their rest places (px; image y grows down, so up is positive) and the shin's inclination (deg). Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from ankle_cv.pipeline import measure_video_cached
from ankle_cv.settings import Settings


def _truth_at(doc: dict, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The truth's heel height (mm) and foot pitch (deg) at the given times (nearest rendered frame)."""
    frames = doc["frames"]
    ft = np.array([f["t"] for f in frames])
    heel = np.array([np.nan if f.get("heel_height_mm") is None else f["heel_height_mm"] for f in frames], float)
    pitch = np.array([np.nan if f.get("foot_pitch_deg") is None else f["foot_pitch_deg"] for f in frames], float)
    idx = np.clip(np.searchsorted(ft, t), 0, ft.size - 1)
    return heel[idx], pitch[idx]


def main() -> int:
    """Trace one clip's heels."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("video", type=Path)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--rep", type=int, default=None)
    ap.add_argument("--every", type=int, default=1)
    args = ap.parse_args()
    doc = json.loads(args.video.with_suffix(".json").read_text())
    _info, series, a, _w = measure_video_cached(args.video, Settings(), args.cache)
    t = a.frames.times_s
    heel_mm, pitch = _truth_at(doc, t)
    leg = series.leg(str(a.side.value))  # MediaPipe's labels (they may swap on a far leg)
    lm = {k: np.asarray(leg[k], float) for k in ("heel", "toe", "ankle")}
    for tr in doc["reps"]:
        print(f"truth rep {tr['index']}: frames {tr['start_frame']}-{tr['end_frame']} hold {tr['hold_start_frame']}-"
              f"{tr['hold_end_frame']} heel at peak {tr['heel_height_mm_at_peak']} max {tr['max_heel_height_mm']} "
              f"(frame {tr['max_heel_height_frame']}) requested {tr['heel_lift_requested_mm']}")
    for r in a.reps:
        if args.rep is not None and r.index != args.rep:
            continue
        print(f"\nrep {r.index} {r.side}: samples {r.start_frame}-{r.end_frame} ({t[r.start_frame]:.2f}-{t[r.end_frame]:.2f} s), "
              f"hold {r.hold_start_frame}-{r.hold_end_frame}, peak {r.tibial_inclination_deg:.1f} deg; heel "
              f"{r.heel_lift_source.value}: lifted={r.heel_lifted} ratio={r.heel_lift_ratio:.4f} read={r.heel_read_ratio:.4f} "
              f"foot={r.heel_foot_px:.1f} px; reason: {r.heel_unread_reason}; invalid: {r.invalid_reasons}")
        lo = max(r.start_frame - 10, 0)
        rest_y = {k: float(np.nanmedian(v[lo:r.start_frame + 1, 1])) for k, v in lm.items()}
        print("   t     truth_mm  pitch  ours_rise  up   lm_heel_up lm_toe_up lm_ankle_up  incl  in_hold")
        for i in range(lo, r.end_frame + 1, args.every):
            ups = [rest_y[k] - float(v[i, 1]) for k, v in lm.items()]
            hold = "H" if r.hold_start_frame <= i <= r.hold_end_frame else ""
            print(f"{t[i]:6.2f} {heel_mm[i]:8.1f} {pitch[i]:6.1f} {a.frames.heel_rise_ratio[i]:10.4f} {int(a.frames.heel_lifted[i]):3d}"
                  f" {ups[0]:10.1f} {ups[1]:9.1f} {ups[2]:11.1f} {a.frames.tibial_inclination_deg[i]:6.1f}  {hold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
