"""Knee-to-wall geometry against exact pinhole projections (known camera, leg and wall)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pytest

from ankle_cv.enums import Side
from ankle_cv.kinematics.shank import inclination_deg
from ankle_cv.protocol.distance import (
    ahead_px,
    equivalent_toe_to_wall_cm,
    heel_lift_mm,
    knee_past_toe_cm,
    knee_to_wall_cm,
    patella_offset_cm,
    touch_inclination_deg,
    yaw_error_cm,
    yaw_shrunk_inclination_deg,
)
from ankle_cv.scene.camera_geometry import up_from_roll


def camera(yaw_deg: float = 0.0, roll_deg: float = 0.0, distance_m: float = 2.8, height_m: float = 0.5, f_px: float = 900.0):
    """World: X towards the wall (wall at X = 0), Y away from the camera, Z up. Returns a projector to pixels."""
    k = np.array([[f_px, 0, 640.0], [0, f_px, 360.0], [0, 0, 1]])
    base = np.array([[1.0, 0, 0], [0, 0, -1.0], [0, 1.0, 0]])  # camera looks along +Y, image y down
    y, r = np.radians(yaw_deg), np.radians(roll_deg)
    yaw = np.array([[np.cos(y), -np.sin(y), 0], [np.sin(y), np.cos(y), 0], [0, 0, 1]])
    roll = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    rot = roll @ base @ yaw
    centre = np.array([-0.3, -distance_m, height_m])

    def project(p: np.ndarray) -> np.ndarray:
        q = k @ (rot @ (np.asarray(p, float) - centre))
        return q[:2] / q[2]

    return project


def leg(theta_deg: float, toe_to_wall_cm: float, shank_m: float = 0.42, patella_m: float = 0.07, ankle_to_toe_m: float = 0.19):
    """3D points of a leg in the plane Y = 0: ankle, knee joint, front of the knee, toe tip."""
    t = np.radians(theta_deg)
    toe = np.array([-toe_to_wall_cm / 100.0, 0.0, 0.0])
    ankle = toe - np.array([ankle_to_toe_m, 0, -0.08])
    knee = ankle + shank_m * np.array([np.sin(t), 0, np.cos(t)])
    front = knee + patella_m * np.array([np.cos(t), 0, -np.sin(t)])
    return ankle, knee, front, toe


def px_per_cm_at_leg(project) -> float:
    """The scale a perfect calibration gives in the leg's plane: 10 cm along the floor at the toes' depth."""
    return float(np.linalg.norm(project([-0.05, 0, 0.0]) - project([-0.15, 0, 0.0])) / 10.0)


@pytest.mark.parametrize("yaw_deg, roll_deg", [(0.0, 0.0), (0.0, 3.0), (0.0, -4.0), (5.0, 0.0), (-5.0, 2.0)])
@pytest.mark.parametrize("theta_deg, toe_cm", [(30.0, 8.0), (38.0, 10.0), (44.0, 12.0)])
def test_distances_from_a_projection(yaw_deg: float, roll_deg: float, theta_deg: float, toe_cm: float) -> None:
    project = camera(yaw_deg, roll_deg)
    ankle, knee, front, toe = (project(p) for p in leg(theta_deg, toe_cm))
    wall = project([0.0, 0.0, 0.0])
    up = up_from_roll(roll_deg)
    facing = 1
    cm = 1.0 / px_per_cm_at_leg(project)
    true_front_to_wall = -leg(theta_deg, toe_cm)[2][0] * 100
    true_knee_past_toe = (leg(theta_deg, toe_cm)[1][0] - leg(theta_deg, toe_cm)[3][0]) * 100
    # Roll: with the true vertical, floor distances come back; yaw: they shrink by about cos(yaw) at most.
    tol = 0.3 + yaw_error_cm(abs(true_front_to_wall) + 20, yaw_deg)
    assert float(knee_to_wall_cm(front, wall, up, facing, cm)) == pytest.approx(true_front_to_wall, abs=tol)
    assert float(knee_past_toe_cm(knee, toe, up, facing, cm)) == pytest.approx(true_knee_past_toe, abs=tol)
    # The angle seen: roll corrected by `up`; yaw shrinks it as tan(theta') = tan(theta) cos(yaw) (perspective adds a little).
    seen = float(inclination_deg(knee[None], ankle[None], facing, up)[0])
    assert seen == pytest.approx(yaw_shrunk_inclination_deg(theta_deg, yaw_deg), abs=0.8)


def test_ignoring_roll_costs_centimetres() -> None:
    """Without the true vertical a rolled camera tilts 'along the floor': the test above is not trivially loose."""
    project = camera(0.0, 4.0)
    _, _, front, _ = (project(p) for p in leg(40.0, 10.0))
    wall = project([0.0, 0.0, 0.0])
    cm = 1.0 / px_per_cm_at_leg(project)
    truth = -leg(40.0, 10.0)[2][0] * 100
    assert abs(float(knee_to_wall_cm(front, wall, None, 1, cm)) - truth) > 1.0
    assert float(knee_to_wall_cm(front, wall, up_from_roll(4.0), 1, cm)) == pytest.approx(truth, abs=0.3)


def test_facing_left_mirrors() -> None:
    a = np.array([[100.0, 50.0]])
    b = np.array([[130.0, 50.0]])
    assert float(ahead_px(a, b, None, 1)[0]) == -30.0
    assert float(ahead_px(a, b, None, -1)[0]) == 30.0


@pytest.mark.parametrize("theta", [25.0, 33.0, 41.0, 48.0])
def test_touch_model_round_trip(theta: float) -> None:
    shank, patella, a = 42.0, 7.0, 19.0
    d = equivalent_toe_to_wall_cm(shank, patella, a, theta)
    # The same leg drawn in 3D touches the wall exactly at that toe distance.
    _, _, front, _ = leg(theta, d, shank / 100, patella / 100, a / 100)
    assert front[0] * 100 == pytest.approx(0.0, abs=1e-6)
    assert touch_inclination_deg(shank, patella, a, d) == pytest.approx(theta, abs=1e-6)
    ahead = d + a
    assert patella_offset_cm(ahead, shank, theta) == pytest.approx(patella, abs=1e-6)


def test_touch_inclination_out_of_reach() -> None:
    assert np.isnan(touch_inclination_deg(40.0, 7.0, 19.0, 60.0))


def test_equivalent_distance_grows_with_the_angle() -> None:
    values = [equivalent_toe_to_wall_cm(42.0, 7.0, 19.0, t) for t in (20, 30, 40, 50)]
    assert all(b > a for a, b in zip(values, values[1:]))
    # About 0.6-0.7 cm per degree near 35 deg, the rule of thumb clinicians use (1 cm ~ 3.6 deg).
    per_deg = (equivalent_toe_to_wall_cm(42.0, 7.0, 19.0, 36) - equivalent_toe_to_wall_cm(42.0, 7.0, 19.0, 34)) / 2
    assert 0.5 < per_deg < 0.8


def test_heel_lift_mm() -> None:
    assert heel_lift_mm(0.04, 250.0, 0.1) == pytest.approx(10.0)


def _placed(seen_cm: float | None, stated_cm: float = 10.0, floor_marker: bool = False) -> tuple[Any, list[str]]:
    """Where the wall is put for a toe at x=100 px facing right, 0.1 cm/px, the base seen `seen_cm` ahead (or not)."""
    from types import SimpleNamespace

    from ankle_cv.protocol.centimetres import _toe_and_wall
    from ankle_cv.scene.marker import Scale

    analysis = SimpleNamespace(settings=SimpleNamespace(foot_to_wall_cm=stated_cm))
    toe = np.array([100.0, 300.0])
    seen = None if seen_cm is None else toe + np.array([seen_cm / 0.1, 0.0])
    notes: list[str] = []
    placed = _toe_and_wall(analysis, Side.RIGHT, Scale("height", 0.1, 0.06), toe, np.array([1.0, 0.0]), None, 1,  # type: ignore[arg-type]
                           False, notes, seen, prefer_seen=floor_marker)
    return placed, notes


def test_a_wall_seen_far_from_the_stated_distance_is_used() -> None:
    placed, notes = _placed(3.0)
    assert placed.from_picture and placed.toe_to_wall_cm == pytest.approx(3.0)
    assert placed.wall[0] == pytest.approx(130.0)
    assert "seen in the picture is 3.0 cm ahead of the toes, not the stated 10 cm" in notes[0]


@pytest.mark.parametrize("seen_cm", [None, 11.5, 7.5])
def test_the_stated_distance_stands_without_a_clearly_different_wall(seen_cm: float | None) -> None:
    placed, notes = _placed(seen_cm)
    assert not placed.from_picture and placed.toe_to_wall_cm == 10.0 and placed.wall[0] == pytest.approx(200.0)
    assert notes == []


@pytest.mark.parametrize("seen_cm", [11.5, 7.5, 3.0])
def test_a_floor_marker_measures_to_the_wall_seen_wherever_it_is(seen_cm: float) -> None:
    """With a floor marker's scale the wall's base seen in the picture is the wall, near the stated distance or not."""
    placed, notes = _placed(seen_cm, floor_marker=True)
    assert placed.from_picture and placed.toe_to_wall_cm == pytest.approx(seen_cm)
    assert placed.wall[0] == pytest.approx(100.0 + seen_cm / 0.1)
    assert "the marker on the floor gives no wall" in notes[0]


def test_a_floor_marker_without_a_wall_seen_falls_back_to_the_stated_line() -> None:
    """No wall in the picture: the stated line is placed (measure_centimetres then withholds knee-to-wall)."""
    placed, notes = _placed(None, floor_marker=True)
    assert not placed.from_picture and placed.toe_to_wall_cm == 10.0


@pytest.mark.parametrize("line_printed", [True, False])
def test_toes_near_the_stated_line_are_put_on_it_only_where_a_line_is_printed(line_printed: bool) -> None:
    """Toes measured 11 cm from the wall: on the upright sheet they stand at its printed 10 cm line; a floor marker's
    wall (no line printed there) keeps the toe tip as found."""
    from types import SimpleNamespace

    from ankle_cv.protocol.centimetres import _toe_and_wall
    from ankle_cv.scene.marker import Scale

    analysis = SimpleNamespace(settings=SimpleNamespace(foot_to_wall_cm=10.0))
    toe = np.array([100.0, 300.0])
    scale = Scale("marker" if line_printed else "marker_floor", 0.1, 0.02, wall_point_px=toe + np.array([110.0, 0.0]))
    placed = _toe_and_wall(analysis, Side.RIGHT, scale, toe, np.array([1.0, 0.0]), None, 1,  # type: ignore[arg-type]
                           False, [], None, line_printed=line_printed)
    assert placed.toe_to_wall_cm == pytest.approx(11.0)
    assert placed.wall[0] == pytest.approx(210.0)
    if line_printed:
        assert placed.toe[0] == pytest.approx(110.0) and placed.toe_sd_cm is not None
    else:
        assert placed.toe[0] == pytest.approx(100.0) and placed.toe_sd_cm is None


def _on_sheet(toe_cm: float, from_proportions: bool = False, faint: bool = False, outlined_cm: float | None = None) -> Any:
    """The toe and wall placed for a toe tip `toe_cm` from the upright sheet's wall (0.1 cm/px, facing right, 10 cm line);
    `outlined_cm`: the silhouette's own tip where proportions replaced it."""
    from types import SimpleNamespace

    from ankle_cv.protocol.centimetres import _toe_and_wall
    from ankle_cv.scene.marker import Scale

    analysis = SimpleNamespace(settings=SimpleNamespace(foot_to_wall_cm=10.0))
    wall = np.array([300.0, 300.0])
    toe = wall - np.array([toe_cm / 0.1, 0.0])
    outlined = None if outlined_cm is None else wall - np.array([outlined_cm / 0.1, 0.0])
    scale = Scale("marker", 0.1, 0.02, wall_point_px=wall)
    return _toe_and_wall(analysis, Side.RIGHT, scale, toe, np.array([1.0, 0.0]), None, 1,  # type: ignore[arg-type]
                         from_proportions, [], None, faint=faint, outlined=outlined)


