"""The share of frames whose left/right labels were swapped: flickers count, a change of tested leg between stances does not."""

from __future__ import annotations

import numpy as np

from ankle_cv.enums import Side, SideMethod
from ankle_cv.kinematics.legs import LegTracks, Stance, facing_sign, find_stances, split_front_back, swapped_share
from tests.synthetic_legs import make_series, stance_tracks

TWO_STANCES = [Stance(0, 149, Side.RIGHT, 1.0, SideMethod.GEOMETRY), Stance(150, 299, Side.LEFT, 1.0, SideMethod.GEOMETRY)]


def test_changing_the_tested_leg_between_stances_is_not_a_swap() -> None:
    """Right leg in front for 150 frames, then the left: no frame was swapped (against the clip's majority: 50 %)."""
    label = np.r_[np.ones(150, int), np.zeros(150, int)]
    assert swapped_share(label, TWO_STANCES) == 0.0


def test_flickers_and_long_swapped_runs_are_swaps() -> None:
    """One frame in five read with the other label, and a 40-frame run of it, count within each stance."""
    label = np.r_[np.ones(150, int), np.zeros(150, int)]
    label[::5] = 1 - label[::5]
    label[200:240] = 1
    expected = (30 + 30 + 40 - 8) / 300  # the run covers 8 of the flickered frames
    assert swapped_share(label, TWO_STANCES) == expected


def test_without_stances_the_clips_majority_holds_and_unseen_frames_are_left_out() -> None:
    """No stance: the clip's majority; frames with no person (-1) count neither way; nothing seen is no swap."""
    label = np.r_[np.full(50, -1), np.ones(80, int), np.zeros(20, int)]
    assert swapped_share(label, []) == 0.2
    assert swapped_share(np.full(20, -1), []) == 0.0


def test_a_clip_without_a_person_reads_quietly() -> None:
    """No person in any frame (all NaN): the facing and the feet's place are read without numpy warnings on stderr."""
    import dataclasses
    import warnings

    from ankle_cv.pipeline import still_feet_px

    series = make_series(np.full(30, 10.0))
    nobody = dataclasses.replace(series, image_xy=np.full_like(series.image_xy, np.nan),
                                 visibility=np.zeros_like(series.visibility))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert facing_sign(nobody) in (1, -1)
        assert np.isnan(still_feet_px(nobody)).all()


def test_frames_without_a_person_split_the_legs_quietly() -> None:
    """Frames where nobody is seen leave the front/back split unread in them, without numpy warnings (benchmarks call it bare)."""
    import dataclasses
    import warnings

    series = make_series(np.full(30, 10.0))
    xy = series.image_xy.copy()
    xy[:10] = np.nan
    gone = dataclasses.replace(series, image_xy=xy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tracks = split_front_back(gone, 1)
    assert np.isfinite(tracks.front["knee"][10:]).all()


def _two_leg_tracks() -> LegTracks:
    """15 fps: feet together (far toe 0.2 foot higher), the near leg's stance with a weak cue (+0.05 foot) and MediaPipe's
    right label, feet together again, then the far leg's stance (-0.5 foot, left label); facing +1 (wall on the right)."""
    parts = [(12, False, -0.2, 0), (70, True, 0.05, 1), (40, False, -0.2, 0), (80, True, -0.5, 0)]
    return stance_tracks(parts, facing=1, back_toe_y=700.0, split_x=400.0, together_x=300.0, back_x=300.0)


def test_a_weak_near_stance_between_feet_together_keeps_its_own_leg() -> None:
    """random_v1 r011: the near leg's cue (+0.02..+0.08, under NEAR_CUE_MIN) with its label says right, so its split stance
    is not filled from the feet-together frames around it (far toe higher: its reps were cut and dropped as steps)."""
    stances = find_stances(_two_leg_tracks(), 1, 15.0)
    near = next(s for s in stances if s.start <= 40 <= s.end)
    far = next(s for s in stances if s.start <= 160 <= s.end)
    assert near.side == Side.RIGHT and near.start <= 12 and near.end >= 81
    assert far.side == Side.LEFT and far.start <= 122 and far.end == 201


def test_a_weak_cue_the_labels_contradict_takes_its_neighbours_leg() -> None:
    """A weak cue alone does not decide: with the label saying left the near stance is filled from its neighbours, as before."""
    t = _two_leg_tracks()
    label = t.front_label.copy()
    label[12:82] = 0
    stances = find_stances(LegTracks(t.front, t.back, label, t.front_visibility, t.knee_repaired), 1, 15.0)
    assert [s.side for s in stances] == [Side.LEFT]
