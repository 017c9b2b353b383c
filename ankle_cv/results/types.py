"""The result contract: result.json as frozen dataclasses, one per JSON object, fields in the file's key order.

`Result.to_json()` writes the file, `Result.from_json(text)` reads one back and checks it against this
schema (types, finite numbers, ranges, schema_version, references between fields), raising
ResultFormatError with the field's path on the first problem. results/build.py is the one place a Result
is made from an analysis. Fields marked `omit_none` were added to schema_version 1 later and are absent
from older files; `flat` groups (distances, uncertainties, scale details) are written into their parent's
object and exist only when a scale was known. Ranges bound what the method can yield, not clinical norms.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ankle_cv import __version__
from ankle_cv.enums import (
    Category,
    HeelSource,
    ScaleMethod,
    Side,
    SideChoice,
    VerticalSource,
    View,
)
from ankle_cv.results.plausible import PLAUSIBLE
from ankle_cv.results.record import (
    Record,
    ResultFormatError,
    absent_field,
    field_,
    short_text,
)

SCHEMA_VERSION = 1

ANGLE = (-180.0, 180.0)  # degrees: an arctangent's range
SPREAD = (0.0, 180.0)
FRACTION = (0.0, 1.0)
CM = (-1000.0, 1000.0)  # any distance in a room
PX = (-1e6, 1e6)
COUNT = (0, 10**9)
TIME_S = (-1e7, 1e7)


TOE_TO_WALL_WORDS = {"marker": "measured from the marker", "picture": "measured to the wall's base seen in the picture",
                     "stated": "stated (--foot-to-wall-cm)"}  # scale.toe_to_wall, by where the centimetre stage took the wall


@dataclass(frozen=True)
class LiveInput(Record):
    """What a live session adds to `input`."""

    source: str
    camera: int | str
    frames_captured: int = field_(range=COUNT)
    frames_measured: int = field_(range=COUNT)
    ended_by: str = field_()


@dataclass(frozen=True)
class InputInfo(Record):
    """The analysed video (`input`)."""

    path: str
    width: int = field_(range=(0, 100_000))
    height: int = field_(range=(0, 100_000))
    fps: float = field_(range=(0.0, 10_000.0))
    frames: int = field_(range=COUNT)
    duration_s: float = field_(range=(0.0, 1e7))
    analysed_frames: int | None = field_(legacy=True, range=COUNT)
    analysed_fps: float | None = field_(legacy=True, range=(0.0, 10_000.0))
    rotation_deg: int = field_(range=(-360, 360))
    live: LiveInput | None = field_(flat=True, default=None)
    absent: frozenset[str] = absent_field()  # legacy keys the file lacked (kept absent)


@dataclass(frozen=True)
class RepDistances(Record):
    """A rep's distances at its hold (present when a scale was known)."""

    knee_to_wall_cm: float | None = field_(range=PLAUSIBLE["knee_to_wall_cm"])
    knee_to_wall_uncertainty_cm: float | None = field_(range=PLAUSIBLE["knee_to_wall_uncertainty_cm"])  # 1 sigma
    equivalent_toe_to_wall_cm: float | None = field_(range=PLAUSIBLE["equivalent_toe_to_wall_cm"])
    knee_touches_wall: bool | None = field_()
    equivalent_toe_to_wall_uncertainty_cm: float | None = field_(  # 1 sigma, as the summary's (older files lack it)
        legacy=True, range=PLAUSIBLE["equivalent_toe_to_wall_uncertainty_cm"], default=None)
    absent: frozenset[str] = absent_field()  # legacy keys the file lacked (kept absent)


