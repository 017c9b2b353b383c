"""Which lines the room-line camera fit rests on, against a render's true camera (is a wall marker's edge a room line?).

    python benchmarks/room_fit_parts.py RENDER.mp4 [RENDER.mp4 ...] --cache /work/cache/<set>

For each render (its <clip>.json truth beside it): the room fit as the product makes it (scene.room_camera, first frame,
lines off the person), its turn / tilt / roll, support and distinct lines, whether it is trusted, and the level-line roll;
the truth's camera yaw / pitch / roll; and the share of the fit's inlier line length that lies on the marker's paper
(truth's paper_corners_2d, padded) per direction, with the fit repeated on the lines off the marker. Diagnosis only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import cv2
import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")

from ankle_cv.pose.cache import cache_file, load_cached
from ankle_cv.scene import room_camera as rc

MARKER_PAD_PX = 6.0  # around the marker's paper, in output pixels: LSD finds its edges a pixel or two outside


def _on_quad(segments: np.ndarray, quad: np.ndarray, pad: float) -> np.ndarray:
    """Which segments have both ends inside the (padded) quadrilateral."""
    contour = quad.astype(np.float32).reshape(-1, 1, 2)
    inside = []
    for x0, y0, x1, y1 in segments:
        d0 = cv2.pointPolygonTest(contour, (float(x0), float(y0)), True)
        d1 = cv2.pointPolygonTest(contour, (float(x1), float(y1)), True)
        inside.append(d0 >= -pad and d1 >= -pad)
    return np.array(inside, bool)


def _describe(cam: rc.RoomCamera | None) -> str:
    """One line of a room fit."""
    if cam is None:
        return "no fit"
    f, a, u = cam.support
    return (f"yaw {cam.yaw_deg:+.1f} pitch {cam.pitch_deg:+.1f} roll {cam.roll_deg:+.1f} focal {cam.focal_px:.0f} "
            f"support fwd {f:.2f} along {a:.2f} up {u:.2f} distinct {cam.distinct_lines} trusted {cam.trusted}")


def inlier_share_on(cam: rc.RoomCamera, segments: np.ndarray, mask: np.ndarray, size: tuple[int, int]) -> tuple[float, float, float]:
    """Per direction (forward, along, up), the share of the fit's inlier length on the masked segments."""
    seg = np.asarray(segments, float).reshape(-1, 4)
    lengths = np.linalg.norm(seg[:, 2:] - seg[:, :2], axis=1)
    err = rc.segment_errors_deg(seg, rc.vanishing_points(cam.rotation, cam.focal_px, cam.centre_px))
    owner, inlier = np.argmin(err, axis=0), np.min(err, axis=0) < rc.INLIER_DEG
    out = []
    for j in range(3):
        sel = inlier & (owner == j) & (lengths >= rc.MIN_SEGMENT_FRACTION * float(np.hypot(*size)))
        total = float(lengths[sel].sum())
        out.append(float(lengths[sel & mask].sum()) / total if total > 0 else 0.0)
    return out[0], out[1], out[2]


def report(video: Path, cache: Path | None) -> None:
    """Print the room fit's parts for one render."""
    if not video.with_suffix(".json").is_file():
        print(f"{video.name}: no truth JSON beside it")
        return
    truth = json.loads(video.with_suffix(".json").read_text())
    entry = cache_file(cache, video, "full") if cache is not None else None
    series = load_cached(entry) if entry is not None else None
    if series is None:
        print(f"{video.name}: no cached landmarks (score it first)")
        return
    cap = cv2.VideoCapture(str(video))
    ok, bgr = cap.read()
    cap.release()
    if not ok:
        return
    size = (series.width, series.height)
    view = rc.RoomView(size)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    view.gray, view.scale = gray, size[0] / gray.shape[1]
    segments = rc.room_segments(gray) * view.scale
    diag = float(np.hypot(*size))
    segments = segments[rc.off_person(segments, rc.person_spans(series, rc.PERSON_PAD * diag, rc.ROOM_PERSON_FRAMES))]
    cam = rc.fit_room_camera(segments, size)
    tc = truth["camera"]
    print(f"{video.name}: truth yaw {tc['yaw_deg']:+.1f} pitch {tc['pitch_deg']:+.1f} roll {tc['roll_deg']:+.1f}; "
          f"marker {truth['marker'].get('placement') if truth.get('marker') else None}")
    print(f"  fit      : {_describe(cam)}")
    level = view.level_roll(series)
    print(f"  level    : {'none' if level is None else f'roll {level[0]:+.2f} spread {level[1]:.2f}'}")
    marker = truth.get("marker") or {}
    if "paper_corners_2d" in marker and cam is not None:
        quad = np.array(marker["paper_corners_2d"], float) * (size[0] / tc["width"])
        on = _on_quad(segments, quad, MARKER_PAD_PX)
        f, a, u = inlier_share_on(cam, segments, on, size)
        print(f"  on marker: {int(on.sum())} segments; inlier length share fwd {f:.2f} along {a:.2f} up {u:.2f}")
        print(f"  off it   : {_describe(rc.fit_room_camera(segments[~on], size))}")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("videos", nargs="+", type=Path)
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args(argv)
    for v in args.videos:
        report(v, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
