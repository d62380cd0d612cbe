"""The browser editor driven in Chromium: Decap CMS at /admin/ of `build.py serve`, as an editor uses it.

The tests on the minimal sample site share one copy of it and one preview (started once per module:
building and serving it is most of a test's time); each test gets its own Chromium context, logged into
the CMS afresh, and puts back the files it changed (waiting for the rebuild that follows), so each starts
from the sample site as it is. Each clicks through the CMS, then reads the files on disk and the rebuilt
pages (waiting on the preview's event stream for each build). Nothing leaves 127.0.0.1: every other
request is aborted and counted.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from functools import partial

import pytest
import yaml
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from support import copy_real_site, make_site, run_build, run_cli, start_preview, tree
from test_editor_tools import Builds

from sitegen.model.config import load_config
from sitegen.problems import Problems
from sitegen.publish.admin import admin_policy
from sitegen.publish.hosting import security_headers
from sitegen.tools.cms_config import API_PATH

from .siteserver import QuietServer, SiteHandler

pytestmark = pytest.mark.browser
EDITED = ("content", "static/images/uploads")  # what the CMS may change


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The preview of one copy of the minimal site and its event stream, for every test of the module."""
    site = make_site(tmp_path_factory.mktemp("cms"))
    server = start_preview(site)
    builds = Builds(server.base)
    yield site, server, builds
    builds.close()
    server.stop()


@pytest.fixture
def cms(preview, browser):
    """The shared preview, and a Chromium page logged into the CMS (no request leaves the machine); the files the test changed put back."""
    site, server, builds = preview
    before = {folder: tree(site / folder) for folder in EDITED}
    try:
        yield from _logged_in(site, server, builds, browser)
    finally:
        if _restore(site, before):
            builds.wait()  # the rebuild of the files put back: the next test starts from the sample site


@pytest.fixture
def real_cms(tmp_path, browser):
    """The same on a copy of the real site, with its own preview."""
    site = copy_real_site(tmp_path / "site")
    server = start_preview(site)
    builds = Builds(server.base)
    try:
        yield from _logged_in(site, server, builds, browser)
    finally:
        builds.close()
        server.stop()


def _logged_in(site, server, builds, browser):
    """A Chromium page logged into the CMS of a preview (no request leaves the machine)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.base + "/")
                  else (outside.append(route.request.url), route.abort("blockedbyclient")))
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Are you sure you want to delete...?"
    page.events = []  # what went wrong in the page, named by a step that times out (see explained)
    page.on("pageerror", lambda error: page.events.append(f"page error: {error}"))
    page.on("console", lambda message: page.events.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("response", lambda response: page.events.append(f"{response.status} {response.request.post_data}"[:300])
            if API_PATH in response.url and response.status != 200 else None)
    page.goto(server.base + "/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="News").first.wait_for()
    try:
        yield site, server, builds, page
    finally:
        context.close()
        assert outside == []


def _restore(site, before: dict[str, dict[str, bytes]]) -> bool:
    """Put the edited folders back as they were (files changed, added or deleted); True when something was changed."""
    changed = False
    for folder, files in before.items():
        now = tree(site / folder)
        for rel in now.keys() - files.keys():
            (site / folder / rel).unlink()
        for rel, data in files.items():
            if now.get(rel) != data:
                (site / folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (site / folder / rel).write_bytes(data)
        changed |= now != files
    return changed


def fetch(url: str) -> tuple[int, str]:
    """Status and text of a page of the preview."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@contextmanager
def explained(page, server, step: str):
    """A browser step that times out fails with what the page and the preview said: its errors, the editor's text, the server's output."""
    try:
        yield
    except PlaywrightTimeout as timeout:
        shown = page.locator("body").inner_text(timeout=5_000)[:1500]
        raise AssertionError(f"{step}: {timeout.message.splitlines()[0]}\npage events: {page.events}\npage text: {shown!r}\n"
                             f"preview printed: {server.output()[-3000:]!r}") from timeout


def publish(page) -> None:
    """Publish now, as the button's menu offers."""
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()


