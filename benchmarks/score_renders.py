"""Score the current ankle-cv on the randomised rendered set, grouped by what the set-up varies (issues 19 and 22).

Usage:
    python benchmarks/score_renders.py --set /work/renders/random_v1 [--split fit|report|all] [--only r001,r017]
        [--cache /work/cache/random_v1] [--out DIR] [--model full|lite]

Reads the set's manifest.json (benchmarks/render_random_set.py) and every clip whose .mp4 and truth .json
exist, analyses it as `ankle-cv validate` does (same rep matching and definitions, same landmark cache:
`--cache` is shared with `ankle-cv validate --cache`), and prints Markdown tables grouped by tag: per-rep
peak angle MAE / bias / 95 % limits of agreement / worst against the raw landmarks, heel-lift flags per
lift size and leg (near/far), knee-to-wall and equivalent toe-to-wall error where ankle-cv reports a scale,
and reps found against the truth. Writes DIR/tables.md, DIR/scores.json (one row per true rep) and
DIR/results/<clip>.json (ankle-cv's result).

Definitions: error = ours - truth at each matched rep's peak (truth `peak_tibial_inclination_deg`); raw =
MediaPipe's knee-ankle landmark angle at our peak; heel lifted >= 8 mm / down <= 2 mm in the hold (median) (grey between,
not scored); knee-to-wall truth = `knee_surface_to_wall_cm_at_peak`; equivalent toe-to-wall truth = the rep's
`toe_to_wall_cm` (with shoes `shoe_toe_to_wall_cm`, the shoe's tip) minus that gap (the toe distance at which the knee would just touch at the same angle).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("GLOG_minloglevel", "2")

from ankle_cv.errors import AnkleCvError
from ankle_cv.io.json_numbers import finite_or_none
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached, prepare_cache_dir, store_cached
from ankle_cv.protocol.interval import Z95
from ankle_cv.results.build import build_result
from ankle_cv.results.types import Result
from ankle_cv.settings import ScaleInputs, Settings
from ankle_cv.validation.evaluate import (
    LIFTED_MM,
    NOT_LIFTED_MM,
    TRUTH_HEEL_DECIMALS,
    ErrorStats,
    error_stats,
    evaluate_clip,
    hold_heel_mm,
)
from ankle_cv.validation.run import read_truth

KNEE_WALL_TARGET_CM = 0.5  # issue 22: knee-to-wall within +-0.5 cm wherever a scale is known
TOE_WALL_TARGET_CM = 1.0  # issue 22: equivalent toe-to-wall within +-1.0 cm


@dataclass(frozen=True)
class RepScore:
    """One true rep: what the truth says, what ankle-cv said (None when the rep was missed), and its tags."""

    clip: str
    split: str
    body: str
    side: str
    near_camera: bool
    truth_rep: int
    matched: bool
    truth_deg: float
    ours_deg: float | None
    raw_deg: float | None
    error_deg: float | None
    raw_error_deg: float | None
    valid: bool | None
    lift_requested_mm: float
    heel_at_peak_mm: float
    heel_hold_mm: float  # the true heel in the hold (median), what lifts and flat heels are scored by (evaluate.TruthRep)
    heel_flagged: bool | None
    heel_source: str | None  # how our matched rep's heel was read (image, hidden, unread, ...)
    heel_ratio: float | None  # our heel rise at the hold, fraction of the foot's length
    heel_read_ratio: float | None  # the image's reading at the hold before the verdict (also where too near the threshold)
    heel_foot_px: float | None  # the foot's length in the image that reading is a fraction of
    dorsiflexion_ours_deg: float | None  # ankle_dorsiflexion_deg: the inclination minus the foot's heel-up pitch
    dorsiflexion_truth_deg: float | None
    knee_wall_truth_cm: float | None
    knee_wall_ours_cm: float | None
    toe_wall_truth_cm: float | None
    toe_wall_ours_cm: float | None
    knee_wall_sd_cm: float | None = None  # the 1-sigma ankle-cv gives with each distance (its 95 % interval: 1.96 of it)
    toe_wall_sd_cm: float | None = None


@dataclass(frozen=True)
class ClipScore:
    """One clip: rep counts, the tested legs, ankle-cv's scale method, and every true rep."""

    clip: str
    split: str
    tags: dict[str, Any]
    reps_true: int
    reps_ours: int
    count_exact: bool
    side_correct: bool
    scale_method: str | None
    yaw_deg: float
    error: str | None
    no_measurement_reason: str | None
    reps: tuple[RepScore, ...]
    extra_reps: int
    seconds: float


