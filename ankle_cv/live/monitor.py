"""The running picture of a live session: per-frame quick estimates, the set-up phase and the reps so far.

Per frame (cheap, on the pose thread): which leg is in front, the shin angle and the set-up checks.
Heel up or down is the running analysis's own per-frame reading (the one its rep verdicts come from), shown while it
is fresh: a quicker silhouette reading told "keep your heel down" on flat heels the verdict then called down. The shin angle is the knee-ankle landmark angle until the running analysis has
calibrated the shin's outline; from then on it is the silhouette's front edge with that calibrated
offset, the core's own method, so the live number agrees with the result near the wall too.
Reps come only from the analysis core run on the recent frames (analyst.py); the session's result
is computed again from all frames at the end.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np

from ankle_cv.kinematics.shank import inclination_deg
from ankle_cv.live import guidance
from ankle_cv.live.guidance import LiveRep, Observation, Phase
from ankle_cv.live.quick import (
    edge_angle_deg,
    front_side,
    leg_points,
    sole_roll_deg,
)
from ankle_cv.pose.landmarker import FramePose
from ankle_cv.pose.landmarks import LEFT_HIP, RIGHT_HIP
from ankle_cv.protocol.analysis_types import Analysis

HISTORY = 90  # frames of history kept for the running medians (3 s at 30 fps)
FACING_FRAMES = 60
STILL_S = 0.6  # window over which stillness is judged
ANCHOR_S = 1.0  # the ankle's running median, as the core anchors the edge fit
ROLL_FRAMES = 30
HEEL_READ_MAX_AGE_S = 3.0  # the running analysis runs every 2 s or more: an older heel reading no longer describes the foot
HEEL_READ_LAST_S = 1.0  # the heel shown is the latest judged reading within this long before the analysis's newest frame
MESSAGE_HOLD_S = 4.0  # a rep message stays on screen this long
SETTLE_S = 1.0  # a rep counts once the running analysis sees its end this long before the newest frame
WINDOW_EDGE_S = 0.5  # reps starting this close to the start of an analysis window may be cut: keep the earlier view


@dataclass(frozen=True)
class LiveState:
    """Everything the overlay draws for the newest measured frame (immutable: safe across threads)."""

    frame_index: int = -1
    time_s: float = float("nan")
    captured_at_s: float = float("nan")
    phase: Phase = Phase("setup", "", None)
    problems: tuple[str, ...] = ()
    angle_deg: float = float("nan")
    angle_calibrated: bool = False
    heel_lifted: bool = False  # the running analysis read the heel lifted in a rep, recently (see heel_read)
    heel_read: bool = False  # whether a recent heel reading exists at all (else the display shows none)
    facing: int = 1
    side: str = ""
    points: dict[str, np.ndarray] = field(default_factory=dict)
    reps: tuple[LiveRep, ...] = ()
    best: LiveRep | None = None
    rep_message: str = ""
    hint: str = ""
    measured_fps: float = float("nan")


@dataclass(frozen=True)
class _Sample:
    """What the monitor remembers of one measured frame of the front leg."""

    time_s: float
    knee: np.ndarray
    ankle: np.ndarray
    angle_deg: float
    roll_deg: float


def knee_at(ankle: np.ndarray, angle_deg: float, length_px: float, facing: int) -> np.ndarray:
    """Where the knee is drawn: the shin's length from the ankle at the measured angle (the landmark knee
    slides back near the wall), as annotated.mp4 draws it."""
    rad = np.radians(angle_deg)
    return np.asarray(ankle, float) + length_px * np.array([facing * np.sin(rad), -np.cos(rad)])


# ---------------------------------------------------------------------------------------------
# Reps from the running analysis


def reps_from(analysis: Analysis) -> list[LiveRep]:
    """The core's reps in live form (numbered when merged)."""
    out = []
    for r in analysis.reps:
        reason = r.invalid_reasons[0].split(" (")[0] if r.invalid_reasons else ""
        angle = r.tibial_inclination_deg
        interval = guidance.interval_around(angle, getattr(r, "tibial_inclination_ci95_deg", None))
        out.append(LiveRep(0, r.side, r.start_s, r.peak_s, r.end_s, angle, r.judged_heel_lifted, r.valid, reason, interval))
    return out


