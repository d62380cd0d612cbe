"""The raw HTML policy (issue 18, point 1): each way in, and the spellings an attacker tries next."""

import random

import pytest

from sitegen.checks import html_policy
from sitegen.checks.html_policy import css_risks, offsite, risky_html
from sitegen.checks.raw_html import check_raw_html
from sitegen.problems import Problems
from sitegen.render.markup import to_html

ALLOWED = ["www.youtube-nocookie.com"]
SCRIPT = "remove it: pages run no editors' scripts"
ELSEWHERE = "the site makes no requests to other sites: put the file in static/ or beside the article's index.md"
FORMS = "a form may only send to the site itself; link to the other site's form instead"


def whats(markdown: str) -> list[str]:
    """What the policy says of a Markdown body, converted as the build converts it."""
    return [finding.what for finding in risky_html(to_html(markdown), ALLOWED)]


REFUSED = [
    # SVG animations that put a script address into a link
    ('<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
     ["an SVG <animate> that changes a link's address", "a 'javascript:' URL"]),
    ('<svg><a><set attributeName="xlink:href" to="javascript:alert(1)"/></a></svg>',
     ["an SVG <set> that changes a link's address", "a 'javascript:' URL"]),
    ('<svg><a><animateMotion attributeName=" HREF " from="/x" to="/y"/></a></svg>', ["an SVG <animatemotion> that changes a link's address"]),
    ('<svg><animate attributeName="x" values="0;JaVa&#x09;Script:alert(1)"/></svg>', ["a 'javascript:' URL"]),
    ('<svg><animate attributeName="x" by="&#106;avascript&colon;alert(1)"/></svg>', ["a 'javascript:' URL"]),
    # addresses and redirects
    ('<base href="https://evil.example/">', ["a <base> element"]),
    ('<BASE HREF="/">', ["a <base> element"]),
    ('<meta http-equiv="Refresh" content="0;url=https://evil.example/">', ['a <meta http-equiv="refresh"> redirect']),
    ('<meta http-equiv=" r&#101;fresh " content="0">', ['a <meta http-equiv="refresh"> redirect']),
    ('<meta name="referrer" content="unsafe-url">', ["a <meta> element"]),
    # forms sent elsewhere
    ('<form action="https://evil.example/post"><button>go</button></form>', ["a <form> sending to 'evil.example'"]),
    ('<form action="//evil.example/post"></form>', ["a <form> sending to 'evil.example'"]),
    ('<form action="/\\evil.example/post"></form>', ["a <form> sending to 'evil.example'"]),
    ('<form action="/search/"><button formaction="https://evil.example/">go</button></form>', ["a <button> sending a form to 'evil.example'"]),
    ('<form><input type="submit" formaction="HTTPS://EVIL.EXAMPLE/"></form>', ["an <input> sending a form to 'evil.example'"]),
    # files from elsewhere
    ('<img src="https://evil.example/x.png" alt="x">', ["an <img> from 'evil.example'"]),
    ("![x](https://evil.example/x.png)", ["an <img> from 'evil.example'"]),
    ("![x](//evil.example/x.png)", ["an <img> from 'evil.example'"]),
    ("![x][pic]\n\n[pic]: https://evil.example/x.png", ["an <img> from 'evil.example'"]),
    ('<img src="&#104;ttps:&#x2F;&#x2F;evil.example/x" alt="x">', ["an <img> from 'evil.example'"]),
    ('<img src="/&#9;/evil.example/x" alt="x">', ["an <img> from 'evil.example'"]),
    ('<img src=" &#1;//evil.example/x" alt="x">', ["an <img> from 'evil.example'"]),
    ('<img src="/x.png" srcset="/a.png 1x,https://evil.example/b.png 2x" alt="x">', ["an <img> from 'evil.example'"]),
    ('<picture><source srcset="https://evil.example/b.webp"><img src="/a.png" alt="x"></picture>', ["a <source> from 'evil.example'"]),
    ('<link rel="stylesheet" href="https://evil.example/a.css">', ["a <link> from 'evil.example'"]),
    ('<link rel="stylesheet" href="data:text/css,a{}">', ["a <link> from 'data:'"]),
    ('<video controls poster="https://evil.example/p.png"></video>', ["a <video> from 'evil.example'"]),
    ('<video src="https://evil.example/v.mp4"><track src="https://evil.example/t.vtt"></video>',
     ["a <video> from 'evil.example'", "a <track> from 'evil.example'"]),
    ('<audio src="https://evil.example/a.mp3"></audio>', ["an <audio> from 'evil.example'"]),
    ('<input type="image" src="https://evil.example/i.png" alt="go">', ["an <input> from 'evil.example'"]),
    ('<svg><image href="https://evil.example/i.png"/></svg>', ["an <image> from 'evil.example'"]),
    ('<svg><use xlink:href="https://evil.example/s.svg#i"/></svg>', ["an <use> from 'evil.example'"]),
    ('<table background="https://evil.example/b.png"><tr><td>x</td></tr></table>', ["a <table> from 'evil.example'"]),
    ('<a href="/news/" ping="/count https://evil.example/p">x</a>', ["an <a> from 'evil.example'"]),
    ('<img src="ftp://evil.example/x.png" alt="x">', ["an <img> from 'evil.example'"]),
    ('<img src="https:evil.example/x.png" alt="x">', ["an <img> from 'https:'"]),
    # styles
    ('<p style="background:url(https://evil.example/x.png)">x</p>', ["a style from 'evil.example'"]),
    ('<p style="background: u\\72 l(&quot;//evil.example/x&quot;)">x</p>', ["a style from 'evil.example'"]),
    ('<p style="background:URL( \'https://evil.example/x\' )">x</p>', ["a style from 'evil.example'"]),
    ('<div style="background-image:image-set(\'https://evil.example/x.png\' 1x)">x</div>', ["a style from 'evil.example'"]),
    ("<style>@import 'https://evil.example/a.css';</style>", ["a style with @import", "a style from 'evil.example'"]),
    ("<style>@\\69mport '/a.css';</style>", ["a style with @import"]),
    ('<style>p { content: "/*"; background: url(https://evil.example/x); } /* */</style>', ["a style from 'evil.example'"]),
    ("<svg><style>p{background:url(&quot;https://evil.example/x&quot;)}</style></svg>", ["a style from 'evil.example'"]),
    ('<p style="width: expression(alert(1))">x</p>', ["a style that runs a script"]),
    ("Text.\n{: onclick=\"alert(1)\" }", ["an inline event handler (onclick=)"]),
    ("Text.\n{: style=\"background:url(//evil.example/x)\" }", ["a style from 'evil.example'"]),
    # where Python's parser and a browser could disagree
    ("<!--><img src=https://evil.example/a>-->", ["an <img> from 'evil.example'"]),
    ("<!---><img src=https://evil.example/a>-->", ["an <img> from 'evil.example'"]),
    ("<!-- x --!><img src=https://evil.example/a>-->", ["an <img> from 'evil.example'"]),
    ("<![CDATA[x><img src=https://evil.example/a>]]>", ["an <img> from 'evil.example'"]),
    ("<style>p{}</style x><img src=https://evil.example/a></style>", ["an <img> from 'evil.example'"]),
    ("<svg><style><img src=https://evil.example/a></style></svg>", ["an <img> from 'evil.example'"]),
    ("<div>\n<img\x00src=https://evil.example/a>\n</div>", ["a tag the check cannot read ('<img')"]),
    # scripts, as before
    ('<svg/onload=alert(1)>', ["an inline event handler (onload=)"]),
    ('<math href="javascript:alert(1)">x</math>', ["a 'javascript:' URL"]),
    ('<iframe src="https://evil.example/"></iframe>', ["an <iframe> from 'evil.example'"]),
    ('<object data="https://evil.example/x.swf"></object>', ["an <object> from 'evil.example'"]),
]


