"""Heel-lift trade-off on rendered sets: catch rate of lifts >= 8 mm against false alarms on heels <= 2 mm (issue 22).

Usage:
    python benchmarks/heel_tradeoff.py SCORES.json [SCORES.json ...] [--threshold 0.02] [--out FILE.md]

Reads the scores.json files that benchmarks/score_renders.py writes (one row per true rep, with how ankle-cv read
the matched rep's heel: heel_source, heel_ratio = rise at the hold / foot length, heel_flagged) and prints Markdown:

- the trade-off curve: per threshold on the image reading's ratio, lifts >= 8 mm flagged and heels <= 2 mm flagged,
  fit and report splits apart (reps whose heel was not judged, `hidden` or `unread`, count as not flagged: a lift not
  caught is missed whatever the reason);
- leave-one-body-out on the fit split: each fit body's reps judged with the threshold chosen on the other fit bodies
  (fewest misses + false alarms; the lowest of a tie);
- per group (split, leg near/far, marker, clothes, contrast, light, resolution) at the chosen threshold: lifts caught,
  false alarms, and how many reps' heels were not judged, with why (hidden by a sheet / unread).

Flags at a threshold other than the one the scores were made with are recomputed as ratio >= threshold for reps
read from the image; other reps keep their verdict. Reps between 2 and 8 mm are not scored (grey zone).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ankle_cv.kinematics.fitted import HEEL_EDGE_UNCERTAINTY_PX
from ankle_cv.kinematics.heel import PIVOT_GAIN
from ankle_cv.validation.evaluate import TRUTH_HEEL_DECIMALS

LIFTED_MM = 8.0
DOWN_MM = 2.0
THRESHOLDS = (0.005, 0.01, 0.015, 0.0175, 0.02, 0.0225, 0.025, 0.0275, 0.03, 0.0325, 0.035, 0.04, 0.05)
NOT_JUDGED = ("hidden", "unread")


@dataclass(frozen=True)
class HeelRep:
    """One matched true rep: truth, how it was read, and the set-up it was filmed in."""

    set_name: str
    clip: str
    split: str
    body: str
    near: bool
    mm: float
    source: str
    ratio: float | None
    flagged: bool
    tags: dict[str, Any]
    pitch_ours_deg: float | None = None  # tibial inclination minus ankle_dorsiflexion_deg: the heel-up pitch subtracted
    pitch_truth_deg: float | None = None
    read_ratio: float | None = None  # the image's reading at the hold before the verdict (also where too near the threshold)
    foot_px: float | None = None  # the foot's length in the image, px


def load(paths: Iterable[Path]) -> list[HeelRep]:
    """The matched reps of every scores.json."""
    out = []
    for path in paths:
        doc = json.loads(path.read_text())
        name = Path(doc.get("set", str(path.parent))).name
        for c in doc["clips"]:
            for r in c["reps"]:
                if not r["matched"]:
                    continue
                pitch = [None if r.get(d) is None or r.get(t) is None else r[t] - r[d]
                         for t, d in (("ours_deg", "dorsiflexion_ours_deg"), ("truth_deg", "dorsiflexion_truth_deg"))]
                out.append(HeelRep(name, c["clip"], c["split"], r["body"], bool(r["near_camera"]), round(float(r.get("heel_hold_mm", r["heel_at_peak_mm"])), TRUTH_HEEL_DECIMALS),
                                   str(r.get("heel_source") or "unknown"), r.get("heel_ratio"), bool(r["heel_flagged"]), c["tags"],
                                   pitch[0], pitch[1], r.get("heel_read_ratio"), r.get("heel_foot_px")))
    return out


def verdict_at(r: HeelRep, threshold: float | None, band_px: float) -> str:
    """'up', 'down' or 'unread' at a threshold on the image reading (None: as scored).

    A reading under the threshold by less than band_px edge pixels (on this foot) cannot rule out a lift: not checked
    (protocol/heel_reading.too_close_reason). Reps with no image reading keep their scored verdict.
    """
    scored = "up" if r.flagged else "unread" if r.source in NOT_JUDGED else "down"
    if threshold is None or r.read_ratio is None or r.foot_px is None or r.source not in ("image", "unread"):
        if threshold is None or r.source != "image" or r.ratio is None:
            return scored
        return "up" if r.ratio >= threshold else "down"  # scores made before the reading was kept
    if r.read_ratio >= threshold:
        return "up"
    return "unread" if r.read_ratio >= threshold - band_px * PIVOT_GAIN / r.foot_px else "down"


def flagged_at(r: HeelRep, threshold: float | None, band_px: float = 0.0) -> bool:
    """The rep's verdict at a threshold is 'heel up'."""
    return verdict_at(r, threshold, band_px) == "up"


