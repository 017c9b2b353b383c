"""The key frame of each leg: decoded from the analysed video, with the overlay points frames.csv stored.

Frames are matched by time (the rep's peak_s), not by index: analyze may track only every n-th frame,
so frames.csv rows and the video's frames need not share an index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankle_cv.errors import InputError
from ankle_cv.io.video_source import probe_video, read_frames
from ankle_cv.report.sources import LoadedResult

MAX_TIME_GAP_S = 0.1  # a stored row or a decoded frame farther than this from the peak is not the peak


@dataclass(frozen=True)
class KeyFrame:
    """One leg's picture at its best rep's peak: the image when the video is there, the leg's points when stored."""

    rgb: np.ndarray | None
    points: dict[str, np.ndarray] | None
    frame_size_px: tuple[int, int]
    note: str | None  # why the picture is incomplete, for the reader
    line_deg: float | None = None  # the angle the stored shin line shows in this frame (frames.csv), turned to the rep's


def _decode(loaded: LoadedResult, times_s: set[float]) -> tuple[dict[float, np.ndarray], str | None]:
    """The frame nearest each wanted time, in one pass over the video, or why the video cannot give them."""
    if loaded.video_path is None:
        return {}, "video not found"
    info = loaded.result.input
    best: dict[float, tuple[float, np.ndarray]] = {}
    try:
        probe = probe_video(loaded.video_path)
        if (probe.width, probe.height) != (info.width, info.height):
            return {}, f"video at {loaded.video_path.name} does not match result.json"
        last = max(times_s) + MAX_TIME_GAP_S
        for frame in read_frames(loaded.video_path):
            for t in times_s:
                gap = abs(frame.time_s - t)
                if gap <= MAX_TIME_GAP_S and (t not in best or gap < best[t][0]):
                    best[t] = (gap, frame.rgb)
            if frame.time_s > last:
                break
    except InputError:
        return {}, "video unreadable"
    missing = times_s - set(best)
    return {t: rgb for t, (_, rgb) in best.items()}, (f"no frame at {min(missing):.2f} s in the video" if missing else None)


def _points_at(loaded: LoadedResult, time_s: float) -> dict[str, np.ndarray] | None:
    """The stored overlay points of the frames.csv row at this time."""
    frames = loaded.frames
    if frames is None or not frames.points or not np.isfinite(frames.time_s).any():
        return None
    row = int(np.nanargmin(np.abs(frames.time_s - time_s)))
    if abs(frames.time_s[row] - time_s) > MAX_TIME_GAP_S:
        return None
    return {name: xy[row] for name, xy in frames.points.items()}


def _angle_at(loaded: LoadedResult, time_s: float) -> float | None:
    """The frames.csv row's own angle at this time: the one its stored shin line shows."""
    frames = loaded.frames
    if frames is None or not np.isfinite(frames.time_s).any():
        return None
    row = int(np.nanargmin(np.abs(frames.time_s - time_s)))
    value = float(frames.tibial_inclination_deg[row])
    return value if abs(frames.time_s[row] - time_s) <= MAX_TIME_GAP_S and np.isfinite(value) else None


def key_frames(loaded: LoadedResult, peak_times_s: dict[str, float]) -> dict[str, KeyFrame]:
    """Key frame per side (side -> its best rep's peak time) from one result."""
    if not peak_times_s:
        return {}
    images, problem = _decode(loaded, set(peak_times_s.values()))
    size = (loaded.result.input.width, loaded.result.input.height)
    out = {}
    for side, time_s in peak_times_s.items():
        points = _points_at(loaded, time_s)
        rgb = images.get(time_s)
        note = None
        if rgb is None:
            note = f"{problem or 'no video'}: leg drawn from the stored landmarks" if points else f"{problem or 'no video'}: no key frame"
        out[side] = KeyFrame(rgb, points, size, note, _angle_at(loaded, time_s))
    return out
