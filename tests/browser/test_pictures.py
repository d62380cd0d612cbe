"""Pictures in a browser (issue 20, point 6): nothing moves while they load, a phone fetches a small copy, 0 axe violations.

On a copy of the real site with one article bundle holding a lead photo and three photos in its body.
"""

from __future__ import annotations

import pytest
from pictures import photo
from support import copy_real_site, run_build

from sitegen.publish.derivatives import modern_formats

from .siteserver import SiteServer
from .test_html_valid import errors, nu
from .visit import DESKTOP, PHONE, Visit, describe_violations, run_axe

pytestmark = pytest.mark.browser

PAGE = "/news/lab-photos/"
PARAGRAPH = "The benches of the new laboratory, from the door to the windows. " * 12
ARTICLE = f"""---
title: "The new laboratory in photos"
date: 2025-06-02
image: hall.jpg
image_alt: "The hall of the laboratory"
image_credit: "© Sample photographer"
---
{PARAGRAPH}

![Pipettes on a bench](pipettes.jpg)

{PARAGRAPH}

![A microscope by the window](microscope.jpg)

{PARAGRAPH}

![The cold room](cold-room.jpg)

{PARAGRAPH}
"""
# Layout shift as the browser counts it (Lighthouse's CLS adds the same entries): an observer installed
# before the page's first byte, so every shift of the visit is seen.
OBSERVE_JS = """window.__shift = 0;
window.__observer = new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; });
window.__observer.observe({type: 'layout-shift', buffered: true});"""
SCROLL_JS = """async () => {
  for (const img of document.images) img.loading = 'eager';
  window.scrollTo(0, document.body.scrollHeight);
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
}"""
SHIFT_JS = """() => { for (const e of window.__observer.takeRecords()) if (!e.hadRecentInput) window.__shift += e.value; return window.__shift; }"""


def layout_shift(v: Visit) -> float:
    """The layout shift of a visit: the page as loaded, then scrolled to its end with every image loaded.

    A shift is reported some frames after it is shown: the waits let the browser report it (nothing is timed).
    """
    v.page.wait_for_timeout(500)
    v.page.evaluate(SCROLL_JS)
    v.page.wait_for_timeout(500)
    return v.page.evaluate(SHIFT_JS)


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    """A copy of the real site with the photo article, built and served: (its public/ folder, its address)."""
    site = copy_real_site(tmp_path_factory.mktemp("photos") / "site")
    bundle = site / "content/news/lab-photos"
    bundle.mkdir()
    (bundle / "index.md").write_text(ARTICLE, encoding="utf-8")
    for name, size in (("hall.jpg", (3000, 2000)), ("pipettes.jpg", (2400, 1600)), ("microscope.jpg", (1600, 2400)), ("cold-room.jpg", (1200, 900))):
        (bundle / name).write_bytes(photo(*size, camera=True))
    done = run_build(site, "-q", search=True, timeout=600)
    assert done.returncode == 0, str(done)
    with SiteServer(site / "public") as server:
        yield site / "public", server.origin


@pytest.fixture
def visit(browser, photo_site):
    """visit(width) -> the photo article opened at that width; closed after the test."""
    opened: list[Visit] = []

    def open_page(width: int) -> Visit:
        opened.append(Visit(browser, photo_site[1], width))
        opened[-1].page.add_init_script(OBSERVE_JS)
        opened[-1].goto(PAGE)
        return opened[-1]

    yield open_page
    for v in opened:
        v.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_nothing_moves_while_the_photos_load(visit, width):
    v = visit(width)
    assert layout_shift(v) == 0
    assert v.problems() == []


@pytest.mark.parametrize(("width", "chosen"), [(PHONE, 480), (DESKTOP, 960)])
def test_the_browser_fetches_the_copy_its_screen_needs(visit, width, chosen):
    """At 375 px the lead photo (3000 px wide) comes as its 480-pixel copy, at 1280 px as its 960-pixel one, in the best format."""
    v = visit(width)
    source = v.page.evaluate("() => document.querySelector('.lead-image img').currentSrc")
    assert source == f"{v.base_url}{PAGE}hall.{chosen}.{modern_formats()[0].lower()}"
    assert v.page.evaluate("() => document.querySelector('.lead-image img').loading") == "auto"
    assert v.page.evaluate("() => [...document.querySelectorAll('.prose img')].map(i => i.loading)") == ["lazy"] * 3


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_photo_article_has_no_axe_violation(visit, axe_source, width):
    v = visit(width)
    violations = run_axe(v.page, axe_source)
    assert not violations, describe_violations(violations)
    assert v.page.evaluate("() => document.querySelector('.lead-image figcaption').textContent") == "© Sample photographer"


def test_the_layout_shift_probe_sees_an_image_without_its_size(visit):
    """The probe above is not blind: the same photo without width and height, put above the title, moves the text below it."""
    v = visit(PHONE)
    v.page.evaluate("() => { const img = document.createElement('img'); img.alt = ''; img.id = 'unsized'; document.querySelector('h1').before(img); }")
    v.page.wait_for_timeout(500)  # shown empty first, as a slow network shows it
    v.page.evaluate("src => { document.getElementById('unsized').src = src; }", f"{v.base_url}{PAGE}hall.480.jpg")
    assert layout_shift(v) > 0


def test_the_photo_article_is_valid_html(photo_site):
    """<picture>, <source sizes>, fetchpriority and the figure as the Nu HTML Checker reads them."""
    public = photo_site[0]
    found = errors(nu(str(public / PAGE.strip("/") / "index.html")), public)
    assert found == [], "\n".join(found)
