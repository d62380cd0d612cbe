"""The editor's loop in a real browser: edit, see it reload; break it, see the error; fix it, the page returns."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


def _free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def preview(tmp_path):
    """`build.py serve` on a copy of the real site; yields (site folder, base URL, process)."""
    site = tmp_path / "site"
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "config.yaml", site / "config.yaml")
    port = _free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), "--no-search"],
                               cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield site, f"http://127.0.0.1:{port}", process
    process.terminate()
    process.wait(timeout=10)


def test_edit_reloads_error_shows_fix_returns(preview, browser):
    """Save an edit: the open page reloads with it; break the front matter: the page names file and line; fix: it returns."""
    site, base, process = preview
    article = site / "content/news/official-launch.md"
    original = article.read_text()
    page = browser.new_page()  # the preview's pages carry the CSP (<meta>): predicates are functions, as no eval is allowed
    page.goto(base + "/news/official-launch/")
    assert page.locator("h1").inner_text()

    started = time.monotonic()
    article.write_text(original.replace("\n---\n", "\n---\nA sentence added while the page was open.\n\n", 1))
    page.wait_for_function("() => document.body.innerText.includes('A sentence added while the page was open.')", timeout=15000)
    print(f"\nsave to reloaded page: {time.monotonic() - started:.2f} s")

    broken = original.replace("date: 2024-01-31", "date: 31/01/2024", 1)
    assert broken != original
    article.write_text(broken)
    page.wait_for_function("() => document.body.innerText.includes('could not be built')", timeout=15000)
    text = page.inner_text("body")
    assert "content/news/official-launch.md:3: error: 'date' must be a date like 2024-01-15, got '31/01/2024'; try 2024-01-31" in text

    article.write_text(original)
    page.wait_for_function("() => !document.body.innerText.includes('could not be built')", timeout=15000)
    assert "A sentence added" not in page.inner_text("body")
    assert page.url == base + "/news/official-launch/"
    assert process.poll() is None
    page.close()
