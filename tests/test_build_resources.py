"""A process that builds again and again (the preview server): each build closes what it
opened, whether it published or stopped on a mistake, without waiting for the cycle collector."""

from __future__ import annotations

import contextlib
import gc
import os
from pathlib import Path

import pytest
from support import build_outcome, make_site


def _open_files() -> dict[str, str]:
    """This process's open file descriptors and what each is."""
    found = {}
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the descriptor of the listing itself, closed by now
            found[fd] = os.readlink(f"/proc/self/fd/{fd}")
    return found


def _children() -> set[str]:
    """This process's child processes, running or ended and not waited for."""
    found: set[str] = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as listing:
            found.update(listing.read().split())
    return found


MISTAKES = {
    "none": ("content/news/first-award.md", "received", "was awarded"),
    "a bad date": ("content/news/first-award.md", "date: 2023-05-12", "date: 2023-5-12"),
    "config.yaml broken": ("config.yaml", "per_page:", "per_page: ["),
    "a broken link": ("content/news/platform-news.md", "\n---\n", "\n---\nSee [the plan](/no-such-page/).\n\n"),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
@pytest.mark.parametrize("search", [False, True], ids=["no search", "search"])
def test_a_build_leaves_no_file_open_and_no_process_behind(tmp_path: Path, mistake: str, search: bool):
    site = make_site(tmp_path)
    assert build_outcome(site, search=search)[0] == "built"
    rel, old, new = MISTAKES[mistake]
    path = site / rel
    path.write_text(path.read_text().replace(old, new, 1))
    was_on = gc.isenabled()
    gc.disable()  # what only the collector would free stays, and shows
    try:
        files, children = _open_files(), _children()
        outcome = build_outcome(site, search=search)
        left = {fd: what for fd, what in _open_files().items() if files.get(fd) != what}
        assert outcome[0] == ("built" if mistake == "none" else "failed")
        assert left == {}
        assert _children() == children
    finally:
        if was_on:
            gc.enable()
