"""Both cores for the expensive, independent work: a forked process pool over chunks of items."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

MIN_PARALLEL = 64


def jobs_for(requested: int) -> int:
    """The number of worker processes: the request, else every core."""
    return requested if requested > 0 else (os.cpu_count() or 1)


def run_chunks(function: Callable[[Any, Sequence[Any]], list], items: Sequence[Any], jobs: int, context: Any,
               advance: Callable[[int], None] | None = None) -> Iterator[Any]:
    """function(context, chunk) over chunks of items, in forked workers when worth it; results in item order.

    The workers are forked with `context` (the graph, with the site and the template environment)
    in memory, so it is inherited instead of pickled: only the chunks and the results cross. Each
    chunk's results are given as soon as they arrive (the caller may take them in while the workers
    go on, or keep them until the pool has ended).
    """
    advance = advance or (lambda n: None)
    if jobs <= 1 or len(items) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        yield from function(context, items)
        advance(len(items))
        return
    chunks = _chunks(items, jobs)
    gc.freeze()  # the workers' collections then never visit (and copy) the memory they share with this process
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_Worker.enter, initargs=(function, context)) as pool:
            for chunk, done in zip(chunks, pool.imap(_Worker.run, chunks, chunksize=1), strict=True):
                yield from done
                advance(len(chunk))
    finally:
        gc.unfreeze()


class _Worker:
    """What a forked worker process runs: set once when it starts (the arguments are inherited, not pickled)."""

    function: Callable[[Any, Sequence[Any]], list]
    context: Any

    @classmethod
    def enter(cls, function: Callable[[Any, Sequence[Any]], list], context: Any) -> None:
        """Keep the work and its context in this worker."""
        cls.function, cls.context = function, context

    @classmethod
    def run(cls, chunk: Sequence[Any]) -> list:
        """One chunk of the work."""
        return cls.function(cls.context, chunk)


def _chunks(items: Sequence[Any], jobs: int) -> list[Sequence[Any]]:
    """Chunks that shrink as the work runs out: up to 256 items while there is plenty, 16 at the end.

    With chunks of one size, the last one (256 files of Markdown, 0.5-0.8 s) kept one worker
    busy while the other had nothing left: 1.3 core-seconds idle in the reading of 10,000 articles.
    Each chunk is a quarter of the remaining work's share per worker, so both finish together.
    """
    chunks, start = [], 0
    while start < len(items):
        size = max(16, min(256, (len(items) - start) // (jobs * 4)))
        chunks.append(items[start : start + size])
        start += size
    return chunks


class Background:
    """Calls made one after the other by a forked process while this one goes on (on the other core); each result when asked for.

    Meant for work that waits on the disk, such as listing the output folders while the cache
    is read. Each result is pickled into a file of its own (in memory: memfd) and announced by one byte
    on a pipe as soon as it is made, so the first can be used while the child makes the next,
    and the child never waits for this process to read: it ends (and frees its memory) when its
    work is done. Without fork, or when the child fails, a call is made here when its result is
    first asked for.
    """

    def __init__(self, *calls: tuple[Callable[..., Any], tuple]):
        self._calls = calls
        self._values: list = []  # the results received so far, in order
        self._child: weakref.finalize | None = None
        if not hasattr(os, "fork"):
            return
        self._files = [_scratch_file() for _ in calls]
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read)
                for (function, args), file in zip(calls, self._files, strict=True):
                    pickle.dump(function(*args), file, protocol=pickle.HIGHEST_PROTOCOL)
                    file.flush()
                    os.write(write, b".")  # the next result is ready
            finally:
                os._exit(0)
        os.close(write)
        self._ready = read
        self._child = weakref.finalize(self, _reap, pid, read, self._files)

    def result(self, index: int = 0) -> Any:
        """The result of the call at `index` (waits for it the first time)."""
        while len(self._values) <= index:
            self._values.append(self._receive(len(self._values)))
        return self._values[index]

    def _receive(self, index: int) -> Any:
        """The next result the child made, or the call made here when it could not make it."""
        if self._child is not None and self._child.alive and os.read(self._ready, 1) == b".":
            file = self._files[index]
            try:
                file.seek(0)
                value = pickle.load(file)
            except (pickle.PickleError, EOFError, OSError, ValueError, TypeError, AttributeError):
                self._child()
            else:
                if index == len(self._calls) - 1:
                    self._child()
                return value
        elif self._child is not None:
            self._child()  # the child ended without this result
        function, args = self._calls[index]
        return function(*args)


def _scratch_file() -> Any:
    """A file in memory (Linux memfd: no disk, no writeback throttling), else a temporary file; closed by _reap."""
    if hasattr(os, "memfd_create"):
        return os.fdopen(os.memfd_create("sitegen-background", os.MFD_CLOEXEC), "w+b")
    return tempfile.TemporaryFile()


def _reap(pid: int, ready: int, files: list) -> None:
    """Close a child's pipe and files (it is done, or its results are no longer wanted), and wait for it."""
    os.close(ready)
    for file in files:
        file.close()
    os.waitpid(pid, 0)
