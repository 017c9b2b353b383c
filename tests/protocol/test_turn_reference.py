"""The outline turn's standing reference is read where the front foot stands, not while it steps away between reps."""

from __future__ import annotations

import numpy as np
import pytest

import ankle_cv.protocol.stance_kinematics as stance_kinematics
from ankle_cv.pose.landmarks import LEG_INDEX
from ankle_cv.protocol.analysis import analyze_series
from tests.synthetic_legs import make_series, rep_profile

FPS = 30.0
FOOT_PX = 55.0  # make_series' default foot


def test_frames_where_the_foot_stepped_away_do_not_set_the_turns_standing_outline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two 40-degree reps; in the rest after the first the whole front leg (landmarks and outline) stands 0.8 foot lengths
    ahead, as random_v12 r017's foot stepped forward between its reps (its outline there is not the shin turning about
    the planted ankle the turn pivots on). Those frames are near upright like the standing ones, but the profile the
    turn is read against must come from the frames where the foot stands."""
    angles = rep_profile(FPS, [40.0, 40.0], rest_s=2.0)
    s = make_series(angles, FPS, with_mask=True)
    rest_n, rep_n = int(2.0 * FPS), 2 * int(1.2 * FPS) + int(0.8 * FPS)
    away = np.arange(rest_n + rep_n + 5, 2 * rest_n + rep_n - 5)  # inside the rest between the reps
    dx = 0.8 * FOOT_PX
    for name in ("knee", "ankle", "heel", "toe"):
        s.image_xy[away, LEG_INDEX["right"][name], 0] += dx
    assert s.mask_right_x is not None
    s.mask_right_x[away] += dx
    seen: list[np.ndarray] = []
    turned = stance_kinematics.turned_angles_deg

    def watched(edge_x: np.ndarray, rows: np.ndarray, pivot: np.ndarray, guess: np.ndarray, rest: np.ndarray,
                *args: object, **kwargs: object) -> np.ndarray:
        seen.append(np.array(rest, bool))
        return turned(edge_x, rows, pivot, guess, rest, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stance_kinematics, "turned_angles_deg", watched)
    a = analyze_series(s, FPS)
    assert len(a.reps) == 2 and seen
    for rest in seen:  # one stance over the whole clip: its masks are indexed from the clip's first frame
        assert rest.size == angles.size
        assert not rest[away].any()  # the stepped-away frames are not standing references
        assert rest[:rest_n - 5].sum() >= 0.8 * (rest_n - 5)  # the frames standing before rep 1 are
