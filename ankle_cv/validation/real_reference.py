"""Scoring against the real-footage reference (../shared/real/annotations.json): three annotators' joint centres per frame.

Pure: the annotation document and each clip's per-frame analysis in, per-frame rows and pooled statistics out.
Angles + = knee ahead of the ankle in the direction the person faces (the annotation's `facing`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ankle_cv.enums import Side
from ankle_cv.io.json_numbers import json_safe

TOLERANCE_FLOOR_DEG = 3.0  # issue 19: a frame is right within max(3 deg, 2 x the annotators' SD)
TOLERANCE_SD_FACTOR = 2.0
SAME_LEG_SHANKS = 0.3  # our measured ankle within this share of the reference shank of the annotated ankle: same leg


class AnnotationFormatError(ValueError):
    """The annotation document lacks what scoring needs (the message says what)."""


@dataclass(frozen=True)
class RealClip:
    """One annotated clip: what it shows and what ankle-cv should do."""

    name: str
    file: str
    facing: Side  # image side the person faces
    test_like: bool
    movement: str
    expected: str


@dataclass(frozen=True)
class RealFrame:
    """One annotated frame: the annotators' mean joint centres and the reference angle with its spread."""

    clip: str
    frame_index: int
    time_s: float
    knee_px: tuple[float, float]
    ankle_px: tuple[float, float]
    reference_deg: float
    annotator_sd_deg: float
    heel_on_floor: bool | None


@dataclass(frozen=True)
class RealReference:
    """The whole annotation document."""

    clips: dict[str, RealClip]
    frames: tuple[RealFrame, ...]


def _mean_point(annotators: dict[str, Any], key: str) -> tuple[float, float]:
    """The annotators' mean of one point."""
    pts = np.array([a[key] for a in annotators.values()], float)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise AnnotationFormatError(f"'{key}' must be [x, y] for every annotator")
    m = pts.mean(axis=0)
    return float(m[0]), float(m[1])


def reference_from_json(doc: dict[str, Any]) -> RealReference:
    """Parse annotations.json (format: ../shared/real/README.md)."""
    if not isinstance(doc, dict) or "clips" not in doc or "frames" not in doc:
        raise AnnotationFormatError("expected 'clips' and 'frames'")
    clips = {}
    for name, c in doc["clips"].items():
        if c.get("facing") not in tuple(Side):
            raise AnnotationFormatError(f"clip {name!r}: 'facing' must be 'left' or 'right'")
        clips[name] = RealClip(name, str(c["file"]), Side(c["facing"]), bool(c["test_like"]), str(c.get("movement", "")),
                               str(c.get("expected", "")))
    frames = []
    for f in doc["frames"]:
        if f["clip"] not in clips:
            raise AnnotationFormatError(f"frame of unknown clip {f['clip']!r}")
        ann = f["annotators"]
        heel = [a.get("heel_on_floor") for a in ann.values()]
        votes = [h for h in heel if h is not None]
        frames.append(RealFrame(
            clip=f["clip"], frame_index=int(f["frame_index"]), time_s=float(f["time_s"]),
            knee_px=_mean_point(ann, "knee_px"), ankle_px=_mean_point(ann, "ankle_px"),
            reference_deg=float(f["reference"]["tibial_inclination_deg"]), annotator_sd_deg=float(f["reference"]["annotator_sd_deg"]),
            heel_on_floor=(sum(votes) > len(votes) / 2) if votes else None,
        ))
    return RealReference(clips, tuple(frames))


@dataclass(frozen=True)
class OurFrames:
    """What one analysis of a clip says per analysed frame (pixels of the upright frame, angles + towards our facing)."""

    times_s: np.ndarray
    facing: str
    angle_deg: np.ndarray  # tibial_inclination_deg
    source: np.ndarray  # angle_source strings
    ci95_deg: np.ndarray  # the interval of the rep the frame belongs to (NaN outside reps)
    front_ankle_px: np.ndarray  # (N, 2) the measured leg's ankle
    legs_px: dict[str, dict[str, np.ndarray]]  # MediaPipe label -> {"knee", "ankle"} (N, 2)
    refused: str | None  # no_measurement_reason (exit 3), None when measured