def same_rep(a: LiveRep, b: LiveRep) -> bool:
    """Two analyses' views of one rep: each one's peak lies within the other's span (a flat hold moves the peak)."""
    return a.start_s <= b.peak_s <= a.end_s or b.start_s <= a.peak_s <= b.end_s


def merge_reps(
    known: tuple[LiveRep, ...], fresh: list[LiveRep], window_start_s: float, window_end_s: float, session_start_s: float,
    settle_s: float = SETTLE_S,
) -> tuple[LiveRep, ...]:
    """The session's reps after a running analysis of the frames in [window_start_s, window_end_s] (pure).

    The new analysis decides about every rep it sees whole and finished: started after the
    window's first moments (unless the window begins with the session) and ended SETTLE_S before
    its newest frame; such a rep replaces the earlier view of it, and an earlier rep in that zone
    that the analysis no longer sees at all is withdrawn. Other earlier reps keep their view; reps
    still in progress wait. Reps are renumbered in time order.
    """
    trusted_from = window_start_s if window_start_s <= session_start_s + 1e-9 else window_start_s + WINDOW_EDGE_S
    settled_before = window_end_s - settle_s

    def decided(r: LiveRep) -> bool:
        return r.start_s >= trusted_from and r.end_s <= settled_before

    new = [r for r in fresh if decided(r)]
    replaced = [k for k in known if any(same_rep(k, n) for n in new)]
    withdrawn = [k for k in known if decided(k) and not any(same_rep(k, f) for f in fresh)]
    kept = [k for k in known if k not in replaced and k not in withdrawn]
    merged = sorted(kept + new, key=lambda r: r.peak_s)
    return tuple(replace(r, number=i + 1) for i, r in enumerate(merged))


def newly_seen(before: tuple[LiveRep, ...], after: tuple[LiveRep, ...]) -> list[LiveRep]:
    """Reps in `after` that `before` did not have (to announce them)."""
    return [r for r in after if not any(same_rep(r, b) for b in before)]


# ---------------------------------------------------------------------------------------------
# The running state


def heel_reading(analysis: Analysis, window_end_s: float) -> tuple[float, bool] | None:
    """(time, lifted) of the analysis's latest judged per-frame heel reading in a rep, within HEEL_READ_LAST_S of its
    newest frame: the same reading its rep verdicts come from (None: no rep there, or its heel was not judged)."""
    f = analysis.frames
    judged = {r.index for r in analysis.reps if r.judged_heel_lifted is not None}
    for k in range(len(f.times_s) - 1, -1, -1):
        if window_end_s - float(f.times_s[k]) > HEEL_READ_LAST_S:
            return None
        if int(f.rep_index[k]) in judged:
            return float(window_end_s), bool(f.heel_lifted[k])
    return None


