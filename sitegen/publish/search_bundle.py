"""One shard of the search index: its pages mirrored, Pagefind run over them, its files kept in .cache/pagefind.

Pagefind does not write its files byte for byte the same from one run to the next (its filter and
meta files, upstream issue #638), so a shard's files are made once for one set of (path, digest) of
its pages, kept in .cache/pagefind/<shard>/<key>/ with the list of their digests (files.json), and
published from there while its pages stay the same.

A shard made again starts from its last bundle's fragments and index chunks, linked in: each is named
by a digest of its bytes, and Pagefind makes only those it does not find, so the fragments of the
pages that did not change are not compressed and written again. Those the new metadata does not name
are then deleted (pagefind_meta), so the bundle holds the files a run over an empty folder makes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from . import pagefind_meta
from .output import digest, walk_files

INDEX_FOLDERS = ("index/", "filter/", "fragment/")
SEEDED = ("fragment/", "index/")  # named by their bytes' digest, and left as they are by Pagefind when present
LISTING = "files.json"  # written last: a folder without it is unfinished
KEPT = 2  # bundles kept per shard: the build's and the preview's (with drafts) are both kept when they differ
Pages = Iterable[tuple[str, str]]  # (path, digest) of the shard's pages


def folder_name(shard: str) -> str:
    """The shard's folder in the cache ('_root' for the root shard)."""
    return shard or "_root"


def key_of(pages: Pages) -> str:
    """The shard's key: a digest of the (path, digest) of its pages."""
    key = hashlib.sha256()
    for path, page_digest in pages:
        key.update(f"{path}\0{page_digest}\n".encode())
    return key.hexdigest()[:20]


def bundle_folder(cache: Path, shard: str, pages: Pages) -> Path:
    """Where the shard's files for these pages are (or will be) kept."""
    return cache / "pagefind" / folder_name(shard) / key_of(pages)


def listing(folder: Path) -> list[tuple[str, str]] | None:
    """The (path in the bundle, digest) of a kept shard's files; None when it was never finished."""
    try:
        return [tuple(item) for item in json.loads((folder / LISTING).read_text())]
    except (OSError, ValueError):
        return None


def make(cache: Path, shard: str, pages: list[tuple[str, str]], locate: Callable[[str], Path], scripts: bool,
         started: threading.Event | None = None) -> str:
    """Index the shard's pages into its folder (with Pagefind's scripts when `scripts`); '' on success, else why not.

    `started` is set as Pagefind starts, or when the work stops before it.
    """
    started = started or threading.Event()
    try:
        return _make(cache, shard, pages, locate, scripts, started)
    except OSError as exc:  # a full disk, a folder of .cache made read-only: one message, not a traceback
        shown = Path(exc.filename) if exc.filename else cache
        return f"cannot write {shown.relative_to(cache.parent) if shown.is_relative_to(cache.parent) else shown}: {exc.strerror or exc}"
    finally:
        started.set()


def _make(cache: Path, shard: str, pages: list[tuple[str, str]], locate: Callable[[str], Path], scripts: bool, started: threading.Event) -> str:
    """make(), its file system's errors raised."""
    folder = bundle_folder(cache, shard, pages)
    mirror = cache / "search-pages" / folder_name(shard)
    sync_mirror(pages, mirror, locate)
    unfinished = folder.with_name(folder.name + ".new")
    error = _index_over(mirror, unfinished, _last(folder.parent, but=folder), started)
    if error:
        return f"Pagefind failed: {error}"
    files = _keep(unfinished, scripts)
    (unfinished / LISTING).write_text(json.dumps(files))
    _drop_old(folder.parent, keep=KEPT - 1, but=unfinished)
    unfinished.rename(folder)
    return ""


def _index_over(mirror: Path, folder: Path, seed: Path | None, started: threading.Event) -> str:
    """Pagefind over the mirror into a new folder holding the seed bundle's fragments and index chunks, those
    its metadata does not name then deleted; without them when the seed cannot be linked or the metadata read."""
    shutil.rmtree(folder, ignore_errors=True)
    seeded = seed is not None and _seeded(seed, folder)
    started.set()
    error = _index(mirror, folder)
    if error or not seeded:
        return error
    named = pagefind_meta.named_files(folder)
    if named is None:
        return _index_over(mirror, folder, None, started)
    for sub in SEEDED:
        for path in (folder / sub).iterdir():
            if f"{sub}{path.name}" not in named:
                path.unlink()
    return ""


