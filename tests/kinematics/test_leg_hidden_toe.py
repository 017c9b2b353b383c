"""A both-legs video whose near front foot hides behind a side-near sheet: its stance's near/far cue is lost (the pose
model guesses the hidden toe at the back toe's height), so its leg comes from the labels where they are trustworthy, not
from the other leg's stance beside it (random_v11 r010, session 24)."""

from __future__ import annotations

from ankle_cv.enums import Side, SideMethod
from ankle_cv.kinematics.legs import LegTracks, Stance, find_stances, label_side_doubt, split_frames
from tests.synthetic_legs import stance_tracks


def _far_then_hidden_near(far_labels: int = 1, near_labels: int = 0, near_cue: float = -0.03, tail: bool = True) -> LegTracks:
    """15 fps, facing -1 (the wall on the image's left): feet together, the far right leg's stance (toe 0.7 foot above the
    back toe), feet together, then the near left leg's stance with its toe hidden (cue -0.03, under NEAR_CUE_MIN, its sign
    the far leg's), feet together again when `tail`; the front foot's MediaPipe label per stance as given."""
    parts = [(12, False, -0.12, 1), (80, True, -0.7, far_labels), (12, False, -0.12, 1), (80, True, near_cue, near_labels)]
    if tail:
        parts.append((12, False, -0.12, 0))
    return stance_tracks(parts, facing=-1, back_toe_y=400.0, split_x=300.0, together_x=400.0, back_x=400.0)


def _stance_at(tracks: LegTracks, frame: int) -> tuple[Side, SideMethod]:
    """The side and method of the stance that holds this frame."""
    st = next(s for s in find_stances(tracks, -1, 15.0) if s.start <= frame <= s.end)
    return st.side, st.side_method


def test_a_hidden_near_foot_stance_takes_the_leg_its_labels_name() -> None:
    """random_v11 r010: filled from the right leg's stance before it, the left leg's reps were both given to the right; its
    labels (left in every frame) follow the geometry in the far stance (right in every frame), so its stance is the left's
    and its reps are kept (the labels name the left leg in all their frames)."""
    for tail in (True, False):  # the stance ends at a step, or at the clip's end (r010)
        tracks = _far_then_hidden_near(tail=tail)
        assert _stance_at(tracks, 50) == (Side.RIGHT, SideMethod.GEOMETRY)
        assert _stance_at(tracks, 150) == (Side.LEFT, SideMethod.LABELS)
        near = next(s for s in find_stances(tracks, -1, 15.0) if s.start <= 150 <= s.end)
        assert label_side_doubt(near, tracks.front_label, split_frames(tracks), 120, 170) is None


def test_labels_that_contradict_the_geometry_decide_nothing() -> None:
    """Labels naming the left leg in the far right leg's stance too (wrong where the geometry is known: random_v1 r003's near
    leg 43 %) are not trusted for the hidden stance: it is filled from its neighbour as before."""
    tracks = _far_then_hidden_near(far_labels=0)
    assert [s.side for s in find_stances(tracks, -1, 15.0)] == [Side.RIGHT]


def test_labels_that_split_in_the_hidden_stance_decide_nothing() -> None:
    """A hidden stance whose labels name the left leg in 90 % of its frames (under LABEL_SIDE_MIN_SHARE) is not the labels'."""
    t = _far_then_hidden_near()
    label = t.front_label.copy()
    label[104:184:10] = 1
    tracks = LegTracks(t.front, t.back, label, t.front_visibility, t.knee_repaired)
    assert all(s.side_method == SideMethod.GEOMETRY for s in find_stances(tracks, -1, 15.0))


def test_a_weak_stretch_inside_a_decided_stance_is_no_stance_of_its_own() -> None:
    """Weak cue frames that continue a stance the geometry decided (no step between) keep that stance's leg, whatever the
    labels say in them."""
    parts = [(12, False, -0.12, 1), (40, True, -0.7, 1), (60, True, -0.03, 0), (12, False, -0.12, 1)]
    tracks = stance_tracks(parts, facing=-1, back_toe_y=400.0, split_x=300.0, together_x=400.0, back_x=400.0)
    assert [(s.side, s.side_method) for s in find_stances(tracks, -1, 15.0)] == [(Side.RIGHT, SideMethod.GEOMETRY)]


def test_a_labels_stance_beside_a_geometry_stance_says_which_stretch_and_not_side() -> None:
    """--side gives one leg to the whole video: beside another leg's stance the scene decided, the labels' note names the
    stretch and asks for one leg per video instead; a video with the labels' stance alone keeps the --side advice."""
    import numpy as np

    from ankle_cv.protocol.analysis import LABELS_NOTE, _labels_note

    times = np.arange(200) / 15.0
    labels = Stance(104, 196, Side.LEFT, 1.0, SideMethod.LABELS)
    both = [Stance(0, 103, Side.RIGHT, 1.0, SideMethod.GEOMETRY), labels]
    note = _labels_note(labels, both, times)
    assert "6.9-13.1 s" in note and "left leg" in note and "--side" not in note
    assert _labels_note(labels, [labels], times) == LABELS_NOTE
