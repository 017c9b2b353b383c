"""The running analysis: now and then, the analysis core on the recent frames, for the live rep messages.

The core is the one analyze uses (analyze_series), so the live rep numbers are the result's; it
costs about a millisecond per frame, so it runs on a window of the last WINDOW_S seconds, on its
own thread, and sleeps between runs so that it never takes more than DUTY of a CPU core from the
pose model.
"""

from __future__ import annotations

import importlib
import threading
import time

from ankle_cv.live.accumulator import FootBands, SeriesAccumulator
from ankle_cv.live.guidance import LiveRep
from ankle_cv.live.monitor import LiveMonitor
from ankle_cv.pipeline import SLOW_ANALYSIS_MODULES, measured_fps
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.heel_reading import heel_check_boxes
from ankle_cv.settings import Settings

WINDOW_S = 15.0  # long enough for the calibration frames and two or three reps
MIN_PERIOD_S = 2.0  # rep messages may trail the rep by a couple of seconds; the pose model may not
DUTY = 0.15  # share of one core the running analysis may use
MIN_FRAMES = 10


class Analyst:
    """Runs analyze_series on the recent frames and feeds the reps to the monitor."""

    def __init__(self, accumulator: SeriesAccumulator, monitor: LiveMonitor, settings: Settings,
                 fps_hint: float, window_s: float = WINDOW_S, feet: FootBands | None = None) -> None:
        self.feet = feet  # the pictures around the feet: each rep's heel read from the image, as in the result
        self.accumulator = accumulator
        self.monitor = monitor
        self.settings = settings
        self.fps_hint = fps_hint
        self.window_s = window_s
        self.runs = 0
        self.busy_s = 0.0
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="ankle-cv-analyst", daemon=True)

    def run_once(self, final: bool = False) -> list[LiveRep]:
        """Analyse the current window now; returns the reps it added to the session (`final`: the session has ended)."""
        if len(self.accumulator) < MIN_FRAMES:
            return []
        series, start = self.accumulator.window(None if final else self.window_s)  # at the end: the whole session
        fps = measured_fps(series.times_s, self.fps_hint)
        analysis = analyze_series(series, fps, self.settings)
        boxes = heel_check_boxes(analysis, series) if self.feet is not None else {}
        if boxes and self.feet is not None:
            crops = self.feet.crops({i + start: box for i, box in boxes.items()})
            analysis = analyze_series(series, fps, self.settings, {i - start: c for i, c in crops.items()})
        self.runs += 1
        return self.monitor.merge_analysis(analysis, float(series.times_s[0]), float(series.times_s[-1]), final)

    def _loop(self) -> None:
        """Analyse, then rest long enough to keep within DUTY.

        A run's cost is this thread's CPU time, not the wall time: on a busy machine a run waits for a core, and
        counting that wait as work made the rests outlast a short session (no rep was announced live).
        """
        try:
            for module in SLOW_ANALYSIS_MODULES:  # before the first timed run: a 1-2 s import must not count as analysis time
                importlib.import_module(module)
            while not self._stop.wait(MIN_PERIOD_S):
                start = time.thread_time()
                self.run_once()
                took = time.thread_time() - start
                self.busy_s += took
                self._stop.wait(max(0.0, took * (1.0 / DUTY - 1.0) - MIN_PERIOD_S))
        except BaseException as exc:
            self.error = exc

    def start(self) -> None:
        """Start the background runs."""
        self._thread.start()

    def stop(self) -> None:
        """End the background runs (waits for a run in progress)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30.0)
