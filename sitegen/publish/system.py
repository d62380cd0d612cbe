"""The C library's calls that Python's os module lacks (Linux: renameat2, syncfs, sync_file_range)."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
from functools import lru_cache


@lru_cache(maxsize=1)
def libc():
    """The C library (None when it cannot be loaded)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    except OSError:
        return None


def start_writeback(fd: int) -> None:
    """Start putting a file's written bytes on disk, without waiting for them (Linux sync_file_range; else nothing).

    A cold build writes 12,000 pages, then flushes them with one syncfs before publishing: the
    writes started as each page is written leave that flush 0.05-0.14 s instead of 0.33-0.38 s.
    """
    call = _sync_file_range()
    if call is not None:
        call(fd, ctypes.c_longlong(0), ctypes.c_longlong(0), ctypes.c_uint(SYNC_FILE_RANGE_WRITE))


def write_denied(path: str) -> int:
    """Why this process may not write into a folder: an errno (EACCES, EPERM for an immutable one, EROFS), 0 if it may."""
    if os.access(path, os.W_OK):
        return 0
    call = getattr(libc(), "access", None)
    if call is None or call(os.fsencode(path), os.W_OK) == 0:
        return errno.EACCES
    return ctypes.get_errno() or errno.EACCES


SYNC_FILE_RANGE_WRITE = 2


@lru_cache(maxsize=1)
def _sync_file_range():
    """libc's sync_file_range, or None."""
    return getattr(libc(), "sync_file_range", None)
