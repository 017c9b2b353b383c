"""The report's pictures, each drawn on a given matplotlib Axes (so the page and the HTML share them)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ankle_cv.enums import Side
from ankle_cv.history.store import HistoryEntry, measured
from ankle_cv.outputs.key_frame import HeelDrawn
from ankle_cv.outputs.summary_plot import (
    CATEGORY_COLORS,
    HEEL_COLOR,
    INVALID_COLOR,
    RAW_COLOR,
    VALID_COLOR,
    _crop_box,
    _finite_points,
    _frame_step_s,
    _spans,
    draw_leg_overlay,
)
from ankle_cv.protocol.norms import (
    MDC_CM,
    MDC_DEG,
    NORMAL_FROM_DEG,
    RESTRICTED_BELOW_DEG,
)
from ankle_cv.report.sources import FrameTable
from ankle_cv.results.types import Rep

LEG_COLORS = {"left": "#5b3a9e", "right": "#1f5fa8"}
BORDERLINE_FILL = "#f2c500"
RESTRICTED_FILL = "#d62728"
NORMAL_FILL = "#2ca02c"
GRID_COLOR = "0.88"
NOTE_COLOR = "0.35"
WINDOW_PAD_S = 0.6
BAND_MIN_DEG, BAND_MAX_DEG = 20.0, 55.0
MAX_DATE_TICKS = 6
LABEL_FULL_SPACING_IN = 0.5  # rep labels read 'rep N' when reps are this far apart on the page
LABEL_MIN_SPACING_IN = 0.18  # closer than this, only the best rep is labelled


def placeholder(ax: Axes, text: str) -> None:
    """A light box with a short note where a picture cannot be drawn."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("0.95")
    for spine in ax.spines.values():
        spine.set_color("0.8")
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=8, color=NOTE_COLOR, wrap=True)


def draw_key_frame(
    ax: Axes,
    rgb: np.ndarray | None,
    points: dict[str, np.ndarray] | None,
    angle_deg: float | None,
    facing: str,
    frame_size_px: tuple[int, int],
    note: str | None,
    roll_deg: float | None = None,
    line_deg: float | None = None,
    heel: HeelDrawn = "down",
) -> None:
    """The best rep's peak frame cropped around the leg with the shin overlay (its vertical the true one, `roll_deg`;
    the stored line, showing `line_deg`, turned to the printed angle; the heel as the rep's verdict, `heel`); the stored
    leg outline without video."""
    pts = _finite_points(points)
    if rgb is None and len(pts) < 2:
        placeholder(ax, note or "no key frame")
        return
    ax.set_xticks([])
    ax.set_yticks([])
    width_px, height_px = (rgb.shape[1], rgb.shape[0]) if rgb is not None else frame_size_px
    if rgb is not None:
        ax.imshow(rgb, interpolation="antialiased")
    else:
        ax.set_facecolor("0.25")
    draw_leg_overlay(ax, pts, angle_deg, Side(facing).sign, roll_deg, line_deg, heel)
    for text in ax.texts:  # the overlay's angle label is sized for a full-screen figure
        text.set_fontsize(11)
    for line in ax.lines:
        line.set_linewidth(min(line.get_linewidth(), 2.5))
        line.set_markersize(min(line.get_markersize(), 5))
    bbox = ax.get_position(original=True)
    fig_w, fig_h = cast(Figure, ax.figure).get_size_inches()
    x0, x1, y0, y1 = fit_box(_crop_box(pts, width_px, height_px), (bbox.width * fig_w) / (bbox.height * fig_h),
                             width_px, height_px)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)
    ax.set_aspect("equal", adjustable="box")
    if note:
        ax.text(0.02, 0.02, note, transform=ax.transAxes, ha="left", va="bottom", fontsize=6.5, color="white",
                bbox={"boxstyle": "round,pad=0.2", "fc": "black", "ec": "none", "alpha": 0.55})


