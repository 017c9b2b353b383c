"""`ankle-cv cameras`: which camera indices open here, for `ankle-cv live --camera N`."""

from __future__ import annotations

import click


@click.command()
def cameras() -> None:
    """List the cameras that open and give a picture (indices 0-9).

    \b
    Use the index with `ankle-cv live --camera N`.
    Exit codes: 0 at least one camera found; 4 none found.
    """
    from ankle_cv.cli.errors import fail
    from ankle_cv.errors import CameraError
    from ankle_cv.live.camera import PROBE_INDICES, probe_cameras

    found = probe_cameras()
    if not found:
        fail(CameraError(
            f"no camera found (tried indices {PROBE_INDICES.start}-{PROBE_INDICES.stop - 1}); connect one, close other "
            "programs using it, or use a video file: ankle-cv live --camera FILE"
        ))
    for cam in found:
        fps = f" @ {cam.fps:.0f} fps" if cam.fps > 0 else ""
        click.echo(f"camera {cam.index}: {cam.width}x{cam.height}{fps} ({cam.backend})")
