"""Shared fixtures: where ../shared is, and the project's sample videos."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "sample_videos"

# A suite started as a background job without job control inherits SIGINT ignored, and so would every CLI it
# starts; the Ctrl-C tests stand for a user's terminal, where it is not: a Python handler here resets the children
# to the default on exec.
signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout (skip when absent)."""
    if not (SHARED / "README.md").exists():
        pytest.skip(f"../shared is absent ({SHARED}): the shared test footage is not available here")
    return SHARED
