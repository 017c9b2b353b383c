"""The one-page report from real results: PDF text holds the JSON's figures, PNG/HTML match, layout is clean."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from matplotlib.transforms import Bbox

from ankle_cv.cli import main
from ankle_cv.history.store import add_result_file
from ankle_cv.report.keyframes import key_frames
from ankle_cv.report.model import NO_SCALE, SessionResult, build_report, leg_rows
from ankle_cv.report.page import PageImages, build_page
from ankle_cv.report.sources import load_result
from ankle_cv.report.writer import make_report
from tests.result_factory import as_result

pypdf = pytest.importorskip("pypdf")

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "physio"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_videos"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def copy_result(name: str, dest: Path, moved_video: bool = True) -> Path:
    """A committed result folder copied where the test may write; the video it names moved away (not found by path)."""
    target = dest / name
    shutil.copytree(FIXTURES / name, target)
    if moved_video:
        result = json.loads((target / "result.json").read_text())
        result["input"]["path"] = str(dest / "moved" / Path(result["input"]["path"]).name)
        (target / "result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return target / "result.json"


def pdf_text(path: Path) -> tuple[str, Any]:
    """All text of a one-page PDF (whitespace collapsed) and the page."""
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    return re.sub(r"\s+", " ", page.extract_text()), page


def leg_figures(result: dict[str, Any], side: str) -> list[str]:
    """How the report must print a leg's numbers (0.1° as in result.json)."""
    leg = result["legs"][side]
    spread = f"{leg['mean_deg']:.1f} ± {leg['sd_deg']:.1f}°" if leg["reps_valid"] > 1 else f"{leg['mean_deg']:.1f}° (n = 1, no spread)"
    return [f"{leg['tibial_inclination_deg']:.1f}° (rep {leg['best_rep']})", spread,
            f"{leg['reps_valid']} / {leg['reps_total']}", leg["category"]]


@pytest.fixture(scope="module")
def both_legs_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """d12 (one video, both legs) with a patient history of one earlier visit: the fullest page."""
    tmp = tmp_path_factory.mktemp("d12")
    result_path = copy_result("d12_both", tmp)
    db = tmp / "history.sqlite"
    add_result_file(db, FIXTURES / "sample_left" / "result.json", "P-0042", "2026-09-01")
    add_result_file(db, FIXTURES / "sample_right" / "result.json", "P-0042", "2026-09-01")
    files = make_report([result_path], tmp / "visit.pdf", patient_id="P-0042", name="Jane Example",
                        notes="Left ankle sprain six weeks ago.", history_db=db)
    return {"files": files, "result": json.loads(result_path.read_text())}


def test_both_legs_pdf_holds_the_json_figures(both_legs_report: dict[str, Any]) -> None:
    pdf, png, html = both_legs_report["files"]
    result = both_legs_report["result"]
    text, page = pdf_text(pdf)
    assert abs(float(page.mediabox.width) - 595.3) < 1 and abs(float(page.mediabox.height) - 841.9) < 1  # A4
    for side in ("left", "right"):
        for figure in leg_figures(result, side):
            assert figure in text, figure
    left, right = (result["legs"][s]["tibial_inclination_deg"] for s in ("left", "right"))
    assert f"Asymmetry {abs(left - right):.1f}° joint-centre, {100 * abs(left - right) / max(left, right):.1f}%" in text
    assert "the percent is of the better leg" in text
    assert "3.7° threshold" in text and "Hoch & McKeon 2011" in text
    assert "Patient ID: P-0042" in text and "Name: Jane Example" in text and "Left ankle sprain six weeks ago." in text
    assert NO_SCALE in text
    assert f"ankle-cv {result['ankle_cv_version']}" in text and "MediaPipe PoseLandmarker (full)" in text
    for warning in result["quality"]["warnings"]:
        assert warning[:40] in text
    # the trend: the earlier visit's legs (sample results) against this one
    assert "PROGRESS OVER VISITS" in text and "2026-09-01" in text
    assert f"Left: joint-centre {left - 38.8:+.1f}° since 2026-09-01" in text  # the sample results kept no inclinometer angle
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    from PIL import Image

    width_px, height_px = Image.open(png).size  # the same A4 page at 150 dpi
    assert abs(width_px - 210 / 25.4 * 150) <= 1 and abs(height_px - 297 / 25.4 * 150) <= 1


