"""Python-Markdown with the quick inline and table processors gives its own HTML, byte for byte."""

from __future__ import annotations

import random
import re

import markdown
import pytest
from markdown.extensions import toc
from markdown.inlinepatterns import SimpleTextInlineProcessor
from support import REPO, load_corpus

from sitegen.render.markup import convert
from sitegen.render.python_markdown import DemoteH1, extensions, new_converter
from sitegen.render.quick_markdown import QuickMarkdown, any_need, needs_of

PIECES = [
    "[a link](/news/x/)", "[a reference][1]", "[1]: /about/", "[short]", "[short]: /s/", "![an image](/i.png)",
    "![alt][1]", "![short]", "`code`", "``co`de``", "\\`not code\\`", "\\\\`code`", "\\*", "\\[", "\\\\",
    "<https://example.org/a?b=c>", "<someone@example.org>", "<span class=\"x\">in</span>", "<!-- a comment -->",
    "<br/>", "&amp;", "&#169;", "&#x263A;", "&copy", "& alone", "*em*", "**strong**", "_under_", "__under__",
    "***both***", "* not em *", "snake_case_words", "2 * 3 * 4", "a  \nbreak", "[^1]", "[^1]: A footnote.",
    "*[HTML]: Hyper Text", "HTML", "{: .cls }", "# Heading", "## Heading {#id}", "- item", "1. item",
    "| a | b |\n|---|---|\n| *1* | [2](/2/) |", "```\n*code* [x]\n```", "<div markdown=\"1\">*x* [y](/y/)</div>",
    "Term\n: Definition *here*", "> a *quote*", "[]", "[x]", "!", "<", ">", "&", "`", "*", "_", "[", "]",
    "plain words", "immunothérapie à Marseille", "x<y", "a&b", "[link *with em*](/e/)", "*em with [link](/l/)*",
    "[nested [brackets]](/n/)", "![img *alt*](/a.png \"title\")", "<b>*not em inside?*</b>", "http://bare.example",
    "https://example.org/path?q=1", "www.example.org", "WWW.Example.org", "mail someone@example.org", "~~struck~~", "~one~",
    "- [ ] task", "- [x] *done*", "Intro\n- cuddled item", "Intro\n1. cuddled", "Intro\n2. not a list", "- a\n  - two-space",
    "## Same", "## Same", "## Same_1", "## *em* heading", "## `code` heading", "## A &amp; B", "## A & B < C",
    "## <span>raw</span> heading", "## Heading[^1]", "## Été à Marseille", "## Label {: data-toc-label=\"Other\" }", "[TOC]",
    "##   spaced   out  ", "###### six", "# ", "## ?!", "a | b\n--- | ---\n1 | 2", "| one |\n|---|\n| x |", "|", "a |", "| a", "---|---", ":-: | :-", "x \\| y", "`a | b`",
]


def stock() -> markdown.Markdown:
    """Python-Markdown with the site's configuration and its own inline processor and toc."""
    return markdown.Markdown(extensions=[*extensions()[:-1], toc.TocExtension(permalink=False), DemoteH1()], output_format="html")


def same(texts: list[str], made: list[str] | None = None) -> list[str]:
    """The texts whose HTML differs between Python-Markdown's processors and the quick ones (the HTML added to `made`)."""
    plain, quick = stock(), new_converter()
    differ = []
    for text in texts:
        plain.reset()
        html = convert(quick, text)
        if plain.convert(text) != html:
            differ.append(text)
        if made is not None:
            made.append(html)
    return differ


def test_the_site_converter_skips_patterns_for_every_inline_pattern():
    """Each of the eighteen inline patterns (PyMdown's three included) has the strings it needs: none is tried on text without them."""
    md = new_converter()
    needs = needs_of(md)
    assert len(needs) == 18 and None not in needs
    assert type(md.treeprocessors["inline"]).__name__ == "QuickInlineProcessor"
    assert any_need(needs).search("nothing special here, just words.") is None


def test_a_pattern_registered_with_another_expression_is_always_tried():
    """An unknown pattern (another version's, an extension's) has no needs, and the quick path is off."""
    quick, plain = markdown.Markdown(extensions=[*extensions(), QuickMarkdown()]), markdown.Markdown(extensions=extensions())
    for md in (quick, plain):
        md.inlinePatterns.register(SimpleTextInlineProcessor(r"==(.+?)=="), "mark", 5)
    needs = needs_of(quick)
    assert needs[-1] is None and any_need(needs) is None
    assert quick.convert("a ==b== *c*") == plain.convert("a ==b== *c*") == "<p>a b <em>c</em></p>"


def test_same_html_for_random_markdown():
    """6,000 documents made of links, images, code, escapes, raw HTML, entities, emphasis, footnotes, tables, pipes, bare addresses,
    strikethrough, task items and lists as GitHub reads them..."""
    rng = random.Random(7)
    texts = []
    for _ in range(6000):
        parts = rng.choices(PIECES, k=rng.randint(1, 12))
        texts.append("".join(part + rng.choice([" ", "", "\n", "\n\n", "  \n"]) for part in parts))
    made: list[str] = []
    assert same(texts, made) == []
    for element in ("<table>", "<a href", "<img", "<code>", "<em>", "<strong>", "<br", "footnote", "<abbr", "<dl>", "&amp;",
                    '<h2 id="same_1">', 'id="ete-a-marseille"', 'class="toc"', "<del>", 'href="https://example.org/path?q=1"',
                    'class="task"', "cuddled item</li>"):
        assert sum(element in html for html in made) >= 10, element  # each kind of markup is really exercised


def test_same_html_for_the_site_and_a_generated_corpus(tmp_path):
    """Every Markdown file of the site's content and of a 300-article benchmark corpus."""
    load_corpus().make_site(tmp_path / "site", 300, seed=3, repo=REPO)
    files = sorted((REPO / "content").rglob("*.md")) + sorted((tmp_path / "site" / "content").rglob("*.md"))
    texts = [re.sub(r"\A---\n.*?\n---\n", "", f.read_text(encoding="utf-8"), flags=re.S) for f in files]
    assert len(texts) > 300
    assert same(texts) == []


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "a\\", "[", "*", "<", "&", "`", "![", "[^", "  \n"])
def test_same_html_for_edge_texts(text):
    """Empty text and lone pattern characters."""
    assert same([text, f"x {text} y", f"*{text}*", f"[{text}](/a/)"]) == []
