"""Feeds checked against RFC 4287's required elements; the sitemap and robots.txt against the built pages."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from support import build, make_site

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
BASE = "https://sample.example.org"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site built with drafts present (they must stay out of every index)."""
    site = make_site(tmp_path_factory.mktemp("feeds"))
    build(site)
    return site / "public"


def feeds(public):
    """Every Atom feed of the site (there are some)."""
    found = sorted(public.rglob("feed.xml"))
    assert found, "the site has no feed"
    return found


def one(element, name):
    """The single child `name`, asserting there is exactly one."""
    found = element.findall(ATOM + name)
    assert len(found) == 1, f"expected exactly one <{name}>, found {len(found)}"
    return found[0]


def test_every_feed_has_rfc4287_required_elements(built):
    """Feed and entries: one id, title and updated each; RFC 3339 dates; an author; content and an alternate link."""
    assert len(feeds(built)) >= 6
    entries = 0
    for path in feeds(built):
        feed = ET.parse(path).getroot()
        assert feed.tag == ATOM + "feed", path
        assert one(feed, "id").text.startswith(BASE)
        assert one(feed, "title").text
        assert RFC3339.match(one(feed, "updated").text), path
        self_links = [link for link in feed.findall(ATOM + "link") if link.get("rel") == "self"]
        assert len(self_links) == 1 and self_links[0].get("href") == BASE + "/" + path.relative_to(built).as_posix()
        for entry in feed.findall(ATOM + "entry"):
            entries += 1
            assert one(entry, "id").text.startswith(BASE + "/")
            assert one(entry, "title").text
            assert RFC3339.match(one(entry, "updated").text)
            assert RFC3339.match(one(entry, "published").text)
            french = "/fr/" in one(entry, "id").text
            assert one(one(entry, "author"), "name").text == ("Rédaction exemple" if french else "Sample editors")
            assert one(entry, "summary").text
            assert one(entry, "content").get("type") == "html" and one(entry, "content").text
            alternate = [link for link in entry.findall(ATOM + "link") if link.get("rel") == "alternate"]
            assert len(alternate) == 1 and alternate[0].get("href") == one(entry, "id").text
    assert entries >= 6, "the feeds hold too few entries to check anything"


def test_feed_entries_and_ids_are_unique(built):
    """No entry appears twice in a feed; the English feed lists the three published English articles, newest first."""
    for path in feeds(built):
        ids = [e.find(ATOM + "id").text for e in ET.parse(path).getroot().findall(ATOM + "entry")]
        assert ids and len(ids) == len(set(ids)), path
    english = [e.find(ATOM + "id").text for e in ET.parse(built / "feed.xml").getroot().findall(ATOM + "entry")]
    assert english == [f"{BASE}/news/platform-news/", f"{BASE}/news/launch-day/", f"{BASE}/news/first-award/"]


def test_tag_feeds_hold_only_their_tag(built):
    """/tags/<tag>/feed.xml lists exactly the articles with that tag."""
    tag_feeds = sorted(built.glob("**/tags/*/feed.xml"))
    assert len(tag_feeds) >= 4
    for path in tag_feeds:
        tag_page = (path.parent / "index.html").read_text()
        name = re.search(r"<h1>[^<]*?([^<:]+)</h1>", tag_page).group(1).strip()
        entries = ET.parse(path).getroot().findall(ATOM + "entry")
        assert entries, path
        for entry in entries:
            terms = [c.get("term") for c in entry.findall(ATOM + "category")]
            assert name in terms, (path, name, terms)


def test_feeds_are_discoverable_from_every_page(built):
    """Every HTML page links its language's feed in the head; tag pages also their own."""
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        head = page.read_text().split("</head>")[0]
        if "http-equiv=\"refresh\"" in head:
            continue
        lang = "/fr" if page.relative_to(built).parts[0] == "fr" else ""
        assert 'type="application/atom+xml" title=' in head and f'href="{lang}/feed.xml"' in head, page
        rel = page.relative_to(built).as_posix()
        if re.fullmatch(r"(fr/)?tags/[^/]+/index\.html", rel):
            assert f'href="/{rel.removesuffix("index.html")}feed.xml"' in head, page


def test_drafts_and_scheduled_are_in_no_index(built):
    """Drafts and future articles appear in no page, feed or sitemap."""
    texts = [path for path in built.rglob("*") if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt")]
    assert len(texts) > 30
    for path in texts:
        text = path.read_text()
        assert "draft-post" not in text and "future-post" not in text, path


def test_sitemap_lists_every_page_once(built):
    """Every built HTML page except 404s and redirects is in sitemap.xml exactly once, with hreflang where translated."""
    root = ET.parse(built / "sitemap.xml").getroot()
    locs = [u.find(SITEMAP + "loc").text for u in root.findall(SITEMAP + "url")]
    assert len(locs) == len(set(locs))
    pages = set()
    for page in built.rglob("*.html"):
        rel = page.relative_to(built).as_posix()
        if page.name == "404.html" or 'http-equiv="refresh"' in page.read_text():
            continue
        pages.add(BASE + "/" + rel.removesuffix("index.html"))
    assert set(locs) == pages
    entry = next(u for u in root.findall(SITEMAP + "url") if u.find(SITEMAP + "loc").text == BASE + "/news/platform-news/")
    assert entry.find(SITEMAP + "lastmod").text == "2024-03-01"
    translated = next(u for u in root.findall(SITEMAP + "url") if u.find(SITEMAP + "loc").text == BASE + "/news/first-award/")
    langs = {link.get("hreflang"): link.get("href") for link in translated.findall(XHTML + "link")}
    assert langs == {"en": BASE + "/news/first-award/", "fr": BASE + "/fr/actualites/le-cluster-exemple-est-laureat/", "x-default": BASE + "/news/first-award/"}


def test_robots_points_to_the_sitemap(built):
    """robots.txt allows crawling and names the sitemap."""
    assert (built / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n"


def test_year_archives_and_tag_index(built):
    """/news/ links per-year archives; /tags/ lists every tag with its count."""
    news = (built / "news/index.html").read_text()
    assert 'href="/news/2024/"' in news and 'href="/news/2023/"' in news
    y2024 = (built / "news/2024/index.html").read_text()
    assert "A platform is planned" in y2024 and "Launch day" in y2024 and "wins an award" not in y2024
    tags = (built / "tags/index.html").read_text()
    for slug in ("funding", "france-2030", "platforms", "launch"):
        assert f'href="/tags/{slug}/"' in tags
    assert re.search(r'href="/tags/funding/">funding</a> <span class="count">\(1', tags)


def test_aliases_redirect(built):
    """An alias is a redirect page to the article."""
    page = (built / "old/platform-news/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/news/platform-news/">' in page
    lines = (built / "_redirects").read_text().splitlines()
    assert "/old/platform-news/ /news/platform-news/ 301" in lines and lines[-1] == "/fr/* /fr/404.html 404"


def test_build_json(built):
    """build.json names the generator, the build time from SOURCE_DATE_EPOCH and the counts."""
    data = json.loads((built / "build.json").read_text())
    assert data["generator"] == "mib-portal" and data["built_at"] == "2025-11-24T16:00:00Z"
    assert data["pages"] == {"articles_en": 3, "articles_fr": 1, "pages_en": 2, "pages_fr": 1}
    assert data["skipped"] == {"drafts": 1, "scheduled": 1}

