"""Live's heel crops against analyze's on the same file: which boxes the heel reading asks for that live cannot cut.

Usage: python benchmarks/live_heel_crops.py VIDEO [--cache DIR]
Tracks the file once (or reads its landmarks from a landmark cache folder), then runs the measurement after the pose
model twice on the same landmarks: with analyze's crops (kept foot regions, the rest read again from the file) and
with live's (FootBands fed each sampled frame and its pose, as the live pose worker feeds them). Prints, per rep,
the crops asked for, those each side gave, pixel-identical crops, live's cost per frame and the heel verdicts; exit 1 when they differ.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ankle_cv.io.foot_regions import FootRegions
from ankle_cv.io.video_source import read_foot_crops, read_frames
from ankle_cv.kinematics.heel_edge import FootCrop
from ankle_cv.live.accumulator import FootBands
from ankle_cv.pipeline import finish_measurement, measure_video_cached, measured_fps
from ankle_cv.pose.landmarker import FramePose
from ankle_cv.pose.sampling import POSE_MAX_SIDE, frame_stride
from ankle_cv.scene.marker import MarkerTracker
from ankle_cv.scene.room_camera import RoomView
from ankle_cv.settings import Settings

Box = tuple[int, int, int, int]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    settings = Settings()
    info, series, analysis, _ = measure_video_cached(args.video, settings, args.cache)
    stride = frame_stride(info.fps)
    fps = measured_fps(series.times_s, info.fps)
    bands = FootBands()
    size = (info.width, info.height)
    marker = MarkerTracker(settings.sizes.marker_id, settings.sizes.marker_size_mm, size)
    room = RoomView(size)
    regions = FootRegions(size)  # analyze's kept pixels
    add_s: list[float] = []  # live's cost per frame (the pose worker's thread)
    for frame in read_frames(args.video, POSE_MAX_SIDE, stride=stride):  # the frames live's pose model sees
        i = frame.index
        if i >= series.n_frames:
            break
        marker.observe(frame)
        room.observe(frame)
        regions.keep(frame, series.image_xy[i] if series.detected[i] else None)
        if series.detected[i]:
            start = time.perf_counter()
            bands.add(i, frame.rgb, FramePose(series.image_xy[i], series.visibility[i], series.world_xyz[i]))
            add_s.append(time.perf_counter() - start)
    asked: dict[int, Box] = {}
    file_crops: dict[int, FootCrop] = {}

    def from_file(boxes: Mapping[int, Box]) -> dict[int, FootCrop]:
        asked.update(boxes)
        got = read_foot_crops(args.video, boxes, stride, series.times_s)
        file_crops.update(got)
        return got

    live_crops: dict[int, FootCrop] = {}

    def from_bands(boxes: Mapping[int, Box]) -> dict[int, FootCrop]:
        got = bands.crops(dict(boxes))
        live_crops.update(got)
        return got

    ref = finish_measurement(series, fps, settings, marker, room, from_file)
    live = finish_measurement(series, fps, settings, MarkerTracker(settings.sizes.marker_id, settings.sizes.marker_size_mm, size),
                              RoomView(size), from_bands)
    held = regions.crops(asked, lambda rest: {})
    print(f"analyze's kept foot regions hold {len(held)} of the {len(asked)} (the others are read from the file again); "
          f"live bands miss {sum(1 for i in held if i not in live_crops)} of those")
    same_pixels = sum(1 for i, c in live_crops.items() if i in file_crops and c.x0 == file_crops[i].x0
                      and c.grey.shape == file_crops[i].grey.shape and np.array_equal(c.grey, file_crops[i].grey))
    print(f"{args.video.name}: {len(asked)} crops asked, file gave {len(file_crops)}, live bands {len(live_crops)} "
          f"({same_pixels} pixel-identical)")
    print(f"live's band per frame: {1000 * np.median(add_s):.1f} ms median, {1000 * np.percentile(add_s, 95):.1f} ms p95")
    differ = False
    for a, b in zip(ref.reps, live.reps):
        frames = [i for i in asked if a.start_frame <= i <= a.end_frame]
        missing = sum(1 for i in frames if i in file_crops and i not in live_crops)
        verdict_a = (a.heel_lift_source, a.heel_lifted, a.valid)
        verdict_b = (b.heel_lift_source, b.heel_lifted, b.valid)
        differ |= verdict_a != verdict_b
        print(f"rep {a.index}: {len(frames)} rep frames asked, {missing} missing live; analyze {verdict_a} "
              f"{a.heel_unread_reason or ''} | live {verdict_b} {b.heel_unread_reason or ''}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
