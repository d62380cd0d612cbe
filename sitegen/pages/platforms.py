"""Platforms: their list and one page per platform."""

from __future__ import annotations

from ..model.handles import Site
from .base import Head, Lang, Made, Recipe, base, per_language, recipe

SOURCE = "content/data/platforms.yaml"


def outputs(site: Site) -> list[Recipe]:
    """The list and each platform's page, in every language."""
    def made(v: Lang) -> list[Recipe]:
        found = [recipe(v.url("/platforms/"), "platforms", (v.lang,), SOURCE)]
        found += [recipe(v.url(f"/platforms/{platform.id}/"), "platform", (v.lang, platform.id), SOURCE) for platform in site.platforms]
        return found
    return per_language(site, made)


def platforms(site: Site, lang: str) -> Made:
    """The list of platforms."""
    v = Lang(site, lang)
    url = v.url("/platforms/")
    ctx = base(v, Head(url, v.t["platforms_title"], section="platforms", kind="list", translations=v.everywhere("/platforms/"), crumbs=[v.home_crumb()]))
    ctx.update(platforms=site.platforms)
    return "platforms.html", ctx


def platform(site: Site, lang: str, ident: str) -> Made:
    """One platform's page."""
    v = Lang(site, lang)
    found = site.platform(ident)
    path = f"/platforms/{ident}/"
    ctx = base(v, Head(v.url(path), v.tr(found.name), section="platforms", kind="platform", description=v.tr(found.summary),
               translations=v.everywhere(path), crumbs=[v.home_crumb(), (v.t["platforms_title"], v.url("/platforms/"))]))
    ctx.update(platform=found, partners=[p for pid in found.partners if (p := site.partner(pid)) is not None],
               articles=site.articles_naming(lang, "platforms", ident))
    return "platform.html", ctx


KINDS = {"platforms": platforms, "platform": platform}
