"""The shank's angle as the turn of its mid-shin outline about the planted ankle.

A straight line fitted to the shin's front edge (ankle_cv.kinematics.shank) leans with the skin: at depth the skin
creases in front of the ankle and drops back below the knee, by amounts that differ from body to body
(±2-6 deg per rep on the renders). The middle of the shin keeps its shape standing and at the peak, but
its own slope over so short a stretch is noisy. With the heel down the ankle joint does not move, so
the shank is a rigid body turning about a known point: the mid-shin outline seen standing, turned about
the ankle until it lies on a frame's outline, gives that frame's angle with the whole ankle-to-mid-shin
lever (about half the shank) instead of the stretch's slope.

The pivot is the ankle joint centre. MediaPipe's ankle point sits above it, and the joint lies at a
steady height above the sole's floor contact and a steady share of the foot ahead of the heel's back;
the two estimates are averaged. Along the shank the pivot matters most: 1 % of the shank length is about
0.7 deg at 40 deg of inclination. A shoe's sole lifts the joint above where both estimates put it; the stance's
own edge line, which needs no pivot, says how far (pivot_low_shanks), and the turn is read again about the pivot moved
by the part of that reading the randomised renders trust.
"""

from __future__ import annotations

import numpy as np

from ankle_cv.kinematics.fitted import (  # fitted: see fitted.py
    LANDMARK_ANKLE_HIGH,
    PIVOT_ABOVE_FLOOR,
    PIVOT_AHEAD_OF_HEEL,
    PIVOT_FROM_EDGE_SHARE,
    PIVOT_READING_DEADBAND_SHANKS,
    ROTATION_BAND,
    TURN_EDGE_TOL_DEG,
    TURN_GAIN,
)
from ankle_cv.kinematics.shank import bridge_and_smooth
from ankle_cv.scene.camera_geometry import forward_of, tilt_deg, up_axis

PROFILE_BINS = 24
SEARCH_DEG = 15.0  # around the edge-line estimate
COARSE_STEP_DEG = 0.5
FINE_STEP_DEG = 0.05
MIN_COVERAGE = 0.6  # share of the band's rows the outline must cover in a frame
MIN_REST_FRAMES = 5
OUTLIER_SHARE = 0.03  # residuals beyond this share of the shank count as a constant (mask glitches)
MIN_PIVOT_FRAMES = 20  # frames where the turn and the edge line agree, to read the pivot's error from them
MIN_PIVOT_TURN_SIN = 0.2  # the stance must turn at least ~12 deg from standing for that


def _axes(up: np.ndarray | None, facing: int) -> tuple[np.ndarray, np.ndarray]:
    """True up and forward (towards the wall) as image unit vectors."""
    up_v = up_axis(up)
    return up_v, forward_of(up_v, facing)


def ankle_pivot(
    landmark_ankle: np.ndarray,
    length_px: float,
    facing: int,
    up: np.ndarray | None = None,
    heel_back: np.ndarray | None = None,
    sole_px: float = float("nan"),
) -> np.ndarray:
    """The ankle joint centre at rest: the landmark's and the silhouette's estimates averaged (landmark alone without a sole)."""
    up_v, fwd = _axes(up, facing)
    from_landmark = np.asarray(landmark_ankle, float) - LANDMARK_ANKLE_HIGH * length_px * up_v
    if heel_back is None or not (np.all(np.isfinite(heel_back)) and np.isfinite(sole_px)):
        return from_landmark
    from_sole = np.asarray(heel_back, float) + PIVOT_AHEAD_OF_HEEL * sole_px * fwd + PIVOT_ABOVE_FLOOR * length_px * up_v
    return 0.5 * (from_landmark + from_sole)


