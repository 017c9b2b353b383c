"""`ankle-cv live`: the knee-to-wall test measured from a camera in real time. Thin: options, messages, exit codes."""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from ankle_cv.cli.errors import reports_errors
from ankle_cv.cli.options import (
    HISTORY_OPTIONS,
    MEASUREMENT_OPTIONS,
    FiniteRange,
    apply_options,
    with_settings,
)
from ankle_cv.errors import AnkleCvError, CameraError, NoMeasurementError, OutputError
from ankle_cv.interrupts import SIGNAL_REASONS, Interrupted, SignalGuard, ending_signals
from ankle_cv.io.output_set import OutputSet, reason_of
from ankle_cv.live.guidance import LiveRep, interval_around, rep_message
from ankle_cv.protocol.norms import category_words

if TYPE_CHECKING:
    from ankle_cv.live.camera import FrameSource
    from ankle_cv.results.types import Result
    from ankle_cv.settings import Settings

LIVE_OUTPUT_NAMES = ("result.json", "frames.csv", "summary.png", "camera.mp4")
SUMMARY_HOLD_S = 60.0


def _default_out_dir() -> Path:
    """A new folder per session in the current directory."""
    return Path.cwd() / f"ankle_cv_live_{time.strftime('%Y%m%d-%H%M%S')}"


def _summary_lines(result: Result) -> list[str]:
    """The result in a few lines, for the window's last picture."""
    from ankle_cv.outputs.summary_plot import spread_words

    res = result.summary
    if res.tibial_inclination_deg is None:
        return ["No valid measurement", res.no_measurement_reason or "no valid rep", "press any key to close"]
    verdict = category_words(res.category, res.category_ci95) or f"no category: {res.category_reason or 'not judged'}"
    if res.inclinometer_equivalent_deg is not None:  # the category beside the number it judges, never the joint-centre one
        lines = [f"Best valid rep: {res.inclinometer_equivalent_deg}\u00b0 inclinometer-equivalent \u2192 {verdict}",
                 f"{res.tibial_inclination_deg}\u00b0 joint-centre"]
    else:
        lines = [f"Best valid rep: {res.tibial_inclination_deg}\u00b0 joint-centre; {verdict}"]
    leg = result.legs.get(result.side) if result.side is not None else None
    lines.append(f"{spread_words(res.mean_deg, res.sd_deg, leg.reps_valid if leg else 0)}, {result.side} leg")
    for rep in result.reps:
        reason = rep.invalid_reasons[0].split(" (")[0] if rep.invalid_reasons else ""
        angle = rep.tibial_inclination_deg if rep.tibial_inclination_deg is not None else float("nan")
        interval = interval_around(rep.tibial_inclination_deg, getattr(rep, "tibial_inclination_ci95_deg", None))
        lines.append(rep_message(LiveRep(rep.index, str(rep.side), rep.start_s, rep.peak_s, rep.end_s, angle,
                                         rep.heel_lifted, rep.valid, reason, interval)))
    return lines + ["press any key to close"]


@click.command()
@click.option("--camera", "--source", "camera", default="0", show_default=True, metavar="INDEX|FILE",
              help="Webcam index (see `ankle-cv cameras`), or a video file played as a stand-in camera "
                   "(--source is the same option).")
@with_settings(MEASUREMENT_OPTIONS)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder [default: ./ankle_cv_live_<date>-<time>].")
@click.option("--force", is_flag=True, help="Overwrite earlier outputs in the folder.")
@click.option("--record", is_flag=True, help="Also save the camera's video as camera.mp4 (H.264).")
@click.option("--model", type=click.Choice(["full", "lite"]), default="full", show_default=True,
              help="Pose model: full is more accurate, lite is faster (slow laptops).")
@click.option("--mirror/--no-mirror", default=None,
              help="Mirror the picture like a selfie view [default: mirror a webcam, not a file]; "
                   "the measurement is unaffected.")
