"""Raw HTML policy (issue 8, point 4; outcomes pinned by issue 26).

Editors may use raw HTML in Markdown. Every build (and `check`) refuses `<script>`, inline event
handlers, `javascript:` URLs and iframes from hosts not in config `iframe_allow`, naming the file
and the line, and publishes nothing. Text from data files and front matter is always escaped.
"""

from __future__ import annotations

import json
import re

import pytest
from support import CHECK_FAILED, edit

from .conftest import article, assert_not_published, assert_outcome, build_checked, built, refused, write

ALLOWED_HOST = "www.youtube-nocookie.com"
NAME = "content/news/raw.md"
PAGE = "news/raw/index.html"
SCRIPTS = "(remove it: pages run no editors' scripts)"
FRAMES = "(only https frames from hosts listed in iframe_allow (config.yaml) are allowed)"
SCRIPT = f"raw HTML with a <script> element is not allowed {SCRIPTS}"
JAVASCRIPT = f"raw HTML with a 'javascript:' URL is not allowed {SCRIPTS}"
ELSEWHERE = "(the site makes no requests to other sites: put the file in static/ or beside the article's index.md)"
EVIL_FRAME = f"raw HTML with an <iframe> from 'evil.example' is not allowed {FRAMES}"


def handler(name: str) -> str:
    return f"raw HTML with an inline event handler ({name}=) is not allowed {SCRIPTS}"


def raw_article(site, html: str) -> int:
    """Write an article whose body holds `html` after an intro; returns the line `html` starts on."""
    text = f'---\ntitle: "Raw HTML"\ndate: 2024-02-01\n---\nAn intro paragraph.\n\n{html}\n\nA closing paragraph.\n'
    write(site, NAME, text)
    return 7


def allow_iframes_from(site, *hosts: str) -> None:
    """Set iframe_allow in the site's config."""
    edit(site / "config.yaml", "iframe_allow: []", f"iframe_allow: {json.dumps(list(hosts))}")


# Each case: an id, raw HTML an editor might paste, its line and the error (or errors) it gives in every build.
RISKY = [
    ("script", "<script>alert(1)</script>", 7, SCRIPT),
    ("script-uppercase-src", '<SCRIPT SRC="https://evil.example/x.js"></SCRIPT>', 7, (SCRIPT, f"raw HTML with a <script> from 'evil.example' is not allowed {ELSEWHERE}")),
    ("onclick", '<a href="/news/" onclick="alert(1)">news</a>', 7, handler("onclick")),
    ("onerror", '<img src="/images/logo.png" alt="Logo" onerror="alert(1)">', 7, handler("onerror")),
    ("onmouseover-unquoted", "<p onmouseover=alert(1)>hover</p>", 7, handler("onmouseover")),
    ("javascript-markdown-link", "[click](javascript:alert(1))", 7, JAVASCRIPT),
    ("javascript-href", '<a href="javascript:alert(1)">click</a>', 7, JAVASCRIPT),
    ("javascript-reference-link", "[click][x]\n\n[x]: javascript:alert(1)", 9, JAVASCRIPT),
    ("javascript-form-action", '<form action="javascript:alert(1)"><button>go</button></form>', 7, JAVASCRIPT),
    ("iframe-foreign", '<iframe src="https://evil.example/embed" title="Video"></iframe>', 7, EVIL_FRAME),
    ("iframe-protocol-relative", '<iframe src="//evil.example/embed" title="Video"></iframe>', 7, EVIL_FRAME),
    ("iframe-unquoted-uppercase", "<IFRAME SRC=https://evil.example/embed TITLE=x></IFRAME>", 7, EVIL_FRAME),
    ("iframe-userinfo-trick", f'<iframe src="https://{ALLOWED_HOST}@evil.example/" title="Video"></iframe>', 7, EVIL_FRAME),
    ("iframe-suffix-trick", f'<iframe src="https://{ALLOWED_HOST}.evil.example/" title="Video"></iframe>', 7,
     f"raw HTML with an <iframe> from '{ALLOWED_HOST}.evil.example' is not allowed {FRAMES}"),
    ("iframe-plain-http", '<iframe src="http://evil.example/" title="Video"></iframe>', 7, EVIL_FRAME),
]


@pytest.mark.parametrize(("html", "line", "message"), [c[1:] for c in RISKY], ids=[c[0] for c in RISKY])
def test_risky_raw_html_is_refused_without_strict(built_site, html, line, message):
    """A normal build (no --strict) refuses the page at the line and publishes nothing."""
    allow_iframes_from(built_site, ALLOWED_HOST)
    raw_article(built_site, html)
    messages = message if isinstance(message, tuple) else (message,)
    assert_outcome(build_checked(built_site), built_site, refused(*(f"{NAME}:{line}: error: {text}" for text in messages)))


