"""Is it the knee-to-wall test? Synthetic landmark series of a lunge, a squat, a step-up, a front view and gait."""

from __future__ import annotations

import numpy as np

from ankle_cv.kinematics.fitted import SPLIT_MIN_SHANKS
from ankle_cv.kinematics.legs import facing_sign, split_front_back
from ankle_cv.pose.landmarks import LEFT_SHOULDER, LEG_INDEX, RIGHT_SHOULDER, PoseSeries
from ankle_cv.protocol.analysis import SHIN_UNMEASURED, analyze_series
from ankle_cv.protocol.movement import FAILURES, NOT_TEST, SLID_WORDS, check_movement, implausible_peak_reason
from ankle_cv.settings import Settings
from tests.synthetic_legs import make_series, rep_profile

FPS = 30.0
LANDMARKS_ONLY = Settings(use_silhouette=False)
FOOT = ("ankle", "heel", "toe")


def _lunge(peaks: list[float] | None = None) -> PoseSeries:
    """A right-leg lunge facing right (back foot 1.6 shank lengths behind)."""
    return make_series(rep_profile(FPS, peaks or [35.0, 36.0]), FPS, facing=1, front_side="right")


def _moved(series: PoseSeries, side: str, points: tuple[str, ...], dx: np.ndarray | float, dy: np.ndarray | float,
           frames: slice = slice(None)) -> PoseSeries:
    """The series with one leg's points shifted (pixels) over some frames."""
    xy = series.image_xy.copy()
    for p in points:
        xy[frames, LEG_INDEX[side][p], 0] += dx
        xy[frames, LEG_INDEX[side][p], 1] += dy
    return PoseSeries(series.times_s, xy, series.visibility, series.world_xyz, series.width, series.height, series.people)


def _shank_px(series: PoseSeries) -> float:
    """The front (right) leg's knee-ankle distance at rest."""
    leg = series.leg("right")
    return float(np.linalg.norm(leg["knee"][0] - leg["ankle"][0]))


def test_a_split_stance_lunge_is_measured() -> None:
    a = analyze_series(_lunge(), FPS, LANDMARKS_ONLY)
    assert a.no_measurement_reason is None
    assert all(r.valid for r in a.reps) and len(a.reps) == 2


def test_feet_side_by_side_is_refused_as_not_the_test() -> None:
    s = _lunge()
    gap = s.leg("right")["ankle"][:, 0] - s.leg("left")["ankle"][:, 0]
    squat = _moved(s, "left", FOOT, gap, 0.0)  # the back foot brought beside the front one
    a = analyze_series(squat, FPS, LANDMARKS_ONLY)
    assert a.best_rep is None
    assert a.no_measurement_reason is not None and a.no_measurement_reason.startswith(NOT_TEST)
    assert "side by side" in a.no_measurement_reason


def test_front_foot_off_the_floor_is_refused() -> None:
    s = _lunge()
    up = _moved(s, "right", FOOT + ("knee",), 0.0, -0.8 * _shank_px(s))  # the front foot held up, as on a step or in the air
    a = analyze_series(up, FPS, LANDMARKS_ONLY)
    assert a.best_rep is None
    assert "off the floor" in (a.no_measurement_reason or "")


def test_a_front_view_is_refused_but_a_later_side_view_segment_is_measured() -> None:
    s = make_series(rep_profile(FPS, [34.0, 35.0, 36.0, 37.0], rest_s=1.5), FPS, facing=1, front_side="right")
    half = s.n_frames // 2
    xy = s.image_xy.copy()
    wide = 0.5 * _shank_px(s)
    xy[:half, LEFT_SHOULDER, 0] -= wide  # shoulders a shank apart: seen from the front
    xy[:half, RIGHT_SHOULDER, 0] += wide
    a = analyze_series(PoseSeries(s.times_s, xy, s.visibility, s.world_xyz, s.width, s.height, s.people), FPS, LANDMARKS_ONLY)
    valid_peaks = [r.peak_frame for r in a.reps if r.valid]
    assert valid_peaks and min(valid_peaks) > half
    assert a.no_measurement_reason is None
    assert np.isnan(a.frames.tibial_inclination_deg[: half - int(FPS)]).all()  # the front-view segment is skipped


