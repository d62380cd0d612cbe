"""The site as views and templates see it: pages, tags and data entries whose every attribute is a recorded read.

A `Page` holds only its path; its address, title, summary or body are read through the build
graph when asked for, wherever that happens (in a view, while a context is made, in a template,
in a filter), and each read is recorded in the output being made. So an output depends on
exactly what it showed, and no rule about what a view may put in a context is needed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ..graph.core import Graph
from .addresses import address
from .config import Config, setting
from .datafiles import Entry
from .i18n import Strings
from .listings import PageInfo
from .sources import body_html, source_key


class Page:
    """An article or a standalone page in one language."""

    __slots__ = ("_graph", "shown")

    def __init__(self, graph: Graph, shown: str):
        self._graph, self.shown = graph, shown

    @property
    def _info(self) -> PageInfo:
        """Its address and translations."""
        return self._graph.get(("page", self.shown))

    @property
    def url(self) -> str:
        """The page's address."""
        return self._info.url

    @property
    def lang(self) -> str:
        """The page's language."""
        return self._info.lang

    @property
    def kind(self) -> str:
        """'article' or 'page'."""
        return self._info.kind

    @property
    def translations(self) -> dict[str, Page]:
        """Its versions in the other languages, by language."""
        return {lang: Page(self._graph, shown) for lang, shown in self._info.translations}

    @property
    def meta(self):
        """The validated front matter."""
        return self._graph.get(("front", self.shown))

    @property
    def title(self) -> str:
        """The title."""
        return self.meta.title

    @property
    def date(self) -> datetime | None:
        """The publication date (None for pages, events, calls and jobs without one)."""
        return getattr(self.meta, "date", None)

    @property
    def updated(self) -> datetime | None:
        """The last update, else the publication date."""
        return self.meta.updated or self.published

    @property
    def published(self) -> datetime | None:
        """The publication date; for events, calls and jobs their content's date (`updated`, else their first day or time)."""
        meta = self.meta
        return meta.stamp(setting(self._graph, "timezone")) if hasattr(meta, "stamp") else getattr(meta, "date", None)

    @property
    def state(self) -> str:
        """An event's, call's or job's state at the build's clock (upcoming, ongoing, past; not_yet_open, open, closing_soon, closed)."""
        return self._graph.get(("state", self.shown))

    @property
    def summary(self) -> str:
        """The summary: the front matter's, else the body's first paragraph."""
        return self._graph.get(("summary", self.shown))

    @property
    def lastmod(self) -> str:
        """The updated (else publication) day as YYYY-MM-DD, or ''."""
        return self._graph.get(("lastmod", self.shown))

    @property
    def body(self) -> str:
        """The converted body's HTML."""
        return body_html(self._graph, self.shown)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Page) and other.shown == self.shown

    def __hash__(self) -> int:
        return hash(self.shown)

    def __repr__(self) -> str:
        return f"Page({self.shown!r})"


class Tag:
    """A tag of one language: its name as first written, its address name, its articles newest first."""

    __slots__ = ("_graph", "lang", "name", "slug")

    def __init__(self, graph: Graph, lang: str, slug: str, name: str):
        self._graph, self.lang, self.slug, self.name = graph, lang, slug, name

    @property
    def count(self) -> int:
        """How many articles it has."""
        found = self._graph.get(("tag", self.lang, self.slug))
        return len(found[1]) if found else 0

    @property
    def pages(self) -> list[Page]:
        """Its articles, newest first (what their cards read fetched at once)."""
        found = self._graph.get(("tag", self.lang, self.slug))
        if not found:
            return []
        prefetch_cards(self._graph, found[1], (self.lang, LISTING_CARDS))
        return [Page(self._graph, shown) for shown in found[1]]


# The heading the site's templates give an article's card in each kind of list: list.html's (the news pages, years,
# tags) and partner.html's and platform.html's. Cards with another heading are read one by one.
LISTING_CARDS, NAMING_CARDS = "h2", "h3"


def prefetch_cards(graph: Graph, shown: tuple[str, ...], cards: tuple[str, str]) -> None:
    """Fetch at once the cards of these articles (pages/cards.py) for a language and heading, and what the cards not made yet read.

    The heading is the one the site's templates give the cards of that listing (LISTING_CARDS, NAMING_CARDS)."""
    lang, heading = cards
    keys = [("card", s, lang, heading) for s in shown]
    graph.prefetch(keys)
    prefetch_card_data(graph, tuple(s for s, key in zip(shown, keys, strict=True) if not graph.has(key)))


def prefetch_card_data(graph: Graph, shown: tuple[str, ...]) -> None:
    """Fetch at once what the cards of these pages read: each one's parse, address, front matter, summary and dates."""
    graph.prefetch([key for s in shown for key in (source_key(graph, s), ("page", s), ("front", s), ("head", s), ("summary", s), ("lastmod", s))])


