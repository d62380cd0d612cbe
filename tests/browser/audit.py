#!/usr/bin/env python3
"""`make audit`: Lighthouse 12 (mobile, simulated throttling) on the home page, an article and the
partners page of the real site, served on 127.0.0.1 with the production headers, in the light theme
and in the dark one (Chromium's --force-dark-mode: prefers-color-scheme: dark, the system's theme).

Prints the four category scores and each page's total transfer size, and exits with 1 when
accessibility, best practices or SEO is below 100 on any of them. The reports (HTML and JSON) are
kept in test-artifacts/lighthouse/. The performance score is printed, not judged: it moves with the
machine's load.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for support.py
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/browser/, for siteserver.py

from siteserver import CHROME_ARGS, CHROMIUM, SiteServer, build_site
from support import REPO as ROOT

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
OUT = ROOT / "test-artifacts" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
JUDGED = ("accessibility", "best-practices", "seo")
THEMES = {"light": [], "dark": ["--force-dark-mode"]}


def chrome_flags(profile: str, theme: str) -> str:
    """Lighthouse splits --chrome-flags on spaces; a double-quoted value stays whole."""
    flags = [f'{f.split("=", 1)[0]}="{f.split("=", 1)[1]}"' if " " in f else f for f in CHROME_ARGS + THEMES[theme]]
    return " ".join([*flags, f"--user-data-dir={profile}"])


def first_article(site: Path) -> str:
    html = (site / "news" / "index.html").read_text(encoding="utf-8")
    main = html.split("<main", 1)[1]
    found = re.findall(r'href="(/news/(?!page/|\d{4}/)[^/"]+/)"', main)
    if not found:
        raise SystemExit("no article in the built site")
    return found[0]


def lighthouse(url: str, name: str, theme: str) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lh-profile-") as profile:
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={chrome_flags(profile, theme)}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--output=json",
            "--output=html",
            f"--output-path={OUT / name}",
        ]
        done = subprocess.run(
            command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300, check=False
        )
    report = OUT / f"{name}.report.json"
    if done.returncode != 0 or not report.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def failing_audits(report: dict) -> list[str]:
    """Audits that cost points in accessibility, best practices or SEO."""
    found = []
    for key in JUDGED:
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                found.append(f"{key}: {ref['id']} ({audit['title']})")
    return found


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="mib-audit-") as tmp:
        site = build_site(Path(tmp))
        pages = {"home": "/", "article": first_article(site), "partners": "/partners/"}
        rows = []
        with SiteServer(site) as server:
            for theme in THEMES:
                for page, path in pages.items():
                    name = f"{page}-{theme}"
                    report = lighthouse(server.origin + path, name, theme)
                    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
                    weight = report["audits"]["total-byte-weight"]["numericValue"]
                    requests = len(report["audits"]["network-requests"]["details"]["items"])
                    rows.append((name, path, scores, weight, requests, failing_audits(report)))
    version = json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    print(f"Lighthouse {version}, mobile form factor (reports in {OUT.relative_to(ROOT)}/)")
    print(f"{'page':<16} {'path':<34} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'transfer':>10} {'requests':>9}")
    for name, path, s, weight, requests, _ in rows:
        print(
            f"{name:<16} {path:<34} {s['performance']:>5} {s['accessibility']:>5} {s['best-practices']:>5} "
            f"{s['seo']:>5} {weight / 1024:>8.1f}KB {requests:>9}"
        )
    for name, _, _, _, _, failing in rows:
        for item in failing:
            print(f"  {name}: {item}")
    below = [f"{name} {c} {s[c]}" for name, _, s, _, _, _ in rows for c in JUDGED if s[c] < 100]
    if below:
        print("below 100: " + ", ".join(below))
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
