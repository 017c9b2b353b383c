"""A rep's 95 % interval from its hold's per-frame method errors, spread and the offset gap."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.enums import AngleCode, VerticalSource
from ankle_cv.kinematics.fitted import INTERVAL_GAIN
from ankle_cv.protocol.interval import (
    Z95,
    conflict_reason,
    frame_ci95_deg,
    reference_share,
    rep_ci95_deg,
    vertical_sigma_deg,
)

SIL = np.full(10, AngleCode.SILHOUETTE)


def test_steady_hold_interval_is_the_method_error() -> None:
    ci = rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 0.6))
    assert ci == pytest.approx(Z95 * INTERVAL_GAIN * 0.6)


def test_interval_grows_with_spread_disagreement_and_the_offset_gap() -> None:
    base = rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 0.6))
    spread = rep_ci95_deg(SIL, 38.0 + np.linspace(-1, 1, 10), np.full(10, 0.6))
    wide = rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 3.0))
    gap = rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 0.6), calibration_gap_deg=3.0)
    assert base < spread and base < wide and base < gap
    assert frame_ci95_deg(SIL, np.full(10, 0.6), 3.0)[0] == pytest.approx(Z95 * INTERVAL_GAIN * np.hypot(0.6, 1.5))


def test_no_angle_no_interval_and_a_conflicting_hold_says_why() -> None:
    assert np.isnan(rep_ci95_deg(SIL, np.full(10, np.nan), np.full(10, 0.6)))
    src = np.full(10, AngleCode.CONFLICT)
    reason = conflict_reason(src, np.full(10, 20.0), np.full(10, 31.0))
    assert reason is not None and "disagree" in reason
    assert conflict_reason(SIL, np.full(10, 20.0), np.full(10, 31.0)) is None


def test_an_implausibly_large_leg_plane_correction_widens_the_interval() -> None:
    base = rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 0.6))
    assert rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 0.6), plane_shift_deg=2.5) == pytest.approx(base)
    wide = rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 0.6), plane_shift_deg=15.0)
    assert wide == pytest.approx(Z95 * INTERVAL_GAIN * np.hypot(0.6, 7.5))  # half the shift joins as 1 sigma


def test_an_unsure_leg_plane_reaches_the_reading_without_it() -> None:
    """heel_sweep26 h009: a room fit whose pitch rests on uprights near the centre column moved the angle 4.9 deg (40.8 ->
    35.9 for a truth of 43.5): unsure, the whole move joins the interval, which then reaches the reading without the leg
    plane; a sure plane's plausible move (within MAX_PLAUSIBLE_PLANE_SHIFT_DEG) adds nothing."""
    base = rep_ci95_deg(SIL, np.full(10, 35.9), np.full(10, 2.0))
    unsure = rep_ci95_deg(SIL, np.full(10, 35.9), np.full(10, 2.0), plane_shift_deg=-4.9, plane_unsure=True)
    assert unsure == pytest.approx(base + 4.9)
    assert rep_ci95_deg(SIL, np.full(10, 35.9), np.full(10, 2.0), plane_shift_deg=-3.5) == pytest.approx(base)
    big = rep_ci95_deg(SIL, np.full(10, 35.9), np.full(10, 2.0), plane_shift_deg=15.0, plane_unsure=True)
    assert big == pytest.approx(base + 15.0)  # the whole move, not also its half in quadrature


def test_the_verticals_own_error_widens_the_interval_in_quadrature() -> None:
    """A roll sure to 3 deg (level lines 3 deg apart) widens a 0.6 deg hold as a 3 deg shank error would."""
    base = rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 0.6))
    wide = rep_ci95_deg(SIL, np.full(10, 38.0), np.full(10, 0.6), vertical_sigma_deg=3.0)
    assert base == pytest.approx(Z95 * INTERVAL_GAIN * 0.6)
    assert wide == pytest.approx(Z95 * INTERVAL_GAIN * np.hypot(0.6, 3.0))
    frame = frame_ci95_deg(SIL, np.full(10, 0.6), 0.0, vertical_sigma_deg=3.0)
    assert frame[0] == pytest.approx(wide)


def test_the_verticals_error_by_its_source() -> None:
    """Level lines: their own spread; an image vertical (nothing measured) and a wall marker: a known error; the sheet: none."""
    assert vertical_sigma_deg(VerticalSource.ROOM_LEVEL_LINES, 3.9) == pytest.approx(3.9)
    assert vertical_sigma_deg(VerticalSource.ROOM_LEVEL_LINES, 0.5) == pytest.approx(0.5)
    assert vertical_sigma_deg(VerticalSource.IMAGE) > 1.0
    assert vertical_sigma_deg(VerticalSource.MARKER_ON_WALL) > 0.5
    assert vertical_sigma_deg(VerticalSource.MARKER) == 0.0
    assert vertical_sigma_deg(VerticalSource.ROOM_LINES) == 0.0


def test_an_own_edge_offset_behind_the_landmark_axis_takes_the_whole_gap() -> None:
    """A front edge standing on or behind the landmarks' knee-ankle line (own offset < 0) is no shin's: the standing
    reference is contradicted, so the gap counts whole (random_v13 r010's near leg: -0.44, every estimator +5 high)."""
    assert reference_share(None) == 0.5 and reference_share(float("nan")) == 0.5 and reference_share(3.4) == 0.5
    assert reference_share(0.2) == 0.5 and reference_share(-0.44) == 1.0
    half = rep_ci95_deg(SIL, np.full(10, 18.0), np.full(10, 1.5), calibration_gap_deg=-3.9)
    whole = rep_ci95_deg(SIL, np.full(10, 18.0), np.full(10, 1.5), calibration_gap_deg=-3.9, gap_share=reference_share(-0.44))
    assert whole == pytest.approx(Z95 * INTERVAL_GAIN * np.hypot(1.5, 3.9)) and whole > half
    landmarks = np.full(10, AngleCode.LANDMARKS)  # the landmarks alone rest on no standing reference
    assert rep_ci95_deg(landmarks, np.full(10, 18.0), np.full(10, 1.5), -3.9, gap_share=1.0) == pytest.approx(
        rep_ci95_deg(landmarks, np.full(10, 18.0), np.full(10, 1.5)))
    assert frame_ci95_deg(SIL, np.full(10, 1.5), -3.9, gap_share=1.0)[0] == pytest.approx(whole)
