"""Incremental builds give exactly the bytes of a cold build, and make again only what read what changed."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support import build, cold_copy, copy_built, edit, load_cli, make_site, tree

load_cli()
from sitegen.graph import inputs  # noqa: E402 - after load_cli put the repository on sys.path


@pytest.fixture(autouse=True)
def _settled(monkeypatch):
    """Files written a moment ago count as settled: the listing alone must show every change (no racy re-reads)."""
    monkeypatch.setattr(inputs, "RACY_NS", 0)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The minimal sample site, built once for the module (its files settled, as _settled has them for each test)."""
    site = make_site(tmp_path_factory.mktemp("built"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inputs, "RACY_NS", 0)
        build(site)
    return site


def built_copy(built: Path, tmp_path: Path) -> Path:
    """A copy of the built sample site whose builds go on from its graph, as the first build of a test would leave it
    (its published files are the module's, hard-linked: a test that writes into one starts from make_site instead)."""
    return copy_built(built, tmp_path / "site")


def failures(site: Path) -> list[str]:
    """The problems of a build that fails, as printed."""
    with pytest.raises(load_cli().BuildFailed) as failed:
        build(site)
    return [str(p) for p in failed.value.problems]


def replace(site: Path, rel: str, old: str, new: str) -> None:
    """Replace a text that must be in one of the site's files."""
    edit(site / rel, old, new)


def _edit(site: Path) -> None:
    replace(site, "content/news/first-award.md", "received", "was awarded")


def _first_paragraph(site: Path) -> None:
    replace(site, "content/news/platform-news.md", "The first paragraph becomes the summary", "The opening paragraph becomes the summary")


def _title(site: Path) -> None:
    replace(site, "content/news/first-award.md", 'title: "The sample cluster wins an award"', 'title: "The sample cluster is awarded"')


def _date_to_future_and_back(site: Path) -> None:
    replace(site, "content/news/launch-day/index.md", "date: 2024-01-31", "date: 2099-05-12")


def _tags(site: Path) -> None:
    replace(site, "content/news/first-award.md", "tags: [funding, France 2030]", "tags: [funding, Immunology]")


def _add(site: Path) -> None:
    (site / "content/news/new-one.md").write_text("---\ntitle: New\ndate: 2024-05-01\ntags: [funding]\n---\nNew text.\n")


def _delete(site: Path) -> None:
    (site / "content/news/platform-news.md").unlink()


def _rename(site: Path) -> None:
    (site / "content/news/first-award.fr.md").rename(site / "content/news/renamed.fr.md")


def _translation_removed(site: Path) -> None:
    (site / "content/news/first-award.fr.md").unlink()


def _template(site: Path) -> None:
    replace(site, "templates/partials/cards.html", 'class="card"', 'class="card card-x"')


def _data(site: Path) -> None:
    replace(site, "content/data/partners.yaml", "Leads the sample cluster.", "Leads the whole sample cluster.")


def _platforms(site: Path) -> None:
    replace(site, "content/data/platforms.yaml", "status: planned", "status: open")


def _config(site: Path) -> None:
    replace(site, "config.yaml", "per_page: 2", "per_page: 1")


def _strings(site: Path) -> None:
    replace(site, "templates/i18n/fr.yaml", 'nav_news: "Actualités"', 'nav_news: "Les actualités"')


def _static(site: Path) -> None:
    path = site / "static/css/style.css"
    path.write_text(path.read_text() + "\n/* changed */\n")


CHANGES = [_edit, _first_paragraph, _title, _date_to_future_and_back, _tags, _add, _delete, _rename, _translation_removed,
           _template, _data, _platforms, _config, _strings, _static]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
def test_incremental_equals_cold(change, built, tmp_path):
    """Build, change one thing, build again: the output is byte-identical to a cold build's."""
    site = built_copy(built, tmp_path)
    change(site)
    result = build(site)
    assert result.mode == "full" and result.computed
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_racy_files_are_read_again(tmp_path, monkeypatch):
    """A file changed within two seconds of a build's listing is read again by the next one, whatever its listing entry."""
    monkeypatch.setattr(inputs, "RACY_NS", 2_000_000_000)
    site = make_site(tmp_path)
    build(site)
    path = site / "content/news/first-award.md"
    stat = path.stat()
    path.write_text(path.read_text().replace("received", "got"))  # same size, and the same times as before:
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the listing entry says nothing (but the change time)
    build(site)
    assert "The sample cluster got" in (site / "public/news/first-award/index.html").read_text()


def test_no_change_rebuild_loads_nothing_and_writes_nothing(tmp_path):
    """With nothing changed, the build says what the last one said and stops: no value computed, no file written."""
    site = make_site(tmp_path)
    first = build(site)
    result = build(site)
    assert result.mode == "unchanged" and result.computed == [] and result.graph is None
    assert result.stats == {"html": first.stats["html"], "files": first.stats["files"], "written": 0, "unchanged": first.stats["files"], "removed": 0}
    assert result.overview == first.overview


@pytest.mark.parametrize("output", [None, "public"], ids=["settings", "--output"])
def test_a_moved_site_keeps_its_graph(tmp_path, output):
    """A site's folder renamed (its output inside it) builds as if it had not moved: nothing computed, nothing written."""
    site = make_site(tmp_path / "before")
    first = build(site, output=output and site / output)
    moved = tmp_path / "after"
    site.parent.rename(moved)
    result = build(moved / "site", output=output and moved / "site" / output)
    assert result.mode == "unchanged" and result.stats["written"] == 0 and result.stats["files"] == first.stats["files"]
    compiled = sorted(path.name for path in (moved / "site/.cache/jinja").iterdir())
    _edit(moved / "site")
    build(moved / "site", output=output and moved / "site" / output)
    assert sorted(path.name for path in (moved / "site/.cache/jinja").iterdir()) == compiled, "templates compiled again after the move"


def _made(result) -> list[str]:
    """The HTML pages a build made again."""
    return sorted(key[1] for key in result.computed if key[0] == "out" and key[1].endswith(".html"))


def test_a_body_edit_below_the_summary_makes_only_the_article_and_the_feeds(built, tmp_path):
    """Listings show an article's card (title, date, summary), not its body: they are not made again."""
    site = built_copy(built, tmp_path)
    _edit(site)  # in the body of an article whose summary is in its front matter
    result = build(site)
    assert _made(result) == ["news/first-award/index.html"]
    assert {key[1] for key in result.computed if key[0] == "out"} == {"news/first-award/index.html", "feed.xml", "tags/funding/feed.xml",
                                                                      "tags/france-2030/feed.xml"}
    assert result.stats["written"] == 4
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_title_edit_makes_the_pages_showing_the_title(built, tmp_path):
    """A title is on the article, its listings, its tags, its partner's page, the feeds; not on unrelated pages."""
    site = built_copy(built, tmp_path)
    _title(site)
    made = _made(build(site))
    assert {"news/first-award/index.html", "news/page/2/index.html", "news/2023/index.html", "partners/sample-university/index.html"} <= set(made)
    assert "contact/index.html" not in made and "platforms/index.html" not in made and "fr/actualites/le-cluster-exemple-est-laureat/index.html" not in made
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_title_edit_makes_only_its_own_cards_again(built, tmp_path):
    """Each listing shows an article's card as made once: a title edit makes that article's cards again, and reads the others'."""
    site = built_copy(built, tmp_path)
    _title(site)
    result = build(site)
    assert sorted(key[1:] for key in result.computed if key[0] == "card") == [
        ("content/news/first-award.md", "en", "h2"), ("content/news/first-award.md", "en", "h3")]
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_settings_broken_after_a_build_make_no_page_with_no_settings(built, tmp_path):
    """A YAML mistake in config.yaml after a build: the list of outputs then demands nothing, and the pages it listed
    before, due since they read the settings, are not made without them: the mistake in one line, nothing published."""
    site = built_copy(built, tmp_path)
    before = tree(site / "public")
    (site / "config.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert failures(site) == ["config.yaml:2: error: YAML syntax error: while parsing a flow sequence, did not find expected ',' or ']'"]
    assert tree(site / "public") == before


def test_an_article_converted_by_a_failed_build_keeps_its_text_after_the_mistake_is_put_right(built, tmp_path):
    """An article edited while another file has a mistake: the failed build converts its text into a pack of its own.
    The build after the fix, which does not convert that article again, keeps the pack, and every later build reads it."""
    site = built_copy(built, tmp_path)
    news = site / "content/news/first-award.md"
    news.write_text(news.read_text(encoding="utf-8") + "\nA paragraph written while another file had a mistake.\n", encoding="utf-8")
    replace(site, "content/news/platform-news.md", "\n---\n", "\n---\nSee [the plan](/no-such-page/).\n\n")
    assert failures(site) == ["content/news/platform-news.md:9: error: broken link '/no-such-page/' on /news/platform-news/index.html: "
                              "no page or file at that address (fix the address, or create the page it points to)"]
    replace(site, "content/news/platform-news.md", "\n---\nSee [the plan](/no-such-page/).\n\n", "\n---\n")
    assert build(site).problems == []
    replace(site, "templates/base.html", "</body>", "<!-- every page made again --></body>")  # the article's page reads its text
    assert build(site).problems == []
    assert "A paragraph written while another file had a mistake." in (site / "public/news/first-award/index.html").read_text(encoding="utf-8")
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_first_build_makes_the_cards_of_the_listings_before_any_page(tmp_path, monkeypatch):
    """The cards the news, partner and platform pages show are made first, all at once (in parallel on a large site),
    then read by the pages that show them: none is made while a page is being made (but the home page's few)."""
    from sitegen import rules

    made, card = [], next(rule for rule in rules.RULES if rule.kind == "card")

    def noted(graph, *key):
        """A card made, and what was being made when it was (nothing but itself when made on its own)."""
        made.append((key, [frame.key[0] for frame in graph._stack[:-1]]))
        return card.compute(graph, *key)

    monkeypatch.setattr(rules, "RULES", tuple(dataclasses.replace(rule, compute=noted) if rule is card else rule for rule in rules.RULES))
    site = make_site(tmp_path)
    build(site)
    alone = [key for key, makers in made if not makers]
    assert [(key, makers) for key, makers in made if makers and key[2] == "h2"] == []
    assert ("content/news/first-award.md", "en", "h2") in alone and ("content/news/first-award.md", "en", "h3") in alone  # on its partner's page


def test_a_first_build_makes_the_listings_before_the_other_pages(tmp_path):
    """The pages showing many articles (news, years, tags, partners, platforms) are made first: they read the most and
    make the largest pages, and made while the build holds few results, its peak memory is lower."""
    from sitegen.pages.outputs import LISTINGS

    kinds = [key[2] for key in build(make_site(tmp_path)).computed if key[0] == "out"]
    listings = sum(kind in LISTINGS for kind in kinds)
    assert listings > 5 and set(kinds[:listings]) <= LISTINGS


def test_a_mistake_in_the_card_macro_is_reported_at_its_line(built, tmp_path):
    """A card made again after its macro changed, or made first, reports a template mistake at the macro's line, once for every
    card; a macro renamed away says which one the listings need."""
    site = built_copy(built, tmp_path)
    replace(site, "templates/partials/cards.html", "<p>{{ article.summary }}</p>", "<p>{{ article.summery }}</p>")
    expected = ["templates/partials/cards.html:5: error: undefined value: 'Page object' has no attribute 'summery' "
                "(while rendering the card of /fr/actualites/le-cluster-exemple-est-laureat/ and 3 other pages)"]
    for _ in ("incremental", "cold"):
        assert failures(site) == expected
        shutil.rmtree(site / ".cache")
    replace(site, "templates/partials/cards.html", "macro article_card(", "macro news_card(")
    assert failures(site) == [
        "templates/partials/cards.html: error: no macro 'article_card' (while rendering the card of "
        "/fr/actualites/le-cluster-exemple-est-laureat/ and 3 other pages) "
        "(card() renders the article_card macro of partials/cards.html: restore it from git)"]


def test_a_partner_location_edit_makes_only_the_pages_showing_it(built, tmp_path):
    """Articles naming a partner show its name, not its location: they are not made again."""
    site = built_copy(built, tmp_path)
    replace(site, "content/data/partners.yaml", "location: Marseille", "location: Marseille, France")
    made = _made(build(site))
    assert made == ["fr/partenaires/sample-university/index.html", "partners/sample-university/index.html"]
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_body_edit_in_the_first_paragraph_makes_the_listings_showing_it(built, tmp_path):
    """Without a summary in the front matter, the card shows the first paragraph: its listings change too."""
    site = built_copy(built, tmp_path)
    _first_paragraph(site)
    made = _made(build(site))
    assert {"news/platform-news/index.html", "news/index.html"} <= set(made)
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_template_edit_makes_only_the_pages_using_it(built, tmp_path):
    """Editing article.html makes the article pages again and nothing else."""
    site = built_copy(built, tmp_path)
    replace(site, "templates/article.html", "{% block main %}", "{% block main %}<!-- edited -->")
    assert _made(build(site)) == ["fr/actualites/le-cluster-exemple-est-laureat/index.html", "news/first-award/index.html",
                                  "news/launch-day/index.html", "news/platform-news/index.html"]


def test_templates_touched_but_not_changed_make_nothing_again(built, tmp_path):
    """Templates rewritten with the same bytes (a branch checked out and back) are compared by content: no page is made again."""
    site = built_copy(built, tmp_path)
    for path in (site / "templates").rglob("*.html"):
        path.write_bytes(path.read_bytes())
    result = build(site)
    assert _made(result) == [] and result.stats["written"] == 0


def test_a_template_reaching_bodies_by_a_computed_name_shows_edits(tmp_path):
    """A template that reads a body by a name made at render time depends on that body like any other read."""
    site = make_site(tmp_path)
    replace(site, "templates/partials/cards.html", "<p>{{ article.summary }}</p>", '{% set field = "bo" ~ "dy" %}<p>{{ article[field]|striptags }}</p>')
    build(site)
    _edit(site)
    assert "news/2023/index.html" in _made(build(site))
    assert "was awarded" in (site / "public/news/2023/index.html").read_text()
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_views_breaking_the_old_rules_stay_right(tmp_path, monkeypatch):
    """A view that puts derived values into a context, and one that reads a body while making it: no page goes stale."""
    from sitegen.pages import home, registry, standalone

    def home_with_summaries(site, lang):
        template, ctx = home.home(site, lang)
        ctx["latest_summaries"] = [page.summary for page in site.articles(lang)]  # values, not pages
        ctx["t"] = dict(ctx["t"], home_intro=" / ".join(ctx["latest_summaries"]))
        return template, ctx

    def page_showing_a_body(site, shown):
        template, ctx = standalone.page(site, shown)
        if "platform" not in shown:
            ctx["article"] = site.page("content/pages/contact.md")
            ctx["body"] = ctx["article"].body  # another page's body, read by the view
        return template, ctx

    monkeypatch.setitem(registry.KINDS, "home", home_with_summaries)
    monkeypatch.setitem(registry.KINDS, "page", page_showing_a_body)
    site = make_site(tmp_path)  # built with the views below (the shared site's graph was not)
    build(site)
    _first_paragraph(site)  # changes a summary the home page shows as a string
    replace(site, "content/pages/contact.md", "\n---\n", "\n---\nA new first line of the contact page.\n\n")
    build(site)
    assert "The opening paragraph becomes the summary" in (site / "public/index.html").read_text()
    assert "A new first line of the contact page." in (site / "public/about/index.html").read_text()
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_successive_edits_equal_cold_builds(built, tmp_path):
    """The preview server's loop: edit after edit, each build equals a cold one."""
    site = built_copy(built, tmp_path)
    edits = [
        ("content/news/platform-news.md", "The first paragraph becomes the summary", "The opening paragraph becomes the summary"),
        ("content/news/first-award.fr.md", "\n---\n", "\n---\nUne phrase de plus au début.\n\n"),
        ("content/pages/about.md", "\n---\n", "\n---\nAn added first line.\n\n"),
        ("content/news/platform-news.md", "opening paragraph", "very first paragraph"),
    ]
    for rel, old, new in edits:
        replace(site, rel, old, new)
        result = build(site)
        assert 0 < result.stats["written"] < 20, rel
        assert tree(site / "public") == cold_copy(site, tmp_path), rel


def test_an_anchor_removed_by_an_edit_breaks_the_unchanged_page_linking_to_it(built, tmp_path):
    site = built_copy(built, tmp_path)
    replace(site, "content/news/first-award.md", "## What comes next", "## What follows")
    assert failures(site) == [
        "content/news/platform-news.md:9: error: broken link '/news/first-award/#what-comes-next' on /news/platform-news/index.html: "
        "no element with id 'what-comes-next' on that page; its ids are what-follows "
        "(fix the address, or create the page it points to)"]


def test_a_broken_link_fails_then_the_fix_publishes(built, tmp_path):
    site = built_copy(built, tmp_path)
    before = tree(site / "public")
    replace(site, "content/news/first-award.md", "## What comes next", "See [nowhere](/news/nowhere/).\n\n## What comes next")
    with pytest.raises(load_cli().BuildFailed) as failed:
        build(site)
    assert [p.message for p in failed.value.problems] == [
        "broken link '/news/nowhere/' on /news/first-award/index.html: no page or file at that address"]
    assert tree(site / "public") == before
    replace(site, "content/news/first-award.md", "See [nowhere](/news/nowhere/).\n\n", "")
    result = build(site)
    assert result.stats["written"] == 0  # what the failed build made was not published: made again, the same as published
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_raw_html_added_is_refused_then_removed(built, tmp_path):
    site = built_copy(built, tmp_path)
    replace(site, "content/news/first-award.md", "## What comes next", "<script>alert(1)</script>\n\n## What comes next")
    with pytest.raises(load_cli().BuildFailed) as failed:
        build(site)
    assert [p.message for p in failed.value.problems] == ["raw HTML with a <script> element is not allowed"]
    replace(site, "content/news/first-award.md", "<script>alert(1)</script>\n\n", "")
    assert build(site).problems == []
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_link_to_a_draft_says_why(tmp_path):
    """A link to a draft, a scheduled article or a file with errors says why the page is not there."""
    site = make_site(tmp_path)
    replace(site, "content/news/first-award.md", "## What comes next", "See [the draft](/news/draft-post/) and [soon](/news/future-post/).\n\n## What comes next")
    with pytest.raises(load_cli().BuildFailed) as failed:
        build(site)
    assert [p.message for p in failed.value.problems] == [
        "broken link '/news/draft-post/' on /news/first-award/index.html: that page is not published: content/news/draft-post.md is a draft",
        "broken link '/news/future-post/' on /news/first-award/index.html: that page is not published: "
        "content/news/future-post.md is scheduled for 2099-01-01"]


def test_build_json_says_the_tree_became_dirty(tmp_path):
    """The first edit after a commit makes the tree dirty: build.json says so."""
    site = make_site(tmp_path)
    git = ["git", "-C", str(site), "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false"]
    (site / ".gitignore").write_text("/.cache/\n")  # as the repository's own: the build's cache is never committed
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "content"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    build(site)
    assert json.loads((site / "public/build.json").read_text())["dirty"] is False
    _edit(site)
    build(site)
    metadata = json.loads((site / "public/build.json").read_text())
    assert metadata["commit"] == head and metadata["dirty"] is True


def test_a_scheduled_article_appears_when_the_clock_passes_its_date(built, tmp_path, monkeypatch):
    """The clock is an input: the build after a scheduled date publishes the article, and equals a cold build then."""
    site = built_copy(built, tmp_path)
    assert not (site / "public/news/future-post/index.html").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4070995200")  # 2099-01-02
    result = build(site)
    assert result.mode == "full"
    assert (site / "public/news/future-post/index.html").is_file()
    assert tree(site / "public") == cold_copy(site, tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # and back
    build(site)
    assert not (site / "public/news/future-post/index.html").exists()
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_publish_that_fails_leaves_the_graph_describing_what_is_published(built, tmp_path, monkeypatch):
    """The graph is saved after publishing: a failed publish leaves both as they were, and the next build does the work."""
    import errno

    from sitegen.publish import output

    site = built_copy(built, tmp_path)
    before = tree(site / "public")
    _template(site)

    def no_space(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched, pytest.raises(OSError):
        patched.setattr(output.Staging, "commit", no_space)
        build(site)
    assert tree(site / "public") == before
    assert build(site).stats["written"] > 10
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_another_engine_starts_a_new_graph(tmp_path, monkeypatch):
    """The graph belongs to one engine (its salt): another engine's graph is passed over and every page made again."""
    from sitegen import build as pipeline

    site = make_site(tmp_path)
    first = build(site)
    monkeypatch.setattr(pipeline, "code_salt", lambda: "another engine")
    result = build(site)
    assert _made(result) == _made(first)
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_check_between_edit_and_build_changes_nothing_published(built, tmp_path):
    """`build.py check` publishes nothing: the build after it still publishes the edit."""
    site = built_copy(built, tmp_path)
    _edit(site)
    build(site, strict=True, write=False)
    result = build(site)
    assert "news/first-award/index.html" in {key[1] for key in result.computed if key[0] == "out"}
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_published_file_changed_by_hand_is_made_again(tmp_path):
    """The published folder is compared with what the last build left: a file changed or deleted by hand is made again."""
    site = make_site(tmp_path)
    build(site)
    (site / "public/news/first-award/index.html").write_text("tampered")
    (site / "public/contact/index.html").unlink()
    (site / "public/stray.html").write_text("not ours")
    result = build(site)
    assert result.mode == "full" and result.stats["written"] == 2 and result.stats["removed"] == 1
    assert tree(site / "public") == cold_copy(site, tmp_path)


def _contact(site: Path) -> None:
    contact = site / "content/pages/contact.md"
    contact.write_text(contact.read_text() + "\nCall us on Mondays.\n")


def _changed_in_place(public: Path) -> None:
    page = public / "news/first-award/index.html"
    text = page.read_text()
    page.write_text(text.replace("<", "{", 1))  # the same size: only its time shows the change


def _stray_folder(public: Path) -> None:
    (public / "news/first-award/extra").mkdir()
    (public / "news/first-award/extra/x.html").write_text("not ours")


def _linked(public: Path) -> None:
    page = public / "contact/index.html"
    page.unlink()
    page.symlink_to(public / "index.html")


TAMPERED = {
    "changed in place": _changed_in_place,
    "deleted": lambda public: (public / "contact/index.html").unlink(),
    "a stray file in a page's folder": lambda public: (public / "news/first-award/notes.txt").write_text("not ours"),
    "a stray folder": _stray_folder,
    "a file made a link": _linked,
}


@pytest.mark.parametrize("tamper", TAMPERED)
def test_the_published_folder_is_looked_at_again_after_every_kind_of_build(tmp_path, tamper):
    """Whatever the last build did (wrote everything, renamed one file in, exchanged the folders, nothing), a change made by
    hand in the published folder is found by the next build, which puts back what that build had published."""
    site = make_site(tmp_path)
    lasts = {"cold": lambda: None, "one file renamed in": lambda: _contact(site), "folders exchanged": lambda: _template(site),
             "nothing changed": lambda: None}
    written = {"one file renamed in": 1, "nothing changed": 0}
    for last, change in lasts.items():
        change()
        result = build(site)
        wrote = result.stats["written"]
        assert wrote == written[last] if last in written else wrote > 0, last
        published = tree(site / "public")
        TAMPERED[tamper](site / "public")
        assert build(site).mode == "full", last
        assert tree(site / "public") == published, last


def test_one_changed_file_is_renamed_over_the_published_one(built, tmp_path):
    """A rebuild that changes one file publishes it in place, without bringing the staging folder in line first."""
    site = built_copy(built, tmp_path)
    _template(site)  # every listing changes, and is linked into the staging folder after the exchange
    build(site)
    staging = site / ".public.staging"
    before = {p.relative_to(staging): (p.stat().st_ino, p.stat().st_mtime_ns) for p in staging.rglob("*") if p.is_file()}
    _contact(site)
    result = build(site)
    assert {key: result.stats[key] for key in ("written", "removed")} == {"written": 1, "removed": 0}
    assert "Call us on Mondays." in (site / "public/contact/index.html").read_text()
    after = {p.relative_to(staging): (p.stat().st_ino, p.stat().st_mtime_ns) for p in staging.rglob("*") if p.is_file()}
    assert after == {path: entry for path, entry in before.items() if str(path) != "contact/index.html"}
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_same_bytes_with_one_job(tmp_path, monkeypatch):
    """--jobs 1 gives the same output as a build spread over two worker processes."""
    import sitegen.graph.parallel

    monkeypatch.setattr(sitegen.graph.parallel, "MIN_PARALLEL", 1)
    site = make_site(tmp_path)
    build(site, jobs=2)
    serial = make_site(tmp_path / "serial")
    build(serial, jobs=1)
    assert tree(site / "public") == tree(serial / "public")


def test_files_read_in_parallel_report_what_one_process_reports(tmp_path, monkeypatch):
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
