"""What an editor's HTML may not hold: anything that runs a script, moves the reader elsewhere, or makes a request to another site.

Pure functions on a body's converted HTML, read as browsers read it: entities decoded, case and
whitespace ignored, control characters inside addresses dropped, CSS escapes decoded. Where Python's
HTML parser and a browser could disagree (comment ends, raw text elements, a tag the parser gives up
on), the check takes the browser's reading too, or refuses what it cannot read.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit

NO_SCRIPTS = "remove it: pages run no editors' scripts"
FRAMES_ALLOWED = "only https frames from hosts listed in iframe_allow (config.yaml) are allowed"
NO_REQUESTS = "the site makes no requests to other sites: put the file in static/ or beside the article's index.md"
_NO_BASE = "remove it: links must resolve against the page's own address"
_NO_REFRESH = "remove it: to move a page, list its old address under 'aliases' in the new page's front matter"
_NO_META = "remove it: the templates write each page's head"
_OWN_FORMS = "a form may only send to the site itself; link to the other site's form instead"
_UNREADABLE = "close every tag and quote, or write '&lt;' for a '<' that is text"

_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")  # browsers drop tabs and line breaks; the others make no scheme either
_EDGES = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
_FRAMES = {"iframe", "frame", "embed", "object", "portal", "applet"}
_ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
_LIST_VALUES = {"values", "to", "from", "by"}  # SVG animation values: the address may be one of several, after ';'
_FETCHED = {"src", "poster", "background", "lowsrc", "dynsrc", "codebase", "archive"}  # one address each
_FETCHED_LISTS = {"srcset", "imagesrcset", "ping", "attributionsrc"}  # several, between commas or spaces
_LINKS = {"a", "area"}  # where href= is a link to follow, not a file to load
_STRAY_TAG = re.compile(r"<[a-zA-Z/!?]")
_MAX_NESTING = 16

# The tags Markdown itself writes, with quoted values that cannot hold an address elsewhere (no ':',
# '//', '\\', '&' or control character): HTML made of these alone and escaped text has nothing to check.
_PLAIN_VALUE = r'"(?:[^"&:\\<>/\x00-\x1f]|/(?!/))*"'
_PLAIN_TAG = re.compile(
    r"</?(?:p|em|strong|code|pre|ul|ol|li|h[1-6]|blockquote|hr|br|table|thead|tbody|tr|th|td|dl|dt|dd|sup|div|abbr|a|img|span)"
    r"(?:\s(?:id|class|title|alt|href|src|start)=" + _PLAIN_VALUE + r")*\s*/?>"
    r'|<(?:td|th)\sstyle="text-align: (?:left|right|center);">'  # table columns' alignment
    r'|<a\shref="https?://[^"&<>\\\x00-\x1f]*"(?:\s(?:id|class|title)=' + _PLAIN_VALUE + r")*>"  # a link to another site
)


class Finding(NamedTuple):
    """One thing the policy refuses: the tag as written, a text that may locate it, what is wrong, what to do."""

    raw: str
    needle: str
    what: str
    hint: str
    tag: int = 0  # which tag of the body, in document order: findings of one tag share it


def risky_html(body_html: str, allowed_hosts: list[str]) -> list[Finding]:
    """Everything in a body's HTML that the raw HTML policy refuses, in document order."""
    if "<" not in _PLAIN_TAG.sub("", body_html):
        return []  # only the tags Markdown writes, with plain values
    return _scan(body_html, set(allowed_hosts), 0, itertools.count(1))


def _scan(text: str, allowed: set[str], depth: int, tags: Iterator[int]) -> list[Finding]:
    """Parse a piece of HTML with the policy (pieces the browser reads differently are scanned again)."""
    if depth > _MAX_NESTING:
        return [Finding(text[:40], "<!", "comments or raw text nested too deep to read", _UNREADABLE, next(tags))]
    policy = _Policy(allowed, depth, tags)
    policy.feed(text)
    policy.close()
    return policy.found


