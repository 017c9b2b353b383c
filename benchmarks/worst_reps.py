"""The valid reps furthest from the truth, each beside its own 95 % interval and what the picture showed (issue 19).

    python benchmarks/worst_reps.py SCORES_DIR [SCORES_DIR ...] [--over 3.0] [--by near,vertical,bottoms]

Reads benchmarks/score_renders.py outputs (DIR/scores.json and DIR/results/<clip>.json). Lists every valid matched rep
whose error (ours - truth) exceeds --over degrees, with its interval (the result's rep of the same angle), whether the
truth lies outside it, the raw landmarks' error and the conditions a user's picture has (near or far leg, clothes,
contrast, size, light, where the vertical came from). Then, per condition in --by, how wide the intervals are against the
errors: the valid reps' count, how many lie outside, the RMS of |error| / (interval / 1.96) (1.0 where the interval is
as wide as a 95 % interval should be) and the mean interval. Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Z95 = 1.96


@dataclass(frozen=True)
class ValidRep:
    """One valid matched rep and what its clip showed."""

    set_name: str
    clip: str
    split: str
    rep: int
    error_deg: float
    ci95_deg: float | None
    raw_error_deg: float | None
    conditions: dict[str, str]

    @property
    def outside(self) -> bool:
        """The truth lies outside the rep's 95 % interval."""
        return self.ci95_deg is not None and abs(self.error_deg) > self.ci95_deg


def _vertical(result: dict[str, Any]) -> str:
    """Where the vertical came from, in a word or two (the result's method.vertical)."""
    text = str(result.get("method", {}).get("vertical", ""))
    for key, word in (("image vertical", "image"), ("straight lines", "room fit"), ("level lines", "level lines"), ("marker", "marker"),
                      ("--camera-roll-deg", "user")):  # in this order: the image's text names the others it lacked
        if key in text:
            return word
    return "other"


def _interval(result: dict[str, Any], ours_deg: float) -> float | None:
    """The 95 % half-width of the result's rep read at this angle (score_renders matches reps by leg and peak time)."""
    for rep in result.get("reps", []):
        angle = rep.get("tibial_inclination_deg")
        if angle is not None and abs(angle - ours_deg) < 0.051:
            ci = rep.get("tibial_inclination_ci95_deg")
            return float(ci) if ci is not None else None
    return None


def read_reps(folder: Path) -> list[ValidRep]:
    """The valid matched reps of one score_renders output folder."""
    scores = json.loads((folder / "scores.json").read_text())
    out: list[ValidRep] = []
    for clip in scores["clips"]:
        path = folder / "results" / f"{clip['clip']}.json"
        result = json.loads(path.read_text()) if path.is_file() else {}
        tags = clip.get("tags", {})
        for rep in clip.get("reps", []):
            if not (rep.get("matched") and rep.get("valid") and rep.get("error_deg") is not None and rep.get("ours_deg") is not None):
                continue
            conditions = {
                "near": "near" if rep.get("near_camera") else "far", "bottoms": str(tags.get("bottoms")), "shoes": str(tags.get("shoes")),
                "contrast": str(tags.get("contrast")), "resolution": str(tags.get("resolution")), "light": str(tags.get("light")),
                "background": str(tags.get("background")), "vertical": _vertical(result),
            }
            out.append(ValidRep(Path(folder).name, clip["clip"], clip.get("split", ""), int(rep["truth_rep"]), float(rep["error_deg"]),
                                _interval(result, float(rep["ours_deg"])), rep.get("raw_error_deg"), conditions))
    return out


def width_row(name: str, reps: list[ValidRep]) -> str:
    """One Markdown row: count, outside, RMS of the error in units of the interval's 1-sigma, mean interval."""
    sized = [r for r in reps if r.ci95_deg]
    if not sized:
        return f"| {name} | {len(reps)} | – | – | – |"
    z = [abs(r.error_deg) / (r.ci95_deg / Z95) for r in sized if r.ci95_deg]
    rms = math.sqrt(sum(v * v for v in z) / len(z))
    mean_ci = sum(r.ci95_deg for r in sized if r.ci95_deg) / len(sized)
    return f"| {name} | {len(sized)} | {sum(r.outside for r in sized)} | {rms:.2f} | ±{mean_ci:.1f} |"


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--over", type=float, default=3.0, help="list valid reps whose |error| exceeds this (deg)")
    ap.add_argument("--by", default="near,vertical", help="conditions to group the interval widths by (comma-separated)")
    args = ap.parse_args(argv)
    reps = [r for f in args.folders for r in read_reps(f)]
    print("| set | clip | split | rep | error | ± 95 % | outside | raw landmarks | conditions |\n|---|---|---|---|---|---|---|---|---|")
    for r in sorted(reps, key=lambda r: -abs(r.error_deg)):
        if abs(r.error_deg) <= args.over:
            continue
        ci = f"{r.ci95_deg:.1f}" if r.ci95_deg is not None else "–"
        raw = f"{r.raw_error_deg:+.1f}" if r.raw_error_deg is not None else "–"
        cond = ", ".join(r.conditions.values())
        print(f"| {r.set_name} | {r.clip} | {r.split} | {r.rep} | {r.error_deg:+.1f} | {ci} | {'**yes**' if r.outside else 'no'} | {raw} | {cond} |")
    print("\n| valid reps | n | outside | RMS error / (interval / 1.96) | mean ± |\n|---|---|---|---|---|")
    print(width_row("all", reps))
    for split in ("fit", "report"):
        print(width_row(f"{split} split", [r for r in reps if r.split == split]))
    for key in [k for k in args.by.split(",") if k]:
        for value in sorted({r.conditions.get(key, "") for r in reps}):
            print(width_row(f"{key} = {value}", [r for r in reps if r.conditions.get(key) == value]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
