"""The live picture: the tested leg and shin angle (drawn as in annotated.mp4), a status panel and guidance.

The leg, shin arc and heel marker are annotated_video's own drawing functions fed a one-frame plan,
so live and recorded overlays look the same; this module adds the panel (reps, best rep, fps), the
guidance line and the end-of-session summary.
"""

from __future__ import annotations

import math

import numpy as np

from ankle_cv.live.guidance import CHECK, CROSS, DEGREE
from ankle_cv.live.monitor import LiveState
from ankle_cv.outputs.annotated_video import (
    BANNER,
    DARK,
    GREEN,
    LIGHT,
    RED,
    SHIN,
    WHITE,
    OverlayPlan,
    Style,
    draw_heel,
    draw_leg,
    draw_shin,
    draw_text,
    draw_text_rows,
    shade_box,
    text_size,
)

AMBER = (0, 170, 255)  # BGR: set-up advice
PHASE_COLORS = {"setup": AMBER, "calibrating": (0, 220, 255), "measuring": GREEN}
Row = tuple[str, float, tuple[int, int, int]]


def _plan(state: LiveState, width: int, mirrored: bool) -> OverlayPlan:
    """A one-frame OverlayPlan (frame 0) so annotated_video's leg, shin and heel drawing can be reused."""
    points = {}
    for name, xy in state.points.items():
        p = np.array(xy, dtype=float).reshape(1, 2)
        if mirrored:
            p[:, 0] = width - 1 - p[:, 0]
        points[name] = p
    facing = state.facing * (-1 if mirrored else 1)
    return OverlayPlan(
        angle_deg=np.array([state.angle_deg]),
        heel_lifted=np.array([state.heel_lifted]),
        rep_index=np.zeros(1, int),
        banner_rep=np.zeros(1, int),
        reps={},
        best={},
        both_legs=False,
        facing_sign=1 if facing > 0 else -1,
        side=np.array([state.side], dtype=object),
        points=points,
    )


def _panel_rows(state: LiveState, fps: float) -> list[Row]:
    """Status panel text: leg and reps, the shin angle, heel, best valid rep, frame rate."""
    valid = sum(r.valid for r in state.reps)
    leg = f"{state.side.upper()} LEG   " if state.side else ""
    rows: list[Row] = [(f"{leg}reps {len(state.reps)} ({valid} valid)", 0.8, LIGHT)]
    angle = f"shin {state.angle_deg:.1f}{DEGREE}" if math.isfinite(state.angle_deg) else "shin --"
    rows.append((angle, 1.35, SHIN))
    if state.points and state.heel_read:  # the running analysis's reading while fresh; none is better than a guess
        rows.append(("heel up" if state.heel_lifted else "heel down", 0.9, RED if state.heel_lifted else GREEN))
    if state.best is not None:
        rows.append((f"best {state.best.angle_deg:.1f}{DEGREE} (rep {state.best.number})", 0.8, GREEN))
    rows.append((f"{fps:.0f} fps" if math.isfinite(fps) else "-- fps", 0.6, LIGHT))
    return rows


def _draw_rows(img: np.ndarray, rows: list[Row], x0: int, y0: int, st: Style) -> tuple[int, int]:
    """Text rows on a translucent dark box with its top-left at (x0, y0), as in the annotated video."""
    return draw_text_rows(img, rows, x0, y0, st)


def _drawable(text: str) -> str:
    """Check and cross marks as letters: OpenCV's fonts may lack the glyphs (the degree sign is drawn by hand)."""
    return text.replace(CHECK, "OK").replace(CROSS, "x").replace("\u00b1", "+/-")


def _banner(img: np.ndarray, text: str, color: tuple[int, int, int], top: int, panel: tuple[int, int], st: Style,
            scale: float = 1.1) -> int:
    """A line of text on a coloured box at the top, beside the panel or under it; returns the box's bottom y."""
    if not text:
        return top
    text = _drawable(text)
    size = scale * st.font_scale
    pad = st.margin_px
    w, h = text_size(text, size, st.font_thick_px)
    left = panel[0] + pad
    if w + 2 * pad > img.shape[1] - left - pad:  # no room beside the panel (portrait frame): go under it
        left, top = pad, max(top, panel[1] + pad // 2)
        while w + 2 * pad > img.shape[1] - 2 * pad and size > 0.3:
            size *= 0.9
            w, h = text_size(text, size, st.font_thick_px)
    x0 = left + max(0, (img.shape[1] - left - pad - (w + 2 * pad)) // 2)
    shade_box(img, x0, top, x0 + w + 2 * pad, top + h + 2 * pad, color, 0.8)
    draw_text(img, text, x0 + pad, top + pad + h, size, WHITE, st.font_thick_px, outline=True)
    return top + h + 2 * pad


def guidance_line(state: LiveState) -> tuple[str, tuple[int, int, int]]:
    """The one piece of advice to show now: a view problem, the set-up step, or the in-test hint."""
    if state.hint:
        return state.hint, RED
    if state.phase.message:
        return state.phase.message, PHASE_COLORS.get(state.phase.name, AMBER)
    return "", WHITE


def rep_color(rep_message: str) -> tuple[int, int, int]:
    """Green for a counted rep, red for one that does not count."""
    return RED if CROSS in rep_message else BANNER


def draw_live(bgr: np.ndarray, state: LiveState, fps: float, mirrored: bool = False) -> None:
    """Draw the live overlay in place on a BGR frame (already mirrored when `mirrored`)."""
    h, w = bgr.shape[:2]
    st = Style.for_frame(w, h)
    if state.points:
        plan = _plan(state, w, mirrored)
        draw_leg(bgr, plan, 0, st)
        draw_shin(bgr, plan, 0, st)
        draw_heel(bgr, plan, 0, st)
    panel = _draw_rows(bgr, _panel_rows(state, fps), st.margin_px, st.margin_px, st)
    text, color = guidance_line(state)
    bottom = _banner(bgr, text, color, st.margin_px, panel, st)  # at the top: the feet are at the bottom
    _banner(bgr, state.rep_message, rep_color(state.rep_message), bottom + st.margin_px // 2, panel, st, 1.0)


def draw_summary(bgr: np.ndarray, lines: list[str]) -> None:
    """The end-of-session result over the last frame (darkened), until the user closes the window."""
    h, w = bgr.shape[:2]
    st = Style.for_frame(w, h)
    shade_box(bgr, 0, 0, w, h, DARK, 0.55)
    lines = [_drawable(line) for line in lines]
    rows: list[Row] = [(lines[0], 1.2, WHITE)] + [(line, 0.8, LIGHT) for line in lines[1:]]
    sizes = [text_size(t, st.font_scale * f, st.font_thick_px) for t, f, _ in rows]
    box_w = max(s[0] for s in sizes) + 2 * st.margin_px
    _draw_rows(bgr, rows, max(0, (w - box_w) // 2), max(0, h // 5), st)
