"""Incremental builds give exactly the bytes of a cold build, after every kind of change."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from conftest import load_cli, make_site, tree

load_cli()
from sitegen import snapshot  # noqa: E402 - after load_cli put the repository on sys.path


def build(site: Path, jobs: int = 0, remember: bool = False):
    """Build a site in this process (no search index); returns the result."""
    cli = load_cli()
    return cli.build(cli.Options(config=site / "config.yaml", output=site / "public", search=False, jobs=jobs, remember=remember))


def cold_copy(site: Path, where: Path) -> dict[str, bytes]:
    """The output of a cold build of a copy of the site (no cache, no previous output)."""
    copy = where / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache", "public", ".public*"))
    build(copy)
    return tree(copy / "public")


def _edit(site: Path) -> None:
    path = site / "content/news/first-award.md"
    path.write_text(path.read_text().replace("received", "was awarded"))


def _add(site: Path) -> None:
    (site / "content/news/new-one.md").write_text("---\ntitle: New\ndate: 2024-05-01\ntags: [funding]\n---\nNew text.\n")


def _delete(site: Path) -> None:
    (site / "content/news/platform-news.md").unlink()


def _rename(site: Path) -> None:
    (site / "content/news/first-award.fr.md").rename(site / "content/news/renamed.fr.md")


def _template(site: Path) -> None:
    path = site / "templates/partials/cards.html"
    path.write_text(path.read_text().replace('class="card"', 'class="card card-x"'))


def _data(site: Path) -> None:
    path = site / "content/data/partners.yaml"
    path.write_text(path.read_text().replace("Leads the sample cluster.", "Leads the whole sample cluster."))


def _config(site: Path) -> None:
    path = site / "config.yaml"
    path.write_text(path.read_text().replace("per_page: 2", "per_page: 1"))


def _strings(site: Path) -> None:
    path = site / "templates/i18n/fr.yaml"
    path.write_text(path.read_text().replace('nav_news: "Actualités"', 'nav_news: "Les actualités"'))


def _static(site: Path) -> None:
    path = site / "static/css/style.css"
    path.write_text(path.read_text() + "\n/* changed */\n")


CHANGES = [_edit, _add, _delete, _rename, _template, _data, _config, _strings, _static]


def new_process() -> None:
    """Forget what this process kept of its builds, as a new `build.py` run starts (the cache is read from disk)."""
    import sitegen.cache

    sitegen.cache._IN_MEMORY.clear()
    load_cli()._LAST.clear()


@pytest.mark.parametrize("how", ["read-all", "trust-listing", "in-memory", "new-process"])
@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
def test_incremental_equals_cold(change, how, tmp_path, monkeypatch):
    """Build, change one thing, rebuild: the output is byte-identical to a cold build.

    trust-listing: files written a moment ago count as settled, so the rebuild first compares
    the listing of the inputs with the last build's (sitegen/snapshot.py) and must see the change.
    in-memory: the first build is kept in memory as the preview server keeps it; new-process: the
    second build reads it back from the saved cache. Either way an edited body re-renders only the
    pages that show it (rebuild_bodies); every other change runs in full.
    """
    if how == "trust-listing":
        monkeypatch.setattr(snapshot, "RACY_SECONDS", 0.0)
    site = make_site(tmp_path)
    build(site, remember=how == "in-memory")
    change(site)
    if how == "new-process":
        new_process()
    result = build(site, remember=how == "in-memory")
    assert result.mode == ("bodies" if change is _edit else "full")
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_edits_in_new_processes_equal_cold(tmp_path):
    """Edits built one after another by new processes (the journal beside the saved cache): a cold build's bytes."""
    site = make_site(tmp_path)
    build(site)
    for name, old, new in (("first-award.md", "received", "was awarded"), ("platform-news.md", "", ""), ("launch-day/index.md", "", ""),
                           ("first-award.fr.md", "", ""), ("first-award.md", "was awarded", "got")):
        path = site / "content/news" / name
        path.write_text(path.read_text().replace(old, new) if old else path.read_text() + "\nOne more paragraph.\n")
        new_process()
        result = build(site)
        assert result.mode == "bodies" and result.stats["written"] >= 1
        assert (site / ".cache/journal.pickle").is_file()
    assert tree(site / "public") == cold_copy(site, tmp_path)
    new_process()
    assert build(site).stats["written"] == 0


