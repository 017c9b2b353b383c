"""Which way the person faces, which leg is in front, and left/right swaps repaired by geometry.

MediaPipe's left/right labels are unreliable in side view (legs exchanged for runs of frames, both
knees collapsed onto one), so the front leg is chosen per frame from the scene instead: it is the leg
whose foot is nearer the wall. The anatomical side then follows from facing and near/far.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ankle_cv.enums import Side, SideChoice, SideMethod
from ankle_cv.kinematics.fitted import FLOOR_CUE_MIN_KNOWN, LABEL_SIDE_MIN_SHARE, SPLIT_MIN_SHANKS
from ankle_cv.kinematics.signals import interpolate_gaps, rolling_median, runs
from ankle_cv.pose.landmarks import LEFT_EAR, LEG_POINTS, NOSE, RIGHT_EAR, PoseSeries


@dataclass(frozen=True)
class LegTracks:
    """Per-frame pixel tracks of the front (tested) and back leg after swap repair."""

    front: dict[str, np.ndarray]  # point name -> (N, 2)
    back: dict[str, np.ndarray]
    front_label: np.ndarray  # (N,) MediaPipe's label of the front foot: 0 left, 1 right, -1 unknown
    front_visibility: dict[str, np.ndarray]  # point name -> (N,)
    knee_repaired: np.ndarray  # (N,) True where the front knee was taken from the other label or dropped


def facing_sign(series: PoseSeries) -> int:
    """+1 when the person faces image right (wall on the right), -1 when left.

    From the scene, not from both feet alike: the planted foot's heel->toe direction (per frame the lower foot in
    the picture: a rear foot on a bench or in the air, laces down or toes back, does not vote) plus the knees'
    travel (a knee bends forward over its ankle, the rear knee too). Both in shank lengths, medians over the clip.
    The nose against the ears only when neither is known.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a clip without a person is all NaN: no facing to read, no noise
        return _facing_sign(series)


def _facing_sign(series: PoseSeries) -> int:
    """`facing_sign` itself, numpy's all-NaN warnings left to the caller."""
    left, right = series.leg("left"), series.leg("right")
    shank = np.nanmedian(np.concatenate([np.linalg.norm(leg["knee"] - leg["ankle"], axis=1) for leg in (left, right)]))
    low_left = np.fmax(left["heel"][:, 1], left["toe"][:, 1])
    low_right = np.fmax(right["heel"][:, 1], right["toe"][:, 1])
    planted = np.where((low_left >= low_right)[:, None], left["toe"] - left["heel"], right["toe"] - right["heel"])[:, 0]
    knees = np.concatenate([(leg["knee"] - leg["ankle"])[:, 0] for leg in (left, right)])
    votes = [float(np.nanmedian(v)) / shank for v in (planted, knees) if np.isfinite(v).any()] if np.isfinite(shank) and shank > 0 else []
    total = float(np.sum(votes)) if votes else float("nan")
    if np.isfinite(total) and abs(total) > 1e-6:
        return 1 if total > 0 else -1
    nose = series.point(NOSE)[:, 0]
    ears = 0.5 * (series.point(LEFT_EAR)[:, 0] + series.point(RIGHT_EAR)[:, 0])
    d = np.nanmedian(nose - ears)
    return 1 if (not np.isfinite(d) or d >= 0) else -1


def _foot_centre(leg: dict[str, np.ndarray]) -> np.ndarray:
    """Mean of ankle, heel and toe: a stable point for telling the feet apart (NaN in frames without the foot, silently)."""
    points = np.stack([leg["ankle"], leg["heel"], leg["toe"]])
    known = np.isfinite(points)
    count = known.sum(axis=0)
    return np.where(count > 0, np.where(known, points, 0.0).sum(axis=0) / np.maximum(count, 1), np.nan)


