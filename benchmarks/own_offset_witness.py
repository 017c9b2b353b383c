"""Does the landmark witness side with the population against a person's own edge offset? Per stance and rep (issue 19).

    python benchmarks/own_offset_witness.py --set /work/renders/<set> --cache /work/cache/<set> [--split fit] [--only r005]
        [--json OUT.json]

The shin's outline is read against an edge-minus-axis offset: the population's, moved towards the person's own (the edge
against the near-upright landmarks; kinematics.shank.shrink_offset), wholly where the two part by more than twice
CALIBRATION_TRUST_DEG. Session 23 (random_v10 r005): an own offset +7.1 above the population's, read at standing on a far
shin whose front edge bends there and not at depth, left the peak 10-11 deg low while the landmarks read it 5 deg steeper
than the outline. For every stance of every clip this prints the calibration gap (own - population), whether the fabric
rule undid it (fabric rise), and per rep found on it the hold's landmarks minus the chosen angle (both in the image, as
protocol.rep_checks compares them), the rep's error against the truth (matched by leg and peak time), its interval, its
validity and whether protocol.rep_checks.own_reference_contradicted_reason refuses it. Diagnosis only.
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

from render_set import add_set_options, set_clips

import ankle_cv.protocol.stance_kinematics as sk
from ankle_cv.kinematics.legs import find_stances, split_front_back
from ankle_cv.kinematics.shank import rest_frames
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.protocol.analysis import _within
from ankle_cv.protocol.movement import check_movement
from ankle_cv.protocol.rep_checks import own_reference_contradicted_reason
from ankle_cv.settings import Settings


def _truth_peak(truth: dict[str, Any], side: str, peak_s: float) -> float:
    """The true peak inclination of the rep of this leg whose span holds the peak time (NaN where none)."""
    cands = [t for t in truth.get("reps", []) if t["tested_leg"] == side and t["start_time_s"] - 0.02 <= peak_s <= t["end_time_s"] + 0.02]
    if not cands:
        return float("nan")
    return float(min(cands, key=lambda t: abs(t["peak_time_s"] - peak_s))["peak_tibial_inclination_deg"])


def clip_rows(video: Path, cache: Path | None) -> list[dict[str, Any]]:
    """One row per rep: its stance's calibration gap and fabric rise, the hold's landmarks above the angle, the rule."""
    settings = Settings()
    _, series, analysis, _ = measure_video_cached(video, settings, cache)
    truth = json.loads(video.with_suffix(".json").read_text())
    fps = 1.0 / float(np.median(np.diff(series.times_s)))
    facing = 1 if analysis.facing == "right" else -1
    tracks = split_front_back(series, facing)
    stances = _within(find_stances(tracks, facing, fps, settings.side),
                      check_movement(series, tracks.front, tracks.back, fps).geometry_runs(fps))
    t0 = float(series.times_s[0])
    rows = []
    for st in stances:
        if st.end - st.start + 1 < 3:
            continue
        k = sk.stance_kinematics(series, tracks, st, facing, fps, settings, analysis.camera)
        shank = k.shank
        for r in (r for r in analysis.reps if r.side == st.side and st.start <= r.hold_start_frame <= st.end):
            hold = slice(r.hold_start_frame - st.start, r.hold_end_frame - st.start + 1)
            lm, angle = shank.landmark_deg[hold], shank.fused_deg[hold]
            above = float(np.nanmedian(lm) - np.nanmedian(angle)) if np.isfinite(lm).any() and np.isfinite(angle).any() else float("nan")
            fires = own_reference_contradicted_reason(lm, angle, shank.calibration_gap_deg, shank.fabric_rise_deg) is not None
            rest = rest_frames(k.smooth)
            lm_r, angle_r = shank.landmark_deg[rest], shank.fused_deg[rest]
            above_rest = (float(np.nanmedian(lm_r) - np.nanmedian(angle_r))
                          if np.isfinite(lm_r).any() and np.isfinite(angle_r).any() else float("nan"))
            leg = (truth.get("subject", {}).get("legs") or {}).get(str(st.side)) or {}
            rows.append({"clip": video.stem, "side": str(st.side), "rep": r.index, "gap": float(shank.calibration_gap_deg),
                         "fabric_rise": float(shank.fabric_rise_deg), "lm_above": above, "valid": bool(r.valid),
                         "error": float(r.tibial_inclination_deg) - _truth_peak(truth, str(st.side), r.peak_s - t0),
                         "ci95": float(r.tibial_inclination_ci95_deg), "rule": fires,
                         "reasons": list(r.invalid_reasons), "lm_above_rest": above_rest,
                         "offset": float(shank.edge_offset_deg) if shank.edge_offset_deg is not None else float("nan"),
                         "near": leg.get("nearer_camera"), "inclinometer": r.inclinometer_unread_reason})
    return rows


def main() -> int:
    """Walk the set and print one line per rep (stances with |gap| > 4 first marked)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    args = ap.parse_args()
    out: list[dict[str, Any]] = []
    print("| clip | leg | rep | own - population | fabric rise | landmarks - angle | valid | error ± 95 % | rule |")
    print("|---|---|---|---|---|---|---|---|---|")
    for entry, video in set_clips(args.set, args.split, args.only):
        for row in clip_rows(video, args.cache):
            row["split"] = entry.get("split")
            out.append(row)
            print(f"| {row['clip']} | {row['side']} | {row['rep']} | {row['gap']:+.1f} | {row['fabric_rise']:.1f} | "
                  f"{row['lm_above']:+.1f} | {'yes' if row['valid'] else 'no'} | {row['error']:+.1f} ± {row['ci95']:.1f} | "
                  f"{'**refuses**' if row['rule'] else '-'} |", flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
