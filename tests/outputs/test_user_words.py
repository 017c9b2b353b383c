"""Words a user reads on summary.png: no bracket inside a bracket, a negative heel rise said for what it means, the
picture's angle named (found as a new user: session 19's s19qa list)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ankle_cv.outputs import summary_plot
from ankle_cv.protocol.analysis_types import Analysis
from tests.outputs.test_visual_outputs import N_FRAMES, analysis, synthetic_frames  # noqa: F401 (fixture)


def nests(text: str) -> bool:
    """Whether a round bracket opens inside another."""
    depth = deepest = 0
    for c in text:
        depth += (c == "(") - (c == ")")
        deepest = max(deepest, depth)
    return deepest > 1


def _words(a: Analysis) -> list[str]:
    return summary_plot.result_lines(a, max_lines=10_000, wrap_chars=10_000)


def test_nests_finds_a_bracket_in_a_bracket() -> None:
    assert nests("(normal (its 95 % interval reaches borderline))") and not nests("(a) (b)")


def test_result_line_does_not_nest_the_category(analysis: Analysis) -> None:  # noqa: F811
    """summary.png's "Result:" line read "(normal (its 95 % interval reaches borderline))": the category now follows an
    arrow, as in analyze's printout."""
    leg = next(iter(analysis.legs.values()))
    spanning = replace(analysis, legs={s: replace(v, category="normal", inclinometer_equivalent_deg=38.5,
                                                  inclinometer_equivalent_ci95_deg=3.0)
                                       for s, v in analysis.legs.items()})
    best = summary_plot.best_rep_of(spanning)
    assert best is not None and leg is not None
    spanning = replace(spanning, reps=[replace(r, inclinometer_equivalent_deg=38.5) if r.index == best.index else r
                                       for r in spanning.reps])
    lines = _words(spanning)
    assert "its 95 % interval reaches borderline" in lines[0]
    assert "inclinometer-equivalent angle → normal" in lines[0]
    assert not any(nests(line) for line in lines), lines


def test_heel_reason_with_brackets_is_not_nested(analysis: Analysis) -> None:  # noqa: F811
    """A heel not checked for a reason that has brackets of its own (a small foot: "(film closer ...)")."""
    best = summary_plot.best_rep_of(analysis)
    assert best is not None
    unread = replace(analysis, reps=[replace(r, heel_lift_source="unread", heel_unread_reason="too small (film closer)")
                                     if r.index == best.index else r for r in analysis.reps])
    heel = next(line for line in _words(unread) if line.startswith("Heel:"))
    assert heel == f"Heel: not checked in rep {best.index}: too small (film closer)."


def test_a_negative_heel_rise_says_what_it_means(analysis: Analysis) -> None:  # noqa: F811
    """lunge_side_nowva rep 5: "rise -1.4% of foot length, ≈-4 mm" read as a sinking heel; it says the heel sat no
    higher than at rest, the number kept as result.json has it."""
    best = summary_plot.best_rep_of(analysis)
    assert best is not None
    sunk = replace(analysis, reps=[replace(r, heel_lift_ratio=-0.014, heel_lift_mm_approx=-3.6, heel_lifted=False)
                                   if r.index == best.index else r for r in analysis.reps])
    heel = next(line for line in _words(sunk) if line.startswith("Heel:"))
    assert "no higher than at rest" in heel and "-1.4% of foot length, ≈-4 mm" in heel
    assert summary_plot.heel_rise_words(0.031, 7.8) == "rise 3.1% of foot length, ≈8 mm"


@pytest.mark.parametrize("n_valid, words", [(1, "one valid rep, no spread"), (2, "mean 37.0 ± 1.0° over 2 valid reps")])
def test_spread_words_have_no_brackets(n_valid: int, words: str) -> None:
    """analyze printed "(one valid rep (no spread))"."""
    assert summary_plot.spread_words(37.0, 1.0, n_valid) == words


