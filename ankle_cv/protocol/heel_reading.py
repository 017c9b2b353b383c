"""Each rep's heel read from the image's heel edge, frame by frame, where the foot crops and the sole allow it (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import cast

import numpy as np

from ankle_cv.enums import HeelSource
from ankle_cv.kinematics.heel import PIVOT_GAIN, RELEASE_FRACTION, SMOOTH_S, TYPICAL_FOOT_MM, rest_sole
from ankle_cv.kinematics.heel_edge import (
    FootCrop,
    SoleColumns,
    crops_for,
    edge_rise_trace_px,
    foot_box,
    rep_frames,
    sole_columns,
)
from ankle_cv.kinematics.signals import hysteresis, odd_window, rolling_median
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import Analysis, RepResult
from ankle_cv.protocol.rep_checks import HEEL_REASON, heel_pitch_deg, heel_reason, rep_heel_state

HIDDEN_MARGIN_FOOT = 0.3  # a sheet's outline this close to the foot (foot lengths) may hide or mimic its edges
MIN_HOLD_READINGS = 3  # image heel readings in the hold that suffice when other frames of the rep are unreadable


@dataclass(frozen=True)
class RepHeel:
    """One rep's per-frame heel reading (frames start..end): rise (fraction of foot length), heel-up state."""

    start: int
    rise_ratio: np.ndarray
    lifted: np.ndarray

def _rest_sole(series: PoseSeries, front: dict[str, np.ndarray], facing: int, rest: np.ndarray) -> SoleColumns | None:
    """The flat foot's sole columns (heel and forefoot zones) from the silhouette of the rest frames."""
    if not series.has_mask:
        return None
    cols = np.asarray(series.mask_cols_x, float)
    _, base, sole = rest_sole(front["heel"], front["toe"], facing, rest, cast(np.ndarray, series.mask_bottom_y), cols)
    return sole_columns(sole.u, base, cols, sole.length_px) if sole is not None else None

def heel_check_boxes(analysis: Analysis, series: PoseSeries) -> dict[int, tuple[int, int, int, int]]:
    """Frames (sample index -> image box around the front foot) whose crops let each rep's heel be read from the image."""
    return heel_boxes(analysis.reps, analysis.front_xy, series.n_frames)

def heel_boxes(reps: Sequence[RepResult], front: Mapping[str, np.ndarray], n: int) -> dict[int, tuple[int, int, int, int]]:
    """heel_check_boxes from the reps and the front leg's points.

    The rest just before the rep and every frame of the rep: the per-frame trace and the verdict come from the same reading.
    """
    boxes: dict[int, tuple[int, int, int, int]] = {}
    for r in reps:
        rest, _ = rep_frames(r.start_frame, r.peak_frame, n)
        box = foot_box(np.nanmedian(front["heel"][rest], axis=0), np.nanmedian(front["toe"][rest], axis=0))
        if box is not None:
            boxes.update({int(i): box for i in np.concatenate([rest, np.arange(r.start_frame, r.end_frame + 1)])})
    return boxes

def hidden_foot_parts(front: dict[str, np.ndarray], frames: np.ndarray, cover: tuple[float, ...] | None) -> tuple[str, ...]:
    """The front foot's parts a sheet standing before it may hide: both, when its outline reaches the foot's box.

    A sheet nearer the camera than the foot cuts the foot's outline and puts its own edges beside the heel's
    (renders: a 'near' card beside the foot made a heel that never moved read 25 mm and 19 cm), so no heel
    reading near it is trusted.
    """
    if cover is None:
        return ()
    heel, toe = np.nanmedian(front["heel"][frames], axis=0), np.nanmedian(front["toe"][frames], axis=0)
    if not (np.all(np.isfinite(heel)) and np.all(np.isfinite(toe))):
        return ()
    foot = float(np.linalg.norm(toe - heel))
    lo = np.minimum(heel, toe) - [HIDDEN_MARGIN_FOOT * foot, 0.5 * foot]
    hi = np.maximum(heel, toe) + HIDDEN_MARGIN_FOOT * foot
    poly = np.asarray(cover, float).reshape(-1, 2)
    box_lo, box_hi = poly.min(axis=0), poly.max(axis=0)
    if np.any(box_hi < lo) or np.any(box_lo > hi):
        return ()
    return ("heel", "toe")

