"""The build graph on disk: one SQLite file holding every node's record, its value, and the inputs as last read.

A node's record (its digest, the revision its value last changed, the ids it read, the ids that
read it, its problems, its clock window, what it demands) is loaded only when the build reaches
it; its value only when something reads it. The inputs (each file's size, times, inode and
digest) and the published files are two blobs read whole at the start of every build.
"""

from __future__ import annotations

import marshal
import os
import pickle
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS nodes (
    id INTEGER PRIMARY KEY,
    key BLOB NOT NULL,
    digest BLOB,
    changed INTEGER NOT NULL,
    deps BLOB NOT NULL,
    users BLOB NOT NULL,
    children BLOB NOT NULL,
    owner INTEGER NOT NULL,
    problems BLOB,
    since REAL,
    until REAL
);
CREATE TABLE IF NOT EXISTS vals (id INTEGER PRIMARY KEY, value BLOB NOT NULL);
"""
INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS nodes_key ON nodes(key);
CREATE INDEX IF NOT EXISTS nodes_with_problems ON nodes(id) WHERE problems IS NOT NULL;
CREATE INDEX IF NOT EXISTS nodes_until ON nodes(until) WHERE until IS NOT NULL;
CREATE INDEX IF NOT EXISTS nodes_since ON nodes(since) WHERE since IS NOT NULL;
"""
FORMAT = 1  # the layout of this file: another one is never read
CHUNK = 500  # ids per query (SQLite's limit on parameters is far above)


def ids_blob(ids: Iterable[int]) -> bytes:
    """A list of node ids as stored."""
    return array("I", ids).tobytes()


def _blob(ids: bytes | Iterable[int], sort: bool = False) -> bytes:
    """A list of node ids as stored, from the ids or from the stored bytes they were never read from."""
    if isinstance(ids, bytes):
        return ids
    return ids_blob(sorted(ids) if sort else ids)


def blob_ids(blob: bytes) -> tuple[int, ...]:
    """The node ids of a stored list."""
    found = array("I")
    found.frombytes(blob)
    return tuple(found)


@dataclass
class Row:
    """One node's record as stored (its value apart); its lists of node ids as stored (`blob_ids` reads them)."""

    id: int
    key: tuple
    digest: bytes | None
    changed: int
    deps: bytes
    users: bytes
    children: bytes
    owner: int
    problems: tuple
    since: float | None
    until: float | None


_COLUMNS = "id, key, digest, changed, deps, users, children, owner, problems, since, until"


def _row(found: tuple) -> Row:
    """A record from a result row."""
    ident, key, digest, changed, deps, users, children, owner, problems, since, until = found
    return Row(ident, marshal.loads(key), digest, changed, deps, users, children, owner,
               pickle.loads(problems) if problems is not None else (), since, until)


