"""Pool distance_parts.py's rows over several rendered sets: which part of knee-to-wall's error holds across sets, and how
each reading's miss compares with its own share of the interval (issue 22 item 3).

Usage:
    python benchmarks/distance_parts.py --set /work/renders/random_v8 --cache /work/cache/random_v8 --json parts/random_v8.json
    ... (one file per set, named after the set)
    python benchmarks/distance_pool.py parts/random_v8.json parts/random_v9.json ... [--placements side_far,side_near]
        [--valid /work/scratch/s26/base]   (only the reps <dir>/<set>/scores.json calls valid)

Why: one set's mean part is easily one clip's (session 25: a knee-front depth fitted +2.5 cm on random_v12, -0.8 on v10,
-1.4 on v11). A part worth correcting has the same sign in every set's mean, not just in the pooled one. Per placement and
tested leg (near / far the camera), over legs in tight clothes whose wall-floor line was found (the wall put by the sheet's
edge and loose cloth before the knee are read elsewhere: their own sigmas say so), this prints each part's mean over legs,
its t (mean over its standard error), each set's mean, and "holds" when at least MIN_SETS sets have a leg, all of them
agree in sign and |t| >= 2.
Then each reading's miss over its own 1-sigma (RMS z; about 1 when the sigma matches the spread, well below 1 when the
interval is wider than the misses): the knee part over the knee front's sigma, wall line + wall depth over the wall
point's, the vertical part over the vertical's at the knee's height, and knee-to-wall over its reported sigma. Last, the
knee-to-wall error in pixels of the leg's scale, by scale, and every rep outside +-0.5 cm with the part that carries most.
The parts split the reading before the product moves it (a knee read beyond the wall given as 0, a knee in free cloth moved
back): a rep whose parts do not add up to its reported error is marked "moved".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

PARTS = ("knee", "wall_line", "wall_depth", "vertical", "scale", "peak")
CM_PER_PX_BINS = (0.0, 0.3, 0.45, 0.6, 0.8, 10.0)
TOLERANCE_CM = 0.5
MIN_SETS = 3  # a part seen on fewer sets is one or two clips' (session 25's knee depth: v12 alone said +2.5 cm)

Row = dict[str, Any]


def load_rows(paths: list[Path], valid_root: Path | None) -> list[Row]:
    """distance_parts.py's rows of every file, tagged with its set (the file's stem); only valid reps with --valid."""
    rows: list[Row] = []
    for path in paths:
        keep = None
        if valid_root is not None:
            doc = json.loads((valid_root / path.stem / "scores.json").read_text())
            keep = {(c["clip"], r["truth_rep"]) for c in doc["clips"] for r in c.get("reps", []) if r.get("valid")}
        for r in json.loads(path.read_text()):
            if keep is None or (r["clip"], r["truth_rep"]) in keep:
                rows.append({**r, "set": path.stem})
    return rows


def _leg_key(r: Row) -> tuple[str, str, str]:
    return r["set"], r["clip"], r["side"]


def _condition(r: Row) -> str:
    return f"{r['placement']} {'near' if r['near_camera'] else 'far'}"


def per_leg_means(rows: list[Row]) -> dict[tuple[str, str, str], Row]:
    """Each tested leg's parts averaged over its reps (the legs, not the reps, are independent)."""
    by: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for r in rows:
        if r.get("knee") is not None:
            by[_leg_key(r)].append(r)
    return {k: {**rs[0], **{p: float(np.mean([x[p] for x in rs])) for p in PARTS}} for k, rs in by.items()}


