"""Each stance's smoothed shin angle as protocol.reps segments it, for the rep diagnosis scripts (rep_peaks, rep_trace).

Imported by its siblings (run as scripts, benchmarks/ is on sys.path): the cached measurement, the scene and the
stance loop were the same lines in both. Diagnosis only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ankle_cv.kinematics.legs import Stance
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis import _Scene, _scene
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.protocol.stance_kinematics import StanceKinematics, stance_kinematics
from ankle_cv.settings import Settings


@dataclass(frozen=True)
class StanceAngle:
    """One stance (at least 3 finite samples): its kinematics, smoothed angle and the angle with gaps at its minimum."""

    stance: Stance
    kinematics: StanceKinematics
    smooth: np.ndarray
    filled: np.ndarray  # smooth with its gaps set to its minimum, so find_peaks sees no NaN
    spread: float  # 95th - 5th percentile of the smoothed angle


@dataclass(frozen=True)
class ClipStances:
    """A clip measured as analyze measures it, its scene and each stance's smoothed angle."""

    series: PoseSeries
    analysis: Analysis
    scene: _Scene
    fps: float
    stances: tuple[StanceAngle, ...]


def clip_stances(video: Path, cache: Path | None, settings: Settings | None = None) -> ClipStances:
    """Measure the clip (landmarks from the cache when there) and smooth each stance's shin angle."""
    settings = settings or Settings()
    _info, series, analysis, _w = measure_video_cached(video, settings, cache)
    fps = 1.0 / float(np.median(np.diff(series.times_s)))
    scene = _scene(series, fps, settings, analysis.camera)
    stances = []
    for st in scene.stances:
        k = stance_kinematics(series, scene.tracks, st, scene.facing, fps, settings, analysis.camera)
        s = np.asarray(k.smooth, float)
        ok = np.isfinite(s)
        if ok.sum() < 3:
            continue
        spread = float(np.nanpercentile(s, 95) - np.nanpercentile(s, 5))
        stances.append(StanceAngle(st, k, s, np.where(ok, s, np.nanmin(s)), spread))
    return ClipStances(series, analysis, scene, fps, tuple(stances))
