"""How often the heel is read, flagged and left "not checked", per set and split, from score_renders.py outputs.

Usage:
    python benchmarks/heel_read_rates.py DIR [DIR ...] [--before DIR ...] [--leg far|near|all] [--reasons]
    python benchmarks/heel_read_rates.py DIR [DIR ...] --by lift|clothes|light|resolution|set
    python benchmarks/heel_read_rates.py DIR [DIR ...] --misses
    python benchmarks/heel_read_rates.py DIR [DIR ...] --conditions

Each DIR is a `score_renders.py --out` folder (scores.json and results/<clip>.json). Prints one row per set and split:
lifts >= 8 mm flagged by size (8-10 mm, 15-25 mm), heels <= 2 mm flagged, and how many matched reps were not checked
(heel_lift_source "unread" / "hidden"); with --reasons, why (the product's warnings per rep); with --before, the cells as
before -> after and every rep whose heel verdict or source differs between the two runs of the same clip; with --by, each rep's verdict
(flagged / read down / not checked, and whether the rep stayed valid) per lift size and leg, clothes, light, resolution or set;
with --misses, every lift >= 8 mm not flagged and every heel <= 2 mm flagged, one line each (leg, light, foot, verdict,
reading and why it was not checked), and where DIR holds benchmarks/heel_conditions.py's heel_conditions.json, the
rest-to-hold conditions the trust checks read; with --conditions, those conditions for every rep read from the image (its
error against the truth in edge pixels, the rest step, the light, floor-under-the-edge and hold-step changes). Diagnosis
only: it changes nothing.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ankle_cv.kinematics.heel import PIVOT_GAIN, TYPICAL_FOOT_MM

LIFTED_MM, DOWN_MM = 8.0, 2.0  # issue 22: lifts from 8 mm caught, heels up to 2 mm not flagged
WARNING = re.compile(r"the heel lift of reps? ([\d, ]+) was not checked \(heel_lift_source '(\w+)'\): (.*)")


def _reasons(result: dict[str, Any]) -> dict[int, str]:
    """Our rep index -> why its heel was not checked (from the result's warnings)."""
    out: dict[int, str] = {}
    for w in (result.get("quality") or {}).get("warnings") or []:
        m = WARNING.match(str(w))
        if m:
            for i in m.group(1).split(","):
                out[int(i)] = m.group(3)[:70]
    return out


def load(folder: Path) -> list[dict[str, Any]]:
    """Every matched rep of a score folder with its set, clip, truth, our verdict, source and unread reason (and, where the
    folder has heel_conditions.json, the conditions heel_conditions.py kept for our rep, else {})."""
    doc = json.loads((folder / "scores.json").read_text())
    cond_path = folder / "heel_conditions.json"
    conds = json.loads(cond_path.read_text()) if cond_path.exists() else {}
    rows = []
    for c in doc["clips"]:
        res_path = folder / "results" / f"{c['clip']}.json"
        result = json.loads(res_path.read_text()) if res_path.exists() else {}
        ours = sorted(result.get("reps") or [], key=lambda r: r["index"])
        reasons = _reasons(result)
        used: set[int] = set()
        for r in c["reps"]:
            if not r["matched"]:
                continue
            # Our rep of the same angle; of several (random_v8 r008: three reps at 17.3 deg) the first not yet taken, as
            # truth reps and ours both run in time order
            near = [o for o in ours if abs(float(o.get("tibial_inclination_deg") or 0) - float(r["ours_deg"] or 0)) < 0.051
                    and o["index"] not in used]
            if near:
                used.add(near[0]["index"])
            reason = reasons.get(near[0]["index"], "") if near and r["heel_source"] != "image" else ""
            tags = c.get("tags") or {}
            rows.append({"set": Path(doc.get("set", folder.name)).name, "split": r["split"], "clip": r["clip"], "rep": r["truth_rep"],
                         "near": r["near_camera"], "mm": float(r["heel_hold_mm"]), "flagged": bool(r["heel_flagged"]),
                         "source": r["heel_source"], "read": r["heel_read_ratio"], "foot": r["heel_foot_px"], "reason": reason,
                         "valid": bool(r.get("valid")), "ours": near[0]["index"] if near else None,
                         "cond": (conds.get(r["clip"]) or {}).get(str(near[0]["index"])) or {} if near else {},
                         "clothes": f"{tags.get('bottoms', '?')}, {'shoes' if tags.get('shoes') else 'barefoot'}",
                         "light": str(tags.get("light", "?")), "resolution": str(tags.get("resolution", "?"))})
    return rows


def _rate(k: int, n: int) -> str:
    """'k/n (p %)' or '-'."""
    return "-" if n == 0 else f"{k}/{n} ({100 * k / n:.0f} %)"


def _cells(g: list[dict[str, Any]]) -> list[str]:
    """A group's cells: lifts 8-10 / 15-25 / >= 8 mm flagged, flats flagged, lifts and flats not checked, all not checked."""
    small = [r for r in g if LIFTED_MM <= r["mm"] < 12.5]
    big = [r for r in g if r["mm"] >= 12.5]
    lift = [r for r in g if r["mm"] >= LIFTED_MM]
    down = [r for r in g if r["mm"] <= DOWN_MM]
    unread = sum(r["source"] == "unread" for r in g)
    hidden = sum(r["source"] == "hidden" for r in g)
    return [_rate(sum(r["flagged"] for r in small), len(small)), _rate(sum(r["flagged"] for r in big), len(big)),
            _rate(sum(r["flagged"] for r in lift), len(lift)), _rate(sum(r["flagged"] for r in down), len(down)),
            str(sum(r["source"] != "image" for r in lift)), str(sum(r["source"] != "image" for r in down)),
            f"{unread + hidden}/{len(g)} ({unread} / {hidden})"]


def _groups(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rows per set and split, then all."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(f"{r['set']}, {r['split']}", []).append(r)
    groups["all"] = rows
    return groups


def pair_table(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """The table's cells as before -> after, per set and split (the groups of `after`)."""
    out = [HEADER, "|---|---|---|---|---|---|---|---|"]
    old = _groups(before)
    for name, g in _groups(after).items():
        cells = [f"{b} → {a}" if a != b else a for b, a in zip(_cells(old.get(name, [])), _cells(g))]
        out.append(f"| {name} | {' | '.join(cells)} |")
    return out


HEADER = ("| set, split | lifts 8-10 mm flagged | lifts 15-25 mm flagged | lifts >= 8 mm flagged | heels <= 2 mm flagged "
          "| lifts >= 8 mm not checked | heels <= 2 mm not checked | all reps not checked (unread / hidden) |")


def table(rows: list[dict[str, Any]]) -> list[str]:
    """One row per set and split (and all): lifts flagged by size, flats flagged, not checked counts."""
    return [HEADER, "|---|---|---|---|---|---|---|---|", *(f"| {name} | {' | '.join(_cells(g))} |" for name, g in _groups(rows).items())]


def _outcome(r: dict[str, Any]) -> str:
    """A rep's heel verdict: flagged, down (read from the image, not flagged) or not checked."""
    return "flagged" if r["flagged"] else "down" if r["source"] == "image" else "not checked"


def _lift_key(r: dict[str, Any]) -> str:
    """The rep's true lift in the hold, rounded to the planned sizes."""
    mm = r["mm"]
    return " 0-2" if mm <= DOWN_MM else f"{min((4, 6, 8, 10, 15, 20, 25), key=lambda m: abs(m - mm)):>2}"


BY: dict[str, Any] = {
    "lift": lambda r: f"{_lift_key(r)} mm, {'near' if r['near'] else 'far'}",
    "clothes": lambda r: r["clothes"], "light": lambda r: r["light"], "resolution": lambda r: r["resolution"],
    "set": lambda r: r["set"],
}


def verdict_table(rows: list[dict[str, Any]], by: str) -> list[str]:
    """Per group: lifts >= 8 mm flagged / down / not checked (and of those the reps still valid), heels <= 2 mm the same,
    and the confident wrong verdicts: lifts read down in a valid rep, flat heels flagged."""
    out = [f"| {by} | lifts >= 8 mm | flagged | down | not checked (rep valid) | heels <= 2 mm | flagged | down | not checked "
           "(rep valid) | lifts read down, rep valid | 4-6 mm: flagged / down / not checked |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(BY[by](r), []).append(r)
    for name in sorted(groups) + ["all"]:
        g = rows if name == "all" else groups[name]
        cells: list[str] = []
        for sel in ([r for r in g if r["mm"] >= LIFTED_MM], [r for r in g if r["mm"] <= DOWN_MM]):
            n = Counter(_outcome(r) for r in sel)
            unread_valid = sum(_outcome(r) == "not checked" and r["valid"] for r in sel)
            cells += [str(len(sel)), str(n["flagged"]), str(n["down"]), f"{n['not checked']} ({unread_valid})"]
        wrong = sum(r["mm"] >= LIFTED_MM and _outcome(r) == "down" and r["valid"] for r in g)
        mid = Counter(_outcome(r) for r in g if DOWN_MM < r["mm"] < LIFTED_MM)
        cells += [str(wrong), f"{mid['flagged']} / {mid['down']} / {mid['not checked']}"]
        out.append(f"| {name} | {' | '.join(cells)} |")
    return out


def condition_text(r: dict[str, Any]) -> str:
    """The rep's rest-to-hold conditions in words ("" where none were kept): the rest step (grey levels per px), the light
    on the foot and the floor under the heel's edge changed by so many rest steps, the hold's step as a multiple of the rest
    one and how far above it (foot lengths)."""
    c = r.get("cond") or {}
    step = c.get("rest_step")
    if not step:
        return ""
    def steps(key: str) -> str:
        v = c.get(key)
        return "-" if v is None else f"{float(v) / float(step):+.2f}"
    ratio, rise = c.get("hold_step_ratio"), c.get("hold_step_rise_foot")
    return (f"rest step {float(step):.1f}, light {steps('light_change')} steps, under the edge {steps('under_change')} steps, "
            f"hold step x{'-' if ratio is None else f'{float(ratio):.2f}'} {'-' if rise is None else f'{float(rise):+.3f}'} foot up")


def condition_lines(rows: list[dict[str, Any]]) -> list[str]:
    """One line per rep read from the image (a verdict or a reading left unchecked) with its conditions and its error
    against the truth in edge pixels (reading minus true mm over TYPICAL_FOOT_MM, times the foot over PIVOT_GAIN)."""
    out = []
    for r in rows:
        c = r.get("cond") or {}
        read, foot = c.get("read"), c.get("foot_px")
        if read is None or not foot or not c.get("rest_step"):
            continue
        err_px = (float(read) - r["mm"] / TYPICAL_FOOT_MM) * float(foot) / PIVOT_GAIN
        out.append(f"{r['set']} {r['split']} {r['clip']} rep {r['rep']}: {r['mm']:.0f} mm {'near' if r['near'] else 'far'}, "
                   f"{r['light']}; {_outcome(r)}, read {100 * float(read):.2f} % of {float(foot):.0f} px (error {err_px:+.2f} px); "
                   f"{condition_text(r)}")
    return out


def miss_lines(rows: list[dict[str, Any]]) -> list[str]:
    """One line per lift >= 8 mm not flagged and per heel <= 2 mm flagged: where, how it was read and why not checked."""
    out = []
    for r in rows:
        if (r["mm"] >= LIFTED_MM) == r["flagged"] or DOWN_MM < r["mm"] < LIFTED_MM:
            continue
        read = "-" if r["read"] is None else f"{100 * float(r['read']):.2f} %"
        foot = "-" if r["foot"] is None else f"{float(r['foot']):.0f} px"
        out.append(f"{r['set']} {r['split']} {r['clip']} rep {r['rep']}: {r['mm']:.0f} mm {'near' if r['near'] else 'far'}, "
                   f"{r['light']}, {r['clothes']}, {r['resolution']}; {_outcome(r)}{'' if r['valid'] else ' (rep invalid)'}, "
                   f"read {read} of a {foot} foot; {r['reason'] or r['source']}"
                   + (f" [{condition_text(r)}]" if condition_text(r) else ""))
    return out


def main() -> int:
    """Print the tables (and the per-rep differences against --before)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--before", nargs="*", type=Path, default=[])
    ap.add_argument("--leg", choices=("far", "near", "all"), default="all")
    ap.add_argument("--reasons", action="store_true")
    ap.add_argument("--by", choices=sorted(BY), help="instead: verdicts (flagged / down / not checked) per group")
    ap.add_argument("--misses", action="store_true", help="instead: every lift >= 8 mm missed and flat heel flagged")
    ap.add_argument("--conditions", action="store_true", help="instead: every image reading with its conditions (heel_conditions.json)")
    args = ap.parse_args()
    keep = {"far": lambda r: not r["near"], "near": lambda r: r["near"], "all": lambda r: True}[args.leg]
    rows = [r for d in args.dirs for r in load(d) if keep(r)]
    old_rows = [r for d in args.before for r in load(d) if keep(r)]
    if args.by:
        print("\n".join(verdict_table(rows, args.by)))
        return 0
    if args.misses:
        print("\n".join(miss_lines(rows)))
        return 0
    if args.conditions:
        print("\n".join(condition_lines(rows)))
        return 0
    print("\n".join(pair_table(old_rows, rows) if old_rows else table(rows)))
    if args.reasons:
        print("\nnot checked, by reason (reps; of them lifts >= 8 mm):")
        count = Counter(r["reason"] or r["source"] for r in rows if r["source"] != "image")
        for reason, n in count.most_common():
            lifts = sum(r["mm"] >= LIFTED_MM for r in rows if r["source"] != "image" and (r["reason"] or r["source"]) == reason)
            print(f"  {n:3d} ({lifts}) {reason}")
    if args.before:
        old = {(r["set"], r["clip"], r["rep"]): r for r in old_rows}
        print("\nreps that moved (before -> after):")
        for r in rows:
            b = old.get((r["set"], r["clip"], r["rep"]))
            if b is not None and (b["flagged"], b["source"]) != (r["flagged"], r["source"]):
                print(f"  {r['set']} {r['clip']} rep {r['rep']} ({'near' if r['near'] else 'far'}, {r['mm']:.0f} mm): "
                      f"{b['source']} {'flagged' if b['flagged'] else '-'} {b['read']} -> {r['source']} "
                      f"{'flagged' if r['flagged'] else '-'} {r['read']} {r['reason']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
