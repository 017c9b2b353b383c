"""Which frame a picture of a rep shows, and the heel state drawn on it: one rule for summary.png, the report and the video.

A rep's heel verdict is its hold's reading, and the frames drawn heel-up (frames.csv `heel_lifted`, annotated.mp4, the
figures' red strips) are that reading's run in the hold (protocol/heel_reading.py). The shin's most forward frame, the
rep's peak, can fall just before the heel rises or after it came back down: random_v3 r018 rep 2 (25 mm lifts) was up
over frames 75-89 of its hold 73-92 and peaked at 91, heel down, so a picture of the "lifted" rep at its peak showed a
flat heel. A picture that stands for a lifted rep shows the run's highest reading instead; every other rep its peak.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ankle_cv.enums import HeelSource
from ankle_cv.protocol.analysis_types import Analysis, RepResult

HeelDrawn = Literal["up", "down", "not checked"]


def rep_key_frame(rep: RepResult, heel_lifted: np.ndarray, heel_rise: np.ndarray) -> int:
    """The analysed frame a picture of this rep shows: its peak, or for a rep judged lifted whose peak is not drawn
    heel-up, the frame of its heel-up run where the heel read highest."""
    lifted = np.asarray(heel_lifted, bool)
    if rep.judged_heel_lifted is not True or not 0 <= rep.peak_frame < lifted.size or lifted[rep.peak_frame]:
        return rep.peak_frame
    frames = np.arange(max(rep.start_frame, 0), min(rep.end_frame + 1, lifted.size))
    up = frames[lifted[frames]]
    if up.size == 0:
        return rep.peak_frame
    rise = np.asarray(heel_rise, float)[up]
    return int(up[np.argmax(np.where(np.isfinite(rise), rise, -np.inf))])


def shown_rep(analysis: Analysis) -> RepResult | None:
    """The rep summary.png pictures: the best valid rep, else the one whose shin went furthest (None without reps)."""
    best = next((r for r in analysis.reps if r.index == analysis.best_rep), None)
    return best or (max(analysis.reps, key=lambda r: r.tibial_inclination_deg) if analysis.reps else None)


def shown_frame(analysis: Analysis) -> tuple[RepResult | None, int | None]:
    """The pictured rep and the analysed frame its picture shows (rep_key_frame)."""
    rep = shown_rep(analysis)
    if rep is None:
        return None, None
    return rep, rep_key_frame(rep, analysis.frames.heel_lifted, analysis.frames.heel_rise_ratio)


def heel_drawn(rep: RepResult | None, heel_lifted: np.ndarray, frame: int | None) -> HeelDrawn:
    """The heel state a picture draws at this frame, as annotated.mp4 draws it there: 'not checked' in a rep whose heel
    was not judged, else the frame's own drawn state."""
    if rep is not None and not HeelSource(rep.heel_lift_source).judged:
        return "not checked"
    lifted = np.asarray(heel_lifted, bool)
    return "up" if frame is not None and 0 <= frame < lifted.size and bool(lifted[frame]) else "down"
