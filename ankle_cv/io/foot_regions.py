"""Full-resolution pixels around the feet, kept while the video is tracked, so the heel crops need no second decoding.

The analysis reads each rep's heel from grey crops of the full-resolution frames (a box around the front
foot at rest, for the rest and every frame of the rep), which it can only name once the reps are found.
Decoding those stretches again cost nearly a second pass over the video. Instead, every tracked frame leaves
the pixels around each foot here (its own foot box, widened); a requested box inside them is cut from them
(the same pixels, so the same crop), and only the boxes outside them are read from the video again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ankle_cv.io.video_source import Frame, foot_crop
from ankle_cv.kinematics.heel_edge import BOX_MARGIN_FOOT, FootCrop
from ankle_cv.pose.landmarks import LEFT_HEEL, LEFT_TOE, RIGHT_HEEL, RIGHT_TOE

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in full-resolution image pixels
WIDEN_FOOT = (2.0, 0.6)  # foot lengths added to each side, top and bottom of a foot's own box: the rep's box is its rest's,
# and in a deep lunge the model's foot points drift forward by up to ~2 foot lengths (720p render, 20 s: 19 % misses at 0.3)
BUDGET_BYTES = 256 * 1024 * 1024  # at most this much kept (a 20 s 1080p clip needs ~100-200 MB); later frames are read again
RECENT_FRAMES = 30  # a frame's foot is widened by at least the median foot length of this many frames before it
FEET = ((LEFT_HEEL, LEFT_TOE), (RIGHT_HEEL, RIGHT_TOE))  # landmark indices of each foot


@dataclass(frozen=True)
class _Region:
    """A rectangle of one frame's full-resolution RGB pixels."""

    x0: int
    y0: int
    rgb: np.ndarray  # (h, w, 3) uint8

    def holds(self, box: Box) -> bool:
        """Whether the box's part inside the picture is inside this region (which is cut at the picture's edge too)."""
        x0, y0, x1, y1 = box
        h, w = self.rgb.shape[:2]
        return self.x0 <= x0 and self.y0 <= y0 and x1 <= self.x0 + w and y1 <= self.y0 + h


class FootRegions:
    """The pixels around both feet of every tracked frame (within a memory budget)."""

    def __init__(self, image_size: tuple[int, int], budget_bytes: int = BUDGET_BYTES) -> None:
        self._width, self._height = image_size
        self._budget = budget_bytes
        self.kept_bytes = 0
        self._regions: dict[int, list[_Region]] = {}
        self._recent_foot_px: deque[float] = deque(maxlen=RECENT_FRAMES)

    def keep(self, frame: Frame, xy: np.ndarray | None) -> None:
        """Cut and keep the pixels around each foot of a tracked frame (`xy`: its landmarks in full-resolution pixels)."""
        rgb = frame.full_rgb if frame.full_rgb is not None else frame.rgb
        if xy is None or rgb.shape[:2] != (self._height, self._width):
            return
        regions = []
        for heel, toe in self._front_foot(xy):
            box = self._around(xy[heel], xy[toe])
            if box is None:
                continue
            x0, y0, x1, y1 = self._clipped(box)
            if x1 - x0 < 8 or y1 - y0 < 8 or self.kept_bytes + 3 * (x1 - x0) * (y1 - y0) > self._budget:
                continue
            regions.append(_Region(x0, y0, rgb[y0:y1, x0:x1].copy()))
            self.kept_bytes += regions[-1].rgb.nbytes
        if regions:
            self._regions[frame.index] = regions

    @staticmethod
    def _front_foot(xy: np.ndarray) -> tuple[tuple[int, int], ...]:
        """The foot ahead, where the toes point (the tested foot's, nearer the wall); both when that is unclear."""
        ahead = [float(xy[toe, 0] - xy[heel, 0]) for heel, toe in FEET]
        direction = np.sign(np.nansum(ahead))
        reach = [direction * float(xy[toe, 0]) for _, toe in FEET]
        if direction == 0 or not np.all(np.isfinite(reach)):
            return FEET
        return (FEET[int(np.argmax(reach))],)

    def _around(self, heel: np.ndarray, toe: np.ndarray) -> Box | None:
        """The foot's box (heel_edge.foot_box) grown by WIDEN_FOOT foot lengths; the foot's length is at least the
        recent frames' median, so a frame whose foot points collapsed (heel on the toe) still keeps room around it."""
        if not (np.all(np.isfinite(heel)) and np.all(np.isfinite(toe))):
            return None
        foot = float(np.linalg.norm(toe - heel))
        self._recent_foot_px.append(foot)
        foot = max(foot, float(np.median(self._recent_foot_px)))
        if foot < 5:
            return None
        side, above, below = BOX_MARGIN_FOOT
        wide, tall = WIDEN_FOOT
        return (int(np.floor(min(heel[0], toe[0]) - (side + wide) * foot)),
                int(np.floor(max(heel[1], toe[1]) - (above + tall) * foot)),
                int(np.ceil(max(heel[0], toe[0]) + (side + wide) * foot)),
                int(np.ceil(max(heel[1], toe[1]) + (below + tall) * foot)))

    def _clipped(self, box: Box) -> Box:
        """The box cut at the picture's edges."""
        x0, y0, x1, y1 = box
        return max(x0, 0), max(y0, 0), min(x1, self._width), min(y1, self._height)

    def crops(self, boxes: Mapping[int, Box], read_rest: Callable[[Mapping[int, Box]], Mapping[int, FootCrop]]) -> dict[int, FootCrop]:
        """The grey crops of these boxes (sample index -> box): from the kept pixels, the others by `read_rest` (the video)."""
        crops: dict[int, FootCrop] = {}
        rest: dict[int, Box] = {}
        for index, box in boxes.items():
            if box[0] < 0 or box[1] < 0:
                rest[index] = box  # not a box foot_box makes: the video's reading decides
                continue
            x0, y0, x1, y1 = self._clipped(box)
            if x1 - x0 < 8 or y1 - y0 < 8:
                continue  # less than 8 px of the box is in the picture: no crop, as from the video
            region = next((r for r in self._regions.get(index, ()) if r.holds((x0, y0, x1, y1))), None)
            if region is None:
                rest[index] = box
                continue
            crop = foot_crop(region.rgb, box, (region.x0, region.y0))
            if crop is not None:
                crops[index] = crop
        if rest:
            crops.update(read_rest(rest))
        return crops
