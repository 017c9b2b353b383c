"""The annotated MP4: the tested leg, its shin angle, heel status and reps drawn on every frame.

Every frame of the source is written at the source's frame rate; between two analysed frames the overlay
of the last analysed one is held. What was detected (the pose model's joints, pale blue) and what was
measured (the shin line at the measured angle, amber) are drawn apart, so a wrong number looks wrong.
Drawing is plain OpenCV on a uint8 BGR copy (cheap next to the H.264 encoder); sizes scale with the
frame's short side so a 360p clip and a 4K clip look alike. The file appears only when complete.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

import av
import cv2
import numpy as np

from ankle_cv.enums import HeelSource, Side
from ankle_cv.io.atomic import atomic_path
from ankle_cv.io.video_source import Frame
from ankle_cv.protocol.analysis_types import Analysis, RepResult
from ankle_cv.protocol.reps import HOLD_BAND_DEG
from ankle_cv.scene.camera_geometry import up_from_roll

ENCODER_NAMES = ("libx264", "h264", "libopenh264")  # first found wins; builds differ in what they ship
CRF = 23
PRESET = "veryfast"
TIME_BASE = Fraction(1, 90_000)  # the MPEG clock: fine enough to keep any camera's real frame times
FALLBACK_BITS_PER_PIXEL = 0.1  # for encoders without a CRF mode
REFERENCE_SHORT_SIDE_PX = 720.0  # the sizes below are for a 720p frame
MIN_FONT_UNIT = 0.65  # below ~470p text would shrink past legibility: keep it relatively larger (up to 2x)
MIN_BANNER_S = 1.0  # a best-rep banner shorter than this flashes by unnoticed
FONT = cv2.FONT_HERSHEY_DUPLEX
DEGREE = "°"  # Hershey fonts are ASCII only: the degree sign is drawn as a small ring
FIXED_SHIFT = 4  # sub-pixel bits for cv2 drawing, so slow motion does not jitter by whole pixels
FIXED_ONE = 1 << FIXED_SHIFT

# Colours (BGR).
BGR = tuple[int, int, int]
WHITE = (245, 245, 245)
LIGHT = (200, 200, 200)
DARK = (20, 20, 20)
SHIN = (0, 200, 255)  # amber: the measured segment
LEG = (235, 210, 160)  # pale blue: the rest of the leg
GREEN = (100, 225, 80)
RED = (90, 90, 255)
BANNER = (60, 150, 30)


@dataclass(frozen=True)
class Style:
    """Line widths and font sizes for one frame size (pixels)."""

    unit: float
    line_px: int
    thin_px: int
    joint_radius_px: float
    font_scale: float
    font_thick_px: int
    margin_px: int

    @staticmethod
    def for_frame(width_px: int, height_px: int) -> Style:
        """Scale everything from the short side so portrait, 360p and 4K frames look the same."""
        unit = max(min(width_px, height_px) / REFERENCE_SHORT_SIDE_PX, 0.3)
        return Style(
            unit=unit,
            line_px=max(1, round(4 * unit)),
            thin_px=max(1, round(2 * unit)),
            joint_radius_px=max(2.0, 6 * unit),
            font_scale=0.8 * max(unit, min(MIN_FONT_UNIT, 2 * unit)),
            font_thick_px=max(1, round(2 * unit)),
            margin_px=max(4, round(16 * unit)),
        )


@dataclass(frozen=True)
class OverlayPlan:
    """Everything drawn, per frame index, worked out once for the clip."""

    angle_deg: np.ndarray
    heel_lifted: np.ndarray
    rep_index: np.ndarray
    banner_rep: np.ndarray  # (N,) int: the best rep whose banner shows in the frame, 0 for none
    reps: dict[int, RepResult]
    best: dict[int, RepResult]  # each tested leg's best valid rep, by rep index
    both_legs: bool
    facing_sign: int
    side: np.ndarray  # (N,) tested leg per frame ("left"/"right"): both legs may be tested in one clip
    points: dict[str, np.ndarray]  # detected hip/knee/ankle/heel/toe and the measured shin_top -> (N, 2) pixels
    video_frames: np.ndarray | None = None  # (N,) video frame index of each analysed frame (ascending); None: the same
    hold_frames: int = 1  # video frames an analysed frame's overlay stays up (the sampling stride)
    roll_deg: float = 0.0  # the camera's roll the angles were corrected for: the drawn vertical is the true one

    @property
    def n_frames(self) -> int:
        """Frames the analysis covers (video frames past this get no overlay)."""
        return int(self.angle_deg.shape[0])

    def sample_of(self, video_frame: int) -> int:
        """The analysed frame whose overlay a video frame shows (the last one at or before it), -1 for none."""
        if self.video_frames is None:
            return video_frame if 0 <= video_frame < self.n_frames else -1
        i = int(np.searchsorted(self.video_frames, video_frame, side="right")) - 1
        if i < 0 or video_frame - int(self.video_frames[i]) >= self.hold_frames:
            return -1
        return i


# ---------------------------------------------------------------------------------------------
# Planning


def best_reps_of(analysis: Analysis) -> dict[int, RepResult]:
    """Each leg's best valid rep (one leg in most clips; both when the clip tests both)."""
    wanted = {leg.best_rep for leg in analysis.legs.values() if leg.best_rep is not None}
    if analysis.best_rep is not None:
        wanted.add(analysis.best_rep)
    return {r.index: r for r in analysis.reps if r.index in wanted}


