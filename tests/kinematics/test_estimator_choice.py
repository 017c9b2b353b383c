"""The frame's angle by agreement of the outline turn, the edge line and the landmarks."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.enums import AngleCode
from ankle_cv.kinematics.estimator_choice import choose_angle, with_turn_reference_doubt
from ankle_cv.kinematics.fitted import (
    BRIDGED_LANDMARK_GAP_SHARE,
    EDGE_LANDMARK_PAIR_SD_DEG,
    REST_TURN_GAP_SHARE,
    TURN_EDGE_TOL_DEG,
    TURN_OUTVOTE_DEG,
    TURN_SD_DEG,
    TURN_WEIGHT,
)


def _one(lm: float, edge: float, turn: float) -> tuple[float, int, float]:
    c = choose_angle(np.array([lm]), np.array([edge]), np.array([turn]))
    return float(c.angle_deg[0]), int(c.source[0]), float(c.sigma_deg[0])


def test_turn_confirmed_by_the_edge_line_stands_when_landmarks_read_low_at_a_wall() -> None:
    angle, source, sigma = _one(lm=22.0, edge=39.0, turn=38.0)
    assert angle == pytest.approx(TURN_WEIGHT * 38.0 + (1 - TURN_WEIGHT) * 39.0)
    assert source == AngleCode.SILHOUETTE
    assert sigma == pytest.approx(np.hypot(TURN_SD_DEG, 0.5 * 1.0))


def test_outline_angle_lies_between_turn_and_edge_line_and_its_interval_covers_either() -> None:
    """A shin truly at 40 deg: whichever of the two outline readings is 6 deg off, the interval holds the truth."""
    for turn, edge in ((46.0, 40.0), (40.0, 46.0), (34.0, 40.0), (40.0, 34.0)):
        angle, source, sigma = _one(lm=20.0, edge=edge, turn=turn)  # landmarks low at a wall
        assert source == AngleCode.SILHOUETTE
        assert min(turn, edge) < angle < max(turn, edge)
        assert abs(angle - 40.0) <= 1.96 * sigma


def test_turn_agreeing_with_the_edge_line_keeps_the_narrowest_interval() -> None:
    _, _, agree = _one(lm=30.0, edge=40.0, turn=40.0)
    _, _, apart = _one(lm=30.0, edge=40.0, turn=43.0)
    assert agree == pytest.approx(TURN_SD_DEG) and apart > agree


def test_turn_outvoted_by_edge_line_and_landmarks_gives_the_edge_line() -> None:
    angle, source, sigma = _one(lm=20.0, edge=23.0, turn=38.0)  # a squat: the outline in front of the shin is another leg
    assert angle == pytest.approx(23.0)
    assert source == AngleCode.EDGE_AND_LANDMARKS and sigma == pytest.approx(np.hypot(EDGE_LANDMARK_PAIR_SD_DEG, 0.5 * 15.0))


def test_outvoted_turn_keeps_its_distance_in_the_interval() -> None:
    """Edge line and landmarks both low on a deep shin, the outvoted turn nearer the truth: the further the turn, the
    wider the interval; without a turn the pair's own doubt alone."""
    gaps = (TURN_OUTVOTE_DEG, TURN_OUTVOTE_DEG + 3.0, TURN_OUTVOTE_DEG + 6.0)  # from the edge line: farther still from the pair
    sigmas = [_one(lm=44.0, edge=47.0, turn=47.0 + gap)[2] for gap in gaps]
    assert all(_one(lm=44.0, edge=47.0, turn=47.0 + gap)[1] == AngleCode.EDGE_AND_LANDMARKS for gap in gaps)
    assert sigmas[0] > EDGE_LANDMARK_PAIR_SD_DEG and sigmas[0] < sigmas[1] < sigmas[2]
    _, source, alone = _one(lm=44.0, edge=47.0, turn=float("nan"))
    assert source == AngleCode.EDGE_AND_LANDMARKS and alone == pytest.approx(EDGE_LANDMARK_PAIR_SD_DEG)


def test_a_turn_a_few_degrees_from_an_agreeing_edge_line_and_landmarks_stands_in_the_outlines_mean() -> None:
    """random_v11 r018-like (near leg in shorts, low contrast): the edge line 5 and the landmarks 6 deg low together, the
    turn 2 high, 7 deg from their mean: not a failed turn (those lie 8-16 deg off), so the outline's mean, with half the
    turn's gap to the edge line in its doubt; 2 deg farther, the pair outvotes it."""
    angle, source, sigma = _one(lm=31.0, edge=32.0, turn=39.0)
    assert source == AngleCode.SILHOUETTE
    assert angle == pytest.approx(TURN_WEIGHT * 39.0 + (1 - TURN_WEIGHT) * 32.0)
    assert sigma == pytest.approx(np.hypot(TURN_SD_DEG, 0.5 * 7.0))
    assert abs(angle - 37.0) <= 1.96 * sigma  # the truth (37) inside; the edge line alone would read it 5 low
    angle, source, _ = _one(lm=31.0, edge=32.0, turn=31.5 + TURN_OUTVOTE_DEG + 0.5)
    assert source == AngleCode.EDGE_AND_LANDMARKS and angle == pytest.approx(32.0)


