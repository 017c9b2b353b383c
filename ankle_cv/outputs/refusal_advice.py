"""What to do about a video without a valid measurement, from its reason: one wording for the printout, summary.png and
the report (pure: a reason in, a sentence out)."""

from __future__ import annotations

from ankle_cv.protocol.movement import NOT_TEST

NOT_TEST_ADVICE = ("Film the knee-to-wall test itself: the tested foot in front with its toes near the wall and its heel down, "
                   "the other foot behind, the knee driven forward to touch the wall and back, 3–5 slow reps, the camera "
                   "at the side of the leg at shin height. The norms judge that test only.")
ADVICE = (  # (the reason's opening words, what to do), the first match used; protocol.analysis words the reasons
    ("no person found", "Film again with the whole person in view, from the side of the tested leg, in good light."),
    ("feet out of frame", "Film again with both feet and the floor in the picture: the camera at shin height, about "
                          "2–3 m away."),
    ("no knee-to-wall rep found", "Film the reps: the knee driven forward to touch the wall and back, 3–5 times, slowly, "
                                  "the front heel kept down, the camera at the side of the leg."),
    ("no valid rep", "Each rep's reason is listed with it. Film again with the front heel kept on the floor (if it "
                     "lifts, start with the toes nearer the wall), the front foot still, each rep slow, and the whole "
                     "leg and foot in view."),
)


def advice_for(reason: str) -> str:
    """What to do about a result without a valid measurement, from its reason's opening words."""
    if reason.startswith(NOT_TEST):
        return NOT_TEST_ADVICE
    return next((advice for start, advice in ADVICE if reason.startswith(start)),
                "Film again as the test asks: the camera at the side of the leg at shin height, the whole foot in view.")
