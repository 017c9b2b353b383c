"""Set-up and in-test guidance in plain words, from one frame's observation (pure: no I/O, no drawing).

The set-up checks are the filming advice of the README made live: a person in view, the whole
tested leg and foot in the picture, a side view, enough light and a level camera. Then the person
holds still for a moment with the shin upright: the analysis calibrates the shin's outline and the
heel's resting height on such frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ankle_cv.kinematics.plausibility import MIN_VISIBILITY  # the analysis core's leg-visibility rule

EDGE_MARGIN = 0.02  # share of the frame size a leg point must keep from the border
SIDE_VIEW_MAX_HIP_RATIO = 0.3  # hip width / shank length above this: not a side view (the core's "oblique" cut)
MIN_LUMA = 60.0  # mean grey level (0-255) below which the pose model and the silhouette degrade
# Floor tilt under the front foot beyond this: the camera is clearly not level. Only a rough check: on
# renders with a level camera the silhouette's sole reads up to +-10 deg (README, "Camera roll").
MAX_ROLL_DEG = 15.0
STILL_MAX_MOTION = 0.03  # knee/ankle travel over the still window, as a share of the shank length
UPRIGHT_MAX_DEG = 22.0  # the analysis calibrates on shin angles below this (shank.CALIBRATION_RANGE_DEG)
CALIBRATION_S = 1.5  # how long to hold still
READY_SHOW_S = 2.0  # how long "ready" stays on screen
READY = "ready: drive the knee to the wall, heel down"
CHECK = "\u2713"
CROSS = "\u2717"
DEGREE = "\u00b0"


@dataclass(frozen=True)
class Observation:
    """What one frame shows, as the set-up checks need it (pixels of the frame; NaN where unknown)."""

    person: bool
    width: int
    height: int
    leg_xy: dict[str, np.ndarray]  # the tested (front) leg: hip, knee, ankle, heel, toe
    leg_visibility: dict[str, float]
    hip_width_px: float
    shank_px: float
    luma: float  # mean grey level of the frame, 0-255
    roll_deg: float  # tilt of the floor under the front foot, + clockwise


def _inside(xy: np.ndarray | None, width: int, height: int) -> bool:
    """Whether a point is known and clear of the frame's border."""
    if xy is None or not np.all(np.isfinite(xy)):
        return False
    mx, my = EDGE_MARGIN * width, EDGE_MARGIN * height
    return bool(mx <= xy[0] <= width - mx and my <= xy[1] <= height - my)


def _seen(obs: Observation, name: str) -> bool:
    """A leg point is usable: in the picture and seen by the pose model."""
    return _inside(obs.leg_xy.get(name), obs.width, obs.height) and obs.leg_visibility.get(name, 0.0) >= MIN_VISIBILITY


def view_problems(obs: Observation) -> list[str]:
    """Everything wrong with the view, most important first (empty when the view is good)."""
    if not obs.person:
        return ["step into view: nobody found"]
    problems = []
    if not all(_seen(obs, p) for p in ("ankle", "heel", "toe")):
        problems.append("step back: feet out of view")
    elif not all(_seen(obs, p) for p in ("knee", "hip")):
        problems.append("step back or lower the camera: knee out of view")
    if math.isfinite(obs.hip_width_px) and obs.shank_px > 0 and obs.hip_width_px / obs.shank_px > SIDE_VIEW_MAX_HIP_RATIO:
        problems.append("turn sideways to the camera")
    if obs.luma < MIN_LUMA:
        problems.append("more light")
    if math.isfinite(obs.roll_deg) and abs(obs.roll_deg) > MAX_ROLL_DEG:
        problems.append(f"level the camera: it is tilted {abs(obs.roll_deg):.0f}{DEGREE}")
    return problems


def is_still(knee_xy: np.ndarray, ankle_xy: np.ndarray, shank_px: float) -> bool:
    """Whether knee and ankle stayed put over the given (N, 2) tracks (the still window)."""
    if knee_xy.shape[0] < 3 or not (math.isfinite(shank_px) and shank_px > 0):
        return False
    pts = np.concatenate([knee_xy, ankle_xy], axis=1)
    if not np.isfinite(pts).all():
        return False
    travel = np.max(np.ptp(pts, axis=0))
    return bool(travel <= STILL_MAX_MOTION * shank_px)


