"""Published reference values for the knee-to-wall test, each with the definition its study measured.

A norm is only compared with the ankle-cv number that measures the same thing: the degree cut-offs come from an
inclinometer resting on the front of the shin, so they judge `inclinometer_equivalent_deg`, never the
joint-centre `tibial_inclination_deg` (which runs 4-15 deg lower on real legs); the centimetre norms come from a
tape between the big toe and the wall, so they judge `equivalent_toe_to_wall_cm`. What could and could not be
checked of each source is in `NormSource.checked` (the studies' abstracts; full methods were not available).
"""

from __future__ import annotations

from dataclasses import dataclass

from ankle_cv.enums import Category

RESTRICTED_BELOW_DEG = 35.0  # inclinometer-equivalent angle below this: restricted
NORMAL_FROM_DEG = 38.0  # at or above this: normal; in between: borderline
RESTRICTED_BELOW_CM = 9.0
NORMAL_FROM_CM = 10.0
POPULATION_MEAN_CM = 12.0
POPULATION_SD_CM = 2.8
ASYMMETRY_RELEVANT_CM = 1.5  # between-limb difference that is clinically relevant
ASYMMETRY_RELEVANT_DEG = 3.7  # its degree equivalent when no scale is known (no published source traced)
REFERENCE_TOE_TO_WALL_CM = 10.0
MDC_DEG = 4.7  # minimal detectable change between sessions, same rater (Powden et al. 2015, pooled)
MDC_CM = 1.9  # the same review's pooled intra-rater MDC for the distance method

INCLINOMETER_MEASURE = "inclinometer_equivalent_deg"
DISTANCE_MEASURE = "equivalent_toe_to_wall_cm"


@dataclass(frozen=True)
class NormSource:
    """What a published norm measured (device, placement, units) and which ankle-cv number matches it."""

    name: str
    values: str
    source: str
    device: str
    placement: str
    units: str
    measure: str | None  # the ankle-cv field judged against it; None: not reproduced, not compared
    checked: str  # what of the source could be verified, and what not


ANGLE_CUTOFFS = NormSource(
    name="angle cut-offs",
    values=f"restricted < {RESTRICTED_BELOW_DEG:.0f}°, borderline {RESTRICTED_BELOW_DEG:.0f}–{NORMAL_FROM_DEG:.0f}°, "
    f"normal ≥ {NORMAL_FROM_DEG:.0f}°",
    source="clinical cut-offs for the inclinometer lunge test; method of Bennell et al. 1998 (Aust J Physiother 44:175)",
    device="gravity or digital inclinometer",
    placement="on the front of the shin (tibial shaft), 15 cm below the tibial tuberosity",
    units="degrees of the shin's front from vertical",
    measure=INCLINOMETER_MEASURE,
    checked="Bennell 1998's abstract: 'the angle between the tibial shaft and the vertical using an inclinometer'; the "
    "15 cm placement from Hall & Docherty 2017's abstract; no primary source of the 35/38° cut-offs was found",
)
DISTANCE_CUTOFFS = NormSource(
    name="distance cut-offs",
    values=f"restricted < {RESTRICTED_BELOW_CM:.0f} cm, borderline {RESTRICTED_BELOW_CM:.0f}–{NORMAL_FROM_CM:.0f} cm, "
    f"normal ≥ {NORMAL_FROM_CM:.0f} cm",
    source="clinical cut-offs for the knee-to-wall distance",
    device="tape measure",
    placement="big toe to the wall, at the largest distance at which the knee still touches with the heel down",
    units="cm",
    measure=DISTANCE_MEASURE,
    checked="no primary source of the 9/10 cm cut-offs was found",
)
POPULATION_DISTANCE = NormSource(
    name="population distance",
    values=f"{POPULATION_MEAN_CM:.0f} ± {POPULATION_SD_CM} cm",
    source="Hoch & McKeon 2011 (Man Ther 16:516), 35 healthy adults",
    device="tape measure",
    placement="big toe to the wall, foot moved in 1 cm steps (then finer) until the heel lifts",
    units="cm",
    measure=DISTANCE_MEASURE,
    checked="secondary summary of the paper; abstract not retrieved",
)
ASYMMETRY = NormSource(
    name="between-limb asymmetry",
    values=f"> {ASYMMETRY_RELEVANT_CM} cm (68 % of healthy adults ≤ 1.5 cm); {ASYMMETRY_RELEVANT_DEG}° without a scale",
    source="Hoch & McKeon 2011 (cm); the degree equivalent has no traced source",
    device="tape measure",
    placement="big toe to the wall, both legs",
    units="cm",
    measure=DISTANCE_MEASURE,
    checked="secondary summary of the paper; the 3.7° equivalent is ankle-cv's and untraced",
)
MDC = NormSource(
    name="minimal detectable change",
    values=f"{MDC_DEG}° or {MDC_CM} cm within a rater (4.6° or 1.6 cm between raters)",
    source="Powden, Hoch & Hoch 2015 (Man Ther 20:524), review of 12 reliability studies",
    device="inclinometer or tape measure, pooled over the studies' placements",
    placement="mixed (shin or Achilles tendon placements pooled)",
    units="degrees, cm",
    measure=None,
    checked="abstract: pooled over WBLT versions 'regardless of method'; used for visit-to-visit changes only",
)
TUBEROSITY_PLACEMENT = NormSource(
    name="inclinometer at the tibial tuberosity",
    values="39.0 ± 4.6° where the same lunges read 44.9 ± 5.5° 15 cm lower and 10.3 ± 3.0 cm",
    source="Hall & Docherty 2017 (J Sci Med Sport 20:618), 50 participants",
    device="digital inclinometer",
    placement="at the tibial tuberosity",
    units="degrees",
    measure=None,
    checked="abstract only; on the renders' body model a device there reads higher, not 6° lower: the placement's "
    "geometry is not reproduced, so nothing is compared with it",
)
NORM_SOURCES = (ANGLE_CUTOFFS, DISTANCE_CUTOFFS, POPULATION_DISTANCE, ASYMMETRY, MDC, TUBEROSITY_PLACEMENT)  # every norm's provenance


