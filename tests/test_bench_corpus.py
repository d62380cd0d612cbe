"""The benchmark's synthetic corpus is reproducible and builds cleanly with the real templates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import load_corpus

REPO = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> dict[str, bytes]:
    """Relative path to bytes of every file under a folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    """Two sites from one seed are byte for byte the same; another seed gives other articles."""
    corpus = load_corpus()
    corpus.make_site(tmp_path / "a", 20, seed=7)
    corpus.make_site(tmp_path / "b", 20, seed=7)
    corpus.make_site(tmp_path / "c", 20, seed=8)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert a == b
    assert a != c
    generated = [p for p in a if p.startswith("content/news/") and p.split("/")[-1].split(".")[0][-5:].isdigit()]
    assert len(generated) == 20


def test_corpus_builds_cleanly(tmp_path: Path) -> None:
    """build.py builds the generated site without a problem (exit 0)."""
    site = tmp_path / "site"
    load_corpus().make_site(site, 20, seed=1)
    command = [
        sys.executable,
        str(REPO / "build.py"),
        "--config",
        str(site / "config.yaml"),
        "--output",
        str(tmp_path / "public"),
        "--no-search",
        "-q",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=60, check=False, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "public" / "index.html").is_file()
