"""An output path with a file in the way, or a missing folder, is said as that, never as the OS's 'Not a directory'."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.io.output_set import path_problem, reason_of
from tests.conftest import REPO, SAMPLES

GOLDEN_RESULT = REPO / "tests" / "golden" / "k2w_right_synthetic" / "result.json"


@pytest.fixture()
def block(tmp_path: Path) -> Path:
    """A file where a user meant a folder."""
    path = tmp_path / "visits"
    path.write_text("not a folder\n")
    return path


def test_path_problem_names_the_file_in_the_way_or_the_missing_folder(tmp_path: Path, block: Path) -> None:
    assert path_problem(block / "deeper" / "x.pdf") == f"{block} is a file, not a folder"
    assert path_problem(tmp_path / "absent" / "x.pdf") == f"the folder {tmp_path / 'absent'} does not exist"
    assert path_problem(tmp_path / "x.pdf") is None
    assert reason_of(OSError(errno.ENOTDIR, "Not a directory"), block / "x.json") == f"{block} is a file, not a folder"
    assert reason_of(OSError(errno.EACCES, "Permission denied"), block / "x.json") == "Permission denied"


@pytest.mark.parametrize("command", [
    ["marker", "--out", "{block}/sheet.pdf"],
    ["export", str(GOLDEN_RESULT), "--fhir", "--out", "{block}/obs.json"],
    ["report", "{result}", "--out", "{block}/visit.pdf"],
    ["analyze", str(SAMPLES / "k2w_right_synthetic.mp4"), "--out", "{block}/out"],
    ["history", "add", "{result}", "--patient-id", "P-1", "--db", "{block}/history.sqlite"],
], ids=["marker", "export", "report", "analyze", "history add"])
def test_every_command_says_which_file_is_in_the_way(command: list[str], block: Path, tmp_path: Path) -> None:
    result = tmp_path / "run_ankle_cv" / "result.json"  # report and history want a folder analyze wrote
    result.parent.mkdir()
    shutil.copy(GOLDEN_RESULT, result)
    args = [a.format(block=block, result=result.parent) for a in command]
    res = CliRunner().invoke(main, args)
    lines = [ln for ln in res.output.splitlines() if ln.startswith("ankle-cv: error:")]
    assert res.exit_code == 2 and len(lines) == 1, res.output
    assert f"{block} is a file, not a folder" in lines[0] and "Not a directory" not in lines[0]


def test_an_output_folder_that_is_a_file_is_said_so(block: Path) -> None:
    res = CliRunner().invoke(main, ["analyze", str(SAMPLES / "k2w_right_synthetic.mp4"), "--out", str(block)])
    assert res.exit_code == 2 and "cannot create the output folder (a file has that name)" in res.output
