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
)
from ankle_cv.results.angle_names import deg_with_interval
from ankle_cv.results.types import Rep, Result

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


def fmt_deg(value: float | None) -> str:
    """0.1° or a dash."""
    return DASH if value is None else f"{value:.1f}°"


def fmt_cm(value: float | None) -> str:
    """0.1 cm, or a dash saying no scale was known."""
    return NO_SCALE if value is None else f"{value:.1f} cm"


def category_text(category: str | None, reason: str | None = None) -> str:
    """The category with its cut-off and the angle it judges (the inclinometer's), or why there is none."""
    if category is None:
        return DASH if reason is None else f"{DASH} ({reason})"
    cut = {
        "restricted": f"< {RESTRICTED_BELOW_DEG:.0f}°",
        "borderline": f"{RESTRICTED_BELOW_DEG:.0f}–{NORMAL_FROM_DEG:.0f}°",
        "normal": f"≥ {NORMAL_FROM_DEG:.0f}°",
    }.get(category, "")
    return f"{category} ({cut}, inclinometer)" if cut else category


def leg_category_text(leg: LegResult) -> str:
    """A leg's category and what it judged: results made before the inclinometer-equivalent angle judged the joint-centre one."""
    if leg.category is not None and leg.inclinometer_equivalent_deg is None:
        return f"{leg.category} (older result: joint-centre)"
    return category_text(leg.category, "front of the shin not read" if leg.category_reason else None)


def distance_category_text(category: str | None) -> str:
    """The centimetre category with its cut-off ('' without a scale)."""
    cut = {
        "restricted": f"< {RESTRICTED_BELOW_CM:.0f} cm",
        "borderline": f"{RESTRICTED_BELOW_CM:.0f}–{NORMAL_FROM_CM:.0f} cm",
        "normal": f"≥ {NORMAL_FROM_CM:.0f} cm",
    }.get(category or "", "")
    return f"{category} ({cut})" if cut else ""


def heel_text(leg: LegResult) -> str:
    """Heel rise at the best rep: millimetres when a scale was known, else share of foot length."""
    if leg.best_rep is None:
        return DASH
    state = "lifted" if leg.heel_lifted else "down"
    if leg.heel_lift_mm is not None:
        return f"{leg.heel_lift_mm:.0f} mm, heel {state}"
    if leg.heel_lift_foot_fraction is not None:
        return f"{100 * leg.heel_lift_foot_fraction:.1f}% of foot length, heel {state}"
    return f"heel {state}"


def table_labels(foot_to_wall_cm: float | None) -> tuple[str, ...]:
    """Row labels of the per-leg table: the centimetres lead, then each angle named for what it is."""
    toes = f"{foot_to_wall_cm:.1f} cm" if foot_to_wall_cm is not None else "the stated distance"
    return (
        "Toe-to-wall distance (equivalent)",
        f"Knee to wall, toes at {toes}",
        "Inclinometer-equivalent angle",
        "Joint-centre inclination: best; mean ± SD",
        "Heel lift at the best rep",
        "Reps valid / total",
        "Category",
    )


