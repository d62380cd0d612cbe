"""Harness for hostile-input tests: a small valid site in a temporary folder, the CLI run as a
subprocess with a time bound, and checks that a build either succeeds or fails cleanly, never
leaving a traceback, a half-written `public/` or a file outside the site.

Layout of every test's temporary folder (the extra `outer/` level lets a path that climbs out of
the site land somewhere the snapshot can see):

    tmp_path/
      outer/site/       the site (config.yaml, content/, templates/, static/, public/)
      outside/          files the site must never read from or write to (symlink targets)
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EPOCH = "1764000000"  # 2025-11-24: every dated test article is in the past
BUILD_TIMEOUT = 120  # seconds; a build that takes longer counts as a hang

# `path:line: level: message` or `path: level: message`, one line each.
PROBLEM_LINE = re.compile(r"^[^:]+(:\d+)?: (error|warning): .+")
COUNT_LINE = re.compile(r"^(\d+) errors?, (\d+) warnings?$")
FAILED_LINE = "build failed: nothing was published"
# What a build may leave in the site's folder besides the sources: the output, the build cache,
# and the staging folder the engine keeps beside public/ as the next generation (a double buffer;
# whether it may stay is checked once, in test_hostile_input.py::test_no_staging_folder_left_beside_public).
BUILD_LEFTOVERS_ALLOWED = ("public", ".cache", ".public.staging")
STAGING = (".public.staging", ".public.old")
NEVER_LEFT = (".public.old",)

ARTICLE_EN = """\
---
title: "Hello from the biocluster"
date: 2024-03-01
summary: "A first test article."
tags: [launch]
partners: [amu]
---
The Marseille Immunology Biocluster says **hello**.

A second paragraph.
"""

ARTICLE_FR = """\
---
title: "Bonjour du biocluster"
date: 2024-03-01
summary: "Un premier article de test."
tags: [lancement]
partners: [amu]
---
Le Marseille Immunology Biocluster dit **bonjour**.
"""

PAGE_EN = """\
---
title: "Contact"
summary: "How to reach us."
menu: footer
weight: 10
---
Write to the editorial team.
"""

# A valid article body wrapped in front matter, for tests that vary one piece.
FRONT = '---\ntitle: "{title}"\ndate: 2024-02-01\n{extra}---\n{body}'


def article(body: str = "Some text.\n", title: str = "Test article", extra: str = "") -> str:
    """A valid English article with `extra` front matter lines (each ending in a newline)."""
    return FRONT.format(title=title, extra=extra, body=body)


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a text file; the test stops if `old` is not there (a stale assumption)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update the test"
    path.write_text(text.replace(old, new), encoding="utf-8")


def write_minimal_site(site: Path) -> None:
    """The repository's config, templates, static files and data, with 1 English + 1 French article and a page."""
    site.mkdir(parents=True)
    shutil.copy2(REPO / "config.yaml", site / "config.yaml")
    shutil.copytree(REPO / "templates", site / "templates")
    shutil.copytree(REPO / "static", site / "static")
    (site / "content" / "data").mkdir(parents=True)
    for path in sorted((REPO / "content" / "data").glob("*.yaml")):
        shutil.copy2(path, site / "content" / "data" / path.name)
    news = site / "content" / "news"
    pages = site / "content" / "pages"
    news.mkdir()
    pages.mkdir()
    (news / "hello.md").write_text(ARTICLE_EN, encoding="utf-8")
    (news / "hello.fr.md").write_text(ARTICLE_FR, encoding="utf-8")
    (pages / "contact.md").write_text(PAGE_EN, encoding="utf-8")


def build_env() -> dict[str, str]:
    """The environment of a build subprocess: ours, with a fixed 'now'."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = EPOCH
    return env


@dataclass
class Run:
    """One finished build: exit code, output, and how long it took."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    args: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"$ {' '.join(self.args)}\nexit {self.returncode} after {self.seconds:.1f}s\n--- stderr ---\n{self.stderr}\n--- stdout ---\n{self.stdout[-3000:]}"


