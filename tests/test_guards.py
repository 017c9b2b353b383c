"""Small guards of issue 17: impossible numbers never written, camera indices, page text, read-only history, signals."""

from __future__ import annotations

import copy
import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.interrupts import Interrupted, SignalGuard, ending_signals
from ankle_cv.outputs.page_text import MISSING_MARK, PageText
from ankle_cv.results.plausible import drop_implausible
from ankle_cv.results.types import Result
from tests.conftest import REPO

ONE_LEG = json.loads((REPO / "tests" / "data" / "physio" / "sample_right" / "result.json").read_text())


def test_an_impossible_heel_rise_is_written_as_null_with_a_warning() -> None:
    doc = copy.deepcopy(ONE_LEG)
    doc["reps"][1]["heel_lift_mm"] = 519.0  # the dark clip of issue 17
    warnings: list[str] = []
    drop_implausible(doc, warnings.append)
    assert doc["reps"][1]["heel_lift_mm"] is None
    assert warnings == ["rep 2: heel_lift_mm 519 is physiologically impossible (outside -30..120): "
                        "a measuring fault; not reported"]
    Result.from_obj(doc)  # what analyze writes always passes the reader's check


def test_an_impossible_best_angle_becomes_no_measurement() -> None:
    doc = copy.deepcopy(ONE_LEG)
    best = doc["best_rep"]
    doc["reps"][best - 1]["tibial_inclination_deg"] = 95.0
    doc["result"]["tibial_inclination_deg"] = 95.0
    doc["legs"]["right"]["tibial_inclination_deg"] = 95.0
    warnings: list[str] = []
    drop_implausible(doc, warnings.append)
    assert doc["best_rep"] is None and doc["legs"] == {} and doc["result"]["category"] is None
    assert doc["reps"][best - 1]["valid"] is False
    assert "physiologically impossible" in doc["result"]["no_measurement_reason"]
    Result.from_obj(doc)