def category_for_deg(angle_deg: float | None) -> Category | None:
    """'restricted', 'borderline' or 'normal' for an inclinometer(-equivalent) angle."""
    if angle_deg is None:
        return None
    if angle_deg < RESTRICTED_BELOW_DEG:
        return Category.RESTRICTED
    if angle_deg < NORMAL_FROM_DEG:
        return Category.BORDERLINE
    return Category.NORMAL


def category_for_cm(distance_cm: float | None) -> Category | None:
    """'restricted', 'borderline' or 'normal' for a toe-to-wall distance."""
    if distance_cm is None:
        return None
    if distance_cm < RESTRICTED_BELOW_CM:
        return Category.RESTRICTED
    if distance_cm < NORMAL_FROM_CM:
        return Category.BORDERLINE
    return Category.NORMAL


def categories_in_deg(low_deg: float | None, high_deg: float | None) -> tuple[Category, ...] | None:
    """Every band a 95 % interval of the inclinometer-equivalent angle touches: one band is a sure category."""
    if low_deg is None or high_deg is None:
        return None
    return _bands_between(category_for_deg(low_deg), category_for_deg(high_deg))


def categories_in_cm(low_cm: float | None, high_cm: float | None) -> tuple[Category, ...] | None:
    """Every band a 95 % interval of the equivalent toe-to-wall distance touches."""
    if low_cm is None or high_cm is None:
        return None
    return _bands_between(category_for_cm(low_cm), category_for_cm(high_cm))


def _bands_between(low: Category | None, high: Category | None) -> tuple[Category, ...] | None:
    """The bands from `low`'s to `high`'s, in order (restricted first)."""
    if low is None or high is None:
        return None
    order = (Category.RESTRICTED, Category.BORDERLINE, Category.NORMAL)
    return order[order.index(low):order.index(high) + 1]


def reach_words(category: str | None, within_ci95: tuple[str, ...] | None) -> str:
    """'its 95 % interval reaches borderline' when the interval spans a cut-off, else '': a category is never falsely sure."""
    others = [str(c) for c in within_ci95 or () if category is not None and str(c) != str(category)]
    return f"its 95 % interval reaches {' and '.join(others)}" if others else ""


def band_span(category: str | None, within_ci95: tuple[str, ...] | None) -> str:
    """Short form for a headline or a table cell: 'normal', or 'normal; 95 % CI borderline–normal' when the 95 % interval
    spans a cut-off (the category itself always first: the terminal, result.json and the colours judge by it)."""
    if category is None:
        return ""
    bands = [str(c) for c in within_ci95 or ()]
    return f"{category}; 95 % CI {bands[0]}–{bands[-1]}" if len(bands) > 1 else str(category)


def category_words(category: str | None, within_ci95: tuple[str, ...] | None) -> str:
    """'normal', or 'normal (its 95 % interval reaches borderline)'; '' without a category."""
    if category is None:
        return ""
    reach = reach_words(category, within_ci95)
    return f"{category} ({reach})" if reach else str(category)


NORM_TEXT = (
    f"restricted < {RESTRICTED_BELOW_DEG:.0f}° (< {RESTRICTED_BELOW_CM:.0f} cm), borderline "
    f"{RESTRICTED_BELOW_DEG:.0f}–{NORMAL_FROM_DEG:.0f}° ({RESTRICTED_BELOW_CM:.0f}–{NORMAL_FROM_CM:.0f} cm), "
    f"normal ≥ {NORMAL_FROM_DEG:.0f}° (population mean ≈ {POPULATION_MEAN_CM:.0f} ± {POPULATION_SD_CM} cm); "
    "degrees are an inclinometer on the front of the shin 15 cm below the tibial tuberosity "
    "(ankle-cv's inclinometer_equivalent_deg), centimetres the big toe's distance from the wall"
)
