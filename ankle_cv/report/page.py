"""The one-page report laid out on A4 or Letter with matplotlib (no LaTeX, no browser), saved as PDF and PNG."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from ankle_cv.io.atomic import atomic_path
from ankle_cv.outputs.key_frame import HeelDrawn
from ankle_cv.outputs.summary_plot import CATEGORY_COLORS, shrink_to_width
from ankle_cv.report.keyframes import KeyFrame
from ankle_cv.report.model import Refusal, ReportContent, legs_heading, no_warning_line, rep_lines, tested_sides
from ankle_cv.report.panels import (
    LEG_COLORS,
    draw_angle_plot,
    draw_key_frame,
    draw_norm_band,
    draw_trend,
)
from ankle_cv.report.sources import FrameTable

PAPER_IN = {"a4": (210 / 25.4, 297 / 25.4), "letter": (8.5, 11.0)}
PNG_DPI = 150
MARGIN_X_IN = 0.55
MARGIN_TOP_IN = 0.45
MARGIN_BOTTOM_IN = 0.4
ROW_IN = 0.2
ACCENT = "#1b3a5c"
TEXT = "0.1"
MUTED = "0.4"
FLAG_COLORS = {True: "#d62728", False: "#2ca02c", None: "0.6"}
REFUSAL_COLOR = "#b03a2e"
REFUSAL_NOTE = "The norms and the between-leg comparison judge a valid rep: with none, they are left out."
REFUSAL_REPS_NOTE = " The shin angle over time and each rep's reason are below."
CHARS_PER_IN_8PT = 15.2  # DejaVu Sans at 8 pt: about this many average characters per inch
MAX_WARNING_LINES = 9
MIN_LIST_LINES = 3
MAX_NOTE_LINES = 2
ANGLE_PLOT_IN = 1.6  # each leg's angle-time plot, with its axis labels
MIN_ANGLE_PLOT_IN = 1.3
REFUSED_PLOT_IN = 2.2  # a refusal's page has no key frames: its angle plots take some of their room
TREND_AXES_IN = 1.15
MIN_TREND_AXES_IN = 0.75
FOOTER_LINE_IN = 0.118  # one line of 6.3 pt text at 1.3 spacing
SMALL_LINE_IN = 0.125  # one line of 6.8 pt text at 1.35 spacing
MIN_KEY_FRAME_IN = 1.3
HEEL_OF_WORDS: dict[str, HeelDrawn] = {"heel up": "up", "heel down": "down", "heel not checked": "not checked"}  # Rep.heel_words
CAPTION_CHARS = 57  # a key frame's caption this long at 7.5 pt fills its half of the page ("..., heel down" fits)
WANTED_KEY_FRAME_IN = 2.1  # the trend and the angle plots give way before the key frames shrink below this
MIN_KEY_FRAME_IN_LAST = 0.9  # only when everything else is at its minimum
MAX_KEY_FRAME_IN = 3.0
PLOT_LEGEND = ("green: valid rep (★ best)   ·   grey: invalid rep   ·   red strip: heel lifted   ·   dashed: 35° / 38° "
               "cut-offs   ·   thin grey: raw knee–ankle landmarks")
REFUSED_PLOT_LEGEND = "grey: invalid rep   ·   red strip: heel lifted   ·   thin grey: raw knee–ankle landmarks"


@dataclass(frozen=True)
class PageImages:
    """The pictures a page needs that come from files (key frames by side)."""

    key_frames: dict[str, KeyFrame]
    frames: dict[str, FrameTable | None]  # frames.csv of the result each leg came from


def wrap(text: str, width_in: float, font_pt: float) -> list[str]:
    """Lines of text that fit width_in at font_pt; "knee-to-wall" and such stay whole (a break after a hyphen reads as a space)."""
    chars = max(20, int(width_in * CHARS_PER_IN_8PT * 8.0 / font_pt))
    return textwrap.wrap(text, chars, break_long_words=True, break_on_hyphens=False) or [""]


class _Sheet:
    """A figure addressed in inches from the top-left corner."""

    def __init__(self, paper: str) -> None:
        self.w_in, self.h_in = PAPER_IN[paper]
        self.fig = Figure(figsize=(self.w_in, self.h_in), dpi=PNG_DPI)
        FigureCanvasAgg(self.fig)
        self.content_w = self.w_in - 2 * MARGIN_X_IN

    def axes(self, x_in: float, top_in: float, w_in: float, h_in: float, **kw: Any) -> Axes:
        """Axes at (x, top) with size (w, h), all in inches from the page's top-left."""
        rect = (x_in / self.w_in, 1 - (top_in + h_in) / self.h_in, w_in / self.w_in, h_in / self.h_in)
        return self.fig.add_axes(rect, **kw)

    def text(self, x_in: float, top_in: float, s: str, **kw: Any) -> None:
        """Text anchored at its top-left (va/ha may be overridden)."""
        kw = {"va": "top", "ha": "left", "color": TEXT, **kw}
        self.fig.text(x_in / self.w_in, 1 - top_in / self.h_in, s, **kw)

    def rule(self, top_in: float, color: str = "0.75", lw: float = 0.6) -> None:
        """A horizontal line across the content width."""
        y = 1 - top_in / self.h_in
        self.fig.add_artist(Line2D([MARGIN_X_IN / self.w_in, 1 - MARGIN_X_IN / self.w_in], [y, y],
                                                    color=color, lw=lw))

    def heading(self, top_in: float, s: str) -> float:
        """A section heading; returns the y below it."""
        self.text(MARGIN_X_IN, top_in, s.upper(), fontsize=7.5, fontweight="bold", color=ACCENT)
        return top_in + 0.19


