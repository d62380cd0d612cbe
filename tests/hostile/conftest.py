"""Harness for hostile-input tests: the small sample site built once and copied per test, the CLI run in a
process of its own between snapshots of everything around it, and each case's outcome pinned in full.

Every case states its outcome: `built(page, text...)` (exit 0, exactly these warnings, the page published
and showing the text) or `refused(line...)` (exit 1, exactly these problem lines, their count and the
verdict, and public/ byte for byte as it was). Whatever the outcome, nothing outside the output folder
changes and no traceback is printed.

Layout of every test's temporary folder (the extra `outer/` level lets a path that climbs out of the site
land somewhere the snapshot can see):

    tmp_path/
      outer/site/       the site (config.yaml, content/, templates/, static/, public/)
      outside/          files the site must never read from or write to (symlink targets)
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import BUILD_TIMEOUT, FAILED, Run, changes, copy_built, entries, problem_report, run_build, run_forked, tree, write_files

# `path:line: level: message` or `path: level: message`, one line each.
PROBLEM_LINE = re.compile(r"^.+?(:\d+)?: (error|warning): .+")  # a path may itself hold ':' (a hostile name)
# What a build may leave in the site's folder besides the sources: the output, the build cache, and the
# staging folder kept beside public/ as the next generation (checked in test_hostile_input.py).
BUILD_LEFTOVERS_ALLOWED = ("public", ".cache", ".public.staging", ".public.mib-portal")  # the marker: this tool made public/
NEVER_LEFT = (".public.old",)
WATCHED_ABSOLUTE = ("/tmp/pwned", "/tmp/x", "/x", "/outside", "/etc/evil.example")
SECRET = b"TOP-SECRET-MARKER"
PASSWD_MARKER = b"root:x:0:0"

# A valid article with front matter to vary; its `extra` lines start at line 4.
FRONT = '---\ntitle: "{title}"\ndate: 2024-02-01\n{extra}---\n{body}'


def article(body: str = "Some text.\n", title: str = "Test article", extra: str = "") -> str:
    """A valid English article with `extra` front matter lines (each ending in a newline) from line 4."""
    return FRONT.format(title=title, extra=extra, body=body)


def write(site: Path, rel: str, content: str | bytes) -> Path:
    """Write a file into the site (text as UTF-8, line endings kept), creating folders."""
    write_files(site, {rel: content})
    return site / rel


# -- outcomes --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """Exit 0, exactly these warnings on stderr, and `page` (under public/) published, showing each text."""

    page: str
    texts: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refused:
    """Exit 1, exactly these problem lines (then the count and the verdict), and nothing published.

    A line may be a pattern where part of it is not the build's to choose (Python's words for a recursion).
    """

    lines: tuple[str | re.Pattern, ...]
    verdict: str = FAILED


def built(page: str, *texts: str, warnings: tuple[str, ...] = ()) -> Built:
    return Built(page, texts, warnings)


def refused(*lines: str | re.Pattern, verdict: str = FAILED) -> Refused:
    assert lines, "a refusal names at least one problem"
    return Refused(lines, verdict)


def page_text(site: Path, page: str) -> str:
    """A published page's HTML with entities decoded (so a text is found however it was escaped)."""
    path = site / "public" / page
    assert path.is_file(), f"public/{page} was not published"
    return html.unescape(path.read_text(encoding="utf-8"))


def assert_outcome(run: Run, site: Path, expected: Built | Refused) -> None:
    """The run ended exactly as `expected` says (build_checked has already checked everything around it)."""
    assert "Traceback" not in run.stderr + run.stdout, f"a traceback was printed:\n{run}"
    if isinstance(expected, Refused):
        report = problem_report([line if isinstance(line, str) else line.pattern for line in expected.lines], expected.verdict)
        # A line that matches its pattern is compared as the pattern itself.
        got = [want.pattern if isinstance(want, re.Pattern) and want.fullmatch(seen) else seen
               for want, seen in zip(expected.lines, run.lines, strict=False)] + run.lines[len(expected.lines):]
        assert (run.returncode, got) == (1, report), f"expected a refusal:\n{run}"
        return
    assert (run.returncode, run.lines) == (0, problem_report(expected.warnings)), f"expected the build to publish:\n{run}"
    text = page_text(site, expected.page)
    for needle in expected.texts:
        assert needle in text, f"public/{expected.page} does not show {needle!r}"


def problem_lines(run: Run) -> list[str]:
    """The problem lines of stderr (without the count and the verdict)."""
    return [line for line in run.lines if PROBLEM_LINE.match(line)]


def assert_not_published(site: Path, *needles: bytes) -> None:
    """None of these byte strings appears in any published file."""
    for rel, data in tree(site / "public").items():
        for needle in needles:
            assert needle not in data, f"public/{rel} contains {needle!r}"


# -- snapshots: nothing written where it should not be -------------------------------------------------


@dataclass
class Guard:
    """Snapshots taken before a build, checked after it."""

    site: Path
    top: Path
    everything_else: dict[str, tuple]
    public: dict[str, tuple]
    absolute: dict[str, bool]

    @classmethod
    def around(cls, site: Path) -> Guard:
        """Snapshot the whole temporary folder (site sources included) and public/ before a build."""
        top = site.parent.parent
        skip = tuple(site / name for name in BUILD_LEFTOVERS_ALLOWED)
        return cls(site, top, entries(top, skip), entries(site / "public"), {p: os.path.lexists(p) for p in WATCHED_ABSOLUTE})

    def check(self, run: Run) -> None:
        """Nothing outside the output folder (and .cache) changed; after a failure, public/ is untouched too."""
        skip = tuple(self.site / name for name in BUILD_LEFTOVERS_ALLOWED)
        found = changes(self.everything_else, entries(self.top, skip))
        assert not found, "the build touched files outside its output folder:\n" + "\n".join(found[:50])
        for name in NEVER_LEFT:
            assert not (self.site / name).exists(), f"{name} was left beside public/ after the build"
        for path, existed in self.absolute.items():
            assert os.path.lexists(path) == existed, f"{path} was {'removed' if existed else 'created'} by the build"
        if run.returncode != 0:
            found = changes(self.public, entries(self.site / "public"))
            assert not found, "a failed build changed public/:\n" + "\n".join(found[:50])


def build_checked(site: Path, *args: str, timeout: float = BUILD_TIMEOUT, fresh: bool = False) -> Run:
    """Run build.py on the site in a process of its own between snapshots, and check that nothing outside public/ changed.

    The process is forked from one that has imported the engine (support.run_forked); `fresh` runs `python build.py`
    itself (support.run_build), as a few cases do to show both end alike.
    """
    guard = Guard.around(site)
    run = (run_build if fresh else run_forked)(site, *args, timeout=timeout)
    guard.check(run)
    return run


# -- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture
def built_site(tmp_path, small_built) -> Path:
    """A fresh copy of the built small sample site at tmp_path/outer/site, with tmp_path/outside/ beside it."""
    target = tmp_path / "outer" / "site"
    # Cache included, published files hard-linked: each test's build goes on from the sample site's, as an editor's
    # next build does (make fuzz compares such builds with cold ones).
    target.parent.mkdir(parents=True)
    copy_built(small_built, target)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text('---\ntitle: "Secret"\ndate: 2024-01-01\n---\nTOP-SECRET-MARKER from outside the site.\n', encoding="utf-8")
    (outside / "secret.txt").write_text("TOP-SECRET-MARKER\n", encoding="utf-8")
    return target
