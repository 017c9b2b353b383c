"""A result.json on disk: its text, its checked Result and its content key (the one reader for report, history and export)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ankle_cv.errors import InputError
from ankle_cv.results.record import ResultFormatError
from ankle_cv.results.types import Result

MAX_RESULT_BYTES = 5_000_000  # a result.json is a few kB: a huge file is refused before it is read


def read_result_text(path: Path) -> tuple[str, Result]:
    """result.json's text and its checked Result; a one-line InputError naming the file and field otherwise."""
    path = Path(path)
    if path.is_dir() and (path / "result.json").exists():
        path = path / "result.json"
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
