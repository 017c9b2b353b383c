"""A knee-to-wall category given where no wall was seen says so in the result's warnings (issue 20)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from ankle_cv.io.video_source import VideoInfo
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.protocol.centimetre_types import Centimetres
from ankle_cv.protocol.centimetres import WALL_MARKER_NOTE
from ankle_cv.results.build import NO_WALL_WARNING, build_result
from ankle_cv.settings import Settings
from tests.outputs.test_visual_outputs import FPS, HEIGHT_PX, N_FRAMES, WIDTH_PX, _knee_angles_deg, synthetic_series

INFO = VideoInfo("lunge.mp4", WIDTH_PX, HEIGHT_PX, FPS, N_FRAMES, N_FRAMES / FPS, 0, "h264")


@pytest.fixture(scope="module")
def lunge() -> Analysis:
    """Two lunges measured from landmarks alone, nothing in the picture locating a wall, and the category the
    inclinometer-equivalent angle would give (landmarks alone give none; the rule is about any category)."""
    analysis = analyze_series(synthetic_series(_knee_angles_deg(N_FRAMES)), FPS, Settings(use_silhouette=False))
    assert analysis.best_rep is not None and analysis.centimetres is None
    return replace(analysis, legs={side: replace(leg, category="restricted") for side, leg in analysis.legs.items()})


def _located(source: str, warnings: tuple[str, ...] = ()) -> Centimetres:
    """The centimetre stage's answer with the wall's position from `source` ("marker": the sheet beside the foot)."""
    return Centimetres("marker", {}, {}, np.full(N_FRAMES, np.nan), {"right": 10.0}, source, warnings=warnings)


def test_a_category_without_a_wall_in_view_is_warned(lunge: Analysis) -> None:
    warnings = build_result(lunge, INFO).quality.warnings
    assert NO_WALL_WARNING in warnings
    assert build_result(lunge, INFO).summary.category is not None  # the category stays, with its caveat beside it


def test_a_toe_distance_only_stated_is_not_a_wall_seen(lunge: Analysis) -> None:
    stated = replace(lunge, centimetres=_located("stated"))
    assert NO_WALL_WARNING in build_result(stated, INFO).quality.warnings


@pytest.mark.parametrize("seen", [_located("marker"), _located("stated", (WALL_MARKER_NOTE,)), _located("picture")],
                         ids=["sheet_beside_foot", "sheet_on_wall", "base_seen"])
def test_a_wall_the_sheet_located_is_not_warned(lunge: Analysis, seen: Centimetres) -> None:
    assert NO_WALL_WARNING not in build_result(replace(lunge, centimetres=seen), INFO).quality.warnings


def test_no_category_no_wall_warning() -> None:
    still = analyze_series(synthetic_series(np.full(N_FRAMES, 6.0)), FPS, Settings(use_silhouette=False))
    assert all(leg.category is None for leg in still.legs.values())
    assert NO_WALL_WARNING not in build_result(still, INFO).quality.warnings
