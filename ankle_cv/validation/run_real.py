"""Run the analyzer over real footage with the annotators' reference and score it (I/O side; scoring in real_reference).

A folder is real footage when it holds `annotations.json` in the format of ../shared/real/README.md; the clips are
found beside it or in its `clips/` subfolder.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ankle_cv.errors import AnkleCvError, InputError
from ankle_cv.pose.cache import cache_file, load_cached, prepare_cache_dir, store_cached
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.settings import Settings
from ankle_cv.validation.real_reference import (
    AnnotationFormatError,
    OurFrames,
    RealClip,
    RealClipReport,
    RealReference,
    RealReport,
    reference_from_json,
    score_frame,
    summarize_real,
)
from ankle_cv.validation.run import run_context

ANNOTATIONS = "annotations.json"


@dataclass(frozen=True)
class RealClipFile:
    """One annotated clip and where its video is."""

    clip: RealClip
    video: Path

    @property
    def name(self) -> str:
        """The clip's name (for progress lines)."""
        return self.clip.name


def is_real_folder(folder: Path) -> bool:
    """The folder holds a real-footage annotation file."""
    return (Path(folder) / ANNOTATIONS).is_file()


def read_reference(folder: Path) -> tuple[RealReference, list[RealClipFile]]:
    """The annotations and each clip's video; InputError (exit 2) naming the file and the problem."""
    path = Path(folder) / ANNOTATIONS
    try:
        ref = reference_from_json(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the annotation file ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON file ({exc})") from None
    except (AnnotationFormatError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not a real-footage annotation file in the expected format ({exc})") from None
    files = []
    for clip in ref.clips.values():
        video = next((p for p in (Path(folder) / "clips" / clip.file, Path(folder) / clip.file) if p.is_file()), None)
        if video is None:
            raise InputError(f"{path}: clip {clip.name!r}: video {clip.file} not found in {folder} or its clips/ folder")
        files.append(RealClipFile(clip, video))
    return ref, files


def our_frames(series: PoseSeries, analysis: Analysis) -> OurFrames:
    """The per-frame view of one analysis that the real reference is scored against."""
    f = analysis.frames
    ci = f.tibial_inclination_ci95_deg if f.tibial_inclination_ci95_deg is not None else np.full(series.n_frames, np.nan)
    legs = {side: {p: series.leg(side)[p] for p in ("knee", "ankle")} for side in ("left", "right")}
    return OurFrames(f.times_s, analysis.facing, f.tibial_inclination_deg, f.angle_source, ci, analysis.front_xy["ankle"], legs,
                     analysis.no_measurement_reason)


def validate_real_folder(
    folder: Path,
    settings: Settings | None = None,
    cache_dir: Path | None = None,
    model: str = "full",
    on_clip: Callable[[int, int, RealClipFile, bool, int], None] | None = None,
    on_frame: Callable[[int], None] | None = None,
) -> RealReport:
    """Analyse every annotated clip as `ankle-cv analyze` would and score its annotated frames."""
    from ankle_cv.io.video_source import probe_video
    from ankle_cv.pipeline import measure_video

    settings = settings or Settings()
    ref, files = read_reference(folder)
    if cache_dir is not None:
        prepare_cache_dir(cache_dir)
    reports: list[RealClipReport] = []
    for i, item in enumerate(files, 1):
        entry = cache_file(cache_dir, item.video, model) if cache_dir is not None else None
        cached = load_cached(entry) if entry is not None else None
        frames = [fr for fr in ref.frames if fr.clip == item.clip.name]
        if on_clip is not None:
            on_clip(i, len(files), item, cached is not None, probe_video(item.video).frames)
        try:
            _, series, analysis, _ = measure_video(item.video, settings, model, on_frame, series=cached)
        except AnkleCvError as exc:
            reports.append(RealClipReport(item.clip.name, item.clip.test_like, item.clip.expected, None, (), error=str(exc)))
            continue
        if entry is not None and cached is None:
            store_cached(entry, series)
        ours = our_frames(series, analysis)
        rows = tuple(score_frame(fr, item.clip, ours) for fr in frames)
        reports.append(RealClipReport(item.clip.name, item.clip.test_like, item.clip.expected, analysis.no_measurement_reason, rows))
    return summarize_real(reports, run_context(folder, model, asdict(settings), cache_dir))
