"""Live mode: guidance logic, the running-rep bookkeeping, the grabber, and the live loop end to end.

The loop runs headless on stand-in sources: a replay of a synthetic landmark series (no model, fast)
for the session mechanics and faults, and the shipped sample video through the real pose model for
the measurement itself.
"""

from __future__ import annotations

import _thread
import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.io.video_source import foot_crop
from ankle_cv.kinematics.heel_edge import FootCrop, foot_box
from ankle_cv.live import guidance
from ankle_cv.live.accumulator import FootBands, PeakPictures, SeriesAccumulator
from ankle_cv.live.analyst import Analyst
from ankle_cv.live.camera import CameraLost, CapturedFrame, Grabber, Mailbox
from ankle_cv.live.guidance import LiveRep, Observation, Phase
from ankle_cv.live.monitor import HEEL_READ_MAX_AGE_S, LiveMonitor, heel_reading, merge_reps
from ankle_cv.live.quick import sole_roll_deg
from ankle_cv.live.session import RUNNING_NOTE, Narrator, SessionOptions, analyse_session, run_session
from ankle_cv.live.window import OffscreenDisplay
from ankle_cv.pipeline import finish_measurement, measured_fps
from ankle_cv.pose.landmarker import FramePose
from ankle_cv.pose.landmarks import LEG_INDEX, PoseSeries
from ankle_cv.pose.sampling import frame_stride
from ankle_cv.pose.silhouette import MaskProfiles
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.settings import Settings
from tests.conftest import SAMPLES
from tests.synthetic_legs import HEIGHT, WIDTH, make_series, rep_profile

FPS = 30.0
PEAKS_DEG = [36.0, 40.0, 38.0]


# ---------------------------------------------------------------------------------------------
# Stand-ins for the camera and the pose model


@pytest.fixture(scope="module")
def k2w_series() -> PoseSeries:
    """Three knee-to-wall reps as landmarks and silhouette profiles (13.6 s at 30 fps)."""
    return make_series(rep_profile(FPS, PEAKS_DEG), fps=FPS, with_mask=True, jitter_px=0.3)


class ReplayTracker:
    """Plays a landmark series back as the pose model would report it, frame by frame (by timestamp)."""

    def __init__(self, series: PoseSeries, delay_s: float = 0.0) -> None:
        self.series = series
        self.delay_s = delay_s
        self.closed = False

    def process(self, rgb: np.ndarray, time_s: float) -> tuple[FramePose | None, int]:
        if self.delay_s:
            time.sleep(self.delay_s)
        s = self.series
        i = int(np.argmin(np.abs(s.times_s - time_s)))
        if not s.detected[i]:
            return None, 1
        profiles = MaskProfiles(s.mask_right_x[i], s.mask_left_x[i], s.mask_bottom_y[i]) if s.has_mask else None
        return FramePose(s.image_xy[i], s.visibility[i], s.world_xyz[i], profiles), 1

    def close(self) -> None:
        self.closed = True


class ReplaySource:
    """A stand-in camera giving blank frames at the series' timestamps; can lose the camera or press Ctrl-C."""

    realtime = False

    def __init__(self, series: PoseSeries, lose_after: int | None = None, interrupt_after: int | None = None) -> None:
        self.times = series.times_s
        self.size = (series.width, series.height)
        self.fps = FPS
        self.label = "camera 0"
        self.index = 0
        self.lose_after = lose_after
        self.interrupt_after = interrupt_after
        self.frame = np.full((series.height, series.width, 3), 120, np.uint8)
        self.i = 0
        self.closed = False

    def read(self) -> tuple[float, np.ndarray] | None:
        if self.lose_after is not None and self.i >= self.lose_after:
            raise CameraLost("camera 0 stopped giving frames (unplugged or taken by another program)")
        if self.interrupt_after is not None and self.i == self.interrupt_after:
            _thread.interrupt_main()  # what Ctrl-C does: KeyboardInterrupt in the main thread
        if self.i >= self.times.size:
            return None
        self.i += 1
        return float(self.times[self.i - 1]), self.frame

    def close(self) -> None:
        self.closed = True


# ---------------------------------------------------------------------------------------------
# Guidance (pure)


def good_view(**changes: object) -> Observation:
    """A side view with the whole leg in a 1280x720 frame, bright and level."""
    base = dict(
        person=True, width=WIDTH, height=HEIGHT,
        leg_xy={"hip": np.array([600.0, 250.0]), "knee": np.array([640.0, 420.0]), "ankle": np.array([620.0, 580.0]),
                "heel": np.array([600.0, 600.0]), "toe": np.array([680.0, 605.0])},
        leg_visibility={k: 0.9 for k in ("hip", "knee", "ankle", "heel", "toe")},
        hip_width_px=15.0, shank_px=160.0, luma=150.0, roll_deg=2.0,
    )
    base.update(changes)
    return Observation(**base)


