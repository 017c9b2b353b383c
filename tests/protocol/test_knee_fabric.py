"""Loose fabric before the knee: found on the rest outline, the knee's front moved back where it stands clear of the wall,
and its distances widened."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ankle_cv.kinematics.estimator_choice import is_fabric
from ankle_cv.kinematics.fitted import FABRIC_KNEE_AHEAD_CM, KNEE_FABRIC_SD_CM, LOOSE_OUTLINE_AHEAD_SHANKS
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.centimetre_types import RepCentimetres
from ankle_cv.protocol.centimetres import (
    _clear_of_the_wall_cm,
    _cloth_shift_cm,
    _free_cloth_per_frame,
    _rest_frames,
    _skin_behind_free_cloth,
    attach_centimetres,
)
from ankle_cv.protocol.distance import TOUCH_TOLERANCE_CM
from ankle_cv.protocol.knee_fabric import rest_outline_ahead_shanks
from ankle_cv.settings import ScaleInputs, Settings
from tests.synthetic_legs import make_series, rep_profile

FPS = 30.0
SHANK_PX = 110.0
SHANK_CM = 40.0
PEAK_DEG = 35.0
SKIN, CLOTH = 0.08, 0.22  # outline ahead of the shank's axis at the ankle, shank lengths (make_series)


FOOT_PX = 70.0  # the sole 0.58 of the joint-centre shank: read whole (centimetres.FOOT_PER_SHANK_RANGE)
SHORT_FOOT_PX = 55.0  # 0.45: the outline lost part of the sole (a sheet before the foot hides its front)


def _measured(front_ahead_shanks: float, facing: int = 1, foot_px: float = FOOT_PX):
    """A one-rep lunge whose outline lies this far ahead of the shin, analysed and scaled by a typed shank length."""
    s = make_series(rep_profile(FPS, [PEAK_DEG]), FPS, facing=facing, with_mask=True, shank_px=SHANK_PX,
                    front_ahead_shanks=front_ahead_shanks, foot_px=foot_px)
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


def test_a_knee_behind_loose_fabric_clear_of_the_wall_is_moved_back_said_and_less_sure() -> None:
    """The cloth's outline lies (CLOTH - SKIN) shank lengths before the skin's, the knee's front with it; the knee stays
    clear of the wall, so the skin is taken FABRIC_KNEE_AHEAD_CM behind the cloth's front (the old code read it as seen),
    the interval is widened (the test also fires on real bare shins) and both warnings given; skin is left alone."""
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
    assert rc.knee_to_wall_cm - rs.knee_to_wall_cm - toe_shift_cm == pytest.approx(FABRIC_KNEE_AHEAD_CM - cloth_ahead_cm, abs=0.3)
    assert rc.equivalent_toe_to_wall_cm is not None and rs.equivalent_toe_to_wall_cm is not None
    assert rc.equivalent_toe_to_wall_cm - rs.equivalent_toe_to_wall_cm + toe_shift_cm == pytest.approx(
        cloth_ahead_cm - FABRIC_KNEE_AHEAD_CM, abs=0.3)
    assert any("behind the loose cloth's front" in w for w in kc.warnings)
    assert rs.uncertainty_cm is not None and rc.uncertainty_cm is not None
    assert rc.uncertainty_cm >= KNEE_FABRIC_SD_CM > rs.uncertainty_cm
    assert any("loose clothing" in w for w in kc.warnings)
    assert not any("loose clothing" in w for w in ks.warnings)


def _rep(k2w: float | None, eq: float | None, sd: float = 2.5) -> RepCentimetres:
    return RepCentimetres(1, k2w, None, eq, None, sd if k2w is not None else None, 3.0, None)


def test_the_cloth_is_taken_off_only_where_the_knee_stands_clear_of_the_wall() -> None:
    """Clear of the wall the skin lies the cloth's hang behind its front; at the wall (within the touch tolerance, or within
    the reading's own 1-sigma without the cloth's) the cloth may be pressed flat and its front be the knee's; a leg not in
    cloth, or with no knee reading, is untouched."""
    cloth, fabric = FABRIC_KNEE_AHEAD_CM, KNEE_FABRIC_SD_CM
    own_1cm = float(np.hypot(1.0, fabric))  # 1 cm of the reading's own doubt besides the cloth's
    own_2cm = float(np.hypot(2.0, fabric))
    reps = {1: _rep(1.5, 8.0, own_1cm), 2: _rep(TOUCH_TOLERANCE_CM, 10.0, fabric), 3: _rep(0.0, 10.5), 4: _rep(None, 7.0),
            5: _rep(1.5, 8.0, own_2cm)}
    notes: list[str] = []
    out = _skin_behind_free_cloth(reps, cloth, fabric, "left", notes)
    assert out[1].knee_to_wall_cm == pytest.approx(1.5 + cloth)
    assert out[1].equivalent_toe_to_wall_cm == pytest.approx(8.0 - cloth)
    assert out[1].touches_wall is False and out[1].uncertainty_cm == reps[1].uncertainty_cm
    for i in (2, 3, 4, 5):  # at the wall, no reading, within its own doubt of the wall
        assert out[i] == reps[i]
    assert len(notes) == 1 and "left leg" in notes[0]
    notes.clear()
    assert _skin_behind_free_cloth(reps, 0.0, fabric, "left", notes) == reps and not notes
    assert _skin_behind_free_cloth({3: reps[3]}, cloth, fabric, "left", notes) == {3: reps[3]} and not notes
    assert _clear_of_the_wall_cm(own_2cm, fabric) == pytest.approx(2.0)
    assert _clear_of_the_wall_cm(None, fabric) == TOUCH_TOLERANCE_CM
    trace = _free_cloth_per_frame(np.array([np.nan, -1.0, 0.3, 3.0]), cloth, TOUCH_TOLERANCE_CM)
    assert np.isnan(trace[0]) and list(trace[1:]) == pytest.approx([-1.0, 0.3, 3.0 + cloth])
    assert list(_free_cloth_per_frame(np.array([3.0]), 0.0, TOUCH_TOLERANCE_CM)) == [3.0]


def test_the_cloth_is_taken_off_only_where_the_whole_sole_placed_the_outlines_pivot() -> None:
    """Session 32 (s32dist): without the whole sole the rest outline's pivot is the ankle landmark's alone and the fabric
    test fires on tight legs too (random_v16-v20, session 31's hard kinds: 6 of 17 such tight legs, none of 6 with the whole
    sole), so the knee is read as seen there and keeps only the cloth's doubt; with the whole sole the skin is taken
    FABRIC_KNEE_AHEAD_CM behind the cloth's front."""
    assert _cloth_shift_cm(KNEE_FABRIC_SD_CM, 70.0) == FABRIC_KNEE_AHEAD_CM
    assert _cloth_shift_cm(KNEE_FABRIC_SD_CM, float("nan")) == 0.0
    assert _cloth_shift_cm(0.0, 70.0) == 0.0
    _, whole = _measured(CLOTH)
    _, short = _measured(CLOTH, foot_px=SHORT_FOOT_PX)
    kw, ks = whole.centimetres, short.centimetres
    assert kw is not None and ks is not None
    assert np.isfinite(kw.legs[whole.reps[0].side].foot_length_px)
    assert np.isnan(ks.legs[short.reps[0].side].foot_length_px)
    for k in (kw, ks):
        assert any("loose clothing" in w for w in k.warnings)  # the test fires on both, the doubt is kept
    assert any("behind the loose cloth's front" in w for w in kw.warnings)
    assert not any("behind the loose cloth's front" in w for w in ks.warnings)
    rs = ks.reps[short.reps[0].index]
    assert rs.uncertainty_cm is not None and rs.uncertainty_cm >= KNEE_FABRIC_SD_CM