class _Policy(HTMLParser):
    """Collects the findings of one piece of HTML (attribute values come entity-decoded from the parser)."""

    def __init__(self, allowed: set[str], depth: int, tags: Iterator[int]):
        super().__init__(convert_charrefs=False)  # text comes as written: a stray '<' is visible
        self.allowed, self.depth, self.tags = allowed, depth, tags
        self.found: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check one element and each of its attributes."""
        raw, at = self.get_starttag_text() or f"<{tag}", next(self.tags)
        self.found += [Finding(raw, needle or raw, what, hint, at) for needle, what, hint in element_risks(tag, attrs, self.allowed)]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Self-closing elements are checked alike."""
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        """Raw text (a <style>'s CSS) is checked as CSS and as HTML; a '<' the parser could not read is refused."""
        if getattr(self, "cdata_elem", None):
            at = next(self.tags)
            risks = dict.fromkeys(css_risks(data) + css_risks(html.unescape(data)))  # as HTML reads it, and as SVG does
            self.found += [Finding(data[:60], needle, what, hint, at) for needle, what, hint in risks]
            self.found += self._again(data)
        else:
            stray = _STRAY_TAG.search(data)
            if stray:
                piece = data[stray.start():].split("\n")[0][:40]
                self.found.append(Finding(piece, piece, f"a tag the check cannot read ('{piece}')", _UNREADABLE, next(self.tags)))

    def handle_comment(self, data: str) -> None:
        """A comment, ended where a browser ends it ('<!-->', '<!--->', '--!>'): what follows is HTML."""
        for start in (">", "->"):
            if data.startswith(start):
                self.found += self._again(data[len(start):])
                return
        if "--!>" in data:
            self.found += self._again(data[data.index("--!>") + 4:])

    def unknown_decl(self, data: str) -> None:
        """'<![CDATA[' outside SVG is a comment that a browser ends at the first '>'."""
        if ">" in data:
            self.found += self._again(data[data.index(">") + 1:])

    def _again(self, text: str) -> list[Finding]:
        """Findings in a piece of text read again as HTML."""
        return _scan(text, self.allowed, self.depth + 1, self.tags) if "<" in text else []


def element_risks(tag: str, attrs: list[tuple[str, str | None]], allowed: set[str]) -> list[tuple[str, str, str]]:
    """(text that locates it, what is wrong, what to do) for one element, its tag and attribute names lowercase."""
    pairs = [(name, value or "") for name, value in attrs]
    found = _tag_risks(tag, pairs)
    for name, value in pairs:
        found += _attribute_risks(tag, name, value)
    if tag in _FRAMES:
        found += _frame_risks(tag, dict(reversed(pairs)), allowed)
    return found


