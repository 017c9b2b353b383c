"""Render a small controlled family for the edge line's trust (issue 19 item 2): where the mask may lose the shin.

Two conditions from the random_v3 holdout (r015: a pale shin in shorts before the white side sheet, low contrast;
r016: black trousers and shoes on a black floor, dim, portrait), each with matched good-contrast controls that keep
body, camera and movement and change only what lies behind or on the shin. 8 s clips, 2 reps, 640x360-960x540, four
bodies of our own (all 'fit': the family is for fitting a cue, never for reporting).

Usage:
    python benchmarks/render_edge_family.py --out /work/renders/s16edge_family [--dry-run]

Output as render_random_set.py (OUT/<id>.mp4 + .json, OUT/manifest.json with body, split and tags, resumable).
"""

from __future__ import annotations

import sys
from typing import Any

from render_random_set import Body, Clip, derived_set_main, estimate_render_s

BODIES = {
    "e1": Body("e1", "fit", 0.0, 30.0, 185.0, 0.6, 0.5, 0.55, "light", "#6b4a2b"),
    "e2": Body("e2", "fit", 1.0, 35.0, 160.0, 0.45, 0.3, 0.5, "light", "#3b2a1b"),
    "e3": Body("e3", "fit", 0.2, 50.0, 175.0, 0.7, 0.4, 0.45, "medium", "#2b2b2b"),
    "e4": Body("e4", "fit", 0.9, 25.0, 168.0, 0.35, 0.6, 0.5, "tan", "#6b4a2b"),
}
LEG = {"e1": "right", "e2": "left", "e3": "right", "e4": "left"}  # a matched pair keeps its leg and wall side
PALE = {"bottoms": "shorts", "shorts-color": "#695743", "socks-color": "#ece4dc", "light": 1.6, "ambient": 0.95, "noise": 1.5}
BLACK = {"bottoms": "long", "shorts-color": "#1a1a17", "shoe-color": "#0c0d0d", "sole-color": "#2a2826", "floor": "plain",
         "floor-color": "#131517", "light": 0.63, "ambient": 0.4, "exposure": 0.88, "noise": 6.0}
# id suffix, body, condition tag, options, flags
PLAN: list[tuple[str, str, str, dict[str, Any], list[str]]] = [
    ("pale_sheet", "e1", "pale_sheet", {**PALE, "wall-color": "#efc2a2", "marker": "side", "card-side": "far", "marker-offset-cm": 12,
                                        "shoe-color": "#dcdcdc", "sole-color": "#f0f0f0", "background": "plain", "floor": "tile",
                                        "floor-color": "#7a6abd", "width": 640, "height": 360, "cam-yaw": -5, "cam-height": 1.1,
                                        "peak-deg": "45,45"}, ["--shoes", "--step-in"]),
    ("pale_nosheet", "e1", "pale_control", {**PALE, "wall-color": "#efc2a2", "marker": "none", "shoe-color": "#dcdcdc",
                                            "sole-color": "#f0f0f0", "background": "plain", "floor": "tile", "floor-color": "#7a6abd",
                                            "width": 640, "height": 360, "cam-yaw": -5, "cam-height": 1.1, "peak-deg": "45,45"},
     ["--shoes", "--step-in"]),
    ("pale_sheet", "e2", "pale_sheet", {**PALE, "wall-color": "#f0ece6", "marker": "side", "card-side": "far", "marker-offset-cm": 8,
                                        "background": "room", "floor": "wood", "width": 960, "height": 540, "cam-yaw": 0,
                                        "cam-height": 0.9, "peak-deg": "35,38"}, []),
    ("dark_sheet", "e2", "pale_control", {**PALE, "skin": "dark", "wall-color": "#f0ece6", "marker": "side", "card-side": "far",
                                          "marker-offset-cm": 8, "background": "room", "floor": "wood", "width": 960, "height": 540,
                                          "cam-yaw": 0, "cam-height": 0.9, "peak-deg": "35,38"}, []),
    ("pale_sheet", "e3", "pale_sheet", {**PALE, "wall-color": "#e9dccf", "marker": "side", "card-side": "far", "marker-offset-cm": 15,
                                        "shoe-color": "#f2f2f2", "sole-color": "#f4f4f4", "background": "plain", "floor": "carpet",
                                        "floor-color": "#8a8478", "width": 640, "height": 360, "cam-yaw": 4, "cam-height": 0.6,
                                        "peak-deg": "40,40"}, ["--shoes", "--step-in"]),
    ("pale_sheet_bluewall", "e3", "pale_control", {**PALE, "wall-color": "#6f7f90", "marker": "side", "card-side": "far",
                                                   "marker-offset-cm": 15, "shoe-color": "#f2f2f2", "sole-color": "#f4f4f4",
                                                   "background": "plain", "floor": "carpet", "floor-color": "#8a8478", "width": 640,
                                                   "height": 360, "cam-yaw": 4, "cam-height": 0.6, "peak-deg": "40,40"},
     ["--shoes", "--step-in"]),
    # r015's scene (random_v3, seed 1207) with another body: skin-coloured socks, grey-green shoes, the knee at the wall, the
    # camera turned towards it, the card just behind the lower shin at the peak
    ("r015_scene", "e4", "pale_sheet", {**PALE, "skin": "light", "wall-color": "#efc2a2", "marker": "side", "card-side": "far",
                                        "marker-offset-cm": 12.9, "socks-color": "#c99585", "shoe-color": "#96a8a5",
                                        "sole-color": "#f0f0f0", "shoe-sole-mm": 27, "background": "plain", "floor": "tile",
                                        "floor-color": "#7a6abd", "width": 640, "height": 360, "cam-yaw": -6.9, "cam-height": 1.1,
                                        "vfov": 55.8, "light": 1.63, "light-az": 44, "light-el": 46, "peak-deg": "46.7,46.7"},
     ["--shoes", "--step-in"]),
    ("black_dim_portrait", "e2", "black_dim", {**BLACK, "skin": "tan", "marker": "floor", "marker-offset-cm": 20, "marker-mm": 150,
                                               "background": "room", "wall-color": "#d8c5b7", "width": 480, "height": 854,
                                               "cam-yaw": 3, "cam-height": 1.09, "peak-deg": "15,20", "start-deg": 1.8},
     ["--shoes", "--step-in"]),
    ("grey_normal_portrait", "e2", "black_control", {**BLACK, "skin": "tan", "marker": "floor", "marker-offset-cm": 20, "marker-mm": 150,
                                                     "background": "room", "wall-color": "#d8c5b7", "width": 480, "height": 854,
                                                     "cam-yaw": 3, "cam-height": 1.09, "peak-deg": "15,20", "start-deg": 1.8,
                                                     "shorts-color": "#7a7a78", "shoe-color": "#5a6a7a", "floor": "wood",
                                                     "floor-color": "#a08060", "light": 1.5, "ambient": 0.9, "exposure": 1.0, "noise": 2.0},
     ["--shoes", "--step-in"]),
    ("black_dim", "e1", "black_dim", {**BLACK, "marker": "none", "background": "room", "wall-color": "#c8c0b0", "width": 640,
                                      "height": 360, "cam-yaw": -3, "cam-height": 0.8, "peak-deg": "32,35"}, ["--shoes"]),
    ("black_dim_lightfloor", "e1", "black_control", {**BLACK, "marker": "none", "background": "room", "wall-color": "#c8c0b0",
                                                     "width": 640, "height": 360, "cam-yaw": -3, "cam-height": 0.8,
                                                     "peak-deg": "32,35", "floor-color": "#b0a080", "light": 1.3, "ambient": 0.8,
                                                     "exposure": 1.0, "noise": 2.0}, ["--shoes"]),
    ("r015_scene", "e1", "pale_sheet", {**PALE, "skin": "light", "wall-color": "#efc2a2", "marker": "side", "card-side": "far",
                                        "marker-offset-cm": 12.9, "socks-color": "#c99585", "shoe-color": "#96a8a5",
                                        "sole-color": "#f0f0f0", "shoe-sole-mm": 27, "background": "plain", "floor": "tile",
                                        "floor-color": "#7a6abd", "width": 640, "height": 360, "cam-yaw": -6.9, "cam-height": 1.1,
                                        "vfov": 55.8, "light": 1.63, "light-az": 44, "light-el": 46, "peak-deg": "46.7,46.7"},
     ["--shoes", "--step-in"]),
]


