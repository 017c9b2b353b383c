"""Accuracy against ground truth (pure): read a truth document, match our reps to the true ones, score them.

Truth documents follow ../shared/synthetic/README.md (the renderer's JSON). Our side is the
Result of `ankle-cv analyze`. Nothing here reads files or runs the model.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ankle_cv.io.json_numbers import json_safe
from ankle_cv.results.types import Result

LIFTED_MM = 8.0  # true heel height in the hold from which a lift must be flagged (issue 3)
NOT_LIFTED_MM = 2.0  # at or below this the heel counts as down and must not be flagged
TRUTH_HEEL_DECIMALS = 2  # the renderer's heights carry 1e-4 mm of noise: a 2 mm lift reads 2.0002, an 8 mm one 7.9999
LOA_Z = 1.96
TIME_SLACK_S = 0.02  # timestamps vs frame / fps rounding

# Targets of issue 3.
TARGET_MAE_DEG = 1.0
TARGET_LOA_DEG = 2.0
TARGET_MAX_DEG = 4.0
TARGET_CATCH = 0.95
TARGET_FALSE_FLAG = 0.05
TARGET_REP_COUNT = 0.95
TARGET_KNEE_WALL_CM = 0.5


class TruthFormatError(ValueError):
    """The truth document lacks what validation needs (the message says what)."""


@dataclass(frozen=True)
class TruthRep:
    """One true rep: the window, the peak and what happened at it."""

    index: int
    side: str
    start_s: float
    peak_s: float
    end_s: float
    peak_deg: float
    heel_mm_at_peak: float
    max_heel_mm: float
    knee_surface_to_wall_cm: float | None
    heel_mm_in_hold: float | None = None  # median over the true hold's frames, where the truth has them

    @property
    def heel_mm_judged(self) -> float:
        """The heel height a rep is judged by: in its hold (what the heel verdict is about), else at its peak.

        Randomised renders and the heel sweep (session 12): in 11 of 310 reps the renderer's peak lies after the hold, the heel already
        down again (random_v1 r074 rep 2: 25 mm through the hold, 0 at the peak, scored a flat heel wrongly flagged).
        """
        held = self.heel_mm_in_hold if self.heel_mm_in_hold is not None else self.heel_mm_at_peak
        return round(held, TRUTH_HEEL_DECIMALS)


def hold_heel_mm(rep: dict, frames: list) -> float | None:
    """Median true heel height over a truth rep's hold frames (None without hold frames or per-frame heel heights)."""
    lo, hi = rep.get("hold_start_frame"), rep.get("hold_end_frame")
    if lo is None or hi is None:
        return None
    heights = [_opt_float(f.get("heel_height_mm")) for f in frames if isinstance(f, dict) and lo <= int(f.get("frame", -1)) <= hi]
    got = [h for h in heights if h is not None]
    return float(np.median(got)) if got else None


@dataclass(frozen=True)
class ClipTruth:
    """What an analyzer should find in one clip."""

    fps: float
    n_frames: int
    legs_tested: tuple[str, ...]
    reps: tuple[TruthRep, ...]
    has_marker: bool


@dataclass(frozen=True)
class OurRep:
    """One rep as ankle-cv reported it (from result.json)."""

    index: int
    side: str
    peak_frame: int
    peak_s: float
    tibial_inclination_deg: float | None
    landmark_inclination_deg: float | None
    heel_lifted: bool | None  # None: not judged
    valid: bool
    knee_to_wall_cm: float | None
    ci95_deg: float | None = None  # tibial_inclination_ci95_deg


@dataclass(frozen=True)
class ExtraRep:
    """A rep we reported that matches no true rep, and why."""

    rep: OurRep
    reason: str


@dataclass(frozen=True)
class Matching:
    """Our reps paired one-to-one with true reps, plus the leftovers on each side."""

    pairs: tuple[tuple[TruthRep, OurRep], ...]
    missed: tuple[TruthRep, ...]
    extra: tuple[ExtraRep, ...]


@dataclass(frozen=True)
class ErrorStats:
    """Agreement of paired measurements (Bland–Altman): error = ours − truth; NaN where undefined."""

    n: int
    mae: float
    bias: float
    sd: float
    loa_low: float
    loa_high: float
    max_abs: float


