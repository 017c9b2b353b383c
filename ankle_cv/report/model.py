"""What the report says, as plain data and formatted strings (pure: Results in, ReportContent out).

The page (PDF/PNG) and the HTML draw the same ReportContent, so the two never disagree. Angles are
shown to 0.1° and distances to 0.1 cm, as result.json stores them; missing centimetres read "—".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ankle_cv.history.store import (
    HistoryEntry,
    change_words,
    entries_from_result,
    latest_changes,
)
from ankle_cv.io.json_numbers import no_minus_zero
from ankle_cv.outputs.refusal_advice import advice_for
from ankle_cv.protocol.asymmetry import (
    Asymmetry,
    LegResult,
    Pairing,
    asymmetry_words,
    compute_asymmetry,
    pair_legs,
)
from ankle_cv.protocol.norms import (
    ASYMMETRY_RELEVANT_CM,
    ASYMMETRY_RELEVANT_DEG,
    MDC_CM,
    MDC_DEG,
    NORMAL_FROM_CM,
    NORMAL_FROM_DEG,
    POPULATION_MEAN_CM,
    POPULATION_SD_CM,
    RESTRICTED_BELOW_CM,
    RESTRICTED_BELOW_DEG,
    band_span,
)
from ankle_cv.results.angle_names import deg_with_interval
from ankle_cv.results.build import heel_rule
from ankle_cv.results.types import TOE_TO_WALL_WORDS, Rep, Result

DASH = "—"
UNSTORED_ADDED = "9999"  # sorts this report's unstored results after stored ones of the same date
NO_SCALE = f"{DASH} (no scale)"
TITLE = "Ankle dorsiflexion: knee-to-wall test (weight-bearing lunge)"
SIDES = ("left", "right")
SOURCES_LINE = (
    "Sources: Bennell et al. 1998 (Aust J Physiother 44:175); Pope et al. 1998 (Aust J Physiother 44:165); "
    "Hall & Docherty 2017 (J Sci Med Sport 20:618; inclinometer 15 cm below the tibial tuberosity); "
    "Hoch & McKeon 2011 (Man Ther 16:516; between-limb 1.5 cm); Powden et al. 2015 (Man Ther 20:524; "
    f"MDC {MDC_DEG:.1f}° / {MDC_CM:.1f} cm)."
)
MDC_SOURCE = f"MDC: minimal detectable change, same rater, {MDC_DEG:.1f}° / {MDC_CM:.1f} cm (Powden et al. 2015)."
FOOTER = ("Made by ankle-cv on this computer from a side-view video; nothing was uploaded. A measurement aid, "
          "not a diagnosis: interpret with the clinical examination.")


@dataclass(frozen=True)
class SessionResult:
    """One result.json as the report needs it."""

    label: str  # where it came from, for notes
    result: Result
    session_date: str  # YYYY-MM-DD
    sha256: str


@dataclass(frozen=True)
class ReportHeader:
    """Only what the user typed, plus dates."""

    patient_id: str | None
    name: str | None
    notes: str | None
    report_date: str
    session_dates: tuple[str, ...]

    def identity_line(self) -> str:
        """'Patient ID: … · Name: … · Session: … · Report: …' with the absent parts left out."""
        parts = []
        if self.patient_id:
            parts.append(f"Patient ID: {self.patient_id}")
        if self.name:
            parts.append(f"Name: {self.name}")
        parts.append("Session: " + ", ".join(self.session_dates) if self.session_dates else "Session: unknown")
        parts.append(f"Report: {self.report_date}")
        return "   ·   ".join(parts)


@dataclass(frozen=True)
class LegView:
    """One leg's column: the table cells and what the pictures need."""

    side: str
    leg: LegResult | None  # None: this leg was not in the results
    result_index: int | None  # index into ReportContent's results
    rows: tuple[str, ...]  # cell per TABLE_ROWS entry
    best_rep: Rep | None
    reps: tuple[Rep, ...]  # this leg's reps in its result

    @property
    def title(self) -> str:
        """'Left leg' / 'Right leg'."""
        return f"{self.side.capitalize()} leg"


@dataclass(frozen=True)
class Refusal:
    """Why no leg was measured and what to do: the page leads with it and leaves out the comparisons it cannot make
    (a squat's report showed the norms' panel, "not tested" per leg and the reason only in its small print)."""

    reasons: tuple[str, ...]  # one per result without a measurement (named by result when there are several)
    advice: str


