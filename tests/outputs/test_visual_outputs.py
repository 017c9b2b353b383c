"""The annotated video and the summary PNG, written from a tiny synthetic clip (fast, no pose model)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest

from ankle_cv.io.video_source import Frame
from ankle_cv.outputs import annotated_video, summary_plot
from ankle_cv.outputs.annotated_video import write_annotated_video
from ankle_cv.outputs.summary_plot import write_summary_png
from ankle_cv.pose.landmarks import LEG_INDEX, NOSE, PoseSeries
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.settings import Settings

N_FRAMES = 60
FPS = 12.0  # 60 frames = 5 s: two unhurried reps (quick swings are rejected as not knee-to-wall)
WIDTH_PX, HEIGHT_PX = 160, 120
SHANK_PX = 35.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _knee_angles_deg(n: int) -> np.ndarray:
    """Two forward lunges: the shin tilts from 5 deg to 40 deg and back, twice."""
    return 5.0 + 35.0 * np.sin(np.pi * np.arange(n) / (n / 2)) ** 2


def _heel_rise_px(n: int) -> np.ndarray:
    """The heel comes up by 5 px around the second rep's peak (an invalid rep), else stays down."""
    i = np.arange(n)
    return np.where(np.abs(i - 3 * n // 4) <= n // 12, 5.0, 0.0)


def _leg_points(
    ankle: tuple[float, float], angle_deg: np.ndarray, heel_rise_px: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """(N, 2) tracks of one leg facing image-right with the shin at the given inclination."""
    n = angle_deg.shape[0]
    a = np.tile(np.asarray(ankle, float), (n, 1))
    rad = np.radians(angle_deg)
    knee = a + SHANK_PX * np.stack([np.sin(rad), -np.cos(rad)], axis=1)
    heel = a + np.array([-7.0, 5.0])
    if heel_rise_px is not None:
        heel[:, 1] -= heel_rise_px
    return {"ankle": a, "knee": knee, "hip": knee + np.array([-6.0, -36.0]), "heel": heel, "toe": a + np.array([16.0, 5.0])}


def synthetic_series(angle_deg: np.ndarray, heel_rise_px: np.ndarray | None = None) -> PoseSeries:
    """A side-view person facing right: front (right) leg lunging, back (left) leg still."""
    n = angle_deg.shape[0]
    series = PoseSeries.empty(n, WIDTH_PX, HEIGHT_PX)
    series.times_s[:] = np.arange(n) / FPS
    series.people[:] = 1
    front = _leg_points((95.0, 100.0), angle_deg, heel_rise_px)
    back = _leg_points((55.0, 100.0), np.full(n, 10.0))
    back["hip"] = front["hip"] + np.array([1.0, 0.0])  # hips overlap in a true side view
    for side, leg in (("right", front), ("left", back)):
        for name, track in leg.items():
            series.image_xy[:, LEG_INDEX[side][name]] = track
    series.image_xy[:, NOSE] = front["hip"] + np.array([12.0, -45.0])
    series.visibility[:] = 0.99
    series.world_xyz[:] = 0.0
    return series


def synthetic_frames(n: int, width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX) -> list[Frame]:
    """Frames with a soft gradient and a moving block, so content (not just overlay) changes."""
    yy, xx = np.mgrid[0:height_px, 0:width_px]
    base = np.stack([60 + xx * 100 // width_px, 80 + yy * 100 // height_px, np.full_like(xx, 120)], axis=-1).astype(np.uint8)
    frames = []
    for i in range(n):
        rgb = base.copy()
        x = (i * 2) % (width_px - 20)
        rgb[height_px // 2 - 8:height_px // 2 + 8, x:x + 16] = (200, 190, 170)
        frames.append(Frame(i, i / FPS, rgb))
    return frames


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    """A real Analysis of the synthetic lunges (landmarks only, no silhouette)."""
    series = synthetic_series(_knee_angles_deg(N_FRAMES), _heel_rise_px(N_FRAMES))
    result = analyze_series(series, FPS, Settings(use_silhouette=False))
    assert len(result.reps) == 2, "the synthetic clip should hold two reps"
    assert result.best_rep is not None, f"the synthetic clip should have a valid rep: {result.no_measurement_reason}"
    return result


@pytest.fixture(scope="module")
def no_rep_analysis() -> Analysis:
    """An Analysis with no rep at all (the shin never moves)."""
    result = analyze_series(synthetic_series(np.full(N_FRAMES, 6.0)), FPS, Settings(use_silhouette=False))
    assert result.best_rep is None and result.no_measurement_reason
    return result


def _leg_tracks() -> dict[str, np.ndarray]:
    """The front leg's points as the caller passes them."""
    return _leg_points((95.0, 100.0), _knee_angles_deg(N_FRAMES), _heel_rise_px(N_FRAMES))


def _write_video(frames, out: Path, analysis: Analysis, progress=None) -> None:
    """write_annotated_video with the synthetic front leg."""
    leg = _leg_tracks()
    write_annotated_video(frames, out, FPS, analysis, leg, np.arange(analysis.frames.times_s.size), progress)


def _decode(path: Path) -> tuple[str, list[np.ndarray], list[float], tuple[int, int]]:
    """Codec name, RGB frames, frame times and size of an mp4."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        size = (stream.codec_context.width, stream.codec_context.height)
        frames, times = [], []
        for frame in container.decode(stream):
            frames.append(frame.to_ndarray(format="rgb24"))
            times.append(float(frame.time))
    return codec, frames, times, size


def test_video_is_h264_with_every_frame(tmp_path: Path, analysis: Analysis) -> None:
    """The mp4 opens with PyAV: h264, one frame per input frame at the input times, overlay drawn."""
    source = synthetic_frames(N_FRAMES)
    out = tmp_path / "annotated.mp4"
    counts: list[int] = []
    _write_video(iter(source), out, analysis, counts.append)
    codec, frames, times, size = _decode(out)
    assert codec == "h264"
    assert size == (WIDTH_PX, HEIGHT_PX)
    assert len(frames) == N_FRAMES
    assert counts == list(range(1, N_FRAMES + 1))
    assert np.allclose(times, [f.time_s for f in source], atol=1e-3)
    for k in (0, N_FRAMES // 4, N_FRAMES - 1):
        assert frames[k].std() > 10, f"frame {k} is blank"
        diff = np.abs(frames[k].astype(int) - source[k].rgb.astype(int)).mean(axis=2)
        assert (diff > 40).mean() > 0.02, f"frame {k} has no visible overlay"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotated.mp4"]


def test_video_odd_size_and_irregular_times(tmp_path: Path, analysis: Analysis) -> None:
    """Odd frame sizes are padded to even; irregular (VFR) frame times are kept."""
    times_s = np.cumsum(np.where(np.arange(N_FRAMES) % 3 == 0, 0.05, 0.03))
    source = [Frame(f.index, float(t), f.rgb) for f, t in zip(synthetic_frames(N_FRAMES, 161, 121), times_s)]
    out = tmp_path / "odd.mp4"
    _write_video(source, out, analysis)
    codec, frames, times, size = _decode(out)
    assert codec == "h264" and size == (162, 122) and len(frames) == N_FRAMES
    assert np.allclose(np.array(times) - times[0], times_s - times_s[0], atol=1e-3)


def test_video_interrupted_leaves_nothing(tmp_path: Path, analysis: Analysis) -> None:
    """Ctrl-C mid-way: neither the output nor a temporary file is left behind."""

    def frames_then_interrupt() -> Iterator[Frame]:
        yield from synthetic_frames(N_FRAMES)[:20]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _write_video(frames_then_interrupt(), tmp_path / "annotated.mp4", analysis)
    assert list(tmp_path.iterdir()) == []


def test_video_failure_keeps_previous_output(tmp_path: Path, analysis: Analysis) -> None:
    """A failed rewrite leaves an existing file untouched (the replace happens only on success)."""
    out = tmp_path / "annotated.mp4"
    out.write_bytes(b"previous")

    def broken() -> Iterator[Frame]:
        yield synthetic_frames(1)[0]
        raise RuntimeError("decoder died")

    with pytest.raises(RuntimeError, match="decoder died"):
        _write_video(broken(), out, analysis)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["annotated.mp4"]


def test_no_h264_encoder_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, analysis: Analysis) -> None:
    """Without any H.264 encoder the writer says so before touching the disk."""

    def no_codec(name: str, mode: str = "r"):
        raise av.codec.codec.UnknownCodecError(name)

    monkeypatch.setattr(annotated_video.av.codec, "Codec", no_codec)
    with pytest.raises(RuntimeError, match="no H.264 encoder"):
        _write_video(synthetic_frames(2), tmp_path / "x.mp4", analysis)
    assert list(tmp_path.iterdir()) == []


def _png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk, after checking the signature."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _peak_points(analysis: Analysis) -> tuple[int, dict[str, np.ndarray]]:
    """Frame index and overlay points at the best rep's peak."""
    best = next(r for r in analysis.reps if r.index == analysis.best_rep)
    leg = _leg_tracks()
    return best.peak_frame, {name: track[best.peak_frame] for name, track in leg.items()}


def test_summary_png(tmp_path: Path, analysis: Analysis) -> None:
    """A valid 1600x800 PNG with the frame panel, written atomically."""
    k, points = _peak_points(analysis)
    out = tmp_path / "summary.png"
    write_summary_png(out, analysis, synthetic_frames(N_FRAMES)[k].rgb, points)
    assert _png_size(out) == (1600, 800)
    assert [p.name for p in tmp_path.iterdir()] == ["summary.png"]


def test_summary_png_without_measurement_or_frame(tmp_path: Path, no_rep_analysis: Analysis) -> None:
    """No valid rep and no frame: still a full-size PNG, and the reason is given in words."""
    out = tmp_path / "summary.png"
    write_summary_png(out, no_rep_analysis, None, None)
    assert _png_size(out) == (1600, 800)
    lines = summary_plot.result_lines(no_rep_analysis)
    assert any(no_rep_analysis.no_measurement_reason in line for line in lines)
    assert "no valid measurement" in summary_plot.headline(no_rep_analysis)


def _reference_drawn(analysis: Analysis) -> bool:
    """Whether the summary figure draws the norms' reference line under its words."""
    fig = summary_plot.build_figure(analysis, None, None)
    return any(t.get_gid() == "reference" and t.get_text() for ax in fig.axes for t in ax.texts)


def test_summary_png_leaves_the_norms_out_under_a_not_a_test_refusal(no_rep_analysis: Analysis) -> None:
    """A squat refused as not a knee-to-wall test gets no norms' reference (analyze's printout leaves it out too)."""
    from ankle_cv.protocol.movement import NOT_TEST

    refused = replace(no_rep_analysis, no_measurement_reason=f"{NOT_TEST}: the feet stay side by side in 100% of frames")
    assert _reference_drawn(no_rep_analysis)  # no rep in a test-like clip: the norms still say what a rep is judged on
    assert not _reference_drawn(refused)

    def cut_offs(a: Analysis) -> int:  # nor the plot's 35 / 38° lines (running_side_portrait's plot drew them)
        return sum(ln.get_gid() == "cut-off" for ax in summary_plot.build_figure(a, None, None).axes for ln in ax.lines)

    assert cut_offs(no_rep_analysis) == 2 and cut_offs(refused) == 0


def test_summary_text_reports_result(analysis: Analysis) -> None:
    """The words name the best angle, the category and the valid/total count."""
    best = next(r for r in analysis.reps if r.index == analysis.best_rep)
    text = "\n".join(summary_plot.result_lines(analysis))
    assert f"{best.tibial_inclination_deg:.1f}°" in text
    assert f"Category: {analysis.legs[best.side].category or 'none'}" in text
    assert "joint-centre" in text and "inclinometer-equivalent" in text  # both angles, named
    valid = sum(r.valid for r in analysis.reps)
    assert f"{valid} valid of {len(analysis.reps)}" in text


def test_summary_text_gives_the_knee_to_wall_distance_with_or_without_the_equivalent(analysis: Analysis) -> None:
    """README: with a scale the knee-to-wall distance leads summary.png as it does the printout; the figure gave only
    the equivalent, and nothing in cm when the toe was hidden (random_v6 r003: knee to wall 0.0 +- 5.9 cm)."""
    from ankle_cv.protocol.centimetre_types import Centimetres, RepCentimetres

    def with_cm(equivalent: float | None) -> Analysis:
        rep = RepCentimetres(index=analysis.best_rep or 0, knee_to_wall_cm=0.0, knee_past_toe_cm=None,
                             equivalent_toe_to_wall_cm=equivalent, heel_lift_mm=None, uncertainty_cm=5.9,
                             equivalent_uncertainty_cm=None if equivalent is None else 1.2, touches_wall=True)
        cm = Centimetres(method="marker", legs={}, reps={rep.index: rep}, knee_to_wall_cm=np.zeros(N_FRAMES),
                         toe_to_wall_cm={}, toe_to_wall_source="marker")
        return replace(analysis, centimetres=cm)

    def result_line(a: Analysis) -> str:
        return " ".join(" ".join(summary_plot.result_lines(a, max_lines=10_000, wrap_chars=10_000)[:1]).split())

    hidden = result_line(with_cm(None))
    assert "knee to wall 0.0 ± 5.9 cm (1 σ)" in hidden and "toe-to-wall" not in hidden
    both = result_line(with_cm(8.3))
    assert both.index("8.3 ± 1.2 cm (1 σ) toe-to-wall") < both.index("knee to wall 0.0 ± 5.9 cm (1 σ)")
    assert "knee to wall" not in result_line(analysis)  # no scale: no centimetre


def test_summary_text_keeps_every_warning_when_short_of_room(analysis: Analysis) -> None:
    """Too many long warnings for the panel: each still shows its opening words (the last is often the one that matters,
    e.g. no wall located) rather than the last ones being cut."""
    warnings = tuple(f"warning number {i}: " + "a long explanation of what happened and what to do about it " * 3 for i in range(7))
    room = len(summary_plot.result_lines(analysis, ("short",), max_lines=10_000)) - 1 + len(warnings)  # a line each
    assert len(summary_plot.result_lines(analysis, warnings, max_lines=10_000)) > room  # whole, they do not fit
    lines = summary_plot.result_lines(analysis, warnings, max_lines=room)
    assert len(lines) <= room
    text = " ".join(lines)
    assert all(f"warning number {i}:" in text for i in range(7))


@pytest.mark.parametrize(("opening", "count", "room", "wrap_chars"), [
    # random_v11 r010: two legs, nine warnings, two to a line left three unseen; a long word in each opening
    ("the heel lift of rep {i} was not checked (heel_lift_source_unread_long_token): ", 9, 3, 180),
    # random_v17 r005: two legs, twelve warnings at the smallest font's width; the packed line's indent not counted
    # left two to a line
    ("left leg: the toe tip found lies {i}.8 cm behind where average foot proportions put it, ", 12, 4, 173),
])
def test_summary_text_keeps_each_warnings_opening_three_to_a_line(analysis: Analysis, opening: str, count: int, room: int,
                                                                  wrap_chars: int) -> None:
    """Long warnings with room for a third as many lines: three to a line, each keeps its first 40 characters (even
    through a long word), no line wider than the panel."""
    warnings = tuple(opening.format(i=i) + "a long explanation of what happened " * 3 for i in range(count))
    head = len(summary_plot.result_lines(analysis, ("short",), max_lines=10_000)) - 1
    lines = summary_plot.result_lines(analysis, warnings, max_lines=head + room, wrap_chars=wrap_chars)
    text = " ".join(" ".join(lines).split())
    assert len(lines) <= head + room
    assert all(" ".join(w.split())[:40] in text for w in warnings)
    assert all(len(line) <= wrap_chars for line in lines)


def test_summary_text_fits_the_rep_count_beside_the_reps_line_before_cutting_a_warning(analysis: Analysis) -> None:
    """Many reps and long warnings on a tight panel (random render r069: two legs, four warnings): one rep line and the
    count of the rest on the "Reps:" line leave room for every warning's opening words; none is cut."""
    reps = [replace(r, index=i + 1) for i, r in enumerate(list(analysis.reps) * 3)]
    many = replace(analysis, reps=reps, best_rep=next(r.index for r in reps if r.valid))
    warnings = tuple(f"warning number {i}: " + "a long explanation of what happened and what to do about it " * 3 for i in range(4))
    full = summary_plot.result_lines(many, warnings, max_lines=10_000)
    head = next(i for i, line in enumerate(full) if line.startswith("Reps:"))
    room = head + 2 + len(warnings)  # the "Reps:" line, one rep's line, a shortened line per warning
    lines = summary_plot.result_lines(many, warnings, max_lines=room)
    text = " ".join(lines)
    assert len(lines) <= room
    assert all(f"warning number {i}:" in text for i in range(4)), "a warning was cut while the rep list could give way"
    assert "rep 1 (" in text and f"{len(reps) - 1} more rep lines in result.json" in text


def test_summary_reps_give_way_to_one_line_holding_the_count_and_one_rep(analysis: Analysis) -> None:
    """Room for one rep line only (random_v17 r005: two legs, a two-line asymmetry, twelve warnings): the "Reps:" count,
    the count of the rest and one rep with its verdict share that line; below it nothing of the reps is cut further."""
    reps = [replace(r, index=i + 1) for i, r in enumerate(list(analysis.reps) * 2)]
    rep_words = summary_plot._rep_words(replace(analysis, reps=reps, best_rep=next(r.index for r in reps if r.valid)))
    lines = summary_plot._reps_within(rep_words, 1, 173)
    assert len(lines) == 1 and len(lines[0]) <= 173
    assert lines[0].startswith("Reps:") and f"{len(reps) - 1} more rep lines in result.json" in lines[0]
    assert "rep 1 (" in lines[0] and lines[0].rstrip().endswith(("valid", ")"))
    assert len(summary_plot._reps_within(rep_words, 1, 60)) > 1  # too narrow for one line: as before, never cut mid-rep


def test_summary_line_is_drawn_at_the_printed_angle_when_the_key_frame_reads_otherwise(analysis: Analysis) -> None:
    """The key frame's own reading 2° off the rep's (the hold's median; random renders r033, r064: 1.2-1.6°): the amber
    line is turned about the ankle to the printed number, the detected knee left where it was."""
    from ankle_cv.kinematics.shank import inclination_deg

    k, _ = _peak_points(analysis)
    frame_deg = float(analysis.frames.tibial_inclination_deg[k])
    best = next(r for r in analysis.reps if r.index == analysis.best_rep)
    moved = replace(analysis, reps=[replace(r, tibial_inclination_deg=frame_deg + 2.0) if r.index == best.index else r
                                    for r in analysis.reps])
    points = {name: track[k] for name, track in analysis.front_xy.items()}
    assert {"ankle_anchor", "shin_top"} <= set(points)
    facing = 1 if analysis.facing == "right" else -1
    stored = float(inclination_deg(points["shin_top"][None], points["ankle_anchor"][None], facing)[0])
    assert stored == pytest.approx(frame_deg, abs=0.1)  # the stored line is the frame's own reading
    fig = summary_plot.build_figure(moved, synthetic_frames(N_FRAMES)[k].rgb, points)
    ax = next(a for a in fig.axes if a.images)
    line = next(ln for ln in ax.lines if ln.get_gid() == "measured-shin")
    ankle, top = (np.array([line.get_xdata()[j], line.get_ydata()[j]], float) for j in (0, 1))
    assert float(inclination_deg(top[None], ankle[None], facing)[0]) == pytest.approx(frame_deg + 2.0, abs=0.05)
    assert np.allclose(ankle, points["ankle_anchor"])
    knee = next(ln for ln in ax.lines if ln.get_gid() == "detected-knee")
    assert np.allclose([knee.get_xdata()[0], knee.get_ydata()[0]], points["knee"])


def test_summary_text_pairs_short_warnings_before_cutting_one(analysis: Analysis) -> None:
    """Six warnings and a line each too many (random render r025, two legs): two to a line, each its opening words,
    rather than the last three cut."""
    warnings = tuple(f"warning number {i}: " + "a long explanation of what happened and what to do about it " * 3 for i in range(6))
    full = summary_plot.result_lines(analysis, warnings, max_lines=10_000)
    head = next(i for i, line in enumerate(full) if line.startswith("Reps:"))
    room = head + 2 + 3  # the "Reps:" line, one rep's line, the six warnings two to a line
    lines = summary_plot.result_lines(analysis, warnings, max_lines=room)
    text = " ".join(lines)
    assert len(lines) <= room
    assert all(f"warning number {i}:" in text for i in range(6)), "a warning was cut while they could share lines"


def test_summary_title_fits_the_figure(monkeypatch: pytest.MonkeyPatch, analysis: Analysis) -> None:
    """Two legs without a scale make a long headline (random render r009): a smaller font, never past the edges."""
    long = ("Knee-to-wall test: right 34.4° inclinometer-equivalent (restricted–normal); "
            "left 47.9° inclinometer-equivalent (normal)")
    monkeypatch.setattr(summary_plot, "headline", lambda a: long)
    fig = summary_plot.build_figure(analysis, None, None)
    title = fig.get_suptitle()
    box = next(t for t in fig.texts if t.get_text() == title).get_window_extent(fig.canvas.get_renderer())
    assert title == long and 0 <= box.x0 and box.x1 <= fig.bbox.width


def test_summary_interrupted_leaves_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, analysis: Analysis) -> None:
    """Ctrl-C while the PNG is being saved: no output, no temporary file."""

    def partial_save(self, fname, **kwargs):
        Path(fname).write_bytes(PNG_SIGNATURE)
        raise KeyboardInterrupt

    monkeypatch.setattr(summary_plot.Figure, "savefig", partial_save)
    with pytest.raises(KeyboardInterrupt):
        write_summary_png(tmp_path / "summary.png", analysis, None, None)
    assert list(tmp_path.iterdir()) == []


def test_banner_covers_best_peak(analysis: Analysis) -> None:
    """The best-rep banner shows at the best rep's peak and for at least ~1 s, never outside the rep."""
    best = next(r for r in analysis.reps if r.index == analysis.best_rep)
    plan = annotated_video.plan_overlay(analysis, _leg_tracks(), FPS)
    shown = np.nonzero(plan.banner_rep == best.index)[0]
    assert plan.banner_rep[best.peak_frame] == best.index
    assert set(np.unique(plan.banner_rep)) == {0, best.index}, "one leg tested: only its best rep has a banner"
    assert shown.min() >= best.start_frame and shown.max() <= best.end_frame
    assert shown.size >= min(math.ceil(annotated_video.MIN_BANNER_S * FPS), best.end_frame - best.start_frame + 1)


def test_text_with_degree_sign_draws(analysis: Analysis) -> None:
    """The degree sign (absent from Hershey fonts) is drawn by hand, not as '?'."""
    img = np.zeros((60, 200, 3), np.uint8)
    width = annotated_video.draw_text(img, "38.2°", 5, 40, 1.0, (255, 255, 255), 2)
    plain = annotated_video.text_size("38.2", 1.0, 2)[0]
    assert width > plain
    assert img[:, 5 + plain:5 + width].any(), "nothing drawn where the degree ring should be"


def _lifted_after_its_peak(analysis: Analysis) -> Analysis:
    """The synthetic clip with every rep invalid and rep 2's heel judged lifted (image reading) over a run in its hold that
    ends before its peak, as random_v3 r018 rep 2 (up over frames 75-89 of its hold 73-92, peak 91)."""
    from ankle_cv.enums import HeelSource

    rep = analysis.reps[1]
    run = np.arange(rep.start_frame + 1, rep.peak_frame - 1)
    lifted = np.zeros(analysis.frames.heel_lifted.size, bool)
    lifted[run] = True
    rise = np.where(lifted, 0.05, 0.0)
    rise[run[len(run) // 2]] = 0.08  # the run's highest reading
    reps = [replace(r, valid=False, invalid_reasons=("heel lifted in the hold",) if r.index == rep.index else ("slow",),
                    heel_lifted=r.index == rep.index, heel_lift_source=HeelSource.IMAGE) for r in analysis.reps]
    frames = replace(analysis.frames, heel_lifted=lifted, heel_rise_ratio=rise)
    reps = [r if r.index == rep.index else replace(r, tibial_inclination_deg=r.tibial_inclination_deg - 10) for r in reps]
    return replace(analysis, reps=reps, best_rep=None, frames=frames)


def test_a_lifted_rep_is_pictured_heel_up_and_every_heel_as_its_frame_reads(analysis: Analysis) -> None:
    """summary.png pictures a lifted rep at its heel-up run's highest reading (not its peak, where the heel was already
    down) and draws that heel red; it drew a green heel at the peak of every rep, whatever the verdict."""
    from ankle_cv.outputs.key_frame import heel_drawn, rep_key_frame, shown_frame

    lifted = _lifted_after_its_peak(analysis)
    rep, frame = shown_frame(lifted)
    assert rep is not None and rep.index == 2 and frame is not None
    assert frame != rep.peak_frame and lifted.frames.heel_rise_ratio[frame] == 0.08
    assert heel_drawn(rep, lifted.frames.heel_lifted, frame) == "up"
    leg = _leg_tracks()
    fig = summary_plot.build_figure(lifted, synthetic_frames(N_FRAMES)[frame].rgb, {k: v[frame] for k, v in leg.items()})
    picture = next(a for a in fig.axes if a.images)
    assert [ln.get_gid() for ln in picture.lines if str(ln.get_gid()).startswith("heel")] == ["heel-up"]
    assert picture.get_title() == f"No valid rep (rep 2, {lifted.frames.times_s[frame]:.1f} s, heel up)"
    # the longest such title stays on the figure (random_v3 r012's "..., heel not checked)" began left of it)
    from ankle_cv.enums import HeelSource
    from tests.outputs.visual_checks import texts_outside

    unread = replace(lifted, reps=[replace(r, heel_lift_source=HeelSource.UNREAD) for r in lifted.reps])
    fig = summary_plot.build_figure(unread, synthetic_frames(N_FRAMES)[frame].rgb, {k: v[frame] for k, v in leg.items()})
    assert next(a for a in fig.axes if a.images).get_title().endswith("heel not checked)")
    assert texts_outside(fig) == []
    down = analysis.reps[0]  # a rep judged down is pictured at its peak; an unjudged heel is grey ('not checked')
    assert rep_key_frame(down, analysis.frames.heel_lifted, analysis.frames.heel_rise_ratio) == down.peak_frame
    assert heel_drawn(down, np.zeros(N_FRAMES, bool), down.peak_frame) == (
        "not checked" if not down.heel_lift_source.judged else "down")
