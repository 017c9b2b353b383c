"""--record: the camera's own frames to camera.mp4 (H.264, real timestamps), encoded on a thread of its own.

The raw frames are recorded (no overlay, never mirrored), so `ankle-cv analyze camera.mp4` later
measures the same session again. The file appears only when complete (atomic rename), including
after Ctrl-C or a lost camera; frames that arrive faster than the encoder keeps up are skipped and
counted rather than queued without bound (a camera cannot wait) - except for a file played with no pace
(--speed 0), where the reader waits for the encoder as it waits for the pose model.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import cv2

from ankle_cv.io.atomic import atomic_path
from ankle_cv.live.camera import CapturedFrame
from ankle_cv.outputs.annotated_video import Mp4Writer, pick_h264_encoder

QUEUE_FRAMES = 90  # three seconds of 30 fps video may wait for the encoder


class Recorder:
    """Encodes captured frames to an MP4 in the background."""

    def __init__(self, path: Path, fps: float, wait: bool = False) -> None:
        self.path = Path(path)
        self.fps = fps
        self.wait = wait  # a file played as fast as it is measured (--speed 0): wait for the encoder, skip nothing
        self.encoder = pick_h264_encoder()
        self.written = 0
        self.skipped = 0
        self.error: BaseException | None = None
        self._queue: queue.Queue[CapturedFrame | None] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._thread = threading.Thread(target=self._run, name="ankle-cv-recorder", daemon=True)

    def start(self) -> None:
        """Start the encoder thread."""
        self._thread.start()

    def add(self, frame: CapturedFrame) -> None:
        """Queue a captured frame (skipped when the encoder is too far behind, unless told to wait)."""
        while True:
            try:
                self._queue.put(frame, block=self.wait, timeout=0.1 if self.wait else None)
                return
            except queue.Full:
                if not self.wait or self.error is not None or not self._thread.is_alive():
                    self.skipped += 1
                    return

    def _run(self) -> None:
        """Encode until the end marker; the file is renamed into place only when complete."""
        try:
            with atomic_path(self.path) as tmp:
                writer = Mp4Writer(tmp, self.fps, self.encoder)
                try:
                    while (frame := self._queue.get()) is not None:
                        writer.write(cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2BGR), frame.time_s)
                        self.written += 1
                    writer.close()
                except BaseException:
                    writer.abort()
                    raise
        except BaseException as exc:
            self.error = exc

    def finish(self) -> Path | None:
        """Flush and close the file; returns its path, or None when nothing was recorded."""
        while self._thread.is_alive():
            try:
                self._queue.put(None, timeout=0.1)
                break
            except queue.Full:
                continue
        self._thread.join()
        if self.error is not None or self.written == 0:
            return None
        return self.path