def test_landmarks_reading_a_deep_frame_low_only_witness_the_outvote() -> None:
    """A shin at 50 deg near a wall: landmarks 4 deg low, edge line right, turn 7 deg off: the angle is not pulled low."""
    angle, source, _ = _one(lm=46.0, edge=50.0, turn=57.0)
    assert source == AngleCode.EDGE_AND_LANDMARKS
    assert angle == pytest.approx(50.0)


def test_unconfirmed_turn_stands_with_an_interval_widened_by_the_disagreement() -> None:
    angle, source, sigma = _one(lm=22.0, edge=45.0, turn=38.0)  # nobody agrees: edge leans with the skin, landmarks low
    assert angle == pytest.approx(TURN_WEIGHT * 38.0 + (1 - TURN_WEIGHT) * 45.0)
    assert source == AngleCode.SILHOUETTE
    assert sigma == pytest.approx(np.hypot(TURN_SD_DEG, 0.5 * 7.0))


def test_no_two_estimators_agree_without_a_turn_gives_no_angle() -> None:
    angle, source, _ = _one(lm=20.0, edge=20.0 + TURN_EDGE_TOL_DEG + 1.0, turn=float("nan"))
    assert np.isnan(angle) and source == AngleCode.CONFLICT


def test_edge_line_missing_turn_checked_against_the_landmarks() -> None:
    angle, source, sigma = _one(lm=30.0, edge=float("nan"), turn=31.0)
    assert (angle, source, sigma) == (31.0, AngleCode.SILHOUETTE, TURN_SD_DEG)  # the turn alone, confirmed
    _, source, sigma = _one(lm=28.0, edge=float("nan"), turn=44.0)
    assert source == AngleCode.SILHOUETTE and sigma > 5.0  # kept, but with the 16-degree disagreement in its interval


def test_fabric_in_front_of_the_shin_widens_each_frame_by_its_turn_from_standing_and_leaves_the_angle() -> None:
    """Loose trousers: the outline lies 0.2 shank lengths ahead (skin ~0.08): the deeper the frame, the less it is known."""
    from ankle_cv.kinematics.estimator_choice import with_fabric_doubt
    from ankle_cv.kinematics.fitted import FABRIC_SD_PER_DEG, LOOSE_OUTLINE_AHEAD_SHANKS

    c = choose_angle(np.array([4.0, 30.0, 50.0]), np.array([5.0, 30.0, 50.0]), np.array([5.0, 30.0, 50.0]))
    skin = with_fabric_doubt(c, 5.0, 0.08)
    assert np.array_equal(skin.sigma_deg, c.sigma_deg)
    loose = with_fabric_doubt(c, 5.0, 0.2)
    assert np.array_equal(loose.angle_deg, c.angle_deg)
    assert loose.sigma_deg[0] == pytest.approx(c.sigma_deg[0])  # standing: the fabric hangs as it did
    assert loose.sigma_deg[2] == pytest.approx(np.hypot(c.sigma_deg[2], FABRIC_SD_PER_DEG * 45.0))
    assert loose.sigma_deg[1] < loose.sigma_deg[2]
    assert np.array_equal(with_fabric_doubt(c, 5.0, float("nan")).sigma_deg, c.sigma_deg)
    assert LOOSE_OUTLINE_AHEAD_SHANKS > 0.08


def test_unsupported_edge_line_gives_the_turn_but_keeps_its_gap_in_the_interval() -> None:
    """r015-like: the edge line (31) and the landmarks (40) low, the turn (45); the edge line's outline does not support it
    (taken out of edge_deg): the angle is the turn's, not their vote, and the gap to the line as read stays as doubt."""
    lm, edge, turn = np.array([40.0]), np.array([31.0]), np.array([45.0])
    before = choose_angle(lm, edge, turn)
    assert before.angle_deg[0] == pytest.approx(TURN_WEIGHT * 45.0 + (1 - TURN_WEIGHT) * 31.0)
    after = choose_angle(lm, np.array([np.nan]), turn, edge)
    assert after.angle_deg[0] == pytest.approx(45.0)
    assert after.source[0] == AngleCode.SILHOUETTE
    assert after.sigma_deg[0] == pytest.approx(np.hypot(TURN_SD_DEG, 0.5 * 14.0))
    # without the line as read, only the landmarks' gap would be left: a narrower interval than the outline deserves
    assert choose_angle(lm, np.array([np.nan]), turn).sigma_deg[0] < after.sigma_deg[0]