@pytest.mark.parametrize(("toe_cm", "on_line"), [(11.4, True), (8.6, True), (11.7, False), (12.3, False), (8.4, False)])
def test_a_clearly_outlined_toe_stands_on_the_line_only_within_the_mismatch(toe_cm: float, on_line: bool) -> None:
    """A clearly outlined toe 12.3 cm from the wall stands there (random_v4 r004: put on the 10 cm line it read 2.2 cm short)."""
    placed = _on_sheet(toe_cm)
    assert bool(placed.toe[0] == pytest.approx(200.0)) is on_line
    if not on_line:
        assert placed.toe[0] == pytest.approx(300.0 - toe_cm / 0.1) and placed.toe_sd_cm is None


@pytest.mark.parametrize(("from_proportions", "faint"), [(True, False), (False, True)])
def test_a_lost_or_faint_toe_up_to_toes_lost_beyond_the_line_stands_on_it(from_proportions: bool, faint: bool) -> None:
    """A silhouette loses toes, never gains them: an unsure toe read 12.3 cm from the wall may stand at the 10 cm line."""
    assert _on_sheet(12.3, from_proportions, faint).toe[0] == pytest.approx(200.0)
    assert _on_sheet(12.7, from_proportions, faint).toe[0] == pytest.approx(300.0 - 127.0)


