"""One live session: grab, track, guide and display in real time; the result from the analysis core at the end.

Threads: the grabber reads the camera (camera.py); the pose worker runs the landmarker on the
newest frame, stores the landmarks and updates the running state (monitor.py); the analyst runs
the core on recent frames for the rep messages (analyst.py); the calling thread draws and shows
frames and handles keys, Ctrl-C and the end conditions. Slow inference therefore never stalls the
display: the pose worker simply skips to the newest frame.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from ankle_cv.interrupts import SIGNAL_REASONS
from ankle_cv.io.read_extent import span_to_end_s
from ankle_cv.io.video_source import Frame, VideoInfo
from ankle_cv.kinematics.heel_edge import FootCrop
from ankle_cv.live.accumulator import FootBands, PeakPictures, SeriesAccumulator
from ankle_cv.live.analyst import Analyst
from ankle_cv.live.camera import FrameQueue, FrameSource, Grabber
from ankle_cv.live.guidance import LiveRep, rep_message
from ankle_cv.live.monitor import LiveMonitor, LiveState
from ankle_cv.live.overlay import draw_live
from ankle_cv.live.quick import frame_luma
from ankle_cv.live.recorder import Recorder
from ankle_cv.live.window import KEY_QUIT, Display
from ankle_cv.pipeline import finish_measurement, measured_fps
from ankle_cv.pose.landmarker import FramePose, PoseTracker
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.pose.sampling import frame_stride
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.protocol.centimetres import attach_centimetres
from ankle_cv.results.build import build_result
from ankle_cv.results.types import LiveInput, Result
from ankle_cv.scene.marker import MarkerTracker
from ankle_cv.scene.room_camera import RoomView
from ankle_cv.settings import ScaleInputs, Settings

POLL_S = 0.05
REDRAW_POLL_S = 0.005  # with a window: how soon a new pose result is drawn on the current frame
MIN_FRAMES = 3  # fewer measured frames than this: nothing to analyse


class Tracker(Protocol):
    """What the session needs of a pose tracker (PoseTracker; tests pass a replay)."""

    def process(self, rgb: np.ndarray, time_s: float) -> tuple[FramePose | None, int]:
        """Landmarks of the main person and the number of people seen (-1 when not sampled)."""

    def close(self) -> None:
        """Release the model."""


@dataclass(frozen=True)
class SessionOptions:
    """How to run a session (the measurement settings are analyze's)."""

    settings: Settings = Settings()  # with the user-given lengths for centimetres (no marker search live)
    model: str = "full"
    reps_target: int | None = None  # stop after this many valid reps
    speed: float | None = 1.0  # stand-in file pacing: 1.0 real time; None every frame, no drops (tests)
    mirror: bool = False  # mirror the displayed picture (selfie view); measurement is never mirrored
    record_path: Path | None = None
    count_people: bool = True


@dataclass(frozen=True)
class SessionStats:
    """How the session kept up: frames captured, measured and displayed, and capture-to-overlay latency."""

    captured: int
    measured: int
    displayed: int  # distinct camera frames shown
    draws: int  # overlays drawn (a frame is redrawn when a new pose result arrives before the next frame)
    wall_s: float
    latencies_s: np.ndarray  # per measured frame: capture to its overlay on screen (empty without a display)
    result_latencies_s: np.ndarray  # per measured frame: capture to its pose result and live state
    analyst_runs: int
    recorder_skipped: int = 0

    @property
    def measured_fraction(self) -> float:
        """Share of camera frames the pose model saw."""
        return self.measured / self.captured if self.captured else 0.0

    @property
    def measured_fps(self) -> float:
        """Pose results per second of wall time."""
        return self.measured / self.wall_s if self.wall_s > 0 else 0.0

    @property
    def displayed_fps(self) -> float:
        """Frames shown per second of wall time."""
        return self.displayed / self.wall_s if self.wall_s > 0 else 0.0


@dataclass(frozen=True)
class SessionOutcome:
    """What a session measured, why it ended, and how it kept up."""

    series: PoseSeries
    end_reason: str  # "key", "reps", "end of video", "interrupted" (Ctrl-C), "SIGTERM", "SIGHUP", "camera lost"
    lost_message: str | None
    stats: SessionStats
    live_reps: tuple[LiveRep, ...]
    last_state: LiveState
    source_label: str
    source_fps: float
    size: tuple[int, int]
    pictures: PeakPictures
    recording: Path | None
    last_picture: np.ndarray | None = None  # the last frame shown, overlay included (BGR)
    warnings: tuple[str, ...] = field(default_factory=tuple)
    scene: SceneTaps | None = None  # marker, room and feet pictures seen (None: a session made without them)
    pose_stride: int = 1  # every n-th camera frame went to the pose model (analyze's sampling)
    camera_frames: np.ndarray | None = None  # camera frame index of each measured frame
    dropped: int = 0  # of those, frames the pose model could not keep up with
    captured_span_s: tuple[float, float] | None = None  # the first and the last captured frame's time


class SceneTaps:
    """What analyze reads from the frames besides the pose, gathered live from the frames the pose model sees:
    the marker sheet, the first frame's room lines, and the pictures around the feet for the heel check."""

    def __init__(self, size: tuple[int, int], scale: ScaleInputs) -> None:
        self.marker = MarkerTracker(scale.marker_id, scale.marker_size_mm, size)
        self.room = RoomView(size)
        self.feet = FootBands()

    def observe(self, index: int, time_s: float, rgb: np.ndarray, pose: FramePose | None) -> None:
        """Show one measured frame (its index in the series) to each of them."""
        frame = Frame(index, time_s, rgb)
        self.marker.observe(frame)
        self.room.observe(frame)
        self.feet.add(index, rgb, pose)


class PoseWorker:
    """Runs the landmarker on each frame handed over, stores the result, updates the running state."""

    def __init__(self, inbox: FrameQueue, tracker: Tracker, accumulator: SeriesAccumulator, monitor: LiveMonitor,
                 pictures: PeakPictures, size: tuple[int, int], clock: Callable[[], float], scene: SceneTaps) -> None:
        self.scene = scene
        self.inbox = inbox
        self.tracker = tracker
        self.accumulator = accumulator
        self.monitor = monitor
        self.pictures = pictures
        self.size = size
        self.clock = clock
        self.result_latencies: list[float] = []
        self.error: BaseException | None = None
        self.done = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ankle-cv-pose", daemon=True)

    def start(self) -> None:
        """Start tracking."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the frame in progress."""
        self._stop.set()
        self.inbox.close()
        self._thread.join()

    def _run(self) -> None:
        """Track until the grabber closes the mailbox (end of stream) or stop() is called."""
        width, height = self.size
        try:
            while not self._stop.is_set():
                frame = self.inbox.get()
                if frame is None:
                    break
                pose, people = self.tracker.process(frame.rgb, frame.time_s)
                index = self.accumulator.append(frame.time_s, pose, people, frame.index)
                self.scene.observe(index, frame.time_s, frame.rgb, pose)
                luma = frame_luma(frame.rgb)
                state = self.monitor.update(pose, index, frame.time_s, frame.captured_at_s, width, height, luma)
                self.pictures.offer(index, frame.time_s, state.angle_deg, frame.rgb)
                self.result_latencies.append(self.clock() - frame.captured_at_s)
        except BaseException as exc:
            self.error = exc
        finally:
            self.done.set()


def _valid_count(reps: tuple[LiveRep, ...]) -> int:
    """Valid reps so far."""
    return sum(1 for r in reps if r.valid)


class _Screen:
    """Draws and shows frames on the session's thread, timing capture-to-overlay for each measured frame."""

    def __init__(self, display: Display | None, mirror: bool, clock: Callable[[], float]) -> None:
        self.display = display
        self.mirror = mirror
        self.clock = clock
        self.shown = 0  # distinct camera frames shown
        self.draws = 0  # including redraws of a frame when a new pose result arrives
        self.drawn_index = -1  # measured-frame index of the newest pose result drawn
        self.latencies: list[float] = []
        self.last_bgr: np.ndarray | None = None
        self._frame_index = -1

    def show(self, rgb: np.ndarray, state: LiveState, frame_index: int) -> int:
        """Draw the overlay for `state` on the newest camera frame and show it; returns the key pressed."""
        if self.display is None:
            return -1
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        if self.mirror:
            bgr = cv2.flip(bgr, 1)
        draw_live(bgr, state, state.measured_fps, self.mirror)
        key = self.display.show(bgr)
        now = self.clock()
        self.draws += 1
        if frame_index != self._frame_index:
            self.shown += 1
            self._frame_index = frame_index
        if state.frame_index >= 0 and state.frame_index != self.drawn_index:
            self.latencies.append(now - state.captured_at_s)
            self.drawn_index = state.frame_index
        self.last_bgr = bgr
        return key


REP_NUMBER = re.compile(r"rep (\d+):")  # a rep line's number, as guidance.rep_message writes it
# Said once, before the first rep line: lunge_side_nowva's running lines differed from the final table by up to 1.3 deg
# (rep 2: 15.4 running, 14.1 final), by design: each running analysis sees a window, the final one the whole take.
RUNNING_NOTE = "rep lines as you go are quick readings: the table at the end reads the whole take again and may differ by a degree or so"


class Narrator:
    """Headless: the guidance and rep messages as lines of text, each once when it changes."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self._last: dict[str, str] = {}
        self.said_reps: set[int] = set()  # rep numbers announced (the session's end says the others)
        self._noted = False  # RUNNING_NOTE said

    def tell(self, state: LiveState) -> None:
        """Print what changed since the last state."""
        for key, text in (("phase", state.phase.message), ("hint", state.hint), ("rep", state.rep_message)):
            if text and text != self._last.get(key):
                said = REP_NUMBER.match(text) if key == "rep" else None
                if said:  # one running analysis can find two reps: the state's message is the last one's only
                    self.tell_rest(tuple(r for r in state.reps if r.number < int(said.group(1))))
                    self._note()
                self.say(text)
                if said:
                    self.said_reps.add(int(said.group(1)))
            self._last[key] = text

    def _note(self) -> None:
        """RUNNING_NOTE, before the first rep line only."""
        if not self._noted:
            self.say(RUNNING_NOTE)
            self._noted = True

    def tell_rest(self, reps: tuple[LiveRep, ...]) -> None:
        """Announce the reps not yet announced (at the session's end), in order."""
        for rep in reps:
            if rep.number not in self.said_reps:
                self._note()
                self.say(rep_message(rep))
                self.said_reps.add(rep.number)


FINAL_RUN_ENDS = ("end of video", "key", "reps")  # normal ends; a signal or a lost camera ends at once


def _announce_last_reps(analyst: Analyst, narrator: Narrator) -> str:
    """One last analysis of the whole session at a normal end, and every rep not yet announced said line by line.

    The running analysis trails a rep by seconds, so a session can end (a stand-in file read unpaced, q after the
    last rep) before it announced the last reps. Returns a warning when that analysis fails ('' if not).
    """
    if analyst.error is not None:
        return ""
    try:
        analyst.run_once(final=True)
    except Exception as exc:  # the result is analysed again afterwards; only the live lines are lost
        return f"the last running analysis failed ({exc!r}): its rep lines were not printed (the result is unaffected)"
    narrator.tell_rest(analyst.monitor.reps)
    return ""


def run_session(
    source: FrameSource,
    options: SessionOptions,
    display: Display | None = None,
    tracker: Tracker | None = None,
    clock: Callable[[], float] = time.perf_counter,
    say: Callable[[str], None] | None = None,
) -> SessionOutcome:
    """Run the live loop until q/Esc, --reps valid reps, the end of a stand-in file, a lost camera or Ctrl-C.

    Ctrl-C and a lost camera end the session normally (their reason is in the outcome) so that
    what was measured can still be written; the source is closed here.
    """
    size = source.size
    own_tracker = tracker is None
    try:
        unpaced = options.speed is None and not source.realtime  # a file read as fast as it is measured: nothing dropped
        recorder = Recorder(options.record_path, source.fps, wait=unpaced) if options.record_path is not None else None
        if tracker is None:  # no warm-up frame: the tracker must see exactly the frames analyze would
            tracker = PoseTracker(options.model, count_people=options.count_people)
    except BaseException:
        source.close()
        raise
    accumulator = SeriesAccumulator(*size)
    monitor = LiveMonitor()
    pictures = PeakPictures()
    stride = frame_stride(source.fps)
    grabber = Grabber(source, options.speed, sinks=(recorder.add,) if recorder else (), clock=clock, pose_stride=stride)
    scene = SceneTaps(size, options.settings.sizes)
    worker = PoseWorker(grabber.for_pose, tracker, accumulator, monitor, pictures, size, clock, scene)
    analyst = Analyst(accumulator, monitor, options.settings, source.fps / stride, feet=scene.feet)
    screen = _Screen(display, options.mirror, clock)
    narrator = Narrator(say) if say else None
    start = clock()
    end_reason = "interrupted"
    try:
        if recorder:
            recorder.start()
        worker.start()
        analyst.start()
        grabber.start()
        end_reason = _loop(grabber, worker, monitor, screen, options, narrator)
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP turned into Interrupted by the command
        end_reason = SIGNAL_REASONS.get(getattr(exc, "signum", signal.SIGINT), "interrupted")
    finally:
        wall_s = clock() - start
        grabber.stop()
        worker.stop()
        analyst.stop()
        recording = recorder.finish() if recorder else None
        if own_tracker:
            tracker.close()
        source.close()
        pictures.finish()
    for failure in (grabber.error, worker.error):
        if failure is not None:
            raise failure
    last = _announce_last_reps(analyst, narrator) if narrator is not None and end_reason in FINAL_RUN_ENDS else ""
    warnings = [last] if last else []
    if analyst.error is not None:
        warnings.append(f"the running analysis failed ({analyst.error!r}): live rep messages stopped (the result is unaffected)")
    if recorder and recorder.error is not None:
        warnings.append(f"camera.mp4 could not be written ({recorder.error})")
    if recorder and recorder.skipped:
        warnings.append(f"camera.mp4 skips {recorder.skipped} frames (the encoder could not keep up)")
    stats = SessionStats(
        captured=grabber.captured,
        measured=len(accumulator),
        displayed=screen.shown,
        draws=screen.draws,
        wall_s=wall_s,
        latencies_s=np.array(screen.latencies, dtype=float),
        result_latencies_s=np.array(worker.result_latencies, dtype=float),
        analyst_runs=analyst.runs,
        recorder_skipped=recorder.skipped if recorder else 0,
    )
    return SessionOutcome(
        series=accumulator.series(),
        end_reason=end_reason,
        lost_message=grabber.lost,
        stats=stats,
        live_reps=monitor.reps,
        last_state=monitor.state,
        source_label=source.label,
        source_fps=source.fps,
        size=size,
        pictures=pictures,
        recording=recording,
        last_picture=screen.last_bgr,
        warnings=tuple(warnings) + tuple(getattr(source, "warnings", ())),
        scene=scene,
        pose_stride=stride,
        camera_frames=accumulator.camera_frames(),
        dropped=grabber.for_pose.dropped,
        captured_span_s=grabber.span_s,
    )


def _loop(
    grabber: Grabber, worker: PoseWorker, monitor: LiveMonitor, screen: _Screen, options: SessionOptions,
    narrator: Narrator | None,
) -> str:
    """Show frames and watch for the end of the session; returns why it ended."""
    latest = None
    while True:
        if narrator is not None:
            narrator.tell(monitor.state)
        if worker.error is not None or grabber.error is not None:
            return "error"
        if options.reps_target and _valid_count(monitor.reps) >= options.reps_target:
            return "reps"
        if worker.done.is_set():
            return "camera lost" if grabber.lost else "end of video"
        frame = grabber.for_display.get(REDRAW_POLL_S if screen.display is not None else POLL_S)
        if frame is not None:
            latest = frame
        elif grabber.ended.is_set():
            worker.done.wait(POLL_S)
        state = monitor.state
        if latest is None or (frame is None and state.frame_index == screen.drawn_index):
            continue
        # A new camera frame, or a new pose result on the current one: show it now, not a frame later.
        if screen.show(latest.rgb, state, latest.index) in KEY_QUIT:
            return "key"


# ---------------------------------------------------------------------------------------------
# The result


def session_info(outcome: SessionOutcome, fps: float) -> VideoInfo:
    """The VideoInfo that result.json's "input" is built from, for a live session: the camera's frames and rate
    (`fps` when the camera gave none), so that frame numbers count camera frames as they count video frames, and
    the duration measured as analyze's header states it (first captured frame's start to the last one's end)."""
    times = outcome.series.times_s
    width, height = outcome.size
    rate = outcome.source_fps if outcome.source_fps and outcome.source_fps > 0 else fps
    first_s, last_s = outcome.captured_span_s or ((float(times[0]), float(times[-1])) if times.size else (0.0, 0.0))
    duration = span_to_end_s(first_s, last_s, rate) if outcome.stats.captured or times.size else 0.0
    frames = max(outcome.stats.captured, int(times.size))
    return VideoInfo(outcome.source_label, width, height, rate, frames, duration, 0, "live")


def analyse_session(outcome: SessionOutcome, options: SessionOptions, camera: int | str) -> tuple[VideoInfo, Analysis, Result]:
    """Run the analysis core on every measured frame and build result.json, as analyze does for a file."""
    series = outcome.series
    fps = measured_fps(series.times_s, outcome.source_fps)
    unkept: set[int] = set()  # frames whose foot picture analyze would cut from the file but the session did not keep
    if outcome.scene is not None:  # analyze's measurement on the frames the session has, marker sheet included
        feet = outcome.scene.feet

        def foot_crops(boxes: dict[int, tuple[int, int, int, int]]) -> dict[int, FootCrop]:
            got = feet.crops(boxes)
            unkept.update(i for i, box in boxes.items() if i not in got and _in_picture(box, outcome.size))
            return got

        analysis = finish_measurement(series, fps, options.settings, outcome.scene.marker, outcome.scene.room, foot_crops)
    else:
        analysis = attach_centimetres(analyze_series(series, fps, options.settings), series, None)
    info = session_info(outcome, fps)
    result = build_result(analysis, info, options.model, outcome.camera_frames)
    stats = outcome.stats
    live = LiveInput(source="live", camera=camera, frames_captured=stats.captured, frames_measured=stats.measured,
                     ended_by=outcome.end_reason)
    result = replace(result, input=replace(result.input, live=live))
    notes = list(outcome.warnings)
    if outcome.dropped:
        notes.append(
            f"live: {outcome.dropped} of the {outcome.dropped + stats.measured} frames due to the pose model were dropped "
            f"(it measured {stats.measured_fps:.0f} per second, slower than the camera): the result may differ from "
            "analyze on a recording"
        )
    if unkept:
        notes.append(
            f"live: the picture around the foot was not kept for {len(unkept)} of the frames the heel reading asked for "
            "(the foot's points were far from where it stood): those frames' heel was not read from the image, and the "
            "heel verdicts may differ from analyze on a recording"
        )
    if outcome.end_reason == "camera lost":
        notes.append(f"live: the session ended early: {outcome.lost_message}")
    elif outcome.end_reason == "interrupted":
        notes.append("live: the session was interrupted (Ctrl-C); the result covers the frames measured until then")
    elif outcome.end_reason in SIGNAL_REASONS.values():
        notes.append(f"live: the session was ended by {outcome.end_reason}; the result covers the frames measured until then")
    return info, analysis, result.with_warnings_first(notes)


def _in_picture(box: tuple[int, int, int, int], size: tuple[int, int]) -> bool:
    """Whether 8 px or more of a box is in the picture both ways (analyze cuts a crop from the file for it, foot_crop)."""
    x0, y0, x1, y1 = box
    width, height = size
    return min(x1, width) - max(x0, 0) >= 8 and min(y1, height) - max(y0, 0) >= 8


def has_enough_frames(outcome: SessionOutcome) -> bool:
    """Whether anything can be analysed."""
    return outcome.series.n_frames >= MIN_FRAMES
