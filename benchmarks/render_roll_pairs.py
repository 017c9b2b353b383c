"""Render pairs of knee-to-wall clips that differ only in the camera's roll, on a plain background (issue 22, item 4).

"3-5 deg of roll on a plain background must cost at most 1 deg": the cost of a roll is the change in each rep's error
between a clip and the same clip filmed level, so every pair shares body, clothes, light, camera place, turn and tilt,
and the movement; only `--cam-roll` differs (0 and +/-3..5 deg). No marker, no room: the backdrop is the renderer's
plain one (a back wall and a floor), the case where only the scene's own lines or the person can give the vertical.
The bodies and their fit/report split are the randomised set's (render_random_set.py, same --seed).

Usage:
    python benchmarks/render_roll_pairs.py --out /work/renders/roll_pairs [--seed 1205] [--count 6] [--dry-run]

Output as render_random_set.py (OUT/<id>.mp4 + .json, OUT/manifest.json, resumable); the pair's ids end in _r0 and
_rN; benchmarks/score_renders.py scores them and benchmarks/roll_cost.py compares each pair rep by rep.
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


def plan_pairs(seed: int, count: int) -> list[Clip]:
    """Pairs of clips (level, rolled), deterministic for (seed, count); the roll's sign alternates."""
    bodies = make_bodies(random.Random(seed), N_BODIES)
    rng = random.Random(f"{seed}-roll-pairs")
    clips = []
    for k in range(count):
        body = derived_body(bodies, rng, k)
        opts, flags, tags = plan_clip(random.Random(f"{seed}-roll-{k}"), body, "none", {"mm": 0, "onset": None, "which": None},
                                      False, rng.random() < 0.3, ("dim", "normal", "bright")[k % 3], False, seed * 1000 + 700 + k)
        opts["background"] = tags["background"] = "plain"
        cap_derived_size(opts)
        roll = round((1 if k % 2 == 0 else -1) * rng.uniform(3.0, 5.0), 1)
        leg = str(opts["leg"])
        for r in (0.0, roll):
            o = dict(opts, **{"cam-roll": r})
            t = dict(tags, roll="0" if r == 0 else "3-5", roll_deg=r, pair=k + 1,
                     resolution=f"{o['width']}x{o['height']}", fps=o["fps"])
            c = Clip("", body, o, list(flags), t, estimate_render_s(o, flags))
            c.clip_id = f"p{k + 1:02d}_{body.body_id}_{leg[0].upper()}_r{abs(r):g}".replace(".", "p")
            c.order = 2 * k + (1 if r else 0) + 1
            clips.append(c)
    return clips


def main() -> int:
    """Plan the set, write the manifest, render what is missing one clip at a time."""
    return derived_set_main(__doc__.splitlines()[0], "benchmarks/render_roll_pairs.py", plan_pairs, 6)


if __name__ == "__main__":
    sys.exit(main())
