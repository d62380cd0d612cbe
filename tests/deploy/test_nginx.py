"""The built site served by a real nginx with deploy/nginx.conf's template: status codes, headers, redirects, 404s, load.

nginx (Debian's nginx-light) and wrk are installed by `make browser-deps`; without them these tests are skipped
on a developer's machine and fail in CI (where the environment variable CI is set).
"""

from __future__ import annotations

import gzip
import re
import shlex
import socket
import ssl
import subprocess
import urllib.request
from urllib.parse import quote

import pytest
from support import REPO, load_script

from sitegen.publish.hosting import SECURITY_HEADERS

from .conftest import LONG_CACHE, LONGEST_ALIAS, SHORT_CACHE, Nginx, fetch, require_tool

pytestmark = pytest.mark.slow

ARTICLE = "/news/official-launch/"
FINGERPRINTED_CSS = re.compile(r'href="(/css/[^"]+\.[0-9a-f]{10}\.css)"')


def assert_security_headers(answer, where: str) -> None:
    """Every header of sitegen.publish.hosting.SECURITY_HEADERS, with its exact value."""
    for name, value in SECURITY_HEADERS.items():
        assert answer.header(name) == value, f"{where}: {name} is {answer.header(name)!r}"


def test_home_page(nginx: Nginx):
    answer = fetch(nginx, "/")
    assert answer.status == 200
    assert answer.header("Content-Type") == "text/html; charset=utf-8"
    assert_security_headers(answer, "/")
    assert answer.header("Cache-Control") == SHORT_CACHE
    assert answer.body == (nginx.root / "index.html").read_bytes()


@pytest.mark.parametrize("path", ["/news/", "/fr/", "/fr/partenaires/inserm/", ARTICLE, "/fr/actualites/", "/search/"])
def test_pretty_urls(nginx: Nginx, path: str):
    answer = fetch(nginx, path)
    assert answer.status == 200, path
    assert answer.header("Content-Type").startswith("text/html")
    assert answer.body == (nginx.root / path.strip("/") / "index.html").read_bytes()


@pytest.mark.parametrize(("path", "target"), [("/news", "/news/"), ("/fr", "/fr/"), ("/fr/partenaires", "/fr/partenaires/")])
def test_folder_without_slash_redirects(nginx: Nginx, path: str, target: str):
    answer = fetch(nginx, path)
    assert answer.status == 301, path
    assert answer.header("Location") == target
    assert_security_headers(answer, path)


@pytest.mark.parametrize(
    ("path", "page", "lang"),
    [
        ("/missing", "404.html", "en"),
        ("/news/no-such-article/", "404.html", "en"),
        ("/fr/missing", "fr/404.html", "fr"),
        ("/fr/actualites/absent/", "fr/404.html", "fr"),
    ],
)
def test_custom_404_in_the_readers_language(nginx: Nginx, path: str, page: str, lang: str):
    answer = fetch(nginx, path)
    assert answer.status == 404, path
    assert answer.header("Content-Type") == "text/html; charset=utf-8"
    assert answer.body == (nginx.root / page).read_bytes(), f"{path} should show {page}"
    assert f'<html lang="{lang}"'.encode() in answer.body
    assert_security_headers(answer, path)
    assert answer.header("Cache-Control") == SHORT_CACHE


def test_fingerprinted_assets_are_cached_for_a_year(nginx: Nginx):
    home = fetch(nginx, "/").body.decode()
    css = FINGERPRINTED_CSS.findall(home)
    assert css, "the home page links no fingerprinted stylesheet"
    assets = css + ["/" + p.relative_to(nginx.root).as_posix() for p in sorted((nginx.root / "js").glob("*.*.js"))]
    for url in assets:
        answer = fetch(nginx, url)
        assert answer.status == 200, url
        assert "max-age=31536000" in answer.header("Cache-Control"), url
        assert answer.header("Cache-Control") == LONG_CACHE
        assert_security_headers(answer, url)
    assert fetch(nginx, css[0]).header("Content-Type") == "text/css; charset=utf-8"


