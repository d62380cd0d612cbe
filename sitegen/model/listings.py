"""The assembled site: which pages are published at which address, paired with their translations, and the listings.

("pages",) reads every source's head (never its title or body), so only a change to what shapes
the site (a date, a slug, a draft flag, a file added) assembles it again. Each listing is a
node of its own, a tuple of source paths: the articles of a language, each page of the news
listing, each year, each tag, the articles naming each partner, so that a change reaches only
the listings it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from slugify import slugify

from ..graph.core import Graph, Rule
from ..graph.store import tuple_reduce
from ..problems import Problem
from .addresses import Names, localize
from .config import Config, setting
from .sources import SECTION_PATHS, Head, SourceFile


class PageInfo(NamedTuple):
    """A published article or page: where it is, and its translations by language."""

    shown: str
    kind: str
    lang: str
    url: str
    year: int
    translations: tuple[tuple[str, str], ...]  # (language, path of that version), other languages only
    layout: str
    slug_line: int
    aliases: tuple[tuple[str, int], ...]  # (old address, its line)
    untranslated: str  # its address in the default language's words, when that differs and redirects (else "")

    __reduce__ = tuple_reduce  # 10,000 of them in ("pages",), read by every page's build


@dataclass(frozen=True)
class Pages:
    """Every published page in order (articles newest first), what was skipped, and what is not published and why."""

    pages: tuple[PageInfo, ...]
    skipped: tuple[tuple[str, int], ...]
    unpublished: tuple[tuple[str, str, str], ...]  # (address, path, why) of drafts, scheduled items and colliding pages


def page_url(config: Config, head: Head, names: Names, slug: str | None = None) -> str:
    """The address of an article or page (named `slug`, default its own), in the words of the section `names`."""
    return config.prefix(head.lang) + localize(SECTION_PATHS[head.kind], names) + f"{slug or head.slug}/"


def untranslated_url(config: Config, head: Head, names: Names, url: str) -> str:
    """The address a page of another language has in the default language's words, when those redirect ("" otherwise)."""
    if config.untranslated_addresses != "redirect" or head.lang == config.default_language:
        return ""
    found = page_url(config, head, names, head.file_slug)
    return "" if found == url else found


def assemble(graph: Graph) -> Pages:
    """Give each published source its address; count and explain what is not published; pair translations."""
    config: Config | None = graph.get(("config",))
    sources: tuple[SourceFile, ...] = graph.get(("sources",))
    if config is None:
        return Pages((), (), ())
    drafts = graph.get(("option", "drafts"))
    zone = ZoneInfo(config.timezone)
    names = {lang: graph.get(("addresses", lang)) for lang in config.langs}
    kept: list[tuple[Head, str]] = []
    skipped = {"drafts": 0, "scheduled": 0}
    unpublished = []
    for source in sources:
        head: Head | None = graph.get(("head", source.shown))
        if head is None:
            continue
        url = page_url(config, head, names.get(head.lang, {}))
        why = _not_published(graph, head, drafts, zone)
        if why:
            skipped["drafts" if why == "draft" else "scheduled"] += 1
            unpublished.append((url, head.shown, f"{head.shown} is {'a draft' if why == 'draft' else why}"))
            continue
        kept.append((head, url))
    kept = _without_collisions(graph, kept, unpublished)
    kept.sort(key=lambda item: (item[0].kind, -(item[0].date or 0), item[1]))
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for head, _ in kept:
        groups.setdefault((head.kind, head.key), {})[head.lang] = head.shown
    pages = tuple(
        PageInfo(head.shown, head.kind, head.lang, url, _year_of(head, zone),
                 tuple((lang, shown) for lang, shown in sorted(groups[(head.kind, head.key)].items()) if lang != head.lang),
                 head.layout, head.slug_line, tuple(zip(head.aliases, head.alias_lines, strict=True)),
                 untranslated_url(config, head, names[config.default_language], url))
        for head, url in kept
    )
    return Pages(pages, tuple((what, n) for what, n in sorted(skipped.items()) if n), tuple(sorted(unpublished)))


def _without_collisions(graph: Graph, kept: list[tuple[Head, str]], unpublished: list) -> list[tuple[Head, str]]:
    """The pages whose address no other page has; two files with one address are both errors, and neither is published."""
    claims: dict[str, list[Head]] = {}
    for head, url in kept:
        claims.setdefault(url, []).append(head)
    for url, heads in claims.items():
        if len(heads) < 2:
            continue
        names = " and ".join(sorted(head.shown for head in heads))
        for head in heads:
            others = ", ".join(sorted(other.shown for other in heads if other is not head))
            graph.problem(Problem(head.shown, head.slug_line, "error", f"the address {url} is also used by {others}", "give one of them another slug"))
            unpublished.append((url, head.shown, f"{names} both use that address"))
    return [(head, url) for head, url in kept if len(claims[url]) == 1]


def _not_published(graph: Graph, head: Head, drafts: bool, zone: ZoneInfo) -> str:
    """'draft', 'scheduled for <day>', or '' when the page is published."""
    if drafts:
        return ""
    if head.draft:
        return "draft"
    if head.date is not None and not graph.reached(head.date):
        return f"scheduled for {datetime.fromtimestamp(head.date, zone).date().isoformat()}"
    return ""


