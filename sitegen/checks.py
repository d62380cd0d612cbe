"""Checks on the rendered site: internal links, anchors, images' alt text, and raw HTML policy."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import unquote, urljoin, urlsplit

from .output import Output
from .problems import Problems

TEMPLATE_THRESHOLD = 5
LINK_ATTRS = {"href", "src", "poster", "data"}
_SKIP_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "//")


class _PageScan(HTMLParser):
    """Collects ids, links and images of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.missing_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record ids, link targets and images without alt."""
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name])
        if tag in ("a", "link", "img", "script", "source", "iframe", "video", "audio", "object", "area"):
            for name in LINK_ATTRS & values.keys():
                if values[name] and not (tag == "link" and values.get("rel") in ("canonical", "alternate")):
                    self.links.append(values[name])
        if tag == "img" and not (values.get("alt") or "").strip() and values.get("role") != "presentation":
            self.missing_alt.append(values.get("src") or "")


def scan(outputs: list[Output]) -> dict[str, _PageScan]:
    """Parse every HTML output once."""
    scans = {}
    for output in outputs:
        if output.is_html:
            parser = _PageScan()
            parser.feed(output.data.decode("utf-8"))
            scans[output.path] = parser
    return scans


def check_links(outputs: list[Output], base_path: str, problems: Problems, root: Path) -> None:
    """Every internal link, anchor and asset reference must resolve to a built file."""
    files = {o.path for o in outputs}
    scans = scan(outputs)
    by_path = {o.path: o for o in outputs}
    broken: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for path, page in sorted(scans.items()):
        source = by_path[path].source
        for link in sorted(set(page.links)):
            reason = _broken(link, path, files, scans, base_path)
            if reason:
                broken.setdefault((link, reason), []).append((source, path))
        for src in page.missing_alt:
            problems.error(source, _line_in(root, source, src), f"image '{src}' has no alt text", "describe the image: ![what it shows](file.jpg)")
    for (link, reason), places in sorted(broken.items()):
        _report_broken(link, reason, places, root, problems)


def _report_broken(link: str, reason: str, places: list[tuple[str, str]], root: Path, problems: Problems) -> None:
    """One error per source file; a link broken on many pages at once comes from a template."""
    hint = "fix the address, or create the page it points to"
    sources = sorted({source for source, _ in places})
    if len(sources) > TEMPLATE_THRESHOLD:
        first = places[0][1]
        problems.error("templates", 0, f"broken link '{link}' on {len(places)} pages (first /{first}): {reason}", "a link on so many pages comes from a template: " + hint)
        return
    for source in sources:
        path = next(p for s, p in places if s == source)
        problems.error(source, _line_in(root, source, link), f"broken link '{link}' on /{path}: {reason}", hint)


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
