"""`ankle-cv validate`: statistics on hand-made numbers, rep matching, truth parsing, the cache, and one end-to-end run."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.errors import InputError, OutputError
from ankle_cv.pose.cache import cache_file, cache_key, load_cached, store_cached
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.results.types import Result
from ankle_cv.validation.evaluate import (
    OurRep,
    TruthFormatError,
    TruthRep,
    error_stats,
    evaluate_clip,
    heel_confusion,
    match_reps,
    summarize,
    truth_from_json,
)
from ankle_cv.validation.run import find_labelled_clips, read_truth
from tests.conftest import REPO, SAMPLES
from tests.result_factory import as_result


def truth_rep(index: int, peak: int, side: str = "right", deg: float = 40.0, heel_mm: float = 0.0,
              k2w: float | None = None) -> TruthRep:
    return TruthRep(index, side, (peak - 25) / 30, peak / 30, (peak + 25) / 30, deg, heel_mm, heel_mm, k2w)


def our_rep(index: int, peak: int, side: str = "right", deg: float | None = 40.0, base: float | None = 35.0,
            heel: bool = False, k2w: float | None = None) -> OurRep:
    return OurRep(index, side, peak, peak / 30, deg, base, heel, True, k2w)


def truth_doc(reps: list[dict], legs: list[str], marker: bool = False, fps: float = 30.0) -> dict:
    return {"video": {"fps": fps, "frames": 400}, "subject": {"legs_tested": legs},
            "marker": {"placement": "side"} if marker else None, "reps": reps}


def truth_rep_doc(index: int, side: str, peak: int, deg: float, heel_mm: float = 0.0, k2w: float = 1.0) -> dict:
    return {"index": index, "tested_leg": side, "start_frame": peak - 40, "peak_frame": peak, "end_frame": peak + 40,
            "peak_time_s": peak / 30, "peak_tibial_inclination_deg": deg, "heel_height_mm_at_peak": heel_mm,
            "max_heel_height_mm": heel_mm, "knee_surface_to_wall_cm_at_peak": k2w}


def result_doc(reps: list[tuple[int, str, int, float, float, bool]], best: int | None = None,
               knee_to_wall_cm: float | None = None) -> Result:
    return as_result(result_dict(reps, best, knee_to_wall_cm))


def result_dict(reps: list[tuple[int, str, int, float, float, bool]], best: int | None = None,
                knee_to_wall_cm: float | None = None) -> dict:
    return {
        "side": reps[0][1] if reps else "right",
        "best_rep": best,
        "reps": [{"index": i, "side": s, "peak_frame": f, "peak_s": f / 30, "tibial_inclination_deg": d,
                  "landmark_inclination_deg": b, "heel_lifted": h, "valid": not h} for i, s, f, d, b, h in reps],
        "result": {"knee_to_wall_cm": knee_to_wall_cm},
        "legs": {},
    }


# ---------------------------------------------------------------------------------------------
# Statistics


def test_error_stats_by_hand() -> None:
    s = error_stats([1.0, -1.0, 2.0, 0.0, float("nan")])
    sd = math.sqrt(5.0 / 3.0)  # deviations from the mean 0.5: 0.5, -1.5, 1.5, -0.5
    assert s.n == 4
    assert s.mae == pytest.approx(1.0)
    assert s.bias == pytest.approx(0.5)
    assert s.sd == pytest.approx(sd)
    assert s.loa_low == pytest.approx(0.5 - 1.96 * sd)
    assert s.loa_high == pytest.approx(0.5 + 1.96 * sd)
    assert s.max_abs == pytest.approx(2.0)


def test_error_stats_with_too_few_values() -> None:
    one = error_stats([-3.0])
    assert (one.n, one.mae, one.bias, one.max_abs) == (1, 3.0, -3.0, 3.0)
    assert math.isnan(one.sd) and math.isnan(one.loa_low)
    none = error_stats([])
    assert none.n == 0 and math.isnan(none.mae)


def test_heel_confusion_matrix_and_grey_zone() -> None:
    mm = [12.0, 20.0, 8.0, 0.0, 1.9, 2.0, 5.0, 7.99]
    flagged = [True, False, True, True, False, False, True, False]
    c = heel_confusion(mm, flagged)
    assert (c.caught, c.missed, c.false_flags, c.clear) == (2, 1, 1, 2)
    assert (c.grey_flagged, c.grey_not_flagged) == (1, 1)
    assert c.catch_rate == pytest.approx(2 / 3)
    assert c.false_flag_rate == pytest.approx(1 / 3)
    assert math.isnan(heel_confusion([], []).catch_rate)


# ---------------------------------------------------------------------------------------------
# Matching


def test_matching_with_missed_extra_split_and_wrong_side_reps() -> None:
    truth = (truth_rep(1, 25), truth_rep(2, 85), truth_rep(3, 145))
    ours = (
        our_rep(1, 27),
        our_rep(2, 100),  # inside true rep 2, but farther from its peak than rep 3
        our_rep(3, 90),
        our_rep(4, 140, side="left"),  # at true rep 3's time, other leg
        our_rep(5, 200),  # nothing there
    )
    m = match_reps(truth, ours)
    assert [(t.index, o.index) for t, o in m.pairs] == [(1, 1), (2, 3)]
    assert [t.index for t in m.missed] == [3]
    reasons = {e.rep.index: e.reason for e in m.extra}
    assert set(reasons) == {2, 4, 5}
    assert "inside true rep 2" in reasons[2]
    assert "wrong side" in reasons[4]
    assert "no true rep" in reasons[5]


def test_matching_uses_time_from_the_first_frame() -> None:
    # 60 fps truth; ankle-cv sampled every 2nd frame (its frame indices are halved) and the video's
    # timestamps start at 0.5 s: only the time from the first frame lines the reps up
    truth = truth_from_json(truth_doc([truth_rep_doc(1, "left", 120, 36.0)], ["left"], fps=60.0))
    doc = result_dict([(1, "left", 60, 37.0, 30.0, False)])
    doc["reps"][0]["peak_s"] = 0.5 + 121 / 60
    result = as_result(doc)
    c = evaluate_clip("s", "s.mp4", truth, result, time_origin_s=0.5)
    assert len(c.rows) == 1 and c.rows[0].peak_dt_s == pytest.approx(1 / 60)
    late = evaluate_clip("s", "s.mp4", truth, result)  # without the origin the peak is 0.5 s later
    assert len(late.rows) == 1 and late.rows[0].peak_dt_s == pytest.approx(0.5 + 1 / 60)


def test_matching_nothing_found() -> None:
    m = match_reps((truth_rep(1, 25),), ())
    assert m.pairs == () and len(m.missed) == 1 and m.extra == ()


# ---------------------------------------------------------------------------------------------
# A clip scored from documents


def test_clip_with_both_legs_side_count_heel_and_knee_to_wall() -> None:
    truth = truth_from_json(truth_doc(
        [truth_rep_doc(1, "right", 60, 40.0, heel_mm=12.0), truth_rep_doc(2, "right", 160, 40.0, k2w=0.4),
         truth_rep_doc(3, "left", 260, 33.0), truth_rep_doc(4, "left", 360, 33.0, heel_mm=5.0)],
        ["right", "left"], marker=True,
    ))
    result = result_doc(
        [(1, "right", 62, 41.0, 30.0, True), (2, "right", 158, 39.0, 31.0, False),
         (3, "left", 261, 34.5, 33.0, False), (4, "left", 359, 32.5, 30.0, True)],
        best=2, knee_to_wall_cm=0.1,
    )
    c = evaluate_clip("both", "both.mp4", truth, result)
    assert c.side_correct and c.rep_count_exact
    assert [r.error_deg for r in c.rows] == pytest.approx([1.0, -1.0, 1.5, -0.5])
    assert [r.baseline_error_deg for r in c.rows] == pytest.approx([-10.0, -9.0, 0.0, -3.0])
    assert c.ours.mae == pytest.approx(1.0) and c.ours.max_abs == pytest.approx(1.5)
    assert (c.heel.caught, c.heel.clear, c.heel.grey_flagged) == (1, 2, 1)
    # the best rep carries the result's knee-to-wall distance; the others have none
    assert [r.knee_to_wall_error_cm for r in c.rows] == pytest.approx([None, -0.3, None, None])
    assert c.knee_to_wall.n == 1


def test_clip_with_wrong_side_and_extra_rep() -> None:
    truth = truth_from_json(truth_doc([truth_rep_doc(1, "left", 60, 36.0), truth_rep_doc(2, "left", 160, 36.0)], ["left"]))
    wrong = evaluate_clip("c", "c.mp4", truth, result_doc([(1, "right", 60, 36.0, 30.0, False), (2, "right", 160, 36.0, 30.0, False)]))
    assert not wrong.side_correct and not wrong.rep_count_exact
    assert wrong.rows == () and len(wrong.missed) == 2 and len(wrong.extra) == 2
    split = evaluate_clip("c", "c.mp4", truth, result_doc(
        [(1, "left", 60, 36.0, 30.0, False), (2, "left", 150, 36.0, 30.0, False), (3, "left", 180, 37.0, 30.0, False)]))
    assert split.side_correct and not split.rep_count_exact and len(split.rows) == 2 and len(split.extra) == 1
    # no marker: no knee-to-wall scoring even if a number were reported
    assert split.knee_to_wall.n == 0
    failed = evaluate_clip("c", "c.mp4", truth, None, error="cannot decode")
    assert not failed.side_correct and not failed.rep_count_exact and len(failed.missed) == 2


def test_targets_pass_fail_and_not_applicable() -> None:
    truth = truth_from_json(truth_doc([truth_rep_doc(1, "right", 60, 40.0), truth_rep_doc(2, "right", 160, 40.0)], ["right"]))
    good = evaluate_clip("g", "g.mp4", truth, result_doc([(1, "right", 60, 40.5, 30.0, False), (2, "right", 160, 39.8, 30.0, False)]))
    report = summarize([good])
    verdicts = {t.name.split(" ")[0] + t.name.split(" ")[1]: t.passed for t in report.targets}
    assert verdicts["peakinclination"] is True
    assert verdicts["heellift"] is None  # no lifted rep in the set
    assert verdicts["knee-to-wallwithin"] is None
    assert report.all_targets_met
    bad = evaluate_clip("b", "b.mp4", truth, result_doc([(1, "right", 60, 45.0, 30.0, False), (2, "right", 160, 40.0, 30.0, True)]))
    report = summarize([good, bad])
    failed = {t.name for t in report.targets if t.passed is False}
    assert any("MAE" in n for n in failed) and any("worse than" in n for n in failed) and any("≤ 2 mm" in n for n in failed)
    assert not report.all_targets_met
    assert report.ours.n == 4 and report.ours.max_abs == pytest.approx(5.0)


# ---------------------------------------------------------------------------------------------
# Truth files and folders


def test_sample_truth_files_parse() -> None:
    right = read_truth(SAMPLES / "k2w_right_synthetic.json")
    assert right.legs_tested == ("right",) and right.has_marker
    assert [r.peak_deg for r in right.reps] == pytest.approx([36.0, 40.0])
    left = read_truth(SAMPLES / "k2w_left_heel_lift_synthetic.json")
    assert left.legs_tested == ("left",) and not left.has_marker
    assert [r.heel_mm_at_peak for r in left.reps] == pytest.approx([0.0, 0.0, 12.0], abs=0.01)
    assert [c.name for c in find_labelled_clips(SAMPLES)] == ["k2w_left_heel_lift_synthetic", "k2w_right_synthetic"]


def test_heel_truth_is_the_hold_not_the_peak() -> None:
    """A heel up through the hold and down again by the renderer's later peak is a lift (random_v1 r074 rep 2); 2.0002 mm is 2."""
    rep = {**truth_rep_doc(1, "left", 200, 36.0, heel_mm=0.0), "hold_start_frame": 180, "hold_end_frame": 190}
    frames = [{"frame": f, "heel_height_mm": 25.0 if 178 <= f <= 192 else 0.0} for f in range(150, 250)]
    flat = {**truth_rep_doc(2, "left", 320, 36.0, heel_mm=2.0002), "hold_start_frame": 310, "hold_end_frame": 330}  # a 2 mm lift
    t = truth_from_json({**truth_doc([rep, flat], ["left"]), "frames": frames})
    assert [r.heel_mm_judged for r in t.reps] == [25.0, 2.0]  # no frames of rep 2's hold: its peak's, without render noise
    ours = result_doc([(1, "left", 200, 36.0, 30.0, True), (2, "left", 320, 36.0, 30.0, False)])
    rows = evaluate_clip("c", "c.mp4", t, ours).rows
    assert [(r.heel_class, r.heel_flagged) for r in rows] == [("lifted", True), ("down", False)]


