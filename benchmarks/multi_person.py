"""What a bystander costs: pose-tracking speed on a one-person clip and on the same frames with a second person.

Usage: python benchmarks/multi_person.py [--frames 120] [--repeat 2]
Uses sample_videos/k2w_right_synthetic.mp4; the second person is a same-size mirrored copy of the
subject pasted near the left edge (the copy the bad-input tests use). Once the sparse people check sees
two people, ankle-cv switches from a one-pose to a two-pose tracker (the pose detector then runs on
every frame); this prints frames per second for both clips, their ratio, and which person was followed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import numpy as np

from ankle_cv.io.video_source import Frame, probe_video, read_frames
from ankle_cv.pipeline import POSE_MAX_SIDE
from ankle_cv.pose.landmarker import estimate_poses
from ankle_cv.pose.landmarks import LEFT_KNEE, RIGHT_KNEE

SAMPLE = Path(__file__).resolve().parents[1] / "sample_videos" / "k2w_right_synthetic.mp4"


def with_bystander(frame: Frame) -> Frame:
    """The frame with a mirrored copy of the subject (x 360-620 of the 960x540 render) at x 40-300."""
    rgb = frame.rgb.copy()
    rgb[80:470, 40:300] = frame.rgb[80:470, 360:620][:, ::-1]
    return replace(frame, rgb=rgb)


def tracking_fps(frames: list[Frame], size: tuple[int, int]) -> tuple[float, float, int]:
    """Frames per second of estimate_poses, the tracked knees' median x, and the most people counted."""
    start = time.perf_counter()
    series = estimate_poses(frames, size)
    fps = len(frames) / (time.perf_counter() - start)
    knee_x = float(np.nanmedian(series.image_xy[:, [LEFT_KNEE, RIGHT_KNEE], 0]))
    return fps, knee_x, int(series.people.max())


def main() -> None:
    """Time both clips (alternating, best of --repeat) and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    info = probe_video(SAMPLE)
    alone = list(itertools.islice(read_frames(SAMPLE, POSE_MAX_SIDE), args.frames))
    crowded = [with_bystander(f) for f in alone]
    best = {"one person": (0.0, 0.0, 0), "with a bystander": (0.0, 0.0, 0)}
    for _ in range(args.repeat):
        for name, frames in (("one person", alone), ("with a bystander", crowded)):
            run = tracking_fps(frames, (info.width, info.height))
            best[name] = max(best[name], run)
    print(f"{SAMPLE.name}: {len(alone)} frames {info.width}x{info.height}, best of {args.repeat}")
    for name, (fps, knee_x, people) in best.items():
        print(f"{name:17s} {fps:6.1f} fps   people counted {people}   tracked knee x {knee_x:5.0f} px")
    ratio = best["with a bystander"][0] / best["one person"][0]
    print(f"speed with a bystander: {100 * ratio:.0f}% of the one-person speed (subject's knee at x ~490, copy's at ~150)")


if __name__ == "__main__":
    main()
