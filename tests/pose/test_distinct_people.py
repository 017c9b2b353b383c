"""The people check counts each person once: a box mostly inside a bigger one's is that person found again."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from mediapipe.tasks.python.vision import RunningMode

from ankle_cv.pose import landmarker
from ankle_cv.pose.landmarker import SAME_PERSON_INSIDE, distinct_people


def person(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """33 normalised landmarks spread over the box (corners included), as MediaPipe gives one person."""
    t = np.linspace(0.0, 1.0, 33)
    xy = np.column_stack([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t[::-1]])
    xy[0], xy[-1] = (x0, y0), (x1, y1)
    return xy


def test_random_v1_r001s_partial_people_inside_the_person_are_the_person() -> None:
    """r001 at 0.0 s (640x360): the person 270-351 x 91-300 and two boxes inside it -> one person (main counted 3)."""
    w, h = 640.0, 360.0
    boxes = [(269, 187, 350, 292), (270, 91, 351, 300), (293, 205, 339, 276)]
    people = [person(x0 / w, y0 / h, x1 / w, y1 / h) for x0, y0, x1, y1 in boxes]
    assert distinct_people(people) == [1]


def test_a_box_sticking_out_a_little_is_still_the_same_person() -> None:
    """r001 at 7.5 s: the extra box pokes out of the person's by a few pixels (0.96 inside)."""
    assert distinct_people([person(0.42, 0.31, 0.59, 0.83), person(0.44, 0.29, 0.57, 0.84)]) == [0]


def test_the_tracker_and_the_check_finding_one_person_count_once() -> None:
    """The tracker's box and the check's box of the same person differ by a pixel or two."""
    assert len(distinct_people([person(0.423, 0.26, 0.55, 0.83), person(0.42, 0.25, 0.548, 0.834)])) == 1


def test_two_people_side_by_side_stay_two() -> None:
    """outdoor_two_people_sports2d at 2 s: the tracker's person at the top, the check's at the bottom right."""
    w, h = 1768.0, 994.0
    people = [person(929 / w, 391 / h, 1115 / w, 691 / h), person(380 / w, 43 / h, 532 / w, 331 / h)]
    assert sorted(distinct_people(people)) == [0, 1]


def test_a_bystander_half_behind_the_person_stays_a_person() -> None:
    """Overlapping boxes are two people while less than SAME_PERSON_INSIDE of the smaller lies inside the bigger."""
    share = 0.5
    assert share < SAME_PERSON_INSIDE
    big, small = person(0.30, 0.10, 0.60, 0.90), person(0.50, 0.30, 0.70, 0.70)  # half of the small box inside
    assert sorted(distinct_people([small, big])) == [0, 1]


def test_biggest_first_and_people_without_landmarks_are_left_out() -> None:
    """The order is the biggest box first; a pose with no finite landmarks has no box."""
    lost = np.full((33, 2), np.nan)
    assert distinct_people([person(0.7, 0.5, 0.8, 0.7), lost, person(0.1, 0.1, 0.4, 0.9)]) == [2, 0]
    assert distinct_people([]) == []


class FakeGraph:
    """A MediaPipe graph that finds the given people (normalised landmarks) in every frame."""

    def __init__(self, people: list[np.ndarray]) -> None:
        self.result = SimpleNamespace(pose_landmarks=[[SimpleNamespace(x=x, y=y) for x, y in p] for p in people])

    def detect(self, image: object) -> SimpleNamespace:
        return self.result

    def detect_for_video(self, image: object, ms: int) -> SimpleNamespace:
        return self.result

    def close(self) -> None:
        pass


def test_the_tracker_stays_on_one_person_when_the_check_finds_the_person_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """r001: the check's 3 boxes are one person -> the count is 1 and the two-person tracker (which lost r001's person in
    53 % of frames) is not started; a second person the tracker follows beside the check's still counts."""
    w, h = 640.0, 360.0
    r001 = [person(x0 / w, y0 / h, x1 / w, y1 / h) for x0, y0, x1, y1 in [(269, 187, 350, 292), (270, 91, 351, 300),
                                                                          (293, 205, 339, 276)]]
    made: list[tuple[RunningMode, int]] = []

    def graphs(check: list[np.ndarray], tracked: list[np.ndarray]) -> None:
        def make(model: str, mode: RunningMode, num_poses: int, *a: object) -> FakeGraph:
            made.append((mode, num_poses))
            return FakeGraph(check if mode == RunningMode.IMAGE else tracked)

        monkeypatch.setattr(landmarker, "_landmarker", make)

    rgb = np.zeros((36, 64, 3), dtype=np.uint8)
    graphs(r001, [r001[1]])
    with landmarker.PoseTracker(masks=False) as tracker:
        assert tracker.detect(rgb, 0.0)[2] == 1
    assert (RunningMode.VIDEO, landmarker.MULTI_POSES) not in made
    made.clear()
    bystander = person(0.05, 0.2, 0.2, 0.7)  # the check misses the person the tracker follows, finds somebody else
    graphs([bystander], [r001[1]])
    with landmarker.PoseTracker(masks=False) as tracker:
        assert tracker.detect(rgb, 0.0)[2] == 2
    assert (RunningMode.VIDEO, landmarker.MULTI_POSES) in made
