"""`ankle-cv analyze VIDEO`: the recorded-video measurement. Thin: options, progress, messages."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ankle_cv.cli.errors import reports_errors
from ankle_cv.cli.options import (
    HISTORY_OPTIONS,
    MEASUREMENT_OPTIONS,
    MODEL_AND_MARKER_OPTIONS,
    apply_options,
    with_settings,
)
from ankle_cv.enums import ScaleMethod
from ankle_cv.errors import NoMeasurementError, OutputError
from ankle_cv.interrupts import ending_signals
from ankle_cv.io.output_set import OutputSet, reason_of
from ankle_cv.io.path_text import path_text
from ankle_cv.protocol.norms import category_words
from ankle_cv.results.types import TOE_TO_WALL_WORDS, Result
from ankle_cv.settings import Settings


def _deg(value: float | None, half: float | None = None) -> str:
    """A printed angle, with its 95 % half-width when there is one."""
    if value is None:
        return "—"
    return f"{value}°" + (f" ± {half}° (95 %)" if half is not None else "")  # the cm's ± is 1 σ: each says which


def _tested_leg_line(result: Result) -> str:
    """Which leg was tested, or why none was: a refused squat must not read as a tested leg with a wall."""
    from ankle_cv.protocol.movement import NOT_TEST

    sides = list(dict.fromkeys(rep.side for rep in result.reps))
    seen = result.side is not None and result.quality.pose_detected_fraction > 0
    if seen and (not result.reps or (result.summary.no_measurement_reason or "").startswith(NOT_TEST)):
        # refused as no test (a squat, a run): "Tested leg: right (wall on the image right)" claimed a test and a wall
        followed = " then ".join(sides) if sides else result.side
        return (f"Tested leg: none ({'no rep found' if not sides else NOT_TEST}; the front leg followed: {followed}, "
                f"facing the image {result.facing})")
    if len(sides) > 1:  # a both-legs video: "Tested leg: right" beside left reps read as if one leg was tested
        return f"Tested legs: {' then '.join(sides)} (wall on the image {result.facing})"
    if seen:
        return f"Tested leg: {result.side} (wall on the image {result.facing})"
    return "Tested leg: none (no person found in the video)"  # nobody was seen: result.json's side and facing are null


def print_summary(result: Result, files: tuple[Path, ...]) -> None:
    """The short human summary on stdout: centimetres first when known, each angle named for what it is."""
    res = result.summary
    click.echo("")
    click.echo(_tested_leg_line(result))
    for rep in result.reps:
        mark = "valid" if rep.valid else "INVALID: " + "; ".join(rep.invalid_reasons)
        heel = rep.heel_words
        inc = f", inclinometer-equivalent {_deg(rep.inclinometer_equivalent_deg)}" if rep.inclinometer_equivalent_deg is not None else ""
        click.echo(f"  rep {rep.index} ({rep.side}): joint-centre {rep.tibial_inclination_deg}°{inc} at {rep.peak_s:.1f} s, {heel}, {mark}")
    if res.tibial_inclination_deg is not None:
        best = next((r for r in result.reps if r.index == result.best_rep), None)
        click.echo(f"Best valid rep {result.best_rep} ({best.heel_words if best is not None else 'heel down'}):")
        scale_method = result.scale.method if result.scale is not None else None
        knee_sd = res.uncertainty.knee_to_wall_uncertainty_cm if res.uncertainty is not None else None
        knee_wall = (f"front of the knee to the wall {res.knee_to_wall_cm} ± {knee_sd} cm (1 σ)"
                     if res.knee_to_wall_cm is not None and knee_sd is not None else "front of the knee to the wall not given (see the warnings)")
        if res.equivalent_toe_to_wall_cm is not None and res.uncertainty is not None:
            click.echo(
                f"  Equivalent toe-to-wall distance {res.equivalent_toe_to_wall_cm} ± "
                f"{res.uncertainty.equivalent_toe_to_wall_uncertainty_cm} cm (1 σ) → "
                f"{category_words(res.distance_category, res.distance_category_ci95)} (9 / 10 cm cut-offs); "
                f"{knee_wall} (scale: {scale_method})"
            )
        elif res.knee_to_wall_cm is not None and knee_sd is not None:  # a hidden toe: the knee's distance was measured all the same
            click.echo(f"  Front of the knee to the wall {res.knee_to_wall_cm} ± {knee_sd} cm (1 σ, scale: {scale_method}); "
                       "equivalent toe-to-wall distance not given (see the warnings)")
        verdict = category_words(res.category, res.category_ci95) or f"no category: {res.category_reason}"
        click.echo(f"  Inclinometer-equivalent angle (front of the shin, 15 cm below the tibial tuberosity): "
                   f"{_deg(res.inclinometer_equivalent_deg, res.inclinometer_equivalent_ci95_deg)} → {verdict}")
        from ankle_cv.outputs.summary_plot import spread_words

        leg = result.legs.get(result.side) if result.side is not None else None
        spread = spread_words(res.mean_deg, res.sd_deg, leg.reps_valid if leg else 0)
        click.echo(f"  Joint-centre inclination (ankle-to-knee axis): {_deg(res.tibial_inclination_deg, res.tibial_inclination_ci95_deg)} "
                   f"({spread}); not judged against the inclinometer norms")
        for side, leg in result.legs.items():
            if len(result.legs) > 1:
                click.echo(f"  {side}: inclinometer-equivalent {_deg(leg.inclinometer_equivalent_deg)} → "
                           f"{category_words(leg.category, leg.category_ci95) or 'no category'}, "
                           f"joint-centre {_deg(leg.tibial_inclination_deg)}, {leg.reps_valid}/{leg.reps_total} reps valid")
        if res.passes_10cm is not None:
            seen = result.scale is not None and result.scale.toe_to_wall == TOE_TO_WALL_WORDS["picture"]
            where = ("with the wall where the marker sheet shows it" if scale_method == ScaleMethod.MARKER
                     else "with the wall where the picture shows its base" if seen
                     else f"with the toes {result.foot_to_wall_cm} cm from the wall (--foot-to-wall-cm)")
            heel = best.heel_words if best is not None else "heel down"  # a best rep whose heel was not checked says so here too
            click.echo(f"Knee reached the wall, {heel}, {where}: {'yes' if res.passes_10cm else 'no'}")
        elif res.knee_to_wall_cm is not None and knee_sd is not None:
            click.echo(f"Knee reached the wall: cannot tell (front of the knee to the wall {res.knee_to_wall_cm} ± {knee_sd} cm, 1 σ)")
    else:
        from ankle_cv.outputs.refusal_advice import advice_for

        click.echo(f"No valid measurement: {res.no_measurement_reason}")
        click.echo(f"What to do: {advice_for(res.no_measurement_reason or 'no valid rep')}")  # as summary.png and the report
    from ankle_cv.protocol.movement import NOT_TEST

    if not (res.no_measurement_reason or "").startswith(NOT_TEST):  # the norms judge a test: beside "not a test" they are noise
        click.echo(f"Norms: {res.norms}")
    for w in result.quality.warnings:
        click.echo(f"warning: {w}")
    for f in files:
        click.echo(f"wrote {path_text(f)}")


def _progress_step(bar: Any) -> Callable[[int], None]:
    """A callback moving the bar to frame n and showing the frames per second so far."""
    state = {"n": 0, "start": time.perf_counter()}

    def step(n: int) -> None:
        elapsed = time.perf_counter() - state["start"]
        bar.update(n - state["n"], f"{n / elapsed:.0f} fps" if elapsed > 0.5 else None)
        state["n"] = n

    return step


@click.command()
@click.argument("videos", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_settings(MEASUREMENT_OPTIONS)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder [default: VIDEO's folder/<name>_ankle_cv]; with several videos, the folder to put theirs in.")
@click.option("--force", is_flag=True, help="Overwrite earlier outputs in the folder.")
@click.option("--no-video", is_flag=True, help="Skip annotated.mp4 (faster).")
@click.option("--json-only", is_flag=True, help="Write result.json only.")
@apply_options(HISTORY_OPTIONS)
@apply_options(MODEL_AND_MARKER_OPTIONS)
@reports_errors(interrupt=True)
def analyze(
    videos: tuple[Path, ...], settings: Settings, out_dir: Path | None, force: bool, no_video: bool, json_only: bool,
    model: str, patient_id: str | None, history_db: Path | None,
) -> None:
    """Analyse recorded knee-to-wall test videos: one with both legs, or one per leg (left.mp4 right.mp4).

    \b
    Writes into the output folder:
      result.json   the measurement (best valid rep, all reps, quality, settings)
      frames.csv    one row per frame: angles, heel rise, rep index
      annotated.mp4 the video with the shin line, angle, heel status and reps (H.264)
      summary.png   the best rep's frame beside the angle-time plot
    When the videos give a left and a right leg, asymmetry.json (both legs, the
    difference in degrees, cm when known and percent, and its flag) goes into the
    first video's folder.
    \b
    Exit codes: 0 measured; 2 unreadable input, bad option or unusable output
    folder; 3 read fine but no valid measurement (the reason is printed; the files
    are still written); 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP (the folder is left as
    it was: never a partial set).
    """
    from ankle_cv.cli.analyze_pairs import (
        ASYMMETRY_FILE,
        add_to_history,
        plan_targets,
        write_pairing,
    )
    from ankle_cv.history.store import check_patient_id
    from ankle_cv.io.video_source import probe_video
    from ankle_cv.pipeline import OUTPUT_NAMES, measure_video, write_outputs
    from ankle_cv.results.build import build_result

    pid = check_patient_id(patient_id) if patient_id is not None else None
    targets = plan_targets(videos, out_dir)
    inputs = [video for video, _ in targets]
    sets: list[OutputSet] = []
    with ending_signals() as guard:
        try:
            first_info = None
            for k, (video, target) in enumerate(targets):  # check every input and folder before the slow part
                info = probe_video(video)  # nothing is created: each set writes into a hidden staging folder
                first_info = first_info or info
                sets.append(OutputSet(target, OUTPUT_NAMES + ((ASYMMETRY_FILE,) if k == 0 else ()), force, inputs))
            done: list[tuple[Path, Result]] = []
            missing: list[NoMeasurementError] = []
            for k, ((video, target), outputs) in enumerate(zip(targets, sets)):
                # the first video was probed a moment ago (a probe decodes its first frames: 0.1-0.2 s at 1080p); a later
                # one again, as it may have changed while the ones before it were measured
                info = first_info if k == 0 and first_info is not None else probe_video(video)
                with click.progressbar(length=max(info.frames, 1), label="Tracking pose", file=sys.stderr,
                                       show_pos=True, item_show_func=lambda rate: rate) as bar:
                    step = _progress_step(bar)
                    info, series, analysis, decode_warnings = measure_video(video, settings, model, step, info=info)
                result = build_result(analysis, info, model).with_warnings_first(decode_warnings)
                make_video = not (no_video or json_only) and analysis.reps
                with click.progressbar(length=max(info.frames, 1), label="Writing outputs", file=sys.stderr,
                                       item_show_func=lambda rate: rate) as bar:
                    try:
                        write_outputs(video, info, analysis, result, outputs.folder, bool(make_video), json_only,
                                      _progress_step(bar))
                    except OSError as exc:
                        raise OutputError(f"{target}: the outputs could not be written ({reason_of(exc)}); "
                                          "nothing was changed in the folder") from None
                guard.raise_pending()  # a Ctrl-C swallowed while the outputs were drawn still ends the run here
                with guard.disarmed():  # the swap is not cut short by a signal
                    files = outputs.commit()
                print_summary(result, files)
                if result.best_rep is None:
                    missing.append(NoMeasurementError(f"{path_text(video)}: "
                                                      f"{result.summary.no_measurement_reason or 'no valid rep'}"))
                done.append((target / "result.json", result))
            with guard.disarmed():
                write_pairing(done, targets[0][1])
                if pid is not None:
                    add_to_history(done, pid, history_db)
        except BaseException:  # an error, Ctrl-C, SIGTERM or SIGHUP: the folders stay as they were
            for outputs in sets:
                outputs.discard()
            raise
    if missing:
        raise missing[0]
