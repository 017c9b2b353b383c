"""A patient's sessions over time in a local SQLite file, so a real change can be told from noise.

The database lives in the user's data folder (never uploaded), is created readable by the user only
(0600) and runs in WAL mode with a busy timeout, so two processes adding at once both succeed.
One row per leg per result.json; adding the same result again is a no-op (keyed by its SHA-256).
Schema 2 adds what the table shows beside each category: the inclinometer-equivalent angle (the degree category
judges it) and the distance category; a schema-1 file is migrated when next written (its old rows keep NULL there,
shown as "–", never recomputed) and read as it is until then.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ankle_cv.errors import InputError, NoMeasurementError, OutputError
from ankle_cv.io.output_set import reason_of
from ankle_cv.io.path_text import path_text
from ankle_cv.protocol.asymmetry import legs_of
from ankle_cv.protocol.norms import MDC_CM, MDC_DEG, category_words
from ankle_cv.results.files import read_result_text, result_sha256
from ankle_cv.results.types import Result

DB_NAME = "history.sqlite"
APP_DIR = "ankle-cv"
BUSY_TIMEOUT_S = 30.0
SETUP_RETRIES = 20
MAX_PATIENT_ID_CHARS = 128
SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    patient_id TEXT NOT NULL,
    session_date TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('left', 'right')),
    tibial_inclination_deg REAL,
    mean_deg REAL,
    sd_deg REAL,
    distance_cm REAL,
    category TEXT,  -- judged on inclinometer_equivalent_deg (older results: on the joint-centre angle)
    reps_valid INTEGER NOT NULL,
    reps_total INTEGER NOT NULL,
    result_path TEXT NOT NULL,
    result_sha256 TEXT NOT NULL,
    ankle_cv_version TEXT,
    added_utc TEXT NOT NULL,
    inclinometer_equivalent_deg REAL,
    category_ci95 TEXT,
    distance_category TEXT,
    distance_category_ci95 TEXT,
    UNIQUE (patient_id, result_sha256, side)
);
CREATE INDEX IF NOT EXISTS sessions_by_patient ON sessions (patient_id, session_date);
"""
COLUMNS = (
    "patient_id", "session_date", "side", "tibial_inclination_deg", "mean_deg", "sd_deg", "distance_cm",
    "category", "reps_valid", "reps_total", "result_path", "result_sha256", "ankle_cv_version", "added_utc",
    "inclinometer_equivalent_deg", "category_ci95", "distance_category", "distance_category_ci95",
)
ADDED_IN_V2 = {  # column -> type; NULL in the rows of a schema-1 database
    "inclinometer_equivalent_deg": "REAL", "category_ci95": "TEXT", "distance_category": "TEXT",
    "distance_category_ci95": "TEXT",
}
CI95_SEPARATOR = "|"  # bands a 95 % interval touches, as batch.csv writes them: 'borderline|normal'


@dataclass(frozen=True)
class HistoryEntry:
    """One leg of one session."""

    patient_id: str
    session_date: str  # YYYY-MM-DD
    side: str
    tibial_inclination_deg: float | None
    mean_deg: float | None
    sd_deg: float | None
    distance_cm: float | None  # equivalent toe-to-wall distance when a scale was known
    category: str | None  # judged on inclinometer_equivalent_deg
    reps_valid: int
    reps_total: int
    result_path: str
    result_sha256: str
    ankle_cv_version: str | None
    added_utc: str
    inclinometer_equivalent_deg: float | None = None  # None: not measured, or stored before schema 2
    category_ci95: tuple[str, ...] | None = None  # every band the angle's 95 % interval touches
    distance_category: str | None = None  # judged on distance_cm (None: no scale, or stored before schema 2)
    distance_category_ci95: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Change:
    """A leg's change between its last two measured sessions, judged against the MDC."""

    side: str
    previous_date: str
    latest_date: str
    change_deg: float
    change_cm: float | None
    real: bool  # beyond the minimal detectable change
    basis: str  # "cm" or "deg"
    angle: str = "joint-centre"  # which angle change_deg is: the inclinometer-equivalent one when both visits kept it