def pivot_low_shanks(edge_deg: np.ndarray, turned_deg: np.ndarray, standing_deg: float) -> float:
    """How far below the ankle joint the turn's pivot sits (shank lengths; NaN if the stance cannot tell), from the
    edge line, which needs no pivot: a pivot d too low makes the turn read short by about d / (the band's middle)
    x sin(turn) radians (a shoe's sole lifts the joint above where a bare foot's would be)."""
    edge, turned = np.asarray(edge_deg, float), np.asarray(turned_deg, float)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(edge) & np.isfinite(turned) & (np.abs(edge - turned) <= TURN_EDGE_TOL_DEG)
    if ok.sum() < MIN_PIVOT_FRAMES or not np.isfinite(standing_deg):
        return float("nan")
    x = np.sin(np.radians(turned[ok] - standing_deg))
    if np.ptp(x) < MIN_PIVOT_TURN_SIN:
        return float("nan")
    slope = np.polyfit(x, np.radians(edge[ok] - turned[ok]), 1)[0]
    return float(slope * 0.5 * (ROTATION_BAND[0] + ROTATION_BAND[1]))


def raised_pivot(pivot: np.ndarray, low_shanks: float, length_px: float, up: np.ndarray | None = None) -> np.ndarray:
    """The pivot moved up by the share of the stance's own pivot error that the fit split trusts (PIVOT_FROM_EDGE_SHARE),
    beyond the reading's own scatter on bare feet (PIVOT_READING_DEADBAND_SHANKS); down as far if it reads high."""
    if not np.isfinite(low_shanks):
        return np.asarray(pivot, float)
    beyond = float(np.sign(low_shanks)) * max(abs(low_shanks) - PIVOT_READING_DEADBAND_SHANKS, 0.0)
    return np.asarray(pivot, float) + PIVOT_FROM_EDGE_SHARE * beyond * length_px * up_axis(up)