@dataclass(frozen=True)
class Phase:
    """Where the session is: "setup" (view problems), "calibrating" (hold still) or "measuring"."""

    name: str
    message: str
    calibrated_at_s: float | None


def next_phase(
    previous: Phase, problems: list[str], still: bool, upright: bool, time_s: float, still_since_s: float | None,
    core_calibrated: bool = False,
) -> Phase:
    """The set-up state machine: fix the view, hold still with the shin upright, then test.

    The running analysis calibrating the shin outline (core_calibrated) also ends the hold: the
    frames it needed were there, whether or not the person stood still on cue.
    """
    if previous.name == "measuring":
        since = previous.calibrated_at_s
        if problems and problems[0].startswith("step into view"):
            return Phase("measuring", problems[0], since)
        return Phase("measuring", READY if since is not None and time_s - since < READY_SHOW_S else "", since)
    if problems:
        return Phase("setup", problems[0], None)
    if core_calibrated or (still and upright and still_since_s is not None and time_s - still_since_s >= CALIBRATION_S):
        return Phase("measuring", READY, time_s)
    return Phase("calibrating", "hold still: calibrating", None)


@dataclass(frozen=True)
class LiveRep:
    """A rep as the running analysis sees it (the session's result is recomputed at the end)."""

    number: int  # 1-based order in the session
    side: str
    start_s: float
    peak_s: float
    end_s: float
    angle_deg: float
    heel_lifted: bool | None  # None: the heel was not judged (hidden or unread)
    valid: bool
    reason: str  # first invalid reason, "" when valid
    interval_deg: tuple[float, float] | None = None  # the rep's 95 % interval, when the analysis gives one


def interval_around(angle_deg: float | None, half_width_deg: float | None) -> tuple[float, float] | None:
    """The rep's 95 % interval from its half-width (None when the analysis gives none)."""
    if angle_deg is None or half_width_deg is None or not (math.isfinite(angle_deg) and math.isfinite(half_width_deg)):
        return None
    return angle_deg - half_width_deg, angle_deg + half_width_deg


def rep_message(rep: LiveRep) -> str:
    """'rep 3: 38.2° joint-centre (36.9–39.5°) heel down ✓' (the interval when known), or the reason it does not count.

    The angle is named: it is the joint-centre axis, not the inclinometer-equivalent angle the category judges, and a
    bare '37.9°' read against the 35 / 38° cut-offs gave a verdict analyze's 'normal' (40.5° inclinometer) contradicts."""
    heel = "heel not checked" if rep.heel_lifted is None else "heel up" if rep.heel_lifted else "heel down"
    interval = ""
    if rep.interval_deg is not None and all(math.isfinite(v) for v in rep.interval_deg):
        interval = f" ({rep.interval_deg[0]:.1f}–{rep.interval_deg[1]:.1f}{DEGREE})"
    text = f"rep {rep.number}: {rep.angle_deg:.1f}{DEGREE} joint-centre{interval} {heel} "
    if rep.valid:
        return text + CHECK
    return text + f"{CROSS} {rep.reason}".rstrip()


def best_rep(reps: tuple[LiveRep, ...] | list[LiveRep]) -> LiveRep | None:
    """The best valid rep so far: the largest angle with the heel seen down, else of all valid reps (as the core picks it:
    protocol/rep_checks.best_valid_rep)."""
    valid = [r for r in reps if r.valid and math.isfinite(r.angle_deg)]
    pool = [r for r in valid if r.heel_lifted is not None] or valid
    return max(pool, key=lambda r: r.angle_deg) if pool else None


def in_test_hint(lifted: bool | None, phase: Phase) -> str:
    """The in-test reminder shown while measuring."""
    if phase.name != "measuring":
        return ""
    return "keep your heel down" if lifted else ""
