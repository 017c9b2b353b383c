"""Which estimate of the shank angle a frame gets: the outline (turn and edge line), the landmarks, or none.

Each estimator fails in its own way. The pose model's knee slides backwards near a wall (landmarks 10-20 deg low at
the renders' peaks). The outline turn rests on a standing reference of the shin's outline: when the outline in
front of the shin is another leg, the folded thigh or a kettlebell, or the reference was taken in another posture,
it reads 8-16 deg off (real squats and lunges), while the straight edge line, fitted in every frame, and the landmarks
stay within a few degrees of the reference and of each other. On bodies nobody tuned for (the randomised renders:
shoes, trousers, small legs in the picture) the turn and the edge line each miss by 4-9 deg on some reps, rarely
together, so where the turn stands the frame's angle is their weighted mean (TURN_WEIGHT) and their disagreement
widens its interval. So a frame's angle is that mean where the turn is not the odd one out, the edge line where it and
the landmarks agree and the turn lies far from both, as a failed turn does (a wider interval), and none where only the edge line
and landmarks are left and they disagree: never a confident number from one estimator that the others contradict.
Pure: numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankle_cv.enums import AngleCode
from ankle_cv.kinematics.fitted import (
    BRIDGED_LANDMARK_GAP_SHARE,
    EDGE_LANDMARK_PAIR_SD_DEG,
    FABRIC_SD_PER_DEG,
    LANDMARK_ONLY_SD_DEG,
    LOOSE_OUTLINE_AHEAD_SHANKS,
    REST_TURN_GAP_SHARE,
    TURN_EDGE_TOL_DEG,
    TURN_OUTVOTE_DEG,
    TURN_SD_DEG,
    TURN_WEIGHT,
)


@dataclass(frozen=True)
class AngleChoice:
    """Per frame: the chosen angle, where it came from and its 1-sigma method error (degrees, NaN where none)."""

    angle_deg: np.ndarray
    source: np.ndarray  # AngleCode values
    sigma_deg: np.ndarray


def _agree(a: np.ndarray, b: np.ndarray, tol_deg: float) -> np.ndarray:
    """Both finite and within tol_deg of each other."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(a) & np.isfinite(b) & (np.abs(a - b) <= tol_deg)


def choose_angle(
    landmark_deg: np.ndarray, edge_deg: np.ndarray, turn_deg: np.ndarray, edge_as_read_deg: np.ndarray | None = None,
    edge_bridged: np.ndarray | None = None,
) -> AngleChoice:
    """The frame's angle by agreement of the three estimators (see the module docstring).

    The outline (the turn, averaged with the edge line where there is one) is the angle unless the edge line and the
    landmarks agree with each other and the turn lies more than TURN_OUTVOTE_DEG from them (the turn is then the odd one
    out: its outline is not the shin's); the edge line is then the angle, the landmarks only its witness (near a wall their
    knee slides back and reads deep frames low, so their mean with the edge line would carry that bias). A turn nearer the
    pair than that stands: the edge line's lean is calibrated against the landmarks at standing, so the two agreeing is not
    two independent votes, and on the renders the outline's mean was the nearer there (fitted.py). Either interval is widened by half
    the turn's distance to the edge line (the outline's, to the landmarks without an edge line): the truth lies near one
    of them, and where they part neither is known to be right; two votes against the turn do not make it wrong
    (randomised render r011: the edge line and the landmarks both low by 7-11 deg on a 58-degree shin, the outvoted
    turn 2.5-2.9 deg off, the interval +-4.7 without the turn's doubt).
    `edge_as_read_deg`: the edge line before frames its outline does not support were taken out of `edge_deg`
    (kinematics.edge_support.trusted_edge); such a frame's angle is the turn's, and its gap to the edge line as read stays
    in the interval: the outline that misled the line also feeds the turn (render s12: the turn 4.1-4.4 deg low there).
    `edge_bridged`: frames whose edge line was not fitted, bridged from its neighbours or absent (kinematics.shank: the
    mask's front edge did not lie along the shin there): the outline is then not known to be the shin's, so the frame's doubt also
    holds half its angle's distance to the landmarks, the one estimator that does not read the outline (with_bridged_doubt).
    """
    lm, edge, turn = (np.asarray(x, float) for x in (landmark_deg, edge_deg, turn_deg))
    as_read = edge if edge_as_read_deg is None else np.asarray(edge_as_read_deg, float)
    pair_ok = _agree(edge, lm, TURN_EDGE_TOL_DEG)
    pair = 0.5 * (edge + lm)  # decides who is the odd one out; the value is the edge line's
    with np.errstate(invalid="ignore"):
        outvoted = pair_ok & np.isfinite(turn) & (np.abs(turn - pair) > TURN_OUTVOTE_DEG)
        nearest = np.fmin(np.abs(turn - edge), np.abs(turn - lm))
    turn_ok = np.isfinite(turn) & ~outvoted
    confirmed = turn_ok & (nearest <= TURN_EDGE_TOL_DEG)
    use_pair = ~turn_ok & pair_ok
    any_estimate = np.isfinite(lm) | np.isfinite(edge) | np.isfinite(turn)
    outline = np.where(np.isfinite(edge), TURN_WEIGHT * turn + (1.0 - TURN_WEIGHT) * edge, turn)
    angle = np.where(turn_ok, outline, np.where(use_pair, edge, np.nan))
    source = np.where(turn_ok, AngleCode.SILHOUETTE, np.where(use_pair, AngleCode.EDGE_AND_LANDMARKS,
                                                             np.where(any_estimate, AngleCode.CONFLICT, AngleCode.NONE)))
    with np.errstate(invalid="ignore"):
        apart = np.where(np.isfinite(as_read), np.abs(turn - as_read), np.where(confirmed, 0.0, nearest))
    turn_sd = np.sqrt(TURN_SD_DEG**2 + (0.5 * np.where(np.isfinite(apart), apart, 0.0)) ** 2)
    with np.errstate(invalid="ignore"):
        outvoted_gap = np.where(np.isfinite(turn) & np.isfinite(edge), np.abs(turn - edge), 0.0)
    pair_sd = np.sqrt(EDGE_LANDMARK_PAIR_SD_DEG**2 + (0.5 * outvoted_gap) ** 2)  # the outvoted turn's doubt stays in
    sigma = np.where(turn_ok, turn_sd, np.where(use_pair, pair_sd, np.nan))
    return with_bridged_doubt(AngleChoice(angle, source.astype(int), sigma), lm, edge_bridged)