def test_the_pictured_angle_is_named(analysis: Analysis) -> None:  # noqa: F811
    """summary.png's title leads with the inclinometer-equivalent angle; the number on the picture is the joint-centre
    one, and says so."""
    best = summary_plot.best_rep_of(analysis)
    assert best is not None
    k = best.peak_frame
    points = {name: track[k] for name, track in analysis.front_xy.items()}
    fig = summary_plot.build_figure(analysis, synthetic_frames(N_FRAMES)[k].rgb, points)
    ax = next(a for a in fig.axes if a.images)
    texts = {t.get_gid(): t.get_text() for t in ax.texts}
    assert texts.get("measured-angle") == f"{best.tibial_inclination_deg:.1f}°"
    assert texts.get("measured-angle-name") == "joint-centre"


def test_category_reason_is_not_nested(analysis: Analysis) -> None:  # noqa: F811
    """No category, and why (itself with brackets: "the silhouette is off (--no-silhouette)"): after a semicolon, never
    "— (not compared ...: ... (--no-silhouette))"."""
    category = next(line for line in _words(analysis) if line.startswith("Category:"))
    assert category.startswith("Category: none; not compared with the inclinometer norms")
    assert not nests(category)


def test_reasons_put_in_brackets_have_none_of_their_own() -> None:
    """A rep's reason wraps these in brackets: "heel not checked (the foot did not stand still ... (no flat-foot picture
    to compare with))", "not a knee-to-wall test in this rep (the feet stay side by side (no split stance: a squat?) in
    43% of frames)" (luiz_air_squat, running_side_portrait)."""
    import numpy as np

    from ankle_cv.protocol.heel_reading import HEEL_UNCHECKED, NOT_STILL
    from ankle_cv.protocol.movement import FAILURE_TEXT, FAILURES, NOT_TEST, MovementCheck

    assert not nests(f"{HEEL_UNCHECKED} ({NOT_STILL})")
    failure = np.array([2] * 43 + [1] * 52 + [3] * 5)  # feet side by side, front view, front foot off the floor
    check = MovementCheck(np.zeros(100, bool), failure, *(np.zeros(100),) * 3)
    reason = check.reason(max_items=3)
    assert reason.startswith(f"{FAILURE_TEXT[FAILURES[1]]}, in 52% of frames; {FAILURE_TEXT[FAILURES[2]]}, in 43% of frames")
    assert not nests(f"{NOT_TEST} in this rep ({reason})")


def test_an_uncertainty_is_never_split_across_lines(analysis: Analysis) -> None:  # noqa: F811
    """The sample's summary.png wrapped "knee to wall 0.1 ± 1.0 cm (1" | "σ) · 42.5° ..."."""
    for line, width in (("knee to wall 0.1 ± 1.0 cm (1 σ) · 42.5°", 28), ("39.9° ± 2.7° (95 %) joint-centre", 17)):
        lines = summary_plot._wrapped([line], width)
        assert not any(seg.rstrip().endswith(("(1", "(95")) for seg in lines), lines


def test_a_refusal_says_what_to_do_in_the_printout_the_summary_and_the_report_alike(analysis: Analysis) -> None:  # noqa: F811
    """The report leads a refusal with what to do; analyze's printout and summary.png say the same words."""
    from click.testing import CliRunner

    from ankle_cv.cli.analyze import print_summary
    from ankle_cv.outputs.refusal_advice import NOT_TEST_ADVICE, advice_for
    from ankle_cv.protocol.movement import NOT_TEST
    from ankle_cv.report.model import SessionResult, build_report
    from tests.result_factory import as_result

    reason = f"{NOT_TEST}: the feet stay side by side with no split stance, as in a squat, in 100% of frames"
    assert advice_for(reason) == NOT_TEST_ADVICE and advice_for("no valid rep: heel lifted in the hold") != NOT_TEST_ADVICE
    refused = replace(analysis, best_rep=None, no_measurement_reason=reason)
    assert f"What to do: {NOT_TEST_ADVICE}" in _words(refused)
    result = as_result({"result": {"no_measurement_reason": reason, "tibial_inclination_deg": None}})
    with CliRunner().isolation() as streams:
        print_summary(result, ())
        printed = streams[0].getvalue().decode()
    assert f"What to do: {NOT_TEST_ADVICE}" in printed.splitlines()
    report = build_report([SessionResult("r", result, "2026-12-06", "sha")], None, None, None, "2026-12-06")
    assert report.refusal is not None and report.refusal.advice == NOT_TEST_ADVICE


