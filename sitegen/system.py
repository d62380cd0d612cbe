"""The C library's calls that Python's os module lacks (Linux: renameat2, syncfs)."""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


@lru_cache(maxsize=1)
def libc():
    """The C library (None when it cannot be loaded)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    except OSError:
        return None