def test_an_article_its_translation_and_a_picture(cms, tmp_path):
    """New News with both languages, an uploaded picture and a partner: x.md, x.fr.md and the picture on disk; both pages rebuilt."""
    site, server, builds, page = cms
    picture = tmp_path / "stage.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture)
    page.goto(server.base + "/admin/#/collections/news/new")
    titles, dates = page.locator("input[id^=title-field]"), page.locator("input[id^=date-field]")
    titles.nth(0).fill("Open day at the sample cluster")
    dates.nth(0).fill("2024-02-01")
    page.locator("input[id^=image_alt-field]").nth(0).fill("The stage before the open day")
    page.get_by_text("Choose an image").first.click()
    page.set_input_files("input[type=file]", picture)
    page.get_by_text("stage.png").wait_for()  # an uploaded picture is selected at once
    page.get_by_role("button", name="Choose selected").click()
    page.locator("input[id^=partners-field]").first.fill("sample-u")  # a select of the partners file's ids
    page.get_by_text("sample-university", exact=True).wait_for()
    page.keyboard.press("Enter")
    titles.nth(1).fill("Journée portes ouvertes")
    page.locator("input[id^=slug-field]").nth(1).fill("portes-ouvertes")
    dates.nth(1).fill("2024-02-01")
    bodies = page.locator("[contenteditable=true]")
    bodies.nth(0).click()
    page.keyboard.type("The doors open at nine.")
    bodies.nth(1).click()
    page.keyboard.type("Les portes ouvrent à neuf heures.")
    publish(page)
    page.get_by_text("Entry saved").wait_for()
    english = site / "content/news/open-day-at-the-sample-cluster.md"
    assert english.read_text() == ("---\ntitle: Open day at the sample cluster\nimage: /images/uploads/stage.png\n"
                                   "image_alt: The stage before the open day\ndate: 2024-02-01\npartners:\n  - sample-university\n---\n"
                                   "The doors open at nine.\n")
    assert (site / "content/news/open-day-at-the-sample-cluster.fr.md").read_text() == (
        "---\ntitle: Journée portes ouvertes\nslug: portes-ouvertes\ndate: 2024-02-01\n---\nLes portes ouvrent à neuf heures.\n")
    assert (site / "static/images/uploads/stage.png").read_bytes() == picture.read_bytes()
    builds.wait()
    status, text = fetch(server.base + "/news/open-day-at-the-sample-cluster/")
    assert status == 200 and "<h1>Open day at the sample cluster</h1>" in text and 'alt="The stage before the open day"' in text
    assert '<a href="/partners/sample-university/">Sample University</a>' in text
    status, text = fetch(server.base + "/fr/actualites/portes-ouvertes/")
    assert status == 200 and "<h1>Journée portes ouvertes</h1>" in text


def test_a_partner_description_in_both_languages(cms):
    """The partners file: the first partner's description changed in English and French; the file stays a list; both pages show it."""
    site, server, builds, page = cms
    page.goto(server.base + "/admin/#/collections/data/entries/partners")
    english, french = page.locator("textarea[id^=en-field]"), page.locator("textarea[id^=fr-field]")
    english.nth(2).wait_for()
    assert english.nth(2).input_value() == "Leads the sample cluster."
    english.nth(2).fill("Leads the sample cluster and its training.")
    french.nth(2).fill("Pilote le cluster exemple et sa formation.")
    publish(page)
    page.get_by_text("Entry saved").wait_for()
    partners = yaml.safe_load((site / "content/data/partners.yaml").read_text())
    assert partners[0] == {"id": "sample-university", "name": {"en": "Sample University", "fr": "Université exemple"}, "short_name": "SU",
                           "type": "academic", "founding_member": True, "website": "https://university.example.org", "location": "Marseille",
                           "description": {"en": "Leads the sample cluster and its training.", "fr": "Pilote le cluster exemple et sa formation."}}
    assert partners[1]["name"] == "Sample Hospital"
    builds.wait()
    assert "Leads the sample cluster and its training." in fetch(server.base + "/partners/sample-university/")[1]
    assert "Pilote le cluster exemple et sa formation." in fetch(server.base + "/fr/partenaires/sample-university/")[1]


def test_an_invalid_date_is_refused_with_the_build_message(cms):
    """A milestone dated 2024-13 passes the CMS's pattern but not the build: its message is shown; the file is unchanged."""
    site, server, _builds, page = cms
    milestones = site / "content/data/milestones.yaml"
    before = milestones.read_bytes()
    page.goto(server.base + "/admin/#/collections/data/entries/milestones")
    date = page.locator("input[id^=date-field]").first
    date.wait_for()
    date.fill("2024-13")
    publish(page)
    message = ("content/data/milestones.yaml:1: error: entry 1: 'date' must be a real month or day, like 2024-05 or 2024-05-17, "
               "got '2024-13' (month must be in 1..12)")
    page.get_by_text(message).wait_for()
    assert milestones.read_bytes() == before


