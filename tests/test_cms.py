"""The browser editor over HTTP, without a browser: /admin/, its configuration, and the backend at /api/v1.

Each test runs `build.py serve` on the minimal site and talks to it as Decap CMS does (POST
{"action", "params"} as JSON), then looks at the files on disk and at the rebuilt pages, waiting
on the preview's own event stream for each build.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from support import REPO, make_site, run_build, run_cli
from test_editor_tools import _get, serving

from sitegen.model.config import load_config
from sitegen.model.schemas import PARTNER_TYPES
from sitegen.problems import Problems
from sitegen.tools.cms_config import cms_config, config_text

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture
def cms(site):
    """`build.py serve` on the minimal site, and its event stream."""
    yield from serving(site)


def api(base: str, action: str, params: dict | None = None, headers: dict | None = None) -> tuple[int, object]:
    """POST one action to the backend as the CMS does; the status and the JSON answer."""
    body = json.dumps({"action": action, "params": {"branch": "main", **(params or {})}}).encode()
    request = urllib.request.Request(base + "/api/v1", data=body, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, json.loads(text) if text.startswith("{") else text


def raw_request(base: str, request: bytes) -> str:
    """The status line of the answer to a hand-written request."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        return connection.recv(200).decode(errors="replace").split("\r\n", 1)[0]


@pytest.mark.npm  # Decap's dist file comes from node_modules/
def test_admin_page_is_served_by_the_preview_only(cms):
    """/admin/ loads Decap from this server under its own CSP; config.yml is the generated one; a build has no admin/."""
    site, server, _builds = cms
    with urllib.request.urlopen(server.base + "/admin/", timeout=10) as response:
        page, policies = response.read().decode(), response.headers.get_all("Content-Security-Policy")
    assert '<script src="/admin/decap-cms.js"></script>' in page and "https://" not in page
    assert ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
            "connect-src 'self' blob:; font-src 'self' data:; frame-src 'self' blob: about:; child-src 'self' blob:; manifest-src 'none'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'") in policies
    with urllib.request.urlopen(server.base + "/admin/decap-cms.js", timeout=10) as response:
        assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
        assert response.read() == (REPO / "node_modules/decap-cms/dist/decap-cms.js").read_bytes()
    status, config = _get(server.base + "/admin/config.yml")
    assert (status, config) == (200, config_text(load_config(site / "config.yaml", Problems()), local=True))
    assert _get(server.base + "/admin/../config.yaml")[0] == 404
    assert _get(server.base + "/admin/other.js")[0] == 404
    built = run_cli(site)
    assert built.returncode == 0 and not (site / "public/admin").exists()


def test_lists_entries_with_the_cms_names(cms):
    """info, entriesByFolder and getEntry: x.md is x.en.md for the CMS; a list data file is a map of one key."""
    _site, server, _builds = cms
    assert api(server.base, "info") == (200, {"repo": _site.name, "publish_modes": ["simple"], "type": "local_fs"})
    status, entries = api(server.base, "entriesByFolder", {"folder": "content/news", "extension": "md", "depth": 1})
    assert status == 200
    assert sorted(entry["file"]["path"] for entry in entries) == [
        "content/news/draft-post.en.md", "content/news/first-award.en.md", "content/news/first-award.fr.md",
        "content/news/future-post.en.md", "content/news/platform-news.en.md"]
    status, entry = api(server.base, "getEntry", {"path": "content/data/partners.yaml"})
    shown = yaml.safe_load(entry["data"])
    assert status == 200 and list(shown) == ["partners"]
    assert shown["partners"][1]["name"] == {"en": "Sample Hospital", "fr": "Sample Hospital"}
    assert api(server.base, "getEntry", {"path": "content/news/missing.en.md"}) == (
        200, {"data": None, "file": {"path": "content/news/missing.en.md", "id": None}})


