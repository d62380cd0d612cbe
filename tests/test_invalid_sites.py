"""One small broken site per kind of editor mistake, each with its exact expected messages.

Each case in tests/sites/invalid/<case>/ holds only the files laid over the minimal sample site
(and `_delete.txt` naming files to remove); `expected.txt` is the exact stderr of the build. A case
whose build succeeds (warnings only, or none) also has `published.txt`: lines `path: text`, each a
page under public/ and a text it must show.
Regenerate after a deliberate change of wording with:  UPDATE_EXPECTED=1 pytest tests/test_invalid_sites.py
and review the diff before committing.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import pytest
from support import FAILED, SITES, make_site, run_cli, tree

CASES = SITES / "invalid"
NOT_OVERLAID = ("expected.txt", "_delete.txt", "published.txt")


def overlay(case: Path) -> dict[str, bytes | None]:
    """The files a case lays over the minimal site."""
    files: dict[str, bytes | None] = {}
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case).as_posix()
        if path.is_file() and rel not in NOT_OVERLAID:
            files[rel] = path.read_bytes()
    delete = case / "_delete.txt"
    if delete.is_file():
        files.update({line.strip(): None for line in delete.read_text().splitlines() if line.strip()})
    return files


def published(case: Path) -> list[tuple[str, str]]:
    """(page, text) pairs a case that builds must publish."""
    lines = (case / "published.txt").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split(": ", 1)) for line in lines if line.strip()]


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_invalid_site(case, tmp_path):
    """The build prints exactly the expected problems; on errors it exits 1 and leaves public/ as it was, else it publishes."""
    site = make_site(tmp_path, overlay(CASES / case))
    before = tree(site / "public")
    run = run_cli(site)
    expected_file = CASES / case / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text(run.stderr)
    expected = expected_file.read_text()
    assert run.stderr == expected
    if expected.endswith(FAILED + "\n"):
        assert run.returncode == 1
        assert tree(site / "public") == before
        assert not (CASES / case / "published.txt").exists(), "a case that fails publishes nothing"
        return
    assert run.returncode == 0, run
    pages = published(CASES / case)
    assert pages, f"{case} builds: its published.txt must name a page and a text"
    for page, text in pages:
        path = site / "public" / page
        assert path.is_file(), f"public/{page} was not published"
        assert text in html.unescape(path.read_text(encoding="utf-8")), f"public/{page} does not show {text!r}"


def test_a_migrated_page_gets_messages_it_can_act_on(tmp_path):
    """A commented-out embed is not a link; a missing anchor names the closest id; a file the build does not read is
    a warning; the front matter's unknown keys and a missing image_alt are told with a bad date, each at its line."""
    from support import make_site, run_cli

    body = ("Intro.\n\n<!-- <iframe src=\\\"https://video.example.org/x\\\"></iframe> -->\n\n"
            "See [what comes next](/news/first-award/#what-comes-nxt).\n")
    site = make_site(tmp_path, {
        "content/news/moved.md": f"---\ntitle: Moved\ndate: soon\nsubtitle: A deck\nimage: x.jpg\n---\n{body}",
        "content/news/linked.md": f"---\ntitle: Linked\ndate: 2024-03-01\n---\n{body}",
        "content/news/notes.org": "* Notes\n",
    })
    run = run_cli(site)
    assert run.returncode == 1
    assert run.lines == [
        "content/news/linked.md:9: error: broken link '/news/first-award/#what-comes-nxt' on /news/linked/index.html: no element "
        "with id 'what-comes-nxt' on that page; the closest is 'what-comes-next'; its ids are what-comes-next "
        "(fix the address, or create the page it points to)",
        "content/news/moved.md:3: error: 'date' must be a date like 2024-01-15, got 'soon'",
        "content/news/moved.md:4: warning: unknown front matter field 'subtitle' (put custom fields under 'extra:')",
        "content/news/moved.md:5: error: image_alt is required when image is given: describe the picture for blind readers "
        "(add a line 'image_alt: what the picture shows')",
        "content/news/notes.org: warning: the build does not read this file, so it is not published "
        "(write it in Markdown (.md); pictures and documents go beside an article's index.md, or in static/)",
        "3 errors, 2 warnings", "build failed: nothing was published",
    ]
