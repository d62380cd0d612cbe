"""build.py run as editors and CI run it: a subprocess, its exit code, its output."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import EPOCH, REPO, tree


def run(site, *args, env=None):
    """build.py in a subprocess on a site."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    command = [sys.executable, str(REPO / "build.py"), *args, "--config", str(site / "config.yaml"), "--no-search"]
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=site, timeout=120)


def test_build_succeeds_with_a_summary(site):
    """A good site builds: exit 0, a summary naming the counts, the pages written."""
    done = run(site)
    assert done.returncode == 0, done.stderr
    assert "en: 3 articles, 2 pages" in done.stdout
    assert "fr: 1 articles, 1 pages" in done.stdout
    assert "skipped: 1 drafts, 1 scheduled" in done.stdout
    assert (site / "public" / "news" / "first-award" / "index.html").is_file()
    assert (site / "public" / "fr" / "news" / "first-award" / "index.html").is_file()


def test_failed_build_leaves_public_untouched(site):
    """A mistake after a good build: exit 1, problems on stderr, public/ exactly as before."""
    assert run(site).returncode == 0
    before = tree(site / "public")
    (site / "content" / "news" / "bad.md").write_text("---\ntitle: Bad\ndate: someday\n---\nBody.\n")
    done = run(site)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "content/news/bad.md:3: error: 'date' must be a date like 2024-01-15, got 'someday'",
        "1 error, 0 warnings",
        "build failed: nothing was published",
    ]
    assert tree(site / "public") == before
    assert not (site / ".public.staging").exists()


def test_rebuild_without_changes_rewrites_nothing(site):
    """A second build with nothing changed writes no file (mtimes unchanged)."""
    assert run(site).returncode == 0
    stamps = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()}
    done = run(site)
    assert done.returncode == 0
    assert "written 0," in done.stdout
    assert {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()} == stamps


def test_drafts_flag_includes_drafts_and_scheduled(site):
    """--drafts publishes drafts and future-dated articles."""
    done = run(site, "--drafts")
    assert done.returncode == 0
    assert (site / "public" / "news" / "draft-post" / "index.html").is_file()
    assert (site / "public" / "news" / "future-post" / "index.html").is_file()


def test_strict_fails_on_warnings(site):
    """--strict turns a warning (an unknown front matter key) into a failure."""
    (site / "content" / "news" / "typo.md").write_text("---\ntitle: T\ndate: 2024-01-01\nsumary: x\n---\nB.\n")
    assert run(site).returncode == 0
    done = run(site, "--strict")
    assert done.returncode == 1
    assert "content/news/typo.md:4: error: unknown front matter field 'sumary' (did you mean 'summary'?)" in done.stderr


def test_check_writes_nothing(site):
    """check runs every strict check and writes no output folder."""
    done = run(site, "check")
    assert done.returncode == 0, done.stderr
    assert not (site / "public").exists()
    (site / "content" / "news" / "typo.md").write_text("---\ntitle: T\ndate: 2024-01-01\nsumary: x\n---\nB.\n")
    assert run(site, "check").returncode == 1


def test_output_option_and_base_url(site, tmp_path):
    """--output picks the folder; --base-url changes absolute links and the base path of root links."""
    out = tmp_path / "elsewhere"
    done = run(site, "--output", str(out), "--base-url", "https://example.org/portal/")
    assert done.returncode == 0, done.stderr
    home = (out / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/portal/">' in home
    assert 'href="/portal/news/"' in home
    assert "<loc>https://example.org/portal/news/</loc>" in (out / "sitemap.xml").read_text()


def test_usage_error_exit_code(site):
    """An unknown option is a usage error: exit 2."""
    assert run(site, "--no-such-option").returncode == 2
