"""Checks on the rendered site: internal links, anchors, images' alt text, and raw HTML policy."""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from posixpath import normpath
from urllib.parse import unquote, urljoin, urlsplit

from .output import Output
from .problems import Problems

TEMPLATE_THRESHOLD = 5
LINK_ATTRS = ("href", "src", "poster", "data")
_SKIP_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "//")
_LINK_TAG = re.compile(r"<(a|link|img|script|source|iframe|video|audio|object|area)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Scan:
    """What one HTML page links to, the ids it has, its images without alt, and whether it is indexed."""

    links: tuple[str, ...]
    ids: frozenset[str]
    missing_alt: tuple[str, ...]
    indexed: bool


def scan_page(text: str) -> Scan:
    """Scan a page with regular expressions (the HTML is our own templates' and Markdown's).

    Link strings are interned: pages share most of their links, so the cache stores each once.
    """
    links, missing_alt = [], []
    for tag, attrs_text in _LINK_TAG.findall(text):
        attrs = {m[0].lower(): sys.intern(html.unescape(m[1] or m[2] or m[3])) for m in _ATTR.findall(attrs_text)}
        tag = tag.lower()
        if not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
            links += [attrs[name] for name in LINK_ATTRS if attrs.get(name)]
        if tag == "img" and not attrs.get("alt", "").strip() and attrs.get("role") != "presentation":
            missing_alt.append(attrs.get("src", ""))
    ids = frozenset(html.unescape(a or b) for a, b in _ID.findall(text))
    return Scan(tuple(dict.fromkeys(links)), ids, tuple(missing_alt), "data-pagefind-body" in text)


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


def check_links(outputs: list[Output], base_path: str, problems: Problems, root: Path, scans: dict[str, Scan]) -> None:
    """Every internal link, anchor and asset reference must resolve to a built file."""
    files = {o.path for o in outputs}
    by_path = {o.path: o for o in outputs}
    broken: dict[tuple[str, str], list[tuple[str, str]]] = {}
    resolved: dict[tuple[str, str], str] = {}
    for path, page in sorted(scans.items()):
        source = by_path[path].source
        folder = path.rpartition("/")[0]
        for link in page.links:
            memo = ("" if link.startswith("/") else path if link.startswith(("#", "?")) else folder, link)
            if memo not in resolved:
                resolved[memo] = _broken(link, path, files, scans, base_path)
            if resolved[memo]:
                broken.setdefault((link, resolved[memo]), []).append((source, path))
        for src in page.missing_alt:
            problems.error(source, _line_in(root, source, src), f"image '{src}' has no alt text", "describe the image: ![what it shows](file.jpg)")
    for (link, reason), places in sorted(broken.items()):
        _report_broken(link, reason, places, root, problems)


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
    if link.startswith(_SKIP_SCHEMES) or re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I):
        return ""
    page_url = "/" + page_path
    parts = urlsplit(urljoin(base_path + page_url, link))
    path = unquote(parts.path)
    if base_path:
        if not (path == base_path or path.startswith(base_path + "/")):
            return f"it is outside the site's base path {base_path}/"
        path = path[len(base_path):]
    target = _target_file(normpath(path) + ("/" if path.endswith("/") else ""), files)
    if target is None:
        return "no page or file at that address"
    if parts.fragment and target in scans and unquote(parts.fragment) not in scans[target].ids:
        return f"no element with id '{parts.fragment}' on that page"
    return ""


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


_RAW_RULES = [
    (re.compile(r"<\s*script\b", re.I), "a <script> element"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "an inline event handler (on...=)"),
    (re.compile(r"javascript\s*:", re.I), "a 'javascript:' URL"),
]
_IFRAME = re.compile(r"<\s*iframe\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)


def check_raw_html(shown: str, body: str, body_line: int, allowed_hosts: list[str], problems: Problems) -> None:
    """Warn (an error in strict mode) about scripts, handlers, javascript: URLs and foreign iframes."""
    for offset, line in enumerate(body.split("\n")):
        for pattern, what in _RAW_RULES:
            if pattern.search(line):
                problems.warning(shown, body_line + offset, f"raw HTML with {what} is not allowed", "remove it: pages run no scripts of editors'")
        for src in _IFRAME.findall(line):
            host = urlsplit(src).hostname or ""
            if host not in allowed_hosts:
                problems.warning(shown, body_line + offset, f"an iframe from '{host or src}' is not in iframe_allow", "add the host to iframe_allow in config.yaml if it is trusted")
