"""Raw HTML policy (issue 8, point 4).

Editors may use raw HTML in Markdown. Every build (issue 18: not only `--strict` and `check`)
refuses `<script>`, inline event handlers, `javascript:` URLs and iframes from hosts not in config
`iframe_allow`, naming the file and the line (tests/hostile/test_content_limits.py tries the rest). Text from data files and
front matter is always escaped.
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import (
    article,
    assert_built,
    assert_failed_naming,
    assert_not_published,
    build_checked,
    edit,
    lines_naming,
    public_files,
)

ALLOWED_HOST = "www.youtube-nocookie.com"
NAME = "content/news/raw.md"


def write(site, rel: str, text: str) -> None:
    """Write a text file into the site."""
    (site / rel).write_text(text, encoding="utf-8")


def raw_article(site, html: str) -> int:
    """Write an article whose body holds `html` after an intro; returns the line `html` starts on."""
    text = f'---\ntitle: "Raw HTML"\ndate: 2024-02-01\n---\nAn intro paragraph.\n\n{html}\n\nA closing paragraph.\n'
    (site / NAME).write_text(text, encoding="utf-8")
    return 7


def allow_iframes_from(site, *hosts: str) -> None:
    """Set iframe_allow in the site's config."""
    path = site / "config.yaml"
    text = re.sub(r"(?m)^iframe_allow:.*$", "", path.read_text(encoding="utf-8"))
    path.write_text(text + f"\niframe_allow: {json.dumps(list(hosts))}\n", encoding="utf-8")


def assert_flagged_at(run, lines: range, level: str = "error") -> None:
    """A problem of `level` naming the article at one of `lines`."""
    found = lines_naming(run, NAME, level)
    assert any(int(re.match(r"^[^:]+:(\d+):", line).group(1)) in lines for line in found if re.match(r"^[^:]+:\d+:", line)), (
        f"expected a {level} naming {NAME} at line {lines.start}" + (f"-{lines.stop - 1}" if len(lines) > 1 else "") + f":\n{run}"
    )


