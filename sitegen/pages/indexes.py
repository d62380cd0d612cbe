"""Feeds, sitemap and robots.txt: small indexes of the whole site, rendered from templates."""

from __future__ import annotations

from datetime import datetime

from .. import __version__
from ..model.i18n import Strings
from ..model.site import Page, Site
from .routes import Route, page_alternates


def feed_routes(site: Site, strings: dict[str, Strings], epoch: datetime) -> list[Route]:
    """An Atom feed per language, and one per tag."""
    routes = []
    for lang in site.config.langs:
        prefix = site.config.prefix(lang)
        articles = site.articles(lang)
        routes.append(_feed(site, strings[lang], lang, f"{prefix}/feed.xml", f"{prefix}/news/",
                            site.config.text(site.config.title, lang), articles, epoch))
        for tag in site.tags(lang):
            url = f"{prefix}/tags/{tag.slug}/"
            title = f"{site.config.text(site.config.title, lang)} – {tag.name}"
            routes.append(_feed(site, strings[lang], lang, url + "feed.xml", url, title, tag.pages, epoch))
    return routes


def _feed(site: Site, t: Strings, lang: str, url: str, alternate: str, title: str, articles: list[Page], epoch: datetime) -> Route:
    """One Atom feed's route."""
    entries = articles[: site.config.feed_limit]
    updated = max((p.updated for p in entries), default=epoch)
    context = {
        "config": site.config, "lang": lang, "t": t, "url": url, "alternate": alternate, "title": title,
        "entries": entries, "updated": updated, "author": site.config.text(site.config.author, lang),
        "site_url": site.config.site_url, "version": __version__,
    }
    return Route(url, "feed.xml", context, "content/news")


def sitemap_entries(site: Site, routes: list[Route]) -> list[dict]:
    """Every indexable page once, sorted, with its lastmod and language alternates."""
    entries = {}
    for route in routes:
        if route.page is not None:  # an article or page: its context is made only to render it
            alternates, lastmod = dict(sorted(page_alternates(route.page).items())), _lastmod(route.page)
        else:
            page = route.context.get("page") if isinstance(route.context.get("page"), dict) else None
            if not page or page["kind"] == "404":
                continue
            alternates, lastmod = page["alternates"], ""
        if route.url.endswith("/"):
            entries[route.url] = {"url": route.url, "lastmod": lastmod, "alternates": alternates if len(alternates) > 1 else {}}
    return [entries[url] for url in sorted(entries)]


def _lastmod(page: Page) -> str:
    """An article's or page's updated (else publication) date, as YYYY-MM-DD."""
    return page.updated.date().isoformat() if page.updated else ""


def sitemap_route(site: Site, routes: list[Route]) -> Route:
    """sitemap.xml at the root, with hreflang alternates."""
    context = {"entries": sitemap_entries(site, routes), "site_url": site.config.site_url,
               "default_language": site.config.default_language}
    return Route("/sitemap.xml", "sitemap.xml", context, "content")


def robots_route(site: Site) -> Route:
    """robots.txt pointing to the sitemap."""
    return Route("/robots.txt", "robots.txt", {"site_url": site.config.site_url}, "config.yaml")

