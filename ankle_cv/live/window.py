"""Where live frames go: an OpenCV HighGUI window, or an off-screen sink that only counts (benchmarks, tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Protocol

import cv2
import numpy as np

KEY_QUIT = (ord("q"), ord("Q"), 27)  # q or Esc
WINDOW_PROBE = "import cv2; cv2.namedWindow('probe'); cv2.waitKey(1); cv2.destroyAllWindows()"
PROBE_TIMEOUT_S = 15.0
WINDOW_TITLE = "ankle-cv live (q or Esc to finish)"


class Display(Protocol):
    """A place to show overlay frames; show() returns the key pressed (-1 for none)."""

    def show(self, bgr: np.ndarray) -> int:
        """Show one frame."""

    def hold(self, bgr: np.ndarray, timeout_s: float) -> None:
        """Show a final picture until a key is pressed or the timeout passes."""

    def close(self) -> None:
        """Close the window."""


def _quiet_qt() -> None:
    """OpenCV's Qt warns about fonts it does not ship on every window; the window works regardless."""
    os.environ.setdefault("QT_LOGGING_RULES", "default.warning=false")


def display_problem() -> str | None:
    """Why no window can be opened here (None when one can): no GUI in this OpenCV build, or no display."""
    _quiet_qt()
    info = cv2.getBuildInformation()
    gui = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.strip().startswith("GUI:")), "")
    if gui.upper() in ("NONE", ""):
        return "this OpenCV build has no window support (opencv-python-headless?)"
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no display found (DISPLAY is not set)"
    # Qt aborts the whole process when the display cannot be reached: try a window in a child process first.
    try:
        probe = subprocess.run([sys.executable, "-c", WINDOW_PROBE], capture_output=True, timeout=PROBE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return "the display did not answer"
    if probe.returncode != 0:
        return f"cannot open a window on display {os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY')!r}"
    return None


class HighGuiWindow:
    """An OpenCV window; q or Esc ends the session, closing the window does too."""

    def __init__(self, title: str = WINDOW_TITLE) -> None:
        self.title = title
        _quiet_qt()
        cv2.namedWindow(title, cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO)

    def show(self, bgr: np.ndarray) -> int:
        """Show a frame and poll the keyboard; a closed window counts as q."""
        cv2.imshow(self.title, bgr)
        key = cv2.waitKey(1)
        if cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1:
            return ord("q")
        return key & 0xFF if key >= 0 else -1

    def hold(self, bgr: np.ndarray, timeout_s: float) -> None:
        """Keep the summary on screen until a key, the window closing, or the timeout."""
        cv2.imshow(self.title, bgr)
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            if cv2.waitKey(50) >= 0 or cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1:
                break

    def close(self) -> None:
        """Close the window."""
        cv2.destroyWindow(self.title)
        cv2.waitKey(1)


class OffscreenDisplay:
    """Takes frames without showing them: the headless stand-in for a window (the overlay is still drawn)."""

    def __init__(self) -> None:
        self.frames = 0
        self.last: np.ndarray | None = None

    def show(self, bgr: np.ndarray) -> int:
        """Count the frame and keep it (the last one is the screenshot)."""
        self.frames += 1
        self.last = bgr
        return -1

    def hold(self, bgr: np.ndarray, timeout_s: float) -> None:
        """Keep the summary picture."""
        self.last = bgr

    def close(self) -> None:
        """Nothing to close."""
