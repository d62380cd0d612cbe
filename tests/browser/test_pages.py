"""Every page type, in both languages, on a phone (375px) and a desktop (1280px): no accessibility
violations (axe-core, WCAG 2.1 A and AA), no console errors, no failed or external requests, no
horizontal scrolling, no cookies, exactly one h1. A full-page screenshot of each is kept when asked for
(TEST_SCREENSHOTS=1).

The pages open in the module's browser tabs, one per width and scheme (the `tabs` fixture of conftest.py); no test
here changes what a context keeps but cookies (checked, then cleared): none chooses a display setting, the only
thing the site stores."""

from __future__ import annotations

import pytest
from support import copy_real_site, run_build

from .siteserver import SiteServer
from .visit import DESKTOP, KEEP_SCREENSHOTS, PHONE, SCREENSHOTS, describe_violations, links_in, run_axe, visits

pytestmark = pytest.mark.browser

LANGS = {"en": "", "fr": "/fr"}

# Page types whose address is fixed: in English, and in French (its words, and its pages' own names).
FIXED = {
    "home": ("/", "/fr/"),
    "news": ("/news/", "/fr/actualites/"),
    "tags": ("/tags/", "/fr/mots-cles/"),
    "partners": ("/partners/", "/fr/partenaires/"),
    "platforms": ("/platforms/", "/fr/plateformes/"),
    "funding": ("/funding/", "/fr/financement/"),
    "about": ("/about/", "/fr/a-propos/"),
    "contact": ("/contact/", "/fr/contact/"),
    "legal-notice": ("/legal-notice/", "/fr/mentions-legales/"),
    "accessibility": ("/accessibility/", "/fr/accessibilite/"),
    "privacy": ("/privacy/", "/fr/confidentialite/"),
    "search": ("/search/", "/fr/recherche/"),
    "site-map": ("/sitemap/", "/fr/plan-du-site/"),
    "events": ("/events/", "/fr/evenements/"),  # the real site has no event, call or job: their empty listings
    "calls": ("/calls/", "/fr/appels/"),
    "jobs": ("/jobs/", "/fr/emplois/"),
}
# Page types found in the built site (the content decides which exist): the listing they are linked from, and their pattern.
FOUND = {
    "news-page-2": ("news", r"{news}page/2/"),
    "year": ("news", r"{news}\d{{4}}/"),
    "article": ("news", r"{news}(?!page/|\d{{4}}/)[^/]+/"),
    "tag": ("tags", r"{tags}[^/]+/"),
    "partner": ("partners", r"{partners}[^/]+/"),
    "platform": ("platforms", r"{platforms}[^/]+/"),  # on a copy of the site with a sample platform
}
PAGE_TYPES = [*FIXED, *(kind for kind in FOUND if kind != "platform"), "404"]


def page_path(site_dir, lang: str, kind: str) -> str:
    column = list(LANGS).index(lang)
    if kind in FIXED:
        return FIXED[kind][column]
    if kind == "404":
        return LANGS[lang] + "/no-such-page/"
    listing, pattern = FOUND[kind]
    found = links_in(site_dir, FIXED[listing][column], pattern.format(**{key: FIXED[key][column] for key in FIXED}))
    if not found:
        pytest.skip(f"the site has no {kind} page in {lang}")
    return found[0]


@pytest.fixture
def visit(browser, base_url, tabs):
    """The conftest's visit(), in the module's tabs."""
    open_page, opened = visits(browser, tabs, base_url)
    yield open_page
    for v in opened:
        v.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("kind", PAGE_TYPES)
@pytest.mark.parametrize("lang", list(LANGS))
def test_page(visit, site_dir, axe_source, lang, kind, width):
    check_page(visit, site_dir, axe_source, lang, kind, width, "light")


DARK = [
    (kind, DESKTOP)
    for kind in ("home", "news", "article", "tag", "partners", "partner", "platforms", "funding", "about", "search", "404")
]
DARK += [(kind, PHONE) for kind in ("home", "article", "partners", "funding", "about")]


@pytest.mark.parametrize(("kind", "width"), DARK)
def test_page_in_dark_scheme(visit, site_dir, axe_source, kind, width):
    """The dark scheme (prefers-color-scheme: dark) passes the same checks, contrast included."""
    check_page(visit, site_dir, axe_source, "en", kind, width, "dark")


