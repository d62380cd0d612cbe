"""Converted Markdown kept on disk, read only when a page showing it is rendered.

At 10,000 articles the bodies' HTML is some 80 MB of Python strings; a rebuild after one edit
renders a handful of pages, so holding every body in memory (and in the pickled cache) was
wasted time and memory. Each conversion worker writes the bodies of one chunk as one *pack*
file (one file per body cost 0.6 ms a file here: 7 s of a cold build at 10,000 articles);
the index (body key to pack, offset and length) lives in the build cache. Packs sit in a
folder named by the engine's salt, so a changed engine or config never reads another one's HTML.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import weakref
from pathlib import Path

Location = tuple[str, int, int]  # pack file name, offset, length in bytes
OPEN_AT_MOST = 64  # packs kept open by one store (a cold build of 10,000 articles writes some 40)


class BodyStore:
    """The HTML of each Markdown body, by the hash of the Markdown."""

    def __init__(self, cache_dir: Path, salt: str, index: dict[str, Location] | None = None):
        self.top = cache_dir / "html"
        self.dir = self.top / salt[:16]
        self.index: dict[str, Location] = index if index is not None else {}
        self._packs: set[str] | None = None
        self._open_packs()

    def _open_packs(self) -> None:
        """No pack open yet; those opened later are closed with the store."""
        self._open: dict[str, int] = {}
        weakref.finalize(self, _close, self._open)

    def __getstate__(self) -> dict:
        """Pickled (with the cache) without its open files."""
        return {key: value for key, value in self.__dict__.items() if key != "_open"}

    def __setstate__(self, state: dict) -> None:
        """Unpickled with no pack open."""
        self.__dict__.update(state)
        self._open_packs()

    def forget_other_engines(self) -> None:
        """Remove the folders of other salts (an older engine or config)."""
        if self.top.is_dir():
            for folder in self.top.iterdir():
                if folder != self.dir:
                    shutil.rmtree(folder, ignore_errors=True)

    def has(self, key: str) -> bool:
        """True when a body's HTML is on disk."""
        if self._packs is None:
            self._packs = set(os.listdir(self.dir)) if self.dir.is_dir() else set()
        location = self.index.get(key)
        return location is not None and location[0] in self._packs

    def read(self, key: str) -> str:
        """One body's HTML."""
        pack, offset, length = self.index[key]
        fd = self._open.get(pack)
        if fd is None:  # a pack never changes once written: kept open, it is read without an open per body
            if len(self._open) >= OPEN_AT_MOST:
                _close(self._open)
            fd = self._open[pack] = os.open(self.dir / pack, os.O_RDONLY | os.O_CLOEXEC)
        return os.pread(fd, length, offset).decode("utf-8")

    def write_pack(self, bodies: list[tuple[str, str]]) -> dict[str, Location]:
        """Keep several bodies' HTML in one new file (atomically); where each one is."""
        data, locations, offset = [], {}, 0
        name = hashlib.blake2b("\n".join(key for key, _ in bodies).encode(), digest_size=16).hexdigest() + ".pack"
        for key, html in bodies:
            encoded = html.encode("utf-8")
            locations[key] = (name, offset, len(encoded))
            data.append(encoded)
            offset += len(encoded)
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f".{name}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(b"".join(data))
        os.replace(tmp, self.dir / name)
        return locations

    def added(self, locations: dict[str, Location]) -> None:
        """Record bodies a worker wrote."""
        self.index.update(locations)
        if self._packs is not None:
            self._packs.update(pack for pack, _, _ in locations.values())

    def prune(self, keep: set[str]) -> None:
        """Forget bodies no longer in use, and delete the packs none of the others is in."""
        for key in [key for key in self.index if key not in keep]:
            del self.index[key]
        live = {pack for pack, _, _ in self.index.values()}
        if self.dir.is_dir():
            for file in self.dir.iterdir():
                if file.name not in live:
                    file.unlink(missing_ok=True)
        self._packs = None


def _close(open_packs: dict[str, int]) -> None:
    """Close the packs a store kept open."""
    for fd in open_packs.values():
        os.close(fd)
    open_packs.clear()
