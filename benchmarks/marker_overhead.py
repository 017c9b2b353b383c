"""What the marker sheet costs `analyze`: its detection runs in the pose pass; target < 5 % of the analysis time.

Usage: python benchmarks/marker_overhead.py VIDEO [VIDEO ...] [--frames 200]
Prints, per clip: the pose pass (decode + pose model + masks) with the marker tracker tapped in as
`analyze` runs it, the time spent inside the tracker itself (measured around each call, so other
processes on a shared machine do not blur it), the centimetre step after the analysis, and the share
of the whole. A plain A/B run (same frames without the tracker) is printed beside it for reference;
on a busy 2-core machine that difference is noisier than the direct measurement.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

from ankle_cv.io.video_source import probe_video, read_frames
from ankle_cv.pipeline import POSE_MAX_SIDE, frame_stride
from ankle_cv.pose.landmarker import estimate_poses
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.centimetres import attach_centimetres
from ankle_cv.scene.marker import MarkerTracker


class TimedTracker(MarkerTracker):
    """A MarkerTracker that adds up the time spent in observe()."""

    spent_s = 0.0

    def observe(self, frame):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        super().observe(frame)
        self.spent_s += time.perf_counter() - start


def run(video: Path, n: int) -> None:
    """Time one clip with and without the tracker."""
    info = probe_video(video)
    stride = frame_stride(info.fps)
    frames = lambda: itertools.islice(read_frames(video, POSE_MAX_SIDE, stride=stride), n)  # noqa: E731
    tracker = TimedTracker(0, 150.0, (info.width, info.height))
    start = time.perf_counter()
    series = estimate_poses(tracker.tap(frames()), (info.width, info.height))
    analysis = analyze_series(series, info.fps / stride)
    t0 = time.perf_counter()
    analysis = attach_centimetres(analysis, series, tracker.result())
    cm_s = time.perf_counter() - t0
    total = time.perf_counter() - start
    start = time.perf_counter()
    plain = estimate_poses(frames(), (info.width, info.height))
    analyze_series(plain, info.fps / stride)
    plain_s = time.perf_counter() - start
    track = tracker.result()
    cost = tracker.spent_s + cm_s
    print(f"{video.name}: {info.width}x{info.height}, {series.n_frames} frames analysed, marker found in "
          f"{len(track.observations)}/{track.frames_sampled} sampled frames")
    print(f"  analysis with marker {total:6.2f} s; tracker {tracker.spent_s:5.2f} s + centimetres {cm_s:5.2f} s "
          f"= {100 * cost / (total - cost):4.1f}% of the rest (target < 5%)")
    print(f"  A/B: without the tracker {plain_s:6.2f} s ({100 * (total - plain_s) / plain_s:+.1f}%, noisy)")


def main() -> None:
    """Parse arguments and time each clip."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", type=Path, nargs="+")
    parser.add_argument("--frames", type=int, default=200, help="analysed frames per clip")
    args = parser.parse_args()
    for video in args.videos:
        run(video, args.frames)


if __name__ == "__main__":
    main()