def test_html_and_missing_assets_get_a_short_lifetime(nginx: Nginx):
    for path in ("/", ARTICLE, "/feed.xml", "/css/style.0123456789.css"):
        answer = fetch(nginx, path)
        assert answer.header("Cache-Control") == SHORT_CACHE, f"{path} ({answer.status})"
        assert "max-age=300" in answer.header("Cache-Control")
    assert fetch(nginx, "/css/style.0123456789.css").status == 404


def test_pagefind_bundle(nginx: Nginx):
    """Hashed index files live a year; the unhashed entry files stay short so a new build is seen."""
    bundle = nginx.root / "pagefind"
    hashed = sorted(p for p in bundle.rglob("*") if re.search(r"_[0-9a-f]{7,}\.pf_[a-z]+$", p.name))
    assert hashed, "the Pagefind bundle has no hashed files"
    for path in hashed[:5] + hashed[-5:]:
        url = "/" + path.relative_to(nginx.root).as_posix()
        answer = fetch(nginx, url)
        assert answer.status == 200, url
        assert answer.header("Cache-Control") == LONG_CACHE, url
    for name in ("pagefind.js", "pagefind-entry.json"):
        answer = fetch(nginx, f"/pagefind/{name}")
        assert answer.status == 200, name
        assert answer.header("Cache-Control") == SHORT_CACHE, name


def test_gzip(nginx: Nginx):
    minimum = int(re.search(r"gzip_min_length (\d+);", nginx.conf.read_text()).group(1))
    css = FINGERPRINTED_CSS.findall(fetch(nginx, "/").body.decode())[0]
    paths = ["/", ARTICLE, "/pagefind/pagefind-ui.css"]
    if (nginx.root / css.lstrip("/")).stat().st_size >= minimum:
        paths.append(css)
    for path in paths:
        answer = fetch(nginx, path, {"Accept-Encoding": "gzip"})
        assert answer.status == 200, path
        assert answer.header("Content-Encoding") == "gzip", path
        assert "Accept-Encoding" in answer.header("Vary"), path
        file = nginx.root / path.lstrip("/")
        assert gzip.decompress(answer.body) == (file / "index.html" if file.is_dir() else file).read_bytes()
    assert fetch(nginx, "/").header("Content-Encoding") == "", "no gzip for a client that did not ask"


@pytest.mark.parametrize("path", ["/_redirects", "/_headers", "/_redirects.nginx", "/.hidden", "/fr/_x", "/.git/config"])
def test_host_and_hidden_files_are_not_served(nginx: Nginx, path: str):
    if path.startswith("/_"):
        assert (nginx.root / path.lstrip("/")).is_file(), f"the build no longer writes {path}"
    answer = fetch(nginx, path)
    assert answer.status == 404, path
    assert answer.body == (nginx.root / ("fr/404.html" if path.startswith("/fr/") else "404.html")).read_bytes()


