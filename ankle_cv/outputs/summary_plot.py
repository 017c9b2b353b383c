"""The summary PNG: the best rep's peak frame, the angle over time with reps and norms, and the result in words.

Drawn with matplotlib's object API on an Agg canvas (no pyplot state, no display needed), so it
works headless and from threads. The file appears only when complete.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Wedge
from matplotlib.text import Text

from ankle_cv.enums import Category, HeelSource, Side
from ankle_cv.io.atomic import atomic_path
from ankle_cv.io.json_numbers import json_number, no_minus_zero
from ankle_cv.outputs.key_frame import HeelDrawn, heel_drawn, shown_frame
from ankle_cv.outputs.refusal_advice import advice_for
from ankle_cv.protocol.analysis_types import Analysis, LegSummary, RepResult
from ankle_cv.protocol.centimetre_types import RepCentimetres
from ankle_cv.protocol.norms import (
    NORM_TEXT,
    NORMAL_FROM_DEG,
    RESTRICTED_BELOW_DEG,
    band_span,
    category_for_cm,
    category_words,
)
from ankle_cv.results.angle_names import (
    INCLINOMETER_NAME,
    JOINT_CENTRE_NAME,
    deg_with_interval,
)
from ankle_cv.results.build import angle_bands, distance_bands
from ankle_cv.scene.camera_geometry import up_from_roll

FIGURE_SIZE_IN = (16.0, 8.0)
DPI = 100  # 1600 x 800 px
CROP_MARGIN = 0.45  # share of the leg's extent added around it when cropping the frame
TEXT_WRAP_CHARS = 118
MAX_TEXT_LINES = 12
MIN_Y_SPAN_DEG = 50.0

SHIN_COLOR = "#f5b800"
LEG_COLOR = "#9fd3ff"
ANGLE_COLOR = "#1f5fa8"
RAW_COLOR = "0.6"
INCLINOMETER_COLOR = "#8a2be2"
VALID_COLOR = "#2ca02c"
INVALID_COLOR = "0.55"
HEEL_COLOR = "#d62728"
CATEGORY_COLORS = {"normal": "#2ca02c", "borderline": "#e08a00", "restricted": "#d62728"}


# ---------------------------------------------------------------------------------------------
# Facts in words


def best_rep_of(analysis: Analysis) -> RepResult | None:
    """The rep the result is taken from, or None when no rep is valid."""
    return next((r for r in analysis.reps if r.index == analysis.best_rep), None)


def _leg_bests(analysis: Analysis) -> dict[int, RepResult]:
    """Each tested leg's best valid rep, by rep index (two entries when both legs were tested)."""
    wanted = {leg.best_rep for leg in analysis.legs.values() if leg.best_rep is not None}
    if analysis.best_rep is not None:
        wanted.add(analysis.best_rep)
    return {r.index: r for r in analysis.reps if r.index in wanted}


def _category(analysis: Analysis, best: RepResult | None) -> str | None:
    """Category of the reported leg (as computed by the analysis), with the bands its 95 % interval also reaches."""
    if best is None:
        return None
    leg = analysis.legs.get(best.side)
    if leg is None or leg.category is None:
        return None
    return category_words(leg.category, _leg_bands(leg))


def _leg_bands(leg: LegSummary) -> tuple[Category, ...] | None:
    """The bands a leg's inclinometer-equivalent 95 % interval touches (from the numbers result.json rounds to)."""
    return angle_bands(leg.category, json_number(leg.inclinometer_equivalent_deg), json_number(leg.inclinometer_equivalent_ci95_deg))


def _distance_category(c: RepCentimetres, short: bool = False) -> str:
    """The centimetre category of a rep's equivalent distance, with the bands its 95 % interval also reaches."""
    return (band_span if short else category_words)(category_for_cm(c.equivalent_toe_to_wall_cm), distance_bands(c))


def _category_span(analysis: Analysis, rep: RepResult) -> str | None:
    """The headline's category: 'normal', or 'borderline–normal' when the angle's 95 % interval spans a cut-off."""
    leg = analysis.legs.get(rep.side)
    if leg is None or leg.category is None:
        return None
    return band_span(leg.category, _leg_bands(leg))


def rep_distance(analysis: Analysis, rep: RepResult) -> RepCentimetres | None:
    """The rep's distances when a scale was known (None otherwise)."""
    cm = analysis.centimetres
    c = cm.reps.get(rep.index) if cm is not None else None
    return c if c is not None and c.equivalent_toe_to_wall_cm is not None else None


