"""The inputs of the last published build, so a build with nothing changed can stop at once.

A build reads only `config.yaml` and the files under `content/`, `templates/` and `static/`
(plus the engine's code and, for build.json, the git commit). After a build that published,
the size, times and inode of each of those files are saved with what the build reported. The
next build lists the same files first: when every one is as it was, the options and the
engine are the same, no scheduled item has come due and the published folder is untouched,
the site it would make is the one already published, byte for byte, and the build ends there.

It never trusts a doubtful answer: a symbolic link anywhere among the inputs, or a file
changed within the last `RACY_SECONDS` before the listing (a later edit in the same clock tick
would keep the same times), and no snapshot is saved, so the next build runs in full. The one
exception is a build that spliced edited bodies (splice.py) having read exactly the bytes the
listing hashed: its snapshot keeps the digests of those racy files, and the next build compares
their bytes, not their times.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import read_pickle
from .publish.output import walk_files

SNAPSHOT = "inputs.pickle"
INPUT_FOLDERS = ("content", "templates", "static")
RACY_SECONDS = 2.0


@dataclass
class Inputs:
    """Every file a build reads, as listed before reading any of them."""

    files: dict[str, tuple[int, int, int, int]]
    taken_ns: int
    racy: frozenset[str]  # changed so shortly before the listing that a later change may not show
    linked: bool  # a symbolic link among the inputs: what it points to is not listed
    root: Path = Path(".")
    digests: dict[str, str] = field(default_factory=dict)  # of the racy files' bytes, when asked for

    @property
    def trusted(self) -> bool:
        """True when the listing alone tells whether anything changed."""
        return not self.linked and not self.racy

    def settled(self) -> dict[str, tuple[int, int, int, int]]:
        """The entries that tell a file's bytes have not changed while they stay the same (none behind a link)."""
        if self.linked:
            return {}
        return {rel: entry for rel, entry in self.files.items() if rel not in self.racy and entry[0] >= 0}

    def changed_since(self, before: Inputs) -> set[str] | None:
        """The files that may differ from `before` (None when files were added or removed, or links make it unsure)."""
        if self.linked or before.linked or self.files.keys() != before.files.keys() or before.racy - before.digests.keys():
            return None
        changed = {rel for rel, entry in self.files.items() if before.files[rel] != entry}
        return changed | {rel for rel in before.racy - changed if _digest(self.root / rel) != before.digests[rel]}


@dataclass
class Snapshot:
    """What the last published build read and reported."""

    key: str
    files: dict[str, tuple[int, int, int, int]]
    outputs: dict[str, tuple[int, int]]
    valid_until: float | None
    problems: list = field(default_factory=list)
    overview: list[str] = field(default_factory=list)
    html_files: int = 0
    file_count: int = 0
    racy: frozenset[str] = frozenset()  # files changed too shortly before the listing: compared by `digests`
    digests: dict[str, str] = field(default_factory=dict)

    def inputs(self, root: Path) -> Inputs:
        """The listing it was made from, as `Inputs.changed_since` compares with."""
        return Inputs(self.files, 0, self.racy, False, root, self.digests)


def list_inputs(root: Path, config: Path, digest_racy: bool = False) -> Inputs:
    """Size, modification and change times and inode of every input file (and the bytes' digest of racy ones)."""
    taken_ns = time.time_ns()
    files: dict[str, tuple[int, int, int, int]] = {}
    trusted = _add(files, config, config.name)
    for name in INPUT_FOLDERS:
        trusted = _walk(files, root / name, name) and trusted
    settled = taken_ns - int(RACY_SECONDS * 1e9)
    racy = frozenset(rel for rel, entry in files.items() if max(entry[1], entry[2]) >= settled)
    digests = {rel: _digest(root / rel) for rel in racy} if digest_racy else {}
    return Inputs(files, taken_ns, racy, not trusted, root, digests)


def _digest(path: Path) -> str:
    """A digest of a file's bytes ('' when it cannot be read)."""
    try:
        return bytes_digest(path.read_bytes())
    except OSError:
        return ""


def bytes_digest(data: bytes) -> str:
    """The digest `Inputs.digests` keeps of a racy file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _walk(files: dict, folder: Path, prefix: str) -> bool:
    """Add a folder's files; False when a symbolic link makes the listing unsure."""
    if folder.is_symlink():
        return False
    trusted = True
    for rel, entry in walk_files(folder, f"{prefix}/"):
        linked = entry.is_symlink()
        trusted = trusted and not linked
        if not (linked and os.path.isdir(entry.path)):  # a link to a folder is not followed
            files[rel] = _entry(entry.stat(follow_symlinks=False))
    return trusted


def _add(files: dict, path: Path, rel: str) -> bool:
    """Add one file; False when it is a symbolic link."""
    try:
        stat = os.lstat(path)
    except OSError:
        files[rel] = (-1, -1, -1, -1)
        return True
    files[rel] = _entry(stat)
    return not os.path.islink(path)


def _entry(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What the listing keeps of a file: size, modification and change times, inode."""
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def load(folder: Path) -> Snapshot | None:
    """The saved snapshot, or None."""
    saved = read_pickle(folder / SNAPSHOT)
    return saved if isinstance(saved, Snapshot) else None


def save(folder: Path, snapshot: Snapshot | None) -> None:
    """Write the snapshot atomically, or remove the old one when there is none to trust."""
    target = folder / SNAPSHOT
    tmp = folder / f"{SNAPSHOT}.{os.getpid()}.tmp"
    try:
        if snapshot is None:
            target.unlink(missing_ok=True)
            return
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            pickle.dump(snapshot, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:  # no room: the old snapshot must not outlive the inputs it describes
        for path in (tmp, target):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


def still_published(snapshot: Snapshot | None, key: str, inputs: Inputs, now: float, published: Callable[[], dict]) -> bool:
    """True when a build would publish exactly what is published now (`published()` lists the output folder)."""
    if snapshot is None or inputs.linked or not inputs.racy <= snapshot.racy or snapshot.key != key or snapshot.files != inputs.files:
        return False
    if snapshot.racy and inputs.changed_since(snapshot.inputs(inputs.root)):
        return False  # a file it listed too soon after a change has other bytes now
    if snapshot.valid_until is not None and now >= snapshot.valid_until:
        return False
    return {path: entry[:2] for path, entry in published().items()} == snapshot.outputs
