"""`ankle-cv batch INPUTS... --out DIR`: a clinic's or a study's videos in one command. Thin: options, progress, messages."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Generator
from contextlib import closing
from pathlib import Path

import click

from ankle_cv.batch.plan import BatchPlan, PlannedVideo
from ankle_cv.batch.table import VideoRecord
from ankle_cv.cli.errors import reports_errors
from ankle_cv.cli.options import MEASUREMENT_OPTIONS, MODEL_AND_MARKER_OPTIONS, apply_options, with_settings
from ankle_cv.errors import EXIT_INTERRUPTED, AnkleCvError, NoMeasurementError, UnreadVideosError
from ankle_cv.settings import Settings


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for batch.csv, batch.json and one output folder per video (named after its path).")
@click.option("--jobs", type=click.IntRange(min=1, max=64), default=1, show_default=True,
              help="Videos measured at once on this machine (one worker process each).")
@click.option("--force", is_flag=True, help="Measure every video again, even those whose outputs are complete.")
@with_settings(MEASUREMENT_OPTIONS)
@click.option("--no-video", is_flag=True, help="Skip annotated.mp4 (faster).")
@click.option("--json-only", is_flag=True, help="Write result.json only.")
@apply_options(MODEL_AND_MARKER_OPTIONS)
@click.option("--patient-id-from", default=None, metavar="folder|REGEX",
              help="Add each result to its patient's history: the patient id is the video's folder name ('folder'), "
                   "or what REGEX finds in its file name (the group named id, else the first group, else the match).")
@click.option("--history-db", type=click.Path(path_type=Path), default=None,
              help="History database for --patient-id-from [default: the user's data folder].")
@click.option("--dask", "dask_address", default=None, metavar="tcp://HOST:PORT",
              help="Run on this Dask scheduler's workers instead of here (pip install 'ankle-cv[cluster]'; "
                   "the videos and --out on storage every worker mounts at the same path).")
@reports_errors()
def batch(
    inputs: tuple[str, ...], out_dir: Path, jobs: int, force: bool, settings: Settings, no_video: bool, json_only: bool,
    model: str, patient_id_from: str | None, history_db: Path | None, dask_address: str | None,
) -> None:
    """Measure many videos (files, folders, glob patterns) with the same options, each as `analyze` would.

    \b
    Writes into --out:
      <video's path>/   the video's result.json, frames.csv, summary.png, annotated.mp4
      batch.csv         one row per video and leg: angle, cm, category, valid reps, status and reason
      batch.json        the same rows, the options, each video's time and its worker's peak memory
    A video that cannot be read or measured is recorded and the batch goes on. Run the same command
    again to resume: videos with complete outputs are kept (unless --force).
    \b
    Exit codes (the batch went to its end unless 2 or 130; each video's own code, as analyze's, is in
    batch.csv): 0 every video measured; 3 every video was read, some hold no valid measurement; 5 some
    video could not be read (not a video, cut off, ...) or failed, the others were measured; 2 the batch
    cannot start (no videos, unusable --out, other options than the batch already in --out; nothing is
    measured); 130 interrupted (finished videos are kept and recorded, the interrupted ones leave nothing
    and are measured on the next run).
    """
    from ankle_cv.batch.job import MeasureOptions, VideoOutcome
    from ankle_cv.batch.plan import finished_record, plan_batch
    from ankle_cv.batch.table import CSV_NAME, JSON_NAME, write_tables
    from ankle_cv.pipeline import prepare_out_dir

    options = MeasureOptions(settings, model, not (no_video or json_only), json_only)
    records: dict[str, VideoRecord] = {}
    plan_order: list[str] = []

    def save() -> None:
        """Tables of every finished video, in the batch's order."""
        write_tables(out_dir, [records[v] for v in plan_order if v in records], options.as_dict())

    try:
        created = not out_dir.exists()
        prepare_out_dir(out_dir, force=True, names=())  # creates it and checks it is writable
        try:
            plan = plan_batch(inputs, out_dir, options, force, patient_id_from)
        except AnkleCvError:  # the batch cannot start (no videos, bad --patient-id-from, ...): leave no empty --out
            if created and not any(out_dir.iterdir()):
                out_dir.rmdir()
            raise
        plan_order = [v.video for v in plan.videos]
        todo = plan.todo
        for planned in plan.videos:
            if planned.kept is not None:
                records[planned.video] = planned.kept
        _say_plan(plan, todo, jobs, dask_address, patient_id_from)
        save()
        history = _History(history_db) if patient_id_from else None
        if history is not None:
            for record in records.values():
                history.add(out_dir, record)
        by_job = {p.job.video: p for p in todo}
        outcomes: Generator[VideoOutcome, None, None]
        if dask_address:
            from ankle_cv.batch.dask_cluster import run_dask

            outcomes = run_dask([p.job for p in todo], dask_address)
        else:
            from ankle_cv.batch.local_pool import run_local

            outcomes = run_local([p.job for p in todo], jobs)
        with closing(outcomes), click.progressbar(length=len(todo), label="Videos", file=sys.stderr, show_pos=True,
                                                  item_show_func=lambda text: text) as bar:
            for outcome in outcomes:
                planned = by_job[outcome.video]
                record = planned.record(outcome)
                records[planned.video] = record
                save()
                if history is not None:
                    history.add(out_dir, record)
                bar.update(1, f"{planned.output}: {outcome.status}")
        _say_summary([records[v] for v in plan_order], history)
        click.echo(f"wrote {out_dir / CSV_NAME}")
        click.echo(f"wrote {out_dir / JSON_NAME}")
        shortfall = batch_shortfall([records[v] for v in plan_order], out_dir / CSV_NAME)
        if shortfall is not None:
            raise shortfall
    except KeyboardInterrupt:
        if not dask_address:  # the local workers are stopped by now: what they were writing aside goes (never a partial set)
            from ankle_cv.io.output_set import discard_abandoned

            discard_abandoned(out_dir)
        if plan_order:
            for planned in plan.videos:  # a video that completed as the interrupt came: listed like the others
                if planned.video not in records:
                    kept = finished_record(planned)
                    if kept is not None:
                        records[planned.video] = kept
            save()
        click.echo(f"\nankle-cv: interrupted: {len(records)} of {len(plan_order)} videos finished, kept and listed in "
                   f"{out_dir / CSV_NAME}; run the same command again to measure the rest", err=True)
        sys.exit(EXIT_INTERRUPTED)


