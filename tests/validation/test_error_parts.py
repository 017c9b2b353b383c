"""benchmarks/error_parts.py: the readings it splits an error with agree with the product's geometry and the table's shares add up."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.error_parts import PARTS, homography_up, signed_angle, table


def _camera(yaw_deg: float, pitch_deg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """K, R (world -> camera) and t of a camera 2 m from a leg plane (world x forward, z up), turned and pitched down."""
    k = np.array([[800.0, 0.0, 640.0], [0.0, 800.0, 360.0], [0.0, 0.0, 1.0]])
    y, p = np.radians(yaw_deg), np.radians(pitch_deg)
    # camera looks along +world y; image x = world x, image y = -world z, then turned about the vertical and pitched down
    base = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    turn = np.array([[np.cos(y), 0.0, -np.sin(y)], [0.0, 1.0, 0.0], [np.sin(y), 0.0, np.cos(y)]])
    tilt = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(p), -np.sin(p)], [0.0, np.sin(p), np.cos(p)]])
    r = tilt @ turn @ base
    t = -r @ np.array([0.3, -2.0, 0.5])
    return k, r, t


def _pixel(k: np.ndarray, r: np.ndarray, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A world point's pixel."""
    c = k @ (r @ x + t)
    return np.asarray(c[:2] / c[2])


def test_signed_angle_is_positive_towards_the_wall() -> None:
    """A shin leaning 30 deg towards the image's right reads +30 facing right and -30 facing left."""
    vec = np.array([np.sin(np.radians(30.0)), -np.cos(np.radians(30.0))])
    up = np.array([0.0, -1.0])
    assert signed_angle(vec, up, 1) == pytest.approx(30.0)
    assert signed_angle(vec, up, -1) == pytest.approx(-30.0)


def test_homography_up_is_the_imaged_vertical_at_the_point() -> None:
    """Under a turned, pitched camera the leg plane's vertical at an off-centre ankle is the projected world vertical there."""
    k, r, t = _camera(18.0, 12.0)
    plane_to_world = np.column_stack([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])  # plane (x fwd, y up, 1) -> world
    h = k @ np.column_stack([r @ plane_to_world[:, 0], r @ plane_to_world[:, 1], t])
    ankle3 = np.array([0.9, 0.0, 0.08])
    ankle = _pixel(k, r, t, ankle3)
    want = _pixel(k, r, t, ankle3 + np.array([0.0, 0.0, 0.3])) - ankle
    got = homography_up(h, ankle)
    assert got[1] < 0
    assert signed_angle(got, want, 1) == pytest.approx(0.0, abs=1e-6)


def test_table_shares_add_up_to_one() -> None:
    """The parts' shares of the error's variance sum to 100 % when the parts sum to the error."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(40):
        parts = dict(zip(PARTS, rng.normal(0.0, [1.0, 0.6, 0.4, 0.1, 0.2])))
        rows.append({**parts, "error": sum(parts.values()), "resolution": "a" if i % 2 else "b"})
    text = table(rows, ["resolution"])
    first = text.splitlines()[2]
    shares = [float(cell.split("/")[-1].strip().rstrip("%")) for cell in first.strip("|").split("|")[3:]]
    assert sum(shares) == pytest.approx(100.0, abs=len(PARTS) * 0.5 + 0.01)
    assert "resolution=a" in text and "resolution=b" in text
