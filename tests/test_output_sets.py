"""One complete output set per run: never mixed, partial or lost (disk full, signals, --force over older runs).

`analyze` writes into a hidden staging folder and swaps the set in whole (ankle_cv/io/output_set.py).
Each test starts from an earlier complete set (or no folder) and checks what is left afterwards.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.errors import OutputError
from ankle_cv.io.output_set import STAGING_PREFIX, OutputSet
from tests.conftest import REPO, SAMPLES

FULL_SET = ["annotated.mp4", "frames.csv", "result.json", "summary.png"]


def _short_clip(path: Path) -> Path:
    """Rep 1 of the sample render at 10 frames/s (42 frames): cheap to track, measured like the whole clip."""
    with av.open(str(SAMPLES / "k2w_right_synthetic.mp4")) as container:
        frames = [f.to_ndarray(format="rgb24") for _, f in zip(range(126), container.decode(video=0))][::3]
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=Fraction(10))
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "23"}
        for rgb in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")))
        container.mux(stream.encode())
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _short_clip(tmp_path_factory.mktemp("clip") / "lunge.mp4")


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory, clip: Path) -> dict[str, bytes]:
    """A complete earlier output set (its files' bytes), to put in a folder before a run."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    res = CliRunner().invoke(main, ["analyze", str(clip), "--out", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == FULL_SET
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _lay(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _contents(folder: Path) -> dict[str, bytes]:
    """The visible files of a folder (a run's hidden staging folder is not part of its outputs)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}


def _no_staging_left(parent: Path) -> None:
    left = [p for p in parent.rglob(f"{STAGING_PREFIX}*")]
    assert not left, f"staging folders left behind: {left}"


pytestmark = pytest.mark.video


def test_force_json_only_over_an_older_run_leaves_only_the_new_result(tmp_path: Path, clip: Path,
                                                                       earlier: dict[str, bytes]) -> None:
    out = _lay(tmp_path / "out", earlier)
    res = CliRunner().invoke(main, ["analyze", str(clip), "--out", str(out), "--force", "--json-only"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["result.json"]  # no old curve under the new numbers
    _no_staging_left(tmp_path)


def test_force_no_video_over_an_older_run_drops_the_old_annotated_video(tmp_path: Path, clip: Path,
                                                                        earlier: dict[str, bytes]) -> None:
    out = _lay(tmp_path / "out", earlier | {"notes.txt": b"the user's own file"})
    res = CliRunner().invoke(main, ["analyze", str(clip), "--out", str(out), "--force", "--no-video"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["frames.csv", "notes.txt", "result.json", "summary.png"]
    assert (out / "notes.txt").read_bytes() == b"the user's own file"


def test_the_input_video_is_never_overwritten(tmp_path: Path, clip: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    video = out / "annotated.mp4"
    video.write_bytes(clip.read_bytes())
    res = CliRunner().invoke(main, ["analyze", str(video), "--out", str(out), "--force"])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"ankle-cv: error: {video}: is the input itself ({video}); it would be overwritten: choose another --out folder"]
    assert video.read_bytes() == clip.read_bytes()


def test_a_refusal_leaves_no_empty_folder(tmp_path: Path, clip: Path) -> None:
    """The second video is missing: the first one's folder (and its parents) must not appear."""
    out = tmp_path / "new" / "deeper"
    res = CliRunner().invoke(main, ["analyze", str(clip), str(tmp_path / "missing.mp4"), "--out", str(out)])
    assert res.exit_code == 2 and "missing.mp4: no such file" in res.output
    assert not (tmp_path / "new").exists()
    _no_staging_left(tmp_path)


def test_disk_full_while_writing_keeps_the_earlier_set(tmp_path: Path, clip: Path, earlier: dict[str, bytes],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC from the summary figure's writer: exit 2 with one line, the earlier set byte for byte."""
    out = _lay(tmp_path / "out", earlier)
    import ankle_cv.outputs.summary_plot as summary_plot

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(summary_plot, "write_summary_png", full)
    res = CliRunner().invoke(main, ["analyze", str(clip), "--out", str(out), "--force"])
    assert res.exit_code == 2
    errors = [ln for ln in res.output.splitlines() if ln.startswith("ankle-cv: error:")]
    assert errors == [f"ankle-cv: error: {out}: the outputs could not be written (No space left on device: the disk "
                      "is full); nothing was changed in the folder"]
    assert _contents(out) == earlier
    _no_staging_left(tmp_path)


def _small_disk(folder: Path, size_kb: int) -> bool:
    """Mount a tmpfs of size_kb at folder (root only); False when not permitted here."""
    folder.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                          capture_output=True, text=True, check=False)
    return proc.returncode == 0


def test_a_really_full_disk_keeps_the_earlier_set(tmp_path: Path, clip: Path, earlier: dict[str, bytes]) -> None:
    """The same on a real 600 kB disk: the earlier set fits, a second set beside it does not."""
    disk = tmp_path / "disk"
    if not _small_disk(disk, 600):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount permission)")
    try:
        out = _lay(disk / "out", earlier)
        res = CliRunner().invoke(main, ["analyze", str(clip), "--out", str(out), "--force"])
        assert res.exit_code == 2, res.output
        assert "No space left on device" in res.output and "Traceback" not in res.output
        assert _contents(out) == earlier
        _no_staging_left(disk)
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def _signal_at_write(video: Path, out: Path, signum: int) -> subprocess.CompletedProcess:
    """Run analyze as a user would; send `signum` as soon as it starts writing its outputs."""
    proc = subprocess.Popen([sys.executable, "-m", "ankle_cv.cli", "analyze", str(video), "--out", str(out), "--force"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(REPO)))
    seen: list[str] = []
    writing = threading.Event()

    def watch() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if "Writing outputs" in line:
                writing.set()

    reader = threading.Thread(target=watch, daemon=True)
    reader.start()
    try:
        assert writing.wait(300), "".join(seen)
        time.sleep(0.2)
        proc.send_signal(signum)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(10)
    assert proc.stdout is not None
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.read(), "".join(seen))


