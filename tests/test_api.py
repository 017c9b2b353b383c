"""The public API: ankle_cv.measure gives the same Result that analyze writes (runs the pose model)."""

from __future__ import annotations

import pytest

import ankle_cv
from tests.golden.clips import GOLDEN_DIR, REPO

pytestmark = pytest.mark.video
TOOL_CACHES = {".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", ".benchmarks"}  # other tools may make these meanwhile


def _entries() -> set[str]:
    """The repository root's entries, without the test tools' caches."""
    return {p.name for p in REPO.iterdir()} - TOOL_CACHES


def test_measure_returns_what_analyze_writes(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    """measure() on a sample video, from the repository root: its to_json() is the golden result.json, and no file appears."""
    monkeypatch.chdir(REPO)
    before = _entries()
    result = ankle_cv.measure("sample_videos/k2w_right_synthetic.mp4")
    assert isinstance(result, ankle_cv.Result)
    assert result.to_json() == (GOLDEN_DIR / "k2w_right_synthetic" / "result.json").read_text(encoding="utf-8")
    assert _entries() == before
