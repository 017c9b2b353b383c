"""Heel lift from the image's heel edge: synthetic feet on a floor, lifted by known amounts."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.kinematics.heel_edge import (
    FootCrop,
    SoleColumns,
    above_lit_gap,
    agreed_shift,
    brightness_steps,
    edge_rise_px,
    edge_rise_trace_px,
    foot_box,
    foot_side_rows,
    rep_frames,
    rest_edges,
    shake_cancelled,
    sole_columns,
    still_after_frames,
    still_rest_frames,
)

FLOOR_Y = 60.0  # image row of the floor under the foot (sub-pixel edges are drawn by area)
HEEL_X, TOE_X = 40, 90


def _foot_image(
    lift_px: float, skin: float = 150.0, floor: float = 190.0, sole: float = 70.0, shadow: float | None = 110.0, seed: int = 0
) -> np.ndarray:
    """A side-view foot: skin over a dark 2-px sole, pivoting about the ball (x 80), on a floor with a static contact shadow."""
    h, w = 90, 130
    rng = np.random.default_rng(seed)
    img = np.full((h, w), floor, np.float32)
    if shadow is not None:
        img[int(FLOOR_Y):int(FLOOR_Y) + 2, HEEL_X - 2:TOE_X + 2] = shadow  # contact shadow on the floor: never moves
    rows = np.arange(h)[:, None] + 0.5
    for x in range(HEEL_X, TOE_X):
        rise = lift_px * max(80 - x, 0) / (80 - HEEL_X)  # pivot about the ball
        bottom = FLOOR_Y - rise
        top = bottom - 25
        cover_sole = np.clip(bottom - (rows[:, 0] - 0.5), 0, 1) - np.clip(bottom - 2 - (rows[:, 0] - 0.5), 0, 1)
        cover_skin = np.clip(bottom - 2 - (rows[:, 0] - 0.5), 0, 1) * (rows[:, 0] > top)
        col = img[:, x]
        img[:, x] = col * (1 - cover_sole - cover_skin) + sole * cover_sole + skin * cover_skin
    return img + rng.normal(0, 1.0, img.shape).astype(np.float32)


def _sole() -> SoleColumns:
    foot = float(TOE_X - HEEL_X)
    xs = np.arange(HEEL_X, TOE_X)
    u = (xs - HEEL_X) / foot
    return SoleColumns(xs[(u >= 0.05) & (u <= 0.25)], FLOOR_Y, xs[(u >= 0.7) & (u <= 0.9)], FLOOR_Y, foot)


def _crops(lifts: list[float], seed0: int = 0) -> list[FootCrop]:
    return [FootCrop(0, 0, _foot_image(v, seed=seed0 + i)) for i, v in enumerate(lifts)]


@pytest.mark.parametrize("lift_px", [0.0, 1.0, 2.0, 3.5, 6.0])
def test_the_heel_edge_follows_the_foot_not_its_shadow(lift_px: float) -> None:
    rest = _crops([0.0] * 5)
    hold = _crops([lift_px] * 5, seed0=10)
    rise = edge_rise_px(rest, hold, _sole())
    # The heel zone's centre (u 0.15) rises (80 - 47.5) / 40 of the heel's lift.
    expected = lift_px * (80 - (HEEL_X + 0.15 * 50)) / (80 - HEEL_X)
    # The blur lets the sole's two opposite steps, 2 px apart, push each other's peaks by up to ~0.35 px.
    assert rise == pytest.approx(expected, abs=0.3 if lift_px == 0 else 0.45)


def test_a_dark_foot_on_a_light_floor_and_a_light_foot_on_a_dark_floor_both_read() -> None:
    """Either polarity of the foot's edge is followed (no contact shadow here: a dark one merged with a dark foot's
    edge is the method's known blind spot, see ankle_cv.kinematics.heel_edge)."""
    for skin, floor in ((60.0, 200.0), (200.0, 60.0)):
        rest = [FootCrop(0, 0, _foot_image(0.0, skin=skin, floor=floor, sole=skin, shadow=None, seed=i)) for i in range(5)]
        hold = [FootCrop(0, 0, _foot_image(3.0, skin=skin, floor=floor, sole=skin, shadow=None, seed=9 + i)) for i in range(5)]
        assert edge_rise_px(rest, hold, _sole()) == pytest.approx(3.0 * 32.5 / 40, abs=0.4)


