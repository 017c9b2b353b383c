"""Run a batch's videos on this machine: a process pool whose workers are replaced every few videos.

Fresh `spawn` workers (no fork of a process that holds MediaPipe's threads) are recycled after
TASKS_PER_WORKER videos (Python 3.11 and later), so memory cannot creep over a long batch. A worker that dies (a crash in native
code, the kernel's OOM killer) breaks the pool: the videos that may have been running are retried one at a
time in a pool of their own, so the one that kills its worker is recorded as failed and the rest go on.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ankle_cv.batch.job import EXIT_FAILED, STATUS_FAILED, VideoJob, VideoOutcome, quiet_worker, run_video

TASKS_PER_WORKER = 8  # videos per worker process before it is replaced (bounded memory, see benchmarks/batch_throughput.py)
Runner = Callable[[VideoJob], VideoOutcome]


def _pool(workers: int) -> ProcessPoolExecutor:
    """A pool of fresh interpreters with the CLI's environment (outcomes carry every error, so their stderr is quiet)."""
    recycle: dict[str, Any] = {"max_tasks_per_child": TASKS_PER_WORKER} if sys.version_info >= (3, 11) else {}  # 3.10: kept
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=quiet_worker,
                               **recycle)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool now: pending videos cancelled, running ones stopped (their folders get no result.json)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
    else:  # before 3.14 no public way; shutdown() forgets the processes, so they are taken first
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _died(job: VideoJob) -> VideoOutcome:
    """The outcome of a video whose worker process died under it."""
    return VideoOutcome(job.video, EXIT_FAILED, STATUS_FAILED,
                        "the worker process died while measuring this video (crash or out of memory)", 0.0, 0.0)


def _run_alone(job: VideoJob, run: Runner) -> VideoOutcome:
    """One video in a pool of its own: a crash is then this video's."""
    pool = _pool(1)
    try:
        return pool.submit(run, job).result()
    except BrokenProcessPool:
        return _died(job)
    except BaseException:
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True)


def run_local(jobs: Sequence[VideoJob], workers: int, run: Runner = run_video) -> Generator[VideoOutcome, None, None]:
    """Yield each video's outcome as it finishes (any order); Ctrl-C stops the workers and propagates."""
    todo = list(jobs)
    while todo:
        pool = _pool(workers)
        futures: dict[Future[VideoOutcome], VideoJob] = {pool.submit(run, job): job for job in todo}
        order = list(futures)
        todo = []
        try:
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                broken = [f for f in done if isinstance(f.exception(), BrokenProcessPool)]
                for future in done:
                    if future not in broken:
                        yield future.result()
                if broken:
                    finished = [f for f in pending if f.done() and f.exception() is None]  # done just before the break
                    for future in finished:
                        yield future.result()
                    unfinished = [f for f in order if (f in broken or f in pending) and f not in finished]
                    suspects = unfinished[: workers + 1]  # the pool runs in order: these may have been running
                    for future in suspects:
                        yield _run_alone(futures[future], run)
                    todo = [futures[f] for f in unfinished[workers + 1:]]
                    break
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)