@dataclass(frozen=True)
class ReportContent:
    """Everything on the page, in the order it appears."""

    title: str
    header: ReportHeader
    table_labels: tuple[str, ...]
    legs: dict[str, LegView]
    asymmetry: Asymmetry | None
    asymmetry_line: str
    asymmetry_note: str  # the threshold and its source
    norm_lines: tuple[str, ...]
    sources_line: str
    warnings: tuple[str, ...]
    method_line: str
    footer: str
    trend: tuple[HistoryEntry, ...]
    trend_lines: tuple[str, ...]
    results: tuple[SessionResult, ...]
    refusal: Refusal | None = None  # no leg measured: no table, norms or asymmetry; the reason and what to do instead


NO_WARNINGS = "No warnings: the recording met every check."
NO_OTHER_WARNINGS = "No other warning than the reason above."  # a refused squat's page said "met every check"


def no_warning_line(content: ReportContent) -> str:
    """What the quality list says when it is empty: never "met every check" under a refusal."""
    return NO_OTHER_WARNINGS if content.refusal is not None else NO_WARNINGS


def fmt_deg(value: float | None) -> str:
    """0.1° or a dash."""
    return DASH if value is None else f"{value:.1f}°"


def fmt_cm(value: float | None, sigma: float | None = None) -> str:
    """0.1 cm, with its 1-sigma uncertainty when known ('14.3 ± 2.4 cm (1 σ)', as analyze prints it; the angles' ± are
    95 % and say so), or a dash saying no scale was known."""
    if value is None:
        return NO_SCALE
    return f"{value:.1f} cm" if sigma is None else f"{value:.1f} ± {sigma:.1f} cm (1 σ)"


def category_text(category: str | None, reason: str | None = None, within_ci95: tuple[str, ...] | None = None) -> str:
    """The category with its cut-off and the angle it judges (the inclinometer's), or why there is none."""
    if category is None:
        return DASH if reason is None else f"{DASH} ({reason})"
    cut = {
        "restricted": f"< {RESTRICTED_BELOW_DEG:.0f}°",
        "borderline": f"{RESTRICTED_BELOW_DEG:.0f}–{NORMAL_FROM_DEG:.0f}°",
        "normal": f"≥ {NORMAL_FROM_DEG:.0f}°",
    }.get(category, "")
    if len(within_ci95 or ()) > 1:  # the table's cell is one line: the span replaces the cut-off (listed below the table)
        return band_span(category, within_ci95)
    return f"{category} ({cut}, inclinometer)" if cut else category


def leg_category_text(leg: LegResult) -> str:
    """A leg's category and what it judged: results made before the inclinometer-equivalent angle judged the joint-centre one."""
    if leg.category is not None and leg.inclinometer_equivalent_deg is None:
        return f"{leg.category} (older result: joint-centre)"
    return category_text(leg.category, "front of the shin not read" if leg.category_reason else None, leg.category_ci95)


def distance_category_text(category: str | None, within_ci95: tuple[str, ...] | None = None) -> str:
    """The centimetre category with its cut-off ('' without a scale)."""
    cut = {
        "restricted": f"< {RESTRICTED_BELOW_CM:.0f} cm",
        "borderline": f"{RESTRICTED_BELOW_CM:.0f}–{NORMAL_FROM_CM:.0f} cm",
        "normal": f"≥ {NORMAL_FROM_CM:.0f} cm",
    }.get(category or "", "")
    if cut and len(within_ci95 or ()) > 1:  # one line in the table's cell: the span only
        return band_span(category, within_ci95)
    return f"{category} ({cut})" if cut else ""


def heel_text(leg: LegResult) -> str:
    """Heel rise at the best rep: millimetres when a scale was known, else share of foot length; a reading below the
    heel's rest place says it sat no higher than at rest (a bare "-4 mm, heel down" read as a sinking heel)."""
    if leg.best_rep is None:
        return DASH
    if leg.heel_lifted is None:
        return "heel not checked"
    state = "lifted" if leg.heel_lifted else "down"
    if leg.heel_lift_mm is not None:
        number = f"{no_minus_zero(leg.heel_lift_mm, 0)} mm"
    elif leg.heel_lift_foot_fraction is not None:
        number = f"{no_minus_zero(100 * leg.heel_lift_foot_fraction, 1)}% of foot length"
    else:
        return f"heel {state}"
    if number.startswith("-"):
        return f"heel {state}; no higher than at rest ({number})"  # "; ": where a narrow cell breaks it
    return f"{number}, heel {state}"


