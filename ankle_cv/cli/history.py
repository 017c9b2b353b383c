"""`ankle-cv history add|show`: a patient's sessions over time in a local, private SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ankle_cv.cli.errors import reports_errors
from ankle_cv.io.path_text import path_text

DB_HELP = "History database file [default: ankle-cv/history.sqlite in the user's data folder]."


@click.group()
def history() -> None:
    """Store sessions per patient and show the change over time (nothing leaves this computer).

    \b
    ankle-cv history add visit1_ankle_cv/result.json --patient-id P-0042
    ankle-cv history show P-0042 --plot trend.png
    """


@history.command("add")
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--patient-id", required=True, help="The patient's identifier (as you use it in your records).")
@click.option("--db", type=click.Path(path_type=Path), default=None, help=DB_HELP)
@click.option("--date", "date", default=None, help="Session date YYYY-MM-DD [default: when result.json was written].")
@reports_errors()
def add(results: tuple[Path, ...], patient_id: str, db: Path | None, date: str | None) -> None:
    """Add one or more result.json files to a patient's history (the same result twice is stored once).

    \b
    Exit codes: 0 added; 2 unreadable result, bad --date or unusable database;
    3 a result holds no valid measurement (nothing is added: all or nothing).
    """
    from ankle_cv.errors import NoMeasurementError
    from ankle_cv.history.store import (
        add_result_file,
        check_date,
        check_patient_id,
        default_db_path,
    )
    from ankle_cv.results.files import read_result_text

    pid = check_patient_id(patient_id)
    day = check_date(date) if date else None
    path = db or default_db_path()
    for result in results:  # all or nothing: a result without a valid measurement (analyze's exit 3) is refused
        stored = read_result_text(result)[1]
        if stored.best_rep is None:
            reason = stored.summary.no_measurement_reason or "no valid rep"
            raise NoMeasurementError(f"{result}: holds no valid measurement, so nothing was added: {reason}")
    for result in results:
        added = add_result_file(path, result, pid, day)
        name = path_text(result)
        click.echo(f"{name}: {added} leg(s) added for {pid}" if added else f"{name}: already in the history of {pid}")
    click.echo(f"history: {path}")


@history.command("show")
@click.argument("patient_id")
@click.option("--db", type=click.Path(path_type=Path), default=None, help=DB_HELP)
@click.option("--plot", type=click.Path(path_type=Path), default=None,
              help="Write the trend plot (PNG) here (an earlier trend plot is replaced).")
@click.option("--force", is_flag=True, help="Overwrite --plot even when it is another file (not the database).")
@reports_errors()
def show(patient_id: str, db: Path | None, plot: Path | None, force: bool) -> None:
    """Print a patient's sessions (one line per visit and leg, each category beside the number it judges) and the latest change against the MDC.

    \b
    Exit codes: 0 printed (also "no sessions stored" for an unknown patient);
    2 unreadable or missing --db database, or unusable --plot path.
    """
    from ankle_cv.errors import InputError, OutputError
    from ankle_cv.history.store import (
        TABLE_LEGEND,
        change_words,
        check_patient_id,
        default_db_path,
        latest_changes,
        patient_entries,
        table_lines,
    )
    from ankle_cv.protocol.norms import MDC_CM, MDC_DEG

    pid = check_patient_id(patient_id)
    if db is not None and not db.exists():  # a mistyped --db read as "no sessions stored" for a patient who has them
        raise InputError(f"{db}: no history database there (`ankle-cv history add` creates it); check --db")
    path = db or default_db_path()
    entries = patient_entries(path, pid)
    if not entries:
        click.echo(f"no sessions stored for {pid} in {path}")
        return
    for line in table_lines(entries):
        click.echo(line)
    click.echo(TABLE_LEGEND)
    changes = latest_changes(entries)
    for change in changes:
        click.echo(change_words(change))
    click.echo(f"MDC (Powden et al. 2015, intra-rater): {MDC_DEG:.1f}° / {MDC_CM:.1f} cm")
    if plot is not None:
        from ankle_cv.io.output_set import reason_of
        from ankle_cv.report.writer import is_trend_png, write_trend_png

        if plot.exists() and path.exists() and os.path.samefile(plot, path):
            raise OutputError(f"{plot}: is the history database itself; choose another --plot")
        if plot.exists() and not force and not is_trend_png(plot):  # e.g. an analysis's summary.png: never lost
            raise OutputError(f"{plot}: exists and is not an earlier trend plot; use --force to overwrite "
                              "or choose another --plot")
        try:
            write_trend_png(entries, plot, f"Patient {pid}")
        except OSError as exc:
            raise OutputError(f"{plot}: cannot write the plot ({reason_of(exc, plot)})") from None
        click.echo(f"wrote {path_text(plot)}")