@pytest.mark.parametrize(("outlined_cm", "on_line"), [(9.7, True), (12.0, True), (13.0, False), (None, False)])
def test_an_outline_at_the_line_puts_toes_replaced_by_proportions_on_it(outlined_cm: float | None, on_line: bool) -> None:
    """Proportions put the toe 3 cm ahead of an outline that stands at the printed line (random_v5 r016: a short foot
    for its shin, toes on the line, the proportional toe 2.9 cm ahead of the true tip): the toes stand on the line."""
    placed = _on_sheet(6.8, from_proportions=True, outlined_cm=outlined_cm)
    assert bool(placed.toe[0] == pytest.approx(200.0)) is on_line
    if not on_line:
        assert placed.toe[0] == pytest.approx(232.0)


def _rep_sigmas(vertical_sd_deg: float, measured: bool) -> tuple[float, float]:
    """knee-to-wall and equivalent 1-sigmas of a rep whose knee front stands 400 px above the floor (0.1 cm/px)."""
    from types import SimpleNamespace

    from ankle_cv.protocol.centimetres import _Geometry, _rep_cm

    n = 10
    knee = np.tile([300.0, 100.0], (n, 1))
    g = _Geometry(knee, np.array([250.0, 500.0]), np.array([200.0, 490.0]), np.array([320.0, 500.0]), None, 1, 0.1, 420.0,
                  0.5, 0.8, 0.0, measured, 0.0, vertical_sd_deg)
    frames = SimpleNamespace(tibial_inclination_smooth_deg=np.linspace(10.0, 40.0, n))
    rep = SimpleNamespace(start_frame=0, end_frame=n - 1, peak_frame=n - 1, tibial_inclination_deg=40.0, heel_lift_ratio=float("nan"),
                          index=1)
    c = _rep_cm(rep, SimpleNamespace(frames=frames), g, float("nan"))  # type: ignore[arg-type]
    assert c.uncertainty_cm is not None and c.equivalent_uncertainty_cm is not None
    return c.uncertainty_cm, c.equivalent_uncertainty_cm


@pytest.mark.parametrize("measured", [True, False])
def test_the_vertical_leans_the_equivalent_distance_too(measured: bool) -> None:
    """The toe lies on the floor and the knee 40 cm above it: a 1.5 deg vertical adds 40 tan(1.5 deg) = 1.05 cm of doubt to
    the equivalent distance, whatever gave the vertical (knee-to-wall keeps its own rule: only a measured vertical)."""
    k0, e0 = _rep_sigmas(0.0, measured)
    k1, e1 = _rep_sigmas(1.5, measured)
    assert e1 ** 2 - e0 ** 2 == pytest.approx((40.0 * np.tan(np.radians(1.5))) ** 2, rel=1e-6)
    assert (k1 > k0) == measured


def test_a_small_markers_vertical_is_less_sure_and_the_pictures_leans_off_centre() -> None:
    """The sheet's edges: 0.3 deg down to 48 px, wider below (0.25 px over the side); the picture's own vertical, read
    for its centre, gains the lean an unknown pitch gives a leg at the picture's edge, none at its centre."""
    from ankle_cv.enums import VerticalSource
    from ankle_cv.protocol.centimetres import vertical_sd_deg
    from ankle_cv.scene.marker import Scale

    def sheet(side_px: float) -> Scale:
        return Scale("marker", 0.1, 0.02, roll_deg=0.0, details={"marker_side_px": side_px})

    assert vertical_sd_deg(sheet(60.0), VerticalSource.MARKER, 100.0, (1280, 720)) == pytest.approx(0.3)
    assert vertical_sd_deg(sheet(17.6), VerticalSource.MARKER, 100.0, (640, 360)) == pytest.approx(np.degrees(0.25 / 17.6))
    floor = Scale("marker_floor", 0.1, 0.03)
    centre = vertical_sd_deg(floor, VerticalSource.IMAGE, 639.5, (1280, 720))
    edge = vertical_sd_deg(floor, VerticalSource.IMAGE, 100.0, (1280, 720))
    lean = np.degrees(np.arctan(539.5 * np.tan(np.radians(5.0)) / (0.7 * 1280)))  # 3.0 deg at the picture's edge
    assert centre == pytest.approx(1.5) and edge == pytest.approx(float(np.hypot(1.5, lean)))


