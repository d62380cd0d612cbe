"""The Nu HTML Checker (vnu-jar) over every HTML page of the built site, and over the stylesheet;
the stylesheet stays under 20 KB."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from support import REPO

pytestmark = pytest.mark.browser

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CSS_LIMIT = 20 * 1000


def nu(*args: str) -> list[dict]:
    """vnu's messages (its JSON report is on stderr)."""
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker (make browser-deps installs it)"
    assert VNU.is_file(), f"{VNU} is missing: run 'make browser-deps'"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *args], capture_output=True, text=True, timeout=600, check=False
    )
    return json.loads(done.stderr)["messages"]


def errors(messages: list[dict], root) -> list[str]:
    return [
        f"{m.get('url', '').replace('file:' + str(root), '')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_every_page_is_valid_html(site_dir, tmp_path):
    pages = sorted(str(p) for p in site_dir.rglob("*.html"))
    assert len(pages) > 50
    # A page with a known error goes through the same run, so a checker that reports nothing fails.
    planted = tmp_path / "planted.html"
    planted.write_text('<!doctype html><html lang="en"><title>x</title><p id="a" id="a">x</p></html>', encoding="utf-8")
    messages = nu("--skip-non-html", str(planted), *pages)
    assert any(m["type"] == "error" and m.get("url", "").endswith("planted.html") for m in messages), "vnu reported nothing"
    found = errors([m for m in messages if not m.get("url", "").endswith("planted.html")], site_dir)
    assert found == [], "\n".join(found[:30])


def stylesheet(site_dir):
    sheets = sorted(site_dir.glob("css/*.css"))
    assert len(sheets) == 1, f"expected one stylesheet, found {sheets}"
    return sheets[0]


def test_stylesheet_is_valid_css(site_dir):
    found = errors(nu("--css", str(stylesheet(site_dir))), site_dir)
    assert found == [], "\n".join(found)


def test_stylesheet_is_under_20_kb(site_dir):
    size = stylesheet(site_dir).stat().st_size
    assert size < CSS_LIMIT, f"the stylesheet is {size} bytes"
