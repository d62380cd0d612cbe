"""Build a copy of the real site in a folder and serve it on 127.0.0.1 the way production hosting does.

Shared by the browser tests (conftest.py) and the Lighthouse audit (audit.py, which puts tests/ on sys.path).
"""

from __future__ import annotations

import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from support import copy_real_site, run_build

from sitegen.publish.hosting import SECURITY_HEADERS

CHROMIUM = "/usr/bin/chromium"
# Required on this closed network, or Chromium stalls retrying connections (see the recipe).
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def build_site(folder: Path) -> Path:
    """Build a copy of the real site in folder/site (search index, output and cache all there); its public/ folder."""
    site = copy_real_site(folder / "site")
    done = run_build(site, "-q", search=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"the build failed:\n{done}")
    return site / "public"


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with the production security headers (CSP included) and a real 404 page."""

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        """Missing paths get the nearest 404.html up the tree (/fr/… gets /fr/404.html), status 404."""
        if code != 404 or self.command not in ("GET", "HEAD"):
            return super().send_error(code, message, explain)
        page = self._not_found_page()
        if page is None:
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)
        return None

    def _not_found_page(self) -> Path | None:
        root = Path(self.directory)
        parts = [p for p in self.path.split("?", 1)[0].split("#", 1)[0].split("/") if p and p not in (".", "..")]
        for depth in range(len(parts), -1, -1):
            candidate = root.joinpath(*parts[:depth], "404.html")
            if candidate.is_file():
                return candidate
        return None

    def log_message(self, format, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    """A browser closing a connection mid-response is normal here, not an error to print."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    """A ThreadingHTTPServer on a free port of 127.0.0.1, in a daemon thread."""

    def __init__(self, folder: Path):
        self.httpd = QuietServer(("127.0.0.1", 0), partial(SiteHandler, directory=str(folder)))
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