@pytest.mark.parametrize(("unsure", "expected"), [(False, 0.5), (True, float(np.hypot(0.5, 2.2)))])
def test_toes_put_on_the_printed_line_keep_the_doubt_of_a_lost_or_faint_toe(unsure: bool, expected: float) -> None:
    from ankle_cv.protocol.centimetres import _Placed, _placed_toe_sd_cm

    on_line = _Placed(np.zeros(2), np.ones(2), 0.5, 10.0)
    assert _placed_toe_sd_cm(on_line, 2.2, unsure) == pytest.approx(expected)
    assert _placed_toe_sd_cm(_Placed(np.zeros(2), np.ones(2), None, 10.0), 2.2, unsure) == pytest.approx(2.2)


def test_a_floor_markers_unreached_line_without_a_toe_distance_is_said_not_crashed() -> None:
    """random_v6 r009 (a floor marker, both legs): the line beside the marker was seen, the knee never came near it and
    no toe distance was placed; the note formatted None and the whole analysis crashed."""
    from ankle_cv.protocol.centimetres import _LegCm, _wall_the_knee_reached

    none = cast(Any, None)
    leg = _LegCm(geometry=none, touch=none, numbers=none, knee_to_wall_cm=np.full(3, np.nan), toe_to_wall_cm=None,
                 wall_from_marker=False, withheld=False, wall_from_picture=True)
    notes: list[str] = []
    out = _wall_the_knee_reached(none, none, Side.LEFT, none, none, None, notes, leg, {}, True)
    assert out is not None and out[2] is True
    assert notes == ["left leg: a line ahead of the toes beside the marker on the floor looks like the wall's base, but the "
                     "knee never came near it: no wall is located"]


def _rep(index: int, k2w: float | None, sd: float, eq: float | None, eq_sd: float) -> Any:
    from ankle_cv.protocol.centimetre_types import RepCentimetres

    return RepCentimetres(index, k2w, 3.0, eq, None, sd, eq_sd, True)


def test_a_knee_read_beyond_the_wall_is_given_as_touching_and_the_equivalent_as_the_walls_distance() -> None:
    """A knee cannot stand behind the wall's line: -0.7 at +-1.0 is given as 0 (touching), and the equivalent distance as the
    wall's own distance from the toes (12.7 - 0.7 = 12.0); a reading in front of the wall and the sigmas stay, nothing said."""
    from ankle_cv.protocol.centimetres import _within_the_wall

    notes: list[str] = []
    out = _within_the_wall({1: _rep(1, -0.7, 1.0, 12.7, 1.2), 2: _rep(2, 2.5, 1.0, 9.5, 1.2), 3: _rep(3, None, 1.0, 9.0, 1.2)},
                           "left", notes)
    assert out[1].knee_to_wall_cm == 0.0 and out[1].equivalent_toe_to_wall_cm == pytest.approx(12.0)
    assert out[2].knee_to_wall_cm == 2.5 and out[2].equivalent_toe_to_wall_cm == 9.5
    assert out[3].knee_to_wall_cm is None and out[3].equivalent_toe_to_wall_cm == 9.0
    assert all(c.uncertainty_cm == 1.0 for c in out.values())
    assert out[1].equivalent_uncertainty_cm == pytest.approx(float(np.hypot(1.2, 1.0)))  # now the toes' distance from the line
    assert out[2].equivalent_uncertainty_cm == 1.2 and out[3].equivalent_uncertainty_cm == 1.2
    assert notes == []


def test_an_equivalent_moved_onto_an_unsure_wall_takes_the_walls_doubt() -> None:
    """random_v13 r014 (both legs, side-far sheet, no wall-floor line, camera turned 26 deg from the sheet): the wall placed
    +-13.9 cm, the knee read 11.1 cm beyond it (inside that sigma, so nothing said) and the equivalent moved onto the line,
    -11.1 cm for a true +1.6, kept its knee-to-toe +-1.1: a confident wrong clinical distance. Moved, it carries the wall's."""
    from ankle_cv.protocol.centimetres import _within_the_wall

    notes: list[str] = []
    out = _within_the_wall({1: _rep(1, -11.1, 13.9, 0.0, 1.1)}, "left", notes)
    assert out[1].knee_to_wall_cm == 0.0 and out[1].equivalent_toe_to_wall_cm == pytest.approx(-11.1)
    assert out[1].equivalent_uncertainty_cm == pytest.approx(float(np.hypot(1.1, 13.9)))
    assert 1.96 * out[1].equivalent_uncertainty_cm > 12.7  # reaches the truth (error -12.7 cm)
    assert notes == []


