"""Outputs (a path and its bytes) and publishing them atomically into the output folder."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat as stat_mode
import sys
import threading
from collections.abc import Collection, Container, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..graph.parallel import Background
from ..graph.store import tuple_reduce
from ..problems import ERROR, BuildFailed, Problem
from .outdir import claim, publish_refusal
from .system import libc, start_writeback, write_denied

RENAME_EXCHANGE = 2
FSYNC_AT_MOST = 256  # more written files than this: flush the whole file system at once (syncfs)


class _OutputFields(NamedTuple):
    path: str
    data: bytes | None
    source: str
    digest: str
    key: str
    fresh: bool


class Output(_OutputFields):
    """One file of the built site: where it goes, its bytes, and what it was made from.

    `data` is None for a page whose cached render key matched: the published file is kept.
    The digest of new bytes is computed when not given.
    """

    __slots__ = ()
    __reduce__ = tuple_reduce

    def __new__(cls, path: str, data: bytes | None, source: str = "", digest: str = "", key: str = "", fresh: bool = True) -> Output:
        """An output; its digest computed from `data` when not given."""
        if not digest and data is not None:
            digest = bytes_digest(data)
        return super().__new__(cls, path, data, source, digest, key, fresh)

    @property
    def is_html(self) -> bool:
        """True for HTML pages."""
        return self.path.endswith(".html")

    def kept(self) -> Output:
        """The same file as a later build sees it: published, its bytes on disk, not rendered by that build."""
        return self if not self.fresh else Output(self.path, None, self.source, self.digest, self.key, fresh=False)


def url_to_path(url: str) -> str:
    """The output file of a URL: '/news/x/' gives 'news/x/index.html'."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


def safe_relative(path: str) -> bool:
    """True when a relative output path stays inside the output folder."""
    return bool(path) and not path.startswith("/") and ".." not in path.split("/") and "\x00" not in path


def digest(data: bytes) -> str:
    """A content hash of an output's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


bytes_digest = digest  # for Output, whose field of that name hides the function


class Listed(NamedTuple):
    """A folder as listed: each file's (size, mtime_ns, inode) by relative path, and each folder's mark by relative path
    ("" for the folder itself): its (mtime_ns, inode), which changes whenever an entry is added to it, removed or renamed."""

    files: dict[str, tuple[int, int, int]]
    marks: dict[str, tuple[int, int]]


class Check(NamedTuple):
    """The published folder against what the last build left there: the files not as left (each one's (size, mtime_ns,
    inode), None when gone), and the folder's listing when it had to be read whole (else None: every folder as left)."""

    differing: dict[str, tuple[int, int, int] | None]
    walked: Listed | None