def _shank_frame(points: np.ndarray, pivot: np.ndarray, deg: np.ndarray, up_v: np.ndarray, fwd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance along the shank from the pivot and ahead of its axis, per angle (rows) and point (columns)."""
    d = points - pivot
    du, df = d @ up_v, d @ fwd
    c, s = np.cos(np.radians(deg))[:, None], np.sin(np.radians(deg))[:, None]
    return c * du + s * df, c * df - s * du


def _outline(edge_x: np.ndarray, rows_y: np.ndarray, pivot: np.ndarray, length_px: float) -> np.ndarray:
    """The frame's front-edge points on the rows the shank can occupy."""
    near = np.isfinite(edge_x) & (rows_y > pivot[1] - 1.1 * length_px) & (rows_y < pivot[1])
    return np.stack([edge_x[near], rows_y[near]], axis=1)


def reference_profile(
    edge_x: np.ndarray,
    rows_y: np.ndarray,
    pivot: np.ndarray,
    rest_deg: np.ndarray,
    length_px: float,
    facing: int,
    up: np.ndarray | None = None,
) -> np.ndarray | None:
    """The mid-shin outline's distance ahead of the axis per band bin, median over the rest frames given."""
    up_v, fwd = _axes(up, facing)
    bins = np.linspace(ROTATION_BAND[0], ROTATION_BAND[1], PROFILE_BINS + 1) * length_px
    ahead = np.full((len(rest_deg), PROFILE_BINS), np.nan)
    for i, (row, deg) in enumerate(zip(edge_x, rest_deg)):
        pts = _outline(row, rows_y, pivot, length_px)
        if not np.isfinite(deg) or len(pts) == 0:
            continue
        along, h = _shank_frame(pts, pivot, np.array([deg]), up_v, fwd)
        which = np.digitize(along[0], bins) - 1
        for b in np.unique(which[(which >= 0) & (which < PROFILE_BINS)]):
            ahead[i, b] = np.median(h[0][which == b])
    if np.isfinite(ahead).any(axis=1).sum() < MIN_REST_FRAMES:
        return None
    profile = np.nanmedian(ahead, axis=0)
    return profile if np.isfinite(profile).mean() >= MIN_COVERAGE else None


def outline_ahead_shanks(profile: np.ndarray | None, length_px: float) -> float:
    """The rest outline's median distance ahead of the shank axis over the band, in shank lengths (NaN without one):
    skin lies close in front of the tibia, loose fabric farther (kinematics.estimator_choice.with_fabric_doubt)."""
    if profile is None or not np.isfinite(profile).any() or not np.isfinite(length_px) or length_px <= 0:
        return float("nan")
    return float(np.nanmedian(profile)) / length_px


def _mismatch(pts: np.ndarray, pivot: np.ndarray, deg: np.ndarray, profile: np.ndarray, length_px: float, up_v: np.ndarray, fwd: np.ndarray, need: np.ndarray | float) -> np.ndarray:
    """Robust mean squared distance between the outline turned to each angle and the reference (inf: too little outline)."""
    centres = (ROTATION_BAND[0] + (np.arange(PROFILE_BINS) + 0.5) * (ROTATION_BAND[1] - ROTATION_BAND[0]) / PROFILE_BINS) * length_px
    known = np.isfinite(profile)
    along, h = _shank_frame(pts, pivot, deg, up_v, fwd)
    inside = (along >= centres[known][0]) & (along <= centres[known][-1])
    resid = h - np.interp(along, centres[known], profile[known])
    cap = (OUTLIER_SHARE * length_px) ** 2
    sq = np.where(inside, np.minimum(resid**2, cap), 0.0)
    count = inside.sum(axis=1)
    return np.where(count >= need, sq.sum(axis=1) / np.maximum(count, 1), np.inf)


def turned_angle_deg(
    edge_x: np.ndarray,
    rows_y: np.ndarray,
    pivot: np.ndarray,
    profile: np.ndarray,
    length_px: float,
    facing: int,
    guess_deg: float,
    up: np.ndarray | None = None,
) -> float:
    """The angle that turns the reference outline about the pivot onto this frame's outline (NaN if unreadable)."""
    if not np.isfinite(guess_deg):
        return float("nan")
    up_v, fwd = _axes(up, facing)
    pts = _outline(edge_x, rows_y, pivot, length_px)
    if len(pts) < 6:
        return float("nan")
    step = float(np.median(np.diff(rows_y))) if len(rows_y) > 1 else 1.0
    known = np.nonzero(np.isfinite(profile))[0]
    span = (known[-1] - known[0] + 1) / PROFILE_BINS * (ROTATION_BAND[1] - ROTATION_BAND[0]) * length_px
    coarse = guess_deg + np.arange(-SEARCH_DEG, SEARCH_DEG + 1e-9, COARSE_STEP_DEG)
    # The outline is sampled on image rows: a stretch crosses as many as its angle from the image's own columns says.
    need = MIN_COVERAGE * span * np.cos(np.radians(np.clip(coarse + facing * tilt_deg(up_v), -80, 80))) / step
    cost = _mismatch(pts, pivot, coarse, profile, length_px, up_v, fwd, need)
    if not np.isfinite(cost).any():
        return float("nan")
    best = coarse[int(np.argmin(cost))]
    fine = best + np.arange(-COARSE_STEP_DEG, COARSE_STEP_DEG + 1e-9, FINE_STEP_DEG)
    cost = _mismatch(pts, pivot, fine, profile, length_px, up_v, fwd, 0.0)
    return float(fine[int(np.argmin(cost))])


def turned_angles_deg(
    edge_x: np.ndarray,
    rows_y: np.ndarray,
    pivot: np.ndarray,
    guess_deg: np.ndarray,
    rest: np.ndarray,
    length_px: float,
    facing: int,
    fps: float,
    up: np.ndarray | None = None,
) -> np.ndarray:
    """Per-frame angle from the outline's turn about the pivot, referenced to the guess on the rest frames (NaN where unread)."""
    n = len(guess_deg)
    out = np.full(n, np.nan)
    if not (np.all(np.isfinite(pivot)) and np.isfinite(length_px)) or rest.sum() < MIN_REST_FRAMES:
        return out
    profile = reference_profile(edge_x[rest], rows_y, pivot, guess_deg[rest], length_px, facing, up)
    if profile is None:
        return out
    for i in range(n):
        out[i] = turned_angle_deg(edge_x[i], rows_y, pivot, profile, length_px, facing, guess_deg[i], up)
    standing = float(np.nanmedian(guess_deg[rest]))
    return bridge_and_smooth(standing + TURN_GAIN * (out - standing), fps)
