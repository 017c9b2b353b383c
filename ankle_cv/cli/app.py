"""Command line entry: the `ankle-cv` group; each command is a module beside this one in ankle_cv/cli."""

from __future__ import annotations

import os

os.environ.setdefault("GLOG_minloglevel", "2")  # before mediapipe loads: keep its C++ logging quiet
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import click

from ankle_cv import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ankle-cv")
def main() -> None:
    """Measure ankle dorsiflexion with the knee-to-wall test from a side-view video.

    \b
    Film from the side, camera at shin height, square to the line heel-toe-wall,
    the whole foot and knee in view. Then:
      ankle-cv analyze my_test.mp4
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
