"""Standalone pages (about, contact, legal notice...): the about layout adds the milestones timeline."""

from __future__ import annotations

from ..model.handles import Site
from ..model.i18n import milestone_sort_key
from ..render.pictures import with_pictures
from .base import Head, Lang, Made, Recipe, base, organization_ld, page_alternates, per_language, recipe


def outputs(site: Site) -> list[Recipe]:
    """Every standalone page."""
    pages = {page.shown: page for page in site.published().pages}
    return per_language(site, lambda v: [
        recipe(pages[shown].url, "page", (shown,), shown, pages[shown].slug_line) for shown in site.graph.get(("standalone", v.lang))])


def page(site: Site, shown: str) -> Made:
    """One standalone page."""
    found = site.page(shown)
    v = Lang(site, found.lang)
    about = found.meta.layout == "about"
    ctx = base(v, Head(found.url, found.title, section="about" if about else "page", kind="page", description=found.summary,
               translations=page_alternates(found), fallbacks=v.everywhere("/"), crumbs=[v.home_crumb()],
               jsonld=[organization_ld(v)] if about else []))
    milestones = sorted(site.whole("milestones"), key=lambda m: milestone_sort_key(m.date)) if about else []
    ctx.update(article=found, milestones=milestones, body=with_pictures(site, found, found.body))
    return ("about.html" if about else "page.html"), ctx


KINDS = {"page": page}
