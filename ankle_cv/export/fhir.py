"""A result as FHIR R4 Observation(s), so electronic records can import it (pure: a Result in, FHIR dicts out).

One Observation per measured leg (a `collection` Bundle when both legs were measured). Coding:
- category: the HL7 observation-category `exam`;
- code: no LOINC code for the weight-bearing lunge test is known to us, so the test is named in text
  and coded in ankle-cv's own code system (PROJECT_SYSTEM), which importers may map;
- bodySite: SNOMED CT 51636004 |Structure of left ankle| / 6685009 |Structure of right ankle|;
- components: the equivalent toe-to-wall distance in UCUM `cm` first, only when a scale was known, and its 1-sigma
  uncertainty; the inclinometer-equivalent angle (the front of the shin, what the degree norms measured) and its 95 %
  half-width (each uncertainty component says which it is);
  the joint-centre tibial inclination and its mean over valid reps, all in UCUM `deg`; the valid/total rep counts;
- interpretation: the distance's category (centimetre cut-offs) and the angle's (inclinometer cut-offs), each named;
- subject: only when the user gave a patient identifier.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from ankle_cv.protocol.asymmetry import LegResult, pair_legs
from ankle_cv.report.model import distance_category_text, leg_category_text, result_method
from ankle_cv.results.types import Result

PROJECT_SYSTEM = "urn:ankle-cv:codes"  # ankle-cv's own code system (no registered URL)
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
BODY_SITES = {
    "left": ("51636004", "Structure of left ankle"),
    "right": ("6685009", "Structure of right ankle"),
}
TEST_NAME = "Weight-bearing lunge test"
UUID_NAMESPACE = uuid.UUID("5f0c1d2e-7a4b-4c8e-9d3f-a1b2c3d4e5f6")  # stable ids: same result, same fullUrl


def _concept(code: str, text: str) -> dict[str, Any]:
    """A CodeableConcept in ankle-cv's code system, with text."""
    return {"coding": [{"system": PROJECT_SYSTEM, "code": code, "display": text}], "text": text}


def _quantity(value: float, unit: str) -> dict[str, Any]:
    """A UCUM Quantity ('deg' shows as °)."""
    return {"value": value, "unit": "°" if unit == "deg" else unit, "system": UCUM, "code": unit}


def _components(leg: LegResult) -> list[dict[str, Any]]:
    """Distance (cm, only when known) first, then the two angles each named for what it is, and rep counts."""
    comps: list[dict[str, Any]] = []
    if leg.distance_cm is not None:
        comps.append({
            "code": _concept("toe-to-wall-distance", "Equivalent toe-to-wall distance (knee-to-wall test)"),
            "valueQuantity": _quantity(leg.distance_cm, "cm"),
        })
        if leg.distance_sigma_cm is not None:
            comps.append({
                "code": _concept("toe-to-wall-distance-sd", "Its standard uncertainty (1 σ)"),
                "valueQuantity": _quantity(leg.distance_sigma_cm, "cm"),
            })
    if leg.inclinometer_equivalent_deg is not None:
        comps.append({
            "code": _concept("inclinometer-equivalent-angle", "Inclinometer-equivalent shin angle at the best valid rep "
                             "(front of the shin 15 cm below the tibial tuberosity, from vertical; the degree norms' measure)"),
            "valueQuantity": _quantity(leg.inclinometer_equivalent_deg, "deg"),
        })
        if leg.inclinometer_equivalent_ci95_deg is not None:
            comps.append({
                "code": _concept("inclinometer-equivalent-angle-ci95", "Half-width of its 95 % interval"),
                "valueQuantity": _quantity(leg.inclinometer_equivalent_ci95_deg, "deg"),
            })
    comps.append({
        "code": _concept("tibial-inclination", "Joint-centre tibial inclination at the best valid rep (ankle-to-knee "
                         "joint-centre axis from vertical; not an inclinometer reading)"),
        "valueQuantity": _quantity(cast(float, leg.tibial_inclination_deg), "deg"),  # measured legs only
    })
    if leg.mean_deg is not None:
        comps.append({
            "code": _concept("tibial-inclination-mean", f"Mean joint-centre tibial inclination over {leg.reps_valid} valid rep{'' if leg.reps_valid == 1 else 's'}"),
            "valueQuantity": _quantity(leg.mean_deg, "deg"),
        })
    comps.append({"code": _concept("reps-valid", "Valid reps"), "valueInteger": leg.reps_valid})
    comps.append({"code": _concept("reps-total", "Reps performed"), "valueInteger": leg.reps_total})
    return comps


def method_text(result: Result) -> str:
    """How the value was obtained, in one line (the scale and heel rule as used, as the report states them)."""
    return (f"ankle-cv {result.ankle_cv_version} video analysis ({result.method.pose_model}); at the best rep with the heel "
            "down: the joint-centre tibial inclination (ankle-to-knee axis from vertical) and the inclinometer-equivalent "
            "angle (the front of the shin 15 cm below the tibial tuberosity, from the silhouette; the category judges it "
            f"against the inclinometer cut-offs); {result_method(result)}")


def observation(
    result: Result, leg: LegResult, effective: str, patient_id: str | None = None
) -> dict[str, Any]:
    """One leg's Observation."""
    code, display = BODY_SITES[leg.side]
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "exam", "display": "Exam"}], "text": "Exam"}],
        "code": _concept("weight-bearing-lunge-test", TEST_NAME),
    }
    if patient_id:
        obs["subject"] = {"identifier": {"value": patient_id}}
    obs["effectiveDateTime"] = effective
    obs["bodySite"] = {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": f"{leg.side} ankle"}
    obs["method"] = {"text": method_text(result)}
    interpretation = []
    if leg.distance_category:
        interpretation.append({"text": f"toe-to-wall distance: {distance_category_text(leg.distance_category, leg.distance_category_ci95)}"})
    if leg.category:
        interpretation.append({"text": leg_category_text(leg)})
    if interpretation:
        obs["interpretation"] = interpretation
    obs["component"] = _components(leg)
    notes = list(result.quality.warnings)
    if notes:
        obs["note"] = [{"text": w} for w in notes]
    return obs


def fhir_document(result: Result, effective: str, result_sha256: str, patient_id: str | None = None) -> dict[str, Any]:
    """An Observation for one measured leg, a collection Bundle for two; ValueError when no leg was measured."""
    return fhir_documents([(result, effective, result_sha256)], patient_id)


def fhir_documents(results: list[tuple[Result, str, str]], patient_id: str | None = None) -> dict[str, Any]:
    """One document for one or more results (result, effective date, sha256), e.g. left.mp4's and right.mp4's: each leg
    once (pair_legs chooses as the report does), an Observation for one leg, a collection Bundle for more."""
    pairing = pair_legs([(str(k), r) for k, (r, _, _) in enumerate(results)])
    chosen = [leg for leg in (pairing.left, pairing.right) if leg is not None and leg.measured]
    if not chosen:
        raise ValueError("no leg has a valid measurement")
    entries = []
    for leg in chosen:
        result, effective, sha = results[int(leg.source)]
        entries.append((f"urn:uuid:{uuid.uuid5(UUID_NAMESPACE, sha + leg.side)}", observation(result, leg, effective, patient_id)))
    if len(entries) == 1:
        return entries[0][1]
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": url, "resource": obs} for url, obs in entries]}
