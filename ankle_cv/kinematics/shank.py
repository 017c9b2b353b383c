"""The shank's inclination from vertical, per frame, made robust where raw landmarks fail.

Near the wall MediaPipe's knee landmark slides backwards (10-20 deg under-read at the peak). The
front edge of the shin in the person's segmentation mask does not: the tibia is rigid, so the angle
between that edge and the joint-centre axis is constant for a person. It is calibrated on frames
where the landmarks are trustworthy (shin near vertical) and then carries the joint-centre angle
through the deep frames.

Edge points are chosen by their position along the guessed shank axis (30-80 % of its length), not
by image row, so the same stretch of the curved shin is fitted at every angle; the ankle's and
knee's skin deform with the joints, the mid-shank least. Short edge misses are bridged (a dropout
must not fall back to the landmark angle, which under-reads deep frames) and a 5-frame running
median removes single-frame mask glitches. In the analysis this line gives the standing angle;
through the lunge ankle_cv.kinematics.shank_rotation turns the mid-shin outline about the ankle instead (the
line's ends follow the skin folding at the knee and the ankle).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankle_cv.enums import AngleCode
from ankle_cv.kinematics.edge_support import row_step, support_share
from ankle_cv.kinematics.fitted import (  # fitted: see fitted.py
    CALIBRATION_TRUST_DEG,
    CALIBRATION_WEIGHT,
    EDGE_OFFSET_PER_DEG,
    EDGE_OFFSET_PRIOR_DEG,
    EDGE_SPAN,
    LANDMARK_SLIDE_MIN_DEG,
)
from ankle_cv.kinematics.signals import interpolate_gaps, odd_window, rolling_median
from ankle_cv.scene.camera_geometry import forward_of, tilt_deg, up_axis

CALIBRATION_RANGE_DEG = (0.0, 22.0)  # landmark angles trusted for calibrating the edge offset
MIN_CALIBRATION_FRAMES = 8
GAP_FILL_S = 1.0  # edge misses shorter than this are bridged, not handed to the (deep-angle-biased) landmarks
SMOOTH_FRAMES = 5  # running median over the edge angle, against single-frame mask glitches
ANKLE_STEADY_S = 1.0  # the ankle landmark's running median: it jitters frame to frame while the planted joint stays put
# Rest frames (the flat-foot, near-upright reference of heel, toe and outline readings): within the lowest quarter of
# the stance's excursion from its upright level (10th percentile) to its depth (95th), the excursion at least 1 deg.
REST_PERCENTILES = (10, 95)
REST_SHARE = 0.25
MIN_REST_EXCURSION_DEG = 1.0


def rest_frames(smooth_deg: np.ndarray) -> np.ndarray:
    """Frames near the stance's upright level (one rule for the analysis and the centimetres' fixed points)."""
    finite = np.isfinite(smooth_deg)
    if not finite.any():
        return finite
    lo, hi = np.nanpercentile(smooth_deg, REST_PERCENTILES)
    return finite & (smooth_deg <= lo + REST_SHARE * max(hi - lo, MIN_REST_EXCURSION_DEG))


def steadied_ankle(ankle: np.ndarray, fps: float) -> np.ndarray:
    """The planted ankle, steadied over about a second (its landmark jitters; the joint does not move)."""
    win = odd_window(fps, ANKLE_STEADY_S)
    return np.stack([rolling_median(ankle[:, 0], win), rolling_median(ankle[:, 1], win)], axis=1)


def typical_offset_deg(inclination_deg: float) -> float:
    """The population's edge-minus-axis angle at this shank inclination."""
    return EDGE_OFFSET_PRIOR_DEG + EDGE_OFFSET_PER_DEG * inclination_deg


def axis_from_edge_deg(edge_deg: np.ndarray | float, offset_at_vertical_deg: float) -> np.ndarray | float:
    """The joint-centre angle from the edge's: edge = axis + offset + EDGE_OFFSET_PER_DEG * axis."""
    return (edge_deg - offset_at_vertical_deg) / (1.0 + EDGE_OFFSET_PER_DEG)


def slide_free_own_deg(edge_raw_deg: np.ndarray, landmark_deg: np.ndarray, own_deg: float, typical_deg: float) -> float:
    """The person's own edge offset with the landmarks' slide left out: where the calibration frames' offset exceeds the one
    over their upright half by more than LANDMARK_SLIDE_MIN_DEG (the knee landmark slid back on the steeper frames), the
    upright half's, never below the population's (fitted.LANDMARK_SLIDE_MIN_DEG)."""
    upright = landmark_deg <= np.median(landmark_deg)
    own_upright = float(np.median(edge_raw_deg[upright] - landmark_deg[upright]))
    if own_deg > typical_deg and own_deg - own_upright > LANDMARK_SLIDE_MIN_DEG:
        return max(own_upright, typical_deg)
    return own_deg


