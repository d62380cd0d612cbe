"""Standalone pages (about, contact, legal notice...): the about layout adds the milestones timeline, the accessibility
layout writes the statement from the audit's record."""

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
    if found.meta.layout == "accessibility":
        record = site.whole("accessibility")
        ctx.update(statement=record, status=conformance(record.audit.rate if record and record.audit else None))
        return "accessibility.html", ctx
    return ("about.html" if about else "page.html"), ctx


def conformance(rate: float | None) -> str:
    """The RGAA's status for an audit's rate: full at 100 %, partial from 50 %, none below or without an audit."""
    if rate is None or rate < 50:
        return "none"
    return "full" if rate == 100 else "partial"


KINDS = {"page": page}
