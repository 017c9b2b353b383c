"""The shared words of the measurement as enums (their values are what result.json and frames.csv write)."""

from __future__ import annotations

from enum import Enum, IntEnum


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

    @classmethod
    def from_sign(cls, sign: int) -> Side:
        """The side of the image for a facing sign (+1: image right)."""
        return cls.RIGHT if sign > 0 else cls.LEFT

    @property
    def sign(self) -> int:
        """+1 for right, -1 for left (the facing sign of the kinematics)."""
        return 1 if self is Side.RIGHT else -1


class SideMethod(TextEnum):
    """How the tested leg's side was decided (kinematics.legs.Stance)."""

    GEOMETRY = "near/far geometry"  # the front foot nearer or farther from the camera than the back one
    LABELS = "pose-model labels"  # MediaPipe's left/right votes (the fallback)
    USER = "user"  # --side


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
    UNREAD = "unread"  # the image's heel edge could not be read (or too coarsely): the heel was not judged

    @property
    def judged(self) -> bool:
        """Whether a rep's heel verdict was made from this source (hidden and unread heels are not judged)."""
        return self not in (HeelSource.HIDDEN, HeelSource.UNREAD)


class AngleSource(TextEnum):
    """Where a frame's shank angle came from (frames.csv angle_source; NONE writes an empty cell)."""

    SILHOUETTE = "silhouette"
    LANDMARKS = "landmarks"
    EDGE_AND_LANDMARKS = "edge line + landmarks"  # the outline turn outvoted (kinematics.estimator_choice)
    CONFLICT = "estimators disagree"  # no angle: no two estimates agree
    NONE = ""


class AngleCode(IntEnum):
    """A frame's shank-angle source as the per-frame arrays hold it (ShankAngles.source); `text` is what is written."""

    CONFLICT = -2  # estimators available but no two agree
    NONE = -1
    LANDMARKS = 0
    SILHOUETTE = 1  # the outline turn (or the edge line where no turn was computed and nothing contradicts it)
    EDGE_AND_LANDMARKS = 2  # the edge line and the landmarks averaged (the turn outvoted)

    @property
    def text(self) -> AngleSource:
        """The source as frames.csv's angle_source writes it."""
        return AngleSource[self.name]


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
