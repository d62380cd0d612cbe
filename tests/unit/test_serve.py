"""The preview server in this process: its event stream, the reload script, error pages, escapes, and the
watcher's polling fallback, driven by an injected clock (no sleeping, no timing window)."""

from __future__ import annotations

import gc
import http.client
import threading
import weakref
from functools import partial
from http.server import ThreadingHTTPServer

import pytest

from sitegen.tools import serve
from sitegen.tools.serve import BuildState, PreviewHandler, error_page, inject


@pytest.fixture(autouse=True)
def _collector_back_on():
    """The watcher holds the cycle collector off after a rebuild: each test ends with it on again."""
    yield
    gc.enable()


@pytest.fixture
def preview(tmp_path):
    """PreviewHandler serving tmp_path/public on a port the system picked (bound before anyone connects)."""
    public = tmp_path / "public"
    (public / "news").mkdir(parents=True)
    (public / "index.html").write_text('<!doctype html><html lang="en"><body><h1>Home</h1></body></html>')
    (public / "news" / "index.html").write_text('<html lang="en"><body>News</body></html>')
    (public / "404.html").write_text('<html lang="en"><body>Not here</body></html>')
    (public / "style.css").write_text("body{}")
    state = BuildState()
    state.finished([])
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(PreviewHandler, directory=str(public), state=state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield server.server_address[1], state
    server.shutdown()
    server.server_close()


def get(port: int, path: str) -> tuple[int, str, str]:
    """Status, Content-Type and body of a GET (the path sent as it is)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read().decode()
    finally:
        connection.close()


def test_pages_carry_the_reload_script_tagged_with_their_build(preview):
    port, _state = preview
    status, kind, body = get(port, "/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert body == ('<!doctype html><html data-mib-build="1" lang="en"><body><h1>Home</h1>'
                    '<script src="/__mib/reload.js" defer></script></body></html>')
    assert get(port, "/news/")[2].startswith('<html data-mib-build="1" lang="en"><body>News')
    assert get(port, "/style.css")[:3] == (200, "text/css", "body{}")


def test_the_reload_script_listens_to_the_event_stream(preview):
    port, _state = preview
    status, kind, body = get(port, "/__mib/reload.js")
    assert (status, kind) == (200, "text/javascript")
    assert 'document.documentElement.dataset.mibBuild || "1"' in body and 'new EventSource("/__mib/events")' in body


def test_event_stream_says_the_current_build_then_each_new_one(preview):
    port, state = preview
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/__mib/events")
    response = connection.getresponse()
    assert (response.status, response.getheader("Content-Type"), response.getheader("Cache-Control")) == (200, "text/event-stream", "no-cache")
    assert response.readline() == b"data: 1\n" and response.readline() == b"\n"
    state.finished([])
    assert response.readline() == b"data: 2\n" and response.readline() == b"\n"
    state.finished(["content/news/x.md:3: error: bad"])
    assert response.readline() == b"data: 3\n"
    connection.close()


def test_event_stream_keeps_the_connection_alive_between_builds(tmp_path, monkeypatch):
    """When no build comes within the wait, the stream sends a comment, so proxies and browsers keep it open."""
    waits, gone = [], threading.Event()

    class Quiet(BuildState):
        def wait_after(self, number, timeout):
            waits.append(timeout)
            if len(waits) > 1:
                gone.set()
                raise BrokenPipeError  # the browser went away: the handler returns
            return number  # no newer build within the timeout

    state = Quiet()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(PreviewHandler, directory=str(tmp_path), state=state))
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.request("GET", "/__mib/events")
    response = connection.getresponse()
    assert [response.readline() for _ in range(4)] == [b"data: 0\n", b"\n", b": keep-alive\n", b"\n"]
    assert gone.wait(10)
    connection.close()
    thread.join(10)
    server.server_close()
    assert waits == [15, 15]


def test_a_failed_build_shows_its_problems_instead_of_pages(preview):
    port, state = preview
    state.finished(["content/news/x.md:3: error: 'date' must be a date like 2024-01-15, got '<b>'"])
    status, kind, body = get(port, "/news/")
    assert (status, kind) == (500, "text/html; charset=utf-8")
    assert ("<li><code>content/news/x.md:3: error: &#x27;date&#x27; must be a date like 2024-01-15, got &#x27;&lt;b&gt;&#x27;"
            "</code></li>") in body
    assert 'data-mib-build="2"' in body and '<script src="/__mib/reload.js" defer></script></body>' in body
    assert get(port, "/style.css")[0] == 200, "files other than pages are still served"
    state.finished([])
    assert get(port, "/news/")[0] == 200


@pytest.mark.parametrize("path", ["/../secret", "/%2e%2e/secret", "/%252e%252e/secret", "/a/..%2f..%2fsecret", "/..\\secret", "/x%00y"])
def test_escapes_are_not_found(preview, path):
    """An escape out of the preview's folder, in any encoding, is a missing page: the site's own 404 page."""
    port, _state = preview
    assert get(port, path) == (404, "text/html; charset=utf-8", NOT_HERE)


NOT_HERE = '<html data-mib-build="1" lang="en"><body>Not here<script src="/__mib/reload.js" defer></script></body></html>'


@pytest.mark.parametrize("path", ["/nowhere/", "//etc/passwd"])  # '//etc' reads as a host name: the path is empty
def test_a_missing_page_gets_the_sites_404_page(preview, path):
    port, _state = preview
    assert get(port, path) == (404, "text/html; charset=utf-8", NOT_HERE)


def test_inject_and_error_page():
    assert inject(b"<p>no body tag</p>", 4) == b'<p>no body tag</p><script src="/__mib/reload.js" defer></script>'
    page = error_page(["a.md: error: <x>"], 5).decode()
    assert page.startswith("<!doctype html>\n<html data-mib-build=\"5\" lang=\"en\">") and "<code>a.md: error: &lt;x&gt;</code>" in page


# -- the polling fallback, on an injected clock --------------------------------------------------------


class Clock:
    """Stands for the stop event: each wait is one tick of the poller, which sees the next listing of the script."""

    def __init__(self, monkeypatch, listings: list[str]):
        self.listings = iter(listings)
        self.current = next(self.listings)
        self.ticks: list[float] = []
        monkeypatch.setattr(serve, "snapshot", lambda paths: frozenset([self.current]))

    def wait(self, seconds: float) -> bool:
        """True (stop) when the script is over; else the next listing is what the sources look like now."""
        self.ticks.append(seconds)
        try:
            self.current = next(self.listings)
        except StopIteration:
            return True
        return False

    def is_set(self) -> bool:
        return False


def test_polling_builds_once_when_saves_have_settled(monkeypatch):
    """Two saves in a row (listings b, then c) and one later save (d): two builds, each once the listing stopped changing."""
    clock = Clock(monkeypatch, ["a", "a", "b", "c", "c", "c", "d", "d", "d"])
    builds: list[str] = []
    watching = threading.Event()
    serve.poll([], lambda: builds.append(clock.current), clock, watching)
    assert watching.is_set()
    assert builds == ["c", "d"]
    assert clock.ticks == [serve.POLL_SECONDS, serve.POLL_SECONDS, serve.SETTLE_SECONDS, serve.SETTLE_SECONDS, serve.POLL_SECONDS,
                           serve.POLL_SECONDS, serve.SETTLE_SECONDS, serve.POLL_SECONDS, serve.POLL_SECONDS]


def test_watching_falls_back_to_polling_without_inotify(monkeypatch, tmp_path):
    """When the system refuses a watch (no inotify, or its limit reached), the sources are polled instead."""
    def refuse(*args, **kwargs):
        raise OSError("inotify watch limit reached")
        yield

    polled = []
    monkeypatch.setattr(serve.watchfiles, "watch", refuse)
    monkeypatch.setattr(serve, "poll", lambda paths, rebuild, stop, watching, collector: polled.append((paths, watching)))
    stop, watching = threading.Event(), threading.Event()
    serve.watch([tmp_path], lambda: None, stop, watching)
    assert polled == [([tmp_path], watching)]


def test_snapshot_lists_the_watched_files_and_skips_hidden_folders(tmp_path):
    (tmp_path / "content" / ".git").mkdir(parents=True)
    (tmp_path / "content" / "a.md").write_text("a")
    (tmp_path / "content" / ".git" / "x").write_text("x")
    (tmp_path / "config.yaml").write_text("c")
    names = sorted(entry[0] for entry in serve.snapshot([tmp_path / "content", tmp_path / "config.yaml", tmp_path / "missing"]))
    assert names == [str(tmp_path / "config.yaml"), str(tmp_path / "content" / "a.md")]


def test_the_cycle_collector_waits_for_the_watcher_to_be_idle_after_a_rebuild(monkeypatch):
    """A rebuild runs with the collector off, and it stays off (the browsers reloading meanwhile) until the watcher
    has heard nothing for RESUME_SECONDS."""
    monkeypatch.setattr(serve, "RESUME_SECONDS", 60.0)
    collector = serve.Collector()
    during = []
    collector.rebuild(lambda: during.append(gc.isenabled()))
    collector.idle()
    assert during == [False] and not gc.isenabled()
    monkeypatch.setattr(serve, "RESUME_SECONDS", 0.0)
    collector.idle()
    assert gc.isenabled()


def test_a_rebuilds_garbage_is_collected_when_the_collector_resumes(monkeypatch):
    """What a rebuild left in cycles, moved among the oldest objects as its parallel passes leave it, is freed on resuming."""
    monkeypatch.setattr(serve, "RESUME_SECONDS", 0.0)

    class Node:
        pass

    def rebuild() -> None:
        node = Node()
        node.itself = node  # a cycle, garbage once the rebuild ends
        left.append(weakref.ref(node))
        gc.freeze()  # as run_chunks does around its forks: unfrozen, the objects join the oldest generation
        gc.unfreeze()

    left: list = []
    collector = serve.Collector()
    collector.rebuild(rebuild)
    assert left[0]() is not None
    collector.idle()
    assert left[0]() is None
