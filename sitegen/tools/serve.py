"""The editors' live preview: serve the output folder, rebuild on change, reload the browser.

A small standard-library server replaces the livereload package, whose 3-second reload
throttle drops reloads after quick saves and whose poller builds once per changed path.
Here one watcher thread hears of changes to the sources from the operating system
(inotify, through watchfiles; it polls where that is unavailable), waits for saves to
settle, builds once, and tells open pages through Server-Sent Events; a failed build is
shown in the browser instead of the pages until a good build replaces it. With a CMS backend
(build.py gives it one), /admin/ is the browser editor and POST /api/v1 its backend
(cms_admin.py, cms_backend.py); a save there is a change to the sources like any other.
"""

from __future__ import annotations

import errno
import gc
import html
import ipaddress
import json
import os
import posixpath
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from ..problems import UsageError
from .cms_admin import ADMIN_CSP, admin_file
from .cms_backend import Backend
from .cms_config import API_PATH

POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.15
SETTLE_MS = 80  # a save settles when no other change follows within this time
GROUP_MS = 1600  # changes that keep coming are built together at most this long after the first
TICK_MS = 100  # the watcher reports in at least this often (the first report means it is listening)
RESUME_SECONDS = 2.0  # the cycle collector resumes after a rebuild once no change has come for this long
WATCH_START_SECONDS = 10
CLIENT_PATH = "/__mib/reload.js"
EVENTS_PATH = "/__mib/events"
CLIENT_JS = """(() => {
  const loaded = document.documentElement.dataset.mibBuild || "%s";
  const events = new EventSource("%s");
  events.onmessage = (e) => { if (e.data !== loaded) location.reload(); };
})();
"""


class BuildState:
    """The outcome of the latest build, shared between the watcher and the request handlers."""

    def __init__(self) -> None:
        self.number = 0
        self.problems: list[str] = []
        self.changed = threading.Condition()

    def finished(self, problems: list[str]) -> None:
        """Record a build and wake every waiting browser."""
        with self.changed:
            self.number += 1
            self.problems = problems
            self.changed.notify_all()

    def wait_after(self, number: int, timeout: float) -> int:
        """Block until a build newer than `number` (or the timeout); the newest number."""
        with self.changed:
            self.changed.wait_for(lambda: self.number != number, timeout=timeout)
            return self.number


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
IDLE_SECONDS = 20  # a connection that sends nothing for this long is closed
MAX_NAME = 255  # no file or folder name is longer: a longer segment is a 404 at once
MAX_PATH = 4096
EDITOR_LOCAL = b"forbidden: the browser editor answers only on this machine (open it on the machine that runs the preview)\n"
MAX_BODY = 30_000_000  # bytes of one request to the editor's backend (a 20 MB picture in base64, with room)
# Sent with every answer: pages of other sites may neither frame the preview nor load its files.
PREVIEW_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
}
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")


def host_allowed(header: str, listening: str) -> bool:
    """True when a Host header names this machine's loopback or the address the preview listens on.

    A page of another site whose name was made to point at 127.0.0.1 (DNS rebinding) sends its
    own name: refused. Listening on every address (0.0.0.0, ::), any address written as digits
    and this machine's name are accepted too; a rebinding page cannot send those.
    """
    found = _HOST.fullmatch(header.strip())
    if found is None:
        return False
    name, listening = found.group(1).strip("[]").lower().rstrip("."), listening.strip("[]").lower()
    if name in LOOPBACK or name == listening:
        return True
    return listening in ("", "0.0.0.0", "::") and (_is_address(name) or name == socket.gethostname().lower())


