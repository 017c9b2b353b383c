"""What `ankle-cv analyze` prints: nothing claimed that the video did not show."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ankle_cv.cli.analyze import print_summary
from tests.result_factory import BASE, as_result


def _printed(result_doc: dict) -> str:
    with CliRunner().isolation() as streams:
        print_summary(as_result(result_doc), (Path("o/result.json"),))
        return streams[0].getvalue().decode()


def test_no_person_claims_no_tested_leg() -> None:
    nobody = {**BASE["quality"], "pose_detected_fraction": 0.0, "leg_visibility_mean": 0.0, "usable_frame_fraction": 0.0,
              "view": "unknown", "people_max": 0, "warnings": []}
    text = _printed({"quality": nobody, "result": {"no_measurement_reason": "no person found in 100% of frames"}})
    assert "Tested leg: none (no person found in the video)" in text
    assert "Tested leg: right" not in text
    assert "Tested leg: right (wall on the image right)" in _printed({})
