"""A "touched the wall" verdict only where the knee-to-wall reading can tell (protocol.centimetres._touch_told)."""

from __future__ import annotations

from ankle_cv.protocol.centimetre_types import RepCentimetres
from ankle_cv.protocol.centimetres import _touch_told
from ankle_cv.protocol.distance import TOUCH_SD_MAX_CM


def _rep(index: int, to_wall_cm: float, sd_cm: float, touches: bool | None) -> RepCentimetres:
    return RepCentimetres(index, to_wall_cm, 5.0, 10.0, 0.0, sd_cm, 1.0, touches)


def test_a_touch_read_with_a_wide_interval_cannot_tell() -> None:
    # random_v12 r014: 0.0 +- 44 cm read as touching while the knee stood 9.7 cm off the wall
    out = _touch_told({1: _rep(1, 0.0, 44.3, True), 2: _rep(2, 0.1, 1.0, True), 3: _rep(3, 0.4, TOUCH_SD_MAX_CM, True)})
    assert out[1].touches_wall is None
    assert out[2].touches_wall is True and out[3].touches_wall is True
    assert out[1].knee_to_wall_cm == 0.0 and out[1].uncertainty_cm == 44.3  # the reading itself is kept, with its interval


def test_did_not_reach_only_beyond_the_95_percent_interval() -> None:
    # random_v1 r002: a knee on the wall read 0.8 +- 0.70 cm was "did not reach" (beyond its 1-sigma, inside its 95 %)
    out = _touch_told({1: _rep(1, 9.0, 3.0, False), 2: _rep(2, 0.8, 0.70, False), 3: _rep(3, 1.5, 0.7, False),
                       4: _rep(4, 2.0, 2.5, None)})
    assert out[1].touches_wall is False and out[3].touches_wall is False
    assert out[2].touches_wall is None
    assert out[4].touches_wall is None