def _banner_frames(analysis: Analysis, best: dict[int, RepResult], fps: float) -> np.ndarray:
    """Per frame, the best rep whose banner shows (0 for none)."""
    n = analysis.frames.times_s.shape[0]
    shown = np.zeros(n, dtype=int)
    for index, rep in best.items():
        shown[_banner_mask(analysis, rep, fps)] = index
    return shown


def _banner_mask(analysis: Analysis, best: RepResult, fps: float) -> np.ndarray:
    """Frames of a rep's hold (within HOLD_BAND_DEG of its peak), at least MIN_BANNER_S long."""
    n = analysis.frames.times_s.shape[0]
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return mask
    smooth = np.asarray(analysis.frames.tibial_inclination_smooth_deg, float)
    start, peak, end = max(best.start_frame, 0), min(max(best.peak_frame, 0), n - 1), min(best.end_frame, n - 1)
    lo = hi = peak
    if np.isfinite(smooth[peak]):
        level = smooth[peak] - HOLD_BAND_DEG
        while lo > start and smooth[lo - 1] >= level:
            lo -= 1
        while hi < end and smooth[hi + 1] >= level:
            hi += 1
    half = int(math.ceil(MIN_BANNER_S * max(fps, 1.0) / 2))
    lo = max(start, min(lo, peak - half))
    hi = min(end, max(hi, peak + half))
    mask[lo:hi + 1] = True
    return mask


def _side_per_frame(analysis: Analysis) -> np.ndarray:
    """The leg named on screen: the rep's side inside a rep, else the per-frame front leg, else the clip's."""
    n = analysis.frames.times_s.shape[0]
    side = np.asarray(analysis.frames.front_side, dtype=object)
    if side.shape != (n,):
        side = np.full(n, "", dtype=object)
    side = np.where(side == "", analysis.side, side)
    for r in analysis.reps:
        side[max(r.start_frame, 0):r.end_frame + 1] = r.side
    return side


def plan_overlay(
    analysis: Analysis, points: dict[str, np.ndarray], fps: float, video_frames: np.ndarray | None = None, hold_frames: int = 1,
) -> OverlayPlan:
    """Collect the per-frame values to draw from the analysis and the caller's leg points.

    `fps` is the analysed frames' rate; `video_frames` the video frame index of each analysed frame
    (default: one analysed frame per video frame).
    """
    f = analysis.frames
    best = best_reps_of(analysis)
    n = f.times_s.shape[0]
    frames = np.arange(n) if video_frames is None else np.asarray(video_frames, int)
    return OverlayPlan(
        angle_deg=np.asarray(f.tibial_inclination_deg, float),
        heel_lifted=np.asarray(f.heel_lifted, bool),
        rep_index=np.asarray(f.rep_index, int),
        banner_rep=_banner_frames(analysis, best, fps),
        reps={r.index: r for r in analysis.reps},
        best=best,
        both_legs=len({r.side for r in analysis.reps}) > 1,
        facing_sign=Side(analysis.facing).sign,
        side=_side_per_frame(analysis),
        points={k: np.asarray(v, float).reshape(-1, 2) for k, v in points.items()},
        video_frames=frames,
        hold_frames=max(1, int(hold_frames)),
        roll_deg=float(analysis.camera.roll_deg or 0.0),
    )


