"""Frame sources for live mode: a webcam, or a video file standing in for one, and the grabber thread.

The grabber reads the source on its own thread. The display gets the newest frame (a single-slot
mailbox: what is shown never lags); the pose model gets the frames analyze would analyse, in order,
through a queue that drops only when the model stays slower than the camera for seconds.
A stand-in file is played at its own frame rate against the wall clock, like a camera would.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from ankle_cv.errors import CameraError, InputError
from ankle_cv.io.video_source import probe_video, read_frames, scaled_size
from ankle_cv.pose.landmarker import quiet_native_stderr

PROBE_INDICES = range(10)  # `ankle-cv cameras` tries these
MAX_CAMERA_INDEX = 99  # V4L2 numbers devices from 0; beyond this an index is a typo
REQUEST_SIZE = (1280, 720)  # asked of a webcam; it may give another size
LOST_AFTER_S = 2.0  # a webcam that gives no frame for this long is lost (unplugged, taken by another app)
FIRST_FRAME_TIMEOUT_S = 5.0
LIST_CAMERAS_HINT = "run `ankle-cv cameras` to list the cameras that work"
POSE_BACKLOG_S = 5.0  # frames waiting for the pose model beyond this are dropped (the machine is too slow)


class CameraLost(Exception):
    """The camera stopped delivering frames during the session."""


@dataclass(frozen=True)
class CapturedFrame:
    """One frame as the camera gave it: `captured_at_s` (perf_counter) is the start of the latency clock."""

    index: int
    time_s: float
    rgb: np.ndarray
    captured_at_s: float


class FrameSource(Protocol):
    """Something that yields upright RGB frames with timestamps: a webcam or a stand-in file."""

    label: str
    fps: float
    size: tuple[int, int]
    realtime: bool  # True when read() itself waits for the next frame (a device), False for a file

    def read(self) -> tuple[float, np.ndarray] | None:
        """The next (time_s, rgb) frame, None at the end; raises CameraLost."""

    def close(self) -> None:
        """Release the device or file."""


def _silence_opencv() -> None:
    """OpenCV's video backends print a warning for every index that does not open."""
    try:
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    except AttributeError:  # builds without the logging module
        os.environ.setdefault("OPENCV_LOG_LEVEL", "SILENT")


def _open_capture(index: int) -> cv2.VideoCapture:
    """Open a webcam quietly (absent devices make the backends chatter on stderr)."""
    _silence_opencv()
    with quiet_native_stderr():
        return cv2.VideoCapture(index)


class WebcamSource:
    """A webcam through OpenCV; frames are downscaled to max_side like analyze's frames."""

    realtime = True

    def __init__(self, index: int, max_side: int | None = None, clock: Callable[[], float] = time.perf_counter) -> None:
        self.label = f"camera {index}"
        self.index = index
        self._clock = clock
        self._max_side = max_side
        self._fixed_size: tuple[int, int] | None = None  # the first frame's size: the whole session keeps it
        cap = _open_capture(index)
        if not cap.isOpened():
            cap.release()
            raise CameraError(f"camera {index}: cannot be opened (absent, or busy in another program); {LIST_CAMERAS_HINT}")
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, REQUEST_SIZE[0])
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, REQUEST_SIZE[1])
        self._cap = cap
        first = self._first_frame()
        if first is None:
            cap.release()
            raise CameraError(f"camera {index}: opens but gives no picture (busy in another program?); {LIST_CAMERAS_HINT}")
        self.size = self._fixed_size = (first.shape[1], first.shape[0])
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0)
        self.fps = fps if 1 <= fps <= 240 else 30.0
        self._t0: float | None = None

    def _grab(self) -> np.ndarray | None:
        """One RGB frame from the device, or None when it gave nothing."""
        ok, bgr = self._cap.read()
        if not ok or bgr is None or bgr.size == 0:
            return None
        h, w = bgr.shape[:2]
        sw, sh = self._fixed_size or scaled_size(w, h, self._max_side)
        if (sw, sh) != (w, h):
            bgr = cv2.resize(bgr, (sw, sh), interpolation=cv2.INTER_AREA)
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    def _first_frame(self) -> np.ndarray | None:
        """Cameras often need a moment after opening; wait for the first picture."""
        deadline = self._clock() + FIRST_FRAME_TIMEOUT_S
        while self._clock() < deadline:
            rgb = self._grab()
            if rgb is not None:
                return rgb
            time.sleep(0.05)
        return None

    def read(self) -> tuple[float, np.ndarray] | None:
        """Block until the camera gives the next frame; a camera silent for LOST_AFTER_S is lost."""
        deadline = self._clock() + LOST_AFTER_S
        rgb = self._grab()
        while rgb is None:
            if self._clock() > deadline:
                raise CameraLost(f"camera {self.index} stopped giving frames (unplugged or taken by another program)")
            time.sleep(0.02)
            rgb = self._grab()
        now = self._clock()
        if self._t0 is None:
            self._t0 = now
        return now - self._t0, rgb

    def close(self) -> None:
        """Release the device."""
        self._cap.release()