def test_camera_shake_cancels_against_the_forefoot() -> None:
    rest = _crops([0.0] * 5)
    shaken = [FootCrop(0, 0, np.roll(c.grey, -2, axis=0)) for c in _crops([0.0] * 5, seed0=20)]  # whole picture 2 px up
    assert abs(edge_rise_px(rest, shaken, _sole())) < 0.3


def test_no_edge_no_reading() -> None:
    flat = [FootCrop(0, 0, np.full((90, 130), 128.0, np.float32)) for _ in range(5)]
    assert np.isnan(edge_rise_px(flat, flat, _sole()))
    assert np.isnan(edge_rise_px([], _crops([0.0]), _sole()))
    moved = [FootCrop(3, 0, c.grey) for c in _crops([0.0] * 5)]  # crops that do not line up are not compared
    assert np.isnan(edge_rise_px(_crops([0.0] * 5), moved, _sole()))


def _rounded_heel_image(lift_px: float, seed: int, ramp_px: float = 6.0) -> np.ndarray:
    """A light foot whose rounded bottom shades into a dark contact shadow over ramp_px; the shadow stays on the floor.

    Lifted, the foot and its shaded bottom move up while the shadow's darkest row stays at the floor and darkens the gap
    (the renders' heels of bodies b02 and b18: the step stretches, its steepest row moved ~0.6 of the lift there).
    """
    skin, shadow, floor = 140.0, 60.0, 100.0
    h, w = 90, 130
    y = np.arange(h) + 0.5
    img = np.full((h, w), floor, np.float32)
    for x in range(HEEL_X - 2, TOE_X + 2):
        on_foot = HEEL_X <= x < TOE_X
        bottom = FLOOR_Y - (lift_px * max(80 - x, 0) / (80 - HEEL_X) if on_foot else 0.0)
        gap = (y > bottom) & (y < FLOOR_Y + 3)
        img[gap, x] = shadow + (floor - shadow) * np.clip((y[gap] - FLOOR_Y) / 3, 0, 1)
        if on_foot:
            foot = (y < bottom) & (y > bottom - 25)
            img[foot, x] = skin - (skin - shadow) * np.clip(1 - (bottom - y[foot]) / ramp_px, 0, 1)
    return img + np.random.default_rng(seed).normal(0, 1.0, img.shape).astype(np.float32)


@pytest.mark.parametrize("lift_px", [0.0, 1.0, 3.0])
def test_a_rounded_heel_over_its_contact_shadow_reads_its_whole_lift(lift_px: float) -> None:
    """The step is read on the foot's side: its steepest row, held towards the fixed shadow, read 2.2 of a 3 px lift's 2.44 px."""
    rest = [FootCrop(0, 0, _rounded_heel_image(0.0, seed=i)) for i in range(5)]
    hold = [FootCrop(0, 0, _rounded_heel_image(lift_px, seed=60 + i)) for i in range(5)]
    expected = lift_px * (80 - (HEEL_X + 0.15 * 50)) / (80 - HEEL_X)
    assert edge_rise_px(rest, hold, _sole()) == pytest.approx(expected, abs=0.2 if lift_px == 0 else 0.12)


def test_the_foot_side_of_a_step_is_where_it_has_risen_through_half_its_peak() -> None:
    steps = np.zeros((12, 3))
    steps[:, 1] = [0, 0, 2, 4, 6, 8, 10, 3, 0, 0, 0, 0]  # peak 10 at row 6; half of it between rows 3 (4) and 4 (6)
    steps[:, 2] = -steps[:, 1]  # the same step of the other polarity (a foot darker than what lies below it)
    crop = FootCrop(5, 20, np.zeros((13, 3), np.float32))
    rows = np.array([np.nan, 20 + 6.5, 20 + 6.5])  # image y of the steepest step (row k sits at y0 + k + 0.5)
    got = foot_side_rows(steps, crop, np.array([5, 6, 7]), rows, np.array([0.0, 10.0, -10.0]))
    assert np.isnan(got[0])
    assert got[1:] == pytest.approx([20 + 3.5 + 0.5, 20 + 3.5 + 0.5])