class Store:
    """The graph's file: records and values read on demand, changes written in one transaction."""

    def __init__(self, path: Path, salt: str):
        self.path, self.salt = path, salt
        self._pid = -1
        self._db: sqlite3.Connection | None = None
        self.fresh = False  # True when the file was missing, unreadable or of another engine: the graph starts empty
        self._empty: bool | None = None  # no node stored: nothing to look up

    @property
    def db(self) -> sqlite3.Connection:
        """The connection of this process (a forked helper opens its own)."""
        if self._db is None or self._pid != os.getpid():
            self._db = self._open()
            self._pid = os.getpid()
        return self._db

    def _open(self) -> sqlite3.Connection:
        """Open the file; start an empty graph when it is not this engine's."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._connect()
            if self._meta(db, "salt") == (self.salt, FORMAT):
                return db
            db.close()
        except sqlite3.DatabaseError:
            pass
        self.path.unlink(missing_ok=True)
        db = self._connect()
        db.executescript(TABLES + INDEXES)
        db.execute("INSERT INTO meta (name, value) VALUES ('salt', ?)", (pickle.dumps((self.salt, FORMAT)),))
        self.fresh = True
        return db

    def _connect(self) -> sqlite3.Connection:
        """A connection with the settings the build wants (one writer, no waiting for the disk on each statement)."""
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=TRUNCATE")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @staticmethod
    def _meta(db: sqlite3.Connection, name: str) -> Any:
        """A stored setting (None when absent)."""
        try:
            found = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return pickle.loads(found[0]) if found else None

    def meta(self, name: str, default: Any = None) -> Any:
        """A setting kept with the graph (the revision, the inputs, the published files)."""
        found = self._meta(self.db, name)
        return default if found is None else found

    @property
    def empty(self) -> bool:
        """True when no node is stored (a first build): lookups need not ask."""
        if self._empty is None or self._pid != os.getpid():
            self._empty = self.db.execute("SELECT 1 FROM nodes LIMIT 1").fetchone() is None
        return self._empty

    def rows(self, ids: Iterable[int]) -> Iterator[Row]:
        """The records of these nodes (those that exist)."""
        if self.empty:
            return
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            marks = ",".join("?" * len(part))
            for found in self.db.execute(f"SELECT {_COLUMNS} FROM nodes WHERE id IN ({marks})", part):
                yield _row(found)

    def row_of(self, key: tuple) -> Row | None:
        """The record of the node with this key, if any."""
        if self.empty:
            return None
        found = self.db.execute(f"SELECT {_COLUMNS} FROM nodes WHERE key = ?", (marshal.dumps(key, 0),)).fetchone()
        return _row(found) if found else None

    def rows_by_key(self, keys: list[tuple]) -> Iterator[Row]:
        """The records of the nodes with these keys (those that exist), a few queries for them all."""
        if self.empty:
            return
        for start in range(0, len(keys), CHUNK):
            part = [marshal.dumps(key, 0) for key in keys[start : start + CHUNK]]
            marks = ",".join("?" * len(part))
            for found in self.db.execute(f"SELECT {_COLUMNS} FROM nodes WHERE key IN ({marks})", part):
                yield _row(found)

    def values(self, ids: list[int]) -> Iterator[tuple[int, Any]]:
        """(id, value) of these nodes (those with a saved value)."""
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            marks = ",".join("?" * len(part))
            for ident, data in self.db.execute(f"SELECT id, value FROM vals WHERE id IN ({marks})", part):
                yield ident, pickle.loads(data)

    def value(self, ident: int) -> Any:
        """A node's value."""
        found = self.db.execute("SELECT value FROM vals WHERE id = ?", (ident,)).fetchone()
        if found is None:
            raise KeyError(ident)
        return pickle.loads(found[0])

    def with_problems(self) -> Iterator[tuple[int, tuple]]:
        """(id, problems) of every node that has some."""
        for ident, problems in self.db.execute("SELECT id, problems FROM nodes WHERE problems IS NOT NULL"):
            yield ident, pickle.loads(problems)

    def outside(self, now: float) -> list[int]:
        """The nodes whose answer depends on the clock and is not the answer for `now`."""
        found = self.db.execute("SELECT id FROM nodes WHERE until IS NOT NULL AND until <= ?", (now,)).fetchall()
        found += self.db.execute("SELECT id FROM nodes WHERE since IS NOT NULL AND since > ?", (now,)).fetchall()
        return sorted({ident for (ident,) in found})

    def next_id(self) -> int:
        """The first id no node has."""
        found = self.db.execute("SELECT max(id) FROM nodes").fetchone()[0]
        return (found or 0) + 1

    def write(self, rows: Iterable[tuple], values: Iterable[tuple[int, bytes]], deleted: list[int], meta: dict[str, Any]) -> None:
        """Save changed records (`columns` of each) and values, drop deleted nodes, set settings: all or nothing.

        Into an empty graph (a first build) everything is written into a new file, without a
        journal, which is then flushed and renamed over the old one: as atomic, and some three
        times faster at ten thousand articles than a journalled transaction.
        """
        if self.empty:
            self._write_new(rows, values, meta)
            return
        db = self.db
        db.execute("BEGIN")
        try:
            if deleted:
                for start in range(0, len(deleted), CHUNK):
                    part = deleted[start : start + CHUNK]
                    marks = ",".join("?" * len(part))
                    db.execute(f"DELETE FROM nodes WHERE id IN ({marks})", part)
                    db.execute(f"DELETE FROM vals WHERE id IN ({marks})", part)
            _insert(db, rows, values, {"salt": (self.salt, FORMAT), **meta})
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.fresh, self._empty = False, None

    def _write_new(self, rows: Iterable[tuple], values: Iterable[tuple[int, bytes]], meta: dict[str, Any]) -> None:
        """Write a whole graph into a new file and put it in place of the old one."""
        tmp = self.path.with_name(self.path.name + ".new")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.executescript(TABLES)
            db.execute("BEGIN")
            _insert(db, rows, values, {"salt": (self.salt, FORMAT), **meta})
            db.execute("COMMIT")
            db.executescript(INDEXES)  # made once over the sorted keys: faster than kept up to date at each insert
        finally:
            db.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.close()
        os.replace(tmp, self.path)
        self.fresh, self._empty = False, None

    def close(self) -> None:
        """Close this process's connection."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None


def _insert(db: sqlite3.Connection, rows: Iterable[tuple], values: Iterable[tuple[int, bytes]], settings: dict[str, Any]) -> None:
    """Write records, values and settings (inside the caller's transaction)."""
    db.executemany(f"INSERT OR REPLACE INTO nodes ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT OR REPLACE INTO vals (id, value) VALUES (?, ?)", values)
    db.executemany("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
                   ((name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for name, value in settings.items()))


def columns(record: Any) -> tuple:
    """A record (a Row, or anything with its fields; lists of ids as stored, or read) as the columns of its table."""
    r = record
    return (r.id, marshal.dumps(r.key, 0), r.digest, r.changed, _blob(r.deps), _blob(r.users, sort=True), _blob(r.children), r.owner,
            pickle.dumps(r.problems, protocol=pickle.HIGHEST_PROTOCOL) if r.problems else None, r.since, r.until)


def tuple_reduce(record: tuple) -> tuple:
    """How a record (a named tuple) is pickled: its fields given back to its class by tuple.__new__, in C.

    Without it, pickle makes each record again through its class's `__new__`, a Python function:
    the values holding thousands of records (the site's recipes and pages, the published files'
    scans) load in less time with it.
    """
    return tuple.__new__, (type(record), tuple(record))

