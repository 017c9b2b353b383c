"""The ankle-cv command line: app.py is the group, one module per command."""

from ankle_cv.cli.app import main

__all__ = ["main"]
