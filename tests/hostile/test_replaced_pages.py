"""A file or an alias that would take the place of a page or file the build makes (issue 18, point 1).

A static or bundle file at an address the build renders (a page, a feed, the sitemap, the host files),
or one it writes apart (build.json, the search index), would replace it: a script beside an index.html
would then run under the site's own policy. Each is an error naming both, and nothing is published.
"""

from __future__ import annotations

import pytest

from .conftest import article, assert_outcome, build_checked, refused, write

FILE_HINT = "(rename the file, or remove it)"
SLUG_HINT = "(give one of them another slug)"
EVIL = "content/news/evil.md"


def site_page(template: str) -> str:
    """How the messages name a page or file the site makes."""
    return f"a page the site makes itself ({template})"


STATIC_FILES = [
    pytest.param("static/index.html", f"the address /index.html is also used by {site_page('home.html')}", id="home-page"),
    pytest.param("static/fr/index.html", f"the address /fr/index.html is also used by {site_page('home.html')}", id="french-home"),
    pytest.param("static/partners/index.html", f"the address /partners/index.html is also used by {site_page('partners.html')}", id="section"),
    pytest.param("static/_headers", f"the address /_headers is also used by {site_page('_headers')}", id="headers"),
    pytest.param("static/_redirects", f"the address /_redirects is also used by {site_page('_redirects')}", id="redirects"),
    pytest.param("static/sitemap.xml", f"the address /sitemap.xml is also used by {site_page('sitemap.xml')}", id="sitemap"),
    pytest.param("static/feed.xml", f"the address /feed.xml is also used by {site_page('feed.xml')}", id="feed"),
    pytest.param("static/robots.txt", f"the address /robots.txt is also used by {site_page('robots.txt')}", id="robots"),
    pytest.param("static/build.json", "the address /build.json is also used by a file the site makes itself (build.json)", id="build-json"),
    pytest.param("static/pagefind/pagefind-entry.json", "the address /pagefind/pagefind-entry.json is also used by a file the site makes itself "
                 "(the search index)", id="search-index"),
]


@pytest.mark.parametrize(("rel", "message"), STATIC_FILES)
def test_a_static_file_at_an_address_the_build_makes_is_an_error(built_site, rel, message):
    write(built_site, rel, "<script src=\"/js/evil.js\"></script>\n")
    assert_outcome(build_checked(built_site), built_site, refused(f"{rel}: error: {message} {FILE_HINT}"))


def test_an_index_html_beside_a_bundles_index_md_is_an_error_on_both(built_site):
    """The bundle's page and the editor's index.html claim one address: each file is named, neither is published."""
    write(built_site, "content/news/trip/index.md", article())
    write(built_site, "content/news/trip/index.html", "<script src=\"evil.js\"></script>\n")
    write(built_site, "content/news/trip/evil.js", "alert(1)\n")
    expected = refused(
        f"content/news/trip/index.html: error: the address /news/trip/index.html is also used by content/news/trip/index.md {FILE_HINT}",
        f"content/news/trip/index.md: error: the address /news/trip/ is also used by content/news/trip/index.html {SLUG_HINT}",
    )
    assert_outcome(build_checked(built_site), built_site, expected)


ALIASES = [
    pytest.param("/_headers", f"the address /_headers is also used by {site_page('_headers')} {SLUG_HINT}", id="headers"),
    pytest.param("/_redirects", f"the address /_redirects is also used by {site_page('_redirects')} {SLUG_HINT}", id="redirects"),
    pytest.param("/sitemap.xml", f"the address /sitemap.xml is also used by {site_page('sitemap.xml')} {SLUG_HINT}", id="sitemap"),
    pytest.param("/build.json", "the address /build.json is also used by a file the site makes itself (build.json) "
                 "(give it another slug or alias)", id="build-json"),
]


@pytest.mark.parametrize(("alias", "message"), ALIASES)
def test_an_alias_at_an_address_the_build_makes_is_an_error(built_site, alias, message):
    write(built_site, EVIL, article(extra=f'aliases: ["{alias}"]\n'))
    assert_outcome(build_checked(built_site), built_site, refused(f"{EVIL}:4: error: {message}"))
