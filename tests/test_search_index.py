"""A build with search on: Pagefind's index in shards published beside the site (the root one with Pagefind's
scripts, the others with their index only), their manifest, the search pages using them; an edit re-indexes
only its page's shard, and a shard whose pages did not change keeps its bytes."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest
from support import edit, run_cli, tree

from sitegen.publish import output, search_bundle, search_shards


@pytest.fixture
def small_shards(monkeypatch):
    """Shards of at most 3 pages of a language, so that the sample site has several."""
    monkeypatch.setattr(search_shards, "PER_SHARD", 3)


def entry(folder) -> dict[str, int]:
    """The page count of each language of one shard's pagefind-entry.json."""
    data = json.loads((folder / "pagefind-entry.json").read_text())
    assert data["version"] == "1.5.2"
    return {lang: info["page_count"] for lang, info in data["languages"].items()}


def shard_of(site, path: str) -> str:
    """The shard whose mirror holds an indexed page ('_root' for the root)."""
    return next(m.name for m in (site / ".cache/search-pages").iterdir() if (m / path).is_file())


def test_search_bundle_and_pages(site):
    run = run_cli(site, search=True)
    assert (run.returncode, run.stderr) == (0, ""), run
    bundle = site / "public" / "pagefind"
    # Under 1,000 pages a language: one shard, the root. Articles, pages (funding included), partners and
    # platforms: 3 + 3 + 3 + 2 in English, 1 + 2 + 3 + 2 in French.
    assert json.loads((bundle / "shards.json").read_text()) == {"shards": {}}
    assert entry(bundle) == {"en": 11, "fr": 8}
    marked = [p for p in (site / "public").rglob("*.html") if "data-pagefind-body" in p.read_text()]
    assert len(marked) == 11 + 8, "every page whose template marks a body is indexed (search_shards.INDEXED)"
    data = json.loads((bundle / "pagefind-entry.json").read_text())
    for lang, info in data["languages"].items():
        assert (bundle / f"pagefind.{info['hash']}.pf_meta").is_file()
        assert (bundle / f"wasm.{lang}.pagefind").is_file()
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-ui.css"):
        assert (bundle / name).is_file(), name
    for path, lang in (("search/index.html", "en"), ("fr/recherche/index.html", "fr")):
        page = (site / "public" / path).read_text()
        assert f'<html lang="{lang}"' in page and "data-search-form" in page
        assert re.search(rf'<script src="/js/search\.[0-9a-f]{{10}}\.js" defer data-bundle="/pagefind/" data-lang="{lang}"></script>', page)
    assert "data-pagefind-body" in (site / "public/news/first-award/index.html").read_text(), "articles are indexed"
    assert "data-pagefind-body" not in (site / "public/index.html").read_text(), "listings are not"


def test_shards_and_their_manifest(site, small_shards):
    """Each language's pages spread over 2^k shards by a digest of their address; the root has Pagefind's scripts."""
    assert run_cli(site, search=True).returncode == 0
    bundle = site / "public" / "pagefind"
    listed = json.loads((bundle / "shards.json").read_text())["shards"]
    assert sorted(listed) == ["en", "fr"] and all(0 < len(names) <= 3 for names in listed.values())  # 4 buckets each, 0 the root
    counts = entry(bundle)
    for lang, names in listed.items():
        assert all(name.startswith(f"{lang}-") and name.endswith("/") for name in names)
        counts[lang] += sum(entry(bundle / name)[lang] for name in names)
        for name in names:  # a shard holds its index only: the browser runs the root's scripts and WebAssembly
            assert sorted(p.name for p in (bundle / name).iterdir() if not p.name.endswith(".pf_meta")) == [
                "filter", "fragment", "index", "pagefind-entry.json"]
    assert counts == {"en": 11, "fr": 8}


def test_a_rebuild_with_search_writes_nothing(site, small_shards):
    """Pagefind does not write its index byte for byte the same twice: the build keeps the last one when no page changed."""
    assert run_cli(site, search=True).returncode == 0
    before = tree(site / "public")
    again = run_cli(site, search=True)
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout.splitlines()[-1].endswith(f"; written 0, unchanged {len(before)}, removed 0 (nothing it reads had changed)")
    assert tree(site / "public") == before


