"""The result contract: every result.json we ship reads back identically, and a broken one gives one ResultFormatError naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ankle_cv.errors import InputError
from ankle_cv.results.record import ResultFormatError
from ankle_cv.results.types import Result

TESTS = Path(__file__).resolve().parents[1]
COMMITTED = sorted(TESTS.glob("golden/*/result.json")) + sorted(TESTS.glob("data/physio/*/result.json"))
BOTH_LEGS = TESTS / "golden" / "d12_f30_both_markerside_R40_L33" / "result.json"


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.parent.name)
def test_committed_results_read_back_byte_for_byte(path: Path) -> None:
    """Current and older (schema 1 without later fields) files: from_json then to_json is the same text."""
    text = path.read_text(encoding="utf-8")
    assert Result.from_json(text).to_json() == text


def test_attributes_carry_the_values() -> None:
    result = Result.from_json(BOTH_LEGS.read_text(encoding="utf-8"))
    doc = json.loads(BOTH_LEGS.read_text(encoding="utf-8"))
    assert result.best is not None and result.best.index == doc["best_rep"]
    assert result.legs["left"].tibial_inclination_deg == doc["legs"]["left"]["tibial_inclination_deg"]
    assert result.reps[2].knee_to_wall_cm == doc["reps"][2]["knee_to_wall_cm"]
    assert result.scale is not None and result.scale.legs is not None
    assert result.scale.legs["right"].marker is not None
    assert result.scale.legs["right"].marker.frames_with_marker == doc["scale"]["legs"]["right"]["frames_with_marker"]


def _doc() -> dict:
    return json.loads(BOTH_LEGS.read_text(encoding="utf-8"))


def _with(path: list[str | int], value: object) -> str:
    """The both-legs result with one value replaced (path of keys and list indices)."""
    doc = _doc()
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return json.dumps(doc)


def _without(path: list[str | int]) -> str:
    doc = _doc()
    node = doc
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return json.dumps(doc)


BROKEN = [
    ("not json", "{", "not valid JSON"),
    ("empty", "", "not valid JSON"),
    ("not utf-8", b"\xff\xfe\x00\x01", "not valid JSON"),
    ("a list", "[1, 2]", "not an ankle-cv result.json"),
    ("NaN", json.dumps(_doc()).replace('"fps": 30.0', '"fps": NaN'), "NaN"),
    ("infinity by overflow", json.dumps(_doc()).replace('"fps": 30.0', '"fps": 1e999'), "input.fps"),
    ("huge integer", json.dumps(_doc()).replace('"frames": 420', '"frames": ' + "9" * 5000), "not valid JSON"),
    ("large integer", _with(["input", "frames"], 10**30), "input.frames"),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("deep nesting inside", json.dumps(_doc())[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
    ("unknown field", _with(["reps", 0, "extra"], 1), "reps[0].extra: unknown field"),
    ("missing field", _without(["quality"]), "quality: missing"),
    ("missing in a rep", _without(["reps", 1, "peak_s"]), "reps[1].peak_s: missing"),
    ("string for number", _with(["reps", 0, "peak_s"], "1.5"), "reps[0].peak_s: expected a number"),
    ("bool for int", _with(["input", "frames"], True), "input.frames: expected a whole number"),
    ("float for int", _with(["reps", 0, "peak_frame"], 3.5), "reps[0].peak_frame: expected a whole number"),
    ("number for bool", _with(["reps", 0, "valid"], 1), "reps[0].valid: expected true or false"),
    ("bad side", _with(["side"], "up"), "side: expected one of"),
    ("bad leg key", _with(["legs"], {"middle": _doc()["legs"]["left"]}), "legs key"),
    ("angle out of range", _with(["reps", 0, "tibial_inclination_deg"], 400.0), "reps[0].tibial_inclination_deg"),
    ("fraction out of range", _with(["quality", "pose_detected_fraction"], 3.0), "quality.pose_detected_fraction"),
    ("wrong schema", _with(["schema_version"], 2), "schema_version: 2 is not supported"),
    ("schema as text", _with(["schema_version"], "1"), "schema_version"),
    ("list for object", _with(["input"], [[[]]]), "input: expected an object"),
    ("null reasons", _with(["reps", 0, "invalid_reasons"], None), "reps[0].invalid_reasons"),
    ("nested reasons", _with(["reps", 0, "invalid_reasons"], [["x"]]), "reps[0].invalid_reasons[0]"),
    ("dangling best rep", _with(["best_rep"], 99), "best_rep: no rep has index 99"),
    ("leg's rep on the other side", _with(["legs", "left", "best_rep"], 1), "legs.left.best_rep"),
    ("half a distance group", _without(["reps", 0, "knee_touches_wall"]), "reps[0].knee_touches_wall: missing"),
    ("bad scale details", _with(["scale", "legs", "left", "marker_id"], "zero"), "scale.legs.left.marker_id"),
]


@pytest.mark.parametrize(("name", "text", "names"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_results_give_one_line_naming_the_field(name: str, text: str | bytes, names: str) -> None:
    with pytest.raises(ResultFormatError) as err:
        Result.from_json(text)
    message = str(err.value)
    assert names in message and "\n" not in message and len(message) < 300, message
    assert isinstance(err.value, InputError) and err.value.exit_code == 2
