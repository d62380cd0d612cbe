"""Raw HTML refused in every build (issue 18, point 1): scripts, redirects, forms and files from elsewhere.

One build tries many ways in at once (each on its own line, so each must be reported at its line);
tests/unit/test_html_policy.py tries the spellings one by one.
"""

from __future__ import annotations

from .conftest import assert_not_published, build_checked, problem_lines

NAME = "content/news/raw.md"
SCRIPT = "remove it: pages run no editors' scripts"
ELSEWHERE = "the site makes no requests to other sites: put the file in static/ or beside the article's index.md"

# (Markdown, what each problem says, the hint[, the line of the Markdown it is reported at]); each case is a paragraph.
WAYS_IN = [
    ('<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
     ["an SVG <animate> that changes a link's address", "a 'javascript:' URL"], SCRIPT),
    ('<svg><a><set attributeName="xlink:href" to="jav&#x61;script:alert(1)"/></a></svg>',
     ["an SVG <set> that changes a link's address", "a 'javascript:' URL"], SCRIPT),
    ('<base href="https://evil.example/">', ["a <base> element"], "remove it: links must resolve against the page's own address"),
    ('<META HTTP-EQUIV="refresh" CONTENT="0;url=https://evil.example/">', ['a <meta http-equiv="refresh"> redirect'],
     "remove it: to move a page, list its old address under 'aliases' in the new page's front matter"),
    ('<form action="https://evil.example/steal"><button>Send</button></form>', ["a <form> sending to 'evil.example'"],
     "a form may only send to the site itself; link to the other site's form instead"),
    ('<img src="https://evil.example/pixel.png" alt="x">', ["an <img> from 'evil.example'"], ELSEWHERE),
    ("![a chart](//evil.example/chart.png)", ["an <img> from 'evil.example'"], ELSEWHERE),
    ('<img src="/images/logo.png" srcset="https://evil.example/2x.png 2x" alt="x">', ["an <img> from 'evil.example'"], ELSEWHERE),
    ('<p style="background:u\\72l(https://evil.example/b.png)">x</p>', ["a style from 'evil.example'"], ELSEWHERE),
    ("<style>@import 'https://evil.example/a.css';</style>", ["a style with @import", "a style from 'evil.example'"], ELSEWHERE),
    ("Text.\n{: onclick=\"alert(1)\" }", ["an inline event handler (onclick=)"], SCRIPT, 1),  # reported where it is written
    ("<!--><img src=https://evil.example/c.png>-->", ["an <img> from 'evil.example'"], ELSEWHERE),
    ('<video controls poster="https://evil.example/p.png"></video>', ["a <video> from 'evil.example'"], ELSEWHERE),
]


def test_every_way_in_is_an_error_at_its_own_line(built_site):
    body, expected, line = "An intro paragraph.\n\n", [], 7
    for markdown, whats, hint, *offset in WAYS_IN:
        body += markdown + "\n\n"
        expected += [f"{NAME}:{line + sum(offset)}: error: raw HTML with {what} is not allowed ({hint})" for what in whats]
        if "c.png" in markdown:  # the page is still made and checked: every problem at once
            expected.append(f"{NAME}:{line}: error: image 'https://evil.example/c.png' has no alt text (describe the image: ![what it shows](file.jpg))")
        line += markdown.count("\n") + 2
    (built_site / NAME).write_text(f'---\ntitle: "Raw HTML"\ndate: 2024-02-01\n---\n{body}', encoding="utf-8")
    run = build_checked(built_site)  # not --strict: these are errors in every build; public/ is left untouched
    assert run.returncode == 1, str(run)
    assert problem_lines(run) == sorted(expected, key=lambda text: (int(text.split(":")[1]), text)), str(run)
    assert run.stderr.splitlines()[-2:] == [f"{len(expected)} errors, 0 warnings", "build failed: nothing was published"]
    assert_not_published(built_site, b"evil.example")


def test_what_stays_allowed_builds_in_strict_mode(built_site):
    body = ('<a href="https://www.univ-amu.fr/">AMU</a>, [Inserm](https://www.inserm.fr/).\n\n'
            '<img src="/images/logo.png" alt="The MIB logo">\n\n'
            '<p style="text-align: center; color: #222">Centred.</p>\n\n'
            '<form action="/search/" method="get"><input name="q" aria-label="Search"></form>\n\n'
            "<!-- <iframe src=\"https://evil.example/old\"></iframe> kept for later -->\n\n"
            "```html\n<script>alert(1)</script>\n<base href=\"https://evil.example/\">\n```\n")
    (built_site / NAME).write_text(f'---\ntitle: "Raw HTML"\ndate: 2024-02-01\n---\n{body}', encoding="utf-8")
    run = build_checked(built_site, "--strict")
    assert (run.returncode, run.lines) == (0, []), str(run)
    page = (built_site / "public/news/raw/index.html").read_text(encoding="utf-8")
    assert '<p style="text-align: center; color: #222">Centred.</p>' in page