def _hold_heel_mm(rep: dict, doc: dict) -> float:
    """The true heel in the rep's hold (evaluate.hold_heel_mm), else at its peak."""
    held = hold_heel_mm(rep, doc.get("frames") or [])
    return round(held if held is not None else float(rep.get("heel_height_mm_at_peak") or 0.0), TRUTH_HEEL_DECIMALS)


def score_clip(
    entry: dict[str, Any], set_dir: Path, cache_dir: Path | None, out_dir: Path, model: str, stature: bool = False,
) -> ClipScore:
    """Analyse one rendered clip (landmarks from the cache when there) and score every true rep.

    `stature`: give the body's true stature as --height-cm, as a user who types their height (a scale without a sheet).
    """
    start = time.time()
    video, truth_path = set_dir / f"{entry['id']}.mp4", set_dir / f"{entry['id']}.json"
    doc = json.loads(truth_path.read_text())
    truth = read_truth(truth_path)
    cache_entry = cache_file(cache_dir, video, model) if cache_dir is not None else None
    cached = load_cached(cache_entry) if cache_entry is not None else None
    typed: Result | None = None
    result: dict[str, Any] | None = None
    error = None
    origin_s = 0.0
    read: dict[int, tuple[float | None, float | None]] = {}
    sigmas: dict[int, tuple[float | None, float | None]] = {}
    try:
        stature_m = finite_or_none((doc.get("subject") or {}).get("stature_m"))
        settings = Settings(sizes=ScaleInputs(height_cm=round(100 * stature_m, 1))) if stature and stature_m else Settings()
        info, series, analysis, _warnings = measure_video(video, settings, model, None, series=cached)
        if cache_entry is not None and cached is None:
            store_cached(cache_entry, series)
        typed = build_result(analysis, info, model)
        read = {r.index: (finite_or_none(r.heel_read_ratio), finite_or_none(r.heel_foot_px)) for r in analysis.reps}
        if analysis.centimetres is not None:
            sigmas = {i: (finite_or_none(c.uncertainty_cm), finite_or_none(c.equivalent_uncertainty_cm))
                      for i, c in analysis.centimetres.reps.items()}
        text = typed.to_json()
        result = json.loads(text)
        origin_s = float(analysis.frames.times_s[0]) if analysis.frames.times_s.size else 0.0
        (out_dir / "results").mkdir(parents=True, exist_ok=True)
        (out_dir / "results" / f"{entry['id']}.json").write_text(text)
    except AnkleCvError as exc:
        error = str(exc)
    report = evaluate_clip(entry["id"], str(video), truth, typed, error=error, time_origin_s=origin_s)
    ours_by_index = {int(r["index"]): r for r in (result or {}).get("reps") or []}
    rows_by_truth = {row.truth_rep: row for row in report.rows}
    legs = (doc.get("subject") or {}).get("legs") or {}
    reps = []
    for t in doc["reps"]:
        row = rows_by_truth.get(int(t["index"]))
        ours = ours_by_index.get(row.our_rep) if row is not None else None
        gap = finite_or_none(t.get("knee_surface_to_wall_cm_at_peak"))
        # Shod feet: the camera sees the shoe's tip (~1.6 cm ahead of the big toe), which is where a clinician
        # measures from on a shod foot, so the truth is the shoe tip's distance (`shoe_toe_to_wall_cm`).
        toe = finite_or_none(t.get("shoe_toe_to_wall_cm")) if t.get("shoe_toe_to_wall_cm") is not None else finite_or_none(t.get("toe_to_wall_cm"))
        reps.append(RepScore(
            clip=entry["id"], split=entry["split"], body=entry["body"], side=t["tested_leg"],
            near_camera=bool((legs.get(t["tested_leg"]) or {}).get("nearer_camera")),
            truth_rep=int(t["index"]), matched=row is not None, truth_deg=float(t["peak_tibial_inclination_deg"]),
            ours_deg=row.ours_deg if row else None, raw_deg=row.baseline_deg if row else None,
            error_deg=row.error_deg if row else None, raw_error_deg=row.baseline_error_deg if row else None,
            valid=row.valid if row else None, lift_requested_mm=float(t.get("heel_lift_requested_mm") or 0.0),
            heel_at_peak_mm=float(t.get("heel_height_mm_at_peak") or 0.0),
            heel_hold_mm=_hold_heel_mm(t, doc),
            heel_flagged=row.heel_flagged if row else None,
            heel_source=(ours or {}).get("heel_lift_source"), heel_ratio=finite_or_none((ours or {}).get("heel_lift_foot_fraction")),
            heel_read_ratio=read.get(row.our_rep, (None, None))[0] if row else None,
            heel_foot_px=read.get(row.our_rep, (None, None))[1] if row else None,
            dorsiflexion_ours_deg=finite_or_none((ours or {}).get("ankle_dorsiflexion_deg")),
            dorsiflexion_truth_deg=finite_or_none(t.get("peak_ankle_dorsiflexion_deg")),
            knee_wall_truth_cm=gap, knee_wall_ours_cm=finite_or_none((ours or {}).get("knee_to_wall_cm")),
            toe_wall_truth_cm=None if gap is None or toe is None else toe - gap,
            toe_wall_ours_cm=finite_or_none((ours or {}).get("equivalent_toe_to_wall_cm")),
            knee_wall_sd_cm=sigmas.get(row.our_rep, (None, None))[0] if row else None,
            toe_wall_sd_cm=sigmas.get(row.our_rep, (None, None))[1] if row else None,
        ))
    scale = (result or {}).get("scale") or {}
    return ClipScore(entry["id"], entry["split"], entry["tags"], report.reps_true, report.reps_ours,
                     report.rep_count_exact, report.side_correct, scale.get("method"),
                     float(doc["camera"]["yaw_deg"]), error,
                     ((result or {}).get("result") or {}).get("no_measurement_reason"), tuple(reps),
                     len(report.extra), round(time.time() - start, 1))


