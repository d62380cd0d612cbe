"""Both cores for the expensive, independent work: a forked process pool over chunks of items."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import weakref
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


class Background:
    """function(*args) run in a forked process while this one goes on (on the other core); its result when asked for.

    Meant for work that waits on the disk, such as listing the output folders while the cache
    is read. The result comes back pickled through a pipe. Without fork, or when the child
    fails, the function runs here when the result is first asked for.
    """

    def __init__(self, function: Callable[..., Any], *args: Any):
        self._call: tuple | None = (function, args)
        self._value: Any = None
        self._child: weakref.finalize | None = None
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL))
            finally:
                os._exit(0)
        os.close(write)
        self._child = weakref.finalize(self, _reap, pid, read)

    def result(self) -> Any:
        """The function's result (waits for the child the first time)."""
        if self._call is not None:
            (function, args), self._call = self._call, None
            self._value = self._from_child()
            if self._value is _MISSING:
                self._value = function(*args)
        return self._value

    def _from_child(self) -> Any:
        """What the child sent, or _MISSING."""
        if self._child is None or not self._child.alive:
            return _MISSING
        _, _, (pid, read), _ = self._child.detach()
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            return pickle.loads(data)
        except (pickle.PickleError, EOFError, ValueError, TypeError, AttributeError):
            return _MISSING


_MISSING = object()


def _reap(pid: int, read: int) -> None:
    """Close the pipe of a child whose result was never asked for, and wait for it."""
    os.close(read)
    os.waitpid(pid, 0)
