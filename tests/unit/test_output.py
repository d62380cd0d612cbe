"""Publishing: exact contents, untouched files kept, atomic exchange."""

import os
from typing import NamedTuple

import pytest

from sitegen.publish.output import (
    RELINK_HERE,
    Check,
    Folders,
    Listed,
    Output,
    Staging,
    checked_listing,
    publish,
    safe_relative,
    tree_listing,
    url_to_path,
)


def test_url_to_path():
    assert url_to_path("/") == "index.html"
    assert url_to_path("/news/x/") == "news/x/index.html"
    assert url_to_path("/404.html") == "404.html"


def test_safe_relative():
    assert safe_relative("news/x/index.html")
    assert not safe_relative("../x") and not safe_relative("/etc/passwd") and not safe_relative("a/../../b")


def test_publish_writes_keeps_and_removes(tmp_path):
    out = tmp_path / "public"
    stats = publish([Output("a.html", b"A"), Output("d/b.html", b"B")], out)
    assert stats == {"written": 2, "unchanged": 0, "removed": 0}
    inode = os.stat(out / "a.html").st_ino
    stats = publish([Output("a.html", b"A"), Output("c.html", b"C")], out)
    assert stats == {"written": 1, "unchanged": 1, "removed": 1}
    assert _files(out) == {"a.html": b"A", "c.html": b"C"}
    assert os.stat(out / "a.html").st_ino == inode


def test_after_a_publish_the_staging_folder_links_every_published_file(tmp_path):
    """The staging folder is brought in line after each exchange: the next build finds nothing to link."""
    out, staged = tmp_path / "public", tmp_path / ".public.staging"
    publish([Output("a.html", b"A"), Output("d/b.html", b"B")], out)  # a first build: the folder beside it is made
    assert _inodes(staged) == _inodes(out)
    publish([Output("a.html", b"A"), Output("c.html", b"C")], out)
    assert _inodes(staged) == _inodes(out) and sorted(_inodes(out)) == ["a.html", "c.html"]
    assert not (staged / "d").exists(), "a folder left empty by a removed file goes"


def test_many_files_are_linked_by_a_thread_before_publish_returns(tmp_path):
    """More files than RELINK_HERE: linked beside the caller's work, done when publish returns."""
    out, staged = tmp_path / "public", tmp_path / ".public.staging"
    outputs = [Output(f"news/{n}/index.html", str(n).encode()) for n in range(RELINK_HERE + 10)]
    publish(outputs, out)
    assert _inodes(staged) == _inodes(out) and len(_inodes(out)) == RELINK_HERE + 10


def test_the_staging_folder_is_listed_only_for_a_build_that_will_publish(tmp_path):
    """A build that finds nothing changed lists the published folder only; list_staging() starts the other listing."""
    out = tmp_path / "public"
    publish([Output("a.html", b"A"), Output("d/b.html", b"B")], out)
    folders = Folders.listed(out)
    assert folders.published_listing.files.keys() == {"a.html", "d/b.html"}
    assert folders.staged is None
    folders.list_staging()
    assert {path: inode for path, (_, _, inode) in folders.staged.files.items()} == _inodes(tmp_path / ".public.staging")


def test_linked_files_are_never_written_through(tmp_path):
    """Three generations: a file linked into the staging folder is replaced there, never written into."""
    out = tmp_path / "public"
    publish([Output("a.html", b"A1"), Output("b.html", b"B")], out)
    publish([Output("a.html", b"A2"), Output("b.html", b"B")], out)
    with open(out / "a.html", "rb") as second:  # the published A2, also linked from the staging folder
        publish([Output("a.html", b"A3"), Output("c.html", b"C")], out)
        assert second.read() == b"A2"
    assert _files(out) == {"a.html": b"A3", "c.html": b"C"} == _files(tmp_path / ".public.staging")


def _files(folder):
    """Relative path to bytes of every file under a folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _inodes(folder):
    """Relative path to inode of every file under a folder."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_publish_without_changes_touches_nothing(tmp_path):
    out = tmp_path / "public"
    publish([Output("a.html", b"A")], out)
    before = os.stat(out / "a.html").st_mtime_ns, os.stat(out).st_ino
    assert publish([Output("a.html", b"A")], out)["written"] == 0
    assert (os.stat(out / "a.html").st_mtime_ns, os.stat(out).st_ino) == before