def _lead(analysis: Analysis, rep: RepResult) -> str:
    """A leg's result, the centimetres first when known, each number named for what it is."""
    parts = []
    c = rep_distance(analysis, rep)
    if c is not None:
        sigma = json_number(c.equivalent_uncertainty_cm)  # 1 sigma, said so beside the angles' 95 % (as analyze prints it)
        cm = f"{c.equivalent_toe_to_wall_cm:.1f} cm" if sigma is None else f"{c.equivalent_toe_to_wall_cm:.1f} ± {sigma:.1f} cm (1 σ)"
        parts.append(f"{cm} toe-to-wall → {_distance_category(c)}")  # an arrow, as the printout: "(normal (its 95 % ...))" nested
    knee = analysis.centimetres.reps.get(rep.index) if analysis.centimetres is not None else None
    if knee is not None and knee.knee_to_wall_cm is not None:  # measured even where the toe was hidden (no equivalent)
        sd = json_number(knee.uncertainty_cm)
        parts.append(f"knee to wall {knee.knee_to_wall_cm:.1f}" + (f" ± {sd:.1f} cm (1 σ)" if sd is not None else " cm"))
    inc = rep.inclinometer_equivalent_deg
    if math.isfinite(inc):
        parts.append(f"{inc:.1f}° {INCLINOMETER_NAME} → {_category(analysis, rep) or 'no category'}")
    else:
        parts.append(f"{INCLINOMETER_NAME} not read")
    ci = rep.tibial_inclination_ci95_deg
    parts.append(f"{deg_with_interval(rep.tibial_inclination_deg, ci if math.isfinite(ci) else None)} {JOINT_CENTRE_NAME}")
    return " · ".join(parts)


def headline(analysis: Analysis) -> str:
    """One-line result for the figure title."""
    best = best_rep_of(analysis)
    if best is None:
        return "Knee-to-wall test: no valid measurement"
    bests = sorted(_leg_bests(analysis).values(), key=lambda r: r.side, reverse=True)
    if len({r.side for r in bests}) > 1:
        legs = "; ".join(f"{r.side} {_short(analysis, r)}" for r in bests)
        return f"Knee-to-wall test: {legs}"
    return f"Knee-to-wall test, {best.side} leg: {_short(analysis, best)}"


def _headline_category(analysis: Analysis) -> str | None:
    """The category of the number the headline leads with (centimetres when known)."""
    best = best_rep_of(analysis)
    if best is None:
        return None
    c = rep_distance(analysis, best)
    leg = analysis.legs.get(best.side)
    return category_for_cm(c.equivalent_toe_to_wall_cm) if c is not None else (leg.category if leg is not None else None)


def _short(analysis: Analysis, rep: RepResult) -> str:
    """The headline number of a leg: centimetres when known, else the inclinometer-equivalent angle."""
    c = rep_distance(analysis, rep)
    if c is not None:
        return f"{c.equivalent_toe_to_wall_cm:.1f} cm toe-to-wall ({_distance_category(c, short=True)})"
    if math.isfinite(rep.inclinometer_equivalent_deg):
        return f"{rep.inclinometer_equivalent_deg:.1f}° inclinometer-equivalent ({_category_span(analysis, rep)})"
    return f"{rep.tibial_inclination_deg:.1f}° joint-centre inclination (not comparable with the norms)"


def _dorsiflexion_words(rep: RepResult) -> str:
    """The rep's ankle dorsiflexion in words: unknown where its heel was not checked (its pitch unknown)."""
    if math.isfinite(rep.ankle_dorsiflexion_deg):
        return f"ankle dorsiflexion {rep.ankle_dorsiflexion_deg:.1f}°"
    return "ankle dorsiflexion unknown: heel not checked"


def heel_rise_words(ratio: float, mm: float) -> str:
    """A heel's rise in words: a reading at or below its flat-foot place says what it means (the heel sat no higher than
    at rest) beside the number result.json keeps (lunge_side_nowva rep 5: "rise -1.4% of foot length, ≈-4 mm")."""
    if not math.isfinite(ratio):
        return "rise unknown"
    numbers = f"{no_minus_zero(100 * ratio, 1)}% of foot length, ≈{no_minus_zero(mm, 0)} mm"
    if float(no_minus_zero(100 * ratio, 1)) < 0.0:
        return f"no higher than at rest; its rise read {numbers}"
    return f"rise {numbers}"


def _heel_words(rep: RepResult) -> str:
    """How the heel behaved during a rep's hold (a reason after a colon: it may hold brackets of its own)."""
    if not HeelSource(rep.heel_lift_source).judged:
        return f"Heel: not checked in rep {rep.index}: {rep.heel_unread_reason or 'not readable'}."
    state = "lifted" if rep.heel_lifted else "stayed down"
    return f"Heel: {state} in the hold of rep {rep.index} ({heel_rise_words(rep.heel_lift_ratio, rep.heel_lift_mm_approx)})."


def _rep_words(analysis: Analysis) -> list[str]:
    """Valid/total and why each invalid rep was rejected."""
    reps = analysis.reps
    valid = sum(r.valid for r in reps)
    if not reps:
        return ["Reps: none found."]
    lines = [f"Reps: {valid} valid of {len(reps)}."]
    for r in reps:
        angle = f"{r.tibial_inclination_deg:.1f}° joint-centre" if math.isfinite(r.tibial_inclination_deg) else "n/a"
        if math.isfinite(r.inclinometer_equivalent_deg):
            angle += f", {r.inclinometer_equivalent_deg:.1f}° inclinometer-eq."
        verdict = "valid" if r.valid else "invalid: " + "; ".join(r.invalid_reasons)
        lines.append(f"  rep {r.index} ({r.side}, {r.start_s:.1f}–{r.end_s:.1f} s): {angle}, {verdict}")
    return lines


REP_JOIN = "  ·  "
PACK_INDENT = "  "  # _packed's lines open with it: a line holding n entries is this, the entries and n - 1 joins
WARNING_OPENING_CHARS = 52  # a warning cut three to a line keeps at least this much of its opening ("Warning: " and 40+ of its own)