@pytest.mark.parametrize(("signum", "says"), [(signal.SIGINT, "interrupted"), (signal.SIGTERM, "ended by SIGTERM"),
                                               (signal.SIGHUP, "ended by SIGHUP")])
def test_a_signal_while_writing_keeps_the_earlier_set(tmp_path: Path, clip: Path, earlier: dict[str, bytes],
                                                      signum: int, says: str) -> None:
    out = _lay(tmp_path / "out", earlier)
    run = _signal_at_write(clip, out, signum)
    assert run.returncode == 128 + signum, run.stderr
    assert run.stderr.strip().splitlines()[-1] == f"ankle-cv: {says}; no partial output was left behind"
    assert _contents(out) == earlier
    _no_staging_left(tmp_path)


def test_a_signal_while_writing_a_new_folder_leaves_nothing(tmp_path: Path, clip: Path) -> None:
    out = tmp_path / "fresh"
    run = _signal_at_write(clip, out, signal.SIGTERM)
    assert run.returncode == 143, run.stderr
    assert not out.exists()
    _no_staging_left(tmp_path)


def test_a_name_that_is_not_utf8_is_analysed_and_reported(tmp_path: Path, clip: Path) -> None:
    """Bytes that are not UTF-8 in the file name: measured, stored as \\xNN text in result.json, no crash after."""
    folder = os.fsencode(tmp_path)
    video = Path(os.fsdecode(folder + b"/lunge\xff\xfe.mp4"))
    video.write_bytes(clip.read_bytes())
    res = CliRunner().invoke(main, ["analyze", str(video), "--json-only"])
    assert res.exit_code == 0, res.output
    out = Path(os.fsdecode(folder + b"/lunge\xff\xfe_ankle_cv"))
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert result["input"]["path"].endswith("lunge\\xff\\xfe.mp4")
    db = tmp_path / "h.db"
    res = CliRunner().invoke(main, ["history", "add", str(out / "result.json"), "--patient-id", "P", "--db", str(db)])
    assert res.exit_code == 0, res.output


