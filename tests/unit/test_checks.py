"""Link scanning, link resolution and the raw HTML policy."""

import random
import re
from pathlib import Path

from sitegen.checks.links import _ids, check_links, scan, scan_page
from sitegen.checks.raw_html import check_raw_html
from sitegen.problems import Problems
from sitegen.publish.output import Output


def test_scan_page_finds_links_ids_and_missing_alt():
    page = scan_page('<a href="/x/#y" id="top">a</a><img src="/i.png"><img src=\'/j.png\' alt="J">'
                     '<link rel="canonical" href="https://x/"><div data-pagefind-body id="main"></div>')
    assert page.links == ("/x/#y", "/i.png", "/j.png")
    assert page.ids == ("main", "top")
    assert page.missing_alt == ("/i.png",) and page.indexed


def test_check_links_reports_missing_pages_and_anchors(tmp_path):
    outputs = [
        Output("index.html", b'<a href="/news/">n</a><a href="/news/#here">h</a><a href="/gone/">g</a><a href="#nope">x</a>', "content/pages/home.md"),
        Output("news/index.html", b'<h2 id="there">t</h2><a href="../index.html">up</a>', "content/news"),
    ]
    problems = Problems()
    check_links(outputs, "", problems, Path(tmp_path), scan(outputs))
    assert sorted(str(p) for p in problems) == [
        "content/pages/home.md: error: broken link '#nope' on /index.html: no element with id 'nope' on that page (fix the address, or create the page it points to)",
        "content/pages/home.md: error: broken link '/gone/' on /index.html: no page or file at that address (fix the address, or create the page it points to)",
        "content/pages/home.md: error: broken link '/news/#here' on /index.html: no element with id 'here' on that page (fix the address, or create the page it points to)",
    ]


def test_base_path_links(tmp_path):
    outputs = [Output("index.html", b'<a href="/portal/news/">n</a><a href="/news/">bad</a>', "x"), Output("news/index.html", b"", "y")]
    problems = Problems()
    check_links(outputs, "/portal", problems, Path(tmp_path), scan(outputs))
    assert [p.message for p in problems] == ["broken link '/news/' on /index.html: it is outside the site's base path /portal/"]


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
    """The fast id search gives the values, in the order, of the plain expression it replaces."""
    plain = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
    pieces = [" ", "\t", "\n", "id", "name", "=", '"', "'", "x", ' id="', " name='", "<a ", ">", "ide", "aid", "  "]
    rnd = random.Random(7)
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 40)))
        assert _ids(text) == [a or b for a, b in plain.findall(text)], text
