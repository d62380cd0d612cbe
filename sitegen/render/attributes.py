"""The attributes of an HTML tag as the build reads them (links, images, accessibility checks, picture markup)."""

from __future__ import annotations

import html
import re

# A name, then maybe '=' and a double-quoted, single-quoted or bare value.
_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def attributes(text: str) -> dict[str, str]:
    """A tag's attributes (the text after its name), names lowercased, values unescaped ('' for an attribute without one)."""
    return {m[0].lower(): html.unescape(m[1] or m[2] or m[3] or "") for m in _ATTRIBUTE.findall(text)}
