"""Options shared by `analyze` and `live`, so a recorded and a live session are measured alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ankle_cv.kinematics.heel import DEFAULT_LIFT_RATIO

MEASUREMENT_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--side", type=click.Choice(["auto", "left", "right"]), default="auto", show_default=True,
                 help="Tested (front) leg; auto finds it from the scene."),
    click.option("--foot-to-wall-cm", type=click.FloatRange(min=0, max=40), default=10.0, show_default=True,
                 help="Distance from the big toe to the wall during the test."),
    click.option("--heel-lift-threshold", type=click.FloatRange(min=0.001, max=0.5), default=DEFAULT_LIFT_RATIO,
                 show_default=True, help="Heel rise, as a fraction of foot length, that counts as heel lift when read from the silhouette "
                      "(dim footage; the heel's edge in the picture, used when readable, counts from 0.02)."),
    click.option("--camera-roll-deg", type=click.FloatRange(min=-20, max=20), default=None,
                 help="Camera tilt to correct: the floor's slope in the image, + when it runs down to the right "
                      "(read it off a level line in the picture); it overrides the marker's and the room lines' vertical. "
                      "[default: the marker sheet's vertical, else the room's lines when clear, else camera level]"),
    click.option("--foot-length-cm", type=click.FloatRange(min=10, max=40), default=None,
                 help="Scale from the tested foot: back of the heel to the longest toe, measured with a ruler."),
    click.option("--shank-length-cm", type=click.FloatRange(min=20, max=70), default=None,
                 help="Scale from the shank: knee joint line to the centre of the outer ankle bone."),
    click.option("--height-cm", type=click.FloatRange(min=100, max=230), default=None,
                 help="Scale from stature and average body proportions (approximate, +-6 %)."),
)

HISTORY_OPTIONS: tuple[Callable[[Any], Any], ...] = (
    click.option("--patient-id", default=None,
                 help="Also add the result(s) to this patient's history (see `ankle-cv history`)."),
    click.option("--history-db", type=click.Path(path_type=Path), default=None,
                 help="History database for --patient-id [default: the user's data folder]."),
)


def apply_options(options: tuple[Callable[[Any], Any], ...]) -> Callable[[Any], Any]:
    """Decorate a command with a group of options, in the order listed."""

    def decorate(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def measurement_settings(
    side: str, foot_to_wall_cm: float, heel_lift_threshold: float, camera_roll_deg: float | None
) -> Any:
    """AnalysisSettings from the shared options (a user-given roll is the vertical's source)."""
    from ankle_cv.protocol.analysis import AnalysisSettings

    return AnalysisSettings(
        side=side, foot_to_wall_cm=foot_to_wall_cm, heel_lift_ratio=heel_lift_threshold,
        camera_roll_deg=camera_roll_deg or 0.0, vertical_source="user" if camera_roll_deg is not None else "image",
    )
