"""Is this the knee-to-wall test? Per frame, from the landmarks: a side view, a split stance, the front foot on the floor and still.

The test's geometry is a split stance: the tested foot flat and planted in front, the other foot behind (on the
floor, on its toes or on a bench), the knee driven forward over the front foot. Squats (feet side by side),
single-leg squats and step-ups (the front foot off the floor), gait, running and jumps (no foot stays put) have
other geometry, and a clip can change view or scene: each frame is judged, and only runs of test-like frames long
enough to hold a rep are measured. Pure: numpy only.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ankle_cv.kinematics.fitted import (
    FOOT_STEP_SHANKS,
    FRONT_FOOT_UP_SHANKS,
    FRONT_VIEW_SHOULDER_RATIO,
    MOVING_SHARE,
    SPLIT_HELD_SHANKS,
    SPLIT_MIN_SHANKS,
)
from ankle_cv.kinematics.signals import rolling_median, runs
from ankle_cv.pose.landmarks import LEFT_SHOULDER, RIGHT_SHOULDER, PoseSeries
from ankle_cv.scene.camera_geometry import forward_of, up_axis

# The thresholds (shank lengths: the clip's median knee-ankle landmark distance; shoulder width / shank) are measured
# constants with their provenance in kinematics.fitted.
STILL_WINDOW_S = 0.5
MAX_TRAVEL_GLITCH_S = 1.5  # shorter "travelling" runs between still ones are the legs confused near the wall (analysis)
SMOOTH_S = 1.0  # rolling median over the per-frame signals (single-frame landmark swaps)
MIN_TEST_RUN_S = 1.5  # a run of test-like frames shorter than this holds no rep (a stride in gait is split briefly)
NOT_TEST = "not a knee-to-wall test"
SLID_WORDS = "the front foot's landmarks slid onto the back foot's"
FLANK_S = 0.5  # the split stance on either side of a side-by-side run, as far as it is read

# Per-frame failure names, in the order they are judged (the first failing one is the frame's reason).
# The last, "front foot slid", is no failure of the test's geometry: the split stance held while the front foot's
# landmarks slid onto the back foot's (`split_held`); the clip is the test, but a rep measured on them is refused.
FAILURES = ("no person", "front view", "feet side by side", "front foot off the floor", "front foot not planted", "front foot slid")
GEOMETRY_FAILURES = (1, 2, 3)  # front view, feet side by side, front foot off the floor (not planted: the rep's own checks)
MIN_REASON_SHARE = 0.2  # a second failure is named when it holds at least this share of the frames
# Without brackets: a rep's reason puts them in its own ("not a knee-to-wall test in this rep (...)").
FAILURE_TEXT = {
    "no person": "no person found",
    "front view": "the legs are not seen from the side",
    "feet side by side": "the feet stay side by side with no split stance, as in a squat",
    "front foot off the floor": "the front foot is off the floor, as in a single-leg squat or a step-up",
    "front foot not planted": "no foot stays planted, as in walking, running or jumping",
    "front foot slid": f"{SLID_WORDS} while the split stance held (the foot hidden or the legs merged by the pose model)",
}
SLID = FAILURES.index("front foot slid")


@dataclass(frozen=True)
class MovementCheck:
    """Which frames hold the test's geometry, and for the others the first condition they fail."""

    test_like: np.ndarray  # (N,) bool, in runs of at least MIN_TEST_RUN_S
    failure: np.ndarray  # (N,) index into FAILURES, -1 where the frame is test-like (SLID ones are too, measured or not)
    split_shanks: np.ndarray  # (N,) feet apart along x, shank lengths
    front_up_shanks: np.ndarray  # (N,) front foot's lowest point above the other's, shank lengths
    shoulder_ratio: np.ndarray  # (N,) shoulder width / shank

    def geometry_runs(self, fps: float) -> list[tuple[int, int]]:
        """Runs of frames (inclusive) in the test's geometry, gaps up to MAX_TRAVEL_GLITCH_S bridged, at least MIN_TEST_RUN_S long."""
        ok = _bridge(~np.isin(self.failure, GEOMETRY_FAILURES), int(MAX_TRAVEL_GLITCH_S * fps))
        return [(a, b) for a, b in runs(ok) if b - a + 1 >= MIN_TEST_RUN_S * fps]

    def geometry_failure_share(self, frames: slice) -> float:
        """Share of the given frames whose geometry is not the test's (side view, split stance, front foot down)."""
        f = self.failure[frames]
        return float(np.isin(f, GEOMETRY_FAILURES).mean()) if f.size else 0.0

    def slid_share(self, frames: slice | np.ndarray) -> float:
        """Share of the given frames whose front foot's landmarks slid onto the back foot's while the split stance held."""
        f = self.failure[frames]
        return float((f == SLID).mean()) if f.size else 0.0

    def side_by_side_share(self, frames: slice) -> float:
        """Share of the given frames with the feet side by side (standing, stepping in or out: no split stance)."""
        f = self.failure[frames]
        return float((f == FAILURES.index("feet side by side")).mean()) if f.size else 0.0

    def reason(self, frames: slice | np.ndarray = slice(None), max_items: int = 2) -> str:
        """The commonest failures over the given frames with their shares, in words (empty when none failed)."""
        f = self.failure[frames]
        known = f[(f >= 1) & (f != SLID)]  # "no person" says nothing about the movement, a slid foot no failure of it
        if known.size == 0:
            return FAILURE_TEXT["no person"] if (f == 0).any() else ""
        counts = np.bincount(known, minlength=len(FAILURES))
        order = [k for k in np.argsort(-counts) if counts[k] > 0][:max_items]
        total = max(int((f >= 0).sum()), 1)
        parts = [f"{FAILURE_TEXT[FAILURES[k]]}, in {100 * counts[k] / total:.0f}% of frames" for k in order
                 if k == order[0] or counts[k] >= MIN_REASON_SHARE * total]
        return "; ".join(parts)

    def clip_reason(self) -> str | None:
        """'not a knee-to-wall test: ...' when no frame holds the test's geometry, else None."""
        if self.test_like.any():
            return None
        why = self.reason()
        return f"{NOT_TEST}: {why}" if why else None  # nothing failed: too short to tell (the rep search says why)


