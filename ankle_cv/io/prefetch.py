"""Run an iterator (video decoding and its taps) on its own thread, a few items ahead of the consumer (the pose model).

Decoding (PyAV) and MediaPipe's inference both release the GIL, so on two cores the video is decoded while
the previous frame is tracked; the bounded queue keeps at most `depth` frames in memory.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
DEPTH = 8  # frames decoded ahead: enough to ride over a slow frame, ~22 MB at 1280x720 RGB
_POLL_S = 0.1  # how often a blocked producer checks whether the consumer has gone


class _End:
    """The producer is done; `error` is what ended it early, if anything."""

    def __init__(self, error: BaseException | None) -> None:
        self.error = error


def prefetched(items: Iterable[T], depth: int = DEPTH) -> Iterator[T]:
    """Yield items as `items` would, produced on a worker thread; its exception is raised here, in order."""
    box: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: T | _End) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                if not put(item):
                    break
        except BaseException as exc:
            put(_End(exc))
            return
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # a generator's cleanup (closing the container) runs on the thread that ran it
        put(_End(None))

    worker = threading.Thread(target=produce, name="ankle-cv-decode", daemon=True)
    worker.start()
    try:
        while True:
            item = box.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        stop.set()
        worker.join()
