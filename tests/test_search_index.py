"""A build with search on: Pagefind's index in shards published beside the site (the root one with Pagefind's
scripts, one per language and year of the dated pages), their manifest, the search pages using them; an edit
re-indexes only its page's shard, and a shard whose pages did not change keeps its bytes."""

from __future__ import annotations

import json
import re

from support import edit, run_cli, tree

from sitegen.publish import search_bundle

SHARDS = {"en": ["en-2024/", "en-2023/"], "fr": ["fr-2023/"]}


def entry(folder) -> dict[str, int]:
    """The page count of each language of one shard's pagefind-entry.json."""
    data = json.loads((folder / "pagefind-entry.json").read_text())
    assert data["version"] == "1.5.2"
    return {lang: info["page_count"] for lang, info in data["languages"].items()}


def test_search_bundle_and_pages(site):
    run = run_cli(site, search=True)
    assert (run.returncode, run.stderr) == (0, ""), run
    bundle = site / "public" / "pagefind"
    assert json.loads((bundle / "shards.json").read_text()) == {"shards": SHARDS}
    # The root: pages (funding included), partners and platforms, 3 + 3 + 2 in English, 2 + 3 + 2 in French.
    assert entry(bundle) == {"en": 8, "fr": 7}
    # The articles: 2024 and 2023 in English, 2023 in French.
    assert {name: entry(bundle / name) for name in ("en-2024", "en-2023", "fr-2023")} == {
        "en-2024": {"en": 2}, "en-2023": {"en": 1}, "fr-2023": {"fr": 1}}
    marked = [p for p in (site / "public").rglob("*.html") if "data-pagefind-body" in p.read_text()]
    assert len(marked) == 8 + 7 + 2 + 1 + 1, "every page whose template marks a body is indexed (search_shards.INDEXED)"
    data = json.loads((bundle / "pagefind-entry.json").read_text())
    for lang, info in data["languages"].items():
        assert (bundle / f"pagefind.{info['hash']}.pf_meta").is_file()
        assert (bundle / f"wasm.{lang}.pagefind").is_file()
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-ui.css"):
        assert (bundle / name).is_file(), name
    # A shard holds its index only: the browser runs the root's scripts and WebAssembly.
    assert sorted(p.name for p in (bundle / "en-2024").iterdir() if not p.name.endswith(".pf_meta")) == [
        "filter", "fragment", "index", "pagefind-entry.json"]
    for path, lang in (("search/index.html", "en"), ("fr/recherche/index.html", "fr")):
        page = (site / "public" / path).read_text()
        assert f'<html lang="{lang}"' in page and "data-search-form" in page
        assert re.search(rf'<script src="/js/search\.[0-9a-f]{{10}}\.js" defer data-bundle="/pagefind/" data-lang="{lang}"></script>', page)
    assert "data-pagefind-body" in (site / "public/news/first-award/index.html").read_text(), "articles are indexed"
    assert "data-pagefind-body" not in (site / "public/index.html").read_text(), "listings are not"


def test_a_rebuild_with_search_writes_nothing(site):
    """Pagefind does not write its index byte for byte the same twice: the build keeps the last one when no page changed."""
    assert run_cli(site, search=True).returncode == 0
    before = tree(site / "public")
    again = run_cli(site, search=True)
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout.splitlines()[-1].endswith(f"; written 0, unchanged {len(before)}, removed 0")
    assert tree(site / "public") == before


def test_an_edit_reindexes_only_its_shard(site, monkeypatch):
    """An article of 2024 edited: Pagefind runs over the 2024 English shard only; every other shard keeps its bytes."""
    assert run_cli(site, search=True).returncode == 0
    before = tree(site / "public" / "pagefind")
    indexed = []
    index = search_bundle._index
    monkeypatch.setattr(search_bundle, "_index", lambda mirror, folder: indexed.append(mirror.name) or index(mirror, folder))
    edit(site / "content/news/platform-news.md", "€30M", "€31M")  # not in its summary, which the platform page shows
    assert run_cli(site, search=True).returncode == 0
    after = tree(site / "public" / "pagefind")
    assert indexed == ["en-2024"]
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed and all(path.startswith("en-2024/") for path in changed), sorted(changed)
    assert "en-2024/pagefind-entry.json" in changed


def test_unchanged_shards_keep_their_bytes_in_a_new_output(site):
    """Built cold into a new output folder with the same cache, every shard is byte-identical to the last build's."""
    assert run_cli(site, search=True).returncode == 0
    assert run_cli(site, "--output", "other", search=True).returncode == 0
    assert tree(site / "other" / "pagefind") == tree(site / "public" / "pagefind")
