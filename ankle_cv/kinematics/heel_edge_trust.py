"""Signs in the foot's own picture that its heel-edge reading cannot be trusted, rest against hold (pure numpy).

The heel's edge (kinematics/heel_edge) is a brightness step a few grey levels strong; two things seen on the
randomised renders make its reading wrong with no sign in the reading itself:
- the light over the whole foot changes between the flat-foot picture and the hold by many times that step
  (random_v1 r035: a white shoe on a saturated white floor, a 6-grey-level step, a flat heel read as a 6 % lift);
- the floor just under the heel's edge brightens in the hold, as where a lifting heel's contact shadow fades or the
  light on a small far foot changes, while the edge reads still (heel sweep h017, h037: 8 and 25 mm lifts read ~0).
A third, the heel's step broadening in the hold (a shadow sweeping over it: heel sweep h026, the other leg's shadow, a
flat heel read as a 5 % lift), was dropped: on the report split two lifts of 15 and 25 mm broadened as much.
And the step read in the hold being far stronger than the rest edge: another edge of the foot, not the one compared with
(heel sweep h051, h053: a far foot's faint shoe-sole line, the rest edge, fades as the shin tilts and the reader takes the
shoe's stronger step 6-8 px up: flat heels read as 7.6 and 8.3 % lifts). A lifted heel's own step can grow as strong
near its rest place (lit floor showing under it) or be read as far up (a large lift), but on the renders not both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankle_cv.kinematics.heel_edge import FootCrop, SoleColumns, brightness_steps, heel_hold_step, rest_edges

UNDER_EDGE_FOOT = 0.1  # the floor under the heel's edge: this many foot lengths below the flat foot's bottom


@dataclass(frozen=True)
class EdgeConditions:
    """Rest-to-hold brightness changes around the heel's edge (grey levels) and the strength of its rest step."""

    rest_step: float  # median strength of the heel zone's rest step (grey levels per px)
    light_change: float  # mean brightness of the foot's crop, hold minus rest (grey levels)
    under_change: float  # mean brightness of the floor just under the heel's edge, hold minus rest (grey levels)
    hold_step_ratio: float = float("nan")  # the step read in the hold over the rest step (median over the hold's frames)
    hold_step_rise_foot: float = float("nan")  # how far its steepest row lies above the rest edge's (foot lengths; median)


def edge_conditions(rest: list[FootCrop], hold: list[FootCrop], sole: SoleColumns) -> EdgeConditions | None:
    """The heel edge's rest step and how the light and the floor under it changed in the hold (None: unread)."""
    if not rest or not hold or any(c.grey.shape != rest[0].grey.shape or (c.x0, c.y0) != (rest[0].x0, rest[0].y0)
                                   for c in [*rest, *hold]):
        return None
    ref = rest[0]
    rest_grey = np.median(np.stack([c.grey for c in rest]), axis=0)
    hold_grey = np.median(np.stack([c.grey for c in hold]), axis=0)
    rest_steps = brightness_steps(rest_grey)
    rows, signs = rest_edges(rest_steps, ref, sole.heel_x, sole.heel_y, sole.foot_px)
    if not np.isfinite(rows).any():
        return None
    x0, x1 = max(int(sole.heel_x.min()) - ref.x0, 0), int(sole.heel_x.max()) + 1 - ref.x0
    y0 = max(int(sole.heel_y) - ref.y0, 0)
    y1 = int(sole.heel_y + UNDER_EDGE_FOOT * sole.foot_px) + 1 - ref.y0
    under_rest, under_hold = rest_grey[y0:y1, x0:x1], hold_grey[y0:y1, x0:x1]
    under = float(under_hold.mean() - under_rest.mean()) if under_rest.size else float("nan")
    picks = np.array([heel_hold_step(brightness_steps(c.grey), ref, sole.heel_x, rows, signs, sole.foot_px, rest_steps) for c in hold])
    ratio, rise = (np.nanmedian(picks, axis=0) if np.isfinite(picks).any() else (float("nan"), float("nan")))
    return EdgeConditions(float(np.median(np.abs(signs[np.isfinite(rows)]))), float(hold_grey.mean() - rest_grey.mean()), under,
                          float(ratio), float(rise))