def test_a_good_view_has_no_problems() -> None:
    assert guidance.view_problems(good_view()) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"person": False}, "step into view: nobody found"),
    ({"leg_xy": {**good_view().leg_xy, "toe": np.array([680.0, 719.0])}}, "step back: feet out of view"),
    ({"leg_visibility": {**good_view().leg_visibility, "heel": 0.2}}, "step back: feet out of view"),
    ({"leg_xy": {**good_view().leg_xy, "hip": np.array([600.0, -40.0])}}, "step back or lower the camera: knee out of view"),
    ({"hip_width_px": 90.0}, "turn sideways to the camera"),
    ({"luma": 35.0}, "more light"),
    ({"roll_deg": -19.0}, "level the camera: it is tilted 19\u00b0"),
])
def test_each_view_problem_is_named_in_plain_words(changes: dict, expected: str) -> None:
    assert guidance.view_problems(good_view(**changes))[0] == expected


def test_set_up_then_calibration_then_measuring() -> None:
    start = Phase("setup", "", None)
    assert guidance.next_phase(start, ["more light"], True, True, 0.0, None) == Phase("setup", "more light", None)
    calibrating = guidance.next_phase(start, [], True, True, 1.0, 1.0)
    assert calibrating.name == "calibrating" and calibrating.message == "hold still: calibrating"
    moving = guidance.next_phase(calibrating, [], False, True, 1.0 + guidance.CALIBRATION_S, None)
    assert moving.name == "calibrating"  # the hold starts again
    ready = guidance.next_phase(calibrating, [], True, True, 1.0 + guidance.CALIBRATION_S, 1.0)
    assert ready.name == "measuring" and ready.message.startswith("ready")
    assert guidance.next_phase(ready, [], False, False, 3.0, None).message == guidance.READY  # shown a moment
    # once measuring, movement and the knee at the wall do not send the person back to set-up
    later = guidance.next_phase(ready, ["turn sideways to the camera"], False, False, 9.0, None)
    assert later == Phase("measuring", "", ready.calibrated_at_s)
    # the core's own calibration (reps already measured) ends the hold too
    assert guidance.next_phase(start, [], False, False, 3.0, None, core_calibrated=True).name == "measuring"


def test_stillness_is_relative_to_the_shank() -> None:
    knee = np.array([[640.0, 420.0]] * 10)
    ankle = np.array([[620.0, 580.0]] * 10)
    assert guidance.is_still(knee, ankle, 160.0)
    moving = knee + np.linspace(0, 20, 10)[:, None] * [1, 0]
    assert not guidance.is_still(moving, ankle, 160.0)


def test_rep_messages_and_best_rep() -> None:
    good = LiveRep(3, "right", 9.0, 10.0, 11.0, 38.23, False, True, "")
    bad = LiveRep(2, "right", 5.0, 6.0, 7.0, 41.0, True, False, "heel lifted in the hold")
    assert guidance.rep_message(good) == "rep 3: 38.2\u00b0 joint-centre heel down \u2713"  # named: not the inclinometer's
    assert guidance.rep_message(bad) == "rep 2: 41.0\u00b0 joint-centre heel up \u2717 heel lifted in the hold"
    assert guidance.best_rep([bad, good]) is good
    assert guidance.best_rep([bad]) is None


def test_floor_tilt_from_the_sole() -> None:
    cols = np.arange(400, dtype=float)
    bottom = np.full(400, np.nan)
    foot = (cols >= 100) & (cols <= 300)
    for roll in (0.0, 8.0, -12.0):
        bottom[foot] = 500 + np.tan(np.radians(roll)) * (cols[foot] - 100)
        assert sole_roll_deg(bottom, 110.0, 290.0) == pytest.approx(roll, abs=1.0)


# ---------------------------------------------------------------------------------------------
# Reps from the running analysis (pure)


def rep(start: float, peak: float, end: float, angle: float = 38.0, valid: bool = True) -> LiveRep:
    return LiveRep(0, "right", start, peak, end, angle, False, valid, "" if valid else "heel lifted in the hold")


def test_reps_count_once_finished_and_keep_their_number() -> None:
    seen = merge_reps((), [rep(1.0, 2.0, 3.0), rep(4.0, 5.0, 5.8)], 0.0, 6.0, 0.0)
    assert [r.number for r in seen] == [1] and seen[0].peak_s == 2.0  # the second is not over yet
    seen = merge_reps(seen, [rep(1.0, 2.0, 3.0, 37.5), rep(4.0, 5.0, 6.0)], 0.0, 8.0, 0.0)
    assert [(r.number, r.peak_s, r.angle_deg) for r in seen] == [(1, 2.0, 37.5), (2, 5.0, 38.0)]


