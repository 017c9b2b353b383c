"""Bad inputs and bad recordings: every row of the table runs `ankle-cv analyze` on a generated file.

The corpus is made in a temporary folder from the shipped sample render (the frontal clip, which
needs the renderer, is the only stored one: tests/data). Each row states the expected behaviour:
  error          exit 2, one line on stderr naming the file (or folder) and the problem, no result.json
  no measurement exit 3, the reason on stderr (naming the file) and in result.json
  measured       exit 0, with the named warning in result.json's quality.warnings and on stdout
  interrupted    exit 130 after SIGINT (a real subprocess), no result.json, annotated.mp4 or temporary file left
The same table is in the README's "Troubleshooting" section. Run with -s to see each row's message.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from ankle_cv.cli import main
from ankle_cv.errors import EXIT_INTERRUPTED
from ankle_cv.io.video_source import read_frames
from ankle_cv.pose.sampling import POSE_MAX_SIDE
from tests.conftest import REPO, SAMPLES

pytestmark = pytest.mark.video

BASE_CLIP = SAMPLES / "k2w_right_synthetic.mp4"  # 960x540, 30 fps; rep 1: frames 14-61-108, peak 36.0 deg
BASE_STEP = 3  # every 3rd frame of the first 126: 42 frames at 10 fps holding rep 1 (cheap to track)
TRUE_PEAK_S = 61 / 30
TRUE_PEAK_DEG = 36.0
FRONTAL_CLIP = REPO / "tests" / "data" / "k2w_back_view_tiny.mp4"


# ---------------------------------------------------------------- corpus builders (PyAV, numpy, cv2)


def encode_mp4(path: Path, frames: list[np.ndarray], fps: float = 10.0, times_s: list[float] | None = None,
               faststart: bool = False) -> Path:
    """H.264 MP4 of RGB frames; `times_s` gives each frame's own timestamp (variable frame rate)."""
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", format="mp4", options=options) as container:
        stream = container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1000))
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "23"}
        if times_s is not None:
            stream.codec_context.time_base = Fraction(1, 1000)
        for i, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24")
            if times_s is not None:
                frame.pts, frame.time_base = int(round(times_s[i] * 1000)), Fraction(1, 1000)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def encode_audio_only(path: Path, seconds: float = 1.0, rate: int = 44100) -> Path:
    """An MP4 holding one AAC audio stream and no video (a voice memo named .mp4)."""
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate)
        t = np.arange(int(seconds * rate)) / rate
        pcm = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None, :]
        for start in range(0, pcm.shape[1], 1024):
            chunk = np.ascontiguousarray(pcm[:, start:start + 1024])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


def _child_box(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int]:
    """(start, end) of the first box of a type among the boxes in data[start:end]."""
    pos = start
    while pos + 8 <= end:
        size = int.from_bytes(data[pos:pos + 4], "big")
        if data[pos + 4:pos + 8] == kind:
            return pos, pos + size
        pos += size
    raise ValueError(f"no {kind!r} box")


def set_display_rotation(path: Path, clockwise_deg: int) -> None:
    """Write the track-header matrix a phone writes, so players turn the stored frames clockwise_deg."""
    data = bytearray(path.read_bytes())
    moov = _child_box(data, 0, len(data), b"moov")
    trak = _child_box(data, moov[0] + 8, moov[1], b"trak")
    tkhd = _child_box(data, trak[0] + 8, trak[1], b"tkhd")
    version = data[tkhd[0] + 8]
    matrix = tkhd[0] + 12 + (32 if version == 1 else 20) + 16  # after times, ids, duration, layer/volume
    one, minus_one = 0x00010000, 0xFFFF0000
    a, b, c, d = {90: (0, one, minus_one, 0), 180: (minus_one, 0, 0, minus_one), 270: (0, minus_one, one, 0)}[clockwise_deg]
    for offset, value in zip((0, 4, 12, 16), (a, b, c, d)):
        data[matrix + offset:matrix + offset + 4] = value.to_bytes(4, "big")
    path.write_bytes(bytes(data))


