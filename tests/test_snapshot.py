"""A build whose inputs have not changed since the last publish stops at once, and only then."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import load_cli, make_site, tree

cli = load_cli()
from sitegen import snapshot  # noqa: E402 - after load_cli put the repository on sys.path


@pytest.fixture
def trust_fresh_files(monkeypatch):
    """Trust files written a moment ago (a test edits files within the racy window)."""
    monkeypatch.setattr(snapshot, "RACY_SECONDS", 0.0)


def build(site, **options):
    """Build in this process, no search index."""
    return cli.build(cli.Options(config=site / "config.yaml", output=site / "public", search=False, **options))


def skipped(result) -> bool:
    """True when the build stopped because nothing it reads had changed."""
    return result.mode == "unchanged"


def test_unchanged_inputs_publish_nothing_and_say_so(tmp_path, trust_fresh_files, capsys):
    site = make_site(tmp_path)
    assert not skipped(build(site))
    before = tree(site / "public")
    assert cli.main(["build", "--config", str(site / "config.yaml"), "--no-search"]) == 0
    out = capsys.readouterr().out
    assert "; written 0, unchanged " in out and ", removed 0 (nothing it reads had changed)" in out
    assert "  en: 3 articles, 2 pages\n  fr: 1 articles, 1 pages\n  skipped: 1 drafts, 1 scheduled\n" in out
    assert tree(site / "public") == before


def test_every_kind_of_input_change_rebuilds(tmp_path, trust_fresh_files):
    site = make_site(tmp_path)
    build(site)
    for rel in ("content/news/first-award.md", "content/data/partners.yaml", "templates/article.html",
                "templates/i18n/fr.yaml", "static/css/style.css", "config.yaml"):
        path = site / rel
        path.write_bytes(path.read_bytes() + b"\n")
        assert not skipped(build(site)), f"a change to {rel} was not rebuilt"
        assert skipped(build(site))
    (site / "content/news/new-one.md").write_text("---\ntitle: New\ndate: 2024-05-01\n---\nNew text.\n")
    assert not skipped(build(site))
    assert (site / "public/news/new-one/index.html").is_file()


def test_other_options_rebuild(tmp_path, trust_fresh_files):
    site = make_site(tmp_path)
    build(site)
    assert not skipped(build(site, drafts=True))
    assert (site / "public/news/draft-post/index.html").is_file()
    assert not skipped(build(site))
    assert not (site / "public/news/draft-post/index.html").exists()


def test_a_file_changed_in_the_output_folder_is_put_back(tmp_path, trust_fresh_files):
    site = make_site(tmp_path)
    build(site)
    before = tree(site / "public")
    (site / "public/news/first-award/index.html").unlink()
    (site / "public/about/index.html").write_text("defaced")
    assert not skipped(build(site))
    assert tree(site / "public") == before


def test_a_scheduled_article_is_published_when_its_date_comes(tmp_path, trust_fresh_files, monkeypatch):
    site = make_site(tmp_path)
    build(site)
    assert not (site / "public/news/future-post/index.html").exists()
    assert skipped(build(site))
    monkeypatch.setattr(cli, "now", lambda zone: datetime(2099, 1, 2, tzinfo=ZoneInfo(zone)))
    assert not skipped(build(site))
    assert (site / "public/news/future-post/index.html").is_file()


def test_strict_build_fails_on_the_warnings_of_the_skipped_build(tmp_path, trust_fresh_files):
    site = make_site(tmp_path)
    partners = site / "content/data/partners.yaml"
    partners.write_text(partners.read_text().replace("description: {en: Ran the call., fr: A organisé l'appel.}",
                                                     "description: {en: Ran the call.}"))
    first = build(site)
    warning = "content/data/partners.yaml:17: warning: entry 3: 'description' has no Français text ('fr') (add 'fr: ...' under it)"
    assert [str(p) for p in first.problems] == [warning]
    again = build(site)
    assert skipped(again) and [str(p) for p in again.problems] == [warning]
    with pytest.raises(cli.BuildFailed) as failed:
        build(site, strict=True)
    assert [str(p) for p in failed.value.problems] == [warning.replace(": warning: ", ": error: ")]


def test_files_changed_within_the_clock_tick_are_not_trusted(tmp_path):
    site = make_site(tmp_path)
    build(site)
    assert not skipped(build(site)), "files written a moment ago must be read again"


def test_a_symbolic_link_among_the_inputs_is_never_trusted(tmp_path, trust_fresh_files):
    site = make_site(tmp_path)
    os.symlink(site / "content/news/first-award.md", site / "content/news/linked.md")
    build(site)
    assert not skipped(build(site))


def _markdown_reads(monkeypatch) -> list[str]:
    """The Markdown files under content/ that the build reads, as it reads them."""
    reads: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (reads.append(self.name), real(self))[1] if self.suffix == ".md" else real(self))
    return reads


def test_a_rebuild_reads_only_the_markdown_files_that_changed(tmp_path, trust_fresh_files, monkeypatch):
    """Files listed as they were when the cache read them are taken from it; only the edited one is read."""
    site = make_site(tmp_path)
    build(site)
    path = site / "content/news/first-award.md"
    path.write_text(path.read_text().replace("received", "was awarded"))
    reads = _markdown_reads(monkeypatch)
    build(site)
    assert reads == ["first-award.md"]
    assert "was awarded" in (site / "public/news/first-award/index.html").read_text()


def test_an_edit_keeping_size_and_modification_time_is_still_read(tmp_path, trust_fresh_files, monkeypatch):
    """The listing also compares the change time, which no editor or tool can set back."""
    site = make_site(tmp_path)
    build(site)
    path = site / "content/news/first-award.md"
    before = path.stat()
    text = path.read_text()
    time.sleep(0.02)  # the next write gets another change time, whatever the clock's tick
    path.write_text(text.replace("received", "obtained"))  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    reads = _markdown_reads(monkeypatch)
    assert not skipped(build(site))
    assert reads == ["first-award.md"]
    assert "obtained" in (site / "public/news/first-award/index.html").read_text()
