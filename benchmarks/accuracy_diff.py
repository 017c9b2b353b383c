"""Whether a change kept the accuracy tables "within noise": two runs of them compared rep by rep (issue 18's check).

Usage: python benchmarks/accuracy_diff.py BASE_DIR NEW_DIR
Each DIR may hold any of: syn/ (`ankle-cv validate ../shared/synthetic --out DIR/syn`), real/ (`ankle-cv validate
../shared/real --out DIR/real`) and random/ (`python benchmarks/score_renders.py --set SET --out DIR/random`, the same
--only list in both runs). Run the change with NEW --cache folders (the cache key hashes the tracking code anyway).

Printed per set: the reps each run matched to the truth, the per-rep MAE on the reps both matched and how much
each rep's error moved, every rep whose heel verdict or validity flipped, the knee-to-wall change, and per clip
every change of rep count, tested leg or refusal. "Within noise" (issue 18): MAE within +-0.1 deg, the same reps
found, the same heel verdicts and validity on each set, or every difference explained.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ankle_cv.io.json_numbers import finite_or_none

MAE_NOISE_DEG = 0.1  # issue 18: the per-rep MAE may move this much


def _mae(errors: list[float]) -> float:
    """Mean absolute error (NaN for none)."""
    return sum(abs(e) for e in errors) / len(errors) if errors else math.nan


def compare_reps(base: Mapping[tuple, Mapping[str, Any]], new: Mapping[tuple, Mapping[str, Any]],
                 error: str, flags: tuple[str, ...], cm: str, heel_mm: str) -> list[str]:
    """Lines comparing two runs' rows (one per true rep, keyed alike): matches, MAE, flips (with the true heel height
    at the peak, mm), centimetres."""
    found_b = {k for k, r in base.items() if finite_or_none(r[error]) is not None}
    found_n = {k for k, r in new.items() if finite_or_none(r[error]) is not None}
    both = sorted(found_b & found_n, key=str)
    lines = [f"true reps: {len(base)}; matched: base {len(found_b)}, new {len(found_n)}; "
             f"only base: {sorted(found_b - found_n, key=str)}; only new: {sorted(found_n - found_b, key=str)}"]
    if both:
        eb = [float(finite_or_none(base[k][error]) or 0.0) for k in both]
        en = [float(finite_or_none(new[k][error]) or 0.0) for k in both]
        moved = [n - b for b, n in zip(eb, en)]
        change = _mae(en) - _mae(eb)
        verdict = "within" if abs(change) <= MAE_NOISE_DEG else "OUTSIDE"
        lines.append(f"per-rep MAE on the {len(both)} reps both matched: base {_mae(eb):.3f}, new {_mae(en):.3f} deg "
                     f"({change:+.3f}: {verdict} +-{MAE_NOISE_DEG}); each rep's error moved by {_mae(moved):.2f} deg on "
                     f"average, at most {max(abs(m) for m in moved):.2f}")
        worst = sorted(zip(moved, both, eb, en), key=lambda t: -abs(t[0]))[:5]
        lines.append("largest moves: " + "; ".join(f"{k} {b:+.1f} -> {n:+.1f}" for _, k, b, n in worst))
    shared = sorted(set(base) & set(new), key=str)
    for flag in flags:
        flips = [(k, base[k][flag], new[k][flag]) for k in shared if str(base[k][flag]) != str(new[k][flag])]
        lines.append(f"{flag} differs in {len(flips)} reps" + (": " + "; ".join(
            f"{k} (heel {finite_or_none(base[k][heel_mm])} mm) {b} -> {n}" for k, b, n in flips) if flips else ""))
    pairs = [(k, finite_or_none(base[k][cm]), finite_or_none(new[k][cm])) for k in both]
    moved_cm = [abs(n - b) for _, b, n in pairs if b is not None and n is not None]
    one_only = [k for k, b, n in pairs if (b is None) != (n is None)]
    if moved_cm or one_only:
        lines.append(f"{cm}: {len(moved_cm)} reps in both, moved {sum(moved_cm) / max(len(moved_cm), 1):.2f} cm on "
                     f"average, at most {max(moved_cm, default=0.0):.2f}; given in one run only: {one_only}")
    return lines


def synthetic(base: Path, new: Path) -> list[str]:
    """`validate` on rendered clips with truth: reps.csv rows and each clip's rep count and legs."""
    rows_b = {(r["clip"], r["side"], r["truth_rep"]): r for r in csv.DictReader((base / "reps.csv").open())}
    rows_n = {(r["clip"], r["side"], r["truth_rep"]): r for r in csv.DictReader((new / "reps.csv").open())}
    lines = compare_reps(rows_b, rows_n, "error_deg", ("heel_flagged", "valid"), "knee_to_wall_ours_cm", "heel_truth_mm")
    clips_b = {c["clip"]: c for c in json.loads((base / "validation.json").read_text())["clips"]}
    clips_n = {c["clip"]: c for c in json.loads((new / "validation.json").read_text())["clips"]}
    for name in sorted(set(clips_b) & set(clips_n)):
        b, n = clips_b[name], clips_n[name]
        if (b["reps_ours"], b["our_sides"]) != (n["reps_ours"], n["our_sides"]):
            lines.append(f"{name}: reps {b['reps_ours']} -> {n['reps_ours']}, legs {b['our_sides']} -> {n['our_sides']}")
    return lines


