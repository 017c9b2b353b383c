"""Synthetic landmark series of a knee-to-wall test with known angles (no video, no model)."""

from __future__ import annotations

import numpy as np

from ankle_cv.kinematics.legs import LegTracks
from ankle_cv.kinematics.shank import EDGE_OFFSET_PRIOR_DEG
from ankle_cv.kinematics.shank_rotation import LANDMARK_ANKLE_HIGH
from ankle_cv.pose.landmarks import (
    LEFT_EAR,
    LEFT_SHOULDER,
    LEG_INDEX,
    N_LANDMARKS,
    NOSE,
    RIGHT_EAR,
    RIGHT_SHOULDER,
    PoseSeries,
)

WIDTH, HEIGHT = 1280, 720
MEDIAPIPE_ANKLE_HIGH = LANDMARK_ANKLE_HIGH  # MediaPipe's ankle point above the joint centre, per shank (renders)


def rep_profile(fps: float, peaks_deg: list[float], rest_deg: float = 5.0, rest_s: float = 1.0,
                move_s: float = 1.2, hold_s: float = 0.8) -> np.ndarray:
    """Shank angle over time: rest, smooth rise, hold at the peak, smooth return, for each rep."""
    parts = [np.full(int(rest_s * fps), rest_deg)]
    for peak in peaks_deg:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, int(move_s * fps)))
        parts += [rest_deg + (peak - rest_deg) * ramp, np.full(int(hold_s * fps), peak),
                  peak - (peak - rest_deg) * ramp, np.full(int(rest_s * fps), rest_deg)]
    return np.concatenate(parts)