def test_a_knee_far_beyond_the_wall_is_said_and_widens_every_rep_of_the_leg() -> None:
    """random_v6 r003 (a sheet hiding the foot's floor contact, the wall 4.7 cm off): -4.5 at +-3.8 is more than its own
    sigma beyond the wall, so the line or the knee is off by about 4.5 cm: said, and every rep of the leg takes it on."""
    from ankle_cv.protocol.centimetres import _within_the_wall

    notes: list[str] = []
    out = _within_the_wall({1: _rep(1, -4.5, 3.8, None, 0.0), 2: _rep(2, 1.0, 3.8, 8.0, 2.0)}, "left", notes)
    assert out[1].knee_to_wall_cm == 0.0
    assert out[1].uncertainty_cm == pytest.approx(float(np.hypot(3.8, 4.5)))
    assert out[2].knee_to_wall_cm == 1.0 and out[2].uncertainty_cm == pytest.approx(float(np.hypot(3.8, 4.5)))
    assert out[2].equivalent_uncertainty_cm == pytest.approx(float(np.hypot(2.0, 4.5)))
    assert len(notes) == 1 and "4.5 cm beyond the wall" in notes[0]
    assert "combined in quadrature with 4.5 cm" in notes[0]  # 3.8 -> 5.9, not 3.8 + 4.5: "±4.5 cm more" misread it


def test_an_outlined_toe_behind_the_proportions_carries_their_gap() -> None:
    """random_v7 r004 (a shoe's white sole before the white sheet): the outline's tip stood 1.86 cm behind the proportional
    toe (under the 2 cm that switches to proportions) and read 2.77 cm short at +-0.8. The toe's doubt now spans the gap,
    reaches the miss within 1.96 sigma, and runs on into the proportional toe's ~2 cm at the switch."""
    from ankle_cv.kinematics.fitted import TOE_SD_CM
    from ankle_cv.protocol.centimetres import TOE_BEHIND_CM, _toe_behind_sd_cm

    assert _toe_behind_sd_cm(0.0) == pytest.approx(TOE_SD_CM)
    assert 1.96 * _toe_behind_sd_cm(1.86) >= 2.77 > 1.96 * TOE_SD_CM
    assert _toe_behind_sd_cm(TOE_BEHIND_CM) == pytest.approx(2.15, abs=0.01)


def test_the_sheets_vertical_carried_to_the_wall_adds_its_lean_doubt() -> None:
    """A pitched camera's verticals lean by their place: the sheet's edges give the vertical at the sheet, the wall's is
    carried there with the pitch read off the sheet, so its doubt joins the edges' (random_v7 r004: 0.4 deg between them)."""
    from ankle_cv.enums import VerticalSource
    from ankle_cv.protocol.centimetres import vertical_sd_deg
    from ankle_cv.scene.marker import Scale

    lean = Scale("marker", 0.1, 0.02, roll_deg=0.0, details={"marker_side_px": 60.0}, vertical_lean_sd_deg=0.4)
    assert vertical_sd_deg(lean, VerticalSource.MARKER, 100.0, (1280, 720)) == pytest.approx(float(np.hypot(0.3, 0.4)))


def test_the_toe_tip_is_found_where_the_landmark_toe_sits_short_and_low() -> None:
    """random_v1 r037 (a far shod foot in loose trousers): the landmark toe sat 10-30 px short of the shoe's tip and ~10 px
    low on a 40 px foot; the old window (rows within 0.15 foot, up to 0.3 foot ahead) missed the foot's front and read the
    tip 8.9 cm short. The silhouette's foremost point within a foot ahead and 0.3 foot up or down is the tip."""
    from ankle_cv.protocol.centimetres import toe_tip_px

    rows = np.arange(380.0, 420.0, 1.0)
    edge = np.full((4, rows.size), np.nan)
    edge[:, rows <= 404] = 485.0  # the tested foot's front (its tip at x 485, rows up to 404)
    edge[:, rows > 404] = 450.0  # lower rows: the other foot, nearer the camera, behind it
    series = SimpleNamespace(has_mask=True, mask_rows_y=rows, mask_right_x=edge, mask_left_x=edge)
    toe = np.tile([460.0, 414.0], (4, 1))  # 25 px short, 10 px low
    heel = np.tile([420.0, 412.0], (4, 1))  # a 40 px foot (as the landmarks put it)
    tip = toe_tip_px(series, toe, heel, 1, np.ones(4, bool))  # type: ignore[arg-type]
    assert tip[0] == pytest.approx(485.0)
    assert 398.0 <= tip[1] <= 404.0