def test_a_bridged_edge_line_agreeing_with_the_turn_does_not_make_the_outline_certain() -> None:
    """random_v7 r010 rep 3: the edge line bridged over the hold (42.6) and the turn (42.9) agree, the landmarks read
    47.8 for a 47.3-degree shin; the outline both read is not known to be the shin's, so the doubt reaches the landmarks."""
    lm, edge, turn = np.array([47.8, 47.8]), np.array([42.6, 42.6]), np.array([42.9, 42.9])
    plain = choose_angle(lm, edge, turn)
    bridged = choose_angle(lm, edge, turn, edge_bridged=np.array([True, False]))
    assert np.array_equal(bridged.angle_deg, plain.angle_deg)  # the number is the outline's as before
    assert bridged.sigma_deg[1] == plain.sigma_deg[1]  # a fitted frame keeps its interval
    gap = BRIDGED_LANDMARK_GAP_SHARE * abs(47.8 - plain.angle_deg[0])
    assert bridged.sigma_deg[0] == pytest.approx(np.hypot(plain.sigma_deg[0], gap))
    error = abs(bridged.angle_deg[0] - 47.3)
    assert 1.96 * plain.sigma_deg[0] < error <= 1.96 * bridged.sigma_deg[0]  # outside the old interval, inside the new


def test_a_bridged_frame_without_landmarks_keeps_its_interval() -> None:
    lm, edge, turn = np.array([np.nan]), np.array([40.0]), np.array([41.0])
    assert choose_angle(lm, edge, turn, edge_bridged=np.array([True])).sigma_deg[0] == choose_angle(lm, edge, turn).sigma_deg[0]


def test_a_turn_without_any_edge_line_is_not_confirmed_by_landmarks_within_tolerance_alone() -> None:
    """s20edge_fam e1 (r010's scene and body): no edge line fitted over the hold, the turn 44.1 for a 47.3-degree shin, the
    landmarks 47.0: within the 5-degree tolerance, which alone used to make the turn 'confirmed' (1-sigma TURN_SD_DEG)."""
    lm, edge, turn = np.array([47.0]), np.array([np.nan]), np.array([44.1])
    plain = choose_angle(lm, edge, turn)
    assert plain.sigma_deg[0] == pytest.approx(TURN_SD_DEG)
    unfitted = choose_angle(lm, edge, turn, edge_bridged=np.array([True]))
    assert unfitted.angle_deg[0] == pytest.approx(44.1)
    assert unfitted.sigma_deg[0] == pytest.approx(np.hypot(TURN_SD_DEG, BRIDGED_LANDMARK_GAP_SHARE * 2.9))


def _stance(turn_off_at_rest_deg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A stance: 20 rest frames at 5 deg, then 10 hold frames at 40; the turn reads off the edge line on half the rest
    frames (a foot stepped between reps: random_v12 r009, the turn 5-16 deg from the edge line there)."""
    edge = np.concatenate([np.full(20, 5.0), np.full(10, 40.0)])
    turn = edge.copy()
    turn[10:20] += turn_off_at_rest_deg
    turn[10:16] += turn_off_at_rest_deg
    rest = np.arange(30) < 20
    return edge, turn, np.full(30, 20.0), rest


def test_a_turn_that_agrees_with_the_edge_line_at_rest_keeps_its_interval() -> None:
    edge, turn, lm, rest = _stance(0.0)
    choice = choose_angle(lm, edge, turn)
    assert np.array_equal(with_turn_reference_doubt(choice, turn, edge, rest).sigma_deg, choice.sigma_deg)


def test_a_turn_apart_from_the_edge_line_at_rest_widens_every_outline_frame() -> None:
    edge, turn, lm, rest = _stance(8.0)
    choice = choose_angle(lm, edge, turn)
    gap = float(np.median(np.abs(turn[rest] - edge[rest])))
    assert gap > 0
    doubted = with_turn_reference_doubt(choice, turn, edge, rest)
    outline = choice.source == AngleCode.SILHOUETTE
    assert outline[20:].all()  # the hold is read from the outline
    assert doubted.sigma_deg[outline] == pytest.approx(np.hypot(choice.sigma_deg[outline], REST_TURN_GAP_SHARE * gap))
    assert np.array_equal(doubted.angle_deg, choice.angle_deg, equal_nan=True)  # the number is left as read
    assert np.array_equal(doubted.sigma_deg[~outline], choice.sigma_deg[~outline], equal_nan=True)
