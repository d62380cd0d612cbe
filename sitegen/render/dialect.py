"""The Markdown editors write (GitHub's), read by Python-Markdown: lists as GitHub reads them, and task lists.

Two differences of Python-Markdown's strict reading surprise editors most. A list right after a
paragraph, with no blank line between, is run into the paragraph ("* 1. … * 2." in one line); and a
list nested under an item with two spaces (GitHub's way) stays flat, as Python-Markdown nests at
four. `GithubLists` reads both as GitHub does, on the lines outside code: a bullet item, or an item
numbered 1, right after a paragraph line starts a list; list items are nested by how far in they
are from their parent's, whatever the number of spaces, and written at four spaces a level. A
document already nested at four spaces comes out unchanged.

`TaskLists` shows `- [ ] to do` and `- [x] done` as a disabled checkbox labelled by the item's text.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

_ITEM = re.compile(r"^( *)(?:[-*+]|(\d{1,9})[.)])(?: +|$)")
_TASK = re.compile(r"^\[([ xX])\] +")
INDENT = 4  # Python-Markdown's nesting step


class _GithubListsPreprocessor(Preprocessor):
    """Lists after a paragraph, and lists nested by two or three spaces, as GitHub reads them."""

    def run(self, lines: list[str]) -> list[str]:
        """The lines, with a blank line before a list that interrupts a paragraph and list items re-indented."""
        out: list[str] = []
        levels: list[tuple[int, int]] = []  # (indent as written, indent written out) of the list items above
        paragraph = False  # the previous line is text of a paragraph (not a list, heading or blank line)
        for line in lines:
            item = _ITEM.match(line)
            if not line.strip():
                out.append(line)
                paragraph = False
                continue
            if item and (levels or _starts_list(item, paragraph)):
                if not levels and paragraph:
                    out.append("")
                out.append(_nested(line, item, levels))
                paragraph = False
                continue
            indent = len(line) - len(line.lstrip(" "))
            if levels and indent and (out[-1].strip() or indent >= levels[0][0] + 1):
                out.append(_continued(line, indent, levels))
                continue
            if levels and not indent and out[-1].strip():
                out.append(line)  # a lazy continuation of the item above
                continue
            levels.clear()
            out.append(line)
            paragraph = not line.lstrip().startswith(("#", "|", ">", "<")) and indent < INDENT
        return out


def _starts_list(item: re.Match, paragraph: bool) -> bool:
    """True for an item that starts a list here: anywhere but inside a paragraph, where only a bullet or a 1 may."""
    return not paragraph or item.group(2) in (None, "1")


def _nested(line: str, item: re.Match, levels: list[tuple[int, int]]) -> str:
    """A list item written at four spaces a level below the item it is further in than."""
    indent = len(item.group(1))
    while levels and indent < levels[-1][0]:
        levels.pop()
    if levels and indent == levels[-1][0]:
        written = levels[-1][1]
    else:
        written = levels[-1][1] + INDENT if levels else 0
        levels.append((indent, written))
    return " " * written + line[indent:]


def _continued(line: str, indent: int, levels: list[tuple[int, int]]) -> str:
    """A line inside a list item (a second paragraph, a line of it) written under its item."""
    owner = next((level for level in reversed(levels) if level[0] < indent), levels[0])
    return " " * (owner[1] + INDENT) + line[indent:]


class _TaskListsProcessor(Treeprocessor):
    """`[ ]` and `[x]` at the start of a list item: a disabled checkbox, labelled by the item's text."""

    def run(self, root: ElementTree.Element) -> None:
        """Turn each task item into a checkbox and its label (before inline Markdown is read)."""
        for li in root.iter("li"):
            holder = li[0] if len(li) and li[0].tag == "p" and not (li.text or "").strip() else li
            found = _TASK.match(holder.text or "")
            if found is None:
                continue
            label = ElementTree.Element("label")
            box = ElementTree.SubElement(label, "input", {"type": "checkbox", "disabled": "disabled"})
            if found.group(1) != " ":
                box.set("checked", "checked")
            box.tail = " " + holder.text[found.end():]
            holder.text = None
            holder.insert(0, label)
            li.set("class", (li.get("class", "") + " task").strip())


class GithubLists(Extension):
    """Registers the list reading after fenced code and raw HTML are set aside (their lines are never changed)."""

    def extendMarkdown(self, md: Markdown) -> None:
        """After html_block (20): code and raw HTML are placeholders by then."""
        md.preprocessors.register(_GithubListsPreprocessor(md), "github_lists", 19)


class TaskLists(Extension):
    """Registers the task items' checkboxes before inline Markdown is read (20)."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Before the inline processor, so the label's text is read as Markdown."""
        md.treeprocessors.register(_TaskListsProcessor(md), "task_lists", 21)