def parts_table(legs: dict[tuple[str, str, str], Row]) -> str:
    """Each part's mean over tight legs with the wall-floor line found, its t, each set's mean, and whether it holds."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for leg in legs.values():
        if not leg["loose"] and str(leg["wall_method"]).startswith("wall-floor"):
            groups[_condition(leg)].append(leg)
    out = ["| placement, leg | legs | part | mean (cm) | t | per set (mean over its legs) | holds |", "|---" * 7 + "|"]
    for name in sorted(groups):
        legs_in = groups[name]
        for p in PARTS:
            v = np.array([x[p] for x in legs_in], float)
            se = v.std(ddof=1) / np.sqrt(v.size) if v.size > 1 else float("inf")
            t = v.mean() / se if se > 0 else 0.0
            per_set: dict[str, list[float]] = defaultdict(list)
            for x in legs_in:
                per_set[x["set"]].append(x[p])
            means = {s: float(np.mean(vs)) for s, vs in sorted(per_set.items())}
            holds = abs(t) >= 2.0 and len(means) >= MIN_SETS and len({np.sign(m) for m in means.values()}) == 1
            cells = ", ".join(f"{s.replace('random_', '')} {m:+.2f}" for s, m in means.items())
            out.append(f"| {name} | {v.size} | {p} | {v.mean():+.2f} | {t:+.1f} | {cells} | {'yes' if holds else ''} |")
    return "\n".join(out)


def _rms(z: list[float]) -> str:
    a = np.asarray(z, float)
    return f"{np.sqrt(np.mean(a**2)):.2f} ({a.size})" if a.size else "–"


def sigma_table(rows: list[Row]) -> str:
    """RMS of each reading's miss over its own 1-sigma, per placement and leg (reps; loose cloth apart)."""
    z: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.get("knee") is None or r.get("knee_sd_cm") is None:
            continue
        name = _condition(r) + (", loose" if r["loose"] else "")
        if r["knee_sd_cm"] > 0:
            z[name]["knee"].append(r["knee"] / r["knee_sd_cm"])
        if r["wall_sd_cm"]:
            z[name]["wall"].append((r["wall_line"] + r["wall_depth"]) / r["wall_sd_cm"])
        if r["roll_sd_cm"]:
            z[name]["vertical"].append(r["vertical"] / r["roll_sd_cm"])
        if r.get("knee_wall_err") is not None and r.get("knee_wall_sd"):
            z[name]["knee-to-wall"].append(r["knee_wall_err"] / r["knee_wall_sd"])
    out = ["| placement, leg | knee / its sigma | wall line + depth / the wall's sigma | vertical / its sigma | "
           "knee-to-wall / reported sigma |", "|---" * 5 + "|"]
    for name in sorted(z):
        cells = [_rms(z[name][k]) for k in ("knee", "wall", "vertical", "knee-to-wall")]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def pixel_table(rows: list[Row]) -> str:
    """Knee-to-wall's error (as reported, tight legs, wall-floor line found) in pixels of the leg's scale, by scale."""
    out = ["| cm per px | reps | within ±0.5 cm | RMS error (cm) | RMS error (px) |", "|---" * 5 + "|"]
    for lo, hi in zip(CM_PER_PX_BINS[:-1], CM_PER_PX_BINS[1:]):
        sel = [r for r in rows if r.get("knee_wall_err") is not None and r.get("cm_per_px") and not r["loose"]
               and str(r["wall_method"]).startswith("wall-floor") and lo <= r["cm_per_px"] < hi]
        if not sel:
            continue
        e = np.array([r["knee_wall_err"] for r in sel], float)
        px = e / np.array([r["cm_per_px"] for r in sel], float)
        within = int((np.abs(e) <= TOLERANCE_CM + 1e-9).sum())
        out.append(f"| {lo:.2f}–{hi:.2f} | {e.size} | {within}/{e.size} | {np.sqrt(np.mean(e**2)):.2f} | {np.sqrt(np.mean(px**2)):.2f} |")
    return "\n".join(out)


def misses(rows: list[Row]) -> str:
    """Every rep outside the tolerance, with the part that carries most of its error."""
    out = ["| set | clip | rep | leg | error ± sd (cm) | cm/px | largest part | the others |", "|---" * 8 + "|"]
    for r in rows:
        e = r.get("knee_wall_err")
        if e is None or abs(e) <= TOLERANCE_CM + 1e-9 or r.get("knee") is None:
            continue
        parts = sorted(PARTS, key=lambda p: -abs(r[p]))
        rest = ", ".join(f"{p} {r[p]:+.2f}" for p in parts[1:] if abs(r[p]) >= 0.1)
        loose = ", loose" if r["loose"] else ""
        moved = " (moved)" if abs(sum(r[p] for p in PARTS) - e) > 0.05 else ""
        out.append(f"| {r['set'].replace('random_', '')} | {r['clip']} | {r['truth_rep']} | {_condition(r)}{loose} | "
                   f"{e:+.2f} ± {r.get('knee_wall_sd') or 0:.2f}{moved} | {r.get('cm_per_px') or float('nan'):.2f} | "
                   f"{parts[0]} {r[parts[0]]:+.2f} | {rest} |")
    return "\n".join(out)


def main() -> int:
    """Print the four tables for the rows of the given files."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path, help="distance_parts.py --json files, one per set, named <set>.json")
    ap.add_argument("--placements", default="", help="comma-separated (side_far, side_near, floor); default all")
    ap.add_argument("--valid", type=Path, default=None, help="scores root: keep the reps <root>/<set>/scores.json calls valid")
    args = ap.parse_args()
    rows = load_rows(args.files, args.valid)
    wanted = [p for p in args.placements.split(",") if p]
    if wanted:
        rows = [r for r in rows if r["placement"] in wanted]
    print("## Parts that hold across sets (tight legs, wall-floor line found)\n")
    print(parts_table(per_leg_means(rows)))
    print("\n## Each reading's miss over its own sigma (RMS z, reps)\n")
    print(sigma_table(rows))
    print("\n## Knee-to-wall in pixels of the leg's scale\n")
    print(pixel_table(rows))
    print("\n## Reps outside ±0.5 cm\n")
    print(misses(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