def test_reps_before_the_window_keep_the_earlier_view() -> None:
    seen = (replace_number(rep(1.0, 2.0, 3.0, 37.0), 1), replace_number(rep(4.0, 5.0, 6.0, 39.0), 2))
    # a later window starts at 3.5 s: rep 1 is outside it, rep 2 is seen whole, a third rep finished
    merged = merge_reps(seen, [rep(4.0, 5.0, 6.0, 39.2), rep(8.0, 9.0, 10.0, 40.0)], 3.5, 12.0, 0.0)
    assert [(r.number, r.angle_deg) for r in merged] == [(1, 37.0), (2, 39.2), (3, 40.0)]
    # a window starting inside rep 2 sees it cut short: the earlier, whole view stays
    cut = merge_reps(seen, [rep(4.5, 5.0, 6.0, 30.0, valid=False)], 4.5, 12.0, 0.0)
    assert [(r.number, r.angle_deg) for r in cut] == [(1, 37.0), (2, 39.0)]


def test_a_rep_seen_again_with_a_slightly_earlier_start_is_kept() -> None:
    seen = (replace_number(rep(4.55, 5.0, 6.0, 39.0), 1),)
    merged = merge_reps(seen, [rep(4.45, 5.1, 6.0, 39.4)], 4.0, 9.0, 0.0)  # starts before the trusted zone now
    assert [(r.number, r.angle_deg) for r in merged] == [(1, 39.0)]


def test_a_rep_the_analysis_no_longer_sees_is_withdrawn() -> None:
    seen = merge_reps((), [rep(1.0, 2.0, 3.0), rep(3.5, 4.0, 4.2, 19.0, valid=False)], 0.0, 5.5, 0.0)
    assert len(seen) == 2
    assert [r.peak_s for r in merge_reps(seen, [rep(1.0, 2.0, 3.0)], 0.0, 7.0, 0.0)] == [2.0]


def test_at_the_end_a_rep_that_just_finished_counts() -> None:
    """No frame follows the session's last one: a rep that ended by then is settled (the running view waits)."""
    fresh = [rep(1.0, 2.0, 3.0), rep(4.0, 5.0, 5.9)]
    assert [r.peak_s for r in merge_reps((), fresh, 0.0, 6.0, 0.0)] == [2.0]
    assert [r.peak_s for r in merge_reps((), fresh, 0.0, 6.0, 0.0, settle_s=0.0)] == [2.0, 5.0]


def test_the_narrator_says_at_the_end_each_rep_it_has_not_said() -> None:
    lines: list[str] = []
    narrator = Narrator(lines.append)
    reps = (replace_number(rep(1.0, 2.0, 3.0, 37.0), 1), replace_number(rep(4.0, 5.0, 6.0, 39.0), 2),
            replace_number(rep(7.0, 8.0, 9.0, 30.0, valid=False), 3))
    from ankle_cv.live.monitor import LiveState

    narrator.tell(LiveState(reps=reps[:1], rep_message=guidance.rep_message(reps[0])))
    narrator.tell_rest(reps)
    assert [line.split(":")[0] for line in lines[1:]] == ["rep 1", "rep 2", "rep 3"]  # after the running note
    assert "heel lifted" in lines[-1]
    narrator.tell_rest(reps)  # nothing twice
    assert len(lines) == 4


def test_the_narrator_says_every_rep_when_one_running_analysis_found_two() -> None:
    """lunge_side_nowva live, Ctrl-C at 14 s: 'rep 2: ...' was printed, rep 1 never (the state carries the last new rep's
    message only)."""
    from ankle_cv.live.monitor import LiveState

    lines: list[str] = []
    narrator = Narrator(lines.append)
    reps = (replace_number(rep(1.0, 2.0, 3.0, 37.0), 1), replace_number(rep(4.0, 5.0, 6.0, 39.0), 2))
    narrator.tell(LiveState(reps=reps, rep_message=guidance.rep_message(reps[1])))
    assert [line.split(":")[0] for line in lines] == [RUNNING_NOTE.split(":")[0], "rep 1", "rep 2"]
    narrator.tell(LiveState(reps=reps, rep_message=guidance.rep_message(reps[1])))  # nothing twice
    narrator.tell_rest(reps)
    assert len(lines) == 3