def counts(reps: list[HeelRep], threshold: float | None, band_px: float = 0.0) -> tuple[int, int, int, int]:
    """Lifts >= 8 mm flagged, lifts, heels <= 2 mm flagged, heels down."""
    lifted = [r for r in reps if r.mm >= LIFTED_MM]
    down = [r for r in reps if r.mm <= DOWN_MM]
    return (sum(flagged_at(r, threshold, band_px) for r in lifted), len(lifted),
            sum(flagged_at(r, threshold, band_px) for r in down), len(down))


def unchecked(reps: list[HeelRep], threshold: float | None, band_px: float) -> tuple[int, int]:
    """Lifts >= 8 mm and heels <= 2 mm not checked (unread or hidden) at this threshold."""
    return (sum(verdict_at(r, threshold, band_px) == "unread" for r in reps if r.mm >= LIFTED_MM),
            sum(verdict_at(r, threshold, band_px) == "unread" for r in reps if r.mm <= DOWN_MM))


def rate(k: int, n: int) -> str:
    """'k/n (p %)'."""
    return "-" if n == 0 else f"{k}/{n} ({100 * k / n:.0f} %)"


def choose(reps: list[HeelRep], band_px: float = 0.0) -> float:
    """The threshold with the fewest misses + false alarms; of a tie the lowest (a missed lift lets a heel-up rep count).

    A lift not checked counts as a miss here (it is not flagged), so the band never makes a threshold look better.
    """
    cost = [(lambda c: (c[1] - c[0]) + c[2])(counts(reps, t, band_px)) for t in THRESHOLDS]
    return min(t for t, k in zip(THRESHOLDS, cost) if k == min(cost))


def curve(reps: list[HeelRep], band_px: float = 0.0) -> list[str]:
    """The trade-off per threshold, fit and report splits apart, with how many of each were not checked."""
    out = ["| threshold (rise / foot length) | ≈ mm on a 25 cm foot | fit: lifts ≥ 8 mm flagged (not checked) | fit: heels ≤ 2 mm "
           "flagged (not checked) | report: lifts ≥ 8 mm flagged (not checked) | report: heels ≤ 2 mm flagged (not checked) |",
           "|---|---|---|---|---|---|"]
    for t in THRESHOLDS:
        cells = []
        for split in ("fit", "report"):
            part = [r for r in reps if r.split == split]
            k, n, f, m = counts(part, t, band_px)
            u_lift, u_down = unchecked(part, t, band_px)
            cells += [f"{rate(k, n)} ({u_lift})", f"{rate(f, m)} ({u_down})"]
        out.append(f"| {100 * t:.2f} % | {250 * t:.1f} | " + " | ".join(cells) + " |")
    return out


def lobo(reps: list[HeelRep], band_px: float = 0.0) -> list[str]:
    """Leave-one-body-out on the fit split: each body judged with the threshold chosen on the others."""
    fit = [r for r in reps if r.split == "fit"]
    total = [0, 0, 0, 0]
    rows = []
    for body in sorted({r.body for r in fit}):
        t = choose([r for r in fit if r.body != body], band_px)
        c = counts([r for r in fit if r.body == body], t, band_px)
        total = [a + b for a, b in zip(total, c)]
        rows.append(f"| {body} | {100 * t:.2f} % | {rate(c[0], c[1])} | {rate(c[2], c[3])} |")
    return (["| left-out body | threshold chosen on the others | lifts ≥ 8 mm flagged | heels ≤ 2 mm flagged |",
             "|---|---|---|---|", *rows, f"| **all fit bodies** | | {rate(total[0], total[1])} | {rate(total[2], total[3])} |"])


def group_table(reps: list[HeelRep], threshold: float | None, key: Callable[[HeelRep], str], band_px: float = 0.0) -> list[str]:
    """Per group: lifts caught, false alarms, heels not judged (hidden / unread) among the scored reps."""
    groups: dict[str, list[HeelRep]] = {}
    for r in reps:
        groups.setdefault(key(r), []).append(r)
    out = []
    for name in sorted(groups):
        g = groups[name]
        k, n, f, m = counts(g, threshold, band_px)
        scored = [r for r in g if r.mm >= LIFTED_MM or r.mm <= DOWN_MM]
        hid = sum(r.source == "hidden" for r in scored)
        unread = sum(verdict_at(r, threshold, band_px) == "unread" for r in scored) - hid
        lift_nj = sum(verdict_at(r, threshold, band_px) == "unread" for r in scored if r.mm >= LIFTED_MM)
        out.append(f"| {name} | {rate(k, n)} | {rate(f, m)} | {lift_nj} | {hid} / {unread} |")
    return out


