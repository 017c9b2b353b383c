"""Run a batch's videos on a Dask distributed cluster (`pip install ankle-cv[cluster]`; imported only for --dask).

Dask schedules: each video is one task running the same `run_video` as the local pool. The videos and
--out must be on storage every worker mounts at the same path; results come back as small outcomes and
the tables are written here. A worker that dies is retried by Dask's scheduler, then the video is failed.
"""

from __future__ import annotations

import uuid
from collections.abc import Generator, Sequence
from typing import Any

from ankle_cv.batch.job import EXIT_FAILED, STATUS_FAILED, VideoJob, VideoOutcome, run_video
from ankle_cv.errors import InputError

CONNECT_TIMEOUT_S = 30


def _client(address: object) -> Any:
    """A client of the scheduler at address (or of a LocalCluster object), or a clear error."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise InputError("--dask needs Dask: pip install 'ankle-cv[cluster]'") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--dask {address}: cannot reach the Dask scheduler ({exc})") from None


def run_dask(jobs: Sequence[VideoJob], address: object) -> Generator[VideoOutcome, None, None]:
    """Yield each video's outcome as the cluster finishes it; Ctrl-C cancels what is left and propagates."""
    from dask.distributed import as_completed

    client = _client(address)
    futures: list[Any] = []
    try:
        batch_id = uuid.uuid4().hex[:12]  # keys unique to this run: another batch on the cluster never shares a task
        futures = client.map(run_video, list(jobs), pure=False, key=[f"ankle-cv-{batch_id}-{i}" for i in range(len(jobs))])
        by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:
                job = by_key[future.key]
                reason = f"the Dask task failed ({type(exc).__name__}: {exc})"
                yield VideoOutcome(job.video, EXIT_FAILED, STATUS_FAILED, reason, 0.0, 0.0)
    except BaseException:
        client.cancel(futures)
        raise
    finally:
        client.close()
