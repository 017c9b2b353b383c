"""The standing reference of a shin under loose fabric: the edge offset the fabric outline is read against (pure).

The shin's angle is its outline's, less an edge-minus-axis offset taken from the population and moved towards the
person's own (the edge against the near-upright landmarks) when the two part (kinematics.shank.shrink_offset: an
unusual leg). Under loose trousers the outline is the cloth, and the landmarks read the shin low (too upright) at rest
as well: their gap to the cloth's edge then looks like an unusually forward-leaning edge, and following it carries the
landmarks' low reading into the standing angle and from there into every frame (randomised renders: r007 of
random_v2 12 deg low at rest, r057 and r078 of random_v1 5 deg). So under fabric the person's offset is not followed
where it would read the shin flatter than the population's (a positive gap), and the cloth's own lean, which hangs a
little nearer the vertical than skin does, is allowed for (FABRIC_EDGE_LEAN_SHORT_DEG), and so is what the valid reps
under cloth still read low at the hold (FABRIC_HOLD_LOW_DEG; randomised renders, loose trousers barefoot and over shoes
alike). A negative gap (the landmarks steeper than the cloth) is followed as before. The interval keeps the gap's doubt
(protocol.interval).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ankle_cv.kinematics.fitted import EDGE_OFFSET_PER_DEG, FABRIC_EDGE_LEAN_SHORT_DEG, FABRIC_HOLD_LOW_DEG
from ankle_cv.kinematics.shank import ShankAngles, shrink_offset


def fabric_offset_drop_deg(calibration_gap_deg: float) -> float:
    """How much lower a fabric outline's edge offset is than the calibrated one: the part of a positive gap that was
    followed (the landmarks' low standing reading), the cloth's shorter lean, and what valid reps under cloth still read
    low at the hold (FABRIC_HOLD_LOW_DEG: no estimator is right both barefoot and shod under cloth, a constant is)."""
    gap = float(calibration_gap_deg) if np.isfinite(calibration_gap_deg) else 0.0
    followed = shrink_offset(gap, 0.0) if gap > 0 else 0.0
    return followed + FABRIC_EDGE_LEAN_SHORT_DEG + FABRIC_HOLD_LOW_DEG


def with_offset_lowered(shank: ShankAngles, drop_deg: float) -> ShankAngles:
    """The same edge readings against an edge offset lower by drop_deg: the edge line reads the shin steeper by
    drop_deg / (1 + EDGE_OFFSET_PER_DEG), and so does every frame's working angle, the landmarks' too where there is no
    edge, because the outline's turn is searched around it and referred to the raised standing angle (heel sweep h008:
    raised on the edge's frames alone, a turn searched around the landmarks' unraised angle fell off its window and read
    25 deg low). The landmarks themselves (the witness) and the calibration gap are left as they are."""
    if shank.edge_offset_deg is None or not np.isfinite(drop_deg) or drop_deg == 0.0:
        return shank
    rise_deg = drop_deg / (1.0 + EDGE_OFFSET_PER_DEG)
    return replace(shank, edge_deg=shank.edge_deg + rise_deg, fused_deg=shank.fused_deg + rise_deg,
                   edge_offset_deg=shank.edge_offset_deg - drop_deg, fabric_rise_deg=shank.fabric_rise_deg + rise_deg)