def test_html_is_self_contained_and_says_the_same(both_legs_report: dict[str, Any]) -> None:
    html = both_legs_report["files"][2].read_text(encoding="utf-8")
    result = both_legs_report["result"]
    assert html.startswith("<!DOCTYPE html>")
    assert not re.findall(r'(?:src|href)="(?!data:)', html)  # nothing fetched from anywhere
    assert html.count('src="data:image/png;base64,') >= 6  # norm band, 2 key frames, 2 plots, trend
    for side in ("left", "right"):
        for figure in leg_figures(result, side):
            assert figure in html.replace("&lt;", "<").replace("&gt;", ">"), figure
    assert "P-0042" in html and "Jane Example" in html


def test_two_videos_letter_paper_and_only_typed_identifiers(tmp_path: Path) -> None:
    paths = [copy_result("sample_left", tmp_path), copy_result("sample_right", tmp_path)]
    files = make_report(paths, tmp_path / "out", paper="letter", video_dirs=(SAMPLES,))
    assert [f.name for f in files] == ["out.pdf", "out.png", "out.html"]
    text, page = pdf_text(files[0])
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    left = json.loads(paths[0].read_text())
    right = json.loads(paths[1].read_text())
    for figure in leg_figures(left, "left") + leg_figures(right, "right"):
        assert figure in text, figure
    assert "Patient ID" not in text and "Name:" not in text and "Notes:" not in text
    assert "PROGRESS OVER VISITS" not in text  # no history asked for
    assert "REPS" in text and "invalid: heel lifted" in text


def test_key_frames_from_the_video_or_from_stored_landmarks(tmp_path: Path) -> None:
    found = load_result(copy_result("sample_right", tmp_path), (SAMPLES,))
    peak = next(r.peak_s for r in found.result.reps if r.index == found.result.best_rep)
    frame = key_frames(found, {"right": peak})["right"]
    assert frame.rgb is not None and frame.rgb.shape == (540, 960, 3) and frame.note is None
    assert set(frame.points) == {"hip", "knee", "ankle", "heel", "toe"}
    # matched by time: the video frame at the peak, and the frames.csv row of the rep's peak_frame
    from ankle_cv.io.video_source import read_frames

    at_peak = next(f for f in read_frames(SAMPLES / "k2w_right_synthetic.mp4") if abs(f.time_s - peak) < 1e-3)
    assert (frame.rgb == at_peak.rgb).all()
    peak_row = next(r for r in found.result.reps if r.index == found.result.best_rep).peak_frame
    import csv

    with open(found.path.parent / "frames.csv", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if int(r["frame"]) == peak_row)
    assert frame.points["knee"].tolist() == [float(row["knee_x_px"]), float(row["knee_y_px"])]
    gone = load_result(found.path)  # the video is not beside the copied folder
    assert gone.video_path is None
    drawn = key_frames(gone, {"right": peak})["right"]
    assert drawn.rgb is None and drawn.points is not None
    assert drawn.note == "video not found: leg drawn from the stored landmarks"
    assert drawn.frame_size_px == (960, 540)


def test_key_frame_line_is_turned_to_the_printed_angle(tmp_path: Path) -> None:
    """The key frame carries its frames.csv row's own angle, and the stored shin line is drawn at the rep's printed angle
    (the hold's median), turned about the ankle from that row's reading; the detected knee stays where it was."""
    import math

    from matplotlib.figure import Figure

    from ankle_cv.kinematics.shank import inclination_deg
    from ankle_cv.report.panels import draw_key_frame

    found = load_result(copy_result("sample_right", tmp_path), (SAMPLES,))
    best = next(r for r in found.result.reps if r.index == found.result.best_rep)
    frame = key_frames(found, {"right": best.peak_s})["right"]
    row = int(abs(found.frames.time_s - best.peak_s).argmin())
    assert frame.line_deg == pytest.approx(float(found.frames.tibial_inclination_deg[row]))
    ankle = [400.0, 300.0]
    shown = math.radians(30.0)
    points = {"ankle_anchor": ankle, "shin_top": [ankle[0] + 200 * math.sin(shown), ankle[1] - 200 * math.cos(shown)],
              "knee": [470.0, 120.0], "ankle": ankle}
    ax = Figure(figsize=(4, 3)).add_subplot()
    draw_key_frame(ax, None, {k: __import__("numpy").array(v) for k, v in points.items()}, 32.0, "right", (960, 540), None,
                   None, 30.0)
    line = next(ln for ln in ax.lines if ln.get_gid() == "measured-shin")
    xs, ys = line.get_xdata(), line.get_ydata()
    import numpy as np

    drawn = float(inclination_deg(np.array([[xs[1], ys[1]]]), np.array([[xs[0], ys[0]]]), 1)[0])
    assert drawn == pytest.approx(32.0, abs=0.01)
    knee = next(ln for ln in ax.lines if ln.get_gid() == "detected-knee")
    assert [knee.get_xdata()[0], knee.get_ydata()[0]] == points["knee"]


