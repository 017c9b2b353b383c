"""Split a render's shin-angle error into the camera's parts (why a turned or rolled phone reads wrong).

For each rep's peak of the tested leg, from the render's truth (camera K, R, t and the 3-D joints): the shin's angle
against the image's vertical (what a reader with no vertical sees), against the world's vertical projected at the ankle
(what a reader with a perfect vertical sees: the roll and the pitch's convergence removed) and the true sagittal
inclination. vertical part = image - local; plane part = local - truth (the turn's foreshortening of the shin).
Usage: python benchmarks/camera_error_parts.py RENDER.json [RENDER.json ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np


def _project(k: np.ndarray, r: np.ndarray, t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Pixel of a world point (OpenCV pinhole, no distortion)."""
    c = r @ x + t
    p = k @ c
    return np.asarray(p[:2] / p[2])


def _signed_from_up(vec: np.ndarray, up: np.ndarray, wall_right: bool) -> float:
    """Angle (deg) of an image vector from an image 'up' direction, + towards the wall's side of the image."""
    ang = float(np.degrees(np.arctan2(up[0] * vec[1] - up[1] * vec[0], float(up @ vec))))
    return ang if wall_right else -ang


def _effective_turn(seen_deg: float, true_deg: float) -> float:
    """The turn phi with tan(seen) = tan(true) cos(phi) (deg; 0 when the shin reads no lower than the truth)."""
    ratio = np.tan(np.radians(abs(seen_deg))) / max(np.tan(np.radians(abs(true_deg))), 1e-9)
    return float(np.degrees(np.arccos(np.clip(ratio, 0.0, 1.0))))


def rep_parts(truth: dict) -> list[dict[str, float]]:
    """Per rep: the image-vertical angle, the local-vertical angle, the truth and the camera's yaw/roll/pitch."""
    cam = truth["camera"]
    k, r, t = (np.asarray(cam[n], float) for n in ("K", "R", "t"))
    wall_right = cam.get("wall_side_in_image", "right") == "right"
    out = []
    for rep in truth["reps"]:
        leg = rep["tested_leg"]
        frame = truth["frames"][rep["peak_frame"]]
        knee3, ankle3 = (np.asarray(frame["joints_3d"][f"{leg}_{j}"], float) for j in ("knee", "ankle"))
        knee2, ankle2 = _project(k, r, t, knee3), _project(k, r, t, ankle3)
        shin = knee2 - ankle2
        up_image = np.array([0.0, -1.0])
        up_local = _project(k, r, t, ankle3 + np.array([0.0, 0.0, 0.3])) - ankle2
        img = _signed_from_up(shin, up_image, wall_right)
        loc = _signed_from_up(shin, up_local, wall_right)
        tilt = _signed_from_up(up_local, up_image, wall_right)
        out.append({"rep": rep["index"], "truth": rep["peak_tibial_inclination_deg"], "image": img, "local": loc,
                    "vertical_part": img - loc, "plane_part": loc - rep["peak_tibial_inclination_deg"],
                    "local_vertical_tilt": tilt, "effective_turn": _effective_turn(loc, rep["peak_tibial_inclination_deg"]), "yaw": cam["yaw_deg"], "roll": cam["roll_deg"], "pitch": cam["pitch_deg"]})
    return out


def main(paths: list[str]) -> None:
    """Print each rep's parts."""
    print("clip rep truth image local vertical_part plane_part effective_turn yaw roll pitch")
    for p in paths:
        for row in rep_parts(json.loads(Path(p).read_text())):
            print(f"{Path(p).stem} {row['rep']} {row['truth']:.1f} {row['image']:.1f} {row['local']:.1f} "
                  f"{row['vertical_part']:+.1f} {row['plane_part']:+.1f} {row['effective_turn']:.1f} {row['yaw']:.0f} {row['roll']:.0f} {row['pitch']:.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
