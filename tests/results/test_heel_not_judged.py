"""A heel the picture could not judge is null in result.json and "not checked" everywhere, never a silent "down"."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ankle_cv.enums import HeelSource
from ankle_cv.live.guidance import LiveRep, rep_message
from ankle_cv.live.monitor import reps_from
from ankle_cv.protocol.analysis import analyze_series
from ankle_cv.protocol.analysis_types import Analysis
from ankle_cv.results.build import build_result
from ankle_cv.results.frames_csv import FRAME_COLUMNS, frame_rows
from ankle_cv.results.types import Result
from ankle_cv.settings import Settings
from tests.outputs.test_visual_outputs import FPS, N_FRAMES, _knee_angles_deg, synthetic_series
from tests.results.test_wall_warning import INFO


@pytest.fixture(scope="module")
def unread() -> Analysis:
    """Two lunges whose first rep's heel was not read (as when no flat-foot picture or no heel edge is seen)."""
    analysis = analyze_series(synthetic_series(_knee_angles_deg(N_FRAMES)), FPS, Settings(use_silhouette=False))
    assert len(analysis.reps) >= 2
    first = replace(analysis.reps[0], heel_lifted=False, heel_lift_source=HeelSource.UNREAD.value,
                    heel_unread_reason="no sharp edge under the heel in the image")
    return replace(analysis, reps=(first, *analysis.reps[1:]))


def test_the_json_says_null_for_a_heel_not_judged_and_reads_back(unread: Analysis) -> None:
    result = build_result(unread, INFO)
    doc = json.loads(result.to_json())
    assert doc["reps"][0]["heel_lifted"] is None and doc["reps"][0]["heel_lift_source"] == "unread"
    assert doc["reps"][1]["heel_lifted"] is False  # a judged heel keeps its verdict
    # Why it was not checked is on the rep itself (not only in the warnings), and a judged heel has no such reason.
    assert doc["reps"][0]["heel_unread_reason"] == "no sharp edge under the heel in the image"
    assert doc["reps"][1]["heel_unread_reason"] is None
    again = Result.from_json(result.to_json())
    assert again.reps[0].heel_lifted is None and again.reps[0].heel_words == "heel not checked"
    assert again.reps[1].heel_words == "heel down"
    assert again.reps[0].heel_unread_reason == "no sharp edge under the heel in the image"


def test_an_older_result_without_the_reason_reads_back() -> None:
    """result.json files written before reps carried heel_unread_reason still read (the key stays absent)."""
    doc = json.loads(build_result(analyze_series(synthetic_series(_knee_angles_deg(N_FRAMES)), FPS, Settings(use_silhouette=False)),
                                  INFO).to_json())
    for rep in doc["reps"]:
        del rep["heel_unread_reason"]
    again = Result.from_json(json.dumps(doc))
    assert all(r.heel_unread_reason is None for r in again.reps)
    assert "heel_unread_reason" not in json.loads(again.to_json())["reps"][0]


def test_live_rep_lines_say_not_checked(unread: Analysis) -> None:
    lines = [rep_message(replace(r, number=i + 1)) for i, r in enumerate(reps_from(unread))]
    assert "heel not checked" in lines[0] and "heel down" not in lines[0]
    assert "heel down" in lines[1]
    assert rep_message(LiveRep(1, "right", 0.0, 1.0, 2.0, 30.0, None, True, "")).endswith("heel not checked \u2713")


def test_frames_csv_leaves_the_heel_empty_in_a_rep_not_judged(unread: Analysis) -> None:
    col = FRAME_COLUMNS.index("heel_lifted")
    rows = frame_rows(unread)
    first, second = (unread.reps[k].index for k in (0, 1))
    assert {r[col] for r in rows if r[2] == first} == {""}
    assert {r[col] for r in rows if r[2] == second} <= {0, 1} and any(r[2] == second for r in rows)
