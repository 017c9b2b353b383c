"""Results for tests: a partial result.json dict completed from a real one and read through the contract.

Tests state only the fields they are about; the rest comes from the committed golden result of the
right-leg sample video. Reps a leg or the result names as best but the test did not list are added as stubs
(the contract requires such references to exist). Everything goes through Result.from_obj, so a test
cannot build a result the schema would refuse.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from ankle_cv.results.types import Result

BASE: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "golden" / "k2w_right_synthetic" / "result.json").read_text(encoding="utf-8"))
REP_DISTANCES = ("knee_to_wall_cm", "knee_to_wall_uncertainty_cm", "equivalent_toe_to_wall_cm", "knee_touches_wall",
                 "equivalent_toe_to_wall_uncertainty_cm")
LEG_DISTANCES = ("knee_to_wall_cm", "equivalent_toe_to_wall_cm")
SUMMARY_UNCERTAINTY = ("knee_to_wall_uncertainty_cm", "equivalent_toe_to_wall_uncertainty_cm")
# Templates without a scale: no centimetres anywhere unless a test gives them.
REP_TEMPLATE = {k: v for k, v in BASE["reps"][0].items() if k not in REP_DISTANCES} | {"knee_past_toe_cm": None, "heel_lift_mm": None}
CATEGORY_BANDS = ("category_ci95", "distance_category_ci95")  # the sample's bands would not fit a test's own category
LEG_TEMPLATE = {k: v for k, v in BASE["legs"]["right"].items() if k not in LEG_DISTANCES + CATEGORY_BANDS}
SUMMARY_TEMPLATE = {k: v for k, v in BASE["result"].items() if k not in SUMMARY_UNCERTAINTY + CATEGORY_BANDS} | {
    "knee_past_toe_cm": None, "knee_to_wall_cm": None, "passes_10cm": None, "equivalent_toe_to_wall_cm": None}
NO_SCALE = {"method": "none", "cm_per_px": None, "uncertainty_cm": None}


def _filled(template: dict[str, Any], given: dict[str, Any], group: tuple[str, ...]) -> dict[str, Any]:
    """The template overlaid with what is given; a flat group given in part is completed with nulls."""
    out = {**template, **given}
    if any(k in given for k in group):
        out.update({k: given.get(k) for k in group})
    return out


def as_result(partial: dict[str, Any]) -> Result:
    """A checked Result from the fields a test cares about."""
    doc = copy.deepcopy(BASE)
    doc.update(reps=[], legs={}, best_rep=None, result=SUMMARY_TEMPLATE, scale=NO_SCALE)
    for key, value in partial.items():
        if key == "reps":
            doc["reps"] = [_filled(REP_TEMPLATE, r, REP_DISTANCES) for r in value]
        elif key == "legs":
            doc["legs"] = {side: _filled(LEG_TEMPLATE, leg, LEG_DISTANCES) for side, leg in value.items()}
        elif key == "result":
            doc["result"] = _filled(SUMMARY_TEMPLATE, value, SUMMARY_UNCERTAINTY)
        else:
            doc[key] = value
    named = {r["index"] for r in doc["reps"]}
    wanted = [(leg["best_rep"], side, leg.get("tibial_inclination_deg")) for side, leg in doc["legs"].items()]
    wanted.append((doc["best_rep"], doc["side"], doc["result"].get("tibial_inclination_deg")))
    for index, side, deg in wanted:
        if index is not None and index not in named:
            doc["reps"].append({**REP_TEMPLATE, "index": index, "side": side, "tibial_inclination_deg": deg})
            named.add(index)
    return Result.from_obj(doc)


def read_result(path: Path) -> Result:
    """A committed result.json through the contract."""
    return Result.from_json(Path(path).read_text(encoding="utf-8"))