def _header(sheet: _Sheet, content: ReportContent, y: float) -> float:
    """Title, identifiers the user typed, dates, notes."""
    sheet.fig.add_artist(Rectangle((0, 1 - 0.16 / sheet.h_in), 1, 0.16 / sheet.h_in, color=ACCENT,
                                                      transform=sheet.fig.transFigure))
    sheet.text(MARGIN_X_IN, y, content.title, fontsize=13.5, fontweight="bold", color=ACCENT)
    y += 0.31
    ident = wrap(content.header.identity_line(), sheet.content_w, 8.5)[:MAX_NOTE_LINES]
    sheet.text(MARGIN_X_IN, y, "\n".join(ident), fontsize=8.5, linespacing=1.3)
    y += 0.05 + 0.16 * len(ident)
    if content.header.notes:
        lines = wrap("Notes: " + content.header.notes, sheet.content_w, 8)
        if len(lines) > MAX_NOTE_LINES:
            lines = lines[:MAX_NOTE_LINES]
            lines[-1] = lines[-1][:-1] + "…"
        sheet.text(MARGIN_X_IN, y, "\n".join(lines), fontsize=8, color="0.25", linespacing=1.3)
        y += 0.16 * len(lines)
    sheet.rule(y + 0.03, color=ACCENT, lw=0.8)
    return y + 0.12


MIN_CELL_PT = 6.0
TWO_LINE_CELL_PT = 6.5  # two lines this size at a line spacing of 1 stay inside a 0.2 in row
SIGMA_WORDS = "(1 σ)"  # report.model.fmt_cm's


def _fit_cell(text: Text, width_in: float) -> None:
    """A table cell in a smaller font until it fits its column (down to MIN_CELL_PT); still too wide, on two lines.

    Random render r041: the bold "10.4 cm, 95 % CI borderline–normal" ran into the other leg's column. With its 1-sigma
    uncertainty ("14.3 ± 2.4 cm (1 σ), normal; 95 % CI borderline–normal") a distance is 2.7 in long at 6 pt, past an A4
    column's 2.2 in: it breaks after the value, two 6.5 pt lines inside the row.
    """
    width_px = width_in * cast(Figure, text.figure).dpi
    shrink_to_width(text, width_px, MIN_CELL_PT)
    renderer = cast(Figure, text.figure).canvas.get_renderer()  # type: ignore[attr-defined]
    words = text.get_text()
    if text.get_window_extent(renderer).width <= width_px or "\n" in words:
        return
    sigma = words.find(SIGMA_WORDS)  # after the value and its uncertainty, else at the first "; "
    cut = sigma + len(SIGMA_WORDS) if sigma > 0 else words.find("; ") + 1
    head, tail = words[:cut], words[cut:].lstrip(",; ")
    if cut <= 0 or not tail:
        return
    text.set_text(f"{head}{',' if words[cut:].startswith(',') else ''}\n{tail}")
    text.set_linespacing(1.0)
    text.set_fontsize(TWO_LINE_CELL_PT)
    shrink_to_width(text, width_px, MIN_CELL_PT)


