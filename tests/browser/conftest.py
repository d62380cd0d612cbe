"""Fixtures of the browser tests: the real site, built once, served on 127.0.0.1 with the production
headers (CSP included), and one headless Chromium for the whole session (Playwright's sync API)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from .siteserver import CHROME_ARGS, CHROMIUM, SiteServer, build_site
from .visit import AXE_JS, DESKTOP, Visit, new_context


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """A copy of the real site, built by build.py (Pagefind index included) in a temporary folder."""
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def base_url(site_dir) -> str:
    """http://127.0.0.1:PORT serving the built site."""
    with SiteServer(site_dir) as server:
        yield server.origin


@pytest.fixture(scope="session")
def browser() -> Browser:
    """Debian's Chromium, launched once per session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def visit(browser, base_url):
    """visit(path, width=1280, js=True, scheme='light') -> Visit; every context is closed after the test."""
    opened: list[Visit] = []

    def open_page(path: str, width: int = DESKTOP, **kwargs) -> Visit:
        v = Visit(browser, base_url, width, **kwargs)
        opened.append(v)
        v.goto(path)
        return v

    yield open_page
    for v in opened:
        v.close()


@pytest.fixture(scope="module")
def tabs(browser):
    """tab(width, scheme): the module's browser tab for that width and colour scheme, each in a context of its own.

    A new tab, and axe-core injected into it, cost about 0.4 s a page; a page loaded in a tab already open, 0.1 s.
    Visits in a tab (Visit(shared=tab), visit.visits) listen to its requests and console each for itself; after each,
    the tab goes to about:blank and its context's cookies are cleared. A module that changes what a context keeps
    (a display setting in localStorage) opens its own contexts instead."""
    made = {}

    def tab(width: int, scheme: str):
        if (width, scheme) not in made:
            made[width, scheme] = new_context(browser, width, scheme=scheme).new_page()
        return made[width, scheme]

    yield tab
    for page in made.values():
        page.context.close()
