"""The camera's turn and tilt from the room's straight lines, so shin angles are read in the leg's plane.

A side camera turned towards the wall or tilted up or down sees the shin foreshortened (a 15 deg turn:
3.7 deg too little at a 50 deg peak; a camera 10 deg down: about 1 deg). The test is done in a room
whose lines run three ways: along the wall (the wall-floor line, skirting, tiles), towards it (the back
wall's base, floorboards, door and picture edges) and up (corners, door frames). Those are the leg's
lateral axis, its forward axis and the vertical. Their vanishing points give the camera's rotation (a
Manhattan-world fit over line segments off the person), and with it the leg's plane, as the marker
sheet gives it; `plane_angle` then reads the shin's angle in that plane.

The focal length is a phone's usual (0.65 x the long side) unless the lines clearly say otherwise: with a
near square-on camera two of the three vanishing points lie far outside the picture and the lines barely
tell the focal length, but a wide lens pitched well up or down makes the uprights lean, and a 0.65 focal
explains that lean with a roll that is not there (random_v3 r011: +3.4 deg for 0 at a 0.45 lens). So the fit
is repeated over a range of focals and another is taken only where it leaves far less line cost; how far the
roll moves over the focals the lines allow is the room-line vertical's doubt (protocol.interval).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ankle_cv.enums import VerticalSource
from ankle_cv.io.video_source import Frame
from ankle_cv.kinematics.fitted import (
    FEW_ROOM_LINES,
    FOCAL_SEARCH_PER_LONG_SIDE,
    FOCAL_SPREAD_COST_RATIO,
    FOCAL_SWITCH_COST_RATIO,
)
from ankle_cv.kinematics.fitted import FOCAL_FOR_CAMERA_POSE as FOCAL_PER_LONG_SIDE  # fitted: see fitted.py
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.scene.camera_geometry import CameraGeometry

MIN_SEGMENT_FRACTION = 0.03  # of the image diagonal: shorter segments are texture, not room lines
INLIER_DEG = 1.0  # a segment within this angle of a vanishing point belongs to it
YAW_RANGE_DEG = 35.0
# A fit that turns the camera further than this from square-on is not trusted: people film the test roughly side-on (the
# randomised renders' turns reach 14 deg), and on those renders the one fit beyond 16 deg was wrong (r060: 30.5 for a
# true 3.0, its leg plane then read the shin 4.6 deg high; session 11). 25 keeps a real 20 deg turn (the synthetic rooms
# of tests/scene/test_room_camera.py) measurable.
MAX_TRUSTED_YAW_DEG = 25.0
PITCH_RANGE_DEG = 25.0
ROLL_RANGE_DEG = 8.0
PERSON_PAD = 0.02  # of the image diagonal, around the person's silhouette: lines there are the body's
# The lines are read on the first frame, so only the person there hides them: their silhouette over the first ~0.5 s at
# 15 Hz (a margin for a mask a frame late). Cutting out everywhere the person goes later (stepping in, lunging) left
# 39 of 58 randomised renders with a trusted fit, roll off by up to 1.6 deg; these frames: 43, up to 1.1 (session 11).
ROOM_PERSON_FRAMES = 8
# A fit is trusted when the verticals and the horizontals (forward + along the wall) are each supported
# by inlier lines adding up to this share of the image diagonal: a bare backdrop or a tiny picture is not.
# Two horizontal directions alone would fix the rotation too, but their tilt then rests on the guessed
# focal length: a portrait render (lens 20 % longer than guessed) was corrected by 1.2 deg the wrong way.
MIN_VERTICAL_SUPPORT = 0.25
MIN_HORIZONTAL_SUPPORT = 0.5
# The leg's plane is spanned by the forward (towards the wall) and up directions: with no line towards the wall, its
# forward axis is only the cross product of the along-the-wall and up fits at a guessed focal, and three or four lines
# can then meet a wrong pose. random_v6 r018 (plain backdrop, wall marker): the backdrop's base (a forward line) and the
# wall's corner were taken as along-the-wall lines, forward support 0.00, 5 distinct lines, trusted: roll read -5.1 for
# +3.1 (the level lines: +3.5), the shin 8-10 deg low and valid at +-3.3. On the 150 other open renders (session 19 sweep,
# /work/notes/s19dark.md) every trusted fit had forward support >= 0.45; a quarter of the diagonal, as for the uprights.
MIN_FORWARD_SUPPORT = 0.25
# The support above sums segments, and one edge is often found several times (both sides of a thin line, a shadow):
# three distinct lines fix the three angles with nothing left to check them. A plain-backdrop render (roll pair 3,
# session 12) had one level line, one short line along the wall and one wall edge found six times (support 0.85): the
# level camera was read rolled 1.9 deg, pitched 17 deg wrong. Every other trusted fit on the randomised renders and the
# roll pairs had 4 to 28 distinct lines.
MIN_DISTINCT_LINES = 4
DISTINCT_LINE_PX = 0.01  # of the image diagonal: segments this close to one line (within 2 deg) are one room line
DISTINCT_LINE_DEG = 2.0


@dataclass(frozen=True)
class RoomCamera:
    """The camera's rotation against the room (X towards the wall, Y along it, Z up) and its pinhole."""

    rotation: np.ndarray  # (3, 3) world -> camera, x_cam = R @ X_world (X, Y negated when the wall is on the left)
    focal_px: float
    centre_px: tuple[float, float]
    yaw_deg: float  # turned from square-on (+: the image's right side further away)
    pitch_deg: float  # + looking down
    roll_deg: float  # + image rotated clockwise (true vertical leans right), as AnalysisSettings.camera_roll_deg
    support: tuple[float, float, float]  # inlier line length per direction (forward, along the wall, up) / diagonal
    distinct_lines: int  # inlier segments counted once per room line they lie on (distinct_line_count)
    # Half the largest roll move among the trusted fits at other focals whose line cost is within FOCAL_SPREAD_COST_RATIO
    # of the cheapest: how much the roll rests on a focal length the lines do not pin down.
    roll_focal_spread_deg: float = 0.0
    # The upright inliers' length-weighted mean distance from the centre column (px): the lever their lean gives the pitch.
    upright_offset_px: float = float("inf")

    @property
    def pitch_from_uprights_doubt_deg(self) -> float:
        """How far the pitch may move within the uprights' inlier tolerance when no line along the wall pins it (deg).

        Without a line along the wall (whose vanishing point lies on the horizon) the pitch rests on the uprights alone: how
        their lean changes across the picture's columns (a camera pitched p leans an upright x px from the centre column by
        about x tan(p) / f). An inlier's own INLIER_DEG of lean at x moves the pitch by atan(tan(INLIER_DEG) f / x), f the
        usual lens (the focal search trades the lens against that same pitch, so a shorter trial lens must not make the
        pitch look surer). Session 26 (s26angle): heel_sweep26 h009's uprights (the arms' shadows, 32-63 px right of the
        centre column) gave a doubt of 8-10 deg; its fit's pitch was +20.8 for -6.8."""
        if self.support[1] > 0.0:
            return 0.0
        if not self.upright_offset_px > 0.0:
            return 90.0
        usual = FOCAL_PER_LONG_SIDE * 2.0 * max(self.centre_px[0] + 0.5, self.centre_px[1] + 0.5)  # the usual lens (see above)
        return float(np.degrees(np.arctan(np.tan(np.radians(INLIER_DEG)) * usual / self.upright_offset_px)))

    @property
    def trusted(self) -> bool:
        """Enough room lines in the right directions (some towards the wall), more than the three angles need, and a pose inside the range."""
        forward, along, up = self.support
        inside = abs(self.yaw_deg) <= MAX_TRUSTED_YAW_DEG and abs(self.pitch_deg) < PITCH_RANGE_DEG - 1
        enough = self.distinct_lines >= MIN_DISTINCT_LINES
        lines = up >= MIN_VERTICAL_SUPPORT and forward >= MIN_FORWARD_SUPPORT and forward + along >= MIN_HORIZONTAL_SUPPORT
        return inside and enough and lines

    def leg_plane_homography(self, point_px: np.ndarray) -> np.ndarray:
        """Homography from a plane parallel to the leg's (x towards the wall, y up) through an image point, to the image."""
        cx, cy = self.centre_px
        k = np.array([[self.focal_px, 0.0, cx], [0.0, self.focal_px, cy], [0.0, 0.0, 1.0]])
        ray = np.linalg.solve(k, np.array([point_px[0], point_px[1], 1.0]))
        h = k @ np.column_stack([self.rotation[:, 0], self.rotation[:, 2], ray])
        return h / h[2, 2]