def test_the_video_names_its_angle(analysis: Analysis, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """annotated.mp4 showed "shin 39.9°" and "BEST REP 39.9°" beside a printout whose category judges 42.5°
    (inclinometer-equivalent): the joint-centre angle is named in the panel and the banner."""
    import numpy as np

    from ankle_cv.outputs import annotated_video as av

    plan = av.plan_for_video(analysis, analysis.front_xy, np.arange(N_FRAMES), 12.0)
    best = summary_plot.best_rep_of(analysis)
    assert best is not None
    rows = [text for text, _, _ in av._hud_lines(plan, best.peak_frame)]
    assert rows[1].startswith("shin ") and rows[2] == "joint-centre"
    drawn: list[str] = []
    original = av.draw_text
    monkeypatch.setattr(av, "draw_text", lambda img, text, *a, **k: drawn.append(text) or original(img, text, *a, **k))
    av._draw_banner(np.zeros((120, 640, 3), np.uint8), best, False, av.Style.for_frame(640, 120), (0, 0))
    assert drawn and drawn[0].startswith(f"BEST REP  {best.tibial_inclination_deg:.1f}° joint-centre")


def test_what_to_do_follows_the_reps_reasons() -> None:
    """ypt_army_forward_lunge ("no valid rep: heel not checked; the camera's turn and roll are unknown; too quick ...") was
    told to keep its heel down, which it had: each reason now gets its own remedy, in one order."""
    from ankle_cv.outputs.refusal_advice import REP_ADVICE_FALLBACK, advice_for

    ypt = advice_for("no valid rep: heel not checked; the camera's turn and roll are unknown; too quick for a knee-to-wall rep")
    assert ypt.startswith("Each rep's reason is listed with it. Film again: stand still with the foot flat")
    assert "marker sheet" in ypt and "slow" in ypt and "heel on the floor" not in ypt
    assert "toes nearer the wall" in advice_for("no valid rep: heel lifted in the hold")
    assert REP_ADVICE_FALLBACK in advice_for("no valid rep: something new")


def test_the_oblique_warning_gives_the_effect_in_words_and_its_example_holds() -> None:
    """The warning spoke in a formula (tanθ' = tanθ·cosφ); its worked example must be that formula's own answer."""
    import math

    from ankle_cv.protocol.analysis import OBLIQUE_NOTE

    assert "tan" not in OBLIQUE_NOTE and "cos" not in OBLIQUE_NOTE and "=" not in OBLIQUE_NOTE
    seen = math.degrees(math.atan(math.tan(math.radians(40.0)) * math.cos(math.radians(30.0))))
    assert "turned 30°, a 40° shin reads about " + f"{seen:.0f}°" in OBLIQUE_NOTE


def test_each_reps_reason_takes_its_own_remedy_not_a_general_one() -> None:
    """random_v1 r028 ("no valid rep: front foot moved ...; the pose landmarks read the shin 9–12° steeper than its
    outline") was told to keep the leg in view and in good light (its reason holds the word "landmarks"); the rep's own
    line says something before the shin may hide its outline. A person's own lean keeps its remedy alone."""
    from ankle_cv.outputs.refusal_advice import advice_for

    hidden = advice_for("no valid rep: front foot moved during the rep; the pose landmarks read the shin 9–12° steeper "
                        "than its outline")
    assert "nothing between the camera and the tested shin" in hidden and "keep the front foot still" in hidden
    assert "good light" not in hidden
    own = advice_for("no valid rep: the pose landmarks read the shin 5° steeper than its outline, whose standing lean is "
                     "unlike most legs'")
    assert "nearer the camera" in own and "nothing between" not in own
    both = advice_for("no valid rep: implausible landmarks in 36–53% of the rep's frames; too quick for a knee-to-wall rep")
    assert "good light" in both and "slow" in both
