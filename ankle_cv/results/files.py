"""A result.json on disk: its text, its checked Result and its content key (the one reader for report, history and export)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ankle_cv.errors import InputError
from ankle_cv.results.record import ResultFormatError
from ankle_cv.results.types import Result

MAX_RESULT_BYTES = 5_000_000  # a result.json is a few kB: a huge file is refused before it is read


def _looks_like_json(path: Path) -> bool:
    """Whether the file begins as a JSON object does (a result.json is one), whatever its name."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _video_problem(path: Path) -> str | None:
    """None when the file opens as a video (its header only: no frame is decoded); else what the decoder says."""
    import av

    try:
        with av.open(str(path)) as container:
            return None if container.streams.video else "no video stream in it"
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        return f"FFmpeg: {getattr(exc, 'strerror', None) or exc}"


def result_file(path: Path) -> Path:
    """The result.json a user named: the file, or the one in the output folder named; a video (judged by its content,
    whatever its name: .MOV, .mkv, .bin) is sent to `analyze` first; a file named like a video that is none is said so."""
    from ankle_cv.batch.inputs import OUTPUT_FOLDER_SUFFIX, VIDEO_SUFFIXES

    path = Path(path)
    if path.is_dir():
        if not (path / "result.json").exists():
            raise InputError(f"{path}: no result.json in this folder (give the folder `ankle-cv analyze` wrote, "
                             f"or its result.json)")
        return path / "result.json"
    if not path.is_file() or _looks_like_json(path):
        return path
    named_video = path.suffix.lower() in VIDEO_SUFFIXES
    if not named_video and path.suffix.lower() in (".json", ".txt", ".csv"):
        return path  # the reader says what is wrong with it
    problem = _video_problem(path)
    if problem is None:  # a new user's first guess: the video itself
        made = path.with_name(path.stem + OUTPUT_FOLDER_SUFFIX)
        then = f"give {made} (analyze's output folder)" if (made / "result.json").is_file() else (
            f"run `ankle-cv analyze {path}` first, then give the folder it writes ({made.name})")
        raise InputError(f"{path}: is a video, not a result.json: {then}")
    if named_video:
        raise InputError(f"{path}: neither a result.json nor a video that can be read ({problem})")
    return path


def read_result_text(path: Path) -> tuple[str, Result]:
    """result.json's text and its checked Result; a one-line InputError naming the file and field otherwise."""
    path = result_file(path)
    try:
        if path.stat().st_size > MAX_RESULT_BYTES:
            raise ResultFormatError(f"{path}: {path.stat().st_size // 1_000_000} MB, far larger than any result.json")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the file ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        return text, Result.from_json(text)
    except ResultFormatError as exc:
        raise ResultFormatError(f"{path}: {exc}") from None


def result_sha256(text: str) -> str:
    """Content key of a result.json, so the same result is stored once."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