def _dark_heel_image(lift_px: float, seed: int, sole_band: float | None = None) -> np.ndarray:
    """A dark foot (80) over its dark contact shadow (50, 2 rows, never moves) on a light floor (180), pivoting about the
    ball (x 80); sole_band: a light 3-px shoe sole of that brightness at the foot's bottom."""
    skin, shadow, floor = 80.0, 50.0, 180.0
    h, w = 90, 130
    y = np.arange(h) + 0.5
    img = np.full((h, w), floor, np.float32)
    img[int(FLOOR_Y):int(FLOOR_Y) + 2, HEEL_X - 2:TOE_X + 2] = shadow
    for x in range(HEEL_X, TOE_X):
        bottom = FLOOR_Y - lift_px * max(80 - x, 0) / (80 - HEEL_X)
        foot = (y < bottom) & (y > bottom - 25)
        img[foot, x] = skin
        if sole_band is not None:
            img[foot & (y > bottom - 3), x] = sole_band
    return img + np.random.default_rng(seed).normal(0, 1.0, img.shape).astype(np.float32)


def test_a_heel_lifted_off_its_contact_shadow_is_read_above_the_lit_gap() -> None:
    """Lifted 4 px, lit floor shows between the heel and its shadow: the heel's step is followed, not the shadow's (heel
    sweep h037: 25 mm lifts read ~0 on the lowest step); flat, it reads ~0."""
    rest = [FootCrop(0, 0, _dark_heel_image(0.0, seed=i)) for i in range(5)]
    gain = (80 - (HEEL_X + 0.15 * 50)) / (80 - HEEL_X)
    lifted = [FootCrop(0, 0, _dark_heel_image(4.0, seed=70 + i)) for i in range(5)]
    flat = [FootCrop(0, 0, _dark_heel_image(0.0, seed=80 + i)) for i in range(5)]
    assert edge_rise_px(rest, lifted, _sole()) == pytest.approx(4.0 * gain, abs=0.5)
    assert abs(edge_rise_px(rest, flat, _sole())) < 0.2


def test_a_light_shoe_sole_over_its_shadow_is_no_lit_gap() -> None:
    """A light sole band over the dark shadow shows the same opposite step at rest: a flat heel still reads ~0, a lifted one
    its lift."""
    rest = [FootCrop(0, 0, _dark_heel_image(0.0, seed=i, sole_band=170.0)) for i in range(5)]
    flat = [FootCrop(0, 0, _dark_heel_image(0.0, seed=90 + i, sole_band=170.0)) for i in range(5)]
    assert abs(edge_rise_px(rest, flat, _sole())) < 0.2


def test_the_step_above_a_new_lit_gap_is_taken() -> None:
    """One column's steps (foot-to-floor positive): heel step at 2, lit gap's lower side at 4, the shadow's step at 6."""
    hold = np.array([0, 3, 10, 2, -9, 1, 12, 2, 0], float)
    rest = np.array([0, 0, 1, 0, -2, 4, 14, 3, 0], float)  # at rest only the shadow's step (a faint darkening over it)
    assert above_lit_gap(hold, rest, [2, 6], 6) == (2, 2)  # the heel's step; the shadow 2 rows thick (rows 4 to 6)
    assert above_lit_gap(hold, np.array([0, 3, 10, 2, -9, 1, 12, 2, 0], float), [2, 6], 6) == (6, 0)  # the gap was there at rest
    assert above_lit_gap(np.array([0, 3, 10, 2, -4, 1, 12, 2, 0], float), rest, [2, 6], 6) == (6, 0)  # too weak for a lit gap
    assert above_lit_gap(hold, rest, [6], 6) == (6, 0)  # no strong step above


def _hemmed_heel_image(lift_px: float, seed: int) -> np.ndarray:
    """A dark skin heel (90) on a slightly lighter floor (115), under a black hem (0) whose lower edge lies 9 px above the
    sole: the hem's step is ~3.5x the heel's, inside the hold's search window (0.2 foot) but above the rest edge's."""
    h, w = 90, 130
    y = np.arange(h) + 0.5
    img = np.full((h, w), 115.0, np.float32)
    for x in range(HEEL_X, TOE_X):
        bottom = FLOOR_Y - lift_px * max(80 - x, 0) / (80 - HEEL_X)
        foot, hem = np.clip(bottom - (y - 0.5), 0, 1), np.clip(bottom - 9.0 - (y - 0.5), 0, 1)
        img[:, x] = 115.0 * (1 - foot) + 90.0 * (foot - hem)
    return img + np.random.default_rng(seed).normal(0, 1.0, img.shape).astype(np.float32)


