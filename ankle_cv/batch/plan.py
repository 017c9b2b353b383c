"""What a batch run has to do: each video's job, which videos an earlier run already finished, whose patient each is."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ankle_cv.batch.inputs import absolute, find_videos, output_names
from ankle_cv.batch.job import STATUS_MEASURED, STATUS_NO_MEASUREMENT, MeasureOptions, VideoJob, VideoOutcome
from ankle_cv.batch.table import VideoRecord, previous_batch
from ankle_cv.errors import AnkleCvError, InputError, NoMeasurementError

PATIENT_FROM_FOLDER = "folder"


@dataclass(frozen=True)
class PlannedVideo:
    """One video of the batch: its job, and its record when complete outputs from an earlier run are kept."""

    job: VideoJob
    video: str
    output: str
    patient_id: str | None
    size_bytes: int
    mtime_ns: int
    kept: VideoRecord | None

    def record(self, outcome: VideoOutcome) -> VideoRecord:
        """The record once the video has run."""
        return VideoRecord(self.video, self.output, self.patient_id, self.size_bytes, self.mtime_ns, outcome, False)


@dataclass(frozen=True)
class BatchPlan:
    """Every video in the batch's order, and how many other files and earlier output folders the inputs held."""

    videos: tuple[PlannedVideo, ...]
    ignored_files: int
    output_folders: int = 0

    @property
    def todo(self) -> list[PlannedVideo]:
        """The videos to run now."""
        return [v for v in self.videos if v.kept is None]


def patient_id_rule(spec: str | None) -> Callable[[Path], str | None]:
    """How to read a video's patient id: its folder's name, or a regular expression on its file name.

    The expression's group named `id`, else its first group, else the whole match is the id.
    """
    from ankle_cv.history.store import check_patient_id

    if spec is None:
        return lambda _video: None
    if spec == PATIENT_FROM_FOLDER:
        return lambda video: check_patient_id(absolute(video).parent.name)
    try:
        pattern = re.compile(spec)
    except re.error as exc:
        raise InputError(f"--patient-id-from: {spec!r} is neither 'folder' nor a valid regular expression ({exc})") from None

    def from_name(video: Path) -> str | None:
        match = pattern.search(video.name)
        if match is None:
            return None
        text = match.groupdict().get("id") or (match.group(1) if pattern.groups else match.group(0))
        return check_patient_id(text) if text else None

    return from_name


def _options_differ(previous: dict[str, Any] | None, options: MeasureOptions) -> str | None:
    """The first option an earlier batch in the folder was run with differently, in words; None when the same."""
    if previous is None or not isinstance(previous.get("options"), dict):
        return None
    for key, value in options.as_dict().items():
        if key in previous["options"] and previous["options"][key] != value:
            return f"{key}: {previous['options'][key]} then, {value} now"
    return None


def _kept_outcome(result_path: Path, video_abs: str) -> VideoOutcome | None:
    """The outcome of complete outputs from an earlier run (result.json is written last), if they are this video's."""
    from ankle_cv.results.files import read_result_text

    try:
        text, result = read_result_text(result_path)
    except (OSError, AnkleCvError):
        return None
    if result.input.path != video_abs:
        return None
    if result.best_rep is not None:
        return VideoOutcome(video_abs, 0, STATUS_MEASURED, "", 0.0, 0.0, text)
    reason = result.summary.no_measurement_reason or "no valid rep"
    return VideoOutcome(video_abs, NoMeasurementError.exit_code, STATUS_NO_MEASUREMENT, reason, 0.0, 0.0, text)


def finished_record(planned: PlannedVideo) -> VideoRecord | None:
    """The video's record when its folder now holds its complete result (it finished but was not reported yet)."""
    outcome = _kept_outcome(Path(planned.job.out_dir) / "result.json", planned.job.video)
    if outcome is None:
        return None
    return VideoRecord(planned.video, planned.output, planned.patient_id, planned.size_bytes, planned.mtime_ns, outcome, True)


def plan_batch(
    inputs: tuple[str, ...], out_dir: Path, options: MeasureOptions, force: bool, patient_spec: str | None
) -> BatchPlan:
    """Find the videos, name their folders, keep what an earlier run with the same options finished (unless force)."""
    found = find_videos(inputs, out_dir)
    names = output_names(found.videos)
    previous = None if force else previous_batch(out_dir)
    differ = _options_differ(previous, options)
    if differ:
        raise InputError(f"{out_dir}: holds a batch made with other options ({differ}); add --force to redo every video, "
                         "or choose another --out")
    seen = {v.get("video"): v for v in (previous or {}).get("videos", []) if isinstance(v, dict)}
    patient_of = patient_id_rule(patient_spec)
    planned = []
    for video in found.videos:
        video_abs = str(absolute(video))
        try:
            stat = video.stat()
            size, mtime = stat.st_size, stat.st_mtime_ns
        except OSError:
            size, mtime = -1, -1
        target = out_dir / names[video]
        pid = patient_of(video)
        before = seen.get(str(video))
        unchanged = before is None or (before.get("size_bytes"), before.get("mtime_ns")) == (size, mtime)
        outcome = _kept_outcome(target / "result.json", video_abs) if not force and unchanged else None
        kept = VideoRecord(str(video), names[video], pid, size, mtime, outcome, True) if outcome is not None else None
        job = VideoJob(video_abs, str(target.resolve()), options)
        planned.append(PlannedVideo(job, str(video), names[video], pid, size, mtime, kept))
    return BatchPlan(tuple(planned), found.ignored_files, found.output_folders)

