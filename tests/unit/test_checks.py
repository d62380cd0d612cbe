"""Link scanning, link resolution and the raw HTML policy."""

import random
import re

import pytest

from sitegen.checks.links import _ids, _ids_in_turn, _resolve, scan_page
from sitegen.checks.raw_html import check_raw_html
from sitegen.problems import BROKEN_HINT, Problem, Problems, broken_hint, merge_broken


def test_scan_page_finds_links_ids_and_missing_alt():
    page = scan_page('<a href="/x/#y" id="top">a</a><img src="/i.png"><img src=\'/j.png\' alt="J">'
                     '<link rel="canonical" href="https://x/"><div data-pagefind-body id="main"></div>')
    assert page.links == ("/x/#y", "/i.png", "/j.png")
    assert page.ids == ("main", "top")
    assert page.missing_alt == ("/i.png",) and page.indexed


def test_links_resolve_the_way_a_static_host_serves_files():
    files = {"index.html": None, "news/index.html": None, "news/a/index.html": None, "css/style.css": None}
    assert _resolve("/news/", "index.html", files, "") == ("news/index.html", "", "")
    assert _resolve("/news/a/#part", "index.html", files, "") == ("news/a/index.html", "part", "")
    assert _resolve("../index.html", "news/index.html", files, "") == ("index.html", "", "")
    assert _resolve("#here", "news/a/index.html", files, "") == ("news/a/index.html", "here", "")
    assert _resolve("/gone/", "index.html", files, "") == (None, "", "no page or file at that address")
    assert _resolve("https://example.org/", "index.html", files, "") == (None, "", "")
    assert _resolve("mailto:a@example.org", "index.html", files, "") == (None, "", "")


def test_base_path_links():
    files = {"index.html": None, "news/index.html": None}
    assert _resolve("/portal/news/", "index.html", files, "/portal") == ("news/index.html", "", "")
    assert _resolve("/news/", "index.html", files, "/portal") == (None, "", "it is outside the site's base path /portal/")


def test_a_link_broken_on_many_pages_and_in_no_content_file_is_reported_once():
    hint = BROKEN_HINT
    template = [Problem("content/news", 0, "error", f"broken link '/gone/' on /p{i}/index.html: no page or file at that address", hint) for i in range(6)]
    content = Problem("content/news/a.md", 4, "error", "broken link '/gone/' on /a/index.html: no page or file at that address", hint)
    assert merge_broken([*template, content]) == [content, Problem(
        "templates", 0, "error", "broken link '/gone/' on 6 pages (first /p0/index.html): no page or file at that address",
        "the link is in no content file, so it comes from a template or a data file: " + hint)]
    assert merge_broken(template[:5]) == template[:5]


@pytest.mark.parametrize(("why", "hint"), [
    ("content/news/a.md has errors", "fix that file's errors, reported with the others: its page is then published and the link works"),
    ("the entry 'amu' of content/data/partners.yaml has errors",
     "fix that file's errors, reported with the others: its page is then published and the link works"),
    ("content/news/a.md is a draft", "remove 'draft: true' from that file's front matter to publish its page, or remove the link"),
    ("content/news/a.md is scheduled for 2099-01-01", "publish this page on or after that day too, or remove the link until then"),
    ("content/news/a.md and content/news/b.md both use that address",
     "give one of those files another slug, then point the link at the page you mean"),
    ("content/news/a has errors.md is a draft", "remove 'draft: true' from that file's front matter to publish its page, or remove the link"),
    ("content/news/a is a draft.md has errors", "fix that file's errors, reported with the others: its page is then published and the link works"),
])
def test_a_link_to_a_page_not_published_says_what_to_do_about_why(why, hint):
    reason = "that page is not published: " + why
    assert broken_hint(reason) == hint
    assert broken_hint("no page or file at that address") == BROKEN_HINT
    # Found on many pages and in no content file, the link is one problem, with the hint of its reason.
    template = [Problem("content/news", 0, "error", f"broken link '/a/' on /p{i}/index.html: {reason}", hint) for i in range(6)]
    assert merge_broken(template) == [Problem("templates", 0, "error", f"broken link '/a/' on 6 pages (first /p0/index.html): {reason}",
                                              "the link is in no content file, so it comes from a template or a data file: " + hint)]


def test_raw_html_policy():
    from sitegen.render.markup import to_html

    problems = Problems()
    body = ('ok\n<script>x()</script>\n<a href="&#106;avascript:alert(1)">a</a>\n<img src=x alt=""\n onerror="y">\n'
            '<iframe src="https://video.example.org/v"></iframe>\n<iframe src="https://evil.example/"></iframe>\n\n```\n<script>shown as code</script>\n```\n')
    check_raw_html("a.md", body, to_html(body), 5, ["video.example.org"], problems)
    scripts, frames = "remove it: pages run no editors' scripts", "only https frames from hosts listed in iframe_allow (config.yaml) are allowed"
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (6, "raw HTML with a <script> element is not allowed", scripts),
        (7, "raw HTML with a 'javascript:' URL is not allowed", scripts),
        (8, "raw HTML with an inline event handler (onerror=) is not allowed", scripts),
        (11, "raw HTML with an <iframe> from 'evil.example' is not allowed", frames),
    ]


def test_ids_are_what_one_regular_expression_finds():
    """The fast id search gives the values of the plain expression it replaces (in another order); read in turn, the same
    values in the same order, values holding ' id=' and ' name=' included."""
    plain = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
    pieces = [" ", "\t", "\n", "id", "name", "=", '"', "'", "x", ' id="', " name='", "<a ", ">", "ide", "aid", "  ",
              ' id="x name=\'c\'"', " name=\"y id='d'\"", ' title=" id=\'e\'"']
    rnd = random.Random(7)
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 40)))
        expected = [a or b for a, b in plain.findall(text)]
        assert sorted(_ids(text)) == sorted(expected), text
        assert _ids_in_turn(text) == expected, text


def test_scan_page_skips_comments_as_browsers_end_them():
    """What a comment hides is no link; '<!-->' and '<!--->' end at once, so what follows them is on the page."""
    links = scan_page('<!-- <iframe src=\\"https://x.example/\\"></iframe> <a href="/hidden/">h</a> -->'
                      '<!--><a href="/shown/">s</a>--><!---><img src="/seen.png">'
                      '<!-- unterminated <a href="/never/">').links
    assert links == ("/shown/", "/seen.png")


def test_accessibility_checks_read_a_page_of_unclosed_tags_in_linear_time():
    """400 KB of unclosed headings, tables or passages (raw HTML an editor may write) end well within a minute."""
    import subprocess
    import sys

    script = ("from sitegen.checks.accessibility import page_findings, _passages\n"
              "for unit in ('<h2>x', '<table>x', '<li>le la les des et '):\n"
              "    page = '<html lang=\"en\"><body><main>' + unit * (400_000 // len(unit)) + '</main></body></html>'\n"
              "    assert page_findings(page) == [] and _passages(page) == []\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, "")