def test_the_narrator_says_once_that_its_rep_lines_are_running_readings() -> None:
    """lunge_side_nowva live: running rep 2 read 15.4°, the final table 14.1° (by design: the final pass reads the whole
    take); the headless lines said nothing of it."""
    lines: list[str] = []
    narrator = Narrator(lines.append)
    reps = (replace_number(rep(1.0, 2.0, 3.0, 37.0), 1), replace_number(rep(4.0, 5.0, 6.0, 39.0), 2))
    narrator.tell_rest(reps[:1])
    narrator.tell_rest(reps)
    assert lines[0] == RUNNING_NOTE and [line.split(":")[0] for line in lines[1:]] == ["rep 1", "rep 2"]
    assert "whole take" in RUNNING_NOTE


def replace_number(r: LiveRep, number: int) -> LiveRep:
    return LiveRep(number, r.side, r.start_s, r.peak_s, r.end_s, r.angle_deg, r.heel_lifted, r.valid, r.reason)


def test_running_analysis_announces_each_core_rep_once() -> None:
    series = make_series(np.concatenate([rep_profile(FPS, [36.0, 40.0]), np.full(45, 5.0)]), fps=FPS, with_mask=True,
                         jitter_px=0.3)
    acc = SeriesAccumulator(WIDTH, HEIGHT)
    monitor = LiveMonitor()
    analyst = Analyst(acc, monitor, Settings(), FPS, window_s=6.0)  # windows shorter than the session
    tracker = ReplayTracker(series)
    announced = []
    for i, t in enumerate(series.times_s):
        pose, people = tracker.process(None, t)
        acc.append(float(t), pose, people)
        state = monitor.update(pose, i, float(t), 0.0, WIDTH, HEIGHT, 150.0)
        if i % 60 == 59:
            announced += analyst.run_once()
    final = analyze_series(series, FPS)
    assert [r.number for r in announced] == [1, 2]  # each rep once, though the flat synthetic hold moves its peak
    assert [r.angle_deg for r in monitor.reps] == pytest.approx([r.tibial_inclination_deg for r in final.reps], abs=1.0)
    assert state.best is not None and state.best.number == 2 and state.phase.name == "measuring"
    assert state.rep_message == guidance.rep_message(monitor.reps[-1])


# ---------------------------------------------------------------------------------------------
# The grabber: newest frame only, or every frame in lockstep


def frame(i: int) -> CapturedFrame:
    return CapturedFrame(i, i / FPS, np.zeros((2, 2, 3), np.uint8), 0.0)


def test_mailbox_keeps_the_newest_and_counts_drops() -> None:
    box = Mailbox()
    for i in range(3):
        box.put(frame(i))
    assert box.get(0.1).index == 2 and box.dropped == 2
    assert box.get(0.01) is None
    box.close()
    assert box.get() is None


def test_real_time_play_queues_then_drops_for_a_slow_consumer() -> None:
    series = make_series(np.full(30, 5.0), fps=100.0)  # 0.3 s at 100 fps
    grabber = Grabber(ReplaySource(series), speed=1.0, backlog_s=0.05)  # room for 5 waiting frames
    got = []
    grabber.start()
    while (f := grabber.for_pose.get(1.0)) is not None:
        got.append(f.index)
        time.sleep(0.03)
    grabber.stop()
    assert grabber.captured == 30 and 5 <= len(got) < 30
    assert grabber.for_pose.dropped == 30 - len(got)  # every loss counted
    assert got == sorted(got) and got[-1] == 29  # in order, through to the end


def test_real_time_play_keeps_every_sampled_frame_when_the_model_keeps_up() -> None:
    series = make_series(np.full(30, 5.0), fps=100.0)
    grabber = Grabber(ReplaySource(series), speed=1.0, pose_stride=2)  # analyze's every other frame
    got = []
    grabber.start()
    while (f := grabber.for_pose.get(1.0)) is not None:
        got.append(f.index)
    grabber.stop()
    assert got == list(range(0, 30, 2)) and grabber.for_pose.dropped == 0


def test_lockstep_play_hands_over_every_frame() -> None:
    series = make_series(np.full(30, 5.0), fps=100.0)
    grabber = Grabber(ReplaySource(series), speed=None)
    got = []
    grabber.start()
    while (f := grabber.for_pose.get(1.0)) is not None:
        got.append(f.index)
        time.sleep(0.002)
    grabber.stop()
    assert got == list(range(30))


