"""The build cache under .cache/: parsed sources, converted Markdown, rendered-page keys, link scans.

Everything in it is keyed by a hash of its inputs, and the whole cache by a salt made of the
generator's own source code, its libraries' versions and the config, so a stale cache can
never give wrong output: at worst it is ignored and the build runs cold.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

STATE = "state.pickle"
LIBRARIES = ("jinja2", "markdown", "pydantic", "pyyaml", "babel", "python-slugify")


def code_salt(extra: bytes = b"") -> str:
    """A hash of the engine's source, the Python and library versions, and `extra` (the config)."""
    h = hashlib.sha256(sys.version.encode() + extra)
    for name in LIBRARIES:
        h.update(f"{name}={version(name)}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


@dataclass
class Entry:
    """What the manifest knows of one published file."""

    key: str
    digest: str
    size: int
    mtime_ns: int


@dataclass
class Cache:
    """The build's memory between runs."""

    folder: Path
    salt: str
    sources: dict[str, tuple[str, Any, list]] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, Entry] = field(default_factory=dict)
    scans: dict[str, Any] = field(default_factory=dict)
    out_dir: str = ""

    @classmethod
    def load(cls, folder: Path, salt: str) -> Cache:
        """The saved cache when it matches the salt, else an empty one."""
        try:
            with open(folder / STATE, "rb") as handle:
                saved = pickle.load(handle)
            if isinstance(saved, Cache) and saved.salt == salt:
                saved.folder = folder
                return saved
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
        return cls(folder, salt)

    def save(self) -> None:
        """Write the cache atomically (a killed build leaves the old one)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"{STATE}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.folder / STATE)

    def prune(self, keep_sources: set[str], keep_bodies: set[str], keep_scans: set[str]) -> None:
        """Forget what the current site no longer uses, so the cache does not grow forever."""
        self.sources = {k: v for k, v in self.sources.items() if k in keep_sources}
        self.bodies = {k: v for k, v in self.bodies.items() if k in keep_bodies}
        self.scans = {k: v for k, v in self.scans.items() if k in keep_scans}


def text_digest(text: str | bytes) -> str:
    """A short digest for cache keys."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).hexdigest()