def test_a_draft_is_deleted(cms):
    """Delete entry on a draft opened from the list: its file goes, and so does its page."""
    site, server, builds, page = cms
    assert fetch(server.base + "/news/draft-post/")[0] == 200
    page.goto(server.base + "/admin/#/collections/news")
    page.get_by_text("A draft", exact=True).click()
    page.get_by_role("button", name="Delete entry").click()
    page.wait_for_url("**/admin/#/collections/news")  # back to the list, without it
    page.get_by_text("A draft", exact=True).wait_for(state="detached")
    assert not (site / "content/news/draft-post.md").exists()
    builds.wait()
    assert fetch(server.base + "/news/draft-post/")[0] == 404


def test_a_bundle_is_listed_and_opened_with_its_picture(cms):
    """News (bundles) lists launch-day/index.md, not the single-file articles; opened, it shows its title and its picture beside it."""
    _site, server, _builds, page = cms
    page.goto(server.base + "/admin/#/collections/news_bundles")
    page.get_by_text("Launch day", exact=True).click()
    title = page.locator("input[id^=title-field]").first
    title.wait_for()
    assert title.input_value() == "Launch day"
    page.locator("[aria-label='image field'] img[src^='blob:']").first.wait_for()  # the picture beside index.md, read through getMediaFile
    page.goto(server.base + "/admin/#/collections/news_bundles")
    page.get_by_text("Launch day", exact=True).wait_for()
    assert page.get_by_text("The sample cluster wins an award", exact=True).count() == 0


def test_every_data_file_of_the_real_site_saves_and_the_site_still_checks(real_cms):
    """Each of the real site's data files, one text edited and published from the browser, is saved; `check` then passes.

    (platforms.yaml is an empty list until platforms are named: nothing to edit there.)"""
    site, server, builds, page = real_cms
    for name in ("partners", "milestones", "figures", "funding", "accessibility"):
        with explained(page, server, name):
            page.goto(server.base + "/admin/#/collections/news")  # from the list, as an editor goes: a new editor, a new draft
            page.locator("a[href='#/collections/news/new']").wait_for()  # shown: else Decap keeps the last file's editor and draft
            page.goto(server.base + f"/admin/#/collections/data/entries/{name}")
            text = page.locator("textarea[id*=-field-]").first
            expect(text).not_to_have_value("", timeout=30_000)  # the file's own text, loaded
            text.click()
            page.keyboard.press("End")
            page.keyboard.type(" (edited)")
            page.get_by_text("Unsaved changes").wait_for()
            publish(page)
            page.get_by_text("Changes saved").wait_for(timeout=60_000)  # a loaded machine: the save is checked by the build's parse
        assert " (edited)" in (site / f"content/data/{name}.yaml").read_text(), name
        builds.wait()  # the preview's rebuild of this save, finished before the next save
    server.stop()  # no rebuild of the preview under way: check runs alone
    checked = run_build(site, "check")
    assert (checked.returncode, checked.stderr) == (0, ""), checked


class AdminHandler(SiteHandler):
    """The built site with the headers _headers and nginx send: the site's, and /admin/'s own policy for /admin/."""

    policy = ""

    def end_headers(self) -> None:
        """Every security header, the editor's policy under /admin/."""
        if not self.path.startswith("/admin/"):
            return super().end_headers()
        for name, value in (security_headers() | {"Content-Security-Policy": self.policy}).items():
            self.send_header(name, value)
        return super(SiteHandler, self).end_headers()


def test_the_published_editor_starts_under_its_own_policy(tmp_path, browser):
    """cms: publish: true with GitLab: the published /admin/ loads Decap and its config (checked by Decap), offers GitLab's log in,
    with no request to another site before it and no policy violation."""
    site = make_site(tmp_path)
    settings = site / "config.yaml"
    settings.write_text(settings.read_text() + "cms:\n  backend: gitlab\n  repo: mib/portal\n  app_id: 0a1b2c\n  publish: true\n")
    assert run_cli(site).returncode == 0
    handler = type("Handler", (AdminHandler,), {"policy": admin_policy(load_config(settings, Problems()).cms)})
    server = QuietServer(("127.0.0.1", 0), partial(handler, directory=str(site / "public")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context()
    outside, refused = [], []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin + "/")
                  else (outside.append(route.request.url), route.abort("blockedbyclient")))
    try:
        page = context.new_page()
        page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
        page.goto(origin + "/admin/")
        page.get_by_role("button", name="Login with GitLab").wait_for()
        assert (outside, refused) == ([], [])
    finally:
        context.close()
        server.shutdown()
        server.server_close()

