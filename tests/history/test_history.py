"""The history database: default location, private file, round trip, duplicates, concurrent writers, MDC."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.errors import InputError
from ankle_cv.history.store import (
    HistoryEntry,
    add_result_file,
    change_words,
    check_date,
    check_patient_id,
    default_db_path,
    latest_changes,
    open_db,
    patient_entries,
    table_lines,
)

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "physio"
REPO = Path(__file__).resolve().parents[2]


def entry(date: str, side: str, deg: float | None, cm: float | None = None, sha: str = "", added: str = "t") -> HistoryEntry:
    """A stored leg."""
    return HistoryEntry("P1", date, side, deg, deg, 0.5 if deg else None, cm, None, 2 if deg else 0, 2, "r.json",
                        sha or f"{date}{side}", "0.1.0", added)


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {}, "/home/u/.local/share/ankle-cv/history.sqlite"),
        ("linux", {"XDG_DATA_HOME": "/data/xdg"}, "/data/xdg/ankle-cv/history.sqlite"),
        ("linux", {"XDG_DATA_HOME": "relative/ignored"}, "/home/u/.local/share/ankle-cv/history.sqlite"),
        ("darwin", {"XDG_DATA_HOME": "/data/xdg"}, "/home/u/Library/Application Support/ankle-cv/history.sqlite"),
        ("win32", {"LOCALAPPDATA": "/c/Users/u/AppData/Local"}, "/c/Users/u/AppData/Local/ankle-cv/history.sqlite"),
    ],
)
def test_default_db_path(platform: str, env: dict[str, str], expected: str) -> None:
    assert default_db_path(env, platform, Path("/home/u")) == Path(expected)


def test_round_trip_private_file_and_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "new" / "history.sqlite"
    both = FIXTURES / "d12_both" / "result.json"
    assert add_result_file(db, both, "P-0042", "2026-10-06") == 2
    assert add_result_file(db, both, "P-0042", "2026-10-06") == 0  # the same result is stored once
    assert add_result_file(db, FIXTURES / "sample_left" / "result.json", "P-0042", "2026-11-01") == 1
    assert add_result_file(db, FIXTURES / "sample_right" / "result.json", "someone-else", "2026-11-01") == 1
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    for extra in db.parent.glob("history.sqlite-*"):  # WAL side files get the database's permissions
        assert stat.S_IMODE(extra.stat().st_mode) == 0o600, extra
    rows = patient_entries(db, "P-0042")
    d12 = json.loads(both.read_text())
    assert [(e.session_date, e.side) for e in rows] == [("2026-10-06", "left"), ("2026-10-06", "right"), ("2026-11-01", "left")]
    for e in rows[:2]:
        leg = d12["legs"][e.side]
        assert (e.tibial_inclination_deg, e.mean_deg, e.sd_deg, e.category, e.reps_valid, e.reps_total) == (
            leg["tibial_inclination_deg"], leg["mean_deg"], leg["sd_deg"], leg["category"], leg["reps_valid"], leg["reps_total"])
    assert rows[0].result_path == str(both.resolve())
    assert patient_entries(tmp_path / "absent.sqlite", "P-0042") == []


def test_not_a_database_is_a_clear_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "history.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="history.sqlite: not a usable ankle-cv history database"):
        with open_db(bad):
            pass


WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {repo!r})
    from ankle_cv.history.store import HistoryEntry, add_entries
    db, who, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
    while time.time() < start:
        time.sleep(0.001)
    for i in range(15):
        e = HistoryEntry("P1", f"2026-01-{{i + 1:02d}}", "left" if who == "a" else "right", 30.0 + i, None, None, None,
                         None, 1, 1, who, f"{{who}}{{i}}", "0.1.0", "t")
        assert add_entries(db, [e]) == 1
    print("ok")
""")


