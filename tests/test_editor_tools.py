"""The editor's loop without a browser: new, check, schema, and the preview server over HTTP.

The preview's tests wait on its own event stream (one message per finished build), never on a clock, and
save files as editors' tools do, in one atomic move, so each save is one change for the watcher.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request

import jsonschema
import pytest
import yaml
from pydantic import ValidationError
from support import REPO, Preview, run_build, run_cli, save, save_edit, start_preview

from sitegen.model.schemas import DATA_FILES, ArticleMeta, CallMeta, EventMeta, JobMeta
from sitegen.model.validation import adapter
from sitegen.tools.schema_export import all_schemas


def test_new_article_builds_in_both_languages(site):
    """`new news` writes a draft with a transliterated slug; with its French twin it builds cleanly."""
    done = run_build(site, "new", "news", "Hôpital Sainte-Marguerite")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "created content/news/hopital-sainte-marguerite.md",
        "its address: /news/hopital-sainte-marguerite/ (a draft: see it with 'python build.py serve', publish it by deleting 'draft: true')",
    ]
    text = (site / "content/news/hopital-sainte-marguerite.md").read_text()
    assert text.startswith('---\ntitle: "Hôpital Sainte-Marguerite"\ndate: 2025-11-24\ndraft: true')
    assert "# image_alt:" in text and "# aliases:" in text
    french = run_build(site, "new", "news", "Hôpital Sainte-Marguerite", "--lang", "fr")
    assert (french.returncode, french.stdout.splitlines()[:2]) == (0, [
        "created content/news/hopital-sainte-marguerite.fr.md",
        "its address: /fr/actualites/hopital-sainte-marguerite/ (a draft: see it with 'python build.py serve', publish it by deleting 'draft: true')"])
    assert "](/fr/partenaires/)" in (site / "content/news/hopital-sainte-marguerite.fr.md").read_text()
    translation = run_build(site, "new", "news", "Le cluster exemple en visite", "--lang", "fr", "--slug", "first-award-visit")
    assert translation.stdout.splitlines()[:2] == [
        "created content/news/first-award-visit.fr.md",
        "its address: /fr/actualites/le-cluster-exemple-en-visite/ (a draft: see it with 'python build.py serve', publish it by deleting 'draft: true')"]
    bundle = run_build(site, "new", "page", "Presse", "--bundle")
    assert (bundle.returncode, bundle.stdout.splitlines()[0]) == (0, "created content/pages/presse/index.md")
    built = run_cli(site, "--drafts", "--strict")
    assert (built.returncode, built.stderr) == (0, ""), built
    assert "<h1>Hôpital Sainte-Marguerite</h1>" in (site / "public/fr/actualites/hopital-sainte-marguerite/index.html").read_text()
    assert "<h1>Presse</h1>" in (site / "public/presse/index.html").read_text()
    assert "<h1>Le cluster exemple en visite</h1>" in (site / "public/fr/actualites/le-cluster-exemple-en-visite/index.html").read_text()


def test_new_agenda_items_build_in_both_languages(site):
    """`new event|call|job` writes drafts under content/events, calls and jobs, at their French addresses too; they build as written."""
    made = {}
    for kind, lang in (("event", "en"), ("call", "en"), ("job", "en"), ("event", "fr"), ("call", "fr"), ("job", "fr")):
        done = run_build(site, "new", kind, f"Sample {kind}", "--lang", lang)
        assert (done.returncode, done.stderr) == (0, "")
        made[kind, lang] = done.stdout.splitlines()
    assert made["event", "en"] == [
        "created content/events/sample-event.md",
        "its address: /events/sample-event/ (a draft: see it with 'python build.py serve', publish it by deleting 'draft: true')"]
    assert made["call", "fr"][:1] == ["created content/calls/sample-call.fr.md"]
    assert made["job", "fr"][1].startswith("its address: /fr/emplois/sample-job/ ")
    assert made["event", "fr"][1].startswith("its address: /fr/evenements/sample-event/ ")
    event = (site / "content/events/sample-event.md").read_text()
    assert event.startswith('---\ntitle: "Sample event"\ndraft: true                 # delete this line to publish\nstart: 2025-12-22 09:30')
    call = (site / "content/calls/sample-call.md").read_text()
    assert "funders: [sample-university]" in call and "opens: 2025-11-24" in call and "closes: 2025-12-22 12:00" in call
    assert "employer: sample-university" in (site / "content/jobs/sample-job.fr.md").read_text()
    built = run_cli(site, "--drafts", "--strict")
    assert (built.returncode, built.stderr) == (0, ""), built


def test_new_refuses_to_overwrite(site):
    """A second `new` with the same title changes nothing and exits 1."""
    assert run_build(site, "new", "news", "Same title").returncode == 0
    path = site / "content/news/same-title.md"
    path.write_text(path.read_text() + "\nEdited.\n")
    before = path.read_text()
    done = run_build(site, "new", "news", "Same title")
    assert done.returncode == 1
    assert done.lines == ["content/news/same-title.md: error: the file already exists (nothing was changed; choose another title or --slug)"]
    assert path.read_text() == before


def test_check_exit_codes(site):
    """check: 0 on a clean site, 1 with a warning, and no output folder either way."""
    clean = run_build(site, "check")
    assert (clean.returncode, clean.stderr) == (0, "")
    (site / "content/news/x.md").write_text("---\ntitle: X\ndate: 2024-01-01\ncolour: red\n---\nBody.\n")
    done = run_build(site, "check")
    assert (done.returncode, done.lines) == (1, [
        "content/news/x.md:4: error: unknown front matter field 'colour' (put custom fields under 'extra:')", "1 error, 0 warnings", "check failed"])
    assert not (site / "public").exists()


def test_schema_command_writes_the_committed_schemas(tmp_path):
    """`build.py schema --output DIR` writes one file per schema, byte for byte the committed schemas/, and says so."""
    out = tmp_path / "schemas"
    done = run_build(tmp_path, "schema", "--output", str(out))
    assert (done.returncode, done.stderr) == (0, "")
    names = sorted(all_schemas())
    assert len(names) == 12
    assert done.stdout.splitlines() == [f"wrote {out / name}" for name in names]
    assert sorted(p.name for p in out.iterdir()) == names
    for name in names:
        assert (out / name).read_bytes() == (REPO / "schemas" / name).read_bytes(), f"schemas/{name} is stale: run make schema"


def test_committed_schemas_are_up_to_date():
    """schemas/ holds exactly what `build.py schema` writes (regenerate with `make schema`)."""
    assert sorted(p.name for p in (REPO / "schemas").glob("*.json")) == sorted(all_schemas())
    for name, schema in all_schemas().items():
        committed = json.loads((REPO / "schemas" / name).read_text())
        assert committed == json.loads(json.dumps(schema)), f"schemas/{name} is stale: run make schema"


def _jsonable(value):
    """YAML values as an editor's tool sees them (dates as text)."""
    return json.loads(json.dumps(value, default=str))


