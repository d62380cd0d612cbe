"""The site's Python-Markdown converter: its extensions and the engine's own tree processors.

Imported on the first body the plain path (plain_markdown.py) cannot convert: Python-Markdown's
extensions, PyMdown's among them, take some 30 ms to import, which a build converting only plain
bodies (one edited article, most often) does not pay.
"""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension, abbr, attr_list, def_list, fenced_code, footnotes, md_in_html, sane_lists, tables, toc
from markdown.treeprocessors import Treeprocessor
from pymdownx.magiclink import MagiclinkExtension
from pymdownx.tilde import DeleteSubExtension

from .dialect import GithubLists, TaskLists
from .quick_markdown import QuickMarkdown


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
