"""Pixels to centimetres: the upright marker sheet (pooled ArUco corners, vertical, wall, depth) or a known length.

The sheet (ankle_cv/scene/marker_sheet.py draws it) stands upright on the floor beside the tested foot, facing
the camera, its front edge touching the wall. Its layout is fixed: the black square's bottom edge is
MARKER_FROM_FLOOR_MM above the floor and its wall-side edge MARKER_FROM_FRONT_MM from the wall.

Why not OpenCV's corners alone: on a 35-40 px marker in H.264 video they sit 0.5-1.2 px inside the
true square (2-6 % short sides). Each edge is re-located here where its intensity crosses half-way from
the border's black to the paper's white, with opposite edges kept parallel (a 15 cm square a few metres
away shows no measurable convergence) and each edge's offset a median over its profiles, so a toe or a
shin covering part of an edge does not drag it; the corners are then pooled over many frames.

The sheet is not in the leg's plane: it stands Delta cm beyond it (or before it). Two cues from the
same frames fix that without knowing the camera's focal length:
- depth: on a flat floor seen by a level camera, a floor point's drop below the horizon is inversely
  proportional to its distance, so the tested foot's floor line and the sheet's bottom edge give the
  distance ratio r = D_sheet / D_leg (the leg's plane looks r times larger);
- wall: the wall meets the floor along a straight line that starts at the sheet's front-bottom corner
  and runs towards the camera; where it crosses the leg's floor line (through the leg's floor point,
  towards the vanishing point of the sheet's bottom edge, so a turned camera is handled) is the wall in
  the leg's plane. The leg's floor point is the sole's floor contact, moved back by how far in front of
  the ankle that contact lies (SOLE_CONTACT_NEARER_CM).
  Without that line (not found), the line is taken from the sheet's pose: it runs to the horizon's vanishing
  point square to the sheet's floor direction (the camera taken as square to the sheet, its error about
  Delta * tan(yaw), only where the leg's depth is not measured).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from ankle_cv.io.video_source import Frame
from ankle_cv.kinematics.fitted import (  # fitted: see fitted.py
    FLOOR_WALL_CROSSING_SD_PX,
    FLOOR_WALL_DIRECTION_SD_DEG,
    SHEET_PITCH_SD_DEG,
    SHEET_WALL_LINE_MIN_CONTRAST,
    SHEET_WALL_LINE_POSE_GAP_DEG,
    SHEET_WALL_LINE_SURE_CONTRAST,
    SOLE_CONTACT_NEARER_CM,
    SOLE_CONTACT_SD_CM,
    WALL_LINE_FOCAL_PER_LONG_SIDE,
)
from ankle_cv.kinematics.fitted import FOCAL_FOR_MARKER_SCALE as FOCAL_PER_LONG_SIDE
from ankle_cv.scene.camera_geometry import forward_of, tilt_deg, up_from_roll
from ankle_cv.scene.marker_plane import MarkerPlane, camera_from_up, classify_marker_plane

DICTIONARY = cv2.aruco.DICT_4X4_50
MARKER_BITS = 4  # DICT_4X4: 4x4 data bits inside a one-module black border
MARKER_FROM_FLOOR_MM = 10.0  # sheet layout (shared with marker_sheet.py and the renderer's side card)
MARKER_FROM_FRONT_MM = 20.0
GUIDE_FROM_FRONT_MM = 100.0
DEFAULT_MARKER_MM = 150.0
DETECT_PERIOD_S = 0.2  # look for the marker 5 times a second: 40-70 views to pool in a test, cheap next to the pose model
FULL_SEARCH_PERIOD = 4  # while not in view, search the whole frame only every 4th sampled frame (after the first few)
EAGER_SAMPLES = 5
# A marker flat on the floor shows a short side of 8-14 px at 360p-720p (randomised renders): ArUco misses it at full
# size and finds it in the picture enlarged twice (~30 ms a search at 720p, so only on every other whole-frame search).
ENLARGE = 2
ENLARGED_SEARCH_PERIOD = 2
MIN_SEEN_UNMEASURED = 3  # sampled frames with the marker detected but its corners not measurable: say it was ignored
MAX_CROPS = 40  # frames kept (grey, around the sheet) for the wall-floor line
PROFILE_STEP_PX = 0.25
MIN_EDGE_POINTS = 5
# An edge's crossings split (marker._parallel_pair): this many lying this far outside its fitted line are the sheet's edge
# and the rest a cover's. Over the open sets' 100 marker clips (random_v8-v14, 2,800 refined views) two crossings beyond
# 1 px on one side of a fitted edge came only where something stood before the edge: random_v14 r018 (all 8 views), r013
# (17 of 18), random_v11 r003 and r013 (1 view each).
SPLIT_EDGE_PX = 1.0
MIN_SPLIT_POINTS = 2
JUNCTION_MIN_CONTRAST = 12.0  # grey levels across the wall-floor line, averaged along it
PITCH_UNCERTAINTY_DEG = 5.0  # the camera is assumed level; this much tilt moves the horizon
YAW_UNCERTAINTY_DEG = 5.0  # assumed bound on the camera's yaw when the wall line is not seen
LENGTH_UNCERTAINTY = {  # relative 1-sigma of a length-based scale (user's measurement + landmark definition)
    "foot_length": 0.04,  # ruler +-0.5 cm on 25 cm, and heel/toe tips found in the silhouette
    "shank_length": 0.06,  # the joint line and ankle bone are hard to find with a tape; landmark ratio +-2 %
    "height": 0.06,  # shank = 0.246 x stature (Winter's segment table) varies by +-4-5 % between people
}


@dataclass(frozen=True)
class MarkerObservation:
    """One sampled frame's marker corners (TL, TR, BR, BL of the printed square), refined, in output pixels."""

    index: int
    corners_px: np.ndarray  # (4, 2)


@dataclass(frozen=True)
class MarkerTrack:
    """Everything seen of the marker during the decode pass."""

    marker_id: int
    size_mm: float
    observations: tuple[MarkerObservation, ...]
    frames_sampled: int
    crop: np.ndarray | None = None  # median grey image around the sheet (output pixels, scaled)
    crop_origin: tuple[float, float] = (0.0, 0.0)  # output-pixel position of crop[0, 0]
    crop_scale: float = 1.0  # output pixels per crop pixel
    image_size: tuple[int, int] | None = None  # output image (width, height): the marker's plane is judged against it
    seen_unmeasured: int = 0  # sampled frames where the marker was detected but its corners could not be measured
    crop_rgb: np.ndarray | None = None  # the same median region in colour (H, W, 3): a line grey does not show

    @property
    def found_fraction(self) -> float:
        """Share of sampled frames where the marker was found."""
        return len(self.observations) / self.frames_sampled if self.frames_sampled else 0.0


@dataclass(frozen=True)
class MarkerFit:
    """The sheet in the image, pooled over frames (output pixels)."""

    corners_px: np.ndarray  # (4, 2) TL, TR, BR, BL
    corner_sd_px: float  # frame-to-frame scatter of the refined corners
    frames_used: int
    found_fraction: float
    size_mm: float
    homography: np.ndarray  # sheet millimetres (x right along the print, y up, origin marker BL) -> pixels
    up: np.ndarray  # true vertical in the image (unit, pointing up), from the marker's vertical edges
    roll_deg: float  # camera roll: + = image rotated clockwise (true vertical leans right)
    plane: MarkerPlane | None = None  # where the marker lies (None: image size unknown, taken as the upright sheet)

    @property
    def is_sheet(self) -> bool:
        """The marker stands upright facing the camera, as the sheet does: it gives the leg's plane, the vertical and the scale."""
        return self.plane is None or self.plane.kind == "upright"

    @property
    def side_px(self) -> float:
        """Mean side length of the black square."""
        c = self.corners_px
        return float(np.mean([np.linalg.norm(c[(i + 1) % 4] - c[i]) for i in range(4)]))

    def sheet_point(self, x_mm: float, y_mm: float) -> np.ndarray:
        """Image position of a point on the sheet (mm from the marker's bottom-left corner, y up)."""
        q = self.homography @ np.array([x_mm, y_mm, 1.0])
        return q[:2] / q[2]


@dataclass(frozen=True)
class Scale:
    """Centimetres per pixel in the tested leg's plane, where the wall is, and how sure we are."""

    method: str  # "marker", "foot_length", "shank_length", "height" or "none"
    cm_per_px: float | None
    relative_uncertainty: float | None  # 1-sigma, of any distance measured with this scale
    wall_point_px: np.ndarray | None = None  # a point of the wall in the leg's plane at floor level
    up: np.ndarray | None = None  # the image's true vertical (unit, up) when known
    roll_deg: float | None = None
    wall_uncertainty_cm: float | None = None  # 1-sigma of the wall's position in the leg's plane
    details: dict = field(default_factory=dict)  # method-specific numbers for result.json
    warnings: tuple[str, ...] = ()
    vertical_lean_deg: float = 0.0  # `up` turned this much from the sheet's own edges: a pitched camera's lean at the wall
    vertical_lean_sd_deg: float = 0.0  # its 1-sigma (the pitch's)


NO_SCALE = Scale("none", None, None)


# ----------------------------------------------------------------------------------------- detection


def make_detector() -> cv2.aruco.ArucoDetector:
    """ArUco detector for the sheet's dictionary; corners are refined by refine_corners, not by OpenCV."""
    params = cv2.aruco.DetectorParameters()
    params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_NONE
    return cv2.aruco.ArucoDetector(cv2.aruco.getPredefinedDictionary(DICTIONARY), params)


