"""What each reported angle is, in words: one source for result.json, the summary, the report and FHIR.

Two shin angles are reported and must never be read as one another: the joint-centre axis (biomechanics) and the
inclinometer-equivalent angle (what a device on the front of the shin reads, and what the degree norms used).
"""

from __future__ import annotations

from ankle_cv.kinematics.inclinometer import (
    DEVICE_BELOW_TUBEROSITY_CM,
    DEVICE_LENGTH_CM,
    DEVICE_SPAN,
)

JOINT_CENTRE_NAME = "joint-centre inclination"
JOINT_CENTRE_DEFINITION = (
    "the shank's axis, ankle joint centre to knee joint centre, from vertical (+ knee towards the wall); "
    "biomechanics: comparable with 2D video and motion-capture studies, not with inclinometer norms"
)
INCLINOMETER_NAME = "inclinometer-equivalent angle"
INCLINOMETER_DEFINITION = (
    f"the front of the shin from vertical where a clinician rests an inclinometer: {DEVICE_LENGTH_CM:.0f} cm centred "
    f"{DEVICE_BELOW_TUBEROSITY_CM:.0f} cm below the tibial tuberosity, scaled to the shank ({DEVICE_SPAN[0]:.2f}-"
    f"{DEVICE_SPAN[1]:.2f} of the ankle-to-knee length from the ankle); the person's own front-edge lean, read on the "
    "shin's outline over each rep's approach, added to the joint-centre angle at the hold; the degree norms judge it"
)
DISTANCE_DEFINITION = (
    "equivalent toe-to-wall distance: the largest big-toe-to-wall distance at which this lunge lets the knee "
    "touch the wall (what the centimetre norms measured with a tape)"
)
CATEGORY_DEFINITION = (
    "category: the inclinometer cut-offs (35 / 38 deg) on the inclinometer-equivalent angle; distance_category: "
    "the 9 / 10 cm cut-offs on the equivalent toe-to-wall distance"
)


def definitions() -> dict[str, str]:
    """result.json's method.definitions: every reported angle and category named for what it is."""
    return {
        "tibial_inclination_deg": JOINT_CENTRE_DEFINITION,
        "inclinometer_equivalent_deg": INCLINOMETER_DEFINITION,
        "equivalent_toe_to_wall_cm": DISTANCE_DEFINITION,
        "category": CATEGORY_DEFINITION,
    }


def deg_with_interval(value: float | None, ci95: float | None) -> str:
    """'38.9° ± 3.4° (95 %)', or '—' when not measured."""
    if value is None:
        return "—"
    if ci95 is None:
        return f"{value:.1f}°"
    return f"{value:.1f}° ± {ci95:.1f}° (95 %)"
