"""The video, the figure, the report and the JSON tell one story (issue 20), checked in code as a person checks by eye.

For the shipped samples, a both-legs render (../shared d12) and an 11-rep real clip (../shared nowva): render
summary.png, the report page and annotated.mp4's key frames, then check that text stays on the page, labels do
not overlap (matplotlib's own text extents), and what is drawn is what result.json says. The pose landmarks
are cached in pytest's cache folder (the first run tracks each clip once); the PNGs of the last run go to
docs/visual/ for a reader to look at.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
import pytest
from matplotlib.figure import Figure

from ankle_cv.results.build import percent_text
from tests.conftest import REPO, SAMPLES, SHARED
from tests.outputs import visual_checks as vc

CLIPS = {
    "right": SAMPLES / "k2w_right_synthetic.mp4",
    "left_heel": SAMPLES / "k2w_left_heel_lift_synthetic.mp4",
    "both_legs": SHARED / "synthetic/d12_f30_both_markerside_R40_L33.mp4",
    "real_11": SHARED / "real/clips/lunge_side_nowva.mp4",
}
# More clips for the per-clip checks (benchmarks/story_agreement.py runs every clip of ../shared this way):
# paths separated by os.pathsep, each named folder-stem.
EXTRA_CLIPS = {f"{Path(p).parent.name}-{Path(p).stem}": Path(p)
               for p in os.environ.get("ANKLE_CV_STORY_CLIPS", "").split(os.pathsep) if p}
DOCS = REPO / "docs/visual"
REPORT_DATE = dt.date(2026, 12, 6)  # the day the kept report pictures were drawn
DOC_WIDTH_PX = 640  # the kept PNGs are shrunk to this width (small files in the repository)

pytestmark = pytest.mark.video


@dataclass
class Outputs:
    """One analysed clip: its files, the summary figure as saved, the analysis and its landmarks."""

    name: str
    folder: Path
    video: Path
    result: dict[str, Any]
    frames: list[dict[str, str]]
    summary: Figure
    analysis: Any
    stride: int


def _keep(name: str, image: np.ndarray | Figure) -> None:
    """A small PNG of what was checked, in docs/visual/ (skipped quietly where the checkout is read-only)."""
    try:
        DOCS.mkdir(parents=True, exist_ok=True)
        if isinstance(image, Figure):
            image.canvas.draw()
            rgb = np.asarray(image.canvas.buffer_rgba())[..., :3]  # type: ignore[attr-defined]
        else:
            rgb = image
        h, w = rgb.shape[:2]
        small = cv2.resize(rgb, (DOC_WIDTH_PX, round(h * DOC_WIDTH_PX / w)), interpolation=cv2.INTER_AREA)
        cv2.imwrite(str(DOCS / f"{name}.png"), cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9])
    except OSError:
        pass


def _analyse(name: str, tmp: Path, cache_dir: Path) -> Outputs:
    """analyze's own path (measure, build the result, write the files but the video), landmarks from the cache."""
    from ankle_cv import pipeline
    from ankle_cv.outputs import summary_plot
    from ankle_cv.pose.cache import cache_file, load_cached, store_cached
    from ankle_cv.pose.sampling import frame_stride
    from ankle_cv.results.build import build_result
    from ankle_cv.settings import Settings

    video = {**CLIPS, **EXTRA_CLIPS}[name]
    if not video.exists():
        pytest.skip(f"{video} is absent (../shared not here)")
    entry = cache_file(cache_dir, video, "full")
    info, series, analysis, _ = pipeline.measure_video(video, Settings(), series=load_cached(entry))
    if not entry.exists():
        store_cached(entry, series)
    result = build_result(analysis, info)
    saved: list[Figure] = []
    real_build = summary_plot.build_figure
    mp = pytest.MonkeyPatch()
    mp.setattr(summary_plot, "build_figure", lambda *a, **k: saved.append(real_build(*a, **k)) or saved[-1])
    try:
        out = tmp / name
        out.mkdir()
        pipeline.write_outputs(video, info, analysis, result, out, video=False)
    finally:
        mp.undo()
    if name in CLIPS:
        _keep(f"summary_{name}", saved[-1])
    with open(out / "frames.csv", newline="", encoding="utf-8") as fh:
        frames = list(csv.DictReader(fh))
    return Outputs(name, out, video, json.loads((out / "result.json").read_text()), frames, saved[-1], analysis,
                   frame_stride(info.fps))


