"""Options shared by `analyze` and `live`, so a recorded and a live session are measured alike."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ankle_cv.enums import SideChoice
from ankle_cv.kinematics.fitted import DEFAULT_EDGE_LIFT_RATIO  # fitted: see fitted.py
from ankle_cv.kinematics.heel import DEFAULT_LIFT_RATIO
from ankle_cv.protocol.norms import REFERENCE_TOE_TO_WALL_CM
from ankle_cv.settings import ScaleInputs, Settings


class FiniteRange(click.FloatRange):
    """A float range that also refuses nan and inf (click's own range lets nan through: it compares false)."""

    name = "float range"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The number, or click's usage error naming the option."""
        number = super().convert(value, param, ctx)
        if number is not None and not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


MEASUREMENT_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--side", type=click.Choice(["auto", "left", "right"]), default="auto", show_default=True,
                 help="Tested (front) leg; auto finds it from the scene."),
    click.option("--foot-to-wall-cm", type=FiniteRange(min=0, max=40), default=REFERENCE_TOE_TO_WALL_CM, show_default=True,
                 help="Distance from the big toe to the wall during the test."),
    click.option("--heel-lift-threshold", type=FiniteRange(min=0.001, max=0.5), default=DEFAULT_LIFT_RATIO,
                 show_default=True, help="Heel rise, as a fraction of foot length, that counts as heel lift when read from the silhouette "
                      f"(without the video, as live mode's first pass; read from the heel's edge in the picture it counts from "
                      f"{DEFAULT_EDGE_LIFT_RATIO:g})."),
    click.option("--camera-roll-deg", type=FiniteRange(min=-20, max=20), default=None,
                 help="Camera tilt to correct: the floor's slope in the image, + when it runs down to the right "
                      "(read it off a level line in the picture); it overrides the marker's and the room lines' vertical. "
                      "[default: the marker sheet's vertical, else the room's lines when clear, else camera level]"),
    click.option("--foot-length-cm", type=FiniteRange(min=10, max=40), default=None,
                 help="Scale from the tested foot: back of the heel to the longest toe, measured with a ruler."),
    click.option("--shank-length-cm", type=FiniteRange(min=20, max=70), default=None,
                 help="Scale from the shank: knee joint line to the centre of the outer ankle bone."),
    click.option("--height-cm", type=FiniteRange(min=100, max=230), default=None,
                 help="Scale from stature and average body proportions (approximate, ±6 %)."),
)

HISTORY_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--patient-id", default=None,
                 help="Also add the result(s) to this patient's history (see `ankle-cv history`)."),
    click.option("--history-db", type=click.Path(path_type=Path), default=None,
                 help="History database for --patient-id [default: the user's data folder]."),
)

MODEL_AND_MARKER_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--model", type=click.Choice(["full", "lite"]), default="full", show_default=True,
                 help="Pose model: full is more accurate, lite is faster."),
    click.option("--marker-size-mm", type=FiniteRange(min=50, max=200), default=150.0, show_default=True,
                 help="Side of the marker sheet's black square, as printed (`ankle-cv marker`)."),
    click.option("--marker-id", type=click.IntRange(min=0, max=49), default=0, show_default=True,
                 help="ArUco id (DICT_4X4_50) of the marker sheet."),
)


def apply_options(options: tuple[Callable[[Any], Any], ...]) -> Callable[[Any], Any]:
    """Decorate a command with a group of options, in the order listed."""

    def decorate(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


SETTING_NAMES = ("side", "foot_to_wall_cm", "heel_lift_threshold", "camera_roll_deg", "foot_length_cm",
                 "shank_length_cm", "height_cm", "marker_size_mm", "marker_id")


def settings_from_options(
    side: str = "auto", foot_to_wall_cm: float = REFERENCE_TOE_TO_WALL_CM, heel_lift_threshold: float = DEFAULT_LIFT_RATIO,
    camera_roll_deg: float | None = None, foot_length_cm: float | None = None, shank_length_cm: float | None = None,
    height_cm: float | None = None, marker_size_mm: float = 150.0, marker_id: int = 0,
) -> Settings:
    """The user's Settings from the command line's measurement options (built once per command)."""
    sizes = ScaleInputs(foot_length_cm, shank_length_cm, height_cm, marker_size_mm, marker_id)
    return Settings(side=SideChoice(side), foot_to_wall_cm=foot_to_wall_cm, heel_lift_ratio=heel_lift_threshold,
                    camera_roll_deg=camera_roll_deg, sizes=sizes)


def with_settings(options: tuple[Callable[[Any], Any], ...]) -> Callable[[Any], Any]:
    """Add the measurement options to a command and hand it one `settings: Settings` in their place.

    Options named in SETTING_NAMES that the command declares elsewhere (the marker's size and id) are
    gathered into the same Settings.
    """

    def decorate(command: Any) -> Any:
        @functools.wraps(command)
        def run(**kwargs: Any) -> Any:
            chosen = {name: kwargs.pop(name) for name in SETTING_NAMES if name in kwargs}
            return command(settings=settings_from_options(**chosen), **kwargs)

        return apply_options(options)(run)

    return decorate
