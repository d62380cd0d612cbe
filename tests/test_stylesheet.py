"""The published stylesheet: minified from static/css/style.css (comments and spaces left out, every rule kept),
named after its published bytes, and linked from every page under that name."""

from __future__ import annotations

import re

from support import build, make_site, tree

SOURCE = """/* A comment editors read, never published. */
:root {
  --text: #18242e;   /* another */
}
a::after { content: " (" attr(href) ")"; }
@media (min-width: 48em) {
  main { padding: 1rem  2rem; }
}
"""


def test_the_stylesheet_is_published_minified_under_the_hash_of_its_published_bytes(tmp_path):
    site = make_site(tmp_path, {"static/css/style.css": SOURCE})
    assert build(site).problems == []
    public = tree(site / "public")
    sheets = [path for path in public if path.startswith("css/")]
    assert len(sheets) == 1
    published = public[sheets[0]]
    assert published == b':root{--text:#18242e}a::after{content:" (" attr(href) ")"}@media (min-width:48em){main{padding:1rem 2rem}}'
    digest = re.fullmatch(r"css/style\.([0-9a-f]{10})\.css", sheets[0]).group(1)
    home = public["index.html"].decode()
    assert f'<link rel="stylesheet" href="/css/style.{digest}.css">' in home
    # Another comment changes the source but not the published bytes: the address stays the same.
    (site / "static/css/style.css").write_text("/* reworded */\n" + SOURCE, encoding="utf-8")
    assert build(site).problems == []
    assert [path for path in tree(site / "public") if path.startswith("css/")] == sheets


def test_scripts_are_published_as_they_are(tmp_path):
    site = make_site(tmp_path)
    assert build(site).problems == []
    published = {path.split(".")[0]: data for path, data in tree(site / "public").items() if path.startswith("js/")}
    assert published["js/filter"] == (site / "static/js/filter.js").read_bytes()