_done: dict[str, Outputs] = {}


def _outputs(name: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    if name not in _done:
        try:
            cache_dir = request.config.cache.mkdir("ankle_cv_pose")  # type: ignore[union-attr]
        except AttributeError:  # -p no:cacheprovider
            cache_dir = tmp_path_factory.mktemp("pose")
        _done[name] = _analyse(name, tmp_path_factory.mktemp("visual"), Path(cache_dir))
    return _done[name]


@pytest.fixture(params=list(EXTRA_CLIPS or CLIPS))
def outs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """Each clip analysed once per session."""
    return _outputs(request.param, request, tmp_path_factory)


# ---------------------------------------------------------------------------------------------
# summary.png


def test_summary_text_stays_on_the_figure_and_labels_do_not_overlap(outs: Outputs) -> None:
    assert vc.texts_outside(outs.summary) == []
    assert vc.overlapping_texts(outs.summary) == []


def test_summary_warnings_are_the_results(outs: Outputs) -> None:
    words = vc.all_text(outs.summary)
    assert vc.missing_warnings(words, outs.result) == []
    assert ("Warnings: none" in words) == (not outs.result["quality"]["warnings"])


def test_summary_names_each_reps_verdict_as_the_result_does(outs: Outputs) -> None:
    """Every rep the words list carries its result.json verdict; the best rep is the result's."""
    words = vc.all_text(outs.summary)
    listed = 0
    for r in outs.result["reps"]:
        line = f"rep {r['index']} ({r['side']},"
        if line not in words:
            continue
        listed += 1
        tail = words.split(line, 1)[1][:200]
        verdict = "valid" if r["valid"] else "invalid: " + vc.normalise(r["invalid_reasons"][0])[:30]
        assert verdict in tail.split(" rep ")[0] + tail[:120], f"rep {r['index']}: {verdict!r} not drawn beside it"
    # every rep is listed, or as many as fit and a line saying the rest are in result.json (a full two-leg page)
    assert listed == len(outs.result["reps"]) or (listed >= 1 and "more rep lines in result.json" in words)
    best = outs.result["best_rep"]
    if best is not None:
        assert f"best valid rep {best}" in words


def test_summary_asymmetry_threshold_is_the_one_used(outs: Outputs) -> None:
    from ankle_cv.protocol.asymmetry import compute_asymmetry, pair_legs
    from ankle_cv.results.types import Result

    pairing = pair_legs([("clip", Result.from_json((outs.folder / "result.json").read_text()))])
    asym = compute_asymmetry(pairing.left, pairing.right) if pairing.left and pairing.right else None
    if asym is None:
        pytest.skip("not two measured legs")
    unit = " cm" if asym.threshold_unit == "cm" else "°"
    words = vc.all_text(outs.summary)
    assert f"the {asym.threshold:.1f}{unit} threshold" in words, "the summary names a threshold other than the one used"


def test_no_minus_zero_no_plus_minus_no_spread_of_one(outs: Outputs) -> None:
    words = vc.all_text(outs.summary)
    assert "≈-0 mm" not in words and "-0.0%" not in words
    assert "+-" not in words and "+-" not in json.dumps(outs.result, ensure_ascii=False)
    assert "± 0.0° over 1" not in words
    for r in outs.result["reps"]:
        assert str(r["heel_lift_mm"]) != "-0.0", f"rep {r['index']}: heel_lift_mm -0.0 in result.json"


# ---------------------------------------------------------------------------------------------
# One measurement behind the per-frame status and the per-rep verdict


def _row_at(frames: list[dict[str, str]], time_s: float) -> int:
    return int(np.argmin([abs(float(f["time_s"]) - time_s) for f in frames]))


def _lifted_at(frames: list[dict[str, str]], row: int) -> bool:
    return frames[row]["heel_lifted"] == "1"  # empty: a rep whose heel was not judged


def _key_row(outs: Outputs, rep: Any) -> int:
    """The frame a picture of the rep shows (outputs/key_frame.py): its peak, or for a lifted rep whose peak is not drawn
    heel-up, its heel-up run's highest reading."""
    from ankle_cv.outputs.key_frame import rep_key_frame

    return rep_key_frame(rep, outs.analysis.frames.heel_lifted, outs.analysis.frames.heel_rise_ratio)


def _late_lift(frames: list[dict[str, str]], hold: list[int], last: int) -> bool:
    """The hold's read frames end drawn up and stay up past it for at least as many frames as the hold has: the verdict
    read over a lift that began in the hold and outlasted it (protocol.heel_reading.late_lift_ratio; random_v11 r017 rep 2:
    the shin's peak read before the heel rose at the wall, its last 3 hold samples and 10 more up)."""
    if not hold or not _lifted_at(frames, hold[-1]):
        return False
    start = hold[-1]
    while start - 1 >= hold[0] and _lifted_at(frames, start - 1):
        start -= 1
    end = hold[-1]
    while end + 1 <= last and _lifted_at(frames, end + 1):
        end += 1
    return end - start + 1 >= len(hold)


def _early_lift(frames: list[dict[str, str]], hold: list[int], first: int) -> bool:
    """The hold's read frames begin drawn up and were up before it for at least as many frames as the hold has: the
    verdict read over a lift held at the wall that ended as the hold began (protocol.heel_reading.early_lift; random_v17
    r002 rep 1: the shin's peak read as the heel came down, 16 samples up before it)."""
    if not hold or not _lifted_at(frames, hold[0]):
        return False
    end = hold[0]
    while end + 1 <= hold[-1] and _lifted_at(frames, end + 1):
        end += 1
    start = hold[0]
    while start - 1 >= first and _lifted_at(frames, start - 1):
        start -= 1
    return end - start + 1 >= len(hold)


def test_heel_status_per_frame_agrees_with_each_rep(outs: Outputs) -> None:
    """The per-frame heel status every picture draws is each rep's verdict: one reading, the hold's.

    A rep judged heel down shows no lifted frame anywhere in the rep. A rep judged lifted shows its heel up over at least
    half of the hold's read frames when the hold spans peak ± 2 (the verdict is the hold's median reading; a rep that
    does not hold - a running stride, a 0.1 s bob - has a hold of a frame or two), and the frame its pictures show
    (_key_row) drawn up. The peak itself need not be up: the shin's most forward frame can come just before the heel
    rises (random render r074 rep 2: peak 0.07 s into a 1.4 s hold, the heel up from 0.27 s on) or after it came back
    down (random_v3 r018 rep 2: up over frames 75-89 of the hold 73-92, peak 91); earlier the peak had to be up or the
    heel to rise after it, and r018 failed that though frames.csv, the video and the verdict agree. A heel that rose as
    the hold ended and stayed up past it is read over that lift (_late_lift), so its hold may be mostly down; so is one held
    up at the wall that came down as the hold began (_early_lift).
    """
    bad = []
    for r, rep in zip(outs.result["reps"], outs.analysis.reps):
        assert rep.index == r["index"]
        i = _row_at(outs.frames, r["peak_s"])
        first, last = _row_at(outs.frames, r["start_s"]), _row_at(outs.frames, r["end_s"])
        near = [f["heel_lifted"] for f in outs.frames[max(first, i - 2):min(last, i + 2) + 1]]
        held = rep.hold_start_frame <= i - 2 and rep.hold_end_frame >= i + 2
        if not r["heel_lifted"]:
            wrong = any(_lifted_at(outs.frames, k) for k in range(first, last + 1))
        else:
            wrong = not _lifted_at(outs.frames, _key_row(outs, rep))
            if held:
                hold = [k for k in range(max(rep.hold_start_frame, first), min(rep.hold_end_frame, last) + 1)
                        if outs.frames[k]["heel_rise_foot_fraction"]]
                half = sum(_lifted_at(outs.frames, k) for k in hold) >= 0.5 * len(hold)
                wrong = wrong or not (half or _late_lift(outs.frames, hold, last) or _early_lift(outs.frames, hold, first))
        if wrong:
            bad.append(f"rep {r['index']}: heel_lifted={r['heel_lifted']}, frames at the peak {near}, "
                       f"at the key frame {outs.frames[_key_row(outs, rep)]['heel_lifted']!r}")
    assert bad == [], bad


def test_summary_picture_draws_the_heel_as_its_frame_reads(outs: Outputs) -> None:
    """summary.png's picture draws the heel as annotated.mp4 and frames.csv have it in that frame (grey: not checked), and
    a lifted rep is pictured heel-up. Before, the heel dot was green whatever the rep: random_v3 r018 (no valid rep, every
    heel lifted 25 mm) showed rep 3 at its peak, a frame before the heel rose, with a green heel."""
    from ankle_cv.outputs.key_frame import shown_frame

    ax = next((a for a in outs.summary.axes if a.images), None)
    if ax is None:
        pytest.skip("no picture")
    rep, frame = shown_frame(outs.analysis)
    if rep is None or frame is None or not outs.frames[frame]["heel_x_px"]:
        pytest.skip("no rep pictured, or no heel in its frame")
    cell = outs.frames[frame]["heel_lifted"]
    want = "not checked" if cell == "" else "up" if cell == "1" else "down"
    drawn = [ln.get_gid() for ln in ax.lines if str(ln.get_gid()).startswith("heel")]
    assert drawn == [f"heel-{want}"], (drawn, want)
    r = next(x for x in outs.result["reps"] if x["index"] == rep.index)
    assert r["heel_lifted"] is not True or want == "up", f"rep {rep.index} is judged lifted but pictured heel {want}"
    if outs.result["best_rep"] is None:
        assert f"rep {rep.index}, " in ax.get_title() and f"heel {want}" in ax.get_title()


def test_frame_indices_are_video_frames(outs: Outputs) -> None:
    fps = outs.result["input"]["fps"]
    for r in outs.result["reps"]:
        for key in ("start", "peak", "end"):
            assert abs(r[f"{key}_frame"] / fps - r[f"{key}_s"]) <= 1.5 / fps, f"rep {r['index']} {key}_frame is not a video frame"
    for f in outs.frames[:: max(1, len(outs.frames) // 20)]:
        assert abs(int(f["frame"]) / fps - float(f["time_s"])) <= 1.5 / fps


def test_frames_csv_knee_is_the_detected_knee(outs: Outputs) -> None:
    """knee_x/y_px are where the pose model put the knee; the measured line is in its own columns."""
    worst = 0.0
    knee = outs.analysis.front_xy["knee"]
    for row, f in enumerate(outs.frames):
        if f["knee_x_px"]:
            worst = max(worst, float(np.hypot(float(f["knee_x_px"]) - knee[row, 0], float(f["knee_y_px"]) - knee[row, 1])))
    assert worst < 0.1
    assert "shin_top_x_px" in outs.frames[0]


def test_drawn_shin_line_is_the_printed_angle(outs: Outputs) -> None:
    """On the summary's frame the amber line is the printed angle (read in the leg's plane when a sheet gave one);
    the detected knee is drawn apart from it."""
    from ankle_cv.kinematics.shank import inclination_deg
    from ankle_cv.scene.camera_geometry import up_from_roll
    from ankle_cv.scene.plane_angle import plane_inclination_deg

    ax = next((a for a in outs.summary.axes if a.images), None)
    if ax is None:
        pytest.skip("no picture")
    label = next((t for t in ax.texts if t.get_gid() == "measured-angle"), None)
    if label is None:  # no number printed on the picture: only when there is no valid rep to print
        assert outs.result["best_rep"] is None, "the best rep's angle is not printed on its frame"
        pytest.skip("no valid rep: no angle printed on the picture")
    line = next(ln for ln in ax.lines if ln.get_gid() == "measured-shin")
    ankle, top = np.array([line.get_xdata()[0], line.get_ydata()[0]]), np.array([line.get_xdata()[1], line.get_ydata()[1]])
    facing = 1 if outs.result["facing"] == "right" else -1
    settings = outs.result["settings"]
    scale = outs.result["input"]["width"] / outs.summary.axes[0].images[0].get_array().shape[1]
    if settings.get("leg_plane_homography") is not None:  # the line is in the image; the number in the leg's plane
        drawn = float(plane_inclination_deg(ankle * scale, top * scale, np.array(settings["leg_plane_homography"]), facing)[0])
    else:
        drawn = float(inclination_deg(top[None], ankle[None], facing, up_from_roll(settings.get("camera_roll_deg") or 0.0))[0])
    assert drawn == pytest.approx(float(label.get_text().rstrip("°")), abs=1.0)  # the peak frame's line, the hold's median
    # The detected knee is drawn apart from the line wherever frames.csv holds one for the key frame (a knee the gate
    # refused in that frame, as in random_v1b r089's peak, has no point to draw).
    best = next(r for r in outs.result["reps"] if r["index"] == outs.result["best_rep"])
    knee_known = outs.frames[_row_at(outs.frames, best["peak_s"])]["knee_x_px"] not in ("", "nan")
    assert any(ln.get_gid() == "detected-knee" for ln in ax.lines) == knee_known


# ---------------------------------------------------------------------------------------------
# annotated.mp4


def _video_frames_at(video: Path, indices: set[int]) -> dict[int, np.ndarray]:
    from ankle_cv.io.video_source import read_frames

    return {f.index: f.rgb for f in read_frames(video, keep=indices)}


def test_annotated_key_frames_draw_each_reps_heel_verdict(outs: Outputs) -> None:
    """At each rep's key frame (its peak, or a lifted rep's heel-up frame: _key_row) annotated.mp4's heel marker is red
    exactly when the rep's verdict is 'heel lifted' (grey: not checked)."""
    from ankle_cv.outputs.annotated_video import annotate, plan_for_video

    n = len(outs.frames)
    plan = plan_for_video(outs.analysis, outs.analysis.front_xy, np.arange(n) * outs.stride, outs.result["input"]["fps"])
    rows = {r["index"]: _key_row(outs, rep) for r, rep in zip(outs.result["reps"], outs.analysis.reps)}
    peaks = {i: int(outs.frames[row]["frame"]) for i, row in rows.items()}
    pictures = _video_frames_at(outs.video, set(peaks.values()))
    unit = max(min(outs.result["input"]["width"], outs.result["input"]["height"]) / 720.0, 0.3)
    bad = []
    for r in outs.result["reps"]:
        f = outs.frames[rows[r["index"]]]
        rgb = cv2.cvtColor(annotate(pictures[peaks[r["index"]]], peaks[r["index"]], plan), cv2.COLOR_BGR2RGB)
        if outs.name in CLIPS and r["index"] in (outs.result["best_rep"], outs.result["reps"][-1]["index"]):
            _keep(f"keyframe_{outs.name}_rep{r['index']}", rgb)
        if not f["heel_x_px"]:
            continue
        colour = vc.heel_colour(rgb, (float(f["heel_x_px"]), float(f["heel_y_px"])), max(3, round(6 * unit)))
        judged = r.get("heel_lift_source") not in ("hidden", "unread")  # not judged: drawn neither red nor green
        if colour != (("red" if r["heel_lifted"] else "green") if judged else "?"):
            bad.append(f"rep {r['index']}: heel drawn {colour}, verdict heel_lifted={r['heel_lifted']}")
    assert bad == []


def test_annotated_video_keeps_the_source_frame_rate(request: pytest.FixtureRequest,
                                                     tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """Every source frame is written at the source rate; between analysed frames the overlay is held."""
    from ankle_cv.io.video_source import read_frames
    from ankle_cv.outputs.annotated_video import write_annotated_video

    o = _outputs("right", request, tmp_path_factory)
    n = len(o.frames)
    out = tmp_path / "annotated.mp4"
    write_annotated_video(read_frames(o.video), out, o.result["input"]["fps"], o.analysis, o.analysis.front_xy,
                          np.arange(n) * o.stride)
    with av.open(str(out)) as c:
        stream = c.streams.video[0]
        rate = float(stream.average_rate)
        decoded = [fr.to_ndarray(format="rgb24") for fr in c.decode(stream)]
    assert rate == pytest.approx(o.result["input"]["fps"], rel=0.01)
    assert len(decoded) == o.result["input"]["frames"]
    best = next(r for r in o.result["reps"] if r["index"] == o.result["best_rep"])
    held = decoded[best["peak_frame"] + 1]  # not analysed: shows the peak's overlay (the banner's green)
    assert vc.colour_share(held, (0, 0, held.shape[1], held.shape[0] // 6), (30, 150, 60), tol=50) > 0.005


# ---------------------------------------------------------------------------------------------
# The report page


def _page(paths: list[Path], tmp: Path, earlier: list[tuple[Path, str]] | None = None, paper: str = "a4") -> tuple[Figure, str]:
    """make_report's page figure (as saved) and its words."""
    from ankle_cv.history import store
    from ankle_cv.report import writer

    db = None
    if earlier:
        db = tmp / "history.sqlite"
        for path, date in earlier:
            store.add_result_file(db, path, "P-1", date)
    saved: list[Figure] = []
    real = writer.build_page
    mp = pytest.MonkeyPatch()
    mp.setattr(writer, "build_page", lambda *a, **k: saved.append(real(*a, **k)) or saved[-1])
    try:
        # A fixed report date: docs/visual keeps these pictures, and a run on another day must not redraw them.
        writer.make_report(paths, tmp / "report.pdf", "P-1" if earlier else None, None, None, db, paper, force=True,
                           today=REPORT_DATE)
    finally:
        mp.undo()
    return saved[-1], vc.all_text(saved[-1])


@pytest.fixture()
def legs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Outputs, Outputs]:
    return _outputs("left_heel", request, tmp_path_factory), _outputs("right", request, tmp_path_factory)


def _earlier_visit(o: Outputs, tmp: Path) -> Path:
    """A copy of a result 2° lower, as if from an earlier visit."""
    doc = json.loads((o.folder / "result.json").read_text())
    for block in (doc["result"], *doc["legs"].values()):  # both angles: the trend draws the inclinometer-equivalent one
        for key in ("tibial_inclination_deg", "inclinometer_equivalent_deg"):
            if block.get(key) is not None:
                block[key] -= 2.0
    (tmp / f"earlier_{o.name}").mkdir()
    path = tmp / f"earlier_{o.name}" / "result.json"
    path.write_text(json.dumps(doc))
    return path


def _key_frame_heights_in(fig: Figure) -> list[float]:
    return [ax.get_window_extent().height / fig.dpi for ax in fig.axes if ax.images]


def test_report_page_in_margins_without_overlaps(legs: tuple[Outputs, Outputs], tmp_path: Path) -> None:
    for paper in ("a4", "letter"):
        fig, _ = _page([legs[0].folder, legs[1].folder], tmp_path, paper=paper)
        if paper == "a4":
            _keep("report_two_legs", fig)
        assert vc.texts_outside(fig, margin_px=0.3 * fig.dpi) == []
        assert vc.overlapping_texts(fig) == []


def test_report_method_and_scale_per_result_in_any_order(legs: tuple[Outputs, Outputs], tmp_path: Path) -> None:
    _, lr = _page([legs[0].folder, legs[1].folder], tmp_path)
    _, rl = _page([legs[1].folder, legs[0].folder], tmp_path)
    for o in legs:
        side = o.result["side"]
        method = o.result["scale"]["method"]
        for words in (lr, rl):
            assert f"{side} leg: scale {method}" in words, f"{side}: scale {method} not stated"


def test_report_and_fhir_state_the_heel_rule_used(legs: tuple[Outputs, Outputs], tmp_path: Path) -> None:
    from ankle_cv.export.fhir import method_text
    from ankle_cv.results.types import Result

    _, words = _page([legs[0].folder, legs[1].folder], tmp_path)
    for o in legs:
        if {r["heel_lift_source"] for r in o.result["reps"]} == {"image"}:
            rule = f"heel lift ≥ {percent_text(o.result['settings']['heel_edge_ratio'])}% of foot length (image)"
            assert rule in words
            assert rule in method_text(Result.from_json((o.folder / "result.json").read_text()))
            assert f"≥ {percent_text(o.result['settings']['heel_lift_ratio'])}% of foot length (silhouette)" not in words


def test_report_with_history_keeps_the_rep_list_and_key_frames(legs: tuple[Outputs, Outputs], tmp_path: Path) -> None:
    paths = [legs[0].folder, legs[1].folder]
    plain, _ = _page(paths, tmp_path)
    fig, words = _page(paths, tmp_path, [(_earlier_visit(o, tmp_path), "2026-01-10") for o in legs])
    _keep("report_with_history", fig)
    assert "PROGRESS OVER VISITS" in words and "REPS" in words  # the rep list stays beside the trend ...
    listed = [f"{o.result['side'].capitalize()} rep {r['index']}" in words for o in legs for r in o.result["reps"]]
    assert all(listed) or (listed[0] and "every rep is in result.json" in words)  # ... cut, and saying so, only when tight
    # The trend costs the key frames height: they keep the frame's proportions and at least the page's minimum (1.3 in).
    assert min(_key_frame_heights_in(fig)) >= 1.3, "key frames squashed"
    assert vc.overlapping_texts(fig) == []
    assert vc.texts_outside(fig, margin_px=0.3 * fig.dpi) == []


def test_report_toes_distance_is_the_measured_one(request: pytest.FixtureRequest,
                                                  tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    o = _outputs("both_legs", request, tmp_path_factory)
    fig, words = _page([o.folder], tmp_path)
    _keep("report_both_legs", fig)
    measured = {s: leg["toe_to_wall_cm"] for s, leg in o.result["scale"]["legs"].items() if leg.get("toe_to_wall_cm") is not None}
    assert measured, "the sheet measured no toes"
    for side, cm in measured.items():
        assert f"toes at {cm:.1f} cm" in words, f"{side}: the measured {cm} cm is not shown"


def test_report_names_each_reps_verdict_as_the_result_does(outs: Outputs, tmp_path: Path) -> None:
    """The report of this one result lists every rep with its result.json verdict (or says where the rest are), its key
    frame names the result's best rep, and its text stays in the margins without overlaps."""
    fig, words = _page([outs.folder], tmp_path)
    listed = 0
    for r in outs.result["reps"]:
        line = f"{r['side'].capitalize()} rep {r['index']} ({r['peak_s']:.1f} s):"
        if line not in words:
            continue
        listed += 1
        tail = re.split(r" (?:Left|Right) rep \d+ \(", words.split(line, 1)[1])[0]  # up to the next rep's line
        verdict = "valid" if r["valid"] else "invalid: " + vc.normalise(r["invalid_reasons"][0])[:30]
        assert verdict in tail, f"rep {r['index']}: {verdict!r} not written beside it"
    assert listed == len(outs.result["reps"]) or (listed >= 1 and "every rep is in result.json" in words)
    best = outs.result["best_rep"]
    if best is not None:
        assert f"rep {best} at " in words, "the key frame is not the result's best rep"
        # its heel drawn as its verdict, as annotated.mp4 draws it (it was green beside "heel not checked")
        verdict = next(r["heel_lifted"] for r in outs.result["reps"] if r["index"] == best)
        want = "not checked" if verdict is None else "up" if verdict else "down"
        drawn = [ln.get_gid() for a in fig.axes for ln in a.lines if str(ln.get_gid()).startswith("heel")]
        assert not drawn or f"heel-{want}" in drawn, (drawn, want)
    assert vc.texts_outside(fig, margin_px=0.3 * fig.dpi) == []
    assert vc.overlapping_texts(fig) == []
