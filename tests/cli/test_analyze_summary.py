"""What `ankle-cv analyze` prints: nothing claimed that the video did not show."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ankle_cv.cli.analyze import print_summary
from tests.result_factory import BASE, as_result


def _printed(result_doc: dict) -> str:
    with CliRunner().isolation() as streams:
        print_summary(as_result(result_doc), (Path("o/result.json"),))
        return streams[0].getvalue().decode()


def test_no_person_claims_no_tested_leg() -> None:
    nobody = {**BASE["quality"], "pose_detected_fraction": 0.0, "leg_visibility_mean": 0.0, "usable_frame_fraction": 0.0,
              "view": "unknown", "people_max": 0, "warnings": []}
    text = _printed({"quality": nobody, "result": {"no_measurement_reason": "no person found in 100% of frames"}})
    assert "Tested leg: none (no person found in the video)" in text
    assert "Tested leg: right" not in text
    nulls = _printed({"side": None, "facing": None, "quality": nobody,
                      "result": {"no_measurement_reason": "no person found in 100% of frames"}})
    assert "Tested leg: none (no person found in the video)" in nulls and "Tested leg: None" not in nulls
    assert "Tested leg: right (wall on the image right)" in _printed({"best_rep": 1})


def test_a_clip_refused_before_any_rep_claims_no_tested_leg_nor_wall() -> None:
    """outdoor_two_people_sports2d (refused: not a knee-to-wall test) printed 'Tested leg: right (wall on the image right)'."""
    text = _printed({"reps": [], "best_rep": None, "result": {"no_measurement_reason": "not a knee-to-wall test: ..."}})
    assert "Tested leg: none (no rep found; the front leg followed: right, facing the image right)" in text
    assert "wall on the image" not in text
    # running_side_portrait: reps found, then refused as no test ("Tested legs: right then left (wall on the image left)")
    ran = _printed({"reps": [{"index": 1, "side": "right", "valid": False}, {"index": 2, "side": "left", "valid": False}],
                    "facing": "left", "result": {"no_measurement_reason": "not a knee-to-wall test: no foot stays planted"}})
    assert ("Tested leg: none (not a knee-to-wall test; the front leg followed: right then left, facing the image left)"
            in ran and "wall on the image" not in ran)
    assert "Norms:" not in text and "Norms:" not in ran  # the norms judge a test: under "not a test" they were noise
    assert "Norms:" in _printed({"best_rep": 1})


def test_asymmetry_lines_put_each_category_beside_the_number_it_judges() -> None:
    """The category comes from the inclinometer-equivalent angle, the distance's from the cm: never beside the joint-centre
    angle (34.5° joint-centre printed as 'borderline' reads as a wrong verdict against the < 35° cut-off)."""
    from ankle_cv.cli.analyze_pairs import leg_words
    from ankle_cv.protocol.asymmetry import LegResult

    leg = LegResult(side="left", source="r.json", best_rep=4, tibial_inclination_deg=34.5, ankle_dorsiflexion_deg=34.5,
                    mean_deg=34.4, sd_deg=0.1, category="borderline", reps_valid=2, reps_total=2, distance_cm=8.6,
                    knee_to_wall_cm=-0.3, heel_lift_mm=None, heel_lift_foot_fraction=None, heel_lifted=False,
                    inclinometer_equivalent_deg=37.3, distance_category="restricted")
    assert leg_words(leg) == ("Left leg: inclinometer-equivalent 37.3° → borderline, joint-centre 34.5°, "
                              "equivalent toe-to-wall 8.6 cm → restricted")


def test_a_both_legs_video_names_both_tested_legs() -> None:
    """Random render r002 (both legs): 'Tested leg: right' printed above the left leg's reps."""
    import json

    doc = json.loads((Path(__file__).resolve().parents[1] / "data" / "physio" / "d12_both" / "result.json").read_text())
    assert len({rep["side"] for rep in doc["reps"]}) == 2
    first = doc["reps"][0]["side"]
    other = "left" if first == "right" else "right"
    assert f"Tested legs: {first} then {other} (wall on the image" in _printed(doc)


