"""On-disk cache of a clip's pose-model output, so re-running the analysis skips minutes of tracking.

An entry is `<stem>.<key>.npz` (landmarks.save_series). The key hashes everything that changes the
model's output: the video's bytes (not its path or date: a copied or re-extracted data folder keeps its
cache), the pose model and its checksum, the
MediaPipe version and the source of the modules that decode, sample and track (video_source, pose,
silhouette, landmarks, sampling), as loaded by this process. Editing a later stage (legs, shank,
heel, reps, analysis, result) keeps the cache; editing those modules or the video invalidates it.
A damaged entry is treated as absent and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import cast

import ankle_cv.io.video_source
import ankle_cv.pose.landmarker
import ankle_cv.pose.sampling
import ankle_cv.pose.silhouette
from ankle_cv.errors import OutputError
from ankle_cv.io.atomic import atomic_path
from ankle_cv.pose import landmarks
from ankle_cv.pose.landmarks import PoseSeries, load_series, save_series

CACHE_FORMAT = 3
_CHUNK_BYTES = 1 << 20
TRACKING_MODULES = (ankle_cv.io.video_source, ankle_cv.pose.landmarker, ankle_cv.pose.silhouette, landmarks, ankle_cv.pose.sampling)


def _tracking_source_digest() -> str:
    """Hash of the code that produces a PoseSeries: a change there must not reuse old landmarks."""
    h = hashlib.sha256()
    for module in TRACKING_MODULES:
        h.update(module.__name__.encode())
        h.update(Path(cast(str, module.__file__)).read_bytes())
    return h.hexdigest()


# Taken once, right after the modules were imported: files edited while a long run goes on must not
# label landmarks made by the old code with the new code's key.
TRACKING_DIGEST = _tracking_source_digest()


def _content_digest(video_path: Path) -> str:
    """SHA-256 of the video's bytes: the landmarks depend on what the file holds, not where or when it was written."""
    h = hashlib.sha256()
    with open(video_path, "rb") as f:
        while chunk := f.read(_CHUNK_BYTES):
            h.update(chunk)
    return h.hexdigest()


def cache_key(video_path: Path, model: str) -> str:
    """Stable key of one video's tracking result under the current code and model."""
    import mediapipe

    from ankle_cv.pose.model_files import MODEL_SHA256

    parts = {
        "format": CACHE_FORMAT,
        "video_sha256": _content_digest(Path(video_path)),
        "model": model,
        "model_sha256": MODEL_SHA256.get(model, model),
        "mediapipe": getattr(mediapipe, "__version__", "?"),
        "code": TRACKING_DIGEST,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:20]


def cache_file(cache_dir: Path, video_path: Path, model: str) -> Path:
    """Where the entry for this video lives (named after the video, so the folder stays readable)."""
    return Path(cache_dir) / f"{Path(video_path).stem}.{cache_key(video_path, model)}.npz"


def prepare_cache_dir(cache_dir: Path) -> None:
    """Create the folder or fail with a clear message before any work is done."""
    if Path(cache_dir).exists() and not Path(cache_dir).is_dir():
        raise OutputError(f"{cache_dir}: the cache path is a file, not a folder")
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{cache_dir}: cannot create the cache folder ({exc.strerror})") from None
    if not Path(cache_dir).is_dir():
        raise OutputError(f"{cache_dir}: the cache path is not a folder")


def load_cached(path: Path) -> PoseSeries | None:
    """The cached series, or None when absent or unreadable (a damaged file is simply recomputed)."""
    if not path.is_file():
        return None
    try:
        series = load_series(str(path))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if series.image_xy.ndim != 3 or series.image_xy.shape[0] != series.times_s.shape[0]:
        return None
    return series


def store_cached(path: Path, series: PoseSeries) -> None:
    """Write the entry atomically: an interrupted run never leaves a truncated cache file."""
    with atomic_path(path) as tmp:
        save_series(series, str(tmp))
