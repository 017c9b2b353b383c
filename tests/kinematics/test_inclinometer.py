"""The inclinometer-equivalent angle on synthetic shin outlines of known angle (pure functions only)."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.kinematics.inclinometer import (
    DEVICE_SPAN,
    MAX_FIT_RMS,
    OFFSET_BAND_DEG,
    SIGMA_OUTLINE_DEG,
    Z95,
    distrust_reason,
    others_clear_of,
    read_outline,
    rep_reading,
)

LENGTH = 120.0  # shank, px
ANKLE = np.array([500.0, 600.0])
ROWS_Y = np.arange(0.0, 720.0, 1.0)


def _profile(axis_deg: float, facing: int, ahead_at: np.ufunc | object) -> np.ndarray:
    """Per-row x of a front outline: `ahead_at(s)` shank lengths ahead of the axis at shank fraction s."""
    t = np.radians(axis_deg)
    u = np.array([facing * np.sin(t), -np.cos(t)])
    n = np.array([facing * np.cos(t), np.sin(t)])
    s = np.linspace(-0.1, 1.1, 2000)
    pts = ANKLE + np.outer(s * LENGTH, u) + np.outer(ahead_at(s) * LENGTH, n)  # type: ignore[operator]
    order = np.argsort(pts[:, 1])
    x = np.interp(ROWS_Y, pts[order, 1], pts[order, 0], left=np.nan, right=np.nan)
    x[(ROWS_Y < pts[:, 1].min()) | (ROWS_Y > ANKLE[1])] = np.nan
    return x


def _straight(offset_deg: float) -> object:
    """A front edge leaning `offset_deg` beyond the axis, 0.09 L ahead of it at the device's centre."""
    centre = 0.5 * sum(DEVICE_SPAN)
    return lambda s: 0.09 + (s - centre) * np.tan(np.radians(offset_deg))


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize("axis_deg,offset_deg", [(5.0, 4.0), (35.0, 7.0), (45.0, 12.0)])
def test_straight_outline_reads_its_own_angle(facing: int, axis_deg: float, offset_deg: float) -> None:
    edge = _profile(axis_deg, facing, _straight(offset_deg))[None, :]
    r = read_outline(edge, ROWS_Y, ANKLE[None, :], np.array([axis_deg]), LENGTH, facing)
    assert r.angle_deg[0] == pytest.approx(axis_deg + offset_deg, abs=0.3)
    assert r.trusted[0]
    assert r.placement_deg[0] == pytest.approx(0.0, abs=0.2)  # straight: the span's position does not matter


def test_only_the_device_stretch_counts() -> None:
    """A shin curving outside the device's stretch (the ankle and the knee) does not move the reading."""
    axis, offset = 30.0, 6.0
    lo, hi = DEVICE_SPAN
    base = _straight(offset)

    def bent(s: np.ndarray) -> np.ndarray:
        out = base(s)  # type: ignore[operator]
        return out + np.where(s < lo, 0.15 * (lo - s), 0.0) + np.where(s > hi, 0.3 * (s - hi), 0.0)

    edge = _profile(axis, 1, bent)[None, :]
    r = read_outline(edge, ROWS_Y, ANKLE[None, :], np.array([axis]), LENGTH, 1)
    assert r.angle_deg[0] == pytest.approx(axis + offset, abs=0.4)


def test_curved_shin_has_a_placement_term() -> None:
    axis = 30.0
    edge = _profile(axis, 1, lambda s: 0.05 + 0.25 * (s - 0.2) ** 2)[None, :]
    r = read_outline(edge, ROWS_Y, ANKLE[None, :], np.array([axis]), LENGTH, 1)
    # slope of 0.25 (s-0.2)^2 is 0.5 (s-0.2): moving the span by 0.05 L changes it by 0.025 -> ~1.4 deg
    assert 0.8 < r.placement_deg[0] < 2.0


def test_tilted_vertical_is_removed_like_the_joint_angle() -> None:
    """The outline is fitted in the image and returned against the true vertical (tilt_deg)."""
    tilt = 3.0
    edge = _profile(33.0 + tilt, 1, _straight(5.0))[None, :]  # the image shows everything turned by the tilt
    r = read_outline(edge, ROWS_Y, ANKLE[None, :], np.array([33.0]), LENGTH, 1, tilt_deg=tilt)
    assert r.angle_deg[0] == pytest.approx(38.0, abs=0.3)