def _is_address(name: str) -> bool:
    """True for an IP address written as such."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves only the output folder, to this machine's own pages; adds the reload script; shows build errors."""

    state: BuildState
    timeout = IDLE_SECONDS  # the socket's timeout: idle connections end instead of holding a thread

    def __init__(self, *args, state: BuildState, listening: str = "127.0.0.1", cms: Backend | None = None, **kwargs):
        self.state = state
        self.listening = listening
        self.cms = cms
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:
        """Stay quiet: the terminal is for build messages."""

    def end_headers(self) -> None:
        """Every answer carries PREVIEW_HEADERS."""
        for name, value in PREVIEW_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:
        """A page, a file, the reload plumbing, or a refusal."""
        self._answer(head=False)

    def do_HEAD(self) -> None:
        """As GET, without the body: the same checks."""
        self._answer(head=True)

    def do_POST(self) -> None:
        """The editor's backend at /api/v1 (only when the preview has it); nothing else takes a POST."""
        if self._host_refused(False):
            return
        if self.cms is None or urlsplit(self.path).path != API_PATH:
            return self._send(405, "text/plain", b"method not allowed\n")
        if not self._from_this_machine():
            return self._send(403, "text/plain", EDITOR_LOCAL)
        refusal = self._api_refusal()
        if refusal:
            return self._send(*refusal)
        try:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested deeper than the parser goes
            return self._send(400, "application/json", b'{"error": "the request is not JSON"}')
        answer = self.cms.answer(request)
        self._send(answer.status, "application/json", json.dumps(answer.body).encode())

    def _from_this_machine(self) -> bool:
        """True when the client connected from this machine's loopback (the browser editor writes files: never from elsewhere)."""
        try:
            client = ipaddress.ip_address(str(self.client_address[0]).split("%")[0])
        except ValueError:
            return False
        mapped = getattr(client, "ipv4_mapped", None)
        return client.is_loopback or bool(mapped and mapped.is_loopback)

    def _api_refusal(self) -> tuple[int, str, bytes] | None:
        """Why a request to the backend is refused (not JSON, from another site's page, too large), or None."""
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            return 415, "text/plain", b"the editor's backend takes application/json only\n"
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.headers.get('Host', '')}":
            return 403, "text/plain", b"forbidden: only the editor's own page may call its backend\n"
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            return 403, "text/plain", b"forbidden: only the editor's own page may call its backend\n"
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            return 411, "text/plain", b"a request to the editor's backend gives its Content-Length\n"
        if int(length) > MAX_BODY:
            self.close_connection = True
            return 413, "text/plain", f"too large: at most {MAX_BODY // 1_000_000} MB per request\n".encode()
        return None

    def _host_refused(self, head: bool) -> bool:
        """Answer and return True when the Host header is repeated or names another site (DNS rebinding)."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            self._send(400, "text/plain", b"bad request: several Host headers\n", head)
            return True
        if hosts and not host_allowed(hosts[0], self.listening):
            self._send(421, "text/plain", b"misdirected request: this preview answers only to its own address\n", head)
            return True
        return False

    def _answer(self, head: bool) -> None:
        """Route one request: check the host, refuse escapes and hidden names, inject the script into pages."""
        if self._host_refused(head):
            return
        path = urlsplit(self.path).path
        if self.cms is not None and (path == "/admin" or path.startswith("/admin/")):
            if not self._from_this_machine():
                return self._send(403, "text/plain", EDITOR_LOCAL, head)
            status, kind, body = admin_file(path, self.cms.config)
            return self._send(status, kind, body, head, {"Content-Security-Policy": ADMIN_CSP})
        if path == CLIENT_PATH:
            return self._send(200, "text/javascript", (CLIENT_JS % (self.state.number, EVENTS_PATH)).encode(), head)
        if path == EVENTS_PATH:
            return self._events(head)
        if refused(path):
            return self._not_found(path, head)
        if self.state.problems and (path.endswith("/") or path.endswith(".html")):
            return self._send(500, "text/html; charset=utf-8", error_page(self.state.problems, self.state.number), head)
        file = self._existing(path)
        if file is None:
            return self._not_found(path, head)
        if file.suffix == ".html":
            page = _read(file)
            if page is None:
                return self._not_found(path, head)
            return self._send(200, "text/html; charset=utf-8", inject(page, self.state.number), head)
        return super().do_HEAD() if head else super().do_GET()

    def _existing(self, path: str) -> Path | None:
        """The file a path names (a folder's index.html), or None."""
        file = Path(self.translate_path(path))
        try:
            if file.is_dir():
                file = file / "index.html"
            return file if file.is_file() else None
        except OSError:  # a name too long, a loop: nothing there
            return None

    def _not_found(self, path: str, head: bool = False) -> None:
        """The site's own 404 page in the address's language (/fr/... gets fr/404.html), with status 404."""
        page = not_found_page(Path(self.directory), path)
        body = _read(page) if page is not None else None
        body = inject(body, self.state.number) if body is not None else b"not found\n"
        self._send(404, "text/html; charset=utf-8", body, head)

    def _events(self, head: bool) -> None:
        """A Server-Sent Events stream: one message per finished build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if head:
            return
        number = self.state.number
        try:
            self.wfile.write(f"data: {number}\n\n".encode())
            self.wfile.flush()
            while True:
                newer = self.state.wait_after(number, timeout=15)
                message = f"data: {newer}\n\n" if newer != number else ": keep-alive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                number = newer
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _send(self, status: int, kind: str, body: bytes, head: bool = False, extra: dict[str, str] | None = None) -> None:
        """A complete response (headers only for HEAD)."""
        self.send_response(status)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: one thread per connection; a client that goes away is no error to print."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """One line for an unexpected error, nothing for a closed or idle connection."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            print(f"preview server: {type(error).__name__}: {error}", file=sys.stderr, flush=True)


def refused(path: str) -> bool:
    """True for a path the preview never serves: escapes, hidden names, names longer than any file's."""
    return _escapes(path) or _hidden(path) or _too_long(path)


def _escapes(path: str) -> bool:
    """True for any path with a '..' segment, encoded or not, or a backslash."""
    decoded = unquote(unquote(path))
    return ".." in decoded.split("/") or "\\" in decoded or "\x00" in decoded or posixpath.isabs(decoded[1:])


def _hidden(path: str) -> bool:
    """True when a segment (decoded once or twice) starts with a dot: .env, .git/, .DS_Store..."""
    return any(part.startswith(".") for text in (unquote(path), unquote(unquote(path))) for part in text.split("/"))


def _too_long(path: str) -> bool:
    """True for a path or a segment longer than the file system allows."""
    return len(path) > MAX_PATH or any(len(part.encode()) > MAX_NAME for part in unquote(path).split("/"))


def not_found_page(folder: Path, path: str) -> Path | None:
    """The 404 page for a missing path: its first folder's 404.html (a language's: fr/404.html), else the site's."""
    parts = unquote(path).lstrip("/").split("/")
    candidates = [folder / parts[0] / "404.html"] if len(parts) > 1 and parts[0] else []
    for candidate in [*candidates, folder / "404.html"]:
        try:
            if candidate.is_file():
                return candidate
        except OSError:
            continue
    return None


def _read(file: Path) -> bytes | None:
    """A file's bytes (None when it went away or cannot be read)."""
    try:
        return file.read_bytes()
    except OSError:
        return None


def inject(page: bytes, number: int) -> bytes:
    """Add the reload script to a page, tagged with the build it came from."""
    tag = f'<script src="{CLIENT_PATH}" defer></script>'.encode()
    page = page.replace(b"<html ", f'<html data-mib-build="{number}" '.encode(), 1)
    if b"</body>" in page:
        return page.replace(b"</body>", tag + b"</body>", 1)
    return page + tag


def error_page(problems: list[str], number: int) -> bytes:
    """The page shown instead of the site while the latest build has errors."""
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a">
<main><h1 style="color:#a30000">The site could not be built</h1>
<p>Fix these problems and save: this page reloads by itself when the build succeeds.</p>
<ul class="build-problems" style="line-height:1.6">{items}</ul></main>
</body></html>"""
    return inject(page.encode(), number)


def snapshot(paths: list[Path]) -> frozenset:
    """(path, mtime, size) of every file under the watched paths."""
    found = set()
    for top in paths:
        if top.is_file():
            stat = top.stat()
            found.add((str(top), stat.st_mtime_ns, stat.st_size))
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                found.add((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return frozenset(found)


class Collector:
    """The cycle collector held off from a rebuild until the watcher has been idle a while.

    Resumed as a build ends, the collector walked every object the build had made (30-110 ms at
    10,000 articles) before the browsers were told to reload, or while they loaded the page. It
    resumes once no change has come for RESUME_SECONDS instead, the page long since reloaded, and
    collects then: a build's graph is garbage in cycles (its values, its templates and its rules
    refer to one another), and the build's parallel passes leave it among the oldest objects, which
    the collector otherwise visits only once they have grown by a quarter.
    """

    def __init__(self) -> None:
        self.held_since: float | None = None

    def rebuild(self, rebuild: Callable[[], None]) -> None:
        """One rebuild, the collector off until `idle` resumes it."""
        gc.disable()
        try:
            rebuild()
        finally:
            self.held_since = time.monotonic()

    def idle(self) -> None:
        """The watcher heard nothing: resume the collector once it has heard nothing for a while."""
        if self.held_since is not None and time.monotonic() - self.held_since >= RESUME_SECONDS:
            self.held_since = None
            gc.enable()
            gc.collect()


def watch(paths: list[Path], rebuild: Callable[[], None], stop: threading.Event, watching: threading.Event | None = None) -> None:
    """Wait for changes to the sources; after they settle, rebuild once. Sets `watching` once changes are heard."""
    present = [str(path) for path in paths if path.exists()]
    collector = Collector()
    try:
        for changes in watchfiles.watch(*present, step=SETTLE_MS, debounce=GROUP_MS, stop_event=stop, raise_interrupt=False,
                                        rust_timeout=TICK_MS, yield_on_timeout=True):
            if watching is not None:
                watching.set()
            if changes:
                collector.rebuild(rebuild)
            else:
                collector.idle()
    except (OSError, RuntimeError):  # no inotify here, or its limit reached
        if not stop.is_set():
            poll(paths, rebuild, stop, watching, collector)


def poll(paths: list[Path], rebuild: Callable[[], None], stop: threading.Event, watching: threading.Event | None = None,
         collector: Collector | None = None) -> None:
    """Poll the sources; after changes settle, rebuild once."""
    collector = collector or Collector()
    seen = snapshot(paths)
    if watching is not None:
        watching.set()
    while not stop.wait(POLL_SECONDS):
        current = snapshot(paths)
        if current == seen:
            collector.idle()
            continue
        while not stop.wait(SETTLE_SECONDS):
            settled = snapshot(paths)
            if settled == current:
                break
            current = settled
        seen = current
        collector.rebuild(rebuild)


PREVIEW = Path(".cache") / "preview"


def preview_folder(root: Path, published: Path, given: Path | None) -> Path:
    """Where the preview builds, drafts included: .cache/preview/, or --output, never the folder that gets published."""
    if given is None:
        return (root / PREVIEW).absolute()
    folder = given.absolute()
    if _within(folder, published):
        raise UsageError(f"--output {given}: the preview builds drafts, never into the folder that gets published",
                         f"leave --output out: the preview builds into {PREVIEW}/")
    return folder


def _within(folder: Path, top: Path) -> bool:
    """True when a folder is `top` or inside it (links followed)."""
    try:
        return folder.resolve().is_relative_to(top.resolve())
    except (OSError, RuntimeError):
        return folder.absolute().is_relative_to(top.absolute())


def serve(out_dir: Path, watched: list[Path], build: Callable[[], list[str]], host: str, port: int, ready: Callable[[str], None] | None = None,
          cms: Backend | None = None) -> None:
    """Build, serve out_dir on host:port, rebuild and reload on every change until interrupted.

    The address is taken first (a port in use is a UsageError before anything is built); connections
    are accepted once the first build is done and the watcher listens.
    """
    state = BuildState()
    server = listen(host, port, partial(PreviewHandler, directory=str(out_dir), state=state, listening=host, cms=cms), activate=False)
    try:
        state.finished(build())
        stop, watching = threading.Event(), threading.Event()
        watcher = threading.Thread(target=watch, args=(watched, lambda: state.finished(build()), stop, watching), daemon=True)
        watcher.start()
        watching.wait(WATCH_START_SECONDS)  # a save made once the page can be opened is always heard
        server.server_activate()
        shown_host = f"[{host}]" if ":" in host else host
        if ready:
            ready(f"http://{shown_host}:{server.server_address[1]}/")
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
    finally:
        server.server_close()


def listen(host: str, port: int, handler, activate: bool = True) -> PreviewServer:
    """The preview's server bound to host:port (listening unless `activate` is False); UsageError naming --host or --port when it cannot."""
    server_class = type("PreviewServer6", (PreviewServer,), {"address_family": socket.AF_INET6}) if ":" in host else PreviewServer
    server = server_class((host, port), handler, bind_and_activate=False)
    try:
        server.server_bind()
        if activate:
            server.server_activate()
        return server
    except socket.gaierror as exc:
        server.server_close()
        raise UsageError(f"--host {host}: not an address of this machine: {exc.strerror or exc}", "leave --host out to listen on 127.0.0.1") from None
    except OSError as exc:
        server.server_close()
        if exc.errno == errno.EADDRNOTAVAIL:
            raise UsageError(f"--host {host}: not an address of this machine: {exc.strerror}", "leave --host out to listen on 127.0.0.1") from None
        raise UsageError(f"--port {port}: cannot listen on {host}:{port}: {exc.strerror or exc}",
                         "choose another port with --port, or stop the program that uses it") from None