def test_a_small_publish_flushes_only_its_own_files(tmp_path, monkeypatch):
    """An edit waits for its own writes (file and folder fsync), never for the whole machine's."""

    out = tmp_path / "public"
    publish([Output("a.html", b"A"), Output("b.html", b"B"), Output("news/x/index.html", b"X")], out)
    flushed = _record_flushes(monkeypatch)
    publish([Output("a.html", b"A"), Output("b.html", b"B2"), Output("news/x/index.html", b"X2")], out)
    staged = tmp_path / ".public.staging"
    assert str(staged / "news/x/index.html") in flushed and str(staged / "news/x") in flushed and str(staged) in flushed
    assert str(staged / "a.html") not in flushed, "a file not written is not flushed"
    assert "everything" not in flushed and not any(f.startswith("syncfs") for f in flushed)
    assert (out / "news/x/index.html").read_bytes() == b"X2" and (out / "b.html").read_bytes() == b"B2"


def test_one_changed_file_is_flushed_then_renamed_over_the_published_one(tmp_path, monkeypatch):
    """A publish changing one file: that file and the published folder holding it are flushed; no exchange."""
    out = tmp_path / "public"
    publish([Output("a.html", b"A"), Output("news/x/index.html", b"X")], out)
    flushed = _record_flushes(monkeypatch)
    publish([Output("a.html", b"A"), Output("news/x/index.html", b"X2")], out)
    staged = tmp_path / ".public.staging"
    assert flushed == [str(staged / "news/x/index.html"), str(out / "news/x")]
    assert (out / "news/x/index.html").read_bytes() == b"X2" and (out / "a.html").read_bytes() == b"A"
    assert not (staged / "news/x/index.html").exists(), "the staging folder gets the file back at the next exchange"


def _record_flushes(monkeypatch) -> list[str]:
    """What is flushed from now on: each fsync'd path, 'everything' for a sync, 'syncfs <folder>' for a syncfs."""
    from sitegen.publish import output

    flushed: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(os.readlink(f"/proc/self/fd/{fd}")), real_fsync(fd)))
    monkeypatch.setattr(os, "sync", lambda: flushed.append("everything"))
    monkeypatch.setattr(output, "_sync_file_system", lambda folder: flushed.append(f"syncfs {folder}"))
    return flushed


def test_a_large_publish_flushes_its_file_system_once(tmp_path, monkeypatch):
    """More files than FSYNC_AT_MOST: one syncfs of the output's file system instead of a call per file."""
    from sitegen.publish import output

    calls: list[str] = []
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append("fsync"))
    monkeypatch.setattr(output, "_sync_file_system", lambda folder: calls.append(f"syncfs {folder.name}"))
    publish([Output(f"p{i}.html", b"x") for i in range(output.FSYNC_AT_MOST + 1)], tmp_path / "public")
    assert calls == ["syncfs .public.staging"]


def test_a_page_replaced_in_place_over_a_temporary_file_a_killed_build_left(tmp_path):
    """One changed page is renamed over the published one, even when a killed build of the same process id left its temporary file."""
    out, staged = tmp_path / "public", tmp_path / ".public.staging"
    publish([Output("a.html", b"old"), Output("b.html", b"b")], out)
    publish([Output("a.html", b"older"), Output("b.html", b"b2")], out)  # an exchange: the staging folder holds a.html
    (staged / f".a.html.{os.getpid()}.tmp").write_bytes(b"left behind")
    assert publish([Output("a.html", b"new"), Output("b.html", b"b2")], out)["written"] == 1
    assert sorted(p.name for p in staged.iterdir()) == ["b.html"]
    assert (out / "a.html").read_bytes() == b"new"
    assert publish([Output("a.html", b"new"), Output("b.html", b"b2")], out)["written"] == 0


def _published(out, outputs, known=None):
    """Publish outputs through a Staging; the files and folder marks it says it left."""
    staging = Staging(out, known)
    for output in outputs:
        staging.put(output)
    staging.commit()
    staging.settle()
    return staging.published(), staging.marks()


