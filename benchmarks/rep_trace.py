"""Why a rendered rep was missed or read off: the smoothed angle, the movement check and the reps, beside the truth.

Usage:
    python benchmarks/rep_trace.py /work/renders/<set>/<clip>.mp4 [--cache /work/cache/<set>] [--every 2]

Prints, per analysed frame (every `--every`-th): time, the truth's tibial inclination and rep, our smoothed angle,
landmark angle, the front leg's side, the movement check's failure and our rep index; then each stance's
segmentation (peak prominence limit, the peaks scipy sees with their prominences) and the reps with their reasons.
Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from stance_angles import clip_stances

from ankle_cv.protocol.movement import FAILURES
from ankle_cv.settings import Settings


def _truth_at(doc: dict, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The truth's tibial inclination and rep index at the given times (nearest rendered frame)."""
    ft = np.array([f["t"] for f in doc["frames"]])
    ang = np.array([f.get("tibial_inclination_deg", np.nan) if f.get("tibial_inclination_deg") is not None else np.nan
                    for f in doc["frames"]], dtype=float)
    rep = np.array([f.get("rep") or 0 for f in doc["frames"]])
    idx = np.clip(np.searchsorted(ft, t), 0, ft.size - 1)
    return ang[idx], rep[idx]


def main() -> int:
    """Trace one clip."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video", type=Path)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--every", type=int, default=2)
    args = ap.parse_args()
    doc = json.loads(args.video.with_suffix(".json").read_text())
    settings = Settings()
    clip = clip_stances(args.video, args.cache, settings)
    series, a, scene, fps = clip.series, clip.analysis, clip.scene, clip.fps
    t = series.times_s
    tr_ang, tr_rep = _truth_at(doc, t)
    f = a.frames
    print(f"clip {args.video.name}: fps {fps:.1f}, truth reps " + ", ".join(
        f"{r['index']}: {r['start_time_s']:.2f}-{r['end_time_s']:.2f} s peak {r['peak_tibial_inclination_deg']} @ {r['peak_time_s']:.2f}"
        for r in doc["reps"]) + f", rest {doc['subject'].get('rest_tibial_inclination_deg')}")
    print(" t      truth rep | smooth  incl   lm    side  split fail                 rep")
    for i in range(0, series.n_frames, args.every):
        fail = scene.movement.failure[i]
        print(f"{t[i]:5.2f} {tr_ang[i]:6.1f} {tr_rep[i]:3d} | {f.tibial_inclination_smooth_deg[i]:6.1f} {f.tibial_inclination_deg[i]:6.1f} "
              f"{f.landmark_inclination_deg[i]:6.1f} {f.front_side[i]:>5} {scene.movement.split_shanks[i]:5.2f} {FAILURES[fail] if fail >= 0 else '':<22} {f.rep_index[i]}")
    from scipy.signal import find_peaks
    for sa in clip.stances:
        st, s, spread = sa.stance, sa.smooth, sa.spread
        pk, props = find_peaks(sa.filled, prominence=0.5)
        print(f"stance {st.side} {t[st.start]:.2f}-{t[st.end]:.2f} s: spread {spread:.1f}, prominence limit "
              f"{max(settings.min_excursion_deg, 0.3 * spread):.1f}; peaks (t, deg, prominence): " + ", ".join(
                  f"({t[st.start + p]:.2f}, {s[p]:.1f}, {q:.1f})" for p, q in zip(pk, props["prominences"])))
    for r in a.reps:
        print(f"rep {r.index} {r.side} {t[r.start_frame]:.2f}-{t[r.end_frame]:.2f} peak {t[r.peak_frame]:.2f} "
              f"{r.tibial_inclination_deg:.1f} valid {r.valid} {list(r.invalid_reasons)}")
    print("warnings:", list(a.quality.warnings))
    print("no measurement:", a.no_measurement_reason)
    return 0


if __name__ == "__main__":
    sys.exit(main())