@pytest.mark.parametrize(("markdown", "expected"), REFUSED, ids=[case[0][:50] for case in REFUSED])
def test_refused(markdown, expected):
    assert whats(markdown) == expected


ALLOWED_HTML = [
    '<a href="https://www.univ-amu.fr/" rel="noopener">AMU</a>',
    "[AMU](https://www.univ-amu.fr/) and [mail](mailto:contact@example.org)",
    '<img src="/images/logo.png" alt="Logo" srcset="/images/logo.png 1x, logo@2x.png 2x">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">',
    '<p style="color: #123; text-align: center">x</p>',
    '<p style="background:url(/images/b.png)">x</p>',
    "<style>p { background: url('figure.png') }</style>",
    '<form action="/search/" method="get"><input name="q"></form>',
    '<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video"></iframe>',
    "<!-- <iframe src=\"https://evil.example/\"></iframe> a comment -->",
    "```html\n<script>alert(1)</script>\n<img src=\"https://evil.example/x\">\n```",
    "1 < 2 and 3 > 2, a<b, <3",
    "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: A note.",
    '<svg viewBox="0 0 10 10"><animate attributeName="opacity" values="0;1" dur="1s"/></svg>',
    '<video controls src="/media/launch.mp4" poster="launch.jpg"><track src="launch.vtt" kind="captions"></video>',
]