def test_two_processes_adding_at_once_both_succeed(tmp_path: Path) -> None:
    """Two writers start at the same instant on a database that does not exist yet."""
    db = tmp_path / "history.sqlite"
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(repo=str(REPO)))
    start = f"{time.time() + 1.5:.3f}"  # both are past their imports by then
    procs = [subprocess.Popen([sys.executable, str(script), str(db), who, start], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for who in ("a", "b")]
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0 and out.strip() == "ok", err
    rows = patient_entries(db, "P1")
    assert len(rows) == 30
    assert {e.side for e in rows} == {"left", "right"}
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        # (date, side, deg, cm) ...  -> [(side, change_deg, real, basis)]
        ([("2026-01-01", "left", 30.0, None)], []),
        ([("2026-01-01", "left", 30.0, None), ("2026-02-01", "left", 34.7, None)], [("left", 4.7, False, "deg")]),
        ([("2026-01-01", "left", 30.0, None), ("2026-02-01", "left", 34.8, None)], [("left", 4.8, True, "deg")]),
        ([("2026-01-01", "right", 40.0, None), ("2026-02-01", "right", 34.0, None)], [("right", -6.0, True, "deg")]),
        # a session without a valid rep is skipped: the change is against the last measured one
        ([("2026-01-01", "left", 30.0, None), ("2026-02-01", "left", None, None), ("2026-03-01", "left", 31.0, None)],
         [("left", 1.0, False, "deg")]),
        # centimetres known on both visits: judged against the 1.9 cm MDC even when degrees moved a lot
        ([("2026-01-01", "left", 30.0, 9.0), ("2026-02-01", "left", 36.0, 10.8)], [("left", 6.0, False, "cm")]),
        ([("2026-01-01", "left", 30.0, 9.0), ("2026-02-01", "left", 32.0, 11.0)], [("left", 2.0, True, "cm")]),
    ],
)
def test_latest_change_against_mdc(history: list[tuple], expected: list[tuple]) -> None:
    entries = [entry(d, s, deg, cm) for d, s, deg, cm in history]
    got = [(c.side, round(c.change_deg, 1), c.real, c.basis) for c in latest_changes(entries)]
    assert got == expected


def test_table_one_line_per_leg_and_session() -> None:
    lines = table_lines([entry("2026-01-01", "left", 30.9, added="1"), entry("2026-01-01", "right", 36.2, added="2"),
                         entry("2026-02-01", "left", None, added="3"), entry("2026-02-01", "left", 34.1, added="4")])
    assert lines[0].split()[:2] == ["date", "leg"]
    body = lines[2:]
    assert len(body) == 4
    assert body[0].split()[:2] == ["2026-01-01", "left"] and "30.9°" in body[0]
    assert body[1].split()[:2] == ["2026-01-01", "right"] and "36.2°" in body[1]
    assert "no valid rep" in body[2] and body[2].endswith("0/2")
    assert "34.1°" in body[3]


GOLDEN = Path(__file__).resolve().parents[1] / "golden"
D12 = GOLDEN / "d12_f30_both_markerside_R40_L33" / "result.json"  # both legs, a scale, 95 % intervals


def test_each_category_beside_the_number_it_judges(tmp_path: Path) -> None:
    """The stored inclinometer angle and distance carry the categories result.json judged on them, as analyze words them."""
    from ankle_cv.protocol.norms import category_words

    db = tmp_path / "h.sqlite"
    assert add_result_file(db, D12, "P", "2026-10-06") == 2
    stored = json.loads(D12.read_text())["legs"]
    rows = {e.side: e for e in patient_entries(db, "P")}
    lines = table_lines(list(rows.values()))
    for side, leg in stored.items():
        e = rows[side]
        assert (e.inclinometer_equivalent_deg, e.category, e.distance_category) == (
            leg["inclinometer_equivalent_deg"], leg["category"], leg["distance_category"])
        assert e.category_ci95 == tuple(leg["category_ci95"])
        line = next(x for x in lines if x.split()[1:2] == [side])
        angle = f"{leg['inclinometer_equivalent_deg']:.1f}° → {category_words(leg['category'], leg['category_ci95'])}"
        cm = f"{e.distance_cm:.1f} cm → {category_words(leg['distance_category'], leg['distance_category_ci95'])}"
        assert angle in line and cm in line
        assert f"{leg['tibial_inclination_deg']:.1f}°" in line
    # the left leg: 8.6 cm is restricted by the centimetre cut-offs while its angle is borderline: each beside its own
    assert rows["left"].distance_category != rows["left"].category


V1_SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL, session_date TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('left', 'right')), tibial_inclination_deg REAL, mean_deg REAL, sd_deg REAL,
    distance_cm REAL, category TEXT, reps_valid INTEGER NOT NULL, reps_total INTEGER NOT NULL, result_path TEXT NOT NULL,
    result_sha256 TEXT NOT NULL, ankle_cv_version TEXT, added_utc TEXT NOT NULL,
    UNIQUE (patient_id, result_sha256, side));
