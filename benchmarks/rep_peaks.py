"""Every peak of the smoothed shin angle on a rendered set, true rep or not: the noise floor rep segmentation must clear.

Usage:
    python benchmarks/rep_peaks.py --set /work/renders/<set> --cache /work/cache/<set> [--split fit] [--only r001,r003]
        [--json OUT]

For each clip (landmarks from the cache), each stance's smoothed angle (what protocol.reps segments) is searched for
every local peak with a prominence of at least 0.5 deg. A peak is "true" when a true rep of the stance's leg peaks
within its rise and fall (the truth's rep window holds the peak frame), else "spurious" (sway, stepping, tracking).
Prints per clip the true reps' smallest prominence and the spurious peaks' largest, with the stance's quiet-standing
noise (robust SD of the angle minus its smoothed self, protocol.reps.angle_noise_deg), then the pooled distribution.
Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from render_set import add_set_options, set_clips
from stance_angles import clip_stances


def clip_peaks(video: Path, cache: Path | None) -> list[dict[str, object]]:
    """Peaks of each stance's smoothed angle with prominence, base, width and whether a true rep peaks there."""
    from scipy.signal import find_peaks

    doc = json.loads(video.with_suffix(".json").read_text())
    clip = clip_stances(video, cache)
    t = clip.series.times_s
    truth = doc["reps"]
    out: list[dict[str, object]] = []
    for sa in clip.stances:
        st, k, s, filled, spread = sa.stance, sa.kinematics, sa.smooth, sa.filled, sa.spread
        resid = np.asarray(k.incl, float) - s
        noise = float(1.4826 * np.nanmedian(np.abs(resid - np.nanmedian(resid)))) if np.isfinite(resid).any() else float("nan")
        pk, props = find_peaks(filled, prominence=0.5)
        for p, q, lb, rb in zip(pk, props["prominences"], props["left_bases"], props["right_bases"]):
            tp = float(t[st.start + p])
            hit = [r for r in truth if r["tested_leg"] == st.side and r["start_time_s"] <= tp <= r["end_time_s"]]
            out.append({"clip": video.stem, "side": str(st.side), "t": round(tp, 2), "deg": round(float(filled[p]), 2),
                        "prominence": round(float(q), 2), "spread": round(spread, 2), "noise": round(noise, 3),
                        "width_s": round(float(t[st.start + rb] - t[st.start + lb]), 2),
                        "true_peak": float(hit[0]["peak_tibial_inclination_deg"]) if hit else None,
                        "true_rep": int(hit[0]["index"]) if hit else None})
    return out


def main() -> int:
    """Collect and print the peaks of a set."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    args = ap.parse_args()
    rows: list[dict[str, object]] = []
    for e, video in set_clips(args.set, args.split, args.only):
        peaks = clip_peaks(video, args.cache)
        rows += peaks
        true = [p for p in peaks if p["true_rep"] is not None]
        spur = [p for p in peaks if p["true_rep"] is None]
        print(f"{e['id']}: true reps' min prominence {min((float(p['prominence']) for p in true), default=float('nan')):.1f}, "
              f"spurious max {max((float(p['prominence']) for p in spur), default=0.0):.1f} "
              f"({', '.join(str(p['t']) + 's ' + str(p['prominence']) for p in spur if float(p['prominence']) >= 1.0)}); "
              f"noise {', '.join(str(n) for n in sorted({p['noise'] for p in peaks}))}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
