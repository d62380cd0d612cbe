"""Atom feeds: one per language of its newest articles, one per tag, and one per kind of the agenda (events, calls, jobs)."""

from __future__ import annotations

from .. import __version__
from ..model.handles import Page, Site
from ..model.sources import AGENDA, SECTION_PATHS
from .base import Made, Recipe, file_recipe

SOURCE = "content/news"


def outputs(site: Site) -> list[Recipe]:
    """The feed of every language and of every tag."""
    found = []
    for lang in site.config.langs:
        prefix = site.config.prefix(lang)
        found.append(file_recipe(f"{prefix}/feed.xml".lstrip("/"), "feed", (lang,), SOURCE))
        found += [file_recipe(site.address(lang, f"/tags/{tag.slug}/feed.xml").lstrip("/"), "tag-feed", (lang, tag.slug), SOURCE)
                  for tag in site.tags(lang)]
        found += [file_recipe(agenda_feed_url(site, lang, kind).lstrip("/"), "agenda-feed", (lang, kind), f"content/{kind}s")
                  for kind in AGENDA if site.graph.get(("agenda", lang, kind))]  # none without items: a feed is dated by its entries
    return found


def feed(site: Site, lang: str) -> Made:
    """A language's feed."""
    prefix = site.config.prefix(lang)
    return _feed(site, lang, f"{prefix}/feed.xml", site.address(lang, "/news/"), site.config.text(site.config.title, lang), site.articles(lang))


def tag_feed(site: Site, lang: str, slug: str) -> Made:
    """A tag's feed."""
    tag = site.tag(lang, slug)
    url = site.address(lang, f"/tags/{slug}/")
    title = f"{site.config.text(site.config.title, lang)} – {tag.name}"
    return _feed(site, lang, url + "feed.xml", url, title, tag.pages)


def agenda_feed_url(site: Site, lang: str, kind: str) -> str:
    """The address of a kind's feed: '/events/feed.xml', '/fr/evenements/feed.xml'."""
    return site.address(lang, SECTION_PATHS[kind]) + "feed.xml"


def agenda_feed(site: Site, lang: str, kind: str) -> Made:
    """A kind's feed: its items, the latest (by start, or by closing) first."""
    url = site.address(lang, SECTION_PATHS[kind])
    title = f"{site.config.text(site.config.title, lang)} – {site.strings(lang)[f'{kind}s_title']}"
    items = [site.page(shown) for shown in reversed(site.graph.get(("agenda", lang, kind)))]
    return _feed(site, lang, url + "feed.xml", url, title, items)


def _feed(site: Site, lang: str, url: str, alternate: str, title: str, articles: list[Page]) -> Made:
    """One Atom feed: its newest entries, dated by the newest update (the build's 'now' when there is none)."""
    config = site.config
    entries = articles[: config.feed_limit]
    updated = max((p.updated for p in entries), default=None) or site.moment()
    context = {
        "config": config, "lang": lang, "t": site.strings(lang), "url": url, "alternate": alternate, "title": title,
        "entries": entries, "updated": updated, "author": config.text(config.author, lang),
        "site_url": config.site_url, "version": __version__,
    }
    return "feed.xml", context


KINDS = {"feed": feed, "tag-feed": tag_feed, "agenda-feed": agenda_feed}