def test_mediapipe_chatter_stays_off_stderr(tmp_path: Path, clip: Path) -> None:
    """The progress bar shares stderr with MediaPipe's native INFO/W lines: only ours may appear."""
    proc = subprocess.run([sys.executable, "-m", "ankle_cv.cli", "analyze", str(clip), "--out", str(tmp_path / "o"),
                           "--json-only"], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PYTHONPATH=str(REPO)), check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().splitlines() == ["Tracking pose", "Writing outputs"], proc.stderr


def test_output_set_commit_moves_old_outputs_aside_and_new_in(tmp_path: Path) -> None:
    """The swap by itself: an older result.json never stays beside newer files, other files stay."""
    out = _lay(tmp_path / "out", {"result.json": b"old", "frames.csv": b"old", "annotated.mp4": b"old", "x.txt": b"me"})
    outputs = OutputSet(out, ("result.json", "frames.csv", "annotated.mp4", "summary.png"), force=True)
    (outputs.folder / "result.json").write_bytes(b"new")
    (outputs.folder / "frames.csv").write_bytes(b"new")
    assert _contents(out)["result.json"] == b"old"  # nothing visible before the commit
    outputs.commit()
    assert _contents(out) == {"result.json": b"new", "frames.csv": b"new", "x.txt": b"me"}
    _no_staging_left(tmp_path)


def test_a_set_without_result_json_leaves_the_folders_result_json_alone(tmp_path: Path) -> None:
    """`report out/result.json --out out/visit.pdf`: the report goes in beside the analysis; its result.json stays."""
    out = _lay(tmp_path / "out", {"result.json": b"analysis", "frames.csv": b"analysis", "visit.pdf": b"old"})
    outputs = OutputSet(out, ("visit.pdf", "visit.png", "visit.html"), force=True)
    for name in ("visit.pdf", "visit.png", "visit.html"):
        (outputs.folder / name).write_bytes(b"new")
    outputs.commit()
    assert _contents(out) == {"result.json": b"analysis", "frames.csv": b"analysis",
                              "visit.pdf": b"new", "visit.png": b"new", "visit.html": b"new"}
    _no_staging_left(tmp_path)


def test_a_read_only_disk_is_named_alike_for_a_new_and_an_existing_folder(tmp_path: Path) -> None:
    """--out on a read-only disk: a new folder said "(Permission denied)" (os.access gives no reason), an existing one
    "(Read-only file system)"; both now say the disk is read-only (a read-only tmpfs mount, root only)."""
    disk = tmp_path / "ro"
    disk.mkdir()
    (disk / "old").mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(disk)], capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here (needs root)")
    try:
        messages = []
        for target in (disk / "new", disk):
            with pytest.raises(OutputError) as refused:
                OutputSet(target, ("result.json",), False)
            messages.append(str(refused.value))
        assert messages == [f"{disk / 'new'}: cannot create the output folder (Read-only file system)",
                            f"{disk}: the output folder is not writable (Read-only file system)"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_the_current_folder_is_named_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: `report --out visit.pdf` run twice said ".: already holds visit.pdf, ..."."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "visit.pdf").write_bytes(b"earlier")
    with pytest.raises(OutputError) as caught:
        OutputSet(Path("."), ("visit.pdf", "visit.png"), force=False)
    assert str(caught.value).startswith("the current folder already holds visit.pdf; use --force")
    with pytest.raises(OutputError) as caught:
        OutputSet(tmp_path, ("visit.pdf",), force=False)
    assert str(caught.value).startswith(f"{tmp_path}: already holds visit.pdf")