def _edited_by_a_new_process(tmp_path: Path) -> Path:
    """A site built, then one article's body edited and built again by a new process (resuming from the cache)."""
    site = make_site(tmp_path)
    build(site)
    _edit(site)
    new_process()
    assert build(site).mode == "bodies"
    return site


def test_journal_holds_only_what_changed(tmp_path):
    """The journal of an edit keeps the changed input entries and outputs, not the whole site again."""
    site = _edited_by_a_new_process(tmp_path)
    with open(site / ".cache/journal.pickle", "rb") as handle:
        journal = pickle.load(handle)
    _inputs, (files, gone), outputs, count, _problems, edited = journal.last
    assert set(files) == {"content/news/first-award.md"} and not gone and set(edited) == {"content/news/first-award.md"}
    paths = {output.path for output in outputs.values()}
    assert "news/first-award/index.html" in paths and "build.json" in paths
    assert len(paths) < count / 3
    assert {name: len(changed) + len(removed) for name, (changed, removed) in journal.tables.items()}["manifest"] <= len(paths)


def test_unreadable_journal_means_a_full_build(tmp_path):
    """A journal that does not belong to the saved cache is ignored: the next build reads everything again."""
    site = _edited_by_a_new_process(tmp_path)
    (site / ".cache/journal.pickle").write_bytes(b"not a pickle")
    path = site / "content/news/platform-news.md"
    path.write_text(path.read_text() + "\nOne more paragraph.\n")
    new_process()
    assert build(site).mode == "full"
    assert not (site / ".cache/journal.pickle").exists()
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_no_change_rebuild_renders_and_writes_nothing(tmp_path):
    """A second build keeps every file: nothing rendered again, nothing written."""
    site = make_site(tmp_path)
    build(site)
    result = build(site)
    assert result.stats["written"] == 0 and result.stats["removed"] == 0
    assert not any(o.fresh for o in result.outputs if o.path.endswith(".html") and o.key)


def test_template_edit_rerenders_only_its_pages(tmp_path):
    """Editing article.html re-renders article pages and nothing else."""
    site = make_site(tmp_path)
    build(site)
    path = site / "templates/article.html"
    path.write_text(path.read_text().replace("{% block main %}", "{% block main %}<!-- edited -->", 1))
    result = build(site)
    rendered = sorted(o.path for o in result.outputs if o.key and o.fresh)
    assert rendered == ["fr/news/first-award/index.html", "news/first-award/index.html",
                        "news/launch-day/index.html", "news/platform-news/index.html"]


def test_same_bytes_with_one_job(tmp_path, monkeypatch):
    """--jobs 1 gives the same output as a build spread over two worker processes."""
    import sitegen.graph.parallel

    monkeypatch.setattr(sitegen.graph.parallel, "MIN_PARALLEL", 1)
    site = make_site(tmp_path)
    build(site, jobs=2)
    serial = make_site(tmp_path / "serial")
    build(serial, jobs=1)
    assert tree(site / "public") == tree(serial / "public")


