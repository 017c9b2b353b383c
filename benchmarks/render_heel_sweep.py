"""Render a seeded heel-lift sweep with ../shared/synth: lifts 0-25 mm on the near and the far leg (issue 22, item 2).

The randomised set (render_random_set.py) holds too few lifted reps, on the far leg above all, to show how the
heel reading behaves per lift size. This sweep takes the same bodies (same --seed: each body keeps its fit/report
split) and the same random clothes, floors, cameras and light as that set's plan_clip, and fixes what the heel
reading depends on: the lift (2, 4, 6, 8, 10, 15, 20, 25 mm), its onset (early/late), the tested leg near or
far from the camera, and the light (dim, normal, bright in turn). Three reps per clip, the middle one with the
heel down (a flat heel filmed in the same set-up), the others lifted. Resolution capped at 1280x720 and 30 fps
(render time on a shared machine).

Usage:
    python benchmarks/render_heel_sweep.py --out /work/renders/heel_sweep [--seed 1205] [--count 24] [--dry-run]

Output as render_random_set.py (OUT/<id>.mp4 + .json, OUT/manifest.json): benchmarks/score_renders.py and
benchmarks/heel_tradeoff.py read it.
"""

from __future__ import annotations

import random
import sys

from render_random_set import (
    N_BODIES,
    Clip,
    cap_derived_size,
    derived_body,
    derived_set_main,
    estimate_render_s,
    make_bodies,
    plan_clip,
)

SWEEP_MM = (8, 2, 15, 4, 25, 6, 10, 20)  # the order a prefix covers best: around the 8 mm / 2 mm targets first
LIFTED_REPS = "1,3"


def plan_sweep(seed: int, count: int) -> list[Clip]:
    """The sweep's clips, deterministic for (seed, count): lift size, leg, onset and light cycle, the rest is random."""
    bodies = make_bodies(random.Random(seed), N_BODIES)
    rng = random.Random(f"{seed}-heel-sweep")
    clips = []
    for k in range(count):
        mm = SWEEP_MM[k % len(SWEEP_MM)]
        far = (k // len(SWEEP_MM)) % 2 == (k % 2)  # near and far alternate, and swap per round of sizes
        onset = "early" if (k // 2) % 2 else "late"
        light = ("dim", "normal", "bright")[k % 3]
        body = derived_body(bodies, rng, k)
        lift = {"mm": mm, "onset": onset if mm else None, "which": "all" if mm else None}
        opts, flags, tags = plan_clip(random.Random(f"{seed}-heel-{k}"), body, "none", lift, False, rng.random() < 0.3,
                                      light, False, seed * 1000 + 500 + k)
        leg = str(opts["leg"])
        opts["wall-side"] = ("left" if leg == "right" else "right") if far else leg
        opts["reps"] = 3
        peaks = str(opts["peak-deg"]).split(",")
        opts["peak-deg"] = ",".join((peaks * 3)[:3])
        opts["duration"] = max(float(opts["duration"]), 12.0 if "--step-in" in flags else 10.5)
        if mm:
            opts["heel-lift-reps"] = LIFTED_REPS
        cap_derived_size(opts)
        tags.update({"near_far": "far" if far else "near", "legs_near": [not far], "reps_total": 3,
                     "lift_reps": [1, 3] if mm else [], "lift_legs": (["far"] if far else ["near"]) if mm else [],
                     "resolution": f"{opts['width']}x{opts['height']}", "fps": opts["fps"]})
        c = Clip("", body, opts, flags, tags, estimate_render_s(opts, flags))
        c.clip_id = f"h{k + 1:03d}_{body.body_id}_{leg[0].upper()}{'far' if far else 'near'}_h{mm}"
        c.order = k + 1
        clips.append(c)
    return clips


def main() -> int:
    """Plan the set, write the manifest, render what is missing one clip at a time."""
    return derived_set_main(__doc__.splitlines()[0], "benchmarks/render_heel_sweep.py", plan_sweep, 24)


if __name__ == "__main__":
    sys.exit(main())
