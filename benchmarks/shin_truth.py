"""Truth of the shin's front outline on rendered clips and bodies (re-poses the renderer's body model; no rendering).

Runs in the renderer's venv, which has the body model (it imports ../shared/synth, or $ANKLE_SYNTH_DIR):

  ~/.cache/ankle-synth/venv/bin/python benchmarks/shin_truth.py clips CLIP.json ... --out-dir DIR [--step 2]
      per frame of each clip: the joint-centre inclination and the skin's front-outline angle over stretches of
      the shank (least-squares line; and a rigid 14 cm base resting on the outline, as a device does)
      -> DIR/<clip>.shin.json
  ~/.cache/ankle-synth/venv/bin/python benchmarks/shin_truth.py bodies OUT.json [--bodies 24] [--from-json CLIP.json ...]
      the outline's lean beyond the joint-centre axis per body at inclinations 0-50 deg (seeded random phenotypes)

The outline is the front leg's mesh seen along the subject's Y axis (the sagittal projection), sliced across the
ankle->knee axis every 2 mm (exact mesh/plane intersections; thigh and shank vertices: the foot's slices would cut
the toes at depth). The device's stretch is ankle_cv.kinematics.inclinometer.DEVICE_SPAN's definition.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

SYNTH = os.environ.get("ANKLE_SYNTH_DIR", str(Path(__file__).resolve().parents[2] / "shared" / "synth"))
sys.path.insert(0, SYNTH)

import render_wblt as rw  # noqa: E402  (the renderer, found through sys.path above)
from wblt_body import AnnyBody, age_years_to_anny  # noqa: E402
from wblt_motion import LegPlan, build_timeline, tested_legs  # noqa: E402

# The device, as in ankle_cv.kinematics.inclinometer (kept literal: the renderer's venv has no ankle_cv).
DEVICE_M = 0.14
TUBEROSITY_BELOW_KNEE = 0.07
DEVICE_BELOW_TUBEROSITY_M = 0.15
REFERENCE_SHANK_M = 0.42
DEVICE_CENTRE = 1.0 - TUBEROSITY_BELOW_KNEE - DEVICE_BELOW_TUBEROSITY_M / REFERENCE_SHANK_M
SPANS = {  # fractions of the ankle->knee joint-centre length, from the ankle
    "annotators_0.25_0.78": (0.25, 0.78),
    "analyzer_edge_0.30_0.80": (0.30, 0.80),
    "incl15_0.40_0.74": (0.40, 0.74),
}
SLICE_M = 0.002


def leg_edges(body: AnnyBody, leg: dict[str, Any]) -> np.ndarray:
    """(E, 2) vertex pairs of the mesh edges whose faces belong to this leg's thigh and shank."""
    keep = np.isin(body.dom_bone, list(set(leg["thigh"] + leg["shank"])))
    faces = body.faces[keep[body.faces].all(axis=1)]
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    return np.unique(np.sort(edges, axis=1), axis=0)