@pytest.mark.parametrize("path", ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/css/../../../etc/passwd", "/..%2f..%2fetc/passwd"])
def test_path_traversal(nginx: Nginx, path: str):
    """Each spelling of a path climbing above the root is refused by nginx itself (400), never served."""
    answer = fetch(nginx, path)
    assert answer.status == 400, f"{path}: {answer.status}"
    assert b"root:" not in answer.body


# The real content's old addresses: the placeholder platform pages and the partner pages of organisations
# that are not partners now lead to the page that tells what is known about them.
REAL_REDIRECTS = {
    "/partners/abtech-therapeutics/": "/news/attracting-companies/",
    "/partners/amidex/": "/governance/",
    "/partners/capital-venture/": "/news/jobs-and-start-ups/",
    "/partners/hopital-sainte-marguerite/": "/about/",
    "/partners/ipsomedic/": "/news/attracting-companies/",
    "/partners/oz-biosciences/": "/news/attracting-companies/",
    "/partners/paris-saclay-cancer-cluster/": "/news/bioclusters-winner/",
    **{f"/platforms/platform-{n}/": "/news/five-research-platforms/" for n in range(1, 6)},
}
# The French address of each target above.
FRENCH = {"/news/attracting-companies/": "/fr/actualites/attirer-des-entreprises/", "/governance/": "/fr/gouvernance/",
          "/news/jobs-and-start-ups/": "/fr/actualites/emploi-et-start-up/", "/about/": "/fr/a-propos/",
          "/news/bioclusters-winner/": "/fr/actualites/laureat-bioclusters/",
          "/news/five-research-platforms/": "/fr/actualites/cinq-plateformes-de-recherche/"}
# A few of the French pages' untranslated addresses (config.yaml: untranslated_addresses: redirect).
UNTRANSLATED = {"/fr/news/": "/fr/actualites/", "/fr/news/official-launch/": "/fr/actualites/lancement-officiel/",
                "/fr/partners/amu/": "/fr/partenaires/amu/", "/fr/about/": "/fr/a-propos/", "/fr/search/": "/fr/recherche/",
                "/fr/tags/lancement/feed.xml": "/fr/mots-cles/lancement/feed.xml"}


def test_the_real_contents_old_addresses_redirect(nginx: Nginx):
    """The real content's aliases in both languages, and the French pages' untranslated addresses: each a 301 to a page that is served."""
    aliases = {**REAL_REDIRECTS, **{f"/fr{old}": FRENCH[new] for old, new in REAL_REDIRECTS.items()}}
    lines = (nginx.root / "_redirects.nginx").read_text().split("\n")
    found = dict(shlex.split(line.rstrip(";")) for line in lines if line.strip())
    assert {old: new for old, new in found.items() if old in aliases or not old.startswith("/fr/")} == aliases
    assert {old: found.get(old) for old in UNTRANSLATED} == UNTRANSLATED
    for alias, target in found.items():
        answer = fetch(nginx, alias)
        assert (answer.status, answer.header("Location")) == (301, target), alias
        assert fetch(nginx, target).status == 200, target


def test_alias_redirects(alias_nginx: Nginx):
    lines = (alias_nginx.root / "_redirects.nginx").read_text().split("\n")
    pairs = dict(shlex.split(line.rstrip(";")) for line in lines if line.strip())
    assert pairs.get("/old-news/") == ARTICLE, pairs
    assert pairs.get("/Actualités/Lancement.html") == ARTICLE, pairs  # the map holds the address as nginx decodes it
    assert "/fr/anciennes-nouvelles/" in pairs, pairs
    assert pairs.get(LONGEST_ALIAS) == ARTICLE, "nginx holds an alias as long as the schema allows in its map"
    for alias, target in pairs.items():
        answer = fetch(alias_nginx, quote(alias))  # as a browser sends it: /Actualit%C3%A9s/Lancement.html
        assert answer.status == 301, alias
        assert answer.header("Location") == target
        assert_security_headers(answer, alias)
        assert fetch(alias_nginx, target).status == 200, target
    assert fetch(alias_nginx, "/old-news/?from=feed").header("Location") == ARTICLE + "?from=feed"


def _wrk_figures(output: str) -> dict:
    """Requests/sec, latency, request count and errors from wrk's report."""

    def number(pattern: str, default: str = "0") -> str:
        found = re.search(pattern, output, re.MULTILINE)
        return found.group(1) if found else default

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(number(r"(\d+) requests in")),
        "requests_per_sec": float(number(r"Requests/sec:\s+([\d.]+)")),
        "latency_avg": number(r"^\s+Latency\s+(\S+)", "?"),
        "latency_max": number(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", "?"),
        "latency_p50": number(r"^\s+50%\s+(\S+)", "?"),
        "latency_p99": number(r"^\s+99%\s+(\S+)", "?"),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "non_2xx_3xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
    }


@pytest.mark.parametrize(("path", "gzipped"), [("/", False), (ARTICLE, False), ("/", True)], ids=["home", "article", "home-gzip"])
def test_load(nginx: Nginx, path: str, gzipped: bool, capsys, record_property):
    """A bounded run: 2 threads, 20 connections, 3 seconds on loopback, and not a single error."""
    wrk = require_tool("wrk", "wrk")
    headers = ["-H", "Accept-Encoding: gzip"] if gzipped else []
    command = [wrk, "-t2", "-c20", "-d3s", "--latency", *headers, nginx.url(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    figures = _wrk_figures(done.stdout)
    record_property(f"wrk {path}{' gzip' if gzipped else ''}", figures)
    with capsys.disabled():
        print(
            f"\nwrk -t2 -c20 -d3s {path}{' (Accept-Encoding: gzip)' if gzipped else ''}: {figures['requests_per_sec']:.0f} requests/sec, "
            f"{figures['requests']} requests, latency avg {figures['latency_avg']} p50 {figures['latency_p50']} "
            f"p99 {figures['latency_p99']} max {figures['latency_max']}, "
            f"{figures['socket_errors']} socket errors, {figures['non_2xx_3xx']} non-2xx/3xx"
        )
    assert figures["requests"] > 0, done.stdout
    assert figures["socket_errors"] == 0, done.stdout
    assert figures["non_2xx_3xx"] == 0, done.stdout


def test_calendars_are_served_as_calendars(alias_nginx: Nginx):
    """An .ics file (an event's, a listing's) answers text/calendar, so a click opens the calendar app."""
    calendar = alias_nginx.root / "calendar-check.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n")
    try:
        answer = fetch(alias_nginx, "/calendar-check.ics")
        assert (answer.status, answer.header("Content-Type").split(";")[0]) == (200, "text/calendar")
        assert fetch(alias_nginx, "/old-news/").status == 301  # the stock types are still there: HTML and redirects as before
        assert fetch(alias_nginx, "/").header("Content-Type").startswith("text/html")
    finally:
        calendar.unlink()


def test_admin_has_its_own_policy_and_every_other_header(nginx: Nginx):
    """/admin/ (published with cms: publish: true) gets the editor's policy and the site's other headers; the site keeps its policy."""
    from sitegen.publish.admin import admin_policy

    folder = nginx.root / "admin"
    folder.mkdir()
    try:
        (folder / "index.html").write_text("<!doctype html><title>Content editor</title>")
        (folder / ".secret").write_text("hidden")
        answer = fetch(nginx, "/admin/")
        assert (answer.status, answer.body) == (200, b"<!doctype html><title>Content editor</title>")
        assert answer.header("Content-Security-Policy") == admin_policy()
        for name, value in SECURITY_HEADERS.items():
            assert name == "Content-Security-Policy" or answer.header(name) == value, name
        assert answer.header("Cache-Control") == SHORT_CACHE
        assert fetch(nginx, "/admin/.secret").status == 404
        assert fetch(nginx, "/").header("Content-Security-Policy") == SECURITY_HEADERS["Content-Security-Policy"]
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def test_the_phone_measurement_serves_the_site_over_tls_and_http2(nginx: Nginx):
    """bench/search_latency.py's second server: the deployed configuration over TLS, offering HTTP/2 (what a CDN gives a phone)."""
    latency = load_script("mib_search_latency", REPO / "bench" / "search_latency.py")
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the certificate is made for the run
    context.set_alpn_protocols(["h2", "http/1.1"])
    with latency.http2(nginx.root) as origin:
        port = int(origin.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, context.wrap_socket(raw) as tls:
            assert tls.selected_alpn_protocol() == "h2"
        context.set_alpn_protocols(["http/1.1"])
        with urllib.request.urlopen(origin + "/search/", context=context, timeout=10) as answer:
            assert answer.status == 200
            assert answer.read() == (nginx.root / "search" / "index.html").read_bytes()
            assert answer.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