class Site:
    """The assembled site: listings, pages and data, each read through the graph."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def listable(self) -> bool:
        """Whether pages can be listed: the settings and every language's UI strings read without errors."""
        config = self.config
        return config is not None and all(self.strings(lang) is not None for lang in config.langs)

    @property
    def config(self) -> Config:
        """The settings."""
        return self.graph.get(("config",))

    @property
    def root(self) -> Path:
        """The site's folder."""
        return self.graph.resources["root"]

    def strings(self, lang: str) -> Strings:
        """One language's UI strings."""
        return self.graph.get(("strings", lang))

    def address(self, lang: str, path: str) -> str:
        """A path ('/news/') as a language's address ('/fr/actualites/')."""
        return address(self.graph, self.config, lang, path)

    def page(self, shown: str) -> Page:
        """The page made from a source."""
        return Page(self.graph, shown)

    def _pages(self, shown: tuple[str, ...], shown_whole: bool = True, cards: tuple[str, str] | None = None) -> list[Page]:
        """Pages from their paths; when the list is shown whole, its cards (article cards of `cards`, a language and heading),
        or what the cards read of each, fetched at once."""
        if shown_whole and len(shown) > 1:
            if cards:
                prefetch_cards(self.graph, shown, cards)
            else:
                prefetch_card_data(self.graph, shown)
        return [Page(self.graph, s) for s in shown]

    def articles(self, lang: str) -> list[Page]:
        """The articles of a language, newest first (callers take the first few: nothing is fetched ahead)."""
        return self._pages(self.graph.get(("articles", lang)), shown_whole=False)

    def standalone(self, lang: str) -> list[Page]:
        """The standalone pages of a language, by menu weight then title."""
        return self._pages(self.graph.get(("standalone", lang)), shown_whole=False)

    def chunk(self, lang: str, number: int) -> list[Page]:
        """The articles on one page of the news listing."""
        return self._pages(self.graph.get(("chunk", lang, number)), cards=(lang, LISTING_CARDS))

    def chunks(self, lang: str) -> int:
        """How many pages the news listing has."""
        return self.graph.get(("chunks", lang))

    def years(self, lang: str) -> tuple[tuple[int, int], ...]:
        """(year, number of articles), newest first."""
        return self.graph.get(("years", lang))

    def year(self, lang: str, year: int) -> list[Page]:
        """The articles of one year."""
        return self._pages(self.graph.get(("year", lang, year)), cards=(lang, LISTING_CARDS))

    def tags(self, lang: str) -> list[Tag]:
        """The tags of a language, by address name."""
        return [Tag(self.graph, lang, slug, name) for slug, name, _ in self.graph.get(("tag-names", lang))]

    def tag(self, lang: str, slug: str) -> Tag | None:
        """One tag."""
        found = self.graph.get(("tag", lang, slug))
        return Tag(self.graph, lang, slug, found[0]) if found else None

    def tag_name(self, lang: str, slug: str) -> str:
        """A tag's name, without its articles."""
        return self.graph.get(("tag-name", lang, slug))

    def published(self):
        """Every published page in order, what was skipped and what is not published (the ("pages",) value)."""
        return self.graph.get(("pages",))

    def moment(self):
        """The build's 'now' as a date (SOURCE_DATE_EPOCH when set); reading it makes the reader depend on the clock."""
        return self.graph.moment(self.config.timezone)

    def articles_naming(self, lang: str, what: str, ident: str) -> list[Page]:
        """The articles of a language that name a partner (what='partners') or a platform."""
        return self._pages(self.graph.get(("named", lang, what, ident)), cards=(lang, NAMING_CARDS))

    def agenda_current(self, lang: str, kind: str) -> list[Page]:
        """The events still to come, or the calls or jobs not closed, of a language, soonest first."""
        return self._pages(self.graph.get(("agenda-current", lang, kind)))

    def agenda_naming(self, lang: str, ident: str) -> list[Page]:
        """The events, calls and jobs of a language naming a partner, those still current first."""
        return self._pages(self.graph.get(("agenda-named", lang, ident)))

    def agenda_years(self, lang: str, kind: str) -> list[tuple[int, int]]:
        """(year, number of items) of the archive of a kind, newest first."""
        return [(year, len(items)) for year, items in self.graph.get(("agenda-archive", lang, kind))]

    def agenda_year(self, lang: str, kind: str, year: int) -> list[Page]:
        """The past events, or closed calls or jobs, of one year."""
        return self._pages(self.graph.get(("agenda-year", lang, kind, year)))

    def page_by_layout(self, lang: str, layout: str) -> Page | None:
        """The standalone page with a layout (such as 'about')."""
        shown = self.graph.get(("by-layout", lang, layout))
        return Page(self.graph, shown) if shown else None

    def entries(self, name: str) -> list[Entry]:
        """The valid entries of a list data file (partners, platforms), in file order."""
        return [Entry(self.graph, name, ident) for ident in self.graph.get(("ids", name))]

    @property
    def partners(self) -> list[Entry]:
        """The partners."""
        return self.entries("partners")

    @property
    def platforms(self) -> list[Entry]:
        """The platforms."""
        return self.entries("platforms")

    def partner(self, ident: str) -> Entry | None:
        """The partner with this id, if it is valid (known from the list of ids: its fields are read one by one)."""
        return Entry(self.graph, "partners", ident) if ident in self.graph.get(("ids", "partners")) else None

    def platform(self, ident: str) -> Entry | None:
        """The platform with this id, if it is valid."""
        return Entry(self.graph, "platforms", ident) if ident in self.graph.get(("ids", "platforms")) else None

    def whole(self, name: str) -> Any:
        """A data file read whole: milestones, figures, funding."""
        return self.graph.get(("whole", name))