def detect_marker(gray: np.ndarray, marker_id: int, detector: cv2.aruco.ArucoDetector) -> np.ndarray | None:
    """Raw corners (4, 2) of the marker with this id, or None."""
    corners, ids, _ = detector.detectMarkers(gray)
    if ids is None:
        return None
    hits = [c.reshape(4, 2).astype(float) for c, i in zip(corners, ids.ravel()) if int(i) == marker_id]
    if not hits:
        return None
    return max(hits, key=lambda c: cv2.contourArea(c.astype(np.float32)))  # the biggest if printed twice


def _edge_profiles(g: np.ndarray, a: np.ndarray, b: np.ndarray, module: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Half-level crossing offsets along the outward normal of edge a->b, with each profile's black and white."""
    d = (b - a) / np.linalg.norm(b - a)
    n = np.array([d[1], -d[0]])  # outward for clockwise corners in image coordinates (y down)
    ts = np.linspace(0.18, 0.82, 27)
    ss = np.arange(-0.7 * module, 0.4 * module + 1e-9, PROFILE_STEP_PX)  # the sheet's quiet zone is >= 0.4 module
    pts = a + ts[:, None, None] * (b - a) + ss[None, :, None] * n
    prof = cv2.remap(g, pts[..., 0].astype(np.float32), pts[..., 1].astype(np.float32), cv2.INTER_LINEAR)
    black = np.median(prof[:, ss < -0.3 * module], axis=1)
    white = prof[:, ss > 0.05 * module].max(axis=1)
    level = (0.5 * (black + white))[:, None]
    start = int(np.argmax(ss > -0.5 * module))
    rising = (prof[:, start:-1] < level) & (prof[:, start + 1:] >= level)  # first upward crossing of the half level
    has = rising.any(axis=1)
    j = start + np.argmax(rising, axis=1)
    rows = np.arange(ts.size)
    lo, hi = prof[rows, j], prof[rows, np.minimum(j + 1, ss.size - 1)]
    frac = (level[:, 0] - lo) / np.where(hi != lo, hi - lo, 1.0)
    offs = np.where(has, ss[j] + frac * PROFILE_STEP_PX, np.nan)
    base = a + ts[:, None] * (b - a)
    return base, offs, black, white


def refine_corners(gray: np.ndarray, corners: np.ndarray) -> np.ndarray | None:
    """Sub-pixel corners from the edges' half-level crossings, opposite edges parallel, robust to partial cover."""
    g = np.asarray(gray, np.float32)
    c = np.asarray(corners, float)
    side = float(np.mean([np.linalg.norm(c[(i + 1) % 4] - c[i]) for i in range(4)]))
    module = side / (MARKER_BITS + 2)
    if module < 2.0:
        return None
    edges = [_edge_profiles(g, c[i], c[(i + 1) % 4], module) for i in range(4)]
    contrast = np.concatenate([w - k for _, _, k, w in edges])
    ref = np.nanpercentile(contrast, 80)
    black_ref = np.nanpercentile(np.concatenate([k for _, _, k, _ in edges]), 20)
    points: list[np.ndarray] = []
    for i, (base, offs, black, white) in enumerate(edges):
        own = np.nanpercentile(white - black, 80)
        # Keep profiles that see the paper's white and the border's black: a toe or shin in front sees neither.
        ok = np.isfinite(offs) & (white - black >= 0.75 * own) & (white - black >= 0.4 * ref) & (black <= black_ref + 0.15 * ref)
        if ok.sum() < MIN_EDGE_POINTS:
            return None
        d = (c[(i + 1) % 4] - c[i]) / np.linalg.norm(c[(i + 1) % 4] - c[i])
        points.append(base[ok] + offs[ok, None] * np.array([d[1], -d[0]]))
    lines = [_parallel_pair(points[0], points[2]), _parallel_pair(points[1], points[3])]
    (n_h, o_top, o_bottom), (n_v, o_right, o_left) = lines
    out = [
        _intersect(n_h, o_top, n_v, o_left),
        _intersect(n_h, o_top, n_v, o_right),
        _intersect(n_h, o_bottom, n_v, o_right),
        _intersect(n_h, o_bottom, n_v, o_left),
    ]
    res = np.array(out)
    if not np.all(np.isfinite(res)) or np.max(np.linalg.norm(res - c, axis=1)) > 0.35 * side:
        return None
    return res


def _parallel_pair(p1: np.ndarray, p2: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Two parallel lines fitted robustly to two edges' points; an edge whose crossings split keeps its outer ones.

    Something in front of an edge (a shoe over the sheet's bottom edge) that is brighter than the ink moves the
    black-to-white crossing inwards, never outwards: where two or more of an edge's crossings lie beyond its fitted line
    on the outside by more than SPLIT_EDGE_PX, the majority inside are the cover's edge and the outer ones the sheet's
    (random_v14 r018: 5 of the bottom edge's 7 crossings on the shoe, 3.6 px in; the sheet read 15 % short, its
    homography's angles 4.5 deg low)."""
    n, o1, o2 = _parallel_fit(p1, p2)
    outer1 = (p1 @ n - o1) * np.sign(o1 - o2) > SPLIT_EDGE_PX
    outer2 = (p2 @ n - o2) * np.sign(o2 - o1) > SPLIT_EDGE_PX
    if outer1.sum() < MIN_SPLIT_POINTS and outer2.sum() < MIN_SPLIT_POINTS:
        return n, o1, o2
    return _parallel_fit(p1[outer1] if outer1.sum() >= MIN_SPLIT_POINTS else p1, p2[outer2] if outer2.sum() >= MIN_SPLIT_POINTS else p2)


def _parallel_fit(p1: np.ndarray, p2: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Two parallel lines (shared unit normal n, offsets n.x) fitted robustly to two edges' points."""
    m1, m2 = np.median(p1, axis=0), np.median(p2, axis=0)
    keep1, keep2 = np.ones(len(p1), bool), np.ones(len(p2), bool)
    n = np.zeros(2)
    o1 = o2 = 0.0
    for _ in range(3):
        q = np.vstack([p1[keep1] - m1, p2[keep2] - m2])
        _, _, vt = np.linalg.svd(q, full_matrices=False)
        n = np.array([-vt[0][1], vt[0][0]])
        r1, r2 = p1 @ n, p2 @ n
        o1, o2 = float(np.median(r1[keep1])), float(np.median(r2[keep2]))
        for r, o, keep in ((r1, o1, keep1), (r2, o2, keep2)):
            mad = float(np.median(np.abs(r[keep] - o))) + 0.05
            keep[:] = np.abs(r - o) < max(3.0 * 1.4826 * mad, 0.3)
        if keep1.sum() < 3 or keep2.sum() < 3:
            break
    return n, o1, o2


def _intersect(n1: np.ndarray, o1: float, n2: np.ndarray, o2: float) -> np.ndarray:
    """Point where n1.x = o1 and n2.x = o2."""
    a = np.array([n1, n2])
    if abs(np.linalg.det(a)) < 1e-9:
        return np.full(2, np.nan)
    return np.linalg.solve(a, np.array([o1, o2]))


class MarkerTracker:
    """Finds the sheet's marker in a sample of the frames flowing to the pose model (one decode pass)."""

    def __init__(self, marker_id: int = 0, size_mm: float = DEFAULT_MARKER_MM, out_size: tuple[int, int] | None = None,
                 period_s: float = DETECT_PERIOD_S) -> None:
        self.marker_id = marker_id
        self.size_mm = size_mm
        self.out_size = out_size
        self.period_s = period_s
        self._detector = make_detector()
        self._next_s = -1.0
        self._sampled = 0
        self._misses = 0
        self._full_searches = 0
        self._enlarge = 1  # the marker was found in the enlarged picture: track it there
        self._unmeasured = 0
        self._last: np.ndarray | None = None  # last corners in frame pixels
        self._obs: list[MarkerObservation] = []
        self._crops: list[np.ndarray] = []
        self._crops_rgb: list[np.ndarray] = []
        self._crop_box: tuple[int, int, int, int] | None = None
        self._frame_scale = (1.0, 1.0)

    def tap(self, frames: Iterable[Frame]) -> Iterator[Frame]:
        """Pass frames through unchanged, looking at some of them on the way."""
        for frame in frames:
            self.observe(frame)
            yield frame

    def observe(self, frame: Frame) -> None:
        """Sample this frame if its time has come."""
        if frame.time_s < self._next_s:
            return
        self._next_s = frame.time_s + self.period_s
        self._sampled += 1
        h, w = frame.rgb.shape[:2]
        if self.out_size is not None:
            self._frame_scale = (self.out_size[0] / w, self.out_size[1] / h)
        corners = self._find(frame.rgb)
        if corners is None:
            return
        self._last = corners
        scale = np.array(self._frame_scale)
        self._obs.append(MarkerObservation(frame.index, corners * scale))
        if len(self._crops) < MAX_CROPS and len(self._obs) % 2 == 1:
            self._keep_crop(frame.rgb, corners)

    def _find(self, rgb: np.ndarray) -> np.ndarray | None:
        """Search near the last position; the whole frame only now and then while the marker is lost."""
        h, w = rgb.shape[:2]
        if self._last is not None:
            side = float(np.max(np.ptp(self._last, axis=0)))
            x0, y0 = np.maximum(np.floor(self._last.min(axis=0) - side), 0).astype(int)
            x1, y1 = np.minimum(np.ceil(self._last.max(axis=0) + side), [w, h]).astype(int)
            found = self._detect_refine(rgb[y0:y1, x0:x1])
            if found is None and self._enlarge > 1:  # full size first: the enlarged picture only where that fails
                found = self._detect_refine(rgb[y0:y1, x0:x1], self._enlarge)
            if found is not None:
                self._misses = 0
                return found + np.array([x0, y0])
        self._misses += 1
        if self._sampled > EAGER_SAMPLES and self._misses % FULL_SEARCH_PERIOD != 1:
            return None
        self._full_searches += 1
        found = self._detect_refine(rgb)
        if found is None and self._last is None and self._full_searches % ENLARGED_SEARCH_PERIOD == 1:
            found = self._detect_refine(rgb, ENLARGE)
            self._enlarge = ENLARGE if found is not None else 1
        return found

    def _detect_refine(self, rgb: np.ndarray, enlarge: int = 1) -> np.ndarray | None:
        """Detect then refine in one image region (enlarged `enlarge` times for a small marker); region pixels."""
        if rgb.size == 0:
            return None
        gray = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
        if enlarge > 1:
            gray = cv2.resize(gray, None, fx=enlarge, fy=enlarge, interpolation=cv2.INTER_CUBIC)
        raw = detect_marker(gray, self.marker_id, self._detector)
        if raw is None:
            return None
        refined = refine_corners(gray, raw)
        if refined is None:
            self._unmeasured += 1
            return None
        return (refined + 0.5) / enlarge - 0.5  # pixel centres at integers in both pictures

    def _keep_crop(self, rgb: np.ndarray, corners: np.ndarray) -> None:
        """Keep the grey region around the sheet, where the wall meets the floor (same box every time)."""
        h, w = rgb.shape[:2]
        if self._crop_box is None:
            side = float(np.max(np.ptp(corners, axis=0)))
            x0, y0 = np.maximum(np.floor(corners.min(axis=0) - [2.5 * side, 0.5 * side]), 0).astype(int)
            x1, y1 = np.minimum(np.ceil(corners.max(axis=0) + [2.5 * side, 2.5 * side]), [w, h]).astype(int)
            self._crop_box = (x0, y0, x1, y1)
        x0, y0, x1, y1 = self._crop_box
        if x1 <= w and y1 <= h:
            region = np.ascontiguousarray(rgb[y0:y1, x0:x1])
            self._crops.append(cv2.cvtColor(region, cv2.COLOR_RGB2GRAY))
            self._crops_rgb.append(region)

    def result(self) -> MarkerTrack:
        """What was seen, in output pixels."""
        crop = crop_rgb = None
        origin = (0.0, 0.0)
        crop_scale = 1.0
        if self._crops and self._crop_box is not None:
            crop = np.median(np.stack(self._crops), axis=0).astype(np.float32)
            crop_rgb = np.median(np.stack(self._crops_rgb), axis=0).astype(np.float32)
            sx, sy = self._frame_scale
            origin = (self._crop_box[0] * sx, self._crop_box[1] * sy)
            crop_scale = float(sx)
        return MarkerTrack(self.marker_id, self.size_mm, tuple(self._obs), self._sampled, crop, origin, crop_scale, self.out_size,
                           self._unmeasured, crop_rgb)


# ----------------------------------------------------------------------------------------- pooling


def fit_marker(track: MarkerTrack, min_frames: int = 3) -> MarkerFit | None:
    """Pool the refined corners over frames (median) and derive the sheet's homography and the vertical."""
    if len(track.observations) < min_frames:
        return None
    stack = np.stack([o.corners_px for o in track.observations])
    corners = np.median(stack, axis=0)
    sd = float(np.median(np.abs(stack - corners)) * 1.4826)
    s = track.size_mm
    sheet = np.array([[0.0, s], [s, s], [s, 0.0], [0.0, 0.0]])  # TL, TR, BR, BL in mm, y up
    homography, _ = cv2.findHomography(sheet, corners)
    if homography is None:
        return None
    # True vertical: the marker's left and right edges (bottom to top), pooled.
    up = (corners[0] - corners[3]) + (corners[1] - corners[2])
    up = up / np.linalg.norm(up)
    roll = tilt_deg(up)
    plane = classify_marker_plane(corners, s, track.image_size) if track.image_size is not None else None
    return MarkerFit(corners, sd, len(track.observations), track.found_fraction, s, homography, up, roll, plane)


# ----------------------------------------------------------------------------------------- the leg's plane


def _level(p: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Coordinates along the true horizontal (image-right-ish) and the true downward direction."""
    right = forward_of(up, 1)
    right = right if right[0] >= 0 else -right
    p = np.asarray(p, float)
    return np.stack([p @ right, -(p @ up)], axis=-1)


def find_wall_line(fit: MarkerFit, track: MarkerTrack, facing: int) -> tuple[np.ndarray | None, float]:
    """Direction (unit, image) of the wall-floor line leaving the sheet's front-bottom corner, and its contrast.

    Only directions that run towards the camera on the wall's side are searched: the sheet's own bottom edge, running
    into the room, is often the strongest edge at that corner and must not hide the wall's line (it did on 5 renders).
    """
    if track.crop is None:
        return None, 0.0
    corner = front_bottom_px(fit, facing)
    origin = np.array(track.crop_origin)
    c = (corner - origin) / track.crop_scale
    side = fit.side_px / track.crop_scale
    best = (0.0, None)
    down = -fit.up
    s = np.arange(0.15 * side, 1.6 * side, 0.5)
    for ang in np.radians(np.arange(-80.0, 80.01, 0.5)):
        rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
        d = rot @ down
        if facing * _level(d, fit.up)[0] < -0.05:  # into the room (the sheet's bottom edge), not the wall's line
            continue
        n = np.array([d[1], -d[0]])
        pts = c + s[:, None] * d
        a = _sample(track.crop, pts + 2.0 * n)
        b = _sample(track.crop, pts - 2.0 * n)
        ok = np.isfinite(a) & np.isfinite(b)
        if ok.sum() < 0.6 * s.size:
            continue
        score = abs(float(np.mean(a[ok] - b[ok])))
        if score > best[0]:
            best = (score, d)
    score, d = best
    if d is None or score < SHEET_WALL_LINE_MIN_CONTRAST:
        return None, score
    return d, score


def _sample(img: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Bilinear samples at points (x, y); NaN outside the image."""
    h, w = img.shape
    inside = (pts[:, 0] >= 0) & (pts[:, 0] <= w - 1) & (pts[:, 1] >= 0) & (pts[:, 1] <= h - 1)
    out = np.full(len(pts), np.nan)
    if inside.any():
        p = pts[inside].astype(np.float32)
        out[inside] = cv2.remap(img, p[:, 0][None, :], p[:, 1][None, :], cv2.INTER_LINEAR).ravel()
    return out


def along_wall_vanishing_point(fit: MarkerFit, up: np.ndarray, horizon_v: float) -> np.ndarray:
    """Homogeneous image point where floor lines parallel to the wall meet: the sheet's bottom edge on the horizon.

    A camera turned from square to the wall sees those lines slope more the lower they lie in the image, so
    the leg's floor line is not the level line through its floor point (d07, 5 deg of yaw: 1.6 px over the
    toe-to-wall gap, 0.6 cm).
    """
    c = fit.corners_px
    edge = np.cross(np.append(c[3], 1.0), np.append(c[2], 1.0))  # through BL and BR
    horizon = np.array([up[0], up[1], horizon_v])  # points p with -(p . up) = horizon_v (camera level)
    return np.cross(edge, horizon)


def _centre_vertical(fit: MarkerFit, centre: np.ndarray, pitch_deg: float, focal_px: float) -> np.ndarray:
    """The picture's vertical at its centre column (the camera's roll): the marker's own edges lean by its place in a pitched
    camera's picture (_lean_deg), and the horizon is level about the centre, not about the marker (a camera pitched 10 deg,
    the marker 110 px off centre: 1.3 deg, which tilted the horizon's far vanishing points by hundreds of pixels)."""
    lean = np.radians(_lean_deg(fit.sheet_point(fit.size_mm / 2.0, fit.size_mm / 2.0), centre, fit.up, pitch_deg, focal_px))
    right = forward_of(fit.up, 1 if forward_of(fit.up, 1)[0] >= 0 else -1)
    v = np.cos(lean) * fit.up - np.sin(lean) * right
    return v / np.linalg.norm(v)


def _along_sheet_vanishing_point(fit: MarkerFit, up: np.ndarray, horizon_v: float) -> np.ndarray:
    """Homogeneous image point where floor lines along the sheet meet: the line through the marker's middle on the horizon.
    Its top and bottom edges are fitted parallel (scene.marker.refine_corners), so their shared direction is the one of
    their mid-line, not the bottom edge's (a level camera turned 5 deg: taken at the bottom edge, the point stood 28 %
    too far out and the wall 0.5 cm off)."""
    half = fit.size_mm / 2.0
    middle = np.cross(np.append(fit.sheet_point(0.0, half), 1.0), np.append(fit.sheet_point(fit.size_mm, half), 1.0))
    return np.cross(middle, np.array([up[0], up[1], horizon_v]))


def _square_to_sheet_vanishing_point(along: np.ndarray, up: np.ndarray, horizon_v: float, centre: np.ndarray,
                                     focal_px: float) -> np.ndarray:
    """Homogeneous image point where floor lines square to the sheet (the wall-floor line) meet: on the horizon, at right
    angles to the sheet's own floor direction (`along`, _along_sheet_vanishing_point) for a camera of this focal length
    centred on the picture."""
    k = np.array([[focal_px, 0.0, centre[0]], [0.0, focal_px, centre[1]], [0.0, 0.0, 1.0]])
    world_up = k.T @ np.array([up[0], up[1], horizon_v])  # the horizon's line back in the camera: the floor's normal
    return k @ np.cross(world_up, np.linalg.solve(k, np.asarray(along, float)))


def _meet_points(p: np.ndarray, p_vanishing: np.ndarray, q: np.ndarray, q_vanishing: np.ndarray) -> np.ndarray:
    """Where the line through p and a (homogeneous) vanishing point meets the line through q and another."""
    x = np.cross(np.cross(np.append(p, 1.0), p_vanishing), np.cross(np.append(q, 1.0), q_vanishing))
    if abs(x[2]) < 1e-9:  # parallel (cannot happen with a wall line running into the room): stay at the corner
        return np.asarray(p, float)
    return x[:2] / x[2]


def _meet(p: np.ndarray, direction: np.ndarray, q: np.ndarray, vanishing: np.ndarray) -> np.ndarray:
    """Where the line through p along direction meets the line through q and a (homogeneous) vanishing point."""
    return _meet_points(p, np.append(p + direction, 1.0), q, vanishing)


SHEET_MM = (297.0, 210.0)  # the printed sheet (A4 landscape) around the marker: width along the floor, height
NEARER_MARGIN_PX = 4.0  # the sheet's floor line this far below the foot's sole: the sheet stands nearer the camera


def sheet_outline_px(fit: MarkerFit, facing: int) -> np.ndarray:
    """The sheet's four corners in the image (front-bottom, front-top, back-top, back-bottom; front = at the wall)."""
    front = fit.size_mm + MARKER_FROM_FRONT_MM if facing > 0 else -MARKER_FROM_FRONT_MM
    back = front - facing * SHEET_MM[0]
    bottom, top = -MARKER_FROM_FLOOR_MM, SHEET_MM[1] - MARKER_FROM_FLOOR_MM
    return np.array([fit.sheet_point(x, y) for x, y in ((front, bottom), (front, top), (back, top), (back, bottom))])


def sheet_covers_foot(fit: MarkerFit, facing: int, feet_px: np.ndarray) -> np.ndarray | None:
    """The sheet's outline when it stands between the camera and a foot it overlaps in the image, else None.

    feet_px: (N, 2) heel and toe points (landmarks, still feet). On a floor seen from above, what stands nearer the
    camera meets the floor lower in the image: the sheet's bottom edge below a foot's sole, where the two overlap,
    means the sheet hides that foot (the renders' 'near' card hides the toes from cameras below ~1.5 m).
    """
    outline = sheet_outline_px(fit, facing)
    return outline if outline_covers_feet(outline, feet_px) else None


def outline_covers_feet(outline: np.ndarray | tuple[float, ...], feet_px: np.ndarray) -> bool:
    """Whether a standing sheet's outline (sheet_outline_px) stands between the camera and a foot: one of the heel and toe
    points lies inside it with the sheet's floor line more than NEARER_MARGIN_PX below (sheet_covers_foot's test)."""
    outline = np.asarray(outline, float).reshape(4, 2)
    poly = outline.astype(np.float32).reshape(-1, 1, 2)
    feet = np.asarray(feet_px, float).reshape(-1, 2)
    feet = feet[np.isfinite(feet).all(axis=1)]
    inside = [p for p in feet if cv2.pointPolygonTest(poly, (float(p[0]), float(p[1])), False) >= 0]
    a, b = outline[0], outline[3]  # the bottom edge, on the floor
    for p in inside:
        t = (p[0] - a[0]) / (b[0] - a[0]) if b[0] != a[0] else 0.0
        floor_y = a[1] + t * (b[1] - a[1])
        if floor_y > p[1] + NEARER_MARGIN_PX:
            return True
    return False


def contact_hidden_px(fit: MarkerFit, facing: int, floor_px: np.ndarray, margin_px: float = 2.0) -> float:
    """How far (px) the sheet's own floor line lies below a foot's floor contact it hides (0: the contact is seen).

    A sheet nearer the camera that covers the contact cuts the sole's outline: the true contact lies somewhere between
    the outline's bottom and the sheet's floor line below it (random render r082: read 28 px high on the sheet's top edge,
    the wall's depth 6.5 cm off, outside its 95 % interval)."""
    x, y = (float(v) for v in np.asarray(floor_px, float).ravel()[:2])
    outline = sheet_outline_px(fit, facing)
    poly = outline.astype(np.float32).reshape(-1, 1, 2)
    if not (np.isfinite(x) and np.isfinite(y)) or cv2.pointPolygonTest(poly, (x, y), True) < -margin_px:
        return 0.0  # the outline's cut at the sheet's top edge lies on it, within a pixel or two
    a, b = outline[0], outline[3]  # the bottom edge, on the floor
    below = float(a[1] + ((x - a[0]) / (b[0] - a[0]) if b[0] != a[0] else 0.0) * (b[1] - a[1]) - y)
    return below if below > NEARER_MARGIN_PX else 0.0  # the sheet meets the floor lower: it stands nearer the camera


def sheet_hides_toes(fit: MarkerFit, facing: int, toe_points_px: np.ndarray, sheet_nearer: bool, margin_px: float = 2.0) -> bool:
    """Whether the sheet hides the toes: it stands nearer the camera than the leg (`sheet_nearer`, from the depth
    ratio of marker_scale) and a toe point lies inside its outline (widened by margin_px). The outline's and the
    landmarks' toe then stop at the sheet's edge (renders' near card: 1.3-4.6 cm short), so no toe tip is found."""
    if not sheet_nearer:
        return False  # a sheet beyond the foot hides nothing, whatever it overlaps in the picture
    poly = sheet_outline_px(fit, facing).astype(np.float32).reshape(-1, 1, 2)
    return any(np.all(np.isfinite(p)) and cv2.pointPolygonTest(poly, (float(p[0]), float(p[1])), True) >= -margin_px
               for p in np.asarray(toe_points_px, float).reshape(-1, 2))


def front_bottom_px(fit: MarkerFit, facing: int) -> np.ndarray:
    """Image position of the sheet's corner that touches both the wall and the floor."""
    x = fit.size_mm + MARKER_FROM_FRONT_MM if facing > 0 else -MARKER_FROM_FRONT_MM
    return fit.sheet_point(x, -MARKER_FROM_FLOOR_MM)


def sheet_pitch(fit: MarkerFit, image_size: tuple[int, int]) -> tuple[float, float, float]:
    """The camera's pitch (deg, + looking down), its 1-sigma and the focal length (px) it goes with: from the upright sheet's
    pose (its printed up is the world's) when only one of its two poses is a plausible camera, else level with
    PITCH_UNCERTAINTY_DEG (a hand-held phone's spread). Two plausible poses fit the corners about equally (a camera turned
    25 deg from the sheet: 0.24 and 0.29 px, pitched 13 deg up and 5 deg up for a level camera), so neither is read."""
    plane = fit.plane
    if plane is None or plane.kind != "upright" or len(plane.rotations) != 1 or not np.isfinite(plane.focal_px):
        return 0.0, PITCH_UNCERTAINTY_DEG, FOCAL_PER_LONG_SIDE * max(image_size)
    pitch, _ = camera_from_up(plane.rotations[0][:, 1])
    return pitch, float(np.hypot(SHEET_PITCH_SD_DEG[0], SHEET_PITCH_SD_DEG[1] / max(fit.side_px, 1.0))), float(plane.focal_px)


def _lean_deg(p: np.ndarray, centre: np.ndarray, up: np.ndarray, pitch_deg: float, focal_px: float) -> float:
    """How far a true vertical at pixel p leans towards the image's right (deg) in a camera pitched by pitch_deg (+ down):
    verticals meet below a camera looking down, so the picture's right half leans right (about the centre's column)."""
    across = float((np.asarray(p, float) - centre) @ forward_of(up, 1 if forward_of(up, 1)[0] >= 0 else -1))
    return float(np.degrees(np.arctan(across * np.tan(np.radians(pitch_deg)) / focal_px)))


def knee_height_scale(scale_height_px: float, knee_height_px: float, pitch_deg: float, pitch_sd_deg: float,
                      focal_px: float) -> tuple[float, float]:
    """The factor on cm per px that carries a scale read `scale_height_px` above the floor to the knee's height, and its
    relative doubt from the pitch's: a camera looking down sees a point h px higher nearer by h sin(pitch) / f of its
    distance (the upright sheet's scale holds at its centre's height, a floor marker's at the floor)."""
    lift = np.sin(np.radians(pitch_deg)) / focal_px
    factor = (1.0 - knee_height_px * lift) / (1.0 - scale_height_px * lift)
    rel = abs(knee_height_px - scale_height_px) * np.cos(np.radians(pitch_deg)) * np.radians(pitch_sd_deg) / focal_px
    return float(factor), float(rel)


def _wall_from_pose(fit: MarkerFit, corner: np.ndarray, leg_floor_px: np.ndarray, centre: np.ndarray, pitch: float, focal: float,
                    image_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The wall's point on the leg's floor line where the wall-floor line runs from the sheet's pose (marker_scale's fallback),
    and that line's unit image direction from the corner (towards the camera: down the picture)."""
    level_up = _centre_vertical(fit, centre, pitch, focal)
    level_v = _level(centre, level_up)[1] - focal * np.tan(np.radians(pitch))
    vanishing = _along_sheet_vanishing_point(fit, level_up, level_v)
    square = _square_to_sheet_vanishing_point(vanishing, level_up, level_v, centre, WALL_LINE_FOCAL_PER_LONG_SIDE * max(image_size))
    wall = _meet_points(corner, square, leg_floor_px, vanishing)
    along = square[:2] - corner * square[2]  # towards the vanishing point (its sign follows the homogeneous scale)
    along = along / max(float(np.linalg.norm(along)), 1e-12)
    return wall, along if along @ -fit.up >= 0 else -along


def _pose_wall_sd_cm(fit: MarkerFit, corner: np.ndarray, centre: np.ndarray, facing: int, ratio_sd: float, px_per_cm: float,
                     depth_gap_cm: float) -> float:
    """1-sigma (cm) of a wall put by the sheet's edge (its pose's line, or a camera taken as square to it)."""
    # The point moves with the depth ratio itself: (corner - centre) per unit of ratio, across the picture.
    ratio_px = abs(float((corner - centre) @ forward_of(fit.up, facing))) * ratio_sd
    # A camera turned from square to the sheet puts the wall off by the sheet's depth gap x tan(turn) (s16cam c3: turned
    # 25 deg, 14.5 cm gap, the wall 6.7 cm off at +-1.4): the doubt takes the sheet's own turn where it exceeds the bound.
    turn = max(YAW_UNCERTAINTY_DEG, sheet_turn_deg(fit))
    return float(np.sqrt((0.5 / px_per_cm) ** 2 + (abs(depth_gap_cm) * np.tan(np.radians(turn))) ** 2 + (ratio_px / px_per_cm) ** 2))


def line_gap_deg(a: np.ndarray, b: np.ndarray) -> float:
    """The angle (deg, 0-90) between two undirected image lines given by their directions."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    c = abs(float(a @ b)) / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12)
    return float(np.degrees(np.arccos(min(c, 1.0))))


def marker_scale(
    fit: MarkerFit,
    track: MarkerTrack,
    facing: int,
    leg_floor_px: np.ndarray | None,
    image_size: tuple[int, int],
    floor_nearer_cm: float = SOLE_CONTACT_NEARER_CM["near"],
    floor_sd_cm: float = SOLE_CONTACT_SD_CM,
    knee_height_px: float = 0.0,
) -> Scale:
    """Scale and wall in the tested leg's plane from the sheet, its floor line and the leg's floor point.

    The scale holds at the knee's height (`knee_height_px` above the leg's floor point: both distances are read there) and
    the vertical at the wall's point: a pitched camera sees the knee nearer or farther than the floor, and the verticals lean
    by their place in the picture (random_v7 r004, looking up 9 deg: the depth ratio read 6 % short against a horizon taken
    through the centre, the vertical 0.4 deg off at the wall).
    """
    w, h = image_size
    centre = np.array([(w - 1) / 2.0, (h - 1) / 2.0])
    up = fit.up
    # Pixels per cm along the sheet's horizontal edges (the direction distances are measured in).
    c = fit.corners_px
    card_px_per_cm = 0.5 * (np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / (fit.size_mm / 10.0)
    corner = front_bottom_px(fit, facing)
    warnings: list[str] = []
    pitch, pitch_sd, focal = sheet_pitch(fit, image_size)
    horizon_v = _level(centre, up)[1] - focal * np.tan(np.radians(pitch))
    sheet_drop = _level(corner, up)[1] - horizon_v  # the sheet's floor line below the horizon (px)
    ratio = 1.0
    ratio_sd = 0.0
    floor_sd_px = 1.5
    pitch_px = np.tan(np.radians(pitch_sd)) * focal  # the horizon's doubt
    depth_measured = bool(leg_floor_px is not None and np.all(np.isfinite(leg_floor_px)) and sheet_drop > 0.05 * h)
    if depth_measured and leg_floor_px is not None:
        hidden_px = contact_hidden_px(fit, facing, leg_floor_px)
        leg_drop = _level(leg_floor_px, up)[1] - horizon_v
        # The floor point is where the sole meets the floor nearest the camera, floor_nearer_cm in front of the
        # leg's plane (through the ankle): move it back to that plane.
        px_per_depth_cm = leg_drop / _distance_cm(card_px_per_cm * leg_drop / sheet_drop, image_size)
        shift = floor_nearer_cm * px_per_depth_cm
        leg_drop -= shift
        leg_floor_px = np.asarray(leg_floor_px, float) + shift * up
        ratio = float(leg_drop / sheet_drop)
        # mask noise; the contact edge's depth; a contact the sheet hides lies anywhere down to the sheet's floor line
        # (the point is kept where seen: 2 sigma of half that range reach the line)
        floor_sd_px = float(np.hypot(np.hypot(1.5, floor_sd_cm * px_per_depth_cm), 0.5 * hidden_px))
        ratio_sd = float(np.hypot(floor_sd_px / sheet_drop, abs(ratio - 1.0) * pitch_px / sheet_drop))
        if hidden_px > 0:
            warnings.append("the sheet stands between the camera and the foot's floor contact, so the leg's depth against "
                            "the sheet (its scale and wall) is less sure; stand the sheet beyond the foot (far side from the camera)")
    else:
        warnings.append("the sheet's distance from the leg could not be measured (camera level with the floor or the foot not "
                        "found): the leg is assumed to be in the sheet's plane")
        ratio_sd = 0.05
    px_per_cm = card_px_per_cm * ratio
    direction, contrast = find_wall_line(fit, track, facing)
    depth_gap_cm = (ratio - 1.0) / ratio * _distance_cm(card_px_per_cm, image_size)
    if direction is not None and leg_floor_px is not None and np.all(np.isfinite(leg_floor_px)):
        # Walk along the wall-floor line to the leg's floor line (parallel to the wall, through the leg's floor point).
        dv = _level(direction, up)[1]
        wall = _meet(corner, direction, leg_floor_px, along_wall_vanishing_point(fit, up, horizon_v))
        t = float(np.dot(wall - corner, direction))
        wall_method = "wall-floor line"
        # corner extrapolation, 0.5 deg on the line's angle, and the leg's floor level slid along the line
        wall_sd_px = np.sqrt(0.5**2 + (abs(t) * np.radians(0.5)) ** 2 + (floor_sd_px * _level(direction, up)[0] / max(abs(dv), 1e-6)) ** 2)
        wall_sd_cm = float(np.hypot(wall_sd_px / px_per_cm, 0.02 * abs(depth_gap_cm)))
        if depth_measured and contrast < SHEET_WALL_LINE_SURE_CONTRAST:
            # A faint line is checked against the one the sheet's pose gives: where they part by more than the pose errs on
            # lines found right, the faint one may be a shadow's edge (random_v19 r006, 360p: the sheet's shadow on the floor,
            # 26 deg off the true line, knee-to-wall +6 / +12 cm at 1-sigma 1.3 / 1.9 for knees on the wall). Neither is
            # known to be right: the wall is put halfway, its doubt the two readings' mixture (each one's own doubt and half
            # their gap).
            pose_wall, pose_direction = _wall_from_pose(fit, corner, leg_floor_px, centre, pitch, focal, image_size)
            gap_deg = line_gap_deg(direction, pose_direction)
            if gap_deg > SHEET_WALL_LINE_POSE_GAP_DEG:
                gap_cm = float(np.linalg.norm(pose_wall - wall)) / px_per_cm
                pose_sd_cm = _pose_wall_sd_cm(fit, corner, centre, facing, ratio_sd, px_per_cm, depth_gap_cm)
                wall = 0.5 * (wall + pose_wall)
                wall_sd_cm = float(np.sqrt(0.5 * (wall_sd_cm**2 + pose_sd_cm**2) + (0.5 * gap_cm) ** 2))
                wall_method = "wall-floor line and the sheet's pose, apart"
                warnings.append(f"the line found beside the sheet (a faint step, {contrast:.0f}) runs {gap_deg:.0f}° from the "
                                "wall-floor line the sheet's pose gives, so it may be a shadow's edge: the wall is put between "
                                f"the two (±{wall_sd_cm:.1f} cm); light the wall's foot or film at a higher resolution")
        # The leg's depth where its distances are read, at the wall's point, not under mid-foot: a camera turned from square
        # sees the leg's floor line recede (random_v7 r004: the far foot's contact 60 cm behind the wall, turned 8 deg, read
        # the leg 3 % farther than at the wall). Both drops are the floor's, so their ratio is the depths' at any pitch.
        wall_drop = _level(wall, up)[1] - horizon_v
        if depth_measured and wall_drop > 0.05 * h:
            ratio = float(wall_drop / sheet_drop)
            ratio_sd = float(np.hypot(floor_sd_px / sheet_drop, abs(ratio - 1.0) * pitch_px / sheet_drop))
            px_per_cm = card_px_per_cm * ratio
    elif depth_measured and leg_floor_px is not None:
        # No line in the picture: the wall-floor line runs from the corner to the vanishing point of floor lines square to
        # the sheet, which the sheet's pose gives (its horizon and its floor direction's vanishing point on it), up to the
        # lens (WALL_LINE_FOCAL_PER_LONG_SIDE). A pitched or turned camera sees that point on the horizon, not at the
        # picture's centre (random_v17 r002, pitched 9.8 deg, turned 2.6: the wall scaled about the centre stood 3.9 px
        # across, +1.6 cm with the leg's depth; to that point 2.0 px, +0.8 cm).
        wall, _ = _wall_from_pose(fit, corner, leg_floor_px, centre, pitch, focal, image_size)
        wall_method = "sheet edge, the wall-floor line from the sheet's pose"
    else:
        wall = centre + (corner - centre) * ratio  # camera square to the sheet: scale about the image centre
        wall_method = "sheet edge, camera assumed square to the sheet"
    if wall_method.startswith("sheet edge"):
        turn = max(YAW_UNCERTAINTY_DEG, sheet_turn_deg(fit))
        wall_sd_cm = _pose_wall_sd_cm(fit, corner, centre, facing, ratio_sd, px_per_cm, depth_gap_cm)
        if abs(depth_gap_cm) > 5:
            turned = f", turned {turn:.0f}° from it" if turn > YAW_UNCERTAINTY_DEG else ""
            how = ("is placed from the sheet's pose" if wall_method.endswith("pose")
                   else "assumes a camera square to the sheet")
            warnings.append(f"the wall-floor line was not found beside the sheet: the wall's position {how} "
                            f"(±{wall_sd_cm:.1f} cm{turned})")
    corner_rel = fit.corner_sd_px / np.sqrt(max(fit.frames_used, 1)) / fit.side_px
    detect_rel = 0.25 / fit.side_px  # residual bias of the refined corners (0.1-0.3 px on rendered clips)
    yaw_rel = 1.0 - np.cos(np.radians(YAW_UNCERTAINTY_DEG))
    # The card's scale holds at the marker's centre height, the ratio at the floor, the distances at the knee's height: a
    # camera looking down sees a point h px higher nearer by h sin(pitch) / f of its distance.
    marker_h_px = (MARKER_FROM_FLOOR_MM + fit.size_mm / 2.0) / 10.0 * card_px_per_cm
    knee_h_px = knee_height_px if np.isfinite(knee_height_px) else 0.0
    knee_factor, height_rel = knee_height_scale(marker_h_px, knee_h_px, pitch, pitch_sd, focal)
    rel = float(np.sqrt(corner_rel**2 + detect_rel**2 + (ratio_sd / ratio) ** 2 + yaw_rel**2 + height_rel**2))
    # The sheet's edges give the vertical at the sheet; at the wall's point it leans by the pitch.
    centre_mark = fit.sheet_point(fit.size_mm / 2.0, fit.size_mm / 2.0)
    lean = _lean_deg(wall, centre, up, pitch, focal) - _lean_deg(centre_mark, centre, up, pitch, focal)
    lean_sd = abs(_lean_deg(wall, centre, up, pitch + pitch_sd, focal) - _lean_deg(centre_mark, centre, up, pitch + pitch_sd, focal) - lean)
    right = forward_of(up, 1 if forward_of(up, 1)[0] >= 0 else -1)
    wall_up = np.cos(np.radians(lean)) * up + np.sin(np.radians(lean)) * right
    if fit.side_px < 25:
        warnings.append(f"the marker is small in the image ({fit.side_px:.0f} px): move the camera closer or film at a higher resolution")
    return Scale(
        method="marker",
        cm_per_px=knee_factor / px_per_cm,
        relative_uncertainty=rel,
        wall_point_px=wall,
        up=wall_up / np.linalg.norm(wall_up),
        roll_deg=fit.roll_deg,
        wall_uncertainty_cm=wall_sd_cm,
        vertical_lean_deg=lean,
        vertical_lean_sd_deg=lean_sd,
        details={
            "marker_id": track.marker_id,
            "marker_size_mm": fit.size_mm,
            "marker_side_px": round(fit.side_px, 2),
            "frames_with_marker": fit.frames_used,
            "found_fraction": round(fit.found_fraction, 3),
            "corner_scatter_px": round(fit.corner_sd_px, 3),
            "sheet_cm_per_px": round(1.0 / card_px_per_cm, 5),
            "leg_to_sheet_distance_ratio": round(ratio, 4),
            "sheet_beyond_leg_cm": round(depth_gap_cm, 1),
            "wall": wall_method,
            "wall_line_contrast": round(contrast, 1),
        },
        warnings=tuple(warnings),
    )


def sheet_turn_deg(fit: MarkerFit) -> float:
    """The camera's turn from square to the sheet (deg): its normal's angle from the optical axis across the picture, the
    largest over the pose solutions (a small marker's pose is two-fold); 0 when no pose was kept."""
    rotations = fit.plane.rotations if fit.plane is not None else ()
    return max((float(np.degrees(np.arctan2(abs(r[0, 2]), abs(r[2, 2])))) for r in rotations), default=0.0)


def _distance_cm(px_per_cm: float, image_size: tuple[int, int]) -> float:
    """Camera distance of a plane with this scale, for a typical phone focal length (approximate: for small corrections)."""
    return FOCAL_PER_LONG_SIDE * max(image_size) / px_per_cm


# ----------------------------------------------------------------------------------------- a marker on the floor

FLOOR_MARKER_NOTE = ("the marker lies flat on the floor: it gives distances along the floor (the scale), not the vertical; "
                     "knee-to-wall is measured to the wall-floor line beside its paper (laid against the wall) or to the "
                     "wall's base where the picture shows it, else not given")
FLOOR_STEP_PX = 20.0  # floor distances are read over this image step along the leg's floor line
FLOOR_SCALE_REL_FLOOR = 0.03  # a flat marker's homography carried to the foot's floor line (renders: see docs/validation.md)


# The paper under a floor marker, laid against the wall, ends at the wall-floor line a margin beyond the square's
# wall-side edge (ankle-cv's sheet: 20 mm; a print with a one-sixth border: 25 mm); the line is looked for out to this.
FLOOR_WALL_SEARCH_MM = (5.0, 80.0)
FLOOR_WALL_STEP_SHARE = 0.8  # of the line's 90th-percentile step: a profile stepping less is at the paper's end or off it
FLOOR_WALL_OUTLIER_PX = 0.5  # a half-way crossing this far off the line through the others is not the wall's (toe, paper corner)


def floor_marker_wall_edge(fit: MarkerFit, facing: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The floor marker's edge facing the wall: its two ends, the unit normal towards the wall and px per mm along it."""
    c = fit.corners_px
    centre = c.mean(axis=0)
    edges = [(c[i], c[(i + 1) % 4]) for i in range(4)]
    a, b = max(edges, key=lambda e: facing * (0.5 * (e[0] + e[1]) - centre)[0])
    d = (b - a) / np.linalg.norm(b - a)
    n = np.array([d[1], -d[0]])
    if facing * n[0] < 0:
        n = -n
    across_px = 2.0 * float(np.dot(0.5 * (a + b) - centre, n))  # the square's depth along the normal
    return a, b, n, across_px / fit.size_mm


def floor_vanishing_points(fit: MarkerFit, image_size: tuple[int, int], facing: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Homogeneous image points where floor lines along the flat marker's wall-side edge (the wall's line) and across
    it (the leg's floor line, square to the wall) meet, from the marker's pose; None without a floor pose."""
    plane = fit.plane
    if plane is None or plane.kind != "floor" or not plane.rotations or not np.isfinite(plane.focal_px):
        return None
    w, h = image_size
    k = np.array([[plane.focal_px, 0.0, (w - 1) / 2.0], [0.0, plane.focal_px, (h - 1) / 2.0], [0.0, 0.0, 1.0]])
    a, b, _, _ = floor_marker_wall_edge(fit, facing)
    rot = plane.rotations[0]
    along, across = k @ rot[:, 0], k @ rot[:, 1]  # the square's printed x and y axes
    edge = b - a
    if abs(_cross2(edge, _towards(along, a))) > abs(_cross2(edge, _towards(across, a))):
        along, across = across, along  # the wall-side edge runs along the printed y axis
    return along, across


def _cross2(u: np.ndarray, v: np.ndarray) -> float:
    """z of the cross product of two unit-normalised image vectors (the sine of their angle)."""
    u = u / np.linalg.norm(u)
    v = v / np.linalg.norm(v)
    return float(u[0] * v[1] - u[1] * v[0])


def _towards(vanishing: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Image direction from p towards a homogeneous vanishing point (a point at infinity: its own direction)."""
    if abs(vanishing[2]) < 1e-9:
        return vanishing[:2]
    return vanishing[:2] / vanishing[2] - p


@dataclass(frozen=True)
class FloorWallLine:
    """The wall-floor line beside a floor marker's paper: a point level with the square's wall-side edge, its unit image
    direction and that direction's 1-sigma (deg), and the step's contrast (grey levels)."""

    point_px: np.ndarray
    direction: np.ndarray
    direction_sd_deg: float
    contrast: float


def find_floor_wall_line(fit: MarkerFit, track: MarkerTrack, facing: int, along: np.ndarray) -> FloorWallLine | None:
    """The wall-floor line beside a marker lying flat on the floor, its paper against the wall: its point level with
    the square's wall-side edge, its direction and its contrast.

    The line runs along that edge (the paper lies flush with the wall), so towards the same vanishing point `along`
    (from the marker's pose; the refined corners keep opposite edges parallel and lose it). It is the strongest step
    in the still picture among such lines FLOOR_WALL_SEARCH_MM beyond the edge, over the paper and the floor beside it
    (the median step along the line), placed where the grey level crosses half-way; None below JUNCTION_MIN_CONTRAST.
    The direction is the picture's own where the crossings along the line give it (_crossings_line): the pose's vanishing
    point of a 25-60 px square stood -1.3..+1.7 deg off the true line on the open renders, which the carry to the leg's
    floor line (10-20 cm along the wall) turned into the wall point's -0.6..+1.0 cm.
    """
    if track.crop is None:
        return None
    a, b, n, px_per_mm = floor_marker_wall_edge(fit, facing)
    origin = np.array(track.crop_origin)
    s = track.crop_scale
    mid = (0.5 * (a + b) - origin) / s
    vp = along.copy()
    if abs(vp[2]) > 1e-9:
        vp = np.append((vp[:2] / vp[2] - origin) / s, 1.0)
    length = float(np.linalg.norm(b - a)) / s
    t = np.arange(-1.5 * length, 1.5 * length + 0.01, 0.5)  # the paper's width and as much floor on either side

    def line(o: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = mid + o * n
        d = _towards(vp, p)
        d = d / np.linalg.norm(d)
        nn = np.array([d[1], -d[0]])
        return p, d, nn * np.sign(nn @ n)

    def strongest(picture: np.ndarray) -> tuple[float, float]:
        best = (0.0, float("nan"))
        for o in np.arange(max(FLOOR_WALL_SEARCH_MM[0] * px_per_mm / s, 2.5), FLOOR_WALL_SEARCH_MM[1] * px_per_mm / s, 0.25):
            p, d, nn = line(o)
            pts = p + t[:, None] * d
            hi, lo = _sample(picture, pts + 1.5 * nn), _sample(picture, pts - 1.5 * nn)
            ok = np.isfinite(hi) & np.isfinite(lo)
            if ok.sum() < 0.6 * t.size:
                continue
            score = float(np.median(np.abs(hi[ok] - lo[ok])))
            if score > best[0]:
                best = (score, float(o))
        return best

    picture = track.crop
    score, o = strongest(picture)
    if not (np.isfinite(o) and score >= JUNCTION_MIN_CONTRAST) and track.crop_rgb is not None:
        # A floor and a wall of the same brightness but not the same colour: grey loses the line, one colour channel keeps
        # it (random_v18 r003: a tan floor and a grey wall, 210 and 207 grey levels, RGB (253, 202, 137) and (209, 207, 205)).
        channels = [np.ascontiguousarray(track.crop_rgb[..., i]) for i in range(track.crop_rgb.shape[-1])]
        found = [strongest(c) for c in channels]
        i = int(np.argmax([f[0] for f in found]))
        picture, (score, o) = channels[i], found[i]
    if not np.isfinite(o) or score < JUNCTION_MIN_CONTRAST:
        return None
    p, d, nn = line(o)
    at, shifts, steps = _half_way_crossings(picture, p, d, nn, t)
    direction, direction_sd_deg = d, FLOOR_WALL_DIRECTION_SD_DEG
    if shifts.size >= 0.3 * t.size:
        offset, slope, slope_se = _crossings_line(at, shifts, float(np.median(shifts)), t.size, steps)
        o += offset * float(nn @ n)
        if np.isfinite(slope) and np.isfinite(slope_se) and slope_se > 0:
            # the picture's slope and the pose's (0 here: d runs to its vanishing point), each weighed by its doubt
            pose_var = np.tan(np.radians(FLOOR_WALL_DIRECTION_SD_DEG)) ** 2
            weight = pose_var / (pose_var + slope_se**2)
            direction = (d + weight * slope * nn) / float(np.hypot(1.0, weight * slope))
            direction_sd_deg = float(np.degrees(np.arctan(np.sqrt(weight) * slope_se)))
    p, _, _ = line(o)
    return FloorWallLine(origin + p * s, direction, direction_sd_deg, score)


def _half_way_crossings(crop: np.ndarray, p: np.ndarray, d: np.ndarray, nn: np.ndarray, t: np.ndarray,
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Along a line (point p, direction d, normal nn) at the positions t: where each profile across it (+-3 px) crosses
    half-way between its ends (its shift along nn), and its step; profiles off the picture or stepping less than
    JUNCTION_MIN_CONTRAST are left out."""
    across = np.arange(-3.0, 3.01, 0.25)
    at, shifts, steps = [], [], []
    for tt in t:
        prof = _sample(crop, p + tt * d + across[:, None] * nn)
        if not np.isfinite(prof).all() or abs(prof[-1] - prof[0]) < JUNCTION_MIN_CONTRAST:
            continue
        half, sign = 0.5 * (prof[0] + prof[-1]), np.sign(prof[-1] - prof[0])
        k = np.nonzero(sign * (prof - half) >= 0)[0]
        if k.size and k[0] > 0:
            i = int(k[0])
            frac = (half - prof[i - 1]) / (prof[i] - prof[i - 1]) if prof[i] != prof[i - 1] else 0.0
            at.append(float(tt))
            shifts.append(across[i - 1] + frac * 0.25)
            steps.append(abs(float(prof[-1] - prof[0])))
    return np.array(at), np.array(shifts), np.array(steps)


def _crossings_line(at: np.ndarray, shifts: np.ndarray, median: float, samples: int, steps: np.ndarray) -> tuple[float, float, float]:
    """The straight line through a step's half-way crossings along it (shift = offset + slope x position): its offset
    at the middle, its slope and the slope's standard error. Only the profiles stepping at least FLOOR_WALL_STEP_SHARE of
    the line's strong steps count (where the paper ends, the step weakens and its crossing slides); the slope is first the
    median of the pairwise slopes (Theil-Sen: a toe or a seam along part of the line does not tilt it), then the
    least-squares line through the crossings within FLOOR_WALL_OUTLIER_PX of that. The slope is NaN (and the offset the
    median) where fewer than 30 % of the samples, or none beyond a third of the line's half-length on either side of its
    middle, remain."""
    none = (median, float("nan"), float("nan"))
    strong = steps >= FLOOR_WALL_STEP_SHARE * float(np.percentile(steps, 90)) if steps.size else steps.astype(bool)
    at, shifts = at[strong], shifts[strong]
    if at.size < max(3, 0.3 * samples):
        return none
    i, j = np.triu_indices(at.size, 1)
    slope0 = float(np.median((shifts[j] - shifts[i]) / (at[j] - at[i])))
    offset0 = float(np.median(shifts - slope0 * at))
    keep = np.abs(shifts - (offset0 + slope0 * at)) <= FLOOR_WALL_OUTLIER_PX
    half_span = 0.5 * (float(at.max()) - float(at.min()))
    x, y = at[keep], shifts[keep]
    if x.size < 0.3 * samples or half_span <= 0 or x.min() > -half_span / 3 or x.max() < half_span / 3:
        return none
    slope, offset = np.polyfit(x, y, 1)
    resid = y - (offset + slope * x)
    spread = float(np.sqrt(np.sum(resid**2) / max(x.size - 2, 1)))
    # crossings 0.5 px apart share their pixels (bilinear samples): half as many independent ones
    se = float(np.hypot(spread, FLOOR_WALL_CROSSING_SD_PX) / np.sqrt(np.sum((x - x.mean()) ** 2) / 2.0))
    return float(offset), float(slope), se


def floor_marker_wall(fit: MarkerFit, track: MarkerTrack, facing: int, leg_floor_px: np.ndarray, image_size: tuple[int, int],
                      px_per_cm: float, floor_sd_px: float) -> tuple[np.ndarray, float] | None:
    """The wall's base in the leg's plane and its 1-sigma (cm) from the wall-floor line beside a flat marker, where it
    crosses the leg's floor line (through the leg's floor point, square to the wall); None where no line is found."""
    vps = floor_vanishing_points(fit, image_size, facing)
    if vps is None:
        return None
    along, across = vps
    found = find_floor_wall_line(fit, track, facing, along)
    if found is None:
        return None
    point, direction = found.point_px, found.direction
    wall = _meet(point, direction, leg_floor_px, across)
    t = float(np.linalg.norm(wall - point))
    slope = abs(direction[0]) / max(abs(direction[1]), 1e-6)  # the leg's floor row slid along the line
    wall_sd_px = float(np.sqrt(0.5**2 + (t * np.radians(found.direction_sd_deg)) ** 2 + (floor_sd_px * slope) ** 2))
    return wall, wall_sd_px / px_per_cm

def floor_scale(fit: MarkerFit, leg_floor_px: np.ndarray | None, image_size: tuple[int, int], marker_id: int = 0,
                track: MarkerTrack | None = None, facing: int = 1, floor_nearer_cm: float = SOLE_CONTACT_NEARER_CM["near"],
                floor_sd_cm: float = SOLE_CONTACT_SD_CM, room: tuple[float, float] | None = None,
                knee_height_px: float = 0.0) -> Scale:
    """Scale in the tested leg's plane from a marker lying flat on the floor: floor distances at the foot's floor line,
    carried to the knee's height where the room-line fit tells the camera's pitch.

    The leg's plane stands on the floor along the foot, so its scale is the floor's there. The marker gives the
    floor's scale where it lies (its homography, millimetres on the floor -> pixels, over a short level step);
    on a floor, the scale of level lines grows linearly with their drop below the horizon, so the foot's floor
    point carries it to the leg (the horizon from the camera tilt the marker's own pose implies). The corners are
    refined with opposite edges parallel, so the homography alone must not be stretched from the marker to the
    foot (20-40 cm nearer the camera on the renders: 16 % off). The wall: where the marker's paper lies against it,
    the wall-floor line found beside the paper (floor_marker_wall; `track` holds the still picture), carried along
    the floor to the leg's floor line (the sole's contact moved back to the leg's plane, as for the sheet).
    The horizon: from a trusted room-line fit (`room`: its pitch, deg + down, and focal length, px) where there is one,
    else from the marker's pose at a phone's focal. The marker's pose puts the horizon f tan(pitch) from the centre with
    a guessed f: on the open renders (true focal 0.45-0.94 x the long side) it stood up to 160 px off and the leg's
    centimetres read up to 13 % short (random_v10 r014); the room-line fit's stood within 50 px (its focal is searched),
    the centimetres within 7 % (docs/validation.md, benchmarks/floor_scale_parts.py). The leg's floor point is the sole's contact moved
    back into the leg's plane (a contact 2.8 cm nearer the camera read the scale ~1 % large).
    The distances are read at the knee's height (`knee_height_px` above the leg's floor point), against the verticals through
    the wall's point and the toes (centimetres._picture_vertical_at): a camera looking down sees the knee nearer than the
    floor by h sin(pitch) / f of its distance, as the upright sheet's scale says (marker_scale). Only with the room-line
    fit's pitch and focal: the marker's own pose stood 7 deg off the true pitch both ways on random_v18 r003 and r005.
    random_v18 r005 (pitched 9.1 deg, the fit's 9.1; the knee 160 px up): the equivalent's scale part +0.52 cm of 15 cm.
    """
    plane = fit.plane
    if leg_floor_px is None or not np.all(np.isfinite(leg_floor_px)) or plane is None or not np.isfinite(plane.camera_pitch_deg):
        return Scale("none", None, None, warnings=("marker flat on the floor: the foot's floor line was not found, so it gives no scale",))
    w, h = image_size
    pose_focal = FOCAL_PER_LONG_SIDE * max(w, h)
    focal, pitch = pose_focal, plane.camera_pitch_deg
    if room is not None and all(np.isfinite(room)) and room[1] > 0:
        pitch, focal = room
    up = up_from_roll(plane.camera_roll_deg)
    centre = np.array([(w - 1) / 2.0, (h - 1) / 2.0])
    horizon_v = _level(centre, up)[1] - focal * np.tan(np.radians(pitch))
    pose_horizon_v = _level(centre, up)[1] - pose_focal * np.tan(np.radians(plane.camera_pitch_deg))
    inv = np.linalg.inv(fit.homography)

    def floor_mm(p: np.ndarray) -> np.ndarray:
        q = inv @ np.array([p[0], p[1], 1.0])
        return q[:2] / q[2]

    mid = fit.corners_px.mean(axis=0)
    level = forward_of(up, 1)
    step = FLOOR_STEP_PX * level
    marker_px_per_cm = 2 * FLOOR_STEP_PX / (float(np.linalg.norm(floor_mm(mid + step) - floor_mm(mid - step))) / 10.0)
    marker_drop = _level(mid, up)[1] - horizon_v
    contact_drop = _level(np.asarray(leg_floor_px, float), up)[1] - horizon_v
    if not (np.isfinite(marker_px_per_cm) and marker_drop > 0.02 * h and contact_drop > 0.02 * h):
        too_level = "marker flat on the floor: the camera is too level with the floor to carry its scale to the foot; no scale"
        return Scale("none", None, None, warnings=(too_level,))
    leg_drop = _leg_drop(contact_drop, marker_drop, marker_px_per_cm, focal, floor_nearer_cm)
    px_per_cm = marker_px_per_cm * leg_drop / marker_drop
    knee_factor, height_rel = 1.0, 0.0  # the knee nearer the camera than the floor below it, and its doubt
    if room is not None and all(np.isfinite(room)) and room[1] > 0 and np.isfinite(knee_height_px) and knee_height_px > 0:
        knee_factor, height_rel = knee_height_scale(0.0, knee_height_px, pitch, PITCH_UNCERTAINTY_DEG / 2, focal)
    c = fit.corners_px
    shortest = float(min(np.linalg.norm(c[(i + 1) % 4] - c[i]) for i in range(4)))
    pitch_px = np.tan(np.radians(PITCH_UNCERTAINTY_DEG / 2)) * focal  # the horizon's doubt (the room-line fit's: RMS 20 px, 14 open clips)
    ratio_rel = abs(leg_drop - marker_drop) * pitch_px / (leg_drop * marker_drop)
    rel = float(np.sqrt(FLOOR_SCALE_REL_FLOOR**2 + (0.5 / max(shortest, 1.0)) ** 2 + ratio_rel**2
                        + _horizons_disagree(px_per_cm, marker_px_per_cm, mid, leg_floor_px, up, pose_horizon_v, pose_focal,
                                             floor_nearer_cm) ** 2 + height_rel**2))
    wall = None
    if track is not None:
        # The sole's contact lies floor_nearer_cm before the leg's plane (through the ankle): move it back there, by the
        # rows a cm of depth takes as SOLE_CONTACT_NEARER_CM was fitted (the marker pose's horizon at a phone's focal; the
        # room-line fit's moved random_v10's floor walls 0.1-0.2 cm the wrong way, so it serves the scale only).
        px_per_depth_cm = _rows_per_depth_cm(marker_px_per_cm, _level(mid, up)[1] - pose_horizon_v,
                                             _level(np.asarray(leg_floor_px, float), up)[1] - pose_horizon_v, pose_focal)
        if not np.isfinite(px_per_depth_cm):
            px_per_depth_cm = leg_drop * px_per_cm / focal
        leg_point = np.asarray(leg_floor_px, float) + floor_nearer_cm * px_per_depth_cm * up
        wall = floor_marker_wall(fit, track, facing, leg_point, image_size, px_per_cm,
                                 float(np.hypot(1.5, floor_sd_cm * px_per_depth_cm)))
    return Scale(
        method="marker_floor",
        cm_per_px=knee_factor / px_per_cm,
        relative_uncertainty=rel,
        up=None,
        wall_point_px=None if wall is None else wall[0],
        wall_uncertainty_cm=None if wall is None else wall[1],
        details={  # the upright sheet's fields, read for a floor marker
            "marker_id": marker_id,
            "marker_size_mm": fit.size_mm,
            "marker_side_px": round(fit.side_px, 2),
            "frames_with_marker": fit.frames_used,
            "found_fraction": round(fit.found_fraction, 3),
            "corner_scatter_px": round(fit.corner_sd_px, 3),
            "sheet_cm_per_px": round(1.0 / marker_px_per_cm, 5),
            "leg_to_sheet_distance_ratio": round(float(leg_drop / marker_drop), 4),
            "sheet_beyond_leg_cm": round(float((leg_drop / marker_drop - 1.0) / (leg_drop / marker_drop) * focal / marker_px_per_cm), 1),
            "wall": ("not given by a marker on the floor (toes' distance stated)" if wall is None
                     else "wall-floor line beside the marker's paper on the floor"),
            "wall_line_contrast": None,
        },
        warnings=(FLOOR_MARKER_NOTE,),
    )


def _horizons_disagree(px_per_cm: float, marker_px_per_cm: float, mid: np.ndarray, leg_floor_px: np.ndarray, up: np.ndarray,
                       pose_horizon_v: float, pose_focal: float, floor_nearer_cm: float) -> float:
    """The leg's relative scale doubt from the two horizons' disagreement: the marker pose's (at a phone's focal) read
    against the one used, half their scales' gap (so the 95 % interval reaches the other reading; 0 where they agree or
    the pose's has no floor below it). The room-line fit's horizon was the nearer on every open render with a floor marker
    (16 legs), but a plain backdrop's lines can tilt a trusted fit the wrong way (session 22, s22pitch: 5 of 25)."""
    marker_drop = float(_level(mid, up)[1]) - pose_horizon_v
    contact_drop = float(_level(np.asarray(leg_floor_px, float), up)[1]) - pose_horizon_v
    if not (marker_drop > 0.0 and contact_drop > 0.0):
        return 0.0
    leg_drop = _leg_drop(contact_drop, marker_drop, marker_px_per_cm, pose_focal, floor_nearer_cm)
    return 0.5 * abs(px_per_cm / (marker_px_per_cm * leg_drop / marker_drop) - 1.0)


def _leg_drop(contact_drop: float, marker_drop: float, marker_px_per_cm: float, focal: float, floor_nearer_cm: float) -> float:
    """The leg's floor point's drop below the horizon (px): the sole's contact lies floor_nearer_cm before the leg's plane
    (through the ankle), so its drop shrinks by that depth over the camera's distance (focal / px per cm) there."""
    return contact_drop / (1.0 + floor_nearer_cm * marker_px_per_cm * contact_drop / marker_drop / focal)


def _rows_per_depth_cm(marker_px_per_cm: float, marker_drop: float, contact_drop: float, focal: float) -> float:
    """Image rows a floor point at the contact moves per cm of depth (its drop over the camera's distance there); NaN where
    a drop is not below the horizon."""
    if not (marker_drop > 0.0 and contact_drop > 0.0):
        return float("nan")
    return contact_drop * (marker_px_per_cm * contact_drop / marker_drop) / focal


# ----------------------------------------------------------------------------------------- known lengths


def length_scale(method: str, length_px: float, length_cm: float, note: str = "") -> Scale:
    """A scale from a body length the user measured (or derived from stature) and the same length in pixels."""
    if not (np.isfinite(length_px) and length_px > 0 and length_cm > 0):
        return Scale("none", None, None, warnings=(f"the {method.replace('_', ' ')} could not be measured in the video; no scale",))
    warnings = (note,) if note else ()
    return Scale(
        method=method,
        cm_per_px=length_cm / length_px,
        relative_uncertainty=LENGTH_UNCERTAINTY[method],
        details={"length_cm": round(length_cm, 2), "length_px": round(float(length_px), 2)},
        warnings=warnings,
    )
