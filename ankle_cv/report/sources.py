"""Reading what analyze wrote: result.json, frames.csv beside it, and the video it names (I/O only)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ankle_cv.errors import InputError
from ankle_cv.results.files import read_result_text, result_file, result_sha256
from ankle_cv.results.plausible import PLAUSIBLE
from ankle_cv.results.types import InputInfo, Result

POINT_NAMES = ("hip", "knee", "ankle", "heel", "toe", "ankle_anchor", "shin_top")  # detected joints, measured line
DURATION_TOLERANCE_S = 0.25  # a found video's duration within this of the recorded one is the analysed video
MAX_FRAMES_CSV_BYTES = 200_000_000  # ~300 bytes a frame: over 100 hours of 15 Hz samples


@dataclass(frozen=True)
class FrameTable:
    """The frames.csv columns the report draws (NaN where empty)."""

    time_s: np.ndarray
    rep: np.ndarray
    front_side: np.ndarray
    tibial_inclination_deg: np.ndarray
    landmark_inclination_deg: np.ndarray
    heel_lifted: np.ndarray
    points: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (N, 2) pixels, when frames.csv has them

    @property
    def n_frames(self) -> int:
        """Rows in the table."""
        return int(self.time_s.size)


@dataclass(frozen=True)
class LoadedResult:
    """One analysed video as the report sees it."""

    path: Path
    result: Result
    sha256: str
    session_time: dt.datetime  # when analyze wrote result.json (local time, with its UTC offset)
    frames: FrameTable | None
    video_path: Path | None  # the analysed video when it is still there
    summary_png: Path | None

    @property
    def label(self) -> str:
        """Short name for notes: the result's folder."""
        return self.path.parent.name or str(self.path)


def _float_column(rows: list[dict[str, str]], name: str, low: float = -1e6, high: float = 1e6) -> np.ndarray:
    """A numeric column; NaN for empty, absent, unreadable or impossible cells (an edited frames.csv draws nothing wrong)."""
    out = np.full(len(rows), np.nan)
    for i, row in enumerate(rows):
        cell = row.get(name) or ""
        try:
            out[i] = float(cell[:40]) if cell else np.nan
        except (ValueError, TypeError):
            pass
    out[~((out >= low) & (out <= high))] = np.nan
    return out


def read_frames_csv(path: Path) -> FrameTable | None:
    """frames.csv as arrays; None when absent or unreadable (the report then says so)."""
    try:
        if path.stat().st_size > MAX_FRAMES_CSV_BYTES:
            return None
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if not rows or "time_s" not in rows[0] or "tibial_inclination_deg" not in rows[0]:
        return None
    points = {}
    for name in POINT_NAMES:
        if f"{name}_x_px" in rows[0] and f"{name}_y_px" in rows[0]:
            points[name] = np.stack([_float_column(rows, f"{name}_x_px", -1e5, 1e5),
                                     _float_column(rows, f"{name}_y_px", -1e5, 1e5)], axis=1)
    low, high = PLAUSIBLE["tibial_inclination_deg"]
    return FrameTable(
        time_s=_float_column(rows, "time_s", 0.0, 1e6),
        rep=np.nan_to_num(_float_column(rows, "rep", 0, 100_000)).astype(int),
        front_side=np.array([str(row.get("front_side") or "")[:8] for row in rows]),
        tibial_inclination_deg=_float_column(rows, "tibial_inclination_deg", low, high),
        landmark_inclination_deg=_float_column(rows, "landmark_inclination_deg", low, high),
        heel_lifted=np.nan_to_num(_float_column(rows, "heel_lifted", 0, 1)).astype(bool),
        points=points,
    )


def find_video(result_path: Path, recorded_input: InputInfo, video_dirs: tuple[Path, ...] = ()) -> Path | None:
    """The analysed video: in a folder the user named, at the recorded path, or beside the output folder."""
    recorded = recorded_input.path
    if not recorded:
        return None
    recorded_path = Path(recorded)
    candidates = [d / recorded_path.name for d in video_dirs] + [recorded_path]
    if not recorded_path.is_absolute():
        candidates.append(result_path.parent / recorded_path)
    candidates.append(result_path.parent.parent / recorded_path.name)
    return next((c for c in candidates if c.is_file() and video_matches(c, recorded_input)), None)


def video_matches(video: Path, recorded_input: InputInfo) -> bool:
    """Whether a found video is the analysed one: same size and duration as result.json recorded.

    A different clip under the recorded name would put another person's key frames under these numbers. A cut-off
    file's result.json records the frames and duration it held (io/read_extent.py), shorter than its header's.
    """
    from ankle_cv.io.video_source import probe_video

    try:
        info = probe_video(video)
    except (InputError, OSError, ValueError):
        return False
    if (recorded_input.width, recorded_input.height) != (info.width, info.height):
        return False
    if abs(float(recorded_input.duration_s) - info.duration_s) <= DURATION_TOLERANCE_S:
        return True
    if float(recorded_input.duration_s) >= info.duration_s:
        return False
    from ankle_cv.io.read_extent import as_decoded, decoded_extent  # a cut-off file: result.json states what it held

    try:
        decoded = as_decoded(info, *decoded_extent(video))
    except (OSError, ValueError):
        return False
    return decoded.frames == recorded_input.frames and abs(float(recorded_input.duration_s) - decoded.duration_s) <= DURATION_TOLERANCE_S


def load_result(path: Path, video_dirs: tuple[Path, ...] = ()) -> LoadedResult:
    """result.json with its frames.csv, summary.png and video when they are still beside it."""
    path = result_file(path)
    text, result = read_result_text(path)
    folder = path.parent
    summary = folder / "summary.png"
    return LoadedResult(
        path=path,
        result=result,
        sha256=result_sha256(text),
        session_time=dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone(),
        frames=read_frames_csv(folder / "frames.csv"),
        video_path=find_video(path, result.input, video_dirs),
        summary_png=summary if summary.is_file() else None,
    )