@dataclass(frozen=True)
class Rep(Record):
    """One forward lunge measured at its peak (`reps[]`)."""

    index: int = field_(range=(1, 10**6))
    side: Side = field_()
    start_s: float = field_(range=TIME_S)
    peak_s: float = field_(range=TIME_S)
    end_s: float = field_(range=TIME_S)
    start_frame: int = field_(range=COUNT)
    peak_frame: int = field_(range=COUNT)
    end_frame: int = field_(range=COUNT)
    tibial_inclination_deg: float | None = field_(range=PLAUSIBLE["tibial_inclination_deg"])
    tibial_inclination_ci95_deg: float | None = field_(legacy=True, range=(0.0, 180.0))  # 95 % half-width (protocol.interval)
    ankle_dorsiflexion_deg: float | None = field_(range=PLAUSIBLE["ankle_dorsiflexion_deg"])
    landmark_inclination_deg: float | None = field_(range=PLAUSIBLE["landmark_inclination_deg"])
    knee_past_toe_px: float | None = field_(range=PX)
    knee_past_toe_cm: float | None = field_(range=PLAUSIBLE["knee_past_toe_cm"])
    heel_lift_mm: float | None = field_(range=PLAUSIBLE["heel_lift_mm"])
    heel_lift_foot_fraction: float | None = field_(range=PLAUSIBLE["heel_lift_foot_fraction"])
    heel_lifted: bool | None = field_()  # None: the heel was not judged (heel_lift_source hidden or unread), never "down"
    heel_lift_source: HeelSource | None = field_(legacy=True)
    heel_unread_reason: str | None = field_(legacy=True)  # why the heel was not judged (None where it was)
    valid: bool = field_()
    invalid_reasons: tuple[str, ...] = field_()
    confidence: float | None = field_(range=FRACTION)
    inclinometer_equivalent_deg: float | None = field_(legacy=True, range=PLAUSIBLE["inclinometer_equivalent_deg"])  # the front of the shin (issue 21)
    inclinometer_equivalent_ci95_deg: float | None = field_(legacy=True, range=PLAUSIBLE["inclinometer_equivalent_ci95_deg"])  # 95 % half-width
    inclinometer_unread_reason: str | None = field_(legacy=True)
    distances: RepDistances | None = field_(flat=True, default=None)
    absent: frozenset[str] = absent_field()  # legacy keys the file lacked (kept absent)

    @property
    def heel_words(self) -> str:
        """The rep's heel verdict in words: 'heel up', 'heel down' or 'heel not checked' (hidden or unread)."""
        if self.heel_lifted is None or (self.heel_lift_source is not None and not self.heel_lift_source.judged):
            return "heel not checked"
        return "heel up" if self.heel_lifted else "heel down"

    @property
    def knee_to_wall_cm(self) -> float | None:
        """Front of the knee to the wall at the hold (None without a scale)."""
        return self.distances.knee_to_wall_cm if self.distances else None

    @property
    def equivalent_toe_to_wall_cm(self) -> float | None:
        """The toe-to-wall distance at which this knee would just touch (None without a scale)."""
        return self.distances.equivalent_toe_to_wall_cm if self.distances else None


@dataclass(frozen=True)
class SummaryUncertainty(Record):
    """The best rep's 1-sigma uncertainties (present when a scale was known and a rep is valid)."""

    knee_to_wall_uncertainty_cm: float | None = field_(range=PLAUSIBLE["knee_to_wall_uncertainty_cm"])
    equivalent_toe_to_wall_uncertainty_cm: float | None = field_(range=PLAUSIBLE["equivalent_toe_to_wall_uncertainty_cm"])


@dataclass(frozen=True)
class Summary(Record):
    """The test's result: the best valid rep and the spread over valid reps (`result`)."""

    tibial_inclination_deg: float | None = field_(range=PLAUSIBLE["tibial_inclination_deg"])
    tibial_inclination_ci95_deg: float | None = field_(legacy=True, range=(0.0, 180.0))  # 95 % half-width (protocol.interval)
    ankle_dorsiflexion_deg: float | None = field_(range=PLAUSIBLE["ankle_dorsiflexion_deg"])
    knee_past_toe_cm: float | None = field_(range=PLAUSIBLE["knee_past_toe_cm"])
    knee_to_wall_cm: float | None = field_(range=PLAUSIBLE["knee_to_wall_cm"])
    passes_10cm: bool | None = field_()
    equivalent_toe_to_wall_cm: float | None = field_(legacy=True, range=PLAUSIBLE["equivalent_toe_to_wall_cm"])
    mean_deg: float | None = field_(range=PLAUSIBLE["mean_deg"])
    sd_deg: float | None = field_(range=PLAUSIBLE["sd_deg"])
    category: Category | None = field_()
    inclinometer_equivalent_deg: float | None = field_(legacy=True, range=PLAUSIBLE["inclinometer_equivalent_deg"])  # the category is decided on it
    inclinometer_equivalent_ci95_deg: float | None = field_(legacy=True, range=PLAUSIBLE["inclinometer_equivalent_ci95_deg"])
    category_reason: str | None = field_(legacy=True)  # why no category although a rep is valid
    distance_category: Category | None = field_(legacy=True)  # the centimetre cut-offs on equivalent_toe_to_wall_cm
    category_ci95: tuple[Category, ...] | None = field_(legacy=True)  # every band the angle's 95 % interval touches
    distance_category_ci95: tuple[Category, ...] | None = field_(legacy=True)  # ... and the distance's
    norms: str = field_()
    no_measurement_reason: str | None = field_()
    uncertainty: SummaryUncertainty | None = field_(flat=True, default=None)
    absent: frozenset[str] = absent_field()  # legacy keys the file lacked (kept absent)


