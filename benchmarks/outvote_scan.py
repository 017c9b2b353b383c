"""How far the outline turn must lie from an agreeing edge line and landmarks before they outvote it (issue 19: TURN_OUTVOTE_DEG).

    python benchmarks/outvote_scan.py CAPTURE.json [CAPTURE.json ...] [--grid 5,6,7,8,9,10,12,99] [--captured-at 5]

Reads `benchmarks/edge_trust.py` captures (the product's per-frame landmarks, edge line and turn, each carried into the leg's
plane by the frame's own shift, and the truth) and re-runs kinematics.estimator_choice.choose_angle on them with the outvote
distance set to each grid value (99: never outvoted). A rep's new error is its error as captured plus the change of its hold's
median angle from the distance the capture was made with (--captured-at: 5 before session 26, TURN_OUTVOTE_DEG after; the
choice's other steps are left as the product ran them). Prints:
- per frame where the edge line and the landmarks agree and the turn lies more than 5 deg from their mean, by that distance:
  the median |error| of the turn, the edge line and the outline's mean, and the share where the turn is the nearer;
- per split and per set, the valid reps' MAE at each distance, reps over 3 deg, and the leave-one-body-out MAE on the fit
  split (each body scored at the distance that minimises the other bodies' MAE; the smallest such distance).
Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

import ankle_cv.kinematics.estimator_choice as ec
from ankle_cv.kinematics.fitted import TURN_EDGE_TOL_DEG, TURN_OUTVOTE_DEG

GAP_BANDS_DEG = ((5.0, 6.0), (6.0, 7.0), (7.0, 8.0), (8.0, 10.0), (10.0, 15.0), (15.0, 90.0))


def _stances(frames: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Runs of consecutive frames of one leg (the product chooses per stance)."""
    start = 0
    for n in range(1, len(frames) + 1):
        if n == len(frames) or frames[n]["i"] != frames[n - 1]["i"] + 1 or frames[n]["side"] != frames[n - 1]["side"]:
            yield frames[start:n]
            start = n


def chosen(frames: list[dict[str, Any]], outvote_deg: float) -> np.ndarray:
    """Each frame's angle as choose_angle gives it with the outvote distance set to outvote_deg."""
    saved = ec.TURN_OUTVOTE_DEG
    ec.TURN_OUTVOTE_DEG = outvote_deg
    try:
        lm, edge, turn = (np.array([f[k] for f in frames], float) for k in ("lm", "edge", "turn"))
        return ec.choose_angle(lm, edge, turn).angle_deg
    finally:
        ec.TURN_OUTVOTE_DEG = saved


def rep_rows(doc: dict[str, Any], grid: list[float], captured_at: float) -> list[dict[str, Any]]:
    """Every captured rep with its error as captured and at each grid distance."""
    out = []
    for v in doc.values():
        frames = v["frames"]
        if not frames:
            continue
        idx = {f["i"]: n for n, f in enumerate(frames)}
        angle = {t: np.concatenate([chosen(s, t) for s in _stances(frames)]) for t in {*grid, captured_at}}
        for r in v["reps"]:
            hold = [idx[i] for i in range(r["hold"][0], r["hold"][1] + 1) if i in idx]
            base = angle[captured_at][hold] if hold else np.array([])
            row = {"set": v["set"], "clip": v["clip"], "split": v["split"], "body": v["body"], "rep": r["rep"], "valid": r["valid"],
                   "err": r["ours"] - r["truth"]}
            for t in grid:
                a = angle[t][hold] if hold else np.array([])
                moved = float(np.nanmedian(a) - np.nanmedian(base)) if np.isfinite(a).any() and np.isfinite(base).any() else 0.0
                row[t] = row["err"] + moved
            out.append(row)
    return out


