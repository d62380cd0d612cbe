"""Every HTML page of the built real site, both languages (issue 23, point 4), in one browser page reused for all:

- axe-core (WCAG 2.1 A and AA) in the light theme at 320 px, and its colour rules in the dark theme (a theme changes colours only);
- no sideways scrolling at 320 px (WCAG 1.4.10 Reflow) nor at 200 % zoom (a 1280 px window at 200 % is 640 CSS px);
- WCAG 1.4.12 text spacing applied at 320 px: no sideways scrolling, no text clipped or overlapping;
- no text clipped or overlapping at 200 % zoom either;
- the first Tab reaches the skip link, and the element it leads to exists (RGAA 12.7).

Redirect pages (old addresses, `aliases:`) are held on screen (their refresh is not followed) and checked the same
way, axe once: they have no stylesheet, so no theme. The pages are split into CHUNKS tests, so the suite's two
processes share them; axe comes with each page as an init script of the browser context (compiled once, not
evaluated again on every page), and only page addresses go through the test's route handler, not their files.
"""

from __future__ import annotations

import re

import pytest

from .layout import sideways_scroll, text_problems, with_text_spacing
from .visit import WCAG_TAGS, describe_violations, html_pages

pytestmark = pytest.mark.browser

CHUNKS = 4
NARROW = {"width": 320, "height": 800}
ZOOMED = {"width": 640, "height": 450}
AXE_RUN = "only => axe.run(document, {runOnly: only, resultTypes: ['violations']})"
AXE_LOADED = "() => typeof axe !== 'undefined'"
# The rules a theme's colours can break: the contrast of text, and links told from the text around them.
COLOUR_RULES = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}
DOCUMENTS = re.compile(r"^[^?#]*(/|\.html)([?#].*)?$")  # the addresses of pages (the route handler sees no stylesheet nor picture)
THEME = "theme => theme ? document.documentElement.dataset.theme = theme : delete document.documentElement.dataset.theme"
SKIP = """() => { const link = document.activeElement; const target = link && link.hash && document.getElementById(link.hash.slice(1));
  return link && link.classList.contains('skip-link') && target ? '' : `the first Tab reaches ${link ? link.outerHTML.slice(0, 80) : 'nothing'}`
    + (link && link.hash && !target ? `, whose target ${link.hash} is missing` : ''); }"""
PLANTED = """<!doctype html><html lang="en"><head><title>Planted</title></head><body style="margin: 0"><main><h1>Planted</h1>
<p style="width: 8rem; height: 1.2em; overflow: hidden">A sentence far too long for its small box</p>
<div style="position: relative; height: 3em"><p style="position: absolute; top: 0">Under</p><p style="position: absolute; top: .2em">Over</p></div>
<div style="width: 900px">Wide</div></main></body></html>"""


def problems_of(page, axe_source: str, themes, skip_link: bool = True) -> list[str]:
    """Everything the checks above find on the page loaded now (left at 320 px, in the light theme)."""
    found = [f"at 320px: {wide}"] if (wide := sideways_scroll(page)) else []
    if skip_link:
        page.keyboard.press("Tab")
        found += [problem] if (problem := page.evaluate(SKIP)) else []
        page.evaluate("document.activeElement && document.activeElement.blur()")  # a focused skip link is shown over the header
    if not page.evaluate(AXE_LOADED):
        page.evaluate(axe_source)
    for theme in themes:
        page.evaluate(THEME, theme)
        only = {"type": "tag", "values": WCAG_TAGS} if theme == themes[0] else COLOUR_RULES
        if violations := page.evaluate(AXE_RUN, only)["violations"]:
            found.append(f"axe, {theme} theme:\n{describe_violations(violations)}")
    page.evaluate(THEME, None)
    found += [f"text spacing at 320px: {p}" for p in with_text_spacing(page)]
    page.set_viewport_size(ZOOMED)
    found += [f"200% zoom: {p}" for p in filter(None, [sideways_scroll(page), *text_problems(page)])]
    page.set_viewport_size(NARROW)
    return found


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_page(browser, base_url, site_dir, axe_source, chunk):
    pages = html_pages(site_dir)
    assert len(pages) > 150 and not pages["/fr/"] and pages["/404.html"] is False and any(pages.values())
    # Reduced motion: a theme's colours apply at once, not over the 0.2 s fade axe would catch half-way.
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True, reduced_motion="reduce")
    shown = {"url": ""}

    def hold(route):
        """Any navigation of the tab but to the page being checked (a redirect's refresh) is not followed."""
        request = route.request
        if request.is_navigation_request() and request.url != shown["url"]:
            return route.abort("aborted")
        return route.continue_()

    context.add_init_script(axe_source)
    context.route(DOCUMENTS, hold)
    failures = {}
    try:
        page = context.new_page()
        for path, redirect in list(pages.items())[chunk::CHUNKS]:
            shown["url"] = base_url + path
            response = page.goto(shown["url"], wait_until="load")
            assert response is not None and response.status == 200, path
            if found := problems_of(page, axe_source, ("light",) if redirect else ("light", "dark"), skip_link=not redirect):
                failures[path] = found
            assert page.url == shown["url"], f"{path} was left for {page.url} while it was checked"
    finally:
        context.close()
    assert failures == {}, "\n".join(f"{path}: {p}" for path, found in failures.items() for p in found)


def test_the_checks_find_planted_problems(browser, axe_source):
    """The checks themselves work: text clipped by its box, text over text, a page too wide and no skip link are all reported."""
    context = browser.new_context(viewport=NARROW)
    try:
        page = context.new_page()
        page.set_content(PLANTED)
        found = problems_of(page, axe_source, ("light",))
    finally:
        context.close()
    assert "at 320px: scrolls sideways: 900px wide in 320px" in found
    assert any(p.startswith('the first Tab reaches <body style="margin: 0"><main>') for p in found), found
    assert any(p.startswith("text spacing at 320px: clipped: p shows") and "A sentence far too long" in p for p in found), found
    assert any(p.startswith('200% zoom: overlap: "Under" (p) and "Over" (p)') for p in found), found
