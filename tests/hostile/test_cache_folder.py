"""The build's cache, .cache/, is the build's own: a link to elsewhere (as .cache or among its entries), a file in its
place, or files of it tracked by git (a cache committed to the repository, whose pickled graph a build would load) are
refused before anything is written, by build, check and serve; nothing is written where a link leads."""

from __future__ import annotations

import shutil

import pytest
from support import git

from .conftest import assert_outcome, build_checked, refused

HINT = "the build makes .cache/ and what it holds itself"
LINKED = f".cache: error: the build's cache is a link (to ../../outside): a build would write its files there (delete the link; {HINT})"


def link_the_cache(site) -> None:
    """.cache/ replaced by a link to the folder outside the site."""
    shutil.rmtree(site / ".cache")
    (site / ".cache").symlink_to("../../outside")


def test_a_linked_cache_is_refused_and_nothing_is_written_where_it_leads(built_site):
    link_the_cache(built_site)
    before = sorted(p.name for p in (built_site.parent.parent / "outside").iterdir())
    run = build_checked(built_site)
    assert_outcome(run, built_site, refused(LINKED))
    assert sorted(p.name for p in (built_site.parent.parent / "outside").iterdir()) == before


def test_check_refuses_a_linked_cache(built_site):
    link_the_cache(built_site)
    assert_outcome(build_checked(built_site, "check"), built_site, refused(LINKED, verdict="check failed"))


def test_serve_refuses_a_linked_cache_before_it_makes_the_preview_folder(built_site):
    link_the_cache(built_site)
    run = build_checked(built_site, "serve", "--port", "0", fresh=True)
    assert_outcome(run, built_site, refused(LINKED, verdict="serve stopped: nothing was built"))
    assert not (built_site.parent.parent / "outside" / "preview").exists()


def test_a_file_in_place_of_the_cache_is_refused(built_site):
    shutil.rmtree(built_site / ".cache")
    (built_site / ".cache").write_text("not a folder\n")
    assert_outcome(build_checked(built_site), built_site,
                   refused(f".cache: error: the build's cache is a file, not a folder (delete it; {HINT})"))


@pytest.mark.parametrize("entry", ["images", "jinja", "pagefind", "preview"])
def test_a_link_among_the_cache_entries_is_refused(built_site, entry):
    shutil.rmtree(built_site / ".cache" / entry, ignore_errors=True)
    (built_site / ".cache" / entry).symlink_to("../../../outside")
    assert_outcome(build_checked(built_site), built_site, refused(
        f".cache/{entry}: error: a link inside the build's cache: a build would write its files where it leads (delete it; {HINT})"))


@pytest.mark.parametrize("added", [".cache/build.lock", ".cache"])
def test_a_cache_tracked_by_git_is_refused(built_site, added):
    shutil.rmtree(built_site / ".cache" / "jinja", ignore_errors=True)
    shutil.rmtree(built_site / ".cache" / "images", ignore_errors=True)
    git(built_site, "init", "-q")
    git(built_site, "add", "-f", added)
    tracked = git(built_site, "ls-files").split()
    named = ".cache/build.lock" + (f" and {len(tracked) - 1} more" if len(tracked) > 1 else "")
    assert_outcome(build_checked(built_site), built_site, refused(
        f".cache/build.lock: error: the build's cache holds files tracked by git ({named}): a build would read them as its own "
        f"(remove them from git (git rm -r --cached .cache) and list .cache/ in .gitignore; {HINT})"))
