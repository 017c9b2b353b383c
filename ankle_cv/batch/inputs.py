"""Which videos a batch holds (files, folders, globs) and the output folder each one gets."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from ankle_cv.errors import InputError

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mts", ".3gp", ".mpg", ".mpeg", ".wmv"})
OUTPUT_FOLDER_SUFFIX = "_ankle_cv"  # analyze's default output folders: they hold annotated.mp4, never an input
GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class BatchInputs:
    """The videos found, in a stable order, and how many other files the folders and patterns held."""

    videos: tuple[Path, ...]
    ignored_files: int


def absolute(path: Path) -> Path:
    """The path from the root, with . and .. folded but symlinks kept (a study's folder of links keeps its names)."""
    return Path(os.path.abspath(path))


def _is_hidden(path: Path) -> bool:
    """Dot files and folders (.DS_Store, .tmp files of an interrupted write) are never inputs."""
    return any(part.startswith(".") and part not in (".", "..") for part in path.parts)


def _walk(folder: Path, out_dir: Path) -> tuple[list[Path], int]:
    """Video files under folder (sorted, recursive), skipping the batch's own outputs; and the count of other files."""
    found: list[Path] = []
    ignored = 0
    out_resolved = out_dir.resolve()
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.endswith(OUTPUT_FOLDER_SUFFIX)
                         and (here / d).resolve() != out_resolved)
        for name in sorted(files):
            path = here / name
            if name.startswith("."):
                continue
            if path.suffix.lower() in VIDEO_SUFFIXES:
                found.append(path)
            else:
                ignored += 1
    return found, ignored


def find_videos(inputs: tuple[str, ...], out_dir: Path) -> BatchInputs:
    """Expand files, folders and glob patterns; a named file is always taken, folders and patterns give videos only."""
    videos: list[Path] = []
    ignored = 0
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            found, skipped = _walk(path, out_dir)
        elif path.exists() or not GLOB_CHARS & set(text):
            found, skipped = [path], 0  # a missing file is kept: its row says "no such file"
        else:
            found, skipped = [], 0
            for match in sorted(glob.glob(text, recursive=True)):
                m = Path(match)
                if m.is_dir():
                    more, n = _walk(m, out_dir)
                    found += more
                    skipped += n
                elif m.suffix.lower() in VIDEO_SUFFIXES and not _is_hidden(m):
                    found.append(m)
                else:
                    skipped += 1
            if not found and not skipped:
                raise InputError(f"{text}: no file or folder matches this pattern")
        videos += found
        ignored += skipped
    unique: dict[Path, Path] = {}
    for video in videos:
        unique.setdefault(absolute(video), video)
    if not unique:
        raise InputError(f"no video files found in {', '.join(inputs)} (looked for {', '.join(sorted(VIDEO_SUFFIXES))})")
    return BatchInputs(tuple(unique.values()), ignored)


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
