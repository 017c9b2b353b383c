"""Whether the marker sheet stands before a rep's foot: judged in that rep's own stance, not once for the clip.

The clip's gate (CameraGeometry.sheet_cover_px, centimetres.marker_geometry) asks where both feet stand over the whole
clip. In a both-legs clip each foot stands forward only in its own test and behind in the other's, so its clip median
lies between the two places: a near foot that stands behind a side-near sheet in its own stance (random_v15 r009: its
toe inside the sheet's outline, the sheet's floor line 16 px below it) was never judged hidden there, while in a
single-leg clip the same stance is (the hidden ankle's interval, the heel not judged). Geometry only, nothing fitted.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np

from ankle_cv.protocol.analysis_types import RepResult
from ankle_cv.scene.camera_geometry import CameraGeometry
from ankle_cv.scene.marker import outline_covers_feet


def rep_sheet_cover(camera: CameraGeometry, front: Mapping[str, np.ndarray], rep: RepResult) -> tuple[float, ...] | None:
    """The sheet's outline where it stands before this rep's foot: the clip's cover when set, else the standing sheet's
    outline when the front foot's heel or toe, each its median over the rep, lies behind it (scene.marker.outline_covers_feet)."""
    if camera.sheet_cover_px is not None or camera.sheet_outline_px is None:
        return camera.sheet_cover_px
    n = len(front["heel"])
    frames = np.arange(max(rep.start_frame, 0), min(rep.end_frame, n - 1) + 1)
    if not frames.size:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a rep without foot landmarks: all NaN, nothing covered
        feet = np.array([np.nanmedian(front[part][frames], axis=0) for part in ("heel", "toe")])
    return camera.sheet_outline_px if outline_covers_feet(camera.sheet_outline_px, feet) else None
