"""Redirect pages: each old address (an alias in front matter) sends readers to the page's address."""

from __future__ import annotations

from ..model.handles import Site
from .base import Made, Recipe, recipe


def outputs(site: Site) -> list[Recipe]:
    """A redirect page for each alias of each published page."""
    return [recipe(alias, "redirect", (page.shown, alias), page.shown, line) for page in site.published().pages for alias, line in page.aliases]


def redirect(site: Site, shown: str, alias: str) -> Made:
    """The page at an old address."""
    page = site.page(shown)
    return "redirect.html", {"target": page.url, "title": page.title, "lang": page.lang, "t": site.strings(page.lang), "config": site.config}


KINDS = {"redirect": redirect}