def leg_rows(leg: LegResult | None) -> tuple[str, ...]:
    """The table cells of one leg, in table_labels order."""
    if leg is None:
        return ("not tested",) + (DASH,) * 6
    if not leg.measured:
        return ("no valid rep", DASH, DASH, DASH, DASH, f"{leg.reps_valid} / {leg.reps_total}", DASH)
    mean = "" if leg.mean_deg is None else f"; {leg.mean_deg:.1f} ± {leg.sd_deg or 0.0:.1f}° (n = {leg.reps_valid})"
    distance = fmt_cm(leg.distance_cm)
    if leg.distance_cm is not None and leg.distance_category:
        distance += f", {distance_category_text(leg.distance_category)}"
    return (
        distance,
        fmt_cm(leg.knee_to_wall_cm),
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
        return f"{asymmetry_words(asym)}.", f"{asym.threshold_text[0].upper()}{asym.threshold_text[1:]}."
    missing = [side for side, leg in (("left", pairing.left), ("right", pairing.right)) if leg is None or not leg.measured]
    return (f"Asymmetry: not available ({' and '.join(missing)} leg not measured).",
            f"Threshold {ASYMMETRY_RELEVANT_CM:.1f} cm, or {ASYMMETRY_RELEVANT_DEG:.1f}° without a scale "
            f"(Hoch & McKeon 2011).")


def method_line(results: tuple[SessionResult, ...]) -> str:
    """Model, version and the settings that change the numbers, in one line."""
    if not results:
        return ""
    r = results[0].result
    settings = r.settings
    model = r.method.pose_model
    lift = settings.heel_lift_ratio
    parts = [
        f"ankle-cv {r.ankle_cv_version}",
        model,
        "tibial inclination = ankle→knee joint-centre axis from the image vertical, carried near the wall by the "
        "silhouette's shin edge",
        f"heel lift ≥ {100 * lift:.1f}% of foot length" if lift is not None else "",
        f"toes {r.foot_to_wall_cm} cm from the wall",
        f"side {settings.side}",
        f"smoothing {settings.smoothing_hz} Hz",
    ]
    if r.scale is not None:
        parts.append(f"scale: {r.scale.method}")
    versions = sorted({s.result.ankle_cv_version for s in results})
    if len(versions) > 1:
        parts.append("versions " + ", ".join(versions))
    return "Method: " + " · ".join(p for p in parts if p) + "."


def collect_warnings(results: tuple[SessionResult, ...], pairing: Pairing) -> tuple[str, ...]:
    """Recording-quality warnings of every result (named by source when there are several) and pairing notes."""
    out: list[str] = []
    per_result = [s.result.quality.warnings for s in results]
    common = set.intersection(*(set(w) for w in per_result)) if per_result else set()
    for s, warnings in zip(results, per_result):
        for w in warnings:
            line = w if w in common else f"{s.label}: {w}"
            if line not in out:
                out.append(line)
        reason = s.result.summary.no_measurement_reason
        if reason:
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
        legs[side] = LegView(side, leg, index, leg_rows(leg), best, reps)
    foot_cm = {s.result.foot_to_wall_cm for s in results_t}
    asym_line, asym_note = asymmetry_line(pairing, asym)
    trend = _trend_entries(history or [], results_t, patient_id)
    dates = {e.session_date for e in trend}
    trend_lines: tuple[str, ...] = ()
    if len(dates) > 1:
        trend_lines = tuple(change_words(c) for c in latest_changes(list(trend))) + (MDC_SOURCE,)
    return ReportContent(
        title=TITLE,
        header=ReportHeader(patient_id, name, notes, report_date, tuple(sorted({s.session_date for s in results_t}))),
        table_labels=table_labels(foot_cm.pop() if len(foot_cm) == 1 else None),
        legs=legs,
        asymmetry=asym,
        asymmetry_line=asym_line,
        asymmetry_note=asym_note,
        norm_lines=norm_lines(),
        sources_line=SOURCES_LINE,
        warnings=collect_warnings(results_t, pairing),
        method_line=method_line(results_t),
        footer=FOOTER,
        trend=trend if len(dates) > 1 else (),
        trend_lines=trend_lines,
        results=results_t,
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


def rep_lines(content: ReportContent) -> list[str]:
    """Every rep of the reported legs: angle, and valid or why not."""
    out = []
    for side in SIDES:
        for r in content.legs[side].reps:
            angle = "n/a" if r.tibial_inclination_deg is None else f"{r.tibial_inclination_deg:.1f}° joint-centre"
            if r.inclinometer_equivalent_deg is not None:
                angle += f", {r.inclinometer_equivalent_deg:.1f}° inclinometer-equivalent"
            verdict = "valid" if r.valid else "invalid: " + "; ".join(r.invalid_reasons)
            out.append(f"{side.capitalize()} rep {r.index} ({r.peak_s:.1f} s): {angle}, {verdict}")
    return out or ["No reps found."]
