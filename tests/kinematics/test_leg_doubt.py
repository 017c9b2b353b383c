"""Which leg a both-legs video tests, rep by rep: a room fit that cannot see the feet on its floor does not hand the
stances to the labels' majority, and a leg the labels alone split on refuses its reps with the reason (session 22)."""

from __future__ import annotations

import warnings

import numpy as np

from ankle_cv.enums import Side, SideMethod
from ankle_cv.kinematics.legs import (
    SIDE_DOUBT,
    FloorView,
    LegTracks,
    Stance,
    find_stances,
    floor_near_far_cue,
    label_side_doubt,
    near_far_raw,
)
from ankle_cv.outputs.refusal_advice import advice_for
from ankle_cv.scene.room_camera import rotation
from tests.synthetic_legs import stance_tracks

FOOT, SHANK = 60.0, 120.0


def _both_legs(labels: tuple[int, int], cues: tuple[float, float] = (0.15, -0.15)) -> LegTracks:
    """15 fps, facing -1 (the wall on the image's left, random_v9 r005): feet together, the near leg's stance (its toe
    0.15 foot lower than the back toe), feet together, the far leg's stance (0.15 foot higher); the front foot's
    MediaPipe label in each stance as given, the feet-together frames labelled right."""
    parts = [(12, False, -0.12, 1), (70, True, cues[0], labels[0]), (40, False, -0.12, 1), (80, True, cues[1], labels[1])]
    return stance_tracks(parts, facing=-1, back_toe_y=400.0, split_x=300.0, together_x=400.0, back_x=400.0, foot=FOOT,
                         shank=SHANK)


def _looking_up() -> FloorView:
    """A room fit with the camera's pitch wrong (tilted 20 deg up): the feet, 130 px below the image's centre, are above
    its horizon, so it cannot place them on its floor (r005's fit: 16.5 deg up at 832 px for a camera 11.6 deg up at
    605 px)."""
    return FloorView(rotation(np.array(0.0), np.array(-20.0), np.array(0.0)), 600.0, (479.5, 269.5))


def test_a_room_fit_with_the_feet_above_its_horizon_leaves_the_legs_to_the_picture() -> None:
    """random_v9 r005: the floor cue unknown in every frame left no stance, and the clip's majority label (right, from the
    feet-together frames) took the left leg's reps too; the image's cue tells the near left leg from the far right one."""
    tracks = _both_legs(labels=(0, 1))
    view = _looking_up()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all NaN: the point of the test
        assert not np.isfinite(floor_near_far_cue(tracks, view)).any()
    assert np.allclose(near_far_raw(tracks, view), near_far_raw(tracks), equal_nan=True)
    stances = find_stances(tracks, -1, 15.0, floor=view)
    assert {s.side_method for s in stances} == {SideMethod.GEOMETRY}
    left = next(s for s in stances if s.start <= 40 <= s.end)
    right = next(s for s in stances if s.start <= 160 <= s.end)
    assert left.side == Side.LEFT and right.side == Side.RIGHT


def test_a_room_fit_that_sees_the_feet_keeps_its_floor_cue() -> None:
    """A fit tilted down sees the feet on its floor: its cue, not the image's, cuts the stances."""
    tracks = _both_legs(labels=(0, 1))
    view = FloorView(rotation(np.array(0.0), np.array(10.0), np.array(0.0)), 600.0, (479.5, 269.5))
    raw = near_far_raw(tracks, view)
    assert np.isfinite(raw).all()
    assert np.allclose(raw, floor_near_far_cue(tracks, view))


def test_a_leg_from_labels_that_split_refuses_its_reps_with_the_reason() -> None:
    """No near/far cue: the clip's one stance takes the labels' majority (right); the left leg's reps, labelled left in
    their own frames, and any rep of a stance whose split frames' labels split near evenly are refused, said why."""
    tracks = _both_legs(labels=(0, 1), cues=(0.0, 0.0))
    stances = find_stances(tracks, -1, 15.0)
    assert [(s.side, s.side_method) for s in stances] == [(Side.RIGHT, SideMethod.LABELS)]
    split = np.abs(tracks.front["toe"][:, 0] - tracks.back["toe"][:, 0]) > 0.35 * SHANK
    st = stances[0]
    left_rep = label_side_doubt(st, tracks.front_label, split, 20, 70)
    right_rep = label_side_doubt(st, tracks.front_label, split, 130, 190)
    assert left_rep is not None and left_rep.startswith(SIDE_DOUBT)
    assert right_rep is not None  # the stance's split frames: 53 % right, a coin's toss
    assert "--side" in advice_for(f"no valid rep: {left_rep}")


def test_labels_that_agree_keep_the_rep() -> None:
    """A one-leg clip without a near/far cue whose labels agree (random_v9 r016: 100 %) keeps its reps valid; a leg the
    scene's geometry decided is never refused for its labels (they disagree with geometry on correct clips: random_v1
    r003 43 %)."""
    tracks = _both_legs(labels=(1, 1), cues=(0.0, 0.0))
    split = np.ones(tracks.front_label.size, bool)
    labels_stance = Stance(0, tracks.front_label.size - 1, Side.RIGHT, 1.0, SideMethod.LABELS)
    assert label_side_doubt(labels_stance, tracks.front_label, split, 20, 70) is None
    geometry = Stance(0, tracks.front_label.size - 1, Side.LEFT, 1.0, SideMethod.GEOMETRY)
    assert label_side_doubt(geometry, tracks.front_label, split, 20, 70) is None
