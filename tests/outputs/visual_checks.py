"""What a person checks by eye on a figure, a page or a video frame, as code (issue 20's visual suite).

Pure helpers over matplotlib Figures (text extents from the renderer), result.json dicts and RGB frames.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox


@dataclass(frozen=True)
class DrawnText:
    """One visible piece of text and the box it covers on the canvas (pixels, origin bottom-left)."""

    text: str
    box: Bbox
    gid: str | None


def drawn_texts(fig: Figure) -> list[DrawnText]:
    """Every visible, non-empty text the figure draws, with its extent (its background box when it has one)."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    hidden = _undrawn_tick_labels(fig)
    out = []
    for t in fig.findobj(Text):
        if id(t) in hidden or not t.get_visible() or not t.get_text().strip():
            continue
        patch = t.get_bbox_patch()
        box = patch.get_window_extent(renderer) if patch is not None else t.get_window_extent(renderer)
        out.append(DrawnText(t.get_text(), box, t.get_gid()))
    return out


def _undrawn_tick_labels(fig: Figure) -> set[int]:
    """Tick labels matplotlib keeps but does not draw (ticks outside the view, hidden axes)."""
    hidden: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            eps = 1e-9 * max(1.0, abs(hi - lo))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                shown = ax.axison and axis.get_visible() and lo - eps <= tick.get_loc() <= hi + eps
                if not shown:
                    hidden.update({id(tick.label1), id(tick.label2)})
    return hidden


def texts_outside(fig: Figure, margin_px: float = 0.0) -> list[str]:
    """Texts that run over the figure's edge (or into a margin of margin_px)."""
    w, h = fig.canvas.get_width_height()
    page = Bbox.from_extents(margin_px, margin_px, w - margin_px, h - margin_px)
    return [f"{t.text[:60]!r} at {t.box.bounds}" for t in drawn_texts(fig)
            if t.box.x0 < page.x0 - 0.5 or t.box.y0 < page.y0 - 0.5 or t.box.x1 > page.x1 + 0.5 or t.box.y1 > page.y1 + 0.5]


def overlapping_texts(fig: Figure, tolerance_px: float = 1.0) -> list[str]:
    """Pairs of texts whose boxes overlap by more than tolerance_px both ways (labels written over each other)."""
    texts = drawn_texts(fig)
    out = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            dx = min(a.box.x1, b.box.x1) - max(a.box.x0, b.box.x0)
            dy = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
            if dx > tolerance_px and dy > tolerance_px:
                out.append(f"{a.text[:50]!r} overlaps {b.text[:50]!r}")
    return out


def all_text(fig: Figure) -> str:
    """The figure's words in one string, whitespace (line wraps) collapsed."""
    return normalise(" ".join(t.text for t in drawn_texts(fig)))


def normalise(text: str) -> str:
    """Collapse whitespace so wrapped lines compare with the JSON's one-line strings."""
    return re.sub(r"\s+", " ", text).strip()


def missing_warnings(words: str, result: dict) -> list[str]:
    """result.json warnings the drawn words do not carry (wrapping and ellipsis aside: first 40 characters)."""
    return [w for w in result["quality"]["warnings"] if normalise(w)[:40] not in words]


# ---------------------------------------------------------------------------------------------
# Frames of annotated.mp4

RED_RGB = (255, 90, 90)  # annotated_video.RED in RGB
GREEN_RGB = (80, 225, 100)  # annotated_video.GREEN in RGB


def colour_share(rgb: np.ndarray, box: tuple[int, int, int, int], target: tuple[int, int, int], tol: float = 60.0) -> float:
    """Share of the box's pixels (x0, y0, x1, y1) within tol (RGB distance) of a colour."""
    x0, y0, x1, y1 = (int(v) for v in box)
    h, w = rgb.shape[:2]
    roi = rgb[max(0, y0):min(h, y1), max(0, x0):min(w, x1)].astype(float)
    if roi.size == 0:
        return 0.0
    d = np.linalg.norm(roi - np.array(target, float), axis=-1)
    return float(np.mean(d < tol))


def heel_colour(rgb: np.ndarray, heel_xy: tuple[float, float], radius_px: int) -> str:
    """'red', 'green' or '?' for the heel marker drawn around heel_xy."""
    x, y = heel_xy
    box = (x - radius_px, y - radius_px, x + radius_px + 1, y + radius_px + 1)
    red, green = colour_share(rgb, box, RED_RGB), colour_share(rgb, box, GREEN_RGB)
    if max(red, green) < 0.05:
        return "?"
    return "red" if red > green else "green"


def angle_of_line_deg(ankle: Iterable[float], knee: Iterable[float]) -> float:
    """Inclination from the image vertical of the ankle->knee line (unsigned, degrees)."""
    (ax, ay), (kx, ky) = ankle, knee
    return math.degrees(math.atan2(abs(kx - ax), ay - ky))
