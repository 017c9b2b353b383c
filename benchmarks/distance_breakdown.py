"""Per set and per marker placement: how many reps' distances are within tolerance and covered, and which part misses.

Usage:
    python benchmarks/distance_parts.py --set /work/renders/random_v10 --cache /work/cache/random_v10 --json before/random_v10.json
    ... (one JSON per set, named after it; the same for the code after a change in another folder)
    python benchmarks/distance_breakdown.py before/*.json [--after after/]

Why: issue 22 item 3 asks knee-to-wall within ±0.5 cm and the equivalent toe-to-wall within ±1.0 cm, every 95 % interval
covering the truth. distance_parts.py splits each rep's error into its readings (knee, wall, toe, vertical, scale); this
sums them over every open set: per set the counts (within / covered / n), per placement each part's mean and RMS, and
which part is the largest in each miss. With --after, the same counts for the other folder's JSON of each set side by side.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

Z95 = 1.96
K2W_TOL, EQ_TOL = 0.5, 1.0
K2W_PARTS = ("knee", "wall_line", "wall_depth", "vertical", "scale", "peak")
EQ_PARTS = ("eq_knee", "eq_toe", "eq_vertical", "eq_scale", "eq_peak")


def load(path: Path) -> list[dict[str, Any]]:
    """distance_parts.py's rows of one set, each tagged with the set's name (the file's stem)."""
    return [{**r, "set": path.stem} for r in json.loads(path.read_text())]


def counts(rows: list[dict[str, Any]], err: str, sd: str, tol: float) -> tuple[int, int, int]:
    """(within tolerance, 95 % interval covers, n) over the rows with a number."""
    q = [r for r in rows if r.get(err) is not None]
    within = sum(1 for r in q if abs(r[err]) <= tol)
    cov = sum(1 for r in q if r.get(sd) is not None and abs(r[err]) <= Z95 * r[sd])
    return within, cov, len(q)


def cell(c: tuple[int, int, int]) -> str:
    """'within / covered / n'."""
    return f"{c[0]} / {c[1]} / {c[2]}" if c[2] else "–"


def set_table(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]] | None) -> list[str]:
    """One row per set (and the total): knee-to-wall and equivalent counts, before and (if given) after."""
    head = "| set | k2w ±0.5 within / covered / n | eq ±1.0 within / covered / n |"
    if after is not None:
        head = ("| set | k2w before | k2w after | eq before | eq after |")
    out = [head, "|---" * (head.count("|") - 1) + "|"]
    names = sorted(before) + ["all"]
    for name in names:
        b = [r for rs in before.values() for r in rs] if name == "all" else before[name]
        kb, eb = counts(b, "knee_wall_err", "knee_wall_sd", K2W_TOL), counts(b, "equivalent_err", "equivalent_sd", EQ_TOL)
        if after is None:
            out.append(f"| {name} | {cell(kb)} | {cell(eb)} |")
            continue
        a = [r for rs in after.values() for r in rs] if name == "all" else after.get(name, [])
        ka, ea = counts(a, "knee_wall_err", "knee_wall_sd", K2W_TOL), counts(a, "equivalent_err", "equivalent_sd", EQ_TOL)
        out.append(f"| {name} | {cell(kb)} | {cell(ka)} | {cell(eb)} | {cell(ea)} |")
    return out


def part_table(rows: list[dict[str, Any]], err: str, sd: str, tol: float, parts: tuple[str, ...]) -> list[str]:
    """Per placement: the counts, each part's mean / RMS (cm) and how often it is the largest part of a miss."""
    out = [f"| placement | within / covered / n | {' | '.join(parts)} | largest part of the misses |", "|---" * (len(parts) + 3) + "|"]
    for placement in sorted({r["placement"] for r in rows}):
        q = [r for r in rows if r["placement"] == placement and r.get(err) is not None]
        if not q:
            continue
        stats = []
        for p in parts:
            v = np.array([r[p] for r in q if r.get(p) is not None], float)
            stats.append(f"{v.mean():+.2f} / {np.sqrt((v**2).mean()):.2f}" if v.size else "–")
        largest: dict[str, int] = {}
        for r in q:
            if abs(r[err]) > tol:
                big = max(parts, key=lambda p: abs(r.get(p) or 0.0))
                largest[big] = largest.get(big, 0) + 1
        out.append(f"| {placement} | {cell(counts(q, err, sd, tol))} | {' | '.join(stats)} | "
                   f"{', '.join(f'{k} {v}' for k, v in sorted(largest.items(), key=lambda kv: -kv[1])) or '–'} |")
    return out


def main() -> int:
    """Print the set table (before/after) and the part tables of the first folder's rows (and the after's)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json", nargs="+", type=Path, help="distance_parts.py JSON files, one per set (named after it)")
    ap.add_argument("--after", type=Path, default=None, help="folder holding the same sets' JSON from the changed code")
    args = ap.parse_args()
    before = {p.stem: load(p) for p in args.json}
    after = None
    if args.after is not None:
        after = {name: load(args.after / f"{name}.json") for name in before if (args.after / f"{name}.json").exists()}
    print("\n".join(set_table(before, after)))
    for label, data in (("before" if after is not None else "rows", before), ("after", after)):
        if data is None:
            continue
        rows = [r for rs in data.values() for r in rs]
        print(f"\n{label}: knee-to-wall parts (cm, mean / RMS; + = reads longer)")
        print("\n".join(part_table(rows, "knee_wall_err", "knee_wall_sd", K2W_TOL, K2W_PARTS)))
        print(f"\n{label}: equivalent toe-to-wall parts")
        print("\n".join(part_table(rows, "equivalent_err", "equivalent_sd", EQ_TOL, EQ_PARTS)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
