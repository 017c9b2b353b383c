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


def _with_steps(peaks_deg: list[float], step_deg: float = 16.0) -> tuple[np.ndarray, np.ndarray]:
    """Reps as _series, each between a step in and a step out (0.6 s shin tilts of step_deg with the feet side by side)."""
    a = _series(peaks_deg, rest_deg=1.0, gap_s=3.0)
    stepping = np.zeros(a.size, bool)
    t = 3.0
    for _ in peaks_deg:
        for centre in (t - 1.0, t + 3.0 + 1.0):  # 1 s before the rep starts and after it ends
            i = int(centre * FPS)
            half = int(0.3 * FPS)
            a[i - half:i + half] += step_deg * np.hanning(2 * half)
            stepping[i - 2 * half:i + 2 * half] = True
        t += 3.0 + 3.0
    return a, stepping


def test_a_very_stiff_rep_beside_bigger_steps_is_found() -> None:
    """A 5° peak from a 1° rest between 16° step tilts (random_v1 r082's stepping in and out) is a rep when the steps are
    known: the limits come from the split stance's frames. Without the flags the steps set the scale and the rep is lost."""
    a, stepping = _with_steps([5.0, 5.0])
    reps = segment_reps(a, FPS, stepping=stepping)
    lunges = [r for r in reps if not stepping[r.peak]]
    assert len(lunges) == 2
    assert all(abs(r.peak_deg - 5.0) < 0.6 for r in lunges)
    assert not [r for r in segment_reps(a, FPS) if not stepping[r.peak]]


def test_a_small_movement_beside_deep_reps_is_said_not_dropped_silently() -> None:
    """A 6° movement between two 40° reps is not a rep, and the segmentation says so (with the deepest rep's excursion)."""
    from ankle_cv.protocol.reps import segment

    found = segment(_series([40.0, 7.0, 40.0], rest_deg=1.0), FPS)
    assert len(found.reps) == 2
    assert len(found.small) == 1
    assert abs(found.small[0].excursion_deg - 6.0) < 1.0
    assert abs(found.small[0].deepest_deg - 39.0) < 1.0


def test_a_bump_beside_lost_frames_does_not_borrow_their_depth() -> None:
    """A 6° bump up from a -3° dip just before 1.4 s without an angle (a step, random_v1 r082) is not a rep: the gap is
    filled with the stance's minimum (-6°) for the peak finder, and measured through the fill the bump rose 9°, over 0.4
    of the deepest rep's 18°. Its rise is read from the angles seen (6°, under); the two true reps and their windows stay."""
    from ankle_cv.protocol.reps import segment

    fps = 24.0
    knots_t = [0, 1, 2, 3, 4, 5.0, 5.6, 6.2, 7.6, 8, 9, 10, 11, 12, 13, 14]
    knots_a = [1, 1, 12, 12, 1, -3, 3, 3, 1, 1, 1, 12, 12, 1, -6, -6]
    t = np.arange(0.0, 14.0, 1 / fps)
    a = np.interp(t, knots_t, knots_a)
    a[(t > 6.2) & (t < 7.6)] = np.nan
    found = segment(a, fps)
    assert [round(float(t[r.peak])) for r in found.reps] == [2, 10]
    assert [round(m.excursion_deg) for m in found.small] == [6]


def _collapsed_hold(peak_deg: float = 45.0, floor_deg: float = 13.0) -> tuple[np.ndarray, np.ndarray]:
    """One rep whose outline angle falls to floor_deg for 0.8 s in the middle of its hold (the shin lost at its depth) while
    the landmarks, reading low as near a wall, stay up; then a second rep read whole."""
    truth = _series([peak_deg, peak_deg], rep_s=4.5)
    times = np.arange(truth.size) / FPS
    outline = truth.copy()
    lost = (times > 3.1) & (times < 3.9)  # the first rep's hold spans 3.0-4.5 s
    outline[lost] = floor_deg
    from ankle_cv.kinematics.signals import lowpass

    landmarks = 3.0 + 0.65 * (truth - 3.0) + 0.8 * np.sin(2 * np.pi * 1.3 * times)
    return lowpass(outline, FPS, 2.0), lowpass(landmarks, FPS, 2.0)


def test_a_rep_whose_outline_collapses_mid_hold_is_one_rep_marked_lost() -> None:
    """random_v19 r013 (far leg, loose trousers, shoes): the turn fell 24° at the first rep's depth while the landmarks fell 5°;
    without the landmarks the valley splits the rep in two (three reps for two), with them the two halves are one rep whose
    fall is kept for the refusal."""
    outline, landmarks = _collapsed_hold()
    assert len(segment_reps(outline, FPS)) == 3
    reps = segment_reps(outline, FPS, landmark_deg=landmarks)
    assert len(reps) == 2
    assert reps[0].lost_dip_deg > 20.0 and 3.1 * FPS < reps[0].lost_frame < 3.9 * FPS
    assert reps[1].lost_dip_deg == 0.0


def test_reps_the_landmarks_also_return_from_stay_apart() -> None:
    """Two reps with a short rest between: the landmarks (reading 35 % low at the peaks, as near a wall) fall with the outline,
    so the valley is a return towards standing, not a lost shin."""
    truth = _series([30.0, 32.0], gap_s=0.6)
    times = np.arange(truth.size) / FPS
    landmarks = 3.0 + 0.65 * (truth - 3.0) + 0.8 * np.sin(2 * np.pi * 1.3 * times)
    reps = segment_reps(truth, FPS, landmark_deg=landmarks)
    assert len(reps) == 2
    assert all(r.lost_dip_deg == 0.0 for r in reps)
