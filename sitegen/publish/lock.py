"""One build of a site at a time: a lock file in the site's .cache/, held for the whole build.

Two builds of one site share its cache and may share an output folder: run at once (two
terminals, a build while the preview server rebuilds), they crashed or published a mix. The
second one now waits for the first, saying so, and gives up with a clear message after
LOCK_TIMEOUT seconds. The lock is the kernel's (flock): a build that is killed releases it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..problems import ERROR, BuildFailed, Problem

LOCK_NAME = "build.lock"
LOCK_TIMEOUT = 600.0  # seconds a build waits for another build of the same site
POLL_SECONDS = 0.05
NAMED_WITHIN = 0.5  # seconds a waiting build gives the holder to write its pid (it writes it right after taking the lock)


def _say(text: str) -> None:
    """Print a line about the wait on standard error."""
    print(text, file=sys.stderr, flush=True)


@contextlib.contextmanager
def site_lock(cache_dir: Path, timeout: float | None = None, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the site's build lock (in `cache_dir`) while the block runs; wait for another build that holds it.

    Raises BuildFailed when the other build still holds it after `timeout` seconds (LOCK_TIMEOUT
    by default). Where the lock file cannot be made (a read-only site folder, which no build can
    write anyway), the block runs without it.
    """
    fd = _open(cache_dir / LOCK_NAME)
    if fd is None:
        yield
        return
    try:
        _acquire(fd, LOCK_TIMEOUT if timeout is None else timeout, say)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)  # explicitly: forked helpers or savers still holding the file keep no lock
    finally:
        os.close(fd)


def _open(path: Path) -> int | None:
    """The lock file, opened for writing (made with its folder when missing); None when that is impossible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError:
        return None


def _acquire(fd: int, timeout: float, say: Callable[[str], None]) -> None:
    """Take the lock, waiting (and saying so once) while another build holds it; BuildFailed after `timeout`.

    A build that has just taken the lock has not yet written its pid: the wait is said once the pid
    is there, or after NAMED_WITHIN seconds without it.
    """
    started = time.monotonic()
    deadline = started + timeout
    waiting = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = _holder(fd)
            now = time.monotonic()
            if now >= deadline:
                raise BuildFailed([_timed_out(holder, timeout)]) from None
            if not waiting and (holder is not None or now >= started + NAMED_WITHIN):
                say(f"waiting for another build of this site{_pid(holder)}…")
                waiting = True
            time.sleep(POLL_SECONDS)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def _holder(fd: int) -> int | None:
    """The process id the holder wrote into the lock file (None while it has not yet)."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _pid(holder: int | None) -> str:
    """' (pid N)' when the holder is known."""
    return f" (pid {holder})" if holder else ""


def _timed_out(holder: int | None, timeout: float) -> Problem:
    """The problem of a build that waited too long for another."""
    return Problem("", 0, ERROR, f"another build of this site{_pid(holder)} was still running after {timeout:g} s",
                   "wait for it to end, or stop it, then build again; nothing was published")
