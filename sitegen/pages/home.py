"""The home page: key figures, the latest news, the platforms and the founding members."""

from __future__ import annotations

from ..model.handles import Site
from .base import Head, Lang, Made, Recipe, base, organization_ld, per_language, recipe


def outputs(site: Site) -> list[Recipe]:
    """The home page of every language."""
    return per_language(site, lambda v: [recipe(v.url("/"), "home", (v.lang,), "content/data/figures.yaml")])


def home(site: Site, lang: str) -> Made:
    """The home page of one language."""
    v = Lang(site, lang)
    url = v.url("/")
    ctx = base(v, Head(url, v.tr(v.config.title), section="home", translations=v.everywhere("/"), jsonld=[organization_ld(v)]))
    ctx.update(figures=site.whole("figures"), latest=site.articles(lang)[:4], platforms=site.platforms,
               founders=[p for p in site.partners if p.founding_member])
    return "home.html", ctx


KINDS = {"home": home}
