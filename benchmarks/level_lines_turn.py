"""The effective turn of the shin where the room's level lines alone gave the vertical (LEVEL_LINES_TURN_DEG's fit).

    python benchmarks/level_lines_turn.py SCORES_ROOT SET [SET ...] [--renders /work/renders]

SCORES_ROOT holds <SET>/scores.json and <SET>/results/<clip>.json (benchmarks/score_renders.py). For every matched rep of
a clip whose vertical came from the room's level lines (no leg plane), the turn phi with tan(seen) = tan(true) cos(phi)
from the render's truth (benchmarks/camera_error_parts.py: the shin against the true vertical at the ankle vs its
sagittal angle): its median, p90, p95 and maximum over the valid reps per split, the p95's range leaving one body out
(fit split), and the valid reps outside their interval. Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.camera_error_parts import rep_parts

LEVEL_LINES = "room's level lines"


def level_line_reps(root: Path, set_name: str, renders: Path) -> list[dict[str, Any]]:
    """The matched reps of the set's level-lines clips, with their effective turn, error, interval and split."""
    scores = json.loads((root / set_name / "scores.json").read_text())
    out = []
    for clip in scores["clips"]:
        path = root / set_name / "results" / f"{clip['clip']}.json"
        if not path.exists():
            continue
        result = json.loads(path.read_text())
        if result.get("settings", {}).get("vertical_source") != LEVEL_LINES:
            continue
        parts = {p["rep"]: p for p in rep_parts(json.loads((renders / set_name / f"{clip['clip']}.json").read_text()))}
        for rep in clip["reps"]:
            if not rep.get("matched") or rep.get("ours_deg") is None:
                continue
            ci = next((r["tibial_inclination_ci95_deg"] for r in result["reps"] if r["side"] == rep["side"]
                       and r.get("tibial_inclination_deg") is not None and abs(r["tibial_inclination_deg"] - rep["ours_deg"]) < 0.06), None)
            out.append({"set": set_name, "clip": clip["clip"], "split": clip["split"], "body": rep["body"], "valid": rep["valid"],
                        "error": rep["error_deg"], "ci": ci, "turn": parts[rep["truth_rep"]]["effective_turn"]})
    return out


def main() -> int:
    """Print the turn's spread per split and leaving one body out."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--renders", type=Path, default=Path("/work/renders"))
    args = ap.parse_args()
    reps = [r for s in args.sets for r in level_line_reps(args.root, s, args.renders) if r["valid"]]
    print("| split | valid reps | turn median / p90 / p95 / max (deg) | outside |\n|---|---|---|---|")
    for split in ("fit", "report", "all"):
        rows = [r for r in reps if split == "all" or r["split"] == split]
        if not rows:
            continue
        t = np.array([r["turn"] for r in rows])
        outside = sum(1 for r in rows if r["ci"] is not None and abs(r["error"]) > r["ci"])
        print(f"| {split} | {len(rows)} | {np.median(t):.1f} / {np.percentile(t, 90):.1f} / {np.percentile(t, 95):.1f} / {t.max():.1f} | {outside} |")
    fit = [r for r in reps if r["split"] == "fit"]
    bodies = sorted({r["body"] for r in fit})
    if len(bodies) > 1:
        lobo = [float(np.percentile([r["turn"] for r in fit if r["body"] != b], 95)) for b in bodies]
        print(f"\nfit split p95 leaving one body out ({len(bodies)} bodies): {min(lobo):.1f}-{max(lobo):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
