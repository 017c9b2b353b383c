"""One analysis run end to end: video -> landmarks -> analysis -> files. The CLI and `validate` call this."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from ankle_cv.enums import VerticalSource
from ankle_cv.errors import InputError, OutputError
from ankle_cv.io.atomic import write_text_atomic
from ankle_cv.io.foot_regions import FootRegions
from ankle_cv.io.output_set import reason_of
from ankle_cv.io.prefetch import prefetched
from ankle_cv.io.read_extent import measured_extent
from ankle_cv.io.video_source import (
    VideoInfo,
    probe_video,
    read_foot_crops,
    read_frames,
    read_frames_at,
)
from ankle_cv.kinematics.heel_edge import FootCrop
from ankle_cv.kinematics.legs import facing_sign
from ankle_cv.pose.cache import cache_file, load_cached, prepare_cache_dir, store_cached
from ankle_cv.pose.landmarker import estimate_poses, with_model_images
from ankle_cv.pose.landmarks import NOSE, PoseSeries
from ankle_cv.pose.sampling import POSE_MAX_SIDE, frame_stride
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.protocol.centimetres import attach_centimetres, marker_geometry
from ankle_cv.protocol.toe_contrast import toe_edge_contrast
from ankle_cv.protocol.wall_in_view import leg_wall_base
from ankle_cv.results.frames_csv import csv_text
from ankle_cv.results.types import Result
from ankle_cv.scene.camera_geometry import CameraGeometry
from ankle_cv.scene.marker import MarkerTracker
from ankle_cv.scene.room_camera import RoomView, room_geometry
from ankle_cv.settings import Settings

OUTPUT_NAMES = ("result.json", "frames.csv", "annotated.mp4", "summary.png")


def default_out_dir(video_path: Path) -> Path:
    """Outputs go beside the video in a folder named after it."""
    return video_path.with_name(f"{video_path.stem}_ankle_cv")


def prepare_out_dir(out_dir: Path, force: bool, names: tuple[str, ...] = OUTPUT_NAMES) -> None:
    """Create the folder; refuse to overwrite earlier outputs without --force; check it is writable."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: cannot create the output folder (a file has that name)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder ({reason_of(exc, out_dir)})") from None
    existing = [n for n in names if (out_dir / n).exists()]
    if existing and not force:
        raise OutputError(f"{out_dir}: already holds {', '.join(existing)}; use --force to overwrite or --out for another folder")
    probe = out_dir / ".ankle_cv_write_test"
    try:
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"{out_dir}: the output folder is not writable ({exc.strerror})") from None


SLOW_ANALYSIS_MODULES = ("scipy.signal", "scipy.ndimage")  # 1-2 s to import; the analysis needs them only after tracking
SLOW_OUTPUT_MODULES = ("ankle_cv.outputs.summary_plot",)  # matplotlib, ~0.5 s: summary.png needs it only after the analysis


def import_in_background(modules: tuple[str, ...]) -> None:
    """Import modules on a side thread now, so the import overlaps the tracking instead of following it."""
    import importlib
    import threading

    pending = [m for m in modules if m not in sys.modules]
    if pending:
        def load() -> None:
            for module in pending:
                importlib.import_module(module)

        threading.Thread(target=load, name="ankle-cv-imports", daemon=True).start()