@pytest.mark.parametrize("lift_px", [0.0, 1.0, 3.0, 5.0])
def test_a_faint_heel_edge_under_a_much_stronger_hem_is_still_followed(lift_px: float) -> None:
    """The heel's own step, under 0.4 of the hem's, counts as strong for being as strong as at rest: lifts read their lift
    (dropped for the hem's step they read nothing: heel sweep h061's 25 mm lift, loose trousers over shoes)."""
    rest = [FootCrop(0, 0, _hemmed_heel_image(0.0, seed=i)) for i in range(5)]
    hold = [FootCrop(0, 0, _hemmed_heel_image(lift_px, seed=110 + i)) for i in range(5)]
    expected = lift_px * (80 - (HEEL_X + 0.15 * 50)) / (80 - HEEL_X)
    assert edge_rise_px(rest, hold, _sole()) == pytest.approx(expected, abs=0.2 if lift_px == 0 else 0.3)
    trace = edge_rise_trace_px(rest, hold, _sole()) - np.median(edge_rise_trace_px(rest, rest, _sole()))
    assert float(np.median(trace)) == pytest.approx(expected, abs=0.2 if lift_px == 0 else 0.3)


def test_boxes_zones_and_frames() -> None:
    box = foot_box(np.array([100.0, 300.0]), np.array([150.0, 305.0]))
    assert box is not None
    x0, y0, x1, y1 = box
    assert x0 < 100 and x1 > 150 and y0 < 300 and y1 > 305
    assert foot_box(np.array([np.nan, 1.0]), np.array([2.0, 3.0])) is None
    cols = np.arange(0, 200, 2.5)
    u = np.where((cols >= 40) & (cols <= 90), (cols - 40) / 50, np.nan)
    zones = sole_columns(u, np.full(cols.size, 60.0), cols, 50.0)
    assert zones is not None
    assert zones.heel_x.min() >= 42 and zones.heel_x.max() <= 53
    assert zones.fore_x.min() >= 75 and zones.fore_x.max() <= 85
    rest, hold = rep_frames(10, 30, 100)
    assert rest.tolist() == [6, 7, 8, 9, 10] and hold.tolist() == [28, 29, 30, 31, 32]
    assert rep_frames(1, 99, 100)[0].tolist() == [0, 1] and rep_frames(1, 99, 100)[1].tolist() == [97, 98, 99]


def test_the_per_frame_trace_is_the_same_reading_frame_by_frame() -> None:
    """A heel rising 0 -> 4 px and back: each frame's reading matches the rep reading of that lift."""
    lifts = [0.0, 1.0, 2.5, 4.0, 4.0, 2.0, 0.0]
    rest = _crops([0.0] * 5)
    frames = _crops(lifts, seed0=30)
    trace = edge_rise_trace_px(rest, [*frames, None], _sole())
    assert np.isnan(trace[-1])  # a frame without its crop has no reading
    gain = (80 - (HEEL_X + 0.15 * 50)) / (80 - HEEL_X)
    assert trace[:-1] == pytest.approx(np.array(lifts) * gain, abs=0.5)
    one = edge_rise_px(rest, [frames[3]], _sole())
    assert trace[3] == pytest.approx(one, abs=1e-6)


def test_without_the_forefoot_the_rear_foot_alone_is_read() -> None:
    rest = _crops([0.0] * 5)
    trace = edge_rise_trace_px(rest, _crops([3.0], seed0=40), _sole(), use_forefoot=False)
    assert trace[0] == pytest.approx(3.0 * 32.5 / 40, abs=0.45)


def test_a_forefoot_edge_unlike_the_heels_is_not_subtracted() -> None:
    """A far foot: under the forefoot the edge found is another boundary (opposite polarity) that moves on its own."""

    def far_foot(lift_px: float, fore_shift_px: float, seed: int) -> np.ndarray:
        img = _foot_image(lift_px, seed=seed)
        fore = slice(HEEL_X + 26, TOE_X + 2)  # the forefoot zone's columns and beyond
        edge = int(FLOOR_Y - fore_shift_px)
        img[:edge, fore] = 40.0  # dark above, bright below: a rising step where the heel's (skin over sole) falls
        img[edge:, fore] = 250.0
        return img

    rest = [FootCrop(0, 0, far_foot(0.0, 0.0, seed=i)) for i in range(5)]
    hold = [FootCrop(0, 0, far_foot(3.0, 3.0, seed=50))]
    assert edge_rise_trace_px(rest, hold, _sole())[0] == pytest.approx(3.0 * 32.5 / 40, abs=0.45)


