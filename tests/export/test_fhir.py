"""FHIR R4 export: structure (required fields, types, codes) of the Observation(s) built from real results."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.export.fhir import fhir_document
from tests.result_factory import as_result

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "physio"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$")  # FHIR dateTime
SITES = {"left": "51636004", "right": "6685009"}


def load(name: str) -> dict[str, Any]:
    """A committed result.json."""
    return json.loads((FIXTURES / name / "result.json").read_text())


def check_coding(coding: Any) -> None:
    """Coding: system is an absolute URI, code a non-empty string without surrounding spaces."""
    assert isinstance(coding, dict)
    assert isinstance(coding["system"], str) and re.match(r"^[a-z][a-z0-9+.-]*:", coding["system"])
    assert isinstance(coding["code"], str) and coding["code"] == coding["code"].strip() and coding["code"]
    assert isinstance(coding.get("display", ""), str)


def check_concept(concept: Any) -> None:
    """CodeableConcept: codings and/or text."""
    assert isinstance(concept, dict) and (concept.get("coding") or concept.get("text"))
    for coding in concept.get("coding", []):
        check_coding(coding)
    assert isinstance(concept.get("text", ""), str)


def check_observation(obs: dict[str, Any]) -> dict[str, Any]:
    """The R4 Observation rules we rely on; returns the components by code."""
    assert obs["resourceType"] == "Observation"
    assert obs["status"] == "final"
    assert set(obs) <= {"resourceType", "status", "category", "code", "subject", "effectiveDateTime", "bodySite",
                        "method", "interpretation", "component", "note"}
    for cat in obs["category"]:
        check_concept(cat)
    assert {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "exam",
            "display": "Exam"} in obs["category"][0]["coding"]
    check_concept(obs["code"])
    assert obs["code"]["text"] == "Weight-bearing lunge test"
    assert DATETIME.match(obs["effectiveDateTime"])
    check_concept(obs["bodySite"])
    check_concept(obs["method"])
    for item in obs.get("interpretation", []):
        check_concept(item)
    for note in obs.get("note", []):
        assert isinstance(note["text"], str) and note["text"]
    comps = {}
    for comp in obs["component"]:
        check_concept(comp["code"])
        values = [k for k in comp if k.startswith("value")]
        assert len(values) == 1  # exactly one value[x]
        if "valueQuantity" in comp:
            q = comp["valueQuantity"]
            assert isinstance(q["value"], (int, float)) and not isinstance(q["value"], bool)
            assert q["system"] == UCUM and q["code"] in ("deg", "cm")
        else:
            assert isinstance(comp["valueInteger"], int)
        comps[comp["code"]["coding"][0]["code"]] = comp
    return comps


def test_one_leg_gives_one_observation_with_the_json_figures() -> None:
    result = load("sample_right")
    doc = fhir_document(as_result(result), "2026-11-24T10:15:00+01:00", "abc")
    comps = check_observation(doc)
    leg = result["legs"]["right"]
    assert doc["bodySite"]["coding"][0] == {"system": SNOMED, "code": SITES["right"], "display": "Structure of right ankle"}
    assert comps["tibial-inclination"]["valueQuantity"]["value"] == leg["tibial_inclination_deg"]
    assert comps["tibial-inclination"]["valueQuantity"]["code"] == "deg"
    assert comps["tibial-inclination-mean"]["valueQuantity"]["value"] == leg["mean_deg"]
    assert comps["reps-valid"]["valueInteger"] == leg["reps_valid"]
    assert comps["reps-total"]["valueInteger"] == leg["reps_total"]
    assert "toe-to-wall-distance" not in comps  # no scale: no distance component
    assert "subject" not in doc  # no patient id given: no subject
    assert doc["interpretation"][-1]["text"].startswith(leg["category"])  # an older result: says which angle it judged
    assert doc["note"][0]["text"] == result["quality"]["warnings"][0]


def test_both_legs_give_a_bundle_with_subject_and_distance_when_known() -> None:
    result = copy.deepcopy(load("d12_both"))
    best = next(r for r in result["reps"] if r["index"] == result["legs"]["left"]["best_rep"])
    best["equivalent_toe_to_wall_cm"] = 9.4  # as if a scale had been known for the left leg
    doc = fhir_document(as_result(result), "2026-11-24", "sha", patient_id="P-0042")
    assert doc["resourceType"] == "Bundle" and doc["type"] == "collection"
    assert len(doc["entry"]) == 2
    urls = [e["fullUrl"] for e in doc["entry"]]
    assert all(re.match(r"^urn:uuid:[0-9a-f-]{36}$", u) for u in urls) and len(set(urls)) == 2
    assert urls == [e["fullUrl"] for e in fhir_document(as_result(result), "2026-11-24", "sha", patient_id="P-0042")["entry"]]
    by_site = {}
    for e in doc["entry"]:
        obs = e["resource"]
        comps = check_observation(obs)
        assert obs["subject"] == {"identifier": {"value": "P-0042"}}
        by_site[obs["bodySite"]["coding"][0]["code"]] = (obs, comps)
    assert set(by_site) == set(SITES.values())
    left_obs, left = by_site[SITES["left"]]
    right_obs, right = by_site[SITES["right"]]
    assert left["tibial-inclination"]["valueQuantity"]["value"] == result["legs"]["left"]["tibial_inclination_deg"]
    assert right["tibial-inclination"]["valueQuantity"]["value"] == result["legs"]["right"]["tibial_inclination_deg"]
    assert left["toe-to-wall-distance"]["valueQuantity"] == {"value": 9.4, "unit": "cm", "system": UCUM, "code": "cm"}
    assert "toe-to-wall-distance" not in right
    assert result["legs"]["right"]["reps_valid"] == 1  # the mean over one rep is said in the singular
    assert right["tibial-inclination-mean"]["code"]["text"].endswith("over 1 valid rep")


def test_nothing_measured_is_refused() -> None:
    result = copy.deepcopy(load("sample_right"))
    for leg in result["legs"].values():
        leg["tibial_inclination_deg"] = None
    with pytest.raises(ValueError, match="no leg"):
        fhir_document(as_result(result), "2026-11-24", "x")


def test_cli_export(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "obs.json"
    r = runner.invoke(main, ["export", str(FIXTURES / "lunge_real" / "result.json"), "--fhir", "--out", str(out),
                             "--patient-id", "P-1"])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text())
    check_observation(doc)
    assert doc["subject"]["identifier"]["value"] == "P-1"
    assert DATETIME.match(doc["effectiveDateTime"]) and "T" in doc["effectiveDateTime"]
    again = runner.invoke(main, ["export", str(FIXTURES / "lunge_real" / "result.json"), "--fhir", "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    printed = runner.invoke(main, ["export", str(FIXTURES / "lunge_real"), "--fhir", "--date", "2026-01-02"])
    assert printed.exit_code == 0 and json.loads(printed.output)["effectiveDateTime"] == "2026-01-02"
    no_format = runner.invoke(main, ["export", str(FIXTURES / "lunge_real" / "result.json")])
    assert no_format.exit_code == 2 and "--fhir" in no_format.output
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    broken = runner.invoke(main, ["export", str(bad), "--fhir"])
    assert broken.exit_code == 2 and "bad.json: not valid JSON" in broken.output


def test_cli_export_of_two_per_leg_videos_is_one_bundle(tmp_path: Path) -> None:
    """left.mp4's and right.mp4's results make one Bundle, one Observation per leg, each with its own method."""
    out = tmp_path / "visit.json"
    r = CliRunner().invoke(main, ["export", str(FIXTURES / "sample_left"), str(FIXTURES / "sample_right"), "--fhir",
                                  "--out", str(out), "--date", "2026-01-02"])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text())
    assert doc["resourceType"] == "Bundle" and len(doc["entry"]) == 2
    sites = [e["resource"]["bodySite"]["text"] for e in doc["entry"]]
    assert sites == ["left ankle", "right ankle"]
    for entry, name in zip(doc["entry"], ("sample_left", "sample_right")):
        check_observation(entry["resource"])
        result = load(name)
        assert f"scale {(result.get('scale') or {}).get('method') or 'none'}" in entry["resource"]["method"]["text"]
    assert len({e["fullUrl"] for e in doc["entry"]}) == 2


def test_interpretation_leads_with_the_category_the_terminal_prints_when_its_interval_spans_cut_offs() -> None:
    """A borderline angle whose 95 % interval reaches restricted and normal: the interpretation said only
    'restricted–normal (95 % CI)', where analyze printed 'borderline (its 95 % interval reaches ...)'."""
    result = copy.deepcopy(load("sample_right"))
    result["legs"]["right"].update({"category": "borderline", "inclinometer_equivalent_deg": 36.5,
                                    "inclinometer_equivalent_ci95_deg": 4.0, "category_reason": None,
                                    "category_ci95": ["restricted", "borderline", "normal"]})
    doc = fhir_document(as_result(result), "2026-11-24T10:15:00+01:00", "abc")
    assert doc["interpretation"][-1]["text"] == "borderline; 95 % CI restricted–normal"


def test_the_distance_carries_its_uncertainty_and_says_it_is_one_sigma() -> None:
    """result.json gives equivalent_toe_to_wall_cm a 1-sigma uncertainty; the export gave the distance alone (the angle's
    95 % half-width was there): now beside it, each uncertainty component saying which it is."""
    result = copy.deepcopy(load("d12_both"))
    best = next(r for r in result["reps"] if r["index"] == result["legs"]["left"]["best_rep"])
    best.update({"equivalent_toe_to_wall_cm": 9.4, "equivalent_toe_to_wall_uncertainty_cm": 1.1})
    doc = fhir_document(as_result(result), "2026-11-24", "sha")
    left = next(check_observation(e["resource"]) for e in doc["entry"]
                if e["resource"]["bodySite"]["coding"][0]["code"] == SITES["left"])
    sd = left["toe-to-wall-distance-sd"]
    assert sd["valueQuantity"] == {"value": 1.1, "unit": "cm", "system": UCUM, "code": "cm"}
    assert "1 σ" in sd["code"]["text"]
    assert list(left).index("toe-to-wall-distance-sd") == list(left).index("toe-to-wall-distance") + 1
    if "inclinometer-equivalent-angle-ci95" in left:
        assert "95 %" in left["inclinometer-equivalent-angle-ci95"]["code"]["text"]
