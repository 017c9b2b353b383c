"""Do the overlay, the figure, the report and the JSON agree rep by rep on every clip? (issue 20's "done when")

Runs the visual suite's per-clip checks (tests/outputs/test_visual_story.py: each test taking one clip's outputs)
on every video given, or by default on every clip of ../shared (synthetic/, real/clips/, videos/) and the two
sample videos, and prints one row per clip: reps (valid of all), whether every check passed, what differed.

    nice -n 10 python benchmarks/story_agreement.py [VIDEO ...] [--cache DIR] [--json OUT.json]

Pose landmarks are kept in --cache (the `validate --cache` format), so a re-run only redoes the analysis.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.outputs import test_visual_story as story  # noqa: E402  (the suite's checks, as they are)

VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".mkv", ".avi")


def default_clips() -> list[Path]:
    """Every clip of ../shared and the repository's sample videos."""
    shared = REPO.parent / "shared" if (REPO.parent / "shared").is_dir() else REPO.parents[1] / "shared"
    found: list[Path] = []
    for folder in (shared / "synthetic", shared / "real" / "clips", shared / "videos", REPO / "sample_videos"):
        found += sorted(p for p in folder.glob("*") if p.suffix.lower() in VIDEO_SUFFIXES)
    return found


def per_clip_checks() -> list[tuple[str, object]]:
    """The suite's tests that take one clip's outputs (`outs`), in file order."""
    tests = [(name, fn) for name, fn in vars(story).items() if name.startswith("test_") and callable(fn)]
    return [(name, fn) for name, fn in tests if "outs" in inspect.signature(fn).parameters]


def _failure(exc: BaseException) -> str:
    """The failure's first line, and for a bare `assert` (no message outside pytest) the check's own source line."""
    said = (f"{type(exc).__name__}: {exc}".splitlines() or [""])[0]
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == story.__file__]
    if frames and (not str(exc).strip() or isinstance(exc, AssertionError)):
        said += f" [line {frames[-1].lineno}: {(frames[-1].line or '').strip()}]"
    return said[:400]


def check_clip(video: Path, cache: Path, work: Path) -> dict:
    """One clip's outputs, then every per-clip check on them; failures kept as their first line."""
    name = f"{video.parent.name}-{video.stem}"
    story.EXTRA_CLIPS[name] = video
    started = time.perf_counter()
    try:
        outs = story._analyse(name, Path(tempfile.mkdtemp(dir=work)), cache)
    except Exception as exc:  # an unreadable clip is a row too
        return {"clip": name, "error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    row: dict = {"clip": name, "reps": len(outs.result["reps"]), "valid": sum(r["valid"] for r in outs.result["reps"]),
                 "best_rep": outs.result["best_rep"], "failed": {}, "skipped": {}, "passed": []}
    for test_name, fn in per_clip_checks():
        kwargs = {"outs": outs}
        if "tmp_path" in inspect.signature(fn).parameters:
            kwargs["tmp_path"] = Path(tempfile.mkdtemp(dir=work))
        try:
            fn(**kwargs)
            row["passed"].append(test_name)
        except pytest.skip.Exception as exc:
            row["skipped"][test_name] = str(exc)
        except Exception as exc:
            row["failed"][test_name] = _failure(exc)
    row["seconds"] = round(time.perf_counter() - started, 1)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="*", type=Path)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "ankle-cv-story")
    parser.add_argument("--json", type=Path, default=None, help="write every row here too")
    args = parser.parse_args()
    clips = args.videos or default_clips()
    args.cache.mkdir(parents=True, exist_ok=True)
    rows = []
    print("| clip | reps (valid/all) | agree | what differed | checks not applicable |\n|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as work:
        for video in clips:
            row = check_clip(video, args.cache, Path(work))
            rows.append(row)
            if "error" in row:
                print(f"| {row['clip']} | - | no | {row['error']} | - |", flush=True)
                continue
            differed = "; ".join(f"{k}: {v}" for k, v in row["failed"].items()) or "-"
            agree = "yes" if not row["failed"] else "no"
            na = ", ".join(k.removeprefix("test_") for k in row["skipped"]) or "-"
            print(f"| {row['clip']} | {row['valid']}/{row['reps']} | {agree} | {differed} | {na} |", flush=True)
            if args.json:
                args.json.write_text(json.dumps(rows, indent=1))
    checks = [n for n, _ in per_clip_checks()]
    print(f"\n{sum(1 for r in rows if 'error' not in r and not r['failed'])} of {len(rows)} clips agree on every check "
          f"({len(checks)} checks: {', '.join(checks)})")
    return 0 if all("error" not in r and not r["failed"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
