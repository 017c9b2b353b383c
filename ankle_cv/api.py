"""The public API for notebooks and batch jobs: one video in, the typed Result out, no file written."""

from __future__ import annotations

import os
from pathlib import Path

from ankle_cv.results.types import Result
from ankle_cv.settings import Settings


def measure(video: str | Path, settings: Settings | None = None, model: str = "full") -> Result:
    """Measure the knee-to-wall test in one video, as `ankle-cv analyze` does, and return its Result (nothing is written).

    >>> import ankle_cv
    >>> result = ankle_cv.measure("sample_videos/k2w_right_synthetic.mp4")          # doctest: +SKIP
    >>> result.summary.tibial_inclination_deg, result.summary.category               # doctest: +SKIP
    (40.3, <Category.NORMAL: 'normal'>)
    >>> [(r.index, r.tibial_inclination_deg, r.valid) for r in result.reps]           # doctest: +SKIP
    >>> ankle_cv.measure("left.mp4", ankle_cv.Settings(side="left", foot_to_wall_cm=8.0))  # doctest: +SKIP

    `result.to_json()` is the text analyze writes to result.json. Errors are AnkleCvError subclasses
    (InputError for an unreadable video); a clip without a valid rep returns a Result whose `best_rep` is
    None and whose `summary.no_measurement_reason` says why.
    """
    os.environ.setdefault("GLOG_minloglevel", "2")  # before mediapipe loads: keep its C++ logging quiet
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from ankle_cv.pipeline import measure_video
    from ankle_cv.results.build import build_result

    info, _, analysis, decode_warnings = measure_video(Path(video), settings or Settings(), model)
    return build_result(analysis, info, model).with_warnings_first(decode_warnings)