# Spellings a per-line regular expression may miss; browsers run every one of them.
EVASIONS = [
    ("handler-after-slash", "<svg/onload=alert(1)>", [f"{NAME}:7: error: {handler('onload')}"]),
    ("handler-on-next-line", '<a href="/news/"\n   onclick="alert(1)">news</a>', [f"{NAME}:7: error: {handler('onclick')}"]),
    ("javascript-named-entity", '<a href="javascript&colon;alert(1)">click</a>', [f"{NAME}:7: error: {JAVASCRIPT}"]),
    ("javascript-numeric-entity", '<a href="jav&#x61;script:alert(1)">click</a>', [f"{NAME}:7: error: {JAVASCRIPT}"]),
    # Markdown turns the tab into spaces, so the link check also reports the link, at the file (no line).
    ("javascript-tab-inside", '<a href="java\tscript:alert(1)">click</a>', [
        f"{NAME}: error: broken link 'java   script:alert(1)' on /news/raw/index.html: no page or file at that address "
        "(fix the address, or create the page it points to)",
        f"{NAME}:7: error: {JAVASCRIPT}"]),
    ("iframe-src-on-next-line", '<iframe title="Video"\n   src="https://evil.example/embed"></iframe>', [f"{NAME}:7: error: {EVIL_FRAME}"]),
    ("iframe-without-src", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" title="x"></iframe>',
     [f"{NAME}:7: error: raw HTML with an <iframe> without an address from iframe_allow is not allowed {FRAMES}"]),
    ("script-tag-split-over-lines", "<script\n>alert(1)</script>", [f"{NAME}:7: error: {SCRIPT}"]),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in EVASIONS], ids=[c[0] for c in EVASIONS])
def test_evasive_raw_html_fails_strict(built_site, html, expected):
    allow_iframes_from(built_site, ALLOWED_HOST)
    raw_article(built_site, html)
    assert_outcome(build_checked(built_site, "--strict"), built_site, refused(*expected))


def test_check_command_flags_raw_html_and_writes_nothing(built_site):
    raw_article(built_site, '<a href="/news/" onclick="alert(1)">news</a>')
    run = build_checked(built_site, "check")  # the guard: public/ as it was
    assert_outcome(run, built_site, refused(f"{NAME}:7: error: {handler('onclick')}", verdict=CHECK_FAILED))


def test_flags_report_each_line(built_site):
    raw_article(built_site, '<script>one()</script>\n\n<p onclick="two()">x</p>\n\n[three](javascript:three())')
    expected = refused(f"{NAME}:7: error: {SCRIPT}", f"{NAME}:9: error: {handler('onclick')}", f"{NAME}:11: error: {JAVASCRIPT}")
    assert_outcome(build_checked(built_site, "--strict"), built_site, expected)


def test_iframe_from_allowed_host_passes_strict(built_site):
    allow_iframes_from(built_site, ALLOWED_HOST)
    raw_article(built_site, f'<iframe src="https://{ALLOWED_HOST}/embed/abc123" title="Launch video"></iframe>')
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built(PAGE, f'<iframe src="https://{ALLOWED_HOST}/embed/abc123" title="Launch video"></iframe>'))


def test_iframe_from_allowed_host_fails_when_not_allowed(built_site):
    raw_article(built_site, f'<iframe src="https://{ALLOWED_HOST}/embed/abc123" title="Launch video"></iframe>')
    expected = refused(f"{NAME}:7: error: raw HTML with an <iframe> from '{ALLOWED_HOST}' is not allowed {FRAMES}")
    assert_outcome(build_checked(built_site, "--strict"), built_site, expected)


def test_harmless_raw_html_passes_strict(built_site):
    html = (
        '<div class="note">\n<p>A note in a box.</p>\n</div>\n\n'
        '<figure>\n<img src="/images/logo.png" alt="The MIB logo">\n<figcaption>Our logo</figcaption>\n</figure>\n\n'
        "<details><summary>More</summary>Hidden text about the onset of the disease.</details>\n\n"
        '<a href="https://www.univ-amu.fr/" rel="noopener">Aix-Marseille University</a>'
    )
    raw_article(built_site, html)
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built(PAGE, '<div class="note">\n<p>A note in a box.</p>\n</div>', "<figcaption>Our logo</figcaption>",
                                          "<details><summary>More</summary>Hidden text about the onset of the disease.</details>"))


def test_html_shown_as_code_is_escaped_and_not_flagged(built_site):
    """HTML inside a code block or code span is text on the page, not raw HTML."""
    html = '```html\n<script>alert(1)</script>\n<a href="javascript:void(0)" onclick="x()">x</a>\n```\n\nInline: `<script>`.'
    raw_article(built_site, html)
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built(PAGE, "An intro paragraph."))
    page = (built_site / "public" / PAGE).read_bytes()
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page and b"<code>&lt;script&gt;</code>" in page
    assert b"<script>alert(1)" not in page


