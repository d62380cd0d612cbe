"""Markdown to HTML with one fixed Python-Markdown configuration."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension, abbr, attr_list, def_list, fenced_code, footnotes, md_in_html, sane_lists, tables, toc
from markdown.treeprocessors import Treeprocessor

from ..bodies import BodyStore
from ..checks.raw_html import check_raw_html, raw_key
from ..graph.parallel import jobs_for, run_chunks, shared
from ..model.content import Read, ToRead, markdown_body, read_file
from ..problems import Problems
from .markdown_limits import FLATTEN, OverBudget, nesting_problem, time_budget
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


MARKDOWN_SECONDS = 10.0  # the longest one body may take to convert (a normal article takes some 2 ms)
_CONTROL_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,4})|0*([0-9]{1,5}));")


def to_html_checked(text: str, shown: str, body_line: int, problems: Problems, seconds: float | None = None) -> str | None:
    """An editor's body as HTML, or None after an error: nested too deep, too slow to convert, or a control character.

    Nesting is found before conversion (at its line); the conversion runs within a time budget
    (MARKDOWN_SECONDS), in the build's process, in its workers and in the preview server's thread.
    """
    global _converter
    deep = nesting_problem(text)
    if deep:
        problems.error(shown, body_line + deep[0], deep[1], FLATTEN)
        return None
    budget = MARKDOWN_SECONDS if seconds is None else seconds
    try:
        with time_budget(budget):
            body_html = to_html(text)
    except OverBudget:
        _converter = None  # stopped half-way: a new converter for the next body
        problems.error(shown, body_line, f"the Markdown takes more than {budget:g} s to convert",
                       "look for an unclosed link '[text](address' repeated, or very deep nesting; or split the article")
        return None
    except RecursionError:
        _converter = None
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


def convert_bodies(sources: list, store: BodyStore, root: Path, problems: Problems, jobs: int = 0, cache=None,
                   advance=None) -> dict[str, str]:
    """Convert each distinct Markdown body whose HTML is not on disk yet; returns each source's first paragraph.

    The HTML goes straight from the workers to the store: the build never holds all of it.
    """
    known = cache.bodies if cache is not None else {}  # body key -> first paragraph of its HTML
    todo: dict[str, tuple[str, str, int]] = {}
    for source in sources:
        key = source.body_key
        if key in todo or (key in known and store.has(key)):
            continue
        body = markdown_body(source, root, problems)
        if body is not None:
            todo[key] = (body, source.shown, source.body_line)
    items = [(key, *todo[key]) for key in sorted(todo)]
    for key, first, location, error, refused in run_chunks(_convert_chunk, items, jobs_for(jobs), {"store": store}, advance):
        problems.extend(refused)
        if refused:
            continue
        if error:
            shown = next(source.shown for source in sources if source.body_key == key)
            problems.error(shown, 0, f"cannot keep the converted text in .cache/html: {error}", "check the disk space and the permissions of .cache/")
        else:
            known[key] = first
            store.added({key: location})
    return {source.shown: known.get(source.body_key, "") for source in sources}


def _convert_chunk(items: list[tuple[str, str, str, int]]) -> list[tuple[str, str, tuple | None, str, list]]:
    """Convert a chunk of (key, Markdown, file, its body's line) and store them as one pack (runs in a worker).

    Returns (key, first paragraph, where it is stored, why it could not be, why it was refused) for each.
    """
    converted, refused = [], {}
    for key, body, shown, body_line in items:
        found = Problems()
        body_html = to_html_checked(body, shown, body_line, found)
        if body_html is None:
            refused[key] = list(found)
        else:
            converted.append((key, body_html))
    try:
        locations = shared("store").write_pack(converted)
    except OSError as exc:
        return [(key, "", None, exc.strerror or str(exc), []) for key, _ in converted] + [(key, "", None, "", found) for key, found in refused.items()]
    return [(key, first_paragraph(body_html), locations[key], "", []) for key, body_html in converted] \
        + [(key, "", None, "", found) for key, found in refused.items()]


def reader(config, root: Path, cache, store: BodyStore, jobs: int, progress) -> Callable[[list[ToRead]], list[Read]]:
    """A `read_many` for read_sources: the workers parse the files and convert the new bodies at once.

    The main process then holds no Markdown text, and the workers start converting while the
    front matter of the other files is still being read (2 s of the main process's time at
    10,000 articles, when it read them all before the first conversion). Each body's HTML, first
    paragraph and raw-HTML problems go where convert_bodies and check_bodies will find them.
    """
    def read_many(items: list[ToRead]) -> list[Read]:
        """Read, parse and convert in the workers; what read_file would have returned for each file."""
        shared = {"config": config, "root": root, "cache": cache, "store": store}
        with progress.stage("Markdown", len(items)) as advance:
            results = run_chunks(_read_chunk, items, jobs_for(jobs), shared, advance)
        reads = []
        for (digest, source, found), converted, raw_found in results:
            if converted is not None:
                key, first, location = converted
                cache.bodies[key] = first
                store.added({key: location})
                cache.keep(f"raw:{source.shown}", raw_key(source, config.iframe_allow), None, raw_found)  # for check_bodies
            reads.append((digest, source, found))
        return reads
    return read_many


def _read_chunk(items: list[ToRead]) -> list[tuple]:
    """Read and parse a chunk of files, convert their new bodies and keep them as one pack (in a worker).

    For each file: (what read_file returns, (body key, first paragraph, where the HTML is) or
    None when nothing was converted or kept, the raw-HTML problems of what was converted).
    """
    config, root, cache, store = (shared(n) for n in ("config", "root", "cache", "store"))
    reads = [read_file(*item, config, root, cache) for item in items]
    todo = {}
    for i, (digest, source, found) in enumerate(reads):
        if source is not None and source.body is not None and source.body_key not in todo \
                and not (source.body_key in cache.bodies and store.has(source.body_key)):
            refused = Problems()
            body_html = to_html_checked(source.body, source.shown, source.body_line, refused)
            if body_html is None:  # refused as a file that cannot be read is: its problems are kept with its bytes
                reads[i] = (digest, None, [*found, *refused])
            else:
                todo[source.body_key] = body_html
    try:
        locations = store.write_pack(list(todo.items()))
    except OSError:
        locations = {}  # convert_bodies tries these again, and says why they cannot be kept
    results = []
    for read in reads:
        source = read[1]
        key = source.body_key if source is not None else None
        if key in locations:
            raw = Problems()
            check_raw_html(source.shown, source.body, todo[key], source.body_line, config.iframe_allow, raw)
            results.append((read, (key, first_paragraph(todo[key]), locations[key]), list(raw)))
        else:
            results.append((read, None, []))
    return results
