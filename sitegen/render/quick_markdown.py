"""Python-Markdown, skipping work that cannot change the HTML: inline patterns and table tests.

For every piece of text, Python-Markdown's InlineProcessor tries each of its fifteen inline
patterns in turn (code, escapes, footnotes, links, images, autolinks, line breaks, raw HTML,
entities, emphasis), each through a Python call and a regular expression search. Most pieces of
an article's text hold none of the characters those patterns start with: a link needs a "[", an
entity a "&", emphasis a "*" or "_". Here a pattern whose expression cannot match without one of
its characters is skipped when the text has none of them, exactly as if it had been tried and
had not matched. Likewise every block of text is tested for being a table, its rows split at
each "|", when a first line without "|" can never start one. The HTML is the same, byte for byte
(tests/test_quick_markdown.py compares both on every body of the benchmark's corpus and on
generated Markdown).
"""

from __future__ import annotations

import re

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.treeprocessors import InlineProcessor

# Each pattern's name and regular expression as Python-Markdown registers them, with the strings one of
# which any match contains. A pattern registered with another expression (another version, an
# extension) is always tried.
NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("backtick", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): ("`",),
    ("escape", r"\\(.)"): ("\\",),
    ("footnote", r"\[\^([^\]]*)\]"): ("[^",),
    ("reference", r"(?<!\!)\["): ("[",),
    ("link", r"(?<!\!)\["): ("[",),
    ("image_link", r"\!\["): ("![",),
    ("image_reference", r"\!\["): ("![",),
    ("short_reference", r"(?<!\!)\["): ("[",),
    ("short_image_ref", r"\!\["): ("![",),
    ("autolink", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"): ("<",),
    ("automail", r"<([^<> !]+@[^@<> ]+)>"): ("<",),
    ("linebreak", r"  \n"): ("  \n",),
    ("entity", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): ("&",),
    ("em_strong", r"\*|_"): ("*", "_"),
    ("delimiter", r"\~"): ("~",),  # PyMdown's tilde: ~~strikethrough~~
}
HTML_NEEDS = ("<",)  # the raw HTML pattern: every alternative of its expression starts with "<"
# PyMdown Extensions' patterns, by name and class (their expressions are long and verbose): an
# address needs "://" or "www." (in any case), an e-mail address "@", a strikethrough "~".
NEEDS_BY_CLASS: dict[tuple[str, str], tuple[str, ...]] = {
    ("autolink", "MagiclinkAutoPattern"): ("<",),
    ("magic-link", "MagiclinkPattern"): ("://", "ww.", "wW.", "Ww.", "WW."),
    ("magic-mail", "MagiclinkMailPattern"): ("@",),
}


def needs_of(md: markdown.Markdown) -> list[tuple[str, ...] | None]:
    """For each inline pattern, in order, the strings one of which a match needs (None: always tried)."""
    names = {id(item): name for name, item in md.inlinePatterns._data.items()}
    found = []
    for pattern in md.inlinePatterns:
        name = names.get(id(pattern), "")
        expression = getattr(getattr(pattern, "compiled_re", None), "pattern", None)
        if name == "html" and isinstance(expression, str) and expression.startswith("(<"):
            found.append(HTML_NEEDS)
        else:
            found.append(NEEDS.get((name, expression)) or NEEDS_BY_CLASS.get((name, type(pattern).__name__)))
    return found


def any_need(needs: list[tuple[str, ...] | None]) -> re.Pattern | None:
    """An expression finding any string some pattern needs (None when a pattern is always tried)."""
    if any(need is None for need in needs):
        return None
    texts = sorted({text for need in needs for text in need}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, texts)))


class QuickInlineProcessor(InlineProcessor):
    """Python-Markdown's InlineProcessor, with the patterns that cannot match a text skipped."""

    needs: list[tuple[str, ...] | None] = []
    texts: tuple[str, ...] = ()  # every string some pattern needs
    anything: re.Pattern | None = None
    jumps: dict[frozenset, tuple[int, ...]] = {}  # by the strings a text holds
    registered: tuple = ()

    def run(self, tree, ancestors=None):
        """Process the tree's text as Python-Markdown does, with the inline patterns registered now."""
        registered = tuple(map(id, self.md.inlinePatterns))
        if registered != self.registered:
            self.needs, self.registered = needs_of(self.md), registered
            self.texts = tuple(sorted({text for need in self.needs if need for text in need}))
            self.anything, self.jumps = any_need(self.needs), {}
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, index: int = 0) -> str:
        """The text with each match replaced by a placeholder, as InlineProcessor.__handleInline gives it."""
        if isinstance(data, util.AtomicString) or (self.anything is not None and not self.anything.search(data)):
            return data  # no pattern can match: each would be tried and leave the text as it is
        patterns, count, start = self.inlinePatterns, len(self.needs), 0
        jumps = self._jumps(data)
        while True:
            if jumps[index] != index:  # skipped patterns leave the text, and the start at 0, as tried ones without a match
                index, start = jumps[index], 0
            if index >= count:
                return data
            data, matched, start = self._InlineProcessor__applyPattern(patterns[index], data, index, start)
            if matched:
                jumps = self._jumps(data)
            else:
                index += 1

    def _jumps(self, data: str) -> tuple[int, ...]:
        """For each pattern index (and one past the last), the first pattern from there that may match `data`."""
        present = frozenset(text for text in self.texts if text in data)
        found = self.jumps.get(present)
        if found is None:
            found, following = [len(self.needs)], len(self.needs)
            for index in range(len(self.needs) - 1, -1, -1):
                need = self.needs[index]
                if need is None or not present.isdisjoint(need):
                    following = index
                found.append(following)
            found = self.jumps[present] = tuple(reversed(found))
        return found


class QuickTableProcessor(TableProcessor):
    """Python-Markdown's table processor, answering at once for a block whose first line has no "|"."""

    def test(self, parent, block: str) -> bool:
        """Whether the block is a table, as TableProcessor.test says.

        Without a "|" in its first line, a row splits into one cell and has no border: never a table.
        """
        if "|" not in block.partition("\n")[0]:
            return False
        return super().test(parent, block)


class QuickMarkdown(Extension):
    """Replaces the inline processor and the table processor (same names, same priorities) by the quick ones."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register them where Python-Markdown registers its own (after every other extension)."""
        md.treeprocessors.register(QuickInlineProcessor(md), "inline", 20)
        blocks = md.parser.blockprocessors  # a Registry: no get()
        if "table" in blocks and type(blocks["table"]) is TableProcessor:
            blocks.register(QuickTableProcessor(md.parser, blocks["table"].config), "table", 75)
