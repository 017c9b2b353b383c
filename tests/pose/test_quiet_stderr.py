"""MediaPipe's native chatter is silenced on fd 2 while any thread is inside quiet_native_stderr, and fd 2 comes back after."""

from __future__ import annotations

import os
import threading

from ankle_cv.pose.landmarker import quiet_native_stderr


def _target_of_fd2() -> tuple[int, int]:
    """What fd 2 points at (device, inode)."""
    st = os.fstat(2)
    return st.st_dev, st.st_ino


def test_overlapping_uses_from_two_threads_restore_fd2() -> None:
    devnull = os.stat(os.devnull)
    before = _target_of_fd2()
    a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, tuple[int, int]] = {}

    def first() -> None:  # enters first, leaves while the second is still inside
        with quiet_native_stderr():
            a_inside.set()
            b_inside.wait(5)
        seen["after first left"] = _target_of_fd2()
        a_left.set()

    def second() -> None:
        a_inside.wait(5)
        with quiet_native_stderr():
            b_inside.set()
            a_left.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen["after first left"] == (devnull.st_dev, devnull.st_ino)  # the second thread is still inside: still quiet
    assert _target_of_fd2() == before  # and fd 2 is back where it was once both have left