# ---------------------------------------------------------------------------------------------- tables


def _stats_cells(s: ErrorStats) -> str:
    """'MAE | bias | LoA | worst' cells."""
    if s.n == 0:
        return "- | - | - | -"
    loa = "-" if not math.isfinite(s.sd) else f"{s.loa_low:+.1f} to {s.loa_high:+.1f}"
    return f"{s.mae:.2f} | {s.bias:+.2f} | {loa} | {s.max_abs:.1f}"


def _rate(num: int, den: int) -> str:
    """'k/n (p %)' or '-'."""
    return "-" if den == 0 else f"{num}/{den} ({100 * num / den:.0f} %)"


def _heel_cells(reps: list[RepScore]) -> str:
    """Lifts >= 8 mm caught, heel-down reps flagged."""
    lifted = [r for r in reps if r.matched and r.heel_hold_mm >= LIFTED_MM]
    down = [r for r in reps if r.matched and r.heel_hold_mm <= NOT_LIFTED_MM]
    return f"{_rate(sum(bool(r.heel_flagged) for r in lifted), len(lifted))} | " \
           f"{_rate(sum(bool(r.heel_flagged) for r in down), len(down))}"


def angle_table(title: str, groups: dict[str, tuple[list[ClipScore], list[RepScore]]]) -> list[str]:
    """One row per group: clips, reps found, rep count exact, ours and raw landmark errors, heel flags."""
    out = [f"#### {title}", "",
           "| group | clips | reps true / matched | clips with exact rep count | ours: MAE / bias / 95 % LoA / worst (°) "
           "| raw landmarks: MAE / bias / 95 % LoA / worst (°) | lift ≥ 8 mm flagged | heel ≤ 2 mm flagged |",
           "|---|---|---|---|---|---|---|---|"]
    for name, (clips, reps) in groups.items():
        ours = error_stats([r.error_deg for r in reps if r.error_deg is not None])
        raw = error_stats([r.raw_error_deg for r in reps if r.raw_error_deg is not None])
        matched = sum(r.matched for r in reps)
        exact = _rate(sum(c.count_exact for c in clips), len(clips)) if clips else "-"
        out.append(f"| {name} | {len(clips) or '-'} | {len(reps)} / {matched} | {exact} | "
                   f"{_stats_cells(ours).replace(' | ', ' / ')} | {_stats_cells(raw).replace(' | ', ' / ')} | "
                   f"{_heel_cells(reps)} |")
    return out + [""]


