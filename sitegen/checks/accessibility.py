"""Accessibility checks on a rendered page, for what the browser checkers cannot judge (RGAA criteria 6, 8, 9, 5 and 1).

Each finding is a warning (so `--strict` and `check` fail on it) with the text that shows where it
is; the page's maker turns that text into a line of the content file, or names the template.
Headings: levels that skip (an h4 after an h2) and more than one h1. Links: no accessible name, or
a name that says nothing out of context ("read more", "lire la suite"...). Tables: no header cell.
Images: an alt text that repeats the text right beside the image. Passages, on an editor's page: a
paragraph, list item, heading, quote or cell that reads as another of the site's languages than the
page's, with no `lang` on it (criterion 8.7), judged by the common words of each language.
"""

from __future__ import annotations

import bisect
import html
import re
from functools import cache, lru_cache
from typing import NamedTuple

from ..graph.core import Graph
from ..problems import Problem
from ..render.attributes import attributes
from .languages import COMMON
from .links import line_in

_HEADING, _HEADING_END = re.compile(r"<(h[1-6])\b[^>]*>", re.I), re.compile(r"</(h[1-6])\s*>", re.I)
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.S | re.I)
_TABLE, _TABLE_END = re.compile(r"<(table)\b[^>]*>", re.I), re.compile(r"</(table)\s*>", re.I)
_IMAGE_THEN_TEXT = re.compile(r"<img\b([^>]*)>\s*(?:</picture>\s*)?(?:</a>\s*)?(?:<figcaption\b[^>]*>|<(?:p|span)\b[^>]*>)?([^<]{1,300})", re.S | re.I)
_TABLE_START, _IMAGE_START = re.compile(r"<table\b", re.I), re.compile(r"<img\b", re.I)
_TAG = re.compile(r"<[^>]*>")
_HIDDEN = re.compile(r'<(\w+)\b[^>]*\saria-hidden="true"[^>]*>.*?</\1\s*>', re.S)

# Link texts that say nothing of where they lead when read alone (a screen reader's list of links).
VAGUE = frozenset({
    "read more", "more", "click here", "here", "learn more", "this link", "link", "continue", "details",
    "lire la suite", "la suite", "suite", "cliquez ici", "ici", "en savoir plus", "plus", "ce lien", "lien", "détails",
})


# A passage of at least PASSAGE_WORDS words reads as another language when it holds at least three
# different common words of that language (checks/languages.py), and more than twice as many as of
# the page's. Proper names and a few borrowed words never reach that.
PASSAGE_WORDS = 6
_BLOCK = re.compile(r"<(p|li|h[1-6]|blockquote|td|th|dd|dt|figcaption)\b([^>]*)>", re.I)
_MARKED = re.compile(r'<(\w+)\b[^>]*\slang="[^"]*"[^>]*>')
MAX_PASSAGE = 5000  # characters of a passage, looked for its end within: a page of unclosed tags is read in linear time
_PAGE_LANG = re.compile(r'<html\b[^>]*\slang="([a-z]{2})', re.I)


@cache
def language_name(code: str) -> str:
    """A language's English name, as the build's messages name it (Babel's data is read by the first page that needs it)."""
    from babel import Locale

    return Locale("en").languages[code]

# The typography the build adds, undone: what an editor typed.
_AS_TYPED = str.maketrans({"\u00a0": " ", "\u202f": " ", "’": "'", "‘": "'", "“": '"', "”": '"'})


class Finding(NamedTuple):
    """One accessibility problem of a page: what is wrong, how to fix it, and the text that shows where it is."""

    message: str
    hint: str
    needle: str


def page_findings(page: str) -> list[Finding]:
    """Every accessibility problem of a page's HTML."""
    return [*_headings(page), *_links(page), *_tables(page), *_images(page)]


