"""Which videos a batch holds (files, folders, globs) and the output folder each one gets."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from ankle_cv.batch.table import JSON_NAME
from ankle_cv.errors import InputError
from ankle_cv.io.output_set import LAST as RESULT_NAME

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mts", ".3gp", ".mpg", ".mpeg", ".wmv"})
OUTPUT_FOLDER_SUFFIX = "_ankle_cv"  # analyze's default output folders: they hold annotated.mp4, never an input
GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class BatchInputs:
    """The videos found, in a stable order; how many other files, and how many earlier ankle-cv output folders, were passed over."""

    videos: tuple[Path, ...]
    ignored_files: int
    output_folders: int = 0


def absolute(path: Path) -> Path:
    """The path from the root, with . and .. folded but symlinks kept (a study's folder of links keeps its names)."""
    return Path(os.path.abspath(path))


def _is_hidden(path: Path) -> bool:
    """Dot files and folders (.DS_Store, .tmp files of an interrupted write) are never inputs."""
    return any(part.startswith(".") and part not in (".", "..") for part in path.parts)


def is_output_folder(folder: Path) -> bool:
    """A folder an earlier analyze, live or batch wrote (its result.json or batch.json): its annotated.mp4 is our drawing
    on a patient's video, never a new input, whatever --out it was given."""
    return (folder / RESULT_NAME).is_file() or (folder / JSON_NAME).is_file()


@dataclass
class _Walk:
    """What one folder walk found and passed over."""

    videos: list[Path]
    ignored: int = 0
    outputs: int = 0


def _walk(folder: Path, out_dir: Path) -> _Walk:
    """Video files under folder (sorted, recursive), skipping the batch's own and earlier runs' outputs, with counts."""
    walk = _Walk([])
    out_resolved = out_dir.resolve()
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        kept = []
        for d in sorted(dirs):
            if d.startswith(".") or d.endswith(OUTPUT_FOLDER_SUFFIX) or (here / d).resolve() == out_resolved:
                continue
            if is_output_folder(here / d):
                walk.outputs += 1
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            if name.startswith("."):
                continue
            if path.suffix.lower() in VIDEO_SUFFIXES:
                walk.videos.append(path)
            else:
                walk.ignored += 1
    return walk


def _in_output_folder(match: Path, pattern: str) -> bool:
    """Whether a pattern's match lies in an earlier run's output folder below the pattern's fixed part."""
    fixed = absolute(Path(pattern[:min(pattern.index(c) for c in GLOB_CHARS if c in pattern)]).parent)
    return any(is_output_folder(p) for p in absolute(match).parents if p != fixed and p.is_relative_to(fixed))


def find_videos(inputs: tuple[str, ...], out_dir: Path) -> BatchInputs:
    """Expand files, folders and glob patterns; a named file is always taken, folders and patterns give videos only."""
    videos: list[Path] = []
    ignored = outputs = 0
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            walk = _walk(path, out_dir)
        elif path.exists() or not GLOB_CHARS & set(text):
            walk = _Walk([path])  # a missing file is kept: its row says "no such file"
        else:
            walk = _Walk([])
            for match in sorted(glob.glob(text, recursive=True)):
                m = Path(match)
                if m.is_dir():
                    if is_output_folder(m):
                        walk.outputs += 1
                        continue
                    more = _walk(m, out_dir)
                    walk.videos += more.videos
                    walk.ignored += more.ignored
                    walk.outputs += more.outputs
                elif m.suffix.lower() in VIDEO_SUFFIXES and not _is_hidden(m):
                    if _in_output_folder(m, text):
                        walk.outputs += 1
                        continue
                    walk.videos.append(m)
                else:
                    walk.ignored += 1
            if not walk.videos and not walk.ignored and not walk.outputs:
                raise InputError(f"{text}: no file or folder matches this pattern")
        videos += walk.videos
        ignored += walk.ignored
        outputs += walk.outputs
    unique: dict[Path, Path] = {}
    for video in videos:
        unique.setdefault(absolute(video), video)
    if not unique:
        raise InputError(f"no video files found in {', '.join(inputs)} (looked for {', '.join(sorted(VIDEO_SUFFIXES))}"
                         + (f"; {outputs} earlier ankle-cv output folder(s) skipped" if outputs else "") + ")")
    return BatchInputs(tuple(unique.values()), ignored, outputs)


def output_names(videos: tuple[Path, ...]) -> dict[Path, str]:
    """Each video's output folder under --out: its path below the videos' common folder, without the suffix.

    clinic/P01/left.mp4 and clinic/P02/left.mp4 give P01/left and P02/left; two files that differ only in
    their suffix (a.mp4, a.mov) keep it (a_mp4, a_mov).
    """
    parents = [str(absolute(v).parent) for v in videos]
    root = Path(os.path.commonpath(parents))
    stems = [absolute(v).relative_to(root).with_suffix("").as_posix() for v in videos]
    names: dict[Path, str] = {}
    for video, stem in zip(videos, stems, strict=True):
        clash = stems.count(stem) > 1
        names[video] = f"{stem}_{video.suffix.lstrip('.').lower()}" if clash else stem
    return names
