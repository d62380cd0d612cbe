"""Checks on the rendered site: internal links, anchors, and images' alt text."""

from __future__ import annotations

import difflib
import html
import re
import sys
from functools import lru_cache
from pathlib import Path
from posixpath import normpath
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from ..graph.core import Graph, Rule
from ..graph.inputs import read_input
from ..graph.store import tuple_reduce
from ..model.addresses import address, delocalize
from ..model.datafiles import data_path
from ..model.schemas import DATA_FILES
from ..model.sources import SECTION_PATHS, meant_place
from ..problems import UNPUBLISHED, Problem, broken_hint
from ..render.attributes import attributes

LINK_ATTRS = ("href", "src", "poster", "data")
_SKIP_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "//")
_NOT_PLAIN = re.compile(r"[?#%\\\s\x00-\x1f\x7f]|//|/\.\.?(?:/|$)")  # a query, fragment, escape, space, double slash or dot segment
_COMMENT = re.compile(r"<!--(?:>|->|.*?(?:--!?>|$))", re.S)  # as browsers end one: "<!-->" and "<!--->" are whole comments
_LINK_TAG = re.compile(r"<(a|link|img|script|source|iframe|video|audio|object|area)\b([^>]*)>", re.I)
_VALUE = r"""\s*=\s*(?:"([^"]*)"|'([^']*)')"""
_ID_NAMES = (re.compile(r"id(?<=\sid)" + _VALUE), re.compile(r"name(?<=\sname)" + _VALUE))  # a literal first: found by fast search


class _ScanFields(NamedTuple):
    links: tuple[str, ...]
    ids: tuple[str, ...]  # sorted; a tuple takes a fifth of a frozenset's memory, and few links have a fragment
    missing_alt: tuple[str, ...]
    indexed: bool
    anchored: tuple[str, ...]  # the links to an element of another page (few pages have any)


class Scan(_ScanFields):
    """What one HTML page links to, the ids it has, its images without alt, and whether it is indexed."""

    __slots__ = ()
    __reduce__ = tuple_reduce

    def __new__(cls, links: tuple[str, ...], ids: tuple[str, ...], missing_alt: tuple[str, ...], indexed: bool) -> Scan:
        """A scan; the links with a fragment on another page set aside: an edit re-checks only the pages holding one."""
        return super().__new__(cls, links, ids, missing_alt, indexed, tuple(link for link in links if "#" in link and link[0] != "#"))

    def interned(self) -> Scan:
        """The same scan with its strings interned: pages share most links and ids, and a scan
        that came from a helper process arrives with its own copy of each."""
        return Scan(tuple(map(sys.intern, self.links)), tuple(map(sys.intern, self.ids)), self.missing_alt, self.indexed)


def scan_page(text: str) -> Scan:
    """Scan a page with regular expressions (the HTML is our own templates' and Markdown's).

    Link strings are interned: pages share most of their links, so the cache stores each once.
    """
    if "<!--" in text:  # what is commented out is not on the page
        text = _COMMENT.sub("", text)
    links, missing_alt = [], []
    for found in _LINK_TAG.findall(text):
        tag_links, no_alt = _read_tag(found)
        links += tag_links
        if no_alt is not None:
            missing_alt.append(no_alt)
    ids = tuple(sorted({sys.intern(html.unescape(value)) for value in _ids(text)}))
    return Scan(tuple(dict.fromkeys(links)), ids, tuple(missing_alt), "data-pagefind-body" in text)


def _ids(text: str) -> list[str]:
    r"""The values of `id` and `name` attributes: what `\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')` finds, in any order.

    That one expression starts with `\s`, so the regular expression engine tried it at every space
    of a page; each of `_ID_NAMES` starts with its name, which it looks for much faster (a third of
    a page's scan time less). Each finds its values apart; the two sets of matches are the one
    expression's unless a match of one lies inside the value of the other (a value holding ' id=' or
    ' name='), and then the page is read again as that expression reads it (`_ids_in_turn`).
    """
    found = [first or second for pattern in _ID_NAMES for first, second in pattern.findall(text)]
    if any(_MAY_HOLD_ID.search(value) for value in found if "id" in value or "name" in value):
        return _ids_in_turn(text)
    return found


_MAY_HOLD_ID = re.compile(r"\s(?:id|name)")  # a value in which another match of _ID_NAMES may start


def _ids_in_turn(text: str) -> list[str]:
    """The values of `id` and `name` attributes as the one expression finds them: each match after the previous one ends."""
    values, pos = [], 1
    ahead = [pattern.search(text, pos) for pattern in _ID_NAMES]
    while any(ahead):
        found = min((m for m in ahead if m is not None), key=lambda m: m.start())
        values.append(found.group(1) if found.group(1) is not None else found.group(2))
        pos = found.end() + 1  # the next match's space may be the character right after this one
        ahead = [m if m is None or m.start() >= pos else pattern.search(text, pos) for m, pattern in zip(ahead, _ID_NAMES, strict=True)]
    return values


