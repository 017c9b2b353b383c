"""benchmarks/frame_vs_raw.py: the per-frame comparison counts "more than 1 deg worse than raw" as the real reference does."""

from __future__ import annotations

import numpy as np

from benchmarks.frame_vs_raw import _truth_index, summarize


def test_worse_share_counts_only_frames_more_than_one_degree_worse() -> None:
    raw = np.array([0.0, -2.0, 1.0, np.nan, 0.5])
    ours = np.array([1.5, 2.5, -1.0, 9.0, np.nan])  # 1.5 worse, 0.5 worse, equal; the NaN pairs are left out
    s = summarize(raw, ours)
    assert s["n"] == 3
    assert s["worse_share"] == 1 / 3
    assert np.isclose(s["raw_mae"], 1.0) and np.isclose(s["ours_mae"], 5.0 / 3.0)
    assert np.isclose(s["ours_bias"], 1.0)


def test_summarize_empty_is_nan() -> None:
    s = summarize(np.array([np.nan]), np.array([1.0]))
    assert s["n"] == 0 and np.isnan(s["ours_mae"])


def test_truth_index_from_the_first_analysed_frame() -> None:
    t = np.array([0.0, 1 / 15, 2 / 15, 10.0])
    assert _truth_index(t, 30.0, 100).tolist() == [0, 2, 4, 99]
