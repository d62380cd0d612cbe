"""Both cores for the expensive, independent work: a forked process pool over chunks of items."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

MIN_PARALLEL = 64
_WORK: dict[str, Any] = {}


def jobs_for(requested: int) -> int:
    """The number of worker processes: the request, else every core."""
    return requested if requested > 0 else (os.cpu_count() or 1)


def run_chunks(function: Callable[[Sequence[Any]], list], items: Sequence[Any], jobs: int, shared: dict[str, Any]) -> list:
    """function(chunk) over chunks of items, in forked workers when worth it; results in item order.

    `shared` is made visible to the workers as module state before forking, so large objects
    (the site, the template environment) are inherited instead of pickled.
    """
    _WORK.clear()
    _WORK.update(shared)
    if jobs <= 1 or len(items) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        return function(items)
    size = max(16, len(items) // (jobs * 4))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        results = pool.map(function, chunks, chunksize=1)
    return [item for chunk in results for item in chunk]


def shared(name: str) -> Any:
    """An object the parent shared with the workers."""
    return _WORK[name]