class LiveMonitor:
    """Turns each measured frame into a LiveState; the analyst thread feeds it the core's reps."""

    def __init__(self, session_start_s: float | None = None) -> None:
        self.session_start_s = session_start_s
        self._lock = threading.Lock()
        self._toe_heel: deque[float] = deque(maxlen=FACING_FRAMES)
        self._hist: deque[_Sample] = deque(maxlen=HISTORY)
        self._times: deque[float] = deque(maxlen=HISTORY)
        self._side = ""
        self._core_side = ""
        self._phase = Phase("setup", "", None)
        self._still_since: float | None = None
        self._heel_reading: tuple[float, bool] | None = None  # (analysis's newest frame time, lifted) of the last run
        self._edge_prev = float("nan")
        self._calibration: tuple[float, float] | None = None  # (edge offset deg, shank length px) from the core
        self._reps: tuple[LiveRep, ...] = ()
        self._message = ("", -math.inf)
        self.state = LiveState()

    # -- the core's view -------------------------------------------------------------------------

    def merge_analysis(self, analysis: Analysis, window_start_s: float, window_end_s: float, final: bool = False) -> list[LiveRep]:
        """Take a running analysis of the recent frames (its reps and calibration); returns the reps new to the session.

        `final`: no frame will follow (the session ended), so a rep that ended by the last frame is settled.
        """
        with self._lock:
            before = self._reps
            start = window_start_s if self.session_start_s is None else self.session_start_s
            self._reps = merge_reps(before, reps_from(analysis), window_start_s, window_end_s, start, 0.0 if final else SETTLE_S)
            new = newly_seen(before, self._reps)
            if new:
                self._message = (guidance.rep_message(new[-1]), window_end_s)
            if analysis.edge_offset_deg is not None and math.isfinite(analysis.shank_length_px):
                self._calibration = (analysis.edge_offset_deg, analysis.shank_length_px)
            if analysis.reps:
                self._core_side = analysis.side
            self._heel_reading = heel_reading(analysis, window_end_s)
            return new

    @property
    def reps(self) -> tuple[LiveRep, ...]:
        """The session's reps so far."""
        return self._reps

    # -- per frame ---------------------------------------------------------------------------------

    def _fps(self) -> float:
        """Measured frames per second over the recent history."""
        if len(self._times) < 3:
            return float("nan")
        span = self._times[-1] - self._times[0]
        return (len(self._times) - 1) / span if span > 0 else float("nan")

    def _facing(self, pose: FramePose) -> int:
        """+1 facing image right, from the running median of toe-minus-heel x over both feet."""
        for side in ("left", "right"):
            pts, _ = leg_points(pose, side)
            d = pts["toe"][0] - pts["heel"][0]
            if np.isfinite(d):
                self._toe_heel.append(float(d))
        return 1 if not self._toe_heel or float(np.median(self._toe_heel)) >= 0 else -1

    def _angle(self, pose: FramePose, pts: dict[str, np.ndarray], facing: int) -> tuple[float, bool]:
        """Quick shin angle: the calibrated silhouette edge when available, else the landmarks."""
        raw = float(inclination_deg(pts["knee"][None], pts["ankle"][None], facing)[0])
        if self._calibration is None or pose.profiles is None:
            return raw, False
        offset, length = self._calibration
        fps = self._fps() if math.isfinite(self._fps()) else 30.0
        recent = [s.ankle for s in list(self._hist)[-max(2, int(ANCHOR_S * fps)):]] + [pts["ankle"]]
        anchor = np.nanmedian(np.array(recent), axis=0)
        edge_x = pose.profiles.right_x if facing > 0 else pose.profiles.left_x
        guesses = (raw, self._edge_prev + offset) if np.isfinite(self._edge_prev) else (raw,)
        edge = edge_angle_deg(np.asarray(edge_x, float), anchor, guesses, length, facing, offset)
        if np.isfinite(edge):
            self._edge_prev = edge
            return edge, True
        return raw, False

    def _heel(self, time_s: float) -> tuple[bool, bool]:
        """(lifted, read): the running analysis's latest reading of the heel while it is fresh, else not read."""
        if self._heel_reading is None or time_s - self._heel_reading[0] > HEEL_READ_MAX_AGE_S:
            return False, False
        return self._heel_reading[1], True

    def _observe(self, pose: FramePose | None, width: int, height: int, luma: float,
                 pts: dict[str, np.ndarray], vis: dict[str, float], roll: float) -> Observation:
        """The set-up checks' view of this frame (lengths and tilt as running medians)."""
        if pose is None or not pts:
            return Observation(False, width, height, {}, {}, float("nan"), float("nan"), luma, float("nan"))
        hips = float(np.linalg.norm(pose.image_xy[LEFT_HIP] - pose.image_xy[RIGHT_HIP]))
        shanks = [float(np.linalg.norm(s.knee - s.ankle)) for s in self._hist]
        shanks.append(float(np.linalg.norm(pts["knee"] - pts["ankle"])))
        rolls = [s.roll_deg for s in list(self._hist)[-ROLL_FRAMES:] if np.isfinite(s.roll_deg)]
        rolls += [roll] if np.isfinite(roll) else []
        shank = float(np.nanmedian(shanks)) if np.isfinite(shanks).any() else float("nan")
        roll_deg = float(np.median(rolls)) if rolls else float("nan")
        return Observation(True, width, height, pts, vis, hips, shank, luma, roll_deg)

    def _still(self, time_s: float, shank_px: float) -> bool:
        """Whether the front knee and ankle stayed put over the last STILL_S."""
        recent = [s for s in self._hist if time_s - s.time_s <= STILL_S]
        if len(recent) < 3:
            return False
        return guidance.is_still(np.array([s.knee for s in recent]), np.array([s.ankle for s in recent]), shank_px)

    def _measure(self, pose: FramePose) -> tuple[dict[str, np.ndarray], dict[str, float], float, bool, float, int]:
        """Front leg points and visibilities, shin angle (and whether edge-calibrated), floor tilt and facing."""
        facing = self._facing(pose)
        self._side = front_side(pose, facing, self._side)
        pts, vis = leg_points(pose, self._side)
        angle, calibrated = self._angle(pose, pts, facing)
        roll = float("nan")
        if pose.profiles is not None:
            roll = sole_roll_deg(np.asarray(pose.profiles.bottom_y, float), float(pts["heel"][0]), float(pts["toe"][0]))
        return pts, vis, angle, calibrated, roll, facing

    def _advance_phase(self, problems: list[str], time_s: float, shank_px: float, angle: float) -> Phase:
        """Set-up, calibrating or measuring, from the view problems and how still and upright the shin is."""
        still = self._still(time_s, shank_px)
        upright = bool(np.isfinite(angle) and abs(angle) < guidance.UPRIGHT_MAX_DEG)
        if not problems and still and upright:
            self._still_since = time_s if self._still_since is None else self._still_since
        else:
            self._still_since = None
        self._phase = guidance.next_phase(
            self._phase, problems, still, upright, time_s, self._still_since, self._calibration is not None
        )
        return self._phase

    def update(self, pose: FramePose | None, frame_index: int, time_s: float, captured_at_s: float,
               width: int, height: int, luma: float) -> LiveState:
        """Advance by one measured frame and publish the new state."""
        with self._lock:
            if self.session_start_s is None:
                self.session_start_s = time_s
            self._times.append(time_s)
            pts: dict[str, np.ndarray] = {}
            vis: dict[str, float] = {}
            angle, calibrated, roll, facing = float("nan"), False, float("nan"), self.state.facing
            if pose is not None:
                pts, vis, angle, calibrated, roll, facing = self._measure(pose)
            obs = self._observe(pose, width, height, luma, pts, vis, roll)
            problems = guidance.view_problems(obs)
            lifted, heel_read = self._heel(time_s)
            if pts:
                self._hist.append(_Sample(time_s, pts["knee"], pts["ankle"], angle, roll))
            phase = self._advance_phase(problems, time_s, obs.shank_px, angle)
            recent = [s.angle_deg for s in list(self._hist)[-3:]] if pts else []
            shown = float(np.nanmedian(recent)) if np.isfinite(recent).any() else float("nan")
            if calibrated and np.isfinite(shown) and self._calibration is not None:  # the measured line beside the detected knee
                pts = {**pts, "ankle_anchor": pts["ankle"], "shin_top": knee_at(pts["ankle"], shown, self._calibration[1], facing)}
            message, said_at = self._message
            self.state = LiveState(
                frame_index=frame_index,
                time_s=time_s,
                captured_at_s=captured_at_s,
                phase=phase,
                problems=tuple(problems),
                angle_deg=shown,
                angle_calibrated=calibrated,
                heel_lifted=lifted,
                heel_read=heel_read,
                facing=facing,
                side=self._core_side,
                points=pts,
                reps=self._reps,
                best=guidance.best_rep(self._reps),
                rep_message=message if time_s - said_at <= MESSAGE_HOLD_S else "",
                hint=guidance.in_test_hint(lifted, phase),
                measured_fps=self._fps(),
            )
            return self.state
