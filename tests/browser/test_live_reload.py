"""The editor's loop in a real browser: edit, see it reload; break it, see the error; fix it, the page returns.

Each save is one atomic move (written beside, renamed over the article), as editors' tools save, so the
preview never builds a half-written file; the browser waits for the page to change, not for a clock.
"""

from __future__ import annotations

import time

import pytest
from support import copy_real_site, save, start_preview

pytestmark = pytest.mark.browser


@pytest.fixture
def preview(tmp_path):
    """`build.py serve` on a copy of the real site (port 0: the server picks a free one and prints it)."""
    site = copy_real_site(tmp_path / "site")
    server = start_preview(site)
    yield site, server
    server.stop()


def test_edit_reloads_error_shows_fix_returns(preview, browser):
    """Save an edit: the open page reloads with it; break the front matter: the page names file and line; fix: it returns."""
    site, server = preview
    base = server.base
    article = site / "content/news/official-launch.md"
    original = article.read_text()
    page = browser.new_page()  # the preview's pages carry the CSP (<meta>): predicates are functions, as no eval is allowed
    page.goto(base + "/news/official-launch/")
    assert page.locator("h1").inner_text()

    started = time.monotonic()
    edited = original.replace("\n---\n", "\n---\nA sentence added while the page was open.\n\n", 1)
    assert edited != original
    save(article, edited)
    page.wait_for_function("() => document.body !== null && document.body.innerText.includes('A sentence added while the page was open.')", timeout=15000)
    print(f"\nsave to reloaded page: {time.monotonic() - started:.2f} s")

    broken = original.replace("date: 2023-05-31", "date: 31/05/2023", 1)
    assert broken != original
    save(article, broken)
    page.wait_for_function("() => document.body !== null && document.body.innerText.includes('could not be built')", timeout=15000)
    text = page.inner_text("body")
    assert "content/news/official-launch.md:3: error: 'date' must be a date like 2024-01-15, got '31/05/2023'; try 2023-05-31" in text

    save(article, original)
    page.wait_for_function("() => document.body !== null && document.querySelector('h1') !== null"
                           " && !document.body.innerText.includes('could not be built')", timeout=15000)  # the article again, loaded
    assert "A sentence added" not in page.inner_text("body")
    assert page.url == base + "/news/official-launch/"
    assert server.process.poll() is None
    page.close()
