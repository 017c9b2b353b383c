"""Per-video speed: `ankle-cv analyze` wall time ÷ the video's duration, beside the bare pose model on the same frames.

Usage: python benchmarks/speed.py CLIP [CLIP ...] [--repeat 2] [--baseline /path/to/other/checkout]
Make the 20 s 720p30/1080p30 clips first: python benchmarks/make_clips.py (into /tmp, never the repo).

Per clip, in one run (best of --repeat, so a neighbour's burst on a shared machine counts less):
- bare model: decode every frame, convert the ones `analyze` tracks (every n-th above 15 Hz, downscaled to
  POSE_MAX_SIDE) and run MediaPipe's VIDEO-mode landmarker on them, one after the other, nothing else;
- model alone: the tracked frames decoded into memory first (not timed), then the landmarker as `analyze` runs
  it (with the segmentation masks and their profiles) on them: the floor of the tracking loop, which is serial
  (MediaPipe's inference of one frame runs on one core here);
- analyze: the whole command as a user runs it (`python -m ankle_cv.cli analyze CLIP --no-video`, a fresh
  process: imports, decoding, tracking, people check, marker and room lines, analysis, result.json,
  frames.csv, summary.png);
- with --baseline, the same command from another checkout (e.g. a worktree of the commit before), interleaved.
The load average is printed: on a shared 2-core machine the numbers only compare within one run. The CPU
seconds (user + system, all threads) are printed too: they hardly depend on the neighbours' load, and on a quiet
2-core machine the wall time is at least half of them.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def bare_model_s(video: Path) -> tuple[float, float]:
    """Decode + convert the tracked frames + bare landmarker, sequentially, in this process (imports not counted)."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    import mediapipe as mp

    from ankle_cv.io.video_source import probe_video, read_frames
    from ankle_cv.pose.landmarker import RunningMode, _landmarker
    from ankle_cv.pose.sampling import POSE_MAX_SIDE, frame_stride

    stride = frame_stride(probe_video(video).fps)
    landmarker = _landmarker("full", RunningMode.VIDEO, 1, 0.5)
    start, cpu = time.perf_counter(), _cpu_s(resource.RUSAGE_SELF)
    for frame in read_frames(video, POSE_MAX_SIDE, stride=stride):
        landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=frame.rgb), int(frame.time_s * 1000))
    elapsed, cpu = time.perf_counter() - start, _cpu_s(resource.RUSAGE_SELF) - cpu
    landmarker.close()
    return elapsed, cpu


def model_alone_s(video: Path) -> tuple[float, float]:
    """The landmarker with masks and their profiles on the tracked frames, already decoded (the tracking loop's floor)."""
    os.environ.setdefault("GLOG_minloglevel", "2")
    import mediapipe as mp

    from ankle_cv.io.video_source import probe_video, read_frames
    from ankle_cv.pose.landmarker import RunningMode, _landmarker
    from ankle_cv.pose.sampling import POSE_MAX_SIDE, frame_stride
    from ankle_cv.pose.silhouette import mask_profiles

    frames = list(read_frames(video, POSE_MAX_SIDE, stride=frame_stride(probe_video(video).fps)))
    landmarker = _landmarker("full", RunningMode.VIDEO, 1, 0.5, masks=True)
    start, cpu = time.perf_counter(), _cpu_s(resource.RUSAGE_SELF)
    for frame in frames:
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame.rgb)
        result = landmarker.detect_for_video(image, int(frame.time_s * 1000))
        if result.segmentation_masks:
            mask_profiles(result.segmentation_masks[0].numpy_view())
    elapsed, cpu = time.perf_counter() - start, _cpu_s(resource.RUSAGE_SELF) - cpu
    landmarker.close()
    return elapsed, cpu


def _cpu_s(who: int) -> float:
    """User + system CPU seconds of this process or of its finished children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def analyze_s(video: Path, checkout: Path) -> tuple[float, float]:
    """Wall time of the whole `analyze --no-video` command from a checkout, in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    with tempfile.TemporaryDirectory() as out:
        start, cpu = time.perf_counter(), _cpu_s(resource.RUSAGE_CHILDREN)
        command = [sys.executable, "-m", "ankle_cv.cli", "analyze", str(video), "--out", out, "--no-video", "--force"]
        proc = subprocess.run(command,
                              env=env, cwd=checkout, capture_output=True, text=True)
        elapsed, cpu = time.perf_counter() - start, _cpu_s(resource.RUSAGE_CHILDREN) - cpu
    if proc.returncode not in (0, 3):
        raise SystemExit(f"analyze failed on {video} from {checkout}: {proc.stderr[-500:]}")
    return elapsed, cpu


def main() -> None:
    """Print one table row per clip and command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout to time the same command from")
    args = parser.parse_args()
    from ankle_cv.io.video_source import probe_video

    print(f"load average at start: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    print(f"{'clip':28s} {'size':>9s} {'dur s':>6s} {'what':>11s} {'wall s':>7s} {'÷ dur':>6s} {'cpu s':>6s} {'÷ dur':>6s}")
    for clip in args.clips:
        info = probe_video(clip)
        runs: dict[str, list[tuple[float, float]]] = {"model alone": [], "bare model": [], "analyze": []}
        if args.baseline:
            runs["baseline"] = []
        for _ in range(args.repeat):
            runs["model alone"].append(model_alone_s(clip))
            runs["bare model"].append(bare_model_s(clip))
            if args.baseline:
                runs["baseline"].append(analyze_s(clip, args.baseline))
            runs["analyze"].append(analyze_s(clip, REPO))
        for what, times in runs.items():
            wall, cpu = min(times)  # the run with the least wall time, and its CPU seconds
            d = info.duration_s
            size = f"{info.width}x{info.height}"
            print(f"{clip.name:28s} {size:>9s} {d:6.1f} {what:>11s} {wall:7.2f} {wall / d:6.2f} {cpu:6.1f} {cpu / d:6.2f}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
