"""Search with Pagefind's JavaScript API: results as you type, in the page's language, filters by
type, the header form's ?q=, accents, and a message when JavaScript is off."""

from __future__ import annotations

import re

import pytest

from .visit import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def results(page) -> list[dict]:
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-search-results] .result')].map(r => ({"
        " href: r.querySelector('a').getAttribute('href'), title: r.querySelector('a').textContent,"
        " type: (r.querySelector('.result-type') || {}).textContent || '',"
        " excerpt: (r.querySelector('.result-excerpt') || {}).innerHTML || ''}))"
    )


def wait_for_status(page, pattern: str):
    """The status once it matches and no search is under way (the list is not aria-busy): the results are the last search's.

    A search sets the address and aria-busy in one step and clears aria-busy when its results are shown, so after a
    filter changes the address, a status left by the search before it is not taken for the new one's."""
    page.wait_for_function(
        "re => !document.querySelector('[data-search-results]').hasAttribute('aria-busy')"
        " && new RegExp(re).test(document.querySelector('[data-search-status]').textContent)", arg=pattern, timeout=10000
    )
    return page.text_content("[data-search-status]")


def test_typing_finds_the_partner_page(visit):
    v = visit("/search/", DESKTOP)
    page = v.page
    assert page.locator("[data-no-js]").is_hidden()
    assert page.locator("[data-search-types]").is_visible()
    page.locator("#search-q").press_sequentially("Inserm", delay=30)
    status = wait_for_status(page, r"\d+ results? for \W*Inserm\W")  # not the results of a word half typed
    found = results(page)
    assert any(r["href"] == "/partners/inserm/" for r in found), found
    assert all(not r["href"].startswith("/fr/") for r in found)
    total = int(re.search(r"(\d+) results? for", status).group(1))
    assert len(found) == min(total, 20), f"{len(found)} results shown, {total} announced: {status!r}"
    # Excerpts keep Pagefind's <mark> and nothing else.
    assert any("<mark>" in r["excerpt"] for r in found)
    assert all(re.sub(r"</?mark>", "", r["excerpt"]).count("<") == 0 for r in found)
    page.wait_for_url(re.compile(r"[?&]q=Inserm(&|$)"), timeout=10000)
    assert v.problems() == []


def test_the_first_result_shows_while_the_others_are_still_loading(visit):
    """Results show one by one as their data arrives (in order): on a slow network the first does not wait for the
    twentieth. Here every result's data but the first is held back, then let through."""
    v = visit("/search/", DESKTOP)
    page = v.page
    seen, held, released = [], [], []

    def hold_all_but_the_first(route):
        seen.append(route.request.url)
        if len(seen) == 1 or released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/*.pf_fragment", hold_all_but_the_first)
    page.fill("#search-q", "immunology")
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] .result').length === 1", timeout=10000)
    page.wait_for_timeout(300)
    assert page.locator("[data-search-results] .result").count() == 1
    assert page.text_content("[data-search-status]") == ""
    assert page.get_attribute("[data-search-results]", "aria-busy") == "true"
    assert held, "the other results' data were asked for at once"
    released.append(True)
    for route in held:
        route.continue_()
    status = wait_for_status(page, r"\d+ results? for")
    total = int(re.search(r"(\d+) results? for", status).group(1))
    assert total > 1 and page.locator("[data-search-results] .result").count() == min(total, 20)
    assert page.get_attribute("[data-search-results]", "aria-busy") is None
    assert v.problems() == []


def test_french_search_returns_french_pages(visit):
    v = visit("/fr/recherche/", PHONE)
    page = v.page
    page.fill("#search-q", "fondateurs")
    status = wait_for_status(page, r"\d+ résultats? pour")
    assert "fondateurs" in status
    found = results(page)
    assert found and all(r["href"].startswith("/fr/") for r in found), found
    assert any(r["href"] == "/fr/actualites/membres-fondateurs/" for r in found)
    assert v.problems() == []


def test_accents_are_folded(visit):
    """'therapie' typed without its accent finds pages that say 'thérapie(s)'."""
    v = visit("/fr/recherche/?q=therapie", DESKTOP)
    page = v.page
    wait_for_status(page, r"\d+ résultats? pour")
    excerpts = " ".join(r["excerpt"] for r in results(page))
    assert re.search(r"<mark>[^<]*thérapie", excerpts, re.IGNORECASE), excerpts[:500]


def test_type_filter_narrows_results(visit):
    v = visit("/search/?q=Inserm", DESKTOP)
    page = v.page
    status = wait_for_status(page, r"\d+ results? for")
    everything = results(page)
    assert {r["type"] for r in everything} >= {"Partner", "News"}, everything
    page.check("input[name=type][value='Partner']")
    page.wait_for_function("n => document.querySelectorAll('[data-search-results] .result').length < n", arg=len(everything))
    wait_for_status(page, r"\d+ results? for")
    partners = results(page)
    assert partners and {r["type"] for r in partners} == {"Partner"}
    assert "type=Partner" in page.url
    assert status != page.text_content("[data-search-status]")


def test_header_search_submits_to_the_search_page(visit):
    v = visit("/fr/", DESKTOP)
    page = v.page
    page.fill("#header-q", "plateformes")
    page.press("#header-q", "Enter")
    page.wait_for_url(re.compile(r"/fr/recherche/\?q=plateformes"))
    wait_for_status(page, r"\d+ résultats? pour")
    assert page.input_value("#search-q") == "plateformes"
    assert results(page)


def test_nothing_found_is_announced(visit):
    v = visit("/search/?q=zzqxjv", DESKTOP)
    status = wait_for_status(v.page, r"No results")
    assert "zzqxjv" in status
    assert results(v.page) == []


@pytest.mark.parametrize("path", ["/search/", "/fr/recherche/"])
def test_without_javascript_a_message_is_shown(visit, path):
    v = visit(path, PHONE, js=False)
    page = v.page
    assert page.locator("[data-no-js]").is_visible()
    assert page.locator("[data-search-types]").is_hidden()
    assert page.locator("[data-no-js] a").count() >= 3


def test_long_result_lists_come_in_pages(visit):
    v = visit("/search/?q=MIB", DESKTOP)
    page = v.page
    status = wait_for_status(page, r"\d+ results? for")
    total = int(re.search(r"(\d+) result", status).group(1))
    if total <= 20:
        pytest.skip("fewer than 21 results: nothing to page")
    assert page.locator(".result").count() == 20
    page.click(".search-more")
    page.wait_for_function("n => document.querySelectorAll('.result').length === n", arg=min(total, 40))
    # Focus moves to the first new result, so keyboard users carry on where they were.
    assert page.evaluate("document.activeElement.closest('.result') === document.querySelectorAll('.result')[20]")
    assert v.problems() == []


def test_tag_filter(visit):
    v = visit("/fr/recherche/?q=financement", DESKTOP)
    page = v.page
    wait_for_status(page, r"\d+ résultats? pour")
    before = len(results(page))
    page.locator('[data-search-select-row="tag"]').wait_for()  # shown once the index's filter values load, after the first results
    tags = page.eval_on_selector_all("#search-tag option", "options => options.map(o => o.value).filter(Boolean)")
    assert "financement" in tags
    page.select_option("#search-tag", "financement")
    page.wait_for_url(re.compile(r"tag=financement"))
    wait_for_status(page, r"\d+ résultats? pour")
    after = results(page)
    assert 0 < len(after) <= before
    assert all(r["href"].startswith("/fr/actualites/") for r in after), after
