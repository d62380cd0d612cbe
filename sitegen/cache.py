"""The build cache under .cache/: parsed sources, converted Markdown, rendered-page keys, link scans.

Everything in it is keyed by a hash of its inputs, and the whole cache by a salt made of the
generator's own source code, its libraries' versions and the config, so a stale cache can
never give wrong output: at worst it is ignored and the build runs cold.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from itertools import compress, repeat
from operator import is_not
from pathlib import Path
from typing import Any, NamedTuple

from .graph.parallel import Background
from .problems import Problems
from .publish.output import tuple_reduce

STATE = "state.pickle"
JOURNAL = "journal.pickle"  # what changed since STATE was saved, when a build changed little
SPLICED = "spliced.pickle"  # manifest entries of the files published since, by builds that did not load the cache (splice.py)
TABLES = ("sources", "bodies", "body_index", "manifest", "scans", "files", "template_refs", "links_checked")
JOURNAL_AT_MOST = 2000  # more changed entries than this: save the whole cache again
LIBRARIES = ("jinja2", "markdown", "pydantic", "yaml", "babel", "slugify")  # modules: their __version__ is salt


def code_salt(extra: bytes = b"") -> str:
    """A hash of the engine's source, the Python and library versions, and `extra` (the config)."""
    h = hashlib.sha256(sys.version.encode() + extra)
    for name in LIBRARIES:  # the modules' own version strings: importlib.metadata took 30 ms to import and ask
        h.update(f"{name}={import_module(name).__version__}".encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(path.relative_to(Path(__file__).parent).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


class Entry(NamedTuple):
    """What the manifest knows of one published file."""

    key: str
    digest: str
    size: int
    mtime_ns: int

    __reduce__ = tuple_reduce


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
    last: Any = None  # the last published build as `build.py` resumes it (its LastBuild), or None

    @classmethod
    def load(cls, folder: Path, salt: str) -> Cache:
        """The saved cache (with its journal) when it matches the salt, else an empty one.

        A process that saved the cache (the preview server) gets its own object back without
        reading the files again, as long as they are the ones it wrote.
        """
        kept = _IN_MEMORY.get(str(folder))
        if kept and kept[1].salt == salt and _identity(folder) == kept[0]:
            return kept[1]
        try:
            with open(folder / STATE, "rb") as handle:
                if pickle.load(handle) != salt:  # another engine or config: the rest is not even read
                    return cls(folder, salt)
                saved = pickle.load(handle)
                base = _stat(handle.fileno())
            if isinstance(saved, Cache):
                saved.folder = folder
                saved._mark_base(base)
                saved._replay(_load_journal(folder, base))
                saved.manifest.update(_load_spliced(folder))
                return saved
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
        return cls(folder, salt)

    def save(self, small: bool = False) -> str:
        """Write the cache atomically (a killed build leaves the old one); why it could not, or ''.

        With `small` (a build that changed a few entries) only what changed since the saved
        cache is written, as a journal beside it, when it is still the file this cache was read
        from and the changes are few; otherwise the whole cache.
        """
        journal = self._journal() if small else None
        if journal is not None:
            unsaved = write_pickle(self.folder, JOURNAL, journal)
            if not unsaved:
                (self.folder / SPLICED).unlink(missing_ok=True)  # the journal holds them now
                _IN_MEMORY[str(self.folder)] = (_identity(self.folder), self)
            return unsaved
        (self.folder / JOURNAL).unlink(missing_ok=True)
        unsaved = write_pickle(self.folder, STATE, self.salt, self)
        if not unsaved:
            self._saved()
        return unsaved

    def _saved(self) -> None:
        """The whole cache is on disk now: journal what changes after it, and drop what killed builds left."""
        self._mark_base(_stat(self.folder / STATE))
        (self.folder / SPLICED).unlink(missing_ok=True)
        _IN_MEMORY[str(self.folder)] = (_identity(self.folder), self)
        for left in self.folder.glob(f"{STATE}.*.next"):
            with contextlib.suppress(OSError):
                left.unlink()

    def save_in_background(self) -> Callable[[bool], str]:
        """Start writing the whole cache in a forked process, while this one goes on (publishing).

        The function returned waits for it and puts the file in place (True) or throws it away
        (False: the publish failed); it returns why the cache could not be saved, or ''. Nothing
        may change the cache in between.
        """
        tmp = self.folder / f"{STATE}.{os.getpid()}.next"
        writing = Background((_dump, (tmp, self.salt, self)))

        def finish(keep: bool) -> str:
            """Wait for the write; install it or throw it away."""
            unsaved = writing.result()
            if unsaved or not keep:
                tmp.unlink(missing_ok=True)
                return unsaved
            try:
                (self.folder / JOURNAL).unlink(missing_ok=True)
                os.replace(tmp, self.folder / STATE)
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                return exc.strerror or str(exc)
            self._saved()
            return ""
        return finish

    def __getstate__(self) -> dict:
        """Pickled without what only this process needs (the saved file's identity and tables)."""
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def _mark_base(self, identity: tuple | None) -> None:
        """Remember the saved file's identity and its tables' entries, to journal what changes after."""
        self._base = identity
        self._base_tables = {name: dict(getattr(self, name)) for name in TABLES}
        if self.last is not None:
            self.last.mark_base(identity)

    def _journal(self) -> Journal | None:
        """What changed since the saved cache (None when that file is not the one this cache was read from)."""
        base = getattr(self, "_base", None)
        if base is None or _stat(self.folder / STATE) != base:
            return None
        tables = {name: changes(self._base_tables[name], getattr(self, name)) for name in TABLES}
        if sum(len(changed) + len(gone) for changed, gone in tables.values()) > JOURNAL_AT_MOST:
            return None
        last = self.last.journal(base) if self.last is not None else None
        return Journal(base, tables, last, self.out_dir)

    def _replay(self, journal: Journal | None) -> None:
        """Apply a journal saved after this cache."""
        if journal is None:
            return
        for name, table_changes in journal.tables.items():
            apply_changes(getattr(self, name), table_changes)
        self.out_dir = journal.out_dir
        try:
            self.last.replay(journal.last, self)
        except (AttributeError, KeyError, IndexError, TypeError, ValueError):  # no last build, or not the one the journal follows
            self.last = None

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


@dataclass
class Journal:
    """What changed in a cache after it was saved: entries set and removed per table, and the last build's edits."""

    base: tuple  # identity of the saved cache file it applies to
    tables: dict[str, tuple[dict, set]]
    last: Any  # what LastBuild.journal() gave
    out_dir: str


_IN_MEMORY: dict[str, tuple[tuple, Cache]] = {}
_MISSING = object()


def changes(before: dict, now: dict) -> tuple[dict, set]:
    """The entries of `now` set since `before`, and the keys gone.

    The same object is unchanged, found without a Python loop over every entry; another one
    may still be equal (an input entry made again by each listing).
    """
    keys = list(now)
    moved = compress(keys, map(is_not, map(now.__getitem__, keys), map(before.get, keys, repeat(_MISSING))))
    changed = {key: now[key] for key in moved if (old := before.get(key, _MISSING)) is _MISSING or old != now[key]}
    return changed, before.keys() - now.keys()


def apply_changes(table: dict, table_changes: tuple[dict, set]) -> None:
    """Make `table` (as `before` was) what `changes` found `now` to be."""
    changed, gone = table_changes
    table.update(changed)
    for key in gone:
        table.pop(key, None)


def note_published(folder: Path, entries: dict[str, Entry]) -> None:
    """Tell the saved cache of files published without loading it: their manifest entries, kept beside it.

    Each entry says which bytes a file of that size and modification time holds, so it stays
    true; without it the next build would find those files changed and build in full.
    """
    write_pickle(folder, SPLICED, {**_load_spliced(folder), **entries})


def _load_spliced(folder: Path) -> dict[str, Entry]:
    """The manifest entries `note_published` kept (none when unreadable)."""
    entries = read_pickle(folder / SPLICED)
    return entries if isinstance(entries, dict) else {}


def _load_journal(folder: Path, base: tuple) -> Journal | None:
    """The journal saved after the cache file with this identity, or None."""
    journal = read_pickle(folder / JOURNAL)
    return journal if isinstance(journal, Journal) and journal.base == base else None


def read_pickle(path: Path) -> Any:
    """What a pickle file holds, or None when it cannot be read (missing, cut short, of another engine)."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def write_pickle(folder: Path, name: str, *values: Any) -> str:
    """Pickle values, one after the other, to a file atomically; why it could not, or ''."""
    tmp = folder / f"{name}.{os.getpid()}.tmp"
    unsaved = _dump(tmp, *values)
    if not unsaved:
        try:
            os.replace(tmp, folder / name)
        except OSError as exc:
            unsaved = exc.strerror or str(exc)
    if unsaved:
        tmp.unlink(missing_ok=True)
    return unsaved


def _dump(path: Path, *values: Any) -> str:
    """Pickle values, one after the other, to a file; why it could not, or ''."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            for value in values:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def _stat(file: Path | int) -> tuple | None:
    """A file's inode, size and modification time (None when missing)."""
    try:
        stat = os.stat(file)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _identity(folder: Path) -> tuple:
    """The saved cache and journal files' identities."""
    return (_stat(folder / STATE), _stat(folder / JOURNAL))


def text_digest(text: str | bytes) -> str:
    """A short digest for cache keys."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).hexdigest()
