"""The printable marker sheet: a true-size ArUco marker, a ruler, the 10 cm "toes here" line and instructions.

Landscape pages, drawn in millimetres from the sheet's bottom edge and its front edge (the edge that
touches the wall). The layout is the one ankle_cv/scene/marker.py expects (and the renderer's side card uses):
the black square's bottom edge MARKER_FROM_FLOOR_MM above the bottom edge, its wall-side edge
MARKER_FROM_FRONT_MM from the front edge. Page 1 is for a wall on the right of the camera's picture,
page 2 for a wall on the left (the marker sits by the front edge; it cannot be mirrored).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ankle_cv.scene.marker import (
    DICTIONARY,
    GUIDE_FROM_FRONT_MM,
    MARKER_BITS,
    MARKER_FROM_FLOOR_MM,
    MARKER_FROM_FRONT_MM,
)

PAPERS_MM = {"a4": (297.0, 210.0), "letter": (279.4, 215.9)}  # landscape width x height
MIN_MARKER_MM = 50.0
TOP_BAND_MM = 40.0  # above the marker: the toes line and its label
BACK_AREA_MM = 80.0  # behind the marker: ruler and instructions
RULER_MM = 100.0
LINE_WIDTH_MM = 0.5
PRINT_MARGIN_MM = 6.0  # no text nearer a paper edge than this: home printers leave 3-6 mm blank


@dataclass(frozen=True)
class SheetLayout:
    """Where everything goes on one page (mm; x from the front edge, y from the bottom edge)."""

    paper: str
    width_mm: float
    height_mm: float
    marker_mm: float
    marker_id: int
    wall_on_right: bool

    def page_x(self, from_front_mm: float) -> float:
        """Page x (from the page's left edge) of a distance from the front edge."""
        return self.width_mm - from_front_mm if self.wall_on_right else from_front_mm


def max_marker_mm(paper: str) -> float:
    """Largest black square the layout fits on this paper."""
    w, h = PAPERS_MM[paper]
    return float(min(h - MARKER_FROM_FLOOR_MM - TOP_BAND_MM, w - MARKER_FROM_FRONT_MM - BACK_AREA_MM))


def check_options(paper: str, marker_mm: float, marker_id: int) -> None:
    """Raise ValueError with a plain message when the sheet cannot be drawn as asked."""
    if paper not in PAPERS_MM:
        raise ValueError(f"unknown paper {paper!r} (a4 or letter)")
    top = max_marker_mm(paper)
    if not MIN_MARKER_MM <= marker_mm <= top:
        raise ValueError(f"a {marker_mm:g} mm marker does not fit the {paper} layout: use {MIN_MARKER_MM:g}-{top:g} mm "
                         f"(150 mm is detected from 2-3 m at 720p; smaller ones need a closer camera)")
    if not 0 <= marker_id < 50:
        raise ValueError(f"marker id {marker_id} is not in DICT_4X4_50 (0-49)")


def marker_bits(marker_id: int) -> np.ndarray:
    """The marker's module grid, border included (True = black), top row first."""
    dictionary = cv2.aruco.getPredefinedDictionary(DICTIONARY)
    img = cv2.aruco.generateImageMarker(dictionary, marker_id, MARKER_BITS + 2)
    return img < 128


def instructions(layout: SheetLayout) -> list[str]:
    """The short text printed on the sheet."""
    side = "RIGHT" if layout.wall_on_right else "LEFT"
    size = f" --marker-size-mm {layout.marker_mm:g}" if layout.marker_mm != 150 else ""
    ids = f" --marker-id {layout.marker_id}" if layout.marker_id else ""
    return [
        f"For a wall on the {side} of the camera's picture.",
        "1 Print at 100 % (actual size, no 'fit to page').",
        f"   The black square must measure {layout.marker_mm:g} mm;",
        "   the ruler must read 10 cm.",
        "2 Tape the sheet upright to a box, bottom edge",
        "   on the floor, print facing the camera.",
        "3 Stand it beside the tested foot, on the side",
        "   away from the camera, 10-15 cm from the middle",
        "   of the foot, FRONT EDGE TOUCHING THE WALL.",
        "4 Big toe level with the TOES HERE line (10 cm).",
        "5 Film from the side at shin height, 2-3 m away;",
        "   keep the whole marker in view.",
        f"6 ankle-cv analyze VIDEO{size}{ids}",
    ]


def _draw_page(fig: Any, layout: SheetLayout) -> None:
    """Draw one page on a matplotlib figure the size of the paper (axes in millimetres)."""
    from matplotlib.patches import Rectangle

    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, layout.width_mm)
    ax.set_ylim(0, layout.height_mm)
    ax.axis("off")
    s = layout.marker_mm
    x0 = layout.page_x(MARKER_FROM_FRONT_MM + s) if layout.wall_on_right else layout.page_x(MARKER_FROM_FRONT_MM)
    y0 = MARKER_FROM_FLOOR_MM
    module = s / (MARKER_BITS + 2)
    bits = marker_bits(layout.marker_id)
    ax.add_patch(Rectangle((x0, y0), s, s, facecolor="black", edgecolor="none", linewidth=0))
    for r in range(bits.shape[0]):  # white runs on the black square (few shapes, no seams between black modules)
        c = 0
        while c < bits.shape[1]:
            if bits[r, c]:
                c += 1
                continue
            end = c
            while end < bits.shape[1] and not bits[r, end]:
                end += 1
            top = y0 + s - r * module
            ax.add_patch(Rectangle((x0 + c * module, top - module), (end - c) * module, module,
                                   facecolor="white", edgecolor="none", linewidth=0))
            c = end
    # The 10 cm line, from the top edge down to 20 mm above the marker, and its label.
    gx = layout.page_x(GUIDE_FROM_FRONT_MM)
    g_bottom = y0 + s + 20.0
    ax.add_patch(Rectangle((gx - LINE_WIDTH_MM / 2, g_bottom), LINE_WIDTH_MM, layout.height_mm - g_bottom,
                           facecolor="black", edgecolor="none", linewidth=0))
    toward_back = -1 if layout.wall_on_right else 1
    ha = "right" if layout.wall_on_right else "left"
    ax.text(gx + toward_back * 2.5, g_bottom + 11, "TOES HERE", ha=ha, va="center", fontsize=13, fontweight="bold")
    ax.text(gx + toward_back * 2.5, g_bottom + 4, "10 cm from the wall", ha=ha, va="center", fontsize=8)
    fx = layout.page_x(PRINT_MARGIN_MM)
    ax.text(fx, layout.height_mm - PRINT_MARGIN_MM - 1, "FRONT EDGE\ntouches the wall", ha="right" if layout.wall_on_right else "left",
            va="top", fontsize=8, fontweight="bold", multialignment="right" if layout.wall_on_right else "left")
    ax.text(layout.page_x(MARKER_FROM_FRONT_MM + s / 2), y0 + s + 4, f"ArUco DICT_4X4_50 id {layout.marker_id}, "
            f"{s:g} mm", ha="center", va="bottom", fontsize=6, color="0.35")
    _draw_ruler(ax, layout)
    text_x = layout.page_x(layout.width_mm - 8)  # from the back edge, in the space behind the marker
    ax.text(text_x, layout.height_mm - 8, "ankle-cv knee-to-wall sheet\n" + "\n".join(instructions(layout)),
            ha="left" if layout.wall_on_right else "right", va="top", fontsize=6.2, linespacing=1.35, multialignment="left")