@dataclass(frozen=True)
class LegDistances(Record):
    """A leg's best-rep distances (present when a scale was known)."""

    knee_to_wall_cm: float | None = field_(range=PLAUSIBLE["knee_to_wall_cm"])
    equivalent_toe_to_wall_cm: float | None = field_(range=PLAUSIBLE["equivalent_toe_to_wall_cm"])


@dataclass(frozen=True)
class Leg(Record):
    """One leg's summary (`legs.<side>`)."""

    best_rep: int | None = field_(range=(1, 10**6))
    tibial_inclination_deg: float | None = field_(range=PLAUSIBLE["tibial_inclination_deg"])
    tibial_inclination_ci95_deg: float | None = field_(legacy=True, range=(0.0, 180.0))  # 95 % half-width (protocol.interval)
    ankle_dorsiflexion_deg: float | None = field_(range=PLAUSIBLE["ankle_dorsiflexion_deg"])
    mean_deg: float | None = field_(range=PLAUSIBLE["mean_deg"])
    sd_deg: float | None = field_(range=PLAUSIBLE["sd_deg"])
    category: Category | None = field_()
    reps_valid: int = field_(range=COUNT)
    reps_total: int = field_(range=COUNT)
    inclinometer_equivalent_deg: float | None = field_(legacy=True, range=PLAUSIBLE["inclinometer_equivalent_deg"])
    inclinometer_equivalent_ci95_deg: float | None = field_(legacy=True, range=PLAUSIBLE["inclinometer_equivalent_ci95_deg"])
    category_reason: str | None = field_(legacy=True)
    distance_category: Category | None = field_(legacy=True)
    category_ci95: tuple[Category, ...] | None = field_(legacy=True)  # every band the angle's 95 % interval touches
    distance_category_ci95: tuple[Category, ...] | None = field_(legacy=True)  # ... and the distance's
    distances: LegDistances | None = field_(flat=True, default=None)
    absent: frozenset[str] = absent_field()  # legacy keys the file lacked (kept absent)

    @property
    def measured(self) -> bool:
        """Whether the leg has a valid rep."""
        return self.tibial_inclination_deg is not None


@dataclass(frozen=True)
class Quality(Record):
    """How far the numbers can be trusted (`quality`)."""

    pose_detected_fraction: float = field_(range=FRACTION)
    leg_visibility_mean: float = field_(range=FRACTION)
    usable_frame_fraction: float = field_(range=FRACTION)
    view: View = field_()
    people_max: int = field_(range=(-1, 10_000))
    left_right_swap_fraction: float = field_(range=FRACTION)
    warnings: tuple[str, ...] = field_()


@dataclass(frozen=True)
class Method(Record):
    """How the numbers were made, in words and the person's sizes in pixels (`method`)."""

    pose_model: str
    angle: str
    vertical: str
    heel: str
    shank_length_px: float | None = field_(range=(0.0, 1e6))
    foot_length_px: float | None = field_(range=(0.0, 1e6))
    edge_offset_deg: float | None = field_(range=ANGLE)
    inclinometer: str | None = field_(legacy=True)  # how inclinometer_equivalent_deg is read
    definitions: Mapping[str, str] | None = field_(legacy=True)  # each reported angle and category named for what it is
    absent: frozenset[str] = absent_field()  # legacy keys the file lacked (kept absent)