def run_build(site: Path, *args: str, output: bool = True, timeout: float = BUILD_TIMEOUT) -> Run:
    """Run `build.py` on a site as a subprocess (cwd = the site), bounded in time.

    With output=False no --output is passed, so the config's `output` is used.
    """
    cmd = [sys.executable, str(REPO / "build.py"), "--config", str(site / "config.yaml")]
    if output:
        cmd += ["--output", str(site / "public")]
    cmd += ["--no-search", *args]
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=site, env=build_env(), capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        err = (exc.stderr or b"").decode("utf-8", "replace")
        pytest.fail(f"the build did not finish within {timeout}s (a hang): {' '.join(cmd)}\nstderr so far:\n{err[-3000:]}")
    seconds = time.perf_counter() - started
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"), seconds, cmd)


# -- checks on a finished build -------------------------------------------------------------------


def problem_lines(run: Run) -> list[str]:
    """The problem lines of stderr (everything before the count line)."""
    lines = run.stderr.splitlines()
    if lines and lines[-1] in (FAILED_LINE, "check failed"):
        lines = lines[:-1]
    if lines and COUNT_LINE.match(lines[-1]):
        lines = lines[:-1]
    return lines


def assert_no_traceback(run: Run) -> None:
    """No Python traceback anywhere in the output."""
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, f"a traceback was printed:\n{run}"


def assert_well_formed(run: Run) -> None:
    """stderr is: problem lines in `path:line: level: message` form, the count, then (on failure) the verdict."""
    assert_no_traceback(run)
    lines = run.stderr.splitlines()
    if run.returncode != 0:
        assert lines and lines[-1] == FAILED_LINE, f"a failed build must end with {FAILED_LINE!r}:\n{run}"
        lines = lines[:-1]
        assert lines, f"a failed build must list its problems:\n{run}"
    if not lines:
        return
    count = COUNT_LINE.match(lines[-1])
    assert count, f"the last problem line must be the count ('N errors, M warnings'):\n{run}"
    body = lines[:-1]
    bad = [line for line in body if not PROBLEM_LINE.match(line)]
    assert not bad, "stderr lines not in the form 'path:line: level: message':\n" + "\n".join(bad) + f"\n\n{run}"
    errors = sum(": error: " in line for line in body)
    assert (errors, len(body) - errors) == (int(count.group(1)), int(count.group(2))), (
        f"the count line does not match the problems listed:\n{run}"
    )
    if run.returncode != 0:
        assert errors, f"a failed build must list at least one error:\n{run}"


def problem_path(line: str) -> str:
    """The file part of a problem line."""
    where = line.split(": ", 1)[0]
    return re.sub(r":\d+$", "", where)


def lines_naming(run: Run, name: str, level: str = "error") -> list[str]:
    """Problem lines of a level whose file part ends with `name` (a path relative to the site)."""
    return [line for line in problem_lines(run) if f": {level}: " in line and problem_path(line).endswith(name)]


def assert_failed_naming(run: Run, name: str, *needles: str) -> list[str]:
    """Exit 1, well-formed stderr, and an error naming the file (and containing each needle)."""
    assert run.returncode == 1, f"expected the build to fail (exit 1):\n{run}"
    assert_well_formed(run)
    found = lines_naming(run, name)
    assert found, f"no error names {name}:\n{run}"
    for needle in needles:
        assert any(needle.lower() in line.lower() for line in found), f"no error on {name} mentions {needle!r}:\n{run}"
    return found


def assert_built(run: Run) -> None:
    """Exit 0 and well-formed stderr (warnings only)."""
    assert run.returncode == 0, f"expected the build to succeed:\n{run}"
    assert_well_formed(run)


def assert_handled(run: Run, name: str) -> str:
    """Either a clean success or a clean failure naming the file; returns 'built' or 'refused'."""
    assert run.returncode in (0, 1), f"exit status must be 0 or 1:\n{run}"
    if run.returncode == 0:
        assert_built(run)
        return "built"
    assert_failed_naming(run, name)
    return "refused"


# -- snapshots: nothing written where it should not be ------------------------------------------


def _fingerprint(path: Path) -> tuple:
    """What we compare of one directory entry (links are not followed)."""
    st = path.lstat()
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_dir():
        return ("dir",)
    if not path.is_file():
        return ("other", st.st_mode)
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return ("file", st.st_size, digest.hexdigest())


def snapshot(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple]:
    """Every entry under a folder (not following links), with its content digest."""
    found: dict[str, tuple] = {}
    if not folder.exists():
        return found
    skip_set = {p.absolute() for p in skip}
    for root, dirs, files in os.walk(folder):
        base = Path(root)
        dirs[:] = sorted(d for d in dirs if (base / d).absolute() not in skip_set)
        files = [f for f in files if (base / f).absolute() not in skip_set]
        for name in sorted(dirs + files):
            path = base / name
            found[path.relative_to(folder).as_posix()] = _fingerprint(path)
    return found