def profile(vertices: np.ndarray, edges: np.ndarray, ankle: np.ndarray, knee: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The foremost outline distance (m, + towards the wall) at shank fractions from the ankle, and the shank length."""
    axis = np.array([knee[0] - ankle[0], knee[2] - ankle[2]])
    length = float(np.linalg.norm(axis))
    u = axis / length
    forward = np.array([u[1], -u[0]])
    rel = np.stack([vertices[:, 0] - ankle[0], vertices[:, 2] - ankle[2]], axis=1)
    s, d = rel @ u, rel @ forward
    s0, s1, d0, d1 = s[edges[:, 0]], s[edges[:, 1]], d[edges[:, 0]], d[edges[:, 1]]
    lo, hi = np.minimum(s0, s1), np.maximum(s0, s1)
    levels = np.arange(0.0, length, SLICE_M)
    out = np.full(levels.size, np.nan)
    for k, level in enumerate(levels):
        cut = (lo <= level) & (hi > level)
        if cut.any():
            w = (level - s0[cut]) / (s1[cut] - s0[cut])
            out[k] = np.max(d0[cut] + w * (d1[cut] - d0[cut]))
    return levels / length, out, length


def lsq_lean_deg(fraction: np.ndarray, ahead: np.ndarray, length: float, span: tuple[float, float]) -> float:
    """The outline's least-squares line over the span, as an angle beyond the axis."""
    sel = (fraction >= span[0]) & (fraction <= span[1]) & np.isfinite(ahead)
    return math.degrees(math.atan(np.polyfit(fraction[sel] * length, ahead[sel], 1)[0]))


def resting_lean_deg(fraction: np.ndarray, ahead: np.ndarray, length: float, centre: float, span_length: float) -> float:
    """A rigid straight base of this length centred here, resting on the outline's forward hull, beyond the axis."""
    sel = (fraction >= centre - span_length / 2) & (fraction <= centre + span_length / 2) & np.isfinite(ahead)
    hull: list[tuple[float, float]] = []
    for p in zip(fraction[sel] * length, ahead[sel]):
        while len(hull) >= 2 and (hull[-1][0] - hull[-2][0]) * (p[1] - hull[-2][1]) - (hull[-1][1] - hull[-2][1]) * (p[0] - hull[-2][0]) >= 0:
            hull.pop()
        hull.append(p)
    c = centre * length
    for (xa, ya), (xb, yb) in itertools.pairwise(hull):
        if xa <= c <= xb:
            return math.degrees(math.atan((yb - ya) / (xb - xa)))
    return float("nan")


def _args(options: dict[str, Any]) -> argparse.Namespace:
    """The renderer's parsed options from a clip's `args` (or a phenotype dict)."""
    argv = ["--out", "/tmp/unused.mp4"]
    for key, value in options.items():
        if key == "out" or value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        argv += [flag] if value is True else [flag, str(value)]
    return rw.parse_args(argv)


def _truth_row(vertices: np.ndarray, heads: np.ndarray, plan: LegPlan, edges: np.ndarray) -> dict[str, float]:
    """One pose's joint-centre angle and outline angles (deg, + towards the wall)."""
    ankle, knee = heads[plan.F["ankle"]], heads[plan.F["knee"]]
    axis = math.degrees(math.atan2(knee[0] - ankle[0], knee[2] - ankle[2]))
    fraction, ahead, length = profile(vertices.astype(float), edges, ankle, knee)
    row = {"axis_deg": axis, "L_m": length}
    for name, span in SPANS.items():
        row["edge_lsq_" + name] = axis + lsq_lean_deg(fraction, ahead, length, span)
    row["edge_device_rest"] = axis + resting_lean_deg(fraction, ahead, length, DEVICE_CENTRE, DEVICE_M / length)
    return row


def clips_main(argv: list[str]) -> None:
    """Per-frame truth of rendered clips."""
    ap = argparse.ArgumentParser(prog="shin_truth.py clips")
    ap.add_argument("clips", nargs="+")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--step", type=int, default=2)
    ns = ap.parse_args(argv)
    out_dir = Path(ns.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in ns.clips:
        start = time.time()
        truth = json.loads(Path(path).read_text())
        a = _args(truth["args"])
        name = Path(path).stem
        dst = out_dir / f"{name}.shin.json"
        if dst.exists():
            continue
        body = AnnyBody(dict(truth["subject"]["phenotype"]))
        if a.shoes:
            body.set_floor_lift(a.shoe_sole_mm / 1000.0)
        timeline = build_timeline(a, round(a.duration * a.fps))
        plans = {leg: LegPlan(body, a, leg) for leg in tested_legs(a)}
        for plan in plans.values():
            plan.place(timeline, log=lambda *_: None)
        wanted = [i for i, fr in enumerate(timeline) if fr["phase"] == "test" and i % ns.step == 0
                  and not (a.step_in and fr["rep_phase"] in ("stand", "step_in", "step_out"))]
        rows = []
        for leg, plan in plans.items():
            mine = [i for i in wanted if timeline[i]["tested_leg"] == leg]
            if not mine:
                continue
            poses = [plan.pose(timeline[i]) for i in mine]
            vertices, heads = body.skin([p[0] for p in poses], [p[1] for p in poses])
            edges = leg_edges(body, plan.F)
            for j, i in enumerate(mine):
                rows.append({"frame": i, "leg": leg, "truth_axis_deg": truth["frames"][i]["tibial_inclination_deg"],
                             **_truth_row(vertices[j], heads[j], plan, edges)})
        dst.write_text(json.dumps({"clip": name, "device": {"centre_frac_from_ankle": DEVICE_CENTRE, "length_m": DEVICE_M},
                                   "frames": rows}))
        worst = max(abs(r["axis_deg"] - r["truth_axis_deg"]) for r in rows)
        print(f"{name}: {len(rows)} frames; re-posed joint angle within {worst:.3f} deg of the clip's truth; {time.time() - start:.0f} s",
              flush=True)


def bodies_main(argv: list[str]) -> None:
    """The outline's lean per body over a range of inclinations (heel down)."""
    ap = argparse.ArgumentParser(prog="shin_truth.py bodies")
    ap.add_argument("out")
    ap.add_argument("--bodies", type=int, default=0)
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--from-json", nargs="*", default=[])
    ap.add_argument("--thetas", default="0,10,20,30,35,40,45,50")
    ns = ap.parse_args(argv)
    keys = ("sex", "age_years", "muscle", "weight", "stature_cm", "proportions")
    specs = []
    for path in ns.from_json:
        args = json.loads(Path(path).read_text())["args"]
        specs.append((Path(path).stem, {k: args[k] for k in keys if args.get(k) is not None}, args.get("leg", "right")))
    rng = np.random.default_rng(ns.seed)
    for i in range(ns.bodies):
        specs.append((f"b{i:02d}", {
            "sex": round(float(rng.uniform(0, 1)), 2), "age_years": int(rng.uniform(18, 75)),
            "muscle": round(float(rng.uniform(0.1, 0.9)), 2), "weight": round(float(rng.uniform(0.2, 0.9)), 2),
            "stature_cm": int(rng.uniform(150, 195)), "proportions": round(float(rng.uniform(0.3, 0.7)), 2),
        }, "right"))
    thetas = [float(x) for x in ns.thetas.split(",")]
    results = []
    for name, phenotype, leg in specs:
        a = _args({**phenotype, "leg": leg})
        pheno = {"gender": a.sex, "age": age_years_to_anny(a.age_years), "muscle": a.muscle, "weight": a.weight,
                 "height": 0.5, "proportions": a.proportions}
        if a.stature_cm:
            pheno["height"] = rw.solve_stature(a.stature_cm / 100.0, pheno)
        body = AnnyBody(pheno)
        plan = LegPlan(body, a, leg)
        cfg = plan.cfg_for(0.6)
        poses = [plan.solve(cfg, th, 0.0, 0.0) for th in thetas]
        vertices, heads = body.skin([p[0] for p in poses], [p[1] for p in poses])
        edges = leg_edges(body, plan.F)
        rows = [{"theta_req": th, **_truth_row(vertices[j], heads[j], plan, edges)} for j, th in enumerate(thetas)]
        results.append({"name": name, "phenotype": phenotype, "leg": leg, "stature_m": body.stature, "rows": rows})
        print(name, " ".join(f"{r['axis_deg']:.0f}:{r['edge_lsq_incl15_0.40_0.74'] - r['axis_deg']:.1f}" for r in rows), flush=True)
    Path(ns.out).write_text(json.dumps(results))


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("clips", "bodies"):
        raise SystemExit(__doc__)
    (clips_main if sys.argv[1] == "clips" else bodies_main)(sys.argv[2:])
