"""Batch throughput: videos per hour with 1 and 2 workers, and each worker's peak memory, on the same folder.

Usage: python benchmarks/batch_throughput.py CLIP [CLIP ...] [--copies 3] [--jobs 1 2]
The clips (e.g. the 720p/1080p ones of benchmarks/make_clips.py, or sample_videos/*.mp4) are linked --copies
times into a temporary folder, and `ankle-cv batch FOLDER --out OUT --no-video --jobs N --force` runs on it
for each N. Peak memory per worker is the largest ru_maxrss a worker reported (batch.json,
worker_peak_rss_mb: workers are recycled every TASKS_PER_WORKER videos, so it stays bounded).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_batch(folder: Path, out: Path, jobs: int) -> tuple[float, dict]:
    """Wall time of the batch command and its batch.json."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ankle_cv.cli", "batch", str(folder), "--out", str(out), "--no-video",
                           "--jobs", str(jobs), "--force"], capture_output=True, text=True, cwd=REPO,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise SystemExit(f"batch failed: {proc.stderr[-800:]}")
    return elapsed, json.loads((out / "batch.json").read_text())


def main() -> None:
    """One line per worker count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="+", type=Path)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "videos"
        folder.mkdir()
        for k in range(args.copies):
            for clip in args.clips:
                (folder / f"{clip.stem}_{k}{clip.suffix}").symlink_to(clip.resolve())
        n = args.copies * len(args.clips)
        print(f"load average at start: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores; {n} videos")
        print(f"{'jobs':>4s} {'wall s':>7s} {'videos/h':>9s} {'s/video':>8s} {'peak MB/worker':>15s} {'statuses'}")
        for jobs in args.jobs:
            wall, doc = run_batch(folder, Path(tmp) / f"out{jobs}", jobs)
            peak = max(v["worker_peak_rss_mb"] for v in doc["videos"])
            statuses = sorted({v["status"] for v in doc["videos"]})
            print(f"{jobs:4d} {wall:7.1f} {3600 * n / wall:9.0f} {wall / n:8.1f} {peak:15.0f} {', '.join(statuses)}")
        print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
