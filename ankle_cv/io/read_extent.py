"""How much of a video was really decoded, so a cut-off file's result states the frames it holds, not its header's.

The decoding pass (io/video_source.read_frames) stops early on a truncated or damaged file and warns with the
count it decoded; it is part of the landmark cache's key, so it is not changed: where the analysed frames stop
short of the header's count, the readable part is counted again here (decoding only, no conversion; cut-off files
alone pay for it) and `input.frames`, `input.duration_s`, the progress and the warning all state that count.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import av

from ankle_cv.io.video_source import MISSING_FRAMES_SHARE, VideoInfo, _incomplete_mp4

TRUNCATED_NOTE = "the file is truncated:"  # how io/video_source's note on a cut-off file begins (tests/io guard it)


def decoded_extent(path: str | Path) -> tuple[int, float | None]:
    """Frames the decoder gives before it stops (the file's end or its first undecodable frame), and the last one's time."""
    container = av.open(str(path))
    try:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # as read_frames decodes, so the count is the one its warning states
        count, last_s = 0, None
        try:
            for frame in container.decode(stream):
                count += 1
                if frame.time is not None:
                    last_s = float(frame.time) if last_s is None else max(last_s, float(frame.time))
        except (av.error.FFmpegError, EOFError):
            pass
        return count, last_s
    finally:
        container.close()


def ended_early(path: Path, info: VideoInfo, analysed: int, stride: int) -> bool:
    """Whether the analysed frames may stop short of the header's count where read_frames warns of a cut-off file."""
    if analysed <= 0 or info.frames <= 0:
        return False
    fewest_decoded = (analysed - 1) * stride + 1  # the last analysed frame's number + 1
    return info.frames - fewest_decoded > max(1.0, MISSING_FRAMES_SHARE * info.frames) or _incomplete_mp4(path) is not None


def span_to_end_s(first_s: float, last_s: float, fps: float) -> float:
    """A recording's duration, first frame's start to the last frame's end, as a header states it (240 frames at 30 fps: 8.0 s)."""
    return max(0.0, last_s - first_s) + (1.0 / fps if fps > 0 else 0.0)


def as_decoded(info: VideoInfo, frames: int, last_s: float | None) -> VideoInfo:
    """The video as far as it was decoded: its frame count, and its duration to the end of the last frame."""
    if frames >= info.frames:
        return info
    duration = span_to_end_s(0.0, last_s, info.fps) if last_s is not None else frames / info.fps if info.fps > 0 else 0.0
    return replace(info, frames=frames, duration_s=duration)


def truncated_note(decoded: VideoInfo, header: VideoInfo) -> str:
    """The cut-off file's warning, worded as read_frames words it, with the count and duration the result states."""
    return (f"{TRUNCATED_NOTE} only {decoded.frames} frames ({decoded.duration_s:.1f} s) could be read of the "
            f"{header.frames} its header lists; the end of the recording is missing")


def measured_extent(
    path: Path, info: VideoInfo, analysed: int, stride: int, warnings: list[str],
) -> tuple[VideoInfo, list[str]]:
    """The video's info and the decoding warnings as they should be stated, after `analysed` frames (every `stride`-th)."""
    if not ended_early(path, info, analysed, stride):
        return info, warnings
    decoded = as_decoded(info, *decoded_extent(path))
    if decoded is info:
        return info, warnings
    return decoded, [truncated_note(decoded, info) if w.startswith(TRUNCATED_NOTE) else w for w in warnings]
