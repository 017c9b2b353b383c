"""The report as one self-contained HTML file: the same content, images embedded as base64 PNG (no network)."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ankle_cv.outputs.summary_plot import CATEGORY_COLORS
from ankle_cv.report.model import ReportContent, legs_heading, no_warning_line, rep_lines, tested_sides
from ankle_cv.report.page import (
    PLOT_LEGEND,
    REFUSAL_COLOR,
    REFUSAL_NOTE,
    REFUSAL_REPS_NOTE,
    REFUSED_PLOT_LEGEND,
    PageImages,
)
from ankle_cv.report.panels import (
    LEG_COLORS,
    draw_angle_plot,
    draw_key_frame,
    draw_norm_band,
    draw_trend,
    placeholder,
)

IMG_DPI = 130
CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1a1a1a;max-width:58rem;margin:1.5rem auto;padding:0 1rem;
font-size:14px;line-height:1.4}
h1{color:#1b3a5c;font-size:1.5rem;margin:0 0 .3rem;border-top:.4rem solid #1b3a5c;padding-top:.6rem}
h2{color:#1b3a5c;font-size:.85rem;text-transform:uppercase;letter-spacing:.04em;margin:1.2rem 0 .4rem}
.ident{margin:.2rem 0}.notes{color:#404040}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem}
thead th{background:#ebebeb}tbody tr:nth-child(even){background:#f7f7f7}td.label{color:#404040;width:36%}
.asym{border-left:.35rem solid;padding:.3rem .6rem;margin:.6rem 0}.flag{color:#d62728;font-weight:bold}
.legs{display:flex;gap:1rem;flex-wrap:wrap}.leg{flex:1 1 20rem}.leg img{width:100%}
img{max-width:100%;height:auto}.muted{color:#666;font-size:.85rem}ul{margin:.2rem 0;padding-left:1.2rem}
@media print{body{margin:0;max-width:none}}
"""


def _png_data_uri(draw: Callable[[Axes], None], size_in: tuple[float, float]) -> str:
    """Draw one panel on its own small figure and return it as a data: URI."""
    fig = Figure(figsize=size_in, dpi=IMG_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    draw(fig.add_subplot(1, 1, 1))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=IMG_DPI)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _img(uri: str, alt: str) -> str:
    """An <img> element with its embedded picture."""
    return f'<img src="{uri}" alt="{html.escape(alt)}">'


def _table(content: ReportContent) -> str:
    """Per-leg table."""
    head = "".join(f'<th style="color:{LEG_COLORS[s]}">{html.escape(content.legs[s].title)}</th>' for s in ("left", "right"))
    rows = []
    for i, label in enumerate(content.table_labels):
        cells = []
        for side in ("left", "right"):
            leg = content.legs[side].leg
            style = ""
            if label == "Category" and leg is not None and leg.category in CATEGORY_COLORS:
                style = f' style="color:{CATEGORY_COLORS[leg.category]};font-weight:bold"'
            elif i == 0 and leg is not None and leg.measured:
                style = ' style="font-weight:bold"'
            cells.append(f"<td{style}>{html.escape(content.legs[side].rows[i])}</td>")
        rows.append(f'<tr><td class="label">{html.escape(label)}</td>{"".join(cells)}</tr>')
    return f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _leg_block(content: ReportContent, images: PageImages, side: str) -> str:
    """One leg's key frame and angle plot."""
    view = content.legs[side]
    best = view.best_rep
    if best is not None:
        caption = f"{view.title}: rep {best.index} at {best.peak_s:.2f} s, {best.tibial_inclination_deg:.1f}° joint-centre"
    else:
        caption = f"{view.title}: no valid rep"
    kf = images.key_frames.get(side)
    result = content.results[view.result_index].result if view.result_index is not None else None
    facing = (result.facing if result is not None else None) or "right"
    roll_deg = result.settings.camera_roll_deg if result is not None else None
    if kf is not None:
        angle = best.tibial_inclination_deg if best else None
        frame_uri = _png_data_uri(
            lambda ax: draw_key_frame(ax, kf.rgb, kf.points, angle, facing, kf.frame_size_px, kf.note, roll_deg, kf.line_deg),
            (4.0, 3.0))
    else:
        frame_uri = _png_data_uri(lambda ax: placeholder(ax, caption), (4.0, 3.0))
    assert view.leg is not None  # tested_sides
    best_index = view.leg.best_rep
    plot_uri = _png_data_uri(lambda ax: draw_angle_plot(ax, images.frames.get(side), side, view.reps, best_index),
                             (4.0, 1.8))
    return (f'<div class="leg"><h3 style="color:{LEG_COLORS[side]};font-size:.95rem;margin:.2rem 0">{html.escape(caption)}</h3>'
            f"{_img(frame_uri, caption + ' (key frame)')}{_img(plot_uri, view.title + ': shin angle over time')}</div>")


