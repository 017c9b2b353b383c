"""Rep splitting on synthetic shank-angle series of known reps: stiff ankles are found, glitch peaks are not reps."""

from __future__ import annotations

import numpy as np

from ankle_cv.protocol.reps import segment_reps

FPS = 30.0


def _series(peaks_deg: list[float], rest_deg: float = 3.0, rep_s: float = 3.0, gap_s: float = 1.5) -> np.ndarray:
    """Rest, then reps that rise over 1 s, hold 1 s and fall over 1 s to the rest angle, with quiet-standing sway."""
    t_knots, a_knots, t = [0.0], [rest_deg], gap_s
    for p in peaks_deg:
        t_knots += [t, t + rep_s / 3, t + 2 * rep_s / 3, t + rep_s]
        a_knots += [rest_deg, p, p, rest_deg]
        t += rep_s + gap_s
    times = np.arange(0.0, t, 1 / FPS)
    sway = 0.4 * np.sin(2 * np.pi * 0.3 * times)
    return np.interp(times, t_knots, a_knots) + sway


def test_a_stiff_ankle_moving_under_5_degrees_is_found() -> None:
    """A 9° peak from a 4.5° rest (a 4.5° excursion, random_v1 r076's) is a rep, each of the two found once."""
    reps = segment_reps(_series([9.0, 9.0], rest_deg=4.5), FPS)
    assert len(reps) == 2
    assert all(abs(r.peak_deg - 9.0) < 0.6 for r in reps)


def test_quiet_standing_sway_is_not_a_rep() -> None:
    """Sway of ±1.5° around the rest angle finds no rep."""
    times = np.arange(0.0, 10.0, 1 / FPS)
    assert segment_reps(3.0 + 1.5 * np.sin(2 * np.pi * 0.25 * times), FPS) == []


def test_a_glitch_peak_of_a_few_frames_is_not_a_rep() -> None:
    """Six frames of a swapped leg reading 15° more between two reps add no rep; the two true reps stay."""
    a = _series([30.0, 30.0])
    mid = int(4.5 * FPS) + 3  # the rest between the two reps
    a[mid:mid + 6] += 15.0
    reps = segment_reps(a, FPS)
    assert len(reps) == 2
    assert all(abs(r.peak_deg - 30.0) < 0.6 for r in reps)
