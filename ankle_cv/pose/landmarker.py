"""Run MediaPipe's PoseLandmarker (Tasks API) over frames and collect a PoseSeries."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

import mediapipe as mp
import numpy as np
from mediapipe.tasks.python import BaseOptions
from mediapipe.tasks.python.vision import (
    PoseLandmarker,
    PoseLandmarkerOptions,
    RunningMode,
)

from ankle_cv.io.video_source import Frame
from ankle_cv.offline import offline_environment
from ankle_cv.pose.landmarks import N_LANDMARKS, PoseSeries, stack_series
from ankle_cv.pose.model_files import model_path
from ankle_cv.pose.silhouette import MaskProfiles, mask_profiles

PEOPLE_SAMPLE_PERIOD_S = 1.0  # how often a separate multi-person check runs
PEOPLE_MIN_CONFIDENCE = 0.25  # the check looks for small, distant bystanders too
MULTI_POSES = 2  # people the tracker follows once the check has seen more than one (costs ~2x per frame)
SAME_PERSON_SHIFT = 0.5  # median landmark shift, in the person's heights, within which it is the same person
LOST_AFTER_S = 1.0  # the tracked person missing this long: pick the most prominent person again
# Share of a detection's box inside a bigger detection's box from which it is that person found again, not another one.
# Session 17 (s17people, benchmarks/people_seen.py): on the eight one-person renders of random_v1/v3 and heel_sweep whose
# check saw "2-3 people" (random_v1 r001 r039 r055 r057, random_v3 r007 r011, heel_sweep h003 h021) every extra box lay
# 0.74-1.00 inside the person's (most >= 0.9; r001: dark trousers on a dark floor found again as a partial person).
SAME_PERSON_INSIDE = 0.7


@dataclass(frozen=True)
class FramePose:
    """Landmarks of the main person in one frame (pixels of the given frame size)."""

    image_xy: np.ndarray  # (33, 2)
    visibility: np.ndarray  # (33,)
    world_xyz: np.ndarray  # (33, 3)
    profiles: MaskProfiles | None = None


class _QuietStderr:
    """fd 2 sent to /dev/null while any thread is inside (the people check runs beside the tracker: one shared redirect)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved: int | None = None

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._saved = self._redirect()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._saved is not None:
                    os.dup2(self._saved, 2)
                    os.close(self._saved)
                    self._saved = None

    @staticmethod
    def _redirect() -> int | None:
        """Point fd 2 at /dev/null; the saved fd 2 (None when there is none to save)."""
        try:
            saved = os.dup(2)
        except OSError:
            return None
        devnull = os.open(os.devnull, os.O_WRONLY)
        sys.stderr.flush()
        os.dup2(devnull, 2)
        os.close(devnull)
        return saved


quiet_native_stderr = _QuietStderr()  # silences the C++ start-up chatter of MediaPipe/TFLite (it writes to fd 2 directly)


def _landmarker(
    model: str, mode: RunningMode, num_poses: int, min_confidence: float, masks: bool = False
) -> PoseLandmarker:
    """Create a landmarker from a bundled model file (nothing is downloaded, MediaPipe's usage upload goes nowhere)."""
    offline_environment()
    options = PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path(model))),
        running_mode=mode,
        num_poses=num_poses,
        min_pose_detection_confidence=min_confidence,
        min_pose_presence_confidence=min_confidence,
        min_tracking_confidence=min_confidence,
        output_segmentation_masks=masks,
    )
    with quiet_native_stderr():
        return PoseLandmarker.create_from_options(options)


def prominence(xy: np.ndarray) -> float:
    """Tall and central scores high: the person doing the test fills and centres the frame, bystanders rarely do."""
    pts = xy[np.isfinite(xy).all(axis=1)]
    if pts.shape[0] < 2:
        return 0.0
    height = float(pts[:, 1].max() - pts[:, 1].min())
    centre_x = 0.5 * float(pts[:, 0].max() + pts[:, 0].min())
    return height * (1.0 - min(abs(centre_x - 0.5), 0.5))


