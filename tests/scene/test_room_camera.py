"""The camera's turn and tilt from room lines: a pinhole camera in a drawn room, then rendered clips."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ankle_cv.kinematics.shank import inclination_deg
from ankle_cv.scene.plane_angle import plane_inclination_deg
from ankle_cv.scene.room_camera import RoomCamera, fit_room_camera, off_person

W, H = 1280, 720
SHARED = Path(__file__).resolve().parents[3] / "shared" / "synthetic"


def _look(yaw_deg: float, pitch_deg: float, roll_deg: float, wall_right: bool) -> np.ndarray:
    """World -> camera rotation of a camera beside the person (built from look directions, not ankle_cv's code)."""
    side = 1.0 if wall_right else -1.0
    y = np.radians(yaw_deg)
    fwd = np.array([np.sin(y), side * np.cos(y), 0.0])  # square-on: across the person, the wall to the right or left
    p = np.radians(pitch_deg)
    fwd = np.cos(p) * fwd + np.sin(p) * np.array([0.0, 0.0, -1.0])  # + pitch looks down
    right = np.cross(fwd, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    down = np.cross(fwd, right)
    r = np.radians(roll_deg)
    right, down = np.cos(r) * right + np.sin(r) * down, -np.sin(r) * right + np.cos(r) * down
    return np.stack([right, down, fwd])


def _room_lines(wall_right: bool) -> list[tuple[np.ndarray, np.ndarray]]:
    """3D segments of a room: wall at X = 0 ahead of the person, back wall behind them, door, picture, floorboards."""
    s = 1.0 if wall_right else -1.0
    back = 1.6 * s  # the back wall, beyond the person as the camera sees it
    lines = [
        ((0, -1.5 * s, 0), (0, back, 0)),  # wall-floor line
        ((0, -1.5 * s, 0.08), (0, back, 0.08)),  # skirting
        ((0, back, 0), (0, back, 2.4)),  # corner
        ((-4, back, 0), (0, back, 0)),  # back wall's base
        ((-4, back, 2.4), (0, back, 2.4)),  # back wall's top
        ((-3.2, back, 0), (-3.2, back, 2.0)), ((-2.4, back, 0), (-2.4, back, 2.0)), ((-3.2, back, 2.0), (-2.4, back, 2.0)),  # door
        ((-1.8, back, 1.2), (-1.0, back, 1.2)), ((-1.8, back, 1.7), (-1.0, back, 1.7)),  # picture
        ((-1.8, back, 1.2), (-1.8, back, 1.7)), ((-1.0, back, 1.2), (-1.0, back, 1.7)),
    ]
    lines += [((-3.5, y * s, 0), (0, y * s, 0)) for y in (-1.0, -0.4, 0.4, 1.0)]  # floorboard seams, towards the wall
    return [(np.array(a, float), np.array(b, float)) for a, b in lines]


def _project(points: np.ndarray, rot: np.ndarray, centre: np.ndarray, f: float) -> np.ndarray:
    """Pinhole image of world points (NaN behind the camera)."""
    c = (points - centre) @ rot.T
    uv = f * c[:, :2] / c[:, 2:3] + np.array([(W - 1) / 2, (H - 1) / 2])
    return np.where(c[:, 2:3] > 0.1, uv, np.nan)


def _segments(rot: np.ndarray, centre: np.ndarray, f: float, wall_right: bool, rng: np.random.Generator) -> np.ndarray:
    """Each room line's visible part as an image segment, with 0.3 px noise, plus random clutter."""
    out = []
    for a, b in _room_lines(wall_right):
        t = np.linspace(0.0, 1.0, 400)[:, None]
        uv = _project(a + t * (b - a), rot, centre, f)
        ok = np.isfinite(uv).all(axis=1) & (uv[:, 0] >= 0) & (uv[:, 0] < W) & (uv[:, 1] >= 0) & (uv[:, 1] < H)
        if ok.sum() >= 2:
            idx = np.nonzero(ok)[0]
            out.append(np.concatenate([uv[idx[0]], uv[idx[-1]]]) + rng.normal(0, 0.3, 4))
    for _ in range(15):  # clutter: short random lines (texture, furniture) in no room direction
        p = rng.uniform([0, 0], [W, H])
        d = rng.normal(size=2)
        out.append(np.concatenate([p, p + 60 * d / np.linalg.norm(d)]))
    return np.array(out)


def _camera_at(yaw_deg: float, wall_right: bool) -> np.ndarray:
    """Camera centre 3 m to the person's side, 0.9 m up, moved so the person stays in view when turned."""
    s = 1.0 if wall_right else -1.0
    return np.array([-0.5 - 3.0 * np.sin(np.radians(yaw_deg)), -3.0 * s, 0.9])


CASES = [(0.0, 0.0, 0.0), (15.0, 0.0, 0.0), (-12.0, 6.0, 0.0), (8.0, -9.0, 2.0), (20.0, 4.0, -3.0)]


@pytest.mark.parametrize("focal_ratio,tol_normal_deg,tol_deg", [(0.65, 0.3, 0.1), (0.6, 2.0, 0.6)])
@pytest.mark.parametrize("wall_right", [True, False])
@pytest.mark.parametrize("yaw,pitch,roll", CASES)
def test_fit_recovers_the_leg_plane_and_the_true_shin_angle(
    yaw: float, pitch: float, roll: float, wall_right: bool, focal_ratio: float, tol_normal_deg: float, tol_deg: float
) -> None:
    """A camera turned, tilted and rolled: the shin's angle in its plane, exact with the assumed focal length and
    within 0.6 deg with the renders' (8 % shorter)."""
    rng = np.random.default_rng(abs(int(yaw * 10 + pitch * 100 + roll + wall_right)))
    rot = _look(yaw, pitch, roll, wall_right)
    centre = _camera_at(yaw, wall_right)
    f = focal_ratio * W
    cam = fit_room_camera(_segments(rot, centre, f, wall_right, rng), (W, H))
    assert cam is not None and cam.trusted
    normal = abs(float(cam.rotation[:, 1] @ rot[:, 1]))  # the leg plane's normal: the wall's direction
    assert np.degrees(np.arccos(min(normal, 1.0))) < tol_normal_deg
    facing = 1 if wall_right else -1
    for true_deg in (10.0, 35.0, 50.0):
        t = np.radians(true_deg)
        ankle3 = np.array([-0.15, 0.0, 0.08])
        knee3 = ankle3 + 0.42 * np.array([np.sin(t), 0.0, np.cos(t)])
        ankle, knee = _project(np.stack([ankle3, knee3]), rot, centre, f)
        h = cam.leg_plane_homography(np.array([W / 2, H / 2]))
        got = float(plane_inclination_deg(ankle, knee, h, facing)[0])
        assert got == pytest.approx(true_deg, abs=tol_deg)
        if true_deg == 50.0 and abs(yaw) >= 15:  # the image alone is off here, so the check can fail
            assert abs(float(inclination_deg(knee[None], ankle[None], facing)[0]) - true_deg) > 1.0


def test_a_bare_backdrop_is_not_trusted() -> None:
    """Only verticals (a plain wall with a door frame): no horizontal lines to fix the turn."""
    segs = np.array([[300.0, 100.0, 300.0, 600.0], [420.0, 100.0, 420.0, 600.0], [900.0, 50.0, 900.0, 650.0]] * 3)
    cam = fit_room_camera(segs, (W, H))
    assert cam is None or not cam.trusted
    assert fit_room_camera(segs[:3], (W, H)) is None  # too few lines to fit at all


def test_lines_on_the_person_are_left_out() -> None:
    rows = np.arange(0.0, H, 2.0)
    lo = np.where((rows > 200) & (rows < 650), 500.0, np.nan)
    hi = np.where((rows > 200) & (rows < 650), 700.0, np.nan)
    segs = np.array([[550, 300, 650, 420], [100, 300, 300, 300], [600, 100, 600, 150], [450, 400, 480, 420]], float)
    np.testing.assert_array_equal(off_person(segs, (rows, lo, hi)), [False, True, True, True])


def _first_frame_segments(name: str) -> tuple[np.ndarray, dict]:
    """LSD segments of a render's first frame, without those on the person (the truth's joints, padded)."""
    cv2 = pytest.importorskip("cv2")
    from ankle_cv.scene.room_camera import room_segments

    video, truth = SHARED / f"{name}.mp4", SHARED / f"{name}.json"
    if not video.exists() or not truth.exists():
        pytest.skip(f"{video} not available (../shared holds the rendered clips)")
    doc = json.loads(truth.read_text())
    ok, bgr = cv2.VideoCapture(str(video)).read()
    assert ok
    segs = room_segments(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
    joints = np.array([list(fr["joints_2d"].values()) for fr in doc["frames"][::10]], float).reshape(-1, 2)
    (x0, y0), (x1, y1) = joints.min(axis=0), joints.max(axis=0)
    pad = 0.15 * (y1 - y0)
    rows = np.arange(0.0, bgr.shape[0], 2.0)
    inside = (rows > y0 - 2 * pad) & (rows < y1 + pad)
    spans = (rows, np.where(inside, x0 - pad, np.nan), np.where(inside, x1 + pad, np.nan))
    return segs[off_person(segs, spans)], doc


@pytest.mark.parametrize("name", ["d08_f50_R_y12_p35", "d09_m28_R_low045_p38", "d02_f25_L_p30-36-40_y5"])
def test_rendered_rooms_give_the_true_camera(name: str) -> None:
    """Turned 12 deg, 9 deg down, wall on the left: each room axis within 1.5 deg of the renderer's camera."""
    segs, doc = _first_frame_segments(name)
    cam = fit_room_camera(segs, (doc["camera"]["width"], doc["camera"]["height"]))
    assert isinstance(cam, RoomCamera) and cam.trusted
    true = np.array(doc["camera"]["R"], float)
    for j in range(3):
        assert np.degrees(np.arccos(min(abs(float(cam.rotation[:, j] @ true[:, j])), 1.0))) < 1.5


def test_a_plain_backdrop_render_is_not_trusted() -> None:
    """d10's plain grey room has too few lines: angles stay in the image rather than follow a guess."""
    segs, doc = _first_frame_segments("d10_f20_L_plain_tile_p44")
    cam = fit_room_camera(segs, (doc["camera"]["width"], doc["camera"]["height"]))
    assert cam is None or not cam.trusted


def test_level_lines_give_the_roll_when_the_room_fit_cannot() -> None:
    """A plain backdrop: the back wall's base (level) and a wall corner (upright), rolled 3 deg; the person's span cut out."""
    from ankle_cv.scene.room_camera import clip_off_person, level_roll_deg

    a = np.radians(3.0)
    base = [0.0, 500.0, 1200.0, 500.0 + 1200.0 * np.tan(a)]  # runs down to the right by 3 deg
    corner = [700.0, 300.0, 700.0 + 250.0 * np.tan(a), 50.0]  # bottom -> top, leaning right by 3 deg
    rows = np.arange(0.0, 720.0, 10.0)
    lo = np.where((rows > 150) & (rows < 560), 600.0, np.nan)  # the person: x 600-800 between rows 150 and 560
    hi = np.where((rows > 150) & (rows < 560), 800.0, np.nan)
    segs = clip_off_person(np.array([base, corner]), (rows, lo, hi), 40.0)
    assert segs.shape[0] >= 3  # the base cut in two around the feet, the corner above the head kept
    assert level_roll_deg(segs, (1280, 720)) == pytest.approx(3.0, abs=0.2)
    # Level and upright lines that disagree (a turned camera's sloping base) give no roll rather than a wrong one.
    tilted_corner = [700.0, 140.0, 700.0 + 100.0 * np.tan(np.radians(-2.0)), 40.0]
    assert level_roll_deg(np.array([base, tilted_corner]), (1280, 720)) is None
    assert level_roll_deg(np.array([[0.0, 500.0, 100.0, 500.0]]), (1280, 720)) is None  # too little to go on


def test_level_lines_that_disagree_give_their_spread() -> None:
    """A turned camera: the wall's base reads +1.7 deg, its top -4.2 (equal lengths); about -4.2 the spread is 5.9/sqrt 2."""
    from ankle_cv.scene.room_camera import level_spread_deg

    def line(y: float, deg: float) -> list[float]:
        return [0.0, y, 1000.0, y + 1000.0 * np.tan(np.radians(deg))]

    two = np.array([line(500.0, 1.7), line(100.0, -4.2)])
    assert level_spread_deg(two, -4.2) == pytest.approx(5.9 / np.sqrt(2.0), abs=0.01)
    assert level_spread_deg(np.array([line(500.0, 1.0), line(100.0, 1.0)]), 1.0) == pytest.approx(0.0, abs=1e-9)
    upright = [700.0, 600.0, 700.0, 100.0]  # a wall corner does not count as a level line
    assert level_spread_deg(np.array([line(500.0, 1.0), upright]), 1.0) == pytest.approx(0.0, abs=1e-9)


def test_level_lines_tilted_apart_by_a_turned_camera_give_no_roll() -> None:
    """The back wall's base and top slope apart (a camera turned towards the wall): no roll rather than their median."""
    from ankle_cv.scene.room_camera import MAX_LEVEL_SPREAD_DEG, level_roll_and_spread

    def line(y: float, deg: float, length: float) -> list[float]:
        return [0.0, y, length, y + length * np.tan(np.radians(deg))]

    agree = np.array([line(500.0, 2.0, 900.0), line(100.0, 2.6, 800.0)])
    got = level_roll_and_spread(agree, (1280, 720))
    assert got is not None and got[0] == pytest.approx(2.0, abs=0.7) and got[1] < MAX_LEVEL_SPREAD_DEG
    apart = np.array([line(500.0, 1.0, 900.0), line(100.0, -5.5, 1000.0)])
    assert level_roll_and_spread(apart, (1280, 720)) is None
    stray = np.array([line(500.0, 3.9, 560.0), line(560.0, 2.9, 100.0), line(600.0, -5.3, 47.0)])  # a short stray edge
    got = level_roll_and_spread(stray, (1280, 720))
    assert got is not None and got[0] == pytest.approx(3.9, abs=0.5) and got[1] > MAX_LEVEL_SPREAD_DEG  # refused by RMS


def test_only_where_the_person_stands_in_the_first_frames_hides_the_room() -> None:
    """The lines are read on the first frame: where the person walks later still shows the room there."""
    from dataclasses import replace

    from ankle_cv.scene.room_camera import person_spans
    from tests.synthetic_legs import make_series, rep_profile

    s = make_series(rep_profile(30.0, [30.0]), 30.0, with_mask=True)
    assert s.mask_left_x is not None and s.mask_right_x is not None
    later = np.arange(s.n_frames) >= 30
    left, right = s.mask_left_x.copy(), s.mask_right_x.copy()
    left[later] += 300.0  # the person steps 300 px to the right after the first second
    right[later] += 300.0
    moved = replace(s, mask_left_x=left, mask_right_x=right)
    rows, lo_all, hi_all = person_spans(moved, 0.0)
    _, lo_early, hi_early = person_spans(moved, 0.0, first_frames=8)
    seen = np.isfinite(lo_early)
    assert seen.any()
    assert np.nanmin(hi_all[seen] - hi_early[seen]) >= 299.0  # the later place is not cut out
    left[:8], right[:8] = np.nan, np.nan  # no silhouette in the first frames: where the person goes in the whole clip
    unseen = person_spans(replace(moved, mask_left_x=left, mask_right_x=right), 0.0, first_frames=8)
    assert np.nanmax(unseen[2]) == pytest.approx(np.nanmax(hi_all), abs=1e-3)
