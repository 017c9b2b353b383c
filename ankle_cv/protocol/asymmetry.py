"""Left/right pairing and between-limb asymmetry from result.json documents (pure: dicts in, dataclasses out).

A physiotherapist compares the two ankles: the difference is reported in degrees, in centimetres when
both legs have a distance (a scale was known), and in percent of the better leg. It is flagged when it
exceeds the clinically relevant between-limb difference (1.5 cm, Hoch & McKeon 2011) or, without a
scale, its degree equivalent (norms.ASYMMETRY_RELEVANT_DEG); the threshold used is always stated.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ankle_cv.protocol.norms import ASYMMETRY_RELEVANT_CM, ASYMMETRY_RELEVANT_DEG

SIDES = ("left", "right")
DISTANCE_FIELD = "equivalent_toe_to_wall_cm"  # the weight-bearing lunge test's own distance (cm)
KNEE_TO_WALL_FIELD = "knee_to_wall_cm"


@dataclass(frozen=True)
class LegResult:
    """One leg's summary as result.json gives it, with where it came from."""

    side: str
    source: str  # the result.json it came from (path or label)
    best_rep: int | None
    tibial_inclination_deg: float | None
    ankle_dorsiflexion_deg: float | None
    mean_deg: float | None
    sd_deg: float | None
    category: str | None
    reps_valid: int
    reps_total: int
    distance_cm: float | None  # equivalent toe-to-wall distance, when a scale was known
    knee_to_wall_cm: float | None
    heel_lift_mm: float | None
    heel_lift_foot_fraction: float | None
    heel_lifted: bool | None

    @property
    def measured(self) -> bool:
        """Whether this leg has a valid measurement."""
        return self.tibial_inclination_deg is not None


@dataclass(frozen=True)
class Asymmetry:
    """Between-limb difference of the best valid reps (left minus right), and whether it matters."""

    left_deg: float
    right_deg: float
    difference_deg: float  # left - right
    percent: float  # |difference| as a percentage of the better leg (degrees, or cm when known)
    difference_cm: float | None
    basis: str  # "cm" or "deg": which difference the flag was judged on
    threshold: float
    threshold_unit: str
    flagged: bool
    lower_side: str | None  # the leg with the smaller range, None when equal
    threshold_text: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded as result.json rounds (0.1° / 0.1 cm / 0.1 %)."""
        d = asdict(self)
        for key in ("left_deg", "right_deg", "difference_deg", "percent", "difference_cm"):
            if d[key] is not None:
                d[key] = round(d[key], 1)
        return d


@dataclass(frozen=True)
class Pairing:
    """The left and right leg chosen from one or more results, and why any leg was left out."""

    left: LegResult | None
    right: LegResult | None
    notes: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Both legs have a valid measurement."""
        return self.left is not None and self.right is not None and self.left.measured and self.right.measured


def _opt_float(value: Any) -> float | None:
    """A JSON number or null as float/None."""
    return None if value is None else float(value)


def _rep(result: dict[str, Any], index: int | None) -> dict[str, Any]:
    """The rep dict with this index, or {}."""
    return next((r for r in result.get("reps", []) if r.get("index") == index), {}) if index is not None else {}


def _leg_value(result: dict[str, Any], leg: dict[str, Any], name: str) -> Any:
    """A field of one leg: the leg summary, else its best rep, else the top-level result when it is that leg's rep."""
    if leg.get(name) is not None:
        return leg[name]
    rep = _rep(result, leg.get("best_rep"))
    if rep.get(name) is not None:
        return rep[name]
    if leg.get("best_rep") is not None and leg.get("best_rep") == result.get("best_rep"):
        return result.get("result", {}).get(name)
    return None


def legs_of(result: dict[str, Any], source: str = "") -> list[LegResult]:
    """Every leg a result.json holds (one, or two when the person switched legs in the video)."""
    legs = []
    for side, leg in sorted(result.get("legs", {}).items()):
        rep = _rep(result, leg.get("best_rep"))
        legs.append(LegResult(
            side=side,
            source=source,
            best_rep=leg.get("best_rep"),
            tibial_inclination_deg=_opt_float(leg.get("tibial_inclination_deg")),
            ankle_dorsiflexion_deg=_opt_float(leg.get("ankle_dorsiflexion_deg")),
            mean_deg=_opt_float(leg.get("mean_deg")),
            sd_deg=_opt_float(leg.get("sd_deg")),
            category=leg.get("category"),
            reps_valid=int(leg.get("reps_valid", 0)),
            reps_total=int(leg.get("reps_total", 0)),
            distance_cm=_opt_float(_leg_value(result, leg, DISTANCE_FIELD)),
            knee_to_wall_cm=_opt_float(_leg_value(result, leg, KNEE_TO_WALL_FIELD)),
            heel_lift_mm=_opt_float(rep.get("heel_lift_mm")),
            heel_lift_foot_fraction=_opt_float(rep.get("heel_lift_foot_fraction")),
            heel_lifted=rep.get("heel_lifted"),
        ))
    return legs


def _better(a: LegResult, b: LegResult) -> LegResult:
    """Of two results for the same leg: the measured one, then the larger best valid rep (as within one video)."""
    if a.measured != b.measured:
        return a if a.measured else b
    if not a.measured:
        return a if a.reps_total >= b.reps_total else b
    return a if (a.tibial_inclination_deg or 0.0) >= (b.tibial_inclination_deg or 0.0) else b


