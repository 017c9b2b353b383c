"""A short away-run of the front foot's landmarks is a landmark jump unless the silhouette left the foot's place."""

from __future__ import annotations

import numpy as np

from ankle_cv.protocol.foot_steps import STEP_CLEAR_FOOT, bridge_glitches, silhouette_left_foot

N, SOLE_Y, FOOT_PX = 40, 400.0, 50.0
COLS = np.arange(0.0, 400.0, 5.0)


def _scene(away: slice, silhouette_leaves: bool) -> tuple[np.ndarray, ...]:
    """A foot standing at x 100-150 whose landmarks jump to x 300-350 over `away`; the silhouette's lowest row per column."""
    heel = np.tile([100.0, SOLE_Y], (N, 1))
    toe = np.tile([150.0, SOLE_Y], (N, 1))
    heel[away, 0] += 200.0
    toe[away, 0] += 200.0
    bottom = np.full((N, COLS.size), np.nan)
    bottom[:, (COLS >= 95) & (COLS <= 155)] = SOLE_Y + 3.0  # the foot at its place
    bottom[:, (COLS >= 295) & (COLS <= 355)] = SOLE_Y + 3.0  # the other foot, standing where the landmarks jump to
    if silhouette_leaves:
        bottom[away, (COLS >= 95) & (COLS <= 155)] = np.nan
    planted = np.ones(N, bool)
    planted[away] = False
    return heel, toe, bottom, planted


def test_a_jump_with_the_silhouette_still_on_the_foot_is_bridged() -> None:
    heel, toe, bottom, planted = _scene(slice(15, 22), silhouette_leaves=False)
    stepped = silhouette_left_foot(bottom, COLS, heel, toe, planted)
    assert not stepped.any()
    assert bridge_glitches(planted, 10, stepped).all()


def test_a_step_that_leaves_the_foot_s_place_is_not_bridged() -> None:
    heel, toe, bottom, planted = _scene(slice(15, 22), silhouette_leaves=True)
    stepped = silhouette_left_foot(bottom, COLS, heel, toe, planted)
    assert stepped[15:22].all() and not stepped[:15].any()
    out = bridge_glitches(planted, 10, stepped)
    assert not out[15:22].any() and out[:15].all() and out[22:].all()


def test_a_raised_silhouette_counts_only_beyond_the_clearance() -> None:
    heel, toe, bottom, planted = _scene(slice(15, 22), silhouette_leaves=False)
    place = (COLS >= 95) & (COLS <= 155)
    bottom[15:22][:, place] = SOLE_Y + 3.0 - 0.5 * STEP_CLEAR_FOOT * FOOT_PX  # a heel lifted: still there
    assert not silhouette_left_foot(bottom, COLS, heel, toe, planted).any()
    bottom[15:22][:, place] = SOLE_Y + 3.0 - 2.0 * STEP_CLEAR_FOOT * FOOT_PX  # the foot in the air, away
    assert silhouette_left_foot(bottom, COLS, heel, toe, planted)[15:22].all()


def test_frames_without_any_silhouette_say_nothing() -> None:
    heel, toe, bottom, planted = _scene(slice(15, 22), silhouette_leaves=True)
    bottom[15:22] = np.nan  # the segmentation lost the person
    stepped = silhouette_left_foot(bottom, COLS, heel, toe, planted)
    assert not stepped.any()
    assert bridge_glitches(planted, 10, stepped).all()


def test_long_runs_and_runs_at_the_ends_stay_unbridged() -> None:
    planted = np.ones(N, bool)
    planted[:3] = planted[10:25] = False
    out = bridge_glitches(planted, 10)
    assert not out[:3].any() and not out[10:25].any()
