"""Why a rep's shin angle is lost or jumps: per frame, the front foot's place, the three estimators and the one chosen.

Usage:
    python benchmarks/rep_frames.py /work/renders/<set>/<clip>.mp4 --cache /work/cache/<set> --from 8.0 --to 10.0

Prints, per analysed frame in the time range (all stances): the front foot's centre and its distance from its stance
place in foot lengths (stance_kinematics.PLANTED_RATIO: past it the frame is "not planted", and a run of such frames
longer than MAX_FOOT_GLITCH_S loses the angle), the back foot's centre, the front knee's x; the landmark angle, the edge
line as used (NaN where its outline support was too low) and as read, the outline turn, the angle chosen and its source
(AngleCode), and the leg-plane angle the reps are found on. Session 21 (issue 22): heel_sweep h001's rep 3 and
s17cam_fam f4's extra rep. Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

import ankle_cv.protocol.stance_kinematics as sk
from ankle_cv.enums import AngleCode


def main() -> int:
    """Trace one clip's frames in a time range."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video", type=Path)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--from", dest="t0", type=float, default=0.0)
    ap.add_argument("--to", dest="t1", type=float, default=1e9)
    args = ap.parse_args()
    calls: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    orig = sk.choose_angle

    def watched(lm: np.ndarray, edge: np.ndarray, turn: np.ndarray, as_read: np.ndarray | None = None,
                bridged: np.ndarray | None = None) -> Any:
        calls.append((np.array(lm, float), np.array(edge, float), np.array(turn, float),
                      np.array(edge if as_read is None else as_read, float)))
        return orig(lm, edge, turn, as_read, bridged)

    sk.choose_angle = watched  # type: ignore[assignment]
    try:
        from stance_angles import clip_stances

        clip = clip_stances(args.video, args.cache)
    finally:
        sk.choose_angle = orig
    t, tracks = clip.series.times_s, clip.scene.tracks
    front_c = 0.5 * (tracks.front["toe"] + tracks.front["heel"])
    back_c = 0.5 * (tracks.back["toe"] + tracks.back["heel"])
    stance_calls = calls[-len(clip.stances):] if len(calls) >= len(clip.stances) else [None] * len(clip.stances)
    for sa, call in zip(clip.stances, stance_calls):
        st, k = sa.stance, sa.kinematics
        sl = slice(st.start, st.end + 1)
        foot = float(np.nanmedian(np.linalg.norm(tracks.front["toe"][sl] - tracks.front["heel"][sl], axis=1)))
        home = np.nanmedian(front_c[sl], axis=0)
        print(f"stance {st.side} {t[st.start]:.2f}-{t[st.end]:.2f} s: foot {foot:.0f} px, place ({home[0]:.0f}, {home[1]:.0f}) px")
        print("  t    planted away  front(x,y)    back(x,y)   fknee |   lm   edge  as_read  turn | chosen src        leg-plane")
        for i in range(st.end - st.start + 1):
            g = st.start + i
            if not args.t0 <= t[g] <= args.t1:
                continue
            lm, edge, turn, as_read = (c[i] for c in call) if call is not None else (np.nan,) * 4
            src = int(k.shank.source[i])
            print(f"{t[g]:5.2f} {int(k.planted[i]):4d} {np.linalg.norm(front_c[g] - home) / foot:6.2f} "
                  f"({front_c[g, 0]:5.0f},{front_c[g, 1]:4.0f}) ({back_c[g, 0]:5.0f},{back_c[g, 1]:4.0f}) {tracks.front['knee'][g, 0]:6.0f} | "
                  f"{lm:5.1f} {edge:6.1f} {as_read:6.1f} {turn:6.1f} | {k.shank.fused_deg[i]:6.1f} {AngleCode(src).name:<18} {k.incl[i]:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