def shrink_offset(calibrated_deg: float, typical_deg: float = EDGE_OFFSET_PRIOR_DEG) -> float:
    """Shrink the noisy per-person edge offset towards the population value (continuous, robust to clothing)."""
    d = calibrated_deg - typical_deg
    a, t, w = abs(d), CALIBRATION_TRUST_DEG, CALIBRATION_WEIGHT
    if a <= t:
        moved = w * a
    elif a <= 2 * t:
        moved = w * t + (a - t) * (2 * t - w * t) / t
    else:
        moved = a
    return typical_deg + float(np.sign(d)) * moved


@dataclass(frozen=True)
class ShankAngles:
    """Per-frame shank inclination estimates (degrees, + = knee towards the wall)."""

    landmark_deg: np.ndarray  # raw knee-ankle landmark angle
    edge_deg: np.ndarray  # silhouette front-edge angle, offset-corrected (NaN where not fitted)
    fused_deg: np.ndarray  # the estimate used downstream
    source: np.ndarray  # (N,) AngleCode values: LANDMARKS, SILHOUETTE (the edge), NONE
    edge_offset_deg: float | None  # calibrated edge-minus-axis angle at a vertical shank (see typical_offset_deg)
    shank_length_px: float
    # The person's own offset (against the near-upright landmarks) minus the population's: the two standing references
    # disagree by this, so whichever is used (shrink_offset) the standing angle is uncertain by about half of it
    # (protocol.interval). Until session 11 the part not taken over: a full take-over then read as certain (randomised
    # renders r057, r048: loose trousers, own 7-8 deg beyond the population's, the standing angle 5 deg off, the interval
    # without that doubt).
    calibration_gap_deg: float = 0.0
    sigma_deg: np.ndarray | None = None  # per-frame 1-sigma method error of fused_deg (kinematics.estimator_choice)
    fabric_rise_deg: float = 0.0  # how far the cloth's standing reference raised the edge's frames (kinematics.fabric_reference)
    edge_support_share: np.ndarray | None = None  # per frame, the share of the stretch on the fitted line (kinematics.edge_support)
    # Per frame, the edge line was not fitted in the frame: its neighbours' reading bridged over (bridge_and_smooth) or none
    # at all; the mask's front edge did not lie along the shin there (kinematics.estimator_choice: the outline's doubt then
    # reaches the landmarks).
    edge_bridged: np.ndarray | None = None
    # The person's own edge-minus-landmarks angle over the calibration frames (at their angle, not shrunk; None without
    # a calibration): below any shin's front lean, the standing reference is contradicted (protocol.interval.reference_share).
    own_offset_deg: float | None = None


def inclination_deg(knee: np.ndarray, ankle: np.ndarray, facing: int, up: np.ndarray | None = None) -> np.ndarray:
    """Angle of ankle->knee from the vertical, + towards the facing side; `up` is the image's true up (unit)."""
    v = np.asarray(knee, float) - np.asarray(ankle, float)
    up_v = up_axis(up)
    fwd = forward_of(up_v, facing)
    return np.degrees(np.arctan2(v @ fwd, v @ up_v))


def edge_angle(
    edge_x: np.ndarray,
    rows_y: np.ndarray,
    ankle: np.ndarray,
    guess_deg: float,
    length_px: float,
    facing: int,
    max_ahead: float = 0.30,
    span: tuple[float, float] = EDGE_SPAN,
) -> tuple[float, float]:
    """Front-edge inclination from one frame's mask profile over `span` (shank fractions from the ankle), and the fit's RMS (px)."""
    if not (np.isfinite(guess_deg) and np.all(np.isfinite(ankle))):
        return np.nan, np.nan
    c = np.cos(np.radians(guess_deg))
    s = np.sin(np.radians(guess_deg))
    lo, hi = np.searchsorted(rows_y, [ankle[1] - 1.05 * length_px, ankle[1]])  # rows_y ascending
    edge_x, rows_y = edge_x[lo:hi], rows_y[lo:hi]
    # Select by position along the guessed axis, not by row: the same stretch of a curved shin at any angle.
    along = (facing * (edge_x - ankle[0]) * s + (ankle[1] - rows_y) * c) / length_px
    sel = np.isfinite(along) & (along >= span[0]) & (along <= span[1])
    sel &= rows_y < ankle[1]
    ys = rows_y[sel]
    xs = edge_x[sel]
    n_rows = (span[1] - span[0]) * length_px * c / max(np.median(np.diff(rows_y)), 1e-6)
    if ys.size < 6:
        return np.nan, np.nan
    # The edge must sit just in front of the shank axis: not far ahead (another object), not behind.
    axis_x = ankle[0] + facing * (ankle[1] - ys) * s / max(c, 1e-3)
    ahead = facing * (xs - axis_x)
    ok = np.isfinite(xs) & (ahead > -0.02 * length_px) & (ahead < max_ahead * length_px)
    if ok.sum() < 0.6 * max(ys.size, n_rows):
        return np.nan, np.nan
    ys, xs = ys[ok], xs[ok]
    for _ in range(2):
        b, a = np.polyfit(ys, xs, 1)
        resid = xs - (a + b * ys)
        keep = np.abs(resid) < max(2.0, 2.5 * np.std(resid))
        if keep.sum() < 6:
            break
        ys, xs = ys[keep], xs[keep]
    b, a = np.polyfit(ys, xs, 1)
    rms = float(np.sqrt(np.mean((xs - (a + b * ys)) ** 2)))
    return float(np.degrees(np.arctan(-facing * b))), rms