def diff(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """What changed between two snapshots."""
    changes = [f"new: {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"gone: {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"changed: {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return changes


@dataclass
class Guard:
    """Snapshots taken before a build, checked after it."""

    site: Path
    top: Path
    everything_else: dict[str, tuple]
    public: dict[str, tuple]
    tmp_marker: dict[str, bool]

    def assert_nothing_outside(self) -> None:
        """No file outside the site's output folder (and .cache) was created, changed or removed."""
        skip = tuple(self.site / name for name in BUILD_LEFTOVERS_ALLOWED)
        changes = diff(self.everything_else, snapshot(self.top, skip))
        assert not changes, "the build touched files outside its output folder:\n" + "\n".join(changes[:50])
        for name in NEVER_LEFT:
            assert not (self.site / name).exists(), f"{name} was left beside public/ after the build"
        for path, existed in self.tmp_marker.items():
            assert Path(path).exists() == existed, f"{path} was {'removed' if existed else 'created'} by the build"

    def assert_public_untouched(self) -> None:
        """public/ is byte for byte what it was before the build."""
        changes = diff(self.public, snapshot(self.site / "public"))
        assert not changes, "a failed build changed public/:\n" + "\n".join(changes[:50])

    def check(self, run: Run) -> None:
        """After any build: nothing outside; after a failed one, public/ untouched too."""
        self.assert_nothing_outside()
        if run.returncode != 0:
            self.assert_public_untouched()


WATCHED_ABSOLUTE = ("/tmp/pwned", "/tmp/x", "/x", "/outside", "/etc/evil.example")


def guard(site: Path) -> Guard:
    """Snapshot the whole temporary folder (site sources included) and public/ before a build."""
    top = site.parent.parent
    skip = tuple(site / name for name in BUILD_LEFTOVERS_ALLOWED)
    return Guard(site, top, snapshot(top, skip), snapshot(site / "public"), {p: os.path.lexists(p) for p in WATCHED_ABSOLUTE})


def build_checked(site: Path, *args: str, output: bool = True, timeout: float = BUILD_TIMEOUT) -> Run:
    """Run a build between snapshots and check that nothing outside public/ changed."""
    g = guard(site)
    run = run_build(site, *args, output=output, timeout=timeout)
    assert_no_traceback(run)
    g.check(run)
    return run


def public_files(site: Path) -> dict[str, bytes]:
    """Every published file and its bytes."""
    public = site / "public"
    return {p.relative_to(public).as_posix(): p.read_bytes() for p in sorted(public.rglob("*")) if p.is_file()}


def assert_not_published(site: Path, *needles: bytes) -> None:
    """None of these byte strings appears in any published file."""
    for rel, data in public_files(site).items():
        for needle in needles:
            assert needle not in data, f"public/{rel} contains {needle!r}"


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_template(tmp_path_factory) -> Path:
    """A minimal site built once (so public/ holds a complete old site), copied by each test."""
    site = tmp_path_factory.mktemp("template") / "site"
    write_minimal_site(site)
    run = run_build(site)
    assert run.returncode == 0 and "Traceback" not in run.stderr, f"the minimal site must build:\n{run}"
    assert (site / "public" / "news" / "hello" / "index.html").is_file()
    return site


@pytest.fixture
def site(tmp_path, built_template) -> Path:
    """A fresh copy of the built minimal site at tmp_path/outer/site, with tmp_path/outside/ beside it."""
    target = tmp_path / "outer" / "site"
    # The build cache is left behind: every test's build reads and renders everything afresh.
    shutil.copytree(
        built_template, target, symlinks=True, ignore=lambda folder, names: [".cache"] if Path(folder) == built_template else []
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(
        '---\ntitle: "Secret"\ndate: 2024-01-01\n---\nTOP-SECRET-MARKER from outside the site.\n', encoding="utf-8"
    )
    (outside / "secret.txt").write_text("TOP-SECRET-MARKER\n", encoding="utf-8")
    return target


def load_cli():
    """build.py loaded under the name mib_build (a plain `import build` may find PyPA's package)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    if "mib_build" not in sys.modules:
        spec = importlib.util.spec_from_file_location("mib_build", REPO / "build.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["mib_build"] = module
        spec.loader.exec_module(module)
    return sys.modules["mib_build"]
