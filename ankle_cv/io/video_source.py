"""Decode video files with PyAV: true timestamps, upright frames, clear errors for bad files."""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from ankle_cv.errors import InputError
from ankle_cv.kinematics.heel_edge import FootCrop


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
    full_rgb: np.ndarray | None = None  # the frame at full resolution, when asked for and `rgb` is downscaled


STILL_IMAGE_FORMATS = ("image2", "_pipe", "gif", "webp")  # FFmpeg demuxers that read pictures
DARK_BRIGHTNESS = 0.12  # mean pixel level (0..1) below which a video counts as very dark
BRIGHTNESS_EVERY = 10  # sample the brightness of every 10th frame (cheap, on the downscaled frame)
MISSING_FRAMES_SHARE = 0.05  # fewer decoded frames than the header's count by this share: the end is missing


def _check_path(path: Path) -> None:
    """Fail early with a message that names the file and the problem."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a video file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty (0 bytes)")


def _mp4_boxes(path: Path) -> tuple[tuple[str, ...], bool] | None:
    """Top-level boxes of an MP4/MOV file and whether the last one runs past the end (None: not an MP4)."""
    total = path.stat().st_size
    kinds: list[str] = []
    pos = 0
    with path.open("rb") as fh:
        while pos + 8 <= total:
            fh.seek(pos)
            head = fh.read(16)
            size, kind = int.from_bytes(head[:4], "big"), head[4:8]
            if not kind.isalnum() or (not kinds and kind != b"ftyp"):
                break
            if size == 1 and len(head) == 16:
                size = int.from_bytes(head[8:16], "big")
            elif size == 0:
                size = total - pos
            if size < 8:
                break
            kinds.append(kind.decode("ascii"))
            pos += size
    if not kinds:
        return None
    return tuple(kinds), pos > total


def _incomplete_mp4(path: Path) -> str | None:
    """Why an MP4 is incomplete (cut-off recording, copy in progress), or None."""
    layout = _mp4_boxes(path)
    if layout is None:
        return None
    kinds, cut = layout
    if "moov" not in kinds:
        return "its index, the 'moov' box, is missing"
    if cut:
        return "it ends in the middle of its data"
    return None


def _open(path: Path) -> av.container.InputContainer:
    """Open a container and insist on a video stream."""
    _check_path(path)
    try:
        container = av.open(str(path))
    except PermissionError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        incomplete = _incomplete_mp4(path)
        if incomplete:
            raise InputError(
                f"{path}: the MP4 file is incomplete ({incomplete}): the recording was cut off or the file is "
                "still being copied; copy or export it again"
            ) from None
        detail = getattr(exc, "strerror", None) or str(exc)
        raise InputError(f"{path}: not a video file that can be read (FFmpeg: {detail})") from None
    if not container.streams.video:
        container.close()
        raise InputError(f"{path}: the file has no video stream (audio only or not a video)")
    return container


def _is_still_image(container: av.container.InputContainer) -> bool:
    """Whether FFmpeg read the file as a picture (JPEG, PNG, ...) rather than a video."""
    name = container.format.name
    return any(key in name for key in STILL_IMAGE_FORMATS)


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
        try:
            decoded = container.decode(stream)
            first = next(decoded, None)
            second = next(decoded, None)
        except av.error.FFmpegError as exc:
            raise InputError(f"{path}: cannot decode the video ({exc})") from None
        if first is None:
            raise InputError(f"{path}: the video stream holds no decodable frame")
        if second is None:
            what = f"is a still image ({stream.codec_context.name})" if _is_still_image(container) else "holds a single frame"
            raise InputError(f"{path}: {what}, not a video: film the knee-to-wall reps as a video")
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


def _converted(
    frame: av.VideoFrame, rotation: int, max_side: int | None, full: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """A decoded frame as RGB, at most max_side (as stored, before the display rotation), and when `full` and that
    was downscaled, also at full resolution (upright)."""
    w, h = frame.width, frame.height
    if rotation in (90, 270):
        sw, sh = scaled_size(h, w, max_side)
        sw, sh = sh, sw
    else:
        sw, sh = scaled_size(w, h, max_side)
    rgb = frame.to_ndarray(format="rgb24", width=sw, height=sh)
    if not full or (sw, sh) == (w, h):
        return rgb, None
    return rgb, _upright(frame.to_ndarray(format="rgb24", width=w, height=h), rotation)


def read_frames(
    path: str | Path, max_side: int | None = None, warnings: list[str] | None = None, stride: int = 1,
    keep: Container[int] | None = None, full: bool = False,
) -> Iterator[Frame]:
    """Yield upright RGB frames with presentation times; a truncated file ends early with a warning.

    With `stride` n only every n-th decoded frame is converted and yielded (Frame.index counts the
    yielded frames), so skipped frames cost only their decoding. With `keep`, only the frames whose index
    is in it are converted and yielded (indices still count every sampled frame). With `full`, a frame
    downscaled to max_side also carries its full-resolution conversion (Frame.full_rgb).
    """
    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        rotation: int | None = None
        index = 0
        last_time = -1.0
        fallback_dt = 1.0 / float(stream.average_rate or 30)
        brightness: list[float] = []
        n_decoded = 0
        try:
            for decoded, frame in enumerate(container.decode(stream)):
                n_decoded = decoded + 1
                if decoded % stride:
                    continue
                if rotation is None:
                    rotation = _rotation_of(stream, frame)
                if keep is not None and index not in keep:
                    index += 1
                    continue
                rgb, full_rgb = _converted(frame, rotation, max_side, full)
                time_s = float(frame.time) if frame.time is not None else last_time + fallback_dt
                if time_s <= last_time:
                    time_s = last_time + 1e-3
                last_time = time_s
                if warnings is not None and index % BRIGHTNESS_EVERY == 0:
                    brightness.append(float(rgb.mean()) / 255.0)
                yield Frame(index, time_s, _upright(rgb, rotation), full_rgb)
                index += 1
        except (av.error.FFmpegError, EOFError) as exc:
            if index == 0:
                raise InputError(f"{path}: cannot decode the video ({exc})") from None
            if warnings is not None:
                warnings.append(f"the video could not be decoded past frame {n_decoded} (truncated or damaged file)")
                return
        if warnings is not None:
            warnings.extend(_reading_notes(path, n_decoded, int(stream.frames or 0), max(last_time, 0.0), brightness))
    finally:
        container.close()


def _reading_notes(path: Path, decoded: int, header_frames: int, last_s: float, brightness: list[float]) -> list[str]:
    """Warnings a whole read can show: the file ends early (cut-off copy) or the video is very dark."""
    notes = []
    missing = header_frames - decoded
    if _incomplete_mp4(path) or (header_frames > 0 and missing > max(1, MISSING_FRAMES_SHARE * header_frames)):
        notes.append(
            f"the file is truncated: only {decoded} frames ({last_s:.1f} s) could be read"
            + (f" of the {header_frames} its header lists" if header_frames > decoded else "")
            + "; the end of the recording is missing"
        )
    level = float(np.median(brightness)) if brightness else 1.0
    if level < DARK_BRIGHTNESS:
        notes.append(
            f"the video is very dark (mean brightness {100 * level:.0f}% of full scale): the person and the feet "
            "may be missed or misplaced; film in better light"
        )
    return notes


SEEK_GAP_S = 2.0  # a wanted frame this far past the last one: seek to the keyframe before it rather than decode through


class _SeekMiss(Exception):
    """A wanted time was not met exactly after a seek (odd timestamps): read the rest from the start."""


def _frames_by_seeking(path: Path, times_s: Mapping[int, float], max_side: int | None) -> Iterator[Frame]:
    """The sampled frames at these presentation times (index -> time), in time order, decoded from the keyframe before
    each group of them (decoding from a keyframe gives the same pixels as from the start). Raises _SeekMiss.
    """
    wanted = sorted(times_s.items(), key=lambda item: item[1])
    container = _open(path)
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        tb = float(stream.time_base or 0)
        if tb <= 0:
            raise _SeekMiss
        k = 0
        while k < len(wanted):
            container.seek(int(wanted[k][1] / tb), stream=stream, backward=True, any_frame=False)
            for frame in container.decode(stream):
                if frame.time is None or frame.time > wanted[k][1] + 1e-6:
                    raise _SeekMiss  # passed a wanted time without meeting it
                if abs(frame.time - wanted[k][1]) > 1e-6:
                    continue
                rotation = _rotation_of(stream, frame)
                w, h = (frame.height, frame.width) if rotation in (90, 270) else (frame.width, frame.height)
                sw, sh = scaled_size(w, h, max_side)
                if rotation in (90, 270):
                    sw, sh = sh, sw
                rgb = frame.to_ndarray(format="rgb24", width=sw, height=sh)
                yield Frame(wanted[k][0], float(frame.time), _upright(rgb, rotation))
                k += 1
                if k == len(wanted) or wanted[k][1] - frame.time > SEEK_GAP_S:
                    break
            else:
                raise _SeekMiss  # the stream ended first
    except (av.error.FFmpegError, EOFError):
        raise _SeekMiss from None
    finally:
        container.close()


def read_frames_at(
    path: str | Path, indices: Container[int], stride: int = 1, max_side: int | None = None,
    times_s: Mapping[int, float] | None = None,
) -> Iterator[Frame]:
    """The sampled frames with these indices: by seeking when their times are known (the tracking pass's), else, or
    for those a seek misses, read from the start."""
    path = Path(path)
    done: set[int] = set()
    if times_s:
        try:
            for frame in _frames_by_seeking(path, times_s, max_side):
                done.add(frame.index)
                yield frame
            return
        except _SeekMiss:
            pass
    rest = {i for i in times_s if i not in done} if times_s else indices
    for frame in read_frames(path, max_side, None, stride, keep=rest):
        yield frame


def read_foot_crops(
    path: str | Path, boxes: Mapping[int, tuple[int, int, int, int]], stride: int = 1,
    times_s: np.ndarray | Sequence[float] | None = None,
) -> dict[int, FootCrop]:
    """Full-resolution grey crops of the sampled frames in `boxes` (sample index -> x0, y0, x1, y1).

    With the samples' times (the tracking pass's), only the stretches around the wanted frames are decoded.
    """
    crops: dict[int, FootCrop] = {}
    if not boxes:
        return crops
    last = max(boxes)
    wanted_times = {i: float(times_s[i]) for i in boxes} if times_s is not None else None
    for frame in read_frames_at(path, boxes, stride, None, wanted_times):
        crop = foot_crop(frame.rgb, boxes[frame.index])
        if crop is not None:
            crops[frame.index] = crop
        if frame.index >= last:
            break
    return crops


def foot_crop(rgb: np.ndarray, box: tuple[int, int, int, int], origin: tuple[int, int] = (0, 0)) -> FootCrop | None:
    """The grey crop of a full-resolution RGB picture (or of a part of one whose top-left pixel is `origin`) in an
    image box; None when less than 8 px of it is in the picture (the foot is out of it)."""
    x0, y0, x1, y1 = box
    ox, oy = origin
    cut = rgb[y0 - oy:y1 - oy, x0 - ox:x1 - ox]  # a box past the picture's edge is cut there
    if min(cut.shape[:2]) < 8:
        return None
    return FootCrop(x0, y0, cut.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32), np.array(cut, np.uint8))