def split_front_back(series: PoseSeries, facing: int) -> LegTracks:
    """Assign each frame's two legs to front/back by where the feet are, and repair the knee."""
    left, right = series.leg("left"), series.leg("right")
    vis_l, vis_r = series.leg_visibility("left"), series.leg_visibility("right")
    fwd_l = facing * _foot_centre(left)[:, 0]
    fwd_r = facing * _foot_centre(right)[:, 0]
    foot_len = np.nanmedian(
        np.concatenate([np.linalg.norm(left["toe"] - left["heel"], axis=1), np.linalg.norm(right["toe"] - right["heel"], axis=1)])
    )
    foot_len = foot_len if np.isfinite(foot_len) and foot_len > 0 else 0.05 * series.height
    gap = fwd_r - fwd_l
    clear = np.abs(gap) > 0.35 * foot_len
    right_front = gap > 0
    if (~clear).any() and clear.any():
        # Where the feet overlap, the front foot is the one nearer where the front foot has been standing.
        cl, cr = _foot_centre(left), _foot_centre(right)
        home = np.where(right_front[:, None], cr, cl)
        home = np.where(clear[:, None], home, np.nan)
        home = np.stack([rolling_median(home[:, 0], 61), rolling_median(home[:, 1], 61)], axis=1)
        nearer_right = np.linalg.norm(cr - home, axis=1) < np.linalg.norm(cl - home, axis=1)
        right_front = np.where(clear, right_front, nearer_right)
    label = np.where(right_front, 1, 0)
    label[~series.detected] = -1
    front = {p: np.where(right_front[:, None], right[p], left[p]) for p in LEG_POINTS}
    back = {p: np.where(right_front[:, None], left[p], right[p]) for p in LEG_POINTS}
    fvis = {p: np.where(right_front, vis_r[p], vis_l[p]) for p in LEG_POINTS}
    front, back, repaired = _repair_knees(front, back, facing)
    return LegTracks(front, back, label, fvis, repaired)