def test_a_rep_with_many_reasons_keeps_its_first_on_a_tight_page() -> None:
    """Real clip ypt_army_forward_lunge: a rep with five reasons took more lines than the list has, and the page listed no
    rep at all. Now the rep too long to list whole keeps its verdict's first reason and the count of the rest."""
    from ankle_cv.report.page import _rep_lines

    result = copy.deepcopy(json.loads((FIXTURES / "d12_both" / "result.json").read_text()))
    first = next(r for r in result["reps"] if r["side"] == "left")  # the list's first (left, then right)
    first["valid"] = False
    first["invalid_reasons"] = [f"made-up reason number {k}, long enough to take most of a line in the report's column"
                                for k in range(6)]
    content = build_report([SessionResult("d12", as_result(result), "2026-11-24", "sha")], None, None, None, "2026-11-24")
    lines = _rep_lines(content, 3.46, cap=6)
    words = " ".join(lines)
    side = first["side"].capitalize()
    assert len(lines) <= 6
    assert f"{side} rep {first['index']} (" in words, "no rep listed"
    assert "invalid: made-up reason number 0" in words and "5 more in result.json" in words
    assert lines[-1] == "… every rep is in result.json"


def test_a_table_cell_too_wide_for_its_column_is_set_smaller() -> None:
    """Random render r041: the bold "10.4 cm, 95 % CI borderline–normal" ran into the other leg's column."""
    from dataclasses import replace

    result = json.loads((FIXTURES / "d12_both" / "result.json").read_text())
    content = build_report([SessionResult("d12", as_result(result), "2026-11-24", "sha")], None, None, None, "2026-11-24")
    wide = "10.4 cm, 95 % CI borderline–normal"
    left = replace(content.legs["left"], rows=(wide, *content.legs["left"].rows[1:]))
    fig = build_page(replace(content, legs={**content.legs, "left": left}), PageImages(key_frames={}, frames={}))
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in ax.texts]
    cell = next(t for t in texts if t.get_text() == wide)
    neighbour = next(t for t in texts if t.get_text() == content.legs["right"].rows[0])
    assert cell.get_window_extent(renderer).x1 < neighbour.get_window_extent(renderer).x0


def test_missing_frames_csv_and_video_still_make_a_page(tmp_path: Path) -> None:
    result_path = copy_result("lunge_real", tmp_path)
    (result_path.parent / "frames.csv").unlink()
    loaded = load_result(result_path)
    assert loaded.frames is None
    session = SessionResult("lunge", loaded.result, "2026-11-24", loaded.sha256)
    content = build_report([session], None, None, None, "2026-11-24")
    best = content.legs["right"].best_rep
    assert best is not None
    fig = build_page(content, PageImages(key_frames=key_frames(loaded, {"right": best.peak_s}), frames={"right": None}))
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]
    assert any("frames.csv not found" in t for t in texts)
    assert any("video not found: no key frame" in t for t in texts)
    assert content.legs["left"].rows[0] == "not tested"
    assert content.asymmetry is None and "not available" in content.asymmetry_line