@apply_options(HISTORY_OPTIONS)
@click.option("--headless", is_flag=True, help="No window: guidance and reps are printed instead.")
@click.option("--reps", "reps_target", type=click.IntRange(min=1), default=None,
              help="Finish after this many valid reps [default: finish with q/Esc or at the end of a file].")
@click.option("--speed", type=FiniteRange(min=0), default=1.0, hidden=True,
              help="Stand-in file pacing: 1 real time, 2 twice as fast, 0 every frame without drops (tests).")
@reports_errors(interrupt=True)
def live(
    camera: str, settings: Settings, out_dir: Path | None, force: bool, record: bool, model: str, mirror: bool | None,
    patient_id: str | None, history_db: Path | None, headless: bool, reps_target: int | None, speed: float,
) -> None:
    """Measure the knee-to-wall test live from a webcam.

    \b
    Stand side-on to the camera, the whole leg and foot in view. The screen says
    what to fix ("step back: feet out of view", "turn sideways to the camera",
    "more light"), then "hold still: calibrating"; then do the reps, heel down.
    Each rep is announced ("rep 2: 38.2° joint-centre heel down ✓"). Finish with q or Esc,
    or automatically with --reps N. Writes the same files as analyze:
      result.json, frames.csv, summary.png (and camera.mp4 with --record)
    \b
    Exit codes: 0 measured; 2 bad option, unreadable stand-in file or unusable
    output folder; 3 no valid measurement; 4 camera absent, busy or lost
    (what was measured is still written); 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP
    (what was measured, with the recording, is still written).
    """

    from ankle_cv.history.store import check_patient_id

    pid = check_patient_id(patient_id) if patient_id is not None else None
    with ending_signals() as guard:  # SIGTERM and SIGHUP (a closed terminal) end the session like Ctrl-C
        _run(camera, settings, out_dir, force, record, model, mirror, headless, reps_target, speed, pid, history_db,
             guard)


def _run(
    camera: str, settings: Settings, out_dir: Path | None, force: bool, record: bool,
    model: str, mirror: bool | None, headless: bool, reps_target: int | None, speed: float,
    patient_id: str | None = None, history_db: Path | None = None, guard: SignalGuard | None = None,
) -> None:
    """The session from options to files; errors propagate as AnkleCvError."""
    from ankle_cv.live.camera import WebcamSource, open_source
    from ankle_cv.pose.sampling import POSE_MAX_SIDE

    target = out_dir or _default_out_dir()
    source = open_source(camera, POSE_MAX_SIDE)  # CameraError / InputError before any folder or model
    try:
        inputs = () if isinstance(source, WebcamSource) else (Path(camera.strip()),)
        outputs = OutputSet(target, LIVE_OUTPUT_NAMES, force, inputs)  # nothing visible until the session is written
    except AnkleCvError:
        source.close()
        raise
    try:
        _session(source, outputs, settings, record, model, mirror, headless, reps_target, speed, patient_id,
                 history_db, guard or SignalGuard())
    finally:
        outputs.discard()  # after the commit there is nothing left to discard


