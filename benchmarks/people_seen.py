"""Who the people check and the tracker saw in a clip: each detection's box, height and leg visibility, per sampled frame.

Usage:
    python benchmarks/people_seen.py VIDEO [--every-s 0.5] [--png DIR]

Runs the same MediaPipe graphs as the tracking pass (pose/landmarker.py: the people check in IMAGE mode with up to 4
poses at PEOPLE_MIN_CONFIDENCE, and the one-person VIDEO graph) on frames every `--every-s` seconds and prints every
person found: box (pixels), height (share of the frame), mean visibility of the legs' points, and how many distinct
people the product counts from them (`distinct_people` over the check's and the tracker's people). With --png each sampled
frame is written with the boxes drawn (people check red, tracker green). Diagnosis only (random_v1 r001: "3 people
were in view" in a render of one person); it changes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from ankle_cv.io.video_source import read_frames
from ankle_cv.pose.landmarker import (
    PEOPLE_MIN_CONFIDENCE,
    RunningMode,
    _landmarker,
    _normalised,
    distinct_people,
    model_image,
    quiet_native_stderr,
)
from ankle_cv.pose.sampling import POSE_MAX_SIDE

LEG_INDICES = (25, 26, 27, 28, 29, 30, 31, 32)  # knees, ankles, heels, toes


def _describe(person: list, width: int, height: int) -> str:
    """One person's box, height share and leg visibility."""
    xy = np.array([[p.x * width, p.y * height] for p in person])
    vis = np.array([p.visibility for p in person])
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    return (f"box x {lo[0]:.0f}-{hi[0]:.0f} y {lo[1]:.0f}-{hi[1]:.0f} height {(hi[1] - lo[1]) / height:.2f} "
            f"legs vis {vis[list(LEG_INDICES)].mean():.2f}")


def main() -> int:
    """Print who is seen in the sampled frames."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video", type=Path)
    ap.add_argument("--every-s", type=float, default=0.5)
    ap.add_argument("--png", type=Path, default=None)
    args = ap.parse_args()
    counter = _landmarker("full", RunningMode.IMAGE, 4, PEOPLE_MIN_CONFIDENCE)
    tracker = _landmarker("full", RunningMode.VIDEO, 1, 0.5, False)
    next_s = 0.0
    for frame in read_frames(args.video, POSE_MAX_SIDE):
        image = model_image(frame.rgb)
        with quiet_native_stderr():
            tracked = tracker.detect_for_video(image, int(round(frame.time_s * 1000))).pose_landmarks
        if frame.time_s + 1e-6 < next_s:
            continue
        next_s = frame.time_s + args.every_s
        with quiet_native_stderr():
            seen = counter.detect(image).pose_landmarks
        h, w = frame.rgb.shape[:2]
        counted = len(distinct_people([_normalised(p) for p in [*seen, *tracked]]))
        print(f"{frame.time_s:5.2f} s: check {len(seen)}, tracker {len(tracked)}, counted {counted}")
        for k, p in enumerate(seen):
            print(f"   check {k}: {_describe(p, w, h)}")
        for p in tracked:
            print(f"   tracked: {_describe(p, w, h)}")
        if args.png is not None:
            import cv2

            img = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2BGR)
            for people, colour in ((seen, (0, 0, 255)), (tracked, (0, 255, 0))):
                for p in people:
                    xy = np.array([[q.x * w, q.y * h] for q in p])
                    cv2.rectangle(img, tuple(int(v) for v in xy.min(axis=0)), tuple(int(v) for v in xy.max(axis=0)), colour, 1)
                    for x, y in xy:
                        cv2.circle(img, (int(x), int(y)), 2, colour, -1)
            args.png.mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(args.png / f"t{frame.time_s:05.2f}.png"), img)
    return 0


if __name__ == "__main__":
    sys.exit(main())
