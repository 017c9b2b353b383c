"""The shared words of the measurement as enums (their values are what result.json and frames.csv write)."""

from __future__ import annotations

from enum import Enum


class TextEnum(str, Enum):
    """An enum that is its value wherever text is expected (comparisons, f-strings, JSON)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    def __hash__(self) -> int:  # as its text, so `mapping["left"]` finds a Side.LEFT key
        return hash(str(self.value))


class Side(TextEnum):
    """A leg, or the side of the image the wall is on."""

    LEFT = "left"
    RIGHT = "right"


class SideChoice(TextEnum):
    """The tested leg the user asked for (--side)."""

    AUTO = "auto"
    LEFT = "left"
    RIGHT = "right"


class View(TextEnum):
    """How the camera sees the leg (quality.view)."""

    SIDE = "side"
    OBLIQUE = "oblique"
    FRONT = "front"
    UNKNOWN = "unknown"


class VerticalSource(TextEnum):
    """Where the true vertical came from (settings.vertical_source)."""

    IMAGE = "image"  # camera assumed level
    MARKER = "marker"
    ROOM_LINES = "room lines"
    ROOM_LEVEL_LINES = "room's level lines"  # the roll alone, from level and upright room lines (plain backdrop)
    MARKER_ON_WALL = "marker on the wall"  # a marker on the wall: the vertical and the leg's plane (its normal), no scale
    USER = "user"  # --camera-roll-deg


class HeelSource(TextEnum):
    """How a heel lift was read (reps[].heel_lift_source, method.heel)."""

    IMAGE = "image"  # the heel's edge in the full-resolution image
    SILHOUETTE = "silhouette"
    LANDMARKS = "landmarks"
    HIDDEN = "hidden"  # a sheet standing before the foot: the heel was not judged


class AngleSource(TextEnum):
    """Where a frame's shank angle came from (frames.csv angle_source; NONE writes an empty cell)."""

    SILHOUETTE = "silhouette"
    LANDMARKS = "landmarks"
    EDGE_AND_LANDMARKS = "edge line + landmarks"  # the outline turn outvoted (kinematics.estimator_choice)
    CONFLICT = "estimators disagree"  # no angle: no two estimates agree
    NONE = ""


class Category(TextEnum):
    """The norm band a tibial inclination falls in (protocol/norms.py)."""

    RESTRICTED = "restricted"
    BORDERLINE = "borderline"
    NORMAL = "normal"


class ScaleMethod(TextEnum):
    """Where the centimetres' scale came from (scale.method)."""

    NONE = "none"
    MARKER = "marker"
    MARKER_FLOOR = "marker_floor"  # a marker flat on the floor: the scale along the floor, no wall
    FOOT_LENGTH = "foot_length"
    SHANK_LENGTH = "shank_length"
    HEIGHT = "height"
