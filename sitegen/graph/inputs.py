"""The build's inputs: every file under the site's folders as listed before anything is read, the options, git.

Each file is an input node ("file", path) whose digest is that of its bytes; each folder's list of
entries is an input node ("tree", folder). A file whose size, times and inode are those the last
build listed is taken as unchanged without being read, unless it changed so shortly before that
listing that a later change in the same clock tick would not show ("racy", as git calls it):
such a file is read again. A changed listing entry is read and compared by digest, so a file
saved with the same bytes changes nothing.
"""

from __future__ import annotations

import errno
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..problems import Problem
from .core import Graph, Rule, digest_of

FOLDERS = ("content", "templates", "static")
RACY_NS = 2_000_000_000
MISSING = b""  # the digest of a file that does not exist
FILE, GOOD_LINK, UNREADABLE, HIDDEN = "f", "l", "u", "h"  # entry kinds in a folder's listing
# A link the build does not follow is listed with a kind starting with "x", saying why.
LINK_OUT, FOLDER_OUT, LINK_FOLDER, LINK_HIDDEN, LINK_DANGLING, LINK_LOOP = "xo", "xO", "xf", "xh", "xd", "xl"
BAD_LINKS = {
    LINK_OUT: ("this link points outside the site's folder", "copy the file in instead of linking to it"),
    FOLDER_OUT: ("this folder links outside the site's folder", "copy the files in instead of linking to them"),
    LINK_FOLDER: ("this link points to a folder", "move the folder here instead of linking to it"),
    LINK_HIDDEN: ("this link points into a hidden folder", "copy the file in instead of linking to it"),
    LINK_DANGLING: ("this link points to a file that does not exist", "remove the link, or copy the file in"),
    LINK_LOOP: ("this link points back to itself, in a loop", "remove the link, or copy the file in"),
}
HIDDEN_HINT = "names starting with '.', such as .env, .git/ or .DS_Store, are never published; rename it if it belongs on the site"

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


@dataclass
class Listing:
    """The input files as listed now: their stats, and each folder's entries."""

    stats: dict[str, Stat]  # path as editors see it -> stat (of the target, for a link the build follows)
    trees: dict[str, tuple[tuple[str, str], ...]]  # folder -> (path, kind) of every entry but folders, sorted
    taken_ns: int


def list_inputs(root: Path, config: Path) -> Listing:
    """Every input file with its stat, and every folder's entries (links checked, never followed out of the site)."""
    taken_ns = time.time_ns()
    stats: dict[str, Stat] = {}
    trees = {}
    real_root = os.path.realpath(root)
    config_name = shown(config, root)
    _stat_into(stats, str(config), config_name)
    for folder in FOLDERS:
        entries = []
        for rel, entry in _walk(root / folder, f"{folder}/"):
            if entry.name.startswith("."):  # never read, never published: said once (a hidden folder is not walked into)
                entries.append((rel + "/" if entry.is_dir(follow_symlinks=False) else rel, HIDDEN))
                continue
            kind = FILE
            if entry.is_symlink():
                kind = _link_kind(entry.path, real_root)
            if kind in (FILE, GOOD_LINK) and not _stat_into(stats, entry.path, rel):
                kind = UNREADABLE
            entries.append((rel, kind))
        entries.sort()
        trees[folder] = tuple(entries)
    return Listing(stats, trees, taken_ns)


def shown(path: Path, root: Path) -> str:
    """A path relative to the site's folder when inside it."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)


def _walk(folder: Path, prefix: str) -> Iterator[tuple[str, os.DirEntry]]:
    """Every entry under a folder that is not a folder (links included, never followed), and each hidden folder, not walked into."""
    if folder.is_symlink() or not folder.is_dir():
        return
    folders = [(prefix, str(folder))]
    while folders:
        rel, top = folders.pop()
        try:
            entries = os.scandir(top)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                    folders.append((f"{rel}{entry.name}/", entry.path))
                else:
                    yield rel + entry.name, entry


def _link_kind(path: str, real_root: str) -> str:
    """GOOD_LINK for a link to a regular file inside the site's folder and outside every dotted folder; else why not."""
    try:
        os.stat(path)
    except OSError as exc:
        return LINK_LOOP if exc.errno == errno.ELOOP else LINK_DANGLING
    target = os.path.realpath(path)
    if not target.startswith(real_root + os.sep):
        return FOLDER_OUT if os.path.isdir(target) else LINK_OUT
    if any(part.startswith(".") for part in target[len(real_root) + 1 :].split(os.sep)):
        return LINK_HIDDEN
    return GOOD_LINK if os.path.isfile(target) else LINK_FOLDER


def link_problem(rel: str, kind: str) -> Problem | None:
    """The error for an entry listed as a link the build does not follow (None for any other entry)."""
    if kind not in BAD_LINKS:
        return None
    message, hint = BAD_LINKS[kind]
    return Problem(rel, 0, "error", message, hint)


