"""Tags: the index of a language's tags and one page per tag listing its articles."""

from __future__ import annotations

from ..model.handles import Site
from .base import Head, Lang, Made, Recipe, base, per_language, recipe


def outputs(site: Site) -> list[Recipe]:
    """The tag index and each tag's page, in every language."""
    def made(v: Lang) -> list[Recipe]:
        found = [recipe(v.url("/tags/"), "tags", (v.lang,), "content/news")]
        found += [recipe(v.url(f"/tags/{tag.slug}/"), "tag", (v.lang, tag.slug), "content/news") for tag in site.tags(v.lang)]
        return found
    return per_language(site, made)


def _crumbs(v: Lang) -> list[tuple[str, str]]:
    """The breadcrumbs above the tag pages."""
    return [v.home_crumb(), (v.t["nav_news"], v.url("/news/"))]


def tags(site: Site, lang: str) -> Made:
    """The index of a language's tags."""
    v = Lang(site, lang)
    url = v.url("/tags/")
    ctx = base(v, Head(url, v.t["tags_title"], section="news", kind="list", translations=v.everywhere("/tags/"), crumbs=_crumbs(v)))
    ctx.update(tags=site.tags(lang))
    return "tags.html", ctx


def tag(site: Site, lang: str, slug: str) -> Made:
    """One tag's articles."""
    v = Lang(site, lang)
    found = site.tag(lang, slug)
    url = v.url(f"/tags/{slug}/")
    title = f"{v.t['tag_title']} {found.name}"
    ctx = base(v, Head(url, title, section="news", kind="list", translations={lang: url}, fallbacks=v.everywhere("/tags/"),
               crumbs=[*_crumbs(v), (v.t["tags_title"], v.url("/tags/"))]))
    ctx.update(articles=found.pages, pager=None, years=[], heading=title, tag=found, feed_url=url + "feed.xml")
    return "list.html", ctx


def own_address(site: Site, lang: str, slug: str) -> dict[str, str]:
    """A tag page's only language (tags are not paired across languages)."""
    return {lang: site.address(lang, f"/tags/{slug}/")}


KINDS = {"tags": tags, "tag": tag}
ALTERNATES = {"tag": own_address}
