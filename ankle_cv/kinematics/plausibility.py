"""Which frames' landmarks can be trusted: per-frame plausibility of the tested leg (pure, numpy only).

MediaPipe always returns a full skeleton, even for a foot cut off by the frame edge, a joint that
jumped to a bystander or a leg it cannot see; the numbers from such frames look as confident as
good ones. Each check below marks the frames it rejects, so a rep measured on them can be refused
with the reason, and the share of usable frames can be reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ankle_cv.kinematics.signals import odd_window, rolling_median

MIN_VISIBILITY = 0.5  # mean MediaPipe visibility of knee, ankle, heel and toe (one rule: gates, rep checks, live guidance)
EDGE_MARGIN = 0.005  # share of the image size: a point nearer the border than this is not seen whole
SHANK_TOLERANCE = 0.25  # the 2-D shank length may differ this much from the clip's median (the person stays put)
FOOT_TOLERANCE = 0.4  # the foot's 2-D length changes with heel lift, so a wider band
JUMP_WINDOW_S = 0.15  # running median (at least 3 frames): a point farther than JUMP_SHANKS from it jumped
JUMP_SHANKS = 0.5  # shank lengths (the knee travels ~0.7 shank lengths in a whole rep)
HEEL_BELOW_KNEE_SHANKS = 0.25  # the heel must be at least this far below the knee (image y down)
POINTS = ("knee", "ankle", "heel", "toe")
FEET = ("ankle", "heel", "toe")

CHECKS = (
    "no person",
    "leg not visible",
    "feet out of frame",
    "segment lengths unstable",
    "joint jumped",
    "heel not below knee",
)


@dataclass(frozen=True)
class FrameGate:
    """Usable-frame mask and, per check, the frames it failed."""

    usable: np.ndarray  # (N,) bool
    failed: dict[str, np.ndarray]  # check name -> (N,) bool

    def share(self, check: str, frames: slice | np.ndarray = slice(None)) -> float:
        """Share of the given frames (default all) that failed one check."""
        sel = self.failed[check][frames]
        return float(sel.mean()) if sel.size else 0.0

    def unusable_share(self, frames: slice | np.ndarray = slice(None)) -> float:
        """Share of the given frames that failed any check."""
        sel = self.usable[frames]
        return float(1.0 - sel.mean()) if sel.size else 0.0

    def reasons(self, frames: slice | np.ndarray = slice(None), min_share: float = 0.05) -> list[str]:
        """Failed checks over the given frames, commonest first, with their shares ("feet out of frame 40%")."""
        found = [(self.share(c, frames), c) for c in CHECKS]
        return [f"{c} {100 * s:.0f}%" for s, c in sorted(found, key=lambda x: -x[0]) if s >= min_share]


def _out_of_frame(xy: np.ndarray, width: int, height: int) -> np.ndarray:
    """(N,) True where a finite point lies on or beyond the image border."""
    mx, my = EDGE_MARGIN * width, EDGE_MARGIN * height
    x, y = xy[:, 0], xy[:, 1]
    with np.errstate(invalid="ignore"):
        return np.isfinite(x) & ((x < mx) | (x > width - 1 - mx) | (y < my) | (y > height - 1 - my))


def _unstable_length(length: np.ndarray, tolerance: float, shots: Sequence[tuple[int, int]] = ()) -> np.ndarray:
    """(N,) True where a segment's length strays from its median by more than tolerance.

    The median over the frame's own run of the test's geometry (`shots`, inclusive frame ranges; elsewhere the clip's),
    not a running one: a knee that sits on another leg for a whole rep must not become the reference (in a knee-to-wall
    test the person stays at one distance from the camera). Not the clip's alone: a video that cuts between camera shots
    is judged per run, and the person's size changes with the shot (real lunge ypt: side-view runs' shank 119-131 px,
    the clip's median 82 px over its front-view and far shots, so every side-view frame failed this check).
    """
    ref = np.full(length.shape, np.nanmedian(length) if np.isfinite(length).any() else np.nan)
    for a, b in shots:
        own = length[a : b + 1]
        if np.isfinite(own).any():
            ref[a : b + 1] = np.nanmedian(own)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.isfinite(length) & (np.abs(length / ref - 1.0) > tolerance)


def _jumped(xy: np.ndarray, shank_px: float, window: int) -> np.ndarray:
    """(N,) True where a point is far from the running median of its own track (a one- or two-frame teleport)."""
    ref = np.stack([rolling_median(xy[:, 0], window), rolling_median(xy[:, 1], window)], axis=1)
    with np.errstate(invalid="ignore"):
        return np.linalg.norm(xy - ref, axis=1) > JUMP_SHANKS * shank_px


def gate_frames(
    points: dict[str, np.ndarray], visibility: dict[str, np.ndarray], width: int, height: int, fps: float,
    shots: Sequence[tuple[int, int]] = (),
) -> FrameGate:
    """Check every frame of the tested leg's (N, 2) pixel tracks; frames failing any check are unusable. `shots`: the
    runs of the test's geometry (protocol.movement), each the lengths' own reference."""
    n = points["knee"].shape[0]
    present = np.stack([np.isfinite(points[p]).all(axis=1) for p in POINTS])
    no_person = ~present.any(axis=0)
    vis = np.stack([np.asarray(visibility[p], float) for p in POINTS])
    with np.errstate(invalid="ignore"):
        low_vis = ~no_person & (~present.all(axis=0) | ~(vis.mean(axis=0) >= MIN_VISIBILITY))
    out = np.zeros(n, bool)
    for p in FEET:
        out |= _out_of_frame(points[p], width, height)
    shank = np.linalg.norm(points["knee"] - points["ankle"], axis=1)
    foot = np.linalg.norm(points["toe"] - points["heel"], axis=1)
    shank_px = float(np.nanmedian(shank)) if np.isfinite(shank).any() else np.nan
    lengths = _unstable_length(shank, SHANK_TOLERANCE, shots) | _unstable_length(foot, FOOT_TOLERANCE, shots)
    jumped = np.zeros(n, bool)
    if np.isfinite(shank_px) and shank_px > 0:
        window = odd_window(fps, JUMP_WINDOW_S)
        for p in POINTS:
            jumped |= _jumped(points[p], shank_px, window)
    with np.errstate(invalid="ignore"):
        heel_high = (points["heel"][:, 1] < points["knee"][:, 1] + HEEL_BELOW_KNEE_SHANKS * np.nan_to_num(shank_px))
    heel_high &= np.isfinite(points["heel"][:, 1]) & np.isfinite(points["knee"][:, 1])
    failed = {
        "no person": no_person,
        "leg not visible": low_vis,
        "feet out of frame": out,
        "segment lengths unstable": lengths,
        "joint jumped": jumped,
        "heel not below knee": heel_high,
    }
    usable = ~np.any(np.stack(list(failed.values())), axis=0)
    return FrameGate(usable, failed)