@pytest.mark.parametrize(("cloth", "behind_cm", "lost"), [(False, 2.5, True), (True, 2.5, False), (True, 3.7, False),
                                                          (True, 5.0, True), (False, 1.5, False)])
def test_loose_cloth_moves_the_proportional_toe_ahead_so_an_outline_behind_it_is_kept_longer(
        cloth: bool, behind_cm: float, lost: bool) -> None:
    """Bare feet in loose trousers (random_v6 r001, r015; report v5 r016, v6 r019, v8 r014): the outlined toes read -0.3..+0.7
    cm but lay 2.5-3.7 cm behind the proportional toe (the ankle landmark is the hem's) and were replaced by it (-3.3 cm)."""
    from ankle_cv.kinematics.fitted import FABRIC_TOE_AHEAD_CM
    from ankle_cv.protocol.centimetres import TOE_BEHIND_CM, _toes_lost_cm

    assert _toes_lost_cm(False) == TOE_BEHIND_CM
    assert _toes_lost_cm(True) == pytest.approx(TOE_BEHIND_CM + FABRIC_TOE_AHEAD_CM)
    assert (behind_cm > _toes_lost_cm(cloth)) == lost


def test_an_outline_at_the_line_with_proportions_well_ahead_keeps_their_gap_as_doubt() -> None:
    """The outline's tip at the printed line, proportions 3.6 cm nearer the wall: the outline may have lost the toes' front
    and stopped at the line by chance (random_v10 r001: +4.5 cm at ±2.0), so the toe's doubt spans the gap."""
    placed = _on_sheet(6.4, from_proportions=True, outlined_cm=10.2)
    assert placed.toe[0] == pytest.approx(200.0)
    assert placed.toe_sd_cm == pytest.approx(float(np.hypot(0.5, 3.6)))
    assert _on_sheet(7.2, from_proportions=True, outlined_cm=10.2).toe_sd_cm == pytest.approx(float(np.hypot(0.5, 2.8)))
    assert _on_sheet(9.5, from_proportions=True, outlined_cm=10.2).toe_sd_cm == pytest.approx(0.5)  # proportions on the line


def test_only_a_trusted_room_line_fit_places_a_floor_markers_horizon() -> None:
    """The room-line fit's pitch and focal length go to the floor marker's scale only where its lines set the camera."""
    from ankle_cv.enums import VerticalSource
    from ankle_cv.protocol.centimetres import _room_horizon
    from ankle_cv.scene.camera_geometry import CameraGeometry

    room = CameraGeometry(1.0, VerticalSource.ROOM_LINES, pitch_deg=4.0, focal_px=580.0)
    assert _room_horizon(room) == (4.0, 580.0)
    assert _room_horizon(CameraGeometry(1.0, VerticalSource.ROOM_LEVEL_LINES)) is None
    assert _room_horizon(CameraGeometry()) is None