def _repair_knees(
    front: dict[str, np.ndarray], back: dict[str, np.ndarray], facing: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Give the front leg the knee that fits its shank; drop knees collapsed onto one point."""
    fk, bk = front["knee"].copy(), back["knee"].copy()
    fa, ba = front["ankle"], back["ankle"]
    own = np.linalg.norm(fk - fa, axis=1) + np.linalg.norm(bk - ba, axis=1)
    crossed = np.linalg.norm(bk - fa, axis=1) + np.linalg.norm(fk - ba, axis=1)
    shank = np.nanmedian(np.linalg.norm(fk - fa, axis=1))
    # A knee pair fits crossed when that is clearly closer to constant shank lengths.
    dev_own = np.abs(np.linalg.norm(fk - fa, axis=1) - shank) + np.abs(np.linalg.norm(bk - ba, axis=1) - shank)
    dev_cross = np.abs(np.linalg.norm(bk - fa, axis=1) - shank) + np.abs(np.linalg.norm(fk - ba, axis=1) - shank)
    swap = (dev_cross + 0.1 * shank < dev_own) & (facing * bk[:, 0] > facing * fk[:, 0])
    swap &= np.isfinite(own) & np.isfinite(crossed)
    fk2 = np.where(swap[:, None], bk, fk)
    bk2 = np.where(swap[:, None], fk, bk)
    collapsed = np.linalg.norm(fk2 - bk2, axis=1) < 0.12 * shank
    fk2[collapsed] = np.nan
    front = {**front, "knee": fk2}
    back = {**back, "knee": bk2}
    return front, back, swap | collapsed


def anatomical_side(tracks: LegTracks, facing: int) -> tuple[Side, float]:
    """Left or right for the front leg by MediaPipe's label votes (the fallback cue), with the agreeing share."""
    labels = tracks.front_label
    labels = labels[labels >= 0]
    if labels.size == 0:
        return Side.from_sign(facing), 0.0
    right_share = float(np.mean(labels == 1))
    return (Side.RIGHT, right_share) if right_share >= 0.5 else (Side.LEFT, 1.0 - right_share)


SIDE_DOUBT = "tested leg uncertain"  # the opening words of label_side_doubt's reason (outputs.refusal_advice)
NEAR_CUE_MIN = 0.08  # toe height difference (foot lengths) below which near/far is undecided
MIN_STANCE_S = 2.0


@dataclass(frozen=True)
class Stance:
    """A run of frames with one foot planted in front: one leg's trial."""

    start: int
    end: int  # inclusive
    side: Side  # anatomical side of the front leg
    side_confidence: float  # 0..1
    side_method: SideMethod


def near_far_cue(tracks: LegTracks) -> np.ndarray:
    """Per frame: front toe lower in the image than the back toe, in foot lengths (+ = front foot nearer the camera).

    A camera above the floor sees the nearer of two floor points lower in the image; the back heel is
    up in a lunge but its toes stay down, so the toe tips are compared.
    """
    foot = np.nanmedian(np.linalg.norm(tracks.front["toe"] - tracks.front["heel"], axis=1))
    return (tracks.front["toe"][:, 1] - tracks.back["toe"][:, 1]) / foot


def split_frames(tracks: LegTracks) -> np.ndarray:
    """Per frame: the feet apart along the image's horizontal by at least SPLIT_MIN_SHANKS shanks (a lunge's stance).

    With the feet side by side (standing, stepping in, out or between legs) no foot is in front; only a run of split
    frames is a leg's own stance (`_weak_runs_agreeing`).
    """
    n = tracks.front_label.shape[0]
    if not all(p in leg for leg in (tracks.front, tracks.back) for p in ("knee", "ankle", "heel", "toe")):
        return np.ones(n, dtype=bool)  # tracks without the shank (tests of the cue alone): every frame votes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames or clips without feet: NaN, no vote
        fc, bc = _foot_centre(tracks.front), _foot_centre(tracks.back)
        shank = np.nanmedian(np.linalg.norm(tracks.front["knee"] - tracks.front["ankle"], axis=1))
    if not np.isfinite(shank) or shank <= 0:
        return np.ones(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        return ~(np.abs(fc[:, 0] - bc[:, 0]) / shank < SPLIT_MIN_SHANKS)


@dataclass(frozen=True)
class FloorView:
    """The camera against the room (the room-line fit): where a floor point seen at a pixel lies, in camera heights."""

    rotation: np.ndarray  # (3, 3) world -> camera; world X along the floor across the image, Y away from the camera, Z up
    focal_px: float
    centre_px: tuple[float, float]

    def floor_points(self, px: np.ndarray) -> np.ndarray:
        """(N, 2) floor X, Y (camera at height 1) of the points seen at these (N, 2) pixels; NaN above the horizon."""
        px = np.asarray(px, float)
        rays = np.column_stack([(px[:, 0] - self.centre_px[0]) / self.focal_px, (px[:, 1] - self.centre_px[1]) / self.focal_px,
                                np.ones(len(px))]) @ self.rotation  # camera rays in world axes (R^T d)
        with np.errstate(divide="ignore", invalid="ignore"):
            reach = np.where(rays[:, 2] < -1e-6, -1.0 / rays[:, 2], np.nan)
        return rays[:, :2] * reach[:, None]


def floor_near_far_cue(tracks: LegTracks, view: FloorView) -> np.ndarray:
    """Per frame: the back toe's distance from the camera minus the front toe's, on the floor, in the front foot's lengths
    (+ = front foot nearer the camera), from the room fit's camera.

    The image cue (`near_far_cue`) takes the feet's depth difference as the stance's width; a camera turned towards the
    person's back sees the back foot nearer by the stance's length times the turn's sine, more than the width at ~15 deg
    (s16cam c1: 20 deg, the back toe 6 px lower). On the floor the turn drops out: the toes' Y is across the stance.
    """
    front_toe, back_toe = view.floor_points(tracks.front["toe"]), view.floor_points(tracks.back["toe"])
    foot = np.nanmedian(np.linalg.norm(front_toe - view.floor_points(tracks.front["heel"]), axis=1))
    return (back_toe[:, 1] - front_toe[:, 1]) / foot


def near_far_raw(tracks: LegTracks, floor: FloorView | None = None) -> np.ndarray:
    """Per frame: the near/far cue the stances are cut by: on the floor where the room fit's camera sees the feet on it,
    else in the image.

    A room fit whose horizon lies below the feet (they are on the floor, so seen below it) has the camera's pitch or focal
    wrong: its floor cue is unknown in those frames (random_v9 r005: the fit 16.5 deg up at 832 px for a camera 11.6 deg up
    at 605 px: its horizon at y 606 px, the feet at 590 above it in every frame, so no stance was found and both legs'
    reps went to the labels' majority). Where the floor cue is known in under FLOOR_CUE_MIN_KNOWN of the frames the
    image cue knows, the image cue is used.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a clip without feet: all NaN
        image = near_far_cue(tracks)
        if floor is None:
            return image
        on_floor = floor_near_far_cue(tracks, floor)
    known = np.isfinite(image)
    if known.any() and np.isfinite(on_floor[known]).mean() < FLOOR_CUE_MIN_KNOWN:
        return image
    return on_floor


def find_stances(
    tracks: LegTracks, facing: int, fps: float, forced_side: SideChoice = SideChoice.AUTO, floor: FloorView | None = None
) -> list[Stance]:
    """Split the clip into one stance per tested leg (a video may hold both legs); the near/far cue on the floor when the
    room fit gave the camera (`floor`), else in the image; a weak split stance whose labels agree keeps its own leg."""
    n = tracks.front_label.shape[0]
    raw = near_far_raw(tracks, floor)
    if forced_side in (SideChoice.LEFT, SideChoice.RIGHT):
        return [Stance(0, n - 1, Side(str(forced_side)), 1.0, SideMethod.USER)]
    cue = rolling_median(raw, max(3, int(1.5 * fps) | 1))
    strong = np.isfinite(cue) & (np.abs(cue) >= NEAR_CUE_MIN)
    if strong.mean() < 0.5:
        side, share = anatomical_side(tracks, facing)
        return [Stance(0, n - 1, side, share, SideMethod.LABELS)]
    near = np.where(strong, (cue > 0).astype(float), np.nan)
    voting = split_frames(tracks)
    near, by_labels = _weak_runs_agreeing(near, raw, voting, tracks.front_label, facing)
    near = interpolate_gaps(near)
    front_right = (near >= 0.5) == (facing > 0)
    runs_: list[list[int]] = []
    for i, v in enumerate(front_right):
        if runs_ and runs_[-1][2] == v:
            runs_[-1][1] = i
        else:
            runs_.append([i, i, v])
    min_len = int(MIN_STANCE_S * fps)
    # Merge short flickers into their neighbours.
    merged: list[list[int]] = []
    for r in runs_:
        if merged and (r[1] - r[0] + 1 < min_len or merged[-1][2] == r[2]):
            merged[-1][1] = r[1]
        else:
            merged.append(list(r))
    stances = []
    for start, end, right in merged:
        side = Side.RIGHT if right else Side.LEFT
        if by_labels[start:end + 1].mean() > 0.5:  # a whole stance the labels decided (`_weak_runs_agreeing`)
            span = np.zeros(n, dtype=bool)
            span[start:end + 1] = True
            share = label_share(tracks.front_label, voting & span, side)
            stances.append(Stance(int(start), int(end), side, share if np.isfinite(share) else 0.0, SideMethod.LABELS))
            continue
        seg = cue[start:end + 1]
        conf = float(np.clip(np.nanmedian(np.abs(seg)) / (2 * NEAR_CUE_MIN), 0, 1)) if np.isfinite(seg).any() else 0.0
        stances.append(Stance(int(start), int(end), side, conf, SideMethod.GEOMETRY))
    return stances


def _weak_runs_agreeing(
    near: np.ndarray, raw: np.ndarray, voting: np.ndarray, label: np.ndarray, facing: int
) -> tuple[np.ndarray, np.ndarray]:
    """Undecided split-stance runs take their own cue's sign where MediaPipe's labels say the same leg, or the labels' leg
    where the run is a whole stance the labels name alone and they follow the scene's geometry elsewhere in the clip;
    with the frames the labels decided (True).

    Where the cue is weak in every frame of a run (a near front foot seen from a camera turned towards the wall: random_v1
    r011's near leg +0.02..+0.08, its far leg -0.55), filling it from the strong neighbours hands the run to the other
    leg's stance; two weak cues that agree decide it instead, one alone does not. A near front foot hidden behind a
    side-near sheet has its toe guessed by the pose model at the back toe's height (random_v11 r010: the cue -0.05..+0.02
    through the left leg's whole stance, between a step and the clip's end): filled from the right leg's stance before
    it, both its reps went to the right leg. Such a run, a stance from step to step, takes the leg its labels name in at
    least LABEL_SIDE_MIN_SHARE of its frames when, in the frames the geometry decided, the labels name the geometry's leg
    as often (`_labels_follow_geometry`): the stance is then the labels' (`label_side_doubt` checks each rep).
    """
    out = near.copy()
    by_labels = np.zeros(near.shape, dtype=bool)
    trusted = _labels_follow_geometry(near, voting, label, facing)
    n = near.size
    for start, end in runs(voting & ~np.isfinite(near)):
        cue = raw[start:end + 1]
        lab = label[start:end + 1]
        lab = lab[lab >= 0]
        if lab.size == 0:
            continue
        label_right = float(np.mean(lab == 1))
        median = float(np.nanmedian(cue)) if np.isfinite(cue).any() else 0.0
        cue_right = (median > 0) == (facing > 0)
        if median != 0.0 and label_right != 0.5 and (label_right > 0.5) == cue_right:  # a tie of labels decides nothing
            out[start:end + 1] = float(median > 0)
            continue
        whole = (start == 0 or not voting[start - 1]) and (end == n - 1 or not voting[end + 1])
        if trusted and whole and max(label_right, 1.0 - label_right) >= LABEL_SIDE_MIN_SHARE:
            out[start:end + 1] = float((label_right > 0.5) == (facing > 0))
            by_labels[start:end + 1] = True
    return out, by_labels


def _labels_follow_geometry(near: np.ndarray, voting: np.ndarray, label: np.ndarray, facing: int) -> bool:
    """Whether MediaPipe's labels name the geometry's leg in at least LABEL_SIDE_MIN_SHARE of the split frames the near/far
    cue decided (False without any): only then may they decide a stance the cue cannot (random_v1 r003's near leg: 43 %)."""
    decided = voting & np.isfinite(near) & (label >= 0)
    if not decided.any():
        return False
    geometry_right = (near[decided] >= 0.5) == (facing > 0)
    return float(np.mean((label[decided] == 1) == geometry_right)) >= LABEL_SIDE_MIN_SHARE


def label_share(label: np.ndarray, voting: np.ndarray, side: Side) -> float:
    """Share of the voting frames' known front-foot labels that name this side (NaN without any)."""
    lab = label[voting & (label >= 0)]
    return float(np.mean(lab == (1 if side == Side.RIGHT else 0))) if lab.size else float("nan")


def label_side_doubt(stance: Stance, label: np.ndarray, voting: np.ndarray, start: int, end: int) -> str | None:
    """Why a rep's leg is too uncertain for its number to count (None when it is known): a leg taken from the pose model's
    labels where they split, over the stance's split frames or the rep's own (`split_frames`).

    Where the scene gives no near/far cue the side is the labels' majority over the whole clip; in a video of both legs
    that majority hands one leg's reps to the other (random_v9 r005 before the floor cue's check: 62 % right over the
    clip, 0 % in the left leg's reps), and labels split about evenly (s17cam_fam f3: 52 %) are a coin's toss. Such a rep
    is refused with the reason rather than given as a confident number on a leg nobody knows (LABEL_SIDE_MIN_SHARE).
    """
    if stance.side_method != SideMethod.LABELS:
        return None
    whole = np.zeros_like(voting)
    whole[stance.start:stance.end + 1] = True
    own = np.zeros_like(voting)
    own[max(start, 0):end + 1] = True
    shares = [label_share(label, voting & span, stance.side) for span in (whole, own)]
    known = [s for s in shares if np.isfinite(s)]
    weakest = min(known) if known else 0.0
    if weakest >= LABEL_SIDE_MIN_SHARE:
        return None
    return (f"{SIDE_DOUBT} (the picture does not show which foot is nearer the camera, and the pose model's left/right "
            f"labels call it the {stance.side} leg in only {100 * weakest:.0f}% of the split-stance frames; give the leg "
            "with --side)")


def swapped_share(label: np.ndarray, stances: list[Stance]) -> float:
    """Share of detected frames whose front-leg label differs from its stance's majority (the clip's, without stances):
    a two-leg clip's change of tested leg is no swap (against the clip's majority its randomised renders read 32-48 %
    "swapped" while inside their reps the label never changed, session 13)."""
    spans = [np.arange(st.start, st.end + 1) for st in stances] or [np.arange(label.size)]
    differ = seen = 0
    for idx in spans:
        lab = label[idx]
        lab = lab[lab >= 0]
        if lab.size:
            differ += int(np.sum(lab != round(float(np.median(lab)))))
            seen += lab.size
    return differ / seen if seen else 0.0
