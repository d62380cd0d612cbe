"""Time from saving an article to the reloaded page in the browser, inside `build.py serve`.

Usage: .venv/bin/python bench/serve_latency.py SITE_FOLDER [--runs 3]
Starts the preview server on the site (no search index), opens an article in Debian's
Chromium, appends a sentence to its Markdown file and waits until the open page shows it.
Prints each time and the median; the first (warm-up) build is not counted.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float) -> None:
    """Block until something listens on the port."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("the preview server did not start")


def measure(site: Path, runs: int, engine: Path = REPO) -> list[float]:
    """Save-to-reload times in seconds, with the engine (a checkout) given."""
    from playwright.sync_api import sync_playwright

    english = sorted(p for p in (site / "content/news").glob("*.md") if p.name.count(".") == 1)
    article = english[len(english) // 2]
    url = "/news/" + article.name.split(".")[0] + "/"
    port = free_port()
    server = subprocess.Popen([sys.executable, str(engine / "build.py"), "serve", "--port", str(port), "--no-search"],
                              cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    times = []
    try:
        wait_for_port(port, 600)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROME_ARGS)
            page = browser.new_page(bypass_csp=True)  # the wait below is evaluated JavaScript, which the CSP forbids
            page.goto(f"http://127.0.0.1:{port}{url}")
            original = article.read_text(encoding="utf-8")
            try:
                for i in range(runs):
                    marker = f"Latency marker {i} {time.time_ns()}."
                    started = time.monotonic()
                    article.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
                    page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=120000)
                    times.append(time.monotonic() - started)
                    time.sleep(0.5)
            finally:  # the site is left as it was, even after a timeout (the benchmark compares outputs next)
                article.write_text(original, encoding="utf-8")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = measure(args.site.resolve(), args.runs)
    print(" ".join(f"{t:.2f}" for t in times), f"median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
