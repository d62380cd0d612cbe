"""Keyboard only: the first Tab reaches the skip link, which is visible, and Enter moves focus to <main>."""

from __future__ import annotations

import pytest

from .visit import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("path", ["/", "/fr/partenaires/", "/news/"])
def test_skip_link_leads_to_main(visit, path, width):
    v = visit(path, width)
    page = v.page
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({cls: document.activeElement.className, href: document.activeElement.getAttribute('href')})")
    assert focused == {"cls": "skip-link", "href": "#main"}, f"first Tab on {path} focused {focused}"
    skip = page.locator(".skip-link")
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0 and box["width"] > 40, f"skip link is off screen when focused: {box}"
    # The focus ring is drawn (no outline: none on focus).
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'", timeout=3000)
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # The next Tab goes to the first link inside main, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_focus_is_visible_on_links_and_fields(visit):
    """Every kind of control shows an outline when reached with the keyboard."""
    v = visit("/search/", DESKTOP)
    page = v.page
    seen = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        info = page.evaluate(
            "() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        tag, style, width = info
        if tag in ("A", "INPUT", "BUTTON"):
            assert style != "none" and width >= 2, f"{tag} has no visible focus outline: {info}"
            seen.add(tag)
    assert {"A", "INPUT", "BUTTON"} <= seen
