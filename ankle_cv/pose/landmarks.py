"""Per-frame pose landmarks of one person as arrays: the contract between pose estimation and analysis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# BlazePose landmark indices used by the analysis (33 in all).
NOSE = 0
LEFT_EAR, RIGHT_EAR = 7, 8
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12
LEFT_HIP, RIGHT_HIP = 23, 24
LEFT_KNEE, RIGHT_KNEE = 25, 26
LEFT_ANKLE, RIGHT_ANKLE = 27, 28
LEFT_HEEL, RIGHT_HEEL = 29, 30
LEFT_TOE, RIGHT_TOE = 31, 32  # "foot index": the tip of the foot

LEG_POINTS = ("hip", "knee", "ankle", "heel", "toe")
LEG_INDEX: dict[str, dict[str, int]] = {
    "left": {"hip": LEFT_HIP, "knee": LEFT_KNEE, "ankle": LEFT_ANKLE, "heel": LEFT_HEEL, "toe": LEFT_TOE},
    "right": {"hip": RIGHT_HIP, "knee": RIGHT_KNEE, "ankle": RIGHT_ANKLE, "heel": RIGHT_HEEL, "toe": RIGHT_TOE},
}
N_LANDMARKS = 33


@dataclass(frozen=True)
class PoseSeries:
    """Landmarks of the tracked person over a clip; NaN rows where no person was found.

    `image_xy` is in pixels of the upright frame (x right, y down); `world_xyz` in metres
    (MediaPipe's hip-centred world landmarks); `people` counts persons seen where that was sampled
    (-1 where it was not).
    """

    times_s: np.ndarray  # (N,)
    image_xy: np.ndarray  # (N, 33, 2)
    visibility: np.ndarray  # (N, 33)
    world_xyz: np.ndarray  # (N, 33, 3)
    width: int
    height: int
    people: np.ndarray  # (N,) int
    mask_right_x: np.ndarray | None = None  # (N, Hp) person mask's rightmost x per sampled row
    mask_left_x: np.ndarray | None = None  # (N, Hp) leftmost x per sampled row
    mask_bottom_y: np.ndarray | None = None  # (N, Wp) lowest y per sampled column
    mask_rows_y: np.ndarray | None = None  # (Hp,) image y of each sampled row
    mask_cols_x: np.ndarray | None = None  # (Wp,) image x of each sampled column

    @property
    def has_mask(self) -> bool:
        """Whether silhouette edge profiles were recorded."""
        return self.mask_right_x is not None

    @property
    def n_frames(self) -> int:
        """Number of frames, with or without a detection."""
        return int(self.times_s.shape[0])

    @property
    def detected(self) -> np.ndarray:
        """Boolean mask of frames where a person was found."""
        return np.isfinite(self.image_xy[:, 0, 0])

    def point(self, index: int) -> np.ndarray:
        """(N, 2) pixel track of one landmark."""
        return self.image_xy[:, index, :]

    def leg(self, side: str) -> dict[str, np.ndarray]:
        """(N, 2) pixel tracks of one leg's points, by name."""
        return {name: self.image_xy[:, idx, :] for name, idx in LEG_INDEX[side].items()}

    def leg_visibility(self, side: str) -> dict[str, np.ndarray]:
        """(N,) visibility of one leg's points, by name."""
        return {name: self.visibility[:, idx] for name, idx in LEG_INDEX[side].items()}

    @staticmethod
    def empty(n: int, width: int, height: int) -> PoseSeries:
        """All-missing series of n frames, to be filled by a pose estimator."""
        return PoseSeries(
            times_s=np.zeros(n),
            image_xy=np.full((n, N_LANDMARKS, 2), np.nan),
            visibility=np.zeros((n, N_LANDMARKS)),
            world_xyz=np.full((n, N_LANDMARKS, 3), np.nan),
            width=width,
            height=height,
            people=np.full(n, -1, dtype=int),
        )


def stack_series(
    times_s: list[float],
    image_xy: list[np.ndarray | None],
    visibility: list[np.ndarray | None],
    world_xyz: list[np.ndarray | None],
    people: list[int],
    width: int,
    height: int,
    profiles: list | None = None,
    mask_scale: tuple[float, float] = (1.0, 1.0),
) -> PoseSeries:
    """Build a PoseSeries from per-frame lists where None means no detection."""
    n = len(times_s)
    series = PoseSeries.empty(n, width, height)
    if profiles is not None and any(p is not None for p in profiles):
        sample = next(p for p in profiles if p is not None)
        hp, wp = sample.right_x.shape[0], sample.bottom_y.shape[0]
        sx, sy = mask_scale
        right = np.full((n, hp), np.nan, np.float32)
        left = np.full((n, hp), np.nan, np.float32)
        bottom = np.full((n, wp), np.nan, np.float32)
        for i, p in enumerate(profiles):
            if p is not None:
                right[i], left[i], bottom[i] = p.right_x * sx, p.left_x * sx, p.bottom_y * sy
        series = PoseSeries(
            series.times_s, series.image_xy, series.visibility, series.world_xyz, width, height, series.people,
            right, left, bottom, (np.arange(hp) * sy).astype(np.float32), (np.arange(wp) * sx).astype(np.float32),
        )
    series.times_s[:] = times_s
    series.people[:] = people
    for i in range(n):
        if image_xy[i] is not None:
            series.image_xy[i] = image_xy[i]
            series.visibility[i] = visibility[i]
            series.world_xyz[i] = world_xyz[i]
    return series


MASK_FIELDS = ("mask_right_x", "mask_left_x", "mask_bottom_y", "mask_rows_y", "mask_cols_x")


def save_series(series: PoseSeries, path: str) -> None:
    """Cache landmarks to .npz (benchmarks and validation reuse them)."""
    extra = {k: getattr(series, k) for k in MASK_FIELDS if getattr(series, k) is not None}
    np.savez_compressed(
        path,
        times_s=series.times_s,
        image_xy=series.image_xy,
        visibility=series.visibility,
        world_xyz=series.world_xyz,
        size=np.array([series.width, series.height]),
        people=series.people,
        **extra,
    )


def load_series(path: str) -> PoseSeries:
    """Read landmarks cached by save_series."""
    data = np.load(path)
    width, height = (int(v) for v in data["size"])
    extra = {k: data[k] for k in MASK_FIELDS if k in data}
    return PoseSeries(
        data["times_s"], data["image_xy"], data["visibility"], data["world_xyz"], width, height, data["people"], **extra
    )
