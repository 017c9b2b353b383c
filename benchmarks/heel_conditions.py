"""Score a rendered set (benchmarks/score_renders.py, same arguments) and keep each rep's heel-edge trust conditions.

Usage:
    python benchmarks/heel_conditions.py --set /work/renders/<set> --cache /work/cache/<set> --out DIR [--only ...]

Writes what score_renders writes, plus DIR/heel_conditions.json: per clip and our rep index, the verdict the product gave
(heel source, lifted, reading, foot px, reason) and the rest-to-hold conditions kinematics/heel_edge_trust measures on the
reference the reading used (rest step, light change, floor under the heel's edge, hold step's strength and height), and
the rep's per-sample heel reading (trace, fraction of the foot), its hold (sample offsets in the rep) and shin inclination.
benchmarks/heel_read_rates.py --conditions joins them to the truth. Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import score_renders

import ankle_cv.protocol.analysis as analysis_mod
import ankle_cv.protocol.heel_reading as hr
from ankle_cv.io.json_numbers import finite_or_none
from ankle_cv.kinematics.heel_edge import crops_for
from ankle_cv.kinematics.heel_edge_trust import edge_conditions


def _conditions(rep: Any, series: Any, front: Any, facing: int, crops: Any, incl: Any, cover: Any) -> dict[str, Any]:
    """The trust conditions on the reference heel_from_image reads this rep against (empty when it has none)."""
    rest, after = hr.reference_frames(rep, front, series.n_frames)
    near = hr.sheet_near_foot(series, front, facing, rest if rest.size else after, cover)
    sheet = cover if near else None
    ref = hr._reference(rep, series, front, facing, crops, incl, rest, sheet)
    if isinstance(ref, str) and after.size:
        later = hr._reference(rep, series, front, facing, crops, incl, after, sheet)
        ref = ref if isinstance(later, str) else later
    if isinstance(ref, str):
        return {}
    rest_crops, sole, _, _ = ref
    hold = crops_for(np.arange(max(rep.hold_start_frame, 0), rep.hold_end_frame + 1), crops)
    cond = edge_conditions(rest_crops, hold, sole)
    if cond is None:
        return {"foot_px": finite_or_none(sole.foot_px)}
    return {"foot_px": finite_or_none(sole.foot_px), "rest_step": finite_or_none(cond.rest_step), "light_change": finite_or_none(cond.light_change),
            "under_change": finite_or_none(cond.under_change), "hold_step_ratio": finite_or_none(cond.hold_step_ratio),
            "hold_step_rise_foot": finite_or_none(cond.hold_step_rise_foot)}


def main() -> int:
    """Run score_renders.main with heel_from_image watched; write heel_conditions.json beside its outputs."""
    out_dir = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else None
    clip: list[str] = [""]
    found: dict[str, dict[int, dict[str, Any]]] = {}
    orig_score, orig_read = score_renders.score_clip, analysis_mod.heel_from_image

    def score(entry: dict[str, Any], *args: Any, **kw: Any) -> Any:
        clip[0] = str(entry["id"])
        found[clip[0]] = {}
        return orig_score(entry, *args, **kw)

    def read(rep: Any, series: Any, front: Any, facing: int, crops: Any, threshold: float, fps: float, incl: Any,
             cover: Any = None) -> Any:
        out = orig_read(rep, series, front, facing, crops, threshold, fps, incl, cover)
        res = out[0]
        found[clip[0]][int(rep.index)] = {
            "source": str(getattr(res.heel_lift_source, "value", res.heel_lift_source)), "lifted": bool(res.heel_lifted),
            "read": finite_or_none(res.heel_read_ratio), "valid": bool(res.valid), "reason": res.heel_unread_reason,
            **_conditions(rep, series, front, facing, crops, incl, cover),
            "hold": [int(rep.hold_start_frame - rep.start_frame), int(rep.hold_end_frame - rep.start_frame)],
            "trace": [finite_or_none(round(float(v), 5)) for v in out[1].rise_ratio],
            "incl": [finite_or_none(round(float(v), 2)) for v in np.asarray(incl, float)[rep.start_frame:rep.end_frame + 1]]}
        return out

    score_renders.score_clip, analysis_mod.heel_from_image = score, read
    try:
        code = score_renders.main()
    finally:
        score_renders.score_clip, analysis_mod.heel_from_image = orig_score, orig_read
    if out_dir is not None:
        (out_dir / "heel_conditions.json").write_text(json.dumps(found, indent=1))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