def _opening(text: str, chars: int) -> str:
    """The text's first chars - 1 characters and an ellipsis (cut mid-word where it must: the opening stays whole)."""
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _packed(entries: list[str], wrap_chars: int) -> list[str]:
    """The rep lines side by side, as many to a line as fit (a tight page keeps every rep's verdict in view)."""
    out: list[str] = []
    for entry in (e.strip() for e in entries):
        if out and len(out[-1]) + len(REP_JOIN) + len(entry) <= wrap_chars:
            out[-1] += REP_JOIN + entry
        else:
            out.append(PACK_INDENT + entry)
    return out


def spread_words(mean_deg: float | None, sd_deg: float | None, n_valid: int) -> str:
    """'mean 37.5 ± 2.6° over 2 valid reps', or 'one valid rep, no spread' (printed in brackets: none of its own)."""
    if mean_deg is None or n_valid < 1:
        return "no valid rep"
    if n_valid == 1 or sd_deg is None:
        return "one valid rep, no spread"
    return f"mean {mean_deg:.1f} ± {sd_deg:.1f}° over {n_valid} valid reps"


def _leg_words(analysis: Analysis, asymmetry_line: str | None) -> list[str]:
    """Per-leg summaries and the between-leg difference as judged (threshold included), only when both legs were tested."""
    if len(analysis.legs) < 2:
        return []
    if all(leg.tibial_inclination_deg is None for leg in analysis.legs.values()):  # one line: room for the warnings
        return ["; ".join(f"{side.capitalize()} leg: no valid rep ({leg.reps_total} found)"
                          for side, leg in sorted(analysis.legs.items())) + "."]
    lines = []
    for side, leg in sorted(analysis.legs.items()):
        if leg.tibial_inclination_deg is None:
            lines.append(f"{side.capitalize()} leg: no valid rep ({leg.reps_total} found).")
        else:
            best = next(r for r in analysis.reps if r.index == leg.best_rep)
            lines.append(f"{side.capitalize()} leg: {_lead(analysis, best)}; joint-centre "
                         f"{spread_words(leg.mean_deg, leg.sd_deg, leg.reps_valid)} of {leg.reps_total}.")
    if asymmetry_line:
        lines.append(asymmetry_line)
    return lines


UNBROKEN = {"(1 σ)": "(1\u00a0σ)", "(95 %)": "(95\u00a0%)"}  # the sample's summary broke "(1 | σ)" across two lines


def _unbroken(line: str) -> str:
    """The line with the uncertainty's "(1 σ)" and "(95 %)" held together by no-break spaces."""
    for words, held in UNBROKEN.items():
        line = line.replace(words, held)
    return line


def _wrapped(block: list[str], wrap_chars: int) -> list[str]:
    """Each line wrapped to wrap_chars, continuations indented; an uncertainty's "(1 σ)" never split."""
    return [seg for line in block for seg in textwrap.wrap(_unbroken(line), wrap_chars, subsequent_indent="    ") or [""]]


def _reps_within(rep_words: list[str], room: int, wrap_chars: int) -> list[str]:
    """The rep lines in at most `room` lines where they can be: side by side, then as many as fit with the count of the
    rest (result.json has every one), that count on the "Reps:" line itself when a line of its own does not fit, and
    at the last the one rep kept on that line too.

    Random render r069 (two legs, four warnings): the count's own line pushed the last two warnings off the summary.
    """
    def wrap(block: list[str]) -> list[str]:
        return _wrapped(block, wrap_chars)

    reps = wrap(rep_words)
    if len(reps) <= room or len(rep_words) <= 1:
        return reps
    entries = rep_words[1:]
    reps = wrap(rep_words[:1] + _packed(entries, wrap_chars))
    more = ""
    while len(reps) > room and len(entries) > 1:
        entries = entries[:-1]
        more = f"… {len(rep_words) - 1 - len(entries)} more rep lines in result.json"
        reps = wrap(rep_words[:1] + _packed(entries, wrap_chars)) + [f"  {more}"]
        if len(reps) > room:  # the count beside "Reps: n valid of m." saves its line
            reps = wrap([f"{rep_words[0]}  {more}"] + _packed(entries, wrap_chars))
    if len(reps) > room and len(entries) == 1:  # and the one rep kept beside them both (random_v17 r005: two legs, a
        # two-line asymmetry and twelve warnings: the rep's own line pushed the last warnings off the summary)
        one = f"{rep_words[0]}  {more}{REP_JOIN}{entries[0].strip()}" if more else f"{rep_words[0]}{REP_JOIN}{entries[0].strip()}"
        if len(one) <= wrap_chars:
            reps = [one]
    return reps