def default_db_path(env: Mapping[str, str] | None = None, platform: str | None = None, home: Path | None = None) -> Path:
    """The per-user data folder: XDG_DATA_HOME (Linux), Application Support (macOS), LOCALAPPDATA (Windows)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if platform.startswith("win"):
        base = Path(env.get("LOCALAPPDATA") or env.get("APPDATA") or home / "AppData" / "Local")
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME", "").startswith("/") else home / ".local" / "share"
    return base / APP_DIR / DB_NAME


def check_patient_id(patient_id: str) -> str:
    """The identifier as typed, trimmed; refused when empty, too long or holding control characters."""
    pid = patient_id.strip()
    if not pid:
        raise InputError("--patient-id: the patient identifier is empty")
    if len(pid) > MAX_PATIENT_ID_CHARS:
        raise InputError(f"--patient-id: longer than {MAX_PATIENT_ID_CHARS} characters")
    if any(ord(c) < 32 for c in pid):
        raise InputError("--patient-id: holds control characters")
    return pid


def check_date(text: str) -> str:
    """A YYYY-MM-DD session date, or a clear error."""
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise InputError(f"--date: {text!r} is not a date in the form YYYY-MM-DD") from None


def entries_from_result(
    result: Result, patient_id: str, session_date: str, result_path: str, sha256: str, now_utc: str
) -> list[HistoryEntry]:
    """One entry per tested leg of a result.json (legs without a valid rep are kept, with no angle)."""
    return [
        HistoryEntry(
            patient_id=patient_id, session_date=session_date, side=leg.side,
            tibial_inclination_deg=leg.tibial_inclination_deg, mean_deg=leg.mean_deg, sd_deg=leg.sd_deg,
            distance_cm=leg.distance_cm, category=leg.category, reps_valid=leg.reps_valid, reps_total=leg.reps_total,
            result_path=result_path, result_sha256=sha256, ankle_cv_version=result.ankle_cv_version,
            added_utc=now_utc, inclinometer_equivalent_deg=leg.inclinometer_equivalent_deg,
            category_ci95=leg.category_ci95, distance_category=leg.distance_category if leg.distance_cm is not None else None,
            distance_category_ci95=leg.distance_category_ci95 if leg.distance_cm is not None else None,
        )
        for leg in legs_of(result, result_path)
        if leg.side in ("left", "right")
    ]


def _create_private_file(path: Path) -> None:
    """Make the folder (0700 when new) and the database file (0600) before SQLite opens it."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
    except OSError as exc:
        what = "cannot write to" if path.exists() else "cannot create"
        raise OutputError(f"{path}: {what} the history database ({reason_of(exc, path)}); reading it still works") from None


def newer_schema_error(version: int) -> str:
    """The one line refusing a database written by a newer ankle-cv."""
    return (f"database schema {version} is newer than this ankle-cv understands ({SCHEMA_VERSION}); "
            "update ankle-cv to read it")


def _columns(conn: sqlite3.Connection) -> set[str]:
    """The sessions table's columns."""
    return {row[1] for row in conn.execute("PRAGMA table_info(sessions)").fetchall()}


def _migrate(conn: sqlite3.Connection) -> None:
    """Schema 1 -> 2: the columns added in 2, NULL in the old rows (nothing is recomputed: the numbers were not kept)."""
    present = _columns(conn)
    for column, kind in ADDED_IN_V2.items():
        if column not in present:
            conn.execute(f"ALTER TABLE sessions ADD COLUMN {column} {kind}")


def _setup(conn: sqlite3.Connection) -> None:
    """WAL journal, the schema and its migration; retried because another process may be setting up the same file."""
    for attempt in range(SETUP_RETRIES):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise InputError(newer_schema_error(version))
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                if version < SCHEMA_VERSION:
                    _migrate(conn)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or attempt == SETUP_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


