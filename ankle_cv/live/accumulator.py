"""What a live session keeps: every measured frame's landmarks and masks, and a few frames' pictures.

The landmarks go into the same PoseSeries that analyze builds (ankle_cv.pose.landmarks.stack_series),
so the result comes from the same core. Pictures are kept only where a rep's peak may be (the
highest shin angle in each short time slot, JPEG in memory) for the summary figure.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from ankle_cv.io.video_source import foot_crop
from ankle_cv.kinematics.heel_edge import BOX_BELOW_PX, FootCrop
from ankle_cv.pose.landmarker import FramePose
from ankle_cv.pose.landmarks import LEG_INDEX, PoseSeries, stack_series

SLOT_S = 0.5  # one kept picture per slot of this length
MAX_PICTURES = 2400  # 20 minutes of slots; beyond that the lowest-angle pictures go
JPEG_QUALITY = 90
NEAREST_MAX_S = 0.3  # a kept picture further than this from the wanted frame is not shown


class SeriesAccumulator:
    """Per-frame pose results in arrival order; thread-safe appends and snapshots."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self._lock = threading.Lock()
        self._times: list[float] = []
        self._xy: list[np.ndarray | None] = []
        self._vis: list[np.ndarray | None] = []
        self._world: list[np.ndarray | None] = []
        self._people: list[int] = []
        self._profiles: list = []
        self._camera_frames: list[int] = []

    def append(self, time_s: float, pose: FramePose | None, people: int, camera_frame: int | None = None) -> int:
        """Add one measured frame (`camera_frame`: its index among the camera's frames); returns its index in the series."""
        with self._lock:
            self._camera_frames.append(len(self._times) if camera_frame is None else camera_frame)
            self._times.append(time_s)
            self._people.append(people)
            self._profiles.append(pose.profiles if pose is not None else None)
            self._xy.append(None if pose is None else pose.image_xy)
            self._vis.append(None if pose is None else pose.visibility)
            self._world.append(None if pose is None else pose.world_xyz)
            return len(self._times) - 1

    def __len__(self) -> int:
        return len(self._times)

    def camera_frames(self) -> np.ndarray:
        """The camera frame index of each measured frame (the result's frame numbers)."""
        with self._lock:
            return np.array(self._camera_frames, dtype=int)

    def series(self, last_s: float | None = None) -> PoseSeries:
        """The frames so far (or those of the last `last_s` seconds) as a PoseSeries."""
        return self.window(last_s)[0]

    def window(self, last_s: float | None = None) -> tuple[PoseSeries, int]:
        """The frames of the last `last_s` seconds (all with None) as a PoseSeries, and the index of its first frame."""
        with self._lock:
            start = 0
            if last_s is not None and self._times:
                start = bisect.bisect_left(self._times, self._times[-1] - last_s)
            times, xy, vis = self._times[start:], self._xy[start:], self._vis[start:]
            world, people, profiles = self._world[start:], self._people[start:], self._profiles[start:]
        has_masks = any(p is not None for p in profiles)
        return stack_series(times, xy, vis, world, people, self.width, self.height, profiles if has_masks else None), start


@dataclass
class _Picture:
    """One kept frame picture."""

    index: int
    time_s: float
    angle_deg: float
    jpeg: bytes


class PeakPictures:
    """Keeps, per SLOT_S of session time, the frame with the largest quick shin angle (a rep's peak is one of them)."""

    def __init__(self, slot_s: float = SLOT_S, max_pictures: int = MAX_PICTURES) -> None:
        self.slot_s = slot_s
        self.max_pictures = max_pictures
        self._lock = threading.Lock()
        self._kept: list[_Picture] = []  # by time
        self._slot: int | None = None
        self._candidate: tuple[int, float, float, np.ndarray] | None = None

    def offer(self, index: int, time_s: float, angle_deg: float, rgb: np.ndarray) -> None:
        """Consider a measured frame; only the slot's best is encoded, when the slot closes."""
        slot = int(math.floor(time_s / self.slot_s))
        score = angle_deg if math.isfinite(angle_deg) else -math.inf
        with self._lock:
            if self._slot is not None and slot != self._slot:
                self._flush()
            self._slot = slot
            if self._candidate is None or score > self._candidate[2]:
                self._candidate = (index, time_s, score, rgb)

    def _flush(self) -> None:
        """Encode the closed slot's best frame; drop the lowest-angle picture when over budget."""
        if self._candidate is None:
            return
        index, time_s, score, rgb = self._candidate
        self._candidate = None
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:
            return
        self._kept.append(_Picture(index, time_s, score, buf.tobytes()))
        if len(self._kept) > self.max_pictures:
            self._kept.remove(min(self._kept, key=lambda p: p.angle_deg))

    def finish(self) -> None:
        """Encode the last open slot."""
        with self._lock:
            self._flush()

    def __len__(self) -> int:
        return len(self._kept)

    def nearest(self, index: int, times_s: np.ndarray) -> np.ndarray | None:
        """RGB of the kept picture nearest in time to series frame `index` (None when none is close)."""
        with self._lock:
            if not self._kept or not 0 <= index < len(times_s):
                return None
            want = float(times_s[index])
            best = min(self._kept, key=lambda p: abs(p.time_s - want))
        if abs(best.time_s - want) > NEAREST_MAX_S:
            return None
        bgr = cv2.imdecode(np.frombuffer(best.jpeg, np.uint8), cv2.IMREAD_COLOR)
        return None if bgr is None else cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