# ---------------------------------------------------------------------------------------------
# Drawing primitives


def _fixed(xy: np.ndarray) -> tuple[int, int]:
    """A point in cv2's fixed-point sub-pixel form."""
    return int(round(float(xy[0]) * FIXED_ONE)), int(round(float(xy[1]) * FIXED_ONE))


def _finite(*points: np.ndarray) -> bool:
    """Whether every coordinate is known (missing landmarks are NaN)."""
    return all(p is not None and bool(np.all(np.isfinite(p))) for p in points)


def _line(img: np.ndarray, a: np.ndarray, b: np.ndarray, color: BGR, thick_px: int) -> None:
    """Antialiased sub-pixel line."""
    cv2.line(img, _fixed(a), _fixed(b), color, thick_px, cv2.LINE_AA, FIXED_SHIFT)


def _dot(img: np.ndarray, c: np.ndarray, radius_px: float, color: BGR, ring: BGR | None, ring_px: int) -> None:
    """Filled, antialiased joint marker with an optional ring for contrast."""
    r = max(1, int(round(radius_px * FIXED_ONE)))
    cv2.circle(img, _fixed(c), r, color, -1, cv2.LINE_AA, FIXED_SHIFT)
    if ring is not None:
        cv2.circle(img, _fixed(c), r, ring, ring_px, cv2.LINE_AA, FIXED_SHIFT)


def _dashed_line(img: np.ndarray, a: np.ndarray, b: np.ndarray, color: BGR, thick_px: int, dash_px: float) -> None:
    """A dashed line: a reference, not a measurement."""
    length = float(np.hypot(*(b - a)))
    if length < 1 or dash_px <= 0:
        return
    step = (b - a) / length
    for s in np.arange(0.0, length, 2 * dash_px):
        _line(img, a + step * s, a + step * min(s + dash_px, length), color, thick_px)


def _segments(text: str) -> list[str]:
    """Split text at degree signs, which are drawn by hand (Hershey fonts are ASCII only)."""
    return text.split(DEGREE)


def text_size(text: str, scale: float, thick_px: int) -> tuple[int, int]:
    """(width, cap height) in pixels of text drawn with draw_text."""
    parts = _segments(text)
    width = 0
    height = cv2.getTextSize("0", FONT, scale, thick_px)[0][1]
    for part in parts:
        if part:
            width += cv2.getTextSize(part, FONT, scale, thick_px)[0][0]
    width += (len(parts) - 1) * _degree_advance_px(height, thick_px)
    return width, height


def _degree_advance_px(cap_px: int, thick_px: int) -> int:
    """Horizontal room the hand-drawn degree ring takes."""
    return int(round(0.45 * cap_px + thick_px + 2))


def _put(img: np.ndarray, text: str, x: int, y: int, scale: float, color: BGR, thick_px: int) -> int:
    """Draw one style of text with hand-drawn degree rings; returns the width used."""
    cap = cv2.getTextSize("0", FONT, scale, thick_px)[0][1]
    radius = max(1.5, 0.14 * cap)
    ring_px = max(1, int(round(0.6 * thick_px)))
    x0 = x
    for k, part in enumerate(_segments(text)):
        if k > 0:
            ring = np.array([x + radius + 0.5 * ring_px + 1, y - cap + radius])
            cv2.circle(img, _fixed(ring), int(radius * FIXED_ONE), color, ring_px, cv2.LINE_AA, FIXED_SHIFT)
            x += _degree_advance_px(cap, thick_px)
        if part:
            cv2.putText(img, part, (x, y), FONT, scale, color, thick_px, cv2.LINE_AA)
            x += cv2.getTextSize(part, FONT, scale, thick_px)[0][0]
    return x - x0


