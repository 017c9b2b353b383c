"""Render a seeded, randomised set of knee-to-wall clips with ../shared/synth (a benchmark nobody can overfit).

Issues 19 (item 6) and 22 (item 5): constants are fitted on many bodies and reported on others. The set
varies what a real set-up varies: ~18 bodies, clothes and shoes, cameras (height, yaw, pitch, roll, field
of view, resolution, frame rate), light, floors, backgrounds, every marker placement, heel lifts of
0-25 mm on the near and the far leg, both-legs clips, step-in reps and peaks from 5 to 60 deg.

Usage:
    python benchmarks/render_random_set.py --out /work/renders/random_v1 [--seed 1205] [--count 96]
        [--only r001,r002] [--dry-run] [--synth-dir ../shared/synth] [--python VENV/bin/python]

The plan depends only on --seed and --count. Every clip goes to OUT/<id>.mp4 with the renderer's truth
OUT/<id>.json; clips whose .mp4 and .json both exist are skipped (resumable). A clip renders into
OUT/.partial/ and is moved in only when the renderer exits 0. OUT/manifest.json holds per clip its id,
body, split (fit/report, by body: no body is in both), every render option, tags for grouping and the
render status; it is rewritten after every clip. The order is chosen so that any prefix is varied: each
next clip is the one whose tags have been seen least so far.
"""

from __future__ import annotations

import argparse
import colorsys
import json
import math
import os
import random
import shlex
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SEED = 1205
DEFAULT_COUNT = 96
N_BODIES = 18
FIT_SHARE = 0.6
PREFIX_CHECKED = 24

# Render cost on one idle core of this machine (../shared/synth README, checked on test renders): ~10 s to pose,
# then per frame 0.037 s + 0.10 s per megapixel, shoes +0.04 s, loose trousers +0.02 s. Contention slows it.
RENDER_FIXED_S = 10.0
RENDER_FRAME_S = 0.037
RENDER_S_PER_MPIX_FRAME = 0.10
RENDER_SHOES_FRAME_S = 0.04
RENDER_LOOSE_FRAME_S = 0.02

MARKER_SHARES = {"none": 0.38, "side_far": 0.2, "side_near": 0.12, "wall": 0.15, "floor": 0.15}
LIFT_SIZES_MM = (4, 6, 8, 10, 15, 20, 25)
SKIN_PRESETS = ("light", "medium", "tan", "brown", "dark")
SKIN_PRESET_HEX = ("#eac4a8", "#c99a78", "#a87654", "#7d5238", "#553626")  # the renderer's presets, light to dark
RESOLUTIONS = (((640, 360), 0.28), ((854, 480), 0.3), ((1280, 720), 0.29), ((1920, 1080), 0.05),
               ((480, 854), 0.05), ((720, 1280), 0.03))
FPS_CHOICES = ((30, 0.55), (24, 0.25), (60, 0.2))


@dataclass(frozen=True)
class Body:
    """One virtual person: the Anny phenotype, skin and hair; every clip of a body is in the same split."""

    body_id: str
    split: str
    sex: float
    age_years: float
    stature_cm: float
    weight: float
    muscle: float
    proportions: float
    skin: str
    hair_color: str


@dataclass
class Clip:
    """One planned render: the renderer's options, the tags used to group results, and the render status."""

    clip_id: str
    body: Body
    options: dict[str, Any]
    flags: list[str]
    tags: dict[str, Any]
    est_render_s: float
    order: int = 0
    status: dict[str, Any] = field(default_factory=dict)


def _hex(rgb: tuple[float, float, float]) -> str:
    """#rrggbb from 0-1 floats (clipped)."""
    return "#" + "".join(f"{max(0, min(255, round(255 * c))):02x}" for c in rgb)


def _colour(rng: random.Random, light_range: tuple[float, float], sat_range: tuple[float, float] = (0.1, 0.8)) -> str:
    """A random colour with lightness and saturation in the given ranges (HLS)."""
    return _hex(colorsys.hls_to_rgb(rng.random(), rng.uniform(*light_range), rng.uniform(*sat_range)))


def _near(rng: random.Random, colour: str, spread: float = 0.05) -> str:
    """A colour close to the given one (low contrast against it)."""
    rgb = _rgb(colour)
    return _hex((rgb[0] + rng.uniform(-spread, spread), rgb[1] + rng.uniform(-spread, spread),
                 rgb[2] + rng.uniform(-spread, spread)))


def _rgb(colour: str) -> tuple[float, float, float]:
    """0-1 floats from #rrggbb."""
    return int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255


def _skin(rng: random.Random) -> str:
    """A skin colour between two neighbouring presets of the renderer, slightly varied (always a human tone)."""
    x = rng.uniform(0, len(SKIN_PRESET_HEX) - 1)
    k = min(int(x), len(SKIN_PRESET_HEX) - 2)
    a, b = _rgb(SKIN_PRESET_HEX[k]), _rgb(SKIN_PRESET_HEX[k + 1])
    j = rng.uniform(0.94, 1.06)
    return _hex(tuple(j * (p + (x - k) * (q - p)) for p, q in zip(a, b)))  # type: ignore[arg-type]


