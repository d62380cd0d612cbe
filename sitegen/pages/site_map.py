"""The site map: a language's sections and pages on one page, linked from every page's footer (RGAA's second way to navigate)."""

from __future__ import annotations

from ..model.handles import Site
from ..model.sources import AGENDA
from .base import Head, Lang, Made, Recipe, base, per_language, recipe


def outputs(site: Site) -> list[Recipe]:
    """The site map of every language."""
    return per_language(site, lambda v: [recipe(v.url("/sitemap/"), "site-map", (v.lang,), "content")])


def site_map(site: Site, lang: str) -> Made:
    """One language's site map: the sections with what each holds, then the standalone pages."""
    v = Lang(site, lang)
    url = v.url("/sitemap/")
    ctx = base(v, Head(url, v.t["sitemap_title"], section="sitemap", translations=v.everywhere("/sitemap/"), crumbs=[v.home_crumb()]))
    ctx.update(years=site.years(lang), tags=site.tags(lang), partners=site.partners, platforms=site.platforms,
               pages=site.standalone(lang), agenda=[(kind, site.agenda_years(lang, kind)) for kind in AGENDA])
    return "site-map.html", ctx


KINDS = {"site-map": site_map}