def _both_accept(kind, schema_name: str, data) -> tuple[bool, bool]:
    """(the build accepts it, the JSON Schema accepts it); anything but a validation error is a crash, not a refusal."""
    try:
        adapter(kind).validate_python(data)
        build_ok = True
    except ValidationError:
        build_ok = False
    schema = all_schemas()[schema_name]
    schema_ok = jsonschema.Draft202012Validator(schema).is_valid(_jsonable(data))
    return build_ok, schema_ok


EMPTY_BY_DESIGN = {"platforms"}  # no platform has been named yet: content/data/platforms.yaml is an empty list, and says why


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_schemas_accept_the_real_data(name):
    """The repository's own data files pass both the build's validation and the JSON Schema."""
    data = yaml.safe_load((REPO / "content/data" / f"{name}.yaml").read_text())
    assert data or (name in EMPTY_BY_DESIGN and data == []), f"content/data/{name}.yaml is empty"
    assert _both_accept(DATA_FILES[name], f"{name}.schema.json", data) == (True, True)


SAMPLES = [
    ({"title": "T", "date": "2024-01-15", "tags": ["a"]}, True),
    ({"title": "T", "date": "2024-01-15 12:00 +0100"}, True),
    ({"title": "T"}, False),
    ({"title": "T", "date": "15/01/2024"}, False),
    ({"title": "T", "date": "2024-01-15", "tags": "a, b"}, False),
    ({"title": "T", "date": "2024-01-15", "slug": "Not A Slug"}, False),
    ({"title": "", "date": "2024-01-15"}, False),
]


@pytest.mark.parametrize(("front_matter", "valid"), SAMPLES)
def test_schema_and_build_agree_on_front_matter(front_matter, valid):
    """A valid sample passes both, an invalid one fails both."""
    assert _both_accept(ArticleMeta, "article.schema.json", front_matter) == (valid, valid)


