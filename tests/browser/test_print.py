"""The print stylesheet on an article: the text on white paper in black whatever the theme, without the header's
controls, the navigation or the display settings, within the page's width (700 px: A4 paper)."""

from __future__ import annotations

import pytest

from .layout import sideways_scroll
from .visit import links_in

pytestmark = pytest.mark.browser

HIDDEN_IN_PRINT = (".skip-link", ".header-tools", ".settings-panel", ".main-nav", ".breadcrumbs", ".footer-nav")
COLOURS = """() => [document.body, document.querySelector('h1'), ...document.querySelectorAll('main p, main a, .site-footer')]
  .map(e => [e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''), getComputedStyle(e).color, getComputedStyle(e).backgroundColor])"""
BLACK, GREY, WHITE, NONE = "rgb(0, 0, 0)", "rgb(51, 51, 51)", "rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"  # grey: dates and meta


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_an_article_prints_black_on_white_without_the_controls(visit, site_dir, theme):
    article = links_in(site_dir, "/news/", r"/news/(?!page/|\d{4}/)[^/]+/")[0]
    v = visit(article, 700, scheme=theme)
    page = v.page
    page.evaluate("theme => { localStorage.setItem('mib-theme', theme); }", theme)
    v.goto(article)
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        assert all(not element.is_visible() for element in page.locator(selector).all()), f"{selector} is printed"
    assert page.locator("h1").is_visible() and page.locator(".prose p").first.is_visible()
    assert page.locator(".footer-name").is_visible(), "the site's name is printed at the end"
    for name, colour, background in page.evaluate(COLOURS):
        assert colour in (BLACK, GREY), f"{name} prints in {colour}"
        assert background in (WHITE, NONE), f"{name} prints on {background}"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == WHITE
    assert sideways_scroll(page) is None
