"""`ankle-cv marker --out marker.pdf`: the printable reference sheet. Thin: options and messages."""

from __future__ import annotations

from pathlib import Path

import click

from ankle_cv.cli.errors import reports_errors
from ankle_cv.scene.marker import DEFAULT_MARKER_MM


@click.command()
@click.option("--out", "out_path", type=click.Path(path_type=Path), required=True, help="PDF file to write.")
@click.option("--size-mm", type=float, default=DEFAULT_MARKER_MM, show_default=True,
              help="Side of the black square, 50 mm up to what fits the paper (give the same --marker-size-mm to analyze).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--id", "marker_id", type=int, default=0, show_default=True, help="ArUco id in DICT_4X4_50 (0-49).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@reports_errors()
def marker(out_path: Path, size_mm: float, paper: str, marker_id: int, force: bool) -> None:
    """Write the marker sheet: stand it beside the tested foot for results in centimetres.

    \b
    Page 1 is for a wall on the right of the camera's picture, page 2 for a wall on
    the left. Print at 100 % (actual size); the sheet carries a ruler to check, the
    10 cm "toes here" line and short instructions.
    \b
    Exit codes: 0 written; 2 bad option (a size that does not fit the page, an id
    outside 0-49) or unusable --out (an existing file without --force).
    """
    from ankle_cv.errors import InputError, OutputError
    from ankle_cv.io.output_set import path_problem
    from ankle_cv.scene.marker_sheet import check_options, write_marker_pdf

    try:
        check_options(paper, size_mm, marker_id)
    except ValueError as exc:
        raise InputError(f"{out_path}: {exc}") from None
    if out_path.suffix.lower() != ".pdf":
        raise InputError(f"{out_path}: the sheet is written as PDF: give a file name ending in .pdf")
    if out_path.exists() and not force:
        raise OutputError(f"{out_path}: already exists; use --force to overwrite")
    problem = path_problem(out_path)
    if problem:
        raise OutputError(f"{out_path}: {problem}")
    try:
        write_marker_pdf(out_path, paper, size_mm, marker_id)
    except OSError as exc:
        raise OutputError(f"{out_path}: cannot write the file ({exc.strerror})") from None
    click.echo(f"wrote {out_path} ({paper}, {size_mm:g} mm marker id {marker_id}; page 1: wall on the right of the "
               f"picture, page 2: wall on the left). Print at 100 %.")
