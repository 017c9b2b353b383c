"""Regenerate the golden files on purpose: `python -m tests.golden.regenerate [CLIP ...]` from the repository root.

Run it only when a change is meant to move the numbers (an accuracy fix, a new result field), then read
`git diff tests/golden` and commit the new files with the change that made them. Clips of ../shared are
skipped with a message when it is absent.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.golden.clips import (
    GOLDEN_DIR,
    GOLDEN_FILES,
    REPO,
    SAMPLE_CLIPS,
    SHARED_CLIPS,
    run_analyze,
)


def regenerate(names: list[str]) -> int:
    """Run analyze on each named clip (all when none) and copy its golden files in; 1 if any run failed."""
    clips = {**SAMPLE_CLIPS, **SHARED_CLIPS}
    unknown = [n for n in names if n not in clips]
    if unknown:
        print(f"unknown clip(s): {', '.join(unknown)}; known: {', '.join(clips)}", file=sys.stderr)
        return 1
    status = 0
    for name in names or list(clips):
        video = clips[name]
        if not (REPO / video).exists():
            print(f"skip {name}: {video} is absent")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            proc = run_analyze(video, Path(tmp))
            if proc.returncode not in (0, 3):
                print(f"FAILED {name} (exit {proc.returncode}):\n{proc.stderr[-2000:]}", file=sys.stderr)
                status = 1
                continue
            (GOLDEN_DIR / name).mkdir(exist_ok=True)
            for file in GOLDEN_FILES:
                shutil.copyfile(Path(tmp) / file, GOLDEN_DIR / name / file)
        print(f"wrote tests/golden/{name}/{{{','.join(GOLDEN_FILES)}}}")
    return status


if __name__ == "__main__":
    sys.exit(regenerate(sys.argv[1:]))
