"""File and folder names that would break the host files (_headers, _redirects, the nginx map) or an address."""

from __future__ import annotations

import unicodedata

NAME_HINT = "rename it: letters, digits, '-', '_', '.' and '@' are safe"
# What _headers and _redirects (comments '#', splats '*', placeholders ':', forcing '!', queries '?',
# encodings '%'), nginx's map (';', '{', '}', quotes, '\\', variables '$') and HTML attributes give a meaning to.
SYNTAX = set("#!*:;{}\"'\\?%$<>|`^[]")
_INVISIBLE = {"Cc": "a control character", "Cf": "an invisible formatting character", "Zl": "a line break", "Zp": "a line break",
              "Zs": "a space", "Cs": "bytes that are not UTF-8 text", "Co": "a private-use character", "Cn": "an unassigned character"}


def check_name(shown: str) -> str | None:
    """Why a path (relative to the site, '/' between folders) cannot be published under its name, else None."""
    for char in shown:
        if char.isalnum() or char in "/-_.@":
            continue
        reason = _reason(char)
        if reason:
            return reason
    return None


def _reason(char: str) -> str | None:
    """What is wrong with one character of a name, or None when it is harmless."""
    if char in "\n\r":
        return "the name holds a line break"
    if char in SYNTAX:
        return f"the name holds '{char}', which the host files (_headers, _redirects) give a meaning to"
    kind = unicodedata.category(char)
    if char == " " or char == "\t" or kind in _INVISIBLE:
        what = "a space" if char == " " else "a tab" if char == "\t" else _INVISIBLE[kind]
        return f"the name holds {what} (U+{ord(char):04X})"
    return None