def _table(sheet: _Sheet, content: ReportContent, y: float) -> float:
    """Per-leg table: measure | left | right."""
    y = sheet.heading(y, "Result per leg")
    label_w = 2.45
    col_w = (sheet.content_w - label_w) / 2
    rows = len(content.table_labels) + 1
    ax = sheet.axes(MARGIN_X_IN, y, sheet.content_w, rows * ROW_IN)
    ax.set_xlim(0, sheet.content_w)
    ax.set_ylim(rows * ROW_IN, 0)
    ax.axis("off")
    ax.axhspan(0, ROW_IN, color="0.92", lw=0)
    for k, side in enumerate(("left", "right")):
        x = label_w + k * col_w + 0.08
        ax.text(x, ROW_IN / 2, content.legs[side].title, va="center", fontsize=8.5, fontweight="bold",
                color=LEG_COLORS[side])
    for i, label in enumerate(content.table_labels):
        top = (i + 1) * ROW_IN
        if i % 2 == 1:
            ax.axhspan(top, top + ROW_IN, color="0.97", lw=0)
        ax.text(0.08, top + ROW_IN / 2, label, va="center", fontsize=8, color="0.25")
        for k, side in enumerate(("left", "right")):
            cell = content.legs[side].rows[i]
            leg = content.legs[side].leg
            bold = i == 0 and leg is not None and leg.measured
            color = TEXT
            if label == "Category":
                color = CATEGORY_COLORS.get((leg.category if leg else None) or "", TEXT)
                bold = color != TEXT
            _fit_cell(ax.text(label_w + k * col_w + 0.08, top + ROW_IN / 2, cell, va="center", fontsize=8.5 if bold else 8,
                              fontweight="bold" if bold else "normal", color=color), col_w - 0.16)
    ax.axhline(ROW_IN, color="0.6", lw=0.6)
    ax.axhline(rows * ROW_IN, color="0.6", lw=0.6)
    return y + rows * ROW_IN + 0.08


def _asymmetry(sheet: _Sheet, content: ReportContent, y: float) -> float:
    """The asymmetry sentence (bold, red when flagged) and its threshold, beside a coloured flag bar."""
    flag = content.asymmetry.flagged if content.asymmetry else None
    main = wrap(content.asymmetry_line, sheet.content_w - 0.2, 8.5)
    note = wrap(content.asymmetry_note, sheet.content_w - 0.2, 7)
    h = 0.08 + 0.16 * len(main) + 0.13 * len(note)
    ax = sheet.axes(MARGIN_X_IN, y, 0.05, h)
    ax.axis("off")
    ax.axvspan(0, 1, color=FLAG_COLORS[flag])
    sheet.text(MARGIN_X_IN + 0.12, y + 0.03, "\n".join(main), fontsize=8.5, linespacing=1.3, fontweight="bold",
               color=FLAG_COLORS[True] if flag else TEXT)
    sheet.text(MARGIN_X_IN + 0.12, y + 0.04 + 0.16 * len(main), "\n".join(note), fontsize=7, color=MUTED, linespacing=1.3)
    return y + h + 0.1


def _norms(sheet: _Sheet, content: ReportContent, y: float) -> float:
    """The norm band with both legs marked, the cut-offs in words and their sources."""
    y = sheet.heading(y, "Against published norms: inclinometer-equivalent angle, best valid rep")
    ax = sheet.axes(MARGIN_X_IN + 0.1, y, sheet.content_w - 0.2, 0.55)
    angles = {side: (v.leg.inclinometer_equivalent_deg if v.leg else None) for side, v in content.legs.items()}  # what the cut-offs judge
    draw_norm_band(ax, angles)
    y += 0.58
    text = "\n".join(tuple(w for line in content.norm_lines for w in wrap(line, sheet.content_w, 6.5))
                     + tuple(wrap(content.sources_line, sheet.content_w, 6.5)))
    sheet.text(MARGIN_X_IN, y, text, fontsize=6.5, color=MUTED, linespacing=1.35)
    return y + 0.12 * (text.count("\n") + 1) + 0.1