def _draw_ruler(ax: Any, layout: SheetLayout) -> None:
    """A 10 cm vertical ruler with millimetre ticks behind the marker (to check the print's scale)."""
    from matplotlib.patches import Rectangle

    x = layout.page_x(MARKER_FROM_FRONT_MM + layout.marker_mm + 8)
    y0 = MARKER_FROM_FLOOR_MM + 5
    ax.add_patch(Rectangle((x - 0.15, y0), 0.3, RULER_MM, facecolor="black", edgecolor="none"))
    away = -1 if layout.wall_on_right else 1  # ticks and numbers point away from the marker, towards the back edge
    for mm in range(int(RULER_MM) + 1):
        length = 5.0 if mm % 10 == 0 else (3.5 if mm % 5 == 0 else 2.0)
        ax.add_patch(Rectangle((x if away > 0 else x - length, y0 + mm - 0.1), length, 0.2, facecolor="black",
                               edgecolor="none"))
        if mm % 10 == 0:
            ax.text(x + away * 6.5, y0 + mm, str(mm // 10), ha="left" if away > 0 else "right", va="center", fontsize=6)
    ax.text(x + away * 6.5, y0 + RULER_MM + 5, "cm", ha="left" if away > 0 else "right", va="center", fontsize=6)


def write_marker_pdf(path: Path, paper: str = "a4", marker_mm: float = 150.0, marker_id: int = 0) -> None:
    """Write the two-page sheet (wall right, wall left) at true size; the file appears only when complete."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    from ankle_cv.io.atomic import atomic_path

    check_options(paper, marker_mm, marker_id)
    w, h = PAPERS_MM[paper]
    with atomic_path(Path(path)) as tmp:
        with PdfPages(tmp, metadata={"Title": "ankle-cv marker sheet", "Creator": "ankle-cv"}) as pdf:
            for wall_on_right in (True, False):
                fig = Figure(figsize=(w / 25.4, h / 25.4))
                _draw_page(fig, SheetLayout(paper, w, h, marker_mm, marker_id, wall_on_right))
                pdf.savefig(fig)
