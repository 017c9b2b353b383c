"""Where a marker lies (upright sheet, wall, floor, at an angle), from its corners alone, on synthetic projections."""

from __future__ import annotations

import numpy as np
import pytest

from ankle_cv.scene.marker import MarkerFit, floor_scale, sheet_covers_foot, sheet_hides_toes, sheet_outline_px
from ankle_cv.scene.marker_plane import camera_from_up, camera_matrix, classify_marker_plane, wall_leg_plane_homography

SIZE = (1280, 720)
K = camera_matrix(SIZE)


def _camera(yaw_deg: float = 0.0, pitch_deg: float = 5.0, roll_deg: float = 0.0, height_m: float = 0.9):
    """A camera 2.2 m from the leg's plane (Y = 0), looking along +Y, turned/tilted/rolled; world X to the wall, Z up."""
    y, p, r = (np.radians(v) for v in (yaw_deg, pitch_deg, roll_deg))
    base = np.array([[1.0, 0, 0], [0, 0, -1.0], [0, 1.0, 0]])  # x_cam = X, y_cam = -Z, z_cam = Y
    turn = np.array([[np.cos(y), 0, -np.sin(y)], [0, 1, 0], [np.sin(y), 0, np.cos(y)]])
    tilt = np.array([[1, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])
    spin = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    rot = spin @ tilt @ turn @ base
    centre = np.array([-0.3, -2.2, height_m])
    return rot, -rot @ centre


def _project(cam, pts: np.ndarray) -> np.ndarray:
    rot, t = cam
    q = (K @ (rot @ np.asarray(pts, float).T + t[:, None])).T
    return q[:, :2] / q[:, 2:3]


def _square(centre, right, up, size_m: float = 0.15) -> np.ndarray:
    """TL, TR, BR, BL of a printed square (as seen by a viewer facing its print)."""
    c, r, u = (np.asarray(v, float) for v in (centre, right, up))
    h = size_m / 2
    return np.array([c - h * r + h * u, c + h * r + h * u, c + h * r - h * u, c - h * r - h * u])


def _corners(cam, where: str, tilt_deg: float = 0.0) -> np.ndarray:
    if where == "upright":  # the side sheet: printed face towards the camera (-Y), beside the foot
        pts = _square([-0.2, 0.12, 0.085], [1, 0, 0], [0, 0, 1])
    elif where == "floor":  # flat on the floor, beside the foot, printed up towards the wall
        pts = _square([-0.25, -0.3, 0.0], [0, -1, 0], [1, 0, 0])
    elif where == "wall":  # on the wall X = 0, facing the room (-X)
        pts = _square([0.0, -0.3, 0.09], [0, -1, 0], [0, 0, 1])
    else:  # held at an angle: upright sheet leaning back by tilt_deg about its bottom edge
        a = np.radians(tilt_deg)
        pts = _square([-0.2, 0.12 + 0.08 * np.sin(a), 0.08 * np.cos(a)], [1, 0, 0], [0, np.sin(a), np.cos(a)])
    return _project(cam, pts)


@pytest.mark.parametrize("yaw, pitch, roll", [(0, 2, 0), (5, 10, 3), (-8, 20, -4), (12, 0, 0)])
@pytest.mark.parametrize("where", ["upright", "floor", "wall"])
def test_each_placement_is_told_apart(where: str, yaw: float, pitch: float, roll: float) -> None:
    cam = _camera(yaw, pitch, roll)
    if where == "wall":
        cam = _camera(yaw + 12, pitch, roll)  # the wall is seen only with the camera turned towards it
    rng = np.random.default_rng(1)
    kinds = [classify_marker_plane(_corners(cam, where) + rng.normal(0, 0.3, (4, 2)), 150.0, SIZE).kind for _ in range(20)]
    assert kinds.count(where) >= 18, kinds
    assert "upright" not in kinds or where == "upright"  # never a floor or wall marker taken for the sheet


def test_the_plane_gives_the_camera_pitch_and_roll() -> None:
    plane = classify_marker_plane(_corners(_camera(0, 12, 3), "floor"), 150.0, SIZE)
    assert plane.kind == "floor"
    assert plane.camera_pitch_deg == pytest.approx(12, abs=1.5)
    assert plane.camera_roll_deg == pytest.approx(3, abs=1.0)
    assert camera_from_up(np.array([0.0, -1.0, 0.0])) == pytest.approx((0.0, 0.0))


def test_a_sheet_held_at_an_angle_is_not_the_upright_sheet() -> None:
    plane = classify_marker_plane(_corners(_camera(0, 5, 0), "tilted", tilt_deg=60.0), 150.0, SIZE)
    assert plane.kind != "upright"


def test_wall_marker_gives_the_leg_plane() -> None:
    """A camera turned 12 deg towards the wall: angles read through the wall marker's plane are the leg's."""
    from ankle_cv.scene.plane_angle import plane_inclination_deg

    cam = _camera(12, 3, 0)
    plane = classify_marker_plane(_corners(cam, "wall"), 150.0, SIZE)
    hom = wall_leg_plane_homography(plane, +1, SIZE)
    assert hom is not None
    theta = np.radians(35.0)
    ankle, knee = np.array([-0.35, 0.0, 0.08]), np.array([-0.35 + 0.4 * np.sin(theta), 0.0, 0.08 + 0.4 * np.cos(theta)])
    lo, hi = _project(cam, np.array([ankle, knee]))
    assert plane_inclination_deg(lo, hi, hom, +1)[0] == pytest.approx(35.0, abs=0.7)


def _fit(corners: np.ndarray) -> MarkerFit:
    import cv2

    s = 150.0
    sheet = np.array([[0.0, s], [s, s], [s, 0.0], [0.0, 0.0]])
    hom, _ = cv2.findHomography(sheet, corners)
    up = (corners[0] - corners[3]) + (corners[1] - corners[2])
    up /= np.linalg.norm(up)
    return MarkerFit(corners, 0.1, 30, 1.0, s, hom, up, 0.0, classify_marker_plane(corners, s, SIZE))


def test_floor_marker_scale_is_carried_to_the_foot() -> None:
    """The foot 30 cm beyond the floor marker: the leg's scale within 3 %."""
    cam = _camera(3, 8, 0)
    fit = _fit(_corners(cam, "floor"))
    foot = _project(cam, np.array([[-0.25, 0.0, 0.0], [-0.15, 0.0, 0.0]]))
    scale = floor_scale(fit, foot[0], SIZE)
    assert scale.cm_per_px is not None
    truth = 10.0 / float(np.linalg.norm(foot[1] - foot[0]))
    assert scale.cm_per_px == pytest.approx(truth, rel=0.03)
    assert scale.relative_uncertainty >= 0.03


def test_a_sheet_before_the_foot_is_seen_to_cover_it() -> None:
    cam = _camera(0, 5, 0)
    toe_heel = _project(cam, np.array([[-0.12, 0.0, 0.0], [-0.36, 0.0, 0.0]]))
    for card_y, covers in ((-0.15, True), (0.12, False)):
        pts = _square([-0.2 + 0.075 - 0.0, card_y, 0.085], [1, 0, 0], [0, 0, 1])  # marker 2 cm from the wall's edge
        pts += np.array([0.095 - 0.075, 0.0, 0.0])
        fit = _fit(_project(cam, pts))
        outline = sheet_outline_px(fit, +1)
        assert outline.shape == (4, 2)
        assert (sheet_covers_foot(fit, +1, toe_heel) is not None) is covers


@pytest.mark.parametrize("card_y, hides", [(-0.15, True), (0.12, False)])
def test_a_sheet_hides_the_toes_only_when_it_stands_before_them(card_y: float, hides: bool) -> None:
    """A card nearer the camera than the foot hides its toes; one beyond it overlapping them in the picture does not."""
    cam = _camera(0, 5, 0)
    toe = _project(cam, np.array([[-0.12, 0.0, 0.01]]))
    pts = _square([-0.2 + 0.075 - 0.0, card_y, 0.085], [1, 0, 0], [0, 0, 1]) + np.array([0.095 - 0.075, 0.0, 0.0])
    fit = _fit(_project(cam, pts))
    assert sheet_hides_toes(fit, +1, toe, sheet_nearer=card_y < 0) is hides
    # Toes well clear of the card's outline are never hidden by it, wherever it stands.
    clear = _project(cam, np.array([[-0.6, 0.0, 0.01]]))
    assert not sheet_hides_toes(fit, +1, clear, sheet_nearer=True)


def _floor_wall_picture(cam, paper_at_wall: bool = True, wall_grey: float = 150.0) -> tuple[np.ndarray, np.ndarray]:
    """A still picture of the floor (grey 80) meeting the wall X = 0 (`wall_grey`), a 150 mm square flat on the floor
    beside the foot, its printed up towards the wall, on a white paper 25 mm wider all round; and the square's corners."""
    rot, t = cam
    w, h = SIZE
    centre = -rot.T @ t
    u, v = np.meshgrid(np.arange(w, dtype=float), np.arange(h, dtype=float))
    rays = rot.T @ (np.linalg.inv(K) @ np.stack([u.ravel(), v.ravel(), np.ones(u.size)]))
    with np.errstate(divide="ignore", invalid="ignore"):
        to_floor = -centre[2] / rays[2]
        to_wall = -centre[0] / rays[0]
    on_floor = (to_floor > 0) & ((to_wall <= 0) | (to_floor < to_wall))
    hit = centre[:, None] + rays * to_floor
    img = np.where(on_floor, 80.0, wall_grey)
    edge = 0.0 if paper_at_wall else -0.06  # the paper's far edge
    x, y = hit[0], hit[1]
    paper = on_floor & (x <= edge) & (x >= edge - 0.2) & (np.abs(y + 0.3) <= 0.1)
    square = on_floor & (x <= edge - 0.025) & (x >= edge - 0.175) & (np.abs(y + 0.3) <= 0.075)
    img = np.where(paper, 230.0, img)
    img = np.where(square, 20.0, img).reshape(h, w).astype(np.float32)
    corners = _project(cam, _square([edge - 0.1, -0.3, 0.0], [0, -1, 0], [1, 0, 0]))
    return img, corners


@pytest.mark.parametrize("yaw, pitch", [(0, 8), (5, 15), (-6, 25)])
def test_a_floor_markers_paper_against_the_wall_gives_the_wall_in_the_legs_plane(yaw: float, pitch: float) -> None:
    """The wall-floor line beside the paper, carried along the floor to the leg's floor line, meets it at the wall's base."""
    from ankle_cv.scene.marker import MarkerTrack, floor_marker_wall

    cam = _camera(yaw, pitch, 0.0, height_m=1.0)
    img, corners = _floor_wall_picture(cam)
    fit = _fit(corners)
    assert fit.plane is not None and fit.plane.kind == "floor"
    track = MarkerTrack(0, 150.0, (), 30, crop=img, image_size=SIZE)
    leg_floor, wall_base = _project(cam, np.array([[-0.3, 0.0, 0.0], [0.0, 0.0, 0.0]]))
    px_per_cm = float(np.linalg.norm(_project(cam, np.array([[-0.1, 0.0, 0.0]]))[0] - wall_base)) / 10.0
    found = floor_marker_wall(fit, track, +1, leg_floor, SIZE, px_per_cm, 1.5)
    assert found is not None
    wall, sd_cm = found
    assert abs(wall[0] - wall_base[0]) / px_per_cm < 0.3  # cm along the floor, at the leg's plane
    assert 0.05 < sd_cm < 1.0


@pytest.mark.parametrize("yaw, pitch, turn_deg", [(0, 8, 1.5), (5, 15, -1.5)])
def test_a_floor_markers_wall_line_takes_its_direction_from_the_picture(yaw: float, pitch: float, turn_deg: float) -> None:
    """The square's corners turned 1.5 deg in the picture (its pose's vanishing point off, as a 25-60 px square's was by
    -1.3..+1.7 deg on the renders): the wall-floor line's own crossings along it keep the wall at the leg's floor line
    within 0.3 cm, where the pose's direction alone puts it more than 0.5 cm off."""
    from ankle_cv.scene.marker import (
        MarkerTrack,
        _meet,
        _towards,
        find_floor_wall_line,
        floor_marker_wall,
        floor_vanishing_points,
    )

    cam = _camera(yaw, pitch, 0.0, height_m=1.0)
    img, corners = _floor_wall_picture(cam)
    a = np.radians(turn_deg)
    turn = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    centre = corners.mean(axis=0)
    fit = _fit((corners - centre) @ turn.T + centre)
    track = MarkerTrack(0, 150.0, (), 30, crop=img, image_size=SIZE)
    leg_floor, wall_base = _project(cam, np.array([[-0.3, 0.0, 0.0], [0.0, 0.0, 0.0]]))
    px_per_cm = float(np.linalg.norm(_project(cam, np.array([[-0.1, 0.0, 0.0]]))[0] - wall_base)) / 10.0
    found = floor_marker_wall(fit, track, +1, leg_floor, SIZE, px_per_cm, 1.5)
    assert found is not None
    assert abs(found[0][0] - wall_base[0]) / px_per_cm < 0.3
    vps = floor_vanishing_points(fit, SIZE, +1)
    assert vps is not None
    line = find_floor_wall_line(fit, track, +1, vps[0])
    assert line is not None and line.direction_sd_deg < 0.2  # a long clean step: the picture's direction, well measured
    pose_direction = _towards(vps[0], line.point_px)
    by_pose = _meet(line.point_px, pose_direction / np.linalg.norm(pose_direction), leg_floor, vps[1])
    assert abs(by_pose[0] - wall_base[0]) / px_per_cm > 0.5


def test_the_wall_lines_crossings_ignore_a_toe_along_part_of_it() -> None:
    """Crossings on a line of known slope, a fifth of them thrown 2 px off (a toe, the paper's corner): the slope holds;
    crossings bunched on one side of the middle give none."""
    from ankle_cv.scene.marker import _crossings_line

    at = np.arange(-20.0, 20.01, 0.5)
    shifts = 0.3 + 0.02 * at + np.random.default_rng(3).normal(0.0, 0.05, at.size)
    shifts[-16:] += 2.0
    steps = np.full(at.size, 60.0)
    offset, slope, se = _crossings_line(at, shifts, float(np.median(shifts)), at.size, steps)
    assert slope == pytest.approx(0.02, abs=0.004) and offset == pytest.approx(0.3, abs=0.05) and 0 < se < 0.004
    one_side = at > 5.0
    _, slope, se = _crossings_line(at[one_side], shifts[one_side], 0.3, at.size, steps[one_side])
    assert np.isnan(slope) and np.isnan(se)


def test_no_wall_step_beside_a_floor_marker_gives_no_wall() -> None:
    """A wall the same grey as the floor: no line is found, so no wall is given (knee-to-wall then withheld)."""
    from ankle_cv.scene.marker import MarkerTrack, floor_marker_wall

    cam = _camera(3, 10, 0.0, height_m=1.0)
    img, corners = _floor_wall_picture(cam, wall_grey=80.0)
    fit = _fit(corners)
    track = MarkerTrack(0, 150.0, (), 30, crop=img, image_size=SIZE)
    leg_floor = _project(cam, np.array([[-0.3, 0.0, 0.0]]))[0]
    assert floor_marker_wall(fit, track, +1, leg_floor, SIZE, 3.0, 1.5) is None
    scale = floor_scale(fit, leg_floor, SIZE, 0, track, +1)
    assert scale.cm_per_px is not None and scale.wall_point_px is None


def test_a_wall_line_grey_does_not_show_is_found_in_colour() -> None:
    """A bluish wall (RGB 40, 80, 120) over a grey floor (80, 80, 80): 7 grey levels apart, under JUNCTION_MIN_CONTRAST, so
    the grey picture gives no line (random_v18 r003's tan floor and grey wall: 210 and 207); the colour picture's red and
    blue channels step 40 and the wall is found where it is."""
    from ankle_cv.scene.marker import MarkerTrack, floor_marker_wall

    cam = _camera(3, 10, 0.0, height_m=1.0)
    channels = [_floor_wall_picture(cam, wall_grey=g)[0] for g in (40.0, 80.0, 120.0)]
    rgb = np.stack(channels, axis=-1)
    grey = (rgb @ np.array([0.299, 0.587, 0.114])).astype(np.float32)
    corners = _floor_wall_picture(cam)[1]
    fit = _fit(corners)
    leg_floor, wall_base = _project(cam, np.array([[-0.3, 0.0, 0.0], [0.0, 0.0, 0.0]]))
    px_per_cm = float(np.linalg.norm(_project(cam, np.array([[-0.1, 0.0, 0.0]]))[0] - wall_base)) / 10.0
    assert floor_marker_wall(fit, MarkerTrack(0, 150.0, (), 30, crop=grey, image_size=SIZE), +1, leg_floor, SIZE,
                             px_per_cm, 1.5) is None
    found = floor_marker_wall(fit, MarkerTrack(0, 150.0, (), 30, crop=grey, image_size=SIZE, crop_rgb=rgb), +1, leg_floor,
                              SIZE, px_per_cm, 1.5)
    assert found is not None
    assert abs(found[0][0] - wall_base[0]) / px_per_cm < 0.3


def test_floor_scale_gives_the_wall_with_the_picture() -> None:
    """floor_scale with the still picture: the wall's base at the leg's plane (the sole's contact moved back to it)."""
    from ankle_cv.scene.marker import MarkerTrack

    cam = _camera(2, 12, 0.0, height_m=1.0)
    img, corners = _floor_wall_picture(cam)
    fit = _fit(corners)
    track = MarkerTrack(0, 150.0, (), 30, crop=img, image_size=SIZE)
    contact, wall_base = _project(cam, np.array([[-0.3, -0.028, 0.0], [0.0, 0.0, 0.0]]))
    scale = floor_scale(fit, contact, SIZE, 0, track, +1, floor_nearer_cm=2.8)
    assert scale.wall_point_px is not None and scale.cm_per_px is not None
    assert abs(scale.wall_point_px[0] - wall_base[0]) * scale.cm_per_px < 0.4
    assert "wall-floor line" in scale.details["wall"]
    assert floor_scale(fit, contact, SIZE).wall_point_px is None  # without the picture: no wall


def test_a_floor_markers_scale_takes_the_room_fits_horizon_over_its_own_pose() -> None:
    """A wide lens (focal 0.45 x the long side, a phone's is taken as 0.7): the marker's pose at the phone's focal puts the
    horizon far off and carries its scale to the leg several % wrong (random_v10 r014: 13 %); with the room-line fit's pitch
    and focal the leg's scale (in its plane, through the ankle: the sole's contact 2.8 cm nearer) is within 1.5 %."""
    focal = 0.45 * SIZE[0]
    k = np.array([[focal, 0.0, (SIZE[0] - 1) / 2.0], [0.0, focal, (SIZE[1] - 1) / 2.0], [0.0, 0.0, 1.0]])
    pitch = 4.0
    rot, t = _camera(7, pitch, 0, height_m=1.1)

    def project(pts: np.ndarray) -> np.ndarray:
        q = (k @ (rot @ np.asarray(pts, float).T + t[:, None])).T
        return q[:, :2] / q[:, 2:3]

    fit = _fit(project(_square([-0.1, -0.6, 0.0], [0, -1, 0], [1, 0, 0])))  # nearer the camera than the leg (Y = 0)
    assert fit.plane is not None and fit.plane.kind == "floor"
    contact = project(np.array([[-0.2, -0.028, 0.0]]))[0]
    a, b = project(np.array([[-0.25, 0.0, 0.0], [-0.15, 0.0, 0.0]]))
    truth = 10.0 / float(np.linalg.norm(b - a))
    with_room = floor_scale(fit, contact, SIZE, floor_nearer_cm=2.8, room=(pitch, focal))
    own_pose = floor_scale(fit, contact, SIZE, floor_nearer_cm=2.8)
    assert with_room.cm_per_px == pytest.approx(truth, rel=0.015)
    assert own_pose.cm_per_px is not None and abs(own_pose.cm_per_px / truth - 1.0) > 0.03
    # The two horizons disagree: the interval takes half their scales' gap on (its 95 % reaches the pose's reading).
    assert with_room.cm_per_px is not None and with_room.relative_uncertainty is not None
    assert with_room.relative_uncertainty >= 0.5 * abs(own_pose.cm_per_px / with_room.cm_per_px - 1.0)
    assert with_room.relative_uncertainty > (own_pose.relative_uncertainty or 0.0)


def test_a_near_card_hides_a_toe_whose_floor_level_lies_behind_it_though_the_landmark_shows_above() -> None:
    """A far foot behind a near card: its toe landmark above the card's top edge is not hidden by itself, the point
    beneath it at the sole's floor contact's level is (random_v11 r010: the toe outline read 2.3 cm short there)."""
    from ankle_cv.protocol.centimetres import toe_floor_px

    cam = _camera(0, 5, 0)
    pts = _square([-0.2 + 0.075, -0.15, 0.085], [1, 0, 0], [0, 0, 1]) + np.array([0.095 - 0.075, 0.0, 0.0])
    fit = _fit(_project(cam, pts))
    toe_above, floor = _project(cam, np.array([[-0.12, 0.0, 0.25], [-0.2, 0.0, 0.0]]))
    assert not sheet_hides_toes(fit, +1, toe_above[None, :], sheet_nearer=True)
    below = toe_floor_px(toe_above, floor, np.array([0.0, -1.0]))
    assert below[0] == pytest.approx(toe_above[0]) and below[1] == pytest.approx(floor[1])
    assert sheet_hides_toes(fit, +1, below[None, :], sheet_nearer=True)
    # Beyond the card's side the floor-level point is clear too; without a floor contact there is none.
    far_toe, far_floor = _project(cam, np.array([[-0.6, 0.0, 0.25], [-0.7, 0.0, 0.0]]))
    assert not sheet_hides_toes(fit, +1, toe_floor_px(far_toe, far_floor, None)[None, :], sheet_nearer=True)
    assert np.isnan(toe_floor_px(toe_above, np.full(2, np.nan), None)).all()