def test_knee_and_vertical_sigmas_are_the_shares_knee_to_wall_adds_up() -> None:
    """The knee front's sigma (its edge and the hold's spread, 0.1 cm/px) and the vertical's at the knee's 40 cm height are
    the two shares knee-to-wall's interval adds to the wall's: the rep's sigma is their sum in quadrature with the wall's."""
    from dataclasses import replace

    from ankle_cv.kinematics.fitted import KNEE_EDGE_SD_PX
    from ankle_cv.protocol.centimetres import _Geometry, _rep_cm, knee_and_vertical_sd_cm

    n = 10
    knee = np.tile([300.0, 100.0], (n, 1))
    g = _Geometry(knee, np.array([250.0, 500.0]), np.array([200.0, 490.0]), np.array([320.0, 500.0]), None, 1, 0.1, 420.0,
                  0.5, 0.8, 0.0, True, 0.0, 1.5)
    knee_sd, roll_sd = knee_and_vertical_sd_cm(g, knee[0], 2.0)
    assert knee_sd == pytest.approx(np.hypot(KNEE_EDGE_SD_PX, 2.0) * 0.1)
    assert roll_sd == pytest.approx(40.0 * np.tan(np.radians(1.5)))
    assert knee_and_vertical_sd_cm(replace(g, vertical_measured=False), knee[0], 2.0)[1] == 0.0
    frames = SimpleNamespace(tibial_inclination_smooth_deg=np.linspace(10.0, 40.0, n))
    rep = SimpleNamespace(start_frame=0, end_frame=n - 1, peak_frame=n - 1, tibial_inclination_deg=40.0, heel_lift_ratio=float("nan"),
                          index=1)
    c = _rep_cm(rep, SimpleNamespace(frames=frames), g, float("nan"))  # type: ignore[arg-type]
    hold_knee_sd, hold_roll_sd = knee_and_vertical_sd_cm(g, knee[0], 1.0)  # a one-frame hold: its spread is taken as 1 px
    assert c.uncertainty_cm == pytest.approx(np.sqrt(g.wall_sd_cm**2 + hold_knee_sd**2 + hold_roll_sd**2))


def test_a_floor_markers_vertical_leans_by_its_place_in_a_pitched_room_fits_camera() -> None:
    """Under a camera pitched 10 deg down, true verticals meet below the picture: 145 px right of the centre the vertical
    through the wall's point leans 2.2 deg right. A knee 2 cm off the wall 45 cm up read against the centre's vertical
    (the room's roll) reads 0.4 cm; leaned by the room-line fit's own camera it is right. Only that fit tells the pitch."""
    from dataclasses import replace

    from ankle_cv.enums import VerticalSource
    from ankle_cv.protocol.centimetres import _picture_vertical_at
    from ankle_cv.scene.camera_geometry import CameraGeometry, room_lean_deg, tilt_deg
    from ankle_cv.scene.marker import Scale

    f, size, p = 700.0, (1280, 720), np.radians(10.0)
    k = np.array([[f, 0, 639.5], [0, f, 359.5], [0, 0, 1]])
    base = np.array([[1.0, 0, 0], [0, 0, -1.0], [0, 1.0, 0]])  # world X right (to the wall), Y away, Z up -> camera
    pitch = np.array([[1.0, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])  # looking down
    rot = pitch @ base
    centre = np.array([-0.55, -2.5, 1.1])

    def project(x: np.ndarray) -> np.ndarray:
        q = k @ (rot @ (np.asarray(x, float) - centre))
        return q[:2] / q[2]

    wall, knee = project([0.0, 0.0, 0.0]), project([-0.02, 0.0, 0.45])
    assert wall[0] - 639.5 > 100.0  # the wall's point well right of the centre
    room = CameraGeometry(0.0, VerticalSource.ROOM_LINES, pitch_deg=10.0, focal_px=f, room_rotation=tuple(rot.ravel()))
    for q in ([639.5, 359.5], wall, [200.0, 600.0], [1100.0, 100.0]):  # the lean is the projected vertical's tilt there
        x = np.linalg.solve(np.vstack([k @ rot[:, 0], k @ rot[:, 2], -np.append(q, 1.0)]).T,
                            -(k @ (-rot @ centre)))  # a world point at Y = 0 seen at q (X, Z, depth)
        point = np.array([x[0], 0.0, x[1]])
        true_up = project(point + [0.0, 0.0, 0.1]) - project(point)
        assert room_lean_deg(room, np.asarray(q, float), size) == pytest.approx(tilt_deg(true_up), abs=1e-6)
    cm = 10.0 / float(np.linalg.norm(project([-0.05, 0.0, 0.45]) - project([-0.15, 0.0, 0.45])))
    floor = Scale("marker_floor", cm, 0.02, wall_point_px=wall)
    leaned = _picture_vertical_at(room, size, floor, wall, wall)
    assert -ahead_px(knee, wall, leaned, 1) * cm == pytest.approx(2.0, abs=0.1)
    assert abs(-ahead_px(knee, wall, room.up, 1) * cm - 2.0) > 1.0  # the centre's vertical
    for unknown in (replace(room, vertical_source=VerticalSource.ROOM_LEVEL_LINES), CameraGeometry()):
        assert _picture_vertical_at(unknown, size, floor, wall, wall) is unknown.up  # no pitch known: the picture's own
