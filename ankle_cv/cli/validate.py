"""`ankle-cv validate DIR`: accuracy against labelled clips. Thin: options, progress, files, messages."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ankle_cv.cli.errors import reports_errors
from ankle_cv.kinematics.fitted import DEFAULT_EDGE_LIFT_RATIO  # fitted: see fitted.py
from ankle_cv.kinematics.heel import DEFAULT_LIFT_RATIO

if TYPE_CHECKING:
    from ankle_cv.io.output_set import OutputSet
    from ankle_cv.validation.evaluate import ValidationReport

OUTPUT_NAMES = ("validation.json", "reps.csv", "bland_altman.png", "table.md")
REAL_OUTPUT_NAMES = ("validation.json", "frames.csv", "table.md")


class _Progress:
    """One stderr line per clip and a frame bar while the pose model runs."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._n = 0

    def clip(self, i: int, n: int, clip: Any, cached: bool, frames: int) -> None:
        self.close()
        how = "landmarks from cache" if cached else f"tracking pose ({frames} frames)"
        click.echo(f"[{i}/{n}] {clip.name}: {how}", err=True)
        if not cached:
            self._bar = click.progressbar(length=max(frames, 1), label="  tracking", file=sys.stderr, show_pos=True)
            self._bar.__enter__()
            self._n = 0

    def frame(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count - self._n)
            self._n = count

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def _csv_text(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    """CSV content with a header row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@contextlib.contextmanager
def _staged(target: Path, names: tuple[str, ...], force: bool) -> Iterator[OutputSet]:
    """validate's files written aside and swapped in whole: an error, Ctrl-C or SIGTERM leaves the folder as it was."""
    from ankle_cv.interrupts import ending_signals
    from ankle_cv.io.output_set import OutputSet

    with ending_signals() as guard:
        outputs = OutputSet(target, names, force)  # checked before the slow part; nothing visible is created
        try:
            yield outputs
            guard.raise_pending()
            with guard.disarmed():
                outputs.commit()
        except BaseException:
            outputs.discard()
            raise


@click.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder [default: ./validation_<DIR's name>].")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=None,
              help="Keep each clip's pose landmarks here; a re-run then only redoes the analysis.")
@click.option("--model", type=click.Choice(["full", "lite"]), default="full", show_default=True,
              help="Pose model: full is more accurate, lite is faster.")
@click.option("--heel-lift-threshold", type=click.FloatRange(min=0.001, max=0.5), default=DEFAULT_LIFT_RATIO,
              show_default=True, help="Heel rise, as a fraction of foot length, that counts as heel lift when read from the silhouette "
                      f"(without the video, as live mode's first pass; read from the heel's edge in the picture it counts from "
                      f"{DEFAULT_EDGE_LIFT_RATIO:g}).")
@click.option("--force", is_flag=True, help="Overwrite earlier validation outputs in the folder.")
@click.option("--strict", is_flag=True, help="Exit 1 when a target is missed.")
@reports_errors(interrupt=True)
def validate(
    folder: Path, out_dir: Path | None, cache_dir: Path | None, model: str, heel_lift_threshold: float,
    force: bool, strict: bool,
) -> None:
    """Check ankle-cv against ground truth: every video in DIR with a same-stem .json truth.

    \b
    The truth format is the renderer's (../shared/synthetic/README.md): per rep the
    tested leg, start/peak/end frames, peak tibial inclination, heel height at the peak
    and, with a marker, the knee-to-wall distance. Prints per clip and overall the
    per-rep peak error (MAE, bias, SD, 95 % limits of agreement, max) of ankle-cv and
    of the raw landmarks, heel-lift detection, tested leg, rep count, knee-to-wall
    error, and the targets as PASS/FAIL. Writes validation.json, reps.csv,
    bland_altman.png and table.md.

    \b
    Real footage: a DIR holding annotations.json (../shared/real/README.md: three
    annotators' knee and ankle joint centres per chosen frame) is scored per frame:
    ankle-cv and the raw landmarks of the annotated leg against the annotators' mean,
    with their SD, whether the annotated leg was the one measured, the 95 % interval's
    coverage, and per clip whether a test-like clip was measured and any other refused.
    Writes validation.json, frames.csv and table.md.
    \b
    Exit codes: 0 done (targets missed or not); 1 a target missed with --strict;
    2 no such folder, no labelled clips, a bad truth file or an unusable output folder;
    130 interrupted.
    """
    from ankle_cv.validation.run_real import is_real_folder

    progress = _Progress()
    if is_real_folder(folder):
        try:
            _validate_real(folder, out_dir, cache_dir, model, heel_lift_threshold, force, progress)
        finally:
            progress.close()
        return
    try:
        report = _validate(folder, out_dir, cache_dir, model, heel_lift_threshold, force, progress)
    finally:  # an error or Ctrl-C clears the progress bar before the message
        progress.close()
    if strict and not report.all_targets_met:
        missed = [t.name for t in report.targets if t.passed is False]
        click.echo(f"ankle-cv: {len(missed)} target(s) missed: {'; '.join(missed)}", err=True)
        sys.exit(1)


def _validate(
    folder: Path, out_dir: Path | None, cache_dir: Path | None, model: str, heel_lift_threshold: float, force: bool,
    progress: _Progress,
) -> ValidationReport:
    """The validation run and its files; errors propagate as AnkleCvError."""
    from ankle_cv.io.atomic import write_text_atomic
    from ankle_cv.outputs.bland_altman import write_bland_altman_png
    from ankle_cv.settings import Settings
    from ankle_cv.validation.evaluate import (
        CSV_COLUMNS,
        csv_rows,
        format_report,
        report_to_dict,
    )
    from ankle_cv.validation.run import find_labelled_clips, validate_folder

    find_labelled_clips(folder)  # a missing folder or bad truth file fails before any output is made
    target = out_dir or Path.cwd() / f"validation_{folder.resolve().name}"
    with _staged(target, OUTPUT_NAMES, force) as outputs:
        settings = Settings(heel_lift_ratio=heel_lift_threshold)
        report = validate_folder(folder, settings, cache_dir, model, progress.clip, progress.frame)
        progress.close()
        table = format_report(report)
        write_text_atomic(outputs.path("validation.json"), json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n")
        write_text_atomic(outputs.path("reps.csv"), _csv_text(CSV_COLUMNS, csv_rows(report)))
        write_bland_altman_png(outputs.path("bland_altman.png"), report)
        write_text_atomic(outputs.path("table.md"), table)
    click.echo(table)
    for clip in report.clips:
        for note in clip.notes:
            click.echo(f"note: {clip.clip}: {note}", err=True)
    for name in OUTPUT_NAMES:
        click.echo(f"wrote {target / name}")
    return report


def _validate_real(folder: Path, out_dir: Path | None, cache_dir: Path | None, model: str, heel_lift_threshold: float,
                   force: bool, progress: _Progress) -> None:
    """`validate` on real footage with the annotators' reference (annotations.json); errors propagate as AnkleCvError."""
    from ankle_cv.io.atomic import write_text_atomic
    from ankle_cv.settings import Settings
    from ankle_cv.validation.real_reference import REAL_CSV_COLUMNS, format_real_report, real_csv_rows, real_report_to_dict
    from ankle_cv.validation.run_real import read_reference, validate_real_folder

    read_reference(folder)  # a bad annotation file or a missing clip fails before any output is made
    target = out_dir or Path.cwd() / f"validation_{folder.resolve().name}"
    with _staged(target, REAL_OUTPUT_NAMES, force) as outputs:
        report = validate_real_folder(folder, Settings(heel_lift_ratio=heel_lift_threshold), cache_dir, model,
                                      progress.clip, progress.frame)
        progress.close()
        table = format_real_report(report)
        write_text_atomic(outputs.path("validation.json"), json.dumps(real_report_to_dict(report), indent=2, ensure_ascii=False) + "\n")
        write_text_atomic(outputs.path("frames.csv"), _csv_text(REAL_CSV_COLUMNS, real_csv_rows(report)))
        write_text_atomic(outputs.path("table.md"), table)
    click.echo(table)
    for name in REAL_OUTPUT_NAMES:
        click.echo(f"wrote {target / name}")