def pair_legs(results: list[tuple[str, dict[str, Any]]]) -> Pairing:
    """Choose one left and one right leg from (source, result.json) pairs, e.g. left.mp4 and right.mp4."""
    chosen: dict[str, LegResult] = {}
    notes: list[str] = []
    for source, result in results:
        for leg in legs_of(result, source):
            if leg.side not in SIDES:
                continue
            if leg.side in chosen:
                keep = _better(chosen[leg.side], leg)
                drop = leg if keep is chosen[leg.side] else chosen[leg.side]
                notes.append(f"{leg.side} leg found in {chosen[leg.side].source} and {leg.source}: kept {keep.source}"
                             f" ({_deg_text(keep.tibial_inclination_deg)}), left out {drop.source}"
                             f" ({_deg_text(drop.tibial_inclination_deg)})")
                chosen[leg.side] = keep
            else:
                chosen[leg.side] = leg
    for side in SIDES:
        if side not in chosen:
            notes.append(f"no {side} leg in the results")
        elif not chosen[side].measured:
            notes.append(f"{side} leg has no valid rep")
    return Pairing(chosen.get("left"), chosen.get("right"), tuple(notes))


def _deg_text(value: float | None) -> str:
    """0.1° or 'no valid rep'."""
    return "no valid rep" if value is None else f"{value:.1f}°"


def threshold_text(basis: str, why_deg: str = "no scale was known") -> str:
    """Where the flag's threshold comes from, in words."""
    if basis == "cm":
        return f"threshold {ASYMMETRY_RELEVANT_CM:.1f} cm: clinically relevant between-limb difference (Hoch & McKeon 2011)"
    return (f"threshold {ASYMMETRY_RELEVANT_DEG:.1f}°: degree equivalent of the {ASYMMETRY_RELEVANT_CM:.1f} cm "
            f"between-limb difference (Hoch & McKeon 2011), used because {why_deg}")


def compute_asymmetry(left: LegResult, right: LegResult) -> Asymmetry | None:
    """Left-minus-right difference, percent of the better leg, and the flag; None unless both legs are measured."""
    if left.tibial_inclination_deg is None or right.tibial_inclination_deg is None:
        return None
    l_deg, r_deg = left.tibial_inclination_deg, right.tibial_inclination_deg
    diff_deg = l_deg - r_deg
    diff_cm = None
    if left.distance_cm is not None and right.distance_cm is not None:
        diff_cm = left.distance_cm - right.distance_cm
    if diff_cm is not None:
        basis, threshold, unit = "cm", ASYMMETRY_RELEVANT_CM, "cm"
        better = max(abs(left.distance_cm or 0.0), abs(right.distance_cm or 0.0))
        size = abs(diff_cm)
    else:
        basis, threshold, unit = "deg", ASYMMETRY_RELEVANT_DEG, "deg"
        better = max(abs(l_deg), abs(r_deg))
        size = abs(diff_deg)
    # compare at the reported precision (0.1) so the flag agrees with the printed figures
    flagged = round(size, 1) > threshold
    percent = 100.0 * size / better if better > 0 else 0.0
    lower = None if round(diff_deg, 1) == 0 else ("left" if diff_deg < 0 else "right")
    one_scale = (left.distance_cm is None) != (right.distance_cm is None)
    why = "only one leg has a distance in cm" if one_scale else "no scale was known"
    return Asymmetry(l_deg, r_deg, diff_deg, percent, diff_cm, basis, threshold, unit, flagged, lower, threshold_text(basis, why))


def asymmetry_summary(pairing: Pairing) -> dict[str, Any]:
    """The asymmetry.json document: both legs, where they came from, the difference and its flag."""
    asym = compute_asymmetry(pairing.left, pairing.right) if pairing.left and pairing.right else None
    legs = {}
    for leg in (pairing.left, pairing.right):
        if leg is not None:
            legs[leg.side] = {
                "source": leg.source,
                "best_rep": leg.best_rep,
                "tibial_inclination_deg": leg.tibial_inclination_deg,
                "mean_deg": leg.mean_deg,
                "sd_deg": leg.sd_deg,
                "category": leg.category,
                "reps_valid": leg.reps_valid,
                "reps_total": leg.reps_total,
                DISTANCE_FIELD: leg.distance_cm,
            }
    return {
        "legs": legs,
        "asymmetry": asym.as_dict() if asym else None,
        "percent_definition": "|left - right| as a percentage of the better leg",
        "notes": list(pairing.notes),
    }


def asymmetry_words(asym: Asymmetry) -> str:
    """One line for the terminal and the report."""
    parts = [f"{abs(asym.difference_deg):.1f}°"]
    if asym.difference_cm is not None:
        parts.append(f"{abs(asym.difference_cm):.1f} cm")
    parts.append(f"{asym.percent:.1f}% of the better leg")
    lower = f"{asym.lower_side} lower" if asym.lower_side else "no difference"
    verdict = "above" if asym.flagged else "within"
    unit = "°" if asym.threshold_unit == "deg" else " cm"
    flag = "FLAGGED: " if asym.flagged else ""
    return f"{flag}Asymmetry {', '.join(parts)} ({lower}), {verdict} the {asym.threshold:.1f}{unit} threshold"
