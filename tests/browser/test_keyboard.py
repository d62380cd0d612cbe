"""Keyboard only: the first Tab reaches the skip link, which is visible, and Enter moves focus to <main>; journeys
to the search, the language switch, the display settings and a partner filter and back, the focus always visible;
Tab goes through every control once and out again (no trap)."""

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


# What the focused element is, and whether a reader sees where the focus is: an outline of at least 2px on it or on
# the box drawn around it (a card outlines itself when its link has the focus), inside the window.
FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  let ring = false;
  for (let box = e; box && box !== document.body && !ring; box = box.parentElement) {
    const s = getComputedStyle(box);
    ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  }
  const r = e.getBoundingClientRect();
  const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  const label = (e.getAttribute('aria-label') || e.innerText || e.value || e.name || '').trim().slice(0, 40);
  return {tag: e.tagName, id: e.id, cls: e.className && String(e.className), label, href: e.getAttribute('href'),
          name: e.name || null, visible: ring && inView};
}"""
# Every element the Tab key should reach, in the order it should: links, buttons, fields (one per radio group).
TABBABLE = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
  .filter(e => !e.disabled && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
               && !(e.type === 'radio' && !e.checked)).length"""


def press(page, key: str) -> dict:
    """Press a key; what has the focus then, which must be visible."""
    page.keyboard.press(key)
    focus = page.evaluate(FOCUS)
    assert focus is not None and focus["visible"], f"after {key} the focus is not visible: {focus}"
    return focus


def tab_until(page, wanted, key: str = "Tab", limit: int = 80) -> dict:
    """Press Tab (or Shift+Tab) until `wanted(focus)`; every stop on the way shows its focus."""
    for _ in range(limit):
        focus = press(page, key)
        if wanted(focus):
            return focus
    raise AssertionError(f"{limit} presses of {key} did not reach the element")


@pytest.mark.parametrize(("path", "search", "other_language", "theme_dark"), [
    ("/", "header-q", "Français", "Dark"), ("/fr/actualites/", "header-q", "English", "Sombre")])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_keyboard_journey_through_the_header_and_back(visit, path, search, other_language, theme_dark, width):
    """From the top: the search field, the language switch, the display settings (opened, a theme chosen with the
    arrow keys, closed with Escape), then Shift+Tab all the way back to the skip link, the focus always visible."""
    v = visit(path, width)
    page = v.page
    assert press(page, "Tab")["cls"] == "skip-link"
    tab_until(page, lambda f: f["id"] == search)
    page.keyboard.type("immunotherapy")
    tab_until(page, lambda f: f["tag"] == "A" and f["label"].endswith(other_language))
    tab_until(page, lambda f: f["cls"] == "settings-button")
    page.keyboard.press("Enter")
    assert page.get_attribute(".settings-button", "aria-expanded") == "true"
    assert press(page, "Tab")["name"] == "theme"
    press(page, "ArrowUp")  # from "System" to "Dark": arrow keys choose within the group
    assert page.get_by_label(theme_dark, exact=True).is_checked()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert press(page, "Escape")["cls"] == "settings-button"
    assert page.locator("#display-settings").is_hidden()
    tab_until(page, lambda f: f["cls"] == "skip-link", key="Shift+Tab")
    assert page.input_value("#header-q") == "immunotherapy"
    assert v.problems() == []


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_partner_filter_is_reached_and_used_with_the_keyboard(visit, width):
    v = visit("/partners/", width)
    page = v.page
    tab_until(page, lambda f: f["href"] == "#hospital")
    page.keyboard.press("Enter")
    groups = page.locator(".partner-group")
    shown = {groups.nth(i).get_attribute("data-type"): groups.nth(i).is_visible() for i in range(groups.count())}
    assert shown["hospital"] and not any(on for kind, on in shown.items() if kind != "hospital"), shown
    # The next Tab goes on from the filter (into the filters, then the hospitals shown), never into a hidden group.
    focus = tab_until(page, lambda f: f["href"] and "/partners/" in f["href"] and f["href"] != "/partners/")
    assert page.evaluate("document.activeElement.closest('.partner-group').dataset.type") == "hospital"
    assert focus["visible"]


@pytest.mark.parametrize("path", ["/", "/partners/", "/fr/recherche/"])
def test_tab_goes_through_every_control_once_and_out_again(visit, path):
    """No keyboard trap: Tab from the top visits each control of the page once, in order, and comes back round to
    the skip link (the whole page, the browser's own controls aside)."""
    v = visit(path, DESKTOP)
    page = v.page
    if page.locator("[data-search-form]").count():  # the search page shows its tag and state filters once they load
        page.locator("[data-search-form][data-search-filters=ready]").wait_for(state="attached", timeout=10_000)
    expected = page.evaluate(TABBABLE)
    first = press(page, "Tab")
    assert first["cls"] == "skip-link"
    stops = [first]
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue  # past the last control, the focus leaves the page for a moment
        assert focus["visible"], f"the focus is not visible on {focus}"
        if focus == first:
            break
        stops.append(focus)
    else:
        raise AssertionError(f"Tab never came back to the skip link after {len(stops)} stops")
    assert len(stops) == expected, f"{len(stops)} stops for {expected} controls"
