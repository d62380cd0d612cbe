"""The agenda's pages with items (the real site has none: its empty listings are in test_pages.FIXED), on the minimal sample
site with tests/sites/agenda laid over it: the same checks as every page type, in both languages, at 375px and 1280px."""

from __future__ import annotations

import re

import pytest
from support import SITES, make_site, run_build

from .siteserver import SiteServer
from .test_pages import check_page
from .test_search import results, wait_for_status
from .visit import DESKTOP, PHONE, Visit, visits

pytestmark = pytest.mark.browser

AGENDA = SITES / "agenda"
PAGES = [
    ("en", "home", "/"),
    ("en", "events", "/events/"),
    ("en", "event", "/events/antibody-symposium/"),
    ("en", "online-event", "/events/online-webinar/"),
    ("en", "events-year", "/events/2025/"),
    ("en", "calls", "/calls/"),
    ("en", "call", "/calls/seed-grants/"),
    ("en", "job", "/jobs/postdoc-antibodies/"),
    ("en", "closed-job", "/jobs/lab-technician/"),
    ("en", "partner", "/partners/sample-university/"),
    ("fr", "home", "/fr/"),
    ("fr", "event", "/fr/evenements/symposium-sur-les-anticorps/"),
    ("fr", "call", "/fr/appels/bourses-d-amorcage/"),
    ("fr", "jobs", "/fr/emplois/"),
]


@pytest.fixture(scope="module")
def agenda_site(tmp_path_factory):
    """The minimal site with the agenda's examples, built (search index included) and served: (its public/ folder, its address)."""
    files = {p.relative_to(AGENDA).as_posix(): p.read_bytes() for p in sorted(AGENDA.rglob("*.md"))}
    site = make_site(tmp_path_factory.mktemp("agenda"), files)
    done = run_build(site, "-q", search=True, timeout=600)
    assert done.returncode == 0, str(done)
    with SiteServer(site / "public") as server:
        yield site / "public", server.origin


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize(("lang", "kind", "path"), PAGES)
def test_agenda_page(browser, tabs, axe_source, agenda_site, lang, kind, path, width):
    """No axe violation, no console error or failed request, no sideways scrolling, one h1, a language switch."""
    check_agenda_page(browser, tabs, axe_source, agenda_site, lang, kind, path, width, "light")


@pytest.mark.parametrize(("kind", "path"), [("home", "/"), ("calls", "/calls/"), ("event", "/events/antibody-symposium/")])
def test_agenda_page_in_dark_scheme(browser, tabs, axe_source, agenda_site, kind, path):
    """The state badges and cards keep their contrast in the dark scheme."""
    check_agenda_page(browser, tabs, axe_source, agenda_site, "en", kind, path, DESKTOP, "dark")


def check_agenda_page(browser, tabs, axe_source, agenda_site, lang, kind, path, width, scheme):
    """check_page on the sample agenda site's server, in the module's tabs."""
    site_dir, origin = agenda_site
    visit, opened = visits(browser, tabs, origin)
    try:
        check_page(visit, site_dir, axe_source, lang, f"agenda-{kind}", width, scheme, path=path)
    finally:
        for v in opened:
            v.close()


def test_search_finds_agenda_items_by_type_and_state(browser, agenda_site):
    """Searching 'grants' with the type 'Call for projects' and the state 'Closing soon' finds the seed grants alone."""
    _, origin = agenda_site
    v = Visit(browser, origin, DESKTOP)
    try:
        v.goto("/search/?q=grants")
        page = v.page
        wait_for_status(page, r"\d+ results? for")
        page.check('input[name=type][value="Call for projects"]')
        page.locator('[data-search-select-row="state"]').wait_for()  # shown once the index's filter values load, after the first results
        states = page.eval_on_selector_all("#search-state option", "options => options.map(o => o.value).filter(Boolean)")
        assert "Closing soon" in states and "Open" in states
        page.select_option("#search-state", "Closing soon")
        page.wait_for_url(re.compile(r"state=Closing\+soon"))
        wait_for_status(page, r"1 result for")
        assert [r["href"] for r in results(page)] == ["/calls/seed-grants/"]
        assert v.problems() == []
    finally:
        v.close()