def result_lines(analysis: Analysis, warnings: tuple[str, ...] | None = None, asymmetry_line: str | None = None,
                 max_lines: int = MAX_TEXT_LINES, wrap_chars: int = TEXT_WRAP_CHARS) -> list[str]:
    """The result in words (warnings as result.json has them), wrapped and capped to max_lines.

    The rep list gives way first (it is complete in result.json); the result, the legs and the warnings stay.
    """
    warnings = analysis.quality.warnings if warnings is None else warnings
    best = best_rep_of(analysis)
    lines: list[str] = []
    if best is None:
        reason = analysis.no_measurement_reason or "no valid rep"
        lines += [f"No valid measurement: {reason}.", f"What to do: {advice_for(reason)}"]  # as the printout and the report
    else:
        if len(analysis.legs) > 1:  # each leg's numbers follow on its own line: the result names the reported leg
            lines.append(f"Result: the {best.side} leg, best valid rep {best.index} at {best.peak_s:.1f} s "
                         f"({_dorsiflexion_words(best)}).")
        else:
            lines.append(
                f"Result: {_lead(analysis, best)}; best valid rep {best.index} at {best.peak_s:.1f} s ({best.side} leg; "
                f"{_dorsiflexion_words(best)})."
            )
        leg = analysis.legs.get(best.side)
        inc = deg_with_interval(leg.inclinometer_equivalent_deg, leg.inclinometer_equivalent_ci95_deg) if leg else "—"
        category = _category(analysis, best)
        if category is None and leg is not None and leg.category_reason:  # why, after a semicolon: it has brackets
            lines.append(f"Category: none; {leg.category_reason}.")
        else:
            lines.append(f"Category: {category or 'none'} — inclinometer cut-offs on the {INCLINOMETER_NAME} {inc}.")
        lines.append(_heel_words(best))
    lines += _leg_words(analysis, asymmetry_line)
    head, rep_words = _wrapped(lines, wrap_chars), _rep_words(analysis)
    # The warnings whole; when that leaves too little room, each its opening words (result.json has them whole); then
    # two to a line (random render r025: two legs, six warnings, three were cut with a line each left to show them).
    tails = [_wrapped([f"Warning: {w}" for w in warnings], wrap_chars) if warnings else ["Warnings: none."]]
    if warnings:
        tails.append([textwrap.shorten(f"Warning: {w}", wrap_chars, placeholder=" … (result.json)") for w in warnings])
    if warnings and len(warnings) > 1:
        half = max(20, (wrap_chars - len(REP_JOIN)) // 2)
        tails.append([line.strip() for line in _packed([textwrap.shorten(f"Warning: {w}", half, placeholder=" …")
                                                        for w in warnings], wrap_chars)])
    if warnings and len(warnings) > 2:  # then three to a line, each still opening with its first words (random_v11 r010:
        # two legs, nine warnings: the two-to-a-line tail left three unseen)
        # (random_v17 r005: two legs, twelve warnings; without the indent counted each line held one fewer, two and the
        # last line gave way to "more lines in result.json")
        third = max(WARNING_OPENING_CHARS, (wrap_chars - len(PACK_INDENT) - 2 * len(REP_JOIN)) // 3)
        tails.append([line.strip() for line in _packed([_opening(f"Warning: {w}", third) for w in warnings], wrap_chars)])
    for tail in tails:
        out = head + _reps_within(rep_words, max_lines - len(head) - len(tail), wrap_chars) + tail
        if len(out) <= max_lines:
            break
    if len(out) > max_lines:
        out = out[: max_lines - 1] + [f"… ({len(out) - max_lines + 1} more lines in result.json)"]
    return out


# ---------------------------------------------------------------------------------------------
# Panels


def _spans(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) frame index of each run of True."""
    m = np.asarray(mask, bool).astype(np.int8)
    edges = np.diff(np.concatenate([[0], m, [0]]))
    return list(zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0] - 1))


def _frame_step_s(times_s: np.ndarray) -> float:
    """Typical frame interval, so one-frame spans still show."""
    d = np.diff(times_s[np.isfinite(times_s)])
    return float(np.median(d)) if d.size else 1 / 30


def _finite_points(points: dict[str, np.ndarray] | None) -> dict[str, np.ndarray]:
    """Overlay points that are known (2-vectors without NaN)."""
    out: dict[str, np.ndarray] = {}
    for name, p in (points or {}).items():
        p = np.asarray(p, float).reshape(-1)[:2]
        if p.size == 2 and np.all(np.isfinite(p)):
            out[name] = p
    return out


def _crop_box(pts: dict[str, np.ndarray], width_px: int, height_px: int) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) around the leg with a margin, about as tall as the panel; the whole frame without points."""
    if len(pts) < 2:
        return 0.0, float(width_px), 0.0, float(height_px)
    xy = np.stack(list(pts.values()))
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    size = max(x1 - x0, y1 - y0, 0.1 * min(width_px, height_px))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_h = size * (0.5 + CROP_MARGIN)
    half_w = 0.8 * half_h  # the panel is a little taller than wide
    x0, x1 = max(0.0, cx - half_w), min(float(width_px), cx + half_w)
    y0, y1 = max(0.0, cy - half_h), min(float(height_px), cy + half_h)
    return x0, x1, y0, y1


def turned_to(ankle: np.ndarray, top: np.ndarray, from_deg: float | None, to_deg: float | None, facing_sign: int) -> np.ndarray:
    """The line's top turned about the ankle from the angle it shows (`from_deg`) to `to_deg` (unchanged without both).

    The stored line is its own frame's measurement; the number printed beside it is the rep's (the hold's median), and
    where the key frame's reading strays from that median (random renders r033 and r064: 1.2-1.6°) the line is drawn
    at the printed number, so the picture shows the angle it is labelled with. The detected knee stays where it was.
    """
    if from_deg is None or to_deg is None or not (math.isfinite(from_deg) and math.isfinite(to_deg)):
        return top
    a = math.radians(facing_sign * (to_deg - from_deg))  # image y points down: +a turns the shin toward the facing side
    c, s = math.cos(a), math.sin(a)
    d = top - ankle
    return ankle + np.array([c * d[0] - s * d[1], s * d[0] + c * d[1]])


HEEL_DRAWN_COLORS = {"up": HEEL_COLOR, "down": "#35c24a", "not checked": "0.78"}  # annotated.mp4's red, green and grey


def draw_leg_overlay(
    ax: Axes, pts: dict[str, np.ndarray], angle_deg: float | None, facing_sign: int, roll_deg: float | None = None,
    line_deg: float | None = None, heel: HeelDrawn = "down", angle_name: str | None = None,
) -> None:
    """The detected joints (pale, thin) and the measured shin line with its vertical and angle (amber), in pixels.

    The heel is drawn as annotated.mp4 draws it in that frame (`heel`, key_frame.heel_drawn): red up, green down, grey
    not checked (it was green whatever the rep's heel, beside a rep listed "heel lifted" or "heel not checked").

    The dashed vertical is the true one the angle was measured from (`roll_deg`, the camera's roll; level when None).
    `line_deg` is the angle the stored line shows (its frame's reading): the line is turned to the printed `angle_deg`.

    The measured line runs from the ankle at the measured angle (`ankle_anchor` -> `shin_top`); the detected
    knee is drawn apart, so an angle that disagrees with the picture shows. Older outputs without the
    measured line's points draw their knee as the line's end.

    `angle_name` is set under the number where nothing else names it (summary.png's title leads with another angle).
    """
    for a, b in (("hip", "knee"), ("knee", "ankle"), ("ankle", "heel"), ("heel", "toe"), ("toe", "ankle")):
        if a in pts and b in pts:
            ax.plot(*np.stack([pts[a], pts[b]]).T, color=LEG_COLOR, lw=2.0, solid_capstyle="round", gid="detected-leg")
    for name in ("hip", "knee", "ankle", "toe"):
        if name in pts:
            ax.plot(*pts[name], "o", ms=6, mfc=LEG_COLOR, mec="black", mew=0.8, gid=f"detected-{name}")
    if "heel" in pts:
        ax.plot(*pts["heel"], "o", ms=10, mfc=HEEL_DRAWN_COLORS[heel], mec="white", mew=1.5, gid=f"heel-{heel}")
    top, ankle = pts.get("shin_top"), pts.get("ankle_anchor")
    if top is not None and ankle is not None:
        top = turned_to(ankle, top, line_deg, angle_deg, facing_sign)
    else:
        top, ankle = pts.get("knee"), pts.get("ankle")
    if top is None or ankle is None:
        return
    length = float(np.hypot(*(top - ankle)))
    up = up_from_roll(roll_deg or 0.0)
    ax.plot([ankle[0], ankle[0] + 1.1 * length * up[0]], [ankle[1], ankle[1] + 1.1 * length * up[1]], color="white", lw=1.8,
            ls=(0, (4, 3)), gid="true-vertical")
    direction = math.degrees(math.atan2(top[1] - ankle[1], top[0] - ankle[0]))
    up_deg = math.degrees(math.atan2(up[1], up[0]))
    if abs(direction - up_deg) < 90:
        theta1, theta2 = min(up_deg, direction), max(up_deg, direction)
        ax.add_patch(Wedge(tuple(ankle), 0.5 * length, theta1, theta2, color=SHIN_COLOR, alpha=0.45, lw=0))
    ax.plot(*np.stack([ankle, top]).T, color=SHIN_COLOR, lw=4, solid_capstyle="round", gid="measured-shin")
    ax.plot(*ankle, "o", ms=7, mfc=SHIN_COLOR, mec="black", mew=1)
    if angle_deg is not None and math.isfinite(angle_deg):
        x = ankle[0] - facing_sign * 0.12 * length
        ha = "right" if facing_sign > 0 else "left"
        ax.text(x, ankle[1] - 0.55 * length, f"{angle_deg:.1f}°", color=SHIN_COLOR, fontsize=17, fontweight="bold",
                ha=ha, va="center", gid="measured-angle",
                bbox={"boxstyle": "round,pad=0.25", "fc": "black", "ec": "none", "alpha": 0.6})
        if angle_name:
            ax.annotate(angle_name, (x, ankle[1] - 0.55 * length), xytext=(0, -17), textcoords="offset points", ha=ha,
                        va="top", color=SHIN_COLOR, fontsize=11, fontweight="bold", gid="measured-angle-name",
                        bbox={"boxstyle": "round,pad=0.2", "fc": "black", "ec": "none", "alpha": 0.6})


def _draw_frame_panel(ax: Axes, analysis: Analysis, rgb: np.ndarray | None, points: dict[str, np.ndarray] | None) -> None:
    """Left panel: the best rep's peak frame cropped around the leg (without a valid rep, the pictured rep's key frame,
    key_frame.shown_frame), or a note when there is none."""
    ax.set_xticks([])
    ax.set_yticks([])
    best = best_rep_of(analysis)
    rep, frame = shown_frame(analysis)
    heel = heel_drawn(rep, analysis.frames.heel_lifted, frame)
    if rgb is None:
        ax.set_facecolor("0.93")
        ax.text(0.5, 0.5, "no video frame available", ha="center", va="center", fontsize=14, color="0.4", transform=ax.transAxes)
        return
    h, w = rgb.shape[:2]
    ax.imshow(rgb, interpolation="antialiased")
    pts = _finite_points(points)
    angle = best.tibial_inclination_deg if best is not None else None
    shown = float(analysis.frames.tibial_inclination_deg[best.peak_frame]) if best is not None else None
    # the number on the picture is the joint-centre angle; the title above the figure leads with another: named
    draw_leg_overlay(ax, pts, angle, Side(analysis.facing).sign, analysis.camera.roll_deg, shown, heel, "joint-centre")
    x0, x1, y0, y1 = _crop_box(pts, w, h)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)
    ax.set_aspect("equal")
    if best is not None:
        title = f"Best rep {best.index}: peak at {best.peak_s:.2f} s"
    elif rep is not None and frame is not None:  # what the picture shows, so a flat heel is never read as the verdict
        title = f"No valid rep (rep {rep.index}, {float(analysis.frames.times_s[frame]):.1f} s, heel {heel})"
    else:
        title = "No valid rep"
    ax.set_title(title, fontsize=14)


def _shade_reps(ax: Axes, analysis: Analysis, step_s: float) -> None:
    """Rep windows (valid green, invalid grey), peak markers and labels (shortened, then dropped, where they would collide)."""
    blend = ax.get_xaxis_transform()
    bests = _leg_bests(analysis)
    both = len({r.side for r in analysis.reps}) > 1
    labels = []
    for r in analysis.reps:
        best = r.index in bests
        color = VALID_COLOR if r.valid else INVALID_COLOR
        ax.axvspan(r.start_s, r.end_s + step_s, color=color, alpha=0.16 if r.valid else 0.2, lw=0, zorder=0)
        if math.isfinite(r.tibial_inclination_deg):
            ax.plot(r.peak_s, r.tibial_inclination_deg, "*" if best else "o", ms=16 if best else 7,
                    color=VALID_COLOR if r.valid else INVALID_COLOR, mec="black", mew=0.8, zorder=5)
        text = f"rep {r.index}" + ("" if r.valid else " (invalid)")
        short = f"{r.index}" + ("" if r.valid else " ✗")
        if best:
            text = f"BEST{' ' + r.side.upper() if both else ''}: rep {r.index}\n{r.tibial_inclination_deg:.1f}°"
            short = f"★ {r.index}\n{r.tibial_inclination_deg:.1f}°"
        label = ax.text((r.start_s + r.end_s) / 2, 0.97, text, transform=blend, ha="center", va="top", fontsize=11,
                        color=VALID_COLOR if best else "0.25", fontweight="bold" if best else "normal", zorder=6,
                        gid=f"rep-label-{r.index}")
        labels.append((label, short, best))
    ax._ankle_cv_rep_labels = labels  # type: ignore[attr-defined]  # decluttered once the figure is laid out


def _declutter(ax: Axes, labels: list[tuple[Text, str, bool]]) -> None:
    """Shorten every rep label when any two collide; then hide the plain ones that still collide (the text lists them all)."""
    if len(labels) < 2:
        return
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]

    def collide(a: Text, b: Text) -> bool:
        return a.get_visible() and b.get_visible() and a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer))

    texts = [t for t, _, _ in labels]
    if not any(collide(a, b) for i, a in enumerate(texts) for b in texts[i + 1:]):
        return
    for t, short, _ in labels:
        t.set_text(short)
    for i, (t, _, best) in enumerate(labels):
        if not best and any(collide(t, o) for j, o in enumerate(texts) if j != i and (labels[j][2] or j < i)):
            t.set_visible(False)