AGENDA_SAMPLES = [
    (EventMeta, "event", {"title": "T", "start": "2026-03-02 14:00", "place": {"name": "Hall"}}, True),
    (EventMeta, "event", {"title": "T", "start": "2026-03-02", "end": "2026-03-04", "place": {"online": True, "link": "https://example.org/j"},
                          "organisers": ["amu"], "registration": "https://example.org/r", "timezone": "America/New_York"}, True),
    (EventMeta, "event", {"title": "T", "start": "2026-03-02"}, False),
    (EventMeta, "event", {"title": "T", "start": "02/03/2026", "place": {"name": "Hall"}}, False),
    (EventMeta, "event", {"title": "T", "start": "2026-03-02", "place": {"name": "Hall", "room": "B"}}, False),
    (CallMeta, "call", {"title": "T", "funders": ["anr"], "opens": "2026-01-15", "closes": "2026-03-01 12:00", "eligibility": "Teams",
                        "apply": "https://example.org/a", "documents": [{"title": "Rules", "link": "rules.pdf"}]}, True),
    (CallMeta, "call", {"title": "T", "funders": "anr", "opens": "2026-01-15", "closes": "2026-03-01", "eligibility": "Teams",
                        "apply": "https://example.org/a"}, False),
    (JobMeta, "job", {"title": "T", "date": "2026-01-05", "employer": "amu", "place": {"address": "Marseille"}, "contract": "postdoc", "closes": "2026-01-31",
                      "apply": "mailto:jobs@example.org"}, True),
    (JobMeta, "job", {"title": "T", "date": "2026-01-05", "employer": "amu", "place": {"address": "Marseille"}, "contract": "cdd", "closes": "2026-01-31",
                      "apply": "mailto:jobs@example.org"}, False),
]


@pytest.mark.parametrize(("model", "name", "front_matter", "valid"), AGENDA_SAMPLES)
def test_schema_and_build_agree_on_agenda_front_matter(model, name, front_matter, valid):
    """Events, calls and jobs: a valid sample passes both the build and its exported schema, an invalid one fails both."""
    assert _both_accept(model, f"{name}.schema.json", front_matter) == (valid, valid)


def test_schema_and_build_agree_on_a_platform():
    """A platform with a mistyped status fails both; the right one passes both (the real file has no platform yet)."""
    good = [{"id": "sample-platform", "name": {"en": "Sample", "fr": "Exemple"}, "status": "planned", "summary": "x",
             "services": [{"en": "a", "fr": "b"}], "partners": ["amu"]}]
    bad = [{**good[0], "status": "builiding"}]
    assert _both_accept(DATA_FILES["platforms"], "platforms.schema.json", good) == (True, True)
    assert _both_accept(DATA_FILES["platforms"], "platforms.schema.json", bad) == (False, False)


def test_schema_and_build_agree_on_a_partner():
    """A partner with a mistyped type fails both; the right one passes both."""
    good = [{"id": "amu", "name": {"en": "AMU", "fr": "AMU"}, "type": "academic", "description": "x"}]
    bad = [{**good[0], "type": "acadmic"}]
    assert _both_accept(DATA_FILES["partners"], "partners.schema.json", good) == (True, True)
    assert _both_accept(DATA_FILES["partners"], "partners.schema.json", bad) == (False, False)


def test_vscode_settings_map_every_data_schema():
    """.vscode/settings.json points the YAML extension at every data file's schema and config's."""
    settings = json.loads((REPO / ".vscode/settings.json").read_text())["yaml.schemas"]
    expected = {f"./schemas/{name}.schema.json": f"content/data/{name}.yaml" for name in DATA_FILES}
    expected["./schemas/config.schema.json"] = "config.yaml"
    assert len(DATA_FILES) == 6 and settings == expected
    missing = [path for path in settings if not (REPO / path).is_file()]
    assert missing == []


# -- the preview server ------------------------------------------------------------------------------