def table_labels() -> tuple[str, ...]:
    """Row labels of the per-leg table: the centimetres lead, then each angle named for what it is."""
    return (
        "Toe-to-wall distance (equivalent)",
        "Knee to wall (where the toes were)",
        "Inclinometer-equivalent angle",
        "Joint-centre inclination: best; mean ± SD",
        "Heel lift at the best rep",
        "Reps valid / total",
        "Category",
    )


def toes_words(result: Result, side: str) -> str:
    """Where this leg's toes were: measured, else as stated (--foot-to-wall-cm), unless the wall came from elsewhere."""
    leg_scale = result.scale.legs.get(side) if result.scale is not None and result.scale.legs else None  # type: ignore[call-overload]
    if leg_scale is not None and leg_scale.toe_to_wall_cm is not None:
        return f"toes at {leg_scale.toe_to_wall_cm:.1f} cm, measured"
    if result.scale is not None and result.scale.toe_to_wall not in (None, TOE_TO_WALL_WORDS["stated"]):
        # The wall came from the sheet or the picture, the toes were not outlined: nothing was stated about them.
        return "wall measured, toes unseen"
    return f"toes at {result.foot_to_wall_cm:.1f} cm, as stated"


def mean_words(leg: LegResult) -> str:
    """'37.7 ± 0.2° (n = 2)'; a single valid rep has no spread: '40.3° (n = 1, no spread)'."""
    if leg.mean_deg is None:
        return DASH
    if leg.reps_valid < 2 or leg.sd_deg is None:
        return f"{leg.mean_deg:.1f}° (n = {leg.reps_valid}, no spread)"
    return f"{leg.mean_deg:.1f} ± {leg.sd_deg:.1f}° (n = {leg.reps_valid})"


def leg_rows(leg: LegResult | None, toes: str = "") -> tuple[str, ...]:
    """The table cells of one leg, in table_labels order (`toes`: where the toes were, from toes_words)."""
    if leg is None:
        return ("not tested",) + (DASH,) * 6
    if not leg.measured:
        return ("no valid rep", DASH, DASH, DASH, DASH, f"{leg.reps_valid} / {leg.reps_total}", DASH)
    mean = "" if leg.mean_deg is None else f"; {mean_words(leg)}"
    distance = fmt_cm(leg.distance_cm, leg.distance_sigma_cm)
    if leg.distance_cm is not None and leg.distance_category:
        distance += f", {distance_category_text(leg.distance_category, leg.distance_category_ci95)}"
    knee = fmt_cm(leg.knee_to_wall_cm, leg.knee_to_wall_sigma_cm)
    return (
        distance,
        f"{knee} ({toes})" if toes and leg.knee_to_wall_cm is not None else knee,
        deg_with_interval(leg.inclinometer_equivalent_deg, leg.inclinometer_equivalent_ci95_deg),
        f"{fmt_deg(leg.tibial_inclination_deg)} (rep {leg.best_rep}){mean}",
        heel_text(leg),
        f"{leg.reps_valid} / {leg.reps_total}",
        leg_category_text(leg),
    )


def norm_lines() -> tuple[str, ...]:
    """The cut-offs in words (the band itself is drawn)."""
    return (
        f"Restricted < {RESTRICTED_BELOW_DEG:.0f}° (< {RESTRICTED_BELOW_CM:.0f} cm)   ·   borderline "
        f"{RESTRICTED_BELOW_DEG:.0f}–{NORMAL_FROM_DEG:.0f}° ({RESTRICTED_BELOW_CM:.0f}–{NORMAL_FROM_CM:.0f} cm)   ·   "
        f"normal ≥ {NORMAL_FROM_DEG:.0f}° (≥ {NORMAL_FROM_CM:.0f} cm); population mean ≈ {POPULATION_MEAN_CM:.0f} "
        f"± {POPULATION_SD_CM} cm",
        "Degrees: an inclinometer on the front of the shin 15 cm below the tibial tuberosity, so the category judges the "
        "inclinometer-equivalent angle, never the joint-centre axis (4–15° lower on real legs); cm: big toe to wall.",
    )