def _group(clips: list[ClipScore], key: Callable[[ClipScore], str]) -> dict[str, tuple[list[ClipScore], list[RepScore]]]:
    """Clips and their reps grouped by a clip-level key."""
    out: dict[str, tuple[list[ClipScore], list[RepScore]]] = {}
    for c in sorted(clips, key=lambda c: key(c)):
        cs, rs = out.setdefault(key(c), ([], []))
        cs.append(c)
        rs.extend(c.reps)
    return out


def _group_reps(clips: list[ClipScore], key: Callable[[ClipScore, RepScore], str],
                order: Iterable[str] | None = None) -> dict[str, tuple[list[ClipScore], list[RepScore]]]:
    """Reps grouped by a rep-level key (the clip columns stay empty: a clip can fall in several groups)."""
    out: dict[str, tuple[list[ClipScore], list[RepScore]]] = {}
    for c in clips:
        for r in c.reps:
            out.setdefault(key(c, r), ([], []))[1].append(r)
    keys = list(order) if order is not None else sorted(out)
    return {k: out[k] for k in keys if k in out}


def _peak_bucket(r: RepScore) -> str:
    """True peak in 5-15, 15-30, 30-45, 45-60+ degrees."""
    p = r.truth_deg
    return "< 15°" if p < 15 else "15–30°" if p < 30 else "30–45°" if p < 45 else "≥ 45°"


LIFT_SIZES_MM = (0, 2, 4, 6, 8, 10, 15, 20, 25)  # the set's planned lifts


def _lift_size(r: RepScore) -> int:
    """The planned lift size nearest the rep's true heel rise in the hold (a knee stopped at the wall lifts less)."""
    return min(LIFT_SIZES_MM, key=lambda mm: abs(mm - r.heel_hold_mm))


def heel_table(clips: list[ClipScore]) -> list[str]:
    """Heel-lift flag rate per lift size (true heel rise in the hold, to the nearest planned size), near and far leg apart."""
    sizes = sorted({_lift_size(r) for c in clips for r in c.reps})
    out = ["#### Heel lift: reps flagged as lifted, per true heel rise in the hold (nearest planned size; matched reps)", "",
           "| lift mm | near leg flagged | far leg flagged | all flagged | reps missed (not found) |",
           "|---|---|---|---|---|"]
    for mm in sizes:
        reps = [r for c in clips for r in c.reps if _lift_size(r) == mm]
        cells = []
        for sel in (lambda r: r.near_camera, lambda r: not r.near_camera, lambda r: True):
            m = [r for r in reps if sel(r) and r.matched]
            cells.append(_rate(sum(bool(r.heel_flagged) for r in m), len(m)))
        out.append(f"| {mm:g} | {' | '.join(cells)} | {sum(not r.matched for r in reps)} |")
    return out + [""]