def _refusal(sheet: _Sheet, refusal: Refusal, y: float, has_reps: bool) -> float:
    """The page's lead when nothing was measured: why (bold, beside a red bar), what to do, and what is left out."""
    y = sheet.heading(y, "No valid measurement")
    reasons = [seg for r in refusal.reasons for seg in wrap(r[:1].upper() + r[1:] + ".", sheet.content_w - 0.2, 9.5)]
    advice = wrap("What to do: " + refusal.advice, sheet.content_w - 0.2, 8.5)
    note = wrap(REFUSAL_NOTE + (REFUSAL_REPS_NOTE if has_reps else ""), sheet.content_w - 0.2, 7)
    h = 0.06 + 0.18 * len(reasons) + 0.08 + 0.16 * len(advice) + 0.06 + 0.13 * len(note)
    ax = sheet.axes(MARGIN_X_IN, y, 0.05, h)
    ax.axis("off")
    ax.axvspan(0, 1, color=REFUSAL_COLOR)
    x = MARGIN_X_IN + 0.12
    sheet.text(x, y + 0.03, "\n".join(reasons), fontsize=9.5, fontweight="bold", color=REFUSAL_COLOR, linespacing=1.3)
    y_advice = y + 0.06 + 0.18 * len(reasons) + 0.05
    sheet.text(x, y_advice, "\n".join(advice), fontsize=8.5, linespacing=1.3)
    sheet.text(x, y_advice + 0.16 * len(advice) + 0.04, "\n".join(note), fontsize=7, color=MUTED, linespacing=1.3)
    return y + h + 0.15


def _refused_plots(sheet: _Sheet, content: ReportContent, images: PageImages, y: float, plot_h: float) -> float:
    """Each leg's shin angle over time with its reps, all invalid (no key frame: there is no best rep to picture)."""
    sides = tested_sides(content)
    y = sheet.heading(y, legs_heading(content, refused=True))
    gap = 0.25
    col_w = (sheet.content_w - gap) / 2 if len(sides) == 2 else sheet.content_w
    for k, side in enumerate(sides):
        view = content.legs[side]
        x = MARGIN_X_IN + k * (col_w + gap)
        caption = f"{view.title}: {len(view.reps)} rep{'s' if len(view.reps) != 1 else ''}, none valid" if view.reps \
            else f"{view.title}: no rep found"
        sheet.text(x, y, caption, fontsize=7.5, fontweight="bold", color=LEG_COLORS[side])
        draw_angle_plot(sheet.axes(x + 0.38, y + 0.17, col_w - 0.4, plot_h - 0.45), images.frames.get(side), side,
                        view.reps, None, cutoffs=False)
    y += 0.17 + plot_h
    sheet.text(MARGIN_X_IN + sheet.content_w / 2, y - 0.08, REFUSED_PLOT_LEGEND, ha="center", fontsize=6.3, color=MUTED)
    return y + 0.1


def _legs(sheet: _Sheet, content: ReportContent, images: PageImages, y: float, sizes: Sizes) -> float:
    """Per leg: the key frame at the best rep, and the angle over time."""
    sides = tested_sides(content)
    if len(sides) == 1:
        return _one_leg(sheet, content, images, y, sizes, sides[0])
    y = sheet.heading(y, legs_heading(content, refused=False))
    key_h = sizes.key_h
    gap = 0.25
    col_w = (sheet.content_w - gap) / 2
    for k, side in enumerate(sides):
        view = content.legs[side]
        x = MARGIN_X_IN + k * (col_w + gap)
        caption = _key_caption(content, side)
        # A longer caption ("heel not checked") is set smaller rather than run past its half of the page (heel sweep h017).
        sheet.text(x, y, caption, fontsize=7.5 * min(1.0, CAPTION_CHARS / len(caption)), fontweight="bold", color=LEG_COLORS[side])
        _key_frame(sheet.axes(x, y + 0.17, col_w, key_h), content, images, side)
        assert view.leg is not None  # tested_sides
        plot = sheet.axes(x + 0.38, y + 0.17 + key_h + 0.1, col_w - 0.4, sizes.angle_h - 0.45)
        draw_angle_plot(plot, images.frames.get(side), side, view.reps, view.leg.best_rep)
    y += 0.17 + key_h + sizes.angle_h
    sheet.text(MARGIN_X_IN + sheet.content_w / 2, y - 0.08, PLOT_LEGEND, ha="center", fontsize=6.3, color=MUTED)
    return y + 0.1


