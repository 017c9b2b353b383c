"""`ankle-cv export RESULT.json... --fhir`: the results as FHIR R4 Observation JSON for electronic records."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ankle_cv.cli.errors import reports_errors
from ankle_cv.io.path_text import path_text


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--fhir", "as_fhir", is_flag=True,
              help="FHIR R4 Observation (a Bundle of two when both legs were measured, in one video or one per leg).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Write to this file [default: print].")
@click.option("--patient-id", default=None, help="Patient identifier for Observation.subject (left out when not given).")
@click.option("--date", "date", default=None, help="Session date YYYY-MM-DD [default: when result.json was written].")
@click.option("--force", is_flag=True, help="Overwrite --out when it exists.")
@reports_errors()
def export(results: tuple[Path, ...], as_fhir: bool, out: Path | None, patient_id: str | None, date: str | None,
           force: bool) -> None:
    """Export one or more results for import elsewhere (frames.csv and result.json stay the raw data).

    \b
    ankle-cv export out/result.json --fhir --patient-id P-0042 --out obs.json
    ankle-cv export left_ankle_cv right_ankle_cv --fhir --out visit.json   (one Bundle, both legs)
    \b
    Exit codes: 0 written; 2 unreadable result, no format chosen or unusable --out;
    3 the result holds no valid measurement.
    """
    from ankle_cv.errors import InputError, NoMeasurementError, OutputError
    from ankle_cv.export.fhir import fhir_documents
    from ankle_cv.history.store import check_date, check_patient_id
    from ankle_cv.io.atomic import write_text_atomic
    from ankle_cv.io.output_set import reason_of
    from ankle_cv.report.sources import load_result

    if not as_fhir:
        raise InputError("choose an export format: --fhir (FHIR R4 Observation)")
    pid = check_patient_id(patient_id) if patient_id is not None else None
    loaded = [load_result(path) for path in results]
    items = [(item.result, check_date(date) if date else item.session_time.isoformat(timespec="seconds"), item.sha256)
             for item in loaded]
    try:
        doc = fhir_documents(items, pid)
    except ValueError as exc:
        names = ", ".join(str(path) for path in results)  # as typed, as report and history add name them
        reasons = "; ".join(dict.fromkeys(r for item in loaded if (r := item.result.summary.no_measurement_reason)))
        raise NoMeasurementError(f"{names}: nothing to export, {exc}{': ' + reasons if reasons else ''}") from None
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    if out.exists() and not force:
        raise OutputError(f"{out}: already exists; use --force to overwrite")
    if out.exists() and any(os.path.samefile(out, item.path) for item in loaded):
        raise OutputError(f"{out}: is the result.json being exported; choose another --out")
    try:
        write_text_atomic(out, text)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({reason_of(exc, out)})") from None
    click.echo(f"wrote {path_text(out)}")
