"""--record: a camera's frames are skipped when the encoder falls behind; a file read unpaced (--speed 0) loses none."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from ankle_cv.live import recorder as rec
from ankle_cv.live.camera import CapturedFrame

FRAMES = 40


class SlowWriter:
    """An encoder that takes its time per frame (a loaded machine), counting what it was given."""

    written: list[int] = []

    def __init__(self, path: Path, fps: float, encoder: str) -> None:
        self.path = Path(path)
        self.gate = threading.Event()

    def write(self, bgr: np.ndarray, time_s: float) -> None:
        self.gate.wait(0.01)
        SlowWriter.written.append(round(time_s * 30))

    def close(self) -> None:
        self.path.write_bytes(b"mp4")

    def abort(self) -> None:
        pass


@pytest.fixture()
def slow_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    SlowWriter.written = []
    monkeypatch.setattr(rec, "Mp4Writer", SlowWriter)
    monkeypatch.setattr(rec, "pick_h264_encoder", lambda: "libx264")
    monkeypatch.setattr(rec, "QUEUE_FRAMES", 4)


def _record(path: Path, wait: bool) -> rec.Recorder:
    recorder = rec.Recorder(path, 30.0, wait=wait)
    recorder.start()
    rgb = np.zeros((8, 8, 3), np.uint8)
    for i in range(FRAMES):  # as fast as a file is read
        recorder.add(CapturedFrame(i, i / 30.0, rgb, 0.0))
    assert recorder.finish() == path
    return recorder


def test_a_camera_skips_frames_the_encoder_cannot_take(tmp_path: Path, slow_encoder: None) -> None:
    recorder = _record(tmp_path / "camera.mp4", wait=False)
    assert recorder.skipped > 0 and recorder.written + recorder.skipped == FRAMES


def test_an_unpaced_file_records_every_frame(tmp_path: Path, slow_encoder: None) -> None:
    recorder = _record(tmp_path / "camera.mp4", wait=True)
    assert recorder.skipped == 0 and SlowWriter.written == list(range(FRAMES))


def test_a_dead_encoder_does_not_hang_an_unpaced_file(tmp_path: Path, slow_encoder: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: SlowWriter, bgr: np.ndarray, time_s: float) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(SlowWriter, "write", broken)
    recorder = rec.Recorder(tmp_path / "camera.mp4", 30.0, wait=True)
    recorder.start()
    rgb = np.zeros((8, 8, 3), np.uint8)
    for i in range(FRAMES):
        recorder.add(CapturedFrame(i, i / 30.0, rgb, 0.0))
    assert recorder.finish() is None and isinstance(recorder.error, OSError)