def _tag_risks(tag: str, attrs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """What the element itself does: run a script, change the base address, redirect, change a link by animation."""
    said = [clean(value).lower() for name, value in attrs if name in ("http-equiv", "attributename")]
    if tag == "script":
        return [("", "a <script> element", NO_SCRIPTS)]
    if tag == "base":
        return [("", "a <base> element", _NO_BASE)]
    if tag == "meta":
        return [("", 'a <meta http-equiv="refresh"> redirect', _NO_REFRESH) if "refresh" in said else ("", "a <meta> element", _NO_META)]
    if tag in _ANIMATIONS and any(name.endswith("href") for name in said):
        return [("", f"an SVG <{tag}> that changes a link's address", NO_SCRIPTS)]
    return []


def _attribute_risks(tag: str, name: str, value: str) -> list[tuple[str, str, str]]:
    """What one attribute does: a handler, a script address, a file from elsewhere, a style, a form sent elsewhere."""
    if name.startswith("on"):
        return [(name, f"an inline event handler ({name}=)", NO_SCRIPTS)]
    parts = value.split(";") if name in _LIST_VALUES else [value]
    if any(_INVISIBLE.sub("", part).lower().startswith(_SCRIPT_SCHEMES) for part in parts):  # 'java script:' too
        return [(value, "a 'javascript:' URL", NO_SCRIPTS)]
    if name == "style":
        return css_risks(value)
    if name == "action" and tag == "form" and offsite(value):
        return [(value, f"a <form> sending to '{offsite(value)}'", _OWN_FORMS)]
    if name == "formaction" and offsite(value):
        return [(value, f"{_an(tag)} sending a form to '{offsite(value)}'", _OWN_FORMS)]
    if tag in _FRAMES or tag == "base" or (name in ("href", "xlink:href") and tag in _LINKS):
        return []
    if name in _FETCHED or name in ("href", "xlink:href"):
        addresses = [value]
    elif name in _FETCHED_LISTS:
        addresses = re.split(r"[\s,]+", value)
    else:
        return []
    where = next(filter(None, (offsite(address, data_ok=tag != "link") for address in addresses)), None)
    return [(value, f"{_an(tag)} from '{where}'", NO_REQUESTS)] if where else []


def _frame_risks(tag: str, attrs: dict[str, str | None], allowed: set[str]) -> list[tuple[str, str, str]]:
    """An embedded frame must come over https from an allowed host."""
    src = clean(attrs.get("src") or attrs.get("data") or "")
    parts = urlsplit(src if "//" in src else "")
    if "srcdoc" in attrs or not src:
        return [("", f"an <{tag}> without an address from iframe_allow", FRAMES_ALLOWED)]
    if parts.scheme != "https" or parts.username or parts.password or (parts.hostname or "") not in allowed:
        return [(src, f"an <{tag}> from '{parts.hostname or src}'", FRAMES_ALLOWED)]
    return []


def clean(value: str) -> str:
    """An address as a browser reads it: spaces around it and control characters in it dropped, backslashes as slashes."""
    return _CONTROL.sub("", value.strip(_EDGES)).replace("\\", "/")


def offsite(address: str, data_ok: bool = False) -> str | None:
    """Where an address loads from when it is not this site ('evil.example', 'ftp:'), else None.

    Relative and root-relative addresses are this site; `data:` is too where `data_ok`.
    """
    url = clean(address)
    scheme = _SCHEME.match(url)
    if not url.startswith("//") and not scheme:
        return None
    if scheme and scheme.group(1).lower() == "data" and data_ok:
        return None
    try:
        host = urlsplit("https:" + url if url.startswith("//") else url).hostname
    except ValueError:
        host = None
    return host or (f"{scheme.group(1).lower()}:" if scheme else url[:60])


_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\n|(.))", re.S)
_CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)]*))", re.I)
_CSS_STRING = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")


def css_risks(css: str) -> list[tuple[str, str, str]]:
    """(text, what, hint) for each address in CSS that loads from elsewhere or runs a script, and each @import.

    Read twice, with and without comments (a comment marker may sit in a string), escapes decoded.
    """
    found: list[tuple[str, str, str]] = []
    for text in {_css_unescape(css), _css_unescape(_CSS_COMMENT.sub("", css))}:
        lowered = text.lower()
        if "@import" in lowered:
            found.append(("@import", "a style with @import", NO_REQUESTS))
        if "expression(" in lowered or any(s in _INVISIBLE.sub("", lowered) for s in _SCRIPT_SCHEMES):
            found.append(("", "a style that runs a script", NO_SCRIPTS))
        addresses = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)]
        addresses += [m.group(1) or m.group(2) or "" for m in _CSS_STRING.finditer(text) if "//" in clean(m.group(0))]
        found += [("url(", f"a style from '{where}'", NO_REQUESTS) for where in filter(None, (offsite(a, data_ok=True) for a in addresses))]
    return list(dict.fromkeys(found))


def _css_unescape(css: str) -> str:
    """CSS with its backslash escapes decoded (`u\\72l(` is `url(`)."""
    def char(match: re.Match) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2) or ""
    return _CSS_ESCAPE.sub(char, css) if "\\" in css else css


def _an(tag: str) -> str:
    """'an <img>', 'a <link>'."""
    return f"{'an' if tag[:1] in 'aeiou' else 'a'} <{tag}>"