def rotation(yaw_deg: np.ndarray, pitch_deg: np.ndarray, roll_deg: np.ndarray) -> np.ndarray:
    """World -> camera rotations (..., 3, 3) of a camera beside the person, room X to the image's right when square-on.

    Vanishing points ignore a direction's sign, so the wall's side does not matter: with the wall on the
    left, the room's X and Y are this rotation's negated.
    """
    y, p, r = (np.radians(np.asarray(v, float)) for v in (yaw_deg, pitch_deg, roll_deg))
    cy, sy, cp, sp, cr, sr = np.cos(y), np.sin(y), np.cos(p), np.sin(p), np.cos(r), np.sin(r)
    one, zero = np.ones_like(y), np.zeros_like(y)

    def mat(*rows: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
        return np.stack([np.stack(row, -1) for row in rows], -2)

    square_on = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])  # x_cam = X, y_cam = -Z, z_cam = Y
    turn = mat((cy, zero, -sy), (zero, one, zero), (sy, zero, cy))  # about the camera's vertical axis
    tilt = mat((one, zero, zero), (zero, cp, -sp), (zero, sp, cp))  # about its x axis
    spin = mat((cr, -sr, zero), (sr, cr, zero), (zero, zero, one))  # about its optical axis
    return spin @ tilt @ turn @ square_on


def vanishing_points(rot: np.ndarray, focal_px: float, centre_px: tuple[float, float]) -> np.ndarray:
    """Homogeneous images (..., 3, 3) of the room's X, Y and Z directions, one row each."""
    d = np.swapaxes(rot, -1, -2)  # row j = R @ e_j
    return np.stack([focal_px * d[..., 0] + centre_px[0] * d[..., 2], focal_px * d[..., 1] + centre_px[1] * d[..., 2], d[..., 2]], -1)