def measure_video(
    video_path: Path,
    settings: Settings,
    model: str = "full",
    on_frame: Callable[[int], None] | None = None,
    series: PoseSeries | None = None,
    info: VideoInfo | None = None,
) -> tuple[VideoInfo, PoseSeries, Analysis, list[str]]:
    """Decode, track the pose and analyse; nothing is written. `series`: landmarks already tracked (validate's cache);
    `info`: the video's probe_video when the caller has just made it; the info returned states the frames and duration
    actually decoded when a cut-off file ended early (io/read_extent.py).

    The marker sheet is looked for in the same decode pass (a few frames a second); centimetres land in
    `analysis.centimetres`. Without a sheet, the first frame's room lines give the leg's plane.
    """
    info = info or probe_video(video_path)
    tracker = MarkerTracker(settings.sizes.marker_id, settings.sizes.marker_size_mm, (info.width, info.height))
    room = RoomView((info.width, info.height))
    warnings: list[str] = []
    stride = frame_stride(info.fps)
    count = [0]
    feet = FootRegions((info.width, info.height))  # the pixels the heel crops need, kept while tracking

    def tick(_frame: object) -> None:
        count[0] += stride  # progress counts video frames, not samples
        if on_frame is not None:
            on_frame(count[0])

    import_in_background(SLOW_ANALYSIS_MODULES + SLOW_OUTPUT_MODULES)  # loaded while the video is tracked, needed once it is
    if series is None:  # decoding and the scene taps run a few frames ahead on their own thread, beside the pose model
        frames = prefetched(with_model_images(room.tap(tracker.tap(read_frames(video_path, POSE_MAX_SIDE, warnings, stride, full=True)))))
        series = estimate_poses(frames, (info.width, info.height), model=model, on_frame=tick, on_pose=feet.keep)
    else:  # landmarks from a cache: one decode pass for the marker (and the first frame) alone
        for _ in room.tap(tracker.tap(read_frames(video_path, POSE_MAX_SIDE, stride=stride))):
            pass
    if series.n_frames == 0:
        raise InputError(f"{video_path}: no frame could be decoded")
    info, warnings = measured_extent(video_path, info, series.n_frames, stride, warnings)  # a cut-off file: what it holds
    times_s = series.times_s
    analysis = finish_measurement(series, measured_fps(times_s, info.fps), settings, tracker, room, lambda boxes: feet.crops(
        boxes, lambda rest: read_foot_crops(video_path, rest, stride, times_s)))  # cut from the kept pixels, any others read again
    return info, series, analysis, warnings


def measure_video_cached(
    video_path: Path, settings: Settings, cache_dir: Path | None, model: str = "full",
) -> tuple[VideoInfo, PoseSeries, Analysis, list[str]]:
    """measure_video with the landmarks read from, or else stored in, a landmark cache folder (the diagnosis scripts'
    way to re-analyse a rendered set without tracking it again)."""
    entry = cache_file(cache_dir, video_path, model) if cache_dir is not None else None
    cached = load_cached(entry) if entry is not None else None
    out = measure_video(video_path, settings, model, None, series=cached)
    if entry is not None and cached is None:
        prepare_cache_dir(entry.parent)
        store_cached(entry, out[1])
    return out


def finish_measurement(
    series: PoseSeries,
    fps: float,
    settings: Settings,
    tracker: MarkerTracker,
    room: RoomView,
    foot_crops: Callable[[dict[int, tuple[int, int, int, int]]], Mapping[int, FootCrop]],
) -> Analysis:
    """Everything after the pose model, for a file (analyze) and a camera (live) alike: the marker's or the room's
    vertical, the analysis, each rep's heel from the image (`foot_crops` cuts the frames the analysis asks for),
    and the centimetres."""
    marker = tracker.result()
    camera = marker_geometry(CameraGeometry.from_user_roll(settings.camera_roll_deg), marker, facing_sign(series), still_feet_px(series))
    # no sheet, no roll from the user: the room's lines, when clear; a marker on the wall gives way to a sure room fit
    if camera.vertical_source in (VerticalSource.IMAGE, VerticalSource.MARKER_ON_WALL):
        camera = room_geometry(camera, room.camera(series), (series.width, series.height), room.level_roll(series),
                               series.image_xy[:, NOSE, :])
    # one analysis; it asks for the crops of each rep's rest and hold frames to read the heel
    analysis = analyze_series(series, fps, settings, camera=camera, read_crops=foot_crops)
    return attach_centimetres(analysis, series, marker,
                              lambda side, toe_px, rest: leg_wall_base(analysis, series, side, toe_px, rest, foot_crops, marker),
                              lambda side, toe_px, rest: toe_edge_contrast(analysis, series, side, toe_px, rest, foot_crops))