ENGLISH = "---\ntitle: Open day at the sample cluster\ndate: 2024-02-01\nslug: open-day\n---\nThe doors open at nine.\n"
FRENCH = "---\ntitle: Journée portes ouvertes\ndate: 2024-02-01\nslug: portes-ouvertes\n---\nLes portes ouvrent à neuf heures.\n"


def test_an_article_and_its_translation_are_written_and_rebuilt(cms):
    """persistEntry with both languages' files writes x.md and x.fr.md as sent, and the preview rebuilds both pages."""
    site, server, builds = cms
    files = [{"slug": "open-day", "path": "content/news/open-day.en.md", "raw": ENGLISH},
             {"slug": "open-day", "path": "content/news/open-day.fr.md", "raw": FRENCH}]
    assert api(server.base, "persistEntry", {"dataFiles": files, "assets": [], "options": {}}) == (200, {"message": "entry persisted"})
    assert (site / "content/news/open-day.md").read_text() == ENGLISH
    assert (site / "content/news/open-day.fr.md").read_text() == FRENCH
    assert not (site / "content/news/open-day.en.md").exists()
    builds.wait()
    status, english = _get(server.base + "/news/open-day/")
    assert status == 200 and "<h1>Open day at the sample cluster</h1>" in english and 'hreflang="fr"' in english
    status, french = _get(server.base + "/fr/actualites/portes-ouvertes/")
    assert status == 200 and "<h1>Journée portes ouvertes</h1>" in french


def test_an_invalid_entry_is_refused_with_the_build_message(cms):
    """A bad date is refused with the build's own line; the file on disk is unchanged."""
    site, server, _builds = cms
    article = site / "content/news/first-award.md"
    before = article.read_bytes()
    broken = before.decode().replace("date: 2023-05-12", "date: 12/05/2023")
    answer = api(server.base, "persistEntry", {"entry": {"path": "content/news/first-award.en.md", "raw": broken}, "assets": []})
    assert answer == (422, {"error": "content/news/first-award.md:3: error: 'date' must be a date like 2024-01-15, got '12/05/2023'; try 2023-05-12"})
    assert article.read_bytes() == before
    milestones = "milestones:\n- date: 2024-13\n  title: {en: Launch, fr: Lancement}\n  status: done\n"
    before = (site / "content/data/milestones.yaml").read_bytes()
    assert api(server.base, "persistEntry", {"entry": {"path": "content/data/milestones.yaml", "raw": milestones}, "assets": []}) == (422, {
        "error": "content/data/milestones.yaml:1: error: entry 1: 'date' must be a real month or day, like 2024-05 or 2024-05-17, "
                 "got '2024-13' (month must be in 1..12)"})
    assert (site / "content/data/milestones.yaml").read_bytes() == before


def test_a_partner_description_is_edited_in_both_languages(cms):
    """The partners file comes back a list; a text equal in both languages is written once; both pages show the edit."""
    site, server, builds = cms
    _status, entry = api(server.base, "getEntry", {"path": "content/data/partners.yaml"})
    shown = yaml.safe_load(entry["data"])
    shown["partners"][0]["description"] = {"en": "Leads the sample cluster and its training.", "fr": "Pilote le cluster et sa formation."}
    raw = yaml.safe_dump(shown, allow_unicode=True, sort_keys=False)
    assert api(server.base, "persistEntry", {"entry": {"path": "content/data/partners.yaml", "raw": raw}, "assets": []})[0] == 200
    written = yaml.safe_load((site / "content/data/partners.yaml").read_text())
    assert written[0]["description"] == {"en": "Leads the sample cluster and its training.", "fr": "Pilote le cluster et sa formation."}
    assert written[1]["name"] == "Sample Hospital" and written[0]["location"] == "Marseille"
    builds.wait()
    assert "Leads the sample cluster and its training." in _get(server.base + "/partners/sample-university/")[1]
    assert "Pilote le cluster et sa formation." in _get(server.base + "/fr/partenaires/sample-university/")[1]