class Folders:
    """The listings of the published and staging folders, each taken by a forked process while the build goes on.

    They are used only while both folders are still the same directories, unmodified at the top.
    """

    def __init__(self, published: Check | Listed | Background, staged: Listed | Background | None, identity: tuple,
                 staging_dir: Path | None = None, known: Mapping[str, Any] | None = None, marks: dict | None = None):
        self._published, self._staged, self.identity = published, staged, identity  # each a Background until its result is asked for
        self._staging_dir = staging_dir
        self._known, self._marks = known, marks

    @classmethod
    def listed(cls, out_dir: Path, known: Mapping[str, Any] | None = None, marks: dict[str, tuple[int, int]] | None = None) -> Folders:
        """The published folder listed by a forked process while this one goes on (reading the cache); the staging
        folder when a pass is due (list_staging).

        With `known` (the files the last build left there, each with its size, mtime_ns and ino) and
        the marks of its folders, the published folder is checked rather than listed
        (`checked_listing`), and only what differs comes back. Both identities are taken first, so a
        change while listing shows. A build that finds nothing changed never lists the staging folder:
        its listing would only take a core from the one that looks at the published folder.
        """
        staging_dir = staging_folder(out_dir)
        identity = (_identity(out_dir), _identity(staging_dir))
        checked = known is not None and marks is not None
        call = (checked_listing, (out_dir, known, marks)) if checked else (tree_listing, (out_dir,))
        return cls(Background(call), None, identity, staging_dir, known if checked else None, marks if checked else None)

    def close(self) -> None:
        """End the listings not taken (a build that stopped before it asked for them)."""
        for listing in (self._published, self._staged):
            if isinstance(listing, Background):
                listing.close()

    def list_staging(self) -> None:
        """Start listing the staging folder in a forked process (once), for a build that will publish."""
        if self._staged is None and self._staging_dir is not None:
            self._staged = Background((inodes, (self._staging_dir,)))

    def not_as_left(self, published: Mapping[str, Any]) -> set[str]:
        """The published files that are not as the last build left them (`published`: changed, gone, or not its own)."""
        found = self._result()
        if isinstance(found, Check):
            return set(found.differing)
        return set(_differing(published, found.files))

    @property
    def published_listing(self) -> Listed:
        """The published folder's files and folder marks (made from what the last build left when it was only checked)."""
        found = self._result()
        if isinstance(found, Listed):
            return found
        if found.walked is None:
            files = {path: _stats(entry) for path, entry in self._known.items()}
            files.update(found.differing)  # the files changed in place: the only difference a folder's mark does not show
            self._published = Listed(files, self._marks)
        else:
            self._published = found.walked
        return self._published

    @property
    def walked_marks(self) -> dict[str, tuple[int, int]] | None:
        """The marks of the published folder's folders when it was read whole (None when it was only checked)."""
        found = self._result()
        return found.marks if isinstance(found, Listed) else found.walked.marks if found.walked is not None else None

    @property
    def staged(self) -> Listed | None:
        """The inode of each file of the staging folder, as (-1, -1, inode), and its folder marks (None: unknown)."""
        if isinstance(self._staged, Background):
            self._staged = self._staged.result()
        return self._staged

    def still_there(self, out_dir: Path, staging_dir: Path) -> bool:
        """True when both folders are the ones these listings describe."""
        return self.identity == (_identity(out_dir), _identity(staging_dir))

    def _result(self) -> Check | Listed:
        """What the forked process found (waited for the first time)."""
        if isinstance(self._published, Background):
            self._published = self._published.result()
        return self._published


def _stats(entry: Any) -> tuple[int, int, int]:
    """A published file's (size, mtime_ns, inode) as the last build noted it."""
    return (entry.size, entry.mtime_ns, entry.ino)


def _differing(known: Mapping[str, Any], files: dict[str, tuple[int, int, int]]) -> dict[str, tuple[int, int, int] | None]:
    """The files of a listing not as the last build left them: changed, gone (None), or not its own."""
    found = {path: files.get(path) for path, entry in known.items() if files.get(path) != _stats(entry)}
    found.update((path, stats) for path, stats in files.items() if path not in known)
    return found


def staging_folder(out_dir: Path) -> Path:
    """Where the next version of the site is staged: a hidden folder beside the output folder."""
    out_dir = out_dir.absolute()
    return out_dir.with_name(f".{out_dir.name}.staging")


def _identity(folder: Path) -> tuple[int, int, int] | None:
    """A folder's device, inode and modification time (None when missing)."""
    try:
        stat = os.stat(folder)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_mtime_ns)


