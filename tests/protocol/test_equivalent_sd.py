"""The equivalent distance's 1-sigma (protocol.centimetres.equivalent_sd_cm): toes put on the stated line, measured from the
wall's point, share the wall's error; a toe found in the picture does not."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ankle_cv.protocol.centimetres import _Geometry, equivalent_sd_cm

POINT = np.zeros(2)
GEOMETRY = _Geometry(knee_front=np.zeros((1, 2)), toe=POINT, ankle=POINT, wall=POINT, up=np.array([0.0, -1.0]), facing=1,
                     cm_per_px=0.1, shank_px=400.0, wall_sd_cm=1.5, toe_sd_cm=0.5, scale_rel=0.02, vertical_measured=True)


def test_a_toe_found_in_the_picture_does_not_carry_the_wall() -> None:
    sd = equivalent_sd_cm(GEOMETRY, knee_sd_cm=0.3, roll_sd_cm=0.2, equivalent_cm=10.0)
    assert sd == pytest.approx(np.sqrt(0.5**2 + 0.3**2 + 0.2**2 + 0.2**2))


def test_toes_on_the_line_carry_the_wall_as_knee_to_wall_does() -> None:
    # random_v12 r011: the wall put by the sheet's edge (1.5 cm 1-sigma), toes on the printed 10 cm line
    on_line = replace(GEOMETRY, toe_from_wall=True)
    sd = equivalent_sd_cm(on_line, knee_sd_cm=0.3, roll_sd_cm=0.2, equivalent_cm=10.0)
    assert sd == pytest.approx(np.sqrt(0.5**2 + 1.5**2 + 0.3**2 + 0.2**2 + 0.2**2))
    assert sd > on_line.wall_sd_cm