def segment_errors_deg(segments: np.ndarray, vps: np.ndarray) -> np.ndarray:
    """Angle between each segment and the line from its midpoint to each vanishing point: (..., 3, N)."""
    mid = 0.5 * (segments[:, :2] + segments[:, 2:])
    d = segments[:, 2:] - segments[:, :2]
    d = d / np.linalg.norm(d, axis=1, keepdims=True)
    w = vps[..., None, :2] - mid * vps[..., None, 2:3]  # towards the vanishing point, also one at infinity
    cross = np.abs(w[..., 0] * d[:, 1] - w[..., 1] * d[:, 0]) / np.maximum(np.linalg.norm(w, axis=-1), 1e-12)
    return np.degrees(np.arcsin(np.clip(cross, 0.0, 1.0)))


def _search(
    seg: np.ndarray, lengths: np.ndarray, focal_px: float, centre_px: tuple[float, float],
    around: tuple[float, float, float], span: tuple[float, float, float], step: float, cap_deg: float,
) -> tuple[float, float, float]:
    """The (yaw, pitch, roll) on a grid about `around` whose vanishing points the segments agree with best."""
    axes = [np.arange(c - s, c + s + 1e-9, step) for c, s in zip(around, span)]
    yaw, pitch, roll = (a.ravel() for a in np.meshgrid(*axes, indexing="ij"))
    costs = np.empty(yaw.size)
    chunk = max(1, 200_000 // seg.shape[0])
    for i in range(0, yaw.size, chunk):
        vps = vanishing_points(rotation(yaw[i : i + chunk], pitch[i : i + chunk], roll[i : i + chunk]), focal_px, centre_px)
        err = np.min(segment_errors_deg(seg, vps), axis=-2)  # each segment against its nearest direction
        costs[i : i + chunk] = np.sum(lengths * np.minimum(err, cap_deg) ** 2, axis=-1)  # truncated: clutter costs a constant
    k = int(np.argmin(costs))
    return float(yaw[k]), float(pitch[k]), float(roll[k])


def fit_room_camera(segments: np.ndarray, image_size: tuple[int, int]) -> RoomCamera | None:
    """The camera rotation that best explains the room's line segments (x0, y0, x1, y1 rows); None with too few.

    The focal length is the phone's usual (FOCAL_PER_LONG_SIDE) unless a fit at another focal in FOCAL_SEARCH_PER_LONG_SIDE
    is trusted and leaves at most FOCAL_SWITCH_COST_RATIO of its line cost (whether or not the usual focal's fit is trusted):
    a wide lens pitched up makes the uprights lean and a 0.65 focal explains the lean with a roll (random_v3 r011: +3.4 deg
    for 0 at a 0.45 lens) or with a turn past the trusted range.
    """
    w, h = image_size
    seg = np.asarray(segments, float).reshape(-1, 4)
    lengths = np.linalg.norm(seg[:, 2:] - seg[:, :2], axis=1)
    diag = float(np.hypot(w, h))
    keep = lengths >= MIN_SEGMENT_FRACTION * diag
    seg, lengths = seg[keep], lengths[keep]
    if seg.shape[0] < 4:
        return None
    usual = _fit_at_focal(seg, lengths, FOCAL_PER_LONG_SIDE * max(w, h), image_size)
    others = (f for f in FOCAL_SEARCH_PER_LONG_SIDE if not np.isclose(f, FOCAL_PER_LONG_SIDE))  # the usual one is fitted above
    fits = [usual] + [_fit_at_focal(seg, lengths, f * max(w, h), image_size) for f in others]
    plausible = [(cam, cost) for cam, cost in fits if cam.trusted]
    if not plausible:
        return usual[0]
    best = min(plausible, key=lambda fit: fit[1])
    # Searched even when the usual focal's fit is not trusted: a phone low down, pitched up with a wide lens makes the 0.65
    # fit turn the camera past MAX_TRUSTED_YAW_DEG (s16cam c1: 33 deg for a true 20 at a 0.40 lens, exact at 0.40).
    chosen = best if best[1] <= FOCAL_SWITCH_COST_RATIO * usual[1] else usual
    if not chosen[0].trusted:
        return usual[0]
    floor = min(cost for _, cost in plausible)
    near = [cam.roll_deg for cam, cost in plausible if cost <= FOCAL_SPREAD_COST_RATIO * floor]
    spread = 0.5 * max(abs(r - chosen[0].roll_deg) for r in near)
    return replace(chosen[0], roll_focal_spread_deg=round(spread, 3))


def _fit_at_focal(seg: np.ndarray, lengths: np.ndarray, focal: float, image_size: tuple[int, int]) -> tuple[RoomCamera, float]:
    """The room fit at one focal length (px) and its truncated line cost (length-weighted squared deg, per diagonal)."""
    w, h = image_size
    diag = float(np.hypot(w, h))
    centre = ((w - 1) / 2.0, (h - 1) / 2.0)
    # Coarse to fine; the error cap shrinks with the step so the true pose never falls between grid points.
    pose = _search(seg, lengths, focal, centre, (0.0, 0.0, 0.0), (YAW_RANGE_DEG, PITCH_RANGE_DEG, ROLL_RANGE_DEG), 2.0, 3.0)
    for step, span, cap in ((0.5, 2.0, 1.5), (0.125, 0.5, INLIER_DEG)):
        pose = _search(seg, lengths, focal, centre, pose, (span, span, span), step, cap)
    rot = rotation(*(np.array(v) for v in pose))
    err = segment_errors_deg(seg, vanishing_points(rot, focal, centre))
    owner, inlier = np.argmin(err, axis=0), np.min(err, axis=0) < INLIER_DEG
    forward, along, up = (float(lengths[inlier & (owner == j)].sum() / diag) for j in range(3))
    vertical = rot[:2, 2]  # the room's up at the image centre
    roll = float(np.degrees(np.arctan2(vertical[0], -vertical[1])))
    distinct = distinct_line_count(seg[inlier], DISTINCT_LINE_PX * diag)
    cost = float(np.sum(lengths * np.minimum(np.min(err, axis=0), INLIER_DEG) ** 2)) / diag
    uprights = inlier & (owner == 2)
    offset = (float(np.average(np.abs(0.5 * (seg[uprights, 0] + seg[uprights, 2]) - centre[0]), weights=lengths[uprights]))
              if uprights.any() else float("nan"))
    return RoomCamera(rot, focal, centre, pose[0], pose[1], roll, (forward, along, up), distinct, upright_offset_px=offset), cost


def distinct_line_count(segments: np.ndarray, near_px: float) -> int:
    """How many distinct straight lines the segments lie on: one within near_px and DISTINCT_LINE_DEG of a longer one
    (an edge found twice, a line broken by the person) is that line again."""
    seg = np.asarray(segments, float).reshape(-1, 4)
    d = seg[:, 2:] - seg[:, :2]
    length = np.linalg.norm(d, axis=1)
    lines: list[tuple[np.ndarray, np.ndarray]] = []  # (a point on it, its unit normal)
    for i in np.argsort(-length):
        if length[i] <= 0:
            continue
        u, mid = d[i] / length[i], 0.5 * (seg[i, :2] + seg[i, 2:])
        if not any(abs((mid - p) @ n) < near_px and abs(u @ n) < np.sin(np.radians(DISTINCT_LINE_DEG)) for p, n in lines):
            lines.append((mid, np.array([-u[1], u[0]])))
    return len(lines)


def person_spans(series: PoseSeries, pad_px: float, first_frames: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per image row, the x range the person covers at any time (mask profiles, else the landmarks' box), or over the
    first `first_frames` frames when they show the person (the whole clip when they do not)."""
    if first_frames is not None and first_frames < series.n_frames:
        early = person_spans(_first(series, first_frames), pad_px)
        if np.isfinite(early[1]).any():
            return early
    if series.mask_left_x is not None and series.mask_right_x is not None and series.mask_rows_y is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # rows the person never reaches: all NaN
            lo = np.nanmin(series.mask_left_x, axis=0) - pad_px
            hi = np.nanmax(series.mask_right_x, axis=0) + pad_px
        return np.asarray(series.mask_rows_y, float), lo, hi
    rows = np.arange(0.0, float(series.height), 2.0)
    xy = series.image_xy.reshape(-1, 2)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if xy.size == 0:
        return rows, np.full(rows.size, np.nan), np.full(rows.size, np.nan)
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    pad = pad_px + 0.1 * (y1 - y0)  # landmarks are joint centres: the body reaches beyond them
    inside = (rows >= y0 - pad) & (rows <= y1 + pad)
    return rows, np.where(inside, x0 - pad, np.nan), np.where(inside, x1 + pad, np.nan)


def _first(series: PoseSeries, n: int) -> PoseSeries:
    """The series' first n frames."""
    cut = {f: getattr(series, f)[:n] for f in ("times_s", "image_xy", "visibility", "world_xyz", "people", "mask_left_x",
                                               "mask_right_x", "mask_bottom_y") if getattr(series, f) is not None}
    return replace(series, **cut)


def off_person(segments: np.ndarray, spans: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """Which segments are the room's: their midpoint outside the person's silhouette in every frame."""
    rows, lo, hi = spans
    seg = np.asarray(segments, float).reshape(-1, 4)
    if rows.size == 0:
        return np.ones(seg.shape[0], bool)
    mid = 0.5 * (seg[:, :2] + seg[:, 2:])
    k = np.clip(np.searchsorted(rows, mid[:, 1]), 0, rows.size - 1)
    return ~((mid[:, 0] >= lo[k]) & (mid[:, 0] <= hi[k]))  # NaN spans (rows without the person) compare False


def room_segments(gray: np.ndarray) -> np.ndarray:
    """Straight line segments (x0, y0, x1, y1) of one grey frame (OpenCV's LSD detector)."""
    found = cv2.createLineSegmentDetector().detect(np.ascontiguousarray(gray))[0]
    return np.zeros((0, 4)) if found is None else found.reshape(-1, 4).astype(float)


LEVEL_TOLERANCE_DEG = 8.0  # a segment within this of the image's horizontal may be a level room line
LEVEL_CLIP_STEP_PX = 3.0
MIN_LEVEL_SUPPORT = 0.3  # of the image width: the level lines (back wall's base, its top) that alone set the roll
# Level lines that disagree by more than this give no roll: the length-weighted 75th percentile of their slopes' distance
# from the slope their row predicts (`level_roll_and_spread`), so that a long line apart counts and a short stray one (a
# shadow's edge) does not. Session 11 (/work/renders/random_v1): an RMS gate also refused a rolled plain-backdrop render
# whose one 47 px stray line lifted the RMS to 2.2.
MAX_LEVEL_SPREAD_DEG = 2.0
# A camera turned towards the wall makes the level lines converge: their slope changes linearly with their row, and only
# the line at the horizon's row slopes by the roll itself (the back wall's base, below it, slopes by yaw x its drop).
# Session 12, the 23 clips of /work/renders/random_v1 + roll_pairs p01-p04 whose level lines span rows and agree: the
# slope read at the true horizon's row was off by 0.17 deg on average (90 % within 0.3, worst 1.1); the horizon's row is
# not known without a trusted fit, so it is read at the picture's centre row (mean 0.26, worst 1.1: off by the change
# per row times the horizon's distance f tan(pitch)); session 11's median slope, averaged with an upright line, was off
# by up to 1.4 (r078, r014, r045). The lines must span this share of the height to show the change; below it the lone
# row's slope is taken (median) with the turn's unknown share as its doubt.
MIN_LEVEL_ROW_SPAN = 0.15
LEVEL_OUTLIER_DEG = 2.5  # a level line this far from the slope its row predicts is not one of the family
# A family spanning rows reads the roll between its ends, so each end must be the room's lines: in each half of its rows,
# the lines that agree with it must be most of the level lines there (a majority, not fitted). random_v10 r013 (plain
# backdrop, roll 0, turned -4): the backdrop's top edge (row 22 of 360, sloping +1.7 by perspective alone) and two 24-29 px
# streaks of the carpet 250 rows lower (+7.6, +7.8; two more streaks there +3.6, +1.0; the backdrop's base has no contrast)
# read a turned camera's family, roll +5.3 at +-2.2, and the shin 5.5 deg high outside its interval. Over the 243 families
# spanning rows on the open render sets (s23roll, docs/validation.md), an end's agreeing share was 0.44 there and 0.57 or
# more everywhere else (both of those fit split, read right).
MIN_LEVEL_END_SHARE = 0.5
# The camera's pitch and turn as a hand-held phone sets them, for the doubt of the roll read at the centre row: the RMS
# of the randomised renders' true pitch and yaw, fit split (/work/renders/random_v1, n = 50: 6.2 and 6.5 deg).
PITCH_SIGMA_DEG = 6.2
YAW_SIGMA_DEG = 6.5
LEVEL_AGREEMENT_Z = 1.96  # a room-line fit and the level lines agree within the level lines' 95 % doubt (roll_disagreement_deg)
NOSE_HIGH_PERCENTILE = 90  # the nose at its highest over the clip, a stray landmark aside (above_the_eyes; not fitted)


def clip_off_person(segments: np.ndarray, spans: tuple[np.ndarray, np.ndarray, np.ndarray], min_px: float) -> np.ndarray:
    """The parts of each segment outside the person's silhouette (any frame), as segments at least min_px long."""
    rows, lo, hi = spans
    out = []
    for x0, y0, x1, y1 in np.asarray(segments, float).reshape(-1, 4):
        n = max(2, int(np.hypot(x1 - x0, y1 - y0) / LEVEL_CLIP_STEP_PX) + 1)
        t = np.linspace(0.0, 1.0, n)
        px, py = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        k = np.clip(np.searchsorted(rows, py), 0, max(rows.size - 1, 0)) if rows.size else np.zeros(n, int)
        on = (px >= lo[k]) & (px <= hi[k]) if rows.size else np.zeros(n, bool)
        free = ~on
        i = 0
        while i < n:
            if not free[i]:
                i += 1
                continue
            j = i
            while j + 1 < n and free[j + 1]:
                j += 1
            if np.hypot(px[j] - px[i], py[j] - py[i]) >= min_px:
                out.append([px[i], py[i], px[j], py[j]])
            i = j + 1
    return np.array(out, float).reshape(-1, 4)


def _level_slopes(seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's length (px) and its slope from level (deg; + runs down to the right)."""
    d = seg[:, 2:] - seg[:, :2]
    return np.hypot(d[:, 0], d[:, 1]), np.degrees(np.arctan2(np.where(d[:, 0] < 0, -d[:, 1], d[:, 1]), np.abs(d[:, 0])))


def level_lines(segments: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The near-level segments' lengths (px), slopes from level (deg; + runs down to the right) and mid rows (px)."""
    seg = np.asarray(segments, float).reshape(-1, 4)
    length, slope = _level_slopes(seg)
    use = (np.abs(slope) <= LEVEL_TOLERANCE_DEG) & (length > 0)
    return length[use], slope[use], 0.5 * (seg[use, 1] + seg[use, 3])


def level_roll_and_spread(segments: np.ndarray, image_size: tuple[int, int]) -> tuple[float, float] | None:
    """Camera roll from the room's level lines (the back wall's base and top) and its doubt (1-sigma, deg), or None when
    they are too few or disagree too much to trust.

    The fallback when the three-direction fit has too few lines (a plain backdrop). Level lines at one depth converge
    on their vanishing point: a camera turned towards the wall makes their slope change linearly with the row, and the
    roll is the slope at the horizon's row, taken as the centre row (`MIN_LEVEL_ROW_SPAN`); a family whose one end is not
    the room's lines (`MIN_LEVEL_END_SHARE`: a carpet's streaks) is read from its other end alone. Upright lines are not used:
    near the picture's centre a line running away from the camera (the wall's top edge) looks upright too, and under a
    pitched camera true uprights lean by their place; both vetoed a right roll (session 11, roll pair 1).
    """
    w, h = image_size
    length, slope, row = level_lines(segments)
    if length.sum() < MIN_LEVEL_SUPPORT * w:
        return None
    focal = FOCAL_PER_LONG_SIDE * max(w, h)
    drop = row - (h - 1) / 2.0
    max_per_row = float(np.degrees(np.tan(np.radians(MAX_TRUSTED_YAW_DEG)))) / focal  # deg/px: a turn the fit would not trust
    roll, per_row = _level_family(length, slope, drop, MIN_LEVEL_ROW_SPAN * h, max_per_row)
    held = _held_ends(length, np.abs(slope - roll - per_row * drop), drop) if per_row != 0.0 else None
    if held is not None and not held.all():  # one end is texture: the roll from the rest (both ends: no roll)
        length, slope, drop = length[held], slope[held], drop[held]
        if not held.any() or length.sum() < MIN_LEVEL_SUPPORT * w:
            return None
        roll, per_row = _level_family(length, slope, drop, MIN_LEVEL_ROW_SPAN * h, max_per_row)
    if per_row != 0.0:
        horizon_doubt = abs(per_row) * focal * np.tan(np.radians(PITCH_SIGMA_DEG))  # deg: the horizon's row unknown
    else:  # one row: its slope holds the turn's share, its drop below the horizon over the vanishing point's distance
        lone_drop = float(np.hypot(_weighted_median(drop, length), focal * np.tan(np.radians(PITCH_SIGMA_DEG))))
        horizon_doubt = float(np.degrees(lone_drop / focal * np.tan(np.radians(YAW_SIGMA_DEG))))
    resid = np.abs(slope - roll - per_row * drop)
    if _weighted_quantile(resid, length, 0.75) > MAX_LEVEL_SPREAD_DEG:
        return None
    spread = float(np.sqrt(np.average(resid**2, weights=length)))
    return float(roll), float(np.hypot(spread, horizon_doubt))


def _held_ends(length: np.ndarray, resid: np.ndarray, drop: np.ndarray) -> np.ndarray:
    """Which level lines to keep: all, unless in one half of the family's rows the lines agreeing with it (resid below
    LEVEL_OUTLIER_DEG) are less than MIN_LEVEL_END_SHARE of the level lines' length there; that half's lines go."""
    family = resid < LEVEL_OUTLIER_DEG
    if not family.any():
        return np.ones(length.size, bool)
    middle = 0.5 * (float(drop[family].min()) + float(drop[family].max()))
    keep = np.ones(length.size, bool)
    for half in (drop < middle, drop >= middle):
        if length[half & family].sum() < MIN_LEVEL_END_SHARE * length[half].sum():
            keep &= ~half
    return keep


def _level_family(
    length: np.ndarray, slope: np.ndarray, drop: np.ndarray, min_rows_apart: float, max_per_row: float
) -> tuple[float, float]:
    """The level lines' slope at the centre row (deg) and its change per row (deg/px; 0 when they lie in one row).

    Started from the line the others agree with best (truncated squares: a stray line costs a constant) among the
    median slope and the lines through each pair of long lines at least min_rows_apart, then least squares on the lines
    near it, while those span the rows.
    """

    def cost(at_centre: float, per_row: float) -> float:
        return float(np.sum(length * np.minimum(np.abs(slope - at_centre - per_row * drop), LEVEL_OUTLIER_DEG) ** 2))

    best = (_weighted_median(slope, length), 0.0)
    longest = np.argsort(-length)[:8]
    for i in longest:
        for j in longest:
            if drop[j] - drop[i] < min_rows_apart:
                continue
            per_row = (slope[j] - slope[i]) / (drop[j] - drop[i])
            if abs(per_row) <= max_per_row and cost(slope[i] - per_row * drop[i], per_row) < cost(*best):
                best = (slope[i] - per_row * drop[i], per_row)
    at_centre, per_row = best
    for _ in range(3):
        near = np.abs(slope - at_centre - per_row * drop) < LEVEL_OUTLIER_DEG
        rows = drop[near]
        one_row = np.count_nonzero(near) < 2 or (
            _weighted_quantile(rows, length[near], 0.9) - _weighted_quantile(rows, length[near], 0.1) < min_rows_apart)
        if one_row:
            return (float(_weighted_median(slope[near], length[near])) if near.any() else float(best[0])), 0.0
        a = np.column_stack([np.ones(rows.size), rows]) * np.sqrt(length[near])[:, None]
        at_centre, per_row = (float(v) for v in np.linalg.lstsq(a, slope[near] * np.sqrt(length[near]), rcond=None)[0])
    if abs(per_row) > max_per_row:
        return float(best[0]), float(best[1])
    return at_centre, per_row


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value below which half the weight lies."""
    return _weighted_quantile(values, weights, 0.5)


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The value below which the share q of the weight lies."""
    order = np.argsort(values)
    c = np.cumsum(weights[order])
    return float(values[order][int(np.searchsorted(c, q * c[-1]))])


class RoomView:
    """Keeps the first decoded frame, in grey, for the room-line fit (taps the pose model's frame stream)."""

    def __init__(self, out_size: tuple[int, int]) -> None:
        self.out_size = out_size
        self.gray: np.ndarray | None = None
        self.scale = 1.0  # output pixels per frame pixel

    def tap(self, frames: Iterable[Frame]) -> Iterator[Frame]:
        """Pass frames through unchanged, keeping the first."""
        for frame in frames:
            self.observe(frame)
            yield frame

    def observe(self, frame: Frame) -> None:
        """Keep this frame when it is the first (live mode hands frames one by one)."""
        if self.gray is None:
            self.gray = cv2.cvtColor(np.ascontiguousarray(frame.rgb), cv2.COLOR_RGB2GRAY)
            self.scale = self.out_size[0] / frame.rgb.shape[1]

    def camera(self, series: PoseSeries) -> RoomCamera | None:
        """The camera from the kept frame's lines off the person, in output pixels (None without a frame or lines)."""
        if self.gray is None:
            return None
        segments = room_segments(self.gray) * self.scale
        diag = float(np.hypot(*self.out_size))
        segments = segments[off_person(segments, person_spans(series, PERSON_PAD * diag, ROOM_PERSON_FRAMES))]
        return fit_room_camera(segments, self.out_size)

    def level_roll(self, series: PoseSeries) -> tuple[float, float] | None:
        """The roll from the kept frame's level (and upright) lines off the person and the level lines' spread about
        it (deg), or None."""
        if self.gray is None:
            return None
        diag = float(np.hypot(*self.out_size))
        segments = clip_off_person(room_segments(self.gray) * self.scale, person_spans(series, PERSON_PAD * diag, ROOM_PERSON_FRAMES),
                                   MIN_SEGMENT_FRACTION * diag)
        return level_roll_and_spread(segments, self.out_size)

def room_geometry(
    geometry: CameraGeometry, camera: RoomCamera | None, image_size: tuple[int, int], level_roll: tuple[float, float] | None = None,
    nose_px: np.ndarray | None = None,
) -> CameraGeometry:
    """The camera's vertical and leg plane from the room's lines, when the fit is trusted and nothing better was found.

    Without a trusted fit, the roll alone from the room's level lines (`level_roll_and_spread`), when they are clear. A
    trusted fit the level lines contradict (`roll_disagreement_deg`) has its picture turned halfway to their roll, unless
    it stands on FEW_ROOM_LINES or fewer (`few_lines_contradicted`): then the level lines alone give the roll. A fit
    whose pitch its uprights pin no better than a hand-set phone's spread (`pitch_from_uprights_doubt_deg` beyond
    PITCH_SIGMA_DEG) gives a leg plane the angles are read in, but not trusted: each interval reaches the reading without it
    (`leg_plane_unsure`, protocol.interval.rep_ci95_deg). A fit that puts the camera above the person's eyes
    (`above_the_eyes`, `nose_px`: the nose landmark per frame) is not the camera filming this test: left out like an
    untrusted one.
    """
    if geometry.vertical_source == VerticalSource.MARKER_ON_WALL:
        if not sure_over_wall_marker(camera, level_roll, nose_px):
            return geometry
        assert camera is not None  # sure_over_wall_marker: a trusted fit
        geometry = replace(geometry, vertical_source=VerticalSource.IMAGE, leg_plane_homography=None)
    if geometry.vertical_source != VerticalSource.IMAGE:
        return geometry
    gap = roll_disagreement_deg(camera, level_roll) if camera is not None and camera.trusted else 0.0
    if camera is None or not camera.trusted or few_lines_contradicted(camera, gap) or above_the_eyes(camera, nose_px):
        if level_roll is None:
            return geometry
        return replace(geometry, roll_deg=round(level_roll[0], 2), vertical_source=VerticalSource.ROOM_LEVEL_LINES,
                       roll_spread_deg=round(level_roll[1], 2), roll_disagreement_deg=round(gap, 2))
    w, h = image_size
    turn = -0.5 * gap  # halfway to the level lines' roll (roll_disagreement_deg)
    homography = turned_image(camera.leg_plane_homography(np.array([w / 2.0, h / 2.0])), turn, camera.centre_px)
    return replace(
        geometry, roll_deg=round(camera.roll_deg + turn, 2), vertical_source=VerticalSource.ROOM_LINES,
        leg_plane_homography=tuple(round(float(v), 9) for v in homography.ravel()),
        yaw_deg=round(camera.yaw_deg, 2), pitch_deg=round(camera.pitch_deg, 2), roll_spread_deg=round(camera.roll_focal_spread_deg, 2),
        room_rotation=tuple(round(float(v), 9) for v in camera.rotation.ravel()), focal_px=round(camera.focal_px, 3),
        roll_disagreement_deg=round(gap, 2), leg_plane_unsure=camera.pitch_from_uprights_doubt_deg > PITCH_SIGMA_DEG,
    )


def sure_over_wall_marker(camera: RoomCamera | None, level_roll: tuple[float, float] | None, nose_px: np.ndarray | None) -> bool:
    """A trusted room fit with nothing against it (the level lines agree with its roll, its uprights pin its pitch, its
    horizon lies below the person's eyes) gives the vertical and the leg plane in place of a marker on the wall.

    The wall marker is seen nearly edge-on, well off the picture's centre, and its pose (scene.marker_plane) rests on the
    guessed FOCAL_FOR_CAMERA_POSE: where the lens is wider, its up direction turns with the ray to the marker and the
    vertical at the ankle leans off (session 29: random_v17 r015 and r003, random_v16 r005, vertical part +1.2..+1.7 deg
    at true lenses 0.45-0.47; about 0 at the true focal). The room fit searches its focal among the room's many lines
    (v17 r015: 608 px for the true 601.5, its pitch and roll within 0.2 deg). No constant: every condition is the room
    fit's own test of itself, as room_geometry applies them."""
    if camera is None or not camera.trusted:
        return False
    if roll_disagreement_deg(camera, level_roll) != 0.0 or above_the_eyes(camera, nose_px):
        return False
    return camera.pitch_from_uprights_doubt_deg <= PITCH_SIGMA_DEG


def turned_image(homography: np.ndarray, roll_deg: float, centre_px: tuple[float, float]) -> np.ndarray:
    """The leg plane's homography with its image turned about centre_px so its vertical leans roll_deg more (+ clockwise,
    the sign of RoomCamera.roll_deg): the same plane under a camera rolled that much further."""
    if roll_deg == 0.0:
        return homography
    a = np.radians(roll_deg)
    c, s = np.cos(a), np.sin(a)
    cx, cy = centre_px
    turn = np.array([[c, -s, cx - c * cx + s * cy], [s, c, cy - s * cx - c * cy], [0.0, 0.0, 1.0]])
    out = turn @ homography
    return out / out[2, 2]


def above_the_eyes(camera: RoomCamera, nose_px: np.ndarray | None) -> bool:
    """The fit puts the person's nose below its horizon (lower than the camera) even at its highest in the clip (the
    NOSE_HIGH_PERCENTILE of the frames): a camera above the eyes, looking down, which is not how this test is filmed.

    The knee-to-wall test is filmed from beside the lower leg, the phone on the floor, a chair or a tripod: below the
    eyes (the renders' cameras 0.45-1.2 m; the open sets' trusted fits put the nose 0.11-0.34 of its ray above the
    horizon, the real clips' 0.12-0.14). A fit that does not is resting on lines that are not the room's: random_v17 r017
    (plain backdrop, a wood floor, the person's shadow on the wall taken for the uprights and the backdrop's top edge
    for a line along the wall) read pitch +19.6 for -2.0, the nose 0.13 below the horizon, and its reps 2.9-3.0 deg low;
    the level lines agreed with its roll. No constant: the horizon is where points at the camera's height lie."""
    if nose_px is None:
        return False
    nose = np.asarray(nose_px, float).reshape(-1, 2)
    nose = nose[np.isfinite(nose).all(axis=1)]
    if nose.size == 0:
        return False
    cx, cy = camera.centre_px
    rays = np.column_stack([(nose[:, 0] - cx) / camera.focal_px, (nose[:, 1] - cy) / camera.focal_px, np.ones(len(nose))])
    rise = (rays @ camera.rotation[:, 2]) / np.linalg.norm(rays, axis=1)  # the ray's share along the room's up
    return bool(np.percentile(rise, NOSE_HIGH_PERCENTILE) < 0.0)


def few_lines_contradicted(camera: RoomCamera, disagreement_deg: float) -> bool:
    """A trusted fit on FEW_ROOM_LINES distinct lines or fewer whose roll the level lines contradict: left out.

    A plain backdrop gives the fit its base and top, its corner with the wall and the floor's edge along the wall, and
    four to six lines fit a wrong pose as well as the right one (roll pair p05's rolled twin: roll +2.5 for -4.0, pitch
    -9.4 for +3.7, on 4 lines; the level lines -4.3). Its level lines are those same level lines and more: where the two
    disagree they were the nearer on every such clip of the open sets (kinematics.fitted.FEW_ROOM_LINES), so the level
    lines alone give the roll, and the camera's turn is left unknown (protocol.unknown_camera widens the intervals)."""
    return disagreement_deg != 0.0 and camera.distinct_lines <= FEW_ROOM_LINES


def roll_disagreement_deg(camera: RoomCamera, level_roll: tuple[float, float] | None) -> float:
    """The trusted fit's roll minus the level lines' when they differ by more than the level lines' 95 % doubt (with the
    fit's focal spread), else 0: two readings of one roll from one frame that cannot both hold.

    A trusted fit is usually right to 0.4 deg (p90, 117 open renders, session 19) and the level lines to 1.1, but either
    can rest on lines that are not the room's: random_v6 r018's fit took the person's shadow on the wall for the uprights
    (roll -2.8 for +3.1, level lines +3.5; the same on four other bodies in its light, /work/renders/s21worst_shadow),
    random_v3 r018's level lines were 4 deg off (fit right). Which one is wrong the frame does not say, so room_geometry
    reads the angles halfway between the two rolls (whichever is right, the number is off by half the gap, not all of
    it) and the interval reaches beyond both (interval.vertical_sigma_deg).
    """
    if level_roll is None or not np.isfinite(level_roll[0]):
        return 0.0
    gap = camera.roll_deg - level_roll[0]
    doubt = LEVEL_AGREEMENT_Z * float(np.hypot(level_roll[1], camera.roll_focal_spread_deg))
    return float(gap) if abs(gap) > doubt else 0.0