def cut_at_packet(src: Path, dst: Path, packet_index: int) -> Path:
    """Copy src up to the byte where a packet starts: a recording cut off mid-file."""
    with av.open(str(src)) as container:
        packets = [p for p in container.demux(video=0) if p.size]
    dst.write_bytes(src.read_bytes()[:packets[packet_index].pos])
    return dst


def with_bystander(frame: np.ndarray) -> np.ndarray:
    """The frame with a same-size, mirrored copy of the person pasted near the left edge (MediaPipe's own pick)."""
    out = frame.copy()
    out[80:470, 40:300] = frame[80:470, 360:620][:, ::-1]
    return out


@dataclass
class Corpus:
    """The generated inputs, by row name."""

    folder: Path
    files: dict[str, Path] = field(default_factory=dict)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("bad_inputs")
    with av.open(str(BASE_CLIP)) as container:
        source = [f.to_ndarray(format="rgb24") for _, f in zip(range(126), container.decode(video=0))]
    base = source[::BASE_STEP]
    c = Corpus(folder)
    f = c.files
    f["missing path"] = folder / "never_recorded.mp4"
    f["directory"] = folder / "a_folder.mp4"
    f["directory"].mkdir()
    f["empty file"] = folder / "empty.mp4"
    f["empty file"].write_bytes(b"")
    f["text file named .mp4"] = folder / "notes.mp4"
    f["text file named .mp4"].write_text("knee-to-wall: left 11 cm, right 9 cm\n")
    whole = encode_mp4(folder / "whole.mp4", base)  # the index ('moov') at the end, as cameras write it
    f["truncated mp4 (index at the end)"] = folder / "cut_no_index.mp4"
    f["truncated mp4 (index at the end)"].write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    faststart = encode_mp4(folder / "whole_faststart.mp4", base, faststart=True)
    f["truncated mp4 (index at the front)"] = cut_at_packet(faststart, folder / "cut_end_missing.mp4", 39)
    f["audio-only file"] = encode_audio_only(folder / "voice_memo.mp4")
    f["still image"] = folder / "photo.jpg"
    cv2.imwrite(str(f["still image"]), cv2.cvtColor(source[61], cv2.COLOR_RGB2BGR))
    f["1-frame video"] = encode_mp4(folder / "one_frame.mp4", base[:1])
    portrait = [np.ascontiguousarray(np.rot90(fr[:, 330:634], k=1)) for fr in base]  # stored sideways, 540x304
    f["rotation flag (phone portrait)"] = encode_mp4(folder / "phone_portrait.mp4", portrait)
    set_display_rotation(f["rotation flag (phone portrait)"], 90)
    vfr_index = list(range(0, 62, 2)) + list(range(66, 124, 6))  # 15 fps, then 5 fps: header fps (10) is wrong
    f["variable frame rate"] = encode_mp4(
        folder / "vfr.mp4", [source[i] for i in vfr_index], times_s=[i / 30 for i in vfr_index]
    )
    f["no person"] = encode_mp4(folder / "empty_room.mp4", [np.ascontiguousarray(fr[:, :352]) for fr in base])
    f["two people"] = encode_mp4(folder / "two_people.mp4", [with_bystander(fr) for fr in base])
    f["feet out of frame"] = encode_mp4(folder / "feet_cut_off.mp4", [np.ascontiguousarray(fr[:380]) for fr in base])
    f["frontal view"] = FRONTAL_CLIP
    f["very dark video"] = encode_mp4(folder / "dim.mp4", [(fr * 0.15).astype(np.uint8) for fr in base])
    f["nearly black video"] = encode_mp4(folder / "black.mp4", [(fr * 0.08).astype(np.uint8) for fr in base])
    uhd = [cv2.resize(fr, (3840, 2160), interpolation=cv2.INTER_LINEAR) for fr in base[:6]]
    f["4K video (6 frames)"] = encode_mp4(folder / "uhd.mp4", uhd)
    f["unwritable output folder"] = whole
    f["existing outputs without --force"] = whole
    f["Ctrl-C while tracking"] = whole
    f["Ctrl-C while writing annotated.mp4"] = whole
    return c