def _key_caption(content: ReportContent, side: str) -> str:
    """The line above a leg's key frame: its best rep, or why there is none."""
    view = content.legs[side]
    best = view.best_rep
    if best is not None:
        heel = best.heel_words.replace("heel up", "heel lifted")
        return f"{view.title}: rep {best.index} at {best.peak_s:.2f} s, {best.tibial_inclination_deg:.1f}° joint-centre, {heel}"
    return f"{view.title}: no valid rep" if view.leg is not None else f"{view.title}: not tested"


def _key_frame(ax: Axes, content: ReportContent, images: PageImages, side: str) -> None:
    """A leg's key frame at its best rep, or a box saying why there is none."""
    view = content.legs[side]
    best = view.best_rep
    kf = images.key_frames.get(side)
    if kf is None:
        reason = "not tested" if view.leg is None else "no valid rep" if not view.leg.measured else "no key frame"
        draw_key_frame(ax, None, None, None, "right", (0, 0), reason)
        return
    result = content.results[view.result_index].result if view.result_index is not None else None
    draw_key_frame(ax, kf.rgb, kf.points, best.tibial_inclination_deg if best else None,
                   (result.facing if result is not None else None) or "right", kf.frame_size_px, kf.note,
                   result.settings.camera_roll_deg if result is not None else None, kf.line_deg,
                   HEEL_OF_WORDS.get(best.heel_words, "down") if best else "down")


def _one_leg(sheet: _Sheet, content: ReportContent, images: PageImages, y: float, sizes: Sizes, side: str) -> float:
    """One leg tested: its key frame and its angle over time side by side, each as tall as both rows of a two-leg page."""
    y = sheet.heading(y, legs_heading(content, refused=False))
    view = content.legs[side]
    assert view.leg is not None
    gap = 0.25
    col_w = (sheet.content_w - gap) / 2
    caption = _key_caption(content, side)
    sheet.text(MARGIN_X_IN, y, caption, fontsize=7.5 * min(1.0, 2 * CAPTION_CHARS / len(caption)), fontweight="bold",
               color=LEG_COLORS[side])
    height = sizes.key_h + sizes.angle_h - 0.35
    _key_frame(sheet.axes(MARGIN_X_IN, y + 0.17, col_w, height), content, images, side)
    x_plot = MARGIN_X_IN + col_w + gap
    draw_angle_plot(sheet.axes(x_plot + 0.38, y + 0.17, col_w - 0.4, height - 0.3), images.frames.get(side), side,
                    view.reps, view.leg.best_rep)
    y += 0.17 + sizes.key_h + sizes.angle_h
    sheet.text(MARGIN_X_IN + sheet.content_w / 2, y - 0.08, PLOT_LEGEND, ha="center", fontsize=6.3, color=MUTED)
    return y + 0.1


def _bottom_lines(content: ReportContent, col_w: float, max_lines: int, rep_lines: int | None = None
                  ) -> tuple[list[str], list[str], list[str]]:
    """Rep list (kept beside a trend too, capped at rep_lines), trend sentences and warnings, wrapped and capped."""
    reps = _rep_lines(content, col_w, max_lines if rep_lines is None else rep_lines)
    trend = [seg for line in content.trend_lines for seg in wrap(line, col_w, 6.8)]
    warn = [seg for w in content.warnings for seg in _bullet(w, col_w)] or [no_warning_line(content)]
    if len(warn) > max_lines:
        warn = warn[: max_lines - 1] + ["… more in result.json (quality.warnings)"]
    return reps, trend, warn


def _right_column(content: ReportContent, col_w: float, max_lines: int) -> list[tuple[str, list[str]]]:
    """(heading, lines) blocks of the right column: the change since the last visit, then the warnings."""
    _, trend, warn = _bottom_lines(content, col_w, max_lines)
    blocks = [("CHANGE SINCE THE LAST VISIT", trend)] if trend else []
    return blocks + [("RECORDING QUALITY", warn)]


def bottom_height(content: ReportContent, col_w: float, max_lines: int, trend_h: float, rep_lines: int | None = None) -> float:
    """Inches the trend/reps and warnings block needs."""
    reps, _, _ = _bottom_lines(content, col_w, max_lines, rep_lines)
    left = (0.22 + trend_h + 0.25 if content.trend else 0.0) + 0.2 + SMALL_LINE_IN * len(reps)
    right = sum(0.3 + SMALL_LINE_IN * len(lines) for _, lines in _right_column(content, col_w, max_lines)) - 0.1
    return max(left, right) + 0.05


