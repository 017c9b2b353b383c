"""Before/after per rendered set: valid reps, their MAE, how many hold the truth in their interval, and reps refused.

    python benchmarks/coverage_diff.py BEFORE_ROOT AFTER_ROOT SET [SET ...] [--split fit|report|all]

Each ROOT holds <SET>/scores.json and <SET>/results/<clip>.json as benchmarks/score_renders.py writes them (the lead's
/work/scratch/s22/fin and a helper's after-run). Prints one Markdown row per set and split: matched reps, valid reps,
the valid reps' MAE, coverage (valid reps whose 95 % interval holds the truth), valid reps outside it, reps refused
(matched, not valid), and then every rep whose validity or interval moved. A rule that widens or refuses shows its cost
here: the correct valid reps it touches (issue 19: a confident wrong number is the worst outcome, but not at the price of
many good reps). Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _ci(result: dict[str, Any] | None, rep: dict[str, Any]) -> float | None:
    """The result's interval of the scored rep (same leg, same angle to 0.05 deg)."""
    if result is None or rep.get("ours_deg") is None:
        return None
    for r in result.get("reps", []):
        ang = r.get("tibial_inclination_deg")
        if r.get("side") == rep["side"] and ang is not None and abs(ang - rep["ours_deg"]) < 0.06:
            ci = r.get("tibial_inclination_ci95_deg")
            return float(ci) if ci is not None else None
    return None


def load(root: Path, set_name: str) -> dict[tuple[str, int], dict[str, Any]]:
    """(clip, truth rep) -> the scored rep with its interval and split."""
    d = root / set_name
    scores = json.loads((d / "scores.json").read_text())
    out = {}
    for c in scores["clips"]:
        rp = d / "results" / f"{c['clip']}.json"
        result = json.loads(rp.read_text()) if rp.is_file() else None
        for r in c["reps"]:
            if r.get("matched"):
                out[(c["clip"], int(r["truth_rep"]))] = {**r, "ci": _ci(result, r)}
    return out


def summary(reps: list[dict[str, Any]]) -> str:
    """matched | valid | MAE | coverage | outside | refused, for these reps."""
    valid = [r for r in reps if r["valid"] and r.get("error_deg") is not None]
    inside = [r for r in valid if r["ci"] is not None and abs(r["error_deg"]) <= r["ci"]]
    mae = sum(abs(r["error_deg"]) for r in valid) / len(valid) if valid else float("nan")
    cov = 100.0 * len(inside) / len(valid) if valid else float("nan")
    return f"{len(reps)} | {len(valid)} | {mae:.2f} | {cov:.1f} % | {len(valid) - len(inside)} | {len(reps) - len(valid)}"


def main() -> int:
    """Print the table and the reps that moved."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--split", choices=["fit", "report", "all"], default="all")
    args = ap.parse_args()
    print("| set | split | run | matched | valid | valid MAE | coverage | valid outside | refused |")
    print("|---|---|---|---|---|---|---|---|---|")
    moved = []
    for s in args.sets:
        b, a = load(args.before, s), load(args.after, s)
        keys = sorted(set(a) & set(b))
        splits = ["fit", "report"] if args.split == "all" else [args.split]
        for split in splits + (["all"] if args.split == "all" else []):
            ks = [k for k in keys if split == "all" or b[k]["split"] == split]
            print(f"| {s} | {split} | before | {summary([b[k] for k in ks])} |")
            print(f"| {s} | {split} | after | {summary([a[k] for k in ks])} |")
        for k in keys:
            rb, ra = b[k], a[k]
            if rb["valid"] != ra["valid"] or rb["ci"] != ra["ci"] or rb.get("ours_deg") != ra.get("ours_deg"):
                moved.append(f"{s} {k[0]} rep {k[1]}: error {rb.get('error_deg')} +- {rb['ci']} valid {rb['valid']} -> "
                             f"error {ra.get('error_deg')} +- {ra['ci']} valid {ra['valid']}")
    print(f"\n{len(moved)} reps moved")
    print("\n".join(moved))
    return 0


if __name__ == "__main__":
    sys.exit(main())