def _get(url: str) -> tuple[int, str]:
    """Status and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class Builds:
    """The preview's event stream: one `data: N` message per finished build (N counts builds)."""

    def __init__(self, base: str):
        self.response = urllib.request.urlopen(base + "/__mib/events", timeout=60)
        self.number = self._next()

    def _next(self, within: float = 60) -> int:
        """The number of the next build message (keep-alive comments skipped), within `within` seconds."""
        deadline = time.monotonic() + within
        for raw in self.response:
            line = raw.decode().strip()
            if line.startswith("data: "):
                return int(line.removeprefix("data: "))
            assert time.monotonic() < deadline, f"no build finished within {within}s"
        raise AssertionError("the event stream ended")

    def wait(self) -> int:
        """Block until the next build has finished; its number."""
        self.number = self._next()
        return self.number

    def close(self) -> None:
        self.response.close()


def serving(site):
    """`build.py serve` on a site (port 0: the server picks a free one and prints it), and its event stream, stopped after."""
    server = start_preview(site)
    builds = Builds(server.base)
    try:
        yield site, server, builds
    finally:
        builds.close()
        server.stop()


@pytest.fixture
def preview(site):
    """The preview of the minimal site, and its event stream."""
    yield from serving(site)


def test_serve_shows_drafts_and_refuses_traversal(preview):
    """The preview includes drafts, injects the reload script, and answers escapes with 404."""
    _site, server, builds = preview
    assert builds.number == 1  # the first build, made before the server listened
    status, body = _get(server.base + "/news/draft-post/")
    assert status == 200 and '<script src="/__mib/reload.js" defer></script>' in body and 'data-mib-build="1"' in body
    port = int(server.base.rsplit(":", 1)[1])
    for path in ("/../config.yaml", "/%2e%2e/config.yaml", "/%252e%252e/config.yaml", "//etc/passwd", "/..%2fconfig.yaml"):
        with socket.create_connection(("127.0.0.1", port)) as raw:
            raw.sendall(f"GET {path} HTTP/1.0\r\n\r\n".encode())
            answer = raw.recv(100).decode()
        assert answer.startswith("HTTP/1.0 404"), (path, answer)


def test_serve_rebuilds_shows_errors_and_recovers(preview):
    """An edit is rebuilt; a broken file shows its problem instead of pages; a fix brings the page back."""
    site, server, builds = preview
    article = site / "content/news/first-award.md"
    original = article.read_text()
    save_edit(article, "The sample cluster received", "Edited: the sample cluster received")
    assert builds.wait() == 2
    status, body = _get(server.base + "/news/first-award/")
    assert status == 200 and "Edited: the sample cluster received" in body
    save(article, original.replace("date: 2023-05-12", "date: someday"))
    assert builds.wait() == 3
    status, body = _get(server.base + "/news/first-award/")
    assert status == 500
    assert ("<li><code>content/news/first-award.md:3: error: &#x27;date&#x27; must be a date like 2024-01-15, got &#x27;someday&#x27;"
            "</code></li>") in body
    save(article, original)
    assert builds.wait() == 4
    status, body = _get(server.base + "/news/first-award/")
    assert status == 200 and "The sample cluster received" in body
    assert server.process.poll() is None
    _assert_builds_printed(server, 4, failed=1)


def test_serve_builds_once_for_several_files_saved_at_once(preview, tmp_path):
    """A bundle (an article, its translation and its picture) moved in at once is one change: one build, not one per file."""
    site, server, builds = preview
    bundle = tmp_path / "incoming" / "field-trip"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text("---\ntitle: Field trip\ndate: 2024-01-01\n---\nWe went to the field.\n")
    (bundle / "index.fr.md").write_text("---\ntitle: Sortie de terrain\ndate: 2024-01-01\n---\nNous sommes allés sur le terrain.\n")
    (bundle / "photo.png").write_bytes((site / "content/news/launch-day/photo.png").read_bytes())
    bundle.rename(site / "content/news/field-trip")
    assert builds.wait() == 2
    assert _get(server.base + "/fr/news/field-trip/")[0] == 200 and _get(server.base + "/news/field-trip/photo.png")[0] == 200
    save((site / "content/news/later.md"), "---\ntitle: Later\ndate: 2024-01-02\n---\nLater.\n")  # the next change is the next build
    assert builds.wait() == 3
    assert _get(server.base + "/news/later/")[0] == 200
    _assert_builds_printed(server, 3)


def _assert_builds_printed(server: Preview, count: int, failed: int = 0) -> None:
    """The server printed `count` builds: each a summary line, or the failure line for the failed ones."""
    output = server.output()
    assert output.count(" files written") == count - failed, output
    assert output.count("build failed: the browser shows the problems until they are fixed") == failed, output