def _overlaps(a: Bbox, b: Bbox, tol_px: float = 1.0) -> bool:
    """Whether two display boxes intersect by more than tol_px both ways."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > tol_px and min(a.y1, b.y1) - max(a.y0, b.y0) > tol_px


def test_layout_has_no_overlaps_even_with_long_content(tmp_path: Path) -> None:
    """Page-level text blocks and panels stay apart and on the page: long notes, many warnings, a trend."""
    result = copy.deepcopy(json.loads((FIXTURES / "d12_both" / "result.json").read_text()))
    result["quality"]["warnings"] += [f"made-up warning number {k} that is long enough to wrap onto a second line "
                                      "in the report's right column" for k in range(6)]
    sessions = [SessionResult("d12", as_result(result), "2026-11-24", "sha-now")]
    earlier = json.loads((FIXTURES / "sample_left" / "result.json").read_text())
    from ankle_cv.history.store import entries_from_result

    history = entries_from_result(as_result(earlier), "P", "2026-06-01", "x", "sha-old", "t")
    for paper in ("a4", "letter"):
        content = build_report(sessions, "P" * 30, "N" * 40, "very long notes " * 30, "2026-11-24", history)
        fig = build_page(content, PageImages(key_frames={}, frames={}), paper)
        renderer = fig.canvas.get_renderer()
        page = fig.bbox
        blocks = [t.get_window_extent(renderer) for t in fig.texts if t.get_text().strip()]
        blocks += [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_position().width * fig.get_figwidth() > 0.1]
        for box in blocks:
            assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1 and page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1
        clashes = [(i, j) for i in range(len(blocks)) for j in range(i + 1, len(blocks)) if _overlaps(blocks[i], blocks[j])]
        assert not clashes, [(str(blocks[i]), str(blocks[j])) for i, j in clashes]


@pytest.mark.parametrize(
    ("leg", "expected"),
    [
        (None, ("not tested", "—", "—", "—", "—", "—", "—")),
    ],
)
def test_leg_rows_not_tested(leg: Any, expected: tuple[str, ...]) -> None:
    assert leg_rows(leg) == expected


def test_leg_rows_distances_and_heel() -> None:
    from ankle_cv.protocol.asymmetry import legs_of

    result = copy.deepcopy(json.loads((FIXTURES / "sample_left" / "result.json").read_text()))
    (leg,) = legs_of(as_result(result))
    rows = leg_rows(leg)
    assert rows[0] == rows[1] == NO_SCALE  # the centimetres lead the table
    assert rows[4].endswith("of foot length, heel down")
    best = next(r for r in result["reps"] if r["index"] == result["legs"]["left"]["best_rep"])
    best.update({"equivalent_toe_to_wall_cm": 12.34, "knee_to_wall_cm": -0.26, "heel_lift_mm": 3.0})
    (leg,) = legs_of(as_result(result))
    rows = leg_rows(leg)
    assert rows[0].startswith("12.3 cm") and rows[1] == "-0.3 cm" and rows[4] == "3 mm, heel down"
    best["heel_lift_mm"] = -4.0  # lunge_side_nowva rep 5 read -1.4 % of its foot: a bare "-4 mm" read as a sinking heel
    (leg,) = legs_of(as_result(result))
    assert leg_rows(leg)[4] == "heel down; no higher than at rest (-4 mm)"
    best["heel_lift_mm"] = 3.0
    assert rows[3].startswith(f"{leg.tibial_inclination_deg:.1f}° (rep {leg.best_rep})")
    # with their 1-sigma uncertainties (result.json's; the report showed the distances bare), said to be 1 σ as analyze
    # prints them, beside the angle's 95 %
    best.update({"equivalent_toe_to_wall_uncertainty_cm": 1.14, "knee_to_wall_uncertainty_cm": 0.9})
    (leg,) = legs_of(as_result(result))
    rows = leg_rows(leg)
    assert rows[0].startswith("12.3 ± 1.1 cm (1 σ)") and rows[1] == "-0.3 ± 0.9 cm (1 σ)"
    assert leg.inclinometer_equivalent_ci95_deg is None or rows[2].endswith("(95 %)")


def test_cli_report_refuses_to_overwrite_and_names_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    result_path = copy_result("sample_right", tmp_path)
    out = tmp_path / "r.pdf"
    out.write_bytes(b"earlier")
    r = runner.invoke(main, ["report", str(result_path), "--out", str(out)])
    assert r.exit_code == 2 and "already holds r.pdf" in r.output and out.read_bytes() == b"earlier"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hello": 1}))
    r = runner.invoke(main, ["report", str(bad), "--out", str(tmp_path / "x.pdf")])
    assert r.exit_code == 2 and "bad.json: not an ankle-cv result.json" in r.output
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.png").exists()
    r = runner.invoke(main, ["report", str(result_path), "--out", str(tmp_path / "nofolder" / "x.pdf")])
    assert r.exit_code == 2 and "does not exist" in r.output


def test_leg_rows_say_when_the_interval_spans_a_cut_off() -> None:
    from ankle_cv.protocol.asymmetry import legs_of

    result = copy.deepcopy(json.loads((FIXTURES / "sample_left" / "result.json").read_text()))
    leg_obj = result["legs"]["left"]
    leg_obj.update({"category": "normal", "inclinometer_equivalent_deg": 42.0, "inclinometer_equivalent_ci95_deg": 6.4,
                    "category_reason": None, "category_ci95": ["borderline", "normal"]})
    (leg,) = legs_of(as_result(result))
    assert leg_rows(leg)[6] == "normal; 95 % CI borderline–normal"  # the category the terminal prints, then its span
    leg_obj["category_ci95"] = ["normal"]
    (leg,) = legs_of(as_result(result))
    assert leg_rows(leg)[6] == "normal (≥ 38°, inclinometer)"


@pytest.mark.parametrize("source, leg_toe_cm, words", [
    ("measured from the marker", None, "wall measured, toes unseen"),
    ("measured from the marker", 12.3, "toes at 12.3 cm, measured"),
    ("stated (--foot-to-wall-cm)", None, "toes at 10.0 cm, as stated"),
])
def test_the_knee_row_says_where_the_toes_were(source: str, leg_toe_cm: float | None, words: str) -> None:
    """A wall from the sheet with the toes not outlined is not 'as stated': nobody stated the toes' distance."""
    from ankle_cv.report.model import toes_words
    from tests.result_factory import BASE

    scale = copy.deepcopy(BASE["scale"])
    scale["toe_to_wall"] = source
    scale["legs"]["right"]["toe_to_wall_cm"] = leg_toe_cm
    result = as_result({"scale": scale, "foot_to_wall_cm": 10.0})
    assert toes_words(result, "right") == words
    assert len(words) <= len("toes at 10.0 cm, as stated")  # no longer than the words the cell always fitted