def test_a_picture_is_added_and_a_draft_deleted(cms):
    """persistMedia writes into static/images/uploads/; deleteFiles removes a draft, and its page goes."""
    site, server, builds = cms
    assert _get(server.base + "/news/draft-post/")[0] == 200
    status, media = api(server.base, "persistMedia", {"asset": {"path": "static/images/uploads/dot.png", "content": base64.b64encode(PNG).decode(),
                                                                 "encoding": "base64"}})
    assert status == 200 and media["name"] == "dot.png" and base64.b64decode(media["content"]) == PNG
    assert (site / "static/images/uploads/dot.png").read_bytes() == PNG
    assert [item["path"] for item in api(server.base, "getMedia", {"mediaFolder": "static/images/uploads"})[1]] == ["static/images/uploads/dot.png"]
    builds.wait()
    assert api(server.base, "deleteFiles", {"paths": ["content/news/draft-post.en.md"]}) == (
        200, {"message": "deleted files content/news/draft-post.en.md"})
    assert not (site / "content/news/draft-post.md").exists()
    builds.wait()
    assert _get(server.base + "/news/draft-post/")[0] == 404


def test_paths_outside_the_content_are_refused(cms, tmp_path):
    """'..', absolute paths, other folders, links that lead out and non-pictures are refused, and nothing changes."""
    site, server, _builds = cms
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/secret.md").write_text("secret")
    os.symlink(tmp_path / "outside", site / "content/news/linked")
    cases = [
        ("getEntry", {"path": "content/../config.yaml"}, "content/../config.yaml: not a path of the site's content"),
        ("getEntry", {"path": "/etc/passwd"}, "/etc/passwd: not a path of the site's content"),
        ("getEntry", {"path": "templates/base.html"}, "templates/base.html: the browser editor may only change files under content/news, content/pages, content/events, "
         "content/calls, content/jobs, content/data"),
        ("getEntry", {"path": "content/news/linked/secret.md"}, "content/news/linked/secret.md: leads outside the site's content through a link"),
        ("persistEntry", {"entry": {"path": "content/news/linked/new.md", "raw": ENGLISH}, "assets": []},
         "content/news/linked/new.md: leads outside the site's content through a link"),
        ("persistMedia", {"asset": {"path": "static/css/style.css", "content": "", "encoding": "base64"}},
         "static/css/style.css: the browser editor may only change files under static/images/uploads"),
        ("persistMedia", {"asset": {"path": "static/images/uploads/page.html", "content": "", "encoding": "base64"}},
         "static/images/uploads/page.html: only pictures (.jpg, .jpeg, .png, .webp, .gif, .avif) may be added in the browser"),
        ("deleteFile", {"path": "content/data/partners.yaml"},
         "content/data/partners.yaml: the browser editor may only change files under content/news, content/pages, content/events, "
         "content/calls, content/jobs"),
        ("format", {}, "Unknown action format"),
    ]
    for action, params, message in cases:
        assert api(server.base, action, params) == (422, {"error": message}), action
    assert not (tmp_path / "outside/new.md").exists() and (site / "content/data/partners.yaml").exists()


