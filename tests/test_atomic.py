"""A build killed at any moment leaves the published site whole: the old one or the new one, never a mix."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import REPO, cli_args, edit, make_site, tree

RUNS = 16


def start(site: Path) -> subprocess.Popen:
    """A build started in its own process group (so its workers die with it), to be killed at a random moment."""
    command = [sys.executable, str(REPO / "build.py"), *cli_args(site, "-q", "--jobs", "2")]
    return subprocess.Popen(command, cwd=site, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def finish(site: Path) -> dict[str, bytes]:
    """Run a build to the end; the published tree."""
    assert start(site).wait(timeout=120) == 0
    return tree(site / "public")


def switch(site: Path, version: int) -> None:
    """Two versions of the content that change many pages (titles show in listings and feeds)."""
    path = site / "content/news/first-award.md"
    if version:
        edit(path, "wins an award", "wins a big award")
    elif "wins a big award" in path.read_text():
        edit(path, "wins a big award", "wins an award")


@pytest.mark.slow
def test_sigkill_at_random_points_never_leaves_a_mix(tmp_path):
    """Kill builds with SIGKILL at random moments: public/ is always a whole site, and the next build succeeds.

    (.public.staging, beside it, links the published files between builds by design.)
    """
    site = make_site(tmp_path)
    switch(site, 0)
    versions = {0: finish(site)}
    switch(site, 1)
    began = time.monotonic()
    versions[1] = finish(site)
    duration = time.monotonic() - began
    assert versions[0] != versions[1]
    rng = random.Random(20261127)
    current = 1
    for _ in range(RUNS):
        target = 1 - current
        switch(site, target)
        process = start(site)
        time.sleep(rng.uniform(0, duration * 1.2))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        published = tree(site / "public")
        assert published in (versions[current], versions[target]), "public/ holds a mix of two builds"
        assert finish(site) == versions[target]
        assert not (site / ".public.old").exists()
        current = target
