"""Loose fabric before the knee: found on the rest outline, the knee's front moved back and its distances widened."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ankle_cv.kinematics.estimator_choice import is_fabric
from ankle_cv.kinematics.fitted import KNEE_FABRIC_SD_CM, LOOSE_OUTLINE_AHEAD_SHANKS
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.centimetres import _rest_frames, attach_centimetres
from ankle_cv.protocol.knee_fabric import rest_outline_ahead_shanks
from ankle_cv.settings import ScaleInputs, Settings
from tests.synthetic_legs import make_series, rep_profile

FPS = 30.0
SHANK_PX = 110.0
SHANK_CM = 40.0
PEAK_DEG = 35.0
SKIN, CLOTH = 0.08, 0.22  # outline ahead of the shank's axis at the ankle, shank lengths (make_series)


def _measured(front_ahead_shanks: float, facing: int = 1):
    """A one-rep lunge whose outline lies this far ahead of the shin, analysed and scaled by a typed shank length."""
    s = make_series(rep_profile(FPS, [PEAK_DEG]), FPS, facing=facing, with_mask=True, shank_px=SHANK_PX,
                    front_ahead_shanks=front_ahead_shanks)
    # the toes 20 cm from the wall: the cloth's knee (4 cm before the skin's) stays in front of the wall, where it is read
    # as seen (behind the wall's line a knee is given as touching), wherever the toe is placed (outline or proportions)
    settings = Settings(sizes=ScaleInputs(shank_length_cm=SHANK_CM), foot_to_wall_cm=20.0)
    a = analyze_series(s, FPS, settings)
    return s, attach_centimetres(a, s, None)


@pytest.mark.parametrize("facing", [1, -1])
def test_the_rest_outline_tells_fabric_from_skin(facing: int) -> None:
    for ahead, fabric in ((SKIN, False), (CLOTH, True)):
        s, a = _measured(ahead, facing)
        side = a.reps[0].side
        read = rest_outline_ahead_shanks(s, a.front_xy, a.frames.tibial_inclination_smooth_deg, _rest_frames(a, side),
                                         a.shank_length_px, facing, a.camera.up)
        assert np.isfinite(read)
        assert (read > LOOSE_OUTLINE_AHEAD_SHANKS) == fabric
        assert is_fabric(read) == fabric


def test_without_a_silhouette_nothing_is_read() -> None:
    s, a = _measured(CLOTH)
    bare = replace(s, mask_right_x=None, mask_left_x=None, mask_bottom_y=None, mask_rows_y=None, mask_cols_x=None)
    rest = _rest_frames(a, a.reps[0].side)
    assert np.isnan(rest_outline_ahead_shanks(bare, a.front_xy, a.frames.tibial_inclination_smooth_deg, rest,
                                              a.shank_length_px, 1, a.camera.up))
    assert not is_fabric(float("nan"))


def test_a_knee_behind_loose_fabric_is_read_as_seen_said_and_less_sure() -> None:
    """The cloth's outline lies (CLOTH - SKIN) shank lengths before the skin's, the knee's front with it: the distance is
    read as seen (the test also fires on real bare shins: no shift), the interval widened and the warning given; skin is
    left alone."""
    _, skin = _measured(SKIN)
    _, cloth = _measured(CLOTH)
    ks, kc = skin.centimetres, cloth.centimetres
    assert ks is not None and kc is not None
    rs, rc = ks.reps[skin.reps[0].index], kc.reps[cloth.reps[0].index]
    assert rs.knee_to_wall_cm is not None and rc.knee_to_wall_cm is not None
    cm_per_px = SHANK_CM / (skin.shank_length_px / 0.91)  # the typed length is the joint centres' (landmarks 9 % short)
    # the outline's offset is square to the shank: along the floor, cos(peak) of it
    cloth_ahead_cm = (CLOTH - SKIN) * SHANK_PX * cm_per_px * np.cos(np.radians(PEAK_DEG))
    # The synthetic foot's outline stands 4.6 cm behind the proportional toe: proportions replace it on the skin leg, the
    # cloth leg keeps it (FABRIC_TOE_AHEAD_CM), and the stated wall moves with the toe; the knee's own shift is the rest.
    toe_shift_cm = float(cloth.centimetres.legs[cloth.reps[0].side].toe_px[0] - skin.centimetres.legs[skin.reps[0].side].toe_px[0]) \
        * float(skin.centimetres.legs[skin.reps[0].side].scale.cm_per_px or np.nan)
    assert rc.knee_to_wall_cm - rs.knee_to_wall_cm - toe_shift_cm == pytest.approx(-cloth_ahead_cm, abs=0.3)
    assert rs.uncertainty_cm is not None and rc.uncertainty_cm is not None
    assert rc.uncertainty_cm >= KNEE_FABRIC_SD_CM > rs.uncertainty_cm
    assert any("loose clothing" in w for w in kc.warnings)
    assert not any("loose clothing" in w for w in ks.warnings)