def real(base: Path, new: Path) -> list[str]:
    """`validate` on real clips: each annotated frame's angle, and each clip's decision."""
    doc_b, doc_n = json.loads((base / "validation.json").read_text()), json.loads((new / "validation.json").read_text())
    lines = []
    for cb, cn in zip(doc_b["clips"], doc_n["clips"]):
        if cb["refused"] != cn["refused"]:
            lines.append(f"{cb['clip']}: refused {cb['refused']!r} -> {cn['refused']!r}")
        for rb, rn in zip(cb["rows"], cn["rows"]):
            a, b = finite_or_none(rb.get("ours_deg")), finite_or_none(rn.get("ours_deg"))
            if a != b:
                moved = f" ({b - a:+.2f})" if a is not None and b is not None else ""
                lines.append(f"{cb['clip']} frame {rb['frame_index']}: {a if a is None else round(a, 2)} -> "
                             f"{b if b is None else round(b, 2)} deg{moved}, within tolerance "
                             f"{rb.get('within_tolerance')} -> {rn.get('within_tolerance')}")
    for key in ("frames_measured", "frames_within_tolerance", "frames_covered", "clips_handled_right"):
        lines.append(f"{key}: {doc_b[key]} -> {doc_n[key]}")
    ours_b, ours_n = doc_b["ours"], doc_n["ours"]
    lines.append(f"MAE of the measured frames: {ours_b['mae']:.2f} (n {ours_b['n']}) -> {ours_n['mae']:.2f} (n {ours_n['n']})")
    return lines


def randomised(base: Path, new: Path) -> list[str]:
    """`score_renders` on the randomised renders: scores.json's reps and each clip's counts and refusal."""
    doc_b, doc_n = json.loads((base / "scores.json").read_text()), json.loads((new / "scores.json").read_text())
    rows_b = {(c["clip"], r["side"], r["truth_rep"]): r for c in doc_b["clips"] for r in c["reps"]}
    rows_n = {(c["clip"], r["side"], r["truth_rep"]): r for c in doc_n["clips"] for r in c["reps"]}
    lines = compare_reps(rows_b, rows_n, "error_deg", ("heel_flagged", "valid"), "knee_wall_ours_cm", "heel_at_peak_mm")
    clips_b = {c["clip"]: c for c in doc_b["clips"]}
    clips_n = {c["clip"]: c for c in doc_n["clips"]}
    keys = ("reps_ours", "count_exact", "side_correct", "extra_reps", "error", "no_measurement_reason")
    for name in sorted(set(clips_b) & set(clips_n)):
        b, n = clips_b[name], clips_n[name]
        changed = [f"{k} {b[k]!r} -> {n[k]!r}" for k in keys if b[k] != n[k]]
        if changed:
            lines.append(f"{name}: " + "; ".join(changed))
    exact_b = sum(c["count_exact"] for c in doc_b["clips"])
    exact_n = sum(c["count_exact"] for c in doc_n["clips"])
    lines.append(f"rep count exact: {exact_b}/{len(doc_b['clips'])} -> {exact_n}/{len(doc_n['clips'])} clips")
    return lines


SETS = {"syn": ("rendered clips with truth (validate)", synthetic, "reps.csv"),
        "real": ("real clips, three annotators (validate)", real, "validation.json"),
        "random": ("randomised renders (score_renders)", randomised, "scores.json")}


def main() -> None:
    """Print the comparison of every set both folders hold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    for sub, (title, compare, needed) in SETS.items():
        if (args.base / sub / needed).is_file() and (args.new / sub / needed).is_file():
            print(f"\n## {sub}: {title}")
            for line in compare(args.base / sub, args.new / sub):
                print(f"- {line}")


if __name__ == "__main__":
    main()
