"""Bland–Altman PNG of `ankle-cv validate`: ankle-cv and the raw-landmark baseline against the truth, side by side.

Drawn with matplotlib's object API on an Agg canvas (headless); the file appears only when complete.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ankle_cv.io.atomic import atomic_path
from ankle_cv.validation.evaluate import (
    TARGET_LOA_DEG,
    TARGET_MAX_DEG,
    ErrorStats,
    ValidationReport,
    error_stats,
)

FIGURE_SIZE_IN = (14.0, 6.0)
DPI = 100
POINT_COLOR = "#1f5fa8"
BASELINE_COLOR = "0.45"
BIAS_COLOR = "#d62728"
LOA_COLOR = "#e08a00"
TARGET_COLOR = "#2ca02c"


def _panel(ax: Axes, truth: np.ndarray, measured: np.ndarray, labels: list[str], title: str, color: str) -> None:
    """One Bland–Altman panel: mean of the two methods against their difference, bias and limits of agreement."""
    ok = np.isfinite(truth) & np.isfinite(measured)
    truth, measured = truth[ok], measured[ok]
    labels = [lab for lab, keep in zip(labels, ok) if keep]
    diff = measured - truth
    mean = (measured + truth) / 2
    stats: ErrorStats = error_stats(diff)
    ax.axhspan(-TARGET_LOA_DEG, TARGET_LOA_DEG, color=TARGET_COLOR, alpha=0.10, label=f"target ±{TARGET_LOA_DEG:g}°")
    ax.axhline(0.0, color="0.7", lw=0.8)
    ax.scatter(mean, diff, s=26, color=color, alpha=0.85, edgecolors="white", linewidths=0.5, zorder=3)
    for x, y, lab in zip(mean, diff, labels):
        if abs(y) > TARGET_MAX_DEG:
            ax.annotate(lab, (x, y), xytext=(4, 2), textcoords="offset points", fontsize=7, color="0.25")
    if stats.n:
        ax.axhline(stats.bias, color=BIAS_COLOR, lw=1.5, label=f"bias {stats.bias:+.2f}°")
    if stats.n > 1 and math.isfinite(stats.sd):
        for value, name in ((stats.loa_low, "lower"), (stats.loa_high, "upper")):
            ax.axhline(value, color=LOA_COLOR, lw=1.2, ls="--",
                       label=f"95 % LoA {stats.loa_low:+.2f}° to {stats.loa_high:+.2f}°" if name == "lower" else None)
    head = f"{title}\nn = {stats.n}"
    if stats.n:
        head += f", MAE {stats.mae:.2f}°, max |error| {stats.max_abs:.1f}°"
    else:
        ax.text(0.5, 0.5, "no matched reps", transform=ax.transAxes, ha="center", va="center", color="0.4")
    ax.set_title(head, fontsize=11)
    ax.set_xlabel("mean of measurement and truth (tibial inclination, °)")
    ax.set_ylabel("measurement − truth (°)")
    ax.grid(alpha=0.25)
    ax.legend(loc="best", fontsize=8, framealpha=0.85)


def write_bland_altman_png(path: Path, report: ValidationReport) -> None:
    """Per-rep peak agreement of ankle-cv and of the raw landmarks with the truth, written atomically."""
    rows = [r for c in report.clips for r in c.rows]
    truth = np.array([r.truth_deg for r in rows], dtype=float)
    ours = np.array([np.nan if r.ours_deg is None else r.ours_deg for r in rows], dtype=float)
    base = np.array([np.nan if r.baseline_deg is None else r.baseline_deg for r in rows], dtype=float)
    labels = [f"{r.clip.split('_')[0]} r{r.truth_rep}" for r in rows]
    fig = Figure(figsize=FIGURE_SIZE_IN, dpi=DPI)
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    _panel(left, truth, ours, labels, "ankle-cv: per-rep peak tibial inclination", POINT_COLOR)
    _panel(right, truth, base, labels, "baseline: raw MediaPipe knee–ankle landmarks", BASELINE_COLOR)
    fig.suptitle(f"Bland–Altman against ground truth ({len(report.clips)} clips; points beyond ±{TARGET_MAX_DEG:g}° labelled)",
                 fontsize=12)
    fig.tight_layout()
    with atomic_path(Path(path)) as tmp:
        fig.savefig(tmp, format="png")
