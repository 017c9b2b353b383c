"""File names as text: a name that is not valid UTF-8 (copied from an old camera or disk) must not break the outputs."""

from __future__ import annotations

import os


def path_text(path: str | os.PathLike[str]) -> str:
    """The path as printable UTF-8 text: bytes that are not UTF-8 and control characters (a newline) appear as \\xNN."""
    return _no_controls(os.fsencode(path).decode("utf-8", "backslashreplace"))


def _no_controls(text: str) -> str:
    """Control characters as \\xNN: a message stays one line."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c for c in text)


def printable(text: str) -> str:
    """Text with a file name's undecodable bytes (lone surrogates) shown as \\xNN, so any terminal can print it."""
    return _no_controls(text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
