"""The heel's verdict from the image reading: what is too close to the threshold to call "down" on a small foot."""

from __future__ import annotations

from ankle_cv.kinematics.fitted import DEFAULT_EDGE_LIFT_RATIO, HEEL_EDGE_UNCERTAINTY_PX
from ankle_cv.kinematics.heel import PIVOT_GAIN
from ankle_cv.protocol.heel_reading import too_close_reason

THRESHOLD = DEFAULT_EDGE_LIFT_RATIO


def _band(foot_px: float) -> float:
    """The reading's uncertainty as a fraction of a foot this long."""
    return HEEL_EDGE_UNCERTAINTY_PX * PIVOT_GAIN / foot_px


def test_a_reading_just_under_the_threshold_on_a_small_foot_is_not_called_down() -> None:
    foot = 32.0
    assert too_close_reason(THRESHOLD - 0.5 * _band(foot), THRESHOLD, foot) is not None


def test_the_same_reading_on_a_large_foot_is_called_down() -> None:
    reading = THRESHOLD - 0.5 * _band(32.0)
    assert too_close_reason(reading, THRESHOLD, 200.0) is None  # 200 px: the band is far narrower than the gap


def test_readings_over_the_threshold_or_well_under_it_are_judged() -> None:
    foot = 32.0
    assert too_close_reason(THRESHOLD, THRESHOLD, foot) is None  # lifted: flagged, not left unchecked
    assert too_close_reason(THRESHOLD + 0.5 * _band(foot), THRESHOLD, foot) is None
    assert too_close_reason(THRESHOLD - 1.5 * _band(foot), THRESHOLD, foot) is None  # clearly down