def distance_table(clips: list[ClipScore]) -> list[str]:
    """Knee-to-wall and equivalent toe-to-wall errors by marker placement (where ankle-cv gave a number)."""
    out = ["#### Distances by marker placement (cm; error = ours − truth over matched reps where ankle-cv gave a number)", "",
           "| marker | clips | clips ankle-cv scaled (method) | reps matched | knee-to-wall n / MAE / bias / worst | "
           f"within ±{KNEE_WALL_TARGET_CM:g} cm | its 95 % interval covers | equivalent toe-to-wall n / MAE / bias / worst | "
           f"within ±{TOE_WALL_TARGET_CM:g} cm | its 95 % interval covers |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    groups = _group(clips, lambda c: str(c.tags["marker"]))
    # The same by split: constants are fitted on the fit bodies, the report bodies say whether they hold.
    groups.update(_group(clips, lambda c: f"{c.tags['marker']} ({c.split})"))
    for name, (cs, reps) in groups.items():
        methods: dict[str, int] = {}
        for c in cs:
            methods[str(c.scale_method)] = methods.get(str(c.scale_method), 0) + 1
        matched = [r for r in reps if r.matched]
        k = [r.knee_wall_ours_cm - r.knee_wall_truth_cm for r in matched
             if r.knee_wall_ours_cm is not None and r.knee_wall_truth_cm is not None]
        t = [r.toe_wall_ours_cm - r.toe_wall_truth_cm for r in matched
             if r.toe_wall_ours_cm is not None and r.toe_wall_truth_cm is not None]
        # The 95 % interval: 1.96 of the sigma ankle-cv gives with each distance (the distance categories' interval).
        kc = [abs(r.knee_wall_ours_cm - r.knee_wall_truth_cm) <= Z95 * r.knee_wall_sd_cm for r in matched
              if r.knee_wall_ours_cm is not None and r.knee_wall_truth_cm is not None and r.knee_wall_sd_cm is not None]
        tc = [abs(r.toe_wall_ours_cm - r.toe_wall_truth_cm) <= Z95 * r.toe_wall_sd_cm for r in matched
              if r.toe_wall_ours_cm is not None and r.toe_wall_truth_cm is not None and r.toe_wall_sd_cm is not None]
        ks, ts = error_stats(k), error_stats(t)
        kcell = "0" if ks.n == 0 else f"{ks.n} / {ks.mae:.2f} / {ks.bias:+.2f} / {ks.max_abs:.2f}"
        tcell = "0" if ts.n == 0 else f"{ts.n} / {ts.mae:.2f} / {ts.bias:+.2f} / {ts.max_abs:.2f}"
        out.append(f"| {name} | {len(cs)} | {', '.join(f'{m} {n}' for m, n in sorted(methods.items()))} | {len(matched)} | "
                   f"{kcell} | {_rate(sum(abs(e) <= KNEE_WALL_TARGET_CM for e in k), len(k))} | {_rate(sum(kc), len(kc))} | {tcell} | "
                   f"{_rate(sum(abs(e) <= TOE_WALL_TARGET_CM for e in t), len(t))} | {_rate(sum(tc), len(tc))} |")
    return out + [""]


def rep_count_table(clips: list[ClipScore]) -> list[str]:
    """Reps found against the truth, by legs and step-in."""
    out = ["#### Reps found vs truth", "",
           "| group | clips | reps true | reps found by ankle-cv | matched | matched and valid | extra | clips exact "
           "| tested leg(s) right | clips refused |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    groups = {"all": clips, **{k: v[0] for k, v in _group(clips, lambda c: f"{c.tags['legs']} leg(s), step-in "
                                                                          f"{c.tags['step_in']}").items()}}
    for name, cs in groups.items():
        out.append(f"| {name} | {len(cs)} | {sum(c.reps_true for c in cs)} | {sum(c.reps_ours for c in cs)} | "
                   f"{sum(sum(r.matched for r in c.reps) for c in cs)} | {sum(sum(bool(r.valid) for r in c.reps) for c in cs)} | "
                   f"{sum(c.extra_reps for c in cs)} | "
                   f"{_rate(sum(c.count_exact for c in cs), len(cs))} | {_rate(sum(c.side_correct for c in cs), len(cs))} | "
                   f"{sum(c.error is not None for c in cs)} |")
    return out + [""]


def _yaw_bucket(c: ClipScore) -> str:
    """The camera's actual yaw (the renderer moves a camera that would sit behind the wall)."""
    y = abs(c.yaw_deg)
    return "yaw within ±5°" if y <= 5 else "yaw ±5–10°" if y <= 10 else "yaw beyond ±10°"


def _lift_bucket(r: RepScore) -> str:
    """True heel rise in the hold as a table label."""
    mm = _lift_size(r)
    return "0 mm" if mm == 0 else "2 mm" if mm <= 2 else "4–6 mm" if mm <= 6 else "8–10 mm" if mm <= 10 else "15–25 mm"


