"""The photos' published copies kept by content in .cache/images/, so that a build that starts a new graph (another
engine, a removed cache, the preview's own graph) takes them from there instead of encoding every photo again.

An entry's name is a digest of everything its bytes depend on: the photo's bytes, the width, the format, the
quality, the pixel limit, the Pillow version with its codecs, and the code that encodes (derivatives.py). So an
entry is never out of date. Each use touches it; a build that made every output anew (a new graph) then
deletes the entries it did not use. A full disk or an unwritable cache only means encoding again next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ..atomic import write_atomically
from ..graph.inputs import file_digest

FOLDER = "images"  # in .cache/
SUFFIX = ".bin"
MAX_ENTRY = 64 * 1024 * 1024  # bytes: a larger copy is not kept, and a larger entry not read


def key_of(data: bytes, width: int, fmt: str, quality: int, max_pixels: int) -> str:
    """The entry's name for one copy of a photo."""
    h = hashlib.sha256(_encoder_version().encode())
    h.update(f"\0{width}\0{fmt}\0{quality}\0{max_pixels}\0".encode())
    h.update(file_digest(data))  # the digest the graph gives the photo's bytes
    return h.hexdigest()[:40]


def kept(folder: Path, key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes kept under `key` in `folder`, else made by `make()` and kept there (when there is room)."""
    path = folder / (key + SUFFIX)
    found = _read(path)
    if found is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the sweep after the next new graph keeps it
        return found
    data = make()
    if len(data) <= MAX_ENTRY:
        with contextlib.suppress(OSError):  # no room, or no folder: encoded again next time
            write_atomically(path, data)
    return data


def sweep(folder: Path, since: float) -> None:
    """Delete the entries that no build has used since `since` (seconds since the epoch), and what a killed build left
    half-written."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < since:
                    os.unlink(entry.path)


def _read(path: Path) -> bytes | None:
    """An entry's bytes; None when there is none (a link or anything but a plain file does not count)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return None
            data = file.read(MAX_ENTRY + 1)
    except OSError:
        return None
    return data if 0 < len(data) <= MAX_ENTRY else None


@cache
def _encoder_version() -> str:
    """What the encoded bytes depend on besides the photo and the settings: Pillow, its codecs, derivatives.py."""
    import PIL
    from PIL import features

    codecs = ",".join(f"{name}={features.version(name)}" for name in ("webp", "avif", "jpg", "zlib") if features.check(name))
    code = hashlib.sha256((Path(__file__).parent / "derivatives.py").read_bytes()).hexdigest()
    return f"{PIL.__version__};{codecs};{code}"