@dataclass(frozen=True)
class HeelConfusion:
    """Heel-lift flags against the true heel height at the peak; the grey zone is shown, not scored."""

    caught: int  # true ≥ LIFTED_MM, flagged
    missed: int  # true ≥ LIFTED_MM, not flagged
    false_flags: int  # true ≤ NOT_LIFTED_MM, flagged
    clear: int  # true ≤ NOT_LIFTED_MM, not flagged
    grey_flagged: int
    grey_not_flagged: int

    @property
    def catch_rate(self) -> float:
        """Share of real lifts flagged (NaN when the set holds none)."""
        n = self.caught + self.missed
        return self.caught / n if n else math.nan

    @property
    def false_flag_rate(self) -> float:
        """Share of heel-down reps wrongly flagged (NaN when the set holds none)."""
        n = self.false_flags + self.clear
        return self.false_flags / n if n else math.nan


@dataclass(frozen=True)
class RepRow:
    """One matched rep, everything reps.csv shows."""

    clip: str
    side: str
    truth_rep: int
    our_rep: int
    peak_dt_s: float
    truth_deg: float
    ours_deg: float | None
    baseline_deg: float | None
    error_deg: float | None
    baseline_error_deg: float | None
    heel_truth_mm: float
    heel_class: str  # "lifted", "down" or "grey"
    heel_flagged: bool
    valid: bool
    knee_to_wall_truth_cm: float | None
    knee_to_wall_ours_cm: float | None
    knee_to_wall_error_cm: float | None
    ci95_deg: float | None = None  # our 95 % interval half-width
    covered: bool | None = None  # |error| within it


@dataclass(frozen=True)
class ClipReport:
    """One clip's scores."""

    clip: str
    video: str
    truth_sides: tuple[str, ...]
    our_sides: tuple[str, ...]
    side_correct: bool
    reps_true: int
    reps_ours: int
    rep_count_exact: bool
    rows: tuple[RepRow, ...]
    missed: tuple[TruthRep, ...]
    extra: tuple[ExtraRep, ...]
    ours: ErrorStats
    baseline: ErrorStats
    heel: HeelConfusion
    knee_to_wall: ErrorStats
    has_marker: bool
    error: str | None = None  # the clip could not be analysed (then nothing of ours was matched)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetCheck:
    """One target of issue 3: passed is None when the data cannot decide it (n/a)."""

    name: str
    value: str
    passed: bool | None


@dataclass(frozen=True)
class ValidationReport:
    """Every clip's scores and the pooled ones."""

    clips: tuple[ClipReport, ...]
    ours: ErrorStats
    baseline: ErrorStats
    heel: HeelConfusion
    knee_to_wall: ErrorStats
    side_correct_clips: int
    rep_count_exact_clips: int
    reps_true: int
    reps_matched: int
    reps_missed: int
    reps_extra: int
    targets: tuple[TargetCheck, ...]
    context: dict[str, Any] = field(default_factory=dict)  # folder, model, settings, version (echoed)

    @property
    def all_targets_met(self) -> bool:
        """No target failed (n/a targets do not count as failures)."""
        return all(t.passed is not False for t in self.targets)


# ---------------------------------------------------------------------------------------------
# Reading the two sides


def _need(doc: dict, key: str, where: str) -> Any:
    """A required key, or a TruthFormatError naming it."""
    if not isinstance(doc, dict) or key not in doc:
        raise TruthFormatError(f"missing '{key}' in {where}")
    return doc[key]


