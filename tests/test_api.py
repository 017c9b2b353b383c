"""The public API: ankle_cv.measure gives the same Result that analyze writes (runs the pose model)."""

from __future__ import annotations

import pytest

import ankle_cv
from tests.golden.clips import GOLDEN_DIR, REPO

pytestmark = pytest.mark.video


def test_measure_returns_what_analyze_writes(monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory) -> None:
    """measure() on a sample video, from the repository root: its to_json() is the golden result.json, and no file appears."""
    monkeypatch.chdir(REPO)
    before = set(REPO.iterdir())
    result = ankle_cv.measure("sample_videos/k2w_right_synthetic.mp4")
    assert isinstance(result, ankle_cv.Result)
    assert result.to_json() == (GOLDEN_DIR / "k2w_right_synthetic" / "result.json").read_text(encoding="utf-8")
    assert set(REPO.iterdir()) == before