@dataclass(frozen=True)
class SettingsEcho(Record):
    """Every choice and camera estimate that changed the numbers (`settings`)."""

    side: SideChoice
    foot_to_wall_cm: float = field_(range=(0.0, 1000.0))
    heel_lift_ratio: float = field_(range=(0.0, 100.0))
    heel_edge_ratio: float | None = field_(legacy=True, range=(0.0, 100.0))
    min_excursion_deg: float = field_(range=SPREAD)
    smoothing_hz: float = field_(range=(0.0, 10_000.0))
    use_silhouette: bool = field_()
    camera_roll_deg: float | None = field_(legacy=True, range=ANGLE)
    vertical_source: VerticalSource | None = field_(legacy=True)
    leg_plane_homography: tuple[float, ...] | None = field_(legacy=True)
    camera_yaw_deg: float | None = field_(legacy=True, range=ANGLE)
    camera_pitch_deg: float | None = field_(legacy=True, range=ANGLE)
    model: str = field_()
    foot_length_cm: float | None = field_(legacy=True, range=(0.0, 1000.0))
    shank_length_cm: float | None = field_(legacy=True, range=(0.0, 1000.0))
    height_cm: float | None = field_(legacy=True, range=(0.0, 1000.0))
    marker_size_mm: float | None = field_(legacy=True, range=(0.0, 10_000.0))
    marker_id: int | None = field_(legacy=True, range=(0, 10_000))
    absent: frozenset[str] = absent_field()  # legacy keys the file lacked (kept absent)


@dataclass(frozen=True)
class TouchModel(Record):
    """L, p and a (cm) of the touch condition L sin(theta) + p cos(theta) = d + a (`scale.legs.<side>.touch_model`)."""

    shank_cm: float | None = field_(range=(0.0, 1000.0))
    patella_offset_cm: float | None = field_(range=CM)
    patella_offset_source: str = field_()
    ankle_to_toe_cm: float | None = field_(range=CM)


@dataclass(frozen=True)
class MarkerDetails(Record):
    """The marker sheet as it was seen (scale method "marker")."""

    marker_id: int = field_(range=(0, 10_000))
    marker_size_mm: float = field_(range=(0.0, 10_000.0))
    marker_side_px: float = field_(range=(0.0, 1e6))
    frames_with_marker: int = field_(range=COUNT)
    found_fraction: float = field_(range=FRACTION)
    corner_scatter_px: float = field_(range=(0.0, 1e6))
    sheet_cm_per_px: float = field_(range=(0.0, 1e6))
    leg_to_sheet_distance_ratio: float = field_(range=(0.0, 1e6))
    sheet_beyond_leg_cm: float = field_(range=CM)
    wall: str = field_()
    wall_line_contrast: float | None = field_(range=(-1e6, 1e6))


@dataclass(frozen=True)
class LengthDetails(Record):
    """The body length the scale came from (scale methods foot_length, shank_length, height)."""

    length_cm: float = field_(range=(0.0, 1000.0))
    length_px: float = field_(range=(0.0, 1e6))


@dataclass(frozen=True)
class LegScale(Record):
    """One tested leg's scale (`scale.legs.<side>`)."""

    cm_per_px: float | None = field_(range=(0.0, 1e6))
    relative_uncertainty: float | None = field_(range=(0.0, 1e6))
    wall_uncertainty_cm: float | None = field_(range=(0.0, 1000.0))
    toe_to_wall_cm: float | None = field_(range=CM)
    touch_model: TouchModel = field_()
    marker: MarkerDetails | None = field_(flat=True, default=None)
    length: LengthDetails | None = field_(flat=True, default=None)


@dataclass(frozen=True)
class ScaleSummary(Record):
    """Where the centimetres came from (`scale`); method "none" carries only the first three fields."""

    method: ScaleMethod
    cm_per_px: float | None = field_(range=(0.0, 1e6))
    relative_uncertainty: float | None = field_(omit_none=True, range=(0.0, 1e6))
    uncertainty_cm: float | None = field_(range=(0.0, 1000.0))
    vertical: VerticalSource | None = field_(omit_none=True)
    camera_roll_deg: float | None = field_(omit_none=True, range=ANGLE)
    toe_to_wall: str | None = field_(omit_none=True)
    legs: Mapping[Side, LegScale] | None = field_(omit_none=True)