CREATE INDEX sessions_by_patient ON sessions (patient_id, session_date);
INSERT INTO sessions (patient_id, session_date, side, tibial_inclination_deg, mean_deg, sd_deg, distance_cm, category,
    reps_valid, reps_total, result_path, result_sha256, ankle_cv_version, added_utc)
    VALUES ('P', '2026-01-05', 'left', 34.5, 34.0, 0.5, 8.6, 'borderline', 2, 2, '/old/result.json', 'abc', '0.1.0', 't');
PRAGMA user_version = 1;
"""


def make_v1_database(path: Path) -> None:
    """A history file as schema 1 wrote it (no inclinometer angle, no distance category)."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.close()


def test_a_schema_1_database_is_read_then_migrated_without_recomputing(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "h.sqlite"
    make_v1_database(db)
    before = db.read_bytes()
    old = patient_entries(db, "P")  # read as it is: nothing written
    assert db.read_bytes() == before
    assert len(old) == 1 and (old[0].tibial_inclination_deg, old[0].distance_cm, old[0].category) == (34.5, 8.6, "borderline")
    assert (old[0].inclinometer_equivalent_deg, old[0].distance_category, old[0].category_ci95) == (None, None, None)
    shown = CliRunner().invoke(main, ["history", "show", "P", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.output.splitlines() if x.startswith("2026-01-05"))
    assert "– → borderline (angle not stored)" in line  # the category, never beside the joint-centre angle
    assert "8.6 cm → –" in line  # the distance's category was not kept: not recomputed
    assert "restricted" not in line
    # the next write migrates the file: the old row keeps NULL, the new rows carry everything
    assert add_result_file(db, D12, "P", "2026-10-06") == 2
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert conn.execute("SELECT inclinometer_equivalent_deg, distance_category FROM sessions WHERE result_sha256 = 'abc'"
                        ).fetchone() == (None, None)
    conn.close()
    rows = patient_entries(db, "P")
    assert len(rows) == 3 and all(e.inclinometer_equivalent_deg is not None for e in rows[1:])
    assert CliRunner().invoke(main, ["history", "show", "P", "--db", str(db), "--plot", str(tmp_path / "t.png")]).exit_code == 0


def test_a_newer_schema_is_refused_in_one_line(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "h.sqlite"
    make_v1_database(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    for args in (["history", "show", "P", "--db", str(db)],
                 ["history", "add", str(D12), "--patient-id", "P", "--db", str(db)]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 2, res.output
        assert res.output.strip() == (f"ankle-cv: error: {db}: database schema 7 is newer than this ankle-cv "
                                      "understands (2); update ankle-cv to read it")


@pytest.mark.parametrize("bad", ["", "   ", "x" * 200, "a\nb"])
def test_patient_id_checked(bad: str) -> None:
    with pytest.raises(InputError, match="--patient-id"):
        check_patient_id(bad)


def test_date_checked() -> None:
    assert check_date("2026-03-04") == "2026-03-04"
    with pytest.raises(InputError, match="--date"):
        check_date("04/03/2026")


def test_cli_add_show_and_plot(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    runner = CliRunner()
    r1 = runner.invoke(main, ["history", "add", str(FIXTURES / "sample_left" / "result.json"),
                              str(FIXTURES / "sample_right" / "result.json"), "--patient-id", "P-7", "--db", str(db),
                              "--date", "2026-09-01"])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(main, ["history", "add", str(FIXTURES / "d12_both"), "--patient-id", "P-7", "--db", str(db),
                              "--date", "2026-10-06"])
    assert r2.exit_code == 0, r2.output
    plot = tmp_path / "trend.png"
    r3 = runner.invoke(main, ["history", "show", "P-7", "--db", str(db), "--plot", str(plot)])
    assert r3.exit_code == 0, r3.output
    # results made before the inclinometer-equivalent angle: the category, and that its angle was not kept
    assert "2026-09-01  left   – → normal (angle not stored)" in r3.output and "38.8°" in r3.output
    assert "each category is judged on the number before its arrow" in r3.output  # not on the joint-centre ° shown
    assert "Left: joint-centre -4.7° since 2026-09-01, within the 4.7° MDC" in r3.output  # no inclinometer angle kept
    assert "Right: joint-centre +3.0° since 2026-09-01, within the 4.7° MDC" in r3.output
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r4 = runner.invoke(main, ["history", "show", "nobody", "--db", str(db)])
    assert r4.exit_code == 0 and "no sessions stored for nobody" in r4.output
    # a mistyped --db said "no sessions stored for P-7" (exit 0): the clinician read it as a patient without history
    r6 = runner.invoke(main, ["history", "show", "P-7", "--db", str(tmp_path / "histroy.sqlite")])
    assert r6.exit_code == 2 and "histroy.sqlite: no history database there" in r6.output
    assert not (tmp_path / "histroy.sqlite").exists()
    r7 = runner.invoke(main, ["report", str(FIXTURES / "sample_left" / "result.json"), "--patient-id", "P-7",
                              "--history-db", str(tmp_path / "histroy.sqlite"), "--out", str(tmp_path / "visit.pdf")])
    assert r7.exit_code == 2 and "histroy.sqlite: no history database there" in r7.output
    assert not (tmp_path / "visit.pdf").exists()
    r5 = runner.invoke(main, ["history", "add", str(tmp_path / "missing.json"), "--patient-id", "P-7", "--db", str(db)])
    assert r5.exit_code == 2 and "missing.json: no such file" in r5.output
    assert os.listdir(tmp_path).count("trend.png") == 1


def test_cli_add_refuses_a_result_without_a_valid_measurement(tmp_path: Path) -> None:
    """analyze's exit-3 result (no valid rep) is not a session to store: exit 3, and nothing of the batch is added."""
    failed = json.loads((FIXTURES / "sample_left" / "result.json").read_text())
    failed["best_rep"] = None
    failed["result"]["no_measurement_reason"] = "no valid rep: heel lifted in the hold"
    for leg in failed["legs"].values():
        leg["best_rep"] = leg["tibial_inclination_deg"] = None
    (tmp_path / "failed").mkdir()
    (tmp_path / "failed" / "result.json").write_text(json.dumps(failed))
    db = tmp_path / "h.sqlite"
    res = CliRunner().invoke(main, ["history", "add", str(FIXTURES / "sample_right" / "result.json"),
                                    str(tmp_path / "failed" / "result.json"), "--patient-id", "P-7", "--db", str(db)])
    assert res.exit_code == 3, res.output
    assert "holds no valid measurement, so nothing was added: no valid rep: heel lifted in the hold" in res.output
    assert not db.exists() or patient_entries(db, "P-7") == []


def test_plot_replaces_only_its_own_trend_plot(tmp_path: Path) -> None:
    """`--plot out/summary.png` must not replace an analysis's picture; an earlier trend plot is replaced; --force."""
    db = tmp_path / "h.sqlite"
    runner = CliRunner()
    assert runner.invoke(main, ["history", "add", str(FIXTURES / "sample_left" / "result.json"), "--patient-id", "P-7",
                                "--db", str(db), "--date", "2026-09-01"]).exit_code == 0
    other = tmp_path / "summary.png"
    from PIL import Image

    Image.new("RGB", (8, 8), "white").save(other)  # a PNG that is not a trend plot (an analysis's summary.png)
    before = other.read_bytes()
    show = ["history", "show", "P-7", "--db", str(db), "--plot"]
    refused = runner.invoke(main, [*show, str(other)])
    assert refused.exit_code == 2 and "not an earlier trend plot" in refused.output
    assert other.read_bytes() == before
    trend = tmp_path / "trend.png"
    assert runner.invoke(main, [*show, str(trend)]).exit_code == 0
    again = runner.invoke(main, [*show, str(trend)])  # its own earlier plot: replaced without --force
    assert again.exit_code == 0, again.output
    assert runner.invoke(main, [*show, str(other), "--force"]).exit_code == 0
    assert other.read_bytes() != before
    assert runner.invoke(main, [*show, str(db), "--force"]).exit_code == 2  # never the database


def test_the_change_is_judged_on_the_inclinometer_angle_when_both_visits_kept_it() -> None:
    """The MDC (4.7°) is an inclinometer's; the joint-centre change only stands in when an older visit lacks that angle."""
    from dataclasses import replace

    first, second = entry("2026-01-01", "left", 30.0), entry("2026-02-01", "left", 34.0)  # joint-centre +4.0°: within
    (jc,) = latest_changes([first, second])
    assert (jc.angle, round(jc.change_deg, 1), jc.real) == ("joint-centre", 4.0, False)
    both = [replace(first, inclinometer_equivalent_deg=33.0), replace(second, inclinometer_equivalent_deg=38.0)]
    (incl,) = latest_changes(both)
    assert (incl.angle, round(incl.change_deg, 1), incl.real) == ("inclinometer-equivalent", 5.0, True)
    assert change_words(incl).startswith("Left: inclinometer-equivalent +5.0° since 2026-01-01, beyond the 4.7° MDC")
