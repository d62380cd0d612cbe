"""The output families of the site, in the order their outputs are listed: adding a kind of page is one line here."""

from __future__ import annotations

from types import ModuleType

from ..model.handles import Site
from ..publish import admin, derivatives, files, hosting, previews
from . import (
    agenda,
    calendars,
    errors,
    feeds,
    funding,
    home,
    moved,
    news,
    partners,
    platforms,
    redirects,
    site_map,
    sitemap,
    standalone,
    tags,
)
from .base import Made, Recipe

PAGES = (home, news, agenda, tags, partners, platforms, funding, standalone, site_map, errors, redirects, moved)  # rendered HTML pages
FAMILIES: tuple[ModuleType, ...] = (*PAGES, feeds, calendars, sitemap, files, derivatives, previews, hosting, admin)

KINDS = {kind: make for family in FAMILIES for kind, make in family.KINDS.items()}
PAGE_KINDS = frozenset(kind for family in PAGES for kind in family.KINDS)
ALTERNATES = {kind: alternates for family in FAMILIES for kind, alternates in getattr(family, "ALTERNATES", {}).items()}


def every_recipe(site: Site) -> list[Recipe]:
    """The recipes of every family, then the redirects from the untranslated addresses of the pages among them."""
    found = [recipe for family in FAMILIES if family is not moved for recipe in family.outputs(site)]
    return found + moved.outputs(site, found, PAGE_KINDS)


def recipes_of(site: Site) -> tuple[Recipe, ...]:
    """Every output of the site (the ("site",) value)."""
    return site.graph.get(("site",)).recipes


def make(site: Site, kind: str, args: tuple) -> Made:
    """What one output is made of: a template and its context, or its bytes."""
    return KINDS[kind](site, *args)