def _skin_rgb_hex(skin: str) -> str:
    """#rrggbb of a preset name or a hex skin."""
    return SKIN_PRESET_HEX[SKIN_PRESETS.index(skin)] if skin in SKIN_PRESETS else skin


def make_bodies(rng: random.Random, n: int) -> list[Body]:
    """n distinct bodies spread over sex, age, stature, build, proportions and skin; ~60 % in the fit split."""
    ages = [rng.uniform(*band) for band in [(18, 30), (30, 45), (45, 60), (60, 78)] * (n // 4 + 1)][:n]
    rng.shuffle(ages)
    skins = list(SKIN_PRESETS) * (n // len(SKIN_PRESETS) + 1)
    rng.shuffle(skins)
    n_fit = round(FIT_SHARE * n)
    splits = ["fit"] * n_fit + ["report"] * (n - n_fit)
    rng.shuffle(splits)
    bodies = []
    for k in range(n):
        sex = float(k % 2) if rng.random() < 0.85 else round(rng.uniform(0.3, 0.7), 2)
        stature = rng.uniform(150, 178) if sex > 0.5 else rng.uniform(160, 196)
        skin = skins[k] if rng.random() < 0.7 else _skin(rng)
        hair = rng.choice(["#141010", "#2e2119", "#6b4a2b", "#c8a060", "#9a9590", "#5a3a20", "#d8d0c8"])
        bodies.append(Body(f"b{k + 1:02d}", splits[k], sex, round(ages[k], 1), round(stature, 1),
                           round(rng.uniform(0.2, 0.9), 2), round(rng.uniform(0.2, 0.9), 2),
                           round(rng.uniform(0.3, 0.7), 2), skin, hair))
    return bodies


def _quota(rng: random.Random, shares: dict[str, float], n: int) -> list[str]:
    """A shuffled list of n labels with each label's share of n (largest remainders)."""
    raw = {k: v * n for k, v in shares.items()}
    counts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: n - sum(counts.values())]:
        counts[k] += 1
    out = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(out)
    return out


def _weighted(rng: random.Random, choices: tuple[tuple[Any, float], ...]) -> Any:
    """One of the choices by weight."""
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _lift_plans(rng: random.Random, n: int) -> list[dict[str, Any]]:
    """Per clip: heel lift size (mm), onset and which share of reps lift; half the clips keep the heel down."""
    n_lift = round(0.38 * n)
    n_two = round(0.14 * n)
    plans: list[dict[str, Any]] = []
    for k in range(n_lift):
        plans.append({"mm": LIFT_SIZES_MM[k % len(LIFT_SIZES_MM)], "onset": "early" if k % 2 else "late",
                      "which": rng.choice(["all", "all", "one", "one", "two"])})
    for k in range(n_two):
        plans.append({"mm": 2, "onset": "early" if k % 2 else "late", "which": rng.choice(["all", "one", "two"])})
    plans += [{"mm": 0, "onset": None, "which": None}] * (n - len(plans))
    rng.shuffle(plans)
    return plans


def _peak_class(rng: random.Random) -> str:
    """How mobile the ankle is: very stiff, stiff, typical or very mobile."""
    return _weighted(rng, (("stiff", 0.13), ("low", 0.1), ("typical", 0.62), ("mobile", 0.15)))


def _peak_value(rng: random.Random, cls: str) -> float:
    """A peak tibial inclination (deg) in the class's range."""
    lo, hi = {"stiff": (5, 15), "low": (15, 28), "typical": (28, 50), "mobile": (50, 60)}[cls]
    return round(rng.uniform(lo, hi), 1)


def _peaks(rng: random.Random, base: float, reps: int) -> list[float]:
    """Per-rep peaks: the same in most clips, a few degrees apart in some."""
    if rng.random() < 0.7:
        return [base] * reps
    return [round(min(60.0, max(5.0, base + rng.uniform(-6, 6))), 1) for _ in range(reps)]


def _default_pitch_deg(cam_height_m: float, stature_m: float, vfov_deg: float) -> float:
    """The renderer's default pitch: looking from the camera at 0.52 x stature, auto distance."""
    dist_m = stature_m / (0.62 * 2 * math.tan(math.radians(vfov_deg) / 2))
    return math.degrees(math.atan2(cam_height_m - 0.52 * stature_m, dist_m))


def plan_clip(rng: random.Random, body: Body, marker: str, lift: dict[str, Any], both: bool, step_in: bool,
              light: str, rolled: bool, seed: int) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    """The renderer options and the grouping tags of one clip."""
    o: dict[str, Any] = {"seed": seed, "sex": body.sex, "age-years": body.age_years, "stature-cm": body.stature_cm,
                         "weight": body.weight, "muscle": body.muscle, "proportions": body.proportions,
                         "skin": body.skin, "hair-color": body.hair_color}
    flags: list[str] = []
    t: dict[str, Any] = {}
    # ---- test
    leg = rng.choice(["left", "right"])
    near = rng.random() < 0.6
    wall_side = leg if near else ("left" if leg == "right" else "right")
    o.update({"leg": leg, "wall-side": wall_side})
    reps = 2 if both else rng.choice([2, 2, 3])
    cls = _peak_class(rng)
    peaks = _peaks(rng, _peak_value(rng, cls), reps)
    o["peak-deg"] = ",".join(f"{p:g}" for p in peaks)
    o["reps"] = reps
    all_peaks = list(peaks)
    cls_other = None
    if both:
        flags.append("--both-legs")
        cls_other = _peak_class(rng)
        other = _peaks(rng, _peak_value(rng, cls_other), reps)
        o["peak-deg-other"] = ",".join(f"{p:g}" for p in other)
        o["transition-s"] = round(rng.uniform(1.5, 2.5), 1)
        all_peaks += other
    if step_in:
        flags.append("--step-in")
    if min(all_peaks) < 10:
        o["start-deg"] = round(min(all_peaks) - rng.uniform(6, 8), 1)
    elif min(all_peaks) < 16:
        o["start-deg"] = round(rng.uniform(0, 3), 1)
    elif rng.random() < 0.3:
        o["start-deg"] = round(rng.uniform(2, 9), 1)
    # ---- clothes
    shoes = rng.random() < 0.5
    bottoms = _weighted(rng, (("shorts", 0.4), ("long", 0.3), ("loose", 0.3)))
    contrast = _weighted(rng, (("normal", 0.66), ("dark_on_dark", 0.17), ("low", 0.17)))
    if contrast == "dark_on_dark" and bottoms == "shorts":
        bottoms = rng.choice(["long", "loose"])
    o["bottoms"] = bottoms
    # ---- floor, walls, background
    background = "plain" if rng.random() < 0.3 else "room"
    floor = _weighted(rng, (("wood", 0.35), ("tile", 0.25), ("carpet", 0.25), ("plain", 0.15)))
    o.update({"background": background, "floor": floor})
    if contrast == "dark_on_dark":
        floor_color = _colour(rng, (0.08, 0.18), (0.0, 0.2))
        bottoms_color = _colour(rng, (0.06, 0.14), (0.0, 0.25))
        shoe_color = _colour(rng, (0.05, 0.15), (0.0, 0.2))
    else:
        floor_color = _colour(rng, (0.25, 0.8), (0.05, 0.45))
        bottoms_color = _colour(rng, (0.08, 0.7), (0.0, 0.7))
        shoe_color = _colour(rng, (0.1, 0.9), (0.0, 0.6))
    wall_color = _colour(rng, (0.6, 0.92), (0.0, 0.3))
    if contrast == "low":
        if bottoms == "shorts" or rng.random() < 0.3:
            wall_color = _near(rng, _skin_rgb_hex(body.skin), 0.04)
            t["low_contrast_against"] = "skin vs wall"
        else:
            bottoms_color = _near(rng, floor_color, 0.05)
            shoe_color = _near(rng, floor_color, 0.06)
            t["low_contrast_against"] = "trousers vs floor"
    o.update({"floor-color": floor_color, "shorts-color": bottoms_color, "wall-color": wall_color,
              "shirt-color": _colour(rng, (0.1, 0.85))})
    if background == "room" and rng.random() < 0.5:
        o["back-wall-color"] = _colour(rng, (0.45, 0.9), (0.0, 0.35))
    if shoes:
        flags.append("--shoes")
        o["shoe-color"] = shoe_color
        o["sole-color"] = rng.choice(["#f0f0f0", "#e8e0d0", "#202020", "#8a8070", shoe_color])
        o["shoe-sole-mm"] = rng.choice([20, 24, 27, 27, 32])
        if rng.random() < 0.5:
            o["socks-color"] = _colour(rng, (0.1, 0.95), (0.0, 0.5))
    # ---- toe-to-wall distance
    shoe_extra_cm = 1.6 if shoes else 0.0
    # 'auto' puts the toes where the knee just touches at the leg's largest peak: below ~22 deg (26 with shoes,
    # whose tip is 1.6 cm ahead of the toes) that is at or behind the wall, so stiff legs get the toes near it
    if min(max(peaks), max(all_peaks[len(peaks):] or peaks)) < (26 if shoes else 22):
        foot_wall = "fixed_small"
        o["foot-wall-cm"] = round(rng.uniform(1.0, 5.0) + shoe_extra_cm, 1)
        o["wall-conflict"] = "foot"
    elif marker in ("side_far", "side_near") and rng.random() < 0.4:
        foot_wall = "toe_line_10cm"
        o["foot-wall-cm"] = round(10.0 + shoe_extra_cm, 1)
        o["wall-conflict"] = "angle"
    elif rng.random() < 0.2:
        foot_wall = "fixed"
        o["foot-wall-cm"] = round(rng.uniform(6, 15), 1)
        o["wall-conflict"] = rng.choice(["angle", "foot"])
    else:
        foot_wall = "auto"
        o["foot-wall-cm"] = "auto"
        o["wall-conflict"] = "foot"
    # ---- heel lift
    total_reps = reps * (2 if both else 1)
    lift_reps: list[int] = []
    if lift["mm"]:
        if lift["which"] == "all":
            lift_reps = list(range(1, total_reps + 1))
        else:
            lift_reps = sorted(rng.sample(range(1, total_reps + 1), 1 if lift["which"] == "one" else 2))
        o["heel-lift-mm"] = lift["mm"]
        o["heel-lift-reps"] = ",".join(map(str, lift_reps))
        o["heel-lift-onset"] = round(rng.uniform(0.3, 0.5) if lift["onset"] == "early" else rng.uniform(0.75, 0.9), 2)
    # ---- timing, picture
    w_h = _weighted(rng, RESOLUTIONS)
    fps = _weighted(rng, FPS_CHOICES)
    if fps == 60 and w_h[0] * w_h[1] > 854 * 480:
        fps = 30
    if both:
        duration = rng.uniform(12, 14)
    elif reps == 3:
        duration = rng.uniform(11, 13) if step_in else rng.uniform(10, 12)
    else:
        duration = rng.uniform(9, 11) if step_in else rng.uniform(8, 10)
    o.update({"width": w_h[0], "height": w_h[1], "fps": fps, "duration": round(duration, 1),
              "crf": rng.choice([21, 23, 23, 25, 28, 28, 30])})
    # ---- camera
    cam_height = rng.uniform(0.4, 1.2)
    yaw = rng.uniform(-5, 5) if rng.random() < 0.5 else rng.uniform(-15, 15)
    vfov = rng.uniform(45, 65) if w_h[0] > w_h[1] else rng.uniform(55, 65)
    if marker == "wall" and rng.random() < 0.5:
        yaw = rng.uniform(8, 15)
        o["marker-offset-cm"] = round(rng.uniform(22, 30), 1)
    elif marker == "wall":
        o["marker-offset-cm"] = round(rng.uniform(0, 20), 1)
    if marker == "floor":
        if rng.random() < 0.5:
            cam_height = rng.uniform(1.0, 1.2)
            yaw = rng.uniform(3, 10)
        o["marker-offset-cm"] = round(rng.uniform(10, 30), 1)
    if marker in ("side_far", "side_near"):
        o["marker"] = "side"
        o["card-side"] = "far" if marker == "side_far" else "near"
        o["marker-offset-cm"] = round(rng.uniform(8, 20) if marker == "side_far" else rng.uniform(12, 25), 1)
    elif marker != "none":
        o["marker"] = marker
        o["marker-mm"] = 150
    roll = 0.0
    if rolled:
        roll = round(rng.choice([-1, 1]) * rng.uniform(2, 5), 1)
    pitch_mode = "default"
    if rng.random() < 0.25:
        pitch_mode = "offset"
        pitch_offset = rng.choice([-1, 1]) * rng.uniform(2, 4)
        o["cam-pitch"] = round(_default_pitch_deg(cam_height, body.stature_cm / 100, vfov) + pitch_offset, 1)
    o.update({"cam-dist": "auto", "cam-height": round(cam_height, 2), "cam-yaw": round(yaw, 1),
              "cam-roll": roll, "vfov": round(vfov, 1)})
    # ---- light
    if light == "dim":
        o.update({"light": round(rng.uniform(0.5, 0.9), 2), "ambient": round(rng.uniform(0.25, 0.5), 2),
                  "noise": round(rng.uniform(4, 7), 1), "exposure": round(rng.uniform(0.75, 0.95), 2)})
    elif light == "bright":
        o.update({"light": round(rng.uniform(2.2, 2.8), 2), "ambient": round(rng.uniform(1.05, 1.35), 2),
                  "noise": round(rng.uniform(0.5, 1.5), 1), "exposure": round(rng.uniform(1.0, 1.25), 2)})
    else:
        o.update({"light": round(rng.uniform(1.3, 2.1), 2), "ambient": round(rng.uniform(0.75, 1.0), 2),
                  "noise": round(rng.uniform(1.0, 3.0), 1)})
    o.update({"light-az": round(rng.uniform(-60, 60)), "light-el": round(rng.uniform(35, 75))})
    # ---- posture
    if rng.random() < 0.3:
        o["lean-deg"] = round(rng.uniform(5, 20), 1)
    if rng.random() < 0.3:
        o["back-heel-deg"] = round(rng.uniform(0, 25), 1)
    if rng.random() < 0.12:
        o["arms"] = "down"
    # ---- tags
    legs_near = [near, not near] if both else [near]
    lift_legs = sorted({"near" if legs_near[(r - 1) // reps] else "far" for r in lift_reps})
    t.update({
        "marker": marker, "legs": "both" if both else "one", "leg": leg,
        "near_far": ("near+far" if near else "far+near") if both else ("near" if near else "far"),
        "legs_near": legs_near,
        "lift_mm": lift["mm"], "lift_onset": lift["onset"], "lift_reps": lift_reps, "lift_legs": lift_legs,
        "reps_total": total_reps, "peak_class": cls if cls_other is None else f"{cls}+{cls_other}",
        "peaks_requested_deg": all_peaks, "foot_wall": foot_wall, "step_in": step_in,
        "shoes": shoes, "bottoms": bottoms, "contrast": contrast, "background": background, "floor": floor,
        "roll": "0" if roll == 0 else "2-5", "roll_deg": roll, "pitch": pitch_mode,
        "cam_height_m": round(cam_height, 2), "yaw_requested_deg": round(yaw, 1),
        "yaw_class": "|yaw|<=5" if abs(yaw) <= 5 else "|yaw|>5", "vfov_deg": round(vfov, 1),
        "resolution": f"{w_h[0]}x{w_h[1]}", "orientation": "portrait" if w_h[1] > w_h[0] else "landscape",
        "fps": fps, "light": light, "duration_s": round(duration, 1),
    })
    return o, flags, t


def estimate_render_s(o: dict[str, Any], flags: list[str]) -> float:
    """Expected render time (s) on an idle core: posing plus frames x pixels, clothes geometry adds a share."""
    frames = float(o["duration"]) * float(o["fps"])
    per_frame_s = (RENDER_FRAME_S + RENDER_S_PER_MPIX_FRAME * o["width"] * o["height"] / 1e6
                   + (RENDER_SHOES_FRAME_S if "--shoes" in flags else 0.0)
                   + (RENDER_LOOSE_FRAME_S if o["bottoms"] == "loose" else 0.0))
    return RENDER_FIXED_S + frames * per_frame_s


def _lift_bucket(t: dict[str, Any]) -> str:
    """Coarse heel-lift class with the leg, for ordering: none, 2 mm, 4-6, 8-10, 15-25."""
    mm = t["lift_mm"]
    if not mm:
        return "0"
    size = "2" if mm == 2 else "4-6" if mm <= 6 else "8-10" if mm <= 10 else "15-25"
    return f"{size}:{'/'.join(t['lift_legs'])}"


def _order_keys(c: Clip) -> list[str]:
    """The tag values whose spread over any prefix of the set matters."""
    t = c.tags
    return [f"marker={t['marker']}", f"lift={_lift_bucket(t)}", f"liftleg={'/'.join(t['lift_legs']) or '-'}",
            f"nf={t['near_far']}", f"legs={t['legs']}", f"shoes={t['shoes']}", f"bottoms={t['bottoms']}",
            f"rollbg={t['roll']}/{t['background']}", f"roll={t['roll']}", f"peak={t['peak_class'].split('+')[0]}",
            f"split={c.body.split}", f"res={t['resolution']}", f"fps={t['fps']}", f"light={t['light']}",
            f"step={t['step_in']}", f"contrast={t['contrast']}", f"body={c.body.body_id}", f"fw={t['foot_wall']}",
            f"floor={t['floor']}"]


def order_clips(rng: random.Random, clips: list[Clip]) -> list[Clip]:
    """Greedy order: each next clip is the one whose tag values lag most behind their share of the whole set.

    A value seen k times that makes up a share s of the set costs k / s, so every value appears early once
    and then at its own rate: any prefix has about the set's mix (random ties, then the cheaper render).
    """
    share = Counter(k for c in clips for k in _order_keys(c))
    seen: Counter[str] = Counter()
    left = list(clips)
    rng.shuffle(left)
    out: list[Clip] = []
    while left:
        best = min(left, key=lambda c: (sum(seen[k] * len(clips) / share[k] for k in _order_keys(c)), c.est_render_s))
        left.remove(best)
        out.append(best)
        seen.update(_order_keys(best))
    return out


def prefix_problems(clips: list[Clip]) -> list[str]:
    """What the first clips lack of the agreed minimum (every marker placement, lifts near and far, ...)."""
    t = [c.tags for c in clips]
    need = {
        **{f"marker {m}": any(x["marker"] == m for x in t) for m in MARKER_SHARES},
        "lift >= 8 mm on a near leg": any(x["lift_mm"] >= 8 and "near" in x["lift_legs"] for x in t),
        "lift >= 8 mm on a far leg": any(x["lift_mm"] >= 8 and "far" in x["lift_legs"] for x in t),
        "roll on a plain background": any(x["roll"] != "0" and x["background"] == "plain" for x in t),
        "shoes": any(x["shoes"] for x in t),
        "loose trousers": any(x["bottoms"] == "loose" for x in t),
        "both legs": any(x["legs"] == "both" for x in t),
        "peak below 16 deg": any(min(x["peaks_requested_deg"]) < 16 for x in t),
        "peak above 50 deg": any(max(x["peaks_requested_deg"]) > 50 for x in t),
        "fit split": any(c.body.split == "fit" for c in clips),
        "report split": any(c.body.split == "report" for c in clips),
    }
    return [k for k, ok in need.items() if not ok]


def plan(seed: int, count: int) -> tuple[list[Body], list[Clip]]:
    """The whole set, deterministic for (seed, count), in render order."""
    rng = random.Random(seed)
    bodies = make_bodies(rng, N_BODIES)
    body_cycle = [bodies[k % len(bodies)] for k in range(count)]
    rng.shuffle(body_cycle)
    markers = _quota(rng, MARKER_SHARES, count)
    lifts = _lift_plans(rng, count)
    both = _quota(rng, {"both": 0.15, "one": 0.85}, count)
    step = _quota(rng, {"step": 0.5, "lunge": 0.5}, count)
    rolls = _quota(rng, {"roll": 0.2, "level": 0.8}, count)
    # light: lifted clips cycle through dim / bright / normal (lifts must be seen in every light), the rest by share
    lifted = [k for k in range(count) if lifts[k]["mm"] >= 4]
    lights = _quota(rng, {"dim": 0.22, "normal": 0.56, "bright": 0.22}, count - len(lifted))
    cycle = [["dim", "bright", "normal"][j % 3] for j in range(len(lifted))]
    rng.shuffle(cycle)
    light_of = dict(zip(lifted, cycle)) | dict(zip([k for k in range(count) if k not in lifted], lights))
    clips = []
    for k in range(count):
        clip_rng = random.Random(f"{seed}-{k}")  # one stream per clip: a change to one clip's plan moves no other
        opts, flags, tags = plan_clip(clip_rng, body_cycle[k], markers[k], lifts[k], both[k] == "both",
                                      step[k] == "step", light_of[k], rolls[k] == "roll", seed * 1000 + k)
        clips.append(Clip("", body_cycle[k], opts, flags, tags, estimate_render_s(opts, flags)))
    # at least two clips with roll on a plain background (issue 22: 3-5 deg of roll there cost 4 deg)
    rolled_plain = [c for c in clips if c.tags["roll"] != "0" and c.tags["background"] == "plain"]
    for c in [c for c in clips if c.tags["background"] == "plain" and c.tags["roll"] == "0"][: max(0, 2 - len(rolled_plain))]:
        c.options["cam-roll"] = c.tags["roll_deg"] = round(rng.choice([-1, 1]) * rng.uniform(3, 5), 1)
        c.tags["roll"] = "2-5"
    ordered = order_clips(rng, clips)
    for n, c in enumerate(ordered, 1):
        t = c.tags
        name = [f"r{n:03d}", c.body.body_id, t["marker"].replace("_", ""),
                f"{t['leg'][0].upper()}{t['near_far'].replace('+', '')}"]
        if t["legs"] == "both":
            name.append("both")
        if t["lift_mm"]:
            name.append(f"h{t['lift_mm']}")
        c.clip_id, c.order = "_".join(name), n
    return bodies, ordered


def command(c: Clip, out_mp4: Path, python: str, synth_dir: Path) -> list[str]:
    """The renderer's command line for one clip."""
    cmd = [python, str(synth_dir / "render_wblt.py"), "--out", str(out_mp4)]
    for k, v in c.options.items():
        cmd += [f"--{k}", str(v)]
    return cmd + c.flags


def manifest_entry(c: Clip) -> dict[str, Any]:
    """One clip as stored in manifest.json."""
    return {"id": c.clip_id, "order": c.order, "body": c.body.body_id, "split": c.body.split,
            "options": c.options, "flags": c.flags, "tags": c.tags, "est_render_s": round(c.est_render_s, 1),
            **c.status}


def tag_counts(clips: list[Clip]) -> dict[str, Any]:
    """Counts per tag value over the set, and the rep-level heel-lift counts."""
    out: dict[str, Any] = {}
    for key in ("marker", "legs", "near_far", "lift_mm", "lift_onset", "shoes", "bottoms", "contrast",
                "background", "floor", "roll", "pitch", "yaw_class", "resolution", "orientation", "fps", "light",
                "peak_class", "foot_wall", "step_in"):
        out[key] = dict(sorted(Counter(str(c.tags[key]) for c in clips).items()))
    out["split (clips)"] = dict(Counter(c.body.split for c in clips))
    out["split (bodies)"] = dict(Counter(b.split for b in {c.body for c in clips}))
    reps_by_lift: Counter[str] = Counter()
    lifted_by: Counter[str] = Counter()
    for c in clips:
        t = c.tags
        per_leg = t["reps_total"] // len(t["legs_near"])
        for r in range(1, t["reps_total"] + 1):
            mm = t["lift_mm"] if r in t["lift_reps"] else 0
            reps_by_lift[str(mm)] += 1
            if mm >= 4:
                lifted_by[f"{'near' if t['legs_near'][(r - 1) // per_leg] else 'far'} leg"] += 1
                lifted_by[f"{t['bottoms']}"] += 1
                lifted_by[f"light {t['light']}"] += 1
                lifted_by[f"onset {t['lift_onset']}"] += 1
                lifted_by[f"shoes {t['shoes']}"] += 1
    out["reps by heel lift mm"] = dict(sorted(reps_by_lift.items(), key=lambda kv: int(kv[0])))
    out["lifted reps (>= 4 mm) by"] = dict(sorted(lifted_by.items()))
    out["bodies"] = len({c.body.body_id for c in clips})
    out["peak range deg"] = [min(min(c.tags["peaks_requested_deg"]) for c in clips),
                             max(max(c.tags["peaks_requested_deg"]) for c in clips)]
    return out


def write_manifest(out_dir: Path, seed: int, count: int, bodies: list[Body], clips: list[Clip]) -> None:
    """manifest.json, written atomically (others read it while the set renders)."""
    doc = {"seed": seed, "count": count, "generator": "benchmarks/render_random_set.py",
           "bodies": [asdict(b) for b in bodies], "tag_counts": tag_counts(clips),
           "est_render_s_total": round(sum(c.est_render_s for c in clips)),
           "clips": [manifest_entry(c) for c in clips]}
    tmp = out_dir / "manifest.json.tmp"
    tmp.write_text(json.dumps(doc, indent=1))
    os.replace(tmp, out_dir / "manifest.json")


def render_one(c: Clip, out_dir: Path, python: str, synth_dir: Path) -> dict[str, Any]:
    """Render into OUT/.partial and move the MP4 and JSON in only when the renderer succeeds."""
    partial = out_dir / ".partial"
    partial.mkdir(exist_ok=True)
    (out_dir / "logs").mkdir(exist_ok=True)
    log_path = out_dir / "logs" / f"{c.clip_id}.log"
    start = time.time()
    with log_path.open("w") as log:
        rc = subprocess.run(command(c, partial / f"{c.clip_id}.mp4", python, synth_dir), stdout=log,
                            stderr=subprocess.STDOUT, check=False).returncode
    seconds = time.time() - start
    lines = [ln for ln in log_path.read_text(errors="replace").splitlines() if ln.startswith("[wblt]")]
    warnings = [ln for ln in lines if "WARNING" in ln]
    mp4, js = partial / f"{c.clip_id}.mp4", partial / f"{c.clip_id}.json"
    if rc == 0 and mp4.exists() and js.exists():
        os.replace(js, out_dir / js.name)
        os.replace(mp4, out_dir / mp4.name)
        return {"status": "rendered", "render_s": round(seconds, 1), "warnings": warnings}
    tail = log_path.read_text(errors="replace").splitlines()[-5:]
    return {"status": "failed", "rc": rc, "render_s": round(seconds, 1), "warnings": warnings, "log_tail": tail}


DERIVED_MAX_PIXELS = 1280 * 720  # the derived sets (heel sweep, roll pairs) are capped at 720p30: render time on a shared machine
DERIVED_MAX_FPS = 30


def derived_body(bodies: list[Body], rng: random.Random, k: int) -> Body:
    """Clip k's body in a derived set: 3 of every 5 from the random set's fit bodies, as its 60/40 split."""
    pool = [b for b in bodies if b.split == ("fit" if k % 5 < 3 else "report")]
    return pool[rng.randrange(len(pool))]


def cap_derived_size(opts: dict[str, Any]) -> None:
    """The planned resolution and frame rate capped at 720p30 (in place), keeping the orientation."""
    w, h = int(opts["width"]), int(opts["height"])
    if w * h > DERIVED_MAX_PIXELS:
        opts["width"], opts["height"] = (1280, 720) if w > h else (720, 1280)
    opts["fps"] = min(int(opts["fps"]), DERIVED_MAX_FPS)


def derived_set_main(description: str, generator: str, plan_fn: Callable[[int, int], list[Clip]], default_count: int) -> int:
    """main() of a set planned from this one's bodies (the heel sweep, the roll pairs): plan it, write its manifest,
    render what is missing one clip at a time."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--count", type=int, default=default_count)
    parser.add_argument("--only", default="", help="comma list of clip ids or id prefixes (e.g. p05,h003)")
    parser.add_argument("--dry-run", action="store_true")
    repo = Path(__file__).resolve().parents[1]
    parser.add_argument("--synth-dir", type=Path, default=repo.parent / "shared" / "synth")
    parser.add_argument("--python", default=str(Path.home() / ".cache/ankle-synth/venv/bin/python"))
    args = parser.parse_args()
    clips = plan_fn(args.seed, args.count)
    if args.dry_run:
        for c in clips:
            print(shlex.join(command(c, args.out / f"{c.clip_id}.mp4", args.python, args.synth_dir)))
        print(json.dumps(tag_counts(clips), indent=1), file=sys.stderr)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)

    def write() -> None:
        doc = {"seed": args.seed, "count": args.count, "generator": generator,
               "tag_counts": tag_counts(clips), "clips": [manifest_entry(c) for c in clips]}
        (args.out / "manifest.json.tmp").write_text(json.dumps(doc, indent=1))
        (args.out / "manifest.json.tmp").replace(args.out / "manifest.json")

    for c in clips:
        done = (args.out / f"{c.clip_id}.mp4").exists() and (args.out / f"{c.clip_id}.json").exists()
        c.status = {"status": "rendered" if done else "planned"}
    write()
    failed = 0
    only = [s for s in args.only.split(",") if s]
    for c in clips:
        if c.status["status"] == "rendered" or (only and not any(c.clip_id.startswith(s) for s in only)):
            continue
        print(f"rendering {c.clip_id}", flush=True)
        c.status = render_one(c, args.out, args.python, args.synth_dir)
        failed += c.status["status"] == "failed"
        print(f"{c.status['status']} {c.clip_id} in {c.status['render_s']:.0f} s", flush=True)
        write()
    return 1 if failed else 0


def main() -> int:
    """Plan the set, write the manifest, render what is missing one clip at a time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder (MP4 + truth JSON per clip)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--only", default="", help="comma list of clip ids or id prefixes (e.g. r001,r017)")
    parser.add_argument("--dry-run", action="store_true", help="print the commands and the tag counts only")
    repo = Path(__file__).resolve().parents[1]
    parser.add_argument("--synth-dir", type=Path,
                        default=Path(os.environ.get("SYNTH_DIR", repo.parent / "shared" / "synth")),
                        help="the renderer's folder (default $SYNTH_DIR or ../shared/synth from the repo)")
    parser.add_argument("--python", default=os.environ.get(
        "SYNTH_PYTHON", str(Path(os.environ.get("SYNTH_VENV", Path.home() / ".cache/ankle-synth/venv")) / "bin/python")))
    args = parser.parse_args()
    if args.count < 1:
        print("error: --count must be at least 1", file=sys.stderr)
        return 2
    bodies, clips = plan(args.seed, args.count)
    missing = prefix_problems(clips[:PREFIX_CHECKED])
    if missing and args.count >= 60:
        print(f"warning: the first {PREFIX_CHECKED} clips lack: {', '.join(missing)}", file=sys.stderr)
    only = [s for s in args.only.split(",") if s]
    chosen = [c for c in clips if not only or any(c.clip_id.startswith(s) for s in only)]
    if args.dry_run:
        for c in chosen:
            print(shlex.join(command(c, args.out / f"{c.clip_id}.mp4", args.python, args.synth_dir)))
        print(json.dumps(tag_counts(clips), indent=1), file=sys.stderr)
        print(f"estimated render time: {sum(c.est_render_s for c in chosen) / 60:.0f} min on an idle core",
              file=sys.stderr)
        return 0
    if not (args.synth_dir / "render_wblt.py").is_file():
        print(f"error: no render_wblt.py in {args.synth_dir} (give --synth-dir)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    old: dict[str, Any] = {}
    if (args.out / "manifest.json").exists():
        old_doc = json.loads((args.out / "manifest.json").read_text())
        if (old_doc.get("seed"), old_doc.get("count")) != (args.seed, args.count):
            print("error: OUT holds a set of another --seed/--count", file=sys.stderr)
            return 2
        old = {e["id"]: e for e in old_doc["clips"]}
    for c in clips:
        done = (args.out / f"{c.clip_id}.mp4").exists() and (args.out / f"{c.clip_id}.json").exists()
        keep = {k: old.get(c.clip_id, {}).get(k) for k in ("status", "render_s", "warnings", "rc", "log_tail")}
        c.status = {k: v for k, v in keep.items() if v is not None}
        c.status["status"] = "rendered" if done else c.status.get("status", "planned")
        if not done and c.status["status"] == "rendered":
            c.status["status"] = "planned"
    write_manifest(args.out, args.seed, args.count, bodies, clips)
    n_done = n_fail = 0
    for c in chosen:
        if (args.out / f"{c.clip_id}.mp4").exists() and (args.out / f"{c.clip_id}.json").exists():
            continue
        print(f"{time.strftime('%H:%M:%S')} rendering {c.clip_id} (est {c.est_render_s:.0f} s)", flush=True)
        c.status = render_one(c, args.out, args.python, args.synth_dir)
        n_done += c.status["status"] == "rendered"
        n_fail += c.status["status"] == "failed"
        print(f"{time.strftime('%H:%M:%S')} {c.status['status']} {c.clip_id} in {c.status['render_s']:.0f} s"
              + "".join(f"\n    {w}" for w in c.status["warnings"]), flush=True)
        write_manifest(args.out, args.seed, args.count, bodies, clips)
    print(f"done: {n_done} rendered, {n_fail} failed", flush=True)
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