@dataclass(frozen=True)
class Result(Record):
    """One analysed video: result.json."""

    schema_version: int = field_(range=(SCHEMA_VERSION, SCHEMA_VERSION))
    ankle_cv_version: str = field_()
    input: InputInfo = field_()
    side: Side | None = field_()  # None: nobody was seen in the video (no leg tested)
    facing: Side | None = field_()  # where the wall is on the image; None when nobody was seen
    foot_to_wall_cm: float = field_(range=(0.0, 1000.0))
    reps: tuple[Rep, ...] = field_()
    best_rep: int | None = field_(range=(1, 10**6))
    summary: Summary = field_(key="result")
    legs: Mapping[Side, Leg] = field_()
    quality: Quality = field_()
    method: Method = field_()
    settings: SettingsEcho = field_()
    scale: ScaleSummary | None = field_(legacy=True)
    absent: frozenset[str] = absent_field()  # legacy keys the file lacked (kept absent)

    def to_json(self) -> str:
        """result.json's text (two-space indent, UTF-8 characters kept, one trailing newline)."""
        return json.dumps(self.to_obj(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Result:
        """Read and check a result.json; ResultFormatError (one line, naming the field) when it breaks the contract."""
        data = _parse(text)
        if not isinstance(data, dict) or not {"schema_version", "reps", "result"} <= data.keys():
            raise ResultFormatError("not an ankle-cv result.json (run `ankle-cv analyze VIDEO` to make one)")
        if data["schema_version"] != SCHEMA_VERSION or isinstance(data["schema_version"], bool):
            raise ResultFormatError(f"schema_version: {short_text(data['schema_version'])} is not supported (this is "
                                    f"ankle-cv {__version__}, which reads version {SCHEMA_VERSION})")
        try:
            return cls.from_obj(data)
        except ResultFormatError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError, OverflowError) as exc:
            raise ResultFormatError(f"unreadable result ({type(exc).__name__})") from None

    def check(self, path: str) -> None:
        """References between fields: best_rep and each leg's best_rep name a rep of that leg."""
        sides = {r.index: r.side for r in self.reps}
        if len(sides) != len(self.reps):
            raise ResultFormatError("reps: two reps share an index")
        if self.best_rep is not None and self.best_rep not in sides:
            raise ResultFormatError(f"best_rep: no rep has index {self.best_rep}")
        for side, leg in self.legs.items():
            if leg.best_rep is not None and sides.get(leg.best_rep) != side:
                raise ResultFormatError(f"legs.{side}.best_rep: rep {leg.best_rep} is not a {side} rep")

    @property
    def best(self) -> Rep | None:
        """The best valid rep, if any."""
        return self.rep(self.best_rep)

    def rep(self, index: int | None) -> Rep | None:
        """The rep with this index (None for None or an unknown index)."""
        return next((r for r in self.reps if r.index == index), None) if index is not None else None

    def with_warnings_first(self, warnings: list[str] | tuple[str, ...]) -> Result:
        """The result with these warnings put before its own (decoding and live-session notes)."""
        quality = replace(self.quality, warnings=(*warnings, *self.quality.warnings))
        return replace(self, quality=quality)


def _reject_constant(name: str) -> Any:
    """JSON has no NaN or Infinity: a file holding them is not a result.json."""
    raise ResultFormatError(f"not valid JSON ({name} is not a JSON number)")


def _parse(text: str | bytes) -> Any:
    """JSON text to Python data, as a ResultFormatError when it is not JSON at all."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ResultFormatError:
        raise
    except RecursionError:
        raise ResultFormatError("not valid JSON (nested too deeply)") from None
    except UnicodeDecodeError:
        raise ResultFormatError("not valid JSON (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ResultFormatError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except (ValueError, TypeError) as exc:  # e.g. an integer of more than 4300 digits
        raise ResultFormatError(f"not valid JSON ({str(exc).splitlines()[0][:80]})") from None
