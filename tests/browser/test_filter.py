"""The partners directory filters by type: instantly with JavaScript, and with anchors and CSS
(:target + :has) when JavaScript is off."""

from __future__ import annotations

import pytest

from .visit import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def visible_groups(page) -> dict[str, bool]:
    """Each partner type's group on the page, and whether it is shown (the real site has at least three)."""
    groups = page.locator(".partner-group")
    shown = {groups.nth(i).get_attribute("data-type"): groups.nth(i).is_visible() for i in range(groups.count())}
    assert len(shown) >= 3, f"the partners page has {len(shown)} groups"
    return shown


def test_filter_with_javascript(visit):
    v = visit("/partners/", DESKTOP)
    page = v.page
    shown = visible_groups(page)
    assert "hospital" in shown and all(shown.values())

    page.click("a[data-filter='hospital']")
    shown = visible_groups(page)
    assert shown["hospital"] and not any(on for kind, on in shown.items() if kind != "hospital"), shown
    assert page.get_attribute("a[data-filter='hospital']", "aria-current") == "true"
    assert page.locator("a[data-filter][aria-current]").count() == 1
    assert page.evaluate("location.hash") == "#hospital"
    assert page.evaluate("scrollY") == 0, "filtering with JavaScript must not jump down the page"

    page.click("a[data-filter='industry']")
    shown = visible_groups(page)
    assert shown["industry"] and not shown["hospital"]

    page.click("a[data-filter='all']")
    assert all(visible_groups(page).values())
    assert page.get_attribute("a[data-filter='all']", "aria-current") == "true"
    assert v.problems() == []


def test_filter_honours_the_address_on_load(visit):
    v = visit("/fr/partenaires/#industry", PHONE)
    shown = visible_groups(v.page)
    assert shown["industry"] and not any(on for kind, on in shown.items() if kind != "industry"), shown
    assert v.page.get_attribute("a[data-filter='industry']", "aria-current") == "true"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_filter_without_javascript(visit, width):
    v = visit("/partners/#hospital", width, js=False)
    page = v.page
    shown = visible_groups(page)
    assert shown["hospital"] and not any(on for kind, on in shown.items() if kind != "hospital"), shown

    # Following another type's link (a plain anchor) shows that type only.
    page.click("a[data-filter='ecosystem']")
    page.wait_for_function("() => location.hash === '#ecosystem'")
    shown = visible_groups(page)
    assert shown["ecosystem"] and not any(on for kind, on in shown.items() if kind != "ecosystem"), shown

    page.click("a[data-filter='all']")
    page.wait_for_function("() => location.hash === '#all'")
    assert all(visible_groups(page).values())


def test_no_filter_shows_everything_without_javascript(visit):
    v = visit("/partners/", DESKTOP, js=False)
    assert all(visible_groups(v.page).values())