def pick_person(candidates: list[np.ndarray], previous: np.ndarray | None) -> int | None:
    """Index of the candidate (normalised (33, 2) landmarks) who continues `previous`, or the most prominent.

    None when `previous` is given and nobody is near it: better a missing frame than another person's legs.
    """
    if not candidates:
        return None
    if previous is None:
        return int(np.argmax([prominence(c) for c in candidates]))
    prev = previous[np.isfinite(previous).all(axis=1)]
    size = float(prev[:, 1].max() - prev[:, 1].min()) if prev.shape[0] >= 2 else 0.0
    if size <= 0:
        return int(np.argmax([prominence(c) for c in candidates]))
    shifts = [float(np.nanmedian(np.linalg.norm(c - previous, axis=1))) / size for c in candidates]
    best = int(np.nanargmin(shifts)) if np.isfinite(shifts).any() else 0
    return best if shifts[best] < SAME_PERSON_SHIFT else None


def _box(xy: np.ndarray) -> np.ndarray | None:
    """(x0, y0, x1, y1) around a person's finite landmarks (None with fewer than two: no box to compare)."""
    pts = xy[np.isfinite(xy).all(axis=1)]
    if pts.shape[0] < 2:
        return None
    return np.concatenate([pts.min(axis=0), pts.max(axis=0)])


def _area(box: np.ndarray) -> float:
    """A box's area (0 for a degenerate one)."""
    return float(max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0))


def _inside_share(box: np.ndarray, outer: np.ndarray) -> float:
    """Share of `box`'s area inside `outer` (a degenerate box: 1 when its corner lies inside, else 0)."""
    lo, hi = np.maximum(box[:2], outer[:2]), np.minimum(box[2:], outer[2:])
    area = _area(box)
    if area <= 0.0:
        return 1.0 if bool((lo <= hi).all()) else 0.0
    return float(np.prod(np.clip(hi - lo, 0.0, None))) / area


def distinct_people(people: list[np.ndarray]) -> list[int]:
    """Indices of the distinct people, biggest first: a box mostly inside a bigger one's is that person found again, not another."""
    boxes = [_box(p) for p in people]
    valid = [i for i, b in enumerate(boxes) if b is not None]
    order = sorted(valid, key=lambda i: -_area(cast(np.ndarray, boxes[i])))
    kept: list[int] = []
    for i in order:
        box = cast(np.ndarray, boxes[i])
        if all(_inside_share(box, cast(np.ndarray, boxes[k])) < SAME_PERSON_INSIDE for k in kept):
            kept.append(i)
    return kept


def _normalised(landmarks: list) -> np.ndarray:
    """(33, 2) normalised image coordinates of one MediaPipe pose."""
    return np.array([[lm.x, lm.y] for lm in landmarks], dtype=float)


def _to_frame_pose(result: Any, width: int, height: int, which: int = 0) -> FramePose | None:
    """Convert MediaPipe's normalised landmarks of one person to pixel arrays."""
    if not result.pose_landmarks or len(result.pose_landmarks) <= which:
        return None
    lms = result.pose_landmarks[which]
    xy = np.array([[lm.x * width, lm.y * height] for lm in lms], dtype=float)
    vis = np.array([lm.visibility if lm.visibility is not None else 0.0 for lm in lms], dtype=float)
    if result.pose_world_landmarks and len(result.pose_world_landmarks) > which:
        world = np.array([[lm.x, lm.y, lm.z] for lm in result.pose_world_landmarks[which]], dtype=float)
    else:
        world = np.full((N_LANDMARKS, 3), np.nan)
    profiles = None
    masks = getattr(result, "segmentation_masks", None)
    if masks and len(masks) > which:
        profiles = mask_profiles(masks[which].numpy_view())
    return FramePose(xy, vis, world, profiles)


def model_image(rgb: np.ndarray) -> mp.Image:
    """The model's input: MediaPipe's own copy of an RGB frame."""
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))


@dataclass(frozen=True)
class ModelFrame(Frame):
    """A frame with the model's copy of it already made (on the decoding thread, off the tracker's path)."""

    image: mp.Image | None = None