def with_bridged_doubt(choice: AngleChoice, landmark_deg: np.ndarray, edge_bridged: np.ndarray | None) -> AngleChoice:
    """Where the edge line was not fitted (bridged over from its neighbours, or none), the outline's frames are not
    known to show the shin (the mask's front edge ran off it: another leg, trousers or the background merged in), and
    the turn reads that outline, so neither its agreement with a bridged line nor the landmarks' 5-degree tolerance
    proves it: the frame's doubt holds BRIDGED_LANDMARK_GAP_SHARE of its angle's distance to the landmarks (randomised
    render random_v7 r010 rep 3: far leg, long trousers, shoes; the edge line bridged over the whole hold and the turn
    agreed 4.5 deg low at +-3.9, the landmarks 0.5 deg off; its scene on the same body, s20edge_fam e1: no edge line
    over the holds, the turn alone 3.1-3.2 deg low at +-2.9, the landmarks 0.3-0.7 off; fitted.py)."""
    if edge_bridged is None:
        return choice
    bridged = np.asarray(edge_bridged, bool) & np.isfinite(choice.angle_deg) & np.isfinite(landmark_deg)
    if not bridged.any():
        return choice
    with np.errstate(invalid="ignore"):
        gap = np.where(bridged, BRIDGED_LANDMARK_GAP_SHARE * np.abs(landmark_deg - choice.angle_deg), 0.0)
    return AngleChoice(choice.angle_deg, choice.source, np.hypot(choice.sigma_deg, gap))


def landmarks_only(landmark_deg: np.ndarray) -> AngleChoice:
    """No silhouette to check against (no mask, or its edge could not be calibrated): the landmarks, widely bounded."""
    lm = np.asarray(landmark_deg, float)
    ok = np.isfinite(lm)
    return AngleChoice(lm, np.where(ok, AngleCode.LANDMARKS, AngleCode.NONE).astype(int), np.where(ok, LANDMARK_ONLY_SD_DEG, np.nan))


def is_fabric(outline_ahead_shanks: float) -> bool:
    """The rest outline lies farther ahead of the shank than skin does: loose fabric (or something held before the shin)."""
    return bool(np.isfinite(outline_ahead_shanks) and outline_ahead_shanks > LOOSE_OUTLINE_AHEAD_SHANKS)


def with_fabric_doubt(choice: AngleChoice, standing_deg: float, outline_ahead_shanks: float) -> AngleChoice:
    """Loose clothing: an outline lying farther ahead of the shank than skin does is fabric, which does not turn with
    the shin, so each frame's method error grows with its turn from standing (the angle is left as read here; its standing
    reference is the cloth's: kinematics.fabric_reference)."""
    if not (is_fabric(outline_ahead_shanks) and np.isfinite(standing_deg)):
        return choice
    with np.errstate(invalid="ignore"):
        fabric = FABRIC_SD_PER_DEG * np.abs(choice.angle_deg - standing_deg)
    return AngleChoice(choice.angle_deg, choice.source, np.hypot(choice.sigma_deg, np.nan_to_num(fabric)))


def with_turn_reference_doubt(choice: AngleChoice, turn_deg: np.ndarray, edge_deg: np.ndarray, rest: np.ndarray) -> AngleChoice:
    """The outline's turn is referred to the edge line on the stance's rest frames, so there the two should read alike;
    where they part (the typical gap over the rest frames, e.g. a foot stepped between reps, trousers folding over the shoe
    at standing) the turn's standing reference is not known, and every frame read from the outline holds
    REST_TURN_GAP_SHARE of that gap in its doubt (fitted.py; randomised render random_v12 r009)."""
    turn, edge = np.asarray(turn_deg, float), np.asarray(edge_deg, float)
    both = np.asarray(rest, bool) & np.isfinite(turn) & np.isfinite(edge)
    if not both.any():
        return choice
    gap = REST_TURN_GAP_SHARE * float(np.median(np.abs(turn[both] - edge[both])))
    outline = (choice.source == AngleCode.SILHOUETTE) & np.isfinite(choice.sigma_deg)
    return AngleChoice(choice.angle_deg, choice.source, np.where(outline, np.hypot(choice.sigma_deg, gap), choice.sigma_deg))
