"""Properties of the kinematics on synthetic landmark series (hypothesis): where the person stands in the
image, how large they look, which way they face and how the camera is rolled must not change the angle;
nothing non-finite may reach result.json."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ankle_cv.io.video_source import VideoInfo
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.results.build import build_result
from ankle_cv.results.frames_csv import frame_rows
from ankle_cv.results.types import Result
from ankle_cv.settings import Settings
from tests.synthetic_legs import MEDIAPIPE_ANKLE_HIGH, make_series, rep_profile

FPS = 15.0
LANDMARKS_ONLY = Settings(use_silhouette=False)
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

peak_deg = st.floats(min_value=22.0, max_value=46.0)
peaks = st.lists(peak_deg, min_size=1, max_size=2)


def _rep_angles(a: Analysis) -> list[float]:
    return [r.tibial_inclination_deg for r in a.reps]


def _same_frames(a: Analysis, b: Analysis, tol_deg: float) -> None:
    """Per-frame inclination equal where finite, and finite in the same frames."""
    x, y = a.frames.tibial_inclination_deg, b.frames.tibial_inclination_deg
    assert np.array_equal(np.isfinite(x), np.isfinite(y))
    assert np.nanmax(np.abs(x - y)) < tol_deg


def mirrored(s: PoseSeries) -> PoseSeries:
    """The same recording seen in a mirror: x -> W-1-x for landmarks and the silhouette's edges."""
    xy = s.image_xy.copy()
    xy[..., 0] = (s.width - 1) - xy[..., 0]
    masks = {}
    if s.has_mask:
        assert np.array_equal(s.mask_cols_x, np.arange(s.width, dtype=np.float32))
        masks = dict(
            mask_right_x=(s.width - 1) - s.mask_left_x, mask_left_x=(s.width - 1) - s.mask_right_x,
            mask_bottom_y=s.mask_bottom_y[:, ::-1].copy(),
        )
    return replace(s, image_xy=xy, **masks)


