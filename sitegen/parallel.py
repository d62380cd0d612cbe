"""Both cores for the expensive, independent work: a forked process pool over chunks of items."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
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
    """Calls made one after the other by a forked process while this one goes on (on the other core); each result when asked for.

    Meant for work that waits on the disk, such as listing the output folders while the cache
    is read. Each result comes back pickled through a pipe as soon as it is made, so the first
    can be used while the child makes the next. Without fork, or when the child fails, a call
    is made here when its result is first asked for.
    """

    def __init__(self, *calls: tuple[Callable[..., Any], tuple]):
        self._calls = calls
        self._values: list = []  # the results received so far, in order
        self._pipe: Any = None
        self._child: weakref.finalize | None = None
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    _send_each(calls, pipe)
            finally:
                os._exit(0)
        os.close(write)
        self._pipe = os.fdopen(read, "rb")
        self._child = weakref.finalize(self, _reap, pid, self._pipe)

    def result(self, index: int = 0) -> Any:
        """The result of the call at `index` (waits for it the first time)."""
        while len(self._values) <= index:
            self._values.append(self._receive(len(self._values)))
        return self._values[index]

    def _receive(self, index: int) -> Any:
        """The next result the child sends, or the call made here when it cannot send it."""
        if self._child is not None and self._child.alive:
            try:
                value = pickle.load(self._pipe)
            except (pickle.PickleError, EOFError, OSError, ValueError, TypeError, AttributeError):
                self._child()
            else:
                if index == len(self._calls) - 1:
                    self._child()
                return value
        function, args = self._calls[index]
        return function(*args)


def _send_each(calls: Sequence[tuple[Callable[..., Any], tuple]], pipe: Any) -> None:
    """Make each call and send its result, pickled; a thread sends one while the next is made.

    A pipe holds 64 KB: written here, a result the parent has not read yet (it is still
    reading the cache) would hold up the next call.
    """
    sending: threading.Thread | None = None
    for function, args in calls:
        data = pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL)
        if sending is not None:
            sending.join()
        sending = threading.Thread(target=pipe.write, args=(data,))
        sending.start()
    if sending is not None:
        sending.join()


def _reap(pid: int, pipe: Any) -> None:
    """Close the pipe of a child (done, or whose results are no longer wanted), and wait for it."""
    pipe.close()
    os.waitpid(pid, 0)
