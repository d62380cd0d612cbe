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
    """One file of the built site: where it goes, its bytes, and what it was made from.

    `data` is None for a page whose cached render key matched: the published file is kept.
    """

    path: str
    data: bytes | None
    source: str = ""
    digest: str = ""
    key: str = ""

    def __post_init__(self) -> None:
        """Compute the digest of new bytes."""
        if not self.digest and self.data is not None:
            object.__setattr__(self, "digest", digest(self.data))

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
    """A content hash of an output's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def publish(outputs: list[Output], out_dir: Path, known: dict | None = None) -> dict[str, int]:
    """Make out_dir hold exactly `outputs`, switching over in one atomic step when anything changed.

    Unchanged files are hard-linked from the published site into a staging folder beside it,
    changed ones written there; the two folders are then exchanged with renameat2, so readers
    see the old site or the new one, never a mix. `known` (path to an entry with digest, size
    and mtime_ns) spares re-reading files whose stat still matches. Returns counts.
    """
    out_dir = out_dir.absolute()
    staging = out_dir.with_name(f".{out_dir.name}.staging")
    old = out_dir.with_name(f".{out_dir.name}.old")
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    current = listing(out_dir)
    wanted = {o.path for o in outputs}
    changed = [o for o in outputs if not _unchanged(o, out_dir, current, known or {})]
    removed = sorted(set(current) - wanted)
    stats = {"written": len(changed), "unchanged": len(outputs) - len(changed), "removed": len(removed)}
    if not changed and not removed and out_dir.is_dir():
        return stats
    _fill_staging(staging, out_dir, outputs, {o.path for o in changed})
    _swap(staging, out_dir, old)
    return stats


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Relative path to (size, mtime_ns) of every file in a folder."""
    if not folder.is_dir():
        return {}
    found = {}
    prefix = len(str(folder)) + 1
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            stat = os.lstat(path)
            found[path[prefix:].replace(os.sep, "/")] = (stat.st_size, stat.st_mtime_ns)
    return found


def _unchanged(output: Output, out_dir: Path, current: dict[str, tuple[int, int]], known: dict) -> bool:
    """True when the published file already has the output's bytes."""
    if output.path not in current:
        return False
    if output.data is None:
        return True
    size, mtime = current[output.path]
    if size != len(output.data):
        return False
    entry = known.get(output.path)
    if entry is not None and (entry.size, entry.mtime_ns) == (size, mtime):
        return entry.digest == output.digest
    try:
        return (out_dir / output.path).read_bytes() == output.data
    except OSError:
        return False


def _fill_staging(staging: Path, out_dir: Path, outputs: list[Output], changed: set[str]) -> None:
    """Write changed files and hard-link unchanged ones into the staging folder."""
    made: set[Path] = set()
    for output in outputs:
        target = staging / output.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if output.path not in changed:
            try:
                os.link(out_dir / output.path, target)
                continue
            except OSError:
                if output.data is None:
                    shutil.copy2(out_dir / output.path, target)
                    continue
        with open(target, "wb") as handle:
            handle.write(output.data)
    _sync_tree(staging)


def _sync_tree(folder: Path) -> None:
    """Flush the staging folder to disk before it replaces the published site."""
    if hasattr(os, "sync"):
        os.sync()


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
