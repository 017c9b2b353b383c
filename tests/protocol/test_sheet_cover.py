"""The sheet before a rep's foot is judged in that rep's own stance (a both-legs clip's near foot stands forward only in its test)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ankle_cv.enums import VerticalSource
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.hidden_ankle import HIDDEN_ANKLE_NOTE
from ankle_cv.protocol.sheet_cover import rep_sheet_cover
from ankle_cv.scene.camera_geometry import CameraGeometry
from ankle_cv.scene.marker import outline_covers_feet
from tests.protocol.test_hidden_ankle import FPS, _hidden_series, _outline

LEVEL = CameraGeometry(vertical_source=VerticalSource.MARKER)
SHEET = _outline(600.0, 700.0, 560.0, 640.0)  # x 600-700, top edge y 560, floor line y 640


def test_a_foot_inside_the_outline_above_its_floor_line_is_covered() -> None:
    assert outline_covers_feet(SHEET, np.array([[610.0, 600.0], [660.0, 620.0]]))
    assert not outline_covers_feet(SHEET, np.array([[500.0, 600.0], [560.0, 620.0]]))  # beside the sheet
    assert not outline_covers_feet(SHEET, np.array([[650.0, 638.0]]))  # on its floor line: the sheet may stand beyond it
    assert not outline_covers_feet(SHEET, np.full((2, 2), np.nan))


def test_the_rep_is_judged_by_its_own_stance_not_the_clips() -> None:
    """Two stances: the foot stands behind the sheet in the second one only; the clip's gate (None) does not decide."""
    s, _ = _hidden_series(30.0, 0.2)
    rep = analyze_series(s, FPS, camera=LEVEL).reps[0]
    n = s.n_frames
    heel, toe = np.full((n, 2), [500.0, 600.0]), np.full((n, 2), [560.0, 610.0])  # beside the sheet, before its corner
    heel[rep.start_frame:rep.end_frame + 1], toe[rep.start_frame:rep.end_frame + 1] = [620.0, 600.0], [680.0, 615.0]
    front = {"heel": heel, "toe": toe}
    camera = replace(LEVEL, sheet_outline_px=SHEET)
    assert rep_sheet_cover(camera, front, rep) == SHEET
    before = replace(rep, start_frame=0, end_frame=max(rep.start_frame - 1, 0))
    assert rep_sheet_cover(camera, front, before) is None  # the same foot in the other stance
    assert rep_sheet_cover(LEVEL, front, rep) is None  # no standing sheet
    clip_cover = _outline(0.0, 10.0, 0.0, 10.0)
    assert rep_sheet_cover(replace(camera, sheet_cover_px=clip_cover), front, before) == clip_cover  # the clip's gate stands


def test_a_hidden_ankle_in_the_reps_own_stance_widens_it_as_the_clips_gate_did() -> None:
    """random_v15 r009: the near foot behind a side-near sheet in its own stance only; the clip's gate from both feet's
    medians stayed shut (+-4.1 for a -5.6 error). The standing sheet's outline, judged on the rep's feet, gives the same
    widened interval and note as the clip's gate; the outline moved away from the foot changes nothing."""
    s, cover = _hidden_series(30.0, 0.2)
    plain = analyze_series(s, FPS, camera=LEVEL)
    gated = analyze_series(s, FPS, camera=replace(LEVEL, sheet_cover_px=cover))
    own = analyze_series(s, FPS, camera=replace(LEVEL, sheet_outline_px=cover))
    assert own.reps == gated.reps and own.reps != plain.reps
    assert own.reps[0].tibial_inclination_ci95_deg > plain.reps[0].tibial_inclination_ci95_deg
    assert HIDDEN_ANKLE_NOTE in own.quality.warnings
    away = tuple(v + 1000.0 if i % 2 == 0 else v for i, v in enumerate(cover))  # the same sheet 1000 px to the side
    assert analyze_series(s, FPS, camera=replace(LEVEL, sheet_outline_px=away)).reps == plain.reps