# Each case: an id and raw HTML an editor might paste. All must be flagged.
RISKY = [
    ("script", "<script>alert(1)</script>"),
    ("script-uppercase-src", '<SCRIPT SRC="https://evil.example/x.js"></SCRIPT>'),
    ("onclick", '<a href="/news/" onclick="alert(1)">news</a>'),
    ("onerror", '<img src="/images/logo.png" alt="Logo" onerror="alert(1)">'),
    ("onmouseover-unquoted", "<p onmouseover=alert(1)>hover</p>"),
    ("javascript-markdown-link", "[click](javascript:alert(1))"),
    ("javascript-href", '<a href="javascript:alert(1)">click</a>'),
    ("javascript-reference-link", "[click][x]\n\n[x]: javascript:alert(1)"),
    ("javascript-form-action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    ("iframe-foreign", '<iframe src="https://evil.example/embed" title="Video"></iframe>'),
    ("iframe-protocol-relative", '<iframe src="//evil.example/embed" title="Video"></iframe>'),
    ("iframe-unquoted-uppercase", "<IFRAME SRC=https://evil.example/embed TITLE=x></IFRAME>"),
    ("iframe-userinfo-trick", f'<iframe src="https://{ALLOWED_HOST}@evil.example/" title="Video"></iframe>'),
    ("iframe-suffix-trick", f'<iframe src="https://{ALLOWED_HOST}.evil.example/" title="Video"></iframe>'),
    ("iframe-plain-http", '<iframe src="http://evil.example/" title="Video"></iframe>'),
]


@pytest.mark.parametrize("html", [c[1] for c in RISKY], ids=[c[0] for c in RISKY])
def test_risky_raw_html_is_refused_without_strict(site, html):
    allow_iframes_from(site, ALLOWED_HOST)
    start = raw_article(site, html)
    run = build_checked(site)
    assert_failed_naming(run, NAME)
    assert_flagged_at(run, range(start, start + html.count("\n") + 1))


@pytest.mark.parametrize("html", [c[1] for c in RISKY], ids=[c[0] for c in RISKY])
def test_risky_raw_html_fails_strict(site, html):
    allow_iframes_from(site, ALLOWED_HOST)
    start = raw_article(site, html)
    run = build_checked(site, "--strict")
    assert_failed_naming(run, NAME)
    assert_flagged_at(run, range(start, start + html.count("\n") + 1))


# Spellings a per-line regular expression may miss; browsers run every one of them.
EVASIONS = [
    ("handler-after-slash", "<svg/onload=alert(1)>"),
    ("handler-on-next-line", '<a href="/news/"\n   onclick="alert(1)">news</a>'),
    ("javascript-named-entity", '<a href="javascript&colon;alert(1)">click</a>'),
    ("javascript-numeric-entity", '<a href="jav&#x61;script:alert(1)">click</a>'),
    ("javascript-tab-inside", '<a href="java\tscript:alert(1)">click</a>'),
    ("iframe-src-on-next-line", '<iframe title="Video"\n   src="https://evil.example/embed"></iframe>'),
    ("iframe-without-src", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" title="x"></iframe>'),
    ("script-tag-split-over-lines", "<script\n>alert(1)</script>"),
]


@pytest.mark.parametrize("html", [c[1] for c in EVASIONS], ids=[c[0] for c in EVASIONS])
def test_evasive_raw_html_fails_strict(site, html):
    allow_iframes_from(site, ALLOWED_HOST)
    start = raw_article(site, html)
    run = build_checked(site, "--strict")
    assert_failed_naming(run, NAME)
    assert_flagged_at(run, range(start, start + html.count("\n") + 1))


def test_check_command_flags_raw_html_and_writes_nothing(site):
    start = raw_article(site, '<a href="/news/" onclick="alert(1)">news</a>')
    run = build_checked(site, "check")
    assert run.returncode == 1, str(run)
    assert run.stderr.splitlines()[-1] == "check failed", str(run)
    assert_flagged_at(run, range(start, start + 1))


def test_flags_report_each_line(site):
    html = '<script>one()</script>\n\n<p onclick="two()">x</p>\n\n[three](javascript:three())'
    raw_article(site, html)
    run = build_checked(site, "--strict")
    assert_failed_naming(run, NAME)
    for line in (7, 9, 11):
        assert_flagged_at(run, range(line, line + 1))


def test_iframe_from_allowed_host_passes_strict(site):
    allow_iframes_from(site, ALLOWED_HOST)
    raw_article(site, f'<iframe src="https://{ALLOWED_HOST}/embed/abc123" title="Launch video"></iframe>')
    run = build_checked(site, "--strict")
    assert_built(run)
    assert not lines_naming(run, NAME, "warning")
    html = (site / "public/news/raw/index.html").read_text(encoding="utf-8")
    assert f'src="https://{ALLOWED_HOST}/embed/abc123"' in html


def test_iframe_from_allowed_host_fails_when_not_allowed(site):
    raw_article(site, f'<iframe src="https://{ALLOWED_HOST}/embed/abc123" title="Launch video"></iframe>')
    run = build_checked(site, "--strict")
    assert_failed_naming(run, NAME, ALLOWED_HOST)


def test_harmless_raw_html_passes_strict(site):
    html = (
        '<div class="note">\n<p>A note in a box.</p>\n</div>\n\n'
        '<figure>\n<img src="/images/logo.png" alt="The MIB logo">\n<figcaption>Our logo</figcaption>\n</figure>\n\n'
        "<details><summary>More</summary>Hidden text about the onset of the disease.</details>\n\n"
        '<a href="https://www.univ-amu.fr/" rel="noopener">Aix-Marseille University</a>'
    )
    raw_article(site, html)
    run = build_checked(site, "--strict")
    assert_built(run)
    page = (site / "public/news/raw/index.html").read_text(encoding="utf-8")
    assert '<div class="note">' in page and "<figcaption>Our logo</figcaption>" in page


def test_html_shown_as_code_is_escaped_and_not_flagged(site):
    """HTML inside a code block or code span is text on the page, not raw HTML."""
    html = '```html\n<script>alert(1)</script>\n<a href="javascript:void(0)" onclick="x()">x</a>\n```\n\nInline: `<script>`.'
    raw_article(site, html)
    run = build_checked(site, "--strict")
    assert_built(run)
    page = (site / "public/news/raw/index.html").read_bytes()
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert b"<script>alert(1)" not in page


# -- text from data files and front matter is always escaped --------------------------------------


def test_data_file_text_is_escaped(site):
    path = site / "content/data/partners.yaml"
    evil = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"\n- id: evil-partner\n  name: {json.dumps(evil)}\n  short_name: {json.dumps(evil)}\n  type: industry\n"
        + f"  location: {json.dumps(evil)}\n  description:\n    en: {json.dumps(evil)}\n    fr: {json.dumps(evil)}\n",
        encoding="utf-8",
    )
    run = build_checked(site)
    assert_built(run)
    page = (site / "public/partners/evil-partner/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page, "the data text must appear, escaped, on the partner's page"
    assert_not_published(site, b"<script>alert", b"<img src=x onerror")


def test_front_matter_text_is_escaped(site):
    evil = '<script>alert("xss")</script>'
    extra = f"summary: {json.dumps(evil)}\ntags: [{json.dumps(evil)}]\nauthor: {json.dumps(evil)}\n"
    write(site, "content/news/evil.md", article(title=evil.replace('"', "'"), extra=extra))
    run = build_checked(site)
    assert_built(run)
    assert_not_published(site, b"<script>alert")
    assert "&lt;script&gt;" in (site / "public/news/evil/index.html").read_text(encoding="utf-8")


def test_script_closing_tag_in_front_matter_does_not_break_json_ld(site):
    extra = 'summary: "</script><script>alert(1)</script>"\n'
    write(site, "content/news/evil.md", article(extra=extra))
    run = build_checked(site)
    assert_built(run)
    assert_not_published(site, b"<script>alert(1)")


EVIL = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def test_text_in_every_data_file_is_escaped(site):
    data = site / "content/data"
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
    run = build_checked(site)
    assert_built(run)
    assert "&lt;script&gt;" in (site / "public/platforms/evil-platform/index.html").read_text(encoding="utf-8")
    assert_not_published(site, b"<script>alert", b"<img src=x onerror")


def test_config_text_is_escaped(site):
    path = site / "config.yaml"
    edit(path, "en: MIB editorial team", f"en: {json.dumps(EVIL)}")
    edit(path, "  en: Marseille Immunology Biocluster", f"  en: {json.dumps(EVIL)}")
    run = build_checked(site)
    assert_built(run)
    assert_not_published(site, b"<script>alert", b"<img src=x onerror")
    assert any(b"&lt;script&gt;" in data for data in public_files(site).values())