def with_model_images(frames: Iterable[Frame]) -> Iterator[ModelFrame]:
    """The frames with their model images made where this runs (wrap the decoding thread's frames in it)."""
    for frame in frames:
        yield ModelFrame(frame.index, frame.time_s, frame.rgb, frame.full_rgb, model_image(frame.rgb))


class PoseTracker:
    """VIDEO-mode landmarker for one person, plus a sparse IMAGE-mode count of everyone in view.

    While only one person has been seen, a one-pose tracker runs (fastest). Once the check and the tracker
    together see several distinct people (`distinct_people`), a two-pose tracker takes over and the person
    followed is the one who continues the tracked person, or at the start the most prominent (tallest, most central).
    """

    def __init__(
        self, model: str = "full", min_confidence: float = 0.5, count_people: bool = True, masks: bool = True
    ) -> None:
        self._model, self._min_confidence, self._masks = model, min_confidence, masks
        self._video: PoseLandmarker | None = _landmarker(model, RunningMode.VIDEO, 1, min_confidence, masks)
        self._multi: PoseLandmarker | None = None
        self._counter = _landmarker(model, RunningMode.IMAGE, 4, PEOPLE_MIN_CONFIDENCE) if count_people else None
        self._last_ms = -1
        self._next_count_s = 0.0
        self._warm = False
        self._target: np.ndarray | None = None  # normalised landmarks of the person followed
        self._target_s = -np.inf
        self._side = ThreadPoolExecutor(1, thread_name_prefix="ankle-cv-people")  # the people check, beside the tracker

    def __enter__(self) -> PoseTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the MediaPipe graphs (quietly: closing prints INFO lines that would garble the progress bar)."""
        self._side.shutdown(wait=True)
        with quiet_native_stderr():
            for graph in (self._video, self._multi, self._counter):
                if graph is not None:
                    graph.close()
        self._video = self._multi = self._counter = None

    def _count_due(self, time_s: float) -> bool:
        """Whether this frame's people are counted (every PEOPLE_SAMPLE_PERIOD_S)."""
        if self._counter is None or time_s < self._next_count_s:
            return False
        self._next_count_s = time_s + PEOPLE_SAMPLE_PERIOD_S
        return True

    def _seen(self, rgb: np.ndarray) -> list:
        """Everybody the people check finds in a frame (stateless: it runs beside the tracker, on its own image)."""
        image = model_image(rgb)
        with quiet_native_stderr():
            return cast(PoseLandmarker, self._counter).detect(image).pose_landmarks

    def _switch_if_several(self, candidates: list[np.ndarray], time_s: float) -> bool:
        """Switch to the multi-person tracker when several distinct people (normalised landmarks) are seen; whether it just did."""
        if len(candidates) < MULTI_POSES or self._multi is not None:
            return False
        self._multi = _landmarker(self._model, RunningMode.VIDEO, MULTI_POSES, self._min_confidence, self._masks)
        self._warm = False
        if self._target is None or time_s - self._target_s > LOST_AFTER_S:
            first = cast(int, pick_person(candidates, None))  # without a previous person there is always one
            self._target, self._target_s = candidates[first], time_s
        if self._video is not None:
            with quiet_native_stderr():
                self._video.close()
            self._video = None
        return True

    def _track(self, image: mp.Image, ms: int) -> Any:
        """The current tracker's result for the frame (the first inference of a graph prints notices: silenced)."""
        graph: Any = self._multi or self._video
        if not self._warm:
            with quiet_native_stderr():
                result = graph.detect_for_video(image, ms)
            self._warm = True
            return result
        return graph.detect_for_video(image, ms)

    def detect(self, rgb: np.ndarray, time_s: float, image: mp.Image | None = None) -> tuple[Any, int | None, int]:
        """The model's result for a frame, which of its people is the tracked one (None: nobody), and the people
        seen (-1 when not sampled). The people check runs on a side thread while the tracker runs; when it finds
        several people the multi-person tracker takes over from this frame on (the one-person result is dropped).
        """
        image = image if image is not None else model_image(rgb)
        ms = max(int(round(time_s * 1000)), self._last_ms + 1)  # VIDEO mode needs increasing timestamps
        self._last_ms = ms
        counting: Future[list] | None = self._side.submit(self._seen, rgb) if self._count_due(time_s) else None
        result = self._track(image, ms)
        people = -1
        if counting is not None:
            found = [_normalised(p) for p in [*counting.result(), *(result.pose_landmarks or [])]]
            seen = [found[i] for i in distinct_people(found)]  # the check's people and the tracker's, each once
            people = len(seen)
            if self._switch_if_several(seen, time_s):
                result = self._track(image, ms)
        which: int | None = 0
        if self._multi is not None:
            if time_s - self._target_s > LOST_AFTER_S:
                self._target = None  # lost for a while: take the most prominent again
            which = pick_person([_normalised(p) for p in result.pose_landmarks], self._target)
        if which is not None and result.pose_landmarks and len(result.pose_landmarks) > which:
            self._target = _normalised(result.pose_landmarks[which])
            self._target_s = time_s
        return result, which, people

    def process(self, rgb: np.ndarray, time_s: float) -> tuple[FramePose | None, int]:
        """Landmarks of the tracked person and the number of people seen (-1 when not sampled)."""
        result, which, people = self.detect(rgb, time_s)
        height, width = rgb.shape[:2]
        return (_to_frame_pose(result, width, height, which) if which is not None else None), people


