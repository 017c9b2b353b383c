"""Decoding ahead on a thread (prefetched) and reading chosen frames by seeking give exactly what a plain read gives."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest

from ankle_cv.io.prefetch import prefetched
from ankle_cv.io.video_source import read_frames, read_frames_at
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "k2w_right_synthetic.mp4"


def test_prefetched_keeps_order_and_runs_on_another_thread() -> None:
    threads: list[str] = []

    def items() -> Iterator[int]:
        for i in range(50):
            threads.append(threading.current_thread().name)
            yield i

    assert list(prefetched(items(), depth=3)) == list(range(50))
    assert set(threads) == {"ankle-cv-decode"}


def test_prefetched_raises_the_producers_error_after_its_items() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("damaged file")

    got: list[int] = []
    with pytest.raises(ValueError, match="damaged file"):
        for i in prefetched(items()):
            got.append(i)
    assert got == [1, 2]


def test_a_consumer_that_stops_early_closes_the_producer() -> None:
    closed = threading.Event()

    def items() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()

    for i in prefetched(items(), depth=2):
        if i == 5:
            break
    assert closed.wait(5.0)


def test_frames_read_by_seeking_are_the_frames_read_from_the_start() -> None:
    plain = {f.index: f for f in read_frames(SAMPLE, None, stride=2)}
    wanted = [0, 3, 4, 5, len(plain) // 2, len(plain) - 1]
    times = {i: plain[i].time_s for i in wanted}
    got = list(read_frames_at(SAMPLE, set(wanted), 2, None, times))
    assert [f.index for f in got] == wanted
    for frame in got:
        assert np.array_equal(frame.rgb, plain[frame.index].rgb)
        assert frame.time_s == plain[frame.index].time_s


def test_a_time_the_seek_cannot_meet_falls_back_to_reading_from_the_start() -> None:
    plain = {f.index: f for f in read_frames(SAMPLE, 320, stride=2)}
    times = {10: plain[10].time_s + 0.001, 20: plain[20].time_s}  # 10's time is not a frame's: read from the start
    got = {f.index: f for f in read_frames_at(SAMPLE, {10, 20}, 2, 320, times)}
    assert set(got) == {10, 20}
    assert all(np.array_equal(got[i].rgb, plain[i].rgb) for i in got)
