"""Article cards made once: the `article_card` macro of partials/cards.html rendered for one article, kept as a value.

An article's card is the same in every listing of its language (the news pages, its year, its tags, the
partners and platforms it names), so ("card", path, lang, heading) holds its HTML. A listing of a
thousand articles then reads a few hundred bytes per article instead of each article's parse, and an
edited title makes its own card again and no other: the card read the title, so it is due, and the
listings that show it are due because they read the card.

Templates ask for it with `card(article, t, fmt, heading)`, the macro's own arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from ..graph.core import Graph, Key, Outcome, Rule
from ..model.handles import LISTING_CARDS, NAMING_CARDS, Page, Site, prefetch_card_data
from ..problems import Problems
from ..render.templates import render_macro
from .base import Lang

CARDS_TEMPLATE = "partials/cards.html"
CARD_MACRO = "article_card"
MISSING = f"card() renders the {CARD_MACRO} macro of {CARDS_TEMPLATE}: restore it from git"


def make_card(graph: Graph, shown: str, lang: str, heading: str) -> str:
    """("card", path, lang, heading): the article's card, as the macro renders it for that language and heading
    ("" while the article is not published: a card made before it became a draft or was scheduled is due, and no listing shows it)."""
    info = graph.get(("page", shown))
    if info is None:
        return ""
    view = Lang(Site(graph), lang)
    found = Problems()
    html = render_macro(graph.resources["templates"], CARDS_TEMPLATE, CARD_MACRO, (Page(graph, shown), view.t, view.fmt, heading),
                        f"the card of {info.url}", found, MISSING)
    for problem in found:
        graph.problem(problem)
    return html or ""


def make_cards(graph: Graph, keys: list[Key]) -> Iterable[tuple[Key, Outcome]]:
    """Many cards made again at once (a template or the strings changed): what they read fetched first, then made in parallel."""
    prefetch_card_data(graph, tuple(dict.fromkeys(key[1] for key in keys)))
    return graph.in_parallel(keys)


def card_global(graph: Graph) -> Callable[..., Markup]:
    """The templates' `card(article, t, fmt, heading="h3")`: the article's card, made once."""

    def card(article: Any, t: Any, fmt: Any, heading: str = "h3") -> Markup:
        """The card of an article in the language of `fmt` (`t` is that language's strings, as the macro takes them)."""
        return Markup(graph.get(("card", article.shown, fmt.lang, heading)))

    return card


def listed_cards(graph: Graph) -> int:
    """("listed-cards",): demands the cards the listings show, and gives their number: every article's in the news
    pages, and those of the articles that name a partner or a platform in those pages, each in its language, with the
    headings `Site`'s lists fetch.

    Demanded with the outputs, the cards are made at once before the pages that show them: in a
    first build, in parallel; and a helper rendering listing pages then reads them rather than each
    article. A node of its own, so that the list of outputs does not read which articles name whom.
    """
    site = Site(graph)
    if not site.listable():
        return 0  # as the list of outputs, which lists nothing then (a build after one that listed comes here first)
    found: dict[Key, None] = {}
    for lang in site.config.langs:
        found.update((("card", shown, lang, LISTING_CARDS), None) for shown in graph.get(("articles", lang)))
        for what in ("partners", "platforms"):
            for named in graph.get(("naming", lang, what)).values():
                found.update((("card", shown, lang, NAMING_CARDS), None) for shown in named)
    graph.demand(found)
    return len(found)


RULES = (Rule("listed-cards", 9, listed_cards), Rule("card", 9, make_card, batch=make_cards))
