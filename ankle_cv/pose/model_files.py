"""Locate the bundled MediaPipe pose landmarker models (nothing is downloaded at run time)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

MODEL_DIR_ENV = "ANKLE_CV_MODEL_DIR"

MODEL_FILES: dict[str, str] = {
    "full": "pose_landmarker_full.task",
    "lite": "pose_landmarker_lite.task",
}

# Must match models/README.md; models/build_pose_model.py rebuilds "full" bit for bit.
MODEL_SHA256: dict[str, str] = {
    "full": "524cb8fbcb31e952f53aa068ce4ccb2398e51f17256fc947e8cd7262436d7ecb",
    "lite": "59929e1d1ee95287735ddd833b19cf4ac46d29bc7afddbbf6753c459690d574a",
}


def model_dirs() -> list[Path]:
    """Return the directories searched for models, in order of preference."""
    dirs = []
    env = os.environ.get(MODEL_DIR_ENV)
    if env:
        dirs.append(Path(env).expanduser())
    package = Path(__file__).resolve().parents[1]  # ankle_cv/ (this module is ankle_cv/pose/model_files.py)
    dirs.append(package / "models")  # installed wheel: force-included as ankle_cv/models
    dirs.append(package.parent / "models")  # source checkout / editable install
    return dirs


def model_path(name: str = "full") -> Path:
    """Return the path of the bundled pose model `name` ("full" or "lite")."""
    if name not in MODEL_FILES:
        raise ValueError(f"unknown pose model {name!r}; expected one of {sorted(MODEL_FILES)}")
    filename = MODEL_FILES[name]
    dirs = model_dirs()
    for directory in dirs:
        candidate = directory / filename
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in dirs)
    raise FileNotFoundError(
        f"pose model {filename} not found; searched ${MODEL_DIR_ENV} (if set) and: {searched}"
    )


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
