"""Converted Markdown kept on disk in packs, read only when a page showing it is rendered.

At 10,000 articles the bodies' HTML is some 80 MB; a build after one edit renders a handful of
pages, so the graph keeps where each body is (its digest, pack, offset and length) rather than
the HTML itself. Each process converting bodies writes those of one batch as one pack file (one
file per body cost 0.6 ms a file: 7 s of a cold build at 10,000 articles). Packs no body in use
points to are deleted when the build commits.
"""

from __future__ import annotations

import hashlib
import os
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..atomic import write_atomically

Location = tuple[str, str, int, int]  # digest of the HTML, pack file name, offset, length in bytes
OPEN_AT_MOST = 64


class BodyStore:
    """The HTML of converted bodies, in pack files under one folder."""

    def __init__(self, folder: Path):
        self.dir = folder
        self._pending: list[bytes] | None = None  # the pack being filled by a batch
        self._name = ""
        self._size = 0
        self._open: dict[str, int] = {}
        weakref.finalize(self, _close, self._open)

    def __getstate__(self) -> dict:
        """Pickled without its open files."""
        return {"dir": self.dir}

    def __setstate__(self, state: dict) -> None:
        """Unpickled with nothing open."""
        self.__init__(state["dir"])

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Put every body of the block into one pack, written when the block ends."""
        self._pending, self._size = [], 0
        self._name = f"{os.getpid()}-{os.urandom(6).hex()}.pack"
        try:
            yield
            self._write()
        finally:
            self._pending = None

    def put(self, html: str) -> Location:
        """Keep one body's HTML; where it is."""
        data = html.encode("utf-8")
        body_digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if self._pending is None:
            with self.batch():
                return self.put(html)
        where = (body_digest, self._name, self._size, len(data))
        self._pending.append(data)
        self._size += len(data)
        return where

    def _write(self) -> None:
        """Write the pack being filled (atomically)."""
        if not self._pending:
            return
        write_atomically(self.dir / self._name, b"".join(self._pending))

    def read(self, where: Location) -> str:
        """One body's HTML."""
        _digest, pack, offset, length = where
        fd = self._open.get(pack)
        if fd is None:  # a pack never changes once written: kept open, it is read without an open per body
            if len(self._open) >= OPEN_AT_MOST:
                _close(self._open)
            fd = self._open[pack] = os.open(self.dir / pack, os.O_RDONLY | os.O_CLOEXEC)
        return os.pread(fd, length, offset).decode("utf-8")

    def close(self) -> None:
        """Close the packs kept open (a later read opens its pack again)."""
        _close(self._open)

    def keep_only(self, packs: Iterable[str]) -> None:
        """Delete the packs not named (no body in use is in them)."""
        live = set(packs)
        self.close()
        if self.dir.is_dir():
            for file in self.dir.iterdir():
                if file.name.endswith(".pack") and file.name not in live:
                    file.unlink(missing_ok=True)


def _close(open_packs: dict[str, int]) -> None:
    """Close the packs a store kept open."""
    for fd in open_packs.values():
        os.close(fd)
    open_packs.clear()