class FileSource:
    """A video file standing in for a camera (decoded with the same reader and size as analyze)."""

    realtime = False

    def __init__(self, path: Path, max_side: int | None = None) -> None:
        info = probe_video(path)  # InputError names the file when it is not a readable video
        self.label = str(path)
        self.path = path
        self.fps = info.fps
        self.size = scaled_size(info.width, info.height, max_side)
        self.warnings: list[str] = []
        self._frames: Iterator = read_frames(path, max_side, self.warnings)

    def read(self) -> tuple[float, np.ndarray] | None:
        """The next decoded frame, or None at the end of the file."""
        frame = next(self._frames, None)
        return None if frame is None else (frame.time_s, frame.rgb)

    def close(self) -> None:
        """Stop decoding."""
        close = getattr(self._frames, "close", None)
        if close is not None:
            close()


def open_source(camera: str, max_side: int | None = None) -> FrameSource:
    """`--camera`: an integer is a webcam index, anything else a stand-in video file."""
    text = camera.strip()
    if re.fullmatch(r"-?[0-9]+", text):
        if len(text) > 3 or not 0 <= int(text) <= MAX_CAMERA_INDEX:  # OpenCV crashes on some (-1: segfault)
            raise InputError(f"--camera {text}: not a camera index (0 to {MAX_CAMERA_INDEX}) nor a video file; "
                             f"{LIST_CAMERAS_HINT}")
        return WebcamSource(int(text), max_side)
    return FileSource(Path(text), max_side)


@dataclass(frozen=True)
class CameraInfo:
    """A camera that opened and gave a picture."""

    index: int
    width: int
    height: int
    fps: float
    backend: str


def probe_cameras(indices: range = PROBE_INDICES) -> list[CameraInfo]:
    """The camera indices that open and deliver a frame (quietly: absent ones print nothing)."""
    found = []
    for index in indices:
        cap = _open_capture(index)
        try:
            if not cap.isOpened():
                continue
            with quiet_native_stderr():
                ok, frame = cap.read()
            if not ok or frame is None:
                continue
            fps = float(cap.get(cv2.CAP_PROP_FPS) or 0)
            found.append(CameraInfo(index, frame.shape[1], frame.shape[0], fps, cap.getBackendName()))
        finally:
            cap.release()
    return found


# ---------------------------------------------------------------------------------------------
# The grabber