def make_series(
    angles_deg: np.ndarray,
    fps: float = 30.0,
    facing: int = 1,
    front_side: str = "right",
    shank_px: float = 110.0,
    foot_px: float = 55.0,
    heel_rise_px: np.ndarray | None = None,
    jitter_px: float = 0.0,
    swap_frames: np.ndarray | None = None,
    scale: float = 1.0,
    offset_px: tuple[float, float] = (0.0, 0.0),
    with_mask: bool = False,
    near_front: bool | None = None,
    seed: int = 0,
    edge_lean_deg: float = EDGE_OFFSET_PRIOR_DEG,
    ankle_landmark_high: float = 0.0,
    edge_lean_per_deg: float = 0.0,
    front_ahead_shanks: float = 0.055,
    end_fold: float = 0.0,
) -> PoseSeries:
    """A person lunging with the front leg at the given shank angles (image y down).

    The mask's shin front edge leans `edge_lean_deg` more than the joint axis when upright, as a real shin
    does (it widens towards the knee), and more by `edge_lean_per_deg` as it tilts, as a straight line fitted
    to the rendered bodies' does; a large value stands for loose trousers. With `edge_lean_per_deg` 0 the
    outline is rigid, and `end_fold` (share of the shank at a 40 deg lunge) folds its ends in as it tilts:
    the skin in front of the ankle creases, below the knee it drops back, the mid-shin keeps its shape. The ankle landmark sits `ankle_landmark_high` shank
    lengths above the joint the shank turns about (MEDIAPIPE_ANKLE_HIGH: as MediaPipe's does on the renders),
    and the sole rests 0.4 foot lengths below that joint. The front outline starts `front_ahead_shanks` ahead of the
    axis at the ankle (skin close over the tibia; loose fabric hangs 0.15-0.25 ahead: estimator_choice.with_fabric_doubt).
    """
    rng = np.random.default_rng(seed)
    n = angles_deg.size
    L, F = shank_px * scale, foot_px * scale
    ox, oy = offset_px
    if near_front is None:
        near_front = (front_side == "right") == (facing > 0)
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    rad = np.radians(angles_deg)
    ankle = np.tile([WIDTH / 2 + ox, HEIGHT * 0.8 + oy], (n, 1)).astype(float)
    lift = np.zeros(n) if heel_rise_px is None else heel_rise_px * scale
    # Near foot lower in the image (camera above the floor).
    near_dy = 0.3 * F
    front_dy = 0.0 if near_front else -near_dy
    back_dy = -near_dy if near_front else 0.0
    ankle[:, 1] += front_dy
    knee = ankle + L * np.stack([facing * np.sin(rad), -np.cos(rad)], axis=1)
    hip = knee + 1.1 * L * np.stack([np.full(n, -facing * 0.55), np.full(n, -0.83)], axis=1)
    heel = ankle + np.stack([np.full(n, -facing * 0.25 * F), 0.35 * F - lift], axis=1)
    toe = ankle + np.stack([np.full(n, facing * 0.75 * F), np.full(n, 0.4 * F)], axis=1)
    b_ankle = ankle + np.array([-facing * 1.6 * L, back_dy - front_dy])
    b_knee = b_ankle + L * np.array([-facing * np.sin(0.5), -np.cos(0.5)])
    b_hip = hip + np.array([0.0, 0.0])
    b_heel = b_ankle + np.array([-facing * 0.2 * F, 0.2 * F])
    b_toe = b_ankle + np.array([facing * 0.75 * F, 0.4 * F])
    other = "left" if front_side == "right" else "right"
    ankle_landmark = ankle - np.array([0.0, ankle_landmark_high * L])
    for name, arr in (("hip", hip), ("knee", knee), ("ankle", ankle_landmark), ("heel", heel), ("toe", toe)):
        xy[:, LEG_INDEX[front_side][name]] = arr
    for name, arr in (("hip", b_hip), ("knee", b_knee), ("ankle", b_ankle), ("heel", b_heel), ("toe", b_toe)):
        xy[:, LEG_INDEX[other][name]] = arr
    head = hip + np.array([facing * 0.3 * L, -3.0 * L])
    xy[:, NOSE] = head + np.array([facing * 0.1 * L, 0])
    xy[:, LEFT_EAR] = head
    xy[:, RIGHT_EAR] = head
    xy[:, LEFT_SHOULDER] = head + np.array([0, 0.6 * L])
    xy[:, RIGHT_SHOULDER] = head + np.array([0, 0.6 * L])
    if jitter_px:
        xy += rng.normal(0, jitter_px, xy.shape)
    if swap_frames is not None:
        for name in ("hip", "knee", "ankle", "heel", "toe"):
            li, ri = LEG_INDEX["left"][name], LEG_INDEX["right"][name]
            tmp = xy[swap_frames, li].copy()
            xy[swap_frames, li] = xy[swap_frames, ri]
            xy[swap_frames, ri] = tmp
    vis = np.full((n, N_LANDMARKS), 0.95)
    series = PoseSeries(np.arange(n) / fps, xy, vis, np.zeros((n, N_LANDMARKS, 3)), WIDTH, HEIGHT, np.ones(n, int))
    if not with_mask:
        return series
    rows = np.arange(HEIGHT, dtype=np.float32)
    width = 0.12 * L  # the calf's side: the back outline lies 3 widths behind the axis
    front = front_ahead_shanks * L
    right = np.full((n, HEIGHT), np.nan, np.float32)
    left = np.full((n, HEIGHT), np.nan, np.float32)
    along = np.linspace(0.0, L, 400)
    for i in range(n):
        t = (ankle[i, 1] - rows) / max(np.cos(rad[i]), 1e-3)  # distance along the shank per row
        on = (t > 0) & (t < L)
        axis_x = ankle[i, 0] + facing * (ankle[i, 1] - rows) * np.tan(rad[i])
        # The front outline in the shank's frame (distance ahead of the axis), then into the image.
        ahead = front + along * np.tan(np.radians(edge_lean_deg + edge_lean_per_deg * angles_deg[i]))
        depth = max(angles_deg[i] - angles_deg.min(), 0.0) / 40.0
        ahead -= end_fold * L * depth * np.clip((0.3 - along / L) / 0.3, 0, 1)  # skin creasing in front of the ankle
        ahead -= end_fold * L * depth * np.clip((along / L - 0.75) / 0.25, 0, 1)  # skin dropping back below the knee
        ox_ = ankle[i, 0] + facing * (along * np.sin(rad[i]) + ahead * np.cos(rad[i]))
        oy_ = ankle[i, 1] - along * np.cos(rad[i]) + ahead * np.sin(rad[i])
        edge = np.interp(rows, oy_[::-1], ox_[::-1], left=np.nan, right=np.nan)
        right[i, on] = edge[on] if facing > 0 else axis_x[on] + 3 * width
        left[i, on] = edge[on] if facing < 0 else axis_x[on] - 3 * width
    bottom = np.full((n, WIDTH), np.nan, np.float32)
    cols = np.arange(WIDTH, dtype=np.float32)
    for i in range(n):
        x0, x1 = sorted([heel[i, 0], toe[i, 0]])
        on = (cols >= x0) & (cols <= x1)
        bottom[i, on] = ankle[i, 1] + 0.4 * F
        heel_zone = on & (np.abs(cols - heel[i, 0]) < 0.3 * F)
        bottom[i, heel_zone] -= lift[i]
    return PoseSeries(series.times_s, xy, vis, series.world_xyz, WIDTH, HEIGHT, series.people,
                      right, left, bottom, rows, cols)


Part = tuple[int, bool, float, int]  # frames, split stance?, front toe's height below the back toe (foot lengths), label


def stance_tracks(parts: list[Part], *, facing: int, back_toe_y: float, split_x: float, together_x: float, back_x: float,
                  foot: float = 60.0, shank: float = 120.0) -> LegTracks:
    """Legs standing still in each part: the front foot at split_x in a split stance, else at together_x, its toe `cue`
    foot lengths below the back toe (nearer the camera when positive) and its MediaPipe label (1 right, 0 left) as given."""
    n = sum(p[0] for p in parts)
    front_x = np.concatenate([np.full(k, split_x if split else together_x) for k, split, _c, _l in parts])
    cue = np.concatenate([np.full(k, c) for k, _s, c, _l in parts])
    label = np.concatenate([np.full(k, lab, int) for k, _s, _c, lab in parts])
    back_y = np.full(n, back_toe_y)

    def leg(x: np.ndarray, toe_y: np.ndarray) -> dict[str, np.ndarray]:
        return {"hip": np.column_stack([x, toe_y - 2.2 * shank]), "knee": np.column_stack([x, toe_y - shank]),
                "ankle": np.column_stack([x, toe_y - 10]), "heel": np.column_stack([x - facing * foot / 2, toe_y]),
                "toe": np.column_stack([x + facing * foot / 2, toe_y])}

    front = leg(front_x, back_y + cue * foot)
    back = leg(np.full(n, back_x), back_y)
    return LegTracks(front, back, label, {p: np.ones(n) for p in front}, np.zeros(n, bool))