def fit_box(
    box: tuple[float, float, float, float], aspect: float, width_px: int, height_px: int
) -> tuple[float, float, float, float]:
    """Grow a crop (x0, x1, y0, y1) to the panel's width/height ratio, shifted to stay inside the frame."""
    x0, x1, y0, y1 = box
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    if w > width_px and width_px > 0:  # the frame is too narrow: keep the full width and shrink the height
        w, h = float(width_px), width_px / aspect
    if h > height_px and height_px > 0:
        h, w = float(height_px), height_px * aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    cx = min(max(cx, w / 2), width_px - w / 2) if width_px >= w else cx
    cy = min(max(cy, h / 2), height_px - h / 2) if height_px >= h else cy
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def leg_window(frames: FrameTable, side: str, reps: tuple[Rep, ...]) -> tuple[float, float] | None:
    """Time span of one leg in the clip: its frames (both-legs videos) or its reps, with a little margin."""
    t = frames.time_s
    mask = frames.front_side == side
    if mask.any() and np.isfinite(t[mask]).any():
        lo, hi = float(np.nanmin(t[mask])), float(np.nanmax(t[mask]))
    elif reps:
        lo, hi = min(r.start_s for r in reps), max(r.end_s for r in reps)
    elif t.size and np.isfinite(t).any():
        lo, hi = float(np.nanmin(t)), float(np.nanmax(t))
    else:
        return None
    t_min, t_max = float(np.nanmin(t)), float(np.nanmax(t))
    return max(t_min, lo - WINDOW_PAD_S), min(t_max, hi + WINDOW_PAD_S)


