"""The benchmark's synthetic corpus is reproducible and builds cleanly with the real templates."""

from __future__ import annotations

from pathlib import Path

from support import load_corpus, run_build, tree


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    """Two sites from one seed are byte for byte the same; another seed gives other articles."""
    corpus = load_corpus()
    corpus.make_site(tmp_path / "a", 20, seed=7)
    corpus.make_site(tmp_path / "b", 20, seed=7)
    corpus.make_site(tmp_path / "c", 20, seed=8)
    a, b, c = tree(tmp_path / "a"), tree(tmp_path / "b"), tree(tmp_path / "c")
    assert a == b
    assert a != c
    generated = [p for p in a if p.startswith("content/news/") and p.split("/")[-1].split(".")[0][-5:].isdigit()]
    assert len(generated) == 20


def test_corpus_builds_cleanly(tmp_path: Path) -> None:
    """build.py builds the generated site without a problem: exit 0, nothing on stderr, its 20 articles published."""
    site = tmp_path / "site"
    load_corpus().make_site(site, 20, seed=1)
    done = run_build(site, "--output", str(tmp_path / "public"), "-q", timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), done
    articles = [p for p in (tmp_path / "public" / "news").glob("*/index.html") if not p.parent.name.isdigit() and p.parent.name != "page"]
    assert len(articles) >= 20
