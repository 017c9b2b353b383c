"""Which frames the pose model sees: NTSC frame rates sample like their nominal ones."""

from __future__ import annotations

import pytest

from ankle_cv.pose.sampling import NTSC_SHORTFALL, frame_stride


@pytest.mark.parametrize(
    ("fps", "stride"),
    [
        (24.0, 1),
        (23.976, 1),
        (25.0, 1),
        (30.0, 2),
        (30000 / 1001, 2),
        (50.0, 3),
        (60.0, 4),
        (60000 / 1001, 4),
        (120.0, 8),
        (120000 / 1001, 8),
        (15.0, 1),
        (14.0, 1),
        (0.0, 1),
        (-5.0, 1),
    ],
)
def test_stride_per_frame_rate(fps: float, stride: int) -> None:
    """A 29.97 fps phone clip costs what a 30 fps one does; rates below 15 Hz keep every frame."""
    assert frame_stride(fps) == stride


def test_sampled_rate_stays_near_the_cap() -> None:
    """From 15 to 240 fps the model sees at least 15 Hz less the NTSC shortfall (reps stay resolved), under 30 Hz."""
    for tenth in range(150, 2400):
        fps = tenth / 10
        rate_hz = fps / frame_stride(fps)
        assert 15.0 * (1 - NTSC_SHORTFALL) <= rate_hz < 30.0, fps
