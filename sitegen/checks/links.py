"""Checks on the rendered site: internal links, anchors, and images' alt text."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from posixpath import normpath
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from ..problems import Problems
from ..publish.output import Output, tuple_reduce

TEMPLATE_THRESHOLD = 5
LINK_ATTRS = ("href", "src", "poster", "data")
_SKIP_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "//")
_NOT_PLAIN = re.compile(r"[?#%\\\s\x00-\x1f\x7f]|//|/\.\.?(?:/|$)")  # a query, fragment, escape, space, double slash or dot segment
_LINK_TAG = re.compile(r"<(a|link|img|script|source|iframe|video|audio|object|area)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
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
        that came from a worker process arrives with its own copy of each."""
        return Scan(tuple(map(sys.intern, self.links)), tuple(map(sys.intern, self.ids)), self.missing_alt, self.indexed)


def scan_page(text: str) -> Scan:
    """Scan a page with regular expressions (the HTML is our own templates' and Markdown's).

    Link strings are interned: pages share most of their links, so the cache stores each once.
    """
    links, missing_alt = [], []
    for found in _LINK_TAG.findall(text):
        tag_links, no_alt = _TAGS.get(found) or _read_tag(found)
        links += tag_links
        if no_alt is not None:
            missing_alt.append(no_alt)
    ids = tuple(sorted({sys.intern(html.unescape(value)) for value in _ids(text)}))
    return Scan(tuple(dict.fromkeys(links)), ids, tuple(missing_alt), "data-pagefind-body" in text)


def _ids(text: str) -> list[str]:
    r"""The values of `id` and `name` attributes: what `\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')` finds.

    That one expression starts with `\s`, so the regular expression engine tried it at every space
    of a page; each of `_ID_NAMES` starts with its name, which it looks for much faster (a third of
    a page's scan time less). Each match starts after the previous one ends, as findall's do.
    """
    values, pos = [], 1
    ahead = [pattern.search(text, pos) for pattern in _ID_NAMES]
    while any(ahead):
        found = min((m for m in ahead if m is not None), key=lambda m: m.start())
        values.append(found.group(1) if found.group(1) is not None else found.group(2))
        pos = found.end() + 1  # the next match's space may be the character right after this one
        ahead = [m if m is None or m.start() >= pos else pattern.search(text, pos) for m, pattern in zip(ahead, _ID_NAMES, strict=True)]
    return values


_TAGS: dict[tuple[str, str], tuple[list[str], str | None]] = {}  # a tag's links and src without alt, by its name and attributes
_TAGS_AT_MOST = 50_000  # most tags come again on many pages (menus, cards, footers): each is read once per process


def _read_tag(found: tuple[str, str]) -> tuple[list[str], str | None]:
    """The links of one tag, and its src when it is an image without alt text (else None); remembered."""
    tag, attrs_text = found
    attrs = {m[0].lower(): sys.intern(html.unescape(m[1] or m[2] or m[3])) for m in _ATTR.findall(attrs_text)}
    tag = tag.lower()
    links = []
    if not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
        links = [attrs[name] for name in LINK_ATTRS if attrs.get(name)]
    no_alt = attrs.get("src", "") if tag == "img" and not attrs.get("alt", "").strip() and attrs.get("role") != "presentation" else None
    if len(_TAGS) >= _TAGS_AT_MOST:
        _TAGS.clear()
    _TAGS[found] = links, no_alt
    return links, no_alt


def scan(outputs: list[Output], locate=None, cache=None, fresh: dict[str, Scan] | None = None) -> dict[str, Scan]:
    """The scan of every HTML output: just made, remembered by digest, or read from locate(path)."""
    known = cache.scans if cache is not None else {}
    fresh = fresh or {}
    scans = {}
    for output in outputs:
        if not output.is_html:
            continue
        found = fresh.get(output.path) or known.get(output.digest)
        if found is None:
            data = output.data if output.data is not None else locate(output.path).read_bytes()
            found = scan_page(data.decode("utf-8"))
        known[output.digest] = found
        scans[output.path] = found
    return scans


def check_links(outputs: list[Output], base_path: str, problems: Problems, root: Path, scans: dict[str, Scan],
                checked: dict[str, str] | None = None) -> None:
    """Every internal link, anchor and asset reference must resolve to a built file.

    `checked` is what the last successful check saw (path to digest): when the same files
    exist, only the pages that changed, and the pages linking to an anchor of one of them,
    are checked again.
    """
    files = {o.path for o in outputs}
    by_path = {o.path: o for o in outputs}
    broken: dict[tuple[str, str], list[tuple[str, str]]] = {}
    resolved: dict[str | tuple[str, str], str] = {}
    todo = _pages_to_check(outputs, scans, checked or {}, base_path)
    for path, page in sorted(scans.items()):
        if todo is not None and path not in todo:
            continue
        _check_page(path, page, by_path[path].source, files, scans, base_path, root, resolved, broken, problems)
    for (link, reason), places in sorted(broken.items()):
        _report_broken(link, reason, places, root, problems)