def test_an_edit_reindexes_only_its_shard(site, small_shards, monkeypatch):
    """An article edited: Pagefind runs over its shard only; every other shard keeps its bytes."""
    assert run_cli(site, search=True).returncode == 0
    before = tree(site / "public" / "pagefind")
    shard = shard_of(site, "news/platform-news/index.html")
    indexed = []
    index = search_bundle._index
    monkeypatch.setattr(search_bundle, "_index", lambda mirror, folder: indexed.append(mirror.name) or index(mirror, folder))
    edit(site / "content/news/platform-news.md", "€30M", "€31M")  # not in its summary, which the platform page shows
    assert run_cli(site, search=True).returncode == 0
    after = tree(site / "public" / "pagefind")
    assert indexed == [shard]
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    prefix = "" if shard == "_root" else f"{shard}/"
    assert changed and all(path.startswith(prefix) and path.count("/") <= prefix.count("/") + 1 for path in changed), sorted(changed)
    assert f"{prefix}pagefind-entry.json" in changed
    assert len(changed) < len(before) // 2


def test_unchanged_shards_keep_their_bytes_in_a_new_output(site, small_shards):
    """Built again into a new output folder with the same cache, every shard is byte-identical to the last build's."""
    assert run_cli(site, search=True).returncode == 0
    assert run_cli(site, "--output", "other", search=True).returncode == 0
    assert tree(site / "other" / "pagefind") == tree(site / "public" / "pagefind")


def test_the_preview_and_the_build_keep_their_shards(site, small_shards, monkeypatch):
    """`serve` builds with drafts into .cache/preview through the same build: its edit re-indexes one shard,
    and the published build's shards, kept beside the preview's, are not indexed again."""
    preview = ("--drafts", "--output", ".cache/preview")  # what `serve` builds (build.py run_serve)
    assert run_cli(site, search=True).returncode == 0
    assert run_cli(site, *preview, search=True).returncode == 0
    indexed = []
    index = search_bundle._index
    monkeypatch.setattr(search_bundle, "_index", lambda mirror, folder: indexed.append(mirror.name) or index(mirror, folder))
    # The index made again (search off, then on) finds every shard of the build kept.
    assert run_cli(site, "--no-search", "-q").returncode == 0 and run_cli(site, search=True).returncode == 0
    assert indexed == [], "the build's bundles were kept while the preview made its own"
    edit(site / "content/news/platform-news.md", "€30M", "€31M")
    assert run_cli(site, *preview, search=True).returncode == 0
    holding = {m.name for m in (site / ".cache/search-pages").iterdir() if (m / "news/platform-news/index.html").is_file()}
    assert len(indexed) == 1 and indexed[0] in holding  # the build's and the preview's shards of that page may differ


def test_a_shard_made_again_starts_from_its_last_bundle_and_holds_what_an_empty_start_makes(site, small_shards, tmp_path):
    """The edited page's shard is made with its last bundle's fragments and index chunks linked in (Pagefind makes only
    the missing ones); it ends with the files Pagefind makes over an empty folder: no fragment of the page as it was."""
    assert run_cli(site, search=True).returncode == 0
    shard = shard_of(site, "news/platform-news/index.html")
    kept = site / ".cache/pagefind" / shard
    (last,) = list(kept.iterdir())
    edit(site / "content/news/platform-news.md", "€30M", "€31M")
    assert run_cli(site, search=True).returncode == 0
    (made,) = [p for p in kept.iterdir() if p != last]
    fresh = tmp_path / "fresh"
    assert search_bundle._index(site / ".cache/search-pages" / shard, fresh) == ""
    files, fresh_files = tree(made), tree(fresh)
    own = ("fragment/", "index/")
    assert {p: b for p, b in files.items() if p.startswith(own)} == {p: b for p, b in fresh_files.items() if p.startswith(own)}
    for kind in ("filter/", ".pf_meta"):  # named by their bytes, which Pagefind does not make the same twice (its issue #638)
        assert sum(kind in p for p in files) == sum(kind in p for p in fresh_files) > 0
    linked = [p for p in files if p.startswith("fragment/") and (last / p).exists() and (last / p).stat().st_ino == (made / p).stat().st_ino]
    assert len(linked) == sum(p.startswith("fragment/") for p in files) - 1, "every fragment but the edited page's was linked from the last bundle"
    old = {p for p in tree(last) if p.startswith("fragment/")} - set(files)
    assert len(old) == 1, "the page's fragment as it was is gone"


