"""The printable sheet: true size, decodable marker, layout where scale.py expects it, CLI errors."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.scene.marker import (
    GUIDE_FROM_FRONT_MM,
    MARKER_FROM_FLOOR_MM,
    MARKER_FROM_FRONT_MM,
    detect_marker,
    make_detector,
    refine_corners,
)
from ankle_cv.scene.marker_sheet import PAPERS_MM, write_marker_pdf

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 (test extra) renders the PDF to check it")

DPI = 200.0
MM_PER_PX = 25.4 / DPI


def _pages(path: Path) -> list[tuple[tuple[float, float], np.ndarray]]:
    """Page sizes (points) and grey renders at DPI."""
    doc = pdfium.PdfDocument(str(path))
    out = []
    for i in range(len(doc)):
        page = doc[i]
        img = page.render(scale=DPI / 72.0).to_numpy()
        out.append((page.get_size(), cv2.cvtColor(np.ascontiguousarray(img[..., :3]), cv2.COLOR_RGB2GRAY)))
    doc.close()
    return out


@pytest.mark.parametrize("paper, size_mm, marker_id", [("a4", 150.0, 0), ("letter", 120.0, 7)])
def test_sheet_is_true_size_and_decodes(tmp_path: Path, paper: str, size_mm: float, marker_id: int) -> None:
    pdf = tmp_path / "marker.pdf"
    write_marker_pdf(pdf, paper, size_mm, marker_id)
    pages = _pages(pdf)
    assert len(pages) == 2  # wall on the right, wall on the left
    w_mm, h_mm = PAPERS_MM[paper]
    for k, ((w_pt, h_pt), grey) in enumerate(pages):
        assert w_pt * 25.4 / 72 == pytest.approx(w_mm, abs=0.1)
        assert h_pt * 25.4 / 72 == pytest.approx(h_mm, abs=0.1)
        raw = detect_marker(grey, marker_id, make_detector())
        assert raw is not None, f"page {k + 1}: marker {marker_id} not decoded"
        corners = refine_corners(grey, raw)
        assert corners is not None
        sides_mm = [np.linalg.norm(corners[(i + 1) % 4] - corners[i]) * MM_PER_PX for i in range(4)]
        assert np.allclose(sides_mm, size_mm, atol=0.3), sides_mm
        # Layout scale.py relies on: bottom edge 10 mm above the sheet's bottom, wall-side edge 20 mm from the front.
        page_h_px = grey.shape[0]
        bottom_mm = (page_h_px - 0.5 - max(corners[2][1], corners[3][1])) * MM_PER_PX
        assert bottom_mm == pytest.approx(MARKER_FROM_FLOOR_MM, abs=0.3)
        if k == 0:  # wall on the right of the picture: the front edge is the page's right edge
            front_gap_mm = (grey.shape[1] - 0.5 - max(corners[1][0], corners[2][0])) * MM_PER_PX
            guide_x = grey.shape[1] - GUIDE_FROM_FRONT_MM / MM_PER_PX
        else:
            front_gap_mm = (min(corners[0][0], corners[3][0]) + 0.5) * MM_PER_PX
            guide_x = GUIDE_FROM_FRONT_MM / MM_PER_PX
        assert front_gap_mm == pytest.approx(MARKER_FROM_FRONT_MM, abs=0.3)
        # The "toes here" line: dark, thin, vertical, exactly 10 cm from the front edge near the top.
        row = grey[int(3 / MM_PER_PX)]
        dark = np.nonzero(row < 100)[0]
        assert dark.size, "no toes line near the top edge"
        line_x = dark[np.argmin(np.abs(dark - guide_x))]
        assert abs(line_x - guide_x) * MM_PER_PX < 0.5


def test_ruler_reads_ten_centimetres(tmp_path: Path) -> None:
    pdf = tmp_path / "m.pdf"
    write_marker_pdf(pdf)
    _, grey = _pages(pdf)[0]
    # The ruler's spine is a vertical dark line behind the marker: its length is 100 mm.
    x = int(round(grey.shape[1] - (MARKER_FROM_FRONT_MM + 150 + 8) / MM_PER_PX))
    col = grey[:, x - 1:x + 2].min(axis=1) < 128
    ys = np.nonzero(col)[0]
    assert (ys.max() - ys.min()) * MM_PER_PX == pytest.approx(100.0, abs=0.6)


def test_cli_marker(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sheet.pdf"
    ok = runner.invoke(main, ["marker", "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert out.stat().st_size > 1000
    again = runner.invoke(main, ["marker", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    big = runner.invoke(main, ["marker", "--out", str(tmp_path / "b.pdf"), "--size-mm", "250"])
    assert big.exit_code == 2 and "does not fit" in big.output
    assert not (tmp_path / "b.pdf").exists()
    wrong = runner.invoke(main, ["marker", "--out", str(tmp_path / "c.png")])
    assert wrong.exit_code == 2 and ".pdf" in wrong.output


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("wall_on_right", [True, False])
def test_every_text_is_inside_the_printable_area(paper: str, wall_on_right: bool) -> None:
    """Home printers leave about 5 mm unprinted at each edge: no word of the sheet may sit there."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ankle_cv.scene.marker_sheet import PAPERS_MM, PRINT_MARGIN_MM, SheetLayout, _draw_page
    from tests.outputs.visual_checks import texts_outside

    w, h = PAPERS_MM[paper]
    fig = Figure(figsize=(w / 25.4, h / 25.4), dpi=100)
    FigureCanvasAgg(fig)
    _draw_page(fig, SheetLayout(paper, w, h, 150.0, 0, wall_on_right))
    assert PRINT_MARGIN_MM >= 5.0
    assert texts_outside(fig, margin_px=PRINT_MARGIN_MM / 25.4 * fig.dpi) == []