GROUPS: dict[str, Callable[[HeelRep], str]] = {
    "set and split": lambda r: f"{r.set_name}, {r.split}",
    "tested leg": lambda r: "near camera" if r.near else "far from camera",
    "marker": lambda r: str(r.tags.get("marker", "-")),
    "clothes": lambda r: f"{r.tags.get('bottoms', '-')}, {'shoes' if r.tags.get('shoes') else 'barefoot'}",
    "contrast": lambda r: str(r.tags.get("contrast", "-")),
    "light": lambda r: str(r.tags.get("light", "-")),
    "resolution": lambda r: str(r.tags.get("resolution", "-")),
    "how the heel was read": lambda r: r.source,
}


def pitch_table(reps: list[HeelRep]) -> list[str]:
    """The heel-up pitch ankle_dorsiflexion_deg subtracts, against the renderer's, per true lift size (matched reps)."""
    rows = []
    for lo, hi, label in ((-1, DOWN_MM, "≤ 2 mm"), (DOWN_MM, LIFTED_MM, "2–8 mm"), (LIFTED_MM, 99, "≥ 8 mm")):
        g = [r for r in reps if lo < r.mm <= hi and r.pitch_ours_deg is not None and r.pitch_truth_deg is not None]
        if not g:
            continue
        err = [r.pitch_ours_deg - r.pitch_truth_deg for r in g if r.pitch_ours_deg is not None and r.pitch_truth_deg is not None]
        truth = [r.pitch_truth_deg for r in g if r.pitch_truth_deg is not None]
        rows.append(f"| {label} | {len(g)} | {sum(truth) / len(truth):.2f} | {sum(err) / len(err):+.2f} | "
                    f"{sum(abs(e) for e in err) / len(err):.2f} | {max(abs(e) for e in err):.2f} |")
    if not rows:
        return []
    return ["#### The heel-up pitch subtracted (inclination − ankle_dorsiflexion_deg) against the renderer's, degrees", "",
            "| true heel rise | reps | true pitch, mean | error, mean | error, mean abs | error, worst |", "|---|---|---|---|---|---|",
            *rows, ""]


def report(reps: list[HeelRep], threshold: float | None, band_px: float = 0.0) -> str:
    """Every table, Markdown."""
    label = "as scored" if threshold is None else f"{100 * threshold:.2f} % of the foot's length"
    fit = [r for r in reps if r.split == "fit"]
    out = [f"#### Heel lift trade-off ({len(reps)} matched reps, {len({r.body for r in reps})} bodies; not checked within "
           f"{band_px:.2f} edge px under the threshold)", "", *curve(reps, band_px), "",
           f"Threshold chosen on the fit split (fewest misses + false alarms, the lowest of a tie): {100 * choose(fit, band_px):.2f} %.",
           "", "#### Leave-one-body-out (fit split)", "", *lobo(reps, band_px), "",
           f"#### Per group at {label}", "",
           "| group | lifts ≥ 8 mm flagged | heels ≤ 2 mm flagged | lifts ≥ 8 mm not judged | not judged: hidden by a sheet / unread |",
           "|---|---|---|---|---|"]
    for title, key in GROUPS.items():
        out += [f"| **{title}** | | | | |", *group_table(reps, threshold, key, band_px)]
    out += ["", *pitch_table(reps)]
    return "\n".join(out) + "\n"


def main() -> int:
    """Load the scores, print and write the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scores", type=Path, nargs="+", help="scores.json of benchmarks/score_renders.py")
    parser.add_argument("--threshold", type=float, default=None, help="threshold for the group tables [default: as scored]")
    parser.add_argument("--band-px", type=float, default=HEEL_EDGE_UNCERTAINTY_PX,
                        help="readings this many edge px under the threshold are not checked [default: the fitted one]")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--same-clips-as", type=Path, default=None, help="keep only the clips scored in this scores.json")
    args = parser.parse_args()
    reps = load(args.scores)
    if args.same_clips_as is not None:
        keep = {c["clip"] for c in json.loads(args.same_clips_as.read_text())["clips"]}
        reps = [r for r in reps if r.clip in keep]
    if not reps:
        print("error: no matched reps in the scores", file=sys.stderr)
        return 2
    text = report(reps, args.threshold, args.band_px)
    if args.out:
        args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
