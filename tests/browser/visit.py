"""Helpers of the browser tests: a recorded page visit, axe-core, and finding pages in the built site."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page
from support import REPO

ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE, DESKTOP = 375, 1280


class Visit:
    """One page in a fresh context that records console errors, failed and external requests."""

    def __init__(self, browser: Browser, base_url: str, width: int, *, js: bool = True, scheme: str = "light", expect_status: int = 200):
        self.base_url = base_url
        self.expect_status = expect_status
        self.context: BrowserContext = browser.new_context(
            viewport={"width": width, "height": 900},
            is_mobile=width < 800,
            has_touch=width < 800,
            java_script_enabled=js,
            color_scheme=scheme,
            service_workers="block",
        )
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.document_url = ""
        self.in_flight = 0
        self.last_activity = time.monotonic()
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        self.page.on("response", self._response)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._finished)

    # -- listeners ----------------------------------------------------------------------------------
    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url + "/") or url == self.base_url:
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

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
        self.context.close()


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