def test_out_naming_an_existing_folder_puts_the_report_in_it(tmp_path: Path) -> None:
    """`--out visits/` writes visits/report.pdf (and .png, .html), not visits.pdf beside the folder."""
    from ankle_cv.report.writer import report_paths

    (tmp_path / "visits").mkdir()
    assert report_paths(tmp_path / "visits") == tuple(tmp_path / "visits" / f"report.{s}" for s in ("pdf", "png", "html"))
    assert report_paths(tmp_path / "visit2")[0] == tmp_path / "visit2.pdf"  # not a folder: the PDF's name


def test_trend_legend_hides_no_visit() -> None:
    """The report's small trend panel: the legend sits in its own headroom, never over a visit's point."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ankle_cv.history.store import HistoryEntry
    from ankle_cv.report.panels import draw_trend

    def leg(date: str, side: str, deg: float) -> HistoryEntry:
        return HistoryEntry("P1", date, side, deg, deg, 0.5, None, None, 2, 2, "r.json", date + side, "0.1.0", "t")

    entries = [leg("2026-12-01", "left", 34.5), leg("2026-12-01", "right", 39.6),
               leg("2026-12-06", "left", 37.6), leg("2026-12-06", "right", 39.9)]  # a session where it hid 37.6
    fig = Figure(figsize=(3.5, 1.0), dpi=150)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.1, 0.12, 2.95 / 3.5, 0.75))  # the page's panel at its smallest: 2.95 x 0.75 in
    draw_trend(ax, entries)
    canvas.draw()
    box = ax.get_legend().get_window_extent(canvas.get_renderer())
    for line in ax.get_lines():
        for x, y in line.get_xydata():
            px, py = ax.transData.transform((x, y))
            assert not box.contains(px, py), f"the legend hides the point at {y}"


def test_a_clip_with_nobody_in_it_reads_the_same_in_report_export_and_history(tmp_path: Path) -> None:
    """analyze's no-person result (side and facing null): the report is written and says why, and the command ends as
    analyze did for it (exit 3, the reason in one line), as export and history add do when they refuse it."""
    reason = "no person found in 100% of frames"
    nobody = as_result({"side": None, "facing": None, "result": {"no_measurement_reason": reason},
                        "quality": {**as_result({}).to_obj()["quality"], "pose_detected_fraction": 0.0}})
    assert (nobody.side, nobody.facing, dict(nobody.legs)) == (None, None, {})
    folder = tmp_path / "empty_room_ankle_cv"
    folder.mkdir()
    (folder / "result.json").write_text(nobody.to_json(), encoding="utf-8")
    runner = CliRunner()
    report = runner.invoke(main, ["report", str(folder / "result.json"), "--out", str(tmp_path / "r.pdf")])
    assert report.exit_code == 3, report.output
    assert (tmp_path / "r.pdf").exists()
    assert report.stderr.splitlines() == [
        f"ankle-cv: error: {folder / 'result.json'}: holds no valid measurement, and the report says why: {reason}"]
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No valid measurement" in html and f"{reason[:1].upper()}{reason[1:]}." in html and "None leg" not in html
    for args in (["export", str(folder / "result.json"), "--fhir"],
                 ["history", "add", str(folder / "result.json"), "--patient-id", "P", "--db", str(tmp_path / "h.db")]):
        refused = runner.invoke(main, args)
        assert refused.exit_code == 3, refused.output
        assert reason in refused.output and len(refused.output.strip().splitlines()) == 1


def _refused(tmp_path: Path, reason: str) -> Path:
    """sample_left's result refused with `reason`: every rep invalid, no best rep (as analyze writes a refusal)."""
    doc = json.loads((FIXTURES / "sample_left" / "result.json").read_text())
    doc["best_rep"] = None
    doc["result"].update(no_measurement_reason=reason, tibial_inclination_deg=None)
    doc["quality"]["warnings"] = []  # as rohanx01_squat's: the refusal its only word on the recording
    for rep in doc["reps"]:
        rep.update(valid=False, invalid_reasons=[f"{reason.split(':')[0]} in this rep"])
    for leg in doc["legs"].values():
        leg["best_rep"] = leg["tibial_inclination_deg"] = None
    folder = tmp_path / "refused_ankle_cv"
    shutil.copytree(FIXTURES / "sample_left", folder)
    (folder / "result.json").write_text(json.dumps(doc))
    return folder / "result.json"


