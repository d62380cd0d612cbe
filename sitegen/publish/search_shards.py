"""Which shard of the search index each indexed page belongs to, and the manifest the search page reads.

The index is split so that an edit re-indexes few pages: each dated page (article, event, call, job)
goes to the shard of its language and year (`en-2024`), every other page (standalone pages,
partners, platforms, funding) to the root shard, published at /pagefind/ beside Pagefind's
scripts. The browser loads the root shard and merges the shards of its page's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import NamedTuple

ROOT = ""  # the root shard's name: published at pagefind/, with Pagefind's scripts
MANIFEST = "shards.json"
DATED = ("article", "agenda-item")  # the recipe kinds whose pages have a year


class Indexed(NamedTuple):
    """An indexed page: its path, the digest of its bytes, its language, its recipe's kind and its year (0: none)."""

    path: str
    digest: str
    lang: str
    kind: str
    year: int


def by_year(page: Indexed) -> str:
    """A dated page's language and year ('fr-2024'); the root shard for the others."""
    return f"{page.lang}-{page.year}" if page.kind in DATED and page.year else ROOT


SECTIONS = {"article": "news", "agenda-item": "agenda", "partner": "partners", "platform": "platforms"}


def by_section(page: Indexed) -> str:
    """A page's section in every language ('news'); the root shard for standalone pages. Measured, not used."""
    return SECTIONS.get(page.kind, ROOT)


SPLITS: dict[str, Callable[[Indexed], str]] = {"year": by_year, "section": by_section}
SPLIT = by_year


def shards(pages: Iterable[Indexed], split: Callable[[Indexed], str] = SPLIT) -> dict[str, list[Indexed]]:
    """The pages of each shard, sorted by path; everything in the root shard when it lacks a language another shard has."""
    pages = sorted(pages)
    found: dict[str, list[Indexed]] = {}
    for page in pages:
        found.setdefault(split(page), []).append(page)
    root_langs = {page.lang for page in found.get(ROOT, ())}
    if any(page.lang not in root_langs for group in found.values() for page in group):
        return {ROOT: pages}  # the root is the browser's first index: it must hold every language
    return found


def manifest(groups: dict[str, list[Indexed]]) -> bytes:
    """shards.json: for each language, the folders (under pagefind/) of the shards to merge, newest first."""
    langs: dict[str, list[str]] = {}
    for name in sorted(groups, reverse=True):
        if name != ROOT:
            for lang in sorted({page.lang for page in groups[name]}):
                langs.setdefault(lang, []).append(f"{name}/")
    return (json.dumps({"shards": dict(sorted(langs.items()))}, indent=1, sort_keys=True) + "\n").encode()


def language_of(path: str, languages: Iterable[str], default: str) -> str:
    """The language of an output path: its first folder when that is a language's, else the default language."""
    first = path.split("/", 1)[0]
    return first if first != default and first in languages and "/" in path else default
