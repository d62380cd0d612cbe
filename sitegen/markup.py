"""Markdown to HTML with one fixed Python-Markdown configuration."""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .cache import text_digest
from .parallel import jobs_for, run_chunks

EXTENSIONS = ["extra", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": False}}
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


def new_converter() -> markdown.Markdown:
    """A Markdown converter with the site's configuration."""
    return markdown.Markdown(extensions=EXTENSIONS + [DemoteH1()], extension_configs=EXTENSION_CONFIGS, output_format="html")


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


def convert_bodies(sources: list, jobs: int = 0, cache=None, advance=None) -> dict[str, str]:
    """The HTML of every source's Markdown body, by source path; converted once per distinct body."""
    known = cache.bodies if cache is not None else {}
    keys = {source.shown: text_digest(source.body) for source in sources}
    missing = sorted({key: source.body for source in sources if (key := keys[source.shown]) not in known}.items())
    for key, html_text in run_chunks(_convert_chunk, missing, jobs_for(jobs), {}, advance):
        known[key] = html_text
    return {shown: known[key] for shown, key in keys.items()}


def _convert_chunk(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Convert a chunk of (key, Markdown) pairs (runs in a worker process)."""
    return [(key, to_html(body)) for key, body in items]
