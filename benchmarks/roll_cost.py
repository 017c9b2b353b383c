"""What a camera's roll costs on a plain background: each rep's error on the rolled clip minus that on its level twin.

Reads the scores.json that benchmarks/score_renders.py wrote for the pairs of benchmarks/render_roll_pairs.py and prints
a Markdown table per pair and rep (errors, the cost, the vertical each clip was measured from) and the summary the
issue asks for (issue 22: 3-5 deg of roll must cost at most 1 deg).

Usage:
    python benchmarks/roll_cost.py SCORES_JSON [--results DIR]   (DIR: score_renders' results/, for the vertical used)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

TARGET_DEG = 1.0


def fmt(value: float | None) -> str:
    """A signed error to 0.01 deg, '-' when not measured."""
    return "-" if value is None else f"{value:+.2f}"


def vertical_of(results_dir: Path | None, clip: str) -> str:
    """The vertical the clip was measured from, shortened (its roll in brackets)."""
    path = results_dir / f"{clip}.json" if results_dir else None
    if path is None or not path.exists():
        return "-"
    text = json.loads(path.read_text())["method"]["vertical"]
    roll = re.search(r"roll ([+-]?[\d.]+) deg", text)
    where = text.split(" (")[0].replace("true vertical ", "").replace("in the leg's plane ", "")
    return f"{where}{f' ({roll.group(1)})' if roll else ''}"


def main() -> int:
    """Pair the clips, print the table and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scores", type=Path)
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args()
    results = args.results or args.scores.parent / "results"
    clips: list[dict[str, Any]] = json.loads(args.scores.read_text())["clips"]
    pairs: dict[int, dict[str, dict[str, Any]]] = {}
    for c in clips:
        pairs.setdefault(int(c["tags"]["pair"]), {})["rolled" if c["tags"]["roll_deg"] else "level"] = c
    print("| pair | split | roll (deg) | rep | truth (deg) | error level / rolled (deg) | cost (deg) | vertical level / rolled |")
    print("|---|---|---|---|---|---|---|---|")
    costs: list[float] = []
    unmeasured = 0
    for k in sorted(pairs):
        level, rolled = pairs[k].get("level"), pairs[k].get("rolled")
        if level is None or rolled is None:
            continue
        by_rep = {r["truth_rep"]: r for r in rolled["reps"]}
        for r0 in level["reps"]:
            r1 = by_rep.get(r0["truth_rep"])
            e0, e1 = r0["error_deg"], (r1 or {}).get("error_deg")
            cost = None if e0 is None or e1 is None else abs(e1) - abs(e0)
            if cost is None:
                unmeasured += 1
            else:
                costs.append(cost)
            print(f"| {k} | {level['split']} | {rolled['tags']['roll_deg']:+.1f} | {r0['truth_rep']} | {r0['truth_deg']:.1f} | "
                  f"{fmt(e0)} / {fmt(e1)} | {fmt(cost)} | {vertical_of(results, level['clip'])} / {vertical_of(results, rolled['clip'])} |")
    if not costs:
        print("\nno pair measured on both clips")
        return 1
    worst = max(costs)
    within = sum(c <= TARGET_DEG for c in costs)
    print(f"\n{len(costs)} reps in {len(pairs)} pairs: cost mean {sum(costs) / len(costs):+.2f} deg, worst {worst:+.2f} deg; "
          f"{within}/{len(costs)} within {TARGET_DEG:g} deg{f'; {unmeasured} reps not measured on one of the two' if unmeasured else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