FINISH_AHEAD = 4  # frames whose landmarks and mask profiles may wait for the finishing thread


def estimate_poses(
    frames: Iterable[Frame],
    out_size: tuple[int, int],
    model: str = "full",
    on_frame: Callable[[Frame], None] | None = None,
    masks: bool = True,
    on_pose: Callable[[Frame, np.ndarray | None], None] | None = None,
) -> PoseSeries:
    """Track the person through all frames; landmarks are scaled to out_size (the original resolution).

    Each frame's landmarks and mask profiles are worked out on a finishing thread while the model tracks the next frame.
    `on_pose(frame, xy)`: each frame with its landmarks (out_size pixels; None when nobody was found), on that thread.
    """
    times: list[float] = []
    xy: list[np.ndarray | None] = []
    vis: list[np.ndarray | None] = []
    world: list[np.ndarray | None] = []
    people: list[int] = []
    profiles: list[MaskProfiles | None] = []
    out_w, out_h = out_size
    scale = (1.0, 1.0)

    def finish(frame: Frame, result: Any, which: int | None) -> tuple[FramePose | None, tuple[float, float]]:
        """The frame's pose in out_size pixels (and the scale to them), handed to on_pose."""
        h, w = frame.rgb.shape[:2]
        pose = _to_frame_pose(result, w, h, which) if which is not None else None
        frame_scale = (out_w / w, out_h / h)
        if on_pose is not None:
            on_pose(frame, pose.image_xy * np.array(frame_scale) if pose is not None else None)
        return pose, frame_scale

    def collect(done: Future[tuple[FramePose | None, tuple[float, float]]]) -> None:
        """Append one finished frame's arrays, in frame order."""
        nonlocal scale
        pose, scale = done.result()
        profiles.append(pose.profiles if pose is not None else None)
        if pose is None:
            xy.append(None)
            vis.append(None)
            world.append(None)
        else:
            xy.append(pose.image_xy * np.array(scale))
            vis.append(pose.visibility)
            world.append(pose.world_xyz)

    pending: deque[Future[tuple[FramePose | None, tuple[float, float]]]] = deque()
    with PoseTracker(model, masks=masks) as tracker, ThreadPoolExecutor(1, thread_name_prefix="ankle-cv-finish") as finisher:
        try:
            for frame in frames:
                image = frame.image if isinstance(frame, ModelFrame) else None
                result, which, n_people = tracker.detect(frame.rgb, frame.time_s, image)
                times.append(frame.time_s)
                people.append(n_people)
                pending.append(finisher.submit(finish, frame, result, which))
                while len(pending) > FINISH_AHEAD:
                    collect(pending.popleft())
                if on_frame is not None:
                    on_frame(frame)
            while pending:
                collect(pending.popleft())
        finally:
            for job in pending:
                job.cancel()
    return stack_series(times, xy, vis, world, people, out_w, out_h, profiles if masks else None, scale)