def draw_angle_plot(
    ax: Axes, frames: FrameTable | None, side: str, reps: tuple[Rep, ...], best_index: int | None, cutoffs: bool = True,
) -> None:
    """One leg's shin angle over time with its reps (valid/invalid), the best rep, heel lifts and the cut-offs (left out
    where no rep is judged against them: `cutoffs` False)."""
    window = leg_window(frames, side, reps) if frames is not None else None
    if frames is None or window is None:
        placeholder(ax, "frames.csv not found beside result.json:\nno angle-time plot")
        return
    lo, hi = window
    t = frames.time_s
    sel = (t >= lo) & (t <= hi)
    step = _frame_step_s(t)
    if cutoffs:
        ax.axhspan(RESTRICTED_BELOW_DEG, NORMAL_FROM_DEG, color=BORDERLINE_FILL, alpha=0.18, lw=0, zorder=0)
        ax.axhline(NORMAL_FROM_DEG, color=CATEGORY_COLORS["normal"], ls="--", lw=0.8, zorder=1, gid="cut-off")
        ax.axhline(RESTRICTED_BELOW_DEG, color=CATEGORY_COLORS["restricted"], ls="--", lw=0.8, zorder=1, gid="cut-off")
    own = sel & ((frames.front_side == side) | (frames.front_side == ""))
    for a, b in _spans(frames.heel_lifted & own):
        ax.axvspan(t[a], t[b] + step, ymin=0, ymax=0.05, color=HEEL_COLOR, alpha=0.85, lw=0, zorder=1)
    for r in reps:
        color = VALID_COLOR if r.valid else INVALID_COLOR
        ax.axvspan(r.start_s, r.end_s + step, color=color, alpha=0.16 if r.valid else 0.22, lw=0, zorder=0)
    angle = np.where(own, frames.tibial_inclination_deg, np.nan)
    raw = np.where(own, frames.landmark_inclination_deg, np.nan)
    ax.plot(t[sel], raw[sel], color=RAW_COLOR, lw=0.7, zorder=2)
    ax.plot(t[sel], angle[sel], color=LEG_COLORS.get(side, "#1f5fa8"), lw=1.4, zorder=3)
    width_in = ax.get_position(original=True).width * cast(Figure, ax.figure).get_size_inches()[0]
    peaks = sorted(r.peak_s for r in reps)
    spacing_in = min(np.diff(peaks)) * width_in / max(hi - lo, 1e-6) if len(peaks) > 1 else width_in
    for r in reps:
        value = r.tibial_inclination_deg
        if value is None:
            continue
        best = r.index == best_index
        ax.plot(r.peak_s, value, "*" if best else "o", ms=9 if best else 4, zorder=5,
                color=VALID_COLOR if r.valid else INVALID_COLOR, mec="black", mew=0.5)
        if not best and spacing_in < LABEL_MIN_SPACING_IN:
            continue  # crowded: only the best rep is named (every rep is listed in words)
        name = f"rep {r.index}" if spacing_in >= LABEL_FULL_SPACING_IN else str(r.index)
        label = name + (f"\n{value:.1f}°" if best else "" if r.valid else " ✗")
        ax.text(r.peak_s, 0.97, label, transform=ax.get_xaxis_transform(), ha="center", va="top", fontsize=6.5,
                color=VALID_COLOR if best else "0.3", fontweight="bold" if best else "normal", zorder=6)
    vals = np.concatenate([angle[sel], raw[sel]])
    vals = vals[np.isfinite(vals)]
    floor_top = NORMAL_FROM_DEG if cutoffs else 10.0  # the cut-offs stay in view where drawn
    top = max(float(vals.max()) if vals.size else floor_top, floor_top)
    bottom = min(float(vals.min()) if vals.size else 0.0, 0.0)
    ax.set_ylim(bottom - 3, top + 0.32 * (top - bottom + 3))
    ax.set_xlim(lo, hi)
    ax.set_xlabel("time in the video (s)", fontsize=7, labelpad=1)
    ax.set_ylabel("shin angle (°)", fontsize=7, labelpad=1)
    ax.tick_params(labelsize=6.5, length=2, pad=1.5)
    ax.grid(True, axis="y", color=GRID_COLOR, lw=0.5)
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def draw_norm_band(ax: Axes, angles: dict[str, float | None]) -> None:
    """The inclinometer cut-offs as a coloured scale with each leg's inclinometer-equivalent angle marked."""
    known = [a for a in angles.values() if a is not None]
    lo = min([BAND_MIN_DEG] + [a - 3 for a in known])
    hi = max([BAND_MAX_DEG] + [a + 3 for a in known])
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, 1)
    ax.axvspan(lo, RESTRICTED_BELOW_DEG, ymin=0.3, ymax=0.62, color=RESTRICTED_FILL, alpha=0.28, lw=0)
    ax.axvspan(RESTRICTED_BELOW_DEG, NORMAL_FROM_DEG, ymin=0.3, ymax=0.62, color=BORDERLINE_FILL, alpha=0.45, lw=0)
    ax.axvspan(NORMAL_FROM_DEG, hi, ymin=0.3, ymax=0.62, color=NORMAL_FILL, alpha=0.28, lw=0)
    width_in = ax.get_position(original=True).width * cast(Figure, ax.figure).get_size_inches()[0]
    border_in = width_in * (NORMAL_FROM_DEG - RESTRICTED_BELOW_DEG) / (hi - lo)
    for x, text, size in (((lo + RESTRICTED_BELOW_DEG) / 2, "restricted", 7.5),
                          ((RESTRICTED_BELOW_DEG + NORMAL_FROM_DEG) / 2, "borderline", min(7.5, 7.5 * border_in / 0.62)),
                          ((NORMAL_FROM_DEG + hi) / 2, "normal", 7.5)):
        ax.text(x, 0.46, text, ha="center", va="center", fontsize=size, color="0.15")
    for cut in (RESTRICTED_BELOW_DEG, NORMAL_FROM_DEG):
        ax.plot([cut, cut], [0.26, 0.66], color="0.2", lw=0.8)
    ax.set_yticks([])
    ticks = [t for t in range(int(math.ceil(lo / 5) * 5), int(hi) + 1, 5)]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t}°" for t in ticks])
    ax.tick_params(axis="x", labelsize=6.5, length=2, pad=1)
    for spine in ("top", "left", "right"):
        ax.spines[spine].set_visible(False)
    ax.spines["bottom"].set_position(("axes", 0.28))
    placed = sorted(((a, s) for s, a in angles.items() if a is not None), key=lambda p: p[0])
    span = hi - lo
    for k, (angle, side) in enumerate(placed):
        color = LEG_COLORS.get(side, "0.2")
        ax.plot([angle, angle], [0.3, 0.74], color=color, lw=1.6, solid_capstyle="butt")
        ax.plot(angle, 0.74, marker="v", ms=6, color=color, mec="white", mew=0.5)
        # two close markers: labels go outwards so they never overlap
        ha = "center"
        if len(placed) == 2 and abs(placed[1][0] - placed[0][0]) < 0.12 * span:
            ha = "right" if k == 0 else "left"
        ax.text(angle, 0.84, f"{side.capitalize()} {angle:.1f}°", ha=ha, va="bottom", fontsize=7.5, fontweight="bold",
                color=color)


