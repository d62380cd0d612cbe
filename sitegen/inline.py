"""Python-Markdown's inline processing, skipping the patterns that cannot match a text.

For every piece of text, Python-Markdown's InlineProcessor tries each of its fifteen inline
patterns in turn (code, escapes, footnotes, links, images, autolinks, line breaks, raw HTML,
entities, emphasis), each through a Python call and a regular expression search. Most pieces of
an article's text hold none of the characters those patterns start with: a link needs a "[", an
entity a "&", emphasis a "*" or "_". Here a pattern whose expression cannot match without one of
its characters is skipped when the text has none of them, exactly as if it had been tried and
had not matched. The HTML is the same, byte for byte (tests/test_inline.py compares both on
every body of the benchmark's corpus and on generated Markdown); it took 30-40 % of each
conversion.
"""

from __future__ import annotations

import re

import markdown
from markdown import util
from markdown.extensions import Extension
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
}
HTML_NEEDS = ("<",)  # the raw HTML pattern: every alternative of its expression starts with "<"


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
            found.append(NEEDS.get((name, expression)))
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
    anything: re.Pattern | None = None
    registered: tuple = ()

    def run(self, tree, ancestors=None):
        """Process the tree's text as Python-Markdown does, with the inline patterns registered now."""
        registered = tuple(map(id, self.md.inlinePatterns))
        if registered != self.registered:
            self.needs, self.registered = needs_of(self.md), registered
            self.anything = any_need(self.needs)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, index: int = 0) -> str:
        """The text with each match replaced by a placeholder, as InlineProcessor.__handleInline gives it."""
        if isinstance(data, util.AtomicString) or (self.anything is not None and not self.anything.search(data)):
            return data  # no pattern can match: each would be tried and leave the text as it is
        patterns, needs = self.inlinePatterns, self.needs
        count, start = len(patterns), 0
        while index < count:
            need = needs[index]
            if need is not None and not any(text in data for text in need):
                index, start = index + 1, 0  # as a pattern tried without a match leaves them
                continue
            data, matched, start = self._InlineProcessor__applyPattern(patterns[index], data, index, start)
            if not matched:
                index += 1
        return data


class QuickInline(Extension):
    """Replaces the inline processor (same name, same priority) by QuickInlineProcessor."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        """Register it where Python-Markdown registers its own."""
        md.treeprocessors.register(QuickInlineProcessor(md), "inline", 20)
