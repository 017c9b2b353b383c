"""Which frames the pose model sees, and at what size: part of the landmark cache's key (pose.cache)."""

from __future__ import annotations

POSE_MAX_SIDE = 1280  # frames are downscaled to this for the pose model (it sees 256x256 crops anyway)
MAX_SAMPLE_RATE_HZ = 15.0  # a knee-to-wall rep lasts 2-5 s: 15 samples/s resolve it (accuracy unchanged on the renders)


def frame_stride(fps: float, max_rate_hz: float = MAX_SAMPLE_RATE_HZ) -> int:
    """Analyse every n-th frame so high-frame-rate video costs no more than ~15 Hz of pose tracking."""
    return max(1, int(fps / max_rate_hz + 1e-6)) if fps > 0 else 1
