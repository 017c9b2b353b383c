"""Decode video files with PyAV: true timestamps, upright frames, clear errors for bad files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from ankle_cv.errors import InputError


@dataclass(frozen=True)
class VideoInfo:
    """What the analysis needs to know about a clip, in display (upright) orientation."""

    path: str
    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    rotation_deg: int
    codec: str


@dataclass(frozen=True)
class Frame:
    """One decoded, upright RGB frame and its presentation time."""

    index: int
    time_s: float
    rgb: np.ndarray


def _check_path(path: Path) -> None:
    """Fail early with a message that names the file and the problem."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a video file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty (0 bytes)")


def _open(path: Path) -> av.container.InputContainer:
    """Open a container and insist on a video stream."""
    _check_path(path)
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: not a readable video ({exc.__class__.__name__}: {exc})") from None
    if not container.streams.video:
        container.close()
        raise InputError(f"{path}: the file has no video stream (audio only or not a video)")
    return container


def _rotation_of(stream: av.video.stream.VideoStream, first: av.VideoFrame | None) -> int:
    """Display rotation in degrees counter-clockwise (0, 90, 180, 270) from the frame's display matrix."""
    rotation = 0.0
    if first is not None:
        rotation = float(getattr(first, "rotation", 0) or 0)
    if rotation == 0:
        tag = stream.metadata.get("rotate") if stream.metadata else None
        if tag:
            rotation = -float(tag)
    return int(round(rotation / 90.0)) * 90 % 360


def _upright(rgb: np.ndarray, rotation_deg: int) -> np.ndarray:
    """Apply the display rotation once, so phone videos come out upright."""
    if rotation_deg == 0:
        return rgb
    return np.ascontiguousarray(np.rot90(rgb, k=rotation_deg // 90))


def probe_video(path: str | Path) -> VideoInfo:
    """Read the header and the first frame: size after rotation, fps, frame count, duration."""
    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        first = None
        try:
            for frame in container.decode(stream):
                first = frame
                break
        except av.error.FFmpegError as exc:
            raise InputError(f"{path}: cannot decode the video ({exc})") from None
        if first is None:
            raise InputError(f"{path}: the video stream holds no decodable frame")
        rotation = _rotation_of(stream, first)
        width, height = first.width, first.height
        if rotation in (90, 270):
            width, height = height, width
        fps = float(stream.average_rate or stream.guessed_rate or 0) or 30.0
        duration_s = 0.0
        if stream.duration is not None and stream.time_base is not None:
            duration_s = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration_s = container.duration / 1_000_000
        frames = int(stream.frames or round(duration_s * fps))
        if duration_s <= 0 and frames > 0:
            duration_s = frames / fps
        return VideoInfo(str(path), width, height, fps, frames, duration_s, rotation, stream.codec_context.name)
    finally:
        container.close()


def scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """Even-sized dimensions no larger than max_side, keeping the aspect ratio."""
    if not max_side or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(2, int(round(width * scale / 2)) * 2), max(2, int(round(height * scale / 2)) * 2)


def read_frames(path: str | Path, max_side: int | None = None, warnings: list[str] | None = None) -> Iterator[Frame]:
    """Yield upright RGB frames with presentation times; a truncated file ends early with a warning."""
    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rotation: int | None = None
        index = 0
        last_time = -1.0
        fallback_dt = 1.0 / float(stream.average_rate or 30)
        try:
            for frame in container.decode(stream):
                if rotation is None:
                    rotation = _rotation_of(stream, frame)
                w, h = frame.width, frame.height
                if rotation in (90, 270):
                    sw, sh = scaled_size(h, w, max_side)
                    sw, sh = sh, sw
                else:
                    sw, sh = scaled_size(w, h, max_side)
                rgb = frame.to_ndarray(format="rgb24", width=sw, height=sh)
                time_s = float(frame.time) if frame.time is not None else last_time + fallback_dt
                if time_s <= last_time:
                    time_s = last_time + 1e-3
                last_time = time_s
                yield Frame(index, time_s, _upright(rgb, rotation))
                index += 1
        except (av.error.FFmpegError, EOFError) as exc:
            if index == 0:
                raise InputError(f"{path}: cannot decode the video ({exc})") from None
            if warnings is not None:
                warnings.append(f"the video could not be decoded past frame {index} (truncated or damaged file)")
    finally:
        container.close()
