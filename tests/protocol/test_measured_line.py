"""The measured shin line drawn on the picture follows the angle from the true vertical, under a rolled camera too."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from ankle_cv.kinematics.shank import inclination_deg
from ankle_cv.outputs.summary_plot import draw_leg_overlay
from ankle_cv.protocol.stance_kinematics import measured_line
from ankle_cv.scene.camera_geometry import CameraGeometry, up_from_roll


@pytest.mark.parametrize("roll_deg", [0.0, 4.0, -6.0])
@pytest.mark.parametrize("facing", [1, -1])
def test_line_reads_the_measured_angle_against_the_true_vertical(roll_deg: float, facing: int) -> None:
    """A 30-degree shin under a camera rolled by roll_deg is drawn 30 degrees from that camera's true up, not the image's."""
    n = 20
    ankle = np.tile([[400.0, 600.0]], (n, 1))
    incl = np.full(n, 30.0)
    anchor, top = measured_line(ankle, incl, 200.0, facing, 30.0, CameraGeometry.from_user_roll(roll_deg).up)
    drawn = inclination_deg(top, anchor, facing, up_from_roll(roll_deg))
    assert np.allclose(drawn, 30.0, atol=1e-6)
    if roll_deg:  # against the image's own vertical it is off by the roll: what the picture used to show
        assert not np.allclose(inclination_deg(top, anchor, facing, up_from_roll(0.0)), 30.0, atol=1.0)


def test_summary_vertical_is_the_true_vertical() -> None:
    """The dashed reference line of the summary's picture leans with the camera's roll."""
    ax = Figure().add_subplot()
    pts = {"ankle_anchor": np.array([100.0, 300.0]), "shin_top": np.array([150.0, 100.0])}
    draw_leg_overlay(ax, pts, 20.0, 1, roll_deg=5.0)
    line = next(ln for ln in ax.lines if ln.get_gid() == "true-vertical")
    xs, ys = line.get_xdata(), line.get_ydata()
    direction = np.array([xs[1] - xs[0], ys[1] - ys[0]], float)
    assert direction / np.linalg.norm(direction) == pytest.approx(up_from_roll(5.0), abs=1e-9)
