"""Centimetre results: the knee's front, the toe tip and the foot's floor line read off the silhouette, then scaled.

The knee landmark is a joint centre that slides backwards near the wall; the knee's front surface is
read directly where it is, the foremost point of the person's mask around knee height (on the rendered
clips it lies within 1 px of the true skin point, also while touching the wall). The toe tip is the
mask's foremost point at the toes and the sole's floor point where it rests on the floor, both in
near-upright (rest) frames. Pure: arrays in, numbers out.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import cast

import numpy as np

from ankle_cv.enums import Side, VerticalSource
from ankle_cv.kinematics.estimator_choice import is_fabric
from ankle_cv.kinematics.fitted import (  # fitted: see fitted.py
    ANKLE_TO_TOE_PER_SHANK,
    ANKLE_TO_TOE_SD_PER_SHANK,
    FABRIC_KNEE_AHEAD_CM,
    FABRIC_TOE_AHEAD_CM,
    FAINT_TOE_CONTRAST,
    FAINT_TOE_SD_CM,
    FLOOR_MARKER_MIN_SIDE_PX,
    FOOT_PER_SHANK,
    KNEE_EDGE_SD_PX,
    KNEE_FABRIC_SD_CM,
    LANDMARK_SHANK_RATIO,
    MARKER_EDGE_BIAS_PX,
    PATELLA_PER_SHANK,
    PATELLA_PER_SHANK_SD,
    ROLL_UNCERTAINTY_DEG,
    SHANK_PER_HEIGHT,
    SHEET_BEFORE_FOOT_SHANKS,
    TOE_AHEAD_FOOT,
    TOE_ROWS_FOOT,
    TOE_SD_CM,
    TOE_TIP_BEYOND_LEG_CM,
    VERTICAL_SIGMA_DEG,
)
from ankle_cv.kinematics.fitted import FOCAL_FOR_MARKER_SCALE as FOCAL_PER_LONG_SIDE
from ankle_cv.kinematics.fitted import WALL_SEEN_SD_CM as FITTED_WALL_SEEN_SD_CM
from ankle_cv.kinematics.heel import CONTACT_PERCENTILE, rest_sole, sole_under
from ankle_cv.kinematics.shank import rest_frames
from ankle_cv.pose.landmarks import PoseSeries
from ankle_cv.protocol.analysis_types import Analysis, RepResult
from ankle_cv.protocol.centimetre_types import (
    Centimetres,
    LegGeometry,
    RepCentimetres,
    TouchNumbers,
)
from ankle_cv.protocol.distance import (
    NO_TOUCH_SIGMAS,
    TOUCH_SD_MAX_CM,
    TOUCH_TOLERANCE_CM,
    ahead_px,
    equivalent_toe_to_wall_cm,
    forward_axis,
    heel_lift_mm,
    patella_offset_cm,
)
from ankle_cv.protocol.knee_fabric import rest_outline_ahead_shanks
from ankle_cv.scene.camera_geometry import CameraGeometry, room_lean_deg, turned_up, up_axis
from ankle_cv.scene.marker import (
    MIN_SEEN_UNMEASURED,
    NEARER_MARGIN_PX,
    NO_SCALE,
    PITCH_UNCERTAINTY_DEG,
    SOLE_CONTACT_NEARER_CM,
    SOLE_CONTACT_SD_CM,
    MarkerFit,
    MarkerTrack,
    Scale,
    fit_marker,
    floor_scale,
    length_scale,
    marker_scale,
    outline_covers_feet,
    sheet_hides_toes,
    sheet_outline_px,
)
from ankle_cv.scene.marker_plane import wall_leg_plane_homography
from ankle_cv.scene.wall_base import WallBase
from ankle_cv.settings import ScaleInputs

WallFinder = Callable[[Side, np.ndarray, np.ndarray], WallBase | None]  # the wall's base ahead of a leg's toe tip, on its rest frames
ToeReader = Callable[[Side, np.ndarray, np.ndarray], float]  # the grey step across the toe tip's edge, on a leg's rest frames

FOOT_PER_SHANK_RANGE = (0.48, 0.72)  # a silhouette sole outside this lost its toes (or heel) against the background
TOE_BEHIND_CM = 2.0  # silhouette toe tip this far behind the proportional one: toes lost
TOE_PLACEMENT_SD_CM = 0.5  # toes placed by eye at the stated distance
ANGLE_SD_DEG = 2.0  # tibial inclination error at the peak (validation MAE ~1.8 deg)
KNEE_ROWS = 0.25  # rows within this share of the shank length of the knee hold its front surface
HOLD_DROP_DEG = 1.5  # frames within this of a rep's peak angle form its hold
# A sheet standing before the foot cuts the foot's outline, so its floor contact (the sheet's depth against the leg's)
# is less sure: the near-card render put the leg 1.7 % off in scale (wall 1 cm) with the usual 1 cm contact spread.
COVERED_CONTACT_SD_GAIN = 3.0
MISMATCH_CM = 1.5
WALL_SEEN_SD_CM = FITTED_WALL_SEEN_SD_CM  # 1-sigma of the wall's base found in the picture (fitted: see fitted.py)
WALL_SEEN_DISAGREES_CM = 3.0 * WALL_SEEN_SD_CM  # the picture's wall overrides a stated distance only when this far from it
WALL_SEEN_KNEE_REACH_CM = 3.0  # ... and only when the knee comes at least this close to it at some rep (the test's touch)
WALL_MARKER_NOTE = ("the marker is on the wall (seen edge-on): it gives the vertical and the camera's turn, not a scale; "
                    "for centimetres stand the sheet upright beside the foot, facing the camera")
# Front of the knee before the shank's axis at the best rep, as a knee can be (renders 5-10 cm, 0.165 x shank on
# average; a sheet misjudged in depth made it 36 cm): outside, the centimetres are not given.
PATELLA_OFFSET_RANGE_CM = (2.0, 15.0)
THROUGH_WALL_SIGMAS = 3.0  # a knee this many of its sigmas beyond a stated wall: the stated toe distance is wrong
TOES_LOST_CM = 2.5  # measured toes up to this much farther from the wall than stated still stand at the stated line  # measured and stated toe-to-wall distances further apart than this: say so


def _as_read_deg(analysis: Analysis) -> np.ndarray:
    """The smoothed angle as the outline was read, before the cloth's standing reference raised it (the fabric test and the
    rest frames were fitted on it: the cloth's own reference must not switch the knee's fabric doubt off)."""
    f = analysis.frames
    rise = f.fabric_rise_deg if f.fabric_rise_deg is not None else 0.0
    return np.asarray(f.tibial_inclination_smooth_deg, float) - rise


def _rest_frames(analysis: Analysis, side: str) -> np.ndarray:
    """Frames of this leg's stances with the shin near its most upright (the flat-foot reference)."""
    mine = analysis.frames.front_side == side
    return rest_frames(np.where(mine, _as_read_deg(analysis), np.nan))


