"""batch.csv and batch.json: one row per video and leg, rewritten after every video so they always match the folders."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ankle_cv import __version__
from ankle_cv.batch.job import STATUS_MEASURED, STATUS_NO_MEASUREMENT, VideoOutcome
from ankle_cv.io.atomic import write_text_atomic

CSV_NAME = "batch.csv"
JSON_NAME = "batch.json"
COLUMNS = (
    "video", "output", "patient_id", "leg", "status", "exit_code", "reason",
    "tibial_inclination_deg", "tibial_inclination_ci95_deg", "inclinometer_equivalent_deg", "inclinometer_equivalent_ci95_deg", "mean_deg", "sd_deg",
    "category", "category_ci95", "distance_category", "distance_category_ci95", "reps_valid", "reps_total",
    "knee_to_wall_cm", "knee_to_wall_uncertainty_cm", "equivalent_toe_to_wall_cm", "equivalent_toe_to_wall_uncertainty_cm",
)


@dataclass(frozen=True)
class VideoRecord:
    """A finished video of the batch: where it came from, where its outputs are, how it went."""

    video: str  # as the user named it (or as found in a folder)
    output: str  # folder below --out
    patient_id: str | None
    size_bytes: int
    mtime_ns: int
    outcome: VideoOutcome
    resumed: bool  # complete outputs from an earlier run were kept


def leg_rows(record: VideoRecord) -> list[dict[str, Any]]:
    """The video's rows: one per leg its result.json holds, or one with no leg when there is no result."""
    from ankle_cv.protocol.asymmetry import legs_of
    from ankle_cv.results.types import Result

    o = record.outcome
    base: dict[str, Any] = {"video": record.video, "output": record.output, "patient_id": record.patient_id or "",
                            "leg": "", "status": o.status, "exit_code": o.exit_code, "reason": o.reason}
    if o.result_text is None:
        return [base]
    result = Result.from_json(o.result_text)
    legs = legs_of(result)
    if not legs:
        return [base]
    best = result.rep(result.best_rep) if result.best_rep is not None else None
    uncertainty = result.summary.uncertainty  # the centimetres' uncertainty: given for the best leg only
    rows = []
    for leg in legs:
        measured = leg.tibial_inclination_deg is not None
        is_best = best is not None and best.side == leg.side and uncertainty is not None
        rows.append(base | {
            "leg": leg.side,
            "status": STATUS_MEASURED if measured else STATUS_NO_MEASUREMENT,
            "reason": "" if measured else (o.reason or f"no valid rep of the {leg.side} leg"),
            "tibial_inclination_deg": leg.tibial_inclination_deg,
            "tibial_inclination_ci95_deg": leg.tibial_inclination_ci95_deg,  # 95 % half-width, as the inclinometer's
            "mean_deg": leg.mean_deg, "sd_deg": leg.sd_deg,
            "inclinometer_equivalent_deg": leg.inclinometer_equivalent_deg,
            "inclinometer_equivalent_ci95_deg": leg.inclinometer_equivalent_ci95_deg,  # 95 % half-width, when read
            "category": leg.category, "category_ci95": _bands_text(leg.category_ci95),
            "distance_category": leg.distance_category, "distance_category_ci95": _bands_text(leg.distance_category_ci95),
            "reps_valid": leg.reps_valid, "reps_total": leg.reps_total,
            "knee_to_wall_cm": leg.knee_to_wall_cm, "equivalent_toe_to_wall_cm": leg.distance_cm,
            "knee_to_wall_uncertainty_cm": uncertainty.knee_to_wall_uncertainty_cm if is_best and uncertainty else None,
            "equivalent_toe_to_wall_uncertainty_cm":
                uncertainty.equivalent_toe_to_wall_uncertainty_cm if is_best and uncertainty else None,
        })
    return rows


def _bands_text(bands: tuple[str, ...] | None) -> str | None:
    """The bands a 95 % interval touches, for one CSV cell: 'borderline|normal'."""
    return "|".join(str(b) for b in bands) if bands else None


def csv_text(records: Sequence[VideoRecord]) -> str:
    """batch.csv: empty cells where a value is unknown."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        for row in leg_rows(record):
            writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in COLUMNS})
    return buf.getvalue()


def json_doc(records: Sequence[VideoRecord], options: dict[str, Any]) -> dict[str, Any]:
    """batch.json: the options, each video's record (with its time and its worker's peak memory) and the rows."""
    videos = []
    for r in records:
        o = r.outcome
        videos.append({
            "video": r.video, "output": r.output, "patient_id": r.patient_id, "size_bytes": r.size_bytes,
            "mtime_ns": r.mtime_ns, "status": o.status, "exit_code": o.exit_code, "reason": o.reason,
            "seconds": o.seconds, "worker_peak_rss_mb": o.worker_peak_rss_mb, "resumed": r.resumed,
        })
    rows = [row for r in records for row in leg_rows(r)]
    return {"ankle_cv_version": __version__, "options": options, "videos": videos, "rows": rows}


def write_tables(out_dir: Path, records: Sequence[VideoRecord], options: dict[str, Any]) -> None:
    """Rewrite batch.csv and batch.json (each atomically) from the finished videos, in the batch's order."""
    write_text_atomic(out_dir / CSV_NAME, csv_text(records))
    write_text_atomic(out_dir / JSON_NAME, json.dumps(json_doc(records, options), indent=2, ensure_ascii=False) + "\n")


def previous_batch(out_dir: Path) -> dict[str, Any] | None:
    """An earlier batch.json in the folder (None when absent or unreadable: then result.json files alone decide)."""
    try:
        doc = json.loads((out_dir / JSON_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None
