"""Per-frame plausibility gating of the tested leg, its effect on reps, and picking the person to track."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ankle_cv.kinematics.plausibility import gate_frames
from ankle_cv.pose.landmarker import pick_person, prominence
from ankle_cv.pose.landmarks import LEG_INDEX
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.settings import Settings
from tests.synthetic_legs import HEIGHT, WIDTH, make_series, rep_profile

FPS = 30.0
LANDMARKS_ONLY = Settings(use_silhouette=False)


def _leg(series, side: str = "right") -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Copies of one leg's tracks and visibilities (the tested leg of make_series by default)."""
    pts = {k: v.copy() for k, v in series.leg(side).items()}
    vis = {k: v.copy() for k, v in series.leg_visibility(side).items()}
    return pts, vis


def test_clean_lunge_is_usable_throughout() -> None:
    pts, vis = _leg(make_series(rep_profile(FPS, [35.0, 42.0]), FPS, jitter_px=1.0))
    gate = gate_frames(pts, vis, WIDTH, HEIGHT, FPS)
    assert gate.usable.all()
    assert gate.reasons() == []


def test_each_check_flags_its_frames() -> None:
    pts, vis = _leg(make_series(rep_profile(FPS, [38.0]), FPS))
    n = pts["knee"].shape[0]
    pts["toe"][10:20, 1] = HEIGHT + 15  # the foot runs off the bottom of the frame
    pts["knee"][40] += [0.0, -90.0]  # one-frame teleport of the knee (shank 110 px)
    pts["knee"][60:70] = pts["ankle"][60:70] + [0.0, -250.0]  # another leg's knee: shank too long
    pts["heel"][90:95, 1] = pts["knee"][90:95, 1] - 5  # heel above the knee
    for p in ("knee", "ankle", "heel", "toe"):
        vis[p][110:115] = 0.2  # the model cannot see the leg
    for p in ("knee", "ankle", "heel", "toe"):
        pts[p][130:133] = np.nan  # nobody
    gate = gate_frames(pts, vis, WIDTH, HEIGHT, FPS)
    expect = {
        "feet out of frame": range(10, 20), "joint jumped": [40], "segment lengths unstable": range(60, 70),
        "heel not below knee": range(90, 95), "leg not visible": range(110, 115), "no person": range(130, 133),
    }
    for check, frames in expect.items():
        flagged = set(np.nonzero(gate.failed[check])[0])
        assert set(frames) <= flagged, check
    assert not gate.failed["feet out of frame"][:10].any() and not gate.failed["no person"][:130].any()
    assert gate.unusable_share() == pytest.approx(1 - gate.usable.mean())
    assert gate.reasons(slice(10, 20))[0] == "feet out of frame 100%"
    assert gate.usable[[0, 30, 50, 80, 100, 120, n - 1]].all()


def test_a_clip_cut_between_camera_shots_judges_lengths_per_shot() -> None:
    """A video cutting from a far (or front-view) shot to a near side view: the person's size changes with the shot, not
    the landmarks' plausibility (real lunge ypt: side-view shank 119-131 px, the clip's median 82 px)."""
    pts, vis = _leg(make_series(rep_profile(FPS, [35.0, 40.0]), FPS))
    n = pts["knee"].shape[0]
    cut = int(0.6 * n)  # the first 60 % filmed from twice as far: half the size about the ankle's place
    for p in ("knee", "heel", "toe"):
        pts[p][:cut] = pts["ankle"][:cut] + 0.5 * (pts[p][:cut] - pts["ankle"][:cut])
    whole = gate_frames(pts, vis, WIDTH, HEIGHT, FPS)
    assert whole.failed["segment lengths unstable"][cut:].all()  # against the clip's median, the near shot fails
    shots = gate_frames(pts, vis, WIDTH, HEIGHT, FPS, [(0, cut - 1), (cut, n - 1)])
    assert not shots.failed["segment lengths unstable"].any()
    pts["knee"][cut + 10 : cut + 20] = pts["ankle"][cut + 10 : cut + 20] + [0.0, -400.0]  # another leg's knee inside a shot
    assert set(range(cut + 10, cut + 20)) <= set(np.nonzero(gate_frames(pts, vis, WIDTH, HEIGHT, FPS, [(0, cut - 1), (cut, n - 1)])
                                                            .failed["segment lengths unstable"])[0])


def test_a_rep_measured_on_implausible_landmarks_is_refused_with_the_reason() -> None:
    """Rep 2's knee sits on the shank's line but 60% too far out (another leg's knee): same angle, refused."""
    s = make_series(rep_profile(FPS, [36.0, 40.0]), FPS)
    clean = analyze_series(s, FPS, LANDMARKS_ONLY)
    assert [r.valid for r in clean.reps] == [True, True]
    rep2 = clean.reps[1]
    xy = s.image_xy.copy()
    knee, ankle = LEG_INDEX["right"]["knee"], LEG_INDEX["right"]["ankle"]
    frames = slice(rep2.start_frame, rep2.end_frame + 1)
    xy[frames, knee] = xy[frames, ankle] + 1.6 * (xy[frames, knee] - xy[frames, ankle])
    a = analyze_series(replace(s, image_xy=xy), FPS, LANDMARKS_ONLY)
    assert [r.tibial_inclination_deg for r in a.reps] == pytest.approx([36.0, 40.0], abs=0.3)
    assert a.reps[0].valid and not a.reps[1].valid
    assert any("implausible landmarks" in x and "segment lengths unstable" in x for x in a.reps[1].invalid_reasons)
    assert a.best_rep == 1
    assert a.quality.usable_fraction < clean.quality.usable_fraction == 1.0


def test_feet_below_the_frame_give_no_measurement_with_the_reason() -> None:
    s = make_series(rep_profile(FPS, [38.0, 38.0]), FPS, offset_px=(0.0, 140.0))  # ankles at y=716, toes below
    a = analyze_series(s, FPS, LANDMARKS_ONLY)
    assert a.reps and not any(r.valid for r in a.reps)
    assert a.best_rep is None
    assert a.no_measurement_reason.startswith("feet out of frame in 100% of frames")
    assert a.quality.usable_fraction == 0.0
    assert any("plausible leg landmarks" in w for w in a.quality.warnings)


def _person(cx: float, height: float, n: int = 33) -> np.ndarray:
    """Normalised landmarks of a stick person centred at cx, feet at y=0.9."""
    y = np.linspace(0.9 - height, 0.9, n)
    return np.stack([np.full(n, cx), y], axis=1)


def test_the_most_prominent_person_is_picked_first() -> None:
    central, edge, small = _person(0.52, 0.6), _person(0.12, 0.6), _person(0.5, 0.25)
    assert prominence(central) > prominence(edge) and prominence(central) > prominence(small)
    assert pick_person([edge, central, small], None) == 1
    assert pick_person([], None) is None


def test_the_tracked_person_is_kept_even_when_someone_more_prominent_appears() -> None:
    tracked = _person(0.2, 0.5)
    moved = tracked + [0.01, 0.0]
    newcomer = _person(0.5, 0.8)
    assert pick_person([newcomer, moved], tracked) == 1
    assert pick_person([newcomer], tracked) is None  # better a missing frame than someone else's legs