def asymmetry_line(pairing: Pairing, asym: Asymmetry | None) -> tuple[str, str]:
    """The asymmetry sentence (or why there is none) and the threshold with its source."""
    if asym is not None:
        return (f"{asymmetry_words(asym, of_better_leg='')}.",
                f"{asym.threshold_text[0].upper()}{asym.threshold_text[1:]}; the percent is of the better leg.")
    missing = [side for side, leg in (("left", pairing.left), ("right", pairing.right)) if leg is None or not leg.measured]
    return (f"Asymmetry: not available ({' and '.join(missing)} leg not measured).",
            f"Threshold {ASYMMETRY_RELEVANT_CM:.1f} cm, or {ASYMMETRY_RELEVANT_DEG:.1f}° without a scale "
            f"(Hoch & McKeon 2011).")


def heel_rule_of(result: Result) -> str:
    """The heel-lift rule a result's reps were judged by, with its threshold."""
    sources = {str(r.heel_lift_source or "silhouette") for r in result.reps}
    return heel_rule(sources, result.settings.heel_edge_ratio, result.settings.heel_lift_ratio)


def result_method(result: Result) -> str:
    """What differs between results: per leg, the scale, the heel rule, the toes and the side setting."""
    sides = sorted(str(s) for s in result.legs) or ([str(result.side)] if result.side is not None else ["no"])
    scale = result.scale.method if result.scale is not None else "none"
    who = " and ".join(sides) + (" legs" if len(sides) > 1 else " leg")
    return (f"{who}: scale {scale}, {heel_rule_of(result)}, toes {result.foot_to_wall_cm} cm from the wall as stated, "
            f"side {result.settings.side}")


def method_line(results: tuple[SessionResult, ...]) -> str:
    """Model, version and the settings that change the numbers: what all results share once, then each result's own
    (left leg first, whatever the order the results were given in)."""
    if not results:
        return ""
    docs = [s.result for s in results]
    parts = [
        "ankle-cv " + ", ".join(sorted({r.ankle_cv_version for r in docs})),
        "; ".join(sorted({r.method.pose_model for r in docs})),
        "tibial inclination = ankle→knee joint-centre axis from the true vertical, carried near the wall by the "
        "silhouette's shin edge",
        "smoothing " + ", ".join(sorted({f"{r.settings.smoothing_hz:g}" for r in docs})) + " Hz",
    ]
    return "Method: " + " · ".join(parts + sorted({result_method(r) for r in docs})) + "."


def refusal_of(results: tuple[SessionResult, ...]) -> Refusal | None:
    """The refusal the page leads with when no result holds a valid measurement (None when one does)."""
    if not results or any(s.result.best_rep is not None for s in results):
        return None
    reasons = [s.result.summary.no_measurement_reason or "no valid rep" for s in results]
    named = tuple(reasons) if len(results) == 1 else tuple(f"{s.label}: {r}" for s, r in zip(results, reasons))
    advice = " ".join(dict.fromkeys(advice_for(r) for r in reasons))
    return Refusal(named, advice)


def collect_warnings(results: tuple[SessionResult, ...], pairing: Pairing, refused: bool = False) -> tuple[str, ...]:
    """Recording-quality warnings of every result (named by source when there are several) and pairing notes; the reason
    there is no measurement too, unless the page leads with it (`refused`)."""
    out: list[str] = []
    per_result = [s.result.quality.warnings for s in results]
    common = set.intersection(*(set(w) for w in per_result)) if per_result else set()
    for s, warnings in zip(results, per_result):
        for w in warnings:
            line = w if w in common else f"{s.label}: {w}"
            if line not in out:
                out.append(line)
        reason = s.result.summary.no_measurement_reason
        if reason and not refused:
            out.append(f"{s.label}: no valid measurement: {reason}" if len(results) > 1 else f"no valid measurement: {reason}")
    out += [n for n in pairing.notes if " found in " in n]  # missing legs already read "not tested" in the table
    return tuple(out)


