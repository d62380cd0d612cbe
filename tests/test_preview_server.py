"""The preview server (issue #18, items 1 and 7): it answers only this machine's pages, never a hidden
path, HEAD as GET, a very long path with a 404, idle connections time out, a missing French address
gets the French 404 page, and its drafts go into a folder of their own, never into public/.

The handler is tested in this process on a folder of files (fast); `build.py serve` as a subprocess.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path

import pytest
from support import EPOCH, REPO, make_site, tree

from sitegen.tools import serve as preview  # the repository is on sys.path (conftest)

PAGES = {
    "index.html": '<!doctype html><html lang="en"><head><title>Home</title></head><body><h1>Home</h1></body></html>',
    "404.html": '<!doctype html><html lang="en"><head><title>Not found</title></head><body>Page not found</body></html>',
    "fr/index.html": '<!doctype html><html lang="fr"><head><title>Accueil</title></head><body>Accueil</body></html>',
    "fr/404.html": '<!doctype html><html lang="fr"><head><title>Introuvable</title></head><body>Page introuvable</body></html>',
    "news/draft/index.html": '<!doctype html><html lang="en"><head><title>Draft</title></head><body>DRAFT TEXT</body></html>',
    "css/style.css": "body { color: black }\n",
    ".env": "SECRET_KEY=hunter2\n",
    ".git/config": "[core]\n",
    "news/.secret": "hunter2\n",
}


class Server:
    """A preview handler serving a folder on a free loopback port, in this process."""

    def __init__(self, folder: Path, listening: str = "127.0.0.1"):
        state = preview.BuildState()
        state.finished([])
        handler = partial(preview.PreviewHandler, directory=str(folder), state=state, listening=listening)
        self.httpd = preview.listen(listening, 0, handler)
        self.port = self.httpd.server_address[1]
        self.address = "127.0.0.1" if listening in ("0.0.0.0", "") else listening
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def raw(self, request: bytes, timeout: float = 10) -> bytes:
        """Send raw bytes, read the whole answer (the server closes after it)."""
        with socket.create_connection((self.address, self.port), timeout=timeout) as conn:
            conn.sendall(request)
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        return answer

    def ask(self, method: str, path: str, host: str | None = "127.0.0.1", extra: str = "") -> tuple[int, dict, bytes]:
        """(status, headers, body) of one request, written by hand (so any Host, path or method can be sent)."""
        lines = [f"{method} {path} HTTP/1.1"] + ([f"Host: {host}"] if host is not None else []) + ([extra] if extra else [])
        answer = self.raw(("\r\n".join([*lines, "Connection: close", "", ""])).encode())
        head, _, body = answer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in header_lines)
        return int(status_line.split()[1]), headers, body

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def folder(tmp_path) -> Path:
    """A published-looking folder with pages in two languages and hidden files."""
    for rel, text in PAGES.items():
        path = tmp_path / "site" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "site"


@pytest.fixture
def server(folder):
    """The preview handler on the folder."""
    running = Server(folder)
    yield running
    running.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:{port}", "localhost", "LOCALHOST:{port}", "localhost.", "[::1]:{port}", "[::1]"])
def test_the_loopback_names_are_answered(server, host):
    """127.0.0.1, localhost and [::1], with or without the port."""
    status, _, body = server.ask("GET", "/news/draft/", host.format(port=server.port))
    assert status == 200 and b"DRAFT TEXT" in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example:{port}",
                                  "192.168.1.10:{port}", "", "a b", "127.0.0.1:{port}@evil.example"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_other_host_names_are_refused_so_a_rebinding_page_reads_nothing(server, host, method):
    """A page of another site whose name now points at 127.0.0.1 sends its own name: 421, no draft, GET or HEAD."""
    status, _, body = server.ask(method, "/news/draft/", host.format(port=server.port))
    assert status == 421
    assert b"DRAFT" not in body and (body == b"" if method == "HEAD" else body.startswith(b"misdirected request"))


def test_two_host_headers_are_a_bad_request(server):
    """Two Host headers (one to pass the check, one for a proxy to route by): 400."""
    assert server.ask("GET", "/", "127.0.0.1", extra="Host: evil.example")[0] == 400


def test_the_address_given_with_host_is_answered(folder):
    """--host 127.0.0.2: its own address is answered too; with 0.0.0.0, any address written as digits."""
    for listening, host, expected in (("127.0.0.2", "127.0.0.2:{port}", 200), ("0.0.0.0", "10.1.2.3:{port}", 200),
                                      ("0.0.0.0", "evil.example:{port}", 421)):
        running = Server(folder, listening)
        try:
            assert running.ask("GET", "/", host.format(port=running.port))[0] == expected, (listening, host)
        finally:
            running.close()


@pytest.mark.parametrize("path", ["/.env", "/%2eenv", "/%252eenv", "/.git/config", "/.git/", "/news/.secret", "/news/%2Esecret",
                                  "/.", "/./index.html", "/..%2f.env", "/css/../.env", "/.preview.mib-portal"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_hidden_paths_are_never_served(server, path, method):
    """Any segment starting with a dot, encoded once or twice: 404 (the site's page), GET and HEAD alike."""
    status, _, body = server.ask(method, path)
    assert status == 404
    assert b"hunter2" not in body and b"[core]" not in body


def test_head_answers_as_get_without_a_body(server):
    """HEAD: the status and headers GET would give (the reload script included in the length), no body."""
    get_status, get_headers, get_body = server.ask("GET", "/news/draft/")
    status, headers, body = server.ask("HEAD", "/news/draft/")
    assert (status, body) == (get_status, b"") and headers["Content-Length"] == get_headers["Content-Length"] == str(len(get_body))
    assert server.ask("HEAD", "/css/style.css")[0] == 200
    assert server.ask("HEAD", "/missing/")[0] == 404
    assert server.raw(b"HEAD /../config.yaml HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 404")


@pytest.mark.parametrize("path", ["/" + "a" * 10_000, "/news/" + "b" * 256 + "/", "/" + "c/" * 3000, "/" + "%41" * 3000])
def test_a_very_long_path_is_a_404(server, path):
    """A 10,000-character segment, a name over 255 bytes, a path over 4 KB: the 404 page, not a dropped connection."""
    status, _, body = server.ask("GET", path)
    assert status == 404 and b"Page not found" in body


@pytest.mark.parametrize(("path", "page"), [("/fr/nope/", b"Page introuvable"), ("/fr/news/gone/", b"Page introuvable"),
                                            ("/nope/", b"Page not found"), ("/news/gone/", b"Page not found"),
                                            ("/frx/", b"Page not found"), ("/de/nope/", b"Page not found")])
def test_a_missing_address_gets_the_404_page_of_its_language(server, path, page):
    """A missing /fr/... address: fr/404.html, in French, with status 404; other missing addresses: 404.html."""
    status, headers, body = server.ask("GET", path)
    assert status == 404 and page in body and headers["Content-Type"] == "text/html; charset=utf-8"


def test_every_answer_forbids_framing_and_loading_by_other_sites(server):
    """Pages of other sites may neither frame the preview nor load its files (no-cors reads of drafts)."""
    for path in ("/", "/css/style.css", "/missing/", "/__mib/reload.js"):
        headers = server.ask("GET", path)[1]
        assert headers["X-Frame-Options"] == "DENY" and headers["Content-Security-Policy"] == "frame-ancestors 'none'"
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin" and headers["X-Content-Type-Options"] == "nosniff"


def test_idle_connections_are_closed(folder, monkeypatch):
    """A connection that sends nothing is closed after the idle timeout, freeing its thread."""
    monkeypatch.setattr(preview.PreviewHandler, "timeout", 0.5)
    running = Server(folder)
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finished
            started = time.monotonic()
            assert conn.recv(100) == b""
            assert time.monotonic() - started < 5
        assert running.ask("GET", "/")[0] == 200, "the server still answers"
    finally:
        running.close()


# -- `build.py serve` ---------------------------------------------------------------------------------


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


def _serve(site: Path, *args: str) -> subprocess.Popen:
    """`build.py serve` on the site, from its folder."""
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--no-search", *args], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


def test_the_preview_builds_drafts_into_its_own_folder(tmp_path):
    """Drafts are previewed from .cache/preview/; public/, built before, is left exactly as it was (no draft, sitemap, feed)."""
    site = make_site(tmp_path)
    assert subprocess.run([sys.executable, str(REPO / "build.py"), "--no-search", "-q"], cwd=site,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}).returncode == 0
    before = tree(site / "public")
    port = _free_port()
    process = _serve(site, "--port", str(port))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if _get(f"http://127.0.0.1:{port}/news/draft-post/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        article = site / "content/news/draft-post.md"
        article.write_text(article.read_text() + "\nEdited in the preview.\n")
        deadline = time.monotonic() + 30
        while "Edited in the preview." not in _get(f"http://127.0.0.1:{port}/news/draft-post/")[1] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "Edited in the preview." in _get(f"http://127.0.0.1:{port}/news/draft-post/")[1]
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert f"serving {site}/.cache/preview at http://127.0.0.1:{port}/" in output
    assert "Traceback" not in output
    assert tree(site / "public") == before
    assert b"draft-post" not in before["sitemap.xml"] and b"draft-post" not in before["feed.xml"]
    assert (site / ".cache/preview/news/draft-post/index.html").is_file()


@pytest.mark.parametrize("given", ["public", "public/drafts", "./public/"])
def test_the_preview_never_writes_into_the_published_folder(tmp_path, given):
    """`serve --output public` (the folder config.yaml publishes), or a folder inside it: a usage error, nothing built."""
    site = make_site(tmp_path, warm=False)
    process = _serve(site, "--output", given, "--port", str(_free_port()))
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 2
    assert output == (f"error: --output {Path(given)}: the preview builds drafts, never into the folder that gets published "
                      "(leave --output out: the preview builds into .cache/preview/)\n")
    assert not (site / "public").exists() and not (site / ".cache").exists()


def test_a_port_in_use_is_one_line(tmp_path):
    """The port taken by another program: exit 2, one line naming --port, before anything is built."""
    site = make_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _serve(site, "--port", str(port))
        output = process.communicate(timeout=60)[0]
    assert process.returncode == 2
    assert output == (f"error: --port {port}: cannot listen on 127.0.0.1:{port}: Address already in use "
                      "(choose another port with --port, or stop the program that uses it)\n")
    assert not (site / ".cache" / "preview" / "index.html").exists()
