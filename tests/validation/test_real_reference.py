"""Scoring against the annotators' reference: leg choice, sign, tolerance, coverage and the clip's decision."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ankle_cv.validation.real_reference import (
    AnnotationFormatError,
    OurFrames,
    RealClipReport,
    format_real_report,
    reference_from_json,
    score_frame,
    summarize_real,
)

SHARED_REAL = Path(__file__).resolve().parents[3] / "shared" / "real" / "annotations.json"


def _doc(ref_deg: float = 20.0, sd: float = 1.0, test_like: bool = True) -> dict:
    """One clip, one frame: knee at (110, 100), ankle at (100, 200) (facing right: about +5.7 deg)."""
    ann = {k: {"knee_px": [110.0, 100.0], "ankle_px": [100.0, 200.0], "shin_front_px": None, "heel_on_floor": True,
               "quality": 1, "note": ""} for k in "abc"}
    return {
        "clips": {"c": {"file": "c.mp4", "facing": "right", "test_like": test_like, "movement": "", "expected": ""}},
        "frames": [{"clip": "c", "frame_index": 3, "time_s": 0.1, "leg": "front", "annotators": ann,
                    "reference": {"tibial_inclination_deg": ref_deg, "annotator_sd_deg": sd, "per_annotator_deg": {}}}],
    }


def _ours(angle: float, facing: str = "right", front_ankle: tuple[float, float] = (100.0, 200.0)) -> OurFrames:
    """Three analysed frames; the annotated leg is MediaPipe's 'left' (10 deg), the other leg far away."""
    t = np.array([0.0, 0.1, 0.2])
    near = {"knee": np.tile([100.0 + 100 * np.sin(np.radians(10)), 200.0 - 100 * np.cos(np.radians(10))], (3, 1)), "ankle": np.tile([100.0, 200.0], (3, 1))}  # 10 deg forward
    far = {"knee": np.tile([400.0, 100.0], (3, 1)), "ankle": np.tile([420.0, 200.0], (3, 1))}
    return OurFrames(t, facing, np.full(3, angle), np.full(3, "silhouette"), np.full(3, 2.0), np.tile(front_ankle, (3, 1)),
                     {"left": near, "right": far}, None)


def test_frame_scored_against_the_annotated_leg_and_its_tolerance() -> None:
    ref = reference_from_json(_doc(ref_deg=9.0, sd=2.0))
    row = score_frame(ref.frames[0], ref.clips["c"], _ours(12.5))
    assert row.raw_deg == pytest.approx(10.0, abs=0.1)  # the label nearest the annotators' points
    assert row.ours_error_deg == pytest.approx(3.5)
    assert row.tolerance_deg == pytest.approx(4.0)  # max(3, 2 x SD)
    assert row.within_tolerance is True
    assert row.measured_annotated_leg is True
    assert row.worse_than_raw_deg == pytest.approx(3.5 - 1.0, abs=0.1)


def test_wrong_facing_and_wrong_leg_are_errors() -> None:
    ref = reference_from_json(_doc(ref_deg=10.0))
    row = score_frame(ref.frames[0], ref.clips["c"], _ours(10.0, facing="left", front_ankle=(420.0, 200.0)))
    assert row.ours_error_deg == pytest.approx(-20.0)  # + towards the other side
    assert row.measured_annotated_leg is False
    assert row.within_tolerance is False


def test_summary_counts_refusals_and_coverage() -> None:
    ref = reference_from_json(_doc(ref_deg=10.0))
    measured = RealClipReport("c", True, "", None, (score_frame(ref.frames[0], ref.clips["c"], _ours(11.0)),))
    refused = RealClipReport("squat", False, "", "not a knee-to-wall test: feet side by side", ())
    wrongly = RealClipReport("squat2", False, "", None, ())
    unmeasured = RealClipReport("c2", True, "", "no valid rep", (score_frame(ref.frames[0], ref.clips["c"], _ours(float("nan"))),))
    rep = summarize_real([measured, refused, wrongly, unmeasured])
    assert rep.clips_handled_right == 2
    assert (rep.frames_test_like, rep.frames_measured, rep.frames_within_tolerance, rep.frames_covered) == (2, 1, 1, 1)
    assert "not a knee-to-wall test" in format_real_report(rep)


def test_a_document_without_frames_is_refused() -> None:
    with pytest.raises(AnnotationFormatError):
        reference_from_json({"clips": {}})


@pytest.mark.skipif(not SHARED_REAL.is_file(), reason="../shared/real is not beside the checkout")
def test_the_shared_annotations_parse() -> None:
    ref = reference_from_json(json.loads(SHARED_REAL.read_text(encoding="utf-8")))
    assert ref.frames and all(f.clip in ref.clips for f in ref.frames)


def test_cli_refuses_a_bad_annotation_file_or_a_missing_clip_before_any_output(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ankle_cv.cli import main

    (tmp_path / "annotations.json").write_text('{"clips": {}}')
    res = CliRunner().invoke(main, ["validate", str(tmp_path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "annotations.json" in res.output
    (tmp_path / "annotations.json").write_text(json.dumps(_doc()))
    res = CliRunner().invoke(main, ["validate", str(tmp_path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "c.mp4 not found" in res.output
    assert not (tmp_path / "o").exists()