@pytest.mark.parametrize("generations", [
    [[("a.html", b"A"), ("d/b.html", b"B"), ("d/e/c.html", b"C")]],  # the first: everything written, folders exchanged
    [[("a.html", b"A"), ("d/b.html", b"B")], [("a.html", b"A"), ("d/b.html", b"B2")]],  # one file renamed into the site
    [[("a.html", b"A"), ("d/b.html", b"B")], [("a.html", b"A2"), ("n/e/c.html", b"C")]],  # written, removed, exchanged
    [[("a.html", b"A"), ("d/b.html", b"B")], [("a.html", b"A"), ("d/b.html", b"B")]],  # nothing written
])
def test_the_marks_a_commit_leaves_are_the_folders_as_listed(tmp_path, generations):
    """After each kind of commit, the files and folder marks it reports are what listing the folder gives."""
    out = tmp_path / "public"
    for outputs in generations:
        files, marks = _published(out, [Output(path, data) for path, data in outputs])
        assert Listed(files, marks) == tree_listing(out)


def test_the_staging_folder_looked_at_before_its_files_are_staged_is_committed_alike(tmp_path):
    """prepare() taken before any file is staged (as while Pagefind runs): the commit publishes the outputs, links the
    unchanged files, drops what the site no longer has, and reports the files and marks that listing the folder gives."""
    out = tmp_path / "public"
    _published(out, [Output("a.html", b"A"), Output("d/b.html", b"B"), Output("d/gone.html", b"G")])
    _published(out, [Output("a.html", b"A2"), Output("d/b.html", b"B2"), Output("d/gone.html", b"G")])  # an exchange
    staging = Staging(out)
    staging.prepare()
    for output in [Output("a.html", b"A3"), Output("d/b.html", b"B2"), Output("n/c.html", b"C")]:
        staging.put(output)
    staging.commit()
    staging.settle()
    assert Listed(staging.published(), staging.marks()) == tree_listing(out)
    assert {path: (out / path).read_bytes() for path in tree_listing(out).files} == {"a.html": b"A3", "d/b.html": b"B2", "n/c.html": b"C"}


class _Left(NamedTuple):
    """A file as a build noted it."""

    size: int
    mtime_ns: int
    ino: int


def test_a_folder_as_it_was_left_is_checked_without_reading_any_folder(tmp_path, monkeypatch):
    """With every folder's mark as recorded, the files are looked at one by one, no folder is read, and only what differs
    comes back; a file added anywhere changes its folder's mark, and the folder is then listed whole."""
    out = tmp_path / "public"
    files, marks = _published(out, [Output("a.html", b"A"), Output("d/b.html", b"B"), Output("d/e/c.html", b"C")])
    known = {path: _Left(*stats) for path, stats in files.items()}
    with monkeypatch.context() as patch:
        patch.setattr(os, "scandir", lambda *args: pytest.fail("a folder was read"))
        assert checked_listing(out, known, marks) == Check({}, None)
        (out / "d/b.html").write_bytes(b"Z")  # changed in place, the same size, a time of its own
        os.utime(out / "d/b.html", ns=(1, files["d/b.html"][1] + 1))
        assert checked_listing(out, known, marks) == Check({"d/b.html": (1, files["d/b.html"][1] + 1, files["d/b.html"][2])}, None)
    (out / "d/e/stray.html").write_text("not ours")
    found = checked_listing(out, known, marks)
    assert found.walked == tree_listing(out) and set(found.differing) == {"d/b.html", "d/e/stray.html"}


def test_a_staging_listing_naming_a_file_gone_since_does_not_stop_the_publish(tmp_path, monkeypatch):
    """The staging folder is listed while the build writes into it: a temporary name the listing caught, renamed since,
    is dropped as gone, not an error."""
    import sitegen.publish.output as output

    out = tmp_path / "public"
    publish([Output("a.html", b"A"), Output("d/b.html", b"B")], out)
    listed = output.inodes

    def with_a_renamed_file(folder):
        found = listed(folder)
        return Listed({**found.files, "d/.b.html.4242.tmp": (-1, -1, 1)}, found.marks)

    monkeypatch.setattr(output, "inodes", with_a_renamed_file)
    publish([Output("a.html", b"A2"), Output("d/b.html", b"B2")], out)
    assert _files(out) == {"a.html": b"A2", "d/b.html": b"B2"}
