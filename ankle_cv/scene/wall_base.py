"""Where the wall meets the floor ahead of the tested foot, from the picture alone (no sheet on the wall side).

Without the sheet's wall edge, the knee-to-wall distance rested on the toe distance the user stated (10 cm by
default): a floor-marker render whose toes stood 2 cm from the wall read the knee 7.6 cm off. The wall's
base is usually in view just ahead of the toes: a straight step in brightness between the floor and the
wall (or its skirting board), crossing the line of the sole. Seen from the side the base runs away from the
camera, so its slant in the picture depends on the camera; it is searched over slants and over distances
ahead of the toe on a still background (the median of the rest frames), with the person's own outline
masked off (the toes' edge is the strongest step there). Of the clear steps, the nearest to the toes is the
base: a skirting board's top edge or a sheet on the wall lie beyond it. Pure numpy + cv2.remap.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import cv2
import numpy as np

SEARCH_FOOT = (0.05, 1.8)  # foot lengths ahead of the toe tip searched (the toes' own edge stays out)
SLANT_DEG = 60.0  # the base's slant from the picture's vertical, either way (renders: -57..+57 deg)
SLANT_STEP_DEG = 1.5
SPAN_FOOT = (0.45, 0.25)  # the line is judged from this far below the sole line (towards the camera) to this far above
SIDE_FOOT = 0.08  # the step is read at 2 px to this far from the line on each side (a seam or grout line steps at one only)
MIN_STEP = 12.0  # grey levels: a weaker step is no evidence of a wall (a dim render's shoe shadow stepped 6)
NEAREST_SHARE = 0.35  # a step at least this share of the strongest counts, and the nearest such is the base
MIN_AGREEMENT = 0.85  # share of the line's samples stepping the same way (a wall's base is straight and whole)
MIN_SEEN = 0.6  # share of the line's samples off the person and inside the picture


@dataclass(frozen=True)
class WallBase:
    """The wall's base on the sole's line: its point, its slant, and how clear it was."""

    point_px: np.ndarray  # (2,) image px where the base crosses the sole's line
    ahead_px: float  # its distance ahead of the toe tip along the sole (px)
    slant_deg: float  # the base's slant from the picture's vertical (+ = top towards the wall)
    step: float  # grey-level step across it (wall side minus floor side)
    agreement: float  # share of samples stepping the same way
    rivals: int  # other clear steps farther ahead (a skirting board's top, a sheet, tiles)


def _up_of(forward: np.ndarray) -> np.ndarray:
    """The picture's upward direction perpendicular to the sole's line."""
    up = np.array([forward[1], -forward[0]])
    return -up if up[1] > 0 else up


def _sample(grey: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Bilinear grey values at points (..., 2); NaN outside the picture."""
    shape = pts.shape[:-1]
    flat = pts.reshape(-1, 2).astype(np.float32)
    out = cv2.remap(grey, flat[:, 0].reshape(-1, 1), flat[:, 1].reshape(-1, 1), cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_CONSTANT, borderValue=np.nan)
    return np.asarray(out, np.float32).reshape(shape)


def find_wall_base(
    grey: np.ndarray, toe_px: np.ndarray, forward: np.ndarray, foot_px: float, person: np.ndarray | None = None,
) -> WallBase | None:
    """The wall's base ahead of the toe tip in a still grey picture, or None when no clear straight step is there.

    `forward`: unit image direction from heel to toe; `foot_px`: the foot's length; `person`: a boolean picture
    of the person's pixels (their outline is no wall), same shape as `grey`.
    """
    if not (np.all(np.isfinite(toe_px)) and np.all(np.isfinite(forward)) and np.isfinite(foot_px) and foot_px > 8):
        return None
    g = np.asarray(grey, np.float32)
    if person is not None:
        g = np.where(person, np.nan, g).astype(np.float32)
    fwd = np.asarray(forward, float) / float(np.linalg.norm(forward))
    up = _up_of(fwd)
    ahead = np.arange(SEARCH_FOOT[0] * foot_px, SEARCH_FOOT[1] * foot_px, 1.0)
    along = np.linspace(-SPAN_FOOT[0] * foot_px, SPAN_FOOT[1] * foot_px, 28)
    sides = np.linspace(2.0, max(3.0, SIDE_FOOT * foot_px), 4)
    slants = np.radians(np.arange(-SLANT_DEG, SLANT_DEG + 1e-9, SLANT_STEP_DEG))
    score = np.zeros((slants.size, ahead.size))
    steps = np.zeros_like(score)
    agree = np.zeros_like(score)
    crossing = np.asarray(toe_px, float)[None, :] + ahead[:, None] * fwd[None, :]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for i, slant in enumerate(slants):
            d = np.cos(slant) * up + np.sin(slant) * fwd
            n = np.array([d[1], -d[0]])
            n = n if n @ fwd > 0 else -n
            pts = crossing[:, None, :] + along[None, :, None] * d[None, None, :]
            # the step at every distance from the line: a seam or grout line steps at one distance only
            per_side = np.stack([_sample(g, pts + k * n) - _sample(g, pts - k * n) for k in sides])
            same_way = np.all(np.sign(per_side) == np.sign(per_side[:1]), axis=0)
            delta = np.where(same_way, np.sign(per_side[0]) * np.min(np.abs(per_side), axis=0), 0.0)
            delta[np.any(np.isnan(per_side), axis=0)] = np.nan
            seen = np.isfinite(delta)
            med = np.nanmedian(delta, axis=1)
            same = (np.sign(delta) == np.sign(med)[:, None]) & (np.abs(delta) > 0.5 * np.abs(med)[:, None])
            share = same.sum(axis=1) / np.maximum(seen.sum(axis=1), 1)
            ok = (seen.mean(axis=1) >= MIN_SEEN) & np.isfinite(med)
            score[i] = np.where(ok, np.abs(np.nan_to_num(med)) * share, 0.0)
            steps[i], agree[i] = np.nan_to_num(med), share
    best_slant = score.argmax(axis=0)
    profile = score.max(axis=0)
    if profile.size < 3 or profile.max() <= 0:
        return None
    clear = profile >= max(MIN_STEP * MIN_AGREEMENT, NEAREST_SHARE * profile.max())
    peaks = [j for j in range(1, profile.size - 1)
             if clear[j] and profile[j] >= profile[j - 1] and profile[j] >= profile[j + 1]
             and agree[best_slant[j], j] >= MIN_AGREEMENT and abs(steps[best_slant[j], j]) >= MIN_STEP]
    if not peaks:
        return None
    j = peaks[0]
    return WallBase(crossing[j], float(ahead[j]), float(np.degrees(slants[best_slant[j]])),
                    float(steps[best_slant[j], j]), float(agree[best_slant[j], j]), len(peaks) - 1)
