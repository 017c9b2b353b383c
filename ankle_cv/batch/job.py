"""One video of a batch, as a worker runs it: measure, write the same outputs as `analyze`, report how it went.

Runs in a pool process or on a Dask worker, so everything it takes and returns is a small picklable value,
and it never raises for a bad video: the outcome says what happened. Heavy modules load inside the call.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ankle_cv.settings import Settings

EXIT_MEASURED = 0
EXIT_FAILED = 1  # an unexpected error or a worker that died: a bug to report, the batch goes on
STATUS_MEASURED = "measured"
STATUS_NO_MEASUREMENT = "no valid measurement"
STATUS_REFUSED = "refused"  # unreadable input or unusable output folder (analyze's exit 2)
STATUS_FAILED = "failed"


@dataclass(frozen=True)
class MeasureOptions:
    """What every video of a batch is measured with: the user's Settings, the model, which files are written."""

    settings: Settings = Settings()
    model: str = "full"
    video: bool = True  # write annotated.mp4
    json_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        """For batch.json, and to tell whether earlier outputs were made with the same options."""
        return json.loads(json.dumps(asdict(self)))  # enums as their text, as batch.json holds them


@dataclass(frozen=True)
class VideoJob:
    """One video and the folder its outputs go to (absolute, so a worker on another machine finds it on shared storage)."""

    video: str
    out_dir: str
    options: MeasureOptions


@dataclass(frozen=True)
class VideoOutcome:
    """How one video went: analyze's exit code and status, the reason when not measured, what it cost."""

    video: str
    exit_code: int
    status: str
    reason: str
    seconds: float
    worker_peak_rss_mb: float
    result_text: str | None = None  # result.json as written, when there is one


def quiet_environment() -> None:
    """The CLI's environment in a worker: MediaPipe's native logging quiet, set before it is imported."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def quiet_worker() -> None:
    """A local pool worker: the CLI's environment, and native chatter (MediaPipe's INFO lines) kept off the progress bar."""
    quiet_environment()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _measure(job: VideoJob) -> tuple[str, bool, str | None]:
    """Measure the video and write its outputs as `analyze` does: result.json's text, measured?, the reason if not."""
    from ankle_cv.io.video_source import probe_video

    probe_video(job.video)  # an unreadable file is refused before the pose model and its imports load
    from ankle_cv.io.output_set import OutputSet
    from ankle_cv.pipeline import OUTPUT_NAMES, measure_video, write_outputs
    from ankle_cv.results.build import build_result

    o = job.options
    video, out_dir = Path(job.video), Path(job.out_dir)
    info, _series, analysis, decode_warnings = measure_video(video, o.settings, o.model)
    result = build_result(analysis, info, o.model).with_warnings_first(decode_warnings)
    # the batch decided to (re)do this folder (force); written aside and swapped in whole, as analyze does, so an
    # interrupted or failed video leaves its folder as it was, never a partial set
    outputs = OutputSet(out_dir, OUTPUT_NAMES, force=True, inputs=[video])
    try:
        write_outputs(video, info, analysis, result, outputs.folder, o.video and bool(analysis.reps), o.json_only)
        outputs.commit()
    except BaseException:
        outputs.discard()
        raise
    return result.to_json(), result.best_rep is not None, result.summary.no_measurement_reason


def run_video(job: VideoJob) -> VideoOutcome:
    """Measure one video; any failure becomes the outcome's status and reason (never raised)."""
    quiet_environment()
    from ankle_cv.errors import AnkleCvError, InputError, NoMeasurementError

    start = time.perf_counter()
    text: str | None = None
    try:
        text, measured, why = _measure(job)
    except AnkleCvError as exc:
        code, reason = exc.exit_code, str(exc).removeprefix(f"{job.video}: ")  # the row names the video already
        status = STATUS_REFUSED if code == InputError.exit_code else STATUS_FAILED
    except Exception as exc:
        code, status, reason = EXIT_FAILED, STATUS_FAILED, f"{type(exc).__name__}: {exc}"
    else:
        if measured:
            code, status, reason = EXIT_MEASURED, STATUS_MEASURED, ""
        else:
            code, status, reason = NoMeasurementError.exit_code, STATUS_NO_MEASUREMENT, why or "no valid rep"
    return VideoOutcome(job.video, code, status, reason, round(time.perf_counter() - start, 2), round(peak_rss_mb(), 1), text)
