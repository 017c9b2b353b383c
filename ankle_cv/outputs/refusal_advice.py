"""What to do about a video without a valid measurement, from its reason: one wording for the printout, summary.png and
the report (pure: a reason in, a sentence out)."""

from __future__ import annotations

from ankle_cv.kinematics.legs import SIDE_DOUBT
from ankle_cv.protocol.movement import NOT_TEST, SLID_WORDS
from ankle_cv.protocol.rep_checks import BEHIND_AXIS_WORDS, OUTLINE_HIDDEN_WORDS, OWN_LEAN_WORDS

NOT_TEST_ADVICE = ("Film the knee-to-wall test itself: the tested foot in front with its toes near the wall and its heel down, "
                   "the other foot behind, the knee driven forward to touch the wall and back, 3–5 slow reps, the camera "
                   "at the side of the leg at shin height. The norms judge that test only.")
ADVICE = (  # (the reason's opening words, what to do), the first match used; protocol.analysis words the reasons
    ("no person found", "Film again with the whole person in view, from the side of the tested leg, in good light."),
    ("feet out of frame", "Film again with both feet and the floor in the picture: the camera at shin height, about "
                          "2–3 m away."),
    ("no knee-to-wall rep could be measured", "Film from the tested leg's side with nothing crossing its shin or foot (the "
                                              "marker sheet beyond the foot, on the side away from the camera), the whole "
                                              "leg in view, in good light."),
    ("no knee-to-wall rep found", "Film the reps: the knee driven forward to touch the wall and back, 3–5 times, slowly, "
                                  "the front heel kept down, the camera at the side of the leg."),
)
NO_VALID_REP = "no valid rep"
# (words in a rep's reason, what to do about it), in the order said; each reason takes the first entry its words match
# (the specific before the general: "landmarks" last of its kind); protocol.rep_checks and heel_reading word the reasons
REP_ADVICE = (
    ("heel lifted", "keep the front heel on the floor (if it lifts, start with the toes nearer the wall)"),
    ("heel not checked", "stand still with the foot flat for a moment before each rep"),
    ("front foot moved", "keep the front foot still"),
    ("front foot not planted", "keep the front foot planted"),
    ("too quick", "make each rep slow, with a moment's hold at the wall"),
    ("shin lost", "film from the tested leg's side with nothing crossing its shin or foot"),
    ("camera's turn", "stand the marker sheet beside the foot (ankle-cv marker) or film square to the side of the leg"),
    (OWN_LEAN_WORDS, "film with the tested leg nearer the camera and its shin large in the picture"),
    (BEHIND_AXIS_WORDS, "film with the tested leg nearer the camera, before a background unlike the skin's colour"),
    (OUTLINE_HIDDEN_WORDS, "film with nothing between the camera and the tested shin (the marker sheet beyond the foot, "
                           "clothing that does not cover the shin)"),
    (SLID_WORDS, "film with nothing between the camera and the front foot (the marker sheet beyond the foot, on the side "
                 "away from the camera)"),
    ("landmarks", "keep the whole leg and foot in view, in good light"),
    (NOT_TEST, "keep the test's split stance through each rep"),
    (SIDE_DOUBT, "film from the side of the tested leg with the camera low, so the front foot is seen nearer or farther "
                 "than the back one (or name the leg with --side left or right, one leg per video)"),
)
REP_ADVICE_FALLBACK = ("keep the front heel on the floor, the front foot still, each rep slow, and the whole leg and foot "
                       "in view")


def advice_for(reason: str) -> str:
    """What to do about a result without a valid measurement, from its reason's opening words."""
    if reason.startswith(NOT_TEST):
        return NOT_TEST_ADVICE
    if reason.startswith(NO_VALID_REP):  # "no valid rep: heel lifted in the hold; too quick ...": each reason's remedy
        matched = {_first_match(clause) for clause in reason[len(NO_VALID_REP):].lstrip(": ").split("; ")}
        todo = [REP_ADVICE[i][1] for i in sorted(i for i in matched if i is not None)] or [REP_ADVICE_FALLBACK]
        return f"Each rep's reason is listed with it. Film again: {'; '.join(todo)}."
    return next((advice for start, advice in ADVICE if reason.startswith(start)),
                "Film again as the test asks: the camera at the side of the leg at shin height, the whole foot in view.")


def _first_match(clause: str) -> int | None:
    """The REP_ADVICE entry one rep reason takes: the first whose words it holds (None: no entry)."""
    return next((i for i, (words, _) in enumerate(REP_ADVICE) if words in clause), None)