def test_a_travelling_foot_is_refused_as_gait() -> None:
    s = _lunge()
    t = s.times_s
    stride = 1.2 * _shank_px(s) * np.sin(2 * np.pi * 1.4 * t)  # feet swinging back and forth, 1.4 strides a second
    a = analyze_series(_moved(_moved(s, "right", FOOT, stride, 0.0), "left", FOOT, -stride, 0.0), FPS, LANDMARKS_ONLY)
    assert a.best_rep is None
    assert (a.no_measurement_reason or "").startswith(NOT_TEST)


def test_negative_or_beyond_70_degree_peaks_are_not_valid() -> None:
    assert implausible_peak_reason(-23.1) is not None
    assert implausible_peak_reason(75.0) is not None
    assert implausible_peak_reason(38.0) is None


def test_facing_comes_from_the_planted_foot_not_a_rear_foot_turned_over() -> None:
    s = _lunge()
    leg = s.leg("left")
    flip = 2 * (leg["heel"][:, 0] - leg["toe"][:, 0])  # the rear foot's toe pointing backwards (laces down on a bench)
    a = analyze_series(_moved(s, "left", ("toe",), flip, 0.0), FPS, LANDMARKS_ONLY)
    assert a.facing == "right"
    assert a.side == "right"


def test_a_step_with_the_feet_side_by_side_between_reps_is_not_a_rep() -> None:
    """Stepping out and back in between two lunges tilts the shin briefly; it is no rep, and the reps keep 1, 2 numbering."""
    bump = 5.0 + 15.0 * np.sin(np.linspace(0.0, np.pi, int(0.6 * FPS)))  # a quick 20 deg shin movement while stepping
    first, second = rep_profile(FPS, [35.0]), rep_profile(FPS, [36.0])
    s = make_series(np.concatenate([first, bump, second]), FPS, facing=1, front_side="right")
    gap = s.leg("right")["ankle"][:, 0] - s.leg("left")["ankle"][:, 0]
    step = slice(first.size - 6, first.size + bump.size + 6)  # the back foot beside the front one for 1 s
    stepped = _moved(s, "left", FOOT, gap[step], 0.0, step)
    plain = analyze_series(s, FPS, LANDMARKS_ONLY)  # the same shin movement without the step: a (short) third rep
    assert len(plain.reps) == 3 and not any("not counted as reps" in w for w in plain.quality.warnings)
    a = analyze_series(stepped, FPS, LANDMARKS_ONLY)
    assert [r.index for r in a.reps] == [1, 2]
    assert [round(r.tibial_inclination_deg) for r in a.reps] == [35, 36]
    assert set(np.unique(a.frames.rep_index)) == {0, 1, 2}
    assert not (a.frames.rep_index[step] > 0)[8:-8].any()  # the step's frames belong to no rep
    assert any("not counted as reps" in w for w in a.quality.warnings)


def test_a_very_stiff_ankle_between_bigger_steps_is_measured() -> None:
    """Reps of 6° from a 1° rest, each stepped into and out of with the feet side by side and the shin tilting 16°
    (random_v1 r082's stepping in and out): the steps are no reps and do not set the scale, so both reps are found."""
    bump = 1.0 + 16.0 * np.sin(np.linspace(0.0, np.pi, int(0.6 * FPS)))
    rest = np.full(int(1.0 * FPS), 1.0)
    rep = rep_profile(FPS, [6.0], rest_deg=1.0)
    parts = [rest, bump, rep, bump, rest, bump, rep, bump, rest]
    starts = np.cumsum([0] + [p.size for p in parts])
    s = make_series(np.concatenate(parts), FPS, facing=1, front_side="right")
    gap = s.leg("right")["ankle"][:, 0] - s.leg("left")["ankle"][:, 0]
    stepped = s
    for k in (1, 3, 5, 7):  # the back foot beside the front one over each bump
        step = slice(int(starts[k]) - 6, int(starts[k + 1]) + 6)
        stepped = _moved(stepped, "left", FOOT, gap[step], 0.0, step)
    a = analyze_series(stepped, FPS, LANDMARKS_ONLY)
    assert [round(r.tibial_inclination_deg) for r in a.reps] == [6, 6]
    assert all(r.valid for r in a.reps)