def test_peak_pictures_keep_the_highest_angle_per_slot() -> None:
    pics = PeakPictures(slot_s=0.5)
    times = np.arange(30) / FPS
    for i, t in enumerate(times):
        rgb = np.full((8, 8, 3), i * 8, np.uint8)
        pics.offer(i, float(t), 10.0 + (i if i < 10 else -i), rgb)
    pics.finish()
    assert len(pics) == 2
    assert pics.nearest(9, times).mean() == pytest.approx(72, abs=3)  # frame 9: the first slot's peak
    assert pics.nearest(16, times).mean() == pytest.approx(120, abs=3)  # the second slot's peak is frame 15
    assert pics.nearest(29, times) is None  # no kept picture within NEAREST_MAX_S


def test_overlay_draws_the_leg_where_it_is_even_mirrored() -> None:
    from ankle_cv.live.monitor import LiveState
    from ankle_cv.live.overlay import draw_live, draw_summary

    pts = {"hip": np.array([900.0, 250.0]), "knee": np.array([960.0, 420.0]), "ankle": np.array([900.0, 600.0]),
           "heel": np.array([880.0, 620.0]), "toe": np.array([980.0, 625.0])}
    state = LiveState(frame_index=1, phase=Phase("setup", "more light", None), angle_deg=20.0, points=pts,
                      rep_message="rep 1: 38.2\u00b0 heel down \u2713", measured_fps=25.0)
    plain = np.full((HEIGHT, WIDTH, 3), 128, np.uint8)
    draw_live(plain, state, 25.0)
    mirrored = np.full((HEIGHT, WIDTH, 3), 128, np.uint8)
    draw_live(mirrored, state, 25.0, mirrored=True)
    mid = ((pts["knee"] + pts["ankle"]) / 2).astype(int)  # on the shin line
    assert (plain[mid[1], mid[0]] != 128).any() and (plain[mid[1], WIDTH - 1 - mid[0]] == 128).all()
    assert (mirrored[mid[1], WIDTH - 1 - mid[0]] != 128).any()
    assert (plain[30:60, 30:200] != 128).any()  # the panel
    draw_summary(plain, ["Best valid rep: 38.2\u00b0 (normal)", "rep 1: 38.2\u00b0 heel down \u2713"])


# ---------------------------------------------------------------------------------------------
# The live loop with a replayed camera


def test_live_session_result_comes_from_the_core(k2w_series: PoseSeries) -> None:
    source = ReplaySource(k2w_series)
    tracker = ReplayTracker(k2w_series)
    display = OffscreenDisplay()
    options = SessionOptions(speed=None)
    outcome = run_session(source, options, display, tracker=tracker)
    assert outcome.end_reason == "end of video" and source.closed and not tracker.closed  # the caller's tracker
    stride = frame_stride(FPS)  # the pose model sees the frames analyze would analyse
    assert outcome.stats.captured == k2w_series.n_frames and outcome.stats.measured == len(range(0, k2w_series.n_frames, stride))
    assert outcome.dropped == 0
    assert display.frames > 0 and display.last.shape == (HEIGHT, WIDTH, 3)
    info, analysis, result = analyse_session(outcome, options, 0)
    sampled = dataclasses.replace(k2w_series, **{f.name: getattr(k2w_series, f.name)[::stride] for f in dataclasses.fields(k2w_series)
                                                 if f.name not in ("width", "height", "mask_rows_y", "mask_cols_x")
                                                 and getattr(k2w_series, f.name) is not None})
    core = analyze_series(sampled, FPS / stride)
    assert [r.tibial_inclination_deg for r in analysis.reps] == pytest.approx([r.tibial_inclination_deg for r in core.reps])
    assert len(result.reps) == len(PEAKS_DEG) and result.best_rep == core.best_rep
    assert result.input.live is not None and result.input.live.source == "live" and result.input.live.camera == 0
    assert result.input.live.frames_measured == outcome.stats.measured
    # analyze's duration (frames / fps: to the last frame's end), not the span of the measured frames' times
    assert result.input.duration_s == pytest.approx(k2w_series.n_frames / FPS, abs=1e-3)