def draw_text(img: np.ndarray, text: str, x: int, y: int, scale: float, color: BGR, thick_px: int, outline: bool = True) -> int:
    """Text at baseline (x, y) with a dark outline, readable on any background; returns its width."""
    if outline:
        _put(img, text, x, y, scale, DARK, thick_px + max(2, thick_px))
    return _put(img, text, x, y, scale, color, thick_px)


def draw_label(img: np.ndarray, text: str, x: float, y: float, scale: float, color: BGR, st: Style) -> None:
    """Text on a translucent dark box (baseline at x, y, kept inside the frame): readable on any floor or wall."""
    w, h = text_size(text, scale, st.font_thick_px)
    pad = max(2, st.margin_px // 3)
    x, y = _clamp_text(img, x, y, w + pad, h + pad, st)
    shade_box(img, x - pad, y - h - pad, x + w + pad, y + pad + st.font_thick_px, DARK, 0.55)
    draw_text(img, text, x, y, scale, color, st.font_thick_px, outline=False)


def shade_box(img: np.ndarray, x0: int, y0: int, x1: int, y1: int, color: BGR, alpha: float) -> None:
    """Blend a filled rectangle into the image (only the box's pixels are touched)."""
    h, w = img.shape[:2]
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    img[y0:y1, x0:x1] = cv2.addWeighted(roi, 1.0 - alpha, np.full_like(roi, color), alpha, 0.0)


# ---------------------------------------------------------------------------------------------
# Overlay layers


def _point(plan: OverlayPlan, name: str, i: int) -> np.ndarray | None:
    """One leg point of frame i, or None when it is unknown."""
    track = plan.points.get(name)
    if track is None or i >= track.shape[0]:
        return None
    p = track[i]
    return p if _finite(p) else None


DETECTED_BONES = (("hip", "knee"), ("knee", "ankle"), ("ankle", "heel"), ("heel", "toe"), ("toe", "ankle"))


def draw_leg(img: np.ndarray, plan: OverlayPlan, i: int, st: Style) -> None:
    """The pose model's joints of the tested leg as detected (hip-knee-ankle, the foot): thin pale lines and dots."""
    pts = {name: _point(plan, name, i) for name in ("hip", "knee", "ankle", "heel", "toe")}
    for a, b in DETECTED_BONES:
        pa, pb = pts[a], pts[b]
        if pa is not None and pb is not None:
            _line(img, pa, pb, DARK, st.thin_px + 2 * max(1, st.thin_px // 2))
            _line(img, pa, pb, LEG, st.thin_px)
    for name in ("hip", "knee", "ankle", "toe"):
        p = pts[name]
        if p is not None:
            _dot(img, p, st.joint_radius_px * 0.8, LEG, DARK, max(1, st.thin_px // 2))


def draw_shin(img: np.ndarray, plan: OverlayPlan, i: int, st: Style) -> None:
    """The measured angle: vertical reference through the ankle, the measured shin line and the arc between.

    The line runs from the ankle at the measured angle (`shin_top`), not to the detected knee: when the
    two disagree the picture shows it.
    """
    knee, ankle = _point(plan, "shin_top", i), _point(plan, "ankle_anchor", i)
    if knee is None or ankle is None:  # outputs without the measured line's points: the knee as given
        knee, ankle = _point(plan, "knee", i), _point(plan, "ankle", i)
    if knee is None or ankle is None:
        return
    shin = knee - ankle
    length = float(np.hypot(*shin))
    if length < 2:
        return
    up = up_from_roll(plan.roll_deg)
    top = ankle + 1.1 * length * up
    _dashed_line(img, ankle, top, DARK, st.thin_px + 2, dash_px=10 * st.unit)
    _dashed_line(img, ankle, top, WHITE, st.thin_px, dash_px=10 * st.unit)
    _draw_arc(img, ankle, shin, 0.5 * length, st, math.degrees(math.atan2(up[1], up[0])))
    _line(img, ankle, knee, DARK, st.line_px + 2 * max(1, st.line_px // 2))
    _line(img, ankle, knee, SHIN, st.line_px)
    _dot(img, ankle, st.joint_radius_px, SHIN, DARK, max(1, st.thin_px // 2))
    _draw_angle_label(img, plan, i, ankle, shin, length, st)


def _draw_arc(
    img: np.ndarray, ankle: np.ndarray, shin: np.ndarray, radius_px: float, st: Style, up_deg: float = -90.0
) -> None:
    """Arc from the true vertical (`up_deg`, image coords: a level camera's up is -90) to the shin, the angle reported."""
    direction_deg = math.degrees(math.atan2(shin[1], shin[0]))
    if abs(direction_deg - up_deg) > 90.0:  # knee below the ankle: nothing sensible to show
        return
    _fill_wedge(img, ankle, radius_px, up_deg, direction_deg, SHIN, 0.45)
    r = int(round(radius_px * FIXED_ONE))
    cv2.ellipse(img, _fixed(ankle), (r, r), 0.0, up_deg, direction_deg, SHIN, st.thin_px + 1, cv2.LINE_AA, FIXED_SHIFT)


def _fill_wedge(
    img: np.ndarray, centre: np.ndarray, radius_px: float, start_deg: float, end_deg: float, color: BGR, alpha: float
) -> None:
    """Translucent circular sector: makes the measured angle visible at a glance."""
    theta = np.radians(np.linspace(start_deg, end_deg, 24))
    poly = np.vstack([centre, centre + radius_px * np.stack([np.cos(theta), np.sin(theta)], axis=1)])
    h, w = img.shape[:2]
    x0, y0 = np.maximum(np.floor(poly.min(axis=0)).astype(int) - 1, 0)
    x1, y1 = np.minimum(np.ceil(poly.max(axis=0)).astype(int) + 2, (w, h))
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    layer = roi.copy()
    local = np.round((poly - (x0, y0)) * FIXED_ONE).astype(np.int32)
    cv2.fillPoly(layer, [local], color, cv2.LINE_AA, FIXED_SHIFT)
    img[y0:y1, x0:x1] = cv2.addWeighted(roi, 1.0 - alpha, layer, alpha, 0.0)


def _draw_angle_label(
    img: np.ndarray, plan: OverlayPlan, i: int, ankle: np.ndarray, shin: np.ndarray, length_px: float, st: Style
) -> None:
    """The shin angle in degrees behind the vertical reference (away from the wall), clear of the arc."""
    angle = plan.angle_deg[i] if i < plan.n_frames else np.nan
    if not np.isfinite(angle):
        return
    text = f"{angle:.1f}{DEGREE}"
    scale = st.font_scale
    w, h = text_size(text, scale, st.font_thick_px)
    gap = 2.0 * st.joint_radius_px
    back_x = min(ankle[0], ankle[0] + shin[0]) if plan.facing_sign > 0 else max(ankle[0], ankle[0] + shin[0])
    x = back_x - gap - w if plan.facing_sign > 0 else back_x + gap
    draw_label(img, text, x, ankle[1] - 0.55 * length_px + h / 2, scale, SHIN, st)


def _clamp_text(img: np.ndarray, x: float, y: float, w: int, h: int, st: Style) -> tuple[int, int]:
    """Keep a label's box inside the frame."""
    height, width = img.shape[:2]
    m = st.margin_px // 2
    return int(min(max(x, m), width - w - m)), int(min(max(y, h + m), height - m))


def heel_status(plan: OverlayPlan, i: int) -> tuple[str, BGR]:
    """The heel's state drawn at analysed frame i: the rep's own reading, 'not checked' inside a rep whose heel was not judged."""
    rep = plan.reps.get(int(plan.rep_index[i]))
    if rep is not None and not HeelSource(rep.heel_lift_source).judged:
        return "heel not checked", LIGHT
    return ("heel up", RED) if bool(plan.heel_lifted[i]) else ("heel down", GREEN)


def draw_heel(img: np.ndarray, plan: OverlayPlan, i: int, st: Style) -> None:
    """Heel marker: green when down, red when lifted, with a label behind the foot."""
    heel = _point(plan, "heel", i)
    if heel is None or i >= plan.n_frames:
        return
    text, color = heel_status(plan, i)
    _dot(img, heel, 1.6 * st.joint_radius_px, color, WHITE, max(1, st.thin_px))
    scale = 0.8 * st.font_scale
    w, h = text_size(text, scale, st.font_thick_px)
    gap = 3.0 * st.joint_radius_px
    x = heel[0] - gap - w if plan.facing_sign > 0 else heel[0] + gap
    draw_label(img, text, x, heel[1] + h / 2, scale, color, st)


def _rep_status(rep: RepResult | None, best: dict[int, RepResult]) -> tuple[str, BGR]:
    """Short verdict for the current rep, from the whole-clip analysis."""
    if rep is None:
        return "", WHITE
    if rep.index in best:
        return "best valid rep", GREEN
    if rep.valid:
        return "valid", GREEN
    reason = rep.invalid_reasons[0].split(" (")[0] if rep.invalid_reasons else "invalid"
    return f"invalid: {reason}", RED


ANGLE_NAME = "joint-centre"  # the video's angle is the joint-centre one (result.json tibial_inclination_deg)


def _hud_lines(plan: OverlayPlan, i: int) -> list[tuple[str, float, BGR]]:
    """Text rows of the info panel (analysed frame i, -1 for none): (text, size factor, colour)."""
    inside = 0 <= i < plan.n_frames
    k = int(plan.rep_index[i]) if inside else 0
    counter = f"rep {k}/{len(plan.reps)}" if k > 0 else f"rep -/{len(plan.reps)}"
    angle = plan.angle_deg[i] if inside else np.nan
    angle_text = f"shin {angle:.1f}{DEGREE}" if np.isfinite(angle) else "shin --"
    side = str(plan.side[i]) if inside else str(plan.side[-1]) if plan.n_frames else ""
    rows = [(f"{side.upper()} LEG   {counter}".strip(), 0.8, LIGHT), (angle_text, 1.35, SHIN)]
    if k > 0:  # in a rep, the angle named under it: the printout's category judges another one (inclinometer-equivalent,
        # 3-15 deg steeper); between reps the panel stays small (a 304 px portrait frame's first picture lost 0.03 of its
        # likeness to the upright source to the longer panel: tests/cli/test_bad_inputs' rotation row)
        rows.append((ANGLE_NAME, 0.6, SHIN))
    if inside:
        text, color = heel_status(plan, i)
        rows.append((text, 0.9, color))
    status, color = _rep_status(plan.reps.get(k), plan.best)
    if status:
        rows.append((status, 0.7, color))
    return rows


def draw_text_rows(img: np.ndarray, rows: list[tuple[str, float, BGR]], x0: int, y0: int, st: Style) -> tuple[int, int]:
    """Text rows (text, size factor, colour) on a translucent dark box at (x0, y0); returns its bottom-right."""
    pad = st.margin_px
    sizes = [text_size(t, st.font_scale * f, st.font_thick_px) for t, f, _ in rows]
    line_gap = int(0.6 * sizes[0][1]) + 2
    box_w = max(w for w, _ in sizes) + 2 * pad
    box_h = sum(h for _, h in sizes) + line_gap * (len(rows) - 1) + 2 * pad
    shade_box(img, x0, y0, x0 + box_w, y0 + box_h, DARK, 0.6)
    y = y0 + pad
    for (text, factor, color), (_, h) in zip(rows, sizes):
        y += h
        draw_text(img, text, x0 + pad, y, st.font_scale * factor, color, st.font_thick_px, outline=False)
        y += line_gap
    return x0 + box_w, y0 + box_h


def _draw_hud(img: np.ndarray, plan: OverlayPlan, i: int, st: Style) -> tuple[int, int]:
    """Info panel in the top-left corner on a translucent dark box; returns its (right, bottom) edge."""
    return draw_text_rows(img, _hud_lines(plan, i), st.margin_px, st.margin_px, st)


def _draw_banner(img: np.ndarray, rep: RepResult, both_legs: bool, st: Style, hud_corner: tuple[int, int]) -> None:
    """'BEST REP 40.3°' at the top centre while a best rep is held (below the info panel if they would meet)."""
    label = f"BEST {rep.side.upper()} REP" if both_legs else "BEST REP"
    ci = rep.tibial_inclination_ci95_deg
    text = f"{label}  {rep.tibial_inclination_deg:.1f}{DEGREE} {ANGLE_NAME}" + (f" +/-{ci:.1f}" if np.isfinite(ci) else "")
    scale = 1.3 * st.font_scale
    thick = st.font_thick_px + 1
    w, h = text_size(text, scale, thick)
    pad = st.margin_px
    x0 = (img.shape[1] - w) // 2 - pad
    y0 = st.margin_px
    if x0 < hud_corner[0] + st.margin_px:  # narrow (portrait) frame: stack under the panel instead
        x0, y0 = st.margin_px, hud_corner[1] + st.margin_px // 2
    shade_box(img, x0, y0, x0 + w + 2 * pad, y0 + h + 2 * pad, BANNER, 0.85)
    draw_text(img, text, x0 + pad, y0 + pad + h, scale, WHITE, thick, outline=False)


def draw_overlay(bgr: np.ndarray, video_frame: int, plan: OverlayPlan, st: Style) -> None:
    """Draw a video frame's annotations (those of the analysed frame it shows) in place on a BGR uint8 image."""
    i = plan.sample_of(video_frame)
    inside = 0 <= i < plan.n_frames
    if inside:
        draw_leg(bgr, plan, i, st)
        draw_shin(bgr, plan, i, st)
        draw_heel(bgr, plan, i, st)
    hud_corner = _draw_hud(bgr, plan, i, st)
    if inside and plan.banner_rep[i] in plan.best:
        _draw_banner(bgr, plan.best[plan.banner_rep[i]], plan.both_legs, st, hud_corner)


# ---------------------------------------------------------------------------------------------
# Encoding


def pick_h264_encoder() -> str:
    """Name of an H.264 encoder this PyAV build has (wheels ship libx264; some builds only others)."""
    for name in ENCODER_NAMES:
        try:
            return av.codec.Codec(name, "w").name
        except (ValueError, av.error.FFmpegError):
            continue
    raise RuntimeError(
        "this PyAV/FFmpeg build has no H.264 encoder (tried " + ", ".join(ENCODER_NAMES) + "); "
        "install the PyPI 'av' wheel, which bundles libx264"
    )


def _even(n: int) -> int:
    """H.264 in yuv420p needs even sizes."""
    return n + (n % 2)


class Mp4Writer:
    """H.264/MP4 writer keeping each frame's real timestamp; the stream opens on the first frame's size."""

    def __init__(self, path: Path, fps: float, encoder: str) -> None:
        self.path = path
        self.fps = fps if fps and math.isfinite(fps) and fps > 0 else 30.0
        self.encoder = encoder
        self.container = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        self.stream: av.video.stream.VideoStream | None = None
        self.size: tuple[int, int] | None = None  # (width, height) of the input frames
        self.t0_s: float | None = None
        self.last_pts = -1
        self.count = 0

    def _open_stream(self, width: int, height: int) -> None:
        """Create the video stream: libx264 gets CRF/preset, other encoders a bit rate."""
        stream: Any = self.container.add_stream(self.encoder, rate=Fraction(self.fps).limit_denominator(1001))
        stream.width, stream.height = _even(width), _even(height)
        stream.pix_fmt = "yuv420p"
        stream.time_base = TIME_BASE
        stream.codec_context.time_base = TIME_BASE
        if self.encoder == "libx264":
            stream.options = {"crf": str(CRF), "preset": PRESET}
        else:
            stream.bit_rate = int(FALLBACK_BITS_PER_PIXEL * stream.width * stream.height * self.fps)
        self.stream, self.size = stream, (width, height)

    def _pts(self, time_s: float) -> int:
        """Timestamp from the frame's real time; a missing or non-increasing time falls back to fps."""
        step = max(1, round(1 / (self.fps * TIME_BASE)))
        if time_s is None or not math.isfinite(time_s):
            pts = self.last_pts + step if self.last_pts >= 0 else 0
        else:
            if self.t0_s is None:
                self.t0_s = time_s
            pts = round((time_s - self.t0_s) / TIME_BASE)
            if pts <= self.last_pts:
                pts = self.last_pts + step
        self.last_pts = pts
        return pts

    def write(self, bgr: np.ndarray, time_s: float) -> None:
        """Encode one BGR frame (padded to even size by repeating the last row/column)."""
        h, w = bgr.shape[:2]
        if self.stream is None:
            self._open_stream(w, h)
        assert self.stream is not None and self.size is not None
        if (w, h) != self.size:
            bgr = cv2.resize(bgr, self.size, interpolation=cv2.INTER_AREA)
            w, h = self.size
        if w % 2 or h % 2:
            bgr = cv2.copyMakeBorder(bgr, 0, h % 2, 0, w % 2, cv2.BORDER_REPLICATE)
        frame = av.VideoFrame.from_ndarray(cast(Any, cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420)), format="yuv420p")
        frame.pts = self._pts(time_s)
        frame.time_base = TIME_BASE
        for packet in self.stream.encode(frame):
            self.container.mux(packet)
        self.count += 1

    def close(self) -> None:
        """Flush the encoder and finish the file."""
        if self.stream is None:
            self.container.close()
            raise ValueError("no video frames to write")
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        self.container.close()

    def abort(self) -> None:
        """Release the file after a failure (its content is thrown away)."""
        try:
            self.container.close()
        except Exception:
            pass


def plan_for_video(analysis: Analysis, points: dict[str, np.ndarray], video_frames: np.ndarray, fps: float) -> OverlayPlan:
    """The overlay plan of a video at `fps` whose analysed frames are `video_frames` (every n-th frame)."""
    frames_idx = np.asarray(video_frames, int)
    stride = max(1, int(np.median(np.diff(frames_idx)))) if frames_idx.size > 1 else 1
    return plan_overlay(analysis, points, fps / stride, frames_idx, stride)


def annotate(rgb: np.ndarray, video_frame: int, plan: OverlayPlan) -> np.ndarray:
    """One video frame with its overlay drawn, as BGR (what annotated.mp4 shows at that frame)."""
    bgr = cv2.cvtColor(np.asarray(rgb, dtype=np.uint8), cv2.COLOR_RGB2BGR)
    draw_overlay(bgr, video_frame, plan, Style.for_frame(bgr.shape[1], bgr.shape[0]))
    return bgr


def write_annotated_video(
    frames: Iterable[Frame],
    out_path: Path,
    fps: float,
    analysis: Analysis,
    points: dict[str, np.ndarray],
    video_frames: np.ndarray,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write every frame of the clip with the tested leg, shin angle, heel status and reps drawn on, as H.264 MP4.

    `fps` is the source's rate; `frames` every decoded frame (`Frame.index` = video frame index). The (N, 2)
    point tracks (detected hip/knee/ankle/heel/toe, the measured line's ankle_anchor and shin_top) are in
    the frames' pixels, one row per analysed frame, whose video frame indices are `video_frames`.
    `progress` gets the number of frames written.
    """
    encoder = pick_h264_encoder()
    plan = plan_for_video(analysis, points, video_frames, fps)
    with atomic_path(Path(out_path)) as tmp:
        writer = Mp4Writer(tmp, fps, encoder)
        try:
            for frame in frames:
                writer.write(annotate(frame.rgb, frame.index, plan), frame.time_s)
                if progress is not None:
                    progress(writer.count)
            writer.close()
        except BaseException:
            writer.abort()
            raise
