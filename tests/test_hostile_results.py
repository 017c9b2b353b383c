"""Damaged or hostile result.json files into `report`, `export` and `history add`: one line, a documented exit code.

Each case of issue 17 is a row below (the README's table of bad inputs lists them); then a hypothesis
fuzz test feeds hundreds of mutated files to the three commands in-process (CliRunner): no traceback,
no hang (a per-file alarm), bounded memory (an address-space limit while it runs). The fuzzed report
draws its page at a low resolution to stay fast: the drawing (where a 1e308° axis once tried to lay
out 24 GB of ticks) still runs, only the pixels are fewer.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import re
import resource
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankle_cv.cli import main
from ankle_cv.results.plausible import PLAUSIBLE
from tests.conftest import REPO

PHYSIO = REPO / "tests" / "data" / "physio"
ONE_LEG = json.loads((PHYSIO / "sample_right" / "result.json").read_text())
TWO_LEGS = json.loads((PHYSIO / "d12_both" / "result.json").read_text())


def _no_measurement(doc: dict[str, Any]) -> dict[str, Any]:
    """The same file as analyze writes it when no rep is valid (exit 3)."""
    doc = copy.deepcopy(doc)
    doc["best_rep"] = None
    doc["legs"] = {}
    doc["result"] = {k: None for k in doc["result"]} | {"norms": doc["result"]["norms"],
                                                        "no_measurement_reason": "no valid rep"}
    return doc


def _edit(doc: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> str:
    """A copy of doc changed in place by `change`, as JSON text."""
    doc = copy.deepcopy(doc)
    change(doc)
    return json.dumps(doc)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change setting the dotted path ("reps.0.heel_lift_mm") to value."""
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value
    return change


BASE_TEXT = json.dumps(ONE_LEG)


def _raw(token: str) -> str:
    """result.json with the result's sd_deg written as a raw token (not something json.dumps would write)."""
    return re.sub(r'"sd_deg": [^,}]+', f'"sd_deg": {token}', BASE_TEXT, count=1)

# (case, result.json text, {command: (exit code, words in the one-line message)})
REFUSED = {"report": 2, "export": 2, "history": 2}
CASES: list[tuple[str, str, dict[str, int], str]] = [
    ("angle 1e308", _edit(ONE_LEG, _set("result.tibial_inclination_deg", 1e308)), REFUSED,
     "result.tibial_inclination_deg: 1e+308 is outside [-30, 80]"),
    ("angle 1e5", _edit(ONE_LEG, _set("result.tibial_inclination_deg", 1e5)), REFUSED, "result.tibial_inclination_deg: 100000.0 is outside [-30, 80]"),
    ("angle -400", _edit(ONE_LEG, _set("legs.right.tibial_inclination_deg", -400)), REFUSED,
     "legs.right.tibial_inclination_deg: -400.0 is outside [-30, 80]"),
    ("NaN", _raw("NaN"), REFUSED, "not valid JSON (NaN is not a JSON number)"),
    ("Infinity", _raw("Infinity"), REFUSED, "not valid JSON (Infinity is not a JSON number)"),
    ("1e999", _raw("1e999"), REFUSED, "result.sd_deg: expected a finite number, got inf"),
    ("schema_version 99", _edit(ONE_LEG, _set("schema_version", 99)), REFUSED, "schema_version: 99 is not supported"),
    ("text in a number", _edit(ONE_LEG, _set("result.mean_deg", "38")), REFUSED, "result.mean_deg: expected a number, got a string"),
    ("reps as an object", _edit(ONE_LEG, _set("reps", {"1": {}})), REFUSED, "reps: expected a list, got an object"),
    ("legs as a list", _edit(ONE_LEG, _set("legs", [1])), REFUSED, "legs: expected an object, got a list"),
    ("path as a number", _edit(ONE_LEG, _set("input.path", 7)), REFUSED, "input.path: expected a string, got a number"),
    ("5000-digit integer", BASE_TEXT.replace('"schema_version": 1', '"schema_version": ' + "9" * 5000, 1), REFUSED,
     "Exceeds the limit (4300 digits)"),
    ("deep nesting", BASE_TEXT[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}", REFUSED, "nested too deeply"),
    ("heel rise 519 mm", _edit(ONE_LEG, _set("reps.0.heel_lift_mm", 519.0)), REFUSED,
     "reps[0].heel_lift_mm: 519.0 is outside [-30, 120]"),
    ("best_rep naming no rep", _edit(ONE_LEG, _set("best_rep", 42)), REFUSED, "best_rep: no rep has index 42"),
    ("unknown category", _edit(ONE_LEG, _set("result.category", "excellent")), REFUSED, "result.category: expected one of 'restricted', 'borderline', 'normal', got 'excellent'"),
    ("measurement without legs", _edit(ONE_LEG, lambda d: d.pop("legs")), REFUSED, "legs: missing"),
    ("not JSON", "{\"schema_version\": 1,", REFUSED, "not valid JSON"),
    ("not a result", json.dumps([1, 2]), REFUSED, "not an ankle-cv result.json"),
    ("no valid measurement (exit-3 result)", json.dumps(_no_measurement(ONE_LEG)),
     {"report": 3, "export": 3, "history": 3}, "valid measurement"),
]


def _run(runner: CliRunner, command: str, result: Path, work: Path) -> Result:
    """One of the three commands on a result.json (fresh outputs each time)."""
    if command == "report":
        args = ["report", str(result), "--out", str(work / "report.pdf"), "--force"]
    elif command == "export":
        args = ["export", str(result), "--fhir"]
    else:
        args = ["history", "add", str(result), "--patient-id", "P-1", "--db", str(work / "history.db")]
    return runner.invoke(main, args, catch_exceptions=True)


def _said(outcome: Result) -> list[str]:
    """What a command said on stderr but its warnings (a report written with exit 3 also lists its files on stdout)."""
    return [ln for ln in outcome.stderr.strip().splitlines() if not ln.startswith("ankle-cv: warning:")]


def _one_line_or_output(outcome: Result) -> None:
    """No traceback: a SystemExit from the CLI's own error path, or a clean return."""
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), repr(outcome.exception)
    assert "Traceback" not in outcome.output


