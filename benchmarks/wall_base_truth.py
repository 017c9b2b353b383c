"""The wall's base found in the picture against the renders' true wall line (issue 22: the distances without a sheet).

Usage: python benchmarks/wall_base_truth.py --set /work/renders/random_v1 [--cache DIR] [--only r001,r002]

Per rendered clip without a sheet beside the foot and per tested leg: the product's toe tip and rest frames (the
analysis as `analyze` makes it, landmarks from the cache when there), `leg_wall_base` as the centimetre stage asks
it, and the renders' true wall line (world X = 0 on the floor, projected with the true camera) crossing the same
sole line through the same toe tip. The error is in cm along the floor at the toe (the true camera's scale there).
Prints one line per leg and the split's summary (median, robust SD, RMS, within 1 / 2 cm, worst).
"""

from __future__ import annotations

import argparse
import json
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

import ankle_cv.pipeline as pipeline
from ankle_cv.enums import Side
from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.protocol.centimetres import _leg_points as leg_points
from ankle_cv.protocol.wall_in_view import leg_wall_base
from ankle_cv.settings import Settings

warnings.simplefilter("ignore", RuntimeWarning)


def project(truth: dict[str, Any], point: np.ndarray) -> np.ndarray:
    """A world point (m) in the render's image (px)."""
    k, r, t = (np.array(truth["camera"][key], float) for key in ("K", "R", "t"))
    x = r @ point + t
    return (k @ x)[:2] / x[2]


def leg_errors(entry: dict[str, Any], set_dir: Path, cache_dir: Path | None) -> list[tuple[str, float | None]]:
    """Per tested leg: the base found minus the true wall line along the sole (cm), None when nothing was found."""
    video = set_dir / f"{entry['id']}.mp4"
    truth = json.loads((set_dir / f"{entry['id']}.json").read_text())
    seen: dict[str, Any] = {}
    finish = pipeline.finish_measurement

    def spy(series: Any, fps: float, settings: Settings, tracker: Any, room: Any,
            crops: Callable[[dict[int, tuple[int, int, int, int]]], Mapping[int, Any]]) -> Any:
        seen.update(crops=crops, marker=tracker.result())
        return finish(series, fps, settings, tracker, room, crops)

    pipeline.finish_measurement = spy  # type: ignore[assignment]
    try:
        cached = load_cached(cache_file(cache_dir, video, "full")) if cache_dir is not None else None
        _, series, analysis, _ = pipeline.measure_video(video, Settings(), "full", None, series=cached)
    finally:
        pipeline.finish_measurement = finish  # type: ignore[assignment]
    facing = Side(analysis.facing).sign
    out: list[tuple[str, float | None]] = []
    front = analysis.front_xy
    for side in sorted({r.side for r in analysis.reps}):
        toe, _, _, _, rest_mask = leg_points(analysis, series, side, facing)  # the centimetre stage's own toe and rests
        rest = np.flatnonzero(rest_mask)
        if rest.size == 0:
            continue
        found = leg_wall_base(analysis, series, side, toe, rest_mask, seen["crops"], seen["marker"])
        forward = np.nanmedian(front["toe"][rest] - front["heel"][rest], axis=0)
        forward /= np.linalg.norm(forward)
        a, b = project(truth, np.array([0.0, -1.0, 0.0])), project(truth, np.array([0.0, 1.0, 0.0]))
        true_ahead = float(np.linalg.solve(np.array([forward, -(b - a)]).T, a - toe)[0])
        toe_3d = np.array(truth["frames"][int(np.median(rest))]["joints_3d"][f"{side}_toe_tip"], float)
        px_per_cm = float(np.linalg.norm(project(truth, toe_3d + [0.05, 0, 0]) - project(truth, toe_3d))) / 5.0
        error = None if found is None else (found.ahead_px - true_ahead) / px_per_cm
        print(f"{entry['id']} {side}: " + ("none found" if error is None else
              f"found {found.ahead_px / px_per_cm:.1f} cm, true line {true_ahead / px_per_cm:.1f} cm, error {error:+.2f} cm"
              f" (step {found.step:.0f}, agreement {found.agreement:.2f}, slant {found.slant_deg:.0f} deg)"), flush=True)
        out.append((str(side), error))
    return out


def summary(name: str, errors: list[float | None]) -> str:
    """Median, robust SD, RMS, within 1 / 2 cm and the worst of the found bases."""
    e = np.array([x for x in errors if x is not None])
    if e.size == 0:
        return f"{name}: {len(errors)} legs, none found"
    robust = 1.4826 * float(np.median(np.abs(e - np.median(e))))
    worst = float(e[np.argmax(np.abs(e))])
    return (f"{name}: {len(errors)} legs, {e.size} found; median {np.median(e):+.2f} cm, robust SD {robust:.2f}, RMS "
            f"{np.sqrt(np.mean(e ** 2)):.2f}, within 1 cm {int((np.abs(e) <= 1).sum())}, within 2 cm "
            f"{int((np.abs(e) <= 2).sum())}, worst {worst:+.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="set_dir", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    manifest = json.loads((args.set_dir / "manifest.json").read_text())
    wanted = [w for w in args.only.split(",") if w]
    by_split: dict[str, list[float | None]] = {}
    for entry in manifest["clips"]:
        placement = str(entry.get("options", {}).get("marker", entry["id"]))
        if "side" in placement or "_side" in entry["id"] or not (args.set_dir / f"{entry['id']}.mp4").exists():
            continue  # the sheet beside the foot gives the wall: the picture's base is not asked
        if wanted and not any(entry["id"].startswith(w) for w in wanted):
            continue
        for _, error in leg_errors(entry, args.set_dir, args.cache):
            by_split.setdefault(str(entry.get("split", "all")), []).append(error)
    for split, errors in sorted(by_split.items()):
        print(summary(split, errors))


if __name__ == "__main__":
    main()
