"""Which frames the pose model sees, and at what size: part of the landmark cache's key (pose.cache)."""

from __future__ import annotations

POSE_MAX_SIDE = 1280  # frames are downscaled to this for the pose model (it sees 256x256 crops anyway)
MAX_SAMPLE_RATE_HZ = 15.0  # a knee-to-wall rep lasts 2-5 s: 15 samples/s resolve it (accuracy unchanged on the renders)
# Share of a stride by which a frame rate may fall short of a whole multiple of MAX_SAMPLE_RATE_HZ and still get it:
# NTSC rates are 1000/1001 of the nominal one (29.97, 59.94, 119.88 fps fall 0.1 % short of 30, 60, 120), and phones
# record at them; without it a 29.97 fps clip was tracked at every frame, twice the pose cost of a 30 fps one.
NTSC_SHORTFALL = 0.01


def frame_stride(fps: float, max_rate_hz: float = MAX_SAMPLE_RATE_HZ) -> int:
    """Analyse every n-th frame so high-frame-rate video costs no more than ~15 Hz of pose tracking (29.97 as 30)."""
    return max(1, int(fps / max_rate_hz + NTSC_SHORTFALL)) if fps > 0 else 1
