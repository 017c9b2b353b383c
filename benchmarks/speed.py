"""Frames per second of `analyze` against the raw pose model on the same frames (issue: the model is the limit).

Usage: python benchmarks/speed.py VIDEO [--frames 300]
Prints: raw model fps (decode + detect_for_video on every frame), ankle-cv's per-sample cost (the same
frames through pose with masks + people check + analysis, every frame), and `analyze`'s throughput as
it runs (measure_video: every n-th frame above 15 Hz, see pipeline.frame_stride) with the real-time
factor for the clip's own frame rate.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import mediapipe as mp

from ankle_cv.io.video_source import probe_video, read_frames
from ankle_cv.pipeline import POSE_MAX_SIDE, frame_stride, measure_video
from ankle_cv.pose.landmarker import RunningMode, _landmarker, estimate_poses
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.settings import Settings


def raw_model_fps(video: Path, n: int) -> float:
    """Decode and run the bare landmarker (no masks, no analysis) on the first n frames."""
    lm = _landmarker("full", RunningMode.VIDEO, 1, 0.5)
    start = time.perf_counter()
    count = 0
    for frame in itertools.islice(read_frames(video, POSE_MAX_SIDE), n):
        lm.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=frame.rgb), int(frame.time_s * 1000))
        count += 1
    lm.close()
    return count / (time.perf_counter() - start)


def analysis_fps(video: Path, n: int) -> float:
    """The pose stage as `analyze` runs it, plus the analysis core, on the first n frames."""
    info = probe_video(video)
    start = time.perf_counter()
    series = estimate_poses(itertools.islice(read_frames(video, POSE_MAX_SIDE), n), (info.width, info.height))
    analyze_series(series, info.fps)
    return series.n_frames / (time.perf_counter() - start)


def analyze_throughput(video: Path) -> tuple[float, int]:
    """Video frames per second of the whole clip through measure_video (decode, pose, analysis), and the stride."""
    info = probe_video(video)
    start = time.perf_counter()
    measure_video(video, Settings())
    return info.frames / (time.perf_counter() - start), frame_stride(info.fps)


def main() -> None:
    """Run both measurements and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    info = probe_video(args.video)
    raw = raw_model_fps(args.video, args.frames)
    ours = analysis_fps(args.video, args.frames)
    print(f"video: {args.video.name} {info.width}x{info.height} @ {info.fps:.1f} fps, {args.frames} frames")
    print(f"raw model (decode + landmarker): {raw:6.1f} fps")
    print(f"ankle-cv per sample (every frame): {ours:6.1f} fps  ({100 * ours / raw:.0f}% of raw)")
    whole, stride = analyze_throughput(args.video)
    print(f"analyze, whole clip, every {stride}. frame: {whole:6.1f} video fps  ({100 * whole / raw:.0f}% of raw; target >= 80%)")
    print(f"real-time factor:                  {whole / info.fps:6.2f}x  (target >= 1.5x on 1080p30)")


if __name__ == "__main__":
    main()
