"""Names that would break the host files (issue 18, point 2): files, folders, aliases, and the host files' own guard."""

import pytest

from sitegen.checks.names import NAME_HINT, check_name
from sitegen.model.schemas import ArticleMeta
from sitegen.publish.hosting import checked_host_texts

SYNTAX = "which the host files (_headers, _redirects) give a meaning to"


@pytest.mark.parametrize("name", ["static/css/site.css", "static/images/logo@2x.png", "content/news/café-été.md",
                                  "content/news/launch-day/index.fr.md", "static/a_b.c-d(1),e=f+g~h&i.txt"])
def test_ordinary_names_pass(name):
    assert check_name(name) is None


@pytest.mark.parametrize(("name", "reason"), [
    ("static/x\n/*\n  X-Evil: 1.css", "the name holds a line break"),
    ("static/x\r.css", "the name holds a line break"),
    ("static/a b.css", "the name holds a space (U+0020)"),
    ("static/a\tb.css", "the name holds a tab (U+0009)"),
    ("static/a\u00a0b.css", "the name holds a space (U+00A0)"),
    ("static/a\u2028b.css", "the name holds a line break (U+2028)"),
    ("static/a\x1b[31mb.css", "the name holds a control character (U+001B)"),
    ("static/a\x7fb.css", "the name holds a control character (U+007F)"),
    ("static/a\u202egpj.css", "the name holds an invisible formatting character (U+202E)"),
    ("static/a\udcffb.css", "the name holds bytes that are not UTF-8 text (U+DCFF)"),
    *[(f"static/a{c}b.css", f"the name holds '{c}', {SYNTAX}") for c in "#!*:;{}\"'\\?%$<>|`^[]"],
    ("static/dir with space/a.css", "the name holds a space (U+0020)"),
])
def test_names_the_host_files_would_misread(name, reason):
    assert check_name(name) == reason


@pytest.mark.parametrize(("alias", "reason"), [
    ("/old news/", "it holds a space (U+0020)"),
    ("/old/\n/* https://evil.example/ 200", "it holds a line break"),
    ("/old/*", f"it holds '*', {SYNTAX}"),
    ("/old/:splat", f"it holds ':', {SYNTAX}"),
])
def test_aliases_are_plain_paths(alias, reason):
    with pytest.raises(ValueError, match="aliases") as refused:
        ArticleMeta(title="x", date="2024-01-01", aliases=[alias])
    assert f"must be a plain path like /old-news/, but {reason}" in str(refused.value)


def redirect(url: str, target: str = "/news/x/", source: str = "content/news/x.md", line: int = 4) -> tuple:
    """An alias: (address, target, source, line)."""
    return (url, target, source, line)


def test_host_files_leave_out_what_their_syntax_would_misread():
    """The last line of defence: a path that slipped past the checks never reaches the host files."""
    problems = []
    files = {name: data.decode() for name, data in checked_host_texts(
        [redirect("/old/"), redirect("/a b/"), redirect("/c/\n/* /evil 200")], "",
        [("css/site.0123456789.css", "static/css/site.css"), ("css/x\n/*\n  X: y.0123456789.css", "static/css/x\n/*\n  X: y.css")],
        ["/fr"], problems.append).items()}
    assert files["_redirects"] == "/old/ /news/x/ 301\n/fr/* /fr/404.html 404\n"
    assert files["_redirects.nginx"] == "/old/ /news/x/;\n"
    assert "X: y" not in files["_headers"] and "/css/site.0123456789.css\n  Cache-Control" in files["_headers"]
    assert [str(p) for p in problems] == [
        f"content/news/x.md:4: error: the address '/a b/ -> /news/x/' cannot go into the host files: the name holds a space (U+0020) ({NAME_HINT})",
        f"content/news/x.md:4: error: the address '/c/\\n/* /evil 200 -> /news/x/' cannot go into the host files: the name holds a line break ({NAME_HINT})",
        f"static/css/x\\n/*\\n  X: y.css: error: the address '/css/x\\n/*\\n  X: y.0123456789.css' cannot go into the host files: "
        f"the name holds a line break ({NAME_HINT})",
    ]


@pytest.mark.parametrize(("name", "reason"), [
    ("content/news/Été 2024 — bilan.md", None),
    ("content/news/Hash #tag: a post?.md", None),
    ("content/news/a\u00a0b.md", None),
    ("content/news/new\nline.md", "the name holds a line break"),
    ("content/news/tab\there.md", "the name holds a tab (U+0009)"),
    ("content/news/esc\x1b.md", "the name holds a control character (U+001B)"),
    ("content/news/rlo\u202e.md", "the name holds an invisible formatting character (U+202E)"),
])
def test_markdown_names_only_become_slugs(name, reason):
    """A Markdown file's name is published only through its slug: spaces and punctuation are fine there."""
    assert check_name(name, published=False) == reason