@contextlib.contextmanager
def open_db(path: Path) -> Iterator[sqlite3.Connection]:
    """A ready connection to the history database at path (created private on first use)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a history database file")
    _create_private_file(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise OutputError(f"{path}: cannot open the history database ({exc})") from None
    try:
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            _setup(conn)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise OutputError(f"{path}: the history database stayed locked by another program ({exc})") from None
            raise InputError(f"{path}: not a usable ankle-cv history database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path}: not a usable ankle-cv history database ({exc})") from None
        yield conn
    finally:
        conn.close()


@contextlib.contextmanager
def open_db_for_reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection: reading the history never creates or changes a file (a read-only folder or disk works)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a history database file")
    uri = path.resolve().as_uri()
    conn: sqlite3.Connection | None = None
    error: sqlite3.DatabaseError | None = None
    version = 0
    for mode in ("?mode=ro", "?mode=ro&immutable=1"):  # immutable: a WAL database on a read-only disk
        try:
            conn = sqlite3.connect(uri + mode, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT 1 FROM sessions LIMIT 1").fetchall()
            break
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
                conn = None
            error = exc
    if conn is None:
        raise InputError(f"{path}: not a readable ankle-cv history database ({error})") from None
    try:
        if version > SCHEMA_VERSION:
            raise InputError(f"{path}: {newer_schema_error(version)}")
        yield conn
    finally:
        conn.close()


def add_entries(path: Path, entries: list[HistoryEntry]) -> int:
    """Store entries in one transaction; returns how many were new (repeats of a stored result are skipped)."""
    if not entries:
        return 0
    placeholders = ", ".join("?" for _ in COLUMNS)
    sql = f"INSERT OR IGNORE INTO sessions ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    with open_db(path) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
            before = conn.total_changes
            conn.executemany(sql, [tuple(_stored(getattr(e, c)) for c in COLUMNS) for e in entries])
            added = conn.total_changes - before
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise OutputError(f"{path}: could not add to the history database ({exc})") from None
    return added


def _stored(value: object) -> object:
    """A value as SQLite keeps it: a 95 % interval's bands as 'borderline|normal'."""
    return CI95_SEPARATOR.join(value) if isinstance(value, tuple) else value


def _entry(row: tuple[object, ...]) -> HistoryEntry:
    """A stored row back as an entry (the bands split again)."""
    values = dict(zip(COLUMNS, row))
    for column in ("category_ci95", "distance_category_ci95"):
        text = values[column]
        values[column] = tuple(str(text).split(CI95_SEPARATOR)) if text else None
    return HistoryEntry(**values)  # type: ignore[arg-type]


def patient_entries(path: Path, patient_id: str) -> list[HistoryEntry]:
    """All stored legs of a patient, oldest first (a schema-1 file is read as it is: its missing columns are NULL)."""
    if not Path(path).exists():
        return []
    with open_db_for_reading(path) as conn:
        try:
            present = _columns(conn)
            wanted = ", ".join(c if c in present else f"NULL AS {c}" for c in COLUMNS)
            rows = conn.execute(
                f"SELECT {wanted} FROM sessions WHERE patient_id = ? ORDER BY session_date, added_utc, side",
                (patient_id,),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path}: not a readable ankle-cv history database ({exc})") from None
    return [_entry(row) for row in rows]


def add_result_file(path: Path, result_path: Path, patient_id: str, session_date: str | None = None) -> int:
    """Read a result.json and store its legs for the patient (session date: given, else the file's date)."""
    text, result = read_result_text(result_path)
    date = session_date or session_date_of(result_path)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    entries = entries_from_result(result, check_patient_id(patient_id), date, path_text(Path(result_path).resolve()),
                                  result_sha256(text), now)
    if not entries:
        reason = result.summary.no_measurement_reason or "no leg was measured"
        raise NoMeasurementError(f"{path_text(result_path)}: holds no measured leg ({reason}); nothing was added")
    return add_entries(path, entries)


def session_date_of(result_path: Path) -> str:
    """The session's date: when analyze wrote result.json (its modification time, local calendar date)."""
    return dt.datetime.fromtimestamp(Path(result_path).stat().st_mtime).date().isoformat()


# ---------------------------------------------------------------------------------------------
# Reading the history (pure)


def measured(entries: list[HistoryEntry], side: str) -> list[HistoryEntry]:
    """A leg's sessions that have a valid measurement, oldest first."""
    return [e for e in entries if e.side == side and e.tibial_inclination_deg is not None]


