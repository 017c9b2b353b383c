"""Left/right pairing and between-limb asymmetry from results (pure: Results in, dataclasses out).

A physiotherapist compares the two ankles: the difference is reported in degrees, in centimetres when
both legs have a distance (a scale was known), and in percent of the better leg. It is flagged when it
exceeds the clinically relevant between-limb difference (1.5 cm, Hoch & McKeon 2011) or, without a
scale, its degree equivalent (norms.ASYMMETRY_RELEVANT_DEG); the threshold used is always stated.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ankle_cv.protocol.norms import ASYMMETRY_RELEVANT_CM, ASYMMETRY_RELEVANT_DEG
from ankle_cv.results.types import Result

SIDES = ("left", "right")
DISTANCE_FIELD = "equivalent_toe_to_wall_cm"  # the weight-bearing lunge test's own distance (cm)


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
    inclinometer_equivalent_deg: float | None = None  # the front of the shin (what the degree norms measured)
    inclinometer_equivalent_ci95_deg: float | None = None
    tibial_inclination_ci95_deg: float | None = None  # the joint-centre angle's 95 % half-width (its best rep's)
    category_reason: str | None = None  # why no category although the leg was measured
    distance_category: str | None = None  # the centimetre cut-offs on distance_cm
    category_ci95: tuple[str, ...] | None = None  # every band the angle's 95 % interval touches
    distance_category_ci95: tuple[str, ...] | None = None  # ... and the distance's
    distance_sigma_cm: float | None = None  # 1-sigma uncertainty of distance_cm
    knee_to_wall_sigma_cm: float | None = None  # ... and of knee_to_wall_cm

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


def _first(*values: float | None) -> float | None:
    """The first value that is known."""
    return next((v for v in values if v is not None), None)


def legs_of(result: Result, source: str = "") -> list[LegResult]:
    """Every leg a result holds (one, or two when the person switched legs in the video).

    A leg's distances are its own, else its best rep's, else the top-level result's when that is the leg's rep.
    """
    legs = []
    for side, leg in sorted(result.legs.items()):
        rep = result.rep(leg.best_rep)
        top = result.summary if leg.best_rep is not None and leg.best_rep == result.best_rep else None
        legs.append(LegResult(
            side=str(side),
            source=source,
            best_rep=leg.best_rep,
            tibial_inclination_deg=leg.tibial_inclination_deg,
            ankle_dorsiflexion_deg=leg.ankle_dorsiflexion_deg,
            mean_deg=leg.mean_deg,
            sd_deg=leg.sd_deg,
            category=leg.category,
            reps_valid=leg.reps_valid,
            reps_total=leg.reps_total,
            distance_cm=_first(leg.distances.equivalent_toe_to_wall_cm if leg.distances else None,
                               rep.equivalent_toe_to_wall_cm if rep else None, top.equivalent_toe_to_wall_cm if top else None),
            knee_to_wall_cm=_first(leg.distances.knee_to_wall_cm if leg.distances else None,
                                   rep.knee_to_wall_cm if rep else None, top.knee_to_wall_cm if top else None),
            heel_lift_mm=rep.heel_lift_mm if rep else None,
            heel_lift_foot_fraction=rep.heel_lift_foot_fraction if rep else None,
            heel_lifted=rep.heel_lifted if rep and (rep.heel_lift_source is None or rep.heel_lift_source.judged) else None,
            inclinometer_equivalent_deg=leg.inclinometer_equivalent_deg,
            inclinometer_equivalent_ci95_deg=leg.inclinometer_equivalent_ci95_deg,
            tibial_inclination_ci95_deg=leg.tibial_inclination_ci95_deg,
            category_reason=leg.category_reason,
            distance_category=leg.distance_category or (top.distance_category if top else None),
            category_ci95=leg.category_ci95,
            distance_category_ci95=leg.distance_category_ci95 or (top.distance_category_ci95 if top else None),
            distance_sigma_cm=_first(rep.distances.equivalent_toe_to_wall_uncertainty_cm if rep and rep.distances else None,
                                     top.uncertainty.equivalent_toe_to_wall_uncertainty_cm if top and top.uncertainty else None),
            knee_to_wall_sigma_cm=_first(rep.distances.knee_to_wall_uncertainty_cm if rep and rep.distances else None,
                                         top.uncertainty.knee_to_wall_uncertainty_cm if top and top.uncertainty else None),
        ))
    return legs


def _better(a: LegResult, b: LegResult) -> LegResult:
    """Of two results for the same leg: the measured one, then the larger best valid rep (as within one video)."""
    if a.measured != b.measured:
        return a if a.measured else b
    if not a.measured:
        return a if a.reps_total >= b.reps_total else b
    return a if (a.tibial_inclination_deg or 0.0) >= (b.tibial_inclination_deg or 0.0) else b


def pair_legs(results: list[tuple[str, Result]]) -> Pairing:
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
                # the category judges the inclinometer-equivalent angle, not tibial_inclination_deg: both kept beside it
                "inclinometer_equivalent_deg": leg.inclinometer_equivalent_deg,
                "category": leg.category,
                "category_ci95": list(leg.category_ci95) if leg.category_ci95 else None,
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


def asymmetry_words(asym: Asymmetry, of_better_leg: str = " of the better leg") -> str:
    """One line for the terminal and the report (which says what the percent is of in its note, to keep one line)."""
    parts = [f"{abs(asym.difference_deg):.1f}° joint-centre"]  # named: each leg's line leads with the inclinometer angle
    if asym.difference_cm is not None:
        parts.append(f"{abs(asym.difference_cm):.1f} cm")
    parts.append(f"{asym.percent:.1f}%{of_better_leg}")
    lower = f"{asym.lower_side} lower" if asym.lower_side else "no difference"
    verdict = "above" if asym.flagged else "within"
    unit = "°" if asym.threshold_unit == "deg" else " cm"
    flag = "FLAGGED: " if asym.flagged else ""
    return f"{flag}Asymmetry {', '.join(parts)} ({lower}), {verdict} the {asym.threshold:.1f}{unit} threshold"