def test_bad_truth_and_folders_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(TruthFormatError, match="peak_tibial_inclination_deg"):
        truth_from_json(truth_doc([{"tested_leg": "left", "start_frame": 0, "peak_frame": 5, "end_frame": 9}], ["left"]))
    with pytest.raises(InputError, match="no such folder"):
        find_labelled_clips(tmp_path / "absent")
    (tmp_path / "clip.mp4").write_bytes(b"x")
    with pytest.raises(InputError, match="clip.mp4: a file, not a folder"):  # a video given where DIR is asked
        find_labelled_clips(tmp_path / "clip.mp4")
    (tmp_path / "clip.mp4").unlink()
    (tmp_path / "a.mp4").write_bytes(b"")
    with pytest.raises(InputError, match="no labelled clips"):
        find_labelled_clips(tmp_path)
    (tmp_path / "a.json").write_text("{not json")
    with pytest.raises(InputError, match="a.json: not a JSON file"):
        find_labelled_clips(tmp_path)


def test_cli_exit_code_2_without_labelled_clips(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(tmp_path / "absent"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "no such folder" in res.output
    res = runner.invoke(main, ["validate", str(tmp_path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "same-stem .json" in res.output
    assert not (tmp_path / "o").exists()


def test_an_interrupted_or_failed_validation_leaves_the_folder_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C or an error while clips are scored: no new folder appears, an earlier one keeps its files."""
    import ankle_cv.validation.run as run

    clips = tmp_path / "clips"
    clips.mkdir()
    for suffix in (".mp4", ".json"):
        (clips / f"k2w_right_synthetic{suffix}").symlink_to(SAMPLES / f"k2w_right_synthetic{suffix}")

    def scoring(*_args: object, **_kwargs: object) -> None:
        (tmp_path / "started").touch()
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "validate_folder", scoring)
    runner = CliRunner()
    res = runner.invoke(main, ["validate", str(clips), "--out", str(tmp_path / "new")])
    assert (tmp_path / "started").exists() and res.exit_code == 130
    assert not (tmp_path / "new").exists()
    old = tmp_path / "old"
    old.mkdir()
    (old / "validation.json").write_text("earlier")
    (old / "table.md").write_text("earlier table")
    res = runner.invoke(main, ["validate", str(clips), "--out", str(old), "--force"])
    assert res.exit_code == 130
    assert sorted(p.name for p in old.iterdir()) == ["table.md", "validation.json"]  # no staging folder left either
    assert (old / "validation.json").read_text() == "earlier"


# ---------------------------------------------------------------------------------------------
# Cache


def tiny_series(n: int = 5) -> PoseSeries:
    s = PoseSeries.empty(n, 64, 48)
    s.times_s[:] = np.arange(n) / 30
    s.image_xy[:] = 7.0
    return s


def test_cache_key_follows_video_content_and_model(tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"abc")
    key = cache_key(video, "full")
    assert cache_key(video, "full") == key
    assert cache_key(video, "lite") != key
    os.utime(video, ns=(1_000_000_000, 1_000_000_000))
    assert cache_key(video, "full") == key  # touched or copied, same bytes: the landmarks are the same
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    (copy / "v.mp4").write_bytes(b"abc")
    assert cache_key(copy / "v.mp4", "full") == key
    video.write_bytes(b"abd")  # same size, other bytes
    assert cache_key(video, "full") != key
    assert cache_file(tmp_path / "c", video, "full").name.startswith("v.")


def test_cache_roundtrip_and_damaged_entry(tmp_path: Path) -> None:
    entry = tmp_path / "v.key.npz"
    assert load_cached(entry) is None
    store_cached(entry, tiny_series())
    back = load_cached(entry)
    assert back is not None and back.n_frames == 5 and np.all(back.image_xy == 7.0)
    assert [p.name for p in tmp_path.iterdir()] == ["v.key.npz"]  # no temporary file left
    entry.write_bytes(b"PK\x03\x04 truncated")
    assert load_cached(entry) is None


# ---------------------------------------------------------------------------------------------
# End to end on a sample render (runs the pose model once, then from the cache)


@pytest.mark.video
def test_validate_command_end_to_end_with_cache(tmp_path: Path) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    for suffix in (".mp4", ".json"):
        (clips / f"k2w_right_synthetic{suffix}").symlink_to(SAMPLES / f"k2w_right_synthetic{suffix}")
    out, cache = tmp_path / "out", tmp_path / "cache"

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ankle_cv.cli", "validate", str(clips), "--out", str(out),
                               "--cache", str(cache), *extra], capture_output=True, text=True, cwd=REPO, timeout=300)

    first = run()
    assert first.returncode == 0, first.stderr
    assert "tracking pose" in first.stderr
    assert "| ankle-cv | 2 |" in first.stdout and "### Targets" in first.stdout
    report = json.loads((out / "validation.json").read_text())
    overall = report["overall"]
    assert (overall["reps_true"], overall["reps_matched"], overall["side_correct_clips"]) == (2, 2, 1)
    with open(out / "reps.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2
    errors = [float(r["error_deg"]) for r in rows]
    assert errors == pytest.approx([float(r["ours_deg"]) - float(r["truth_deg"]) for r in rows], abs=1e-6)
    assert overall["ours"]["mae"] == pytest.approx(np.mean(np.abs(errors)), abs=1e-6)
    assert all(abs(e) < 6 for e in errors)  # the sample is measured, not merely scored
    assert (out / "bland_altman.png").read_bytes()[:4] == b"\x89PNG"
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left behind"
    assert len(list(cache.glob("*.npz"))) == 1

    again = run("--force", "--strict")
    assert "landmarks from cache" in again.stderr and "tracking pose" not in again.stderr
    assert json.loads((out / "validation.json").read_text())["overall"] == overall
    assert again.returncode == (0 if report["all_targets_met"] else 1), again.stderr
    refused = run()
    assert refused.returncode == 2 and "--force" in refused.stderr


def test_interval_coverage_is_scored_per_rep_and_as_a_target() -> None:
    truth = truth_from_json(truth_doc([truth_rep_doc(1, "right", 60, 40.0), truth_rep_doc(2, "right", 160, 40.0)], ["right"]))
    doc = result_dict([(1, "right", 60, 41.0, 30.0, False), (2, "right", 160, 43.0, 31.0, False)], best=1)
    doc["reps"][0]["tibial_inclination_ci95_deg"] = 1.5  # covers the +1.0 error
    doc["reps"][1]["tibial_inclination_ci95_deg"] = 1.5  # misses the +3.0 error
    c = evaluate_clip("ci", "ci.mp4", truth, as_result(doc))
    assert [r.covered for r in c.rows] == [True, False]
    target = next(t for t in summarize([c]).targets if "interval" in t.name)
    assert target.passed is False and target.value.startswith("1/2")


def test_a_cache_path_that_is_a_file_is_named_as_such(tmp_path: Path) -> None:
    """`--cache clip.mp4` (a file): the message says so, not the OS's 'File exists'."""
    from ankle_cv.pose.cache import prepare_cache_dir

    (tmp_path / "clip.mp4").write_bytes(b"x")
    with pytest.raises(OutputError, match="clip.mp4: the cache path is a file, not a folder"):
        prepare_cache_dir(tmp_path / "clip.mp4")
    prepare_cache_dir(tmp_path / "cache" / "sub")  # a new folder is made, parents too
    assert (tmp_path / "cache" / "sub").is_dir()