def _smooth(values: np.ndarray, fps: float) -> np.ndarray:
    """Rolling median over about SMOOTH_S (odd window of at least 3)."""
    return rolling_median(values, max(3, int(SMOOTH_S * fps) | 1))


def _window_sum(values: np.ndarray, half: int) -> np.ndarray:
    """Sum over [i - half, i + half] clipped to the array, per i."""
    c = np.concatenate([[0.0], np.cumsum(values)])
    i = np.arange(values.size)
    return c[np.minimum(i + half + 1, values.size)] - c[np.maximum(i - half, 0)]


def _still(centre: np.ndarray, fps: float, shank_px: float) -> np.ndarray:
    """(N,) the foot is not travelling: few frame-to-frame steps over FOOT_STEP_SHANKS within +-STILL_WINDOW_S.

    A share, not a maximum: the pose model's foot points jump to the other foot for a frame or two (legs confused
    in side view), while in gait or running the foot moves in most frames.
    """
    step = np.linalg.norm(np.diff(centre, axis=0), axis=1) / shank_px
    big = np.concatenate([[0.0], np.where(np.isfinite(step), (step > FOOT_STEP_SHANKS).astype(float), np.nan)])
    half = max(1, round(STILL_WINDOW_S * fps))
    valid = np.isfinite(big)
    moving = _window_sum(np.where(valid, big, 0.0), half) / np.maximum(_window_sum(valid.astype(float), half), 1.0)
    return np.isfinite(centre).all(axis=1) & (moving < MOVING_SHARE)


def _bridge(flags: np.ndarray, max_run: int) -> np.ndarray:
    """False runs of at most max_run frames with True on both sides become True (landmark glitches)."""
    out = flags.copy()
    for start, end in runs(~flags):
        if start > 0 and end < flags.size - 1 and end - start + 1 <= max_run:
            out[start:end + 1] = True
    return out


def check_movement(
    series: PoseSeries, front: dict[str, np.ndarray], back: dict[str, np.ndarray], fps: float, up: np.ndarray | None = None
) -> MovementCheck:
    """Per-frame test geometry from the front (tested) and back leg tracks (pixels, image y down; `up`: the true up
    in the image when the camera is rolled, so heights and the floor's direction are the room's)."""
    n = series.n_frames
    shank_px = float(np.nanmedian(np.concatenate([np.linalg.norm(front["knee"] - front["ankle"], axis=1),
                                                  np.linalg.norm(back["knee"] - back["ankle"], axis=1)])))
    if not np.isfinite(shank_px) or shank_px <= 0:
        shank_px = 0.2 * series.height
    fc = (front["heel"] + front["toe"] + front["ankle"]) / 3.0
    bc = (back["heel"] + back["toe"] + back["ankle"]) / 3.0
    up_v = up_axis(up)
    along_floor = forward_of(up_v, 1)
    split = _smooth(np.abs((fc - bc) @ along_floor) / shank_px, fps)
    front_low = np.fmin(front["heel"] @ up_v, front["toe"] @ up_v)  # the foot's lowest point's height
    back_low = np.fmin(back["heel"] @ up_v, back["toe"] @ up_v)
    front_up = _smooth((front_low - back_low) / shank_px, fps)
    shoulders = np.linalg.norm(series.point(LEFT_SHOULDER) - series.point(RIGHT_SHOULDER), axis=1)
    shoulder_ratio = _smooth(shoulders / shank_px, fps)
    still = _bridge(_still(fc, fps, shank_px), int(MAX_TRAVEL_GLITCH_S * fps))
    checks = (
        ~series.detected | ~np.isfinite(split),
        shoulder_ratio > FRONT_VIEW_SHOULDER_RATIO,
        split < SPLIT_MIN_SHANKS,
        front_up > FRONT_FOOT_UP_SHANKS,
        ~still,
    )
    failure = np.full(n, -1)
    for k, failed in enumerate(checks):
        failure = np.where((failure < 0) & failed, k, failure)
    failure = np.where(split_held(failure, (fc @ along_floor, bc @ along_floor),
                                  (front["knee"] @ along_floor, back["knee"] @ along_floor), shank_px, fps), SLID, failure)
    ok = (failure < 0) | (failure == SLID)
    test_like = np.zeros(n, bool)
    for start, end in runs(ok):
        if end - start + 1 >= MIN_TEST_RUN_S * fps:
            test_like[start:end + 1] = True
    return MovementCheck(test_like, failure, split, front_up, shoulder_ratio)


