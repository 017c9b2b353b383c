"""The inclinometer-equivalent shin angle: the front of the shin's outline where a clinician rests the device.

The knee-to-wall norms in degrees come from an inclinometer resting on the front of the shin (Bennell et al.
1998: "the tibial shaft"; Hall & Docherty 2017: 15 cm below the tibial tuberosity), which reads the tilt of
that surface, not of the knee-ankle joint-centre axis. The two differ per person: on real legs the front edge
runs 3.7-14.7 deg steeper than the axis (median 7.7, ../shared/real annotators), on the renders' body model
3.5-5.6 deg. So this angle is read from the outline itself over the device's stretch, never converted from the
joint-centre angle with a constant; where the outline cannot be trusted it is not reported.

Pure: numpy arrays in, frozen dataclasses out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankle_cv.kinematics.fitted import INCLINOMETER_SIGMA_AXIS_DEG as SIGMA_AXIS_DEG
from ankle_cv.kinematics.fitted import INCLINOMETER_SIGMA_OUTLINE_DEG as SIGMA_OUTLINE_DEG
from ankle_cv.kinematics.fitted import OUTLINE_CLEAR_MARGIN as CLEAR_MARGIN
from ankle_cv.kinematics.fitted import OUTLINE_LEAN_BAND_DEG as OFFSET_BAND_DEG
from ankle_cv.kinematics.fitted import OUTLINE_MAX_FIT_RMS as MAX_FIT_RMS
from ankle_cv.kinematics.fitted import OUTLINE_ROW_MARGIN as ROW_MARGIN
from ankle_cv.kinematics.fitted import OUTLINE_SHIN_FRONT as SHIN_FRONT
from ankle_cv.kinematics.shank import edge_angle

# Where the device sits, in fractions of the ankle->knee joint-centre length L from the ankle. Placement, not
# fitted: the tibial tuberosity ~0.07 L below the knee joint centre (~3 cm of a 42 cm shank); the device's
# centre 15 cm below it on a reference shank of 42 cm (0.246 x 170 cm, Winter's segment table), scaled to the
# person's shank; a 14 cm base (digital inclinometers and phones are 10-16 cm long).
REFERENCE_SHANK_CM = 42.0
TUBEROSITY_BELOW_KNEE = 0.07
DEVICE_BELOW_TUBEROSITY_CM = 15.0
DEVICE_LENGTH_CM = 14.0
DEVICE_CENTRE = 1.0 - TUBEROSITY_BELOW_KNEE - DEVICE_BELOW_TUBEROSITY_CM / REFERENCE_SHANK_CM  # 0.573
DEVICE_SPAN = (
    round(DEVICE_CENTRE - 0.5 * DEVICE_LENGTH_CM / REFERENCE_SHANK_CM, 2),
    round(DEVICE_CENTRE + 0.5 * DEVICE_LENGTH_CM / REFERENCE_SHANK_CM, 2),
)  # (0.40, 0.74)
# Where a clinician's palpated "15 cm below the tuberosity" lands varies by about +-2 cm, and so does our
# span through the joint centres' error: the angle's change when the span moves this far is its placement term.
PLACEMENT_SHIFT = 0.05

# Trust of the outline and the interval's terms are measured on data: kinematics/fitted.py (OUTLINE_*, INCLINOMETER_*).
MIN_TRUSTED_SHARE = 0.5  # of a rep's hold frames, for the hold's own outline reading to count


@dataclass(frozen=True)
class OutlineReading:
    """Per frame: the front outline's angle over the device's stretch and why it is or is not trusted."""

    angle_deg: np.ndarray  # from the true vertical in the image, + towards the facing side; NaN where not read
    placement_deg: np.ndarray  # half the angle's change when the span moves +-PLACEMENT_SHIFT
    fit_rms: np.ndarray  # the line fit's RMS residual, in shank lengths
    others_clear: np.ndarray  # no other leg's or hand's landmark near the outline in the span's rows
    trusted: np.ndarray  # read, straight, clear, and in the plausible band against the joint-centre angle


def span_rows(ankle: np.ndarray, angle_deg: float, length_px: float, span: tuple[float, float]) -> tuple[float, float]:
    """Image rows (top, bottom) the span covers for a shank at angle_deg from the ankle."""
    c = np.cos(np.radians(angle_deg))
    return float(ankle[1] - span[1] * length_px * c), float(ankle[1] - span[0] * length_px * c)


def outline_angle(
    edge_x: np.ndarray,
    rows_y: np.ndarray,
    ankle: np.ndarray,
    axis_deg: float,
    length_px: float,
    facing: int,
    span: tuple[float, float] = DEVICE_SPAN,
) -> tuple[float, float]:
    """The front outline's angle from the image vertical over `span`, and the fit's RMS (px); NaN when not read."""
    if not (np.isfinite(axis_deg) and np.isfinite(length_px) and length_px > 0):
        return float("nan"), float("nan")
    return edge_angle(edge_x, rows_y, ankle, axis_deg, length_px, facing, max_ahead=0.45, span=span)


def others_clear_of(points: np.ndarray, ankle: np.ndarray, axis_deg: float, length_px: float, facing: int) -> bool:
    """True when none of `points` ((M, 2), NaN allowed) sits in the span's rows near or ahead of this shin's front."""
    top, bottom = span_rows(ankle, axis_deg, length_px, DEVICE_SPAN)
    pad = ROW_MARGIN * length_px
    pts = points[np.isfinite(points).all(axis=1)]
    pts = pts[(pts[:, 1] > top - pad) & (pts[:, 1] < bottom + pad)]
    if pts.shape[0] == 0:
        return True
    a = np.radians(axis_deg)
    front_x = ankle[0] + facing * ((ankle[1] - pts[:, 1]) * np.tan(a) + SHIN_FRONT * length_px / np.cos(a))
    return bool(np.all(facing * (pts[:, 0] - front_x) < -CLEAR_MARGIN * length_px))


def read_outline(
    edge_x: np.ndarray,
    rows_y: np.ndarray,
    ankle: np.ndarray,
    axis_deg: np.ndarray,
    length_px: float,
    facing: int,
    others: np.ndarray | None = None,
    tilt_deg: float = 0.0,
) -> OutlineReading:
    """The outline angle per frame (edge_x (N, H) on rows_y (H,), ankle (N, 2), axis_deg (N,) the joint-centre angle).

    `others` (N, M, 2): the other leg's and the hands' landmarks; `tilt_deg`: the true vertical's tilt in the image
    (the angles come back against it, like the joint-centre angle).
    """
    n = axis_deg.shape[0]
    angle, rms, placement = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    clear = np.zeros(n, bool)
    image_axis = axis_deg + facing * tilt_deg  # back to the image vertical, where the edge is fitted
    for i in range(n):
        e, r = outline_angle(edge_x[i], rows_y, ankle[i], image_axis[i], length_px, facing)
        if not np.isfinite(e):
            continue
        angle[i], rms[i] = e - facing * tilt_deg, r / length_px
        shifted = [
            outline_angle(edge_x[i], rows_y, ankle[i], image_axis[i], length_px, facing, (DEVICE_SPAN[0] + d, DEVICE_SPAN[1] + d))[0]
            for d in (-PLACEMENT_SHIFT, PLACEMENT_SHIFT)
        ]
        placement[i] = 0.5 * abs(shifted[1] - shifted[0]) if np.all(np.isfinite(shifted)) else np.nan
        clear[i] = True if others is None else others_clear_of(others[i], ankle[i], image_axis[i], length_px, facing)
    offset = angle - axis_deg
    with np.errstate(invalid="ignore"):
        trusted = (
            np.isfinite(angle)
            & (rms <= MAX_FIT_RMS)
            & clear
            & (offset >= OFFSET_BAND_DEG[0])
            & (offset <= OFFSET_BAND_DEG[1])
        )
    return OutlineReading(angle, placement, rms, clear, trusted)


def distrust_reason(reading: OutlineReading, frames: slice | np.ndarray) -> str:
    """Why the front of the shin could not be read over these frames, in words (the commonest failure)."""
    angle = reading.angle_deg[frames]
    if not np.isfinite(angle).any():
        return "the front of the shin's outline was not found over the inclinometer's stretch"
    read = np.isfinite(angle)
    if np.mean(~reading.others_clear[frames][read]) >= 0.5:
        return "the other leg or a hand is over the front of the shin"
    with np.errstate(invalid="ignore"):
        if np.mean(reading.fit_rms[frames][read] > MAX_FIT_RMS) >= 0.5:
            return "the front of the shin's outline is not straight there (an object or clothing over it)"
    return "the front of the shin's outline disagrees with the shank's axis beyond what a shin can show"


Z95 = 1.96
MIN_OFFSET_FRAMES = 5
# The person's own lean is read over the rep's approach and return, between these shares of its excursion: the
# knee is away from the wall there (near it the silhouette's outline degrades: on the renders the outline read
# 2-6 deg low at some holds), and the shin is already tilted like at the peak.
APPROACH_SHARE = (0.2, 0.75)


@dataclass(frozen=True)
class InclinometerRep:
    """A rep's inclinometer-equivalent angle at its hold, or why there is none."""

    angle_deg: float  # NaN when not measured
    ci95_deg: float | None  # half-width of the 95 % interval (the form of tibial_inclination_ci95_deg)
    lean_deg: float  # the person's front edge beyond the joint-centre axis (NaN when not read)
    hold_reading_deg: float  # the outline read directly at the hold (NaN where not trusted there)
    reason: str | None  # why not measured (None when measured)


