"""Errors that end a run, each with the exit code the CLI returns for it."""

from __future__ import annotations


class AnkleCvError(Exception):
    """Base for failures the user can act on; `exit_code` keeps the CLI's contract in one place."""

    exit_code: int = 1


class InputError(AnkleCvError):
    """Unreadable input or a bad option (exit 2)."""

    exit_code = 2


class OutputError(AnkleCvError):
    """Outputs cannot be written or would overwrite without --force (exit 2)."""

    exit_code = 2


class NoMeasurementError(AnkleCvError):
    """The input was read but holds no valid knee-to-wall measurement (exit 3)."""

    exit_code = 3


class UnreadVideosError(AnkleCvError):
    """A batch ran to its end, but some of its videos could not be read or failed; the others were measured (exit 5)."""

    exit_code = 5


class CameraError(AnkleCvError):
    """The live camera is absent, busy or lost (exit 4)."""

    exit_code = 4


EXIT_INTERRUPTED = 130