def _opt_float(value: Any) -> float | None:
    """A finite float or None."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def truth_from_json(doc: dict) -> ClipTruth:
    """Parse a ground-truth document (format: ../shared/synthetic/README.md)."""
    video = _need(doc, "video", "the document")
    fps = float(_need(video, "fps", "'video'"))
    if not fps > 0:
        raise TruthFormatError(f"'video.fps' must be positive, got {fps}")
    reps_doc = _need(doc, "reps", "the document")
    if not isinstance(reps_doc, list):
        raise TruthFormatError("'reps' must be a list")
    reps = []
    frames: list = doc["frames"] if isinstance(doc.get("frames"), list) else []
    for k, r in enumerate(reps_doc):
        where = f"reps[{k}]"
        start_s, peak_s, end_s = (int(_need(r, f"{k}_frame", where)) / fps for k in ("start", "peak", "end"))
        side = str(_need(r, "tested_leg", where))
        if side not in ("left", "right"):
            raise TruthFormatError(f"{where}.tested_leg must be 'left' or 'right', got {side!r}")
        heel = _opt_float(r.get("heel_height_mm_at_peak"))
        reps.append(TruthRep(
            index=int(r.get("index", k + 1)),
            side=side,
            start_s=start_s,
            peak_s=peak_s,
            end_s=end_s,
            peak_deg=float(_need(r, "peak_tibial_inclination_deg", where)),
            heel_mm_at_peak=heel if heel is not None else 0.0,
            max_heel_mm=_opt_float(r.get("max_heel_height_mm")) or 0.0,
            knee_surface_to_wall_cm=_opt_float(r.get("knee_surface_to_wall_cm_at_peak")),
            heel_mm_in_hold=hold_heel_mm(r, frames),
        ))
    subject = doc.get("subject") or {}
    legs = subject.get("legs_tested") or list(dict.fromkeys(r.side for r in reps))
    n_frames = int(video.get("frames") or len(doc.get("frames") or []))
    return ClipTruth(fps, n_frames, tuple(legs), tuple(reps), doc.get("marker") is not None)


def our_reps_from_result(result: Result, time_origin_s: float = 0.0) -> tuple[OurRep, ...]:
    """Our reps from a result, peak times from the first frame (the truth's clock).

    A rep's knee-to-wall cm is its own or, for a leg's best rep, the leg's or the result's.
    """
    leg_best = {leg.best_rep: leg.distances.knee_to_wall_cm if leg.distances else None for leg in result.legs.values()}
    out = []
    for r in result.reps:
        k2w = r.knee_to_wall_cm
        if k2w is None and r.index in leg_best:
            k2w = leg_best[r.index]
        if k2w is None and r.index == result.best_rep:
            k2w = result.summary.knee_to_wall_cm
        out.append(OurRep(
            index=r.index,
            side=str(r.side),
            peak_frame=r.peak_frame,
            peak_s=r.peak_s - time_origin_s,
            tibial_inclination_deg=r.tibial_inclination_deg,
            landmark_inclination_deg=r.landmark_inclination_deg,
            heel_lifted=r.heel_lifted,
            valid=r.valid,
            knee_to_wall_cm=k2w,
            ci95_deg=r.tibial_inclination_ci95_deg,
        ))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Matching and statistics


def _inside(o: OurRep, t: TruthRep) -> bool:
    """Our peak falls within the true rep's start–end window (times, so frame sampling does not matter)."""
    return t.start_s - TIME_SLACK_S <= o.peak_s <= t.end_s + TIME_SLACK_S


def match_reps(truth: tuple[TruthRep, ...], ours: tuple[OurRep, ...]) -> Matching:
    """Pair reps one-to-one: same side, our peak inside the true rep's start–end window, nearest peaks first."""
    candidates = sorted(
        (abs(o.peak_s - t.peak_s), ti, oi)
        for ti, t in enumerate(truth)
        for oi, o in enumerate(ours)
        if o.side == t.side and _inside(o, t)
    )
    used_t: set[int] = set()
    used_o: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, ti, oi in candidates:
        if ti not in used_t and oi not in used_o:
            used_t.add(ti)
            used_o.add(oi)
            pairs.append((ti, oi))
    pairs.sort()
    extra = []
    for oi, o in enumerate(ours):
        if oi in used_o:
            continue
        inside = [t for t in truth if _inside(o, t)]
        if not inside:
            reason = "no true rep at this time"
        elif all(t.side != o.side for t in inside):
            reason = f"wrong side (true rep {inside[0].index} is the {inside[0].side} leg)"
        else:
            reason = f"second rep found inside true rep {inside[0].index}"
        extra.append(ExtraRep(o, reason))
    return Matching(
        pairs=tuple((truth[ti], ours[oi]) for ti, oi in pairs),
        missed=tuple(t for ti, t in enumerate(truth) if ti not in used_t),
        extra=tuple(extra),
    )


def error_stats(errors: list[float] | np.ndarray) -> ErrorStats:
    """MAE, bias, SD (n−1), 95 % limits of agreement and the largest error; NaNs are left out."""
    e = np.asarray(errors, dtype=float)
    e = e[np.isfinite(e)]
    n = int(e.size)
    if n == 0:
        return ErrorStats(0, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)
    bias = float(e.mean())
    sd = float(e.std(ddof=1)) if n > 1 else math.nan
    return ErrorStats(n, float(np.abs(e).mean()), bias, sd, bias - LOA_Z * sd, bias + LOA_Z * sd, float(np.abs(e).max()))


def heel_class(heel_mm: float) -> str:
    """Truth class of a rep's true heel height (in the hold)."""
    if heel_mm >= LIFTED_MM:
        return "lifted"
    if heel_mm <= NOT_LIFTED_MM:
        return "down"
    return "grey"


def heel_confusion(heel_mm: list[float], flagged: list[bool]) -> HeelConfusion:
    """Count flags against the true heel heights."""
    counts = {"caught": 0, "missed": 0, "false_flags": 0, "clear": 0, "grey_flagged": 0, "grey_not_flagged": 0}
    for mm, flag in zip(heel_mm, flagged):
        cls = heel_class(mm)
        if cls == "lifted":
            counts["caught" if flag else "missed"] += 1
        elif cls == "down":
            counts["false_flags" if flag else "clear"] += 1
        else:
            counts["grey_flagged" if flag else "grey_not_flagged"] += 1
    return HeelConfusion(**counts)


def _sum_confusions(items: list[HeelConfusion]) -> HeelConfusion:
    """Pool confusion matrices."""
    keys = ("caught", "missed", "false_flags", "clear", "grey_flagged", "grey_not_flagged")
    return HeelConfusion(**{k: sum(getattr(c, k) for c in items) for k in keys})


def _diff(a: float | None, b: float | None) -> float | None:
    """a − b, None when either is unknown."""
    return None if a is None or b is None else a - b


def _our_sides(result: Result | None) -> tuple[str, ...]:
    """The legs we reported, in the order their reps appear (the result's side when no rep was found)."""
    if result is None:
        return ()
    sides = tuple(dict.fromkeys(str(r.side) for r in result.reps))
    return sides or ((str(result.side),) if result.side is not None else ())  # None: nobody was seen


def _covered(error_deg: float | None, ci95_deg: float | None) -> bool | None:
    """Whether the truth lies in our 95 % interval (None when either is unknown)."""
    return None if error_deg is None or ci95_deg is None else abs(error_deg) <= ci95_deg


TARGET_COVERAGE = 0.90  # issue 19: the 95 % interval covers the truth in at least 90 % of reps


def coverage_target(rows: list[RepRow]) -> TargetCheck:
    """Issue 19's interval target over the matched reps that have an interval."""
    scored = [r.covered for r in rows if r.covered is not None]
    share = sum(scored) / len(scored) if scored else math.nan
    return TargetCheck(f"95 % interval covers the truth in ≥ {100 * TARGET_COVERAGE:.0f} % of reps", _rate(sum(scored), len(scored)),
                       None if not scored else share >= TARGET_COVERAGE)


def evaluate_clip(
    clip: str, video: str, truth: ClipTruth, result: Result | None, error: str | None = None, time_origin_s: float = 0.0
) -> ClipReport:
    """Score one clip; `result` is None when the clip could not be analysed (`error` says why).

    time_origin_s: our first frame's timestamp (the truth counts time from the first frame).
    """
    ours = our_reps_from_result(result, time_origin_s) if result is not None else ()
    matching = match_reps(truth.reps, ours)
    rows = []
    for t, o in matching.pairs:
        k2w_truth = t.knee_surface_to_wall_cm if truth.has_marker else None
        k2w_ours = o.knee_to_wall_cm if truth.has_marker else None
        rows.append(RepRow(
            clip=clip,
            side=t.side,
            truth_rep=t.index,
            our_rep=o.index,
            peak_dt_s=o.peak_s - t.peak_s,
            truth_deg=t.peak_deg,
            ours_deg=o.tibial_inclination_deg,
            baseline_deg=o.landmark_inclination_deg,
            error_deg=_diff(o.tibial_inclination_deg, t.peak_deg),
            baseline_error_deg=_diff(o.landmark_inclination_deg, t.peak_deg),
            heel_truth_mm=t.heel_mm_judged,
            heel_class=heel_class(t.heel_mm_judged),
            heel_flagged=o.heel_lifted is True,
            valid=o.valid,
            knee_to_wall_truth_cm=k2w_truth,
            knee_to_wall_ours_cm=k2w_ours,
            knee_to_wall_error_cm=_diff(k2w_ours, k2w_truth),
            ci95_deg=o.ci95_deg,
            covered=_covered(_diff(o.tibial_inclination_deg, t.peak_deg), o.ci95_deg),
        ))
    our_sides = _our_sides(result)
    count_exact = result is not None and all(
        sum(o.side == s for o in ours) == sum(t.side == s for t in truth.reps) for s in ("left", "right")
    )
    return ClipReport(
        clip=clip,
        video=video,
        truth_sides=truth.legs_tested,
        our_sides=our_sides,
        side_correct=result is not None and our_sides == truth.legs_tested,
        reps_true=len(truth.reps),
        reps_ours=len(ours),
        rep_count_exact=count_exact,
        rows=tuple(rows),
        missed=matching.missed,
        extra=matching.extra,
        ours=error_stats([r.error_deg for r in rows if r.error_deg is not None]),
        baseline=error_stats([r.baseline_error_deg for r in rows if r.baseline_error_deg is not None]),
        heel=heel_confusion([r.heel_truth_mm for r in rows], [r.heel_flagged for r in rows]),
        knee_to_wall=error_stats([r.knee_to_wall_error_cm for r in rows if r.knee_to_wall_error_cm is not None]),
        has_marker=truth.has_marker,
        error=error,
    )


# ---------------------------------------------------------------------------------------------
# Pooling and targets


def _fmt(v: float, digits: int = 2, unit: str = "") -> str:
    """A number for tables; 'n/a' when undefined."""
    return "n/a" if not math.isfinite(v) else f"{v:.{digits}f}{unit}"


def _rate(num: int, den: int) -> str:
    """'k/n (p %)' or 'n/a'."""
    return "n/a" if den == 0 else f"{num}/{den} ({100 * num / den:.0f} %)"


def check_targets(
    ours: ErrorStats, heel: HeelConfusion, knee: ErrorStats, side_ok: int, count_ok: int, n_clips: int
) -> tuple[TargetCheck, ...]:
    """Issue 3's targets as pass/fail/n-a lines."""

    def ok(value: float, good: bool) -> bool | None:
        return None if not math.isfinite(value) else bool(good)

    lifted = heel.caught + heel.missed
    down = heel.false_flags + heel.clear
    return (
        TargetCheck(f"peak inclination MAE ≤ {TARGET_MAE_DEG:g}°", _fmt(ours.mae, 2, "°"), ok(ours.mae, ours.mae <= TARGET_MAE_DEG)),
        TargetCheck(
            f"95 % limits of agreement within ±{TARGET_LOA_DEG:g}°",
            "n/a" if not math.isfinite(ours.sd) else f"{ours.loa_low:+.2f}° to {ours.loa_high:+.2f}°",
            ok(ours.sd, ours.loa_low >= -TARGET_LOA_DEG and ours.loa_high <= TARGET_LOA_DEG),
        ),
        TargetCheck(f"no rep worse than {TARGET_MAX_DEG:g}°", _fmt(ours.max_abs, 2, "°"), ok(ours.max_abs, ours.max_abs <= TARGET_MAX_DEG)),
        TargetCheck(
            f"heel lift ≥ {LIFTED_MM:g} mm flagged in ≥ {100 * TARGET_CATCH:.0f} % of reps",
            _rate(heel.caught, lifted), ok(heel.catch_rate, heel.catch_rate >= TARGET_CATCH),
        ),
        TargetCheck(
            f"heel ≤ {NOT_LIFTED_MM:g} mm flagged in ≤ {100 * TARGET_FALSE_FLAG:.0f} % of reps",
            _rate(heel.false_flags, down), ok(heel.false_flag_rate, heel.false_flag_rate <= TARGET_FALSE_FLAG),
        ),
        TargetCheck("tested leg correct in every clip", _rate(side_ok, n_clips), None if n_clips == 0 else side_ok == n_clips),
        TargetCheck(
            f"rep count exact in ≥ {100 * TARGET_REP_COUNT:.0f} % of clips", _rate(count_ok, n_clips),
            None if n_clips == 0 else count_ok >= TARGET_REP_COUNT * n_clips,
        ),
        TargetCheck(
            f"knee-to-wall within ±{TARGET_KNEE_WALL_CM:g} cm (marker clips)",
            "n/a (no knee_to_wall_cm from ankle-cv)" if knee.n == 0 else f"max |error| {knee.max_abs:.2f} cm over {knee.n} reps",
            ok(knee.max_abs, knee.max_abs <= TARGET_KNEE_WALL_CM),
        ),
    )


def summarize(clips: list[ClipReport], context: dict[str, Any] | None = None) -> ValidationReport:
    """Pool every clip's reps (per-rep statistics) and check the targets."""
    rows = [r for c in clips for r in c.rows]
    ours = error_stats([r.error_deg for r in rows if r.error_deg is not None])
    baseline = error_stats([r.baseline_error_deg for r in rows if r.baseline_error_deg is not None])
    heel = _sum_confusions([c.heel for c in clips])
    knee = error_stats([r.knee_to_wall_error_cm for r in rows if r.knee_to_wall_error_cm is not None])
    side_ok = sum(c.side_correct for c in clips)
    count_ok = sum(c.rep_count_exact for c in clips)
    return ValidationReport(
        clips=tuple(clips),
        ours=ours,
        baseline=baseline,
        heel=heel,
        knee_to_wall=knee,
        side_correct_clips=side_ok,
        rep_count_exact_clips=count_ok,
        reps_true=sum(c.reps_true for c in clips),
        reps_matched=len(rows),
        reps_missed=sum(len(c.missed) for c in clips),
        reps_extra=sum(len(c.extra) for c in clips),
        targets=(*check_targets(ours, heel, knee, side_ok, count_ok, len(clips)), coverage_target(rows)),
        context=dict(context or {}),
    )


# ---------------------------------------------------------------------------------------------
# Presenting


def _heel_dict(h: HeelConfusion) -> dict[str, Any]:
    """Confusion matrix with its rates."""
    return asdict(h) | {"catch_rate": h.catch_rate, "false_flag_rate": h.false_flag_rate}


def report_to_dict(report: ValidationReport) -> dict[str, Any]:
    """validation.json: every number, NaN as null."""
    clips = []
    for c in report.clips:
        d = asdict(c)
        d["heel"] = _heel_dict(c.heel)
        d["extra"] = [{"rep": asdict(e.rep), "reason": e.reason} for e in c.extra]
        clips.append(d)
    return json_safe({
        "context": report.context,
        "definitions": {
            "error": "ours − truth, per rep, at the peak (truth: peak_tibial_inclination_deg, joint centre to joint centre)",
            "baseline": "raw MediaPipe knee–ankle landmark angle at our peak (landmark_inclination_deg)",
            "loa": f"bias ± {LOA_Z} × SD (SD with n − 1)",
            "matching": "same side, our peak time (from the first frame) inside the true rep's start–end window, nearest peaks first",
            "heel": f"truth: median heel_height_mm over the rep's hold frames (else heel_height_mm_at_peak): lifted ≥ {LIFTED_MM:g} mm, down ≤ {NOT_LIFTED_MM:g} mm, grey zone between (not scored)",
            "knee_to_wall": "ours knee_to_wall_cm − truth knee_surface_to_wall_cm_at_peak, marker clips only",
        },
        "overall": {
            "clips": len(report.clips),
            "reps_true": report.reps_true,
            "reps_matched": report.reps_matched,
            "reps_missed": report.reps_missed,
            "reps_extra": report.reps_extra,
            "ours": asdict(report.ours),
            "baseline": asdict(report.baseline),
            "heel": _heel_dict(report.heel),
            "knee_to_wall_cm": asdict(report.knee_to_wall),
            "side_correct_clips": report.side_correct_clips,
            "rep_count_exact_clips": report.rep_count_exact_clips,
        },
        "targets": [asdict(t) for t in report.targets],
        "all_targets_met": report.all_targets_met,
        "clips": clips,
    })


CSV_COLUMNS = (
    "clip", "side", "truth_rep", "our_rep", "peak_dt_s", "truth_deg", "ours_deg", "baseline_deg", "error_deg",
    "baseline_error_deg", "heel_truth_mm", "heel_class", "heel_flagged", "valid", "knee_to_wall_truth_cm",
    "knee_to_wall_ours_cm", "knee_to_wall_error_cm", "ci95_deg", "covered",
)


def csv_rows(report: ValidationReport) -> list[list[Any]]:
    """reps.csv rows in CSV_COLUMNS order (empty where unknown)."""

    def cell(v: Any) -> Any:
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            return ""
        if isinstance(v, bool):
            return int(v)
        return round(v, 3) + 0.0 if isinstance(v, float) else v  # + 0.0: no '-0.0' in the file

    return [[cell(getattr(r, k)) for k in CSV_COLUMNS] for c in report.clips for r in c.rows]


def _stats_cells(s: ErrorStats) -> str:
    """'MAE | bias | SD | LoA | max' cells."""
    if s.n == 0:
        return "n/a | n/a | n/a | n/a | n/a"
    loa = "n/a" if not math.isfinite(s.sd) else f"{s.loa_low:+.1f} to {s.loa_high:+.1f}"
    return f"{s.mae:.2f} | {s.bias:+.2f} | {_fmt(s.sd)} | {loa} | {s.max_abs:.1f}"


def _heel_cell(h: HeelConfusion) -> str:
    """Compact confusion counts."""
    grey = h.grey_flagged + h.grey_not_flagged
    text = f"{h.caught}/{h.caught + h.missed} caught, {h.false_flags}/{h.false_flags + h.clear} false"
    return text + (f", {grey} grey" if grey else "")


def format_report(report: ValidationReport) -> str:
    """The readable Markdown tables (printed and written to table.md, pasted into docs/validation.md)."""
    out = [
        "### Per clip (peak tibial inclination error, ours − truth, degrees)",
        "",
        "| clip | leg true / ours | reps true / ours / matched | ours: MAE / bias / SD / LoA / max | "
        "raw landmarks: MAE / bias / max | heel ≥8 mm caught, ≤2 mm false flags | knee-to-wall cm error |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in report.clips:
        sides = f"{'+'.join(c.truth_sides)} / {'+'.join(c.our_sides) or '-'}" + ("" if c.side_correct else " ✗")
        reps = f"{c.reps_true} / {c.reps_ours} / {len(c.rows)}" + ("" if c.rep_count_exact else " ✗")
        b = c.baseline
        base = "n/a" if b.n == 0 else f"{b.mae:.2f} / {b.bias:+.2f} / {b.max_abs:.1f}"
        ours = _stats_cells(c.ours).replace(" | ", " / ")
        if not c.has_marker:
            k2w = "no marker"
        elif c.knee_to_wall.n == 0:
            k2w = "n/a"
        else:
            k2w = f"max {c.knee_to_wall.max_abs:.2f} (bias {c.knee_to_wall.bias:+.2f}, n {c.knee_to_wall.n})"
        name = c.clip + (f" (error: {c.error})" if c.error else "")
        out.append(f"| {name} | {sides} | {reps} | {ours} | {base} | {_heel_cell(c.heel)} | {k2w} |")
    r = report
    out += [
        "",
        f"### Overall: {len(r.clips)} clips, {r.reps_true} true reps, {r.reps_matched} matched, "
        f"{r.reps_missed} missed, {r.reps_extra} extra",
        "",
        "| method | n | MAE | bias | SD | 95 % LoA | max abs |",
        "|---|---|---|---|---|---|---|",
        f"| ankle-cv | {r.ours.n} | {_stats_cells(r.ours)} |",
        f"| raw MediaPipe knee–ankle landmarks | {r.baseline.n} | {_stats_cells(r.baseline)} |",
        "",
        f"Heel lift in the hold (truth: lifted ≥ {LIFTED_MM:g} mm, down ≤ {NOT_LIFTED_MM:g} mm):",
        "",
        "| truth \\ ankle-cv | flagged | not flagged |",
        "|---|---|---|",
        f"| lifted ≥ {LIFTED_MM:g} mm | {r.heel.caught} | {r.heel.missed} |",
        f"| down ≤ {NOT_LIFTED_MM:g} mm | {r.heel.false_flags} | {r.heel.clear} |",
        f"| grey zone (not scored) | {r.heel.grey_flagged} | {r.heel.grey_not_flagged} |",
        "",
        "### Targets",
        "",
        "| target | value | result |",
        "|---|---|---|",
    ]
    for t in r.targets:
        verdict = "n/a" if t.passed is None else "PASS" if t.passed else "FAIL"
        out.append(f"| {t.name} | {t.value} | {verdict} |")
    unmatched = [
        f"- {c.clip}: missed true rep {m.index} ({m.side}, peak {m.peak_s:.2f} s, {m.peak_deg:.1f}°)" for c in r.clips for m in c.missed
    ] + [
        f"- {c.clip}: extra rep {e.rep.index} ({e.rep.side}, peak {e.rep.peak_s:.2f} s): {e.reason}" for c in r.clips for e in c.extra
    ]
    if unmatched:
        out += ["", "Unmatched reps:", "", *unmatched]
    return "\n".join(out) + "\n"