def rolled(s: PoseSeries, roll_deg: float) -> PoseSeries:
    """The landmarks as a camera rolled by roll_deg sees them: the floor runs down to the right for +roll."""
    a = math.radians(roll_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    centre = np.array([s.width / 2, s.height / 2])
    xy = (s.image_xy - centre) @ rot.T + centre
    return replace(s, image_xy=xy)


@FAST
@given(peaks=peaks, scale=st.floats(0.6, 1.6), dx=st.floats(-300, 300), dy=st.floats(-200, 60),
       jitter=st.sampled_from([0.0, 1.0]), seed=st.integers(0, 99))
def test_angles_do_not_depend_on_where_the_person_stands_or_how_large(
    peaks: list[float], scale: float, dx: float, dy: float, jitter: float, seed: int
) -> None:
    angles = rep_profile(FPS, peaks)
    base = analyze_series(make_series(angles, FPS, jitter_px=jitter, seed=seed), FPS, LANDMARKS_ONLY)
    moved = analyze_series(
        make_series(angles, FPS, jitter_px=jitter * scale, seed=seed, scale=scale, offset_px=(dx, dy)), FPS, LANDMARKS_ONLY
    )
    _same_frames(base, moved, 1e-6)
    assert _rep_angles(moved) == pytest.approx(_rep_angles(base), abs=1e-6)
    assert [r.valid for r in moved.reps] == [r.valid for r in base.reps]


@FAST
@given(peaks=peaks, facing=st.sampled_from([1, -1]), front=st.sampled_from(["left", "right"]),
       jitter=st.sampled_from([0.0, 1.5]), seed=st.integers(0, 99))
def test_mirror_image_gives_the_same_angles(peaks: list[float], facing: int, front: str, jitter: float, seed: int) -> None:
    s = make_series(rep_profile(FPS, peaks), FPS, facing=facing, front_side=front, jitter_px=jitter, seed=seed)
    a, b = analyze_series(s, FPS, LANDMARKS_ONLY), analyze_series(mirrored(s), FPS, LANDMARKS_ONLY)
    assert a.facing != b.facing
    _same_frames(a, b, 1e-6)
    assert _rep_angles(b) == pytest.approx(_rep_angles(a), abs=1e-6)
    assert len(a.reps) == len(peaks)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(peak=peak_deg, facing=st.sampled_from([1, -1]))
def test_mirror_image_gives_the_same_angles_with_the_silhouette(peak: float, facing: int) -> None:
    s = make_series(rep_profile(FPS, [peak]), FPS, facing=facing, with_mask=True, ankle_landmark_high=MEDIAPIPE_ANKLE_HIGH)
    a, b = analyze_series(s, FPS), analyze_series(mirrored(s), FPS)
    assert [r.tibial_inclination_deg for r in b.reps] == pytest.approx(_rep_angles(a), abs=0.05)
    assert _rep_angles(a) == pytest.approx([peak], abs=1.0)


@FAST
@given(peaks=peaks, roll=st.floats(-10.0, 10.0), facing=st.sampled_from([1, -1]))
def test_roll_correction_recovers_the_true_angle(peaks: list[float], roll: float, facing: int) -> None:
    """A rolled camera adds ±roll to the image angle; telling the analysis the roll takes it away again."""
    s = make_series(rep_profile(FPS, peaks), FPS, facing=facing)
    truth = analyze_series(s, FPS, LANDMARKS_ONLY)
    tilted = rolled(s, roll)
    corrected = analyze_series(tilted, FPS, replace(LANDMARKS_ONLY, camera_roll_deg=roll))
    _same_frames(truth, corrected, 1e-6)
    assert _rep_angles(corrected) == pytest.approx(peaks, abs=0.3)
    if abs(roll) > 2.0:  # uncorrected, the roll shows up in the angle: the property is not vacuous
        raw = analyze_series(tilted, FPS, LANDMARKS_ONLY)
        raw_peak = np.nanmax(raw.frames.tibial_inclination_deg)
        assert abs(raw_peak - max(peaks)) == pytest.approx(abs(roll), abs=0.5)


def _video(s: PoseSeries, fps: float) -> VideoInfo:
    return VideoInfo("synthetic.mp4", s.width, s.height, fps, s.n_frames, s.n_frames / fps, 0, "h264")


def _no_non_finite(value: object, where: str = "result") -> None:
    """Walk the document: every number finite (json would write NaN/Infinity, which is not JSON)."""
    if isinstance(value, float):
        assert math.isfinite(value), where
    elif isinstance(value, dict):
        for k, v in value.items():
            _no_non_finite(v, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _no_non_finite(v, f"{where}[{i}]")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_reps=st.integers(0, 2), drop=st.floats(0.0, 1.0), jitter=st.floats(0.0, 30.0), cut=st.integers(1, 200),
    lost_block=st.booleans(), teleport=st.booleans(), offscreen=st.booleans(), seed=st.integers(0, 999),
)
def test_no_nan_escapes_into_result_json(
    n_reps: int, drop: float, jitter: float, cut: int, lost_block: bool, teleport: bool, offscreen: bool, seed: int
) -> None:
    """Missing detections, noise, teleports, feet below the frame, 1-frame clips: result.json stays valid JSON."""
    rng = np.random.default_rng(seed)
    angles = rep_profile(FPS, [38.0] * n_reps)[:cut]
    s = make_series(angles, FPS, jitter_px=jitter, seed=seed, offset_px=(0.0, 200.0 if offscreen else 0.0))
    xy, vis = s.image_xy.copy(), s.visibility.copy()
    gone = rng.random(s.n_frames) < drop
    if lost_block:
        gone[s.n_frames // 3: 2 * s.n_frames // 3] = True
    if teleport and s.n_frames > 2:
        xy[rng.integers(0, s.n_frames, 3)] += rng.normal(0, 300, 2)
    xy[gone], vis[gone] = np.nan, 0.0
    s = replace(s, image_xy=xy, visibility=vis)
    analysis = analyze_series(s, FPS, Settings())
    result = build_result(analysis, _video(s, FPS))
    doc = result.to_obj()
    json.dumps(doc, allow_nan=False)  # raises on NaN or inf
    _no_non_finite(doc)
    assert Result.from_json(result.to_json()) == result  # what is written reads back through the contract
    assert (result.best_rep is None) == (result.summary.no_measurement_reason is not None)
    for row in frame_rows(analysis):
        assert not any(isinstance(c, float) and not math.isfinite(c) for c in row)