def _bottom(sheet: _Sheet, content: ReportContent, y: float, col_w: float, gap: float, sizes: Sizes) -> None:
    """Trend over visits (when a history exists) or the rep list; beside it the change and the warnings."""
    x_right = MARGIN_X_IN + col_w + gap
    max_lines = sizes.max_lines
    reps, _, _ = _bottom_lines(content, col_w, max_lines, sizes.rep_lines)
    top = y
    if content.trend:
        sheet.text(MARGIN_X_IN, y, "PROGRESS OVER VISITS", fontsize=7.5, fontweight="bold", color=ACCENT)
        draw_trend(sheet.axes(MARGIN_X_IN + 0.4, y + 0.22, col_w - 0.45, sizes.trend_h), content.trend)
        y += 0.22 + sizes.trend_h + 0.25
    sheet.text(MARGIN_X_IN, y, "REPS", fontsize=7.5, fontweight="bold", color=ACCENT)
    sheet.text(MARGIN_X_IN, y + 0.2, "\n".join(reps), fontsize=6.8, linespacing=1.35)
    for heading, lines in _right_column(content, col_w, max_lines):
        sheet.text(x_right, top, heading, fontsize=7.5, fontweight="bold", color=ACCENT)
        sheet.text(x_right, top + 0.2, "\n".join(lines), fontsize=6.8, linespacing=1.35)
        top += 0.3 + SMALL_LINE_IN * len(lines)


def _bullet(text: str, width_in: float) -> list[str]:
    """A warning as a bulleted, wrapped item."""
    lines = wrap(text, width_in - 0.15, 6.8)
    return ["• " + lines[0]] + ["   " + line for line in lines[1:]]


def _rep_blocks(content: ReportContent, col_w: float, max_reasons: int | None = None) -> list[list[str]]:
    """Every rep of the reported legs as a wrapped bullet (one block of lines per rep)."""
    return [["• " + seg if k == 0 else "   " + seg for k, seg in enumerate(wrap(line, col_w - 0.15, 6.8))]
            for line in rep_lines(content, max_reasons)]


def _rep_lines(content: ReportContent, col_w: float, cap: int | None = None) -> list[str]:
    """The reps' bullets; over `cap` lines, as many whole reps as fit and a line saying where the rest are.

    A rep whose reasons do not fit keeps its first one and the count of the rest (real clip ypt_army_forward_lunge: a
    rep with five reasons took 11 lines, more than the list's 9, and the page listed no rep at all).
    """
    blocks = _rep_blocks(content, col_w)
    out = [seg for block in blocks for seg in block]
    if cap is None or len(out) <= cap:
        return out
    kept: list[str] = []
    for block, short in zip(blocks, _rep_blocks(content, col_w, max_reasons=1)):
        # a rep is listed whole or not at all: never a verdict cut mid-sentence
        fitting = next((b for b in (block, short) if len(kept) + len(b) <= cap - 1), None)
        if fitting is None:
            break
        kept += fitting
    return kept + ["… every rep is in result.json"]


def _footer(sheet: _Sheet, content: ReportContent) -> None:
    """Method in one line and the provenance note, pinned to the bottom margin."""
    method = wrap(content.method_line, sheet.content_w, 6.3)
    footer = wrap(content.footer, sheet.content_w, 6.3)
    lines = method + footer
    top = sheet.h_in - MARGIN_BOTTOM_IN - FOOTER_LINE_IN * len(lines)
    sheet.rule(top - 0.06)
    sheet.text(MARGIN_X_IN, top, "\n".join(method), fontsize=6.3, color="0.25", linespacing=1.3)
    sheet.text(MARGIN_X_IN, top + FOOTER_LINE_IN * len(method), "\n".join(footer), fontsize=6.3, color=MUTED, linespacing=1.3,
               style="italic")


def footer_height(content: ReportContent, paper: str) -> float:
    """Inches the footer takes (method + provenance lines)."""
    w = PAPER_IN[paper][0] - 2 * MARGIN_X_IN
    return FOOTER_LINE_IN * (len(wrap(content.method_line, w, 6.3)) + len(wrap(content.footer, w, 6.3))) + 0.12


