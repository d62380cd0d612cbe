"""The display settings (issue 23, point 3): light, dark or the system's theme, chosen in a panel reachable from
every page's header, remembered on this device, set before the page is first drawn, and the system's theme
without JavaScript."""

from __future__ import annotations

import pytest

from .visit import DESKTOP, PHONE

pytestmark = pytest.mark.browser

LIGHT_BG, DARK_BG = "rgb(255, 255, 255)", "rgb(13, 23, 30)"  # --bg of each theme in style.css
BODY_BG = "getComputedStyle(document.body).backgroundColor"
# Recorded while the page loads: the theme at the moment <body> is first in the document (nothing of it drawn yet).
RECORD_THEME_AT_BODY = """
new MutationObserver((changes, observer) => {
  if (document.body) { window.__themeAtBody = document.documentElement.dataset.theme || "system"; observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""


def background_becomes(page, colour: str) -> bool:
    """True once the page's background is `colour` (colour changes fade for 0.2 s unless motion is reduced)."""
    page.wait_for_function(f"colour => {BODY_BG} === colour", arg=colour, timeout=3000)
    return True


def choose(page, label: str) -> None:
    """Open the panel with the header's button, pick a theme by its label."""
    if page.get_attribute(".settings-button", "aria-expanded") != "true":
        page.click(".settings-button")
    page.get_by_label(label, exact=True).check()


def test_without_javascript_the_system_theme_applies_and_no_control_is_offered(visit):
    v = visit("/", DESKTOP, js=False, scheme="dark")
    page = v.page
    assert page.evaluate(BODY_BG) == DARK_BG
    assert not page.locator(".settings-button").is_visible() and not page.locator("#display-settings").is_visible()
    v = visit("/partners/", PHONE, js=False, scheme="light")
    assert v.page.evaluate(BODY_BG) == LIGHT_BG


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_chosen_theme_applies_at_once_and_on_every_later_page_before_it_is_drawn(visit, width):
    v = visit("/", width, scheme="light")
    page = v.page
    button = page.locator(".settings-button")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert page.get_by_label("System (as your device)", exact=True).is_checked()
    choose(page, "Dark")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.documentElement.dataset.theme") == "dark" and background_becomes(page, DARK_BG)

    page.add_init_script(RECORD_THEME_AT_BODY)
    v.goto("/fr/partenaires/")
    assert page.evaluate("window.__themeAtBody") == "dark", "the theme must be set before <body> exists"
    assert page.evaluate(BODY_BG) == DARK_BG
    assert page.get_by_label("Sombre", exact=True).is_checked() and page.locator("#display-settings").is_hidden()

    choose(page, "Système (comme votre appareil)")
    assert page.evaluate("document.documentElement.dataset.theme") is None and background_becomes(page, LIGHT_BG)
    assert page.evaluate("localStorage.length") == 0, "the system's theme stores nothing"
    v.goto("/news/")
    assert page.evaluate("window.__themeAtBody") == "system" and page.evaluate(BODY_BG) == LIGHT_BG
    assert v.problems() == [] and v.context.cookies() == []


def test_light_overrides_a_dark_system_and_another_tab_follows(visit):
    v = visit("/", DESKTOP, scheme="dark")
    page = v.page
    assert page.evaluate(BODY_BG) == DARK_BG
    other = v.context.new_page()
    other.goto(v.base_url + "/news/")
    choose(page, "Light")
    assert background_becomes(page, LIGHT_BG) and background_becomes(other, LIGHT_BG)


def test_escape_closes_the_panel_and_leaves_the_focus_on_its_button(visit):
    v = visit("/search/", DESKTOP)
    page = v.page
    page.focus(".settings-button")
    page.keyboard.press("Enter")
    assert page.locator("#display-settings").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "theme"
    page.keyboard.press("Escape")
    assert page.locator("#display-settings").is_hidden()
    assert page.evaluate("document.activeElement.className") == "settings-button"
    assert page.get_attribute(".settings-button", "aria-expanded") == "false"


def test_colour_changes_are_animated_only_for_readers_who_do_not_ask_for_less_motion(browser, base_url):
    """prefers-reduced-motion: reduce leaves no transition; otherwise switching themes fades for 0.2 s."""
    found = {}
    for motion in ("reduce", "no-preference"):
        context = browser.new_context(reduced_motion=motion)
        try:
            page = context.new_page()
            page.goto(base_url + "/", wait_until="load")
            found[motion] = page.evaluate("getComputedStyle(document.body).transitionDuration")
        finally:
            context.close()
    assert found == {"reduce": "0s", "no-preference": "0.2s, 0.2s"}
