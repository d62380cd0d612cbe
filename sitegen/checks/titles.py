"""Titles two pages of one language share (RGAA criterion 8.6): a reader cannot tell them apart in tabs, history and results.

("title", path) is an article's or page's title, folded (in model/sources.py); ("title-check",) compares those of the published ones,
with the partners' and platforms' names (each one's page is titled by it), and warns at the line of
each title that repeats an earlier one (files in path order, then partners, then platforms).
The published pages are split into SHARDS groups by path: an edited title recomputes its group's
table of titles and the comparison of the groups' tables, never a read of every page's title.
"""

from __future__ import annotations

import re
import zlib

from ..graph.core import Graph, Rule
from ..model.datafiles import entry_line
from ..problems import Problem

SHARDS = 64
HINT = "give each page a title of its own: readers tell pages apart by their titles in tabs, history and search results"


def fold(title: str) -> str:
    """A title as readers compare them: case, spaces and typographic quotes ignored."""
    return re.sub(r"\s+", " ", title.replace("’", "'")).strip().casefold()


def _shards(graph: Graph) -> tuple[tuple[tuple[str, str], ...], ...]:
    """("title-shards",): the published pages' (path, language), in SHARDS groups by a digest of the path."""
    groups: list[list[tuple[str, str]]] = [[] for _ in range(SHARDS)]
    for info in graph.get(("pages",)).pages:
        groups[zlib.crc32(info.shown.encode()) % SHARDS].append((info.shown, info.lang))
    return tuple(tuple(sorted(group)) for group in groups)


def _members(graph: Graph, k: int) -> tuple[tuple[str, str], ...]:
    """("title-members", k): one group's pages (unchanged when a page of another group comes or goes)."""
    return graph.get(("title-shards",))[k]


def _table(graph: Graph, k: int) -> tuple[tuple[str, str, str, int, str], ...]:
    """("title-table", k): (language, folded title, title, line, path) of one group's pages."""
    members = graph.get(("title-members", k))
    graph.prefetch([("title", shown) for shown, _ in members])
    rows = []
    for shown, lang in members:
        title, folded, line = graph.get(("title", shown))
        rows.append((lang, folded, title, line, shown))
    return tuple(rows)


def check_titles(graph: Graph) -> None:
    """Warn at every title that an earlier page of the same language already has."""
    config = graph.get(("config",))
    if config is None:
        return
    found: dict[tuple[str, str], list[tuple]] = {}  # (language, folded title) -> (order, path, position, title, line or entry id)
    for k in range(SHARDS):
        for lang, folded, title, line, shown in graph.get(("title-table", k)):
            found.setdefault((lang, folded), []).append((0, shown, 0, title, line))
    for order, name in enumerate(("partners", "platforms"), start=1):
        data = graph.get(("data", name))
        for position, ident in enumerate(dict.fromkeys(graph.get(("ids", name)))):  # a repeated id is an error of its own
            value = graph.get(("field", name, ident, "name"))
            for lang in config.langs:
                title = config.text(value, lang)
                found.setdefault((lang, fold(title)), []).append((order, data.shown, position, title, (data, ident, lang, isinstance(value, dict))))
    for same in found.values():
        if len(same) > 1:
            first, *later = sorted(same, key=lambda row: row[:3])
            for _, shown, _, title, where in later:
                graph.problem(Problem(shown, _line(where), "warning", f"the title '{title}' is also the title of {_place(first)}", HINT))


def _place(row: tuple) -> str:
    """Where a title is: path:line."""
    line = _line(row[4])
    return f"{row[1]}:{line}" if line else row[1]


def _line(where: int | tuple) -> int:
    """A title's line: given for a page, found in its data file for an entry's name."""
    if isinstance(where, int):
        return where
    data, ident, lang, per_language = where
    return (per_language and entry_line(data, ident, ("name", lang))) or entry_line(data, ident, ("name",))


RULES = (Rule("title-shards", 6, _shards), Rule("title-members", 7, _members), Rule("title-table", 8, _table),
         Rule("title-check", 9, check_titles))
