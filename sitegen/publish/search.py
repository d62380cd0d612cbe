"""The Pagefind search index of the rendered pages, in shards (search_shards) each made again only when its pages change.

The root shard and Pagefind's scripts are published at pagefind/, every other shard at
pagefind/<shard>/ (its index only), and pagefind/shards.json lists each language's shards for the
search page, which merges them with Pagefind's mergeIndex. Pagefind makes one index per <html lang>
within each shard.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..graph.core import Graph, Rule
from ..problems import Problem
from . import search_bundle
from .output import digest, stage_file
from .search_shards import DATED, MANIFEST, Indexed, language_of, manifest, shards

BUNDLE = "pagefind"


def search_index(graph: Graph) -> tuple[tuple[str, str], ...]:
    """("search",): the shards of the index of the indexed pages and their manifest, staged; (path, digest) of each file."""
    if not graph.get(("option", "search")):
        return ()
    pages = indexed_pages(graph)
    if graph.resources.get("failed"):  # pages with errors: no index (nothing is published)
        return ()
    split = shards(pages)
    groups = {name: [(p.path, p.digest) for p in members] for name, members in split.items()}
    cache = graph.resources["cache"]
    error = _make_missing(groups, cache, graph.resources["locate"], graph.resources.get("jobs") or 0)
    if error:
        graph.problem(Problem("search index", 0, "error", f"Pagefind failed: {error}", "run 'make build' again; reinstall with 'make setup' if it persists"))
        return ()
    search_bundle.prune(cache, groups)
    found = []
    for name, members in groups.items():
        folder = search_bundle.bundle_folder(cache, name, members)
        prefix = f"{BUNDLE}/{name}/" if name else f"{BUNDLE}/"
        found += [_stage(graph, prefix + rel, file_digest, folder / rel) for rel, file_digest in search_bundle.listing(folder) or ()]
    found.append(_stage_bytes(graph, f"{BUNDLE}/{MANIFEST}", manifest(split)))
    return tuple(sorted(found))


def indexed_pages(graph: Graph) -> list[Indexed]:
    """The pages Pagefind indexes (those with data-pagefind-body), with their language, kind and year."""
    config = graph.get(("config",))
    found = []
    for recipe in graph.get(("site",)).recipes:
        if recipe.path.endswith(".html"):
            made = graph.get(("out", recipe.path, recipe.kind, *recipe.args))
            if made is not None and made.scan is not None and made.scan.indexed:
                if recipe.kind in DATED:
                    info = graph.get(("page", recipe.args[0]))
                    lang, year = info.lang, info.year
                else:
                    lang, year = language_of(recipe.path, config.languages, config.default_language), 0
                found.append(Indexed(recipe.path, made.digest, lang, recipe.kind, year))
    return found


def _make_missing(groups: dict[str, list[tuple[str, str]]], cache: Path, locate, jobs: int) -> str:
    """Index every shard whose pages have no kept files, a few at once; the first error, else ''."""
    missing = [name for name, members in groups.items() if search_bundle.listing(search_bundle.bundle_folder(cache, name, members)) is None]
    if not missing:
        return ""
    workers = max(1, min(jobs or os.cpu_count() or 1, os.cpu_count() or 1, len(missing)))
    with ThreadPoolExecutor(workers) as pool:
        errors = list(pool.map(lambda name: search_bundle.make(cache, name, groups[name], locate, scripts=not name), missing))
    return next((error for error in errors if error), "")


def _stage(graph: Graph, path: str, file_digest: str, source: Path) -> tuple[str, str]:
    """Stage one kept file unless the published one has its digest (then it is not even read)."""
    staging = graph.resources.get("staging")
    if staging is not None and not _published_as(staging, path, file_digest) and stage_file(staging, path, source.read_bytes(), file_digest):
        graph.resources["written"].add(path)
    return path, file_digest


def _stage_bytes(graph: Graph, path: str, data: bytes) -> tuple[str, str]:
    """Stage a file made here."""
    file_digest = digest(data)
    staging = graph.resources.get("staging")
    if staging is not None and stage_file(staging, path, data, file_digest):
        graph.resources["written"].add(path)
    return path, file_digest


def _published_as(staging, path: str, file_digest: str) -> bool:
    """Whether the published file is the one the last build recorded with this digest, unchanged since."""
    entry, current = staging.known.get(path), staging.current.get(path)
    return entry is not None and current is not None and entry.digest == file_digest and (entry.size, entry.mtime_ns) == current[:2]


RULES = (Rule("search", 12, search_index),)
