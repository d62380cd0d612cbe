"""Which language a text reads as: a count of the commonest words of each language (enough to list posts for review)."""

from __future__ import annotations

import re

_WORDS = {
    "en": "the and of to in is that for it with as was on are be by this from have has at which not but were their",
    "fr": "le la les et des du un une est que pour dans sur par pas au aux ce qui sont avec ont été nous leur cette",
    "de": "der die das und ist nicht mit den von zu sich des auf für im dem ein eine wird sind auch",
    "es": "el los las y del que en por con una para es se su al como más pero sus fue",
}
COMMON = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
WORD = re.compile(r"[^\W\d_]+")
ENOUGH = 20  # common words a text needs before it is judged


def reads_as(text: str) -> str | None:
    """The language whose common words the text uses most, when it uses enough of them and clearly more than any other."""
    words = [w.lower() for w in WORD.findall(re.sub(r"`[^`]*`|\([^)]*\)|<[^>]*>", " ", text))]
    counts = sorted(((sum(w in common for w in words), lang) for lang, common in COMMON.items()), reverse=True)
    (best, lang), (second, _) = counts[0], counts[1]
    return lang if best >= ENOUGH and best >= 2 * second else None
