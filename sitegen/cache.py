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
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .problems import Problems

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
    bodies: dict[str, str] = field(default_factory=dict)  # body key -> first paragraph of its HTML
    body_index: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # body key -> where its HTML is (bodies.py)
    manifest: dict[str, Entry] = field(default_factory=dict)
    scans: dict[str, Any] = field(default_factory=dict)
    files: dict[str, tuple[str, Any, list]] = field(default_factory=dict)
    template_refs: dict[str, list] = field(default_factory=dict)
    links_checked: dict[str, str] = field(default_factory=dict)
    out_dir: str = ""

    @classmethod
    def load(cls, folder: Path, salt: str) -> Cache:
        """The saved cache when it matches the salt, else an empty one.

        A process that saved the cache (the preview server) gets its own object back without
        reading the file again, as long as the file is the one it wrote.
        """
        kept = _IN_MEMORY.get(str(folder))
        if kept and kept[1].salt == salt and _mtime(folder / STATE) == kept[0]:
            return kept[1]
        try:
            with open(folder / STATE, "rb") as handle:
                saved = pickle.load(handle)
            if isinstance(saved, Cache) and saved.salt == salt:
                saved.folder = folder
                return saved
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
        return cls(folder, salt)

    def save(self) -> str:
        """Write the cache atomically (a killed build leaves the old one); why it could not, or ''."""
        tmp = self.folder / f"{STATE}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / STATE)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            return exc.strerror or str(exc)
        _IN_MEMORY[str(self.folder)] = (_mtime(self.folder / STATE), self)
        return ""

    def remember(self, name: str, raw: bytes, compute: Callable[[Problems], Any], problems: Problems) -> Any:
        """compute(problems) for a file's bytes, reused (with its problems) while the bytes are the same."""
        hit = self.files.get(name)
        if hit and hit[0] == text_digest(raw):
            result, found = hit[1], hit[2]
        else:
            found = Problems()
            result = compute(found)
            self.keep(name, raw, result, found)
        problems.extend(found)
        return result

    def keep(self, name: str, raw: bytes, result: Any, found: list) -> None:
        """Store what `remember` would compute for these bytes, when it was computed elsewhere (a worker)."""
        self.files[name] = (text_digest(raw), result, list(found))

    def prune(self, keep_sources: set[str], keep_bodies: set[str], keep_scans: set[str]) -> None:
        """Forget what the current site no longer uses, so the cache does not grow forever."""
        self.sources = {k: v for k, v in self.sources.items() if k in keep_sources}
        self.bodies = {k: v for k, v in self.bodies.items() if k in keep_bodies}
        self.scans = {k: v for k, v in self.scans.items() if k in keep_scans}
        self.files = {k: v for k, v in self.files.items() if not k.startswith("raw:") or k[4:] in keep_sources}


_IN_MEMORY: dict[str, tuple[int, Cache]] = {}


def _mtime(path: Path) -> int:
    """A file's modification time in nanoseconds (-1 when missing)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def text_digest(text: str | bytes) -> str:
    """A short digest for cache keys."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).hexdigest()