@pytest.mark.parametrize("index", ["-1", "100", "99999999999999999999", "-0000000000000000001"])
def test_live_refuses_a_camera_index_that_cannot_exist(index: str, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["live", "--camera", index, "--headless", "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"ankle-cv: error: --camera {index}: not a camera index (0 to 99) nor a video file; "
        "run `ankle-cv cameras` to list the cameras that work"]
    assert not (tmp_path / "o").exists()


def test_page_text_keeps_dollars_and_marks_characters_no_font_has() -> None:
    import matplotlib

    from ankle_cv.outputs import page_text  # noqa: F401 - importing ankle_cv.outputs turns mathtext off

    assert matplotlib.rcParams["text.parse_math"] is False and matplotlib.rcParams["text.usetex"] is False
    text = PageText()
    assert text.printable("Paid $10 copay, $5 parking") == "Paid $10 copay, $5 parking"
    assert text.missing == set()
    private = "\U000f0001"  # a private-use plane character: no font has it
    assert text.printable(f"A{private}B") == f"A{MISSING_MARK}B"
    assert text.missing == {private} and private in (text.warning() or "")


def test_page_text_uses_an_installed_font_that_has_the_characters() -> None:
    """A mathematical script letter is not in DejaVu Sans; an installed font with it is added, no '?'."""
    text = PageText()
    assert text.printable("\U0001d49c") in ("\U0001d49c", MISSING_MARK)
    if text.missing:
        pytest.skip("no installed font has U+1D49C here")


def test_report_prints_dollars_literally(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    result = tmp_path / "r" / "result.json"
    result.parent.mkdir()
    result.write_text(json.dumps(ONE_LEG))
    name, notes = "Paid $10 copay, $5 parking", "dose $\\frac{1}{2}$ tablet"
    res = CliRunner().invoke(main, ["report", str(result), "--out", str(tmp_path / "v.pdf"), "--name", name,
                                    "--notes", notes, "--patient-id", "P-$1$"])
    assert res.exit_code == 0, res.output
    page = pypdf.PdfReader(str(tmp_path / "v.pdf")).pages[0].extract_text()
    assert name in page and notes in page and "P-$1$" in page


def test_a_read_only_history_database_can_be_read(tmp_path: Path) -> None:
    """A database on a read-only disk (a read-only bind mount, root only) is read; adding says why it cannot."""
    result = tmp_path / "r" / "result.json"
    result.parent.mkdir()
    result.write_text(json.dumps(ONE_LEG))
    store, view = tmp_path / "store", tmp_path / "view"
    store.mkdir()
    view.mkdir()
    res = CliRunner().invoke(main, ["history", "add", str(result), "--patient-id", "P", "--db", str(store / "h.db")])
    assert res.exit_code == 0, res.output
    mounted = subprocess.run(["mount", "--bind", str(store), str(view)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root): no read-only disk to test on")
    try:
        remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True, check=False)
        if remount.returncode != 0:
            pytest.skip("cannot make the bind mount read-only here")
        res = CliRunner().invoke(main, ["history", "show", "P", "--db", str(view / "h.db")])
        assert res.exit_code == 0, res.output
        assert f"{ONE_LEG['legs']['right']['tibial_inclination_deg']}°" in res.output
        res = CliRunner().invoke(main, ["history", "add", str(result), "--patient-id", "Q", "--db", str(view / "h.db")])
        assert res.exit_code == 2
        assert res.output.strip() == (f"ankle-cv: error: {view / 'h.db'}: cannot write to the history database "
                                      "(Read-only file system); reading it still works")
    finally:
        subprocess.run(["umount", str(view)], check=False)


def test_signal_guard_raises_once_then_waits() -> None:
    guard = SignalGuard(notice="")
    with pytest.raises(Interrupted) as first:
        guard.handle(signal.SIGTERM, None)
    assert first.value.exit_code == 143
    guard.handle(signal.SIGINT, None)  # a second signal is counted, not raised
    assert guard.received == [signal.SIGTERM, signal.SIGINT] and guard.first == signal.SIGTERM
    fresh = SignalGuard(notice="")
    with fresh.disarmed():
        fresh.handle(signal.SIGHUP, None)  # while writing: counted only
    assert fresh.first == signal.SIGHUP and not fresh.armed


def test_ending_signals_restores_the_previous_handlers() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with ending_signals() as guard:
        assert signal.getsignal(signal.SIGTERM) == guard.handle
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_signal_a_library_turned_into_its_own_error_still_ends_as_the_signal() -> None:
    """matplotlib's C++ drawing code turns a Ctrl-C's KeyboardInterrupt into "ValueError: Invalid bounding box" (or "Invalid
    affine transformation matrix"): analyze ended with a traceback and exit 1 (tests/test_output_sets.py's signal-while-writing
    test failed now and then). The guard knows it raised: the run ends as the signal, 130."""
    with pytest.raises(Interrupted) as ended, ending_signals() as guard:
        try:
            guard.handle(signal.SIGINT, None)
        except KeyboardInterrupt:
            raise ValueError("Invalid bounding box") from None  # what matplotlib raises in its place
    assert ended.value.exit_code == 130
    with pytest.raises(ValueError), ending_signals():  # no signal: an error stays the error
        raise ValueError("a real fault")


def test_a_signal_swallowed_in_a_weakref_callback_prints_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C landing in a GC or weakref callback (matplotlib's) printed 'Exception ignored in ...' and a traceback; the
    guard keeps it pending (raise_pending ends the run) and says nothing; other unraisable errors are still reported."""
    seen: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(u.exc_value))

    class Dropped:
        def __init__(self, fault: Callable[[], None]) -> None:
            self.fault = fault

        def __del__(self) -> None:
            self.fault()

    def fails() -> None:
        raise RuntimeError("another fault")

    with ending_signals() as guard:
        Dropped(lambda: guard.handle(signal.SIGINT, None))  # dropped at once: its __del__ raises Interrupted
        Dropped(fails)
        with pytest.raises(Interrupted):
            guard.raise_pending()
    assert [type(e) for e in seen] == [RuntimeError]
