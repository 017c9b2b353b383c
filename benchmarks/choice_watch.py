"""A context that records the inputs of every estimator choice, for the diagnosis scripts (edge_trust, real_estimators).

Imported by its siblings (run as scripts, benchmarks/ is on sys.path): both patched stance_kinematics.choose_angle with
the same lines. Diagnosis only; the product's numbers are unchanged (the original is called and restored).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import ankle_cv.protocol.stance_kinematics as sk


class ChoiceWatch:
    """Records the inputs of every choose_angle call (one per stance that reads a turn)."""

    def __init__(self) -> None:
        self.calls: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.bridged: list[np.ndarray | None] = []  # per call, the frames whose edge line was bridged (kinematics.shank)
        self._orig = sk.choose_angle

    def __enter__(self) -> ChoiceWatch:
        def watched(
            lm: np.ndarray, edge: np.ndarray, turn: np.ndarray, as_read: np.ndarray | None = None, bridged: np.ndarray | None = None,
            *rest: Any,
        ) -> Any:
            read = edge if as_read is None else as_read  # the edge line before the support rule took frames out
            self.calls.append((np.array(lm, float), np.array(read, float), np.array(turn, float)))
            self.bridged.append(None if bridged is None else np.array(bridged, bool))
            return self._orig(lm, edge, turn, as_read, bridged, *rest)

        sk.choose_angle = watched  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        sk.choose_angle = self._orig  # type: ignore[assignment]
