"""Files replaced in one move: written under a fresh name beside them, then renamed over them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Replace a file in one move (a watcher sees one change; a reader never sees half a file).

    The new bytes go into a file made for them (never one already there, never through a link), which is then
    renamed over `path`; when that fails, it is removed and the error raised.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