@pytest.mark.parametrize(("case", "text", "codes", "words"), CASES, ids=[c[0] for c in CASES])
def test_hostile_result_gives_one_line_and_its_exit_code(tmp_path: Path, case: str, text: str,
                                                         codes: dict[str, int], words: str) -> None:
    result = tmp_path / "run" / "result.json"
    result.parent.mkdir()
    result.write_text(text, encoding="utf-8")
    runner = CliRunner()
    for command, code in codes.items():
        if command == "report" and code == 0:
            continue  # drawing a whole page is covered by tests/report; here only the refusals
        outcome = _run(runner, command, result, tmp_path)
        _one_line_or_output(outcome)
        assert outcome.exit_code == code, (command, outcome.output)
        if code:
            lines = _said(outcome)
            assert len(lines) == 1 and lines[0].startswith("ankle-cv: error: ") and words in lines[0], lines
    assert not (tmp_path / "report.pdf").exists() or codes["report"] in (0, 3)  # 3: written, saying why
    if codes["history"]:
        assert not (tmp_path / "history.db").exists()  # nothing stored, not even an empty database


def test_export_never_writes_nan_or_impossible_values() -> None:
    """Whatever passes the check exports as strict JSON with every number inside its physiological range."""
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        for doc in (ONE_LEG, TWO_LEGS):
            path = Path(tmp) / "result.json"
            path.write_text(json.dumps(doc))
            outcome = runner.invoke(main, ["export", str(path), "--fhir"])
            assert outcome.exit_code == 0, outcome.output
            exported = json.loads(outcome.output, parse_constant=lambda c: pytest.fail(f"{c} in the export"))
            assert _numbers(exported)
            assert all(math.isfinite(v) and abs(v) < 1e6 for v in _numbers(exported))


def _numbers(node: Any) -> list[float]:
    """Every number in a JSON document."""
    if isinstance(node, dict):
        return [v for x in node.values() for v in _numbers(x)]
    if isinstance(node, list):
        return [v for x in node for v in _numbers(x)]
    return [float(node)] if isinstance(node, (int, float)) and not isinstance(node, bool) else []


# ------------------------------------------------------------------------------------------ fuzz

EXAMPLES = 300
DRAWN_EXAMPLES = 25
ALARM_S = 20.0  # one mutated file through the three commands; a hang fails here
ADDRESS_SPACE_HEADROOM = 3 * 1024**3  # the fuzz may use 3 GB more than the process had (1e308 ticks wanted 24 GB)

LEAF_PATHS = [
    "schema_version", "input.path", "input.width", "input.duration_s", "side", "foot_to_wall_cm", "best_rep",
    "reps", "reps.0", "reps.0.index", "reps.0.side", "reps.0.peak_s", "reps.0.tibial_inclination_deg",
    "reps.0.heel_lift_mm", "reps.0.valid", "reps.0.invalid_reasons", "result", "result.tibial_inclination_deg",
    "result.mean_deg", "result.sd_deg", "result.category", "result.no_measurement_reason",
    "result.equivalent_toe_to_wall_cm", "legs", "legs.right", "legs.right.best_rep", "legs.right.reps_valid",
    "legs.right.reps_total", "legs.right.tibial_inclination_deg", "legs.right.category", "quality",
    "quality.warnings", "quality.usable_frame_fraction", "method", "settings",
]
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -1, 1e308, -1e308, 5e-324, 1e5, -400.0, 79.9, 80.1, 119.9, 500.0]),
)
texts = st.one_of(st.text(max_size=30), st.sampled_from(["$x$", "Paid $10 copay, $5 parking", "张伟", "\x00", "a" * 6000,
                                                          "left", "right", "normal", "NaN"]))
values = st.recursive(st.none() | st.booleans() | numbers | texts,
                      lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
                      max_leaves=8)