def test_live_heel_crops_are_analyzes_when_the_foot_points_drift_in_the_lunge() -> None:
    """The final pass reads each rep's heel from the crops analyze cuts from the file: every box it asks for, the same pixels.

    Before: the kept band followed this frame's foot points; where they drift back at depth (as MediaPipe's do in a deep
    lunge) the rest box the rep is read in fell outside it and those frames went unread (lunge_side_nowva rep 9: 'heel
    not checked' live, heel down in analyze).
    """
    angles = rep_profile(FPS, PEAKS_DEG)
    series = make_series(angles, fps=FPS, with_mask=True, jitter_px=0.3)
    deep = angles > 5.0 + 0.7 * (min(PEAKS_DEG) - 5.0)  # the deepest part of each rep, about 1.3 s of its 4.2
    xy = series.image_xy.copy()
    for part in ("heel", "toe", "ankle"):
        xy[deep, LEG_INDEX["right"][part], 0] -= 1.5 * 55.0  # the front foot's points a foot and a half back
    series = dataclasses.replace(series, image_xy=xy)
    source = ReplaySource(series)
    source.frame = np.random.default_rng(3).integers(0, 256, source.frame.shape, dtype=np.uint8)  # every pixel tells
    options = SessionOptions(speed=None)
    outcome = run_session(source, options, tracker=ReplayTracker(series))
    assert outcome.scene is not None
    asked: dict[int, tuple[int, int, int, int]] = {}

    def from_the_file(boxes: dict[int, tuple[int, int, int, int]]) -> dict[int, FootCrop]:
        asked.update(boxes)
        return {i: c for i, b in boxes.items() if (c := foot_crop(source.frame, b)) is not None}

    _, live, result = analyse_session(outcome, options, 0)
    assert not [w for w in result.quality.warnings if "picture around the foot" in w]
    scene = outcome.scene
    fps = measured_fps(outcome.series.times_s, FPS)
    analyze = finish_measurement(outcome.series, fps, options.settings, scene.marker, scene.room, from_the_file)
    rep_frames = {i for r in analyze.reps for i in range(r.start_frame, r.end_frame + 1)}
    assert asked and any(deep[::frame_stride(FPS)][i] for i in asked)  # the drifted frames are among those read
    kept = scene.feet.crops(asked)
    assert sorted(kept) == sorted(asked) and rep_frames <= set(kept)
    for i, crop in kept.items():
        assert np.array_equal(crop.grey, foot_crop(source.frame, asked[i]).grey)  # type: ignore[union-attr]
    assert [(r.heel_lift_source, r.heel_lifted, r.valid) for r in live.reps] == \
        [(r.heel_lift_source, r.heel_lifted, r.valid) for r in analyze.reps]
    scene.feet = FootBands()  # no picture kept: the result says its heel verdicts may differ from analyze's
    _, _, result = analyse_session(outcome, options, 0)
    said = [w for w in result.quality.warnings if "picture around the foot" in w]
    assert len(said) == 1 and f"for {len(asked)} of the frames" in said[0] and "differ from analyze" in said[0]


def test_live_session_stops_after_the_requested_valid_reps(k2w_series: PoseSeries, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ankle_cv.live.analyst.MIN_PERIOD_S", 0.3)  # the running analysis often, whatever the machine's load
    monkeypatch.setattr("ankle_cv.live.analyst.DUTY", 1.0)
    options = SessionOptions(speed=None, reps_target=1)
    outcome = run_session(ReplaySource(k2w_series), options, tracker=ReplayTracker(k2w_series, delay_s=0.03))
    assert outcome.end_reason == "reps"
    assert sum(r.valid for r in outcome.live_reps) >= 1
    assert outcome.stats.measured < k2w_series.n_frames


def run_live_cli(monkeypatch: pytest.MonkeyPatch, source: ReplaySource, series: PoseSeries, *args: str):
    """`ankle-cv live` in-process, with the replayed camera and pose model in place of the real ones."""
    monkeypatch.setattr("ankle_cv.live.camera.open_source", lambda camera, max_side=None: source)
    monkeypatch.setattr("ankle_cv.live.session.PoseTracker", lambda *a, **k: ReplayTracker(series))
    monkeypatch.setattr("ankle_cv.live.camera.WebcamSource", ReplaySource)  # treated as a webcam
    return CliRunner().invoke(main, ["live", "--headless", "--speed", "0", *args])


def assert_valid_outputs(out: Path) -> dict:
    """The files analyze writes are complete and result.json parses."""
    for name in ("result.json", "frames.csv", "summary.png"):
        assert (out / name).stat().st_size > 0, name
    assert not list(out.glob(".*tmp*")), "temporary files left behind"
    return json.loads((out / "result.json").read_text())


def test_lost_camera_keeps_what_was_measured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, k2w_series: PoseSeries) -> None:
    source = ReplaySource(k2w_series, lose_after=200)
    res = run_live_cli(monkeypatch, source, k2w_series, "--out", str(tmp_path))
    assert res.exit_code == 4, res.output
    assert "camera 0 stopped giving frames" in res.stderr and "Traceback" not in res.output
    result = assert_valid_outputs(tmp_path)
    assert result["input"]["ended_by"] == "camera lost" and result["input"]["frames_measured"] == 200 // frame_stride(FPS)
    assert any("ended early" in w for w in result["quality"]["warnings"])
    assert len(result["reps"]) >= 1  # the reps before the loss are measured


