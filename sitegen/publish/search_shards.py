"""Which shard of the search index each page belongs to, and the manifest the search page reads.

The index is split so that an edit re-indexes few pages and the shards rank alike: each page goes
to one of its language's 2^k buckets chosen by a digest of its address, with k the least that keeps
a bucket under PER_SHARD pages, so that every shard is a sample of the whole (the same mix of
articles, partners and pages: Pagefind ranks with each shard's own word statistics). Bucket 0 of
every language is the root shard, published at /pagefind/ beside Pagefind's scripts; the browser
loads it and merges the other shards of its page's language. A site under PER_SHARD pages a
language has one shard: the root. The splits by language and year and by section are kept to be
measured against it (bench/search_shards.py, docs/benchmark.md).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from typing import NamedTuple

ROOT = ""  # the root shard's name: published at pagefind/, with Pagefind's scripts
MANIFEST = "shards.json"
DATED = ("article", "agenda-item")  # the recipe kinds whose pages have a year
INDEXED = (*DATED, "page", "partner", "platform", "funding")  # the recipe kinds whose templates mark a data-pagefind-body


class Indexed(NamedTuple):
    """A page that may be indexed: its path, its language, its recipe's kind, its year (0: none) and its output's key."""

    path: str
    lang: str
    kind: str
    year: int
    key: tuple


Split = Callable[[list[Indexed]], list[str]]  # the shard of each page


def by_year(pages: list[Indexed]) -> list[str]:
    """A dated page's language and year ('fr-2024'); the root shard for the others."""
    return [f"{p.lang}-{p.year}" if p.kind in DATED and p.year else ROOT for p in pages]


SECTIONS = {"article": "news", "agenda-item": "agenda", "partner": "partners", "platform": "platforms"}


def by_section(pages: list[Indexed]) -> list[str]:
    """A page's section in every language ('news'); the root shard for standalone pages."""
    return [SECTIONS.get(p.kind, ROOT) for p in pages]


PER_SHARD = 1000  # pages of one language per shard, at most, in the split by digest


def by_digest(pages: list[Indexed]) -> list[str]:
    """A page's language and one of its language's 2^k buckets, chosen by a digest of its path ('en-3'); bucket 0 is the root."""
    counts = Counter(p.lang for p in pages)
    buckets = {lang: 1 << max(0, -(-n // PER_SHARD) - 1).bit_length() for lang, n in counts.items()}
    names = []
    for p in pages:
        bucket = int.from_bytes(hashlib.blake2b(p.path.encode(), digest_size=8).digest()) % buckets[p.lang]
        names.append(f"{p.lang}-{bucket}" if bucket else ROOT)
    return names


SPLITS: dict[str, Split] = {"year": by_year, "section": by_section, "digest": by_digest}
SPLIT = "digest"  # the one the build uses (bench/search_shards.py measures each)


def shards(pages: Iterable[Indexed], split: str = "") -> dict[str, list[Indexed]]:
    """The pages of each shard, sorted by path; everything in the root shard when it lacks a language another shard has."""
    pages = sorted(pages)
    found: dict[str, list[Indexed]] = {}
    for page, name in zip(pages, SPLITS[split or SPLIT](pages), strict=True):
        found.setdefault(name, []).append(page)
    root_langs = {page.lang for page in found.get(ROOT, ())}
    if any(page.lang not in root_langs for group in found.values() for page in group):
        return {ROOT: pages}  # the root is the browser's first index: it must hold every language
    return found


def manifest(langs_of: dict[str, tuple[str, ...]]) -> bytes:
    """shards.json: for each language, the folders (under pagefind/) of the shards to merge, in order of name, last first."""
    langs: dict[str, list[str]] = {}
    for name in sorted(langs_of, reverse=True):
        if name != ROOT:
            for lang in langs_of[name]:
                langs.setdefault(lang, []).append(f"{name}/")
    return (json.dumps({"shards": dict(sorted(langs.items()))}, indent=1, sort_keys=True) + "\n").encode()


def language_of(path: str, languages: Iterable[str], default: str) -> str:
    """The language of an output path: its first folder when that is a language's, else the default language."""
    first = path.split("/", 1)[0]
    return first if first != default and first in languages and "/" in path else default