# ---------------------------------------------------------------- running a row


@dataclass(frozen=True)
class Run:
    """What one `analyze` run produced."""

    code: int
    stdout: str
    stderr: str
    out: Path

    @property
    def result(self) -> dict:
        return json.loads((self.out / "result.json").read_text())

    @property
    def message(self) -> str:
        """The line a user reads first: the error, or the warnings of a measurement."""
        lines = [ln for ln in self.stderr.splitlines() if ln.startswith("ankle-cv:")]
        if lines:
            return lines[-1]
        shown = ("Best valid rep", "warning:")
        return " | ".join(ln for ln in self.stdout.splitlines() if ln.startswith(shown) and "no scale" not in ln)


def run_in_process(video: Path, out: Path, *extra: str) -> Run:
    """`ankle-cv analyze` through click's test runner (one interpreter: the model loads fast)."""
    res = CliRunner().invoke(main, ["analyze", str(video), "--out", str(out), *extra], catch_exceptions=False)
    return Run(res.exit_code, res.stdout, res.stderr, out)


def run_and_interrupt(video: Path, out: Path, when: str) -> Run:
    """Start `ankle-cv analyze` as a user would; send SIGINT once `when` shows on stderr or, for
    "file:PATTERN", once a file matching PATTERN appears in the output folder (a temporary output)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "ankle_cv.cli", "analyze", str(video), "--out", str(out)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    seen: list[str] = []
    marker = threading.Event()

    def watch_stderr() -> None:
        for line in proc.stderr:
            seen.append(line)
            if when in line:
                marker.set()

    def watch_folder(pattern: str) -> None:
        while proc.poll() is None and not marker.is_set():
            if list(out.parent.glob(pattern)):  # outputs are written in a staging folder beside `out`
                marker.set()
            time.sleep(0.002)

    readers = [threading.Thread(target=watch_stderr, daemon=True)]
    if when.startswith("file:"):
        readers.append(threading.Thread(target=watch_folder, args=(when[5:],), daemon=True))
    for r in readers:
        r.start()
    try:
        assert marker.wait(120), f"'{when}' never happened: {''.join(seen)}"
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    for r in readers:
        r.join(10)
    return Run(proc.returncode, proc.stdout.read(), "".join(seen), out)


def unwritable_folder(tmp: Path) -> Path:
    """A folder this process cannot write into (as root, where permissions do not bind: a file in the way)."""
    folder = tmp / "read_only"
    folder.mkdir()
    folder.chmod(0o555)
    if not os.access(folder, os.W_OK):
        return folder
    folder.chmod(0o755)
    blocker = tmp / "a_file"
    blocker.write_text("not a folder")
    return blocker / "out"


# ---------------------------------------------------------------- the expected-behaviour table


@dataclass(frozen=True)
class Row:
    """One bad input and what ankle-cv must do with it."""

    name: str
    expect: str  # "error", "no measurement", "measured", "interrupted"
    says: str  # text the message must contain
    args: tuple[str, ...] = ("--json-only",)
    check: Callable[[Run, Path], None] | None = None


def _check_portrait(run: Run, video: Path) -> None:
    """Upright once: portrait size reported, the annotated video is portrait, unflagged and upright."""
    r = run.result
    assert r["input"]["rotation_deg"] == 270  # the matrix turns the stored frame 90° clockwise (= 270° ccw)
    assert (r["input"]["width"], r["input"]["height"]) == (304, 540)
    assert r["facing"] == "right"  # a sideways person would not give a right-facing lunge
    assert r["result"]["tibial_inclination_deg"] == pytest.approx(TRUE_PEAK_DEG, abs=4.0)
    with av.open(str(run.out / "annotated.mp4")) as container:
        shown = next(container.decode(video=0))
        assert (shown.width, shown.height) == (304, 540)
        assert not shown.rotation, "the annotated video must not be rotated a second time by players"
        drawn = cv2.cvtColor(shown.to_ndarray(format="rgb24"), cv2.COLOR_RGB2GRAY).astype(float)
    with av.open(str(BASE_CLIP)) as container:
        first = next(container.decode(video=0)).to_ndarray(format="rgb24")[:, 330:634]
    upright = cv2.cvtColor(first, cv2.COLOR_RGB2GRAY).astype(float)
    assert np.corrcoef(drawn.ravel(), upright.ravel())[0, 1] > 0.8
    assert np.corrcoef(drawn.ravel(), upright[::-1, ::-1].ravel())[0, 1] < 0.5


def _check_vfr(run: Run, video: Path) -> None:
    """Times come from the file: the peak is at 2.0 s, not at frame index / header fps (3.0 s)."""
    r = run.result
    assert r["reps"][0]["peak_s"] == pytest.approx(TRUE_PEAK_S, abs=0.25)
    with (run.out / "frames.csv").open() as fh:
        times = [float(row["time_s"]) for row in csv.DictReader(fh)]
    with av.open(str(video)) as container:
        pts = [float(f.time) for f in container.decode(video=0)]
    assert times == pytest.approx(pts, abs=1e-3)


def _check_two_people(run: Run, video: Path) -> None:
    """The central person (facing the wall on the right) is tracked, not the mirrored bystander."""
    r = run.result
    assert r["quality"]["people_max"] == 2
    assert r["facing"] == "right"
    assert r["result"]["tibial_inclination_deg"] == pytest.approx(TRUE_PEAK_DEG, abs=4.0)


def _check_nobody(run: Run, video: Path) -> None:
    """Nobody seen: no tested leg nor wall side is claimed in result.json (null), and the printout says none."""
    assert (run.result["side"], run.result["facing"], run.result["legs"]) == (None, None, {})
    assert "Tested leg: none" in run.stdout


def _check_4k(run: Run, video: Path) -> None:
    """The header's size is reported; the pose model gets frames downscaled while decoding."""
    assert (run.result["input"]["width"], run.result["input"]["height"]) == (3840, 2160)
    frame = next(iter(read_frames(video, POSE_MAX_SIDE)))
    assert max(frame.rgb.shape[:2]) <= POSE_MAX_SIDE


