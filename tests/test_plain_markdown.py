"""Markdown of the plain subset, converted directly, gives Python-Markdown's HTML byte for byte; anything else is left to it."""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest
from support import REPO, load_corpus
from test_quick_markdown import stock

from sitegen.render import markup, plain_markdown
from sitegen.render.python_markdown import new_converter

# Blocks and lines at the edges of the subset: what it takes, and what looks like it but reads otherwise.
BLOCKS = [
    "## Heading", "# Top", "### Three", "###### Six", "## Same\n\n## Same\n\n### Same", "## Été à Marseille", "text line",
    "- item\n- *em* item\n- [link](/x/) (Partner)", "1. one\n2. two", "2. two\n3. three", "12. twelve",
    "| a | b |\n|---|---:|\n| 1 | 2 |", "| a | b | c |\n|:-:|:--|---|\n| *x* | [y](/y/) | |", "> quote\n> second line",
    "Text with [a link](/a/b/) in it.\nA second line.", "line\n2022. a year mid-paragraph", "line\n*em* line", "line\n:",
]
EDGES = [
    "## Heading", "# Top", "###### Six", "####### Seven", "#NoSpace", "## Closed ##", "## A: b", "## Été à Marseille",
    "## Same", "## Same", "## Same_1", "##   spaced   out", "## *em*", "## [link](/l/)", "## C# tips", "## 2024", "## ?!",
    "- item", "- *em* item", "- [link](/x/) (Partner)", "- [ ] task", "- [x] done", "- - nested", "- # heading",
    "-  two spaces", "-", "- 1. one", "- **bold:** text", "* star item", "+ plus item",
    "1. one", "2. two", "3) three", "01. zero", "2024. A year", "1.", "0. zero", "12. twelve",
    "| a | b |\n|---|---:|\n| 1 | 2 |", "| a | b |\n|:-:|:--|\n| *x* | [y](/y/) |", "| a |\n|---|", "|a|b|\n|-|-|\n|1|2|",
    "| a | b |\n| --- | --- |\n| 1 |", "| a | b |\n|---|---|\n| 1 | 2 | 3 |", "a | b\n--- | ---\n1 | 2", "| a | b |\n|---|---|\n|  | 2 |",
    "> quote", "> *em* quote\n> second line", ">no space", "> > nested", "> - item", "> ## heading", "> quote\nlazy line",
    "text line", "Text with [a link](/a/b/) in it.", "*em* at the start", "**strong** at the start", "***both***", "* star",
    "*[HTML]: Hyper", ": definition", ":", "word :", "Term\n: Definition", "---", "===", "***", "- - -", "Title\n===",
    "Title\n---", "line\n2022. a year mid-paragraph", "line\n1. cuddled", "line\n2) two", "line\n- cuddled", "line\n* cuddled",
    "line\n*em* line", "line\n**strong** line", "line\n: def", "line\n:", "line\n# heading", "line\n> quote", "line\n| pipe |",
]
INLINE = [
    "plain words", "l'été à Marseille", "« guillemets »", "\"quoted\"", "(brackets)", "*em*", "**strong**", "[a link](/a/)",
    "a [link](/l/) and *em*.", "**strong** [link](https://x.org/p?q=1#f)", "100 %", "2024-2026", "n° 12", "end.", "?", "!",
    "C# code", "a\u2028b", "\u00a0nbsp inside", "(brackets)", "x*y*z", "nel\x85inside", "ideographic\u3000space", "soft\u00adhyphen",
]
EDGE = [
    "a * b * c", "**a*b**",
    "*a**b*", "*a* **b**", "**a** *b*", "* spaced*", "*spaced *", "** spaced**", "*em\nacross*", "[a](/b)!", "![i](/i.png)",
    "[a](/b \"t\")", "[a] (/b)", "[a](</b>)", "[a](https://x.org/p?q=1#f)", "[a](/b_c/)", "[a\nb](/c/)", "[a *b*](/c/)",
    "[](/e/)", "[a](/b)[c](/d)", "see www.x.org", "WWW.x.org", "mail a@b.c", "https://bare.org", "x_y", "a > b", "a]b",
    "[x]", "[x]: /ref", "[^1]", "[TOC]", "\u00a0nbsp", "*a***b***", "**a***b*",
    "tab\there", "cr\r\nlf", "a&b", "<b>x</b>", "`code`", "~~x~~", "{: .c}", "\\*", "trailing ", " leading", "x  ",
]


def random_document(rng: random.Random) -> str:
    """A short document of blocks and inline pieces from the lists above, with blank lines or none between them."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        block = rng.choice(EDGES if rng.random() < 0.1 else BLOCKS)
        if rng.random() < 0.6:
            block += " " + rng.choice(EDGE if rng.random() < 0.15 else INLINE)
        parts.append(block + rng.choice(["\n\n", "\n\n", "\n\n", "\n", "\n\n\n", " "]))
    return "".join(parts)


def reference(texts: list[str]) -> list[str]:
    """Python-Markdown's own HTML (its own inline processor and toc) for each text."""
    md, out = stock(), []
    for text in texts:
        md.reset()
        out.append(md.convert(text))
    return out