def frame_table(doc: dict[str, Any]) -> None:
    """Outvoted frames (at TURN_EDGE_TOL_DEG) by the turn's distance from the pair: who is nearer the truth."""
    gap, e_turn, e_edge, e_mean = [], [], [], []
    for v in doc.values():
        for f in v["frames"]:
            pair = 0.5 * (f["edge"] + f["lm"])
            if not (np.isfinite(f["turn"]) and np.isfinite(pair) and abs(f["edge"] - f["lm"]) <= TURN_EDGE_TOL_DEG):
                continue
            if abs(f["turn"] - pair) > TURN_EDGE_TOL_DEG:
                gap.append(abs(f["turn"] - pair))
                e_turn.append(abs(f["turn"] - f["truth"]))
                e_edge.append(abs(f["edge"] - f["truth"]))
                e_mean.append(abs(0.5 * (f["turn"] + f["edge"]) - f["truth"]))
    g, et, ee, em = (np.array(x) for x in (gap, e_turn, e_edge, e_mean))
    print("| turn from the pair (deg) | frames | turn |error| | edge line | outline's mean | turn the nearer |\n|---|---|---|---|---|---|")
    for lo, hi in GAP_BANDS_DEG:
        m = (g > lo) & (g <= hi)
        if m.any():
            print(f"| {lo:g}-{hi:g} | {m.sum()} | {np.median(et[m]):.2f} | {np.median(ee[m]):.2f} | {np.median(em[m]):.2f} | {100 * np.mean(et[m] < ee[m]):.0f} % |")


def _mae(rows: list[dict[str, Any]], key: Any) -> float:
    e = [abs(r[key]) for r in rows if r["valid"] and np.isfinite(r[key])]
    return float(np.mean(e)) if e else float("nan")


def rep_table(rows: list[dict[str, Any]], grid: list[float]) -> None:
    """Valid reps' MAE (and reps over 3 deg) per split and set at each distance, and leave-one-body-out on the fit split."""
    print("\n| reps | n | as scored | " + " | ".join(f"{t:g}" for t in grid) + " |\n|---|---|---|" + "---|" * len(grid))
    groups = [("fit split", lambda r: r["split"] == "fit"), ("report split", lambda r: r["split"] == "report")]
    groups += [(s, lambda r, s=s: r["set"] == s) for s in sorted({r["set"] for r in rows})]
    for name, keep in groups:
        sub = [r for r in rows if keep(r)]
        over = {k: sum(1 for r in sub if r["valid"] and abs(r[k]) > 3.0) for k in ("err", *grid)}
        print(f"| {name} | {sum(r['valid'] for r in sub)} | {_mae(sub, 'err'):.3f} ({over['err']}) | "
              + " | ".join(f"{_mae(sub, t):.3f} ({over[t]})" for t in grid) + " |")
    fit = [r for r in rows if r["split"] == "fit"]
    held, picks = [], []
    for body in sorted({r["body"] for r in fit}):
        others = [r for r in fit if r["body"] != body]
        scores = [round(_mae(others, t), 6) for t in grid]
        t_b = grid[int(np.nanargmin(scores))]
        picks.append(t_b)
        held += [abs(r[t_b]) for r in fit if r["body"] == body and r["valid"] and np.isfinite(r[t_b])]
    print(f"\nleave-one-body-out (fit split, {len(picks)} bodies): MAE {np.mean(held):.3f} over {len(held)} valid reps; "
          f"distances chosen: " + ", ".join(f"{t:g} x{picks.count(t)}" for t in sorted(set(picks))))
    print("\nreps moved by more than 0.3 deg at the product's distance (TURN_OUTVOTE_DEG) against 5:")
    for r in rows:
        if 5.0 in r and TURN_OUTVOTE_DEG in r and abs(r[TURN_OUTVOTE_DEG] - r[5.0]) > 0.3:
            print(f"  {r['set']} {r['clip']} rep {r['rep']} ({r['split']}, {'valid' if r['valid'] else 'refused'}): "
                  f"{r[5.0]:+.1f} -> {r[TURN_OUTVOTE_DEG]:+.1f}")


def main(argv: list[str] | None = None) -> int:
    """Read the captures and print the tables."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("captures", nargs="+", type=Path)
    ap.add_argument("--grid", default="5,6,7,8,9,10,12,99")
    ap.add_argument("--captured-at", type=float, default=5.0, help="the outvote distance of the code that made the captures")
    args = ap.parse_args(argv)
    doc: dict[str, Any] = {}
    for f in args.captures:
        doc.update(json.loads(f.read_text()))
    grid = [float(t) for t in args.grid.split(",")]
    frame_table(doc)
    rep_table(rep_rows(doc, grid, args.captured_at), grid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
