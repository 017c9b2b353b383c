"""The valleys between neighbouring reps of a stance: does the shin come back down there, by the outline and by the landmarks?

Usage:
    python benchmarks/rep_valleys.py --set /work/renders/<set> --cache /work/cache/<set> [--split fit] [--only r007,r013]
        [--json OUT]

For every pair of neighbouring reps that protocol.reps segments in one stance (the analysis's own stances, smoothed angle
and stepping flags), prints the valley between their peaks: the smoothed angle's fall from the lower of the two peaks to the
valley's floor (`dip`), the same fall in the raw knee-ankle landmark angle low-passed alike (`lm_dip`: the landmarks' own
highest point on each side of the valley against their lowest in it), the valley's length, and whether the render's truth
has one rep there (both peaks inside one true rep's window: a rep split in two) or two. Session 31 (s31far): random_v19
r013's far shin lost at its depth behind the back thigh on a wall of the trousers' tone, the outline turn falling 24 deg
while the landmarks fell 5: two reps for one. Diagnosis only: it changes nothing.
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

from ankle_cv.kinematics.signals import lowpass
from ankle_cv.protocol.movement import FAILURES
from ankle_cv.protocol.reps import segment, valley_dips
from ankle_cv.settings import Settings


def clip_valleys(video: Path, cache: Path | None) -> list[dict[str, object]]:
    """One row per neighbouring rep pair of each stance."""
    settings = Settings()
    doc = json.loads(video.with_suffix(".json").read_text())
    clip = clip_stances(video, cache, settings)
    t = clip.series.times_s
    truth = doc["reps"]
    rows: list[dict[str, object]] = []
    for sa in clip.stances:
        st, k = sa.stance, sa.kinematics
        sl = slice(st.start, st.end + 1)
        stepping = clip.scene.movement.failure[sl] == FAILURES.index("feet side by side")
        # as the analysis passes them to segment: the landmarks on the frames with an angle, low-passed alike
        lm = lowpass(np.where(np.isfinite(k.incl), k.shank.landmark_deg, np.nan), clip.fps, settings.smoothing_hz)
        found = segment(sa.smooth, clip.fps, settings.min_excursion_deg, stepping)  # without the join: every valley
        reps = found.reps
        for a, b in zip(reps[:-1], reps[1:]):
            dip, lm_dip, valley = valley_dips(sa.smooth, lm, a, b)
            ta, tb = float(t[st.start + a.peak]), float(t[st.start + b.peak])
            hit_a = [r["index"] for r in truth if r["tested_leg"] == st.side and r["start_time_s"] <= ta <= r["end_time_s"]]
            hit_b = [r["index"] for r in truth if r["tested_leg"] == st.side and r["start_time_s"] <= tb <= r["end_time_s"]]
            split = bool(hit_a and hit_b and hit_a[0] == hit_b[0])
            rows.append({"clip": video.stem, "side": str(st.side), "t_a": round(ta, 2), "t_b": round(tb, 2),
                         "peak_a": round(a.peak_deg, 1), "peak_b": round(b.peak_deg, 1), "dip": round(dip, 1),
                         "lm_dip": round(lm_dip, 1), "valley_s": round(float(t[st.start + valley] - t[st.start + a.peak]), 2),
                         "spread": round(sa.spread, 1), "truth": "split" if split else ("two" if hit_a and hit_b else "other")})
    return rows


def main() -> int:
    """Collect and print the valleys of a set."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    args = ap.parse_args()
    rows: list[dict[str, object]] = []
    for e, video in set_clips(args.set, args.split, args.only):
        got = clip_valleys(video, args.cache)
        rows += got
        for r in got:
            print(f"{e['id']} {r['side']} {r['t_a']}-{r['t_b']} s: peaks {r['peak_a']}/{r['peak_b']}, dip {r['dip']}, "
                  f"landmarks' dip {r['lm_dip']}, spread {r['spread']}: truth {r['truth']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