def _year_of(head: Head, zone: ZoneInfo) -> int:
    """The year of publication (0 for an undated page)."""
    return datetime.fromtimestamp(head.date, zone).year if head.date is not None else 0


@lru_cache(maxsize=4096)
def tag_slug(name: str) -> str:
    """A tag's URL name: 'Immunothérapie' gives 'immunotherapie'."""
    return slugify(name) or "tag"


def _page(graph: Graph, shown: str) -> PageInfo | None:
    """One published page's address and translations (None when it is not published)."""
    return _by_path(graph).get(shown)


def _by_path(graph: Graph) -> dict[str, PageInfo]:
    """The published pages by path: made once per value of ("pages",), whose read is recorded."""
    pages: Pages = graph.get(("pages",))
    memo = graph.resources.setdefault("pages-by-path", {})
    found = memo.get(id(pages))
    if found is None:
        memo.clear()
        found = memo[id(pages)] = {page.shown: page for page in pages.pages}
    return found


def _articles(graph: Graph, lang: str) -> tuple[str, ...]:
    """The articles of one language, newest first."""
    return tuple(page.shown for page in graph.get(("pages",)).pages if page.kind == "article" and page.lang == lang)


def _standalone(graph: Graph, lang: str) -> tuple[str, ...]:
    """The standalone pages of one language, by menu weight then title."""
    found = [page.shown for page in graph.get(("pages",)).pages if page.kind == "page" and page.lang == lang]
    return tuple(sorted(found, key=lambda shown: (graph.get(("head", shown)).weight, graph.get(("front", shown)).title)))


def _years(graph: Graph, lang: str) -> tuple[tuple[int, int], ...]:
    """(year, number of articles) of one language, newest first."""
    counts: dict[int, int] = {}
    for page in graph.get(("pages",)).pages:
        if page.kind == "article" and page.lang == lang:
            counts[page.year] = counts.get(page.year, 0) + 1
    return tuple(counts.items())


def _year(graph: Graph, lang: str, year: int) -> tuple[str, ...]:
    """The articles of one language and year."""
    return tuple(page.shown for page in graph.get(("pages",)).pages if page.kind == "article" and page.lang == lang and page.year == year)


def _chunk(graph: Graph, lang: str, number: int) -> tuple[str, ...]:
    """The articles on one page of the news listing."""
    size = setting(graph, "per_page")
    return graph.get(("articles", lang))[(number - 1) * size : number * size]


def _chunks(graph: Graph, lang: str) -> int:
    """How many pages the news listing of a language has (at least one)."""
    size = setting(graph, "per_page")
    return max(1, -(-len(graph.get(("articles", lang))) // size))


def _tags(graph: Graph, lang: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(slug, name as first written, articles newest first) of every tag of a language, by slug."""
    found: dict[str, tuple[str, list[str]]] = {}
    for shown in graph.get(("articles", lang)):
        for name in graph.get(("tagnames", shown)):
            found.setdefault(tag_slug(name), (name, []))[1].append(shown)
    return tuple((slug, name, tuple(pages)) for slug, (name, pages) in sorted(found.items()))


def _tag(graph: Graph, lang: str, slug: str) -> tuple[str, tuple[str, ...]] | None:
    """One tag's name and articles."""
    return next(((name, pages) for found, name, pages in graph.get(("tags", lang)) if found == slug), None)


def _tag_names(graph: Graph, lang: str) -> tuple[tuple[str, str, int], ...]:
    """(slug, name, number of articles) of every tag of a language."""
    return tuple((slug, name, len(pages)) for slug, name, pages in graph.get(("tags", lang)))


def _naming(graph: Graph, lang: str, what: str) -> dict[str, tuple[str, ...]]:
    """The articles of a language naming each partner (what='partners') or platform id."""
    index = 0 if what == "partners" else 1
    found: dict[str, list[str]] = {}
    for shown in graph.get(("articles", lang)):
        for ident in dict.fromkeys(graph.get(("refs", shown))[index]):
            found.setdefault(ident, []).append(shown)
    return {ident: tuple(pages) for ident, pages in sorted(found.items())}


def _named(graph: Graph, lang: str, what: str, ident: str) -> tuple[str, ...]:
    """The articles of a language naming one id."""
    return graph.get(("naming", lang, what)).get(ident, ())


def _by_layout(graph: Graph, lang: str, layout: str) -> str | None:
    """The standalone page of a language with a layout (such as 'about')."""
    return next((shown for shown in graph.get(("standalone", lang)) if graph.get(("head", shown)).layout == layout), None)


def _tag_name(graph: Graph, lang: str, slug: str) -> str:
    """A tag's name as first written (what an article shows of its tags)."""
    found = graph.get(("tag", lang, slug))
    return found[0] if found else slug


RULES = (
    Rule("pages", 5, assemble),
    Rule("page", 6, _page, stored=False),
    Rule("articles", 6, _articles),
    Rule("standalone", 6, _standalone),
    Rule("years", 6, _years),
    Rule("year", 6, _year, stored=False),
    Rule("chunk", 7, _chunk, stored=False),
    Rule("chunks", 7, _chunks),
    Rule("tags", 7, _tags),
    Rule("tag", 8, _tag, stored=False),
    Rule("tag-names", 8, _tag_names),
    Rule("tag-name", 9, _tag_name, stored=False),
    Rule("naming", 7, _naming),
    Rule("named", 8, _named, stored=False),
    Rule("by-layout", 7, _by_layout),
)