BAND_MARGIN_FOOT = 1.2  # kept around both feet, in foot lengths: more than heel_edge's crop box (0.6) around a planted foot
# ... plus the box's BOX_BELOW_PX under the foot, so a small foot's crop (0.6 foot + 8 px below) is still inside the band
MAX_BANDS = 15 * 60 * 10  # ten minutes of analysed frames; older bands go first
STILL_FRAMES = 90  # the band holds where the feet were over this many measured frames (6 s at analyze's 15 per second)
STILL_PERCENTILES = (5.0, 95.0)  # of those frames' feet points: a glitch of a few frames does not widen the band
RECENT_FOOT_FRAMES = 30  # a frame's foot is at least the median foot length of this many frames (as io/foot_regions keeps it)


class FootBands:
    """Per measured frame, the picture around both feet (lossless PNG in memory), so that after the session each
    rep's heel is read from the image exactly as analyze reads it from the file (heel_edge crops)."""

    def __init__(self, max_bands: int = MAX_BANDS) -> None:
        self.max_bands = max_bands
        self._lock = threading.Lock()
        self._bands: dict[int, tuple[int, int, int, int, bytes]] = {}  # index -> x0, y0, frame w, frame h, PNG
        self._recent_feet: deque[np.ndarray] = deque(maxlen=STILL_FRAMES)  # the feet points of the last frames
        self._recent_foot_px: deque[float] = deque(maxlen=RECENT_FOOT_FRAMES)

    def add(self, index: int, rgb: np.ndarray, pose: FramePose | None) -> None:
        """Keep the band around the feet of measured frame `index` (nothing without a pose): around where they are in
        this frame and where they were in the last STILL_FRAMES, with a foot no shorter than the recent frames'.

        The heel reading cuts every frame of a rep in the box where the foot stood at rest before it; in a deep lunge
        the model's foot points drift by a foot length or more, and a band around this frame's points alone missed
        that box (lunge_side_nowva: 31 of 447 crops, rep 9 'heel not checked' live, heel down in analyze). A running
        median of the recent points was not enough either: a rep held deep for as long as the rest before it.
        """
        if pose is None:
            return
        feet = pose.image_xy[[LEG_INDEX[s][p] for s in ("left", "right") for p in ("heel", "toe", "ankle")]]
        if not np.all(np.isfinite(feet)):
            return
        foot = max(float(np.linalg.norm(pose.image_xy[LEG_INDEX[s]["toe"]] - pose.image_xy[LEG_INDEX[s]["heel"]]))
                   for s in ("left", "right"))
        self._recent_foot_px.append(foot)
        self._recent_feet.append(feet)
        foot = max(foot, float(np.median(self._recent_foot_px)))
        points = np.vstack([feet, *np.percentile(np.stack(self._recent_feet), STILL_PERCENTILES, axis=0)])
        h, w = rgb.shape[:2]
        margin = BAND_MARGIN_FOOT * max(foot, 10.0) + BOX_BELOW_PX
        x0, y0 = (max(int(np.floor(v - margin)), 0) for v in points.min(axis=0))
        x1, y1 = int(np.ceil(points[:, 0].max() + margin)), int(np.ceil(points[:, 1].max() + margin))
        x1, y1 = min(x1, w), min(y1, h)
        if x1 - x0 < 8 or y1 - y0 < 8:
            return
        ok, png = cv2.imencode(".png", np.ascontiguousarray(rgb[y0:y1, x0:x1]), [cv2.IMWRITE_PNG_COMPRESSION, 1])
        if not ok:
            return
        with self._lock:
            self._bands[index] = (x0, y0, w, h, png.tobytes())
            while len(self._bands) > self.max_bands:
                del self._bands[min(self._bands)]

    def crops(self, boxes: Mapping[int, tuple[int, int, int, int]]) -> dict[int, FootCrop]:
        """The heel-edge crops (measured frame -> image box), as read_foot_crops cuts them from a file."""
        out: dict[int, FootCrop] = {}
        with self._lock:
            bands = {i: self._bands[i] for i in boxes if i in self._bands}
        for i, (bx0, by0, w, h, png) in bands.items():
            rgb = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
            x0, y0, x1, y1 = boxes[i]
            x1, y1 = min(x1, w), min(y1, h)  # a box past the picture's edge is cut there, as from the file
            if rgb is None or x0 < bx0 or y0 < by0 or x1 > bx0 + rgb.shape[1] or y1 > by0 + rgb.shape[0]:
                continue  # the foot was not where the band was kept: that frame's heel is not read from the image
            crop = foot_crop(rgb, (x0, y0, x1, y1), (bx0, by0))  # the file's own cut (and its 8 px minimum)
            if crop is not None:
                out[i] = crop
        return out