def test_requests_from_elsewhere_are_refused(cms):
    """Another Host (DNS rebinding), another page's Origin, a form post, no length or too large a body: refused before reading."""
    _site, server, _builds = cms
    assert api(server.base, "info", headers={"Host": "evil.example:8000"}) == (
        421, "misdirected request: this preview answers only to its own address\n")
    assert api(server.base, "info", headers={"Origin": "http://evil.example"}) == (403, "forbidden: only the editor's own page may call its backend\n")
    assert api(server.base, "info", headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert api(server.base, "info", headers={"Content-Type": "text/plain"}) == (415, "the editor's backend takes application/json only\n")
    assert raw_request(server.base, b"POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n") == (
        "HTTP/1.0 413 Request Entity Too Large")
    assert raw_request(server.base, b"POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\r\n") == "HTTP/1.0 411 Length Required"
    assert raw_request(server.base, b"POST /news/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n") == "HTTP/1.0 405 Method Not Allowed"


def test_the_committed_cms_config_is_current(tmp_path):
    """cms/config.yml is what `build.py cms` writes for config.yaml (regenerate with `python build.py cms`)."""
    done = run_build(REPO, "cms", "--output", str(tmp_path))
    assert (done.returncode, done.stdout) == (0, f"wrote {tmp_path / 'config.yml'}\n")
    assert (tmp_path / "config.yml").read_bytes() == (REPO / "cms/config.yml").read_bytes(), "cms/config.yml is stale: run python build.py cms"


def test_the_cms_config_follows_the_models():
    """Required fields, selects, patterns and per-language texts come from the models."""
    config = cms_config(load_config(REPO / "config.yaml", Problems()))
    news, pages, events, calls, jobs, bundles, data = config["collections"]
    assert {key: bundles[key] for key in ("name", "folder", "path", "media_folder", "public_folder", "i18n")} == {
        "name": "news_bundles", "folder": "content/news", "path": "{{slug}}/index", "media_folder": "", "public_folder": "", "i18n": True}
    assert [field["name"] for field in bundles["fields"]] == [field["name"] for field in news["fields"]]
    assert [events["folder"], calls["folder"], jobs["folder"]] == ["content/events", "content/calls", "content/jobs"]
    fields = {field["name"]: field for field in news["fields"]}
    assert (news["folder"], pages["folder"], config["i18n"]["structure"]) == ("content/news", "content/pages", "multiple_files")
    assert "required" not in fields["title"] and fields["summary"]["required"] is False
    assert fields["date"]["widget"] == "datetime" and fields["image"]["widget"] == "image"
    assert {key: fields["partners"][key] for key in ("widget", "collection", "file", "value_field", "multiple")} == {
        "widget": "relation", "collection": "data", "file": "partners", "value_field": "partners.*.id", "multiple": True}
    partners = {file["name"]: file for file in data["files"]}["partners"]["fields"][0]["fields"]
    by_name = {field["name"]: field for field in partners}
    assert by_name["type"] == {"name": "type", "label": "Type", "widget": "select", "options": list(PARTNER_TYPES)}
    assert by_name["id"]["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert [(field["name"], field["required"]) for field in by_name["description"]["fields"]] == [("en", True), ("fr", True)]


def test_no_cms_config_for_a_broken_config(tmp_path: Path):
    """`build.py cms` with an invalid config.yaml prints the build's problems and writes nothing."""
    settings = (REPO / "config.yaml").read_text()
    (tmp_path / "config.yaml").write_text(settings + "colour: red\n")
    line = settings.count("\n") + 1
    done = run_build(tmp_path, "cms", "--output", str(tmp_path / "cms"))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines()[-2:] == [f"config.yaml:{line}: error: unknown field 'colour' (known: title, description, base_url, default_language, "
                                             "languages, timezone, per_page, closing_soon, feed_limit, author, main_menu, iframe_allow, output, "
                                             "untranslated_addresses, images, cms)", "1 error, 0 warnings"]
    assert not (tmp_path / "cms").exists()


def test_unreadable_and_unwritable_files_are_reported(cms):
    """A data file with a YAML error is not shown but named with the build's message; a folder where a file goes is refused, named."""
    site, server, _builds = cms
    (site / "content/data/partners.yaml").write_text("- id: a\n  name: [unclosed\n")
    status, answer = api(server.base, "getEntry", {"path": "content/data/partners.yaml"})
    assert (status, answer) == (422, {"error": "content/data/partners.yaml:3: error: YAML syntax error: while parsing a flow sequence, "
                                               "did not find expected ',' or ']'"})
    (site / "content/news/folder.md").mkdir()
    status, answer = api(server.base, "persistEntry", {"entry": {"path": "content/news/folder.en.md", "raw": ENGLISH}, "assets": []})
    assert (status, answer) == (422, {"error": "content/news/folder.md: cannot be written: Is a directory (check that it is a file, that the folder "
                                               "may be written and that the disk has room)"})


def test_a_language_left_blank_is_no_translation(cms):
    """Decap sends an empty file for a language left blank: the article is written alone, no empty translation beside it."""
    site, server, _builds = cms
    files = [{"slug": "open-day", "path": "content/news/open-day.en.md", "raw": ENGLISH},
             {"slug": "open-day", "path": "content/news/open-day.fr.md", "raw": ""}]
    assert api(server.base, "persistEntry", {"dataFiles": files, "assets": []}) == (200, {"message": "entry persisted"})
    assert (site / "content/news/open-day.md").read_text() == ENGLISH and not (site / "content/news/open-day.fr.md").exists()
    blank = [{"slug": "blank", "path": "content/news/blank.en.md", "raw": ""}]
    assert api(server.base, "persistEntry", {"dataFiles": blank, "assets": []}) == (422, {
        "error": "content/news/blank.md:1: error: the file is empty (start it with front matter: '---', 'title: ...', 'date: ...', '---')"})


def test_pages_and_the_funding_file_are_checked_as_the_build_checks_them(cms):
    """A page with a menu the build does not know and a funding source of 0 euros are refused with the build's lines; a good page is saved."""
    site, server, builds = cms
    contact = site / "content/pages/contact.md"
    before = contact.read_text()
    assert api(server.base, "persistEntry", {"entry": {"path": "content/pages/contact.en.md", "raw": before.replace("menu: footer", "menu: side")},
                                             "assets": []}) == (422, {
        "error": "content/pages/contact.md:3: error: 'menu' must be one of main, footer or none, got 'side' (known: main, footer, none)"})
    funding = (site / "content/data/funding.yaml").read_text()
    status, refused = api(server.base, "persistEntry", {"entry": {"path": "content/data/funding.yaml", "raw": funding.replace("97000000", "0")},
                                                        "assets": []})
    # line 16 of the file as it would have been written (the backend writes data files itself, one field a line)
    assert (status, refused) == (422, {"error": "content/data/funding.yaml:16: error: 'sources[1].amount' must be more than 0, got 0"})
    assert contact.read_text() == before
    edited = before.replace("Contact details to be announced.", "Write to the editorial team.")
    assert api(server.base, "persistEntry", {"entry": {"path": "content/pages/contact.en.md", "raw": edited}, "assets": []})[0] == 200
    builds.wait()
    assert "Write to the editorial team." in _get(server.base + "/contact/")[1]
    assert api(server.base, "info", {"nested": [[[[[[]]]]]]})[0] == 200
    assert raw_request(server.base, b"POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n"
                       + b"[" * 200000) == "HTTP/1.0 400 Bad Request"


def test_an_untouched_translation_keeps_its_bytes(cms):
    """Decap sends both languages' files, front matter rewritten its own way: the one whose values and body are the same stays as it was."""
    site, server, _builds = cms
    french = site / "content/news/first-award.fr.md"
    before = french.read_bytes()
    meta = yaml.safe_load(before.decode().split("---\n")[1])
    rewritten = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + before.decode().split("---\n", 2)[2]
    assert rewritten.encode() != before
    english = (site / "content/news/first-award.md").read_text().replace("received", "has received")
    files = [{"path": "content/news/first-award.en.md", "raw": english}, {"path": "content/news/first-award.fr.md", "raw": rewritten}]
    assert api(server.base, "persistEntry", {"dataFiles": files, "assets": []})[0] == 200
    assert french.read_bytes() == before
    assert (site / "content/news/first-award.md").read_text() == english


def test_the_editor_answers_only_this_machine(tmp_path):
    """Listening on every address (--host 0.0.0.0), pages are served to the network, the editor and its backend are not."""
    import threading
    from functools import partial

    from sitegen.tools import serve as preview
    from sitegen.tools.cms_backend import Backend

    site = make_site(tmp_path)
    (site / "public").mkdir()
    (site / "public/index.html").write_text("<!doctype html><html lang=\"en\"><title>Home</title></html>")
    state = preview.BuildState()
    state.finished([])
    backend = Backend(site, load_config(site / "config.yaml", Problems()))
    handler = partial(preview.PreviewHandler, directory=str(site / "public"), state=state, listening="0.0.0.0", cms=backend)
    server = preview.listen("0.0.0.0", 0, handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    port = server.server_address[1]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # this machine's address on its network (a UDP connect sends nothing)
        probe.connect(("198.51.100.7", 9))
        outside = probe.getsockname()[0]
    assert not outside.startswith("127.")
    try:
        assert _get(f"http://{outside}:{port}/")[0] == 200
        assert _get(f"http://{outside}:{port}/admin/") == (403, EDITOR_LOCAL)
        assert api(f"http://{outside}:{port}", "info") == (403, EDITOR_LOCAL)
        assert api(f"http://127.0.0.1:{port}", "info")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


EDITOR_LOCAL = "forbidden: the browser editor answers only on this machine (open it on the machine that runs the preview)\n"


def test_bundles_are_listed_read_and_saved_with_their_pictures(cms):
    """The bundles' collection (depth 2) lists x/index.md only, the articles' (depth 1) never; a bundle's pictures are its entry's media;
    a new bundle is saved with its translation and its picture beside them, and rebuilt."""
    site, server, builds = cms
    listing = {depth: sorted(entry["file"]["path"] for entry in api(server.base, "entriesByFolder", {"folder": "content/news", "extension": "md",
                                                                                                        "depth": depth})[1]) for depth in (1, 2)}
    assert listing[2] == ["content/news/launch-day/index.en.md"]
    assert "content/news/launch-day/index.en.md" not in listing[1] and "content/news/first-award.en.md" in listing[1]
    status, entry = api(server.base, "getEntry", {"path": "content/news/launch-day/index.en.md"})
    assert status == 200 and entry["data"] == (site / "content/news/launch-day/index.md").read_text()
    status, media = api(server.base, "getMedia", {"mediaFolder": "content/news/launch-day"})
    assert status == 200 and [(item["path"], item["name"]) for item in media] == [("content/news/launch-day/photo.png", "photo.png")]
    assert base64.b64decode(media[0]["content"]) == (site / "content/news/launch-day/photo.png").read_bytes()
    english = ENGLISH.replace("slug: open-day\n", "image: stage.png\nimage_alt: The stage\n")
    files = [{"path": "content/news/open-day/index.en.md", "raw": english}, {"path": "content/news/open-day/index.fr.md", "raw": FRENCH}]
    assets = [{"path": "content/news/open-day/stage.png", "content": base64.b64encode(PNG).decode(), "encoding": "base64"}]
    assert api(server.base, "persistEntry", {"dataFiles": files, "assets": assets}) == (200, {"message": "entry persisted"})
    assert (site / "content/news/open-day/index.md").read_text() == english
    assert (site / "content/news/open-day/index.fr.md").read_text() == FRENCH
    assert (site / "content/news/open-day/stage.png").read_bytes() == PNG
    builds.wait()
    status, page = _get(server.base + "/news/open-day/")
    assert status == 200 and 'alt="The stage"' in page
    assert _get(server.base + "/news/open-day/stage.png")[0] == 200  # published beside the page
    broken = english.replace("date: 2024-02-01", "date: 12/05/2023")
    assert api(server.base, "persistEntry", {"entry": {"path": "content/news/open-day/index.en.md", "raw": broken}, "assets": []}) == (422, {
        "error": "content/news/open-day/index.md:3: error: 'date' must be a date like 2024-01-15, got '12/05/2023'; try 2023-05-12"})
    assert api(server.base, "persistMedia", {"asset": {"path": "content/news/open-day/deep/x.png", "content": "", "encoding": "base64"}})[0] == 422
    assert api(server.base, "deleteFile", {"path": "content/news/open-day/stage.png"})[0] == 200
    assert not (site / "content/news/open-day/stage.png").exists()
