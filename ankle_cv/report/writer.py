"""Write report.pdf, report.png and report.html from result.json files (the command calls this)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ankle_cv.errors import InputError, OutputError
from ankle_cv.history.store import HistoryEntry, patient_entries
from ankle_cv.io.atomic import atomic_path, write_text_atomic
from ankle_cv.io.output_set import OutputSet, path_problem, reason_of
from ankle_cv.io.path_text import path_text
from ankle_cv.outputs.page_text import PageText
from ankle_cv.report.html import build_html
from ankle_cv.report.keyframes import KeyFrame, key_frames
from ankle_cv.report.model import ReportContent, SessionResult, build_report
from ankle_cv.report.page import PAPER_IN, PageImages, build_page, save_page
from ankle_cv.report.panels import draw_trend
from ankle_cv.report.sources import LoadedResult, load_result
from ankle_cv.results.files import read_result_text


def report_paths(out: Path) -> tuple[Path, Path, Path]:
    """report.pdf, report.png and report.html side by side (the PDF's name decides the others; a folder holds them)."""
    if out.is_dir():  # `--out visits/`: the report goes into the folder, not beside it as visits.pdf
        out = out / "report.pdf"
    pdf = out if out.suffix.lower() == ".pdf" else out.with_name(out.name + ".pdf")
    return pdf, pdf.with_suffix(".png"), pdf.with_suffix(".html")


def _labels(loaded: list[LoadedResult]) -> list[str]:
    """A short distinct name per result (its folder), the full path when folders share a name."""
    names = [item.label for item in loaded]
    return [n if names.count(n) == 1 else str(item.path) for n, item in zip(names, loaded)]


def _images(content: ReportContent, loaded: list[LoadedResult]) -> PageImages:
    """Key frames and frames.csv for each reported leg, decoding each video once."""
    wanted: dict[int, dict[str, float]] = {}
    for side, view in content.legs.items():
        if view.result_index is not None and view.best_rep is not None:
            wanted.setdefault(view.result_index, {})[side] = float(view.best_rep.peak_s)
    keys: dict[str, KeyFrame] = {}
    for index, peaks in wanted.items():
        keys.update(key_frames(loaded[index], peaks))
    tables = {side: loaded[v.result_index].frames for side, v in content.legs.items() if v.result_index is not None}
    return PageImages(key_frames=keys, frames=tables)


def _printable(content: ReportContent, warn: Callable[[str], None] | None) -> ReportContent:
    """The page's copy of what the user typed (and the folder names), in fonts that have its characters."""
    text = PageText()
    header = content.header
    header = replace(header, patient_id=text.printable(header.patient_id), name=text.printable(header.name),
                     notes=text.printable(header.notes))
    labels = tuple(text.printable(label) or "" for label in content.table_labels)
    message = text.warning()
    if message and warn is not None:
        warn(message)
    return replace(content, header=header, table_labels=labels)


def make_report(
    result_paths: list[Path],
    out: Path,
    patient_id: str | None = None,
    name: str | None = None,
    notes: str | None = None,
    history_db: Path | None = None,
    paper: str = "a4",
    force: bool = False,
    today: dt.date | None = None,
    video_dirs: tuple[Path, ...] = (),
    warn: Callable[[str], None] | None = None,
) -> tuple[Path, ...]:
    """Load the results, build the content once, write the page (PDF + PNG) and the HTML."""
    if paper not in PAPER_IN:
        raise InputError(f"--paper: {paper!r} is not one of {', '.join(PAPER_IN)}")
    targets = report_paths(Path(out))
    problem = path_problem(targets[0])
    if problem:
        raise OutputError(f"{targets[0]}: cannot write the report ({problem})")
    outputs = OutputSet(targets[0].parent, tuple(t.name for t in targets), force, [Path(p) for p in result_paths])
    try:
        _write_report(outputs, targets, result_paths, patient_id, name, notes, history_db, paper, today, video_dirs,
                      warn)
    finally:
        outputs.discard()  # nothing to discard after the commit
    return targets


def _write_report(
    outputs: OutputSet, targets: tuple[Path, Path, Path], result_paths: list[Path], patient_id: str | None,
    name: str | None, notes: str | None, history_db: Path | None, paper: str, today: dt.date | None,
    video_dirs: tuple[Path, ...], warn: Callable[[str], None] | None,
) -> None:
    """The three files into the staging folder, then swapped in together (never a new PDF beside an old PNG)."""
    loaded = [load_result(Path(p), video_dirs) for p in result_paths]
    sessions = [SessionResult(label, item.result, item.session_time.date().isoformat(), item.sha256)
                for label, item in zip(_labels(loaded), loaded)]
    history: list[HistoryEntry] = []
    if patient_id and history_db is not None:
        history = patient_entries(history_db, patient_id)
    content = build_report(sessions, patient_id, name, notes, (today or dt.date.today()).isoformat(), history)
    images = _images(content, loaded)
    fig = build_page(_printable(content, warn), images, paper)
    try:
        save_page(fig, outputs.path(targets[0].name), outputs.path(targets[1].name))
        write_text_atomic(outputs.path(targets[2].name), build_html(content, images))
    except OSError as exc:
        raise OutputError(f"{targets[0].parent}: cannot write the report ({reason_of(exc)})") from None
    outputs.commit()


def unmeasured(result_paths: list[Path]) -> tuple[str, ...]:
    """'<result>: holds no valid measurement, and the report says why: <reason>' for each result without one (the page is
    written; the command then ends as analyze does for that result: one line and exit 3). The reason comes last, after a
    colon: it may hold brackets of its own ("... side by side (no split stance: a squat?) ...")."""
    found = []
    for path in result_paths:
        result = read_result_text(Path(path))[1]
        if result.best_rep is None:
            found.append(f"{path_text(Path(path))}: holds no valid measurement, and the report says why: "
                         f"{result.summary.no_measurement_reason or 'no valid rep'}")
    return tuple(found)


TREND_PNG_TITLE = "ankle-cv history trend"  # the PNG's Title: `history show --plot` overwrites only its own plots


def is_trend_png(path: Path) -> bool:
    """Whether the file is a trend plot this command wrote (a PNG titled so), not e.g. an analysis's summary.png."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.format == "PNG" and image.info.get("Title") == TREND_PNG_TITLE
    except (OSError, ValueError):
        return False


def write_trend_png(entries: list[HistoryEntry], path: Path, title: str) -> None:
    """The trend over visits alone, for `history show --plot`."""
    fig = Figure(figsize=(7.0, 3.2), dpi=130, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    draw_trend(ax, entries)
    ax.set_title(f"{PageText().printable(title)}: best valid rep per visit", fontsize=9, loc="left")
    with atomic_path(Path(path)) as tmp:
        fig.savefig(tmp, format="png", metadata={"Title": TREND_PNG_TITLE})