def _median_point(points: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Median of a point track over some frames."""
    sel = points[frames]
    if not np.isfinite(sel).any():
        return np.full(2, np.nan)
    return np.nanmedian(sel, axis=0)


def knee_front_px(series: PoseSeries, knee: np.ndarray, facing: int, shank_px: float) -> np.ndarray:
    """Per frame, the foremost silhouette point around knee height (N, 2); NaN without a mask."""
    n = knee.shape[0]
    out = np.full((n, 2), np.nan)
    if not series.has_mask or not np.isfinite(shank_px):
        return out
    edge = np.asarray(series.mask_right_x if facing > 0 else series.mask_left_x, float)
    rows = np.asarray(series.mask_rows_y, float)
    near = np.abs(rows[None, :] - knee[:, 1:2]) <= KNEE_ROWS * shank_px
    ahead = facing * (edge - knee[:, 0:1])
    near &= np.isfinite(ahead) & (ahead > -0.1 * shank_px) & (ahead < 0.5 * shank_px)  # not the hands, not the other leg
    score = np.where(near, ahead, -np.inf)
    best = np.argmax(score, axis=1)
    ok = np.isfinite(score[np.arange(n), best])
    out[ok, 0] = edge[np.arange(n), best][ok]
    out[ok, 1] = rows[best][ok]
    return out


def toe_tip_px(series: PoseSeries, toe: np.ndarray, heel: np.ndarray, facing: int, rest: np.ndarray) -> np.ndarray:
    """The toes' foremost silhouette point in rest frames (median), or the toe landmark without a mask."""
    toe_lm = _median_point(toe, rest)
    if not series.has_mask or not np.all(np.isfinite(toe_lm)):
        return toe_lm
    foot = float(np.nanmedian(np.linalg.norm(toe[rest] - heel[rest], axis=1)))
    edge = np.asarray(series.mask_right_x if facing > 0 else series.mask_left_x, float)[rest]
    rows = np.asarray(series.mask_rows_y, float)
    near = np.abs(rows - toe_lm[1]) <= TOE_ROWS_FOOT * foot
    ahead = facing * (edge[:, near] - toe_lm[0])
    ahead = np.where((ahead > -0.2 * foot) & (ahead < TOE_AHEAD_FOOT * foot), ahead, np.nan)
    if not np.isfinite(ahead).any():
        return toe_lm
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_frame = np.nanmax(ahead, axis=1)
        row_idx = np.nanargmax(np.where(np.isfinite(ahead), ahead, -np.inf), axis=1)
    x = toe_lm[0] + facing * float(np.nanmedian(per_frame))
    y = float(np.median(rows[near][row_idx]))
    return np.array([x, y])


def sole_px(series: PoseSeries, toe: np.ndarray, heel: np.ndarray, facing: int, rest: np.ndarray,
            sheet: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """The sole's floor contact nearest the camera (under mid-foot) and its length (back of heel to toe tip), from rest silhouettes.

    `sheet`: the outline (sheet_outline_px) of a sheet standing before this foot, whose bottom edge the person's outline
    may run along (_on_the_sheets_floor_line): those columns are left out of the contact."""
    heel_lm, toe_lm = _median_point(heel, rest), _median_point(toe, rest)
    mid = 0.5 * (heel_lm + toe_lm)
    if not series.has_mask or not (np.all(np.isfinite(heel_lm)) and np.all(np.isfinite(toe_lm))):
        return mid, float("nan")
    cols = np.asarray(series.mask_cols_x, float)
    _, base, sole = rest_sole(heel, toe, facing, rest, cast(np.ndarray, series.mask_bottom_y), cols)
    under = (cols >= min(heel_lm[0], toe_lm[0])) & (cols <= max(heel_lm[0], toe_lm[0])) & np.isfinite(base)
    if sole is not None:
        under = sole_under(sole, base)
    length = sole.length_px if sole is not None else float("nan")
    if sheet is not None:
        under &= ~_on_the_sheets_floor_line(cols, base, sheet, float(mid[1]))
        if under.sum() < 3:
            # The whole sole lies behind the sheet, its outline on the sheet's edge: the contact is not seen. The landmarks'
            # foot stands above it; marker_scale reads the sheet's floor line below as the hidden contact's range.
            return mid, length
    if under.sum() < 3:
        return mid, float("nan")
    # The low edge where heel and ball rest, not the median: a far foot shows its raised arch there.
    floor = np.array([float(np.median(cols[under])), float(np.percentile(base[under], CONTACT_PERCENTILE))])
    return floor, length


def _on_the_sheets_floor_line(cols: np.ndarray, base: np.ndarray, sheet: np.ndarray, foot_y: float) -> np.ndarray:
    """Columns, between the ends of a sheet standing before the foot, where the rest outline's bottom lies nearer the
    sheet's floor line than the foot's landmarks (`foot_y`: the heel's and toe's mean row), or within NEARER_MARGIN_PX
    of it, or below it: the sheet's edge, not the sole. A sheet nearer the camera meets the floor lower in the picture
    than the foot behind it, whose own outline ends above that line; where the person's outline reaches down to it, it
    took in the card's lower part (random_v15 r009's near foot: the contact read on the card's bottom edge, 30 px below the
    heel, the leg's depth 24 cm nearer the camera, knee-to-wall +7.4 cm at +-1.3)."""
    along = _along_floor_line(np.asarray(sheet, float), cols)
    if along is None:
        return np.zeros(cols.shape, bool)
    t, line_y = along
    reach = np.maximum(NEARER_MARGIN_PX, 0.5 * (line_y - foot_y))
    with np.errstate(invalid="ignore"):
        return (t >= 0.0) & (t <= 1.0) & np.isfinite(base) & (base >= line_y - reach)


def toe_floor_px(toe_px: np.ndarray, floor_px: np.ndarray, up: np.ndarray | None) -> np.ndarray:
    """The point beneath the toe at the sole's floor contact's level (along the true vertical): where the toe's lowest
    part meets the floor, which a sheet nearer the camera hides even when the toe landmark shows above its edge (NaN
    without a floor contact)."""
    toe, floor = np.asarray(toe_px, float).ravel()[:2], np.asarray(floor_px, float).ravel()[:2]
    if not (np.all(np.isfinite(toe)) and np.all(np.isfinite(floor))):
        return np.full(2, np.nan)
    u = up_axis(up)
    return toe - u * float((toe - floor) @ u)


def toe_in_leg_plane(toe_px: np.ndarray, image_size: tuple[int, int], cm_per_px: float, near_camera: bool) -> np.ndarray:
    """Where the toe tip would be seen if it lay in the leg's plane (through the ankle), as the knee and the wall do.

    The big toe's tip lies TOE_TIP_BEYOND_LEG_CM medial of that plane (beyond it for the foot nearer the camera,
    before it for the far one), so it is imaged nearer the picture's centre by that depth over the camera's distance;
    measured against points in the plane it read 0.3-0.5 cm behind (renders, toes ~90 px off centre). The camera's
    distance comes from the scale and a phone's focal length.
    """
    w, h = image_size
    centre = np.array([(w - 1) / 2.0, (h - 1) / 2.0])
    distance_cm = FOCAL_PER_LONG_SIDE * max(w, h) * cm_per_px
    depth = TOE_TIP_BEYOND_LEG_CM if near_camera else -TOE_TIP_BEYOND_LEG_CM
    return np.asarray(toe_px, float) + (np.asarray(toe_px, float) - centre) * depth / distance_cm


def _leg_points(analysis: Analysis, series: PoseSeries, side: str, facing: int, fit: MarkerFit | None = None,
                shank_px: float = float("nan")) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """Rest-frame toe tip, floor point, ankle and sole length of one tested leg, and its rest mask (`fit`: the marker, whose
    sheet, standing clearly before this foot in its own stance, is no part of its sole: _sheet_clearly_before)."""
    rest = _rest_frames(analysis, side)
    p = analysis.front_xy
    toe = toe_tip_px(series, p["toe"], p["heel"], facing, rest)
    feet = np.array([_median_point(p["heel"], rest), _median_point(p["toe"], rest)])
    sheet = _sheet_clearly_before(fit, facing, feet, shank_px)
    floor, sole = sole_px(series, p["toe"], p["heel"], facing, rest, sheet)
    ankle = _median_point(p["ankle"], rest)
    return toe, floor, ankle, sole, rest


def _sheet_clearly_before(fit: MarkerFit | None, facing: int, feet: np.ndarray, shank_px: float) -> np.ndarray | None:
    """The outline of a standing sheet before this foot (outline_covers_feet on its heel and toe) whose floor line lies
    more than SHEET_BEFORE_FOOT_SHANKS below them: a sheet that meets the floor that much lower stands nearer the camera
    than any sole, so an outline reaching its floor line is the sheet's. None otherwise (a level camera sees a sheet beyond
    the foot meet the floor at the foot's own rows, and outline_covers_feet may call it before it)."""
    if fit is None or not fit.is_sheet or not np.all(np.isfinite(feet)) or not np.isfinite(shank_px):
        return None
    outline = sheet_outline_px(fit, facing)
    if not outline_covers_feet(outline, feet):
        return None
    foot = feet.mean(axis=0)
    along = _along_floor_line(outline, np.array([foot[0]]))
    line_y = float(along[1][0]) if along is not None else float(outline[0][1])
    return outline if line_y - foot[1] > SHEET_BEFORE_FOOT_SHANKS * shank_px else None


def _along_floor_line(outline: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Where the columns `cols` cross the sheet's floor line (its outline's bottom edge, front to back corner): the share
    along it (0 at the front corner, 1 at the back) and its row there; None for an edge seen end on (one column)."""
    a, b = outline[0], outline[3]
    if a[0] == b[0]:
        return None
    t = (cols - a[0]) / (b[0] - a[0])
    return t, a[1] + t * (b[1] - a[1])


def choose_scale(
    inputs: ScaleInputs, leg_foot_px: float, shank_px: float, marker: MarkerTrack | None, facing: int,
    floor_px: np.ndarray, image_size: tuple[int, int], near_camera: bool = True, covered: bool = False,
    knee_height_px: float = 0.0, room: tuple[float, float] | None = None,
) -> Scale:
    """The best scale source available: marker, then a typed foot or shank length, then stature, else none.

    `shank_px` is the joint-centre shank length in pixels (the landmarks' distance corrected), `leg_foot_px`
    the silhouette's sole (NaN when the toes were lost); `room` the trusted room-line fit's pitch (deg) and focal (px),
    which place a floor marker's horizon (_room_horizon).
    """
    fit = fit_marker(marker) if marker is not None else None
    if fit is not None and marker is not None and fit.plane is not None and fit.plane.kind == "floor":
        if fit.side_px >= FLOOR_MARKER_MIN_SIDE_PX:
            contact = SOLE_CONTACT_NEARER_CM["near" if near_camera else "far"]
            contact_sd = SOLE_CONTACT_SD_CM * (1.0 if np.isfinite(leg_foot_px) else 1.5)
            scale = floor_scale(fit, floor_px, image_size, marker.marker_id, marker, facing, contact, contact_sd, room, knee_height_px)
        else:
            scale = Scale("none", None, None, warnings=(
                f"the marker lies flat on the floor but spans only {fit.side_px:.0f} px in the picture, too few for its scale "
                f"(at least {FLOOR_MARKER_MIN_SIDE_PX:g} px): it was ignored; stand the sheet upright beside the foot",))
        if scale.cm_per_px is not None or not (inputs.foot_length_cm or inputs.shank_length_cm or inputs.height_cm):
            return scale  # no scale from it, and no length typed in: say why the marker gave none
    if fit is not None and marker is not None and fit.is_sheet:
        # The near foot shows the camera its outer edge; the far foot its inner side, arch raised. An outline that
        # lost the toes is eroded all round and its contact depth less sure.
        contact_cm = SOLE_CONTACT_NEARER_CM["near" if near_camera else "far"]
        contact_sd_cm = SOLE_CONTACT_SD_CM * (1.0 if np.isfinite(leg_foot_px) else 1.5) * (COVERED_CONTACT_SD_GAIN if covered else 1.0)
        scale = marker_scale(fit, marker, facing, floor_px, image_size, contact_cm, contact_sd_cm, knee_height_px)
        unused = [f"--{name}" for name, given in (("foot-length-cm", inputs.foot_length_cm), ("shank-length-cm", inputs.shank_length_cm),
                                                   ("height-cm", inputs.height_cm)) if given]
        if unused and scale.cm_per_px is not None:
            note = f"{' and '.join(unused)} not used: the marker sheet in view gave the scale"
            scale = replace(scale, warnings=(*scale.warnings, note))
        return scale
    if inputs.foot_length_cm:
        if np.isfinite(leg_foot_px):
            return length_scale("foot_length", leg_foot_px, inputs.foot_length_cm)
        if not (inputs.shank_length_cm or inputs.height_cm):
            return Scale("none", None, None, warnings=(
                "--foot-length-cm: the foot's outline is incomplete in the video (toes lost against the background); "
                "use the marker sheet or --shank-length-cm",))
    if inputs.shank_length_cm:
        return length_scale("shank_length", shank_px, inputs.shank_length_cm)
    if inputs.height_cm:
        return length_scale("height", shank_px, SHANK_PER_HEIGHT * inputs.height_cm,
                            note="scale from stature with an average shank-to-height ratio: centimetres are approximate (±6 %)")
    return NO_SCALE


def measure_centimetres(
    analysis: Analysis, series: PoseSeries, inputs: ScaleInputs = ScaleInputs(), marker: MarkerTrack | None = None,
    see_wall: WallFinder | None = None, toe_contrast: ToeReader | None = None,
) -> Centimetres:
    """Knee-to-wall, knee-past-toe, heel lift and the equivalent distance, per rep, for every tested leg.

    `see_wall(side, toe_px, rest_mask)`: the wall's base in the picture ahead of a leg's toe tip (asked only for a scaled leg
    whose wall no sheet shows); where it clearly disagrees with the stated toe distance, the picture's wall is used.
    `toe_contrast(side, toe_px, rest_mask)`: how clearly the picture shows the toe tip's edge (grey levels); a faint one
    widens the toe's uncertainty.
    """
    facing = Side(analysis.facing).sign
    per_frame = np.full(analysis.frames.times_s.size, np.nan)
    notes: list[str] = []
    sides = sorted({r.side for r in analysis.reps})
    legs: dict[str, LegGeometry] = {}
    toe_to_wall: dict[str, float] = {}
    model: dict[str, TouchNumbers] = {}
    reps: dict[int, RepCentimetres] = {}
    landmark_shank_px = analysis.shank_length_px
    p = analysis.front_xy  # the knee the measured line implies; the detected one where no angle was measured
    frame = _ClipFrame(facing, landmark_shank_px / LANDMARK_SHANK_RATIO,  # joint centres: MediaPipe's knee and ankle sit closer
                       knee_front_px(series, np.where(np.isfinite(p["shin_top"]), p["shin_top"], p["knee"]), facing, landmark_shank_px),
                       toe_contrast)
    method = "none"
    source = "stated"
    notes.extend(marker_plane_notes(fit_marker(marker) if marker is not None and sides else None))
    notes.extend(marker_unmeasured_notes(marker) if sides else ())
    for side in sides:
        leg = _leg_centimetres(analysis, series, side, frame, inputs, marker, notes, see_wall)
        if leg is None:
            continue
        leg_reps = _leg_reps(analysis, side, leg)
        floor_wall = leg.wall_from_marker and leg.geometry.scale.method == "marker_floor"  # the line beside its paper
        checked = _wall_the_knee_reached(analysis, series, side, frame, inputs, marker, notes, leg, leg_reps, floor_wall)
        if checked is None:
            continue
        leg, leg_reps, no_wall = checked
        fabric_sd = leg.touch.knee_fabric_sd_cm
        cloth_cm = _cloth_shift_cm(fabric_sd, leg.geometry.foot_length_px)
        clear_cm = float(np.median([_clear_of_the_wall_cm(c.uncertainty_cm, fabric_sd) for c in leg_reps.values()]
                                   or [TOUCH_TOLERANCE_CM]))
        leg_reps = _skin_behind_free_cloth(leg_reps, cloth_cm, fabric_sd, side, notes)
        leg = replace(leg, knee_to_wall_cm=_free_cloth_per_frame(leg.knee_to_wall_cm, cloth_cm, clear_cm))
        method = leg.geometry.scale.method
        source = ("marker" if leg.wall_from_marker and not no_wall
                  else "picture" if leg.wall_from_picture and source == "stated" else source)
        mine = analysis.frames.front_side == side
        if leg.withheld:
            per_frame[mine] = np.nan
            continue
        knee_to_wall = leg.knee_to_wall_cm[mine]
        toe_to_wall_cm = leg.toe_to_wall_cm
        if leg.toes_hidden:
            leg_reps = {i: replace(c, equivalent_toe_to_wall_cm=None, equivalent_uncertainty_cm=None, knee_past_toe_cm=None)
                        for i, c in leg_reps.items()}
        through = None if leg.wall_from_marker and not floor_wall else _through_wall_cm(leg_reps.values())
        if leg.geometry.scale.method == "marker_floor" and (no_wall or not (leg.wall_from_picture or floor_wall)):
            # A marker on the floor gives the scale, not the wall; the stated toe distance is a default nobody
            # checked (a render's toes stood 2.2 cm from the wall, not 10: knee-to-wall +7.7 cm), so no wall, no number.
            notes.append(f"{side} leg: knee-to-wall withheld: no wall was located beside the marker on the floor nor in the "
                         "picture; stand the sheet upright beside the foot (the equivalent distance needs no wall)")
            leg_reps = {i: replace(c, knee_to_wall_cm=None, uncertainty_cm=None, touches_wall=None) for i, c in leg_reps.items()}
            knee_to_wall = np.nan
            toe_to_wall_cm = None
        elif through is not None:
            # The wall was placed from the stated toe distance and the knee would pass through it: the toes stood
            # farther back than stated, so no knee-to-wall number can be given (the equivalent distance needs no wall).
            stated = float(analysis.settings.foot_to_wall_cm)
            if leg.wall_from_picture or floor_wall:
                where = "line beside the marker on the floor" if floor_wall else "base seen in the picture"
                notes.append(f"{side} leg: knee-to-wall withheld: the knee would pass {through:.1f} cm through the wall's "
                             f"{where}, so that line is not the wall; give the toes' distance with "
                             "--foot-to-wall-cm (or stand the sheet upright beside the foot)")
            else:
                notes.append(f"{side} leg: knee-to-wall withheld: with the toes at the stated {stated:g} cm the knee would pass "
                             f"{through:.1f} cm through the wall, so the toes stood farther back; give the toes' distance "
                             "with --foot-to-wall-cm (or stand the sheet upright beside the foot)")
            leg_reps = {i: replace(c, knee_to_wall_cm=None, uncertainty_cm=None, touches_wall=None) for i, c in leg_reps.items()}
            knee_to_wall = np.nan
            toe_to_wall_cm = None
        leg_reps = _touch_told(_within_the_wall(leg_reps, side, notes))
        per_frame[mine] = np.where(knee_to_wall < 0.0, 0.0, knee_to_wall)  # NaN stays NaN
        legs[side] = leg.geometry
        if toe_to_wall_cm is not None:
            toe_to_wall[side] = toe_to_wall_cm
        reps.update(leg_reps)
        model[side] = leg.numbers
    return Centimetres(method, legs, reps, per_frame, toe_to_wall, source, model, tuple(notes))


def _ahead_of_toes(leg: _LegCm) -> str:
    """Where a wall line lies, for a note: its distance ahead of the toes when the toes were placed (a floor marker's
    line can be seen while no toe distance is, random_v6 r009: the note's number was None and the run crashed)."""
    return "ahead of the toes" if leg.toe_to_wall_cm is None else f"{leg.toe_to_wall_cm:.1f} cm ahead of the toes"


def _wall_the_knee_reached(
    analysis: Analysis, series: PoseSeries, side: Side, frame: _ClipFrame, inputs: ScaleInputs, marker: MarkerTrack | None,
    notes: list[str], leg: _LegCm, leg_reps: dict[int, RepCentimetres], floor_wall: bool,
) -> tuple[_LegCm, dict[int, RepCentimetres], bool] | None:
    """A wall line the picture gave (its base, or the line beside a floor marker) stands only if the knee came near it at
    some rep (in the test the knee is driven to the wall); else the stated distance (a picture's line) or no wall (a
    floor marker's: True last). None: no scale on the second try."""
    if not (leg.wall_from_picture or floor_wall):
        return leg, leg_reps, False
    reach = min((c.knee_to_wall_cm for c in leg_reps.values() if c.knee_to_wall_cm is not None), default=None)
    if reach is not None and reach <= WALL_SEEN_KNEE_REACH_CM:
        return leg, leg_reps, False
    if floor_wall:
        notes[:] = [n for n in notes if not n.startswith(f"{side} leg: the toes were measured")]
        notes.append(f"{side} leg: a line {_ahead_of_toes(leg)} beside the marker on the floor "
                     "looks like the wall's base, but the knee never came near it: no wall is located")
        return leg, leg_reps, True
    notes[:] = [n for n in notes if not n.startswith(f"{side} leg: the wall's base seen")]
    instead = ("no wall is located" if leg.geometry.scale.method == "marker_floor"
               else "the stated toe distance is used (--foot-to-wall-cm)")
    notes.append(f"{side} leg: a line {_ahead_of_toes(leg)} looks like the wall's base, "
                 f"but the knee never came near it: {instead}")
    again = _leg_centimetres(analysis, series, side, frame, inputs, marker, notes, None)
    if again is None:
        return None
    return again, _leg_reps(analysis, side, again), False


@dataclass(frozen=True)
class _ClipFrame:
    """What every leg of the clip shares: the facing sign, the joint-centre shank length and the knee's front per frame."""

    facing: int
    shank_px: float
    knee_front: np.ndarray
    toe_contrast: ToeReader | None = None  # reads the toe tip's edge in the picture (None: not read)


@dataclass(frozen=True)
class _LegCm:
    """One leg's centimetres before they join the clip's (withheld: the knee's front is implausible with this scale)."""

    geometry: LegGeometry
    touch: _Geometry
    numbers: TouchNumbers
    knee_to_wall_cm: np.ndarray  # per frame of the clip
    toe_to_wall_cm: float | None  # measured (marker) or stated; None when the toes were placed from proportions
    wall_from_marker: bool
    withheld: bool
    wall_from_picture: bool = False
    toes_hidden: bool = False  # the sheet stands before the toes: no toe tip, so no distance measured from it


def _leg_centimetres(
    analysis: Analysis, series: PoseSeries, side: Side, frame: _ClipFrame, inputs: ScaleInputs, marker: MarkerTrack | None,
    notes: list[str], see_wall: WallFinder | None = None,
) -> _LegCm | None:
    """One leg's scale, toe and wall, and its touch numbers (None without a scale); its notes are added to `notes`."""
    facing, shank_px = frame.facing, frame.shank_px
    fit = fit_marker(marker) if marker is not None else None
    toe, floor, ankle, sole, rest = _leg_points(analysis, series, side, facing, fit, shank_px)
    if np.isfinite(sole) and not (FOOT_PER_SHANK_RANGE[0] <= sole / shank_px <= FOOT_PER_SHANK_RANGE[1]):
        sole = float("nan")  # the outline lost the toes (or the heel): no foot length from it
    near_camera = (side == Side.RIGHT) == (facing > 0)  # facing right, the camera sees the person's right side
    knee_h = _knee_height_px(analysis, side, frame, floor, shank_px)
    room = _room_horizon(analysis.camera)
    scale = choose_scale(inputs, sole, shank_px, marker, facing, floor, (series.width, series.height), near_camera,
                         covered=analysis.camera.sheet_cover_px is not None, knee_height_px=knee_h, room=room)
    notes.extend(w for w in scale.warnings if w not in notes)
    if scale.cm_per_px is None:
        return None
    cm = scale.cm_per_px
    up = scale.up if scale.up is not None else _picture_vertical_at(analysis.camera, (series.width, series.height), scale, toe, ankle)
    fwd = forward_axis(up, facing)
    # A silhouette loses toes against a like-coloured floor or the white sheet (renders: 2-8 cm short in
    # 5 of 18 legs), never gains them: a toe tip well behind the average proportions is replaced by them.
    proportional = ankle + fwd * ANKLE_TO_TOE_PER_SHANK * shank_px
    toe_seen = toe
    nearer = scale.method == "marker" and float(scale.details.get("leg_to_sheet_distance_ratio", 1.0)) < 1.0
    # The toe's floor level too: a sheet nearer the camera whose top edge lies just under the toe landmark still hides the
    # tip's lower part, the sole, and the outline's front there (random_v11 r010's far foot: the toe 2.3 px above the edge,
    # its floor contact 10 px below it; the toe read 2.3 cm short).
    hidden = bool(fit is not None and fit.is_sheet
                  and sheet_hides_toes(fit, facing, np.array([toe + fwd / cm, proportional, toe_floor_px(toe, floor, up)]), nearer))
    if hidden and analysis.camera.sheet_cover_px is None:
        # The sheet hides this foot's front: its floor contact, which sets the sheet's depth and the wall, is less sure.
        scale = choose_scale(inputs, sole, shank_px, marker, facing, floor, (series.width, series.height), near_camera, covered=True,
                             knee_height_px=knee_h, room=room)
    toe = toe_in_leg_plane(toe, (series.width, series.height), cm, near_camera)
    toe_outlined = toe
    knee_fabric_sd_cm = _knee_fabric_sd_cm(analysis, series, side, frame, rest, notes)
    toe_from_proportions = bool(not np.all(np.isfinite(toe))
                                or ahead_px(proportional, toe, up, facing) * cm > _toes_lost_cm(knee_fabric_sd_cm > 0.0))
    if toe_from_proportions:
        toe = proportional
    if toe_from_proportions and not hidden:
        notes.append(f"{side} leg: the toes are not fully outlined in the video: the toe tip is placed from average "
                     f"foot proportions (±{ANKLE_TO_TOE_SD_PER_SHANK * shank_px * cm:.1f} cm)")
    toe_sd = ANKLE_TO_TOE_SD_PER_SHANK * shank_px * cm if toe_from_proportions else TOE_SD_CM
    behind_cm = float(ahead_px(proportional, toe, up, facing) * cm) if not toe_from_proportions else 0.0
    if behind_cm > 0.0:
        toe_sd = _toe_behind_sd_cm(behind_cm)
    contrast = frame.toe_contrast(side, toe_seen, rest) if frame.toe_contrast is not None and not hidden else float("nan")
    faint = bool(not toe_from_proportions and contrast < FAINT_TOE_CONTRAST)  # NaN (not read) is not faint
    if faint:
        # The toe's edge barely differs from the floor ahead: the silhouette may stop short of the tip (hidden toes are
        # not read: their contrast is NaN).
        toe_sd = float(np.hypot(toe_sd, FAINT_TOE_SD_CM))
        notes.append(f"{side} leg: the toes barely stand out from the floor in the video ({contrast:.0f} grey levels), so "
                     f"the toe tip may lie ahead of where it was found: the equivalent toe-to-wall distance is less sure "
                     f"(±{toe_sd:.1f} cm for the toe)")
    geometry = LegGeometry(side, scale, toe, floor, ankle, sole, shank_px, contrast, toe_outlined)
    seen = None
    if scale.wall_point_px is None and see_wall is not None and not toe_from_proportions:  # a lost toe: no anchor
        base = see_wall(side, toe_seen, rest)
        seen = toe_in_leg_plane(base.point_px, (series.width, series.height), cm, near_camera) if base is not None else None
    placed = _toe_and_wall(analysis, side, scale, toe, fwd, up, facing, toe_from_proportions, notes, seen,
                           prefer_seen=scale.method == "marker_floor", line_printed=scale.method == "marker",
                           faint=faint, outlined=toe_outlined)
    if placed.toe_sd_cm is None and not hidden and behind_cm > TOE_SD_CM:  # the toe as found measures the distance
        notes.append(f"{side} leg: the toe tip found lies {behind_cm:.1f} cm behind where average foot proportions put it, so "
                     f"the outline may have lost the toes' front: the equivalent toe-to-wall distance is less sure "
                     f"(±{toe_sd:.1f} cm for the toe)")
    wall_sd = WALL_SEEN_SD_CM if placed.from_picture else TOE_PLACEMENT_SD_CM
    # A floor marker's wall lies on the floor and gives no vertical: the knee above it leans with the picture's own.
    floor_wall = scale.method == "marker_floor" and scale.wall_point_px is not None
    touch = _Geometry(frame.knee_front, placed.toe, ankle, placed.wall, up, facing, cm, shank_px,
                      scale.wall_uncertainty_cm if scale.wall_uncertainty_cm is not None else wall_sd,
                      _placed_toe_sd_cm(placed, toe_sd, toe_from_proportions or faint),
                      scale.relative_uncertainty or 0.0, scale.roll_deg is not None or floor_wall, knee_fabric_sd_cm,
                      vertical_sd_deg(scale, analysis.camera.vertical_source, float(ankle[0]), (series.width, series.height)),
                      toe_from_wall=placed.toe_sd_cm is not None)
    numbers = _model_numbers(analysis, side, touch)
    p_cm = numbers.patella_offset_cm
    withheld = p_cm is not None and not PATELLA_OFFSET_RANGE_CM[0] <= p_cm <= PATELLA_OFFSET_RANGE_CM[1]
    if withheld:
        # The knee's front would lie p cm before the shank's axis: not a knee, so the scale or the outline is wrong.
        notes.append(f"{side} leg: centimetres withheld: with this scale the front of the knee lies {p_cm:.0f} cm before the "
                     f"shin's axis (a knee: {PATELLA_OFFSET_RANGE_CM[0]:g}-{PATELLA_OFFSET_RANGE_CM[1]:g} cm), so the "
                     "scale or the knee's outline is wrong")
    knee_to_wall = -ahead_px(frame.knee_front, placed.wall, up, facing) * cm
    if hidden:
        notes.append(f"{side} leg: the sheet stands between the camera and the toes, so the toe tip is hidden: the equivalent "
                     "toe-to-wall distance is not given; stand the sheet beyond the foot (on the far side from the camera)")
    return _LegCm(geometry, touch, numbers, knee_to_wall, None if hidden else placed.toe_to_wall_cm, scale.wall_point_px is not None,
                  withheld, placed.from_picture, hidden)


def _picture_vertical_at(camera: CameraGeometry, image_size: tuple[int, int], scale: Scale, toe: np.ndarray,
                         ankle: np.ndarray) -> np.ndarray | None:
    """The picture's vertical (the camera's roll, read for the whole picture: the centre's) leaned to where a leg's distances
    are read, for a scale that gives no vertical of its own (a floor marker, a typed length): midway between the toe tip
    and the wall's point (knee-to-wall leans on the vertical through the wall's point, the equivalent distance on the one
    through the toes), the ankle's column without a toe. Under a pitched camera true verticals lean by their place
    (camera_geometry.room_lean_deg), which only a room-line fit's camera tells; the upright sheet leans its own
    (scene.marker.marker_scale). random_v18 r005 (a floor marker, the camera pitched 9.1 deg, the room fit's 9.1): the
    vertical 126 px off the centre stood 1.56 deg off, of which the lean was -1.69; knee-to-wall -0.99 cm, its vertical
    part -1.01."""
    at = np.asarray(toe, float) if np.all(np.isfinite(toe)) else np.asarray(ankle, float)
    if scale.wall_point_px is not None and np.all(np.isfinite(scale.wall_point_px)) and np.all(np.isfinite(at)):
        at = 0.5 * (at + np.asarray(scale.wall_point_px, float))
    return turned_up(camera.up, room_lean_deg(camera, at, image_size))


def _room_horizon(camera: CameraGeometry) -> tuple[float, float] | None:
    """The trusted room-line fit's pitch (deg, + down) and focal length (px), which place the floor's horizon: None where the
    room's lines set no camera (scene.marker.floor_scale then takes the marker's own pose at a phone's focal)."""
    if camera.vertical_source != VerticalSource.ROOM_LINES or camera.pitch_deg is None or camera.focal_px is None:
        return None
    return float(camera.pitch_deg), float(camera.focal_px)


def _knee_height_px(analysis: Analysis, side: str, frame: _ClipFrame, floor: np.ndarray, shank_px: float) -> float:
    """How high the knee's front stands above the leg's floor point at its reps' peaks (px): where the distances are read
    (the shank's length when no front was found)."""
    peaks = [r.peak_frame for r in analysis.reps if r.side == side]
    ys = frame.knee_front[peaks, 1] if peaks else np.array([])
    ys = ys[np.isfinite(ys)]
    if not ys.size or not np.all(np.isfinite(floor)):
        return float(shank_px)
    return float(floor[1] - np.median(ys))


def vertical_sd_deg(scale: Scale, source: VerticalSource, column_px: float, image_size: tuple[int, int]) -> float:
    """1-sigma (deg) of the vertical a leg's distances lean on, at the leg.

    The upright sheet's edges stand beside the leg: their error grows as the marker shrinks (corners a fraction of a pixel
    off over a side of 15-20 px). Any other vertical is the picture's, read for its centre: a camera tilted by an unknown
    pitch leans the true verticals off the centre's by about atan(dx tan(pitch) / f) at a column dx from it.
    """
    if scale.roll_deg is not None:
        side = float(scale.details.get("marker_side_px", float("nan")))
        edges = np.degrees(MARKER_EDGE_BIAS_PX / side) if np.isfinite(side) and side > 0 else 0.0
        return float(np.hypot(max(ROLL_UNCERTAINTY_DEG, edges), scale.vertical_lean_sd_deg))  # carried to the wall by the pitch
    own = VERTICAL_SIGMA_DEG.get(source, VERTICAL_SIGMA_DEG[VerticalSource.IMAGE])
    w, h = image_size
    if not np.isfinite(column_px) or max(w, h) <= 0:
        return float(own)
    dx = abs(column_px - (w - 1) / 2.0)
    lean = np.degrees(np.arctan(dx * np.tan(np.radians(PITCH_UNCERTAINTY_DEG)) / (FOCAL_PER_LONG_SIDE * max(w, h))))
    return float(np.hypot(own, lean))


def _knee_fabric_sd_cm(analysis: Analysis, series: PoseSeries, side: Side, frame: _ClipFrame, rest: np.ndarray,
                       notes: list[str]) -> float:
    """The knee's extra 1-sigma (cm) when this leg's rest outline stands as far before the shin as loose cloth does (the
    angle stage's fabric test), with a warning; the front is read as seen: the test also fires on some real bare shins."""
    ahead = rest_outline_ahead_shanks(series, analysis.front_xy, _as_read_deg(analysis), rest,
                                      analysis.shank_length_px, frame.facing, analysis.camera.up)
    if not is_fabric(ahead):
        return 0.0
    notes.append(f"{side} leg: the outline before the shin stands as far out as loose clothing does, so the knee's front "
                 f"may be the cloth's: knee-to-wall and the equivalent distance are less sure (±{KNEE_FABRIC_SD_CM:g} cm more); "
                 "with loose trousers, roll them above the knee (or wear shorts) for the knee's own front")
    return KNEE_FABRIC_SD_CM


def _clear_of_the_wall_cm(uncertainty_cm: float | None, fabric_sd_cm: float) -> float:
    """How far a cloth front must read from the wall to stand clear of it: TOUCH_TOLERANCE_CM, or the reading's own 1-sigma
    without the cloth's doubt where that is larger (a wall line or scale off by that much can hold a pressed knee off it:
    random_v1 r057 read 1.0 cm at 1.7 with the knee on the wall)."""
    own = np.sqrt(max((uncertainty_cm or 0.0) ** 2 - fabric_sd_cm**2, 0.0))
    return float(max(TOUCH_TOLERANCE_CM, own))


def _cloth_shift_cm(fabric_sd_cm: float, sole_px: float) -> float:
    """How far behind a loose cloth's front a free knee's skin is taken (0: read as seen): FABRIC_KNEE_AHEAD_CM where the knee's
    fabric test fired on a rest outline measured from a pivot the whole sole placed (`sole_px`: the silhouette's sole, NaN
    where it was not found or lay outside FOOT_PER_SHANK_RANGE). Without the whole sole the pivot is the ankle landmark's
    alone and the test fires on tight legs too. Scaled legs of random_v16-v20 and session 31's hard kinds (session 32): with
    the whole sole, 0 of 6 legs in shorts or tight trousers flagged (0.067-0.117 shank lengths ahead) and 8 of 8 in loose
    trousers (0.152-0.190); without it (a side-near sheet hiding the foot's front, or cutting the sole), 6 of 17 tight legs
    flagged (0.140-0.221) and 2 of 3 loose ones, and the shift read the tight legs' free knees 2.7 cm long (random_v19 r014, random_v20 r004, s31sheet_2001 r006, s31sheet_2005 r004: knee-to-wall
    +1.7..+5.9 cm for -1.1..+3.2 as seen). The knee keeps the cloth's doubt (KNEE_FABRIC_SD_CM, which reaches 2.7 cm) either
    way; the legs in loose trousers whose sole was read whole keep the shift (random_v19 r017: +0.3 cm; -2.4 as seen)."""
    if fabric_sd_cm <= 0.0 or not np.isfinite(sole_px):
        return 0.0
    return FABRIC_KNEE_AHEAD_CM


def _skin_behind_free_cloth(reps: dict[int, RepCentimetres], cloth_cm: float, fabric_sd_cm: float, side: str,
                            notes: list[str]) -> dict[int, RepCentimetres]:
    """A leg in loose cloth (`cloth_cm` > 0: the knee's fabric test fired): where the cloth's front stands clear of the wall,
    the knee's skin lies `cloth_cm` behind it, so knee-to-wall grows and the equivalent distance shrinks by it; where the
    front reads at the wall (within _clear_of_the_wall_cm) the cloth may be pressed flat against it and be the knee's (kept).
    Renders: a free knee's cloth read 2.0-3.6 cm before the skin, a pressed one up to 1.9 cm beyond the wall's line (read
    as touching); see fitted.FABRIC_KNEE_AHEAD_CM. The knee's interval keeps `fabric_sd_cm` (KNEE_FABRIC_SD_CM), which
    reaches the cloth-free reading too (the fabric test also fires on some real bare shins)."""
    if cloth_cm <= 0.0:
        return reps
    out = {}
    moved = False
    for i, c in reps.items():
        k2w = c.knee_to_wall_cm
        if k2w is None or not np.isfinite(k2w) or k2w <= _clear_of_the_wall_cm(c.uncertainty_cm, fabric_sd_cm):
            out[i] = c
            continue
        moved = True
        k2w += cloth_cm
        eq = c.equivalent_toe_to_wall_cm - cloth_cm if c.equivalent_toe_to_wall_cm is not None else None
        touches = bool(k2w <= max(TOUCH_TOLERANCE_CM, c.uncertainty_cm or 0.0))
        out[i] = replace(c, knee_to_wall_cm=k2w, equivalent_toe_to_wall_cm=eq, touches_wall=touches)
    if moved:
        notes.append(f"{side} leg: where the knee stayed clear of the wall, its front is taken {cloth_cm:g} cm behind the "
                     "loose cloth's front seen (the cloth hangs before a free knee and is pressed flat only at the wall)")
    return out


def _free_cloth_per_frame(knee_to_wall_cm: np.ndarray, cloth_cm: float, clear_cm: float) -> np.ndarray:
    """Per frame, knee-to-wall with the skin `cloth_cm` behind a loose cloth's front read more than `clear_cm` from the wall
    (the leg's reps' median _clear_of_the_wall_cm), as _skin_behind_free_cloth does for the reps."""
    k = np.asarray(knee_to_wall_cm, float)
    if cloth_cm <= 0.0:
        return k
    return np.where(np.isfinite(k) & (k > clear_cm), k + cloth_cm, k)


def _toes_lost_cm(cloth: bool) -> float:
    """How far the outline's toe tip may lie behind the proportional toe before the outline is taken to have lost the toes:
    TOE_BEHIND_CM, plus FABRIC_TOE_AHEAD_CM where loose cloth over the ankle puts the proportional toe that far ahead (the
    ankle landmark sits ahead under the hem). The outlined toe keeps the doubt of the whole gap (_toe_behind_sd_cm)."""
    return TOE_BEHIND_CM + (FABRIC_TOE_AHEAD_CM if cloth else 0.0)


def _toe_behind_sd_cm(behind_cm: float) -> float:
    """The outlined toe's 1-sigma when its tip lies `behind_cm` behind the proportional toe (less than TOE_BEHIND_CM, else
    proportions replace it): either may be the true tip, so the doubt spans their gap. It runs on into the proportional
    toe's own doubt at the switch (2.0 cm here, 0.05 shank ~ 2 cm there), where a fixed TOE_SD_CM jumped from 0.8 to 2 cm.
    random_v7 r004 (a shoe's white sole before the white sheet): the tip 1.9 cm behind them read 2.8 cm short at ±0.8.
    Open renders' outlined toes 1.0-2.0 cm behind them read +0.09 to +2.77 cm (RMS 1.4, 5 legs)."""
    return float(np.hypot(TOE_SD_CM, behind_cm))


def _placed_toe_sd_cm(placed: _Placed, toe_sd_cm: float, toe_unsure: bool) -> float:
    """The toe's 1-sigma as placed: the stated line's where the toes were put on it from a toe tip the picture outlined
    clearly; a toe placed from proportions (lost against the floor or the sheet) or outlined faintly says no more about
    standing on the line than that toe does, so it keeps its doubt (a render's toes 12 cm from the wall, lost, read at the
    10 cm line: -1.8 cm at 0.5 cm)."""
    if placed.toe_sd_cm is None:
        return toe_sd_cm
    return float(np.hypot(placed.toe_sd_cm, toe_sd_cm)) if toe_unsure else placed.toe_sd_cm


@dataclass(frozen=True)
class _Placed:
    """The toe and the wall a leg's distances are measured between, and the toe-to-wall distance to report."""

    toe: np.ndarray
    wall: np.ndarray
    toe_sd_cm: float | None  # None: the toe's own (as found, or from proportions)
    toe_to_wall_cm: float | None
    from_picture: bool = False  # the wall is the base seen in the picture (not the sheet's, not the stated distance)


def _toe_and_wall(
    analysis: Analysis, side: Side, scale: Scale, toe: np.ndarray, fwd: np.ndarray, up: np.ndarray | None, facing: int,
    toe_from_proportions: bool, notes: list[str], seen: np.ndarray | None = None, prefer_seen: bool = False,
    line_printed: bool = True, faint: bool = False, outlined: np.ndarray | None = None,
) -> _Placed:
    """The wall from the marker (and the toes at the stated line when they stand there and a line is printed there:
    the upright sheet's, not a floor marker's), else the stated distance ahead of the toe, unless the wall's base seen
    in the picture (`seen`) clearly disagrees with it (or, with `prefer_seen`, a floor marker's scale along the floor,
    wherever it is seen). `outlined`: the silhouette's own toe tip where proportions replaced it (`toe_from_proportions`)."""
    stated = float(analysis.settings.foot_to_wall_cm)
    cm = cast(float, scale.cm_per_px)
    if scale.wall_point_px is None:
        measured = float(ahead_px(seen, toe, up, facing) * cm) if seen is not None else float("nan")
        if np.isfinite(measured) and (prefer_seen or abs(measured - stated) > WALL_SEEN_DISAGREES_CM):
            why = ("the marker on the floor gives no wall" if prefer_seen
                   else f"not the stated {stated:g} cm (--foot-to-wall-cm)")
            notes.append(f"{side} leg: the wall's base seen in the picture is {measured:.1f} cm ahead of the toes, {why}: "
                         "the distances are measured to the wall seen")
            return _Placed(toe, cast(np.ndarray, seen), None, measured, from_picture=True)
        return _Placed(toe, toe + fwd * stated / cm, None, stated)
    wall = scale.wall_point_px
    measured = float(ahead_px(wall, toe, up, facing) * cm)
    reported = None
    if not toe_from_proportions:
        reported = measured
        if abs(measured - stated) > MISMATCH_CM:
            notes.append(f"{side} leg: the toes were measured {measured:.1f} cm from the wall, not the "
                         f"stated {stated:g} cm (--foot-to-wall-cm)")
    if line_printed and _on_the_line(measured - stated, toe_from_proportions or faint):
        # The toes stand at the stated line (the sheet's 10 cm line, or a taped mark): surer than the toe tip
        # found in the picture, so the equivalent distance is that line less the measured knee-to-wall.
        return _Placed(wall - fwd * stated / cm, wall, TOE_PLACEMENT_SD_CM, reported)
    if line_printed and toe_from_proportions and outlined is not None and np.all(np.isfinite(outlined)):
        # Proportions put the toe ahead of the outline's, but the outline's own tip stands at the printed line: the
        # person stood there (a short foot for the shin, not a lost toe; a lost one reads farther from the line).
        if _on_the_line(float(ahead_px(wall, outlined, up, facing) * cm) - stated, True):
            line = wall - fwd * stated / cm
            return _Placed(line, wall, _line_or_proportions_sd_cm(float(ahead_px(toe, line, up, facing) * cm)), reported)
    return _Placed(toe, wall, None, reported)


def _line_or_proportions_sd_cm(ahead_cm: float) -> float:
    """The toe's 1-sigma where an outline's tip at the printed line put it there though proportions put it `ahead_cm`
    nearer the wall: the outline may have lost the toes' front and stopped at the line by chance, so the doubt spans the
    gap as well (_placed_toe_sd_cm adds the proportional toe's own). random_v10 r001 (long trousers, dim, the toes 5 cm
    from the wall): the outline lost 5.2 cm and stood at the 10 cm line; proportions 3.6 cm ahead were 1.6 cm off: +4.5 cm
    at ±2.0. Open renders' other outlined toes on the line: proportions within 1.1 cm of it (line right), or 3.5 cm ahead
    (random_v7 r009: truth between)."""
    return float(np.hypot(TOE_PLACEMENT_SD_CM, max(ahead_cm, 0.0)))


def _on_the_line(off_cm: float, toe_unsure: bool) -> bool:
    """Whether toes measured `off_cm` from the stated line stand on it. A silhouette loses toes (reads them farther from
    the wall), never gains them: for a toe lost or faint the window reaches TOES_LOST_CM beyond the line; a clearly
    outlined toe measured more than MISMATCH_CM from it stands where it was found (said in a note), not on the line."""
    return -MISMATCH_CM <= off_cm <= (TOES_LOST_CM if toe_unsure else MISMATCH_CM)


@dataclass(frozen=True)
class _Geometry:
    """One leg's points, wall, vertical and scale, with their 1-sigma uncertainties."""

    knee_front: np.ndarray
    toe: np.ndarray
    ankle: np.ndarray
    wall: np.ndarray
    up: np.ndarray | None
    facing: int
    cm_per_px: float
    shank_px: float
    wall_sd_cm: float
    toe_sd_cm: float
    scale_rel: float
    vertical_measured: bool
    knee_fabric_sd_cm: float = 0.0  # loose cloth before the knee may hold its front some centimetres out
    vertical_sd_deg: float = ROLL_UNCERTAINTY_DEG  # 1-sigma of the vertical the knee's height leans on (vertical_measured)
    toe_from_wall: bool = False  # the toes were put on the stated line, measured from the wall's point: they share its error

    def ahead_cm(self, p: np.ndarray, ref: np.ndarray) -> float:
        """Distance of p ahead of ref towards the wall, along the floor (cm)."""
        return float(ahead_px(p, ref, self.up, self.facing) * self.cm_per_px)


def _hold(rep: RepResult, analysis: Analysis) -> np.ndarray:
    """Frames of a rep within HOLD_DROP_DEG of its peak angle (the still part at the wall)."""
    f = analysis.frames
    idx = np.arange(rep.start_frame, rep.end_frame + 1)
    a = f.tibial_inclination_smooth_deg[idx]
    if not np.isfinite(a).any():
        return np.array([rep.peak_frame])
    sel = idx[np.isfinite(a) & (a >= np.nanmax(a) - HOLD_DROP_DEG)]
    return sel if sel.size else np.array([rep.peak_frame])


def _knee_at_hold(rep: RepResult, analysis: Analysis, g: _Geometry) -> tuple[np.ndarray | None, float]:
    """Median front-of-knee point over the hold and its frame-to-frame spread (px)."""
    front = g.knee_front[_hold(rep, analysis)]
    front = front[np.isfinite(front).all(axis=1)]
    if not front.shape[0]:
        return None, float("nan")
    return np.median(front, axis=0), float(np.std(front[:, 0])) if front.shape[0] > 2 else 1.0


def _rep_cm(rep: RepResult, analysis: Analysis, g: _Geometry, sole_px_len: float) -> RepCentimetres:
    """One rep's distances at its hold: the knee's front read from the silhouette, the rest from L, p, a and theta."""
    cm = g.cm_per_px
    shank_cm = g.shank_px * cm
    a_cm = g.ahead_cm(g.toe, g.ankle)
    theta = rep.tibial_inclination_deg
    past_toe = float(shank_cm * np.sin(np.radians(theta)) - a_cm) if np.isfinite(theta) else None
    foot_px = sole_px_len if np.isfinite(sole_px_len) else FOOT_PER_SHANK * g.shank_px
    lift = float(heel_lift_mm(rep.heel_lift_ratio, foot_px, cm)) if np.isfinite(rep.heel_lift_ratio) else None
    knee, spread_px = _knee_at_hold(rep, analysis, g)
    if knee is not None:
        to_wall = -g.ahead_cm(knee, g.wall)
        equivalent = g.ahead_cm(knee, g.toe)
        knee_sd, roll_sd_cm = knee_and_vertical_sd_cm(g, knee, spread_px)
        # The toe lies on the floor and the knee above it: the vertical between them leans the equivalent distance as it
        # does knee-to-wall, whatever gave the vertical (a floor marker gives none: the picture's own, 1-1.5 deg).
        toe_roll_sd_cm = abs(float((knee - g.toe) @ up_axis(g.up))) * np.tan(np.radians(g.vertical_sd_deg)) * cm
    else:  # no silhouette: joint centre plus an average patellar offset
        p_cm = PATELLA_PER_SHANK * shank_cm
        equivalent = equivalent_toe_to_wall_cm(shank_cm, p_cm, a_cm, theta)
        to_wall = g.ahead_cm(g.wall, g.toe) - equivalent
        roll_sd_cm = toe_roll_sd_cm = 0.0
        knee_sd = float(np.hypot(PATELLA_PER_SHANK_SD * shank_cm, shank_cm * np.radians(ANGLE_SD_DEG)))
    sd = float(np.sqrt(g.wall_sd_cm**2 + knee_sd**2 + roll_sd_cm**2 + (g.scale_rel * abs(to_wall)) ** 2))
    equivalent_sd = equivalent_sd_cm(g, knee_sd, toe_roll_sd_cm, equivalent)
    touches = bool(to_wall <= max(TOUCH_TOLERANCE_CM, sd)) if np.isfinite(to_wall) else None
    return RepCentimetres(rep.index, _finite(to_wall), _finite(past_toe), _finite(equivalent), _finite(lift), sd,
                          equivalent_sd, touches)


def knee_and_vertical_sd_cm(g: _Geometry, knee: np.ndarray, spread_px: float) -> tuple[float, float]:
    """The knee front's and the vertical's 1-sigma in knee-to-wall at a rep's hold (cm), apart from the wall's and the
    scale's: benchmarks/distance_parts.py weighs each reading's miss against its own share."""
    cm = g.cm_per_px
    height_px = abs(float((knee - g.wall) @ up_axis(g.up)))
    roll_sd_cm = height_px * np.tan(np.radians(g.vertical_sd_deg)) * cm if g.vertical_measured else 0.0
    knee_sd = float(np.hypot(np.hypot(KNEE_EDGE_SD_PX, spread_px) * cm, g.knee_fabric_sd_cm))
    return knee_sd, float(roll_sd_cm)


def equivalent_sd_cm(g: _Geometry, knee_sd_cm: float, roll_sd_cm: float, equivalent_cm: float) -> float:
    """The equivalent distance's 1-sigma: the toe's, the knee's, the vertical's and the scale's; toes put on the stated line
    stand that far from the wall's point, so the distance is the line less knee-to-wall and carries the wall's error as
    knee-to-wall does (random_v12 r011: the wall put by the sheet's edge, 1.3 cm off at 1.5, and the equivalent -1.39 cm at
    0.70 without it)."""
    wall_sd = g.wall_sd_cm if g.toe_from_wall else 0.0
    return float(np.sqrt(g.toe_sd_cm**2 + wall_sd**2 + knee_sd_cm**2 + roll_sd_cm**2 + (g.scale_rel * abs(equivalent_cm)) ** 2))


def _leg_reps(analysis: Analysis, side: str, leg: _LegCm) -> dict[int, RepCentimetres]:
    """A leg's distances at each of its reps' holds."""
    return {rep.index: _rep_cm(rep, analysis, leg.touch, leg.geometry.foot_length_px) for rep in analysis.reps if rep.side == side}


def _within_the_wall(reps: dict[int, RepCentimetres], side: str, notes: list[str]) -> dict[int, RepCentimetres]:
    """A knee cannot stand beyond the wall: a reading behind the wall's line is given as touching (0), and the equivalent
    distance as the wall's own distance from the toes (the knee at the wall). Moving a reading onto the only side the
    truth can lie never makes it worse (open renders: every rep read below 0 touched the wall, 0.0-0.07 cm). A reading
    beyond the wall by more than its own 1-sigma says the wall's line or the knee's outline is off by about that much
    (a sheet hiding the foot's floor contact put the wall 4.7 cm off): it is said, and every rep's intervals of that leg
    take it on (1-sigma widened by it in quadrature), since the same line and outline measure them all. An equivalent
    distance moved onto the wall's line is the toes' distance from that line, no longer the knee's from the toes, so its
    1-sigma takes on knee-to-wall's (which holds the line's; an upper bound, the knee's own part counted in both): random_v13
    r014's wall was placed +-13.8 cm (no wall-floor line, the camera turned 26 deg from the sheet) and the equivalent read
    -11.1 +- 1.1 cm for a true +1.6."""
    if not any(c.knee_to_wall_cm is not None and c.knee_to_wall_cm < 0.0 for c in reps.values()):
        return reps
    excess = max((-c.knee_to_wall_cm for c in reps.values() if c.knee_to_wall_cm is not None and c.uncertainty_cm is not None
                  and -c.knee_to_wall_cm > c.uncertainty_cm), default=0.0)
    if excess > 0.0:
        notes.append(f"{side} leg: the knee's front read up to {excess:.1f} cm beyond the wall's line, more than its "
                     "uncertainty, so the wall's line or the knee's outline is off by about that much: knee-to-wall is given "
                     f"as 0 (touching) there, and the distances of this leg are less sure (each 1-σ combined in quadrature "
                     f"with {excess:.1f} cm)")
    out = {}
    for i, c in reps.items():
        k2w, eq, eq_sd = c.knee_to_wall_cm, c.equivalent_toe_to_wall_cm, c.equivalent_uncertainty_cm
        if k2w is not None and k2w < 0.0:
            eq = eq + k2w if eq is not None else None
            k2w = 0.0
            eq_sd = float(np.hypot(eq_sd, c.uncertainty_cm)) if eq_sd is not None and c.uncertainty_cm is not None else eq_sd
        sd = float(np.hypot(c.uncertainty_cm, excess)) if c.uncertainty_cm is not None else None
        eq_sd = float(np.hypot(eq_sd, excess)) if eq_sd is not None else None
        out[i] = replace(c, knee_to_wall_cm=k2w, equivalent_toe_to_wall_cm=eq, uncertainty_cm=sd, equivalent_uncertainty_cm=eq_sd)
    return out


def _touch_told(reps: dict[int, RepCentimetres]) -> dict[int, RepCentimetres]:
    """The reps with the wall verdict withheld (None: cannot tell) where the reading cannot tell: "touched" with a 1-sigma
    above TOUCH_SD_MAX_CM (random_v12 r014: 0.0 +- 44 cm, knee 9.7 cm off), "did not reach" inside the 95 % interval
    (NO_TOUCH_SIGMAS; a knee on the wall read 0.8-1.5 cm off at 1-sigma 0.6-1.4 beside side-far sheets)."""
    out = {}
    for i, c in reps.items():
        sd, k2w = c.uncertainty_cm or 0.0, c.knee_to_wall_cm
        unsure_touch = c.touches_wall is True and sd > TOUCH_SD_MAX_CM
        unsure_free = c.touches_wall is False and k2w is not None and k2w <= max(TOUCH_TOLERANCE_CM, NO_TOUCH_SIGMAS * sd)
        out[i] = replace(c, touches_wall=None) if unsure_touch or unsure_free else c
    return out


def _through_wall_cm(reps: Iterable[RepCentimetres]) -> float | None:
    """How far the knee would pass through a stated wall beyond its own uncertainty (None when it never does)."""
    depth = [-c.knee_to_wall_cm for c in reps
             if c.knee_to_wall_cm is not None and c.knee_to_wall_cm < -THROUGH_WALL_SIGMAS * max(c.uncertainty_cm or 0.0, TOUCH_TOLERANCE_CM)]
    return max(depth) if depth else None


def _finite(v: float | None) -> float | None:
    """None for missing or non-finite numbers."""
    return float(v) if v is not None and np.isfinite(v) else None


def _model_numbers(analysis: Analysis, side: str, g: _Geometry) -> TouchNumbers:
    """L, p and a (cm) of the touch condition L sin(theta) + p cos(theta) = d + a, p from the best measured hold."""
    shank_cm = g.shank_px * g.cm_per_px
    p_cm = None
    valid = [r for r in analysis.reps if r.side == side and r.valid] or [r for r in analysis.reps if r.side == side]
    if valid:
        rep = max(valid, key=lambda r: r.tibial_inclination_deg)
        knee, _ = _knee_at_hold(rep, analysis, g)
        if knee is not None:
            p_cm = patella_offset_cm(g.ahead_cm(knee, g.ankle), shank_cm, rep.tibial_inclination_deg)
    source = ("front of the knee in the silhouette at the best rep" if p_cm is not None
              else f"{PATELLA_PER_SHANK:g} x shank length (average)")
    return TouchNumbers(shank_cm, p_cm, source, g.ahead_cm(g.toe, g.ankle))


def marker_plane_notes(fit: MarkerFit | None) -> tuple[str, ...]:
    """What a marker that is not the upright sheet was used for, or why it was ignored (warnings)."""
    if fit is None or fit.plane is None or fit.plane.kind in ("upright", "floor"):  # floor_scale says what it gave
        return ()
    if fit.plane.kind == "wall":
        return (WALL_MARKER_NOTE,)
    return (f"the marker was ignored: {fit.plane.reason}; stand the sheet upright beside the tested foot, facing the camera",)


def marker_unmeasured_notes(marker: MarkerTrack | None) -> tuple[str, ...]:
    """A marker detected in several frames whose corners could never be measured (too small or too oblique) is said."""
    if marker is None or marker.seen_unmeasured < MIN_SEEN_UNMEASURED or fit_marker(marker) is not None:
        return ()
    return (f"a marker was seen in {marker.seen_unmeasured} sampled frames but too small or too oblique in the picture to "
            "measure: it was ignored; stand the sheet upright beside the "
            "foot, facing the camera",)


def marker_geometry(
    camera: CameraGeometry, marker: MarkerTrack | None, facing: int = 1, feet_px: np.ndarray | None = None
) -> CameraGeometry:
    """The camera's vertical and leg plane from the marker sheet, unless the user gave the camera roll.

    A marker on the wall gives the vertical and the leg's plane (its normal is the leg's forward axis); one on the
    floor or held at an angle, nothing here. A sheet standing before a foot is noted (its outline), for the heel.
    """
    fit = fit_marker(marker) if marker is not None else None
    if fit is None or camera.vertical_source == VerticalSource.USER:
        return camera
    if fit.plane is not None and fit.plane.kind == "wall":
        size = marker.image_size if marker is not None and marker.image_size is not None else (0, 0)
        wall_h = wall_leg_plane_homography(fit.plane, facing, size)
        leg_plane = tuple(round(float(v), 9) for v in wall_h.ravel()) if wall_h is not None else None
        return replace(camera, roll_deg=round(fit.roll_deg, 2), vertical_source=VerticalSource.MARKER_ON_WALL,
                       leg_plane_homography=leg_plane)
    if not fit.is_sheet:
        return camera
    outline_px = sheet_outline_px(fit, facing)
    outline = tuple(round(float(v), 2) for v in outline_px.ravel())
    covers = feet_px is not None and outline_covers_feet(outline_px, feet_px)  # the clip's still feet behind it
    camera = replace(camera, sheet_outline_px=outline, sheet_cover_px=outline if covers else camera.sheet_cover_px)
    homography = tuple(round(float(v), 9) for v in (fit.homography / fit.homography[2, 2]).ravel())
    return replace(camera, roll_deg=round(fit.roll_deg, 2), vertical_source=VerticalSource.MARKER, leg_plane_homography=homography)


def attach_centimetres(
    analysis: Analysis, series: PoseSeries, marker: MarkerTrack | None, see_wall: WallFinder | None = None,
    toe_contrast: ToeReader | None = None,
) -> Analysis:
    """The analysis with its centimetre results, scaled by the marker or the sizes in its settings."""
    return replace(analysis, centimetres=measure_centimetres(analysis, series, analysis.settings.sizes, marker, see_wall, toe_contrast))
