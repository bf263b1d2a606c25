"""Running many requests from a few threads, a bounded number at once.

The blocking twin of ``_async_bounded.py``; ``httpx.Client`` may be shared between threads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TypeVar

T = TypeVar("T")


def run_bounded(jobs: Sequence[Callable[[], T]], limit: int) -> list[T]:
    """Run ``jobs``, at most ``limit`` at once; their results in order.

    The first failure drops the jobs not started and is raised once those running have
    ended, so no thread outlives the call.
    """
    if limit == 1 or len(jobs) <= 1:
        return [job() for job in jobs]
    with ThreadPoolExecutor(max_workers=min(limit, len(jobs))) as pool:
        futures = [pool.submit(job) for job in jobs]
        try:
            wait(futures, return_when=FIRST_EXCEPTION)
        finally:
            for future in futures:
                future.cancel()
        return [future.result() for future in futures]
