"""Session-wide settings of the test run, and the sample-site fixtures; the helpers are in support.py."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from support import EPOCH, SMALL, make_site, run_build

_SAVED_ENV: dict[str, str | None] = {}
SHM = "/dev/shm"
SHM_ROOM = 4 << 30  # bytes free on /dev/shm for a run's temporary folders (a full run leaves about 1.3 GB)
_HYPOTHESIS_HOME: list[str] = []


def _memory_temp_root() -> str | None:
    """/dev/shm when TMPDIR is not set and /dev/shm is a writable tmpfs with room; else None (the system's default).

    Every build ends with fsyncs of what it published and of its graph (SQLite): on a disk another program keeps
    busy, each waits its turn (test_fuzz_markdown_body took 25 s with its sites under /tmp on ext4, 15 s under
    /dev/shm, back to back at load average 7). In memory they return at once; what the tests check is the same.
    """
    if "TMPDIR" in os.environ or not os.access(SHM, os.W_OK):
        return None
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        if not any(line.split()[1:3] == [SHM, "tmpfs"] for line in mounts):
            return None
    room = os.statvfs(SHM)
    return SHM if room.f_bavail * room.f_frsize >= SHM_ROOM else None


def _set_env(name: str, value: str) -> None:
    """Set an environment variable for the run, keeping its value to give back at the end."""
    _SAVED_ENV[name] = os.environ.get(name)
    os.environ[name] = value


def pytest_configure(config):
    """Before anything builds: one fixed 'now' for every build of the run, temporary folders in memory, and
    Hypothesis's files in a temporary folder.

    SOURCE_DATE_EPOCH (and TMPDIR, when /dev/shm is used) is set here, once, so session fixtures, in-process builds
    and subprocesses all see it; no test sets it again. Hypothesis writes its caches to a folder of its own, never
    `.hypothesis/` in the repository. pytest's own temporary root follows TMPDIR (xdist's workers get theirs from
    this process).
    """
    memory = _memory_temp_root()
    if memory is not None:
        _set_env("TMPDIR", memory)
        tempfile.tempdir = None  # found again from TMPDIR at its next use
    home = tempfile.mkdtemp(prefix="mib-hypothesis-")
    _HYPOTHESIS_HOME.append(home)
    for name, value in (("SOURCE_DATE_EPOCH", EPOCH), ("HYPOTHESIS_STORAGE_DIRECTORY", home)):
        _set_env(name, value)
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(home)  # in case Hypothesis looked for its folder before this ran


def pytest_unconfigure(config):
    """Give the environment back as it was, and remove Hypothesis's folder."""
    for name, value in _SAVED_ENV.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    tempfile.tempdir = None
    for home in _HYPOTHESIS_HOME:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def site(tmp_path) -> Path:
    """A fresh copy of the minimal sample site (tests/sites/minimal) with the repository's templates and static files."""
    return make_site(tmp_path)


@pytest.fixture(scope="session")
def small_built(tmp_path_factory) -> Path:
    """The small sample site (tests/sites/small), built once: public/ holds a complete site to copy."""
    site = make_site(tmp_path_factory.mktemp("small"), base=SMALL)
    run = run_build(site)
    assert (run.returncode, run.stderr) == (0, ""), f"the small sample site must build cleanly:\n{run}"
    assert (site / "public" / "news" / "hello" / "index.html").is_file()
    return site
