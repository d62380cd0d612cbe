"""File, folder and alias names that would break the host files (issue 18, point 2).

A CSS file whose name held line breaks added its own `/*` rule to `_headers`; now every such name,
in content/, static/ or a bundle, is an error naming the file, and nothing is published.
"""

from __future__ import annotations

from pictures import photo

from .conftest import article, build_checked, problem_lines

HINT = "rename it: letters, digits, '-', '_', '.' and '@' are safe"
SYNTAX = "which the host files (_headers, _redirects) give a meaning to"


def test_content_names_that_break_the_host_files_are_errors(built_site):
    (built_site / "content/news/new\nline.md").write_text(article(), encoding="utf-8")
    (built_site / "content/news/esc\x1b[31m.md").write_text(article(), encoding="utf-8")
    (built_site / "content/news/Hash #tag, Jekyll style.md").write_text(article(title="Hash"), encoding="utf-8")  # only its slug is published
    bundle = built_site / "content/news/Launch day"
    bundle.mkdir()
    (bundle / "index.md").write_text(article("![Stage](stage.png)\n", title="Launch day"), encoding="utf-8")
    (bundle / "stage.png").write_bytes(photo(8, 8, "PNG"))  # a real picture: a file that only starts like one is an error of its own
    (bundle / "my photo;.png").write_bytes(b"\x89PNG\r\n")
    (built_site / "content/news/moved.md").write_text(article(title="Moved", extra='aliases: ["/old/", "/old news/", "/x/*"]\n'), encoding="utf-8")
    run = build_checked(built_site)  # public/ is left untouched (checked by build_checked on failure)
    assert run.returncode == 1, str(run)
    assert problem_lines(run) == [
        f"content/news/Launch day/my photo;.png: error: the name holds a space (U+0020) ({HINT})",
        f"content/news/esc\\x1b[31m.md: error: the name holds a control character (U+001B) ({HINT})",
        "content/news/moved.md:4: error: 'aliases[2]' must be a plain path like /old-news/, but it holds a space (U+0020)",
        f"content/news/moved.md:4: error: 'aliases[3]' must be a plain path like /old-news/, but it holds '*', {SYNTAX}",
        f"content/news/new\\nline.md: error: the name holds a line break ({HINT})",
    ], str(run)


def test_static_names_that_break_the_host_files_are_errors(built_site):
    """A CSS file named to add a header rule to _headers (its fingerprinted name goes there)."""
    (built_site / "static/css/x\n  X-Evil: 1\n*.css").write_text("p{}\n", encoding="utf-8")
    (built_site / "static/images/logo 2.png").write_bytes(b"\x89PNG\r\n")
    (built_site / "static/odd:dir").mkdir()
    (built_site / "static/odd:dir/a.js").write_text("//\n", encoding="utf-8")
    run = build_checked(built_site)
    assert run.returncode == 1, str(run)
    assert problem_lines(run) == [
        f"static/css/x\\n  X-Evil: 1\\n*.css: error: the name holds a line break ({HINT})",
        f"static/images/logo 2.png: error: the name holds a space (U+0020) ({HINT})",
        f"static/odd:dir/a.js: error: the name holds ':', {SYNTAX} ({HINT})",
    ], str(run)
    assert b"X-Evil" not in (built_site / "public/_headers").read_bytes()