def _check_dark_hint(run: Run, video: Path) -> None:
    """When nobody is found in a black video, the warnings say why."""
    assert any("very dark" in w for w in run.result["quality"]["warnings"])


def _check_truncated_front(run: Run, video: Path) -> None:
    """What was recorded before the cut is still measured, and every output states the frames it held."""
    held = run.result["input"]
    assert held["frames"] == 39
    assert held["duration_s"] < 4.0  # the 39 frames', not the header's 12.6 s
    stated = f"only {held['frames']} frames ({held['duration_s']:.1f} s) could be read"
    assert any(stated in w for w in run.result["quality"]["warnings"]) and stated in run.stdout


ROWS = [
    Row("missing path", "error", "no such file"),
    Row("directory", "error", "is a directory"),
    Row("empty file", "error", "empty (0 bytes)"),
    Row("text file named .mp4", "error", "not a video file"),
    Row("truncated mp4 (index at the end)", "error", "MP4 file is incomplete"),
    Row("truncated mp4 (index at the front)", "measured", "the file is truncated", check=_check_truncated_front),
    Row("audio-only file", "error", "no video stream"),
    Row("still image", "error", "still image"),
    Row("1-frame video", "error", "single frame"),
    Row("rotation flag (phone portrait)", "measured", "", args=(), check=_check_portrait),
    Row("variable frame rate", "measured", "", args=("--no-video",), check=_check_vfr),
    Row("no person", "no measurement", "no person found in 100% of frames", check=_check_nobody),
    Row("two people", "measured", "2 people were in view", check=_check_two_people),
    Row("feet out of frame", "no measurement", "feet out of frame in"),
    Row("frontal view", "no measurement", "not a knee-to-wall test: the legs are not seen from the side"),
    Row("very dark video", "measured", "very dark"),
    Row("nearly black video", "no measurement", "no person found", check=_check_dark_hint),
    Row("4K video (6 frames)", "no measurement", "no knee-to-wall rep found", check=_check_4k),
    Row("unwritable output folder", "error", "output folder"),
    Row("existing outputs without --force", "error", "use --force"),
    Row("Ctrl-C while tracking", "interrupted", "interrupted", args=("Tracking pose",)),
    Row("Ctrl-C while writing annotated.mp4", "interrupted", "interrupted",
        args=("file:.ankle_cv-staging-*/.annotated.*",)),
]
EXIT_CODES = {"error": 2, "no measurement": 3, "measured": 0, "interrupted": EXIT_INTERRUPTED}


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_bad_input_table(row: Row, corpus: Corpus, tmp_path: Path) -> None:
    video = corpus.files[row.name]
    out = tmp_path / "out"
    before: dict[str, bytes] = {}
    if row.name == "unwritable output folder":
        out = unwritable_folder(tmp_path)
    if row.name == "existing outputs without --force":
        out.mkdir()
        before = {"result.json": b'{"earlier": true}\n', "summary.png": b"earlier picture"}
        for name, content in before.items():
            (out / name).write_bytes(content)
    if row.expect == "interrupted":
        run = run_and_interrupt(video, out, row.args[0])
    else:
        run = run_in_process(video, out, *row.args)
    left = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    print(f"\n{row.name}: exit {run.code}: {run.message}" + (f" [left: {left}]" if row.expect == "interrupted" else ""))

    assert run.code == EXIT_CODES[row.expect], run.stdout + run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert row.says in run.message, run.message
    if row.expect in ("error", "no measurement"):
        errors = [ln for ln in run.stderr.splitlines() if ln.startswith("ankle-cv: error:")]
        assert len(errors) == 1, run.stderr
        named = out if row.name in ("unwritable output folder", "existing outputs without --force") else video
        assert str(named) in errors[0]
    if row.expect == "error":
        if before:
            assert {n: (out / n).read_bytes() for n in before} == before, "earlier outputs were touched"
        else:
            assert not (out / "result.json").exists()
    if row.expect == "no measurement":
        assert run.result["best_rep"] is None
        assert row.says in run.result["result"]["no_measurement_reason"]
    if row.expect == "measured":
        assert run.result["best_rep"] is not None
        if row.says:
            assert any(row.says in w for w in run.result["quality"]["warnings"])
            assert any(row.says in ln for ln in run.stdout.splitlines() if ln.startswith("warning:"))
    if row.expect == "interrupted":
        assert "result.json" not in left and "annotated.mp4" not in left, left
        assert not [n for n in left if ".tmp" in n], f"temporary files left behind: {left}"
        assert not list(out.parent.glob(".ankle_cv-staging-*")), "the staging folder was left behind"
        assert not out.exists(), "an interrupted run created its output folder"
    if row.expect in ("no measurement", "measured") and "dark" not in row.name and "black" not in row.name:
        assert not any("very dark" in w for w in run.result["quality"]["warnings"]), "false darkness warning"
    if row.check is not None:
        row.check(run, video)


def test_every_row_has_its_input(corpus: Corpus) -> None:
    """The table and the corpus stay in step (a row without a file would silently test nothing)."""
    assert {r.name for r in ROWS} == set(corpus.files)
