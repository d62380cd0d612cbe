"""The search page and the 404 page of each language."""

from __future__ import annotations

from ..model.handles import Site
from .base import Head, Lang, Made, Recipe, base, per_language, recipe

SEARCH_KINDS = ("news", "event", "call", "job", "partner", "platform", "page")


def outputs(site: Site) -> list[Recipe]:
    """The search page and the 404 page of every language."""
    return per_language(site, lambda v: [recipe(v.url("/search/"), "search", (v.lang,), "templates/search.html"),
                                         recipe(v.url("/404.html"), "404", (v.lang,), "templates/404.html")])


def search(site: Site, lang: str) -> Made:
    """The search page (Pagefind's index is made after the pages)."""
    v = Lang(site, lang)
    url = v.url("/search/")
    ctx = base(v, Head(url, v.t["search_title"], section="search", kind="search", translations=v.everywhere("/search/"), crumbs=[v.home_crumb()]))
    ctx.update(kinds=SEARCH_KINDS)
    return "search.html", ctx


def not_found(site: Site, lang: str) -> Made:
    """The 404 page."""
    v = Lang(site, lang)
    return "404.html", base(v, Head(v.url("/404.html"), v.t["not_found_title"], section="404", kind="404", translations=v.everywhere("/404.html")))


KINDS = {"search": search, "404": not_found}