def compared(texts: list[str]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The HTML of the texts the plain path takes, and (text, plain, Python-Markdown) for each that differs."""
    taken, differ = [], []
    for text, expected in zip(texts, reference(texts), strict=True):
        html = plain_markdown.convert(text)
        if html is None:
            continue
        taken.append(html)
        if html != expected:
            differ.append((text, html, expected))
    return taken, differ


def test_same_html_for_random_documents():
    """5,000 documents at the subset's edges: whatever the plain path takes, it converts as Python-Markdown does."""
    rng = random.Random(11)
    texts = [random_document(rng) for _ in range(5000)]
    taken, differ = compared(texts)
    assert differ == []
    assert len(taken) > 500  # the subset's edges are really crossed, both ways
    for element in ("<h2 id=", "<h3 id=", "<h6 id=", 'id="same_2"', "<ul>", "<ol>", '<ol start="2">',
                    "<table>", 'style="text-align: right;"', 'style="text-align: center;"', "<blockquote>", "<em>", "<strong>",
                    '<a href="https://x.org/p?q=1#f">', "2022. a year", "<td></td>", "«", "\u2028"):
        assert sum(element in html for html in taken) >= 5, element


def test_same_html_for_the_site_and_a_generated_corpus(tmp_path):
    """Every Markdown file of the site's content and of a 300-article benchmark corpus (the corpus nearly all through the plain
    path), and 1,000 pieces of them with marks of Markdown put in at random."""
    load_corpus().make_site(tmp_path / "site", 300, seed=5, repo=REPO)
    corpus = sorted((tmp_path / "site" / "content").rglob("*.md"))
    files = sorted((REPO / "content").rglob("*.md")) + corpus
    texts = [re.sub(r"\A---\n.*?\n---\n", "", f.read_text(encoding="utf-8"), flags=re.S) for f in files]
    taken, differ = compared(texts)
    assert differ == []
    assert len(taken) >= 0.9 * len(corpus)
    mutated, differ = compared(mutations(texts, random.Random(13), 1000))
    assert differ == []
    assert len(mutated) > 100


MARKS = ["*", "**", "[", "]", "(", ")", "#", "## ", "- ", "1. ", "2. ", "> ", "|", ":", ": ", "\n", "\n\n", " ", "_", "!", "`", "<",
         "&", "\u00a0", "\t", "---", "www.", "a@b.c", "[x](/y)", "*a*", "\\", "~", "{", "0", "1.", "«", "'"]


def mutations(texts: list[str], rng: random.Random, count: int) -> list[str]:
    """Pieces of real bodies with a few characters or marks of Markdown put in at random places."""
    found = []
    for _ in range(count):
        body = rng.choice(texts)[: rng.randint(200, 1500)]
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(body) + 1)
            body = body[:at] + rng.choice(MARKS) + body[at:]
        found.append(body)
    return found


@pytest.mark.parametrize("text", [
    "a <b>tag</b>", "an &amp; entity", "a `code` span", "an \\*escape", "~~struck~~", "{: .attr}", "tab\tbetween",
    "- one\n\n- two", "> one\n\n> two", "- one\n\n1. two", "line\n1. cuddled", "## *em* heading", "[a](/b \"title\")",
    "![image](/i.png)", "see https://example.org", "write to a@b.org", "snake_case", "a > b", "[ref]: /x/", "[TOC]",
    " indented", "trailing  \nbreak", "| no | separator |\n| a | b |", "- [ ] task",
])
def test_anything_else_is_left_to_python_markdown(text):
    """Markup, a list or quote running into the one before, a cuddled "1.", markup in a heading: None."""
    assert plain_markdown.convert(text) is None


def test_the_site_converts_through_the_plain_path_when_it_can(monkeypatch):
    """to_html gives the plain path's HTML for a plain document and Python-Markdown's for the rest; both as Python-Markdown gives them."""
    plain = "Intro with [a link](/news/x/) and *emphasis*.\n\n## Figures\n\n- one;\n- two.\n"
    other = "Intro with `code`.\n"
    assert markup.to_html(plain) == plain_markdown.convert(plain) == reference([plain])[0]
    assert markup.to_html(other) == reference([other])[0]
    monkeypatch.setattr(markup, "_converter", lambda: pytest.fail("Python-Markdown used for a plain document"))
    markup.to_html(plain)


def test_heading_ids_come_from_the_site_converters_toc():
    """The plain path names headings with toc's slugify and separator, as the site's converter is set up."""
    headings = new_converter().treeprocessors["toc"]
    assert headings.slugify.__name__ == "slugify" and headings.slugify.__module__ == "markdown.extensions.toc"
    assert headings.sep == "-"


def test_python_markdown_is_loaded_only_for_a_body_outside_the_plain_subset():
    """A process converting plain bodies never imports Python-Markdown's extensions (some 30 ms of a one-edit build); the first other body does."""
    script = (
        "import sys\n"
        "from sitegen.render.markup import to_html\n"
        "to_html('Intro with [a link](/news/x/).\\n\\n## Figures\\n\\n- one;\\n- two.\\n')\n"
        "print('pymdownx' in sys.modules, 'sitegen.render.python_markdown' in sys.modules)\n"
        "print(to_html('Intro with `code`.\\n'))\n"
        "print('pymdownx' in sys.modules, 'sitegen.render.python_markdown' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["False False", "<p>Intro with <code>code</code>.</p>", "True True"]
