"""The editor's loop without a browser: new, check, schema, and the preview server over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import EPOCH, REPO, run_cli

from sitegen.model.schemas import DATA_FILES, ArticleMeta
from sitegen.model.validation import adapter
from sitegen.tools.schema_export import all_schemas


def cli(site: Path, *args: str) -> subprocess.CompletedProcess:
    """build.py in a subprocess, run from the site's folder."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=site, capture_output=True, text=True, env=env, timeout=120)


def test_new_article_builds_in_both_languages(site, capsys):
    """`new news` writes a draft with a transliterated slug; with its French twin it builds cleanly."""
    done = cli(site, "new", "news", "Hôpital Sainte-Marguerite")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "created content/news/hopital-sainte-marguerite.md",
        "its address: /news/hopital-sainte-marguerite/ (a draft: see it with 'python build.py serve', publish it by deleting 'draft: true')",
    ]
    text = (site / "content/news/hopital-sainte-marguerite.md").read_text()
    assert text.startswith('---\ntitle: "Hôpital Sainte-Marguerite"\ndate: 2025-11-24\ndraft: true')
    assert "# image_alt:" in text and "# aliases:" in text
    assert cli(site, "new", "news", "Hôpital Sainte-Marguerite", "--lang", "fr").returncode == 0
    assert cli(site, "new", "page", "Presse", "--bundle").returncode == 0
    code, _out, err = run_cli(site, "--drafts", "--strict", capsys=capsys)
    assert code == 0, err
    assert (site / "public/fr/news/hopital-sainte-marguerite/index.html").is_file()
    assert (site / "public/presse/index.html").is_file()


def test_new_refuses_to_overwrite(site):
    """A second `new` with the same title changes nothing and exits 1."""
    assert cli(site, "new", "news", "Same title").returncode == 0
    path = site / "content/news/same-title.md"
    path.write_text(path.read_text() + "\nEdited.\n")
    before = path.read_text()
    done = cli(site, "new", "news", "Same title")
    assert done.returncode == 1
    assert done.stderr.strip() == "content/news/same-title.md: error: the file already exists (nothing was changed; choose another title or --slug)"
    assert path.read_text() == before


def test_check_exit_codes(site):
    """check: 0 on a clean site, 1 with a warning, and no output folder either way."""
    assert cli(site, "check", "--no-search").returncode == 0
    (site / "content/news/x.md").write_text("---\ntitle: X\ndate: 2024-01-01\ncolour: red\n---\nBody.\n")
    done = cli(site, "check", "--no-search")
    assert done.returncode == 1
    assert "content/news/x.md:4: error: unknown front matter field 'colour'" in done.stderr
    assert not (site / "public").exists()


def test_committed_schemas_are_up_to_date():
    """schemas/ holds exactly what `build.py schema` writes (regenerate with `make schema`)."""
    for name, schema in all_schemas().items():
        committed = json.loads((REPO / "schemas" / name).read_text())
        assert committed == json.loads(json.dumps(schema)), f"schemas/{name} is stale: run make schema"


def _jsonable(value):
    """YAML values as an editor's tool sees them (dates as text)."""
    return json.loads(json.dumps(value, default=str))


def _both_accept(kind, schema_name: str, data) -> tuple[bool, bool]:
    """(the build accepts it, the JSON Schema accepts it)."""
    try:
        adapter(kind).validate_python(data)
        build_ok = True
    except Exception:
        build_ok = False
    schema = all_schemas()[schema_name]
    schema_ok = jsonschema.Draft202012Validator(schema).is_valid(_jsonable(data))
    return build_ok, schema_ok


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_schemas_accept_the_real_data(name):
    """The repository's own data files pass both the build's validation and the JSON Schema."""
    data = yaml.safe_load((REPO / "content/data" / f"{name}.yaml").read_text())
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


def test_schema_and_build_agree_on_a_partner():
    """A partner with a mistyped type fails both; the right one passes both."""
    good = [{"id": "amu", "name": {"en": "AMU", "fr": "AMU"}, "type": "academic", "description": "x"}]
    bad = [{**good[0], "type": "acadmic"}]
    assert _both_accept(DATA_FILES["partners"], "partners.schema.json", good) == (True, True)
    assert _both_accept(DATA_FILES["partners"], "partners.schema.json", bad) == (False, False)


def _free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    """Status and body of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_for(predicate, timeout: float = 20.0):
    """Poll until predicate() is truthy."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def server(site):
    """`build.py serve` on a free port, in the background."""
    port = _free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), "--no-search"],
                               cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _can_connect(port))
        yield site, base, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _can_connect(port: int) -> bool:
    """True when something listens on the port."""
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_serve_shows_drafts_and_refuses_traversal(server):
    """The preview includes drafts, injects the reload script, and answers escapes with 404."""
    _site, base, _process = server
    status, body = _get(base + "/news/draft-post/")
    assert status == 200 and "/__mib/reload.js" in body
    for path in ("/../config.yaml", "/%2e%2e/config.yaml", "/%252e%252e/config.yaml", "//etc/passwd", "/..%2fconfig.yaml"):
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1]))) as raw:
            raw.sendall(f"GET {path} HTTP/1.0\r\n\r\n".encode())
            answer = raw.recv(100).decode()
        assert answer.startswith("HTTP/1.0 404"), (path, answer)


def test_serve_rebuilds_shows_errors_and_recovers(server):
    """An edit is rebuilt; a broken file shows its problem instead of pages; a fix brings the page back."""
    site, base, process = server
    article = site / "content/news/first-award.md"
    original = article.read_text()
    article.write_text(original.replace("The sample cluster received", "Edited: the sample cluster received"))
    _wait_for(lambda: "Edited: the sample cluster" in _get(base + "/news/first-award/")[1])
    article.write_text(original.replace("date: 2023-05-12", "date: someday"))
    _status, body = _wait_for(lambda: (r := _get(base + "/news/first-award/"))[0] == 500 and r)
    assert "content/news/first-award.md:3: error: &#x27;date&#x27; must be a date like 2024-01-15, got &#x27;someday&#x27;" in body
    article.write_text(original)
    _wait_for(lambda: _get(base + "/news/first-award/")[0] == 200)
    assert process.poll() is None


def test_serve_rebuilds_once_for_several_saves(server):
    """Saving several files at once triggers one build."""
    site, base, process = server
    time.sleep(0.5)
    for name in ("a", "b", "c"):
        (site / f"content/news/{name}.md").write_text(f"---\ntitle: {name}\ndate: 2024-01-01\n---\nBody {name}.\n")
    _wait_for(lambda: _get(base + "/news/c/")[0] == 200)
    time.sleep(1.0)
    process.terminate()
    output = process.communicate(timeout=10)[0]
    assert output.count("built in") == 2, output


def test_vscode_settings_map_every_data_schema():
    """.vscode/settings.json points the YAML extension at every data file's schema and config's."""
    settings = json.loads((REPO / ".vscode/settings.json").read_text())["yaml.schemas"]
    expected = {f"./schemas/{name}.schema.json": f"content/data/{name}.yaml" for name in DATA_FILES}
    expected["./schemas/config.schema.json"] = "config.yaml"
    assert settings == expected
    assert all((REPO / path).is_file() for path in settings)