def test_a_small_rep_beside_deep_ones_is_said_not_silently_dropped() -> None:
    """A 12° rep between two 40° reps (from a 5° rest) is not counted, and the warnings say which movement and why."""
    a = analyze_series(_lunge([40.0, 12.0, 40.0]), FPS, LANDMARKS_ONLY)
    assert [round(r.tibial_inclination_deg) for r in a.reps] == [40, 40]
    said = [w for w in a.quality.warnings if "not counted as a rep" in w]
    assert len(said) == 1 and "right leg: a shin movement of 7." in said[0] and "under 40 %" in said[0]
    assert "deepest rep's 3" in said[0] and "° movement" in said[0]  # an excursion (40 - 5), not an angle any line prints


def _slid_front_foot(knee_too: bool) -> tuple[PoseSeries, np.ndarray]:
    """Lunges whose front foot's landmarks slide 80 % of the way back to the back foot over each rep's deep part
    (random_v14 r010: the foot behind a marker sheet, the legs merged by the pose model); with `knee_too` the knee goes
    back with them, as in a real step back beside the other foot."""
    angles = rep_profile(FPS, [35.0, 36.0], rest_s=0.8)
    s = make_series(angles, FPS, facing=1, front_side="right")
    deep = angles > 10.0
    gap = s.leg("right")["ankle"][:, 0] - s.leg("left")["ankle"][:, 0]
    points = FOOT + (("knee",) if knee_too else ())
    return _moved(s, "right", points, np.where(deep, -0.8 * gap, 0.0), 0.0), deep


def test_a_split_stance_whose_front_foot_landmarks_slide_back_in_the_rep_is_still_the_test() -> None:
    """The back foot stayed and the front knee stayed forward: the split held, only the front foot's landmarks moved,
    so the clip is the test (its reps judged on their own), not a squat."""
    s, deep = _slid_front_foot(knee_too=False)
    tracks = split_front_back(s, facing_sign(s))
    m = check_movement(s, tracks.front, tracks.back, FPS)
    assert (m.split_shanks[deep] < SPLIT_MIN_SHANKS).mean() > 0.8  # the landmarks alone read the feet side by side
    assert m.test_like[deep].all() and m.clip_reason() is None
    a = analyze_series(s, FPS, LANDMARKS_ONLY)
    assert not (a.no_measurement_reason or "").startswith(NOT_TEST)
    assert a.reps and not any(r.valid for r in a.reps)  # the slid ankle makes the shin's angle: no number from it
    assert all(any(SLID_WORDS in x for x in r.invalid_reasons) for r in a.reps)


def test_a_front_foot_stepping_back_with_its_knee_stays_side_by_side() -> None:
    """The same slide with the knee going back too is a step: those frames stay "feet side by side"."""
    s, deep = _slid_front_foot(knee_too=True)
    tracks = split_front_back(s, facing_sign(s))
    m = check_movement(s, tracks.front, tracks.back, FPS)
    assert (m.failure[deep] == FAILURES.index("feet side by side")).mean() > 0.8
    assert not m.test_like[deep].any()


def test_a_test_whose_shin_is_lost_is_not_said_to_have_stood_still() -> None:
    """No rep where the shin had no angle in most of the test's frames (the knee lost) says so, not "the shin never tilted"."""
    s = _lunge()
    xy = s.image_xy.copy()
    xy[s.n_frames // 10:, LEG_INDEX["right"]["knee"], :] = np.nan
    a = analyze_series(PoseSeries(s.times_s, xy, s.visibility, s.world_xyz, s.width, s.height, s.people), FPS, LANDMARKS_ONLY)
    assert not a.reps
    assert (a.no_measurement_reason or "").startswith(SHIN_UNMEASURED) and "leg not visible" in (a.no_measurement_reason or "")