@dataclass(frozen=True)
class RealRow:
    """One annotated frame scored: ours and the raw landmarks of the annotated leg against the reference."""

    clip: str
    frame_index: int
    time_s: float
    test_like: bool
    reference_deg: float
    annotator_sd_deg: float
    tolerance_deg: float
    ours_deg: float | None
    ours_error_deg: float | None
    ours_ci95_deg: float | None
    source: str
    raw_deg: float | None  # MediaPipe knee-ankle of the annotated leg (the label nearest the annotators' points)
    raw_error_deg: float | None
    measured_annotated_leg: bool | None  # None where we gave no angle
    within_tolerance: bool | None
    worse_than_raw_deg: float | None  # |ours error| - |raw error|


def _signed_inclination(knee: np.ndarray, ankle: np.ndarray, facing_sign: int) -> float:
    """Knee-ankle angle from the image vertical, + towards the facing side (NaN where unknown)."""
    v = np.asarray(knee, float) - np.asarray(ankle, float)
    if not np.isfinite(v).all():
        return float("nan")
    return float(np.degrees(np.arctan2(facing_sign * v[0], -v[1])))


def _opt(x: float) -> float | None:
    """None for NaN."""
    return float(x) if np.isfinite(x) else None


def score_frame(frame: RealFrame, clip: RealClip, ours: OurFrames) -> RealRow:
    """Score our nearest analysed frame against one annotated frame."""
    i = int(np.argmin(np.abs(ours.times_s - frame.time_s)))
    knee, ankle = np.array(frame.knee_px), np.array(frame.ankle_px)
    shank = float(np.linalg.norm(knee - ankle))
    sign = clip.facing.sign
    dist = {side: (np.linalg.norm(p["knee"][i] - knee) + np.linalg.norm(p["ankle"][i] - ankle)) for side, p in ours.legs_px.items()}
    finite = sorted((float(v), side) for side, v in dist.items() if np.isfinite(v))
    leg = ours.legs_px[finite[0][1]] if finite else None
    raw = _signed_inclination(leg["knee"][i], leg["ankle"][i], sign) if leg is not None else float("nan")
    flip = 1.0 if ours.facing == clip.facing else -1.0  # ours is + towards our facing: a wrong facing is an error
    angle = flip * float(ours.angle_deg[i])
    measured = np.isfinite(angle)
    same = bool(np.linalg.norm(ours.front_ankle_px[i] - ankle) < SAME_LEG_SHANKS * shank) if measured and np.isfinite(ours.front_ankle_px[i]).all() else None
    tol = max(TOLERANCE_FLOOR_DEG, TOLERANCE_SD_FACTOR * frame.annotator_sd_deg)
    err = angle - frame.reference_deg if measured else float("nan")
    raw_err = raw - frame.reference_deg
    return RealRow(
        clip=frame.clip, frame_index=frame.frame_index, time_s=frame.time_s, test_like=clip.test_like,
        reference_deg=frame.reference_deg, annotator_sd_deg=frame.annotator_sd_deg, tolerance_deg=tol,
        ours_deg=_opt(angle), ours_error_deg=_opt(err), ours_ci95_deg=_opt(float(ours.ci95_deg[i])) if measured else None,
        source=str(ours.source[i]), raw_deg=_opt(raw), raw_error_deg=_opt(raw_err), measured_annotated_leg=same,
        within_tolerance=bool(abs(err) <= tol) if measured else None,
        worse_than_raw_deg=_opt(abs(err) - abs(raw_err)) if measured and np.isfinite(raw_err) else None,
    )


@dataclass(frozen=True)
class RealClipReport:
    """One clip: what it is, what we did with it, its frames scored."""

    clip: str
    test_like: bool
    expected: str
    refused: str | None  # our no_measurement_reason (exit 3); None when measured
    rows: tuple[RealRow, ...]
    error: str | None = None  # the clip could not be analysed

    @property
    def handled_right(self) -> bool:
        """A test-like clip: every annotated frame measured on the annotated leg; any other clip refused with its reason."""
        if not self.test_like:
            return self.refused is not None
        return self.error is None and all(r.measured_annotated_leg for r in self.rows)


