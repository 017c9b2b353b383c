"""`ankle-cv batch`: inputs, resuming, the tables, a dying worker, and a real folder locally and on a Dask LocalCluster."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ankle_cv.batch.inputs import find_videos, output_names
from ankle_cv.batch.job import MeasureOptions, VideoJob, VideoOutcome
from ankle_cv.batch.local_pool import run_local
from ankle_cv.batch.plan import patient_id_rule, plan_batch
from ankle_cv.batch.table import VideoRecord, leg_rows, write_tables
from ankle_cv.errors import InputError
from ankle_cv.results.types import Result
from ankle_cv.settings import Settings
from tests.conftest import REPO, SAMPLES
from tests.result_factory import BASE, as_result


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_folders_give_videos_only_and_skip_outputs(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    a = _touch(clinic / "P01" / "left.mp4")
    b = _touch(clinic / "P02" / "left.MOV")
    _touch(clinic / "P02" / "notes.txt")
    _touch(clinic / "P02" / ".hidden.mp4")
    _touch(clinic / "old_ankle_cv" / "annotated.mp4")  # analyze's default output folder
    out = clinic / "out"
    _touch(out / "P01" / "left" / "annotated.mp4")  # the batch's own outputs inside the input folder
    found = find_videos((str(clinic),), out)
    assert found.videos == (a, b)
    assert found.ignored_files == 1
    assert output_names(found.videos) == {a: "P01/left", b: "P02/left"}


def test_an_earlier_runs_output_folder_is_never_an_input(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    a = _touch(clinic / "P01" / "left.mp4")
    _touch(clinic / "run1" / "batch.json", "{}")  # an earlier batch --out clinic/run1
    _touch(clinic / "run1" / "P01" / "left" / "annotated.mp4")
    _touch(clinic / "report" / "result.json", "{}")  # an earlier analyze --out clinic/report
    _touch(clinic / "report" / "annotated.mp4")
    found = find_videos((str(clinic),), tmp_path / "out")
    assert found.videos == (a,)
    assert (found.ignored_files, found.output_folders) == (0, 2)
    by_glob = find_videos((str(clinic / "**" / "*.mp4"),), tmp_path / "out")
    assert by_glob.videos == (a,)
    assert by_glob.output_folders == 2


def test_named_files_globs_and_clashing_names(tmp_path: Path) -> None:
    a = _touch(tmp_path / "a.mp4")
    a2 = _touch(tmp_path / "a.mov")
    odd = _touch(tmp_path / "clip.bin")
    found = find_videos((str(tmp_path / "*.m*"), str(odd), str(a)), tmp_path / "out")
    assert set(found.videos) == {a, a2, odd}  # a named file is taken whatever its suffix; a repeat counts once
    assert output_names((a, a2)) == {a: "a_mp4", a2: "a_mov"}
    with pytest.raises(InputError, match="no file or folder matches"):
        find_videos((str(tmp_path / "nothing*.mp4"),), tmp_path / "out")


def test_patient_id_from_folder_or_pattern(tmp_path: Path) -> None:
    video = tmp_path / "P-007" / "visit2_S123_left.mp4"
    assert patient_id_rule("folder")(video) == "P-007"
    assert patient_id_rule(r"S(?P<id>\d+)")(video) == "123"
    assert patient_id_rule(r"_(S\d+)_")(video) == "S123"
    assert patient_id_rule(r"Q\d+")(video) is None
    with pytest.raises(InputError, match="regular expression"):
        patient_id_rule("(unclosed")


def _fake_result(video: Path, best_rep: int | None) -> str:
    """result.json text of an earlier run on this video (measured or not)."""
    if best_rep is None:
        return as_result({"input": {**BASE["input"], "path": str(video.absolute())},
                          "result": {"no_measurement_reason": "no rep found"}}).to_json()
    return as_result({"input": {**BASE["input"], "path": str(video.absolute())}, "best_rep": best_rep,
                      "reps": [{"index": best_rep, "side": "right", "tibial_inclination_deg": 40.0}],
                      "result": {"tibial_inclination_deg": 40.0}}).to_json()


def test_resume_keeps_complete_outputs_of_the_same_unchanged_video(tmp_path: Path) -> None:
    video = _touch(tmp_path / "in" / "v.mp4")
    other = _touch(tmp_path / "in" / "w.mp4")
    out = tmp_path / "out"
    _touch(out / "v" / "result.json", _fake_result(video, 1))
    _touch(out / "w" / "frames.csv")  # an interrupted run: no result.json, so not complete
    options = MeasureOptions()
    plan = plan_batch((str(tmp_path / "in"),), out, options, False, None)
    assert [p.video for p in plan.todo] == [str(other)]
    kept = plan.videos[0].kept
    assert kept is not None and kept.outcome.status == "measured"
    assert [p.video for p in plan_batch((str(tmp_path / "in"),), out, options, True, None).todo] == [str(video), str(other)]
    write_tables(out, [kept], options.as_dict())  # batch.json now records the video's size and time
    os.utime(video, ns=(1, 1))  # the video was replaced since: measured again
    assert len(plan_batch((str(tmp_path / "in"),), out, options, False, None).todo) == 2
    with pytest.raises(InputError, match="other options .*foot_to_wall_cm"):
        plan_batch((str(tmp_path / "in"),), out, MeasureOptions(Settings(foot_to_wall_cm=12.0)), False, None)


def _two_leg_result() -> Result:
    """Two legs, the right one the best and with centimetres and their uncertainty, the left one without a valid rep."""
    right = {"best_rep": 1, "tibial_inclination_deg": 40.3, "tibial_inclination_ci95_deg": 4.2, "mean_deg": 39.8, "sd_deg": 0.4, "category": "normal",
             "reps_valid": 2, "reps_total": 3, "knee_to_wall_cm": 0.3, "equivalent_toe_to_wall_cm": 15.3,
             "inclinometer_equivalent_deg": 43.1, "inclinometer_equivalent_ci95_deg": 1.8}
    left = {"best_rep": 4, "tibial_inclination_deg": None, "ankle_dorsiflexion_deg": None, "mean_deg": None, "sd_deg": None,
            "category": None, "reps_valid": 0, "reps_total": 1}
    return as_result({"best_rep": 1, "side": "right",
                      "reps": [{"index": 1, "side": "right", "tibial_inclination_deg": 40.3},
                               {"index": 4, "side": "left", "tibial_inclination_deg": 30.0, "valid": False,
                                "invalid_reasons": ["heel lifted"]}],
                      "result": {"tibial_inclination_deg": 40.3, "knee_to_wall_cm": 0.3, "equivalent_toe_to_wall_cm": 15.3,
                                 "knee_to_wall_uncertainty_cm": 1.2, "equivalent_toe_to_wall_uncertainty_cm": 1.1},
                      "legs": {"right": right, "left": left}})


def test_rows_per_leg_carry_the_result_values() -> None:
    result = _two_leg_result()
    outcome = VideoOutcome("/v.mp4", 0, "measured", "", 1.0, 100.0, result.to_json())
    rows = {r["leg"]: r for r in leg_rows(VideoRecord("v.mp4", "v", "P1", 1, 1, outcome, False))}
    assert set(rows) == {"left", "right"}
    right, left, leg = rows["right"], rows["left"], result.legs["right"]
    assert (right["tibial_inclination_deg"], right["mean_deg"], right["sd_deg"]) == (leg.tibial_inclination_deg, leg.mean_deg, leg.sd_deg)
    assert (right["category"], right["reps_valid"], right["reps_total"]) == (leg.category, leg.reps_valid, leg.reps_total)
    assert (right["knee_to_wall_cm"], right["equivalent_toe_to_wall_cm"]) == (0.3, 15.3)
    assert (right["inclinometer_equivalent_deg"], right["inclinometer_equivalent_ci95_deg"]) == (43.1, 1.8)
    assert right["tibial_inclination_ci95_deg"] == 4.2  # batch.csv had the inclinometer's interval but not the joint-centre's
    assert (right["equivalent_toe_to_wall_uncertainty_cm"], right["knee_to_wall_uncertainty_cm"]) == (1.1, 1.2)
    assert (right["status"], right["patient_id"], right["exit_code"]) == ("measured", "P1", 0)
    assert left["tibial_inclination_deg"] is None and left["equivalent_toe_to_wall_uncertainty_cm"] is None  # not the best leg
    assert left["status"] == "no valid measurement" and "left leg" in left["reason"]


def dying_runner(job: VideoJob) -> VideoOutcome:
    """A worker that dies (as a native crash would) on videos named crash*, and measures nothing otherwise."""
    if Path(job.video).name.startswith("crash"):
        os._exit(70)
    return VideoOutcome(job.video, 0, "measured", "", 0.0, 0.0)


def test_a_dying_worker_fails_its_video_only() -> None:
    names = ["a.mp4", "crash.mp4", "b.mp4", "c.mp4", "d.mp4"]
    jobs = [VideoJob(f"/nowhere/{n}", f"/nowhere/out/{n}", MeasureOptions()) for n in names]
    outcomes = {Path(o.video).name: o for o in run_local(jobs, 2, dying_runner)}
    assert set(outcomes) == set(names)
    assert outcomes["crash.mp4"].status == "failed" and "worker process died" in outcomes["crash.mp4"].reason
    assert all(outcomes[n].status == "measured" for n in names if n != "crash.mp4")


# --- end to end: a small clinic folder (the pose model runs) ---------------------------------------------------------


def _clinic(root: Path) -> Path:
    """A sample video, a cut-off MP4, a text file named .mp4 and a refused clip (filmed from behind)."""
    folder = root / "clinic"
    (folder / "P01").mkdir(parents=True)
    (folder / "P02").mkdir()
    shutil.copy(SAMPLES / "k2w_right_synthetic.mp4", folder / "P01" / "right.mp4")
    (folder / "P02" / "broken.mp4").write_bytes((SAMPLES / "k2w_left_heel_lift_synthetic.mp4").read_bytes()[:40_000])
    (folder / "P02" / "notes.mp4").write_text("not a video\n")
    shutil.copy(REPO / "tests" / "data" / "k2w_back_view_tiny.mp4", folder / "P02" / "back.mp4")
    return folder


def _batch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ankle_cv.cli", "batch", *args], capture_output=True, text=True, timeout=900)


def _rows(out: Path) -> list[dict[str, str]]:
    with (out / "batch.csv").open() as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("batch")
    folder = _clinic(root)
    out = root / "out"
    proc = _batch(str(folder), "--out", str(out), "--jobs", "2", "--no-video", "--patient-id-from", "folder",
                  "--history-db", str(root / "history.sqlite"))
    shutil.copy(out / "batch.csv", root / "first_batch.csv")  # as this run wrote it (the resume test rewrites it)
    return folder, out, proc


@pytest.mark.video
def test_batch_records_every_video_and_goes_on(local_batch: tuple[Path, Path, subprocess.CompletedProcess]) -> None:
    folder, out, proc = local_batch
    assert proc.returncode == 5, proc.stderr  # some videos could not be read: the batch measured the others all the same
    assert proc.stderr.splitlines()[-1] == (f"ankle-cv: error: 3 of 4 videos not measured: 2 could not be read (not a video, "
                                            f"cut off, ...); 1 holds no valid measurement; see {out / 'batch.csv'}")
    rows = {r["output"]: r for r in _rows(out)}
    assert set(rows) == {"P01/right", "P02/broken", "P02/notes", "P02/back"}
    assert (rows["P02/broken"]["status"], rows["P02/broken"]["exit_code"]) == ("refused", "2")
    assert "incomplete" in rows["P02/broken"]["reason"]
    assert (rows["P02/notes"]["status"], rows["P02/notes"]["exit_code"]) == ("refused", "2")
    assert (rows["P02/back"]["status"], rows["P02/back"]["exit_code"]) == ("no valid measurement", "3")
    good = rows["P01/right"]
    result = json.loads((out / "P01" / "right" / "result.json").read_text())
    assert (good["status"], good["exit_code"], good["leg"], good["patient_id"]) == ("measured", "0", result["side"], "P01")
    assert float(good["tibial_inclination_deg"]) == result["result"]["tibial_inclination_deg"]
    assert {p.name for p in (out / "P01" / "right").iterdir()} == {"result.json", "frames.csv", "summary.png"}
    assert not (out / "P02" / "broken" / "result.json").exists()
    assert "history: 1 leg(s) added" in proc.stdout


@pytest.mark.video
def test_batch_resumes_without_measuring_again(local_batch: tuple[Path, Path, subprocess.CompletedProcess]) -> None:
    folder, out, _ = local_batch
    before = (out / "batch.csv").read_text()
    stamp = (out / "P01" / "right" / "result.json").stat().st_mtime_ns
    proc = _batch(str(folder), "--out", str(out), "--no-video")
    assert proc.returncode == 5, proc.stderr
    assert "2 to measure" in proc.stdout and "2 kept" in proc.stdout  # the unreadable files are tried again
    assert (out / "P01" / "right" / "result.json").stat().st_mtime_ns == stamp
    assert (out / "batch.csv").read_text() == before.replace(",P01,", ",,").replace(",P02,", ",,")  # no --patient-id-from now


@pytest.mark.video
def test_dask_cluster_gives_the_same_table(local_batch: tuple[Path, Path, subprocess.CompletedProcess], tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed",
                                      reason="the cluster extra (pip install 'ankle-cv[cluster]') is not installed")
    folder, out, _ = local_batch
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster:
        proc = _batch(str(folder), "--out", str(tmp_path / "dask"), "--no-video", "--patient-id-from", "folder",
                      "--history-db", str(tmp_path / "history.sqlite"), "--dask", cluster.scheduler_address)
    assert proc.returncode == 5, proc.stderr
    assert "on the Dask cluster" in proc.stdout
    assert (tmp_path / "dask" / "batch.csv").read_text() == (out.parent / "first_batch.csv").read_text()


def test_the_exit_code_says_whether_every_video_was_read() -> None:
    from ankle_cv.cli.batch import batch_shortfall

    def record(status: str, code: int) -> VideoRecord:
        return VideoRecord("v.mp4", "v", None, 1, 1, VideoOutcome("v.mp4", code, status, "why", 0.0, 0.0), False)

    measured, empty, unread, crashed = (record("measured", 0), record("no valid measurement", 3), record("refused", 2),
                                        record("failed", 1))
    assert batch_shortfall([measured, measured], Path("t.csv")) is None
    only_empty = batch_shortfall([measured, empty, empty], Path("t.csv"))
    assert only_empty is not None and only_empty.exit_code == 3  # every video read: analyze's 3
    assert str(only_empty) == "2 of 3 videos not measured: 2 hold no valid measurement; see t.csv"
    for bad in (unread, crashed):  # not read (analyze's 2) or failed: 5, never the 2 of a batch that could not start
        mixed = batch_shortfall([measured, empty, bad], Path("t.csv"))
        assert mixed is not None and mixed.exit_code == 5 and "1 holds no valid measurement" in str(mixed)


def test_a_batch_that_cannot_start_leaves_no_empty_out_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ankle_cv.cli.app import main

    (tmp_path / "empty").mkdir()
    out = tmp_path / "results"
    res = CliRunner().invoke(main, ["batch", str(tmp_path / "empty"), "--out", str(out)])
    assert res.exit_code == 2 and "no video files found" in res.output
    assert not out.exists()
    out.mkdir()  # a folder the user made stays, empty or not
    res = CliRunner().invoke(main, ["batch", str(tmp_path / "empty"), "--out", str(out)])
    assert res.exit_code == 2 and out.is_dir()


def test_ctrl_c_leaves_no_staging_folder_of_a_stopped_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker stopped while writing its outputs aside cannot clean up: the batch removes what it left."""
    from click.testing import CliRunner

    import ankle_cv.batch.local_pool as local_pool
    from ankle_cv.cli.app import main
    from ankle_cv.io.output_set import STAGING_PREFIX

    video = _touch(tmp_path / "clinic" / "P01" / "left.mp4")
    out = tmp_path / "results"

    def stopped_while_writing(jobs: list[VideoJob], workers: int):  # type: ignore[no-untyped-def]
        staging = out / f"{STAGING_PREFIX}abc"  # where OutputSet stages a new folder's files
        staging.mkdir(parents=True)
        (staging / "frames.csv").write_text("frame\n0\n")
        raise KeyboardInterrupt
        yield  # a generator, as run_local is

    monkeypatch.setattr(local_pool, "run_local", stopped_while_writing)
    res = CliRunner().invoke(main, ["batch", str(video), "--out", str(out), "--no-video"])
    assert res.exit_code == 130, res.output
    assert not list(out.rglob(f"{STAGING_PREFIX}*"))
    assert (out / "batch.csv").is_file()
