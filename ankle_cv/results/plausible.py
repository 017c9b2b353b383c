"""Physiological limits of the measured numbers: outside them a value is a measuring fault or an edited file.

`results/types.py` refuses such values when a result.json is read (report, export, history: exit 2, the field
named); `build_result` never writes one as a number (`drop_implausible`: null and a warning, a best rep that
loses its angle turns the result into "no valid measurement"). These are limits of the body, not norms.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

# field -> (low, high): outside is physiologically impossible or a corrupted file
PLAUSIBLE: dict[str, tuple[float, float]] = {
    # Shank from vertical in a weight-bearing lunge: published ranges 20-60 deg (Bennell 1998, Powden 2015);
    # past 80 the shin would lie nearly flat, below -30 the person leans back off the foot.
    "tibial_inclination_deg": (-30.0, 80.0),
    "ankle_dorsiflexion_deg": (-30.0, 80.0),
    "landmark_inclination_deg": (-30.0, 80.0),
    "mean_deg": (-30.0, 80.0),
    # What an inclinometer on the front of the shin reads: the shank plus the shin's few degrees of taper.
    "inclinometer_equivalent_deg": (-30.0, 85.0),
    "inclinometer_equivalent_ci95_deg": (0.0, 45.0),
    "sd_deg": (0.0, 45.0),
    # Heel rise during the lunge: a full calf raise lifts the heel ~8-10 cm; 120 mm is past standing on tiptoe.
    "heel_lift_mm": (-30.0, 120.0),
    "heel_lift_foot_fraction": (-0.15, 0.5),  # 120 mm on a 24 cm foot
    # Distances along the floor: the knee is at most a shank length (~50 cm) from the ankle.
    "knee_to_wall_cm": (-40.0, 80.0),
    "equivalent_toe_to_wall_cm": (-40.0, 80.0),
    "knee_past_toe_cm": (-60.0, 80.0),
    "knee_to_wall_uncertainty_cm": (0.0, 50.0),
    "equivalent_toe_to_wall_uncertainty_cm": (0.0, 50.0),
}


def _is_number(value: Any) -> bool:
    """int or float, not bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def drop_implausible(doc: dict[str, Any], warn: Callable[[str], None]) -> None:
    """Replace impossible numbers in a result being written by null (and say so): never reported as measured."""
    blocks: list[tuple[str, dict[str, Any]]] = [(f"rep {r.get('index')}", r) for r in doc.get("reps", [])]
    blocks += [("result", doc.get("result", {}))] + [(f"{s} leg", leg) for s, leg in doc.get("legs", {}).items()]
    for where, block in blocks:
        for name, (low, high) in PLAUSIBLE.items():
            value: Any = block.get(name)
            if _is_number(value) and not (math.isfinite(value) and low <= value <= high):
                block[name] = None
                warn(f"{where}: {name} {value:g} is physiologically impossible (outside {low:g}..{high:g}): "
                     "a measuring fault; not reported")
                if name == "tibial_inclination_deg" and block.get("valid"):
                    block["valid"] = False
                    block.setdefault("invalid_reasons", []).append("implausible shank angle (a measuring fault)")
    result = doc.get("result", {})
    if doc.get("best_rep") is not None and result.get("tibial_inclination_deg") is None:
        doc["best_rep"] = None
        result.update(category=None, mean_deg=None, sd_deg=None, passes_10cm=None,
                      no_measurement_reason="the measured angle was physiologically impossible (a measuring fault)")
        doc["legs"] = {}