def _session(
    source: FrameSource, outputs: OutputSet, settings: Settings, record: bool, model: str, mirror: bool | None,
    headless: bool, reps_target: int | None, speed: float, patient_id: str | None, history_db: Path | None,
    guard: SignalGuard,
) -> None:
    """Run the session and write its outputs into `outputs` (committed whole at the end)."""
    from ankle_cv.cli.analyze import print_summary
    from ankle_cv.live.camera import WebcamSource
    from ankle_cv.live.overlay import draw_summary
    from ankle_cv.live.session import SessionOptions, analyse_session, has_enough_frames, run_session
    from ankle_cv.live.window import HighGuiWindow, display_problem
    from ankle_cv.pipeline import write_outputs

    target = outputs.target
    is_webcam = isinstance(source, WebcamSource)
    display = None
    if not headless:
        problem = display_problem()
        if problem:
            click.echo(f"ankle-cv: note: {problem}; running headless (as with --headless)", err=True)
        else:
            try:
                display = HighGuiWindow()
            except BaseException:
                source.close()
                raise
    options = SessionOptions(
        settings=settings,
        model=model,
        reps_target=reps_target,
        speed=speed or None,
        mirror=is_webcam if mirror is None else mirror,
        record_path=outputs.path("camera.mp4") if record else None,
    )
    click.echo(f"ankle-cv live: {source.label}, {source.size[0]}x{source.size[1]} @ {source.fps:.0f} fps; "
               f"{'press q or Esc to finish' if display else 'Ctrl-C to finish'}", err=True)
    outcome = run_session(source, options, display, say=None if display else (lambda text: click.echo(f"  {text}")))
    lost = None
    if outcome.end_reason == "camera lost":
        lost = CameraError(f"{outcome.lost_message}; what was measured is written")
    signalled = next((n for n, r in SIGNAL_REASONS.items() if r == outcome.end_reason), None)
    if not has_enough_frames(outcome):
        if display:
            display.close()
        if signalled is not None:
            raise Interrupted(signalled)
        raise lost or NoMeasurementError(f"{source.label}: nothing was measured (no frame reached the pose model)")
    camera_ref: int | str = cast(WebcamSource, source).index if is_webcam else str(source.label)
    with guard.disarmed():  # a second Ctrl-C, SIGTERM or SIGHUP now waits: the result set is written whole
        info, analysis, result = analyse_session(outcome, options, camera_ref)
        series_times = outcome.series.times_s
        try:
            write_outputs(Path(source.label), info, analysis, result, outputs.folder, video=False,
                          frame_of=lambda i: outcome.pictures.nearest(i, series_times), video_frames=outcome.camera_frames)
        except OSError as exc:
            raise OutputError(f"{target}: the session's outputs could not be written ({reason_of(exc)})") from None
        files = outputs.commit()
        if patient_id is not None and result.best_rep is not None:
            from ankle_cv.cli.analyze_pairs import add_to_history

            add_to_history([(target / "result.json", result)], patient_id, history_db)
    if signalled is None and guard.first is not None:  # a signal arrived while the files were written
        signalled = guard.first
    stats = outcome.stats
    with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone: the files are written anyway
        print_summary(result, files)
        click.echo(f"Session: {stats.measured} of {stats.captured} camera frames measured "
                   f"({stats.measured_fps:.1f} per second), {end_words(outcome.end_reason)}", err=True)
    if display and signalled in (None, signal.SIGINT):
        guard.rearm()
        try:
            if outcome.last_picture is not None:
                draw_summary(outcome.last_picture, _summary_lines(result))
                display.hold(outcome.last_picture, SUMMARY_HOLD_S)
        except KeyboardInterrupt:  # Ctrl-C on the summary screen just closes it: the files are written
            pass
        display.close()
    elif display:
        display.close()
    if signalled is not None:
        what = "interrupted" if signalled == signal.SIGINT else f"ended by {SIGNAL_REASONS[signalled]}"
        with contextlib.suppress(OSError):
            click.echo(f"ankle-cv: {what}; the frames measured until then were analysed and written", err=True)
        sys.exit(128 + int(signalled))
    if lost is not None:
        raise lost
    if result.best_rep is None:
        # named as analyze names the file (and as "nothing was measured" above): "camera 0: ..." or "FILE: ..."
        raise NoMeasurementError(f"{source.label}: {result.summary.no_measurement_reason or 'no valid rep'}")


END_WORDS = {"key": "ended with q/Esc", "reps": "ended at the --reps count", "end of video": "ended at the end of the video",
             "interrupted": "ended by Ctrl-C", "camera lost": "ended when the camera was lost"}


def end_words(reason: str) -> str:
    """How the session ended, in words (result.json keeps `input.ended_by` as it is)."""
    return END_WORDS.get(reason, f"ended by {reason}")
