"""Published reference values for the knee-to-wall test, in one place (sources in README.md)."""

from __future__ import annotations

RESTRICTED_BELOW_DEG = 35.0  # tibial inclination below this: restricted
NORMAL_FROM_DEG = 38.0  # at or above this: normal; in between: borderline
RESTRICTED_BELOW_CM = 9.0
NORMAL_FROM_CM = 10.0
POPULATION_MEAN_CM = 12.0
POPULATION_SD_CM = 2.8
ASYMMETRY_RELEVANT_CM = 1.5  # between-limb difference that is clinically relevant
ASYMMETRY_RELEVANT_DEG = 3.7  # the inclinometer's minimal detectable change, used as the degree equivalent
REFERENCE_TOE_TO_WALL_CM = 10.0
MDC_DEG = 4.7  # minimal detectable change between sessions, same rater (Powden et al. 2015, pooled)
MDC_CM = 1.9  # the same review's pooled intra-rater MDC for the distance method


def category_for_deg(angle_deg: float | None) -> str | None:
    """'restricted', 'borderline' or 'normal' for a tibial inclination."""
    if angle_deg is None:
        return None
    if angle_deg < RESTRICTED_BELOW_DEG:
        return "restricted"
    if angle_deg < NORMAL_FROM_DEG:
        return "borderline"
    return "normal"


def category_for_cm(distance_cm: float | None) -> str | None:
    """'restricted', 'borderline' or 'normal' for a toe-to-wall distance."""
    if distance_cm is None:
        return None
    if distance_cm < RESTRICTED_BELOW_CM:
        return "restricted"
    if distance_cm < NORMAL_FROM_CM:
        return "borderline"
    return "normal"


NORM_TEXT = (
    f"restricted < {RESTRICTED_BELOW_DEG:.0f}° (< {RESTRICTED_BELOW_CM:.0f} cm), borderline "
    f"{RESTRICTED_BELOW_DEG:.0f}–{NORMAL_FROM_DEG:.0f}° ({RESTRICTED_BELOW_CM:.0f}–{NORMAL_FROM_CM:.0f} cm), "
    f"normal ≥ {NORMAL_FROM_DEG:.0f}° (population mean ≈ {POPULATION_MEAN_CM:.0f} ± {POPULATION_SD_CM} cm)"
)