def test_object_over_the_shin_is_not_trusted() -> None:
    """A bump on the outline inside the span (a kettlebell's handle) makes the fit kinked: not trusted."""
    axis = 25.0
    base = _straight(6.0)
    edge = _profile(axis, 1, lambda s: base(s) + np.where(np.abs(s - 0.5) < 0.06, 0.12, 0.0))[None, :]  # type: ignore[operator]
    r = read_outline(edge, ROWS_Y, ANKLE[None, :], np.array([axis]), LENGTH, 1)
    assert not r.trusted[0]
    assert not np.isfinite(r.angle_deg[0]) or r.fit_rms[0] > MAX_FIT_RMS


def test_outline_beyond_the_plausible_band_is_not_trusted() -> None:
    axis = 30.0
    for offset in (OFFSET_BAND_DEG[0] - 3.0, OFFSET_BAND_DEG[1] + 3.0):
        edge = _profile(axis, 1, _straight(offset))[None, :]
        r = read_outline(edge, ROWS_Y, ANKLE[None, :], np.array([axis]), LENGTH, 1)
        assert np.isfinite(r.angle_deg[0])
        assert not r.trusted[0]


def test_other_leg_near_the_front_is_not_clear() -> None:
    axis = 20.0
    t = np.radians(axis)
    mid = ANKLE + 0.57 * LENGTH * np.array([np.sin(t), -np.cos(t)])
    behind = np.array([mid - np.array([0.6 * LENGTH, 0.0])])  # the back leg well behind
    overlapping = np.array([mid - np.array([0.02 * LENGTH, 0.0])])  # the far leg's knee just behind this shin's axis
    far_below = np.array([ANKLE + np.array([0.3 * LENGTH, 0.4 * LENGTH])])  # a toe on the floor, outside the rows
    assert others_clear_of(behind, ANKLE, axis, LENGTH, 1)
    assert others_clear_of(far_below, ANKLE, axis, LENGTH, 1)
    assert not others_clear_of(overlapping, ANKLE, axis, LENGTH, 1)
    edge = _profile(axis, 1, _straight(5.0))[None, :]
    r = read_outline(edge, ROWS_Y, ANKLE[None, :], np.array([axis]), LENGTH, 1, others=overlapping[None, :, :])
    assert not r.trusted[0]
    assert "other leg" in distrust_reason(r, slice(0, 1))


def test_rep_angle_is_the_joint_angle_plus_the_persons_own_lean() -> None:
    lean = np.array([6.8, 7.2, 7.0, 6.9, 7.1, 7.0])
    r = rep_reading(33.0, lean, np.full(4, 40.2), np.zeros(10), "-")
    assert r.angle_deg == pytest.approx(40.0)
    assert r.lean_deg == pytest.approx(7.0)
    half = r.ci95_deg
    assert half is not None and half > Z95 * SIGMA_OUTLINE_DEG  # at least the outline's own error
    assert abs(40.2 - r.angle_deg) < half
    curved = rep_reading(33.0, lean, np.full(4, 40.2), np.full(10, 2.0), "-", axis_sigma_deg=2.0)
    assert curved.ci95_deg is not None and curved.ci95_deg > half


def test_a_disagreeing_hold_reading_widens_the_interval_to_take_it() -> None:
    lean = np.full(8, 5.0)
    agree = rep_reading(40.0, lean, np.full(5, 45.0), np.zeros(13), "-")
    near_wall = rep_reading(40.0, lean, np.full(5, 38.0), np.zeros(13), "-")  # the outline collapsed at the hold
    assert near_wall.angle_deg == agree.angle_deg == pytest.approx(45.0)
    assert near_wall.ci95_deg is not None and agree.ci95_deg is not None
    assert near_wall.angle_deg - near_wall.ci95_deg < 38.0 < agree.angle_deg - agree.ci95_deg


def test_without_an_approach_the_hold_reading_is_used_and_without_either_nothing() -> None:
    only_hold = rep_reading(33.0, np.full(2, 7.0), np.array([39.0, 39.4, np.nan]), np.zeros(5), "-")
    assert only_hold.angle_deg == pytest.approx(39.2) and only_hold.ci95_deg is not None
    none = rep_reading(33.0, np.full(2, np.nan), np.array([39.0, np.nan, np.nan, np.nan]), np.zeros(6), "the other leg is over it")
    assert not np.isfinite(none.angle_deg)
    assert none.ci95_deg is None
    assert none.reason == "the other leg is over it"
