"""Time to the first search result on a phone's network: the sharded index against one index of the same pages.

Usage: .venv/bin/python bench/search_latency.py --site SITE --output OUT [--runs 3] [--query lupus]

OUT is a site built with search (sharded). One Pagefind index of the same pages is made from the shards'
mirrors (SITE/.cache/search-pages/) and served instead of OUT/pagefind/ by a second server. Each run opens
/search/?q=QUERY (and /fr/recherche/?q=QUERY) in a fresh Chromium context with its cache off and the
network throttled like DevTools' "Fast 3G" (562.5 ms latency, 180 KB/s down, 84 KB/s up; Network.
emulateNetworkConditions over CDP), and measures from the navigation's start to the first result shown,
with the bytes and requests it took. Each index is served twice: by Python's HTTP/1.1 server (at most 6
connections per host), and by nginx with deploy/nginx.conf's configuration over TLS and HTTP/2 (every request
on one connection), as a CDN or a TLS proxy in front of the deployed site serves a phone.
"""

from __future__ import annotations

import argparse
import json
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180000, "uploadThroughput": 84375}
PATHS = {"en": "/search/?q=", "fr": "/fr/recherche/?q="}


def single_root(site: Path, output: Path, folder: Path) -> Path:
    """A folder serving the built site with one Pagefind index of every indexed page at /pagefind/."""
    pages, root = folder / "pages", folder / "root"
    for mirror in (site / ".cache" / "search-pages").iterdir():
        shutil.copytree(mirror, pages, dirs_exist_ok=True)
    bundle = root / "pagefind"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(bundle)], check=True, capture_output=True)
    (bundle / "shards.json").write_text('{"shards": {}}\n')
    for entry in output.iterdir():
        if entry.name != "pagefind":
            (root / entry.name).symlink_to(entry)
    return root


@contextmanager
def http1(root: Path) -> Iterator[str]:
    """Python's HTTP/1.1 server over the folder; its origin."""
    from browser.siteserver import SiteServer

    with SiteServer(root) as server:
        yield server.origin


@contextmanager
def http2(root: Path) -> Iterator[str]:
    """nginx with the deployed configuration, on TLS and HTTP/2 with a certificate made for the run; its origin."""
    from support import listening_socket, loopback_nginx_conf, start_nginx, tool_path

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")], check=True, capture_output=True)
        sock = listening_socket()
        port = sock.getsockname()[1]
        conf = loopback_nginx_conf(root, folder, port)
        plain = f"listen 127.0.0.1:{port};"
        assert plain in conf, "deploy/nginx.conf.in no longer listens as this script expects"
        tls = f"listen 127.0.0.1:{port} ssl http2;\n        ssl_certificate {folder}/cert.pem;\n        ssl_certificate_key {folder}/key.pem;"
        process = start_nginx(tool_path("nginx") or "nginx", folder, conf.replace(plain, tls), sock)
        try:
            _answered(f"https://127.0.0.1:{port}", process)
            yield f"https://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)


def _answered(origin: str, process: subprocess.Popen) -> None:
    """Wait for nginx's first answer (the socket already listens: a request waits until nginx takes it, or exits)."""
    try:
        urllib.request.urlopen(origin + "/robots.txt", context=ssl._create_unverified_context(), timeout=20).close()
    except OSError as error:
        raise RuntimeError(f"nginx did not answer ({error}); its exit status: {process.poll()}") from None


SERVERS = {"HTTP/1.1": http1, "HTTP/2": http2}


def first_result(browser, origin: str, path: str) -> dict:
    """One cold visit on the throttled network: seconds to the first result, bytes and requests."""
    context = browser.new_context(service_workers="block", ignore_https_errors=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)  # Pagefind's worker fetches are throttled too
    loaded = []
    context.on("requestfinished", lambda request: loaded.append(request))  # the page's and its worker's requests
    page.goto(origin + path, wait_until="commit")
    page.wait_for_selector("[data-search-results] .result", timeout=120000)
    seconds = page.evaluate("performance.now()") / 1000
    sizes = [request.sizes() for request in loaded]
    context.close()
    return {"seconds": seconds, "bytes": sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes), "requests": len(loaded)}


def measure(site: Path, output: Path, runs: int, query: str) -> dict:
    """The median time to the first result, per protocol, index and language."""
    from browser.siteserver import CHROME_ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

    found: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        roots = {"sharded": output, "single": single_root(site, output, Path(folder))}
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        for protocol, serve in SERVERS.items():
            for name, root in roots.items():
                with serve(root) as origin:
                    for lang, path in PATHS.items():
                        samples = [first_result(browser, origin, path + query) for _ in range(runs)]
                        found[f"{protocol} {name} {lang}"] = {"seconds": statistics.median(s["seconds"] for s in samples), "runs": samples}
        browser.close()
    return found


def main() -> int:
    """Measure and print one line per index and language."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", default="lupus")
    parser.add_argument("--json", type=Path, default=BENCH / "out" / "search-latency.json")
    args = parser.parse_args()
    found = measure(args.site.resolve(), args.output.resolve(), args.runs, args.query)
    for name, row in found.items():
        last = row["runs"][-1]
        print(f"{name}: {row['seconds']:.2f} s to the first result (median of {len(row['runs'])}); {last['requests']} requests, {last['bytes'] / 1e3:.0f} kB")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(found, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