def test_a_refusal_leads_the_page_with_its_reason_and_what_to_do_and_leaves_the_norms_out(tmp_path: Path) -> None:
    """A squat's report (real clip luiz_air_squat) showed the norms' panel, "not tested" per leg and the reason only in
    small print under "Recording quality"; it leads with the refusal now, in the PDF and the HTML alike."""
    from ankle_cv.outputs.refusal_advice import NOT_TEST_ADVICE

    reason = "not a knee-to-wall test: the feet stay side by side with no split stance, as in a squat, in 100% of frames"
    files = make_report([_refused(tmp_path, reason)], tmp_path / "r.pdf")
    text, _ = pdf_text(files[0])
    html = files[2].read_text(encoding="utf-8")
    lead = f"{reason[:1].upper()}{reason[1:]}."
    for words in (text, html):
        assert "NO VALID MEASUREMENT" in words.upper()
        assert " ".join(lead.split()) in words and "What to do: Film the knee-to-wall test itself" in " ".join(words.split())
        assert "AGAINST PUBLISHED NORMS" not in words.upper() and "RESULT PER LEG" not in words.upper()
        assert "Asymmetry" not in words and "no valid measurement: " not in words  # not repeated in small print
        assert "rep 1" in words.lower()  # the reps and their reasons stay
    assert " ".join(NOT_TEST_ADVICE.split()) in " ".join(text.split())
    for words in (text, html):  # rohanx01_squat (no warning): "No warnings: the recording met every check." under it
        assert "met every check" not in words and "No other warning than the reason above." in words
    measured, _ = pdf_text(make_report([FIXTURES / "sample_left" / "result.json"], tmp_path / "m.pdf")[0])
    assert "AGAINST PUBLISHED NORMS" in measured.upper() and "What to do" not in measured


