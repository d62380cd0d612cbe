"""Markdown to HTML: the plain subset directly, anything else with the site's Python-Markdown converter (python_markdown.py)."""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING

from ..problems import Problems
from . import plain_markdown
from .markdown_limits import FLATTEN, OverBudget, nesting_problem, time_budget

if TYPE_CHECKING:
    import markdown

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_BODY_IMG = re.compile(r"""<img\b[^>]*?\ssrc="([^"]*)"[^>]*>""", re.I)
_ALT = re.compile(r"""\salt="([^"]*)\"""", re.I)


@cache
def _converter() -> markdown.Markdown:
    """The process's converter, made once (forgotten with cache_clear() when a conversion stopped half-way)."""
    from .python_markdown import new_converter

    return new_converter()


def convert(converter: markdown.Markdown, text: str) -> str:
    """One Markdown body as HTML, through a converter of `python_markdown.new_converter()` (reset first)."""
    converter.reset()
    converter.treeprocessors["toc"].wants_toc = "[TOC]" in text
    return converter.convert(text)


def to_html(text: str) -> str:
    """Convert one Markdown body to HTML: directly when it is written in the plain subset, else with the process's converter."""
    plain = plain_markdown.convert(text)
    return plain if plain is not None else convert(_converter(), text)


MARKDOWN_SECONDS = 10.0  # the longest one body may take to convert (a normal article takes some 2 ms)
_CONTROL_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,4})|0*([0-9]{1,5}));")


def to_html_checked(text: str, shown: str, body_line: int, problems: Problems, seconds: float | None = None) -> str | None:
    """An editor's body as HTML, or None after an error: nested too deep, too slow to convert, or a control character.

    Nesting is found before conversion (at its line); the conversion runs within a time budget
    (MARKDOWN_SECONDS), in the build's process, in its helpers and in the preview server's thread.
    """
    deep = nesting_problem(text)
    if deep:
        problems.error(shown, body_line + deep[0], deep[1], FLATTEN)
        return None
    budget = MARKDOWN_SECONDS if seconds is None else seconds
    try:
        with time_budget(budget):
            body_html = to_html(text)
    except OverBudget:
        _converter.cache_clear()  # stopped half-way: a new converter for the next body
        problems.error(shown, body_line, f"the Markdown takes more than {budget:g} s to convert",
                       "look for an unclosed link '[text](address' repeated, or very deep nesting; or split the article")
        return None
    except RecursionError:
        _converter.cache_clear()
        problems.error(shown, body_line, "the Markdown is nested too deeply to convert", FLATTEN)
        return None
    if "&#" in body_html and _control_ref(text, shown, body_line, body_html, problems):
        return None
    return body_html


def _control_ref(text: str, shown: str, body_line: int, body_html: str, problems: Problems) -> bool:
    """An error for a character reference to a control character (`&#27;`) in the HTML; True when there is one."""
    for match in _CONTROL_REF.finditer(body_html):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if (code < 0x20 and code not in (9, 10, 13)) or code == 0x7F:  # &#128;-&#159; show as Windows-1252 letters
            line = body_line + text.count("\n", 0, max(text.find(match.group()), 0))
            problems.error(shown, line, f"the text holds the control character U+{code:04X}, written '{match.group()}'",
                           "delete it: it shows as nothing, or as a box")
            return True
    return False


def body_images(body_html: str) -> tuple[tuple[str, str], ...]:
    """The (src, alt) of every image of a converted body, in order (what an article's link preview may be cut from)."""
    if "<img" not in body_html:
        return ()
    found = []
    for tag in _BODY_IMG.finditer(body_html):
        alt = _ALT.search(tag.group(0))
        found.append((html.unescape(tag.group(1)), html.unescape(alt.group(1)) if alt else ""))
    return tuple(found)


def first_paragraph(body_html: str, limit: int = 300) -> str:
    """The text of the first paragraph that has some (one holding only an image or an empty anchor has none), for summaries."""
    text = ""
    for match in _FIRST_PARAGRAPH.finditer(body_html):
        text = " ".join(html.unescape(_TAG.sub("", match.group(1))).split())
        if text:
            break
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
