"""A build with search on: Pagefind's bundle published beside the site, one index per language, the search pages using it."""

from __future__ import annotations

import json
import re

from support import run_cli, tree


def test_search_bundle_and_pages(site):
    run = run_cli(site, search=True)
    assert (run.returncode, run.stderr) == (0, ""), run
    public = site / "public"
    entry = json.loads((public / "pagefind/pagefind-entry.json").read_text())
    assert entry["version"] == "1.5.2"
    # Articles, pages (funding included), partners and platforms: 3 + 3 + 3 + 2 in English, 1 + 2 + 3 + 2 in French.
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {"en": 11, "fr": 8}
    for lang, info in entry["languages"].items():
        assert (public / f"pagefind/pagefind.{info['hash']}.pf_meta").is_file()
        assert (public / f"pagefind/wasm.{lang}.pagefind").is_file()
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-ui.css"):
        assert (public / "pagefind" / name).is_file(), name
    assert sorted(p.name for p in (public / "pagefind").iterdir() if p.is_dir()) == ["filter", "fragment", "index"]
    for path, lang in (("search/index.html", "en"), ("fr/recherche/index.html", "fr")):
        page = (public / path).read_text()
        assert f'<html lang="{lang}"' in page and "data-search-form" in page
        assert re.search(rf'<script src="/js/search\.[0-9a-f]{{10}}\.js" defer data-bundle="/pagefind/" data-lang="{lang}"></script>', page)
    assert "data-pagefind-body" in (public / "news/first-award/index.html").read_text(), "articles are indexed"
    assert "data-pagefind-body" not in (public / "index.html").read_text(), "listings are not"


def test_a_rebuild_with_search_writes_nothing(site):
    """Pagefind does not write its index byte for byte the same twice: the build keeps the last one when no page changed."""
    assert run_cli(site, search=True).returncode == 0
    before = tree(site / "public")
    again = run_cli(site, search=True)
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout.splitlines()[-1].endswith(f"; written 0, unchanged {len(before)}, removed 0")
    assert tree(site / "public") == before
