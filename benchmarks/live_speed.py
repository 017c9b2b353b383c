"""Live mode speed: a 720p stand-in camera played in real time through the whole live loop, overlay included.

Usage: python benchmarks/live_speed.py [VIDEO] [--model full|lite] [--loops N] [--record] [--compare]
       [--screenshot live.png [--screenshot-s 7.5]]
Default VIDEO: ../shared/synthetic/d01_m30_R_p38_cam060.mp4 (1280x720, 30 fps). Frames are scaled to 720p
(short side 720) when the clip has another size.

Prints: displayed fps (frames drawn with the overlay, off screen), measured fps and the share of camera
frames the pose model saw, latency from frame capture to its overlay (median, p95) and to its pose
result, and the machine's load average (other processes share the CPU). Targets (issue 4): >= 25 fps
measured with the full model at 720p, p95 latency <= 100 ms.
--compare also runs `analyze`'s measurement on the same clip and prints both results rep by rep
(the live session's result should match within 1 deg).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import cv2
import numpy as np

from ankle_cv.live.camera import FileSource
from ankle_cv.live.session import SessionOptions, analyse_session, run_session
from ankle_cv.live.window import OffscreenDisplay
from ankle_cv.results.types import Result
from ankle_cv.settings import Settings

REPO = Path(__file__).resolve().parents[1]
DEFAULT_VIDEO = REPO.parent / "shared" / "synthetic" / "d01_m30_R_p38_cam060.mp4"
SHORT_SIDE_PX = 720


class Scaled720Source:
    """A stand-in camera giving 720p frames (short side 720), looped `loops` times with continuous timestamps."""

    realtime = False

    def __init__(self, path: Path, loops: int) -> None:
        self.path, self.loops = path, loops
        self._open()
        w, h = self._inner.size
        scale = SHORT_SIDE_PX / min(w, h)
        self.size = (int(round(w * scale / 2)) * 2, int(round(h * scale / 2)) * 2)
        self.fps = self._inner.fps
        self.label = f"{path.name} at {self.size[0]}x{self.size[1]}"
        self._loop, self._offset_s, self._last_s = 0, 0.0, 0.0

    def _open(self) -> None:
        self._inner = FileSource(self.path)

    def read(self) -> tuple[float, np.ndarray] | None:
        """The next frame, scaled; the clip restarts until it has played `loops` times."""
        got = self._inner.read()
        if got is None:
            self._loop += 1
            if self._loop >= self.loops:
                return None
            self._inner.close()
            self._open()
            self._offset_s = self._last_s + 1.0 / self.fps
            got = self._inner.read()
        time_s, rgb = got
        self._last_s = time_s + self._offset_s
        if (rgb.shape[1], rgb.shape[0]) != self.size:
            rgb = cv2.resize(rgb, self.size, interpolation=cv2.INTER_AREA)
        return self._last_s, rgb

    def close(self) -> None:
        """Stop decoding."""
        self._inner.close()


class ScreenshotDisplay(OffscreenDisplay):
    """Off-screen display that also keeps the frame shown at a given moment (a screenshot of the live view)."""

    def __init__(self, at_s: float) -> None:
        super().__init__()
        self.at_s = at_s
        self.start_s: float | None = None
        self.shot: np.ndarray | None = None

    def show(self, bgr: np.ndarray) -> int:
        now = time.perf_counter()
        self.start_s = now if self.start_s is None else self.start_s
        if self.shot is None and now - self.start_s >= self.at_s:
            self.shot = bgr.copy()
        return super().show(bgr)


def _ms(values: np.ndarray, q: float) -> str:
    """A percentile in milliseconds."""
    return f"{1000 * np.percentile(values, q):6.1f}" if values.size else "   n/a"


def _reps(result: Result) -> str:
    """Rep angles and validity in one line."""
    return ", ".join(f"{r.tibial_inclination_deg}{'' if r.valid else ' (invalid)'}" for r in result.reps) or "none"


def main() -> None:
    """Run one real-time session and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path, nargs="?", default=DEFAULT_VIDEO)
    parser.add_argument("--model", choices=("full", "lite"), default="full")
    parser.add_argument("--loops", type=int, default=1, help="play the clip this many times in a row")
    parser.add_argument("--record", action="store_true", help="also encode camera.mp4, as --record does")
    parser.add_argument("--compare", action="store_true", help="also run analyze on the clip and compare results")
    parser.add_argument("--screenshot", type=Path, help="save the live view (overlay included) as a PNG")
    parser.add_argument("--screenshot-s", type=float, default=7.5, help="when to take it (seconds into the session)")
    args = parser.parse_args()
    if not args.video.exists():
        sys.exit(f"{args.video}: not found (the shared footage lives in ../shared beside the checkout)")
    source = Scaled720Source(args.video, args.loops)
    display = ScreenshotDisplay(args.screenshot_s)
    with tempfile.TemporaryDirectory() as tmp:
        options = SessionOptions(model=args.model, record_path=Path(tmp) / "camera.mp4" if args.record else None)
        load_before = os.getloadavg()
        outcome = run_session(source, options, display)
        load_after = os.getloadavg()
    s = outcome.stats
    print(f"stand-in camera: {source.label} @ {source.fps:.0f} fps, {args.loops} loop(s), model {args.model}"
          f"{', recording' if args.record else ''}")
    print(f"load average before/after (1 min): {load_before[0]:.2f} / {load_after[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"wall time {s.wall_s:.1f} s, {s.captured} frames captured, {s.analyst_runs} running analyses")
    print(f"displayed:  {s.displayed_fps:6.1f} fps ({s.displayed} camera frames shown with the overlay, {s.draws} draws)")
    print(f"measured:   {s.measured_fps:6.1f} fps  ({100 * s.measured_fraction:.0f}% of camera frames; target >= 25 fps)")
    print(f"latency capture -> overlay (ms): median {_ms(s.latencies_s, 50)}  p95 {_ms(s.latencies_s, 95)}  (target p95 <= 100)")
    print(f"latency capture -> result  (ms): median {_ms(s.result_latencies_s, 50)}  p95 {_ms(s.result_latencies_s, 95)}")
    if args.screenshot is not None and display.shot is not None:
        cv2.imwrite(str(args.screenshot), display.shot)
        print(f"screenshot of the live view at {args.screenshot_s:.1f} s: {args.screenshot}")
    if args.compare:
        from ankle_cv.pipeline import measure_video
        from ankle_cv.results.build import build_result

        _, _, live_result = analyse_session(outcome, options, str(args.video))
        info, _, analysis, _ = measure_video(args.video, Settings(), args.model)
        file_result = build_result(analysis, info, args.model)
        print(f"live    best rep: {live_result.summary.tibial_inclination_deg}  reps: {_reps(live_result)}")
        print(f"analyze best rep: {file_result.summary.tibial_inclination_deg}  reps: {_reps(file_result)}")


if __name__ == "__main__":
    main()
