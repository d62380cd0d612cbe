"""The editors' live preview: serve the output folder, rebuild on change, reload the browser.

A small standard-library server replaces the livereload package, whose 3-second reload
throttle drops reloads after quick saves and whose poller builds once per changed path.
Here one watcher thread hears of changes to the sources from the operating system
(inotify, through watchfiles; it polls where that is unavailable), waits for saves to
settle, builds once, and tells open pages through Server-Sent Events; a failed build is
shown in the browser instead of the pages until a good build replaces it.
"""

from __future__ import annotations

import html
import os
import posixpath
import threading
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.15
SETTLE_MS = 80  # a save settles when no other change follows within this time
GROUP_MS = 1600  # changes that keep coming are built together at most this long after the first
TICK_MS = 100  # the watcher reports in at least this often (the first report means it is listening)
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


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves only the output folder; adds the reload script; shows build errors."""

    state: BuildState

    def __init__(self, *args, state: BuildState, **kwargs):
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:
        """Stay quiet: the terminal is for build messages."""

    def do_GET(self) -> None:
        """Route reload plumbing, refuse escapes, inject the script into pages."""
        path = urlsplit(self.path).path
        if path == CLIENT_PATH:
            return self._send(200, "text/javascript", (CLIENT_JS % (self.state.number, EVENTS_PATH)).encode())
        if path == EVENTS_PATH:
            return self._events()
        if _escapes(path):
            return self._send(404, "text/plain", b"not found\n")
        if self.state.problems and (path.endswith("/") or path.endswith(".html")):
            return self._send(500, "text/html; charset=utf-8", error_page(self.state.problems, self.state.number))
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send(200, "text/html; charset=utf-8", inject(file.read_bytes(), self.state.number))
        if not file.exists():
            return self._not_found()
        return super().do_GET()

    def _not_found(self) -> None:
        """The site's own 404 page, with status 404."""
        page = Path(self.directory) / "404.html"
        body = inject(page.read_bytes(), self.state.number) if page.is_file() else b"not found\n"
        self._send(404, "text/html; charset=utf-8", body)

    def _events(self) -> None:
        """A Server-Sent Events stream: one message per finished build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
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

    def _send(self, status: int, kind: str, body: bytes) -> None:
        """A complete response."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _escapes(path: str) -> bool:
    """True for any path with a '..' segment, encoded or not, or a backslash."""
    decoded = unquote(unquote(path))
    return ".." in decoded.split("/") or "\\" in decoded or "\x00" in decoded or posixpath.isabs(decoded[1:])


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


def watch(paths: list[Path], rebuild: Callable[[], None], stop: threading.Event, watching: threading.Event | None = None) -> None:
    """Wait for changes to the sources; after they settle, rebuild once. Sets `watching` once changes are heard."""
    present = [str(path) for path in paths if path.exists()]
    try:
        for changes in watchfiles.watch(*present, step=SETTLE_MS, debounce=GROUP_MS, stop_event=stop, raise_interrupt=False,
                                        rust_timeout=TICK_MS, yield_on_timeout=True):
            if watching is not None:
                watching.set()
            if changes:
                rebuild()
    except (OSError, RuntimeError):  # no inotify here, or its limit reached
        if not stop.is_set():
            poll(paths, rebuild, stop, watching)


def poll(paths: list[Path], rebuild: Callable[[], None], stop: threading.Event, watching: threading.Event | None = None) -> None:
    """Poll the sources; after changes settle, rebuild once."""
    seen = snapshot(paths)
    if watching is not None:
        watching.set()
    while not stop.wait(POLL_SECONDS):
        current = snapshot(paths)
        if current == seen:
            continue
        while not stop.wait(SETTLE_SECONDS):
            settled = snapshot(paths)
            if settled == current:
                break
            current = settled
        seen = current
        rebuild()


def serve(out_dir: Path, watched: list[Path], build: Callable[[], list[str]], host: str, port: int, ready: Callable[[str], None] | None = None) -> None:
    """Build, serve out_dir on host:port, rebuild and reload on every change until interrupted."""
    state = BuildState()
    state.finished(build())
    stop, watching = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch, args=(watched, lambda: state.finished(build()), stop, watching), daemon=True)
    watcher.start()
    watching.wait(WATCH_START_SECONDS)  # a save made once the page can be opened is always heard
    server = ThreadingHTTPServer((host, port), partial(PreviewHandler, directory=str(out_dir), state=state))
    server.daemon_threads = True
    address = f"http://{host}:{server.server_address[1]}/"
    if ready:
        ready(address)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()

