"""The Pagefind search index of the rendered pages, in shards (search_shards) each made again only when its pages change.

Three kinds of values: ("search-split",) puts each page that may be indexed in a shard, from the
recipes and the pages' languages and years (no output is read); ("search-shard", name) is the
(path, digest) of the indexed pages of one shard, so that an edit reads the outputs of its own
shard only; ("search",) indexes the shards whose pages have no kept bundle (a few Pagefind
processes at once) and stages every shard's files, each shard's as soon as they are there. The
root shard and Pagefind's scripts are published at pagefind/, every other shard at
pagefind/<shard>/ (its index only), and pagefind/shards.json lists each language's shards for the
search page, which merges them with Pagefind's mergeIndex. Pagefind makes one index per <html lang>
within each shard.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from ..graph.core import Graph, Rule
from ..problems import Problem
from . import search_bundle
from .output import digest, stage_file
from .search_shards import DATED, INDEXED, MANIFEST, Indexed, language_of, manifest, shards

BUNDLE = "pagefind"
Split = tuple[tuple[str, tuple[str, ...], tuple[tuple, ...]], ...]  # (shard, its languages, the keys of its pages' outputs)


def search_split(graph: Graph) -> Split:
    """("search-split",): each shard with its languages and the output keys of its pages (those of kinds that may be indexed)."""
    if not graph.get(("option", "search")):
        return ()
    config = graph.get(("config",))
    infos = {info.shown: info for info in graph.get(("pages",)).pages}
    found = []
    for recipe in graph.get(("site",)).recipes:
        if recipe.kind in INDEXED and recipe.path.endswith(".html"):
            info = infos.get(recipe.args[0]) if recipe.kind in DATED else None
            lang = info.lang if info else language_of(recipe.path, config.languages, config.default_language)
            found.append(Indexed(recipe.path, lang, recipe.kind, info.year if info else 0, ("out", recipe.path, recipe.kind, *recipe.args)))
    groups = shards(found)
    return tuple((name, tuple(sorted({p.lang for p in members})), tuple(p.key for p in members)) for name, members in sorted(groups.items()))


def search_shard(graph: Graph, name: str) -> tuple[tuple[str, str], ...]:
    """("search-shard", name): the (path, digest) of the shard's indexed pages (those whose output has a data-pagefind-body)."""
    keys = next((keys for shard, _langs, keys in graph.get(("search-split",)) if shard == name), ())
    graph.prefetch(keys)  # its pages' records and values in a few queries, rather than two each
    found = []
    for key in keys:
        made = graph.get(key)
        if made is not None and made.scan is not None and made.scan.indexed:
            found.append((key[1], made.digest))
    return tuple(found)


def search_index(graph: Graph) -> tuple[tuple[str, str], ...]:
    """("search",): every shard's files and the manifest, staged; (path, digest) of each file."""
    split = graph.get(("search-split",))
    groups = {name: list(graph.get(("search-shard", name))) for name, _langs, _keys in split}
    groups = {name: pages for name, pages in groups.items() if pages or not name}  # Pagefind fails on no page
    if not split or graph.resources.get("failed"):  # search off, or pages with errors: no index (nothing is published)
        return ()
    cache = graph.resources["cache"]
    found: list[tuple[str, str]] = []

    def stage(name: str) -> None:
        """Stage one shard's kept files."""
        folder = search_bundle.bundle_folder(cache, name, groups[name])
        prefix = f"{BUNDLE}/{name}/" if name else f"{BUNDLE}/"
        found.extend(_stage(graph, prefix, rel, file_digest, folder) for rel, file_digest in search_bundle.listing(folder) or ())

    staging = graph.resources.get("staging")
    meanwhile = staging.prepare if staging is not None else None  # the commit's look at the staging folder, while Pagefind runs
    error = _made_and_staged(groups, cache, graph.resources["locate"], graph.resources.get("jobs") or 0, stage, meanwhile)
    if error:
        graph.problem(Problem("search index", 0, "error", error, "run 'make build' again; check the disk space; 'make setup' reinstalls Pagefind"))
        return ()
    search_bundle.prune(cache, groups)
    found.append(_stage_bytes(graph, f"{BUNDLE}/{MANIFEST}", manifest({name: langs for name, langs, _keys in split if name in groups})))
    return tuple(sorted(found))


def _made_and_staged(groups: dict[str, list[tuple[str, str]]], cache: Path, locate, jobs: int, stage: Callable[[str], None],
                     meanwhile: Callable[[], None] | None = None) -> str:
    """Index every shard whose pages have no kept files, a few at once, staging each shard once its files are there: the
    kept ones while Pagefind runs, the others as each run ends; then `meanwhile`, while the runs go on. The first error
    in the shards' order, else ''."""
    missing = [name for name, pages in groups.items() if search_bundle.listing(search_bundle.bundle_folder(cache, name, pages)) is None]
    cores = os.cpu_count() or 1
    workers = max(1, min(jobs or cores, cores, len(missing)))
    errors: dict[str, str] = {}
    started = {name: threading.Event() for name in missing}
    with ThreadPoolExecutor(workers) as pool:
        running = {pool.submit(search_bundle.make, cache, name, groups[name], locate, not name, started[name]): name for name in missing}
        for name in missing[:workers]:  # the first runs started before staging: it would hold their mirroring back (one GIL)
            started[name].wait()
        for name in groups:
            if name not in missing:
                stage(name)
        if missing and meanwhile is not None:
            meanwhile()
        for done in as_completed(running):
            name = running[done]
            errors[name] = done.result()
            if not errors[name]:
                stage(name)
    return next((errors[name] for name in missing if errors[name]), "")


def _stage(graph: Graph, prefix: str, rel: str, file_digest: str, folder: Path) -> tuple[str, str]:
    """Stage one kept file (folder/rel) as prefix + rel, unless the published one has its digest (then it is not even read)."""
    path, staging = prefix + rel, graph.resources.get("staging")
    if staging is not None and not _published_as(staging, path, file_digest) and stage_file(staging, path, (folder / rel).read_bytes(), file_digest):
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


RULES = (Rule("search-split", 10, search_split), Rule("search-shard", 11, search_shard), Rule("search", 12, search_index))
