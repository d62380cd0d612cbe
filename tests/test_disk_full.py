"""A full disk while building: a clear message, and public/ as it was (or published, when only the graph suffers)."""

from __future__ import annotations

import errno

import pytest
from support import load_cli, make_site, tree

cli = load_cli()
from sitegen.graph import bodies, store  # noqa: E402 - after load_cli put the repository on sys.path


def build(site):
    """Build in this process, no search index."""
    return cli.build(cli.Options(config=site / "config.yaml", output=site / "public", search=False))


def no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_no_room_for_converted_text_fails_cleanly(tmp_path, monkeypatch):
    site = make_site(tmp_path)
    build(site)
    before = tree(site / "public")
    article = site / "content/news/first-award.md"
    article.write_text(article.read_text().replace("received", "was awarded"))
    with monkeypatch.context() as patched, pytest.raises(cli.BuildFailed) as failed:
        patched.setattr(bodies.BodyStore, "_write", no_space)
        build(site)
    assert [str(p) for p in failed.value.problems] == [
        "content/news/first-award.md: error: cannot keep the converted text in .cache/bodies: No space left on device "
        "(check the disk space and the permissions of .cache/)",
        "content/news/platform-news.md:9: error: broken link '/news/first-award/#what-comes-next' on /news/platform-news/index.html: "
        "that page is not published: content/news/first-award.md has errors "
        "(fix that file's errors, reported with the others: its page is then published and the link works)"]
    assert tree(site / "public") == before
    build(site)
    assert "was awarded" in (site / "public/news/first-award/index.html").read_text()


def test_no_room_for_the_graph_still_publishes_with_a_warning(tmp_path, monkeypatch):
    site = make_site(tmp_path)
    with monkeypatch.context() as patched:
        patched.setattr(store.Store, "write", no_space)
        result = build(site)
    assert [str(p) for p in result.problems] == [
        ".cache: warning: cannot save the build graph: No space left on device "
        "(the site was published as built; the next build does this build's work again)"]
    assert (site / "public/news/first-award/index.html").is_file()
    result = build(site)
    assert result.problems == [] and result.stats["written"] == 0
