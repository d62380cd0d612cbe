"""The benchmark's peers (bench/peers.py) build the corpus: one HTML page per Markdown file, each with its article's title."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO, load_corpus

sys.path.insert(0, str(REPO / "bench"))  # bench/peers.py imports bench.py, which imports corpus.py: scripts of one folder
try:
    import peers
finally:
    sys.path.remove(str(REPO / "bench"))

def titles_of_sources(content: Path) -> list[str]:
    """Every Markdown file's front-matter title, as YAML reads it."""
    import yaml

    return sorted(yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])["title"] for p in content.rglob("*.md"))


def titles_of_pages(out: Path) -> list[str]:
    """Every HTML page's <title>, unescaped."""
    found = [re.search(r"<title>(.*?)</title>", p.read_text(encoding="utf-8"), re.DOTALL) for p in out.rglob("*.html")]
    return sorted(html.unescape(m.group(1)) if m else "" for m in found)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A 20-article corpus (48 Markdown files with the real pages and news)."""
    site = tmp_path_factory.mktemp("peers") / "site"
    load_corpus().make_site(site, 20, seed=1)
    return site


@pytest.mark.parametrize("name", [pytest.param("hugo"), pytest.param("mkdocs"), pytest.param("eleventy", marks=pytest.mark.npm)])
def test_peer_builds_one_page_per_article(name: str, corpus: Path, tmp_path: Path) -> None:
    """The peer writes one HTML file per Markdown file of content/, each with the title of one article."""
    try:
        command = peers.PEERS[name](corpus, tmp_path / "work", tmp_path / "out")
    except peers.Unavailable as exc:
        pytest.fail(f"{name} cannot run: {exc}")  # the message says which make target installs it
    done = subprocess.run(command, cwd=tmp_path / "work", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert peers.check_output(corpus, tmp_path / "out") is None
    assert titles_of_pages(tmp_path / "out") == titles_of_sources(corpus / "content")


def test_wrong_count_and_missing_peer_are_reported(corpus: Path, tmp_path: Path) -> None:
    """A peer that wrote too few pages, and one that cannot run here, each get a sentence instead of a figure."""
    (tmp_path / "out" / "a").mkdir(parents=True)
    (tmp_path / "out" / "a" / "index.html").write_text("<title>A</title>", encoding="utf-8")
    sources = peers.count_files(corpus / "content", ".md")
    assert peers.check_output(corpus, tmp_path / "out") == f"wrote 1 HTML files for {sources} Markdown files"
    with pytest.raises(peers.Unavailable, match="no Zola package"):
        peers.zola(corpus, tmp_path / "work", tmp_path / "out")
    floor = {"seconds": 2.0, "cpu_seconds": 3.0}
    assert peers.cell({"seconds": 1.0, "cpu_seconds": 1.5}, floor) == "0.50× (1.00 s, CPU 1.5 s)"
    assert peers.cell({"error": "wrote 1 HTML files for 48 Markdown files"}, floor) == "no figure: wrote 1 HTML files for 48 Markdown files"


def test_peers_table_gives_this_runs_figures_beside_the_quoted_ones() -> None:
    """bench.py's peers table: each peer's ratio, seconds and CPU from this run, or why not; issue 24's figures beside."""
    bench = sys.modules["bench"]
    floor = {"seconds": 10.0, "cpu_seconds": 20.0}
    measurements = {"peers floor": floor, "cold": {"seconds": 25.0, "cpu_seconds": 50.0}, "cold + search": {"seconds": 30.0, "cpu_seconds": 60.0},
                    "peer hugo": {"seconds": 5.0, "cpu_seconds": 8.0}, "peer eleventy": {"error": "wrote 3 HTML files for 48 Markdown files"}}
    rows = bench.peers_table([{"n": 1000, "measurements": measurements}]).splitlines()
    assert rows[0] == "| cold build / peers' floor | N = 1,000 | quoted from issue 24, measured elsewhere |"
    assert rows[2:] == [
        "| this generator | 2.50× (25.00 s, CPU 50.0 s) |  |",
        "| this generator, with search | 3.00× (30.00 s, CPU 60.0 s) |  |",
        "| Hugo | 0.50× (5.00 s, CPU 8.0 s) | none |",
        "| Eleventy | no figure: wrote 3 HTML files for 48 Markdown files | 1.11× |",
        "| MkDocs | not run | 1.55× |",
        "| Zola | not run | none |",
    ]
