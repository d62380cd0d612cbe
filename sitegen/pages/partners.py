"""Partners: the directory grouped by type, and one page per partner with the news and platforms naming it."""

from __future__ import annotations

from ..model.handles import Site
from ..model.schemas import PARTNER_TYPES
from ..render.pictures import logo
from .agenda import card
from .base import Head, Lang, Made, Recipe, base, per_language, recipe

SOURCE = "content/data/partners.yaml"


def outputs(site: Site) -> list[Recipe]:
    """The directory and each partner's page, in every language."""
    def made(v: Lang) -> list[Recipe]:
        found = [recipe(v.url("/partners/"), "partners", (v.lang,), SOURCE)]
        found += [recipe(v.url(f"/partners/{partner.id}/"), "partner", (v.lang, partner.id), SOURCE) for partner in site.partners]
        return found
    return per_language(site, made)


def partners(site: Site, lang: str) -> Made:
    """The directory, grouped by type, names in alphabetical order."""
    v = Lang(site, lang)
    url = v.url("/partners/")
    everyone = site.partners
    groups = [
        {"type": kind, "label": v.t[f"partner_type_{kind}"],
         "partners": sorted([p for p in everyone if p.type == kind], key=lambda p: v.tr(p.name).lower())}
        for kind in PARTNER_TYPES
    ]
    ctx = base(v, Head(url, v.t["partners_title"], section="partners", kind="list", translations=v.everywhere("/partners/"), crumbs=[v.home_crumb()]))
    ctx.update(groups=[g for g in groups if g["partners"]], partner_count=len(everyone),
               logos={p.id: logo(site, p.logo, lazy=True) for p in everyone})
    return "partners.html", ctx


def partner(site: Site, lang: str, ident: str) -> Made:
    """One partner's page."""
    v = Lang(site, lang)
    found = site.partner(ident)
    path = f"/partners/{ident}/"
    ctx = base(v, Head(v.url(path), v.tr(found.name), section="partners", kind="partner", description=v.tr(found.description),
               translations=v.everywhere(path), crumbs=[v.home_crumb(), (v.t["partners_title"], v.url("/partners/"))]))
    ctx.update(partner=found, logo=logo(site, found.logo, lazy=False), type_label=v.t[f"partner_type_{found.type}"],
               articles=site.articles_naming(lang, "partners", ident), platforms=[p for p in site.platforms if ident in p.partners],
               agenda=[card(v, page) for page in site.agenda_naming(lang, ident)])
    return "partner.html", ctx


KINDS = {"partners": partners, "partner": partner}