def test_a_last_bundle_whose_metadata_cannot_be_read_is_not_used(site, small_shards, monkeypatch):
    """When the made bundle's metadata cannot be read, its linked files cannot be told from stale ones: Pagefind runs again over an empty folder."""
    assert run_cli(site, search=True).returncode == 0
    runs = []
    index = search_bundle._index
    monkeypatch.setattr(search_bundle, "_index", lambda mirror, folder: runs.append(any(folder.rglob("*.pf_fragment"))) or index(mirror, folder))
    monkeypatch.setattr(search_bundle.pagefind_meta, "named_files", lambda folder: None)
    edit(site / "content/news/platform-news.md", "€30M", "€31M")
    assert run_cli(site, search=True).returncode == 0
    assert runs == [True, False]
    shard = shard_of(site, "news/platform-news/index.html")
    made = max((site / ".cache/pagefind" / shard).iterdir(), key=lambda p: p.stat().st_mtime_ns)
    entry_data = json.loads((made / "pagefind-entry.json").read_text())
    assert sum(p.name.endswith(".pf_fragment") for p in made.rglob("*")) == sum(info["page_count"] for info in entry_data["languages"].values())


def test_a_folder_where_files_cannot_be_linked_indexes_over_an_empty_folder(site, small_shards, monkeypatch):
    """Where the file system refuses hard links, the shard is made over an empty folder, with every page's fragment."""
    assert run_cli(site, search=True).returncode == 0

    def refused(source, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(search_bundle.os, "link", refused)
    edit(site / "content/news/platform-news.md", "€30M", "€31M")
    run = run_cli(site, search=True)
    assert (run.returncode, run.stderr) == (0, ""), run
    shard = shard_of(site, "news/platform-news/index.html")
    made = max((site / ".cache/pagefind" / shard).iterdir(), key=lambda p: p.stat().st_mtime_ns)
    assert not list((site / ".cache/pagefind" / shard).glob("*.new")), "no unfinished folder is left"
    pages = sum(info["page_count"] for info in json.loads((made / "pagefind-entry.json").read_text())["languages"].values())
    assert sum(p.name.endswith(".pf_fragment") for p in made.rglob("*")) == pages
    assert all(p.stat().st_nlink == 1 for p in made.rglob("*.pf_fragment"))


def test_a_shard_is_staged_while_pagefind_indexes_another(site, small_shards):
    """Built into a new output folder after an edit: the kept shards' files are in the staging folder before Pagefind has
    indexed the edited page's shard, and the site is the same as a build that staged them after it."""
    assert run_cli(site, search=True).returncode == 0
    edit(site / "content/news/platform-news.md", "€30M", "€31M")
    shard = shard_of(site, "news/platform-news/index.html")
    staging = output.staging_folder(site / "other")
    seen = []
    index = search_bundle._index

    def watched(mirror, folder):
        """Pagefind's run, then the kept shards' entries staged meanwhile (waited for: staged only after this run, they never come)."""
        made = index(mirror, folder)
        wanted = len(list((site / "public" / "pagefind").glob("*/pagefind-entry.json"))) - (shard != "_root")
        for _ in range(200):
            staged = sorted(p.parent.name for p in (staging / "pagefind").glob("*/pagefind-entry.json"))
            if len(staged) >= wanted:
                break
            time.sleep(0.05)
        seen.append(staged)
        return made

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_bundle, "_index", watched)
        assert run_cli(site, "--output", "other", search=True).returncode == 0
    others = sorted(p.parent.name for p in (site / "other" / "pagefind").glob("*/pagefind-entry.json") if p.parent.name != shard)
    assert len(seen) == 1 and others and seen[0] == others, (seen, others)
    assert run_cli(site, "--output", "again", search=True).returncode == 0
    assert tree(site / "other") == tree(site / "again")


