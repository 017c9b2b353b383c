"""Command line entry: the `ankle-cv` group; each command is a module beside this one in ankle_cv/cli."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GLOG_minloglevel", "2")  # before mediapipe loads: keep its C++ logging quiet
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from typing import Any

import click

from ankle_cv import __version__
from ankle_cv.offline import display_over_tcp, forbid_ip_sockets, offline_environment

offline_environment()  # before any pose model exists: MediaPipe's usage upload goes nowhere


class OneLineUsageError(click.UsageError):
    """A bad option or argument said like every other error: one line on stderr, exit 2 (click prints four)."""

    def show(self, file: Any = None) -> None:
        """`ankle-cv: error: <what click found> (<command> --help lists the options)`."""
        where = f" (`{self.ctx.command_path} --help` lists the options)" if self.ctx is not None else ""
        click.echo(f"ankle-cv: error: {self.format_message().rstrip('.')}{where}", err=True)


def one_line(exc: click.UsageError) -> click.UsageError:
    """Click's usage error as a one-line one; the bare group's help (no command given) is left as click shows it."""
    if isinstance(exc, (click.exceptions.NoArgsIsHelpError, OneLineUsageError)):
        return exc
    return OneLineUsageError(exc.format_message(), exc.ctx)


class OfflineGroup(click.Group):
    """The command group; run as the program (no args given) it first forbids IP sockets for the process."""

    def main(self, args: Any = None, *pos: Any, **kwargs: Any) -> Any:
        """Block the network for the whole process (not when a test runner passes args in-process)."""
        wants_tcp = display_over_tcp() or any(a == "--dask" or a.startswith("--dask=") for a in sys.argv[1:])
        if args is None and not wants_tcp:  # a remote X display or a Dask cluster is reached over TCP
            forbid_ip_sockets()
        return super().main(args, *pos, **kwargs)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        """The group's own options (`ankle-cv --bogus`): their errors in one line too."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise one_line(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Ctrl-C, SIGTERM and SIGHUP end every command with one line and 128+n (atomic writers clean up on the way)."""
        from ankle_cv.interrupts import ending_signals, exit_code_of

        with ending_signals():
            try:
                return super().invoke(ctx)
            except click.UsageError as exc:  # a subcommand's bad option, missing argument, unknown command
                raise one_line(exc) from None
            except KeyboardInterrupt as exc:  # commands with their own handling (analyze, live) never get here
                what = "interrupted" if exit_code_of(exc) == 130 else f"ended by {exc}"
                click.echo(f"ankle-cv: {what}; nothing was written", err=True)
                sys.exit(exit_code_of(exc))


@click.group(cls=OfflineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ankle-cv")
def main() -> None:
    """Measure ankle dorsiflexion with the knee-to-wall test from a side-view video.

    \b
    Film from the side, camera at shin height, square to the line heel-toe-wall,
    the whole foot and knee in view. Then:
      ankle-cv analyze my_test.mp4

    \b
    Each command's --help says what it writes and its exit codes: 0 done,
    2 unreadable input, bad option or unusable output, 3 no valid measurement,
    4 camera absent or lost (live), 5 a batch went on past videos it could
    not read (batch.csv), 130 Ctrl-C.
    """


def _register() -> None:
    """Each command lives in its own module in ankle_cv/cli; one line here adds it."""
    from ankle_cv.cli.analyze import analyze
    from ankle_cv.cli.batch import batch
    from ankle_cv.cli.cameras import cameras
    from ankle_cv.cli.export import export
    from ankle_cv.cli.history import history
    from ankle_cv.cli.live import live
    from ankle_cv.cli.marker import marker
    from ankle_cv.cli.report import report
    from ankle_cv.cli.validate import validate

    main.add_command(analyze)
    main.add_command(batch)
    main.add_command(live)
    main.add_command(cameras)
    main.add_command(report)
    main.add_command(history)
    main.add_command(export)
    main.add_command(validate)
    main.add_command(marker)
    # further commands register here, one import + add_command each


_register()

if __name__ == "__main__":
    main()
