"""build.py run as editors and CI run it: a subprocess, its exit code, its output."""

from __future__ import annotations

from support import FAILED, run_build, tree


def test_build_succeeds_with_a_summary(site):
    """A good site builds: exit 0, nothing on stderr, a summary naming the counts, the pages written."""
    done = run_build(site)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[1:4] == ["  en: 3 articles, 2 pages", "  fr: 1 articles, 1 pages", "  skipped: 1 drafts, 1 scheduled"]
    assert "<h1>The sample cluster wins an award</h1>" in (site / "public/news/first-award/index.html").read_text()
    assert "<h1>Le cluster exemple est lauréat</h1>" in (site / "public/fr/actualites/le-cluster-exemple-est-laureat/index.html").read_text()


def test_failed_build_leaves_public_untouched(site):
    """A mistake after a good build: exit 1, problems on stderr, public/ and the staging folder beside it exactly as before."""
    assert run_build(site).returncode == 0
    before, staged = tree(site / "public"), tree(site / ".public.staging")
    (site / "content" / "news" / "bad.md").write_text("---\ntitle: Bad\ndate: someday\n---\nBody.\n")
    done = run_build(site)
    assert done.returncode == 1
    assert done.lines == [
        "content/news/bad.md:3: error: 'date' must be a date like 2024-01-15, got 'someday'",
        "1 error, 0 warnings",
        FAILED,
    ]
    assert tree(site / "public") == before == staged
    assert tree(site / ".public.staging") == staged


def test_rebuild_without_changes_rewrites_nothing(site):
    """A second build with nothing changed writes no file (mtimes unchanged)."""
    assert run_build(site).returncode == 0
    stamps = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()}
    assert len(stamps) > 50
    done = run_build(site)
    assert (done.returncode, done.stderr) == (0, "")
    assert "; written 0, unchanged " in done.stdout
    assert {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*") if p.is_file()} == stamps


def test_drafts_flag_includes_drafts_and_scheduled(site):
    """--drafts publishes drafts and future-dated articles."""
    done = run_build(site, "--drafts")
    assert (done.returncode, done.stderr) == (0, "")
    assert (site / "public" / "news" / "draft-post" / "index.html").is_file()
    assert (site / "public" / "news" / "future-post" / "index.html").is_file()
    assert "  skipped: none" in done.stdout.splitlines()


def test_strict_fails_on_warnings(site):
    """--strict turns a warning (an unknown front matter key) into a failure."""
    (site / "content" / "news" / "typo.md").write_text("---\ntitle: T\ndate: 2024-01-01\nsumary: x\n---\nB.\n")
    warned = run_build(site)
    assert (warned.returncode, warned.lines) == (0, [
        "content/news/typo.md:4: warning: unknown front matter field 'sumary' (did you mean 'summary'?)", "0 errors, 1 warning"])
    done = run_build(site, "--strict")
    assert (done.returncode, done.lines) == (1, [
        "content/news/typo.md:4: error: unknown front matter field 'sumary' (did you mean 'summary'?)", "1 error, 0 warnings", FAILED])


def test_check_writes_nothing(site):
    """check runs every strict check and writes no output folder."""
    done = run_build(site, "check")
    assert (done.returncode, done.stderr) == (0, "")
    assert not (site / "public").exists()
    (site / "content" / "news" / "typo.md").write_text("---\ntitle: T\ndate: 2024-01-01\nsumary: x\n---\nB.\n")
    failed = run_build(site, "check")
    assert (failed.returncode, failed.lines[-1]) == (1, "check failed")
    assert not (site / "public").exists()


def test_output_option_and_base_url(site, tmp_path):
    """--output picks the folder; --base-url changes absolute links and the base path of root links."""
    out = tmp_path / "elsewhere"
    done = run_build(site, "--output", str(out), "--base-url", "https://example.org/portal/")
    assert (done.returncode, done.stderr) == (0, "")
    home = (out / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/portal/">' in home
    assert 'href="/portal/news/"' in home
    assert "<loc>https://example.org/portal/news/</loc>" in (out / "sitemap.xml").read_text()
    assert not (site / "public").exists()


def test_usage_error_exit_code(site):
    """An unknown option is a usage error: exit 2, argparse's message, nothing built."""
    done = run_build(site, "--no-such-option")
    assert done.returncode == 2
    assert done.lines[-1] == "error: unrecognized arguments: --no-such-option (see 'python build.py --help')"
    assert not (site / "public").exists()

