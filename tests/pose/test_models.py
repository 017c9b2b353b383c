"""The bundled pose models: checksums, documentation, loading in MediaPipe, and lookup."""

from __future__ import annotations

from pathlib import Path

import pytest

from ankle_cv.pose import model_files
from ankle_cv.pose.model_files import MODEL_SHA256, model_path, sha256_of

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
SHARED = Path(__file__).resolve().parents[3] / "shared"
CLIP = SHARED / "synthetic" / "d15_m55_L_60fps_360p_p36.mp4"
LEFT_KNEE = 25  # MediaPipe pose landmark index


@pytest.fixture(scope="module")
def first_frame_rgb():
    """First frame of a shared synthetic clip as an RGB array, with its ground-truth joints."""
    if not CLIP.is_file():
        pytest.skip(f"shared test clip not found: {CLIP} (../shared is absent)")
    import json

    import cv2

    cap = cv2.VideoCapture(str(CLIP))
    ok, bgr = cap.read()
    cap.release()
    assert ok, f"could not read a frame from {CLIP}"
    truth = json.loads(CLIP.with_suffix(".json").read_text())["frames"][0]["joints_2d"]
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), truth


@pytest.mark.parametrize("name", ["full", "lite"])
def test_checksum_matches(name: str) -> None:
    """Each bundled .task file in models/ has the pinned SHA-256."""
    path = MODELS / model_files.MODEL_FILES[name]
    assert path.is_file(), f"missing {path}"
    assert sha256_of(path) == MODEL_SHA256[name]


def test_readme_lists_checksums() -> None:
    """models/README.md documents both checksums."""
    readme = (MODELS / "README.md").read_text()
    for name, digest in MODEL_SHA256.items():
        assert digest in readme, f"models/README.md does not mention the {name} SHA-256"


@pytest.mark.parametrize("name", ["full", "lite"])
def test_model_detects_person(name: str, first_frame_rgb) -> None:
    """The model loads as a VIDEO-mode PoseLandmarker and finds the person's knee."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    rgb, truth = first_frame_rgb
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(MODELS / model_files.MODEL_FILES[name])),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=1,
    )
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        result = landmarker.detect_for_video(image, 0)
    assert len(result.pose_landmarks) == 1
    knee = result.pose_landmarks[0][LEFT_KNEE]
    height, width = rgb.shape[:2]
    gt_x, gt_y = truth["left_knee"]
    assert abs(knee.x * width - gt_x) < 15 and abs(knee.y * height - gt_y) < 15


def test_model_path_finds_repo_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the env var, the models are found in the checkout (or the installed package)."""
    monkeypatch.delenv(model_files.MODEL_DIR_ENV, raising=False)
    for name in ("full", "lite"):
        assert sha256_of(model_path(name)) == MODEL_SHA256[name]
    assert model_path() == model_path("full")


def test_model_path_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """ANKLE_CV_MODEL_DIR takes precedence over the bundled copies."""
    fake = tmp_path / model_files.MODEL_FILES["lite"]
    fake.write_bytes(b"not a model")
    monkeypatch.setenv(model_files.MODEL_DIR_ENV, str(tmp_path))
    assert model_path("lite") == fake


def test_model_path_not_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A missing model raises FileNotFoundError naming the places searched."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(model_files.MODEL_DIR_ENV, str(empty))
    # Pretend the package lives in an empty tree, so the bundled copies are out of reach.
    fake_module = tmp_path / "pkg" / "ankle_cv" / "pose" / "model_files.py"
    monkeypatch.setattr(model_files, "__file__", str(fake_module))
    with pytest.raises(FileNotFoundError, match="pose_landmarker_full.task not found") as err:
        model_path("full")
    for searched in (empty, tmp_path / "pkg" / "ankle_cv" / "models", tmp_path / "pkg" / "models"):
        assert str(searched) in str(err.value)


def test_model_path_unknown_name() -> None:
    """An unknown model name raises ValueError."""
    with pytest.raises(ValueError, match="unknown pose model"):
        model_path("heavy")