def tables(clips: list[ClipScore]) -> str:
    """Every table, Markdown."""
    all_reps = [r for c in clips for r in c.reps]
    out = [f"### ankle-cv on the randomised renders: {len(clips)} clips, {len(all_reps)} true reps, "
           f"{len({r.body for c in clips for r in c.reps})} bodies", ""]
    out += angle_table("Overall and by split (fit / report bodies)",
                       {"all": (clips, all_reps), **_group(clips, lambda c: c.split)})
    out += angle_table("By marker placement", _group(clips, lambda c: str(c.tags["marker"])))
    out += angle_table("By tested leg (per rep)", _group_reps(clips, lambda c, r: "near camera" if r.near_camera else "far from camera"))
    out += angle_table("By true heel rise in the hold (per rep)", _group_reps(
        clips, lambda c, r: _lift_bucket(r), ["0 mm", "2 mm", "4–6 mm", "8–10 mm", "15–25 mm"]))
    out += angle_table("By true peak (per rep)", _group_reps(clips, lambda c, r: _peak_bucket(r), ["< 15°", "15–30°", "30–45°", "≥ 45°"]))
    out += angle_table("By clothes", _group(clips, lambda c: f"{c.tags['bottoms']}, {'shoes' if c.tags['shoes'] else 'barefoot'}"))
    out += angle_table("By contrast", _group(clips, lambda c: str(c.tags["contrast"])))
    out += angle_table("By camera roll and background", _group(clips, lambda c: f"roll {c.tags['roll']}°, {c.tags['background']}"))
    out += angle_table("By camera yaw (actual, from the truth)", _group(clips, _yaw_bucket))
    out += angle_table("By resolution", _group(clips, lambda c: str(c.tags["resolution"])))
    out += angle_table("By frame rate", _group(clips, lambda c: f"{c.tags['fps']} fps"))
    out += angle_table("By light", _group(clips, lambda c: str(c.tags["light"])))
    out += angle_table("By legs and step-in", _group(clips, lambda c: f"{c.tags['legs']}, step-in {c.tags['step_in']}"))
    out += heel_table(clips)
    out += distance_table(clips)
    out += rep_count_table(clips)
    failed = [f"- {c.clip}: {c.error}" for c in clips if c.error]
    failed += [f"- {c.clip}: no measurement: {c.no_measurement_reason}" for c in clips if c.no_measurement_reason]
    if failed:
        out += ["Clips ankle-cv refused, failed on or gave no measurement for:", "", *failed, ""]
    return "\n".join(out)


def main() -> int:
    """Score every rendered clip of the chosen split, print the tables, write the files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="set_dir", type=Path, required=True, help="folder with manifest.json and the clips")
    parser.add_argument("--split", choices=["fit", "report", "all"], default="all")
    parser.add_argument("--only", default="", help="comma list of clip ids or id prefixes")
    parser.add_argument("--cache", type=Path, default=None, help="landmark cache (shared with ankle-cv validate --cache)")
    parser.add_argument("--out", type=Path, default=None, help="output folder [default: ./scores_<set name>]")
    parser.add_argument("--model", choices=["full", "lite"], default="full")
    parser.add_argument("--stature", action="store_true",
                        help="give each body's true stature as --height-cm (a user who types their height): every clip has a scale")
    args = parser.parse_args()
    manifest_path = args.set_dir / "manifest.json"
    if not manifest_path.is_file():
        print(f"error: {manifest_path} not found (render the set with benchmarks/render_random_set.py)", file=sys.stderr)
        return 2
    manifest = json.loads(manifest_path.read_text())
    only = [s for s in args.only.split(",") if s]
    entries = [e for e in manifest["clips"]
               if (args.split == "all" or e["split"] == args.split)
               and (not only or any(e["id"].startswith(s) for s in only))
               and (args.set_dir / f"{e['id']}.mp4").exists() and (args.set_dir / f"{e['id']}.json").exists()]
    if not entries:
        print("error: no rendered clips match", file=sys.stderr)
        return 2
    out_dir = args.out or Path.cwd() / f"scores_{args.set_dir.resolve().name}"
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.cache is not None:
        prepare_cache_dir(args.cache)
    clips = []
    for i, entry in enumerate(entries, 1):
        clip = score_clip(entry, args.set_dir, args.cache, out_dir, args.model, args.stature)
        clips.append(clip)
        errs = [f"{r.error_deg:+.1f}" for r in clip.reps if r.error_deg is not None]
        print(f"[{i}/{len(entries)}] {clip.clip}: {clip.reps_ours}/{clip.reps_true} reps, errors {' '.join(errs) or '-'} "
              f"({clip.seconds:.0f} s){' ERROR ' + clip.error if clip.error else ''}"
              f"{' no measurement: ' + clip.no_measurement_reason if clip.no_measurement_reason else ''}",
              file=sys.stderr, flush=True)
    text = tables(clips)
    (out_dir / "tables.md").write_text(text + "\n")
    (out_dir / "scores.json").write_text(json.dumps({"set": str(args.set_dir.resolve()), "split": args.split,
                                                     "clips": [asdict(c) for c in clips]}, indent=1))
    print(text)
    print(f"wrote {out_dir / 'tables.md'} and {out_dir / 'scores.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