def still_feet_px(series: PoseSeries) -> np.ndarray:
    """Both feet's heel and toe landmarks, each its median over the clip (where the feet stand)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a clip without a person: all NaN, no feet
        points = [np.nanmedian(series.leg(side)[part], axis=0) for side in ("left", "right") for part in ("heel", "toe")]
    return np.array(points, float)


def measured_fps(times_s: np.ndarray, header_fps: float) -> float:
    """Frame rate from the real timestamps (variable-rate phone videos), the header's as fallback."""
    if times_s.size > 2:
        dt = np.median(np.diff(times_s))
        if dt > 0:
            return float(1.0 / dt)
    return header_fps


def asymmetry_line(result: Result) -> str | None:
    """The between-leg difference of a both-legs result as judged (with the threshold used), for the pictures."""
    from ankle_cv.protocol.asymmetry import asymmetry_words, compute_asymmetry, pair_legs

    pairing = pair_legs([("", result)])
    asym = compute_asymmetry(pairing.left, pairing.right) if pairing.left and pairing.right else None
    if asym is None:
        return None
    why = asym.threshold_text.split(": ", 1)[-1]  # the words already name the threshold; this says where it comes from
    return f"{asymmetry_words(asym)}: {why}."


def _best_frame(video_path: Path, index: int | None, stride: int = 1, time_s: float | None = None) -> np.ndarray | None:
    """Decode one frame (the best rep's peak) for the summary picture (at most POSE_MAX_SIDE: a 4K frame costs ~1 GB there)."""
    if index is None:
        return None
    for frame in read_frames_at(video_path, {index}, stride, POSE_MAX_SIDE, {index: time_s} if time_s is not None else None):
        return frame.rgb
    return None


def write_outputs(
    video_path: Path,
    info: VideoInfo,
    analysis: Analysis,
    result: Result,
    out_dir: Path,
    video: bool = True,
    json_only: bool = False,
    on_frame: Callable[[int], None] | None = None,
    frame_of: Callable[[int], np.ndarray | None] | None = None,
    video_frames: np.ndarray | None = None,
) -> tuple[Path, ...]:
    """Write result.json, frames.csv, summary.png and annotated.mp4, each atomically.

    `frame_of(index)` gives an analysed frame's RGB when there is no video file to read it from (live mode);
    `video_frames` the video (camera) frame index of each analysed frame (default: every n-th frame of the file).
    """
    if video_frames is None:
        video_frames = np.arange(analysis.frames.times_s.size) * frame_stride(info.fps)
    result_path, result_text = out_dir / "result.json", result.to_json()
    if json_only:
        write_text_atomic(result_path, result_text)
        return (result_path,)
    result_path.unlink(missing_ok=True)  # written last: a result.json means the files beside it are complete
    files: list[Path] = []
    write_text_atomic(out_dir / "frames.csv", csv_text(analysis, video_frames))
    files.append(out_dir / "frames.csv")
    from ankle_cv.outputs.key_frame import shown_frame
    from ankle_cv.outputs.summary_plot import write_summary_png

    _, frame_index = shown_frame(analysis)  # the best rep's peak; a lifted rep's heel-up frame (outputs/key_frame.py)
    points = {k: v[frame_index] for k, v in analysis.front_xy.items()} if frame_index is not None else None
    stride = frame_stride(info.fps)
    time_s = float(analysis.frames.times_s[frame_index]) if frame_index is not None else None
    if frame_of and frame_index is not None:
        picture = frame_of(frame_index)
    else:
        picture = _best_frame(video_path, frame_index, stride, time_s)
    if picture is not None and points is not None and picture.shape[1] != info.width:
        points = {k: v * (picture.shape[1] / info.width) for k, v in points.items()}  # landmarks are in the video's pixels
    write_summary_png(out_dir / "summary.png", analysis, picture, points, tuple(result.quality.warnings),
                      asymmetry_line(result))
    files.append(out_dir / "summary.png")
    if video:
        from ankle_cv.outputs.annotated_video import write_annotated_video

        write_annotated_video(
            read_frames(video_path), out_dir / "annotated.mp4", info.fps, analysis, analysis.front_xy, video_frames,
            progress=on_frame,
        )
        files.append(out_dir / "annotated.mp4")
    write_text_atomic(result_path, result_text)
    return (result_path, *files)
