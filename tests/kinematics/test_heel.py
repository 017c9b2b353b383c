"""Heel-lift estimate on synthetic silhouettes with known lifts (pure numpy, fast)."""

from __future__ import annotations

import numpy as np

from ankle_cv.kinematics.heel import DEFAULT_LIFT_RATIO, estimate_heel_lift

FPS = 30.0
FOOT_MM = 250.0
SOLE_PX = 66.0  # a 25 cm foot at 720p
PX_PER_MM = SOLE_PX / FOOT_MM
FLOOR_Y = 600.0


def _clip(lift_mm: float, heel_x: float = 600.0, facing: int = 1, shift_px: float = 0.0, seed: int = 0, n: int = 150):
    """Rest / lifted hold / rest, with the sole pivoting about the ball; returns the estimator's inputs."""
    rng = np.random.default_rng(seed)
    cols = np.arange(400.0, 800.0)
    hold = np.zeros(n, bool)
    hold[60:90] = True
    u = facing * (cols - heel_x) / SOLE_PX  # 0 back of heel, 1 toe tip
    bottom = np.full((n, cols.size), np.nan)
    on = (u >= 0) & (u <= 1)
    bottom[:, on] = FLOOR_Y
    bottom[:, (u > -0.3) & (u < 0)] = FLOOR_Y - 80.0  # the calf behind the heel, well above the floor
    pivot = np.clip((0.75 - u) / 0.75, 0, None)
    for i in np.nonzero(hold)[0]:
        bottom[i, on] -= lift_mm * PX_PER_MM * pivot[on]
        bottom[i, :] -= shift_px
    bottom += rng.normal(0, 0.3, bottom.shape)
    bottom[:, ~on & ~((u > -0.3) & (u < 0))] = np.nan
    heel = np.tile([heel_x + facing * 6.0, FLOOR_Y - 12.0], (n, 1)) + rng.normal(0, 1.0, (n, 2))
    toe = np.tile([heel_x + facing * 58.0, FLOOR_Y - 6.0], (n, 1)) + rng.normal(0, 1.0, (n, 2))
    return heel, toe, facing, ~hold, bottom, cols, hold


def _flagged(lift_mm: float, **kw) -> tuple[bool, float]:
    """Whether any hold frame is flagged, and the hold's largest rise in mm on the 25 cm foot."""
    heel, toe, facing, rest, bottom, cols, hold = _clip(lift_mm, **kw)
    out = estimate_heel_lift(heel, toe, facing, FPS, rest, bottom, cols)
    assert out.source == "silhouette"
    return bool(out.lifted[hold].any()), float(np.nanmax(out.rise_ratio[hold]) * FOOT_MM)


def test_clear_lift_is_flagged_and_measured():
    """A 15 mm lift reads close to 15 mm and is flagged."""
    flagged, mm = _flagged(15.0)
    assert flagged
    assert 11.0 < mm < 19.0


def test_flat_foot_is_not_flagged():
    """A 2 mm lift stays below the default threshold."""
    flagged, mm = _flagged(2.0)
    assert not flagged
    assert mm < DEFAULT_LIFT_RATIO * FOOT_MM


def test_whole_foot_shift_cancels():
    """A mask that drops by 3 px everywhere (dilation, camera shake) is not a heel lift."""
    flagged, mm = _flagged(0.0, shift_px=3.0)
    assert not flagged
    assert abs(mm) < 3.0


def test_facing_left_mirrors():
    """The same lift seen with the person facing image left reads the same."""
    _, right = _flagged(12.0, facing=1)
    _, left = _flagged(12.0, facing=-1)
    assert abs(right - left) < 2.0


def test_rise_grows_with_lift():
    """Larger lifts read larger (monotone, roughly proportional)."""
    readings = [_flagged(mm, seed=3)[1] for mm in (0.0, 8.0, 16.0, 24.0)]
    assert all(b > a for a, b in zip(readings, readings[1:]))
    assert 12.0 < readings[2] < 20.0


def test_reference_follows_the_tested_foot():
    """After a leg change the baseline comes from the rest where the new front foot stands."""
    heel1, toe1, f, rest1, bot1, cols, hold1 = _clip(0.0, heel_x=560.0, n=150)
    heel2, toe2, _, rest2, bot2, _, hold2 = _clip(15.0, heel_x=640.0, n=150, seed=1)
    heel, toe = np.vstack([heel1, heel2]), np.vstack([toe1, toe2])
    rest, bottom, hold = np.concatenate([rest1, rest2]), np.vstack([bot1, bot2]), np.concatenate([hold1, hold2])
    out = estimate_heel_lift(heel, toe, f, FPS, rest, bottom, cols)
    first, second = hold.copy(), hold.copy()
    first[150:], second[:150] = False, False
    assert not out.lifted[first].any()
    assert out.lifted[second].any()


def test_landmark_fallback_without_mask():
    """Without a silhouette the heel landmark's rise relative to the toe is used."""
    heel, toe, facing, rest, _, _, hold = _clip(0.0)
    heel = heel.copy()
    heel[hold, 1] -= 20.0  # a big landmark lift
    out = estimate_heel_lift(heel, toe, facing, FPS, rest)
    assert out.source == "landmarks"
    assert out.lifted[hold].any()
    assert not out.lifted[~hold][:50].any()


def test_a_far_foot_sole_is_found_against_its_own_floor_not_the_nearer_foot():
    """The foot far from the camera stands higher in the picture than the other foot just behind it."""
    from ankle_cv.kinematics.heel import find_sole

    cols = np.arange(400.0, 800.0)
    base = np.full(cols.size, np.nan)
    far_foot = (cols >= 600) & (cols <= 660)  # the tested foot: heel at 600, toe at 660, its sole at y 530
    near_other = (cols >= 540) & (cols <= 590)  # the other foot, nearer the camera: lower in the picture (y 560)
    base[far_foot] = 530.0
    base[(cols > 590) & (cols < 600)] = 450.0  # the leg above the gap between the feet
    base[near_other] = 560.0
    assert find_sole(base, cols, 604.0, 656.0, 1, 52.0) is None  # the nearer foot's sole taken as the floor: none found
    sole = find_sole(base, cols, 604.0, 656.0, 1, 52.0, own_floor=True)
    assert sole is not None and abs(sole.length_px - 60.0) <= 1.0
    assert np.nanmin(cols[np.isfinite(sole.u)]) == 600.0  # the back of the heel, not the other foot
    base[(cols >= 590) & (cols < 600)] = 561.0  # the other foot touching this one in the picture: not taken as its sole
    touching = find_sole(base, cols, 604.0, 656.0, 1, 52.0, own_floor=True)
    assert touching is not None and np.nanmin(cols[np.isfinite(touching.u)]) == 600.0
