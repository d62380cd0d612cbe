"""Markdown to HTML with one fixed Python-Markdown configuration."""

from __future__ import annotations

import html
import re
from functools import cache
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension, abbr, attr_list, def_list, fenced_code, footnotes, md_in_html, sane_lists, tables, toc
from markdown.treeprocessors import Treeprocessor
from pymdownx.magiclink import MagiclinkExtension
from pymdownx.tilde import DeleteSubExtension

from ..problems import Problems
from . import plain_markdown
from .dialect import GithubLists, TaskLists
from .markdown_limits import FLATTEN, OverBudget, nesting_problem, time_budget
from .quick_markdown import QuickMarkdown

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_BODY_IMG = re.compile(r"""<img\b[^>]*?\ssrc="([^"]*)"[^>]*>""", re.I)
_ALT = re.compile(r"""\salt="([^"]*)\"""", re.I)


class _DemoteH1(Treeprocessor):
    """Shift headings so the body's top level is h2: the page title is the only h1."""

    def run(self, root: ElementTree.Element) -> None:
        """Demote every heading by one level when the body uses h1."""
        heads = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        if not any(el.tag == "h1" for el in heads):
            return
        for el in heads:
            el.tag = f"h{min(int(el.tag[1]) + 1, 6)}"


_NOT_PLAIN = re.compile(r"[&<>\x02\x03]")  # text whose heading name toc works out from its HTML: entities, tags, stashed HTML


class _HeadingIds(toc.TocTreeprocessor):
    """toc's ids on headings, without the table of contents it builds and serialises for every body.

    A body that asks for a table of contents (its text holds the marker) goes through toc itself;
    a heading of plain text is named from its text directly, which is what toc's round trip
    through the serializer gives it; any other heading, through toc's own functions.
    """

    wants_toc = False  # set before each conversion

    def run(self, doc: ElementTree.Element) -> None:
        """Give each heading without an id toc's id for it."""
        if self.wants_toc or any("data-toc-label" in el.attrib for el in doc.iter()):
            super().run(doc)
            return
        used = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag) and "id" not in el.attrib:
                self.set_level(el)
                text = el.text or ""
                if len(el) or _NOT_PLAIN.search(text):
                    name = toc.strip_tags(toc.render_inner_html(toc.remove_fnrefs(el), self.md))
                else:
                    name = " ".join(text.split())
                el.attrib["id"] = toc.unique(self.slugify(html.unescape(name), self.sep), used, counters)
        self.md.toc_tokens, self.md.toc = [], ""


class _HeadingIdsExtension(toc.TocExtension):
    """toc with `_HeadingIds`."""

    TreeProcessorClass = _HeadingIds


class DemoteH1(Extension):
    """Registers the heading demotion before the table of contents gives ids."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Run before toc (priority 20)."""
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 30)


def extensions() -> list[Extension]:
    """The site's Python-Markdown extensions: "extra" (the seven it stands for, in its order), "sane_lists" and "toc" (its ids),
    then GitHub's dialect: bare addresses as links and ~~strikethrough~~ (PyMdown Extensions), lists and task lists.

    Made here rather than named: a name sends Markdown through every installed package's entry
    points, some 20 ms of each process's first conversion (a one-edit build has one process).
    """
    return [fenced_code.FencedCodeExtension(), footnotes.FootnoteExtension(), attr_list.AttrListExtension(),
            def_list.DefListExtension(), tables.TableExtension(), abbr.AbbrExtension(), md_in_html.MarkdownInHtmlExtension(),
            sane_lists.SaneListExtension(), MagiclinkExtension(), DeleteSubExtension(subscript=False), GithubLists(), TaskLists(),
            _HeadingIdsExtension(permalink=False)]  # last: the tests put toc itself in its place


def new_converter() -> markdown.Markdown:
    """A Markdown converter with the site's configuration (inline patterns tried only where they can match)."""
    return markdown.Markdown(extensions=[*extensions(), DemoteH1(), QuickMarkdown()], output_format="html")


@cache
def _converter() -> markdown.Markdown:
    """The process's converter, made once (forgotten with cache_clear() when a conversion stopped half-way)."""
    return new_converter()


def convert(converter: markdown.Markdown, text: str) -> str:
    """One Markdown body as HTML, through a converter of `new_converter()` (reset first)."""
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