@dataclass(frozen=True)
class AngleStats:
    """Per-frame errors pooled: n, MAE, bias, max |error| (NaN when n is 0)."""

    n: int
    mae: float
    bias: float
    max_abs: float


def angle_stats(errors: list[float]) -> AngleStats:
    """MAE, bias and worst of a list of errors."""
    e = np.asarray(errors, float)
    if e.size == 0:
        return AngleStats(0, math.nan, math.nan, math.nan)
    return AngleStats(int(e.size), float(np.mean(np.abs(e))), float(np.mean(e)), float(np.max(np.abs(e))))


@dataclass(frozen=True)
class RealReport:
    """Every clip, and the pooled numbers over the test-like clips' frames."""

    clips: tuple[RealClipReport, ...]
    ours: AngleStats  # test-like frames we measured
    raw: AngleStats  # the same frames, raw landmarks of the annotated leg
    raw_all: AngleStats  # every test-like frame, raw landmarks
    frames_test_like: int
    frames_measured: int
    frames_on_annotated_leg: int
    frames_within_tolerance: int
    frames_worse_than_raw: int  # by more than WORSE_THAN_RAW_DEG
    frames_with_interval: int
    frames_covered: int  # reference inside ours +- ci95 widened by the reference's own 95 % uncertainty
    clips_handled_right: int
    context: dict[str, Any]


WORSE_THAN_RAW_DEG = 1.0  # issue 19: never more than 1 deg worse than the raw landmarks where they are trusted


def _covered(r: RealRow) -> bool:
    """The reference lies in our interval, widened by the annotators' mean's own 95 % uncertainty (SD / sqrt 3)."""
    assert r.ours_error_deg is not None and r.ours_ci95_deg is not None
    return abs(r.ours_error_deg) <= math.hypot(r.ours_ci95_deg, 1.96 * r.annotator_sd_deg / math.sqrt(3))


def summarize_real(clips: list[RealClipReport], context: dict[str, Any] | None = None) -> RealReport:
    """Pool the test-like clips' frames (the product must measure those) and count the clips handled right."""
    rows = [r for c in clips for r in c.rows if c.test_like]
    measured = [r for r in rows if r.ours_error_deg is not None]
    with_ci = [r for r in measured if r.ours_ci95_deg is not None]
    return RealReport(
        clips=tuple(clips),
        ours=angle_stats([r.ours_error_deg for r in measured if r.ours_error_deg is not None]),
        raw=angle_stats([r.raw_error_deg for r in measured if r.raw_error_deg is not None]),
        raw_all=angle_stats([r.raw_error_deg for r in rows if r.raw_error_deg is not None]),
        frames_test_like=len(rows),
        frames_measured=len(measured),
        frames_on_annotated_leg=sum(bool(r.measured_annotated_leg) for r in measured),
        frames_within_tolerance=sum(bool(r.within_tolerance) for r in measured),
        frames_worse_than_raw=sum((r.worse_than_raw_deg or 0.0) > WORSE_THAN_RAW_DEG for r in measured),
        frames_with_interval=len(with_ci),
        frames_covered=sum(_covered(r) for r in with_ci),
        clips_handled_right=sum(c.handled_right for c in clips),
        context=dict(context or {}),
    )


def _num(v: float | None, fmt: str = "+.1f") -> str:
    """A number or a dash."""
    return "–" if v is None or not math.isfinite(v) else format(v, fmt)


def _stats_cell(s: AngleStats) -> str:
    """'MAE / bias / max'."""
    return "n/a" if s.n == 0 else f"{s.mae:.2f} / {s.bias:+.2f} / {s.max_abs:.1f}"


