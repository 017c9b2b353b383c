"""What report, export and history add say to a new user's wrong first guesses: one line naming the way on, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from tests.conftest import SAMPLES

COMMANDS = {
    "report": lambda target, tmp: ["report", str(target), "--out", str(tmp / "r.pdf")],
    "export": lambda target, tmp: ["export", str(target), "--fhir"],
    "history": lambda target, tmp: ["history", "add", str(target), "--patient-id", "P-1", "--db", str(tmp / "h.db")],
}


def _one_error(args: list[str]) -> str:
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("ankle-cv: error: "), res.stderr
    assert "Traceback" not in res.output
    return lines[0]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_video_itself_is_sent_to_analyze_first(command: str, tmp_path: Path) -> None:
    """Before: report and export said "cannot read the file ('utf-8' codec can't decode byte 0xa7 ...)"."""
    video = tmp_path / "visit.mp4"
    shutil.copy(SAMPLES / "k2w_right_synthetic.mp4", video)
    said = _one_error(COMMANDS[command](video, tmp_path))
    assert f"{video}: is a video, not a result.json: run `ankle-cv analyze {video}` first" in said
    assert "visit_ankle_cv" in said
    (tmp_path / "visit_ankle_cv").mkdir()
    (tmp_path / "visit_ankle_cv" / "result.json").write_text("{}")
    assert f"give {tmp_path / 'visit_ankle_cv'} (analyze's output folder)" in _one_error(COMMANDS[command](video, tmp_path))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_folder_without_a_result_says_so_alike(command: str, tmp_path: Path) -> None:
    """Before: report and export said "empty/result.json: no such file", history add "cannot read the file (Is a directory)"."""
    empty = tmp_path / "empty"
    empty.mkdir()
    said = _one_error(COMMANDS[command](empty, tmp_path))
    assert said == (f"ankle-cv: error: {empty}: no result.json in this folder (give the folder `ankle-cv analyze` wrote, "
                    "or its result.json)")
    assert not (tmp_path / "r.pdf").exists() and not (tmp_path / "h.db").exists()


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", ["VISIT.MP4", "visit.mov", "visit.bin"])
def test_a_video_is_known_by_its_content_not_its_name(command: str, name: str, tmp_path: Path) -> None:
    """Before: an upper-case or unknown suffix read the video as text ("cannot read the file ('utf-8' codec ...)")."""
    video = tmp_path / name
    shutil.copy(SAMPLES / "k2w_right_synthetic.mp4", video)
    said = _one_error(COMMANDS[command](video, tmp_path))
    assert f"{video}: is a video, not a result.json: run `ankle-cv analyze {video}` first" in said


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("content", [b"", b"visit notes\n", b"\x00\x01garbage" * 50])
def test_a_file_named_like_a_video_that_is_none_is_not_called_one(command: str, content: bytes, tmp_path: Path) -> None:
    """Before: any file named .mp4 was "a video, not a result.json: run analyze first" (which then refused it too)."""
    fake = tmp_path / "visit.mp4"
    fake.write_bytes(content)
    said = _one_error(COMMANDS[command](fake, tmp_path))
    assert said.startswith(f"ankle-cv: error: {fake}: neither a result.json nor a video that can be read (")
    assert not (tmp_path / "r.pdf").exists() and not (tmp_path / "h.db").exists()


def test_a_result_json_under_another_name_is_read(tmp_path: Path) -> None:
    """A result.json saved as .mp4 (or anything) is read as what it is: the reader's own message, not "a video"."""
    fake = tmp_path / "visit.mp4"
    fake.write_text('{"a": 1}')
    assert "not an ankle-cv result.json" in _one_error(COMMANDS["export"](fake, tmp_path))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_result_without_a_measurement_is_named_as_typed(command: str, tmp_path: Path) -> None:
    """Before: export named FOLDER/result.json where report and history add name FOLDER, as the user typed it."""
    from tests.test_hostile_results import ONE_LEG, _no_measurement

    folder = tmp_path / "visit_ankle_cv"
    folder.mkdir()
    (folder / "result.json").write_text(json.dumps(_no_measurement(ONE_LEG)))
    res = CliRunner().invoke(main, COMMANDS[command](folder, tmp_path))
    assert res.exit_code == 3, res.output
    assert res.stderr.strip().splitlines()[-1].startswith(f"ankle-cv: error: {folder}: ")
