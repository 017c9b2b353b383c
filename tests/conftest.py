"""Shared fixtures: where ../shared is, and the project's sample videos."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "sample_videos"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout (skip when absent)."""
    if not (SHARED / "README.md").exists():
        pytest.skip(f"../shared is absent ({SHARED}): the shared test footage is not available here")
    return SHARED