@pytest.mark.parametrize("markdown", ALLOWED_HTML, ids=[case[:50] for case in ALLOWED_HTML])
def test_allowed(markdown):
    assert whats(markdown) == []


def test_offsite():
    assert [offsite(a) for a in ("/x", "x.png", "#top", "?q=1", " /x", "", "//h.example/x", "\\\\h.example", "https://h.example:8/",
                                 "data:image/png,x", "JAVASCRIPT:x")] == [
        None, None, None, None, None, None, "h.example", "h.example", "h.example", "data:", "javascript:"]
    assert offsite("data:image/png,x", data_ok=True) is None


def test_css_risks_are_reported_once():
    assert css_risks("a{background:url(https://e.example/x)}") == [("url(", "a style from 'e.example'", ELSEWHERE)]


def test_each_problem_at_its_own_line():
    """Problems on different lines of one body are each reported at their line, repeated tags included."""
    body = ("Intro.\n\n<script>one()</script>\n\n<script>two()</script>\n\n"
            '<img src="https://evil.example/a.png" alt="a"> and <img src="https://evil.example/a.png" alt="a">\n\n'
            "![b](https://evil.example/b.png)\n\n<p onclick=\"x()\" style=\"background:url(//evil.example/c)\">c</p>\n\n"
            '<meta http-equiv="refresh" content="0">\n\n<form action="https://evil.example/f"></form>\n')
    problems = Problems()
    check_raw_html("content/news/x.md", body, to_html(body), 5, [], problems)
    assert [str(p) for p in problems] == [
        f"content/news/x.md:7: error: raw HTML with a <script> element is not allowed ({SCRIPT})",
        f"content/news/x.md:9: error: raw HTML with a <script> element is not allowed ({SCRIPT})",
        f"content/news/x.md:11: error: raw HTML with an <img> from 'evil.example' is not allowed ({ELSEWHERE})",
        f"content/news/x.md:11: error: raw HTML with an <img> from 'evil.example' is not allowed ({ELSEWHERE})",
        f"content/news/x.md:13: error: raw HTML with an <img> from 'evil.example' is not allowed ({ELSEWHERE})",
        f"content/news/x.md:15: error: raw HTML with an inline event handler (onclick=) is not allowed ({SCRIPT})",
        f"content/news/x.md:15: error: raw HTML with a style from 'evil.example' is not allowed ({ELSEWHERE})",
        "content/news/x.md:17: error: raw HTML with a <meta http-equiv=\"refresh\"> redirect is not allowed "
        "(remove it: to move a page, list its old address under 'aliases' in the new page's front matter)",
        f"content/news/x.md:19: error: raw HTML with a <form> sending to 'evil.example' is not allowed ({FORMS})",
    ]


def test_plain_markdown_skips_the_parser_only_when_the_parser_finds_nothing():
    """The quick test (only the tags Markdown writes, plain values) never skips HTML the full check refuses."""
    pieces = ["<p>", "</p>", '<a href="', '<img src="', '" alt="x">', '">', "https://", "//", "/", "\\", ":", "&#58;", "&",
              "javascript", "evil.example", " onclick=", " style=", "\t", "<!--", "-->", "<style>", "</style>", "x", " ",
              '<td style="text-align: left;">', "<iframe src=", "<base>", "<meta>", "<svg>", "<animate attributeName=href>", "'", '"']
    rnd = random.Random(18)
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        if html_policy._scan(text, set(), 0, iter(range(1, 10**6))):
            assert risky_html(text, []), text


def test_nesting_is_bounded():
    text = "<!-->" * 40 + "<img src=https://evil.example/x>"
    assert [f.what for f in risky_html(text, [])][-1:] in (["an <img> from 'evil.example'"], ["comments or raw text nested too deep to read"])
