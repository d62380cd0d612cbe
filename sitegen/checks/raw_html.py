"""The raw HTML policy: what an editor's Markdown may not put into a page (scripts, handlers, frames from elsewhere)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from ..problems import Problems

URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
_NO_SCRIPTS = "remove it: pages run no editors' scripts"
_FRAMES_ALLOWED = "only https frames from hosts listed in iframe_allow (config.yaml) are allowed"
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class _RawPolicy(HTMLParser):
    """Finds what the raw HTML policy refuses in a body's HTML (entities decoded, as browsers do)."""

    def __init__(self, allowed_hosts: list[str]):
        super().__init__(convert_charrefs=True)
        self.allowed = set(allowed_hosts)
        self.found: list[tuple[str, str, str]] = []  # (the tag as written, what is wrong, what to do)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check one element."""
        raw = self.get_starttag_text() or f"<{tag}"
        if tag == "script":
            self.found.append((raw, "a <script> element", _NO_SCRIPTS))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((raw, f"an inline event handler ({name}=)", _NO_SCRIPTS))
            elif name in URL_ATTRS and _INVISIBLE.sub("", value or "").lower().startswith(("javascript:", "vbscript:")):
                self.found.append((raw, "a 'javascript:' URL", _NO_SCRIPTS))
        if tag in ("iframe", "frame", "embed", "object"):
            self._frame(tag, dict(attrs), raw)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Self-closing elements are checked alike."""
        self.handle_starttag(tag, attrs)

    def _frame(self, tag: str, attrs: dict, raw: str) -> None:
        """An embedded frame must come over https from an allowed host."""
        src = _INVISIBLE.sub("", attrs.get("src") or attrs.get("data") or "")
        parts = urlsplit(src if "//" in src else "")
        if "srcdoc" in attrs or not src:
            self.found.append((raw, f"an <{tag}> without an address from iframe_allow", _FRAMES_ALLOWED))
        elif parts.scheme != "https" or parts.username or parts.password or (parts.hostname or "") not in self.allowed:
            self.found.append((raw, f"an <{tag}> from '{parts.hostname or src}'", _FRAMES_ALLOWED))


def check_raw_html(shown: str, body: str, body_html: str, body_line: int, allowed_hosts: list[str], problems: Problems) -> None:
    """Warn (an error in strict mode) about scripts, handlers, javascript: URLs and frames not allowed.

    The rendered HTML is checked, so code shown in code blocks is not flagged and tricks
    such as entities or line breaks inside a tag do not hide anything.
    """
    if "<" not in body and "&" not in body and "script" not in body.lower():
        return
    policy = _RawPolicy(allowed_hosts)
    policy.feed(body_html)
    policy.close()
    for raw, what, hint in policy.found:
        problems.warning(shown, _source_line(body, raw, body_line), f"raw HTML with {what} is not allowed", hint)


def _source_line(body: str, raw_tag: str, body_line: int) -> int:
    """The line of the body where a tag (or its first words) is written."""
    for probe in (raw_tag.split("\n")[0], raw_tag[:12], raw_tag.split()[0] if raw_tag.split() else ""):
        if probe:
            index = body.lower().find(probe.lower())
            if index >= 0:
                return body_line + body[:index].count("\n")
    for word in ("javascript", "on", "<"):
        index = body.lower().find(word)
        if index >= 0:
            return body_line + body[:index].count("\n")
    return body_line