def _stat_into(stats: dict[str, Stat], path: str, shown: str) -> bool:
    """Add one file's stat (a link's target); False when it cannot be read."""
    try:
        found = os.stat(path)
    except OSError:
        return False
    stats[shown] = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)
    return True


def file_digest(data: bytes) -> bytes:
    """The digest of a file's bytes, as input nodes hold it."""
    return hashlib.blake2b(data, digest_size=16).digest()


def read_digest(root: Path, shown: str) -> bytes:
    """The digest of a file as it is now (MISSING when it cannot be read)."""
    try:
        return file_digest((root / shown).read_bytes())
    except OSError:
        return MISSING


Change = tuple[tuple, bytes | None, Any]  # an input's key, its new digest (None: unknown) and its value
Known = dict[str, tuple[Stat | None, bytes | None]]  # path -> (stat as last listed, None when racy; digest)


def input_changes(root: Path, listing: Listing, known: Known, trees: dict[str, bytes], options: dict[str, Any],
                  known_options: dict[str, Any]) -> tuple[list[Change], Known, dict[str, bytes]]:
    """The inputs that differ from what the last build saw, and what to remember of them for the next one.

    A file whose listing entry is as the last build left it is unchanged, unread; one whose entry
    changed is read and compared by digest; a new file is changed without being read (its digest
    comes when a later change needs it); a file gone is MISSING. An entry that changed less than
    two seconds before the listing is remembered as "read it again" (a later save in the same
    clock tick would keep the same entry).
    """
    settled = listing.taken_ns - RACY_NS
    changes: list[Change] = []
    kept: Known = {}
    for shown, stat in listing.stats.items():
        before = known.get(shown)
        digest = before[1] if before else None
        if before is None:
            changes.append((("file", shown), None, None))
        elif before[0] != stat:
            digest = read_digest(root, shown)
            if digest != before[1] or digest is None:
                changes.append((("file", shown), digest, None))
        kept[shown] = (None if max(stat[1], stat[2]) >= settled else stat, digest)
    for shown in known.keys() - listing.stats.keys():
        changes.append((("file", shown), MISSING, None))
    tree_digests = {folder: digest_of(entries) for folder, entries in listing.trees.items()}
    for folder, entries in listing.trees.items():
        if trees.get(folder) != tree_digests[folder]:
            changes.append((("tree", folder), tree_digests[folder], entries))
    for name, value in sorted(options.items()):
        if name not in known_options or known_options[name] != value:
            changes.append((("option", name), digest_of(value), value))
    return changes, kept, tree_digests


def read_input(graph: Graph, root: Path, shown: str) -> bytes | None:
    """A file's bytes, read by the node being computed (None when it does not exist, cannot be read, or is a link not followed)."""
    graph.get(("file", shown))
    if _bad_link(root, shown):
        return None
    try:
        data = (root / shown).read_bytes()
    except OSError:
        return None
    graph.read_file(shown, file_digest(data))
    return data


def _bad_link(root: Path, shown: str) -> str | None:
    """The kind of a link the build does not follow (out of the site, into a hidden folder, to a folder...), else None."""
    path = root / shown
    if not path.is_symlink():
        return None
    kind = _link_kind(str(path), os.path.realpath(root))
    return kind if kind in BAD_LINKS else None


def unreadable(root: Path, shown: str) -> str:
    """Why a file read_input could not read cannot be read: a link it does not follow, or the system's words."""
    kind = _bad_link(root, shown)
    if kind is not None:
        return BAD_LINKS[kind][0]
    try:
        (root / shown).read_bytes()
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    return "cannot read the file"


def unread_problem(root: Path, shown: str) -> Problem | None:
    """The error for a file read_input gave nothing for, when it exists (a link not followed, or unreadable); None when it is missing."""
    kind = _bad_link(root, shown)
    if kind is not None:
        return link_problem(shown, kind)
    if not (root / shown).exists():
        return None
    return Problem(shown, 0, "error", unreadable(root, shown))


def with_digests(kept: Known, digests: dict[str, bytes]) -> Known:
    """The inputs to remember, with the digests of the files this build read (each of the bytes it used)."""
    return {shown: (stat, digests.get(shown, digest)) for shown, (stat, digest) in kept.items()}


def hidden(graph: Graph, rel: str) -> None:
    """The warning for a hidden file or folder (its listed path ends with '/'), which is left out of the site."""
    what = "a hidden folder" if rel.endswith("/") else "a hidden file"
    graph.problem(Problem(rel, 0, "warning", f"{what} is not published", HIDDEN_HINT))


def tree(graph: Graph, folder: str) -> tuple[tuple[str, str], ...]:
    """A folder's entries, read by the node being computed."""
    return graph.get(("tree", folder))


RULES = (Rule("file", 0), Rule("tree", 0), Rule("option", 0))
