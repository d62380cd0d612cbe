"""Hidden files are never published (issue #18): `.env`, `.git/…`, `.DS_Store`, any name starting with '.'.

In static/ or beside an article bundle's index.md, each is left out of the site with a warning naming
it (so `check` and `--strict`, and so CI, stop on a committed secret). The preview server never
serves a dotted path either: tests/test_preview_server.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import load_cli, make_site, tree

cli = load_cli()

HIDDEN = {
    "static/.env": "SECRET_KEY=hunter2\n",
    "static/.git/config": "[remote \"origin\"]\n",
    "static/.git/objects/ab/cdef": "blob",
    "static/images/.DS_Store": b"\0\0\0\1Bud1",
    "static/.well-known/security.txt": "Contact: mailto:x@example.org\n",
    "static/css/.style.css.swp": b"b0VIM",
    "content/news/launch-day/.env": "TOKEN=abc\n",
    "content/news/launch-day/.DS_Store": b"\0\0\0\1Bud1",
    "content/news/launch-day/.git/HEAD": "ref: refs/heads/main\n",
}
HINT = "(names starting with '.', such as .env, .git/ or .DS_Store, are never published; rename it if it belongs on the site)"
WARNINGS = [
    f"content/news/launch-day/.DS_Store: warning: a hidden file is not published {HINT}",
    f"content/news/launch-day/.env: warning: a hidden file is not published {HINT}",
    f"content/news/launch-day/.git/: warning: a hidden folder is not published {HINT}",
    f"static/.env: warning: a hidden file is not published {HINT}",
    f"static/.git/: warning: a hidden folder is not published {HINT}",
    f"static/.well-known/: warning: a hidden folder is not published {HINT}",
    f"static/css/.style.css.swp: warning: a hidden file is not published {HINT}",
    f"static/images/.DS_Store: warning: a hidden file is not published {HINT}",
]


def main(site: Path, *args: str, capsys) -> tuple[int, list[str]]:
    """build.py's main() on a site: (exit status, stderr lines)."""
    code = cli.main([*args, "--config", str(site / "config.yaml"), "--no-search", "-q"])
    return code, capsys.readouterr().err.splitlines()


@pytest.fixture
def site(tmp_path):
    """The sample site with hidden files in static/ and in the bundle content/news/launch-day/."""
    return make_site(tmp_path, HIDDEN)


def test_hidden_files_are_left_out_with_a_warning_each(site, capsys):
    """Built: one warning per hidden file or folder (a folder once, not walked into), none of them published."""
    code, err = main(site, capsys=capsys)
    assert code == 0
    assert err == [*WARNINGS, "0 errors, 8 warnings"]
    published = tree(site / "public")
    assert not [path for path in published if any(part.startswith(".") for part in path.split("/"))]
    assert not [path for path, data in published.items() if b"hunter2" in data or b"TOKEN=abc" in data]
    assert "news/launch-day/photo.png" in published and "images/logo.png" in published, "the other files still are"


def test_strict_builds_and_check_stop_on_them(site, capsys):
    """In CI (--strict, check) a committed hidden file stops the build: nothing published."""
    code, err = main(site, "--strict", capsys=capsys)
    assert code == 1
    assert err[:-2] == [line.replace(": warning: ", ": error: ") for line in WARNINGS]
    assert err[-2:] == ["8 errors, 0 warnings", "build failed: nothing was published"]
    assert not (site / "public").exists()
    assert main(site, "check", capsys=capsys)[0] == 1


def test_a_hidden_file_added_later_is_removed_from_the_site(tmp_path, capsys):
    """A site built, then a hidden file added: the next build publishes nothing new and warns."""
    site = make_site(tmp_path)
    assert main(site, capsys=capsys) == (0, [])
    before = tree(site / "public")
    (site / "static" / ".env").write_text("SECRET_KEY=hunter2\n")
    code, err = main(site, capsys=capsys)
    assert (code, err) == (0, [f"static/.env: warning: a hidden file is not published {HINT}", "0 errors, 1 warning"])
    assert tree(site / "public") == before
