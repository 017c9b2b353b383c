"""A short away-run of the front foot: a landmark jump (bridged into the stance) or a step (the knee comes back too)."""

from __future__ import annotations

import numpy as np

from ankle_cv.protocol.stance_kinematics import _bridge_glitches

FPS = 30.0
SHANK_PX = 100.0


def _planted_with_run(n: int = 120, start: int = 50, stop: int = 70) -> np.ndarray:
    """Planted everywhere but one 0.7 s run."""
    planted = np.ones(n, bool)
    planted[start:stop] = False
    return planted


def test_a_run_with_the_knee_staying_forward_is_bridged_as_a_landmark_jump() -> None:
    """random_v14 r019: the far foot's landmarks jump at each rep's depth; the knee stays forward over the foot."""
    planted = _planted_with_run()
    knee = np.full(planted.size, 500.0)
    knee[50:70] += 20.0  # the knee still travelling forward in the rep
    assert _bridge_glitches(planted, FPS, knee, SHANK_PX).all()


def test_a_run_with_the_knee_coming_back_is_a_step_and_not_bridged() -> None:
    """random_v13 r010: the front foot steps back between reps and its knee comes back 0.8 shank with it."""
    planted = _planted_with_run()
    knee = np.full(planted.size, 500.0)
    knee[50:70] -= 0.8 * SHANK_PX * np.sin(np.linspace(0.0, np.pi, 20))
    bridged = _bridge_glitches(planted, FPS, knee, SHANK_PX)
    assert not bridged[50:70].any() and bridged[:50].all() and bridged[70:].all()


def test_without_knees_or_for_long_runs_the_rule_is_as_before() -> None:
    planted = _planted_with_run()
    assert _bridge_glitches(planted, FPS).all()
    assert _bridge_glitches(planted, FPS, np.full(planted.size, np.nan), SHANK_PX).all()  # no knee: no witness of a step
    long_run = _planted_with_run(start=20, stop=80)  # 2 s away: a step whatever the knee does
    assert not _bridge_glitches(long_run, FPS, np.full(long_run.size, 500.0), SHANK_PX)[20:80].any()


def test_a_jump_during_a_reps_return_is_bridged_though_the_knee_comes_back() -> None:
    """The knee comes back as the rep returns, so against the deeper side alone a jump there looks like a step; against
    the side after it (the knee already back) it does not come back at all."""
    planted = _planted_with_run()
    knee = np.concatenate([np.full(50, 560.0), np.linspace(560.0, 500.0, 20), np.full(50, 500.0)])  # 0.6 shank back
    assert _bridge_glitches(planted, FPS, knee, SHANK_PX).all()