def test_shake_is_cancelled_only_where_the_forefoot_moved_with_the_heel() -> None:
    assert shake_cancelled(2.0, 0.5, 1.0) == pytest.approx(1.5)  # shake: both edges alike
    assert shake_cancelled(-0.2, -0.5, 1.0) == pytest.approx(0.3)
    assert shake_cancelled(0.1, 1.5, 1.0) == pytest.approx(0.1)  # the forefoot rose by itself: the heel would be under the floor
    assert shake_cancelled(0.5, float("nan"), 1.0) == pytest.approx(0.5)  # no forefoot in this frame
    assert shake_cancelled(-1.5, 0.0, 1.0) == pytest.approx(-1.5)  # the heel's own reading below the floor stays (dropped later)
    assert np.isnan(shake_cancelled(float("nan"), 0.0, 1.0))


def test_a_forefoot_edge_that_rises_by_itself_does_not_hide_a_flat_heel() -> None:
    """Random_v4 r015: a far foot's forefoot edge read 1.5 px up in the hold, the flat heel's not: the heel is read alone."""

    def raised_fore(lift_px: float, fore_up_px: float, seed: int) -> np.ndarray:
        img = _foot_image(lift_px, seed=seed)
        if fore_up_px:
            fore = slice(HEEL_X + 33, TOE_X)
            img[int(FLOOR_Y - fore_up_px):int(FLOOR_Y) + 2, fore] = 190.0  # the forefoot's bottom rose, the floor shows
        return img

    rest = [FootCrop(0, 0, raised_fore(0.0, 0.0, seed=i)) for i in range(5)]
    flat = [FootCrop(0, 0, raised_fore(0.0, 3.0, seed=60 + i)) for i in range(3)]
    lifted = [FootCrop(0, 0, raised_fore(4.0, 0.0, seed=70))]
    trace = edge_rise_trace_px(rest, flat, _sole())
    assert np.isfinite(trace).all() and np.abs(trace).max() < 0.4  # read, and read down (before: no reading)
    assert edge_rise_trace_px(rest, lifted, _sole())[0] == pytest.approx(4.0 * 32.5 / 40, abs=0.5)


def _stepping_foot(plant: int, n: int = 60, foot_px: float = 50.0, seed: int = 0) -> np.ndarray:
    """The foot's centre per sample: standing elsewhere, swinging in (a step-in), then planted from `plant` on."""
    rng = np.random.default_rng(seed)
    xy = np.tile([300.0, 400.0], (n, 1))
    xy[:plant - 8] = [300.0 + 3 * foot_px, 410.0]  # beside the other foot
    xy[plant - 8:plant, 0] = np.linspace(300.0 + 3 * foot_px, 300.0 + 0.3 * foot_px, 8)  # swinging in
    return xy + rng.normal(0, 0.01 * foot_px, xy.shape)  # landmark jitter


def test_the_rest_reference_is_taken_where_the_foot_already_stands_still() -> None:
    xy = _stepping_foot(plant=16)
    rest = still_rest_frames(10, 40, 55, xy, 50.0)  # the rep starts while the foot still swings in (frame 10)
    assert rest.size >= 3 and rest.min() >= 16 and rest.max() <= 19  # planted samples in the first 30 % of the way to the peak
    assert still_rest_frames(25, 40, 55, xy, 50.0).tolist() == [21, 22, 23, 24, 25]  # planted before the start: just before it


def test_no_still_foot_before_the_peak_gives_no_reference() -> None:
    xy = _stepping_foot(plant=38)
    assert still_rest_frames(10, 40, 55, xy, 50.0).size == 0  # planted only at the peak: no flat foot to compare with
    assert still_rest_frames(10, 40, 55, np.full((60, 2), np.nan), 50.0).size == 0


def test_a_landmark_jump_as_the_rep_starts_keeps_the_still_foot_just_before_it() -> None:
    xy = _stepping_foot(plant=10)
    xy[30:36, 0] += np.array([0.8, 0.4, 0.2, 0.9, -0.1, 0.5]) * 50.0  # the landmarks jump for a few samples (heel sweep h008)
    rest = still_rest_frames(30, 50, 58, xy, 50.0)
    assert rest.size >= 3 and rest.max() <= 29 and rest.min() >= 20  # the planted foot just before the rep, not nothing


def test_the_reference_after_a_rep_is_where_the_foot_stands_still_next() -> None:
    xy = _stepping_foot(plant=8)  # planted from sample 8 on
    assert still_after_frames(10, 40, xy, 50.0).tolist() == [41, 42, 43, 44, 45]  # just after the rep's end
    away = xy.copy()
    away[41:, 0] += np.linspace(0.3, 6.0, away.shape[0] - 41) * 50.0  # the foot steps away as the rep ends
    assert still_after_frames(10, 40, away, 50.0).size == 0
    assert still_after_frames(10, 57, xy, 50.0).size == 0  # the clip ends with the rep: nothing after it


