"""The funding page: the programme, its sources and allocations, and a bar chart drawn at build time."""

from __future__ import annotations

from ..model.handles import Site
from ..render.charts import funding_bars
from .base import Head, Lang, Made, Recipe, base, per_language, recipe


def outputs(site: Site) -> list[Recipe]:
    """The funding page of every language (none while funding.yaml has errors)."""
    if site.whole("funding") is None:
        return []
    return per_language(site, lambda v: [recipe(v.url("/funding/"), "funding", (v.lang,), "content/data/funding.yaml")])


def funding(site: Site, lang: str) -> Made:
    """The funding page of one language."""
    v = Lang(site, lang)
    found = site.whole("funding")
    url = v.url("/funding/")
    ctx = base(v, Head(url, v.t["funding_title"], section="funding", kind="page", translations=v.everywhere("/funding/"), crumbs=[v.home_crumb()]))
    operator = found.programme.operator
    ctx.update(funding=found, bars=funding_bars(found, v.tr, v.fmt), operator=site.partner(operator) if operator else None)
    return "funding.html", ctx


KINDS = {"funding": funding}
