"""Both cores for the expensive, independent work: chunks of items shared by this process and forked helpers."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
import select
import signal
import struct
import tempfile
import termios
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

MIN_PARALLEL = 64


def jobs_for(requested: int) -> int:
    """The number of processes to work in: the request, else every core."""
    return requested if requested > 0 else (os.cpu_count() or 1)


def run_chunks(function: Callable[[Any, Sequence[Any]], list], items: Sequence[Any], jobs: int, context: Any,
               advance: Callable[[int], None] | None = None) -> Iterator[Any]:
    """function(context, chunk) over chunks of items, here and in forked helpers when worth it; results in item order.

    `jobs` processes work: this one and jobs - 1 helpers forked with `context` (the graph, with the
    site and the template environment) in memory, so it is inherited instead of pickled: only the
    helpers' results cross. This process works too rather than wait: one helper fewer holds a copy
    of what it touches of the context, and its own results need no pickling. Each chunk's results
    are given as soon as they and those before them are done (the caller may take them in while the
    helpers go on).
    """
    advance = advance or (lambda n: None)
    if jobs <= 1 or len(items) < MIN_PARALLEL or not hasattr(os, "fork"):
        yield from function(context, items)
        advance(len(items))
        return
    chunks = _chunks(items, jobs)
    try:
        with _Helpers(function, context, chunks, jobs - 1) as helpers:
            for index, chunk in enumerate(chunks):
                yield from helpers.results(index)
                advance(len(chunk))
    finally:
        gc.unfreeze()


class _Helpers:
    """Forked processes sharing a fixed list of chunks with this one, each taking the next chunk free.

    The chunks' numbers are all written into a pipe before the first fork and its writing end
    closed, so a read of 4 bytes takes one number or finds the pipe empty, never waits. A helper
    pickles a chunk's results into a file in memory of its own (made before the first fork) and
    writes the chunk's number on a second pipe. A chunk a helper took and did not finish (it died) is
    done here.

    A helper ends after HELPER_CHUNKS chunks and a fresh one is forked while chunks are left: a
    helper copies each page of this process's memory it reads (reading a Python object writes its
    reference count), so one that made every chunk would end up with a copy of nearly all of it.
    The fresh one also shares the results taken in since, instead of making them again.
    """

    def __init__(self, function: Callable[[Any, Sequence[Any]], list], context: Any, chunks: list[Sequence[Any]], count: int):
        self.function, self.context, self.chunks, self.count = function, context, chunks, count
        self.done: dict[int, list | None] = {}  # finished chunks: their results when made here, None when in a helper's file
        self.files = [_scratch_file() for _ in chunks]
        self.todo, todo_end = os.pipe()
        os.write(todo_end, b"".join(_NUMBER.pack(index) for index in range(len(chunks))))
        os.close(todo_end)
        self.ready, self.ready_end = os.pipe()
        self._ready_poll = select.poll()  # not select(): it fails on a descriptor numbered past 1023, which a long-lived process may hold
        self._ready_poll.register(self.ready, select.POLLIN)
        self.pids: set[int] = set()
        self._spawn()

    def _spawn(self) -> None:
        """Fork helpers up to `count` while chunks are left (none more once a fork fails: this process does their share)."""
        while len(self.pids) < self.count and _unread(self.todo):
            gc.freeze()  # the helper's collections never visit (and copy) the memory it shares with this process
            try:
                pid = os.fork()
            except OSError:
                self.count = len(self.pids)
                return
            if pid == 0:
                self._help()
            self.pids.add(pid)

    def _help(self) -> None:
        """What a helper does: up to HELPER_CHUNKS chunks, then it ends."""
        try:
            os.close(self.ready)
            for _ in range(HELPER_CHUNKS):
                index = self._take()
                if index is None:
                    break
                self._send(index)
        finally:
            os._exit(0)

    def _take(self) -> int | None:
        """The number of the next chunk nobody has taken, or None."""
        taken = os.read(self.todo, _NUMBER.size)
        return _NUMBER.unpack(taken)[0] if taken else None

    def _send(self, index: int) -> None:
        """Make a chunk's results in a helper and hand them over (an error is handed over as it is raised)."""
        file = self.files[index]
        try:
            made = (True, self.function(self.context, self.chunks[index]))
        except BaseException as exc:  # the caller's own error, raised there when it reaches this chunk
            made = (False, exc)
        try:
            pickle.dump(made, file, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            file.seek(0)
            file.truncate()
            pickle.dump((False, RuntimeError(f"a helper process could not send its results: {made[1]!r}")), file)
        file.flush()
        os.write(self.ready_end, _NUMBER.pack(index))

    def results(self, index: int) -> list:
        """A chunk's results: made here while helpers are busy with it or others, else received."""
        while index not in self.done:
            self._reap()  # before looking at the pipe: what an ended helper finished is on it
            self._receive(0)
            if index in self.done:
                break
            self._spawn()
            mine = self._take()
            if mine is not None:
                self.done[mine] = self.function(self.context, self.chunks[mine])
            elif self.pids:
                self._receive(WAIT_SECONDS)
            else:  # taken by a helper that ended without finishing it
                self.done[index] = self.function(self.context, self.chunks[index])
        found = self.done.pop(index)
        return found if found is not None else self._load(index)

    def _reap(self) -> None:
        """Forget the helpers that have ended."""
        for pid in list(self.pids):
            if os.waitpid(pid, os.WNOHANG)[0]:
                self.pids.discard(pid)

    def _receive(self, timeout: float) -> None:
        """Note the chunks the helpers have finished (waiting up to `timeout` seconds for one)."""
        if self._ready_poll.poll(timeout * 1000):
            for (number,) in _NUMBER.iter_unpack(os.read(self.ready, 4096 - 4096 % _NUMBER.size)):
                self.done[number] = None

    def _load(self, index: int) -> list:
        """The results a helper left in its file (its error raised here)."""
        file = self.files[index]
        file.seek(0)
        ok, made = pickle.load(file)
        file.close()
        if not ok:
            raise made
        return made

    def __enter__(self) -> _Helpers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop the helpers still at work (the caller stopped early) and let go of everything."""
        for pid in self.pids:
            if exc_info[0] is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        for fd in (self.todo, self.ready, self.ready_end):
            os.close(fd)
        for file in self.files:
            file.close()


def _unread(fd: int) -> int:
    """How many bytes a pipe holds."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, bytes(4)))[0]


HELPER_CHUNKS = 6  # chunks a helper makes before a fresh one takes over
WAIT_SECONDS = 0.05  # how long this process waits on the helpers before it looks whether one has ended
_NUMBER = struct.Struct("<I")  # a chunk's number on a pipe


def _chunks(items: Sequence[Any], jobs: int) -> list[Sequence[Any]]:
    """Chunks that shrink as the work runs out: up to 256 items while there is plenty (more past 256,000
    items: each chunk has a file open until it is read), 16 at the end.

    With chunks of one size, the last one (256 files of Markdown, 0.5-0.8 s) kept one process
    busy while the other had nothing left: 1.3 core-seconds idle in the reading of 10,000 articles.
    Each chunk is a quarter of the remaining work's share per process, so both finish together.
    """
    chunks, start, largest = [], 0, max(256, len(items) // 1000)
    while start < len(items):
        size = max(16, min(largest, (len(items) - start) // (jobs * 4)))
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
        self._pid = pid
        self._child = weakref.finalize(self, _reap, pid, read, self._files)

    def close(self) -> None:
        """End the child now if it still works (its results are no longer wanted), close its pipe and files, and wait for it."""
        if self._child is not None and self._child.alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._child()

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
