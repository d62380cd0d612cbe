"""Session-wide settings of the test run, and the sample-site fixtures; the helpers are in support.py."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from support import EPOCH, SMALL, make_site, run_build

_SAVED_ENV: dict[str, str | None] = {}
_HYPOTHESIS_HOME: list[str] = []


def pytest_configure(config):
    """Before anything builds: one fixed 'now' for every build of the run, and Hypothesis's files in a temporary folder.

    SOURCE_DATE_EPOCH is set here, once, so session fixtures, in-process builds and subprocesses all see it;
    no test sets it again. Hypothesis writes its caches to a folder of its own, never `.hypothesis/` in the repository.
    """
    home = tempfile.mkdtemp(prefix="mib-hypothesis-")
    _HYPOTHESIS_HOME.append(home)
    for name, value in (("SOURCE_DATE_EPOCH", EPOCH), ("HYPOTHESIS_STORAGE_DIRECTORY", home)):
        _SAVED_ENV[name] = os.environ.get(name)
        os.environ[name] = value
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(home)  # in case Hypothesis looked for its folder before this ran


def pytest_unconfigure(config):
    """Give the environment back as it was, and remove Hypothesis's folder."""
    for name, value in _SAVED_ENV.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
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
