"""The commonest short words of the languages the build can tell apart: which language a text reads as.

One table for the two places that ask: the accessibility check of passages in another language
than the page's, and the importer's review of posts that read as another language than declared.
"l" and "d" are French's elided articles ("l'accessibilité" is read as two words).
"""

from __future__ import annotations

_WORDS = {
    "en": "the and of to in is that for it with as was on are be by this from have has at which not but were their will its an",
    "fr": "le la les et des du de un une est que pour dans sur par pas au aux ce qui sont avec ont été nous leur cette ces sera l d",
    "de": "der die das und ist nicht mit den von zu sich des auf für im dem ein eine wird sind auch",
    "es": "el los las y del que en por con una para es se su al como más pero sus fue",
}
COMMON: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
