"""Which clips' stances (tested leg per stretch of frames) one version of kinematics/legs.py cuts differently from another.

Usage:
    python benchmarks/stance_screen.py --set /work/renders/<set> --cache /work/cache/<set> --base /path/to/other/legs.py
        [--results DIR | --full] [--only r001,r002] [--json out.json]

A change to how the stances are cut moves numbers only in the clips whose stances it changes; scoring a whole set re-runs
every clip's analysis (~3-30 s each on a shared machine), this reads the landmark cache alone (~0.3 s). Without a room
fit the stances need only the landmarks; a clip whose scored result (--results: score_renders' results/ folder) says its
vertical came from the room's lines is measured in full (its floor cue needs the fit's camera), every clip with --full
(a set nobody scored). Session 24 (s24leg):
random_v11 r010's hidden near foot. Diagnosis only: it changes nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

os.environ.setdefault("GLOG_minloglevel", "2")

from render_set import add_set_options, set_clips

from ankle_cv.kinematics import legs
from ankle_cv.pipeline import measure_video_cached
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.protocol.analysis import _floor_view
from ankle_cv.settings import Settings


def _load(path: Path) -> ModuleType:
    """The other version of legs.py as its own module (it imports the rest of ankle_cv from this tree)."""
    spec = importlib.util.spec_from_file_location("legs_base", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["legs_base"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _cut(module: Any, tracks: Any, facing: int, fps: float, floor: Any) -> list[tuple[int, int, str, str]]:
    """The stances of one module: (start, end, side, method)."""
    return [(s.start, s.end, str(s.side), str(s.side_method)) for s in module.find_stances(tracks, facing, fps, floor=floor)]


def clip_row(video: Path, cache: Path, base: ModuleType, results: Path | None, full: bool = False) -> dict[str, Any]:
    """Both versions' stances of one clip (and whether the room fit's camera was needed)."""
    room = full
    if results is not None and not full:
        found = results / f"{video.stem}.json"
        room = found.exists() and "room's straight lines" in json.loads(found.read_text())["method"]["vertical"]
    floor = None
    if room:
        _info, series, analysis, _w = measure_video_cached(video, Settings(), cache)
        floor = _floor_view(analysis.camera, (series.width, series.height))
    else:
        entry = cache_file(cache, video, "full")
        loaded = load_cached(entry)
        if loaded is None:
            return {"clip": video.stem, "error": "not in the cache"}
        series = loaded
    fps = 1.0 / float(sorted(series.times_s[1:] - series.times_s[:-1])[len(series.times_s) // 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        facing = legs.facing_sign(series)
        tracks = legs.split_front_back(series, facing)
        new, old = _cut(legs, tracks, facing, fps, floor), _cut(base, tracks, facing, fps, floor)
    return {"clip": video.stem, "room": room, "changed": new != old, "new": new, "old": old}


def main() -> int:
    """Print one line per clip (changed or not) and write them as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_set_options(ap)
    ap.add_argument("--base", type=Path, required=True, help="the other legs.py")
    ap.add_argument("--results", type=Path, default=None, help="score_renders' results/ folder for the set")
    ap.add_argument("--full", action="store_true", help="measure every clip in full (its room fit's camera, if any)")
    args = ap.parse_args()
    base = _load(args.base)
    rows = []
    for _entry, video in sorted(set_clips(args.set, args.split, args.only), key=lambda c: c[1].name):
        row = clip_row(video, args.cache, base, args.results, args.full)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
