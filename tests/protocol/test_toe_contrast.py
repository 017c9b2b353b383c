"""The grey step across the toe tip's front edge: a shoe as dark as the floor reads faint, a clear one does not."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from ankle_cv.kinematics.heel_edge import FootCrop
from ankle_cv.protocol.toe_contrast import toe_edge_contrast

W, H = 200, 120
TOE = np.array([120.0, 80.0])  # the toe tip the silhouette ends at (facing right)
HEEL = np.array([40.0, 82.0])


def _scene(foot_grey: float, floor_grey: float, frames: int = 6, seed: int = 0) -> tuple[SimpleNamespace, SimpleNamespace, object]:
    """A foot ending at x = 120 (rows 70-90) on a floor, with sensor noise; its silhouette, landmarks and crop reader."""
    rng = np.random.default_rng(seed)
    images = []
    for _ in range(frames):
        img = np.full((H, W), floor_grey, np.float32)
        img[70:91, 30:121] = foot_grey
        images.append(img + rng.normal(0, 4.0, img.shape).astype(np.float32))
    rows = np.arange(0.0, H, 2.0)
    edge = np.full((frames, rows.size), np.nan)
    edge[:, (rows >= 70) & (rows <= 90)] = 120.0
    series = SimpleNamespace(has_mask=True, mask_rows_y=rows, mask_right_x=edge, mask_left_x=edge, width=W, height=H)
    analysis = SimpleNamespace(front_xy={"heel": np.tile(HEEL, (frames, 1)), "toe": np.tile(TOE, (frames, 1))})

    def read(boxes: dict[int, tuple[int, int, int, int]]) -> dict[int, FootCrop]:
        return {i: FootCrop(b[0], b[1], images[i][b[1]:b[3], b[0]:b[2]]) for i, b in boxes.items()}

    return analysis, series, read


@pytest.mark.parametrize(("foot", "floor", "low", "high"), [(18.0, 20.0, 0.0, 6.0), (200.0, 40.0, 150.0, 170.0), (90.0, 60.0, 25.0, 35.0)])
def test_the_step_across_the_toes_front_edge(foot: float, floor: float, low: float, high: float) -> None:
    analysis, series, read = _scene(foot, floor)
    step = toe_edge_contrast(analysis, series, "right", TOE, np.ones(6, bool), read)  # type: ignore[arg-type]
    assert low <= step <= high


def test_too_few_rest_frames_or_no_silhouette_cannot_be_read() -> None:
    analysis, series, read = _scene(200.0, 40.0)
    assert np.isnan(toe_edge_contrast(analysis, series, "right", TOE, np.array([True, True, False, False, False, False]), read))  # type: ignore[arg-type]
    series.has_mask = False
    assert np.isnan(toe_edge_contrast(analysis, series, "right", TOE, np.ones(6, bool), read))  # type: ignore[arg-type]
