"""The home page: key figures, the latest news, the next events and open calls (when there are some), the platforms and the founding members."""

from __future__ import annotations

from ..model.handles import Site
from .agenda import card
from .base import Head, Lang, Made, Recipe, base, organization_ld, per_language, recipe

HOME_ITEMS = 3  # events, and calls, the home page shows at most


def outputs(site: Site) -> list[Recipe]:
    """The home page of every language."""
    return per_language(site, lambda v: [recipe(v.url("/"), "home", (v.lang,), "content/data/figures.yaml")])


def home(site: Site, lang: str) -> Made:
    """The home page of one language."""
    v = Lang(site, lang)
    url = v.url("/")
    ctx = base(v, Head(url, v.tr(v.config.title), section="home", translations=v.everywhere("/"), jsonld=[organization_ld(v)]))
    calls = [page for page in site.agenda_current(lang, "call") if page.state != "not_yet_open"]
    ctx.update(figures=site.whole("figures"), latest=site.articles(lang)[:4], platforms=site.platforms,
               founders=[p for p in site.partners if p.founding_member],
               events=[card(v, page) for page in site.agenda_current(lang, "event")[:HOME_ITEMS]],
               calls=[card(v, page) for page in calls[:HOME_ITEMS]])
    return "home.html", ctx


KINDS = {"home": home}
