"""Left/right pairing, asymmetry, its flag and the norm categories (tables of cases; pure, fast)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ankle_cv.cli.analyze_pairs import (
    ASYMMETRY_FILE,
    pairing_summary,
    plan_targets,
    write_pairing,
)
from ankle_cv.errors import InputError
from ankle_cv.protocol.asymmetry import (
    asymmetry_summary,
    compute_asymmetry,
    legs_of,
    pair_legs,
)
from ankle_cv.protocol.norms import category_for_cm, category_for_deg
from ankle_cv.results.types import Result
from tests.result_factory import as_result, read_result

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "physio"


def leg(deg: float | None, valid: int = 2, total: int = 2, best: int | None = 1, **extra: Any) -> dict[str, Any]:
    """A result.json `legs` entry."""
    return {"best_rep": best if deg is not None else None, "tibial_inclination_deg": deg, "ankle_dorsiflexion_deg": deg,
            "mean_deg": deg, "sd_deg": 0.5 if deg is not None else None,
            "category": category_for_deg(deg), "reps_valid": valid if deg is not None else 0, "reps_total": total, **extra}


def result(legs: dict[str, dict[str, Any]], reps: list[dict[str, Any]] | None = None, best: int | None = None,
           top: dict[str, Any] | None = None) -> Result:
    """A result with the given legs (the rest from a real one)."""
    return as_result({"legs": legs, "reps": reps or [], "best_rep": best, "result": top or {}})


@pytest.mark.parametrize(
    ("angle_deg", "category"),
    [(None, None), (10.0, "restricted"), (34.9, "restricted"), (35.0, "borderline"), (37.9, "borderline"),
     (38.0, "normal"), (55.0, "normal")],
)
def test_category_for_deg(angle_deg: float | None, category: str | None) -> None:
    assert category_for_deg(angle_deg) == category


@pytest.mark.parametrize(
    ("distance_cm", "category"),
    [(None, None), (5.0, "restricted"), (8.9, "restricted"), (9.0, "borderline"), (9.9, "borderline"),
     (10.0, "normal"), (14.0, "normal")],
)
def test_category_for_cm(distance_cm: float | None, category: str | None) -> None:
    assert category_for_cm(distance_cm) == category


@pytest.mark.parametrize(
    ("left_deg", "right_deg", "left_cm", "right_cm", "basis", "flagged", "diff_deg", "percent", "lower"),
    [
        # degrees only (no scale): threshold 3.7 deg, "above" means strictly greater at 0.1 precision
        (40.0, 40.0, None, None, "deg", False, 0.0, 0.0, None),
        (40.0, 36.3, None, None, "deg", False, 3.7, 9.25, "right"),
        (36.2, 40.0, None, None, "deg", True, -3.8, 9.5, "left"),
        (30.0, 45.0, None, None, "deg", True, -15.0, 100 * 15 / 45, "left"),
        # only one leg has a distance: still judged in degrees
        (30.0, 45.0, 10.0, None, "deg", True, -15.0, 100 * 15 / 45, "left"),
        # both distances known: judged in cm against 1.5 cm, whatever the degrees say
        (30.0, 40.0, 11.0, 12.5, "cm", False, -10.0, 100 * 1.5 / 12.5, "left"),
        (38.0, 39.0, 10.0, 11.6, "cm", True, -1.0, 100 * 1.6 / 11.6, "left"),
        (42.0, 38.0, 12.0, 10.0, "cm", True, 4.0, 100 * 2.0 / 12.0, "right"),
    ],
)
def test_compute_asymmetry(
    left_deg: float, right_deg: float, left_cm: float | None, right_cm: float | None, basis: str, flagged: bool,
    diff_deg: float, percent: float, lower: str | None,
) -> None:
    res = result({"left": leg(left_deg, best=1, equivalent_toe_to_wall_cm=left_cm),
                  "right": leg(right_deg, best=2, equivalent_toe_to_wall_cm=right_cm)})
    legs = {x.side: x for x in legs_of(res)}
    asym = compute_asymmetry(legs["left"], legs["right"])
    assert asym is not None
    assert asym.basis == basis
    assert asym.flagged is flagged
    assert asym.difference_deg == pytest.approx(diff_deg)
    assert asym.percent == pytest.approx(percent)
    assert asym.lower_side == lower
    assert ("1.5 cm" in asym.threshold_text) and (("3.7°" in asym.threshold_text) == (basis == "deg"))
    if basis == "deg":
        one = (left_cm is None) != (right_cm is None)
        assert asym.threshold_text.endswith("only one leg has a distance in cm" if one else "no scale was known")
    if basis == "cm":
        assert asym.difference_cm == pytest.approx(left_cm - right_cm)
        assert asym.threshold == 1.5 and asym.threshold_unit == "cm"
    else:
        assert asym.threshold == 3.7 and asym.threshold_unit == "deg"


def test_no_asymmetry_without_two_measured_legs() -> None:
    res = result({"left": leg(None, total=3), "right": leg(40.0)})
    legs = {x.side: x for x in legs_of(res)}
    assert compute_asymmetry(legs["left"], legs["right"]) is None
    pairing = pair_legs([("one", res)])
    assert not pairing.complete
    assert "left leg has no valid rep" in pairing.notes
    assert asymmetry_summary(pairing)["asymmetry"] is None


def test_leg_distance_falls_back_to_best_rep_then_top_level_result() -> None:
    reps = [{"index": 1, "side": "right", "equivalent_toe_to_wall_cm": 11.2, "heel_lift_mm": 3.0, "heel_lifted": False},
            {"index": 2, "side": "left", "heel_lift_foot_fraction": 0.012, "heel_lifted": False}]
    res = result({"left": leg(35.0, best=2), "right": leg(40.0, best=1)}, reps, best=1,
                 top={"equivalent_toe_to_wall_cm": 11.0, "knee_to_wall_cm": -0.4})
    legs = {x.side: x for x in legs_of(res, "r.json")}
    assert legs["right"].distance_cm == 11.2  # the rep's own value wins over the top-level copy
    assert legs["right"].knee_to_wall_cm == -0.4  # top level belongs to the best rep, which is the right leg's
    assert legs["right"].heel_lift_mm == 3.0
    assert legs["left"].distance_cm is None and legs["left"].knee_to_wall_cm is None
    assert legs["left"].heel_lift_foot_fraction == 0.012
    assert legs["left"].source == "r.json"


@pytest.mark.parametrize(
    ("inputs", "left", "right", "complete", "note"),
    [
        # two videos, one leg each
        ([("l.json", {"left": 33.0}), ("r.json", {"right": 40.0})], ("l.json", 33.0), ("r.json", 40.0), True, None),
        # one video with both legs
        ([("both.json", {"left": 33.0, "right": 40.0})], ("both.json", 33.0), ("both.json", 40.0), True, None),
        # the same leg twice: the larger valid measurement is kept, and the choice is noted
        ([("a.json", {"right": 38.0}), ("b.json", {"right": 41.0}), ("c.json", {"left": 30.0})],
         ("c.json", 30.0), ("b.json", 41.0), True, "right leg found in a.json and b.json: kept b.json"),
        # a measured leg beats an unmeasured one of the same side
        ([("a.json", {"left": None}), ("b.json", {"left": 31.0, "right": 36.0})],
         ("b.json", 31.0), ("b.json", 36.0), True, "kept b.json"),
        # one leg only
        ([("r.json", {"right": 40.0})], None, ("r.json", 40.0), False, "no left leg in the results"),
    ],
)
def test_pair_legs(inputs: list, left: tuple | None, right: tuple | None, complete: bool, note: str | None) -> None:
    results = [(src, result({side: leg(deg, best=1 if side == "left" else 2) for side, deg in legs.items()})) for src, legs in inputs]
    pairing = pair_legs(results)
    got_left = (pairing.left.source, pairing.left.tibial_inclination_deg) if pairing.left else None
    got_right = (pairing.right.source, pairing.right.tibial_inclination_deg) if pairing.right else None
    assert (got_left, got_right, pairing.complete) == (left, right, complete)
    if note:
        assert any(note in n for n in pairing.notes), pairing.notes


def test_plan_targets_one_folder_per_video(tmp_path: Path) -> None:
    one = plan_targets((Path("a/left.mp4"),), None)
    assert one == [(Path("a/left.mp4"), Path("a/left_ankle_cv"))]
    assert plan_targets((Path("a/left.mp4"),), tmp_path / "x") == [(Path("a/left.mp4"), tmp_path / "x")]
    two = plan_targets((Path("a/left.mp4"), Path("b/right.mp4")), tmp_path)
    assert [t for _, t in two] == [tmp_path / "left_ankle_cv", tmp_path / "right_ankle_cv"]
    with pytest.raises(InputError, match="same folder"):
        plan_targets((Path("a/leg.mp4"), Path("b/leg.mp4")), tmp_path)


def test_write_pairing_from_real_results(tmp_path: Path) -> None:
    """Two analysed sample videos (committed results) pair into asymmetry.json; a lone leg removes a stale one."""
    left = read_result(FIXTURES / "sample_left" / "result.json")
    right = read_result(FIXTURES / "sample_right" / "result.json")
    done = [(tmp_path / "l" / "result.json", left), (tmp_path / "r" / "result.json", right)]
    summary = pairing_summary(done)
    assert summary is not None
    left_deg, right_deg = left.legs["left"].tibial_inclination_deg, right.legs["right"].tibial_inclination_deg
    assert left_deg is not None and right_deg is not None
    assert summary["legs"]["left"]["tibial_inclination_deg"] == left_deg
    assert summary["legs"]["right"]["tibial_inclination_deg"] == right_deg
    diff = left_deg - right_deg
    assert summary["asymmetry"]["difference_deg"] == pytest.approx(round(diff, 1))
    path = write_pairing(done, tmp_path)
    assert path == tmp_path / ASYMMETRY_FILE
    assert json.loads(path.read_text()) == summary
    assert write_pairing(done[:1], tmp_path) is None
    assert not (tmp_path / ASYMMETRY_FILE).exists()


def test_asymmetry_names_its_angle_and_keeps_the_angle_each_category_judges() -> None:
    """k2w left + right: the legs printed 40.5° and 42.5° inclinometer-equivalent, then 'Asymmetry 2.3°' (the joint-centre
    angles' difference) without saying so; asymmetry.json put 'normal' beside the joint-centre 37.6° (borderline's range)."""
    from ankle_cv.protocol.asymmetry import asymmetry_words

    docs = {"left": leg(37.6, inclinometer_equivalent_deg=40.5, category="normal", category_ci95=["borderline", "normal"]),
            "right": leg(39.9, best=2, inclinometer_equivalent_deg=42.5, category="normal", category_ci95=["normal"])}
    pairing = pair_legs([("r.json", result(docs))])
    summary = asymmetry_summary(pairing)
    assert summary["legs"]["left"]["inclinometer_equivalent_deg"] == 40.5
    assert summary["legs"]["left"]["category_ci95"] == ["borderline", "normal"]
    assert pairing.left is not None and pairing.right is not None
    asym = compute_asymmetry(pairing.left, pairing.right)
    assert asym is not None and asymmetry_words(asym).startswith("Asymmetry 2.3° joint-centre, ")