def test_files_read_in_workers_report_what_one_process_reports(tmp_path, monkeypatch):
    """Front matter read, bodies converted and raw HTML checked in the workers: the same problems, in one go."""
    import sitegen.graph.parallel

    monkeypatch.setattr(sitegen.graph.parallel, "MIN_PARALLEL", 1)
    files = {"content/news/scripted.md": "---\ntitle: Scripted\ndate: 2024-02-01\n---\nText.\n\n<script>alert(1)</script>\n",
             "content/news/undated.md": "---\ntitle: Undated\n---\nText.\n"}
    found = []
    for name, jobs in (("two", 2), ("one", 1)):
        site = make_site(tmp_path / name, files)
        with pytest.raises(load_cli().BuildFailed) as failed:
            build(site, jobs=jobs)
        found.append([str(p) for p in failed.value.problems])
    assert found[0] == found[1]
    assert "content/news/undated.md:2: error: missing required field 'date' (add a line 'date: ...')" in found[0]
    assert any(p.startswith("content/news/scripted.md:7: error: raw HTML with a <script> element is not allowed") for p in found[0])


def test_an_anchor_removed_by_an_edit_breaks_the_unchanged_page_linking_to_it(tmp_path):
    """Only changed pages are checked again, and the pages pointing at their anchors: this is one of those."""
    site = make_site(tmp_path)
    build(site)
    path = site / "content/news/first-award.md"
    path.write_text(path.read_text().replace("## What comes next", "## What follows"))
    with pytest.raises(load_cli().BuildFailed) as failed:
        build(site)
    assert [str(p) for p in failed.value.problems] == [
        "content/news/platform-news.md:9: error: broken link '/news/first-award/#what-comes-next' on /news/platform-news/index.html: "
        "no element with id 'what-comes-next' on that page (fix the address, or create the page it points to)"]


def test_a_broken_link_added_by_an_edit_is_caught(tmp_path):
    site = make_site(tmp_path)
    build(site)
    path = site / "content/news/first-award.md"
    path.write_text(path.read_text() + "\nSee [the launch](/news/launch/).\n")
    with pytest.raises(load_cli().BuildFailed) as failed:
        build(site)
    assert [p.message for p in failed.value.problems] == [
        "broken link '/news/launch/' on /news/first-award/index.html: no page or file at that address"]


