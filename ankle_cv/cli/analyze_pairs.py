"""`analyze` with several videos: one output folder each, then the left/right pairing and the history hook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from ankle_cv.errors import InputError
from ankle_cv.io.path_text import path_text
from ankle_cv.protocol.asymmetry import LegResult
from ankle_cv.protocol.norms import category_words
from ankle_cv.results.types import Result

ASYMMETRY_FILE = "asymmetry.json"


def plan_targets(videos: tuple[Path, ...], out_dir: Path | None) -> list[tuple[Path, Path]]:
    """(video, output folder) per video: --out is the folder for one video, the parent folder for several."""
    from ankle_cv.pipeline import default_out_dir

    if len(videos) == 1:
        return [(videos[0], out_dir or default_out_dir(videos[0]))]
    targets = [(v, out_dir / default_out_dir(v).name if out_dir else default_out_dir(v)) for v in videos]
    seen: dict[Path, Path] = {}
    for video, target in targets:
        if target in seen:
            raise InputError(f"{video}: would write to the same folder as {seen[target]} ({target}); analyse them separately with --out")
        seen[target] = video
    return targets


def pairing_summary(done: list[tuple[Path, Result]]) -> dict[str, Any] | None:
    """asymmetry.json's content when the results hold a measured left and right leg, else None."""
    from ankle_cv.protocol.asymmetry import asymmetry_summary, pair_legs

    pairing = pair_legs([(path_text(path), result) for path, result in done])
    return asymmetry_summary(pairing) if pairing.complete else None


def write_pairing(done: list[tuple[Path, Result]], folder: Path) -> Path | None:
    """Write asymmetry.json into folder and print the asymmetry; a stale one is removed when there is no pair."""
    from ankle_cv.io.atomic import write_text_atomic
    from ankle_cv.protocol.asymmetry import (
        asymmetry_words,
        compute_asymmetry,
        pair_legs,
    )

    target = folder / ASYMMETRY_FILE
    summary = pairing_summary(done)
    pairing = pair_legs([(path_text(path), result) for path, result in done])
    asym = compute_asymmetry(pairing.left, pairing.right) if pairing.left and pairing.right else None
    if summary is None or asym is None:
        if target.exists():
            target.unlink()  # from an earlier run (prepare_out_dir allowed it with --force): it no longer applies
        return None
    write_text_atomic(target, json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    click.echo("")
    for leg in (pairing.left, pairing.right):
        if leg is not None:
            click.echo(f"{leg_words(leg)} from {leg.source}")
    click.echo(f"{asymmetry_words(asym)}.")
    click.echo(f"  {asym.threshold_text[0].upper()}{asym.threshold_text[1:]}.")
    for note in pairing.notes:
        click.echo(f"note: {note}")
    click.echo(f"wrote {path_text(target)}")
    return target


def leg_words(leg: LegResult) -> str:
    """A leg as print_summary words it: each category beside the number it judges (never beside the joint-centre angle)."""
    angle = (f"inclinometer-equivalent {leg.inclinometer_equivalent_deg}° → "
             f"{category_words(leg.category, leg.category_ci95) or 'no category'}"
             if leg.inclinometer_equivalent_deg is not None else "no inclinometer-equivalent angle (no category)")
    text = f"{leg.side.capitalize()} leg: {angle}, joint-centre {leg.tibial_inclination_deg}°"
    if leg.distance_cm is not None:
        text += (f", equivalent toe-to-wall {leg.distance_cm} cm → "
                 f"{category_words(leg.distance_category, leg.distance_category_ci95) or 'no category'}")
    return text


def add_to_history(done: list[tuple[Path, Result]], patient_id: str, db: Path | None) -> None:
    """Store every result for the patient, dated today."""
    from ankle_cv.history.store import add_result_file, default_db_path

    path = db or default_db_path()
    today = dt.date.today().isoformat()
    added = sum(add_result_file(path, result_path, patient_id, today) for result_path, result in done
                if result.legs)  # a result without a measured leg is refused: the run says why (exit 3)
    click.echo(f"history: {added} leg(s) added for {patient_id} in {path}")