def test_kept_shards_are_staged_once_pagefind_has_started(site, small_shards):
    """After an edit, nothing of the kept shards is staged while the edited page's shard is mirrored and seeded: the
    build's own staging would hold that work back (one interpreter lock); it comes while Pagefind runs."""
    assert run_cli(site, search=True).returncode == 0
    edit(site / "content/news/platform-news.md", "€30M", "€31M")
    staging = output.staging_folder(site / "other")
    seen = []
    sync = search_bundle.sync_mirror

    def watched(pages, mirror, locate):
        """The mirror brought up to date, then what the staging folder holds of the index."""
        sync(pages, mirror, locate)
        time.sleep(0.3)  # time enough for staging to show, were it not waiting
        seen.append(sorted(p.parent.name for p in (staging / "pagefind").glob("*/pagefind-entry.json")))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_bundle, "sync_mirror", watched)
        assert run_cli(site, "--output", "other", search=True).returncode == 0
    assert seen == [[]]
    assert len(list((site / "other" / "pagefind").glob("*/pagefind-entry.json"))) > 1


def test_the_staging_folder_is_read_for_the_commit_while_pagefind_runs(site, small_shards):
    """After an edit, the commit's look at the staging folder (its listing, which of its files are the published ones) is
    taken while Pagefind indexes the edited page's shard, not after it; the site is the same as one built anew."""
    assert run_cli(site, search=True).returncode == 0
    edit(site / "content/news/platform-news.md", "€30M", "€31M")
    prepared, seen = threading.Event(), []
    prepare, index = output.Staging.prepare, search_bundle._index

    def noted(self):
        """The look taken, and said."""
        prepare(self)
        prepared.set()

    def watched(mirror, folder):
        """Pagefind's run, then whether the look is taken before the run is over (waited for: after it, it never comes)."""
        made = index(mirror, folder)
        seen.append(prepared.wait(10))
        return made

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output.Staging, "prepare", noted)
        patch.setattr(search_bundle, "_index", watched)
        assert run_cli(site, search=True).returncode == 0
    assert seen == [True]
    assert run_cli(site, "--output", "again", search=True).returncode == 0
    assert tree(site / "public") == tree(site / "again")


def test_a_page_missing_from_its_mirror_is_mirrored_again(site, small_shards):
    """A page deleted from the mirror of its shard by hand is written there again when the shard is indexed next."""
    assert run_cli(site, search=True).returncode == 0
    shard = shard_of(site, "news/platform-news/index.html")
    mirror = site / ".cache/search-pages" / shard
    others = sorted(p for p in mirror.rglob("index.html") if "platform-news" not in str(p))
    assert others, "the shard holds another page"
    gone = others[0]
    gone.unlink()
    edit(site / "content/news/platform-news.md", "€30M", "€31M")
    assert run_cli(site, search=True).returncode == 0
    assert gone.is_file()
    folder = site / "public" / "pagefind" / ("" if shard == "_root" else shard)
    assert sum(entry(folder).values()) == len(list(mirror.rglob("*.html")))


def test_a_shard_that_cannot_be_written_fails_the_build_with_one_line(site, small_shards, monkeypatch):
    """Mirroring that fails (a full disk) fails the build with one line, at once (nothing waits for a Pagefind that
    never starts), and the published site is left as it was."""
    assert run_cli(site, search=True).returncode == 0
    edit(site / "content/news/platform-news.md", "€30M", "€31M")

    def broken(pages, mirror, locate):
        """A mirror that cannot be written."""
        raise OSError(28, "No space left on device", str(mirror / pages[0][0]))

    monkeypatch.setattr(search_bundle, "sync_mirror", broken)
    before = tree(site / "public")
    started = time.monotonic()
    done = run_cli(site, search=True)
    assert done.returncode == 1
    assert time.monotonic() - started < 60
    shard = shard_of(site, "news/platform-news/index.html")
    wanted = re.compile(rf"search index: error: cannot write \.cache/search-pages/{shard}/[^:]+/index\.html: No space left on device")
    assert wanted.search(done.stderr), done.stderr
    assert "Traceback" not in done.stderr
    assert tree(site / "public") == before
