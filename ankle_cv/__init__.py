"""ankle-cv: the knee-to-wall (weight-bearing lunge) test measured from a camera.

    import ankle_cv
    result = ankle_cv.measure("my_test.mp4")        # a typed ankle_cv.Result, nothing written
    print(result.summary.tibial_inclination_deg, result.summary.category)

Settings (what you choose) and Result (what was measured) are importable from here; the stages live in
the subpackages (docs/architecture.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ankle_cv.api import measure
    from ankle_cv.results.types import Result
    from ankle_cv.settings import Settings

__all__ = ["Result", "Settings", "__version__", "measure"]


def __getattr__(name: str) -> Any:
    """measure, Result and Settings load on first use, so `import ankle_cv` stays light (the CLI reads __version__)."""
    if name == "measure":
        from ankle_cv.api import measure

        return measure
    if name == "Result":
        from ankle_cv.results.types import Result

        return Result
    if name == "Settings":
        from ankle_cv.settings import Settings

        return Settings
    raise AttributeError(f"module 'ankle_cv' has no attribute {name!r}")
