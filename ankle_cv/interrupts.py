"""Ctrl-C, SIGTERM and SIGHUP (a closed terminal) end a run the same way, once: later signals cannot cut the saving short."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

ENDING_SIGNALS = tuple(s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
                       if s is not None)
SIGNAL_REASONS = {signal.SIGINT: "interrupted"} | {
    s: f"{signal.Signals(s).name}" for s in ENDING_SIGNALS if s != signal.SIGINT
}


class Interrupted(KeyboardInterrupt):
    """A signal that ends the run; raised once on the main thread, like Ctrl-C's KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal's number (130 Ctrl-C, 129 SIGHUP, 143 SIGTERM)."""
        return 128 + self.signum


def exit_code_of(exc: BaseException) -> int:
    """130 for a plain KeyboardInterrupt, 128 + n for a signal."""
    return exc.exit_code if isinstance(exc, Interrupted) else 128 + int(signal.SIGINT)


class SignalGuard:
    """Turns the first ending signal into Interrupted while armed; every later one is only counted.

    Disarmed (while the results are written) every signal is counted and the writing goes on; `first`
    says which signal asked to end, so the run can still exit with its code afterwards.
    """

    def __init__(self, notice: str = "ankle-cv: finishing the files; please wait") -> None:
        self.received: list[int] = []
        self.armed = True
        self.notice = notice
        self.raised: int | None = None  # the signal whose Interrupted was raised (a library may have swallowed it)

    @property
    def first(self) -> int | None:
        """The first signal received, if any."""
        return self.received[0] if self.received else None

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """Signal handler (main thread)."""
        self.received.append(signum)
        if self.armed and len(self.received) == 1:
            self.raised = signum
            raise Interrupted(signum)
        if len(self.received) > 1 or not self.armed:
            print(self.notice, file=sys.stderr, flush=True)

    def raise_pending(self) -> None:
        """Raise a first signal whose Interrupted was swallowed (it landed in a GC or weakref callback, e.g. matplotlib's)."""
        if self.armed and self.received:
            raise Interrupted(self.received[0])

    def rearm(self) -> None:
        """Let the next signal raise again (the files are written; e.g. Ctrl-C closes the summary window)."""
        self.received.clear()
        self.armed = True
        self.raised = None

    @contextlib.contextmanager
    def disarmed(self) -> Iterator[None]:
        """Signals are counted, not raised, inside the block (the result set is being written)."""
        was = self.armed
        self.armed = False
        try:
            yield
        finally:
            self.armed = was and not self.received


def _quiet_pending(previous: Callable[[Any], object]) -> Callable[[Any], object]:
    """An unraisable-exception hook that drops the guard's own Interrupted (it stays pending: raise_pending ends the run)
    and passes anything else on: a Ctrl-C landing in a weakref callback printed 'Exception ignored in ...' and a traceback."""

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, Interrupted):
            previous(unraisable)

    return hook


@contextlib.contextmanager
def ending_signals(guard: SignalGuard | None = None) -> Iterator[SignalGuard]:
    """Install the guard for SIGINT, SIGTERM and SIGHUP on the main thread; restore the old handlers after.

    A signal's Interrupted raised inside a library's C code can come out as that library's own error (matplotlib's
    drawing code turns it into "ValueError: Invalid bounding box"): any error but ankle-cv's own that ends the block
    after the guard raised is the signal, and the run ends with its exit code, not a traceback and exit 1.
    """
    from ankle_cv.errors import AnkleCvError

    guard = guard or SignalGuard()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    old = {s: signal.getsignal(s) for s in ENDING_SIGNALS}
    old_hook = sys.unraisablehook
    for s in ENDING_SIGNALS:
        signal.signal(s, guard.handle)
    sys.unraisablehook = _quiet_pending(old_hook)
    try:
        yield guard
    except Exception as exc:
        if guard.raised is None or isinstance(exc, AnkleCvError):
            raise
        raise Interrupted(guard.raised) from exc
    finally:
        sys.unraisablehook = old_hook
        for s, handler in old.items():
            signal.signal(s, handler)