def test_each_printed_uncertainty_says_what_it_is() -> None:
    """k2w_right: '14.3 ± 2.4 cm' (1 σ, as result.json keeps it) printed above '42.5° ± 3.6°' (a 95 % half-width):
    read alike, the distance looked twice as sure as it is."""
    from tests.result_factory import BASE

    text = _printed(BASE)
    res = BASE["result"]
    assert f"{res['equivalent_toe_to_wall_cm']} ± {res['equivalent_toe_to_wall_uncertainty_cm']} cm (1 σ) →" in text
    assert f"{res['inclinometer_equivalent_deg']}° ± {res['inclinometer_equivalent_ci95_deg']}° (95 %) →" in text


def _hidden_toe_and_heel() -> dict:
    """random_v6 r003's shape: a marker scale, the knee at the wall (0.0 ± 5.9 cm), the toe hidden by the sheet (no
    equivalent distance) and the best rep's heel hidden by it (valid: no rep's heel was seen down)."""
    import copy

    doc = copy.deepcopy(BASE)
    doc["result"].update(knee_to_wall_cm=0.0, knee_to_wall_uncertainty_cm=5.9, equivalent_toe_to_wall_cm=None,
                         equivalent_toe_to_wall_uncertainty_cm=None, distance_category=None, distance_category_ci95=None)
    for rep in doc["reps"]:
        rep.update(heel_lifted=None, heel_lift_source="hidden", heel_lift_foot_fraction=None, heel_lift_mm=None,
                   ankle_dorsiflexion_deg=None)
    doc["result"]["ankle_dorsiflexion_deg"] = None
    return doc


def test_a_knee_to_wall_distance_is_printed_when_the_equivalent_is_not_given() -> None:
    """random_v6 r003 (marker sheet, toe hidden): result.json held knee-to-wall 0.0 ± 5.9 cm, the printout no centimetre."""
    text = _printed(_hidden_toe_and_heel())
    assert "Front of the knee to the wall 0.0 ± 5.9 cm (1 σ, scale: marker)" in text
    assert "equivalent toe-to-wall distance not given (see the warnings)" in text
    assert "Equivalent toe-to-wall distance" in _printed(BASE)  # with both, the equivalent leads as before


def test_the_wall_line_does_not_claim_a_heel_down_that_was_not_checked() -> None:
    """random_v6 r003: 'Best valid rep 2 (heel not checked)' then 'Knee reached the wall, heel down, ...: yes'."""
    text = _printed(_hidden_toe_and_heel())
    assert "Knee reached the wall, heel not checked, with the wall where the marker sheet shows it: yes" in text
    assert "heel down" not in text
    assert "Knee reached the wall, heel down, with the wall where the marker sheet shows it: yes" in _printed(BASE)


def test_each_legs_line_puts_its_category_after_an_arrow_not_in_nested_brackets() -> None:
    """d12 (both legs): 'left: inclinometer-equivalent 37.3° (borderline (its 95 % interval reaches restricted and
    normal)), joint-centre 34.5°' nested brackets; the arrow is how every other line names a category."""
    import json

    doc = json.loads((Path(__file__).resolve().parents[1] / "data" / "physio" / "d12_both" / "result.json").read_text())
    lines = [line for line in _printed(doc).splitlines() if line.startswith(("  left:", "  right:"))]
    assert len(lines) == 2
    for line in lines:
        assert "° → " in line and "))" not in line
    doc["legs"]["left"].update(category=None, category_ci95=None, inclinometer_equivalent_deg=None, tibial_inclination_deg=None)
    assert "  left: inclinometer-equivalent — → no category, joint-centre —, " in _printed(doc)  # never '()' nor 'None°'


def test_no_line_nests_brackets_where_the_reason_has_its_own() -> None:
    """random heel sweep h012: '→ no category (not compared with ...: ... (an object or clothing over it))' and h003:
    '(one valid rep (no spread))'."""
    from tests.outputs.test_user_words import nests

    reason = "not compared with the inclinometer norms: the outline is not straight there (an object or clothing over it)"
    text = _printed({"result": {"category": None, "category_ci95": None, "inclinometer_equivalent_deg": None,
                                "category_reason": reason, "mean_deg": 40.0, "sd_deg": None}})
    assert f"→ no category: {reason}" in text
    assert not [line for line in text.splitlines() if nests(line)]