def _as_num(date_text: str) -> float:
    """Matplotlib date number of an ISO date."""
    return float(date2num(dt.date.fromisoformat(date_text)))


TREND_LEGEND_HEADROOM = 0.35  # share of the data's height added above it for the trend's one-row legend


def draw_trend(ax: Axes, entries: list[HistoryEntry] | tuple[HistoryEntry, ...], legend_above: bool = False) -> None:
    """Best valid rep per leg per visit, with the minimal detectable change as a band around the first visit."""
    entries = list(entries)
    rows_by_side = {side: measured(entries, side) for side in ("left", "right")}
    shown = [e for rows in rows_by_side.values() for e in rows]
    if not shown:
        placeholder(ax, "no measured session in the history yet")
        return
    use_cm = all(e.distance_cm is not None for e in shown)
    # The degree cut-offs judge the inclinometer-equivalent angle: drawn only when every point is that angle (older
    # sessions kept only the joint-centre one, which is then plotted for all, without the cut-offs).
    use_incl = not use_cm and all(e.inclinometer_equivalent_deg is not None for e in shown)
    mdc, unit = (MDC_CM, " cm") if use_cm else (MDC_DEG, "°")
    dates = sorted({e.session_date for e in shown})
    x_all = [_as_num(d) for d in dates]
    pad = max(3.0, 0.08 * (max(x_all) - min(x_all)))
    for k, (side, rows) in enumerate(rows_by_side.items()):
        if not rows:
            continue
        x = np.array([_as_num(e.session_date) for e in rows])
        y = np.array([float(cast(float, e.distance_cm if use_cm else e.inclinometer_equivalent_deg if use_incl
                                 else e.tibial_inclination_deg)) for e in rows])
        color = LEG_COLORS[side]
        # The MDC as a bar at each leg's first visit, the legs side by side: bands of two legs would overlap.
        ax.errorbar(x[0] + (k - 0.5) * 0.5 * pad, y[0], yerr=mdc, color=color, lw=1.2, capsize=2.5, zorder=2)
        ax.plot(x, y, "-o", color=color, lw=1.3, ms=3.5, zorder=3, label=side)
    if use_incl:
        for cut, name in ((NORMAL_FROM_DEG, "normal"), (RESTRICTED_BELOW_DEG, "restricted")):
            ax.axhline(cut, color=CATEGORY_COLORS[name], ls="--", lw=0.7, zorder=1)
    ax.set_xlim(min(x_all) - pad, max(x_all) + pad)
    if len(dates) <= MAX_DATE_TICKS:
        ax.set_xticks(x_all)
        ax.set_xticklabels(dates)
    else:
        locator = AutoDateLocator(minticks=2, maxticks=MAX_DATE_TICKS)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.xaxis.get_offset_text().set_fontsize(6.5)
    ax.set_ylabel("toe-to-wall (cm)" if use_cm else "inclinometer-eq. (°)" if use_incl else "joint-centre (°)",
                  fontsize=7, labelpad=1)
    ax.tick_params(labelsize=6.5, length=2, pad=1.5)
    ax.grid(True, axis="y", color=GRID_COLOR, lw=0.5)
    ax.set_axisbelow(True)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    handles = ax.get_legend_handles_labels()[0] + [
        Line2D([], [], color="0.2", marker="|", ms=8, mew=1.2, lw=0, label=f"bar: first visit ± MDC {mdc:.1f}{unit}")]
    where: dict[str, Any]
    if legend_above:
        where = {"loc": "lower right", "bbox_to_anchor": (1.0, 1.0)}
    else:  # one row along the top, in headroom kept free for it: a legend placed "best" hid the latest visit's point
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom, top + TREND_LEGEND_HEADROOM * (top - bottom))
        where = {"loc": "upper center"}
    ax.legend(handles=handles, fontsize=6, frameon=not legend_above, framealpha=0.85, edgecolor="none",
              ncol=3, handlelength=1.3, columnspacing=0.8, borderaxespad=0.1, **where)