def _refused_plot(content: ReportContent, images: PageImages, side: str) -> str:
    """One leg's angle plot on a page without a valid rep (no key frame, no cut-offs)."""
    view = content.legs[side]
    n = len(view.reps)
    caption = f"{view.title}: {n} rep{'s' if n != 1 else ''}, none valid" if n else f"{view.title}: no rep found"
    uri = _png_data_uri(lambda ax: draw_angle_plot(ax, images.frames.get(side), side, view.reps, None, cutoffs=False),
                        (4.0, 2.2))
    return (f'<div class="leg"><h3 style="color:{LEG_COLORS[side]};font-size:.95rem;margin:.2rem 0">{html.escape(caption)}</h3>'
            f"{_img(uri, view.title + ': shin angle over time')}</div>")


def _refusal_parts(content: ReportContent, images: PageImages) -> list[str]:
    """What leads a page without a valid measurement: why, what to do, what is left out, and the angle over time."""
    assert content.refusal is not None
    has_reps = any(view.reps for view in content.legs.values())
    reasons = "<br>".join(html.escape(r[:1].upper() + r[1:] + ".") for r in content.refusal.reasons)
    parts = [
        "<h2>No valid measurement</h2>",
        f'<p class="asym" style="border-color:{REFUSAL_COLOR}"><strong style="color:{REFUSAL_COLOR}">{reasons}</strong><br>'
        f"What to do: {html.escape(content.refusal.advice)}<br>"
        f'<span class="muted">{html.escape(REFUSAL_NOTE + (REFUSAL_REPS_NOTE if has_reps else ""))}</span></p>',
    ]
    if has_reps:
        parts += [f"<h2>{html.escape(legs_heading(content, refused=True))}</h2>",
                  f'<div class="legs">{"".join(_refused_plot(content, images, side) for side in tested_sides(content))}</div>',
                  f'<p class="muted">{html.escape(REFUSED_PLOT_LEGEND)}</p>']
    return parts


def _measured_parts(content: ReportContent, images: PageImages) -> list[str]:
    """The table, the asymmetry, the norms and each leg's best rep: a page with a measurement."""
    flag = content.asymmetry.flagged if content.asymmetry else None
    border = {True: "#d62728", False: "#2ca02c", None: "#999"}[flag]
    angles = {s: (v.leg.inclinometer_equivalent_deg if v.leg else None) for s, v in content.legs.items()}  # what the cut-offs judge
    band = _png_data_uri(lambda ax: draw_norm_band(ax, angles), (8.0, 0.75))
    return [
        "<h2>Result per leg</h2>", _table(content),
        f'<p class="asym" style="border-color:{border}"><span class="{"flag" if flag else ""}">'
        f'{html.escape(content.asymmetry_line)}</span><br><span class="muted">{html.escape(content.asymmetry_note)}</span></p>',
        "<h2>Against published norms: inclinometer-equivalent angle, best valid rep</h2>", _img(band, "norm band with each measured leg marked"),
        "".join(f'<p class="muted">{html.escape(line)}</p>' for line in content.norm_lines),
        f'<p class="muted">{html.escape(content.sources_line)}</p>',
        f"<h2>{html.escape(legs_heading(content, refused=False))}</h2>",
        f'<div class="legs">{"".join(_leg_block(content, images, side) for side in tested_sides(content))}</div>',
        f'<p class="muted">{html.escape(PLOT_LEGEND)}</p>',
    ]


def _reps_and_quality(content: ReportContent) -> list[str]:
    """The reps, the trend over visits and the recording's quality, method and footer: on every page."""
    parts = [
        "<h2>Reps</h2>",
        "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in rep_lines(content)) + "</ul>",
    ]
    if content.trend:
        trend = _png_data_uri(lambda ax: draw_trend(ax, content.trend), (6.0, 2.4))
        parts += ["<h2>Progress over visits</h2>", _img(trend, "trend over visits with the MDC band"),
                  "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in content.trend_lines) + "</ul>"]
    warnings = content.warnings or (no_warning_line(content),)
    return parts + [
        "<h2>Recording quality</h2>",
        "<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul>",
        f'<p class="muted">{html.escape(content.method_line)}</p>',
        f'<p class="muted"><em>{html.escape(content.footer)}</em></p>',
    ]


def build_html(content: ReportContent, images: PageImages) -> str:
    """The whole report as an HTML document string (a refusal leads as on the page, without the comparisons)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(content.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(content.title)}</h1>",
        f'<p class="ident">{html.escape(content.header.identity_line())}</p>',
    ]
    if content.header.notes:
        parts.append(f'<p class="notes">Notes: {html.escape(content.header.notes)}</p>')
    parts += _refusal_parts(content, images) if content.refusal is not None else _measured_parts(content, images)
    parts += _reps_and_quality(content) + ["</body></html>"]
    return "\n".join(parts) + "\n"