class _History:
    """Adds each finished result to its patient's history, dated today as `analyze --patient-id` does."""

    def __init__(self, db: Path | None) -> None:
        from ankle_cv.history.store import default_db_path

        self.path = db or default_db_path()
        self.today = dt.date.today().isoformat()
        self.added = 0

    def add(self, out_dir: Path, record: VideoRecord) -> None:
        """Store the record's legs when it has a patient id and a result.json."""
        from ankle_cv.errors import NoMeasurementError
        from ankle_cv.history.store import add_result_file

        if record.patient_id and record.outcome.result_text is not None:
            try:
                self.added += add_result_file(self.path, out_dir / record.output / "result.json", record.patient_id,
                                              self.today)
            except NoMeasurementError:  # no measured leg: nothing to store (batch.csv gives the reason)
                pass


def _say_plan(
    plan: BatchPlan, todo: list[PlannedVideo], jobs: int, dask_address: str | None, patient_spec: str | None,
) -> None:
    """One line on what the batch will do."""
    videos = plan.videos
    kept = len(videos) - len(todo)
    where = f"on the Dask cluster {dask_address}" if dask_address else f"with {jobs} worker{'s' if jobs > 1 else ''}"
    line = f"{len(videos)} videos: {len(todo)} to measure {where}"
    if kept:
        line += f", {kept} kept from an earlier run (--force measures them again)"
    if plan.ignored_files:
        line += f"; {plan.ignored_files} other files ignored (not videos by their name)"
    if plan.output_folders:
        line += f"; {plan.output_folders} earlier ankle-cv output folder{'s' if plan.output_folders > 1 else ''} skipped"
    click.echo(line)
    if patient_spec:
        unnamed = [v.video for v in videos if v.patient_id is None]
        if unnamed:
            click.echo(f"warning: no patient id in {len(unnamed)} video name(s) (e.g. {unnamed[0]}): "
                       "measured, but not added to any history")


def _say_summary(records: list[VideoRecord], history: _History | None) -> None:
    """Counts per status, and each video that was not measured with its reason."""
    counts: dict[str, int] = {}
    for record in records:
        counts[record.outcome.status] = counts.get(record.outcome.status, 0) + 1
    click.echo(", ".join(f"{n} {status}" for status, n in counts.items()))
    for record in records:
        if record.outcome.exit_code != 0:
            click.echo(f"  {record.video}: {record.outcome.status} (exit {record.outcome.exit_code}): {record.outcome.reason}")
    if history is not None:
        click.echo(f"history: {history.added} leg(s) added in {history.path}")


def batch_shortfall(records: list[VideoRecord], table: Path) -> AnkleCvError | None:
    """How a finished batch ends when not every video was measured: 5 when some could not be read or failed, else 3.

    One line that names each kind with its count, so a video that could not be read is never hidden behind the
    others (nor they behind it): the batch still measured them and batch.csv lists every one.
    """
    from ankle_cv.batch.job import STATUS_FAILED, STATUS_NO_MEASUREMENT, STATUS_REFUSED

    counts = {s: sum(1 for r in records if r.outcome.status == s) for s in (STATUS_REFUSED, STATUS_FAILED, STATUS_NO_MEASUREMENT)}
    if not any(counts.values()):
        return None
    words = {STATUS_REFUSED: "could not be read (not a video, cut off, ...)",
             STATUS_FAILED: "failed (an unexpected error: please report it)",
             STATUS_NO_MEASUREMENT: "hold no valid measurement"}
    parts = [f"{n} {words[s] if n > 1 else words[s].replace('hold ', 'holds ')}" for s, n in counts.items() if n]
    line = f"{sum(counts.values())} of {len(records)} videos not measured: {'; '.join(parts)}; see {table}"
    unread = counts[STATUS_REFUSED] + counts[STATUS_FAILED]
    return UnreadVideosError(line) if unread else NoMeasurementError(line)
