"""How well one frame's mask outline supports the shin's straight edge line (kinematics.shank.edge_angle).

The edge line is a least-squares line through the mask's front edge over the shin's middle stretch. Where the mask
loses part of the shin (a pale shin before a white sheet, a black trouser leg on a black floor) the line still fits,
but through a stretch that is partly the background's boundary: it then bends between the stretch's halves, covers
less of the stretch, or scatters more. Pure: numpy only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ankle_cv.kinematics.fitted import EDGE_MIN_SUPPORT_SHARE, EDGE_SPAN
from ankle_cv.kinematics.signals import rolling_median


@dataclass(frozen=True)
class EdgeSupport:
    """Cues of one frame's edge fit (NaN where the stretch has too few points)."""

    share: float  # share of the stretch's expected rows whose edge lies within tolerance of the fitted line
    rms: float  # the line's RMS residual, in shank lengths
    bend_deg: float  # upper half's slope minus the lower half's (deg; + = the upper half leans further forward)
    ahead_sd: float  # SD of the edge's distance ahead of the line over the stretch, in shank lengths

    def as_dict(self) -> dict[str, float]:
        """Plain floats for JSON."""
        return {k: float(v) for k, v in asdict(self).items()}


NAN_SUPPORT = EdgeSupport(float("nan"), float("nan"), float("nan"), float("nan"))
TOL_SHANKS = 0.02  # an edge point within this distance of the line supports it
SMOOTH_FRAMES = 5  # the cue's running median: as the edge line's own (kinematics.shank.SMOOTH_FRAMES)


def _slope_deg(ys: np.ndarray, xs: np.ndarray, facing: int) -> float:
    """Inclination of the line x(y) from the image vertical (+ towards the facing side)."""
    if ys.size < 4 or np.ptp(ys) <= 0:
        return float("nan")
    b = np.polyfit(ys, xs, 1)[0]
    return float(np.degrees(np.arctan(-facing * b)))


def row_step(rows_y: np.ndarray) -> float:
    """The mask profile's row spacing in pixels (the same for every frame of a clip: compute it once)."""
    return float(np.median(np.diff(rows_y))) if rows_y.size > 1 else 1.0


@dataclass(frozen=True)
class _LineFit:
    """The stretch's edge points (rows, x, shank fraction along the axis), their fitted line's residuals, rows expected."""

    ys: np.ndarray
    xs: np.ndarray
    along: np.ndarray
    resid: np.ndarray
    n_rows: float


def _line_fit(
    edge_x: np.ndarray, rows_y: np.ndarray, ankle: np.ndarray, guess_deg: float, length_px: float, facing: int,
    span: tuple[float, float], step: float | None,
) -> _LineFit | None:
    """The frame's edge points over `span` and the least-squares line through them (None: too few points)."""
    if not (np.isfinite(guess_deg) and np.all(np.isfinite(ankle)) and np.isfinite(length_px) and length_px > 0):
        return None
    c, s = np.cos(np.radians(guess_deg)), np.sin(np.radians(guess_deg))
    along = (facing * (edge_x - ankle[0]) * s + (ankle[1] - rows_y) * c) / length_px
    sel = np.isfinite(along) & (along >= span[0]) & (along <= span[1]) & (rows_y < ankle[1])
    n_rows = (span[1] - span[0]) * length_px * c / max(row_step(rows_y) if step is None else step, 1e-6)
    ys, xs, al = rows_y[sel], edge_x[sel], along[sel]
    axis_x = ankle[0] + facing * (ankle[1] - ys) * s / max(c, 1e-3)
    ahead = facing * (xs - axis_x)
    near = (ahead > -0.02 * length_px) & (ahead < 0.30 * length_px)
    ys, xs, al = ys[near], xs[near], al[near]
    if ys.size < 8:
        return None
    b, a = np.polyfit(ys, xs, 1)
    return _LineFit(ys, xs, al, xs - (a + b * ys), n_rows)


def _share(fit: _LineFit, length_px: float) -> float:
    """Share of the stretch's expected rows whose edge point lies within TOL_SHANKS of the line."""
    within = np.abs(fit.resid) <= TOL_SHANKS * length_px
    return float(within.sum() / max(fit.n_rows, 1.0))


def edge_support(
    edge_x: np.ndarray, rows_y: np.ndarray, ankle: np.ndarray, guess_deg: float, length_px: float, facing: int,
    span: tuple[float, float] = EDGE_SPAN, step: float | None = None,
) -> EdgeSupport:
    """The frame's edge points over `span` (shank fractions from the ankle, along the guessed axis) against their line;
    `step`: row_step(rows_y) when the caller has it."""
    fit = _line_fit(edge_x, rows_y, ankle, guess_deg, length_px, facing, span, step)
    if fit is None:
        return NAN_SUPPORT
    mid = 0.5 * (span[0] + span[1])
    lower, upper = fit.along < mid, fit.along >= mid
    bend = _slope_deg(fit.ys[upper], fit.xs[upper], facing) - _slope_deg(fit.ys[lower], fit.xs[lower], facing)
    return EdgeSupport(
        share=_share(fit, length_px),
        rms=float(np.sqrt(np.mean(fit.resid**2)) / length_px),
        bend_deg=bend,
        ahead_sd=float(np.std(facing * fit.resid) / length_px),
    )


def support_share(
    edge_x: np.ndarray, rows_y: np.ndarray, ankle: np.ndarray, guess_deg: float, length_px: float, facing: int,
    span: tuple[float, float] = EDGE_SPAN, step: float | None = None,
) -> float:
    """edge_support(...).share alone, the one cue the analysis uses (trusted_edge): the same number without the bend's
    two extra line fits and the spreads (a third of the cost per frame, benchmarks/edge_support_cost.py)."""
    fit = _line_fit(edge_x, rows_y, ankle, guess_deg, length_px, facing, span, step)
    return float("nan") if fit is None else _share(fit, length_px)


def trusted_edge(edge_deg: np.ndarray, share: np.ndarray | None, min_share: float = EDGE_MIN_SUPPORT_SHARE) -> np.ndarray:
    """The edge line where its outline supports it: NaN where the running median of the share of the stretch lying on
    the line is under min_share (the line then follows something else over most of its stretch). Frames whose edge was
    not measured take their neighbours' reading, as kinematics.shank bridges the edge itself over them (counting them
    unsupported dropped good bridged reps: the family's s10, +2.0 -> +3.0 deg)."""
    edge = np.asarray(edge_deg, float)
    if share is None or not np.isfinite(min_share):
        return edge
    support = rolling_median(np.asarray(share, float), SMOOTH_FRAMES)
    with np.errstate(invalid="ignore"):
        return np.where(support < min_share, np.nan, edge)