def latest_changes(entries: list[HistoryEntry]) -> list[Change]:
    """Per leg, the change from the previous to the latest measured session, against the MDC."""
    changes = []
    for side in ("left", "right"):
        rows = measured(entries, side)
        if len(rows) < 2:
            continue
        prev, last = rows[-2], rows[-1]
        # The MDC is an inclinometer's: its angle when both visits kept it (older sessions kept only the joint-centre one)
        if prev.inclinometer_equivalent_deg is not None and last.inclinometer_equivalent_deg is not None:
            d_deg, angle = last.inclinometer_equivalent_deg - prev.inclinometer_equivalent_deg, "inclinometer-equivalent"
        else:
            d_deg = float(cast(float, last.tibial_inclination_deg)) - float(cast(float, prev.tibial_inclination_deg))
            angle = "joint-centre"
        d_cm = None
        if last.distance_cm is not None and prev.distance_cm is not None:
            d_cm = float(last.distance_cm) - float(prev.distance_cm)
        if d_cm is not None:
            real, basis = round(abs(d_cm), 1) > MDC_CM, "cm"
        else:
            real, basis = round(abs(d_deg), 1) > MDC_DEG, "deg"
        changes.append(Change(side, prev.session_date, last.session_date, d_deg, d_cm, real, basis, angle))
    return changes


def change_words(change: Change) -> str:
    """'Left: inclinometer-equivalent +5.2° since 2025-01-10, beyond the 4.7° MDC: a real change'."""
    size = f"{change.angle} {change.change_deg:+.1f}°"
    if change.change_cm is not None:
        size += f" ({change.change_cm:+.1f} cm)"
    mdc = f"{MDC_CM:.1f} cm" if change.basis == "cm" else f"{MDC_DEG:.1f}°"
    verdict = f"beyond the {mdc} MDC: a real change" if change.real else f"within the {mdc} MDC: no detectable change"
    return f"{change.side.capitalize()}: {size} since {change.previous_date}, {verdict}"


NOT_STORED = "–"  # not measured, or not stored (a session added before schema 2): never recomputed


def judged_words(number: str | None, category: str | None, within_ci95: tuple[str, ...] | None) -> str:
    """'38.1° → borderline': the category beside the number it judges, worded as analyze prints it (category_words)."""
    if number is None and category is None:
        return NOT_STORED
    words = category_words(category, within_ci95) or NOT_STORED
    if number is None:  # an older result or database: the number its category judged was not kept
        return f"{NOT_STORED} → {words} (angle not stored)"
    return f"{number} → {words}"


def _cells(e: HistoryEntry) -> tuple[str, ...]:
    """One leg of one session: each number with the category judged on it, then the joint-centre angle and the reps."""
    reps = f"{e.reps_valid}/{e.reps_total}"
    if e.tibial_inclination_deg is None:
        return (e.session_date, e.side, "no valid rep", NOT_STORED, NOT_STORED, reps)
    incl = None if e.inclinometer_equivalent_deg is None else f"{e.inclinometer_equivalent_deg:.1f}°"
    cm = None if e.distance_cm is None else f"{e.distance_cm:.1f} cm"
    return (e.session_date, e.side, judged_words(incl, e.category, e.category_ci95),
            judged_words(cm, e.distance_category, e.distance_category_ci95) if cm else NOT_STORED,
            f"{e.tibial_inclination_deg:.1f}°", reps)


TABLE_HEADER = ("date", "leg", "inclinometer-equivalent → category", "toe-to-wall → category", "joint-centre",
                "reps valid")
TABLE_LEGEND = ("each category is judged on the number before its arrow (degrees: the inclinometer cut-offs on the "
                "inclinometer-equivalent angle; cm: the equivalent toe-to-wall distance, with a scale); joint-centre: "
                f"the ankle→knee axis of the best valid rep, no category; {NOT_STORED}: not measured, or not stored "
                "(sessions added before ankle-cv kept it)")


def table_lines(entries: list[HistoryEntry]) -> list[str]:
    """A plain-text table: one line per leg per session, oldest first."""
    rows = [TABLE_HEADER] + [_cells(e) for e in sorted(entries, key=lambda e: (e.session_date, e.added_utc, e.side))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(TABLE_HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
