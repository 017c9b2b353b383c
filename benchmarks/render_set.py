"""The clips of a rendered set (benchmarks/render_random_set.py's manifest.json), chosen by split and id prefix.

Shared by the diagnosis scripts that walk a set with `--set --cache --split --only --json` (duplicates: the same
argparse and manifest lines were written again per script).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_set_options(ap: argparse.ArgumentParser) -> None:
    """The options every set-walking script takes: the set, its landmark cache, a split, id prefixes, a JSON output."""
    ap.add_argument("--set", type=Path, required=True, help="folder with manifest.json and the clips")
    ap.add_argument("--cache", type=Path, default=None, help="landmark cache folder (e.g. /work/cache/<set>)")
    ap.add_argument("--split", choices=["fit", "report", "all"], default="all")
    ap.add_argument("--only", default="", help="comma list of clip ids or id prefixes")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows here")


def set_clips(set_dir: Path, split: str = "all", only: str = "") -> list[tuple[dict[str, Any], Path]]:
    """(manifest entry, video) of each clip of the split whose id starts with one of `only`'s prefixes and whose video
    and truth .json are both there (a set still rendering lists clips not yet written)."""
    manifest = json.loads((set_dir / "manifest.json").read_text())
    entries = manifest["clips"] if isinstance(manifest, dict) else manifest
    prefixes = [p for p in only.split(",") if p]
    out = []
    for entry in entries:
        clip_id = entry.get("id") or entry.get("clip")
        video = set_dir / f"{clip_id}.mp4"
        if split != "all" and entry.get("split") != split:
            continue
        if (prefixes and not any(clip_id.startswith(p) for p in prefixes)) or not video.exists():
            continue
        if video.with_suffix(".json").exists():
            out.append((entry, video))
    return out
