"""The heel zone's and the forefoot zone's edge shifts apart, per rep, beside the truth's heel: which one moved in the hold.

Usage:
    python benchmarks/heel_zone_shifts.py --set /work/renders/<set> --cache /work/cache/<set> [--only r001,r002] [--split fit]
        [--json OUT.json]

The image's heel reading (kinematics/heel_edge.edge_rise_trace_px) is the heel zone's upward edge shift minus the
forefoot zone's (which cancels camera shake). Per rep we found, this prints the verdict and reason, the foot's length,
the truth's heel rise in our hold (median, mm), and the hold's median of: the heel zone's shift, the forefoot's, their
difference (px; up positive; each less its rest frames' own reading) and how many hold frames each was read in.
Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from render_set import add_set_options, set_clips

import ankle_cv.protocol.analysis as analysis_mod
import ankle_cv.protocol.heel_reading as hr
from ankle_cv.kinematics import heel_edge as he
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.settings import Settings


def zone_shifts(rest: list[he.FootCrop], frames: list[he.FootCrop | None], sole: he.SoleColumns, use_forefoot: bool
                ) -> tuple[np.ndarray, np.ndarray]:
    """Per frame, the heel zone's and the forefoot zone's edge shift (px, up positive; NaN where unread), as read by
    edge_rise_trace_px before the two are subtracted."""
    out = np.full((2, len(frames)), np.nan)
    if not rest:
        return out[0], out[1]
    ref = rest[0]
    rest_steps = he.brightness_steps(np.median(np.stack([c.grey for c in rest]), axis=0))
    for z, (xs, y, heel) in enumerate(((sole.heel_x, sole.heel_y, True), (sole.fore_x, sole.fore_y, False))):
        if (z == 1 and not use_forefoot) or xs.size == 0:
            continue
        rows, signs = he.rest_edges(rest_steps, ref, xs, y, sole.foot_px)
        if np.isfinite(rows).sum() < he.MIN_COLUMNS:
            continue
        at = he._placed(rest_steps, ref, xs, rows, signs, heel)
        for i, crop in enumerate(frames):
            if crop is None or crop.grey.shape != ref.grey.shape or (crop.x0, crop.y0) != (ref.x0, ref.y0):
                continue
            shift = at - he._held(he.brightness_steps(crop.grey), rest_steps, ref, xs, rows, signs, sole.foot_px, heel)
            out[z, i] = float(np.nanmedian(shift)) if np.isfinite(shift).sum() >= he.MIN_COLUMNS else np.nan
    return out[0], out[1]


def truth_hold_mm(doc: dict[str, Any], t: np.ndarray) -> float:
    """The truth's heel height (mm), median over the given times (nearest rendered frame)."""
    frames = doc["frames"]
    ft = np.array([f["t"] for f in frames])
    heel = np.array([np.nan if f.get("heel_height_mm") is None else f["heel_height_mm"] for f in frames], float)
    return float(np.nanmedian(heel[np.clip(np.searchsorted(ft, t), 0, ft.size - 1)]))


def clip_rows(video: Path, cache: Path | None) -> list[dict[str, Any]]:
    """One row per rep we found in a clip."""
    calls: list[tuple[int, np.ndarray, np.ndarray]] = []
    current = [0]
    orig_trace, orig_read = hr.edge_rise_trace_px, analysis_mod.heel_from_image

    def trace(rest: list[he.FootCrop], frames: list[he.FootCrop | None], sole: he.SoleColumns, use_forefoot: bool = True) -> np.ndarray:
        calls.append((current[0], *zone_shifts(rest, frames, sole, use_forefoot)))
        return orig_trace(rest, frames, sole, use_forefoot)

    def read(rep: Any, *args: Any, **kw: Any) -> Any:
        current[0] = rep.index
        return orig_read(rep, *args, **kw)

    hr.edge_rise_trace_px, analysis_mod.heel_from_image = trace, read
    try:
        _info, series, a, _w = measure_video_cached(video, Settings(), cache)
    finally:
        hr.edge_rise_trace_px, analysis_mod.heel_from_image = orig_trace, orig_read
    doc = json.loads(video.with_suffix(".json").read_text())
    rows = []
    for r in a.reps:
        mine = [c for c in calls if c[0] == r.index]
        base = [c for c in mine if c[1].size != r.end_frame - r.start_frame + 1]
        rep_call = [c for c in mine if c[1].size == r.end_frame - r.start_frame + 1]
        h0, h1 = r.hold_start_frame - r.start_frame, r.hold_end_frame - r.start_frame + 1
        row: dict[str, Any] = {"clip": video.stem, "rep": r.index, "source": str(r.heel_lift_source.value) if r.heel_lift_source else None,
                               "flagged": bool(r.heel_lifted), "reason": r.heel_unread_reason, "foot_px": r.heel_foot_px,
                               "read": r.heel_read_ratio,
                               "truth_mm": truth_hold_mm(doc, a.frames.times_s[r.hold_start_frame:r.hold_end_frame + 1])}
        if rep_call and base:
            b_heel, b_fore = float(np.nanmedian(base[-1][1])), float(np.nanmedian(base[-1][2])) if np.isfinite(base[-1][2]).any() else 0.0
            heel, fore = rep_call[-1][1][max(h0, 0):h1] - b_heel, rep_call[-1][2][max(h0, 0):h1] - b_fore
            row.update({"heel_px": float(np.nanmedian(heel)) if np.isfinite(heel).any() else None,
                        "fore_px": float(np.nanmedian(fore)) if np.isfinite(fore).any() else None,
                        "diff_px": float(np.nanmedian(heel - fore)) if np.isfinite(heel - fore).any() else None,
                        "heel_n": int(np.isfinite(heel).sum()), "fore_n": int(np.isfinite(fore).sum()), "hold_n": int(heel.size)})
        rows.append(row)
    return rows


def set_rows(args: argparse.Namespace, rows_of: Callable[[Path, Path | None], list[dict[str, Any]]]
             ) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every rep row of the clips asked for (render_set's options), with its set, split and near/far leg."""
    for c, video in set_clips(args.set, args.split, args.only):
        for row in rows_of(video, args.cache):
            row.update({"set": args.set.name, "split": c.get("split"), "near": bool((c.get("tags") or {}).get("near_far") == "near")})
            yield video, row


def main() -> int:
    """Print (and optionally store) the rows of every clip asked for."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_set_options(ap)
    args = ap.parse_args()
    out = []
    for video, row in set_rows(args, clip_rows):
        out.append(row)
        f = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items() if k not in ("clip", "set", "reason")}
        print(video.stem, f, (row["reason"] or "")[:60], flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
