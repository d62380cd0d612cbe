"""Helpers of the browser tests: a recorded page visit, axe-core, and finding pages in the built site."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page
from support import REPO

ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
# Screenshots no test compares: taken only when asked for (TEST_SCREENSHOTS=1 make test), to look at the pages.
KEEP_SCREENSHOTS = os.environ.get("TEST_SCREENSHOTS") == "1"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE, DESKTOP = 375, 1280


def new_context(browser: Browser, width: int, *, js: bool = True, scheme: str = "light") -> BrowserContext:
    """A browser context as a reader's: this window width (a phone's below 800 px), JavaScript on or off, a colour scheme."""
    return browser.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=width < 800,
        has_touch=width < 800,
        java_script_enabled=js,
        color_scheme=scheme,
        service_workers="block",
    )


class Visit:
    """One page that records console errors, failed and external requests: in a fresh context, or a `shared` page
    (of a context from new_context) that outlives the visit: its listeners and route are removed after the visit, and
    its context's cookies cleared."""

    def __init__(self, browser: Browser, base_url: str, width: int, *, js: bool = True, scheme: str = "light", expect_status: int = 200,
                 shared: Page | None = None):
        self.base_url = base_url
        self.expect_status = expect_status
        self.shared = shared is not None
        self.context: BrowserContext = shared.context if shared else new_context(browser, width, js=js, scheme=scheme)
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.document_url = ""
        self.in_flight = 0
        self.last_activity = time.monotonic()
        if not self.shared:
            self.context.route("**/*", self._route)
        self.page: Page = shared or self.context.new_page()
        if self.shared:
            self.page.route("**/*", self._route)  # this visit's lists, not an earlier visit's
        self.listeners = [("console", self._console), ("pageerror", self._page_error), ("response", self._response),
                          ("requestfailed", self._request_failed), ("request", self._started), ("requestfinished", self._finished)]
        for event, listener in self.listeners:
            self.page.on(event, listener)

    # -- listeners ----------------------------------------------------------------------------------
    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url + "/") or url == self.base_url:
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def _page_error(self, exc):
        self.console_errors.append(f"uncaught: {exc}")

    def _started(self, request):
        self.in_flight += 1
        self.last_activity = time.monotonic()

    def _finished(self, request):
        self.in_flight = max(0, self.in_flight - 1)
        self.last_activity = time.monotonic()

    def _console(self, msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource"):
            if url == self.document_url and self.expect_status != 200:
                return  # the expected status of the page itself (the 404 page)
            if any(url in f for f in self.failed):
                return  # already counted as a failed request
        self.console_errors.append(f"{msg.text} ({url})" if url else msg.text)

    def _response(self, response):
        if response.status >= 400 and not (response.url == self.document_url and response.status == self.expect_status):
            self.failed.append(f"{response.status} {response.url}")

    def _request_failed(self, request):
        self._finished(request)
        if request.url in self.external:
            return
        if any(f.endswith(" " + request.url) for f in self.failed):
            return  # a 4xx/5xx already recorded for this URL
        self.failed.append(f"{request.failure} {request.url}")

    # -- actions ------------------------------------------------------------------------------------
    def goto(self, path: str):
        self.document_url = self.base_url + path.split("#", 1)[0]
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None, f"no response for {path}"
        assert response.status == self.expect_status, f"{path}: status {response.status}, expected {self.expect_status}"
        self.settle()
        return response

    def settle(self, quiet: float = 0.1, cap: float = 5.0):
        """Wait until no request has been in flight for `quiet` seconds (at most `cap`)."""
        deadline = time.monotonic() + cap
        while time.monotonic() < deadline:
            if self.in_flight == 0 and time.monotonic() - self.last_activity >= quiet:
                return
            self.page.wait_for_timeout(40)

    def problems(self) -> list[str]:
        return (
            [f"console: {e}" for e in self.console_errors]
            + [f"failed request: {f}" for f in self.failed]
            + [f"external request: {u}" for u in self.external]
        )

    def close(self):
        if not self.shared:
            self.context.close()
            return
        self.page.goto("about:blank")  # the page's requests end here, before the next visit listens
        self.page.unroute("**/*", self._route)
        for event, listener in self.listeners:
            self.page.remove_listener(event, listener)
        self.context.clear_cookies()


def visits(browser: Browser, tabs, origin: str):
    """visit(path, width, scheme=..., expect_status=...) -> Visit in the module's tab for that width and scheme;
    the list of visits made, to close after the test."""
    opened: list[Visit] = []

    def visit(path: str, width: int = DESKTOP, scheme: str = "light", **kwargs) -> Visit:
        opened.append(Visit(browser, origin, width, shared=tabs(width, scheme), **kwargs))
        opened[-1].goto(path)
        return opened[-1]

    return visit, opened


def run_axe(page: Page, axe_source: str, tags=WCAG_TAGS) -> list[dict]:
    """axe-core's violations for these tags (injected with evaluate, so the page's CSP does not block it)."""
    page.evaluate(axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", tags)
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(t) if isinstance(t, list) else t for n in v["nodes"][:5] for t in n["target"])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


def links_in(site_dir: Path, page_path: str, pattern: str) -> list[str]:
    """Internal hrefs of a built page that match a regular expression, in document order."""
    html = (site_dir / page_path.lstrip("/") / "index.html").read_text(encoding="utf-8")
    main = html.split("<main", 1)[-1]
    return [href for href in re.findall(r'href="([^"#?]+)"', main) if re.fullmatch(pattern, href)]


def html_pages(site_dir: Path) -> dict[str, bool]:
    """The address of every HTML page of the built site, and whether it is a redirect page (an old address, `aliases:`)."""
    found = {"/" + p.relative_to(site_dir).as_posix().removesuffix("index.html"): 'http-equiv="refresh"' in p.read_text(encoding="utf-8")
             for p in site_dir.rglob("*.html")}
    return dict(sorted(found.items()))