class FrameQueue:
    """First in, first out, up to `capacity` frames: the pose model sees every frame it is given unless it falls
    that far behind (then the oldest waiting frame is dropped and counted)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = max(1, capacity)
        self._cond = threading.Condition()
        self._items: deque[CapturedFrame] = deque()
        self._closed = False
        self.dropped = 0

    def put(self, item: CapturedFrame, wait: bool = False) -> None:
        """Queue a frame; when full, wait (with wait) or drop the oldest."""
        with self._cond:
            while wait and len(self._items) >= self.capacity and not self._closed:
                self._cond.wait()
            if len(self._items) >= self.capacity:
                self._items.popleft()
                self.dropped += 1
            self._items.append(item)
            self._cond.notify_all()

    def get(self, timeout_s: float | None = None) -> CapturedFrame | None:
        """The oldest waiting frame; None when closed and empty, or on timeout."""
        with self._cond:
            if not self._cond.wait_for(lambda: bool(self._items) or self._closed, timeout_s):
                return None
            item = self._items.popleft() if self._items else None
            self._cond.notify_all()
            return item

    def close(self) -> None:
        """Wake every reader and writer: the stream has ended."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class Mailbox(FrameQueue):
    """A single slot holding the newest item: a put replaces what the reader has not taken (a drop)."""

    def __init__(self) -> None:
        super().__init__(1)


class Grabber:
    """Reads the source on its own thread; hands every `pose_stride`-th frame to the pose model and the newest to the display.

    The pose model gets the frames analyze would analyse (every n-th, see pose.sampling.frame_stride), queued up
    to `backlog_s` seconds so that a moment of slowness drops nothing; only a model that stays slower than
    the camera loses frames (counted in `for_pose.dropped`, and the result says so).
    `speed`: for a stand-in file, 1.0 plays it in real time, 2.0 twice as fast; None hands over every
    frame and waits for the pose model (never a drop). `sinks` get every captured frame (the recorder).
    """

    def __init__(
        self,
        source: FrameSource,
        speed: float | None = 1.0,
        sinks: tuple[Callable[[CapturedFrame], None], ...] = (),
        clock: Callable[[], float] = time.perf_counter,
        pose_stride: int = 1,
        backlog_s: float = POSE_BACKLOG_S,
    ) -> None:
        self.source = source
        self.speed = speed
        self.sinks = sinks
        self.clock = clock
        self.pose_stride = max(1, pose_stride)
        self.for_pose = FrameQueue(round(backlog_s * max(source.fps, 1.0) / self.pose_stride))
        self.for_display = Mailbox()
        self.captured = 0
        self.span_s: tuple[float, float] | None = None  # the first and the last captured frame's time
        self.ended = threading.Event()
        self.lost: str | None = None
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ankle-cv-grabber", daemon=True)

    def start(self) -> None:
        """Start reading."""
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end and wait for it."""
        self._stop.set()
        self.for_pose.close()
        self.for_display.close()
        if self._thread.is_alive():
            self._thread.join(timeout=5.0)

    def _pace(self, time_s: float, first_s: float, start: float) -> None:
        """Hold a file's frame until its moment comes (real-time play), unless we are already late."""
        if self.source.realtime or self.speed is None:
            return
        due = start + (time_s - first_s) / self.speed
        delay = due - self.clock()
        if delay > 0:
            self._stop.wait(delay)

    def _run(self) -> None:
        """The capture loop; ends at the end of the file, on stop, or when the camera is lost."""
        first_s: float | None = None
        start = self.clock()
        try:
            while not self._stop.is_set():
                got = self.source.read()
                if got is None:
                    break
                time_s, rgb = got
                if first_s is None:
                    first_s, start = time_s, self.clock()
                self._pace(time_s, first_s, start)
                if self._stop.is_set():
                    break
                frame = CapturedFrame(self.captured, time_s, rgb, self.clock())
                self.captured += 1
                self.span_s = (first_s, time_s)
                for sink in self.sinks:
                    sink(frame)
                self.for_display.put(frame)
                if frame.index % self.pose_stride == 0:
                    self.for_pose.put(frame, wait=self.speed is None and not self.source.realtime)
        except CameraLost as exc:
            self.lost = str(exc)
        except BaseException as exc:
            self.error = exc
        finally:
            self.ended.set()
            self.for_pose.close()
            self.for_display.close()