def test_ctrl_c_writes_what_was_measured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, k2w_series: PoseSeries) -> None:
    source = ReplaySource(k2w_series, interrupt_after=250)
    res = run_live_cli(monkeypatch, source, k2w_series, "--out", str(tmp_path))
    assert res.exit_code == 130, res.output
    result = assert_valid_outputs(tmp_path)
    assert result["input"]["ended_by"] == "interrupted" and 0 < result["input"]["frames_measured"] < k2w_series.n_frames


def test_no_valid_measurement_names_the_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Before: "ankle-cv: error: no valid rep" named nothing, where analyze says "FILE: ..." (a file standing in: its path)."""
    still = make_series(np.full(int(6 * FPS), 5.0), fps=FPS, with_mask=True, jitter_px=0.3)  # standing, no rep
    res = run_live_cli(monkeypatch, ReplaySource(still), still, "--out", str(tmp_path))
    assert res.exit_code == 3, res.output
    assert res.stderr.strip().splitlines()[-1].startswith("ankle-cv: error: camera 0: "), res.stderr
    assert_valid_outputs(tmp_path)


def run_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """The real command, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "ankle_cv.cli", *args], capture_output=True, text=True, timeout=timeout)


def test_missing_camera_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["live", "--camera", "7", "--headless", "--out", str(tmp_path / "o")])
    assert res.exit_code == 4
    assert "camera 7" in res.stderr and "ankle-cv cameras" in res.stderr
    assert isinstance(res.exception, SystemExit)  # a clean exit with a message, no traceback
    assert not (tmp_path / "o").exists()  # nothing created for a session that never started


