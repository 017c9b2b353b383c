"""Fit how far loose cloth hangs before a free knee (fitted.FABRIC_KNEE_AHEAD_CM) from distance_parts.py's rows (issue 22).

Usage:
    python benchmarks/distance_parts.py --set /work/renders/random_v6 --cache /work/cache/random_v6 --json parts/random_v6.json
    ... (one JSON per open set)
    python benchmarks/cloth_knee_fit.py parts/*.json

Why: where the knee's fabric test flags a leg, the silhouette's knee front is the cloth's. Pressed against the wall the
cloth is flat and its front is the knee's; before a free knee it hangs some centimetres out and knee-to-wall reads short,
the equivalent distance long, by that much. The product takes the skin that far behind a front read clear of the wall
(centimetres._skin_behind_free_cloth); this prints the knee part (our front against the true skin front, cm, + = the skin
lies behind) of every flagged rep the rule applies to (its front read farther from the wall than TOUCH_TOLERANCE_CM and
than its own 1-sigma without the cloth's, centimetres._clear_of_the_wall_cm; or no knee-to-wall at all: no wall beside it), its median on the fit split, leave-one-body-out, and the report split's.
Rows must come from the code before the shift (the product's reading decides which reps the rule applies to).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

TOUCH_TOLERANCE_CM = 0.5  # protocol.distance.TOUCH_TOLERANCE_CM


def free_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flagged reps whose cloth front the product reads clear of the wall (or with no wall), with their knee part."""
    out = []
    for r in rows:
        if not r.get("knee_fabric_sd"):
            continue
        k2w_err, gap = r.get("knee_wall_err"), r.get("knee_truth_cm")
        if k2w_err is not None and gap is not None:
            own = float(np.sqrt(max((r.get("knee_wall_sd") or 0.0) ** 2 - float(r["knee_fabric_sd"]) ** 2, 0.0)))
            if gap + k2w_err <= max(TOUCH_TOLERANCE_CM, own) or r.get("knee") is None:
                continue
            behind = -float(r["knee"])
        elif r.get("eq_knee") is not None:
            behind = float(r["eq_knee"])
        else:
            continue
        out.append({**r, "behind": behind})
    return out


def body_key(r: dict[str, Any]) -> str:
    """A body of one set (the sets draw bodies afresh: b06 of random_v6 is not b06 of random_v1)."""
    return f"{r['set']}:{r['body']}"


def main() -> int:
    """Print the rows, the fit split's median with leave-one-body-out, and the report split's."""
    rows = []
    for path in sys.argv[1:]:
        for r in json.loads(Path(path).read_text()):
            rows.append({**r, "set": Path(path).stem})
    free = free_rows(rows)
    for r in free:
        print(f"{r['set']:11s} {r['clip'][:30]:30s} rep {r['truth_rep']} {r['split']:6s} {r['placement']:9s} "
              f"shoes {str(r['shoes'])[0]} gap {r['knee_truth_cm']:5.2f} skin behind the cloth's front {r['behind']:+.2f} cm")
    fit = [r for r in free if r["split"] == "fit"]
    rep = [r for r in free if r["split"] == "report"]
    if not fit:
        print("no fit-split rows")
        return 1
    med = float(np.median([r["behind"] for r in fit]))
    bodies = sorted({body_key(r) for r in fit})
    lobo = [float(np.median([r["behind"] for r in fit if body_key(r) != b])) for b in bodies if any(body_key(r) != b for r in fit)]
    print(f"fit: {len(fit)} reps, {len(bodies)} bodies, median {med:.2f} cm (range {min(r['behind'] for r in fit):.2f}.."
          f"{max(r['behind'] for r in fit):.2f}); leave-one-body-out {min(lobo):.2f}..{max(lobo):.2f}")
    if rep:
        vals = np.array([r["behind"] for r in rep])
        print(f"report: {len(rep)} reps, median {np.median(vals):.2f} (range {vals.min():.2f}..{vals.max():.2f}); "
              f"within 1 cm of the fit's {int((np.abs(vals - med) <= 1.0).sum())}/{len(rep)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
