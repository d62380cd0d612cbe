"""The site map page of each language: every section and page listed, and a link to it in every page's footer."""

from __future__ import annotations

import re

import pytest
from support import make_site, run_cli, tree


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site, built once."""
    site = make_site(tmp_path_factory.mktemp("site-map"))
    run = run_cli(site)
    assert (run.returncode, run.stderr) == (0, ""), run
    return site / "public"


def _links(html: str) -> list[tuple[str, str]]:
    """(address, text) of the links in the page's main element."""
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    return [(href, re.sub(r"\s+", " ", text).strip()) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', main, re.S)]


def test_the_english_site_map_lists_every_section_and_page(built):
    """Sections with their years, platforms and partners, then the pages, search and the feed; each link leads to a page."""
    html = (built / "sitemap/index.html").read_text()
    assert "<h1>Site map</h1>" in html and '<html lang="en"' in html
    assert _links(html) == [
        ("/", "Home"), ("/news/", "News"), ("/news/2024/", "News 2024"), ("/news/2023/", "News 2023"), ("/tags/", "Tags"),
        ("/events/", "Events"), ("/calls/", "Calls for projects"), ("/jobs/", "Job offers"), ("/platforms/", "Platforms"), ("/platforms/alpha/", "Platform Alpha"), ("/platforms/beta/", "Platform Beta"),
        ("/partners/", "Partners"), ("/partners/sample-university/", "Sample University"),
        ("/partners/sample-hospital/", "Sample Hospital"), ("/partners/sample-agency/", "Sample Agency"),
        ("/funding/", "Funding"), ("/about/", "About"), ("/contact/", "Contact"), ("/search/", "Search"), ("/feed.xml", "News feed (Atom)"),
    ]
    files = set(tree(built))
    for href, _ in _links(html):
        assert href.lstrip("/") in files or href.lstrip("/") + "index.html" in files, href


def test_the_french_site_map_is_at_its_french_address(built):
    """/fr/plan-du-site/: the French words and pages; the two languages' switches lead to each other."""
    html = (built / "fr/plan-du-site/index.html").read_text()
    assert "<h1>Plan du site</h1>" in html
    links = _links(html)
    assert links[:3] == [("/fr/", "Accueil"), ("/fr/actualites/", "Actualités"), ("/fr/actualites/2023/", "Actualités 2023")]
    assert ("/fr/a-propos/", "À propos") in links and ("/fr/partenaires/sample-agency/", "Agence exemple") in links
    assert 'href="/sitemap/" hreflang="en"' in html
    assert 'href="/fr/plan-du-site/" hreflang="fr"' in (built / "sitemap/index.html").read_text()


def test_every_page_links_to_its_languages_site_map_in_the_footer(built):
    """The footer of every HTML page (redirects aside) holds the link to the site map of the page's language."""
    pages = [path for path in tree(built) if path.endswith(".html")]
    checked = 0
    for path in pages:
        html = (built / path).read_text()
        if 'http-equiv="refresh"' in html:
            continue
        footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)
        wanted = "/fr/plan-du-site/" if path.startswith("fr/") else "/sitemap/"
        assert f'<a href="{wanted}">' in footer, path
        checked += 1
    assert checked > 40