RAW_TOKENS = ["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000, "[" * 3000, "{\"a\":" * 40 + "1" + "}" * 40, ""]


@st.composite
def mutated_result(draw: st.DrawFn) -> str:
    """A result.json text with a few fields replaced, removed or corrupted at the text level."""
    doc = copy.deepcopy(draw(st.sampled_from([ONE_LEG, TWO_LEGS, _no_measurement(ONE_LEG)])))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(LEAF_PATHS))
        *parents, last = path.split(".")
        node: Any = doc
        try:
            for key in parents:
                node = node[int(key)] if isinstance(node, list) else node[key]
            key: Any = int(last) if isinstance(node, list) else last
            if draw(st.booleans()) and isinstance(node, dict):
                node.pop(key, None)
            else:
                node[key] = draw(values)
        except (KeyError, IndexError, TypeError, ValueError):
            continue
    text = json.dumps(doc)
    how = draw(st.sampled_from(["as is", "token", "truncate"]))
    if how == "token":
        marker = '"sd_deg": '
        at = text.find(marker)
        if at >= 0:
            end = at + len(marker)
            stop = min(i for i in (text.find(",", end), text.find("}", end)) if i >= 0)
            text = text[:end] + draw(st.sampled_from(RAW_TOKENS)) + text[stop:]
    elif how == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    return text


class _Hang(Exception):
    """Raised by the alarm: a command took too long."""


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Fail a block that runs longer than `seconds` (the CLI runs on this, the main, thread)."""
    def ring(signum: int, frame: object) -> None:
        raise _Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def _address_space_limit(extra_bytes: int) -> Iterator[None]:
    """Cap this process's address space at its current size + extra while the block runs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        current = int(fh.read().split()[0]) * resource.getpagesize()
    limit = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _stub_pages(monkeypatch: pytest.MonkeyPatch, draw: bool) -> None:
    """The report builds its page; drawn at 12 dots per inch (all the layout, few pixels), or not drawn at all."""
    import ankle_cv.report.writer as writer

    def save(fig: Any, pdf_path: Path, png_path: Path) -> None:
        if draw:
            fig.set_dpi(12)
            fig.canvas.draw()
        pdf_path.write_bytes(b"%PDF-1.4\n")
        png_path.write_bytes(b"")

    monkeypatch.setattr(writer, "save_page", save)
    if not draw:
        monkeypatch.setattr(writer, "build_html", lambda content, images: "<html></html>")
    else:
        from ankle_cv.report import html

        monkeypatch.setattr(html, "IMG_DPI", 12)


def _fuzz_one(text: str, commands: tuple[str, ...]) -> None:
    """One mutated file through the commands: exit 0, 2 or 3 with one line; strict JSON from export."""
    runner = CliRunner()
    work = Path(tempfile.mkdtemp(prefix="ankle-cv-fuzz-"))
    try:
        result = work / "result.json"
        result.write_text(text, encoding="utf-8")
        with _address_space_limit(ADDRESS_SPACE_HEADROOM), _alarm(ALARM_S):
            outcomes = {c: _run(runner, c, result, work) for c in commands}
        for command, outcome in outcomes.items():
            _one_line_or_output(outcome)
            assert outcome.exit_code in (0, 2, 3), (command, outcome.exit_code, outcome.output[-300:])
            if outcome.exit_code:
                assert len(_said(outcome)) == 1, (command, outcome.output[-300:])
        exported = outcomes.get("export")
        if exported is not None and exported.exit_code == 0:
            doc = json.loads(exported.output, parse_constant=lambda c: pytest.fail(f"{c} in the export"))
            assert all(math.isfinite(v) and abs(v) < 1e7 for v in _numbers(doc))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _fuzz_settings(examples: int) -> settings:
    """Fixed examples (derandomized: the same files every run), no per-example deadline (the alarm is the limit)."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, suppress_health_check=[
        HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
LINUX_ONLY = pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the memory cap reads /proc (Linux)")


@LINUX_ONLY
@_fuzz_settings(EXAMPLES)
@given(text=mutated_result())
def test_fuzzed_results_never_crash_hang_or_swell(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """export, history add and report (its page built, not drawn) on hundreds of mutated files."""
    _stub_pages(monkeypatch, draw=False)
    _fuzz_one(text, ("export", "history", "report"))


@LINUX_ONLY
@_fuzz_settings(DRAWN_EXAMPLES)
@given(text=mutated_result())
def test_fuzzed_results_draw_a_page_or_are_refused(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Fewer files through the whole drawing of the page and the HTML's figures (at a low resolution)."""
    _stub_pages(monkeypatch, draw=True)
    _fuzz_one(text, ("report",))


def test_plausible_ranges_cover_every_measured_field() -> None:
    """The angles, heel rise and distances a clinician reads all have a physiological range."""
    for name in ("tibial_inclination_deg", "ankle_dorsiflexion_deg", "heel_lift_mm", "knee_to_wall_cm",
                 "equivalent_toe_to_wall_cm", "mean_deg", "sd_deg"):
        low, high = PLAUSIBLE[name]
        assert low < high