@lru_cache(maxsize=4_096)  # most tags come again on many pages (menus, cards, footers): each is read once per process
def _read_tag(found: tuple[str, str]) -> tuple[list[str], str | None]:
    """The links of one tag, and its src when it is an image without alt text (else None)."""
    tag, attrs_text = found
    attrs = {name: sys.intern(value) for name, value in attributes(attrs_text).items()}
    tag = tag.lower()
    links = []
    if not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
        links = [attrs[name] for name in LINK_ATTRS if attrs.get(name)]
        links += [sys.intern(candidate.split()[0]) for candidate in attrs.get("srcset", "").split(",") if candidate.strip()]
    no_alt = attrs.get("src", "") if tag == "img" and not attrs.get("alt", "").strip() and attrs.get("role") != "presentation" else None
    return links, no_alt


def page_ids(graph: Graph, path: str) -> tuple[str, ...]:
    """("anchors", path): the ids of the elements of a page (what links to an anchor on it are checked against)."""
    recipe = outputs_by_path(graph).get(path)
    made = graph.get(("out", recipe.path, recipe.kind, *recipe.args)) if recipe is not None else None
    return made.scan.ids if made is not None and made.scan is not None else ()


def outputs_by_path(graph: Graph) -> dict:
    """The recipes of the site by path: made once per value of ("site",), whose read is recorded."""
    recipes = graph.get(("site",)).recipes
    memo = graph.resources.setdefault("outputs-by-path", {})
    found = memo.get(id(recipes))
    if found is None:
        memo.clear()
        found = memo[id(recipes)] = {recipe.path: recipe for recipe in recipes}
    return found


def check_page(graph: Graph, path: str) -> int:
    """("links", path): every link of a page resolves to a published file (and element); its images have alt text.

    The problems are the node's; the value is the number of broken links.
    """
    recipes = outputs_by_path(graph)
    recipe = recipes.get(path)
    made = graph.get(("out", recipe.path, recipe.kind, *recipe.args)) if recipe is not None else None
    if made is None or made.scan is None:
        return 0
    config = graph.get(("config",))
    base_path = config.base_path if config else ""
    root = graph.resources["root"]
    broken = 0
    resolved: dict = graph.resources.setdefault("resolved-links", {})
    for link in made.scan.links:
        reason = _reason(graph, link, path, recipes, base_path, resolved)
        if reason:
            broken += 1
            source, line = _where_written(graph, root, recipe.source, link)
            graph.problem(Problem(source, line, "error", f"broken link '{link}' on /{path}: {reason}", broken_hint(reason)))
    for src in made.scan.missing_alt:
        graph.problem(Problem(recipe.source, line_in(graph, root, recipe.source, src), "error", f"image '{src}' has no alt text",
                              "describe the image: ![what it shows](file.jpg)"))
    return broken




def _where_written(graph: Graph, root: Path, source: str, link: str) -> tuple[str, int]:
    """The file and line a link was written at: the page's source, else the data file that holds it (a page writes it from data)."""
    line = line_in(graph, root, source, link)
    if line:
        return source, line
    for name in DATA_FILES:
        found = line_in(graph, root, data_path(name), link)
        if found:
            return data_path(name), found
    return source, 0


def _reason(graph: Graph, link: str, path: str, files: dict, base_path: str, resolved: dict) -> str:
    """Why a link on a page is broken, or ''."""
    memo = (id(files), link if link.startswith("/") else (path if link.startswith(("#", "?")) else path.rpartition("/")[0], link))
    found = resolved.get(memo)
    if found is None:
        found = resolved[memo] = _resolve(link, path, files, base_path)
    target, fragment, reason = found
    if reason == NOWHERE:
        return _unbuilt(graph, link, path, base_path) or _in_its_words(graph, link, files) or reason
    if target is not None and fragment and target.endswith(".html") and unquote(fragment) not in (ids := graph.get(("anchors", target))):
        return _no_such_id(graph, unquote(fragment), ids)
    return reason


NOWHERE = "no page or file at that address"
SHOWN_IDS = 12  # of a page's ids, how many a message about a missing one lists


def _no_such_id(graph: Graph, fragment: str, ids: tuple[str, ...]) -> str:
    """A missing element's message: the closest id the page has, and its ids (those of every page's header and footer left out)."""
    chrome = set(graph.get(("anchors", "404.html"))) if "404.html" in outputs_by_path(graph) else set()
    own = [name for name in ids if name not in chrome]
    close = difflib.get_close_matches(fragment, own, n=1, cutoff=0.6)
    listed = ", ".join(own[:SHOWN_IDS]) + (f" and {len(own) - SHOWN_IDS} more" if len(own) > SHOWN_IDS else "")
    return (f"no element with id '{fragment}' on that page" + (f"; the closest is '{close[0]}'" if close else "")
            + (f"; its ids are {listed}" if own else "; it has no headings or other ids to link to"))


