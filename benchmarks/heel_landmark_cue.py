"""Whether the foot's landmarks tell a lifted heel from a flat one where the image's edge cannot: per rep, the truth beside
the landmarks' rise from the flat-foot reference to the hold.

Usage:
    python benchmarks/heel_landmark_cue.py --set /work/renders/<set> --cache /work/cache/<set> [--only r001] [--split fit]
        [--json OUT.json]

Per rep we found: the truth's heel height over our hold (median, mm), our verdict and source, the landmark foot's length
(px), and, in foot lengths (up positive; image y grows down), the hold's median less the reference's median of the front
leg's heel, toe and ankle landmarks and of heel minus toe (the foot's pitch: a heel that pivots about the ball rises
against the toe; the whole foot's drift cancels). The reference is the image reading's (heel_reading.reference_frames),
or the 5 samples before the rep. Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from heel_zone_shifts import set_rows, truth_hold_mm
from render_set import add_set_options

import ankle_cv.protocol.heel_reading as hr
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.settings import Settings


def clip_rows(video: Path, cache: Path | None) -> list[dict[str, Any]]:
    """One row per rep we found in a clip."""
    _info, series, a, _w = measure_video_cached(video, Settings(), cache)
    doc = json.loads(video.with_suffix(".json").read_text())
    front = {k: np.asarray(v, float) for k, v in a.front_xy.items()}
    rows = []
    for r in a.reps:
        rest, after = hr.reference_frames(r, front, series.n_frames)
        ref = rest if rest.size else after if after.size else np.arange(max(r.start_frame - 5, 0), r.start_frame + 1)
        hold = np.arange(r.hold_start_frame, r.hold_end_frame + 1)
        foot = float(np.nanmedian(np.linalg.norm(front["toe"][ref] - front["heel"][ref], axis=1)))
        up = {k: float(np.nanmedian(front[k][ref, 1]) - np.nanmedian(front[k][hold, 1])) / foot for k in ("heel", "toe", "ankle")}
        rows.append({"clip": video.stem, "rep": r.index, "truth_mm": truth_hold_mm(doc, a.frames.times_s[hold]),
                     "source": str(r.heel_lift_source.value) if r.heel_lift_source else None, "flagged": bool(r.heel_lifted),
                     "reason": r.heel_unread_reason, "foot_px": foot, "heel_up": up["heel"], "toe_up": up["toe"],
                     "ankle_up": up["ankle"], "pitch_up": up["heel"] - up["toe"]})
    return rows


def main() -> int:
    """Print (and optionally store) the rows of every clip asked for."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_set_options(ap)
    args = ap.parse_args()
    out = []
    for _, row in set_rows(args, clip_rows):
        out.append(row)
        print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items() if k not in ("set", "reason")}, flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