class Staging:
    """The next version of the site, assembled beside the published one, then swapped in whole.

    The staging folder is the generation before the published one, kept from the last swap and
    brought in line with it right after (`relink`): its files are hard links to the published
    files. A build writes only the files that changed (always as new files, never into a linked
    one); at commit the rest of the folder is checked by inode (what a killed build or a
    one-file publish left out is linked), and the two folders are exchanged with renameat2, so
    readers see the old site or the new one, never a mix. A killed build leaves the published
    site as it was and the staging folder to be brought in line again by the next build. Files
    can be staged from forked helpers.
    """

    def __init__(self, out_dir: Path, known: dict | None = None, folders: Folders | None = None):
        self.out_dir = out_dir.absolute()
        self.dir = staging_folder(self.out_dir)
        self.old = self.out_dir.with_name(f".{self.out_dir.name}.old")
        with writing(self.out_dir):
            _prepare(self.out_dir, self.dir, self.old)
        self.folders = folders if folders is not None and folders.still_there(self.out_dir, self.dir) else None
        listed = self.folders.published_listing if self.folders else tree_listing(self.out_dir)
        self.current, self.current_marks = dict(listed.files), listed.marks
        self.staged_marks: dict[str, tuple[int, int]] | None = None  # the staging folder's, when listed (see marks())
        self.touched: set[str] = set()  # the files of the staging folder that _align linked or dropped
        self.aligning: tuple[Listed, set[str]] | None = None  # the staging folder's listing, and its files linked to the published ones
        self.known = known or {}
        self.paths: set[str] = set()
        self.written_paths: set[str] = set()
        self.swapped = False
        self.relinking: threading.Thread | None = None  # the staging folder brought in line after the swap, by a thread
        self.moved = False  # the one written file was renamed over the published one (no exchange)

    @property
    def written(self) -> int:
        """How many files this build wrote."""
        return len(self.written_paths)

    def put(self, output: Output) -> Output:
        """Stage one output; returns it without its bytes (they are on disk now)."""
        self.record(output.path, stage_file(self, output.path, output.data, output.digest))
        return Output(output.path, None, output.source, output.digest, output.key, output.fresh)

    def record(self, path: str, written: bool) -> None:
        """Count a file staged (here or in a helper)."""
        self.paths.add(path)
        if written:
            self.written_paths.add(path)

    def record_all(self, paths: Collection[str], written: set[str]) -> None:
        """Count many files staged, those of `written` among them written."""
        self.paths.update(paths)
        self.written_paths.update(written.intersection(paths))

    def file(self, path: str) -> Path:
        """Where the new version of a file is to be read before the commit."""
        return (self.dir if path in self.written_paths else self.out_dir) / path

    def commit(self) -> dict[str, int]:
        """Publish the staged site in one step (nothing is touched when nothing changed)."""
        with writing(self.out_dir):
            return self._commit()

    def _commit(self) -> dict[str, int]:
        """commit(), its OSErrors not yet turned into the build's one message."""
        removed = set(self.current) - self.paths
        stats = {"written": self.written, "unchanged": len(self.paths) - self.written, "removed": len(removed)}
        if not self.written_paths and not removed and self.out_dir.is_dir():
            return stats
        if len(self.written_paths) == 1 and not removed and self.out_dir.is_dir() and set(self.written_paths) <= self.current.keys():
            self._move_in(next(iter(self.written_paths)))
            return stats
        self._align()
        written = sorted(self.written_paths)
        _flush(self.dir, written, sorted(removed))
        _swap(self.dir, self.out_dir, self.old)
        self.swapped = True
        self.relinking = _relink_soon(self.out_dir, self.dir, written, sorted(removed), self.current)
        return stats

    def settle(self) -> None:
        """Wait until the staging folder is in line with the site just published (see `relink`)."""
        if self.relinking is not None:
            self.relinking.join()
        self.relinking = None

    def _move_in(self, path: str) -> None:
        """Publish the one changed file of a site by renaming it from the staging folder over the published one.

        Readers see the old file or the new one, as with the exchange, and the staging folder
        need not be brought in line first: after a build that wrote the whole site, that was
        12,000 hard links (0.75 s at 10,000 articles) for the first edit of a preview session.
        The staging folder is left without that file; the next exchange links it in.
        """
        staged, target = self.dir / path, self.out_dir / path
        _fsync(staged)
        os.rename(staged, target)
        _fsync(target.parent)
        self.moved = True

    def published(self) -> dict[str, tuple[int, int, int]]:
        """Size, mtime and inode of each file published by the commit, as `listing` gives them (before or after it).

        The files not written are hard links to the ones listed before the build; only the
        written ones need a look, in the staging folder until the commit swaps it in.
        """
        found = dict(self.current)  # copied whole, then the few files removed or written changed: 28,000 with search
        for path in self.current.keys() - self.paths:
            del found[path]
        folder = self.out_dir if self.swapped or self.moved else self.dir
        for path in self.written_paths:
            stat = os.lstat(folder / path)
            found[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        return found

    def marks(self) -> dict[str, tuple[int, int]] | None:
        """The mark of each folder of the published site as the commit left it (None: unknown, the next build lists it whole).

        Unchanged when nothing was published; else the marks listed before (of the published folder
        after a rename into it, of the staging folder after the exchange), looked at again along the
        path of every file the build wrote, linked or removed: the folders that changed are among those.
        """
        if self.swapped:
            base, changed = self.staged_marks, self.written_paths | self.touched
        elif self.moved:
            base, changed = self.current_marks, self.written_paths
        else:
            return self.current_marks
        if base is None:
            return None
        marks = dict(base)
        for rel in _folders_along(changed):
            try:
                stat = os.lstat(self.out_dir / rel if rel else self.out_dir)
            except FileNotFoundError:
                marks.pop(rel, None)
                continue
            marks[rel] = (stat.st_mtime_ns, stat.st_ino)
        return marks

    def prepare(self) -> None:
        """Read the staging folder's listing and find which of its files are links to the published ones, ahead of the
        commit: for time the build would spend waiting (a Pagefind run). Files staged since are written, and left out."""
        if self.aligning is None:
            self.dir.mkdir(exist_ok=True)
            listed = self.folders.staged if self.folders and self.folders.staged is not None else inodes(self.dir)
            current = self.current
            self.aligning = listed, {path for path, there in listed.files.items() if (now := current.get(path)) is not None and now[2] == there[2]}

    def _align(self) -> None:
        """Make every unwritten file of the staging folder the published file, and drop the rest."""
        self.prepare()
        listed, linked = self.aligning
        staged, self.staged_marks = listed.files, listed.marks
        dropped = sorted(staged.keys() - self.paths)
        _drop(self.dir, dropped)
        unlinked = (self.paths - self.written_paths) - linked
        _link_published(self.out_dir, self.dir, unlinked, staged)
        self.touched.update(dropped, unlinked)

    def abort(self, failure: BaseException | None = None) -> None:
        """Leave the published site as it was.

        The staging folder is kept for the next build to align, except after a failure to write
        (a full disk, a read-only folder): then it is removed, freeing its space. `failure` is the
        exception that stopped the build; by default the one being handled (abort is called from
        an `except` block).
        """
        failure = failure if failure is not None else sys.exc_info()[1]
        if isinstance(failure, OutputWriteError) or (isinstance(failure, BuildFailed) and any(map(is_write_failure, failure.problems))):
            shutil.rmtree(self.dir, ignore_errors=True)


RELINK_HERE = 256  # fewer files than this are linked at once; more by a thread, beside the saving of the graph


def _relink_soon(out_dir: Path, staging: Path, written: list[str], removed: list[str], before: Container[str]) -> threading.Thread | None:
    """`relink` started: by a thread when there are many files (`Staging.settle` waits for it), else done now.

    A thread, not a forked process: the saving of the graph beside it writes the reference count of
    every value it pickles, and each page it wrote would be copied while a forked process shared it
    (the build's peak memory, some 200 MB more at 10,000 articles). Linking waits on the file system,
    which lets the thread run beside the pickling.
    """
    if len(written) + len(removed) < RELINK_HERE:
        relink(out_dir, staging, written, removed, before)
        return None
    thread = threading.Thread(target=relink, args=(out_dir, staging, written, removed, before), name="relink", daemon=True)
    thread.start()
    return thread


def relink(out_dir: Path, staging: Path, written: list[str], removed: list[str], before: Container[str]) -> bool:
    """Bring the staging folder (the site as it was before the swap: the files of `before`) in line with the site just
    published; False if stopped.

    Each file the build wrote becomes a hard link to the published one, and each file it removed goes,
    so the next build's `_align` finds nothing to do and an edit publishes its own few files without
    linking the rest of the site first (after a first build, a folder and a file per page). Done after
    the swap, this work delays nothing a reader sees. An error stops it quietly: the site is
    published, and the next build's `_align` finishes the work.
    """
    try:
        _drop(staging, removed)
        _link_published(out_dir, staging, written, before)
    except OSError:
        return False
    return True


def _drop(folder: Path, paths: Iterable[str]) -> None:
    """Remove these files of a folder, and the folders they leave empty.

    A file already gone is what was wanted: the staging folder is listed while the build writes
    into it, so its listing may hold a file's temporary name, renamed since (`_write_beside`).
    """
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            (folder / path).unlink()
        _prune_empty(folder, path)


def _link_published(out_dir: Path, staging: Path, paths: Iterable[str], present: Container[str]) -> None:
    """Make each of these files of the staging folder a hard link to the published one (a copy where links are refused),
    in place of the file there (`present`: the paths the staging folder holds)."""
    made: set[str] = set()  # the folders this loop made or found: the search index's thousands of files share a few
    for path in paths:
        target = f"{staging}/{path}"
        if path in present:
            os.unlink(target)
        folder = target.rpartition("/")[0]
        if folder not in made:
            make_folder(folder)
            made.add(folder)
        try:
            os.link(f"{out_dir}/{path}", target)
        except OSError:
            shutil.copy2(out_dir / path, target)


class OutputWriteError(BuildFailed):
    """The output folder (or the staging folder beside it) could not be written: the build stops with one message."""


WRITE_FAILURE = "cannot write the output folder"
_WRITE_HINTS = {
    errno.ENOSPC: "free some space",
    errno.EDQUOT: "free some space: the disk quota is reached",
    errno.EROFS: "the file system is mounted read-only",
    errno.EACCES: "check the folder's permissions (ls -ld)",
    errno.EPERM: "check the folder's permissions and attributes (ls -ld, lsattr -d: is it immutable?)",
}


def write_failure(out_dir: Path, exc: OSError) -> Problem:
    """The one problem a build reports when its output folder cannot be written."""
    out_dir = out_dir.absolute()
    cwd = Path.cwd()
    name = str(out_dir.relative_to(cwd)) if out_dir.is_relative_to(cwd) and out_dir != cwd else str(out_dir)
    hint = _WRITE_HINTS.get(exc.errno, "")
    hint = f"{hint}; the published site was left as it was" if hint else "the published site was left as it was"
    return Problem("", 0, ERROR, f"{WRITE_FAILURE} {name}/: {exc.strerror or exc}", hint)


def is_write_failure(problem: Problem) -> bool:
    """True for the problem write_failure() makes."""
    return problem.path == "" and problem.message.startswith(WRITE_FAILURE)


@contextlib.contextmanager
def writing(out_dir: Path) -> Iterator[None]:
    """Turn an OSError raised while writing the output folder into OutputWriteError, the build's one message."""
    try:
        yield
    except OSError as exc:
        raise OutputWriteError([write_failure(out_dir, exc)]) from None


def _prepare(out_dir: Path, staging: Path, old: Path) -> None:
    """Before staging: the folder is this tool's (or empty) and writable, the marker beside it, no old site left."""
    refusal = publish_refusal(out_dir)
    if refusal is not None:
        raise BuildFailed([Problem("", 0, ERROR, f"the output folder {out_dir}/ {refusal.what}", refusal.hint)])
    denied = write_denied(str(out_dir)) if out_dir.is_dir() else 0
    if denied:  # renaming it away would still work: a folder made read-only on purpose is left alone
        raise OSError(denied, os.strerror(denied), str(out_dir))
    out_dir.parent.mkdir(parents=True, exist_ok=True)  # a new output folder in a new place (--output out/site)
    claim(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    if staging.exists() and not staging.is_dir():
        staging.unlink()


def stage_file(staging: Staging, path: str, data: bytes | None, file_digest: str) -> bool:
    """Write a changed file into the staging folder as a new file; True when written."""
    if _unchanged(path, data, file_digest, staging):
        return False
    target = f"{staging.dir}/{path}"
    with writing(staging.out_dir):
        make_folder(target.rpartition("/")[0])
        try:
            _write_new(target, data)  # a new file (a cold build writes only these): no other name, no rename
        except FileExistsError:  # maybe a hard link to the published file: replaced, never written into
            _write_beside(target, data, durable=False)
    return True


def _write_beside(target: str, data: bytes, durable: bool) -> None:
    """Put `data` at `target` at once: written under a hidden name beside it, then renamed over it.

    With `durable`, the new file is flushed to disk before the rename. A file of that hidden name
    (left by a killed build that had this process id) is replaced; nothing is left on failure.
    """
    folder, _, name = target.rpartition("/")
    tmp = f"{folder}/.{name}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    try:
        _write_new(tmp, data)
        if durable:
            _fsync(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def make_folder(folder: str) -> None:
    """Make a folder and any missing parents (nothing when it is there).

    One system call for the usual case, a page's own new folder whose parent exists; pathlib's
    mkdir with its Path objects cost as much again per page at ten thousand pages.
    """
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def _write_new(file: str, data: bytes) -> None:
    """Create a file that must not exist yet (FileExistsError) and write all of `data` into it.

    open() would add a stat, a terminal check and a seek to each of the site's files.
    """
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        start_writeback(fd)  # on its way to disk while the build goes on: the flush before publishing waits less
    finally:
        os.close(fd)


def _flush(folder: Path, written: list[str], removed: list[str]) -> None:
    """Put the staged files on disk before they are published, so a crash leaves the old site or the new one.

    A few files (an edit) are flushed one by one with their folders; many (a cold build) with one
    syncfs of the output's file system. Both wait only for this site's writes, never for
    everything the machine has yet to write, as a global sync would.
    """
    if len(written) > FSYNC_AT_MOST or not hasattr(os, "fsync"):
        _sync_file_system(folder)
        return
    folders = {folder}
    for path in written:
        target = folder / path
        _fsync(target)
        folders.add(target.parent)
    for path in removed:
        parent = (folder / path).parent
        while not parent.is_dir() and parent != folder:
            parent = parent.parent
        folders.add(parent)
    for parent in sorted(folders):
        _fsync(parent)


def _fsync(path: Path) -> None:
    """Flush one file or folder to disk (skipped when it cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):  # the data did not reach the disk
            raise
    finally:
        os.close(fd)


def _sync_file_system(folder: Path) -> None:
    """Flush the file system holding `folder` (Linux syncfs; a global sync elsewhere)."""
    syncfs = getattr(libc(), "syncfs", None)
    try:
        fd = os.open(folder, os.O_RDONLY) if syncfs is not None else -1
    except OSError:
        fd = -1
    if fd >= 0:
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    if hasattr(os, "sync"):
        os.sync()


def _prune_empty(folder: Path, path: str) -> None:
    """Remove the folders a deleted file leaves empty."""
    parent = (folder / path).parent
    while parent != folder:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def publish(outputs: list[Output], out_dir: Path, known: dict | None = None) -> dict[str, int]:
    """Make out_dir hold exactly `outputs`, in one atomic step; returns counts."""
    staging = Staging(out_dir, known)
    try:
        for output in outputs:
            staging.put(output)
    except BaseException:
        staging.abort()
        raise
    stats = staging.commit()
    staging.settle()
    return stats


def tree_listing(folder: Path) -> Listed:
    """Every file of a folder (symbolic links listed, never followed) with its size, mtime and inode, and the mark of
    every folder: each folder read."""
    files: dict[str, tuple[int, int, int]] = {}
    marks: dict[str, tuple[int, int]] = {}
    for rel, entry in walk_files(folder, marks=marks):
        stat = entry.stat(follow_symlinks=False)
        files[rel] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return Listed(files, marks)


def checked_listing(folder: Path, known: Mapping[str, Any], marks: dict[str, tuple[int, int]]) -> Check:
    """The published folder against what the last build left there (`known`: each file's size, mtime_ns and ino; the
    marks of its folders), without reading a folder while every folder has its mark.

    A folder whose entries are added, removed or renamed gets a new modification time, so folders
    that kept their marks hold the files they held, and a file changed in place shows in its own
    size and time: each is looked at (one lstat) instead of each folder read and each file looked
    at. A folder without its mark, or a file not there, and the folder is listed whole. Only what
    differs is given back: a forked process sends it, and most builds find nothing.
    """
    top = os.fspath(folder)
    try:
        for rel, mark in marks.items():
            stat = os.lstat(f"{top}/{rel}" if rel else top)
            if (stat.st_mtime_ns, stat.st_ino) != mark or not stat_mode.S_ISDIR(stat.st_mode):
                return _walked(folder, known)
        differing: dict[str, tuple[int, int, int] | None] = {}
        for rel, entry in known.items():
            if rel.rpartition("/")[0] not in marks:  # a file in a folder that has no mark: the marks are not the whole tree
                return _walked(folder, known)
            stat = os.lstat(f"{top}/{rel}")
            now = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
            if now != _stats(entry):
                differing[rel] = now
    except OSError:
        return _walked(folder, known)
    return Check(differing, None)


def _walked(folder: Path, known: Mapping[str, Any]) -> Check:
    """The check of a folder read whole."""
    walked = tree_listing(folder)
    return Check(_differing(known, walked.files), walked)


def inodes(folder: Path) -> Listed:
    """Relative path to (-1, -1, inode) of every file in a folder, and its folders' marks: what the staging folder's
    listing is used for.

    The inode comes from the directory entry itself, with no stat per file; where it differs
    from the file's own (some overlay file systems), a file is only linked again.
    """
    marks: dict[str, tuple[int, int]] = {}
    files = {rel: (-1, -1, entry.inode()) for rel, entry in walk_files(folder, marks=marks)}
    return Listed(files, marks)


def walk_files(folder: Path, marks: dict[str, tuple[int, int]] | None = None) -> Iterator[tuple[str, os.DirEntry]]:
    """Every entry under a folder that is not a folder (symbolic links included, never followed), by relative path;
    with `marks`, each folder's (mtime_ns, inode) recorded there by its relative path ("" for `folder`).

    One scandir per folder and the entries' own lstat, with no path joined per file as os.walk does.
    """
    if marks is not None:
        try:
            top = os.lstat(folder)
        except OSError:
            return
        marks[""] = (top.st_mtime_ns, top.st_ino)
    folders = [("", str(folder))]
    while folders:
        rel, top = folders.pop()
        try:
            entries = os.scandir(top)
        except OSError:  # missing, not a folder, or unreadable: nothing listed, as os.walk would
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{rel}{entry.name}/", entry.path))
                    if marks is not None:
                        stat = entry.stat(follow_symlinks=False)
                        marks[rel + entry.name] = (stat.st_mtime_ns, stat.st_ino)
                else:
                    yield rel + entry.name, entry


def _folders_along(paths: Iterable[str]) -> set[str]:
    """Every folder on the way to these files, "" (the top) included."""
    found = {""}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder and folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def _unchanged(path: str, data: bytes | None, file_digest: str, staging: Staging) -> bool:
    """True when the published file already has these bytes (None: known to be unchanged)."""
    if path not in staging.current:
        return False
    if data is None:
        return True
    size, mtime, _inode = staging.current[path]
    if size != len(data):
        return False
    entry = staging.known.get(path)
    if entry is not None and (entry.size, entry.mtime_ns) == (size, mtime):
        return entry.digest == file_digest
    try:
        return (staging.out_dir / path).read_bytes() == data
    except OSError:
        return False


def _swap(staging: Path, out_dir: Path, old: Path) -> None:
    """Exchange staging and out_dir atomically; the old site becomes the next staging folder.

    Without renameat2, the published folder is renamed aside, the staging folder into its place,
    and the old site back to its place if that second step fails.
    """
    if out_dir.is_dir() and _exchange(staging, out_dir):
        return
    moved = out_dir.exists()
    if moved:
        os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except OSError:
        if moved:
            os.rename(old, out_dir)
        raise
    if moved:
        os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    renameat2 = getattr(libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0

