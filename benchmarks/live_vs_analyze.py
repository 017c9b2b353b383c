"""Live mode against analyze on the same file (issue 20): `live --camera FILE --headless` N times and `analyze` once.

Usage: python benchmarks/live_vs_analyze.py VIDEO [VIDEO ...] [--runs 5] [--model full]
Run it on a quiet machine (live plays the file in real time; a slow machine drops frames, and then says so).

Prints one row per run: reps (angle, V valid / X invalid with the first reason), category, scale method,
frames measured/captured (live) and whether reps and verdicts equal analyze's (same count, same sides and
verdicts, angles within 0.05 deg).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANGLE_TOL_DEG = 0.05


def _cli(*args: str) -> subprocess.CompletedProcess:
    """ankle-cv from this checkout."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "ankle_cv.cli", *args], capture_output=True, text=True, env=env, cwd=REPO)


def _reps(result: dict) -> str:
    """'1:35.7 V; 2:39.4 X heel lifted' (joint-centre angle, verdict, first reason)."""
    out = []
    for r in result["reps"]:
        verdict = "V" if r["valid"] else "X " + r["invalid_reasons"][0].split(" (")[0]
        out.append(f"{r['index']}:{r['tibial_inclination_deg']} {verdict}")
    return "; ".join(out) or "none"


def _same(a: dict, b: dict) -> str:
    """'yes', or what differs between two results' reps."""
    ra, rb = a["reps"], b["reps"]
    if len(ra) != len(rb):
        return f"no: {len(rb)} reps, analyze {len(ra)}"
    diffs = []
    for x, y in zip(ra, rb):
        if (x["side"], x["valid"], x["heel_lifted"]) != (y["side"], y["valid"], y["heel_lifted"]):
            diffs.append(f"rep {y['index']} verdict")
        elif x["tibial_inclination_deg"] is None or y["tibial_inclination_deg"] is None \
                or abs(x["tibial_inclination_deg"] - y["tibial_inclination_deg"]) > ANGLE_TOL_DEG:
            diffs.append(f"rep {y['index']} {y['tibial_inclination_deg']} vs {x['tibial_inclination_deg']}")
    if a["result"]["category"] != b["result"]["category"]:
        diffs.append(f"category {b['result']['category']} vs {a['result']['category']}")
    if (a["scale"] or {}).get("method") != (b["scale"] or {}).get("method"):
        diffs.append("scale")
    return "yes" if not diffs else "no: " + ", ".join(diffs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("videos", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", default="full")
    args = parser.parse_args()
    print("| clip | run | reps (angle, valid/why) | category | scale | frames measured/captured | same as analyze? | wall s |")
    print("|---|---|---|---|---|---|---|---|")
    all_same = True
    with tempfile.TemporaryDirectory() as tmp:
        for video in args.videos:
            out = Path(tmp) / f"{video.stem}_analyze"
            proc = _cli("analyze", str(video.resolve()), "--out", str(out), "--json-only", "--force", "--model", args.model)
            if proc.returncode not in (0, 3):
                print(f"| {video.stem} | analyze | failed: {proc.stderr.strip()[:200]} |")
                return 2
            ref = json.loads((out / "result.json").read_text())
            print(f"| {video.stem} | analyze | {_reps(ref)} | {ref['result']['category']} | "
                  f"{(ref['scale'] or {}).get('method')} | all {ref['input']['analysed_frames']} analysed | - | - |", flush=True)
            for run in range(1, args.runs + 1):
                out = Path(tmp) / f"{video.stem}_live{run}"
                start = time.perf_counter()
                proc = _cli("live", "--camera", str(video.resolve()), "--headless", "--out", str(out), "--model", args.model)
                wall = time.perf_counter() - start
                if not (out / "result.json").exists():
                    print(f"| {video.stem} | live {run} | exit {proc.returncode}: {proc.stderr.strip()[:200]} |", flush=True)
                    all_same = False
                    continue
                res = json.loads((out / "result.json").read_text())
                live = res["input"]  # the live session's counts are flat in input
                dropped = [w for w in res["quality"]["warnings"] if "dropped" in w]
                frames = f"{live.get('frames_measured')}/{live.get('frames_captured')}" + (f" ({dropped[0][:60]})" if dropped else "")
                same = _same(ref, res)
                all_same &= same == "yes"
                announced = sum(1 for line in proc.stdout.splitlines() if line.strip().startswith("rep ") and ":" in line.split()[1])
                print(f"| {video.stem} | live {run} (exit {proc.returncode}, {announced} reps announced) | {_reps(res)} | "
                      f"{res['result']['category']} | {(res['scale'] or {}).get('method')} | {frames} | {same} | {wall:.0f} |", flush=True)
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
