"""`ankle-cv report RESULT.json...`: the one-page report (PDF, PNG of the same page, self-contained HTML)."""

from __future__ import annotations

from pathlib import Path

import click

from ankle_cv.cli.errors import reports_errors
from ankle_cv.io.path_text import path_text


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("report.pdf"), show_default=True,
              help="The PDF (or an existing folder to write report.pdf in); the PNG and HTML are written beside it "
                   "with the same name.")
@click.option("--patient-id", default=None, help="Patient identifier to print in the header (and to find the history).")
@click.option("--name", default=None, help="Patient name to print in the header.")
@click.option("--notes", default=None, help="Free-text notes to print in the header.")
@click.option("--history-db", type=click.Path(path_type=Path), default=None,
              help="History database for the trend [default: the user's data folder; used with --patient-id].")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="Page size.")
@click.option("--video-dir", "video_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Where to look for the analysed videos (for the key frames) when they are not at the path "
                   "result.json recorded or beside its folder. Repeatable.")
@click.option("--force", is_flag=True, help="Overwrite an earlier report of the same name.")
@reports_errors()
def report(
    results: tuple[Path, ...], out: Path, patient_id: str | None, name: str | None, notes: str | None,
    history_db: Path | None, paper: str, video_dirs: tuple[Path, ...], force: bool,
) -> None:
    """One-page report from one or more result.json files (or their folders).

    \b
    Give one result of a video with both legs, or one result per leg:
      ankle-cv report left_ankle_cv/result.json right_ankle_cv/result.json \\
          --patient-id P-0042 --name "J. Smith" --out visit.pdf
    writes visit.pdf, visit.png (the same page) and visit.html (images embedded).
    The header shows only what you type here, plus the dates. With --patient-id, the
    trend over earlier visits from the history database is included when there is one.
    Key frames come from the analysed videos; when a video cannot be found, the leg is
    drawn from the landmarks stored in frames.csv instead.
    \b
    Exit codes: 0 written; 2 unreadable result, bad option or unusable output path (an
    earlier report of the same name without --force); 3 a result holds no valid
    measurement (as analyze exits for it: the report is still written and says why);
    130 interrupted (nothing written).
    """
    from ankle_cv.errors import InputError, NoMeasurementError
    from ankle_cv.history.store import check_patient_id, default_db_path
    from ankle_cv.report.writer import make_report, unmeasured

    pid = check_patient_id(patient_id) if patient_id is not None else None
    if history_db is not None and not history_db.exists():  # a mistyped path would drop the trend without a word
        raise InputError(f"{history_db}: no history database there (`ankle-cv history add` creates it); check --history-db")
    db = history_db if history_db is not None else (default_db_path() if pid else None)
    files = make_report(list(results), out, pid, name, notes, db, paper, force, video_dirs=video_dirs,
                        warn=lambda text: click.echo(f"ankle-cv: warning: {text}", err=True))
    for f in files:
        click.echo(f"wrote {path_text(f)}")
    missing = unmeasured(list(results))
    if missing:  # the page says why; the exit code says it as analyze's did for the same result
        raise NoMeasurementError("; ".join(missing))
