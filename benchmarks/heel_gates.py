"""Which gate of the image heel reading stops each rep: reference frames, sheet, sole, rest edge, hold, trust checks.

Usage:
    python benchmarks/heel_gates.py /work/renders/<set>/<clip>.mp4 [--cache /work/cache/<set>] [--rep N] [--columns]

Per rep we found, it walks protocol/heel_reading.heel_from_image's steps on the same inputs and prints what each gave:
the flat-foot reference samples before and after the rep, whether a marker sheet is near, whether their crops exist,
the rest sole's columns (heel and forefoot zones, image y, foot length), how many heel / forefoot columns show a rest
edge, the raw per-frame rise (px) through the rep and the hold, the rest-to-hold conditions the trust checks read
(kinematics/heel_edge_trust), and the verdict with its reason. With --columns, the
rest edge's row and step per heel column. Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

import ankle_cv.protocol.analysis as analysis_mod
import ankle_cv.protocol.heel_reading as hr
from ankle_cv.kinematics import heel_edge as he
from ankle_cv.kinematics.heel_edge_trust import edge_conditions
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.settings import Settings


def _fmt(a: np.ndarray) -> str:
    """A short array as one line of one-decimal numbers."""
    return " ".join("   nan" if not np.isfinite(v) else f"{v:6.2f}" for v in np.asarray(a, float))


def describe(rep: Any, series: Any, front: dict[str, np.ndarray], facing: int, crops: Any, incl: np.ndarray,
             cover: tuple[float, ...] | None, columns: bool) -> None:
    """Print every gate's outcome for one rep."""
    n = series.n_frames
    rest, after = hr.reference_frames(rep, front, n)
    print(f"rep {rep.index}: samples {rep.start_frame}-{rep.end_frame} hold {rep.hold_start_frame}-{rep.hold_end_frame} "
          f"t {series.times_s[rep.start_frame]:.2f}-{series.times_s[rep.end_frame]:.2f}")
    print(f"  rest samples {rest.tolist()} after {after.tolist()}; crops rest {len(he.crops_for(rest, crops))}/{rest.size} "
          f"after {len(he.crops_for(after, crops))}/{after.size}")
    near_sheet = hr.sheet_near_foot(series, front, facing, rest if rest.size else after, cover)
    print(f"  sheet cover {'none' if cover is None else np.round(np.asarray(cover).reshape(-1, 2)).tolist()} near={near_sheet}")
    heel, toe = np.asarray(front["heel"], float), np.asarray(front["toe"], float)
    for name, frames in (("rest", rest), ("after", after)):
        if not frames.size:
            continue
        print(f"  {name}: heel pt {np.round(np.nanmedian(heel[frames], axis=0), 1)} toe pt {np.round(np.nanmedian(toe[frames], axis=0), 1)}")
        sole, cut = hr.reference_sole(series, front, facing, frames, cover if near_sheet else None)
        if sole is None:
            print(f"  {name}: no sole from the outline")
            continue
        print(f"  {name}: sole{' (heel side alone: the outline cut)' if cut else ''} foot {sole.foot_px:.1f} px; heel x {sole.heel_x.min()}-{sole.heel_x.max()} y {sole.heel_y:.1f}; "
              f"fore x {sole.fore_x.min() if sole.fore_x.size else '-'}-{sole.fore_x.max() if sole.fore_x.size else '-'} y {sole.fore_y:.1f}")
        rc = he.crops_for(frames, crops)
        if not rc:
            continue
        c0 = rc[0]
        print(f"  {name}: crop x0 {c0.x0} y0 {c0.y0} shape {c0.grey.shape}")
        steps = he.brightness_steps(np.median(np.stack([c.grey for c in rc]), axis=0))
        for zname, xs, y in (("heel", sole.heel_x, sole.heel_y), ("fore", sole.fore_x, sole.fore_y)):
            rows, signs = he.rest_edges(steps, c0, xs, y, sole.foot_px)
            lo = int(np.floor(y - he.SEARCH_ABOVE_FOOT * sole.foot_px)) - c0.y0
            hi = int(np.ceil(y + he.SEARCH_BELOW_PX)) - c0.y0
            print(f"    {zname}: rest edge in {np.isfinite(rows).sum()}/{xs.size} columns (search rows {lo}..{hi} of {c0.grey.shape[0]}); "
                  f"median row {np.nanmedian(rows) if np.isfinite(rows).any() else float('nan'):.1f} step {np.median(signs):.1f}")
            if columns:
                for x, r, s in zip(xs, rows, signs):
                    xx = x - c0.x0
                    prof = steps[max(lo, 0):hi, xx] if 0 <= xx < steps.shape[1] else np.zeros(0)
                    print(f"      x {x} row {r:.1f} step {s:.1f} | {_fmt(prof)}")
        base = he.edge_rise_trace_px(rc, list(rc), sole, not cut)
        print(f"  {name}: its own reading {_fmt(base)}")
        idx = np.arange(rep.start_frame, rep.end_frame + 1)
        raw = he.edge_rise_trace_px(rc, [crops.get(int(i)) for i in idx], sole, not cut)
        if np.isfinite(base).any():
            raw = raw - float(np.nanmedian(base))
        h0, h1 = rep.hold_start_frame - rep.start_frame, rep.hold_end_frame - rep.start_frame
        print(f"  {name}: rep rise px {_fmt(raw)}")
        print(f"  {name}: hold rise px {_fmt(raw[max(h0, 0):h1 + 1])}")
        cond = edge_conditions(rc, he.crops_for(np.arange(max(rep.hold_start_frame, 0), rep.hold_end_frame + 1), crops), sole)
        if cond is not None:
            print(f"  {name}: conditions rest step {cond.rest_step:.1f}, light change {cond.light_change:+.1f}, under edge "
                  f"{cond.under_change:+.1f}, hold step x{cond.hold_step_ratio:.2f} {cond.hold_step_rise_foot:+.3f} foot up")


def main() -> int:
    """Walk the gates for every rep of one clip."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("video", type=Path)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--rep", type=int)
    ap.add_argument("--columns", action="store_true")
    args = ap.parse_args()
    seen: list[tuple[Any, ...]] = []
    orig = analysis_mod.heel_from_image

    def spy(rep: Any, series: Any, front: Any, facing: int, crops: Any, threshold: float, fps: float, incl: Any,
            cover: Any = None) -> Any:
        out = orig(rep, series, front, facing, crops, threshold, fps, incl, cover)
        seen.append((rep, series, front, facing, crops, incl, cover, out[0]))
        return out

    analysis_mod.heel_from_image = spy
    try:
        measure_video_cached(args.video, Settings(), args.cache)
    finally:
        analysis_mod.heel_from_image = orig
    last: dict[int, tuple[Any, ...]] = {}
    for s in seen:
        last[s[0].index] = s  # the final analysis's call per rep
    for i, (rep, series, front, facing, crops, incl, cover, res) in sorted(last.items()):
        if args.rep and i != args.rep:
            continue
        describe(rep, series, front, facing, crops, incl, cover, args.columns)
        print(f"  verdict: source {res.heel_lift_source} lifted {res.heel_lifted} read {res.heel_read_ratio} foot {res.heel_foot_px} "
              f"reason {res.heel_unread_reason}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