def bridge_and_smooth(edge: np.ndarray, fps: float) -> np.ndarray:
    """Bridge short edge misses and median-filter, so a glitch never drops to the biased landmark angle."""
    found = np.isfinite(edge)
    if found.sum() < 2:
        return edge
    filled = interpolate_gaps(edge, max_gap=max(1, int(round(GAP_FILL_S * fps))))
    covered = np.isfinite(filled)
    smooth = rolling_median(filled, SMOOTH_FRAMES) if SMOOTH_FRAMES > 1 else filled
    # Keep NaN outside the edge's own coverage (leading/trailing runs, long gaps).
    first, last = np.nonzero(found)[0][[0, -1]]
    covered[:first] = False
    covered[last + 1 :] = False
    return np.where(covered, smooth, np.nan)


def estimate_shank_angles(
    knee: np.ndarray,
    ankle: np.ndarray,
    facing: int,
    fps: float,
    mask_edge_x: np.ndarray | None = None,
    mask_rows_y: np.ndarray | None = None,
    up: np.ndarray | None = None,
) -> ShankAngles:
    """Per-frame shank angle: landmarks where they hold, the silhouette's front edge where they do not."""
    n = knee.shape[0]
    raw = inclination_deg(knee, ankle, facing, up)
    dist = np.linalg.norm(knee - ankle, axis=1)
    calm = np.isfinite(raw) & (raw > CALIBRATION_RANGE_DEG[0]) & (raw < CALIBRATION_RANGE_DEG[1])
    length = float(np.nanmedian(dist[calm])) if calm.sum() >= 3 else float(np.nanmedian(dist))
    fused = raw.copy()
    source = np.where(np.isfinite(raw), AngleCode.LANDMARKS, AngleCode.NONE)
    edge = np.full(n, np.nan)
    offset = None
    if mask_edge_x is None or mask_rows_y is None or not np.isfinite(length):
        return ShankAngles(raw, edge, fused, source, offset, length)
    ankle_anchor = steadied_ankle(ankle, fps)
    guess = rolling_median(raw, 3)
    edge_raw = np.full(n, np.nan)
    rms = np.full(n, np.nan)
    previous = np.nan
    for i in range(n):
        best = (np.nan, np.inf)
        for g in (guess[i], previous):
            e, _ = edge_angle(mask_edge_x[i], mask_rows_y, ankle_anchor[i], g, length, facing, max_ahead=0.6)
            if not np.isfinite(e):
                continue
            # Refine with the rows placed at the edge's own angle (the landmark may be far off).
            e2, r2 = edge_angle(mask_edge_x[i], mask_rows_y, ankle_anchor[i], e, length, facing)
            if np.isfinite(e2) and r2 < best[1]:
                best = (e2, r2)
        edge_raw[i], rms[i] = best[0], best[1] if np.isfinite(best[0]) else np.nan
        previous = best[0] if np.isfinite(best[0]) else previous
    step = row_step(mask_rows_y)  # one spacing for every frame's profile
    support = np.array([support_share(mask_edge_x[i], mask_rows_y, ankle_anchor[i], edge_raw[i], length, facing, step=step)
                        for i in range(n)])
    good_len = np.abs(dist / length - 1.0) < 0.06
    cal = calm & good_len & np.isfinite(edge_raw)
    if cal.sum() < MIN_CALIBRATION_FRAMES:
        return ShankAngles(raw, edge, fused, source, offset, length)
    # The edge was fitted against the image vertical: express it against the true vertical like `raw`.
    edge_raw = edge_raw - facing * tilt_deg(up_axis(up))
    at_deg = float(np.median(raw[cal]))  # the calibration frames' typical angle
    typical = typical_offset_deg(at_deg)
    own = slide_free_own_deg(edge_raw[cal], raw[cal], float(np.median(edge_raw[cal] - raw[cal])), typical)
    calibrated = shrink_offset(own, typical)
    offset = calibrated - EDGE_OFFSET_PER_DEG * at_deg
    edge = bridge_and_smooth(np.asarray(axis_from_edge_deg(edge_raw, offset)), fps)
    use = np.isfinite(edge)
    fused = np.where(use, edge, raw)
    source = np.where(use, AngleCode.SILHOUETTE, source)
    return ShankAngles(raw, edge, fused, source, offset, length, own - typical, edge_support_share=support, own_offset_deg=own,
                       edge_bridged=~np.isfinite(edge_raw))