def build_report(
    results: list[SessionResult],
    patient_id: str | None,
    name: str | None,
    notes: str | None,
    report_date: str,
    history: list[HistoryEntry] | None = None,
) -> ReportContent:
    """The report's content from one or more results (one video with both legs, or one per leg)."""
    stored_dates = {e.result_sha256: e.session_date for e in history or []}
    results_t = tuple(replace(s, session_date=stored_dates.get(s.sha256, s.session_date)) for s in results)  # as stored
    pairing = pair_legs([(s.label, s.result) for s in results_t])
    asym = compute_asymmetry(pairing.left, pairing.right) if pairing.left and pairing.right else None
    legs: dict[str, LegView] = {}
    for side, leg in (("left", pairing.left), ("right", pairing.right)):
        index = next((i for i, s in enumerate(results_t) if leg is not None and s.label == leg.source), None)
        reps: tuple[Rep, ...] = ()
        best = None
        if index is not None and leg is not None:
            reps = tuple(r for r in results_t[index].result.reps if r.side == side)
            best = next((r for r in reps if r.index == leg.best_rep), None)
        toes = toes_words(results_t[index].result, side) if index is not None else ""
        legs[side] = LegView(side, leg, index, leg_rows(leg, toes), best, reps)
    asym_line, asym_note = asymmetry_line(pairing, asym)
    refusal = refusal_of(results_t)
    trend = _trend_entries(history or [], results_t, patient_id)
    dates = {e.session_date for e in trend}
    trend_lines: tuple[str, ...] = ()
    if len(dates) > 1:
        trend_lines = tuple(change_words(c) for c in latest_changes(list(trend))) + (MDC_SOURCE,)
    return ReportContent(
        title=TITLE,
        header=ReportHeader(patient_id, name, notes, report_date, tuple(sorted({s.session_date for s in results_t}))),
        table_labels=table_labels(),
        legs=legs,
        asymmetry=asym,
        asymmetry_line=asym_line,
        asymmetry_note=asym_note,
        norm_lines=norm_lines(),
        sources_line=SOURCES_LINE,
        warnings=collect_warnings(results_t, pairing, refused=refusal is not None),
        method_line=method_line(results_t),
        footer=FOOTER,
        trend=trend if len(dates) > 1 else (),
        trend_lines=trend_lines,
        results=results_t,
        refusal=refusal,
    )


def _trend_entries(history: list[HistoryEntry], results: tuple[SessionResult, ...], patient_id: str | None) -> tuple[HistoryEntry, ...]:
    """Stored sessions plus this report's results when they are not stored yet, oldest first."""
    if not history:
        return ()
    stored = {e.result_sha256 for e in history}
    extra = [
        e
        for s in results
        if s.sha256 not in stored
        for e in entries_from_result(s.result, patient_id or "", s.session_date, s.label, s.sha256, UNSTORED_ADDED)
    ]
    return tuple(sorted(history + extra, key=lambda e: (e.session_date, e.added_utc, e.side)))


def rep_lines(content: ReportContent, max_reasons: int | None = None) -> list[str]:
    """Every rep of the reported legs: angle, and valid or why not (at most `max_reasons` reasons, saying how many more
    result.json has)."""
    out = []
    for side in SIDES:
        for r in content.legs[side].reps:
            angle = "n/a" if r.tibial_inclination_deg is None else f"{r.tibial_inclination_deg:.1f}° joint-centre"
            if r.inclinometer_equivalent_deg is not None:
                angle += f", {r.inclinometer_equivalent_deg:.1f}° inclinometer-equivalent"
            reasons = list(r.invalid_reasons[:max_reasons])
            if len(r.invalid_reasons) > len(reasons):
                reasons.append(f"{len(r.invalid_reasons) - len(reasons)} more in result.json")
            verdict = "valid" if r.valid else "invalid: " + "; ".join(reasons)
            out.append(f"{side.capitalize()} rep {r.index} ({r.peak_s:.1f} s): {angle}, {verdict}")
    return out or ["No reps found."]


def tested_sides(content: ReportContent) -> tuple[str, ...]:
    """The legs this report measured: a one-leg report gives that leg the page's width, not half and two empty boxes."""
    return tuple(side for side in ("left", "right") if content.legs[side].leg is not None)


def untested_note(content: ReportContent, shown: tuple[str, ...]) -> str:
    """"left leg not tested" for a one-leg section's heading, so the missing leg is said once ("" with both legs)."""
    if len(shown) != 1:
        return ""
    other = content.legs["right" if shown[0] == "left" else "left"]
    return f"{other.title.lower()} not tested"


def legs_heading(content: ReportContent, refused: bool) -> str:
    """The heading over the legs' pictures, naming the leg a one-leg report did not test."""
    untested = untested_note(content, tested_sides(content))
    if refused:
        return f"The shin angle over time (no rep counted{'; ' + untested if untested else ''})"
    return f"Best rep and the shin angle over time ({untested})" if untested else "Best rep of each leg, and the shin angle over time"