def test_source_names_the_stand_in_file_as_camera_does(tmp_path: Path) -> None:
    """Before: `live --source FILE` was "No such option '--source'. (Did you mean one of: '--force', '--out'?)"."""
    res = CliRunner().invoke(main, ["live", "--source", str(tmp_path / "visit.mp4"), "--headless", "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and res.stderr.strip() == f"ankle-cv: error: {tmp_path / 'visit.mp4'}: no such file"
    assert not (tmp_path / "o").exists()


def test_cameras_says_when_there_is_none() -> None:
    res = CliRunner().invoke(main, ["cameras"])
    if res.exit_code == 0:
        pytest.skip(f"this machine has a camera: {res.stdout.strip()}")
    assert res.exit_code == 4 and "no camera found" in res.stderr and isinstance(res.exception, SystemExit)


@pytest.mark.video
def test_live_on_the_sample_video_measures_the_reps(tmp_path: Path) -> None:
    """The real pose model through the live loop, every frame (--speed 0), against the render's truth."""
    db = tmp_path / "history.sqlite"
    out = tmp_path / "session"
    truth = json.loads((SAMPLES / "k2w_right_synthetic.json").read_text())
    proc = run_cli("live", "--camera", str(SAMPLES / "k2w_right_synthetic.mp4"), "--headless", "--speed", "0",
                   "--record", "--out", str(out), "--shank-length-cm", str(100 * truth["subject"]["shank_m"]),
                   "--patient-id", "P-7", "--history-db", str(db))
    assert proc.returncode in (0, 3), proc.stderr
    result = assert_valid_outputs(out)
    # the same measurement as analyze: the sheet in view gives the scale (the typed length is said to be unused),
    # --patient-id stores the session
    assert result["scale"]["method"] == "marker"
    assert any("--shank-length-cm not used" in w for w in result["quality"]["warnings"])
    assert result["result"]["knee_past_toe_cm"] is not None
    if result["best_rep"] is not None:
        shown = run_cli("history", "show", "P-7", "--db", str(db))
        assert shown.returncode == 0 and str(result["result"]["tibial_inclination_deg"]) in shown.stdout
    assert result["input"]["source"] == "live"
    assert result["input"]["duration_s"] == truth["video"]["duration_s"]  # as analyze states it (was 7.933 for 8.0)
    assert result["input"]["frames_measured"] == len(range(0, truth["video"]["frames"], frame_stride(truth["video"]["fps"])))
    assert result["side"] == truth["subject"]["legs_tested"][0]
    assert len(result["reps"]) == len(truth["reps"])
    for got, true in zip(result["reps"], truth["reps"]):
        assert abs(got["peak_s"] - true["peak_time_s"]) < 0.6
        assert abs(got["tibial_inclination_deg"] - true["peak_tibial_inclination_deg"]) < 4.0
    assert "rep 1:" in proc.stdout  # announced live by the running analysis
    import av

    with av.open(str(out / "camera.mp4")) as c:
        assert c.streams.video[0].codec_context.name == "h264" and c.streams.video[0].frames == truth["video"]["frames"]


def test_session_line_says_how_it_ended_in_words() -> None:
    """'ended by interrupted' read oddly; the stored reason stays as it is."""
    from ankle_cv.cli.live import end_words

    assert end_words("interrupted") == "ended by Ctrl-C"
    assert end_words("key") == "ended with q/Esc"
    assert end_words("SIGTERM") == "ended by SIGTERM"


def test_window_summary_puts_the_category_beside_the_inclinometer_angle() -> None:
    """The window's last picture said 'Best valid rep: 37.6° joint-centre; normal' (k2w_left): 37.6 reads borderline
    against the 38° cut-off, while 'normal' judged the inclinometer-equivalent 40.5°."""
    from ankle_cv.cli.live import _summary_lines
    from tests.result_factory import as_result

    doc = json.loads((Path(__file__).resolve().parents[1] / "data" / "physio" / "sample_left" / "result.json").read_text())
    doc["result"].update({"tibial_inclination_deg": 37.6, "inclinometer_equivalent_deg": 40.5,
                          "inclinometer_equivalent_ci95_deg": 5.0, "category": "normal", "category_ci95": ["borderline", "normal"]})
    lines = _summary_lines(as_result(doc))
    assert lines[0] == "Best valid rep: 40.5\u00b0 inclinometer-equivalent \u2192 normal (its 95 % interval reaches borderline)"
    assert lines[1] == "37.6\u00b0 joint-centre"


def test_live_keeps_a_small_foots_whole_crop_box() -> None:
    """The band live keeps around the feet holds the heel-edge crop box analyze cuts, also on a small foot whose box
    reaches heel_edge.BOX_BELOW_PX (8 px) more under it than 0.6 foot (a 10 px foot: 14 px under, the band had 12)."""
    xy = np.full((33, 2), 100.0)
    for side in ("left", "right"):
        xy[LEG_INDEX[side]["heel"]] = (100.0, 150.0)
        xy[LEG_INDEX[side]["toe"]] = (110.0, 150.0)
        xy[LEG_INDEX[side]["ankle"]] = (101.0, 145.0)
    bands = FootBands()
    rgb = np.random.default_rng(0).integers(0, 255, (240, 320, 3), dtype=np.uint8)
    bands.add(0, rgb, FramePose(xy, np.ones(33), np.zeros((33, 3))))
    box = foot_box(xy[LEG_INDEX["left"]["heel"]], xy[LEG_INDEX["left"]["toe"]])
    assert box is not None
    assert 0 in bands.crops({0: box})


def test_live_heel_is_the_running_analysis_reading_not_a_quicker_guess() -> None:
    """A quick silhouette reading said "keep your heel down" twice on the flat-heeled README sample, whose reps live
    then announced "heel down ✓": the heel shown is now the reading the rep verdicts come from, while it is fresh."""
    series = make_series(np.concatenate([rep_profile(FPS, [38.0]), np.full(10, 5.0)]), fps=FPS, with_mask=True)
    analysis = analyze_series(series, FPS)
    rep = analysis.reps[0]
    assert rep.judged_heel_lifted is False
    in_rep = float(series.times_s[rep.end_frame])  # a window ending inside the rep
    assert heel_reading(analysis, in_rep) == (in_rep, False)
    lifted = dataclasses.replace(analysis, frames=dataclasses.replace(analysis.frames, heel_lifted=np.ones(len(series.times_s), bool)))
    assert heel_reading(lifted, in_rep) == (in_rep, True)
    unjudged = dataclasses.replace(lifted, reps=tuple(dataclasses.replace(r, heel_lift_source="hidden") for r in lifted.reps))
    assert heel_reading(unjudged, in_rep) is None  # a heel not judged is shown as not read, never as down
    assert heel_reading(lifted, in_rep + 2.0) is None  # the window's newest frames are past the rep
    monitor = LiveMonitor()
    pose = FramePose(series.image_xy[0], series.visibility[0], series.world_xyz[0])
    before = monitor.update(pose, 0, in_rep, 0.0, WIDTH, HEIGHT, 150.0)
    assert not before.heel_read and not before.hint
    monitor.merge_analysis(lifted, 0.0, in_rep)
    now = monitor.update(pose, 1, in_rep + 0.5, 0.0, WIDTH, HEIGHT, 150.0)
    assert now.heel_read and now.heel_lifted
    stale = monitor.update(pose, 2, in_rep + HEEL_READ_MAX_AGE_S + 0.1, 0.0, WIDTH, HEIGHT, 150.0)
    assert not stale.heel_read and not stale.heel_lifted and stale.hint != "keep your heel down"
