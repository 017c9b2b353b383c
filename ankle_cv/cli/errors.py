"""How every command ends on an error: one line on stderr and the error's exit code (no traceback)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from ankle_cv.errors import EXIT_INTERRUPTED, AnkleCvError
from ankle_cv.interrupts import exit_code_of
from ankle_cv.io.path_text import printable

INTERRUPTED = "ankle-cv: interrupted; no partial output was left behind"


def fail(exc: AnkleCvError) -> NoReturn:
    """One clear line on stderr and the error's own exit code."""
    click.echo(f"ankle-cv: error: {printable(str(exc))}", err=True)
    sys.exit(exc.exit_code)


def reports_errors(*, interrupt: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turn a command's AnkleCvError into `fail`; with interrupt, Ctrl-C into one line and exit 130.

    Put it right above the command function (below @click.command and the options).
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except AnkleCvError as exc:
                fail(exc)
            except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP (ankle_cv/interrupts.py)
                if not interrupt:
                    raise
                code = exit_code_of(exc)
                click.echo(INTERRUPTED if code == EXIT_INTERRUPTED else INTERRUPTED.replace("interrupted", f"ended by {exc}"),
                           err=True)
                sys.exit(code)

        return run

    return decorate