def test_a_refused_page_draws_no_cut_offs_and_no_clashes(tmp_path: Path) -> None:
    """The angle plots of a refused page leave out the 35/38° cut-offs it does not judge; nothing overlaps."""
    loaded = load_result(_refused(tmp_path, "no valid rep: heel lifted in the hold"))
    content = build_report([SessionResult("r", loaded.result, "2026-11-24", loaded.sha256)], None, None, None, "2026-11-24")
    assert content.refusal is not None and content.refusal.advice.startswith("Each rep's reason is listed with it")
    fig = build_page(content, PageImages(key_frames={}, frames={"left": loaded.frames}))
    assert not [ln for ax in fig.axes for ln in ax.lines if ln.get_gid() == "cut-off"]
    renderer = fig.canvas.get_renderer()
    blocks = [t.get_window_extent(renderer) for t in fig.texts if t.get_text().strip()]
    blocks += [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_position().width * fig.get_figwidth() > 0.1]
    clashes = [(i, j) for i in range(len(blocks)) for j in range(i + 1, len(blocks)) if _overlaps(blocks[i], blocks[j])]
    assert not clashes, [(str(blocks[i]), str(blocks[j])) for i, j in clashes]


def _page_pieces(fig: Any) -> tuple[list[str], list[Bbox]]:
    """Every text on a page (figure and axes) and the display boxes of its panels wider than 0.1 in."""
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]
    renderer = fig.canvas.get_renderer()
    panels = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_position().width * fig.get_figwidth() > 0.1]
    return texts, panels


def _placeholders(fig: Any) -> list[str]:
    """Notes centred in an empty panel (report.panels.placeholder), such as "not tested"."""
    return [t.get_text() for ax in fig.axes for t in ax.texts if tuple(t.get_position()) == (0.5, 0.5)]


def test_a_one_leg_page_gives_the_leg_the_width_instead_of_two_empty_boxes(tmp_path: Path) -> None:
    """sample_right's page drew two grey "not tested" boxes in the left half; the leg tested now takes both halves."""
    loaded = load_result(copy_result("sample_right", tmp_path, moved_video=False))
    content = build_report([SessionResult("s", loaded.result, "2026-11-24", loaded.sha256)], None, None, None, "2026-11-24")
    best = content.legs["right"].best_rep
    assert best is not None and content.legs["left"].leg is None
    fig = build_page(content, PageImages(key_frames=key_frames(loaded, {"right": best.peak_s}), frames={"right": loaded.frames}))
    texts, panels = _page_pieces(fig)
    assert not _placeholders(fig)
    assert any("(left leg not tested)" in t.lower() for t in texts)
    width = fig.bbox.width
    big = [p for p in panels if p.height > 0.2 * fig.bbox.height]  # the key frame and the angle plot, both tall
    assert len(big) == 2 and big[0].x1 < width / 2 + 5 < big[1].x0 + 10, [str(p) for p in big]
    clashes = [(i, j) for i in range(len(panels)) for j in range(i + 1, len(panels)) if _overlaps(panels[i], panels[j])]
    assert not clashes
    html = make_report([tmp_path / "sample_right" / "result.json"], tmp_path / "one.pdf")[2].read_text(encoding="utf-8")
    assert "(left leg not tested)" in html and 'alt="Left leg' not in html  # the HTML has no empty left block either


def test_a_refused_one_leg_page_draws_its_angle_plot_across_the_page(tmp_path: Path) -> None:
    """A refusal of a one-leg video drew its plot in one half and a grey "not tested" box in the other."""
    loaded = load_result(_refused(tmp_path, "no valid rep: heel lifted in the hold"))
    content = build_report([SessionResult("r", loaded.result, "2026-11-24", loaded.sha256)], None, None, None, "2026-11-24")
    fig = build_page(content, PageImages(key_frames={}, frames={"left": loaded.frames}))
    texts, panels = _page_pieces(fig)
    assert not _placeholders(fig)
    assert any("(no rep counted; right leg not tested)" in t.lower() for t in texts)
    assert max(p.width for p in panels) > 0.75 * fig.bbox.width