# The real site lists no platform yet (the source names none): its page is checked on a copy that has one.
SAMPLE_PLATFORM = """- id: sample-platform
  name: {en: "Sample platform (browser tests)", fr: "Plateforme exemple (tests du navigateur)"}
  status: planned
  summary: {en: "A platform made up for the browser tests.", fr: "Une plateforme inventée pour les tests du navigateur."}
  partners: [amu]
"""


@pytest.fixture(scope="module")
def platform_site(tmp_path_factory):
    """A copy of the real site with one sample platform, built and served: (its public/ folder, its address)."""
    site = copy_real_site(tmp_path_factory.mktemp("platform") / "site")
    (site / "content/data/platforms.yaml").write_text(SAMPLE_PLATFORM, encoding="utf-8")
    done = run_build(site, "-q", search=True, timeout=600)
    assert done.returncode == 0, str(done)
    with SiteServer(site / "public") as server:
        yield site / "public", server.origin


@pytest.mark.parametrize(("lang", "width", "scheme"), [
    ("en", PHONE, "light"), ("en", DESKTOP, "light"), ("fr", PHONE, "light"), ("fr", DESKTOP, "light"), ("en", DESKTOP, "dark")])
def test_platform_page(browser, tabs, axe_source, platform_site, lang, width, scheme):
    site_dir, origin = platform_site
    visit, opened = visits(browser, tabs, origin)
    try:
        check_page(visit, site_dir, axe_source, lang, "platform", width, scheme)
    finally:
        for v in opened:
            v.close()


def check_page(visit, site_dir, axe_source, lang, kind, width, scheme, path: str = ""):
    path = path or page_path(site_dir, lang, kind)
    v = visit(path, width, scheme=scheme, expect_status=404 if kind == "404" else 200)
    page = v.page
    where = f"{path} at {width}px ({scheme})"
    assert page.url.endswith(path) and page.locator('meta[http-equiv="refresh"]').count() == 0, f"{where} is a redirect"

    if KEEP_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        suffix = "" if scheme == "light" else f"-{scheme}"
        page.screenshot(path=str(SCREENSHOTS / f"{lang}-{kind}-{width}{suffix}.png"), full_page=True)

    violations = run_axe(page, axe_source)
    assert not violations, f"{where}:\n{describe_violations(violations)}"
    assert v.problems() == [], where

    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").count() == 1, f"{where}: expected exactly one h1"
    overflow = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert overflow[0] <= overflow[1], f"{where} scrolls sideways: {overflow[0]}px wide in {overflow[1]}px"
    assert v.context.cookies() == [], f"{where} set cookies"
    # Images carry their size, so nothing jumps while they load.
    unsized = page.evaluate("() => [...document.images].filter(i => !i.getAttribute('width') || !i.getAttribute('height')).map(i => i.src)")
    assert unsized == [], f"{where}: images without width and height"
    # Links to the other language say which language they lead to.
    switch = page.locator(".lang-switch a").all()
    assert switch, f"{where}: no language switch"
    for link in switch:
        assert link.get_attribute("lang") and link.get_attribute("hreflang"), f"{where}: language link without lang/hreflang"


def test_axe_reports_a_known_violation(browser, axe_source):
    """The checker itself works: a page with a missing alt and an unnamed button fails."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1">'
            '<button></button><p style="color:#bbb;background:#fff">Low contrast</p></main></body></html>'
        )
        found = {v["id"] for v in run_axe(page, axe_source)}
    finally:
        context.close()
    assert {"image-alt", "button-name", "color-contrast"} <= found


@pytest.mark.parametrize(("old", "new"), [("/fr/news/official-launch/", "/fr/actualites/lancement-officiel/"),
                                          ("/fr/partners/amu/", "/fr/partenaires/amu/")])
def test_an_untranslated_address_lands_on_the_french_page(visit, old, new):
    """A French page's address from before French addresses still leads a reader to the page (the HTML fallback)."""
    v = visit(old, PHONE)
    v.page.wait_for_url(f"**{new}")
    assert v.page.evaluate("document.documentElement.lang") == "fr" and v.page.locator("h1").count() == 1