def _last(shard_folder: Path, but: Path) -> Path | None:
    """The shard's newest finished bundle but `but` (None when it has none)."""
    try:
        finished = [p for p in shard_folder.iterdir() if p != but and (p / LISTING).is_file()]
    except OSError:
        return None
    return max(finished, key=lambda p: p.stat().st_mtime_ns, default=None)


def _seeded(seed: Path, folder: Path) -> bool:
    """Link the seed bundle's fragments and index chunks into the new folder; False (the folder emptied) when one cannot be."""
    try:
        for sub in SEEDED:
            (folder / sub).mkdir(parents=True)
        for rel, _digest in listing(seed) or ():
            if rel.startswith(SEEDED) and "/" not in rel.split("/", 1)[1]:
                os.link(seed / rel, folder / rel)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return False
    return True


def _drop_old(shard_folder: Path, keep: int, but: Path) -> None:
    """Delete a shard's kept bundles but the `keep` newest (and `but`)."""
    kept = sorted((p for p in shard_folder.iterdir() if p != but), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in kept[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def prune(cache: Path, shards: Iterable[str]) -> None:
    """Delete what is neither a shard made now nor a kept shard (another folder's, as the preview's with drafts).

    The build and the preview may split a language into a different number of shards; each keeps
    its own, so that neither indexes again what the other left. There is one shard name per bucket
    of each language, so the kept shards stay few.
    """
    wanted = {folder_name(shard) for shard in shards}
    kept = cache / "pagefind"
    for place in (kept, cache / "search-pages"):
        if place.is_dir():
            for entry in place.iterdir():
                if entry.name not in wanted and not any((kept / entry.name).glob(f"*/{LISTING}")):
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def sync_mirror(pages: list[tuple[str, str]], mirror: Path, locate: Callable[[str], Path]) -> None:
    """Make the mirror folder hold exactly the shard's pages, writing only the changed ones."""
    record = mirror / ".digests.json"
    try:
        known = json.loads(record.read_text())
    except (OSError, ValueError):
        shutil.rmtree(mirror, ignore_errors=True)
        known = {}
    wanted = dict(pages)
    for path in set(known) - set(wanted):
        (mirror / path).unlink(missing_ok=True)
    there = _files_in(mirror)  # one listing, rather than a look at each of some 800 pages
    for path, page_digest in pages:
        if known.get(path) != page_digest or path not in there:
            target = mirror / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(locate(path).read_bytes())
    mirror.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(wanted, sort_keys=True))


def _index(mirror: Path, folder: Path) -> str:
    """Run Pagefind over the mirror folder; '' on success, else its error."""
    command = [*_pagefind(), "--site", str(mirror), "--output-path", str(folder.absolute())]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return "" if done.returncode == 0 else (done.stderr or done.stdout).strip()[-500:]


def _pagefind() -> list[str]:
    """The command that runs Pagefind: its binary itself (no Python start-up), else through its Python package."""
    try:
        from pagefind_bin import get_executable

        return [str(get_executable())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


def _keep(folder: Path, scripts: bool) -> list[tuple[str, str]]:
    """The (path, digest) of the files to publish, sorted; the others (Pagefind's scripts in a shard) deleted."""
    kept = []
    top = str(folder)
    for rel in sorted(_files_in(folder), key=lambda rel: rel.split("/")):  # in the order of its paths' parts
        if scripts or _own(rel):
            with open(f"{top}/{rel}", "rb") as handle:
                kept.append((rel, digest(handle.read())))
        else:
            os.unlink(f"{top}/{rel}")
    return kept


def _files_in(folder: Path) -> set[str]:
    """The relative paths of the files under a folder, as Path.is_file sees them (empty when it is missing)."""
    return {rel for rel, entry in walk_files(folder) if entry.is_file()}


def _own(rel: str) -> bool:
    """Whether a file of Pagefind's output is the shard's own index (not one of Pagefind's scripts)."""
    return rel.startswith(INDEX_FOLDERS) or rel == "pagefind-entry.json" or rel.endswith(".pf_meta")
