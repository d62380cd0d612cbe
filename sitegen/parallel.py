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


def run_chunks(function: Callable[[Sequence[Any]], list], items: Sequence[Any], jobs: int, shared: dict[str, Any],
               advance: Callable[[int], None] | None = None) -> list:
    """function(chunk) over chunks of items, in forked workers when worth it; results in item order.

    `shared` is made visible to the workers as module state before forking, so large objects
    (the site, the template environment) are inherited instead of pickled.
    """
    _WORK.clear()
    _WORK.update(shared)
    advance = advance or (lambda n: None)
    if jobs <= 1 or len(items) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        results = function(items)
        advance(len(items))
        return results
    size = max(16, min(256, len(items) // (jobs * 8)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    results = []
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for chunk, done in zip(chunks, pool.imap(function, chunks, chunksize=1), strict=True):
            results += done
            advance(len(chunk))
    return results


def shared(name: str) -> Any:
    """An object the parent shared with the workers."""
    return _WORK[name]
