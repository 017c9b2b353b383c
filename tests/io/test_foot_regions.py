"""The heel crops cut from the pixels kept while tracking are the crops read from the video; the rest is read from it."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ankle_cv.io.foot_regions import FootRegions
from ankle_cv.io.video_source import probe_video, read_foot_crops, read_frames
from ankle_cv.kinematics.heel_edge import FootCrop
from ankle_cv.pose.landmarks import LEFT_HEEL, LEFT_TOE, N_LANDMARKS, RIGHT_HEEL, RIGHT_TOE
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "k2w_right_synthetic.mp4"
STRIDE = 2


def _feet(right_heel: tuple[float, float], left_heel: tuple[float, float], foot_px: float = 60.0) -> np.ndarray:
    """Landmarks (full-resolution pixels) with both feet flat, toes pointing right; the rest NaN."""
    xy = np.full((N_LANDMARKS, 2), np.nan)
    xy[RIGHT_HEEL], xy[RIGHT_TOE] = right_heel, (right_heel[0] + foot_px, right_heel[1])
    xy[LEFT_HEEL], xy[LEFT_TOE] = left_heel, (left_heel[0] + foot_px, left_heel[1])
    return xy


def _kept(budget_bytes: int = 1 << 30) -> tuple[FootRegions, np.ndarray]:
    """Regions kept from the sample's tracked frames, decoded downscaled (as the tracking pass does) with full-resolution copies."""
    info = probe_video(SAMPLE)
    regions = FootRegions((info.width, info.height), budget_bytes)
    times = []
    for frame in read_frames(SAMPLE, 320, stride=STRIDE, full=True):
        assert frame.full_rgb is not None and frame.full_rgb.shape == (info.height, info.width, 3)
        regions.keep(frame, _feet((600.0, 500.0), (300.0, 500.0)))  # the right foot is ahead (toes point right)
        times.append(frame.time_s)
    return regions, np.array(times)


def test_full_resolution_copies_are_the_frames_read_at_full_resolution() -> None:
    small = list(read_frames(SAMPLE, 320, stride=STRIDE, full=True))
    full = list(read_frames(SAMPLE, None, stride=STRIDE, full=True))
    assert all(f.full_rgb is None for f in full)  # not downscaled: rgb is the full frame already
    for a, b in zip(small, full):
        assert a.rgb.shape[1] == 320
        assert np.array_equal(a.full_rgb, b.rgb)


def test_crops_inside_the_kept_pixels_equal_the_videos_and_need_no_reading() -> None:
    regions, times = _kept()
    n = len(times)
    boxes = {i: (560, 440, 700, 540) for i in range(0, n, 7)}  # the front foot's box, cut at the picture's bottom edge
    asked: list[Mapping[int, tuple[int, int, int, int]]] = []

    def read_rest(rest: Mapping[int, tuple[int, int, int, int]]) -> dict[int, FootCrop]:
        asked.append(rest)
        return read_foot_crops(SAMPLE, rest, STRIDE, times)

    got = regions.crops(boxes, read_rest)
    video = read_foot_crops(SAMPLE, boxes, STRIDE, times)
    assert asked == []
    assert set(got) == set(video) == set(boxes)
    for i, crop in got.items():
        assert (crop.x0, crop.y0) == (video[i].x0, video[i].y0)
        assert crop.grey.shape == (100, 140)  # cut at the picture's edge (540 rows) like the video's
        assert np.array_equal(crop.grey, video[i].grey)


def test_boxes_outside_the_kept_pixels_are_read_from_the_video() -> None:
    regions, times = _kept()
    boxes = {3: (560, 440, 700, 540), 5: (100, 100, 200, 200), 9: (300, 440, 420, 540)}  # 5: no foot there; 9: the back foot
    asked: list[set[int]] = []

    def read_rest(rest: Mapping[int, tuple[int, int, int, int]]) -> dict[int, FootCrop]:
        asked.append(set(rest))
        return read_foot_crops(SAMPLE, rest, STRIDE, times)

    got = regions.crops(boxes, read_rest)
    assert asked == [{5, 9}]
    video = read_foot_crops(SAMPLE, boxes, STRIDE, times)
    assert all(np.array_equal(got[i].grey, video[i].grey) for i in boxes)


def test_the_memory_budget_bounds_what_is_kept() -> None:
    regions, times = _kept(budget_bytes=200_000)
    assert 0 < regions.kept_bytes <= 200_000
    boxes = {i: (560, 440, 700, 540) for i in range(len(times))}
    asked: list[set[int]] = []
    regions.crops(boxes, lambda rest: asked.append(set(rest)) or {})
    assert asked and 0 not in asked[0] and len(times) - 1 in asked[0]  # the first frames are kept, the later ones read