@dataclass(frozen=True)
class Sizes:
    """Heights (inches) of the flexible parts of the page, and how long the lists may be."""

    key_h: float
    angle_h: float
    trend_h: float
    max_lines: int
    spare: float  # height left over once the key frames are at their largest
    rep_lines: int | None = None  # the rep list's own cap when even the shortest lists do not fit (None: max_lines)


def fit_sizes(content: ReportContent, free_in: float, col_w: float) -> Sizes:
    """Share the free height: the trend and angle plots give way first, then long lists, the key frames last."""
    max_lines, trend_h, angle_h = MAX_WARNING_LINES, TREND_AXES_IN, ANGLE_PLOT_IN
    rep_lines: int | None = None

    def key_room() -> float:
        return free_in - angle_h - bottom_height(content, col_w, max_lines, trend_h, rep_lines)

    while key_room() < WANTED_KEY_FRAME_IN and trend_h > MIN_TREND_AXES_IN and content.trend:
        trend_h = max(MIN_TREND_AXES_IN, trend_h - 0.05)
    while key_room() < WANTED_KEY_FRAME_IN and angle_h > MIN_ANGLE_PLOT_IN:
        angle_h = max(MIN_ANGLE_PLOT_IN, angle_h - 0.05)
    while key_room() < MIN_KEY_FRAME_IN and max_lines > MIN_LIST_LINES:
        max_lines -= 1
    rep_lines = max_lines
    while key_room() < MIN_KEY_FRAME_IN_LAST and rep_lines > 1:  # beside a trend, the reps go to result.json last
        rep_lines -= 1
    room = key_room()
    key_h = min(MAX_KEY_FRAME_IN, max(MIN_KEY_FRAME_IN_LAST, room))
    return Sizes(key_h, angle_h, trend_h, max_lines, max(0.0, room - key_h), rep_lines)


def build_page(content: ReportContent, images: PageImages, paper: str = "a4") -> Figure:
    """The whole page as a matplotlib Figure."""
    sheet = _Sheet(paper)
    y = _header(sheet, content, MARGIN_TOP_IN)
    if content.refusal is not None:
        return _refused_page(sheet, content, images, y, paper)
    y = _table(sheet, content, y)
    y = _asymmetry(sheet, content, y)
    y = _norms(sheet, content, y)
    gap = 0.25
    col_w = (sheet.content_w - gap) / 2
    sizes = fit_sizes(content, sheet.h_in - y - 0.19 - 0.17 - 0.1 - footer_height(content, paper) - MARGIN_BOTTOM_IN - 0.1,
                      col_w)
    y = _legs(sheet, content, images, y, sizes)
    _bottom(sheet, content, y + 0.05 + sizes.spare / 2, col_w, gap, sizes)
    _footer(sheet, content)
    return sheet.fig


def _refused_page(sheet: _Sheet, content: ReportContent, images: PageImages, y: float, paper: str) -> Figure:
    """A page with no valid measurement: the refusal leads; the angle plots (when a rep was found), the reps and the
    recording's quality follow; no table of dashes, no norms, no asymmetry."""
    assert content.refusal is not None
    has_reps = any(view.reps for view in content.legs.values())
    y = _refusal(sheet, content.refusal, y, has_reps)
    if has_reps:
        y = _refused_plots(sheet, content, images, y, REFUSED_PLOT_IN)
    gap = 0.25
    col_w = (sheet.content_w - gap) / 2
    free = sheet.h_in - y - footer_height(content, paper) - MARGIN_BOTTOM_IN - 0.2
    max_lines = max(MAX_WARNING_LINES, int(free / SMALL_LINE_IN))  # the page's room goes to the lists it kept
    while bottom_height(content, col_w, max_lines, TREND_AXES_IN) > free and max_lines > MIN_LIST_LINES:
        max_lines -= 1
    _bottom(sheet, content, y + 0.05, col_w, gap, Sizes(0.0, 0.0, TREND_AXES_IN, max_lines, 0.0, max_lines))
    _footer(sheet, content)
    return sheet.fig


def save_page(fig: Figure, pdf_path: Path, png_path: Path) -> None:
    """PDF with real (extractable) text and a PNG of the same page, each written atomically."""
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        with atomic_path(pdf_path) as tmp:
            fig.savefig(tmp, format="pdf", metadata={"Title": "Knee-to-wall test report", "Creator": "ankle-cv"})
    with atomic_path(png_path) as tmp:
        fig.savefig(tmp, format="png", dpi=PNG_DPI)
