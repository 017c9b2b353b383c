"""How every command ends on an error: one line on stderr and the error's exit code (no traceback)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from ankle_cv.errors import EXIT_INTERRUPTED, AnkleCvError

INTERRUPTED = "ankle-cv: interrupted; no partial output was left behind"


def fail(exc: AnkleCvError) -> NoReturn:
    """One clear line on stderr and the error's own exit code."""
    click.echo(f"ankle-cv: error: {exc}", err=True)
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
            except KeyboardInterrupt:
                if not interrupt:
                    raise
                click.echo(INTERRUPTED, err=True)
                sys.exit(EXIT_INTERRUPTED)

        return run

    return decorate