def plan_family(seed: int, count: int) -> list[Clip]:
    """The family's clips in order (count caps how many; the plan is fixed, the seed only seeds the renderer)."""
    clips = []
    for k, (name, body_id, cond, extra, flags) in enumerate(PLAN[:count]):
        body = BODIES[body_id]
        o: dict[str, Any] = {"seed": seed * 1000 + k, "sex": body.sex, "age-years": body.age_years, "stature-cm": body.stature_cm,
                             "weight": body.weight, "muscle": body.muscle, "proportions": body.proportions, "skin": body.skin,
                             "hair-color": body.hair_color, "leg": LEG[body_id], "reps": 2,
                             "shirt-color": "#8fa3b8", "foot-wall-cm": "auto", "wall-conflict": "foot", "fps": 30, "duration": 8.0,
                             "crf": 21, "cam-dist": "auto", "cam-roll": 0.0, "vfov": 55.0, "light-az": 40, "light-el": 50}
        o.update(extra)
        o["wall-side"] = o["leg"]
        tags = {"condition": cond, "marker": str(o["marker"]) + ("_far" if o["marker"] == "side" else ""), "bottoms": o["bottoms"],
                "shoes": "--shoes" in flags, "step_in": "--step-in" in flags, "resolution": f"{o['width']}x{o['height']}",
                "near_far": "near", "legs": "one", "leg": o["leg"], "reps_total": 2, "fps": 30, "lift_mm": 0, "lift_reps": [],
                "lift_legs": [], "contrast": "low" if cond in ("pale_sheet", "black_dim") else "normal", "lift_onset": None,
                "background": o["background"], "floor": o.get("floor", "wood"), "roll": "0", "roll_deg": 0.0, "pitch": "default",
                "yaw_class": "|yaw|>5" if abs(float(o["cam-yaw"])) > 5 else "|yaw|<=5", "yaw_requested_deg": o["cam-yaw"],
                "orientation": "portrait" if o["height"] > o["width"] else "landscape", "light": "dim" if o["light"] < 1.0 else "normal",
                "peak_class": "set", "foot_wall": "auto", "legs_near": [True],
                "peaks_requested_deg": [float(p) for p in str(o["peak-deg"]).split(",")]}
        c = Clip(f"s{k + 1:02d}_{body_id}_{name}", body, o, list(flags), tags, estimate_render_s(o, flags))
        c.order = k + 1
        clips.append(c)
    return clips


def main() -> int:
    """Plan the family, write the manifest, render what is missing one clip at a time."""
    return derived_set_main(__doc__.splitlines()[0], "benchmarks/render_edge_family.py", plan_family, len(PLAN))


if __name__ == "__main__":
    sys.exit(main())
