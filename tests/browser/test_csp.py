"""The Content-Security-Policy in a real browser (issue #18, item 6): an iframe from a host of
iframe_allow loads, one from another host does not, and a script that got into a page does not run,
whether the host sends the policy as a header (nginx, Netlify, CloudFront) or sends no header at all
(GitHub Pages, the preview server), when only the <meta> policy in each page applies.
"""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support import build, make_site

from sitegen.publish.hosting import security_headers

pytestmark = pytest.mark.browser

ALLOWED, OTHER = "https://video.example.org/embed/1", "https://evil.example.net/embed/1"
ARTICLE = f"""---
title: Embedded
date: 2024-04-01
---
An article with an embed.

<iframe src="{ALLOWED}" title="Allowed video"></iframe>

INJECTED
"""
# What the raw HTML check refuses in every build, put into the published page afterwards: what the CSP must still stop
# if it ever got into a page (a compromised file on the host, a template mistake).
INJECTED = f"""<iframe src="{OTHER}" title="Another host"></iframe>
<script>document.documentElement.dataset.inline = "ran";</script>
<img src="/images/logo.png" alt="logo" onload="document.documentElement.dataset.handler = 'ran'">"""
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push([e.effectiveDirective, e.blockedURI]));
"""


class Handler(SimpleHTTPRequestHandler):
    """Static files, with the given headers (none: as GitHub Pages for the CSP)."""

    headers_to_send: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory) -> Path:
    """The sample site (iframe_allow: [video.example.org]) with the article above, built, then the refused HTML put into its page."""
    site = make_site(tmp_path_factory.mktemp("csp-site"), {"content/news/embedded.md": ARTICLE})
    assert build(site).problems == []
    page = site / "public/news/embedded/index.html"
    html = page.read_text(encoding="utf-8")
    assert "<p>INJECTED</p>" in html
    page.write_text(html.replace("<p>INJECTED</p>", INJECTED), encoding="utf-8")
    return site / "public"


@pytest.fixture(params=["meta only", "header too"])
def origin(request, site_folder):
    """The built site served with no header at all, or with the production headers for its frame hosts."""
    headers = {} if request.param == "meta only" else security_headers(["video.example.org"])
    handler = type("SiteHandler", (Handler,), {"headers_to_send": headers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site_folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_allowed_frames_load_other_frames_and_scripts_are_blocked(browser, origin):
    """The allowed iframe loads (answered here, nothing leaves the machine); the other is blocked; no injected script runs."""
    context = browser.new_context()
    asked: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(origin):
            return route.continue_()
        asked.append(url)
        if url.startswith(("https://video.example.org/", "https://evil.example.net/")):
            return route.fulfill(status=200, content_type="text/html", body="<p id=framed>framed</p>")
        return route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    try:
        page.goto(origin + "/news/embedded/", wait_until="load")
        page.wait_for_timeout(300)
        page.evaluate("document.body.append(Object.assign(document.createElement('script'), {textContent: 'window.__injected = 1'}))")
        page.wait_for_timeout(200)
        violations = page.evaluate("window.__violations")
        frames = {frame.url: frame for frame in page.frames}
        assert ALLOWED in frames and frames[ALLOWED].locator("#framed").inner_text() == "framed"
        assert OTHER not in frames
        assert asked == [ALLOWED], "only the allowed frame was requested"
        assert ["frame-src", "https://evil.example.net"] in violations  # a report names the other origin only
        assert not [v for v in violations if "video.example.org" in v[1]], violations
        assert page.evaluate("document.documentElement.dataset.inline") is None
        assert page.evaluate("document.documentElement.dataset.handler") is None
        assert page.evaluate("window.__injected") is None
        assert {v[0] for v in violations} >= {"script-src-elem", "script-src-attr"}, violations
    finally:
        context.close()