def check_page_links(path: str, source: str, page: Scan, files: set[str], scan_of, base_path: str, root: Path,
                     problems: Problems) -> None:
    """check_links for one page among published files: its links resolve, its images have alt text.

    The anchors it links to on other pages are looked up in scan_of(that page's file).
    """
    scans = {path: page}
    for link in page.anchored:
        target = _resolve(link, path, files, base_path)[0]
        if target is not None and target.endswith(".html") and target not in scans and (found := scan_of(target)) is not None:
            scans[target] = found
    broken: dict[tuple[str, str], list[tuple[str, str]]] = {}
    _check_page(path, page, source, files, scans, base_path, root, {}, broken, problems)
    for (link, reason), places in sorted(broken.items()):
        _report_broken(link, reason, places, root, problems)


def _check_page(path: str, page: Scan, source: str, files: set[str], scans: dict[str, Scan], base_path: str, root: Path,
                resolved: dict, broken: dict, problems: Problems) -> None:
    """One page's links into `broken` (what each resolves to is remembered in `resolved`), its images without alt reported."""
    folder = path.rpartition("/")[0]
    for link in page.links:
        memo = link if link.startswith("/") else (path if link.startswith(("#", "?")) else folder, link)  # an absolute link means the same on every page
        reason = resolved.get(memo)
        if reason is None:
            reason = resolved[memo] = _broken(link, path, files, scans, base_path)
        if reason:
            broken.setdefault((link, reason), []).append((source, path))
    for src in page.missing_alt:
        problems.error(source, _line_in(root, source, src), f"image '{src}' has no alt text", "describe the image: ![what it shows](file.jpg)")


def _pages_to_check(outputs: list[Output], scans: dict[str, Scan], checked: dict[str, str], base_path: str) -> set[str] | None:
    """The pages whose links may have changed verdict since the last check; None for every page."""
    if set(checked) != {o.path for o in outputs}:
        return None
    files = set(checked)
    changed = {o.path for o in outputs if checked[o.path] != o.digest}
    todo = changed & set(scans)
    if not changed:
        return todo
    for path, page in scans.items():
        if page.anchored and path not in todo and any(_resolve(link, path, files, base_path)[0] in changed for link in page.anchored):
            todo.add(path)
    return todo


def _report_broken(link: str, reason: str, places: list[tuple[str, str]], root: Path, problems: Problems) -> None:
    """An error in each source file that holds the link; links from templates are reported once."""
    hint = "fix the address, or create the page it points to"
    from_templates = []
    for source, path in places:
        line = _line_in(root, source, link)
        if line:
            problems.error(source, line, f"broken link '{link}' on /{path}: {reason}", hint)
        else:
            from_templates.append(path)
    if len(from_templates) > TEMPLATE_THRESHOLD:
        problems.error("templates", 0, f"broken link '{link}' on {len(from_templates)} pages (first /{from_templates[0]}): {reason}",
                       "the link is in no content file, so it comes from a template or a data file: " + hint)
        return
    for path in from_templates:
        source = next(s for s, p in places if p == path)
        problems.error(source, 0, f"broken link '{link}' on /{path}: {reason}", hint)


def _broken(link: str, page_path: str, files: set[str], scans: dict, base_path: str) -> str:
    """Why a link is broken, or '' when it resolves."""
    target, fragment, reason = _resolve(link, page_path, files, base_path)
    if target is not None and fragment and target in scans and unquote(fragment) not in scans[target].ids:
        return f"no element with id '{fragment}' on that page"
    return reason


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
        return None, "", "no page or file at that address"
    return target, fragment, ""


def _target_file(path: str, files: set[str]) -> str | None:
    """The output file a URL path is served from, the way a static host does it."""
    rel = path.lstrip("/")
    for candidate in (rel, rel + "index.html" if (not rel or rel.endswith("/")) else rel + "/index.html"):
        if candidate in files:
            return candidate
    return None


def _line_in(root: Path, source: str, needle: str) -> int:
    """The first line of a source file containing `needle` (0 when unknown)."""
    path = root / source
    if not needle or not path.is_file() or path.suffix not in (".md", ".yaml", ".html"):
        return 0
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), start=1):
            if needle in line:
                return number
    except OSError:
        return 0
    return 0
