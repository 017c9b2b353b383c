"""Behaviour lock: `analyze --no-video` must reproduce the committed result.json and frames.csv byte for byte.

The golden files in tests/golden/<clip>/ are the outputs of the code as it stood when they were last made.
A refactor must leave them identical. A change that alters the numbers on purpose (an accuracy fix, a new
field) regenerates them deliberately and commits the diff with the change, so the review sees every number
that moved:

    python -m tests.golden.regenerate            # all clips (the shared ones need ../shared)
    git diff --stat tests/golden                 # then read the diff before committing it

The two sample videos always run; the three clips of ../shared/synthetic skip with a reason when ../shared
is absent (in a worktree at /work/wt/<name>, ../shared is /work/wt/shared).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.golden.clips import (
    GOLDEN_DIR,
    GOLDEN_FILES,
    REPO,
    SAMPLE_CLIPS,
    SHARED_CLIPS,
    run_analyze,
)

pytestmark = pytest.mark.video

CLIPS = [pytest.param(name, video, id=name) for name, video in SAMPLE_CLIPS.items()] + [
    pytest.param(name, video, id=name, marks=pytest.mark.skipif(
        not (REPO / video).exists(), reason=f"../shared is absent ({SHARED}): the shared golden clips cannot run here"))
    for name, video in SHARED_CLIPS.items()
]


def _first_difference(golden: str, now: str, name: str) -> str:
    """A short unified diff, so a failure shows which numbers moved."""
    diff = difflib.unified_diff(golden.splitlines(), now.splitlines(), f"golden/{name}", f"now/{name}", n=1, lineterm="")
    return "\n".join(list(diff)[:40])


@pytest.mark.parametrize(("name", "video"), CLIPS)
def test_outputs_match_golden(name: str, video: str, tmp_path: Path) -> None:
    """result.json and frames.csv byte-identical to tests/golden/<clip>/ (regenerate only for an intended change)."""
    proc = run_analyze(video, tmp_path)
    assert proc.returncode in (0, 3), proc.stderr[-2000:]
    for file in GOLDEN_FILES:
        golden, now = (GOLDEN_DIR / name / file).read_bytes(), (tmp_path / file).read_bytes()
        assert now == golden, (
            f"{name}/{file} differs from the golden file (intended? run `python -m tests.golden.regenerate`):\n"
            + _first_difference(golden.decode(), now.decode(), file)
        )