def _text(fragment: str) -> str:
    """The text of an HTML fragment, as a screen reader reads it (what is hidden with aria-hidden left out)."""
    return " ".join(html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", fragment))).split())


def _elements(page: str, opening: re.Pattern, closing: re.Pattern):
    """(opening tag, what it holds, where it ends) of each closed element, as a lazy expression finds them, in linear time.

    Each opening tag is paired with the first closing tag of its name after it (found by bisection in
    the closing tags, listed once), and the next one looked for after that closing tag: a page of
    thousands of unclosed tags is not read to its end from each of them.
    """
    ends: dict[str, list[tuple[int, int]]] = {}
    for found in closing.finditer(page):
        ends.setdefault(found.group(1).lower(), []).append((found.start(), found.end()))
    position = 0
    for match in opening.finditer(page):
        named = ends.get(match.group(1).lower(), [])
        i = bisect.bisect_left(named, (match.end(), -1))
        if match.start() < position or i == len(named):
            continue
        start, position = named[i]
        yield match, page[match.end():start], position


def _headings(page: str) -> list[Finding]:
    """Heading levels that skip one, and a second h1."""
    found, level, h1 = [], 0, 0
    for match, inner, _end in _elements(page, _HEADING, _HEADING_END):
        now = int(match.group(1)[1])
        if now == 1:
            h1 += 1
            if h1 == 2:
                text = _text(inner)
                found.append(Finding(f"a second main heading (h1) '{text}': the page title is the only one",
                                     "make it a section heading ('## ' in Markdown)", text))
        elif level and now > level + 1:
            text = _text(inner)
            found.append(Finding(f"the heading '{text}' is a level {now} after a level {level}: a level is skipped",
                                 f"make it a level {level + 1} heading ({'#' * level}# in Markdown)", text))
        level = now
    return found


def _links(page: str) -> list[Finding]:
    """Links without an accessible name, or whose name says nothing out of context."""
    return [found for attrs, inner in _LINK.findall(page) if (found := _link(attrs, inner)) is not None]


@lru_cache(maxsize=4096)  # menus, footers and cards repeat most links on every page: each is judged once per process
def _link(attrs_text: str, inner: str) -> Finding | None:
    """What is wrong with one link's name, if anything."""
    attrs = attributes(attrs_text)
    if "href" not in attrs:
        return None
    name = attrs.get("aria-label") or _text(inner) or _alts(inner) or attrs.get("title", "")
    if not name.strip():
        return Finding(f"the link to '{attrs['href']}' has no text a screen reader can read", "give it a text, or an alt text to its image",
                       attrs["href"])
    if name.strip(" .:…→»>").lower() in VAGUE:
        return Finding(f"the link text '{name}' says nothing of where it leads when read alone",
                       "name the destination in the link: [the launch programme](/news/launch/)", name)
    return None


def _alts(fragment: str) -> str:
    """The alt texts of the images in a fragment."""
    return " ".join(attributes(tag).get("alt", "") for tag in re.findall(r"<img\b([^>]*)>", fragment, re.I)).strip()


def _tables(page: str) -> list[Finding]:
    """Data tables without a header cell."""
    found: list[Finding] = []
    if not _TABLE_START.search(page):
        return found
    for match, _inner, end in _elements(page, _TABLE, _TABLE_END):
        table = page[match.start():end]
        if re.search(r"<th\b", table, re.I) or 'role="presentation"' in table[:200]:
            continue
        first = _text(table)[:60]
        found.append(Finding(f"the table starting '{first}' has no header cells",
                             "give it a header row of <th> cells (a Markdown table has one: the row above the line of dashes)",
                             first.split(" ")[0] if first else "<table"))
    return found


def _images(page: str) -> list[Finding]:
    """Images whose alt text repeats the text right beside them (read twice by a screen reader)."""
    found: list[Finding] = []
    if not _IMAGE_START.search(page):
        return found
    for match in _IMAGE_THEN_TEXT.finditer(page):
        alt = " ".join(attributes(match.group(1)).get("alt", "").split())
        beside = " ".join(html.unescape(match.group(2)).split())
        if len(alt) >= 8 and beside.lower().startswith(alt.lower()):
            found.append(Finding(f"the alt text '{alt}' repeats the text beside the image",
                                 "describe what the picture shows rather than repeat the text beside it", alt))
    return found


def _passages(page: str) -> list[Finding]:
    """Passages that read as another language than the page's and say nothing of it (no `lang` on them or around them)."""
    found: list[Finding] = []
    lang = _PAGE_LANG.search(page)
    if lang is None or lang.group(1) not in COMMON:
        return found
    own = lang.group(1)
    start, end = page.find("<main"), page.rfind("</main>")
    main = page[start:end] if 0 <= start < end else page[max(page.find("<body"), 0):]  # the html element's lang is the page's
    if ' lang="' in main:
        main = "".join(_unmarked(main))
    words = _words(_TAG.sub(" ", main.lower()))
    if all(len(words & COMMON[lang]) < 3 for lang in COMMON if lang != own):
        return found  # no passage can read as another language (most pages: this is all the check costs)
    for match in _BLOCK.finditer(main):
        inner = _inside(main, match, match.group(1))
        if inner is None or len(inner) < 6 * PASSAGE_WORDS or " lang=" in match.group(2):
            continue
        other = _reads_as(_TAG.sub(" ", inner.lower()), own)
        if other:
            words = _text(inner).split()
            found.append(Finding(f"the passage '{' '.join(words[:8])}…' reads as {language_name(other)} on a page in {language_name(own)}, "
                                 "and says nothing of its language",
                                 f"mark it so screen readers read it in its language: add '{{: lang={other} }}' on a line of its own "
                                 f"after the paragraph, or write <span lang=\"{other}\">…</span> around a phrase", " ".join(words[:3])))
    return found


def _inside(text: str, opening: re.Match, tag: str) -> str | None:
    """What an element holds, up to its closing tag within MAX_PASSAGE characters (None when it is not closed there)."""
    end = text.find(f"</{tag}", opening.end(), opening.end() + MAX_PASSAGE)
    return text[opening.end():end] if end >= 0 else None


def _unmarked(text: str):
    """The text without the elements that say their language (an unclosed one hides the rest: it says the language of all)."""
    position = 0
    for opening in _MARKED.finditer(text):
        if opening.start() < position:
            continue
        yield text[position:opening.start()] + " "
        inner = _inside(text, opening, opening.group(1))
        position = len(text) if inner is None else opening.end() + len(inner)
    yield text[position:]


def _reads_as(text: str, own: str) -> str:
    """The other language a lowercase text reads as, or ''."""
    words = _words(text)
    for other in COMMON:
        theirs = len(words & COMMON[other])
        if other != own and theirs >= 3 and len(text.split()) >= PASSAGE_WORDS and theirs > 2 * len(words & COMMON[own]):
            return other
    return ""


def _words(text: str) -> set[str]:
    """The different words of a lowercase text ("l'" and "d'" apart from the word they stand before)."""
    return set(text.replace("'", " ").replace("’", " ").split())


def report(graph: Graph, source: str, url: str, page: str) -> None:
    """Each finding of a page as a warning: at its line of the content file `source` when it is there, else on the templates.

    A finding on the templates names the page; the same finding on many pages is printed once, with their number.
    """
    own = _passages(page) if source.endswith(".md") else []  # a page of the site's own (a listing) shows other pages' text
    for finding in [*page_findings(page), *own]:
        line = line_in(graph, graph.resources["root"], source, finding.needle.translate(_AS_TYPED)) if source else 0
        if line:
            graph.problem(Problem(source, line, "warning", finding.message, finding.hint))
        else:
            graph.problem(Problem("templates", 0, "warning", f"{finding.message} (while rendering {url})", finding.hint))