def rep_reading(
    axis_at_hold_deg: float,
    lean_deg: np.ndarray,
    hold_deg: np.ndarray,
    placement_deg: np.ndarray,
    reason: str,
    axis_sigma_deg: float = SIGMA_AXIS_DEG,
) -> InclinometerRep:
    """The joint-centre angle at the hold plus the person's own lean (trusted approach frames), with a 95 % half-width.

    `lean_deg`: outline minus joint-centre angle on the rep's trusted approach/return frames; `hold_deg`: the outline
    on the hold's trusted frames (NaN elsewhere), a cross-check that widens the interval when it disagrees;
    `placement_deg`: the placement term on the frames used. `reason` is kept when nothing could be read.
    """
    lean = lean_deg[np.isfinite(lean_deg)]
    hold = hold_deg[np.isfinite(hold_deg)]
    direct = float(np.median(hold)) if hold.size >= max(1, MIN_TRUSTED_SHARE * hold_deg.size) else float("nan")
    place = placement_deg[np.isfinite(placement_deg)]
    placement = float(np.median(place)) if place.size else 0.0
    if lean.size >= MIN_OFFSET_FRAMES and np.isfinite(axis_at_hold_deg):
        own = float(np.median(lean))
        spread = 1.4826 * float(np.median(np.abs(lean - own)))  # neighbouring frames' errors are shared: no 1/sqrt(n)
        centre = axis_at_hold_deg + own
        half = Z95 * float(np.sqrt(axis_sigma_deg**2 + SIGMA_OUTLINE_DEG**2 + placement**2 + spread**2))
        if np.isfinite(direct) and abs(direct - centre) > half:  # the two readings disagree: the interval takes both
            half = abs(direct - centre) + Z95 * SIGMA_OUTLINE_DEG
        return InclinometerRep(centre, half, own, direct, None)
    if np.isfinite(direct):  # no approach to learn the lean from: the hold's own outline
        half = Z95 * float(np.sqrt(axis_sigma_deg**2 + SIGMA_OUTLINE_DEG**2 + placement**2))
        return InclinometerRep(direct, half, float("nan"), direct, None)
    return InclinometerRep(float("nan"), None, float("nan"), float("nan"), reason)
