"""The golden clips and how they are run: from the repository root, with these relative paths (result.json echoes them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOLDEN_DIR = Path(__file__).resolve().parent
GOLDEN_FILES = ("result.json", "frames.csv")

# name -> video path relative to the repository root (the path is part of result.json, so it must not change)
SAMPLE_CLIPS = {
    "k2w_right_synthetic": "sample_videos/k2w_right_synthetic.mp4",
    "k2w_left_heel_lift_synthetic": "sample_videos/k2w_left_heel_lift_synthetic.mp4",
}
SHARED_CLIPS = {
    "d06_f35_R_markerside_p40": "../shared/synthetic/d06_f35_R_markerside_p40.mp4",  # marker sheet, one leg
    "d12_f30_both_markerside_R40_L33": "../shared/synthetic/d12_f30_both_markerside_R40_L33.mp4",  # both legs
    "d08_f50_R_y12_p35": "../shared/synthetic/d08_f50_R_y12_p35.mp4",  # camera turned 12 deg, room lines
}


def run_analyze(video: str, out_dir: Path) -> subprocess.CompletedProcess:
    """`ankle-cv analyze VIDEO --out DIR --no-video` from the repository root, as the golden files were made."""
    return subprocess.run(
        [sys.executable, "-m", "ankle_cv.cli", "analyze", video, "--out", str(out_dir), "--no-video", "--force"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )
