"""Markdown to HTML with one fixed Python-Markdown configuration."""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension, abbr, attr_list, def_list, fenced_code, footnotes, md_in_html, sane_lists, tables, toc
from markdown.treeprocessors import Treeprocessor

from .quick_markdown import QuickMarkdown

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


class _DemoteH1(Treeprocessor):
    """Shift headings so the body's top level is h2: the page title is the only h1."""

    def run(self, root: ElementTree.Element) -> None:
        """Demote every heading by one level when the body uses h1."""
        heads = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        if not any(el.tag == "h1" for el in heads):
            return
        for el in heads:
            el.tag = f"h{min(int(el.tag[1]) + 1, 6)}"


class DemoteH1(Extension):
    """Registers the heading demotion before the table of contents gives ids."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Run before toc (priority 20)."""
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 30)


def extensions() -> list[Extension]:
    """The site's Python-Markdown extensions: "extra" (the seven it stands for, in its order), "sane_lists" and "toc".

    Made here rather than named: a name sends Markdown through every installed package's entry
    points, some 20 ms of each process's first conversion (a one-edit build has one process).
    """
    return [fenced_code.FencedCodeExtension(), footnotes.FootnoteExtension(), attr_list.AttrListExtension(),
            def_list.DefListExtension(), tables.TableExtension(), abbr.AbbrExtension(), md_in_html.MarkdownInHtmlExtension(),
            sane_lists.SaneListExtension(), toc.TocExtension(permalink=False)]


def new_converter() -> markdown.Markdown:
    """A Markdown converter with the site's configuration (inline patterns tried only where they can match)."""
    return markdown.Markdown(extensions=[*extensions(), DemoteH1(), QuickMarkdown()], output_format="html")


_converter: markdown.Markdown | None = None


def to_html(text: str) -> str:
    """Convert one Markdown body to HTML (the converter is reset between bodies)."""
    global _converter
    if _converter is None:
        _converter = new_converter()
    _converter.reset()
    return _converter.convert(text)


def first_paragraph(body_html: str, limit: int = 300) -> str:
    """The text of the first paragraph, for summaries."""
    match = _FIRST_PARAGRAPH.search(body_html)
    if not match:
        return ""
    text = html.unescape(_TAG.sub("", match.group(1))).strip()
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
