"""Run the analyzer over a folder of labelled clips and score it (the I/O side of `ankle-cv validate`).

Scripts can call `validate_folder` directly; the scoring itself is pure (ankle_cv.validation.evaluate).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ankle_cv import __version__
from ankle_cv.errors import AnkleCvError, InputError
from ankle_cv.pose.cache import cache_file, load_cached, prepare_cache_dir, store_cached
from ankle_cv.scene.camera_geometry import CameraGeometry
from ankle_cv.settings import Settings
from ankle_cv.validation.evaluate import (
    ClipReport,
    ClipTruth,
    TruthFormatError,
    ValidationReport,
    evaluate_clip,
    summarize,
    truth_from_json,
)

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm")


@dataclass(frozen=True)
class LabelledClip:
    """A video and its ground truth."""

    name: str
    video: Path
    truth_path: Path
    truth: ClipTruth


def read_truth(path: Path) -> ClipTruth:
    """Load and check a truth JSON; InputError (exit 2) naming the file and the problem."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the truth file ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON file ({exc})") from None
    try:
        return truth_from_json(doc)
    except (TruthFormatError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not a ground-truth file in the expected format ({exc})") from None


def find_labelled_clips(folder: Path) -> list[LabelledClip]:
    """Every video in the folder with a same-stem .json truth beside it, by name."""
    folder = Path(folder)
    expected = f"video files ({', '.join(VIDEO_SUFFIXES)}) each with a same-stem .json ground truth"
    if not folder.is_dir():
        what = "a file, not a folder" if folder.exists() else "no such folder"
        raise InputError(f"{folder}: {what} (expected a folder of {expected})")
    clips = []
    for video in sorted(folder.iterdir()):
        if video.name.startswith(".") or video.suffix.lower() not in VIDEO_SUFFIXES or not video.is_file():
            continue
        truth_path = video.with_suffix(".json")
        if truth_path.is_file():
            clips.append(LabelledClip(video.stem, video, truth_path, read_truth(truth_path)))
    if not clips:
        raise InputError(f"{folder}: no labelled clips found (expected {expected})")
    return clips


def settings_context(settings: Settings) -> dict[str, object]:
    """The settings as validation.json has always named them (the camera fields as set before the video is read)."""
    camera = CameraGeometry.from_user_roll(settings.camera_roll_deg)
    return {
        "side": str(settings.side), "foot_to_wall_cm": settings.foot_to_wall_cm, "heel_lift_ratio": settings.heel_lift_ratio,
        "heel_edge_ratio": settings.heel_edge_ratio, "min_excursion_deg": settings.min_excursion_deg,
        "smoothing_hz": settings.smoothing_hz, "use_silhouette": settings.use_silhouette, "camera_roll_deg": camera.roll_deg,
        "vertical_source": str(camera.vertical_source), "leg_plane_homography": camera.leg_plane_homography,
        "camera_yaw_deg": camera.yaw_deg, "camera_pitch_deg": camera.pitch_deg,
    }


def run_context(folder: str | Path, model: str, settings_doc: dict[str, object], cache_dir: str | Path | None) -> dict[str, object]:
    """What a validation run's files record about how it was made (both the rendered and the real folders)."""
    return {
        "folder": str(Path(folder).resolve()),
        "model": model,
        "settings": settings_doc,
        "ankle_cv_version": __version__,
        "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cache_dir": str(Path(cache_dir).resolve()) if cache_dir is not None else None,
    }


def validate_folder(
    folder: Path,
    settings: Settings = Settings(),
    cache_dir: Path | None = None,
    model: str = "full",
    on_clip: Callable[[int, int, LabelledClip, bool, int], None] | None = None,
    on_frame: Callable[[int], None] | None = None,
) -> ValidationReport:
    """Analyse every labelled clip as `ankle-cv analyze` would and score it against its truth.

    on_clip(i, n, clip, cached, frames) is called before each clip; on_frame(count) during tracking.
    With cache_dir, each clip's landmarks are stored and reused (see ankle_cv.pose.cache).
    """
    from ankle_cv.pipeline import measure_video
    from ankle_cv.results.build import build_result

    clips = find_labelled_clips(folder)
    if cache_dir is not None:
        prepare_cache_dir(cache_dir)
    reports: list[ClipReport] = []
    for i, clip in enumerate(clips, 1):
        entry = cache_file(cache_dir, clip.video, model) if cache_dir is not None else None
        cached = load_cached(entry) if entry is not None else None
        notes: list[str] = []
        if entry is not None and cached is None and entry.exists():
            notes.append(f"cache entry {entry.name} was unreadable and has been recomputed")
        if on_clip is not None:
            on_clip(i, len(clips), clip, cached is not None, clip.truth.n_frames)
        try:
            info, series, analysis, warnings = measure_video(clip.video, settings, model, on_frame, series=cached)
        except AnkleCvError as exc:
            reports.append(evaluate_clip(clip.name, str(clip.video), clip.truth, None, error=str(exc)))
            continue
        if entry is not None and cached is None:
            store_cached(entry, series)
        result = build_result(analysis, info, model)
        notes += warnings
        origin_s = float(analysis.frames.times_s[0]) if analysis.frames.times_s.size else 0.0
        report = evaluate_clip(clip.name, str(clip.video), clip.truth, result, time_origin_s=origin_s)
        reports.append(replace(report, notes=tuple(notes)))
    return summarize(reports, run_context(folder, model, settings_context(settings), cache_dir))
