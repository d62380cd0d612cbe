"""sitemap.xml (every page once, with its last change and its addresses in the other languages) and robots.txt."""

from __future__ import annotations

from ..model.addresses import delocalize
from ..model.handles import Site
from .base import SOURCE_KINDS, Made, Recipe, file_recipe, page_alternates

NOT_LISTED = ("404", "redirect", "moved")


def outputs(site: Site) -> list[Recipe]:
    """The sitemap and robots.txt, at the root."""
    return [file_recipe("sitemap.xml", "sitemap", (), "content"), file_recipe("robots.txt", "robots", (), "config.yaml")]


def sitemap(site: Site) -> Made:
    """Every listed page once, sorted by address, with its lastmod and language alternates."""
    from .registry import ALTERNATES, PAGE_KINDS, recipes_of

    entries = {}
    for found in recipes_of(site):
        if found.kind not in PAGE_KINDS or found.kind in NOT_LISTED or not found.path.endswith("index.html"):
            continue
        url = "/" + found.path[: -len("index.html")]
        if found.kind in SOURCE_KINDS:
            page = site.page(found.args[0])
            alternates, lastmod = dict(sorted(page_alternates(page).items())), page.lastmod
        elif found.kind in ALTERNATES:
            alternates, lastmod = dict(sorted(ALTERNATES[found.kind](site, *found.args).items())), ""
        else:
            alternates, lastmod = _everywhere(site, url, found.args[0]), ""
        entries[url] = {"url": url, "lastmod": lastmod, "alternates": alternates if len(alternates) > 1 else {}}
    context = {"entries": [entries[url] for url in sorted(entries)], "site_url": site.config.site_url,
               "default_language": site.config.default_language}
    return "sitemap.xml", context


def _everywhere(site: Site, url: str, lang: str) -> dict[str, str]:
    """The same path in every language: what pages made from data and section indexes are paired with."""
    path = delocalize(url[len(site.config.prefix(lang)):], site.graph.get(("addresses", lang)))
    return {other: site.address(other, path) for other in site.config.langs}


def robots(site: Site) -> Made:
    """robots.txt pointing to the sitemap."""
    return "robots.txt", {"site_url": site.config.site_url}


KINDS = {"sitemap": sitemap, "robots": robots}