def _unbuilt(graph: Graph, link: str, path: str, base_path: str) -> str:
    """Why the page a link points to is not built, when the site knows it (a draft, a scheduled article, a file with errors)."""
    address = urlsplit(urljoin(f"{base_path}/{path}", link)).path
    address = address[len(base_path):] if base_path and address.startswith(base_path) else address
    folder = address if address.endswith("/") else address + "/"
    unbuilt = graph.get(("unbuilt",))
    why = unbuilt.get(folder) or unbuilt.get(folder.rstrip("/").rpartition("/")[0] + "/*") or graph.get(("site",)).contested.get(folder)
    return UNPUBLISHED + why if why else ""


def _in_its_words(graph: Graph, link: str, files: dict) -> str:
    """Where a link written with another language's section names ('/fr/partners/x/') should point, when that page exists."""
    config = graph.get(("config",))
    if config is None or not link.startswith("/"):
        return ""
    for lang in config.langs:
        prefix = config.prefix(lang)
        if prefix and link.startswith(prefix + "/"):
            words = address(graph, config, lang, delocalize(link[len(prefix):], graph.get(("addresses", config.default_language))))
            if words != link and _target_file(urlsplit(words).path, files):
                return f"{NOWHERE}; this language's address of that page is {words}"
    return ""


def line_in(graph: Graph, root: Path, source: str, needle: str) -> int:
    """The first line of a source file containing `needle` (0 when unknown); the read is recorded."""
    if not needle or not source.endswith((".md", ".yaml", ".html")):
        return 0
    data = read_input(graph, root, source)
    if data is None:
        return 0
    text = data.decode("utf-8", "replace")
    if "<!--" in text:  # a needle inside a comment is not where the page's link comes from
        text = _COMMENT.sub(lambda found: re.sub(r"[^\n]", " ", found.group(0)), text)
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    return 0


def _resolve(link: str, page_path: str, files: set[str], base_path: str) -> tuple[str | None, str, str]:
    """(the built file a link on a page points to, its fragment, why it is broken or '')."""
    if link.startswith(_SKIP_SCHEMES) or re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I):
        return None, "", ""
    if link.startswith("/") and not _NOT_PLAIN.search(link):  # most links: a plain path, as urljoin and urlsplit would give it
        path, fragment = link, ""
    elif link.startswith("#") and not _NOT_PLAIN.search(link, 1) and not _NOT_PLAIN.search(page_path):  # a plain anchor on this page
        path, fragment = f"{base_path}/{page_path}", link[1:]
    else:
        parts = urlsplit(urljoin(f"{base_path}/{page_path}", link))
        path, fragment = unquote(parts.path), parts.fragment
    if base_path:
        if not (path == base_path or path.startswith(base_path + "/")):
            return None, "", f"it is outside the site's base path {base_path}/"
        path = path[len(base_path):]
    target = _target_file(normpath(path) + ("/" if path.endswith("/") else ""), files)
    if target is None:
        return None, "", NOWHERE
    return target, fragment, ""


def _target_file(path: str, files: set[str]) -> str | None:
    """The output file a URL path is served from, the way a static host does it."""
    rel = path.lstrip("/")
    for candidate in (rel, rel + "index.html" if (not rel or rel.endswith("/")) else rel + "/index.html"):
        if candidate in files:
            return candidate
    return None


def unbuilt(graph: Graph) -> dict[str, str]:
    """("unbuilt",): the addresses of pages that are not built, with why: drafts, scheduled items, files with errors.

    An address ending in '*' stands for every page of a folder (those of a data file that could not be read).
    """

    pages = graph.get(("pages",))
    found = {url: why for url, _shown, why in pages.unpublished}
    config = graph.get(("config",))
    if config is None:
        return found
    for source in graph.get(("sources",)):
        if graph.get(("head", source.shown)) is None:
            found.setdefault(_address_of(graph, config, source), f"{source.shown} has errors")
    for name in ("partners", "platforms"):
        data, valid = graph.get(("data", name)), set(graph.get(("ids", name)))
        for lang in config.langs:
            section = address(graph, config, lang, f"/{name}/")
            if data.known is None:  # the file could not be read: none of its pages is built
                found[section + "*"] = f"{data.shown} has errors"
            for ident in data.known or ():
                if ident not in valid:
                    found.setdefault(f"{section}{ident}/", f"the entry '{ident}' of {data.shown} has errors")
    return found


def _address_of(graph: Graph, config, source) -> str:
    """The address a source that could not be parsed would have had (see meant_place)."""
    lang, name = meant_place(graph, source, config)
    return address(graph, config, lang, SECTION_PATHS[source.kind]) + f"{name}/"


RULES = (Rule("unbuilt", 7, unbuilt), Rule("anchors", 11, page_ids), Rule("links", 12, check_page, batch=Graph.in_parallel))