def _shade_heel(ax: Axes, analysis: Analysis, step_s: float) -> None:
    """Heel-lift periods: a light red band over the plot and a solid strip along the bottom."""
    t = analysis.frames.times_s
    for a, b in _spans(analysis.frames.heel_lifted):
        ax.axvspan(t[a], t[b] + step_s, color=HEEL_COLOR, alpha=0.10, lw=0, zorder=0)
        ax.axvspan(t[a], t[b] + step_s, ymin=0, ymax=0.035, color=HEEL_COLOR, alpha=0.85, lw=0, zorder=1)


def _draw_norms(ax: Axes) -> None:
    """Cut-offs from norms.py: borderline band between the restricted and normal lines."""
    ax.axhspan(RESTRICTED_BELOW_DEG, NORMAL_FROM_DEG, color="#f2c500", alpha=0.16, lw=0, zorder=0)
    ax.axhline(NORMAL_FROM_DEG, color=CATEGORY_COLORS["normal"], ls="--", lw=1.2, zorder=1, gid="cut-off")
    ax.axhline(RESTRICTED_BELOW_DEG, color=CATEGORY_COLORS["restricted"], ls="--", lw=1.2, zorder=1, gid="cut-off")
    blend = ax.get_yaxis_transform()
    ax.text(1.005, NORMAL_FROM_DEG, f"normal ≥ {NORMAL_FROM_DEG:.0f}°\n(inclinometer)", transform=blend, va="bottom", fontsize=10,
            color=CATEGORY_COLORS["normal"])
    ax.text(1.005, RESTRICTED_BELOW_DEG, f"restricted < {RESTRICTED_BELOW_DEG:.0f}°", transform=blend, va="top", fontsize=10,
            color=CATEGORY_COLORS["restricted"])