def format_real_report(report: RealReport) -> str:
    """Markdown tables: per frame, per clip, overall (printed and written to table.md)."""
    out = [
        "### Real footage, per annotated frame (tibial inclination, degrees; reference = mean of 3 annotators)",
        "",
        "| clip | frame | test-like | reference (SD) | ours ± 95 % | error | source | raw landmarks | raw error | annotated leg | within max(3°, 2 SD) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in report.clips:
        for row in c.rows:
            r = row
            ours = "not measured" if r.ours_deg is None else f"{r.ours_deg:+.1f}" + (f" ± {r.ours_ci95_deg:.1f}" if r.ours_ci95_deg is not None else "")
            leg = "–" if r.measured_annotated_leg is None else ("yes" if r.measured_annotated_leg else "**no**")
            within = "–" if r.within_tolerance is None else ("yes" if r.within_tolerance else "**no**")
            out.append(f"| {r.clip} | {r.frame_index} | {'yes' if r.test_like else 'no'} | {r.reference_deg:+.1f} ({r.annotator_sd_deg:.1f}) | "
                       f"{ours} | {_num(r.ours_error_deg)} | {r.source or '–'} | {_num(r.raw_deg)} | {_num(r.raw_error_deg)} | {leg} | {within} |")
    out += ["", "### Real footage, per clip", "", "| clip | the test? | ankle-cv's decision | as expected |", "|---|---|---|---|"]
    for c in report.clips:
        decision = f"error: {c.error}" if c.error else (f"refused: {c.refused}" if c.refused else "measured")
        out.append(f"| {c.clip} | {'yes' if c.test_like else 'no'} | {decision} | {'yes' if c.handled_right else '**no**'} |")
    rep = report
    cov = "n/a" if rep.frames_with_interval == 0 else f"{rep.frames_covered}/{rep.frames_with_interval} ({100 * rep.frames_covered / rep.frames_with_interval:.0f} %)"
    out += [
        "",
        f"### Real footage, overall: {len(rep.clips)} clips, {rep.frames_test_like} frames of test-like clips, {rep.frames_measured} measured",
        "",
        "| method (test-like clips' frames) | n | MAE / bias / max |",
        "|---|---|---|",
        f"| ankle-cv (frames it measured) | {rep.ours.n} | {_stats_cell(rep.ours)} |",
        f"| raw MediaPipe knee–ankle of the annotated leg, same frames | {rep.raw.n} | {_stats_cell(rep.raw)} |",
        f"| raw MediaPipe knee–ankle of the annotated leg, every test-like frame | {rep.raw_all.n} | {_stats_cell(rep.raw_all)} |",
        "",
        "| check | value |",
        "|---|---|",
        f"| test-like frames measured | {rep.frames_measured}/{rep.frames_test_like} |",
        f"| measured on the annotated leg | {rep.frames_on_annotated_leg}/{rep.frames_measured} |",
        f"| within max(3°, 2 × annotator SD) | {rep.frames_within_tolerance}/{rep.frames_measured} |",
        f"| more than {WORSE_THAN_RAW_DEG:g}° worse than the raw landmarks | {rep.frames_worse_than_raw}/{rep.frames_measured} |",
        f"| reference inside ours ± 95 % interval (widened by the reference's own 1.96·SD/√3) | {cov} |",
        f"| clips handled as expected (test-like: every annotated frame measured on the annotated leg; others refused) | {rep.clips_handled_right}/{len(rep.clips)} |",
    ]
    return "\n".join(out) + "\n"


def real_report_to_dict(report: RealReport) -> dict[str, Any]:
    """validation.json for real footage: every number, NaN as null."""
    doc = json_safe(report)
    doc["definitions"] = {
        "reference": "mean of three annotators' knee-ankle joint-centre angles (annotations.json reference.tibial_inclination_deg)",
        "ours": "tibial_inclination_deg of the analysed frame nearest the annotated frame's time; + towards the annotated facing",
        "raw": "MediaPipe knee-ankle angle of the leg whose landmarks lie nearest the annotators' knee and ankle",
        "tolerance": f"max({TOLERANCE_FLOOR_DEG:g} deg, {TOLERANCE_SD_FACTOR:g} x annotator SD)",
        "annotated_leg": f"our measured ankle within {SAME_LEG_SHANKS:g} shank lengths of the annotators' ankle",
    }
    return doc


REAL_CSV_COLUMNS = tuple(RealRow.__dataclass_fields__)


def real_csv_rows(report: RealReport) -> list[list[Any]]:
    """frames.csv rows of the real validation (empty cells where unknown)."""

    def cell(v: Any) -> Any:
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            return ""
        if isinstance(v, bool):
            return int(v)
        return round(v, 3) + 0.0 if isinstance(v, float) else v

    return [[cell(getattr(r, k)) for k in REAL_CSV_COLUMNS] for c in report.clips for r in c.rows]
