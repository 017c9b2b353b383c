"""Make the 20 s speed-test clips (720p30, 1080p30) from a rendered clip: forward then backward, rescaled, H.264.

Usage: python benchmarks/make_clips.py [--source ../shared/synthetic/d02_f25_L_p30-36-40_y5.mp4]
                                      [--out /tmp/ankle_cv_bench] [--clean]
Writes <out>/k2w_720p30_20s.mp4 and <out>/k2w_1080p30_20s.mp4 (never into the repo). The source plays forward and
back so the person keeps lunging for the whole 20 s. By default the clips are phone-like: sensor-like noise lets
the encoder spend a phone's bitrate (8 / 16 Mbit/s) with a keyframe every second; decoding them costs about four
times what the clean renders cost. --clean: render-like instead (no noise, CRF 20, x264's default keyframes).
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

SIZES = {"720p30": (1280, 720), "1080p30": (1920, 1080)}
DURATION_S = 20.0
FPS = 30
NOISE_LEVEL = 8  # +- grey levels of uniform noise (a phone's sensor noise at indoor light)
KEYFRAME_EVERY = 30  # frames: a phone camera's keyframe interval (~1 s); x264's default is 250
BITRATE = {"720p30": 8_000_000, "1080p30": 16_000_000}  # bit/s: a phone's H.264 at 30 fps


def source_frames(path: Path) -> list[av.VideoFrame]:
    """Every frame of the source, decoded once."""
    with av.open(str(path)) as container:
        return list(container.decode(video=0))


def write_clip(frames: list[av.VideoFrame], name: str, target: Path, clean: bool = False) -> None:
    """The frames forward and back (ping-pong) up to DURATION_S, rescaled, with noise unless clean, as H.264 yuv420p."""
    size = SIZES[name]
    n_out = int(DURATION_S * FPS)
    cycle = frames + frames[-2:0:-1]
    rng = np.random.default_rng(0)
    noise = [rng.integers(-NOISE_LEVEL, NOISE_LEVEL + 1, (size[1], size[0], 3), dtype=np.int16) for _ in range(7)]
    with av.open(str(target), "w") as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        if clean:
            stream.options = {"preset": "veryfast", "crf": "20"}
        else:
            stream.bit_rate = BITRATE[name]
            stream.options = {"preset": "veryfast", "g": str(KEYFRAME_EVERY)}
        stream.time_base = Fraction(1, FPS)
        for i in range(n_out):
            rgb = cycle[i % len(cycle)].to_ndarray(format="rgb24", width=size[0], height=size[1]).astype(np.int16)
            noisy = rgb.astype(np.uint8) if clean else np.clip(rgb + noise[i % len(noise)], 0, 255).astype(np.uint8)
            frame = av.VideoFrame.from_ndarray(noisy, format="rgb24").reformat(format="yuv420p")
            frame.pts = i
            frame.time_base = Fraction(1, FPS)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def main() -> None:
    """Write both clips."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("../shared/synthetic/d02_f25_L_p30-36-40_y5.mp4"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/ankle_cv_bench"))
    parser.add_argument("--clean", action="store_true", help="render-like clips (no noise, CRF 20) instead of phone-like")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    frames = source_frames(args.source)
    for name in SIZES:
        target = args.out / f"k2w_{name}_{int(DURATION_S)}s.mp4"
        write_clip(frames, name, target, args.clean)
        print(f"wrote {target} ({8 * target.stat().st_size / 1e6 / DURATION_S:.1f} Mbit/s)")


if __name__ == "__main__":
    main()