def _y_limits(*series: np.ndarray) -> tuple[float, float]:
    """Room for the data, the norm lines and the rep labels above."""
    vals = np.concatenate([np.asarray(s, float).ravel() for s in series])
    vals = vals[np.isfinite(vals)]
    lo = min(float(vals.min()) - 3 if vals.size else 0.0, -5.0)
    hi = max(float(vals.max()) if vals.size else 0.0, NORMAL_FROM_DEG)
    hi = max(hi + 0.25 * (hi - lo), lo + MIN_Y_SPAN_DEG)
    return lo, hi


def _draw_angle_panel(ax: Axes, analysis: Analysis) -> None:
    """Right panel: measured and raw-landmark angle over time with reps, heel lifts and norms."""
    f = analysis.frames
    t = f.times_s
    step = _frame_step_s(t)
    judged = not _not_a_test(analysis)  # a squat's or a run's plot gets no cut-offs: no norm applies (as the words)
    if judged:
        _draw_norms(ax)
    _shade_heel(ax, analysis, step)
    ax.plot(t, f.landmark_inclination_deg, color=RAW_COLOR, lw=1.0, zorder=2)
    ax.plot(t, f.tibial_inclination_deg, color=ANGLE_COLOR, lw=2.2, zorder=3)
    inclinometer = f.inclinometer_equivalent_deg if f.inclinometer_equivalent_deg is not None else np.full(t.size, np.nan)
    ax.plot(t, inclinometer, color=INCLINOMETER_COLOR, lw=1.2, ls=(0, (3, 2)), zorder=3)
    _mark_inclinometer_reps(ax, analysis)
    ax.set_ylim(*_y_limits(f.tibial_inclination_deg, f.landmark_inclination_deg, inclinometer))
    if t.size:
        ax.set_xlim(float(np.nanmin(t)), float(np.nanmax(t)) + step)
    _shade_reps(ax, analysis, step)
    ax.set_xlabel("time (s)", fontsize=12)
    ax.set_ylabel("shin angle from vertical (°)", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.grid(True, axis="y", color="0.88", lw=0.8, zorder=0)
    ax.set_axisbelow(True)
    handles: list[Line2D | Patch] = [
        Line2D([], [], color=ANGLE_COLOR, lw=2.2, label="joint-centre inclination"),
        Line2D([], [], color=INCLINOMETER_COLOR, lw=1.2, ls=(0, (3, 2)), marker="D", label="inclinometer-equivalent (front of shin)"),
        Line2D([], [], color=RAW_COLOR, lw=1.0, label="raw knee–ankle landmarks"),
        Patch(color=VALID_COLOR, alpha=0.3, label="valid rep"),
        Patch(color=INVALID_COLOR, alpha=0.35, label="invalid rep"),
        Patch(color=HEEL_COLOR, alpha=0.6, label="heel lifted"),
    ]
    if judged:
        handles.append(Patch(color="#f2c500", alpha=0.35,
                             label=f"borderline {RESTRICTED_BELOW_DEG:.0f}–{NORMAL_FROM_DEG:.0f}° (inclinometer)"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=4, fontsize=10, frameon=False,
              handlelength=1.6, columnspacing=1.2, borderaxespad=0.0)


def _mark_inclinometer_reps(ax: Axes, analysis: Analysis) -> None:
    """Each rep's inclinometer-equivalent angle at its peak, with its 95 % interval."""
    for r in analysis.reps:
        if math.isfinite(r.inclinometer_equivalent_deg):
            ax.errorbar(r.peak_s, r.inclinometer_equivalent_deg, yerr=r.inclinometer_equivalent_ci95_deg or 0.0,
                        fmt="D", ms=7, color=INCLINOMETER_COLOR, mec="black", mew=0.6, capsize=4, zorder=5)


TEXT_PT = 11.0
TEXT_SPACING = 1.3


def _not_a_test(analysis: Analysis) -> bool:
    """Refused as not a knee-to-wall test (a squat, a run): no norm applies to it."""
    from ankle_cv.protocol.movement import NOT_TEST

    return (analysis.no_measurement_reason or "").startswith(NOT_TEST)


def _draw_text_panel(ax: Axes, analysis: Analysis, warnings: tuple[str, ...] | None, asymmetry_line: str | None) -> Text:
    """Result, heel, category, reps and warnings in plain words, with the norm reference below; returns the words' Text."""
    ax.axis("off")
    words = ax.text(0.0, 1.0, "\n".join(result_lines(analysis, warnings, asymmetry_line)), transform=ax.transAxes, ha="left",
                    va="top", fontsize=TEXT_PT, linespacing=TEXT_SPACING)
    reference = "\n".join(textwrap.wrap("Reference: " + NORM_TEXT, int(TEXT_WRAP_CHARS * 1.15)))
    if _not_a_test(analysis):  # the norms judge a test: beside a squat's refusal they are noise (as analyze's printout)
        reference = ""  # still drawn, empty: the words are fitted above it
    ax.text(0.0, 0.0, reference, transform=ax.transAxes, ha="left", va="bottom", fontsize=9.5, color="0.4", gid="reference")
    return words


MIN_TEXT_PT = 7.5
TITLE_PT = 18.0
TITLE_MARGIN_PX = 8.0
MIN_TITLE_PT = 11.0


def shrink_to_width(text: Text, width_px: float, min_pt: float) -> None:
    """A text set smaller, half a point at a time down to min_pt, until it is no wider than width_px."""
    renderer = cast(Figure, text.figure).canvas.get_renderer()  # type: ignore[attr-defined]
    size = float(text.get_fontsize())
    while size > min_pt and text.get_window_extent(renderer).width > width_px:
        size -= 0.5
        text.set_fontsize(size)


def _fit_title(fig: Figure, title: Text) -> None:
    """The headline in a smaller font until it fits the figure's width (down to MIN_TITLE_PT).

    Two legs without a scale name both inclinometer-equivalent angles and their categories: on random render r009
    ("right 34.4° … (restricted–normal); left 47.9° … (normal)") the 18 pt title ran past both edges of the figure.
    """
    shrink_to_width(title, fig.bbox.width - 2 * TITLE_MARGIN_PX, MIN_TITLE_PT)


def _fit_panel_title(fig: Figure, ax: Axes) -> None:
    """The picture's title in a smaller font until it stays on the figure, centred over its panel at the left edge
    (random_v3 r012: "No valid rep (rep 2 at 6.50 s, heel not checked)" began 10 px left of the figure)."""
    centre = 0.5 * (ax.bbox.x0 + ax.bbox.x1)
    shrink_to_width(ax.title, 2 * min(centre, fig.bbox.width - centre) - 2 * TITLE_MARGIN_PX, MIN_TITLE_PT)


def _fit_text(ax: Axes, words: Text, analysis: Analysis, warnings: tuple[str, ...] | None, asymmetry_line: str | None) -> None:
    """Every line above the reference line of the laid-out panel: a smaller font first (down to MIN_TEXT_PT), then the
    rep list gives way (result.json has it); the result, the legs and the warnings stay."""
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    reference = next(t for t in ax.texts if t.get_gid() == "reference")
    floor_px = reference.get_window_extent(renderer).y1 + 4

    def chars(size: float) -> int:  # a smaller font holds more characters on the panel's width
        return int(TEXT_WRAP_CHARS * TEXT_PT / size)

    def fits(size: float, max_lines: int) -> bool:
        words.set_fontsize(size)
        words.set_text("\n".join(result_lines(analysis, warnings, asymmetry_line, max_lines, chars(size))))
        return words.get_window_extent(renderer).y0 >= floor_px

    size = TEXT_PT
    while size > MIN_TEXT_PT and not fits(size, 10_000):
        size -= 0.5
    lines = len(result_lines(analysis, warnings, asymmetry_line, 10_000, chars(size)))
    while lines > 4 and not fits(size, lines):
        lines -= 1


def build_figure(
    analysis: Analysis,
    best_frame_rgb: np.ndarray | None,
    overlay_points: dict[str, np.ndarray] | None,
    warnings: tuple[str, ...] | None = None,
    asymmetry_line: str | None = None,
) -> Figure:
    """The whole summary figure (kept separate from writing so it can be tested or shown).

    `warnings` and `asymmetry_line` are result.json's (the analysis alone lacks the scale's warnings and the
    judged asymmetry). Without a picture the plot and the words take the whole width (no empty box).
    """
    fig = Figure(figsize=FIGURE_SIZE_IN, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    has_frame = best_frame_rgb is not None
    frame_ax = None
    if has_frame:
        grid = fig.add_gridspec(2, 2, width_ratios=[1.0, 2.35], height_ratios=[1.45, 1.0])
        frame_ax = fig.add_subplot(grid[:, 0])
        _draw_frame_panel(frame_ax, analysis, best_frame_rgb, overlay_points)
        plot_ax, text_ax = fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 1])
    else:
        grid = fig.add_gridspec(2, 1, height_ratios=[1.45, 1.0])
        plot_ax, text_ax = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[1, 0])
    _draw_angle_panel(plot_ax, analysis)
    words = _draw_text_panel(text_ax, analysis, warnings, asymmetry_line)
    cat = _headline_category(analysis) if len(_leg_bests(analysis)) < 2 else None
    title = fig.suptitle(headline(analysis), fontsize=TITLE_PT, fontweight="bold", color=CATEGORY_COLORS.get(cat or "", "0.15"))
    fig.draw_without_rendering()  # lay out, then fit the title, the words and the rep labels to the real sizes
    fig.set_layout_engine("none")
    _fit_title(fig, title)
    if frame_ax is not None:
        _fit_panel_title(fig, frame_ax)
    _fit_text(text_ax, words, analysis, warnings, asymmetry_line)
    _declutter(plot_ax, getattr(plot_ax, "_ankle_cv_rep_labels", []))
    return fig


def write_summary_png(
    out_path: Path,
    analysis: Analysis,
    best_frame_rgb: np.ndarray | None,
    overlay_points: dict[str, np.ndarray] | None,
    warnings: tuple[str, ...] | None = None,
    asymmetry_line: str | None = None,
) -> None:
    """Write the 1600x800 summary figure; `overlay_points` maps the leg's points (detected joints, measured line) to pixels."""
    fig = build_figure(analysis, best_frame_rgb, overlay_points, warnings, asymmetry_line)
    with atomic_path(Path(out_path)) as tmp:
        fig.savefig(tmp, format="png", dpi=DPI)
