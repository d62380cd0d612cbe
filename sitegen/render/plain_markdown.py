"""Markdown written in the plain subset most articles use, converted straight to the HTML Python-Markdown gives it.

The subset: paragraphs, ATX headings of plain text, bullet ("- ") and numbered ("1. ") lists of
one-line items, tables with a border of pipes, one-paragraph quotes ("> "), and inline links
`[text](/address/)`, `*emphasis*` and `**strong**`. Python-Markdown, with the site's extensions,
reads such a document through some forty block and inline processors and an element tree, for
about 2 ms; here it is a handful of regular expressions. A document with anything outside the
subset (a character that may start other Markdown, a line that may start another block, a list
or a quote that would run into the one before it) gives None, and the caller converts it with
Python-Markdown. tests/test_plain_markdown.py compares both on every body of the site, of a
benchmark corpus and of generated documents, byte for byte.
"""

from __future__ import annotations

import re

from markdown.extensions import toc

# Anywhere in the text: a character that starts Markdown or markup outside the subset (raw HTML,
# entities, escapes, code, strikethrough, attribute lists, stashed HTML's markers), a tab, a carriage
# return or another control character.
_OUTSIDE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f<&\\`~{}]")
# The first line of a paragraph that may start another block: a heading, a list item, a quote, a rule or a
# setext underline, a table row, a definition, an abbreviation; any later line of it, the same but
# for a number: only "1." starts a list inside a paragraph (as GitHub reads lists).
_SPLITS = r"[#+>=|-]|\*(?:[ \[]|\Z)|\*\*(?:[ *]|\Z)|: "
_FIRST_START = re.compile(rf"{_SPLITS}|\d+[.)](?: |\Z)")
_LINE_START = re.compile(rf"{_SPLITS}|1[.)](?: |\Z)")
# In text outside links and emphasis: a bracket or an asterisk left over, an underscore (emphasis),
# an address or e-mail address (linked by magiclink), a pipe, a ">" (written as an entity).
_TEXT_BAD = re.compile(r"[\[\]*_@|>]|://|[wW][wW]\.")
_INLINE = re.compile(r"\[([^\[\]]+)\]\(([A-Za-z0-9/._:?#=%+-]+)\)|\*\*([^*]+)\*\*|\*([^*]+)\*")
_HEADING = re.compile(r"(#{1,6}) +([^#]+)\Z")
_BULLET = re.compile(r"- (\S.*)\Z")
_NUMBERED = re.compile(r"([1-9]\d{0,7})\. (\S.*)\Z")
_TASK = re.compile(r"\[[ xX]\](?: |\Z)")
_SEPARATOR = re.compile(r"\|(?: *:?-+:? *\|)+\Z")
_ALIGN = {(True, False): ' style="text-align: left;"', (False, True): ' style="text-align: right;"',
          (True, True): ' style="text-align: center;"', (False, False): ""}


def convert(text: str) -> str | None:
    """The HTML Python-Markdown (with the site's extensions) gives a document of the plain subset; None for any other."""
    if _OUTSIDE.search(text):
        return None
    blocks = _blocks(text)
    if blocks is None:
        return None
    out: list[str] = []
    headings: list[tuple[int, int, str]] = []  # (index in out, level, text)
    before = ""  # the kind of the block before
    for lines in blocks:
        kind, html = _block(lines, before)
        if html is None:
            return None
        if kind == "h":
            headings.append((len(out), *html))
            html = ""
        out.append(html)
        before = kind
    _place_headings(out, headings)
    return "\n".join(out)


def _blocks(text: str) -> list[list[str]] | None:
    """The document's blocks (runs of lines between empty ones); None when a line starts or ends with white space."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line:
            if current:
                blocks.append(current)
                current = []
        elif line[0].isspace() or line[-1].isspace():
            return None
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _block(lines: list[str], before: str) -> tuple[str, object]:
    """One block's kind and HTML (for a heading, its level and text); None for the HTML when it is outside the subset."""
    first = lines[0]
    if first[0] == "#":
        heading = _HEADING.match(first) if len(lines) == 1 else None
        return "h", heading and _heading(heading)
    if first.startswith("- "):
        return "ul", None if before in ("ul", "ol") else _list(lines, _BULLET, "<ul>", "</ul>")
    if first[0].isdigit() and _NUMBERED.match(first):
        return "ol", None if before in ("ul", "ol") else _list(lines, _NUMBERED, None, "</ol>")
    if first.startswith("> "):
        return "quote", None if before == "quote" else _quote(lines)
    if first[0] == "|":
        return "table", _table(lines)
    return "p", _paragraph(lines)


def _heading(match: re.Match) -> tuple[int, str] | None:
    """A heading's level and text (None when its text holds markup: the subset's headings are plain text)."""
    text = match.group(2).strip()
    if not text or _TEXT_BAD.search(text):
        return None
    return len(match.group(1)), text


def _place_headings(out: list[str], headings: list[tuple[int, int, str]]) -> None:
    """Each heading's HTML with toc's id, every level one lower when the document has an h1 (as DemoteH1 does)."""
    shift = 1 if any(level == 1 for _, level, _ in headings) else 0
    used: set[str] = set()
    counters: dict[str, int] = {}
    for at, level, text in headings:
        tag = f"h{min(level + shift, 6)}"
        ident = toc.unique(toc.slugify(" ".join(text.split()), "-"), used, counters)
        out[at] = f'<{tag} id="{ident}">{text}</{tag}>'


def _paragraph(lines: list[str]) -> str | None:
    """A paragraph's HTML, or None when a line of it may start another block."""
    if _FIRST_START.match(lines[0]) or any(_LINE_START.match(line) for line in lines[1:]):
        return None
    inline = _inline("\n".join(lines))
    return None if inline is None else f"<p>{inline}</p>"


def _list(lines: list[str], item: re.Pattern, opening: str | None, closing: str) -> str | None:
    """A list of one-line items, each of plain inline text (numbered: from its first number on)."""
    out = []
    for line in lines:
        found = item.match(line)
        if found is None:
            return None
        text = found.group(found.lastindex)
        if _FIRST_START.match(text) or _TASK.match(text):
            return None
        inline = _inline(text)
        if inline is None:
            return None
        out.append(f"<li>{inline}</li>")
        if opening is None:
            start = found.group(1)
            opening = "<ol>" if start == "1" else f'<ol start="{start}">'
    return "\n".join([opening, *out, closing])


def _quote(lines: list[str]) -> str | None:
    """A quote of one paragraph, each line of it written after "> "."""
    if any(not line.startswith("> ") for line in lines):
        return None
    inner = _paragraph([line[2:] for line in lines])
    return None if inner is None else f"<blockquote>\n{inner}\n</blockquote>"


def _table(lines: list[str]) -> str | None:
    """A table with a border of pipes, a header row, a row of dashes and as many cells in every row."""
    if len(lines) < 3 or not _SEPARATOR.match(lines[1]):
        return None
    aligns = [_ALIGN[cell.startswith(":"), cell.endswith(":")] for cell in (c.strip() for c in lines[1][1:-1].split("|"))]
    rows = []
    for line in (lines[0], *lines[2:]):
        if len(line) < 2 or line[0] != "|" or line[-1] != "|":
            return None
        cells = line[1:-1].split("|")
        if len(cells) != len(aligns):
            return None
        rows.append(cells)
    head = _row(rows[0], aligns, "th")
    body = [_row(row, aligns, "td") for row in rows[1:]]
    if head is None or None in body:
        return None
    parts = ["<table>", "<thead>", head, "</thead>"]
    if body:
        parts += ["<tbody>", *body, "</tbody>"]
    return "\n".join([*parts, "</table>"])


def _row(cells: list[str], aligns: list[str], tag: str) -> str | None:
    """One table row's HTML."""
    out = ["<tr>"]
    for cell, align in zip(cells, aligns, strict=True):
        inline = _inline(cell.strip())
        if inline is None:
            return None
        out.append(f"<{tag}{align}>{inline}</{tag}>")
    out.append("</tr>")
    return "\n".join(out)


def _inline(text: str) -> str | None:
    """Text with its links, emphasis and strong emphasis as HTML; None when it holds any other inline Markdown."""
    out, at = [], 0
    for match in _INLINE.finditer(text):
        gap = text[at:match.start()]
        if _TEXT_BAD.search(gap):
            return None
        out.append(gap)
        label, href, strong, em = match.groups()
        if label is not None:
            if gap.endswith("!") or _TEXT_BAD.search(label):
                return None
            out.append(f'<a href="{href}">{label}</a>')
        else:
            inner = strong if strong is not None else em
            if inner[0].isspace() or inner[-1].isspace() or _TEXT_BAD.search(inner):
                return None
            if text.startswith("*", match.end()):  # '*a**b*': Python-Markdown pairs the asterisks otherwise
                return None
            tag = "strong" if strong is not None else "em"
            out.append(f"<{tag}>{inner}</{tag}>")
        at = match.end()
    rest = text[at:]
    if _TEXT_BAD.search(rest):
        return None
    out.append(rest)
    return "".join(out)