def test_a_small_foots_box_holds_the_edge_search_under_its_sole() -> None:
    """A 25 px foot whose points sit 0.45 foot above its sole (random_v1 r014): the crop foot_box cuts still holds the
    rest edge's search SEARCH_BELOW_PX under the sole, so the flat foot's edge is read (it was not: the box ended 4 px
    under the sole and three flat heels went "not checked")."""
    foot, sole_y = 25.0, 120.0
    img = np.full((200, 200), 190.0, np.float32)
    img[: int(sole_y), 80:105] = 70.0  # a dark foot on a light floor
    heel, toe = np.array([104.0, sole_y - 0.45 * foot]), np.array([80.0, sole_y - 0.45 * foot])
    box = foot_box(heel, toe)
    assert box is not None
    x0, y0, x1, y1 = box
    crop = FootCrop(x0, y0, img[y0:y1, x0:x1])
    xs = np.arange(85, 100)
    rows, _ = rest_edges(brightness_steps(crop.grey), crop, xs, sole_y, foot)
    assert np.isfinite(rows).all()
    assert np.median(rows) == pytest.approx(sole_y, abs=0.6)


def _shoe_image(lift_px: float, seed: int, sole_px: float = 6.5) -> np.ndarray:
    """A dark shoe upper over a thick white sole on a dark floor (random_v10 r004): the upper-to-sole edge lies sole_px
    above the floor, just beyond the rest edge's search (SEARCH_ABOVE_FOOT of the 50 px foot: 6 px)."""
    upper, sole, floor = 30.0, 200.0, 30.0
    h, w = 90, 130
    y = np.arange(h)[:, None] + 0.5
    img = np.full((h, w), floor, np.float32)
    for x in range(HEEL_X, TOE_X):
        bottom = FLOOR_Y - lift_px * max(80 - x, 0) / (80 - HEEL_X)
        in_sole = np.clip(bottom - (y[:, 0] - 0.5), 0, 1) - np.clip(bottom - sole_px - (y[:, 0] - 0.5), 0, 1)
        in_upper = np.clip(bottom - sole_px - (y[:, 0] - 0.5), 0, 1) * (y[:, 0] > bottom - 30)
        img[:, x] = floor * (1 - in_sole - in_upper) + sole * in_sole + upper * in_upper
    return img + np.random.default_rng(seed).normal(0, 1.0, img.shape).astype(np.float32)


@pytest.mark.parametrize("lift_px", [0.0, 3.0])
def test_an_edge_just_above_the_search_is_not_taken_for_the_soles(lift_px: float) -> None:
    """The upper-to-sole step's tail reaching into the search window is not the flat foot's edge: the sole's own edge on
    the floor is (the tail's flank, read from its peak outside the window, under-read r004's 10 mm lifts as 1.2 %)."""
    rest = [FootCrop(0, 0, _shoe_image(0.0, seed=i)) for i in range(5)]
    hold = [FootCrop(0, 0, _shoe_image(lift_px, seed=70 + i)) for i in range(5)]
    rows, signs = rest_edges(brightness_steps(rest[0].grey), rest[0], _sole().heel_x, FLOOR_Y, 50.0)
    assert np.all(signs < 0)  # the white sole over the dark floor, not the dark upper over the sole
    assert np.allclose(rows, FLOOR_Y, atol=0.6)
    expected = lift_px * (80 - (HEEL_X + 0.15 * 50)) / (80 - HEEL_X)
    assert edge_rise_px(rest, hold, _sole()) == pytest.approx(expected, abs=0.3)


def test_a_zone_whose_columns_split_between_edges_gives_no_shift() -> None:
    """random_v3 r005 rep 3: five columns near 0, three near 7.7 px; their median (1.4 px) is read by none of them."""
    assert np.isnan(agreed_shift(np.array([3.0, -0.57, 7.72, np.nan, 7.72, 7.92, -0.18, -0.36, -0.49])))
    pivoting = np.linspace(7.0, 5.0, 12)  # a lifted heel's zone: its back rises more than its front (about the ball)
    assert agreed_shift(pivoting) == pytest.approx(6.0)
    assert agreed_shift(np.array([0.1, -0.2, 0.3, 0.0, 2.5])) == pytest.approx(0.1)  # one stray column: still read
    assert np.isnan(agreed_shift(np.array([0.1, np.nan, 0.2])))  # too few columns
