"""What kinematics.edge_support costs per frame inside kinematics.shank.estimate_shank_angles, on real analyses.

    python benchmarks/edge_support_cost.py VIDEO [VIDEO ...] [--cache DIR] [--repeat 5]

Each video is analysed as `ankle-cv analyze` does (its landmarks from --cache when there, else tracked and stored
there); every estimate_shank_angles call the analysis makes is captured with its inputs, then re-run alone `--repeat`
times (best taken) with edge_support timed inside it. Prints per call the frames, the whole estimate's time, the
edge_support share and its cost per frame, beside the whole analysis's time (after the pose model) for scale.
The estimate and edge_support are timed in this thread's CPU seconds (time.thread_time: steadier than wall time on a
loaded machine, though caches shared with other jobs still move them); the analysis in wall seconds. A diagnosis
tool, not a test.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("GLOG_minloglevel", "2")

import ankle_cv.kinematics.shank as shank_module
import ankle_cv.protocol.stance_kinematics as sk
from ankle_cv.pipeline import measure_video
from ankle_cv.pose.cache import cache_file, load_cached, prepare_cache_dir, store_cached
from ankle_cv.settings import Settings

# what estimate_shank_angles calls per frame for the edge's support: support_share (the share alone) since session 17,
# edge_support (every cue) before; either is timed, so the same script measures an older checkout
SUPPORT_NAME = "support_share" if hasattr(shank_module, "support_share") else "edge_support"


class _Timed:
    """edge_support with its calls' time added up."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return self.inner(*args, **kwargs)
        finally:
            self.seconds += time.thread_time() - start
            self.calls += 1


def captured_calls(video: Path, cache: Path | None) -> tuple[list[tuple[tuple[Any, ...], dict[str, Any]]], float]:
    """The inputs of every estimate_shank_angles call of one analysis, and that analysis's time after the pose model."""
    series = None
    path = None
    if cache is not None:
        prepare_cache_dir(cache)
        path = cache_file(cache, video, "full")
        series = load_cached(path)
    if series is None:
        _, series, _, _ = measure_video(video, Settings())
        if path is not None:
            store_cached(path, series)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    original = sk.estimate_shank_angles

    def watch(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return original(*args, **kwargs)

    sk.estimate_shank_angles = watch
    try:
        start = time.perf_counter()
        measure_video(video, Settings(), series=series)  # from landmarks: the marker pass and the analysis
        analysis_s = time.perf_counter() - start
    finally:
        sk.estimate_shank_angles = original
    return calls, analysis_s


def time_call(args: tuple[Any, ...], kwargs: dict[str, Any], repeat: int) -> tuple[float, float, int]:
    """Best-of-`repeat` seconds of the whole estimate, of edge_support inside it, and the frames."""
    name = SUPPORT_NAME
    timed = _Timed(getattr(shank_module, name))
    setattr(shank_module, name, timed)
    best_total, best_support = float("inf"), float("inf")
    try:
        for _ in range(repeat):
            timed.seconds = 0.0
            start = time.thread_time()
            shank_module.estimate_shank_angles(*args, **kwargs)
            total = time.thread_time() - start
            if total < best_total:
                best_total, best_support = total, timed.seconds
    finally:
        setattr(shank_module, name, timed.inner)
    return best_total, best_support, int(args[0].shape[0])


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("videos", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="landmark cache folder (pose.cache)")
    parser.add_argument("--repeat", type=int, default=5)
    a = parser.parse_args()
    print(f"| clip | call | frames | estimate_shank_angles CPU ms | {SUPPORT_NAME} CPU ms | share | µs per frame | analysis wall s (after the model) |")
    print("|---|---|---|---|---|---|---|---|")
    for video in a.videos:
        calls, analysis_s = captured_calls(video, a.cache)
        for k, (args, kwargs) in enumerate(calls):
            total, support, frames = time_call(args, kwargs, a.repeat)
            print(f"| {video.stem} | {k + 1} | {frames} | {1e3 * total:.1f} | {1e3 * support:.1f} | "
                  f"{support / total if total > 0 else float('nan'):.0%} | {1e6 * support / max(frames, 1):.0f} | {analysis_s:.2f} |")


if __name__ == "__main__":
    main()