def heel_from_image(
    rep: RepResult, series: PoseSeries, front: dict[str, np.ndarray], facing: int, crops: Mapping[int, FootCrop], threshold: float,
    fps: float, incl: np.ndarray, cover: tuple[float, ...] | None = None,
) -> tuple[RepResult, RepHeel | None]:
    """The rep with its heel read from the image's heel edge frame by frame, when the crops and the sole allow it."""
    rest, _ = rep_frames(rep.start_frame, rep.peak_frame, series.n_frames)
    rest_crops = crops_for(rest, crops)
    sole = _rest_sole(series, front, facing, rest) if rest_crops else None
    hidden = hidden_foot_parts(front, rest, cover)
    idx = np.arange(rep.start_frame, rep.end_frame + 1)
    raw = np.full(idx.size, np.nan)
    foot_px = sole.foot_px if sole is not None else float("nan")
    if sole is not None and not hidden:
        raw = edge_rise_trace_px(rest_crops, [crops.get(int(i)) for i in idx], sole)
    h0, h1 = rep.hold_start_frame - rep.start_frame, rep.hold_end_frame - rep.start_frame
    readable = np.isfinite(raw).sum() >= max(3, 0.5 * idx.size) or np.isfinite(raw[max(h0, 0):h1 + 1]).sum() >= MIN_HOLD_READINGS
    if not readable:
        if not hidden and cover is None:
            return rep, None
        # The sheet hides part of the foot and cuts its outline: neither reading holds, the heel is not judged.
        kept = tuple(x for x in rep.invalid_reasons if not x.startswith(HEEL_REASON))
        return (replace(rep, heel_lift_ratio=float("nan"), heel_lift_mm_approx=float("nan"), heel_lifted=False, valid=not kept,
                        invalid_reasons=kept, heel_lift_source=HeelSource.HIDDEN),
                RepHeel(rep.start_frame, np.full(idx.size, np.nan), np.zeros(idx.size, bool)))
    win = odd_window(fps, SMOOTH_S)
    ratio = rolling_median(raw * PIVOT_GAIN / foot_px, win)
    hold = ratio[max(h0, 0):h1 + 1]
    held_ratio = float(np.nanmedian(hold)) if np.isfinite(hold).any() else float("nan")
    # The verdict is the hold's median reading (a real lift holds; single noisy frames do not make one); the frames
    # drawn as heel-up are then the run of readings above the release level that holds the hold, so they agree with it.
    if np.isfinite(held_ratio) and held_ratio >= threshold:
        state = rep_heel_state(hysteresis(ratio, threshold * RELEASE_FRACTION, threshold * RELEASE_FRACTION), series.times_s[idx], h0, h1)
        if not state.any():
            state[max(h0, 0):h1 + 1] = True
    else:
        state = np.zeros(idx.size, bool)
    peak_ratio = held_ratio if np.isfinite(held_ratio) else float(np.nanmax(ratio))
    lifted = bool(state.any())
    reasons = [x for x in rep.invalid_reasons if not x.startswith(HEEL_REASON)]
    if lifted:
        reasons.insert(0, heel_reason(peak_ratio))
    pitch = heel_pitch_deg(ratio, state)
    dflex = float(np.nanmedian((incl[idx] - pitch)[max(h0, 0):h1 + 1])) if lifted else rep.tibial_inclination_deg
    out = replace(rep, heel_lift_ratio=peak_ratio, heel_lift_mm_approx=peak_ratio * TYPICAL_FOOT_MM, heel_lifted=lifted,
                  valid=not reasons, invalid_reasons=tuple(reasons), heel_lift_source=HeelSource.IMAGE, ankle_dorsiflexion_deg=dflex)
    return out, RepHeel(rep.start_frame, ratio, state)
