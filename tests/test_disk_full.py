"""A full disk while building: a clear message, and public/ as it was (or published, when only the cache suffers)."""

from __future__ import annotations

import errno

import pytest
from conftest import load_cli, make_site, tree

cli = load_cli()
from sitegen import bodies, cache  # noqa: E402 - after load_cli put the repository on sys.path


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
    monkeypatch.setattr(bodies.BodyStore, "write_pack", no_space)
    with pytest.raises(cli.BuildFailed) as failed:
        build(site)
    assert [str(p) for p in failed.value.problems] == [
        "content/news/first-award.md: error: cannot keep the converted text in .cache/html: No space left on device "
        "(check the disk space and the permissions of .cache/)"]
    assert tree(site / "public") == before


def test_no_room_for_the_cache_still_publishes_with_a_warning(tmp_path, monkeypatch):
    site = make_site(tmp_path)
    monkeypatch.setattr(cache.pickle, "dump", no_space)
    result = build(site)
    assert [str(p) for p in result.problems] == [
        ".cache: warning: cannot save the build cache: No space left on device "
        "(the site was published; the next build reads everything again)"]
    assert (site / "public/news/first-award/index.html").is_file()
    assert not list((site / ".cache").glob("state.pickle*"))
