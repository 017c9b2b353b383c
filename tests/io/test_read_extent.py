"""A cut-off video's result states the frames it held: input.frames, input.duration_s and the warning tell one count."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from ankle_cv.io import read_extent
from ankle_cv.io.read_extent import TRUNCATED_NOTE, as_decoded, decoded_extent, measured_extent, span_to_end_s
from ankle_cv.io.video_source import probe_video, read_frames
from ankle_cv.pose.sampling import frame_stride
from ankle_cv.report.sources import video_matches
from ankle_cv.results.types import InputInfo
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "k2w_right_synthetic.mp4"  # 240 frames at 30 fps: every 2nd frame is analysed


def faststart_copy(src: Path, dst: Path) -> Path:
    """The same packets with the index ('moov') first, as phones that stream write it: a cut leaves it readable."""
    with av.open(str(src)) as source, av.open(str(dst), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        stream = out.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(video=0):
            if packet.dts is None:
                continue
            packet.stream = stream
            out.mux(packet)
    return dst


def cut_after(src: Path, dst: Path, packets: int) -> Path:
    """src cut off at the byte where its `packets`-th video packet starts."""
    with av.open(str(src)) as container:
        starts = [p.pos for p in container.demux(video=0) if p.size]
    dst.write_bytes(src.read_bytes()[:starts[packets]])
    return dst


@pytest.fixture(scope="module")
def cut_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample cut off after 89 frames: an odd count, so the last decoded frame is not an analysed one."""
    folder = tmp_path_factory.mktemp("cut")
    return cut_after(faststart_copy(SAMPLE, folder / "whole.mp4"), folder / "cut.mp4", 89)


def analysed_pass(path: Path) -> tuple[int, int, list[str]]:
    """What the analysis pass sees of a file: its analysed frames, the stride and read_frames' warnings."""
    warnings: list[str] = []
    stride = frame_stride(probe_video(path).fps)
    n = sum(1 for _ in read_frames(path, 160, warnings, stride))
    return n, stride, warnings


def test_a_cut_file_states_the_frames_it_held_everywhere(cut_clip: Path) -> None:
    header = probe_video(cut_clip)
    n, stride, warnings = analysed_pass(cut_clip)
    assert (header.frames, stride, n) == (240, 2, 45)
    assert any(w.startswith(TRUNCATED_NOTE) for w in warnings)  # read_frames' note begins as read_extent expects
    info, stated = measured_extent(cut_clip, header, n, stride, warnings)
    assert (info.frames, round(info.duration_s, 3)) == (89, 3.0)  # the old result said 90 frames, 8.0 s
    # (89 frames to 3.0 s: the cut is in decoding order, so one B-frame before the last one shown is lost)
    note = next(w for w in stated if w.startswith(TRUNCATED_NOTE))
    assert "only 89 frames (3.0 s) could be read of the 240" in note
    assert len(stated) == len(warnings)  # replaced, not added
    frames_in_file = sum(1 for _ in read_frames(cut_clip))
    assert frames_in_file == info.frames  # annotated.mp4 gets this many


def test_a_whole_file_is_not_decoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: object) -> None:
        raise AssertionError("a whole file was decoded a second time")

    monkeypatch.setattr(read_extent, "decoded_extent", fail)
    header = probe_video(SAMPLE)
    info, stated = measured_extent(SAMPLE, header, 120, 2, ["a note"])
    assert info is header and stated == ["a note"]


def test_as_decoded_keeps_a_file_that_held_every_frame() -> None:
    header = probe_video(SAMPLE)
    assert as_decoded(header, *decoded_extent(SAMPLE)) is header
    assert decoded_extent(SAMPLE)[0] == 240


def test_the_report_finds_a_cut_video_by_what_it_held(cut_clip: Path, tmp_path: Path) -> None:
    info = as_decoded(probe_video(cut_clip), *decoded_extent(cut_clip))
    recorded = InputInfo(path=str(cut_clip), width=info.width, height=info.height, fps=info.fps, frames=info.frames,
                         duration_s=round(info.duration_s, 3), analysed_frames=45, analysed_fps=15.0, rotation_deg=0)
    assert video_matches(cut_clip, recorded)
    whole = tmp_path / "cut.mp4"
    whole.write_bytes(SAMPLE.read_bytes())  # the whole recording under the cut one's name is another video
    assert not video_matches(whole, recorded)


def test_a_duration_runs_to_the_last_frames_end() -> None:
    """240 frames at 30 fps last 8.0 s, as the header says, though the last one starts at 7.967 s (one helper: analyze's
    cut-off file and live's session state a duration alike)."""
    assert span_to_end_s(0.0, 239 / 30, 30.0) == pytest.approx(8.0)
    assert span_to_end_s(1.5, 1.5, 25.0) == pytest.approx(0.04)  # one frame: one frame's time
    assert span_to_end_s(0.0, 3.0, 0.0) == 3.0  # no rate known: the span alone