def _replace(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_successive_body_edits_in_memory_equal_cold_builds(tmp_path):
    """The preview server's loop: edit after edit re-renders only what shows the edited bodies."""
    site = make_site(tmp_path)
    build(site, remember=True)
    edits = [
        ("content/news/platform-news.md", "The first paragraph becomes the summary", "The opening paragraph becomes the summary"),
        ("content/news/first-award.fr.md", "\n---\n", "\n---\nUne phrase de plus au début.\n\n"),
        ("content/pages/about.md", "\n---\n", "\n---\nAn added first line.\n\n"),
        ("content/news/platform-news.md", "opening paragraph", "very first paragraph"),
    ]
    for rel, old, new in edits:
        _replace(site, rel, old, new)
        result = build(site, remember=True)
        assert result.mode == "bodies", rel
        assert 0 < result.stats["written"] < 20, rel
        assert tree(site / "public") == cold_copy(site, tmp_path), rel


def test_raw_html_added_in_memory_is_refused_then_removed(tmp_path):
    """Raw HTML the policy refuses is an error in every build (issue 18), the in-memory one included."""
    site = make_site(tmp_path)
    build(site, remember=True)
    rel = "content/news/first-award.md"
    before = tree(site / "public")
    _replace(site, rel, "## What comes next", "<script>alert(1)</script>\n\n## What comes next")
    with pytest.raises(load_cli().BuildFailed) as failed:
        build(site, remember=True)
    assert [p.message for p in failed.value.problems] == ["raw HTML with a <script> element is not allowed"]
    assert tree(site / "public") == before
    _replace(site, rel, "<script>alert(1)</script>\n\n", "")
    assert build(site, remember=True).problems == []
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_broken_link_in_memory_fails_then_the_fix_publishes(tmp_path):
    site = make_site(tmp_path)
    build(site, remember=True)
    rel = "content/news/first-award.md"
    before = tree(site / "public")
    _replace(site, rel, "## What comes next", "See [nowhere](/news/nowhere/).\n\n## What comes next")
    with pytest.raises(load_cli().BuildFailed) as failed:
        build(site, remember=True)
    assert [p.message for p in failed.value.problems] == [
        "broken link '/news/nowhere/' on /news/first-award/index.html: no page or file at that address"]
    assert tree(site / "public") == before
    _replace(site, rel, "See [nowhere](/news/nowhere/).\n\n", "")
    assert build(site, remember=True).mode == "full"  # after a failure the next build starts afresh
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_an_edit_in_a_clean_git_tree_rebuilds_in_memory_and_build_json_says_dirty(tmp_path):
    """The first edit after a commit makes the tree dirty: only build.json shows it, so memory still serves."""
    import json
    import subprocess

    site = make_site(tmp_path)
    git = ["git", "-C", str(site), "-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "content"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    build(site, remember=True)
    assert json.loads((site / "public/build.json").read_text())["dirty"] is False
    _replace(site, "content/news/first-award.md", "## What comes next", "One more line.\n\n## What comes next")
    result = build(site, remember=True)
    assert result.mode == "bodies"
    metadata = json.loads((site / "public/build.json").read_text())
    assert metadata["commit"] == head and metadata["dirty"] is True


def test_an_edit_after_a_scheduled_date_builds_in_full(tmp_path, monkeypatch):
    """A body edited after a scheduled article's date: the whole site is built, so the article appears."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    site = make_site(tmp_path)
    build(site)
    assert not (site / "public/news/future-post/index.html").exists()
    _edit(site)
    new_process()
    monkeypatch.setattr(load_cli(), "now", lambda zone: datetime(2099, 1, 2, tzinfo=ZoneInfo(zone)))
    assert build(site).mode == "full"
    assert (site / "public/news/future-post/index.html").is_file()


def _rendered(result) -> list[str]:
    """The HTML pages a build rendered again."""
    return sorted(o.path for o in result.outputs if o.key and o.fresh and o.path.endswith(".html"))


@pytest.mark.parametrize("how", ["in-memory", "new-process", "read-all"])
def test_a_body_edit_below_the_summary_renders_only_the_article(how, tmp_path):
    """Listings show an article's card (title, date, summary), not its body: they are not rendered again."""
    site = make_site(tmp_path)
    build(site, remember=how == "in-memory")
    _edit(site)  # in the body of an article whose summary is in its front matter
    if how == "new-process":
        new_process()
    elif how == "read-all":  # the cache without the last build: the full pipeline keys every page
        import pickle

        new_process()
        with open(site / ".cache/state.pickle", "rb") as handle:
            salt, cache = pickle.load(handle), pickle.load(handle)  # the salt first, then the cache
        cache.last = None
        (site / ".cache/state.pickle").write_bytes(pickle.dumps(salt) + pickle.dumps(cache))
    result = build(site, remember=how == "in-memory")
    assert result.mode == ("full" if how == "read-all" else "bodies")
    assert _rendered(result) == ["news/first-award/index.html"]
    assert "feed.xml" in {o.path for o in result.outputs if o.fresh}  # feeds show the bodies
    assert tree(site / "public") == cold_copy(site, tmp_path)


def _edit_after(site: Path, path: str, old: str, new: str) -> list[str]:
    """Change a file, build, edit first-award.md's body and build in a new process; the pages rendered again."""
    changed = site / path
    changed.write_text(changed.read_text().replace(old, new))
    build(site)
    _edit(site)
    new_process()
    return _rendered(build(site))


def test_a_body_edit_in_the_first_paragraph_renders_the_listings_showing_it(tmp_path):
    """Without a summary in the front matter, the card shows the first paragraph: its listings change too."""
    site = make_site(tmp_path)
    rendered = _edit_after(site, "content/news/first-award.md", 'summary: "A sample article about an award."\n', "")
    assert {"news/first-award/index.html", "news/2023/index.html", "tags/funding/index.html"} <= set(rendered)
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_template_reaching_bodies_by_a_computed_name_is_keyed_by_them(tmp_path):
    """A template that reads a body by a name made at render time (unseen by the template check) still shows edits."""
    site = make_site(tmp_path)
    rendered = _edit_after(site, "templates/partials/cards.html", "<p>{{ article.summary }}</p>",
                           '{% set field = "bo" ~ "dy" %}<p>{{ article[field]|striptags }}</p>')
    assert "news/2023/index.html" in rendered
    assert "was awarded" in (site / "public/news/2023/index.html").read_text()
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_publish_that_fails_leaves_the_cache_describing_what_is_published(tmp_path, monkeypatch):
    """The cache is saved in a forked process while the site is published: a failed publish throws that copy away."""
    import errno

    from sitegen.publish import output

    site = make_site(tmp_path)
    build(site)
    before = tree(site / "public")
    _template(site)
    new_process()

    def no_space(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.Staging, "commit", no_space)
    with pytest.raises(OSError):
        build(site)
    monkeypatch.undo()
    assert tree(site / "public") == before
    assert sorted(p.name for p in (site / ".cache").glob("state.pickle*")) == ["state.pickle"]
    _edit(site)
    new_process()
    assert build(site).mode == "full"  # the build that failed left no last build to resume
    assert sorted(p.name for p in (site / ".cache").glob("state.pickle*")) == ["state.pickle"]
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_cache_of_another_config_renders_every_page_again(tmp_path):
    """The saved cache belongs to one engine and config (its salt, read first): another config's is passed over."""
    site = make_site(tmp_path)
    build(site)
    new_process()
    _config(site)
    result = build(site)
    assert result.mode == "full" and all(o.fresh for o in result.outputs if o.path.endswith(".html") and o.key)
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_check_between_edit_and_build_keeps_the_last_build(tmp_path):
    """`build.py check` publishes nothing: the build after it still re-renders only the edited body's pages."""
    site = make_site(tmp_path)
    build(site)
    _edit(site)
    new_process()
    cli = load_cli()
    cli.build(cli.Options(config=site / "config.yaml", output=site / "public", search=False, strict=True, write=False))
    new_process()
    result = build(site)
    assert result.mode == "bodies" and _rendered(result) == ["news/first-award/index.html"]
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_one_changed_file_is_renamed_over_the_published_one(tmp_path):
    """A rebuild that changes one file publishes it in place, without bringing the staging folder in line first."""
    site = make_site(tmp_path)
    build(site, remember=True)
    _template(site)  # every listing changes: the staging folder now holds the listings as they were
    build(site, remember=True)
    staging = site / ".public.staging"
    before = {p.relative_to(staging): (p.stat().st_ino, p.stat().st_mtime_ns) for p in staging.rglob("*") if p.is_file()}
    contact = site / "content/pages/contact.md"
    contact.write_text(contact.read_text() + "\nCall us on Mondays.\n")
    result = build(site, remember=True)
    assert result.mode == "bodies" and result.stats == {"written": 1, "unchanged": result.stats["unchanged"], "removed": 0}
    assert "Call us on Mondays." in (site / "public/contact/index.html").read_text()
    after = {p.relative_to(staging): (p.stat().st_ino, p.stat().st_mtime_ns) for p in staging.rglob("*") if p.is_file()}
    assert after == {path: entry for path, entry in before.items() if str(path) != "contact/index.html"}
    assert tree(site / "public") == cold_copy(site, tmp_path)
    contact.write_text(contact.read_text() + "\nAnd on Fridays.\n")  # the next edit, in memory, then a new process
    build(site, remember=True)
    new_process()
    _edit(site)
    build(site)
    assert tree(site / "public") == cold_copy(site, tmp_path)
    assert tree(staging) != {} and tree(site / "public") != tree(staging)  # the generation before, linked in again
