"""Which language a text reads as: a count of the commonest words of each language (enough to list posts for review)."""

from __future__ import annotations

import re

from ...checks.languages import COMMON

WORD = re.compile(r"[^\W\d_]+")
ENOUGH = 20  # common words a text needs before it is judged


def reads_as(text: str) -> str | None:
    """The language whose common words the text uses most, when it uses enough of them and clearly more than any other."""
    words = [w.lower() for w in WORD.findall(re.sub(r"`[^`]*`|\([^)]*\)|<[^>]*>", " ", text))]
    counts = sorted(((sum(w in common for w in words), lang) for lang, common in COMMON.items()), reverse=True)
    (best, lang), (second, _) = counts[0], counts[1]
    return lang if best >= ENOUGH and best >= 2 * second else None