def side_by_side_moves(
    failure: np.ndarray, feet: tuple[np.ndarray, np.ndarray], knees: tuple[np.ndarray, np.ndarray], shank_px: float, fps: float
) -> list[tuple[int, int, float, float, float]]:
    """Per run of "feet side by side" frames between test-like ones: (start, end, the back foot's largest move, the
    foremost knee's largest step back, the front foot's move between the two sides), shank lengths against the split
    stance on either side (the foremost of both knees: a leg hidden behind a sheet or the other leg may lose its own)."""
    side = FAILURES.index("feet side by side")
    flank = max(1, round(FLANK_S * fps))
    out = []
    for start, end in runs(failure == side):
        if start == 0 or end == failure.size - 1 or failure[start - 1] >= 0 or failure[end + 1] >= 0:
            continue
        before = _passing_tail(failure, start, flank, -1)
        after = _passing_tail(failure, end, flank, 1)
        split = np.concatenate([feet[0][before] - feet[1][before], feet[0][after] - feet[1][after]])
        forward = float(np.sign(np.nanmedian(split))) if np.isfinite(split).any() else 0.0
        if forward == 0.0:
            continue
        front, back = forward * feet[0], forward * feet[1]
        knee = np.fmax(forward * knees[0], forward * knees[1])
        run = slice(start, end + 1)
        back_move = max(float(np.nanmax(np.abs(back[run] - np.nanmedian(back[s])))) for s in (before, after))
        knee_back = max(float(np.nanmax(np.nanmedian(knee[s]) - knee[run])) for s in (before, after))
        front_move = abs(float(np.nanmedian(front[before]) - np.nanmedian(front[after])))
        out.append((start, end, back_move / shank_px, knee_back / shank_px, front_move / shank_px))
    return out


def split_held(
    failure: np.ndarray, feet: tuple[np.ndarray, np.ndarray], knees: tuple[np.ndarray, np.ndarray], shank_px: float, fps: float
) -> np.ndarray:
    """(N,) "feet side by side" frames where the split stance on either side held: the back foot stayed, the foremost
    knee did not come back and the front foot stood at the same place on both sides. For the feet to meet one of them
    must step, and a front foot stepping back takes its knee with it; what moved is the front foot's landmarks (a foot
    hidden behind a sheet, the legs merged by the pose model at the rep's depth; random_v14 r010)."""
    held = np.zeros(failure.size, bool)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN runs decide nothing
        for start, end, back_move, knee_back, front_move in side_by_side_moves(failure, feet, knees, shank_px, fps):
            if max(back_move, knee_back, front_move) <= SPLIT_HELD_SHANKS:
                held[start:end + 1] = True
    return held


def _passing_tail(failure: np.ndarray, edge: int, count: int, step: int) -> np.ndarray:
    """Indices of up to `count` consecutive test-like frames next to `edge` (before it for step -1, after for +1)."""
    idx: list[int] = []
    i = edge + step
    while 0 <= i < failure.size and failure[i] < 0 and len(idx) < count:
        idx.append(i)
        i += step
    return np.asarray(sorted(idx), dtype=int)


def implausible_peak_reason(angle_deg: float) -> str | None:
    """A best-rep angle no ankle reaches in this test (negative: the knee behind the ankle; beyond ~70 deg)."""
    if not np.isfinite(angle_deg):
        return None
    if angle_deg < MIN_PLAUSIBLE_PEAK_DEG:
        return f"implausible for a knee-to-wall rep ({angle_deg:.1f}°: the knee never came forward over the foot)"
    if angle_deg > MAX_PLAUSIBLE_PEAK_DEG:
        return f"implausible for a knee-to-wall rep ({angle_deg:.1f}° is beyond what an ankle allows)"
    return None


MIN_PLAUSIBLE_PEAK_DEG = 0.0
MAX_PLAUSIBLE_PEAK_DEG = 70.0  # issue 19: never beyond ~70 deg as valid (normal range tops out near 50-60 deg)