# -- text from data files and front matter is always escaped --------------------------------------

EVIL = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
# As an English page shows it: escaped by Jinja's autoescape, its straight quotes then curled by the build's
# typography (sitegen/render/typography.py), which changes text between tags only.
SHOWN = "&lt;script&gt;alert(“xss”)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def raw_page(site, page: str) -> str:
    """A published page's HTML as it is (entities not decoded)."""
    return (site / "public" / page).read_text(encoding="utf-8")


def test_data_file_text_is_escaped(built_site):
    q = json.dumps(EVIL)
    path = built_site / "content/data/partners.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"\n- id: evil-partner\n  name: {q}\n  short_name: {q}\n  type: industry\n"
                    f"  location: {q}\n  description:\n    en: {q}\n    fr: {q}\n", encoding="utf-8")
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("partners/evil-partner/index.html", EVIL))
    assert f"<h1>{SHOWN}</h1>" in raw_page(built_site, "partners/evil-partner/index.html")
    assert_not_published(built_site, b"<script>alert", b"<img src=x onerror")


def test_front_matter_text_is_escaped(built_site):
    evil = '<script>alert("xss")</script>'
    extra = f"summary: {json.dumps(evil)}\ntags: [{json.dumps(evil)}]\nauthor: {json.dumps(evil)}\n"
    write(built_site, "content/news/evil.md", article(title=evil.replace('"', "'"), extra=extra))
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("news/evil/index.html", "<script>alert('xss')</script>", evil))
    assert "<h1>&lt;script&gt;alert(‘xss’)&lt;/script&gt;</h1>" in raw_page(built_site, "news/evil/index.html")
    assert_not_published(built_site, b"<script>alert")


def json_ld(page: str) -> list[dict]:
    """Every JSON-LD block of a page, parsed."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert blocks, "the page has no JSON-LD"
    return [json.loads(block) for block in blocks]


def test_script_closing_tag_in_front_matter_does_not_break_json_ld(built_site):
    """A summary holding </script> stays inside its JSON-LD block, which parses and carries it whole."""
    summary = "</script><script>alert(1)</script>"
    write(built_site, "content/news/evil.md", article(extra=f"summary: {json.dumps(summary)}\n"))
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("news/evil/index.html", summary))
    data = {block["@type"]: block for block in json_ld(raw_page(built_site, "news/evil/index.html"))}
    assert set(data) == {"NewsArticle", "BreadcrumbList"}
    assert (data["NewsArticle"]["headline"], data["NewsArticle"]["description"]) == ("Test article", summary)
    assert data["NewsArticle"]["mainEntityOfPage"] == "https://mib-portal.example.org/news/evil/"
    assert_not_published(built_site, b"<script>alert(1)")


def test_text_in_every_data_file_is_escaped(built_site):
    """Platforms, milestones and figures: escaped wherever the site shows them (the small site has no about page for milestones)."""
    data = built_site / "content/data"
    q = json.dumps(EVIL)
    (data / "platforms.yaml").write_text(
        (data / "platforms.yaml").read_text(encoding="utf-8")
        + f"\n- id: evil-platform\n  name: {q}\n  status: planned\n  summary: {{en: {q}, fr: {q}}}\n"
        + f"  services: [{q}]\n  equipment: [{q}]\n  contact: {q}\n  location: {q}\n",
        encoding="utf-8",
    )
    (data / "milestones.yaml").write_text(
        (data / "milestones.yaml").read_text(encoding="utf-8")
        + f"\n- date: 2024\n  title: {{en: {q}, fr: {q}}}\n  description: {{en: {q}, fr: {q}}}\n  status: done\n",
        encoding="utf-8",
    )
    (data / "figures.yaml").write_text(
        (data / "figures.yaml").read_text(encoding="utf-8") + f"\n- value: 7\n  kind: number\n  label: {{en: {q}, fr: {q}}}\n",
        encoding="utf-8",
    )
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("platforms/evil-platform/index.html", EVIL))
    assert f"<h1>{SHOWN}</h1>" in raw_page(built_site, "platforms/evil-platform/index.html")
    assert SHOWN in raw_page(built_site, "index.html"), "the figure's label, escaped, on the home page"
    assert_not_published(built_site, b"<script>alert", b"<img src=x onerror")


def test_config_text_is_escaped(built_site):
    path = built_site / "config.yaml"
    edit(path, "en: MIB editorial team", f"en: {json.dumps(EVIL)}")
    edit(path, "  en: Marseille Immunology Biocluster", f"  en: {json.dumps(EVIL)}")
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("index.html", EVIL))
    assert f"<title>{SHOWN}</title>" in raw_page(built_site, "index.html")
    assert_not_published(built_site, b"<script>alert", b"<img src=x onerror")
