"""Outputs (a path and its bytes) and publishing them atomically into the output folder."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class Output:
    """One file of the built site: where it goes, its bytes, and what it was made from."""

    path: str
    data: bytes
    source: str = ""

    @property
    def is_html(self) -> bool:
        """True for HTML pages."""
        return self.path.endswith(".html")


def url_to_path(url: str) -> str:
    """The output file of a URL: '/news/x/' gives 'news/x/index.html'."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


def safe_relative(path: str) -> bool:
    """True when a relative output path stays inside the output folder."""
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts and "\x00" not in path


def digest(data: bytes) -> str:
    """A short content hash."""
    return hashlib.sha256(data).hexdigest()


def publish(outputs: list[Output], out_dir: Path) -> dict[str, int]:
    """Make out_dir hold exactly `outputs`, switching over in one atomic step when anything changed.

    Unchanged files are hard-linked from the published site into a staging folder beside it,
    changed ones written there; the two folders are then exchanged with renameat2, so readers
    see the old site or the new one, never a mix. Returns counts of written, kept and removed files.
    """
    out_dir = out_dir.absolute()
    current = _listing(out_dir)
    wanted = {o.path: o for o in outputs}
    changed = [o for o in outputs if not _same(out_dir / o.path, o.data, current)]
    removed = sorted(set(current) - set(wanted))
    stats = {"written": len(changed), "unchanged": len(outputs) - len(changed), "removed": len(removed)}
    if not changed and not removed and out_dir.is_dir():
        return stats
    staging = out_dir.with_name(f".{out_dir.name}.staging")
    old = out_dir.with_name(f".{out_dir.name}.old")
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    _fill_staging(staging, out_dir, outputs, {o.path for o in changed})
    _swap(staging, out_dir, old)
    return stats


def _listing(folder: Path) -> dict[str, int]:
    """Relative path to size of every file in a folder."""
    if not folder.is_dir():
        return {}
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            found[path.relative_to(folder).as_posix()] = path.stat().st_size
    return found


def _same(path: Path, data: bytes, current: dict[str, int]) -> bool:
    """True when the published file already has these bytes."""
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _fill_staging(staging: Path, out_dir: Path, outputs: list[Output], changed: set[str]) -> None:
    """Write changed files and hard-link unchanged ones into the staging folder."""
    for output in outputs:
        target = staging / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if output.path not in changed:
            try:
                os.link(out_dir / output.path, target)
                continue
            except OSError:
                pass
        with open(target, "wb") as handle:
            handle.write(output.data)
            handle.flush()
            os.fsync(handle.fileno())


def _swap(staging: Path, out_dir: Path, old: Path) -> None:
    """Put staging in place of out_dir atomically where the system allows it."""
    if out_dir.is_dir() and _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)
        return
    if out_dir.exists():
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0
