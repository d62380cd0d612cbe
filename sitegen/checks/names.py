"""File and folder names that would break the host files (_headers, _redirects, the nginx map) or an address."""

from __future__ import annotations

import unicodedata

NAME_HINT = "rename it: letters, digits, '-', '_', '.' and '@' are safe"
# What _headers and _redirects (comments '#', splats '*', placeholders ':', forcing '!', queries '?',
# encodings '%'), nginx's map (';', '{', '}', quotes, '\\', variables '$') and HTML attributes give a meaning to.
SYNTAX = set("#!*:;{}\"'\\?%$<>|`^[]")
_INVISIBLE = {"Cc": "a control character", "Cf": "an invisible formatting character", "Zl": "a line break", "Zp": "a line break",
              "Zs": "a space", "Cs": "bytes that are not UTF-8 text", "Co": "a private-use character", "Cn": "an unassigned character"}


def check_name(shown: str, published: bool = True) -> str | None:
    """Why a path (relative to the site, '/' between folders) cannot be used under its name, else None.

    `published` names keep their name in the site (static files, a bundle's files): the host files'
    syntax matters. A Markdown file's or a bundle folder's name only becomes an address through its
    slug, so there only line breaks, control and invisible characters are refused (posts migrated
    from Jekyll or Hugo may have spaces in their names).
    """
    for char in shown:
        if char.isalnum() or char in "/-_.@":
            continue
        reason = _reason(char, published)
        if reason:
            return reason
    return None


def _reason(char: str, published: bool) -> str | None:
    """What is wrong with one character of a name, or None when it is harmless."""
    if char in "\n\r":
        return "the name holds a line break"
    if char in SYNTAX and published:
        return f"the name holds '{char}', which the host files (_headers, _redirects) give a meaning to"
    kind = unicodedata.category(char)
    if (char == " " or kind == "Zs") and not published:
        return None
    if char == " " or char == "\t" or kind in _INVISIBLE:
        what = "a space" if char == " " else "a tab" if char == "\t" else _INVISIBLE[kind]
        return f"the name holds {what} (U+{ord(char):04X})"
    return None
