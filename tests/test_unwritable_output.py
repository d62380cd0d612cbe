"""An output folder that cannot be written (issue #18): a full disk, a read-only or immutable folder, a
read-only file system. Each gives one clear error, removes the staging folder once the build has written
into it, and leaves the published site as it was, never a traceback. The full disk and read-only file system are real (a small tmpfs,
when this machine lets the tests mount one), the read-only folder too (as root, the build runs without
the capability that lets root ignore permissions); otherwise the failure is simulated.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import EPOCH, REPO, load_cli, make_site, tree

cli = load_cli()
from sitegen.problems import BuildFailed  # noqa: E402 - after load_cli put the repository on sys.path
from sitegen.publish import output  # noqa: E402

KEPT = "the published site was left as it was"
ARTICLE = "---\ntitle: Another\ndate: 2024-02-02\n---\nAnother article.\n"


def build(site: Path, out: Path | None = None, jobs: int = 0):
    """Build in this process, no search index."""
    return cli.build(cli.Options(config=site / "config.yaml", output=out or site / "public", search=False, jobs=jobs))


def run(site: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """build.py in a subprocess, from the site's folder."""
    command = [*prefix, sys.executable, str(REPO / "build.py"), "--config", str(site / "config.yaml"), "--no-search", "-q", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=site, timeout=120,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


def failure(name: str, reason: str, hint: str) -> list[str]:
    """The three lines of stderr of a build that could not write its output folder."""
    return [f"error: cannot write the output folder {name}/: {reason} ({hint}; {KEPT})", "1 error, 0 warnings",
            "build failed: nothing was published"]


def change_every_page(site: Path) -> None:
    """An edit of the base template: every page is written again (the exchange of the two folders publishes them)."""
    base = site / "templates" / "base.html"
    base.write_text(base.read_text().replace("<body>", "<body class=\"changed\">"))


def no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def built(tmp_path, monkeypatch):
    """The sample site, built once; the current folder is the site's."""
    site = make_site(tmp_path)
    monkeypatch.chdir(site)
    build(site)
    return site


def test_a_full_disk_while_staging_is_one_error_and_the_site_stays(built, monkeypatch):
    """No room for a new page: one error (not one per page), no staging folder left, public/ as it was."""
    before = tree(built / "public")
    change_every_page(built)
    monkeypatch.setattr(output, "_write_new", no_space)
    with pytest.raises(BuildFailed) as failed:
        build(built)
    assert [str(p) for p in failed.value.problems] == failure("public", "No space left on device", "free some space")[:1]
    assert tree(built / "public") == before
    assert not (built / ".public.staging").exists()


def test_a_full_disk_in_the_render_workers_is_the_same_one_error(tmp_path, monkeypatch):
    """Pages written by forked workers (a site big enough for them): the error reaches the build whole, once."""
    articles = {f"content/news/n{i:02}.md": ARTICLE.replace("Another", f"Article {i}") for i in range(70)}
    site = make_site(tmp_path, articles)
    monkeypatch.chdir(site)
    build(site, jobs=2)
    before = tree(site / "public")
    change_every_page(site)
    monkeypatch.setattr(output, "_write_new", no_space)
    with pytest.raises(BuildFailed) as failed:
        build(site, jobs=2)
    assert sorted({str(p) for p in failed.value.problems}) == failure("public", "No space left on device", "free some space")[:1]
    assert tree(site / "public") == before
    assert not (site / ".public.staging").exists()


def test_a_failed_exchange_without_renameat2_puts_the_site_back(built, monkeypatch):
    """Where the folders are swapped by two renames, a failure of the second renames the published site back."""
    before = tree(built / "public")
    change_every_page(built)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def rename(src, dst):
        if str(src).endswith(".public.staging") and str(dst).endswith("public"):
            raise OSError(errno.EIO, "Input/output error")
        return real_rename(src, dst)

    monkeypatch.setattr(output.os, "rename", rename)
    with pytest.raises(BuildFailed) as failed:
        build(built)
    assert [str(p) for p in failed.value.problems] == [f"error: cannot write the output folder public/: Input/output error ({KEPT})"]
    assert tree(built / "public") == before
    assert not (built / ".public.old").exists()


def dropped_privileges() -> tuple[str, ...]:
    """A command prefix under which permissions apply (root without CAP_DAC_OVERRIDE); skips when there is none."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions would not apply")
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")


@pytest.mark.parametrize("where", ["folder", "subfolder"])
def test_a_read_only_output_folder(built, where):
    """chmod a-w on the output folder (every page changes) or on the folder of the one page that changes: refused, kept."""
    prefix = dropped_privileges()
    locked = built / "public" if where == "folder" else built / "public" / "contact"
    if where == "folder":
        change_every_page(built)
    else:
        page = built / "content/pages/contact.md"
        page.write_text(page.read_text().replace("to be announced", "soon"))
    before, staged = tree(built / "public"), tree(built / ".public.staging")
    locked.chmod(0o555)
    try:
        done = run(built, prefix=prefix)
    finally:
        locked.chmod(0o755)
    assert "Traceback" not in done.stderr
    assert (done.returncode, done.stderr.splitlines()) == (1, failure("public", "Permission denied", "check the folder's permissions (ls -ld)"))
    assert tree(built / "public") == before
    if where == "folder":  # refused before staging: the staging folder is as the last build left it
        assert tree(built / ".public.staging") == staged
    else:  # the one page could not be moved in: the staging folder the build wrote into is removed
        assert not (built / ".public.staging").exists()


def test_an_immutable_output_folder(built):
    """chattr +i on the output folder: the exchange is refused by the kernel; one error, the site kept."""
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(built / "public")], capture_output=True).returncode:
        pytest.skip("chattr +i does not work here (not root, or a file system without attributes)")
    try:
        (built / "content/news/another.md").write_text(ARTICLE)
        before, staged = tree(built / "public"), tree(built / ".public.staging")
        done = run(built)
    finally:
        subprocess.run(["chattr", "-i", str(built / "public")], check=True)
    assert "Traceback" not in done.stderr
    hint = "check the folder's permissions and attributes (ls -ld, lsattr -d: is it immutable?)"
    assert (done.returncode, done.stderr.splitlines()) == (1, failure("public", "Operation not permitted", hint))
    assert tree(built / "public") == before
    assert tree(built / ".public.staging") == staged, "refused before staging: the staging folder is as the last build left it"


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs at tmp_path/disk (skipped where mounting is not allowed); unmounted after the test."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if shutil.which("mount") is None or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
                                                       capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill a file system with one file, leaving about `leave` bytes free."""
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with open(disk / "filler", "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))


def test_a_really_full_disk(small_disk, tmp_path):
    """The output folder on a small disk that fills up: exit 1, one error, the staging folder removed, the site kept."""
    site = make_site(tmp_path)
    out = small_disk / "public"
    assert run(site, "--output", str(out)).returncode == 0
    before = tree(out)
    fill(small_disk, 64 * 1024)
    change_every_page(site)
    done = run(site, "--output", str(out))
    assert "Traceback" not in done.stderr
    assert (done.returncode, done.stderr.splitlines()) == (1, failure(str(out), "No space left on device", "free some space"))
    assert tree(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == [".public.mib-portal", "filler", "public"]
    (small_disk / "filler").unlink()
    assert run(site, "--output", str(out)).returncode == 0, "once there is room again, the next build publishes"
    assert 'class="changed"' in (out / "index.html").read_text()


def test_a_read_only_file_system(small_disk, tmp_path):
    """The output's file system remounted read-only: exit 1, one error naming it, the site kept."""
    site = make_site(tmp_path)
    out = small_disk / "public"
    assert run(site, "--output", str(out)).returncode == 0
    before = tree(out)
    change_every_page(site)
    if subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode:
        pytest.skip("cannot remount read-only here")
    done = run(site, "--output", str(out))
    assert "Traceback" not in done.stderr
    assert (done.returncode, done.stderr.splitlines()) == (1, failure(str(out), "Read-only file system", "the file system is mounted read-only"))
    assert tree(out) == before
