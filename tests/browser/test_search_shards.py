"""The sharded search index finds what one index of the same pages finds: for a set of queries in both
languages, with and without a filter, the same pages and filters, and first results that one index
scores as high as its own first results.

The site is a generated one (bench/corpus.py) of 150 articles over ten years, its shards made small so that
each language has several; one Pagefind index of the same pages is served beside it at /single/pagefind/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from support import REPO, load_corpus, run_cli

from sitegen.publish import search_shards

from .siteserver import SiteServer
from .visit import DESKTOP, Visit

pytestmark = pytest.mark.browser

SCRIPT = (REPO / "bench" / "search_results.js").read_text(encoding="utf-8")
PAGES = {"en": "/about/", "fr": "/fr/a-propos/"}  # a page of each language (its <html lang> picks the index)
FILTERS = {"en": {"type": "News"}, "fr": {"type": "Actualité"}}


def queries(lang: str) -> list[str]:
    """The corpus's diseases, techniques and places, and two names, in one language."""
    words = load_corpus().WORDS[lang]
    return [text.split(" ", 1)[-1] if lang == "fr" else text for kind in ("disease", "thing", "place") for text in words[kind]] + ["MIB"]


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> str:
    """The generated site built with search (shards of at most 40 pages in the split by digest), served with one index of its pages."""
    folder = tmp_path_factory.mktemp("shards")
    site = folder / "site"
    load_corpus().make_site(site, 150, seed=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_shards, "PER_SHARD", 40)
        run = run_cli(site, "-q", search=True)
    assert (run.returncode, run.stderr) == (0, ""), run
    root, pages = folder / "root", folder / "pages"
    root.mkdir()
    for entry in (site / "public").iterdir():
        (root / entry.name).symlink_to(entry)
    for mirror in (site / ".cache" / "search-pages").iterdir():
        shutil.copytree(mirror, pages, dirs_exist_ok=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(root / "single" / "pagefind")]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    with SiteServer(root) as server:
        yield server.origin


def results(browser, origin: str, lang: str) -> dict:
    """Each query's results from the merged shards and from the single index (with the type filter: the query and a space)."""
    v = Visit(browser, origin, DESKTOP)
    try:
        v.goto(PAGES[lang])
        asked = queries(lang)
        filters = {f"{q} ": FILTERS[lang] for q in asked[:4]}
        found = v.page.evaluate(SCRIPT, {"lang": lang, "queries": asked + list(filters), "single": "/single/pagefind/", "filters": filters})
        assert v.problems() == []
        return found
    finally:
        v.close()


def worth(sharded: list, single: list, top: int = 10) -> float:
    """What the shards' first results are worth by the single index's scores, as a share of what its own first results are worth."""
    score = dict((page, value) for page, value in single)
    best = sum(value for _page, value in single[:top])
    return sum(score.get(page, 0.0) for page, _ in sharded[:top]) / best


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_shards_find_what_one_index_finds(browser, both, lang):
    found = results(browser, both, lang)
    assert found["shards"] >= 2, "several shards of the language are merged into the root one"
    sharded_filters, single_filters = found["filters"]
    assert sharded_filters == single_filters
    ten = []
    for query, (sharded, single) in found["queries"].items():
        assert single, f"{query!r} finds nothing: it tests nothing"
        ours, theirs = {page for page, _ in sharded}, {page for page, _ in single}
        # The same pages (Pagefind's one index can miss a few pages that hold the words, which its shards find).
        assert theirs <= ours and len(ours) <= 1.1 * len(theirs), (query, sorted(ours - theirs), sorted(theirs - ours))
        # Each shard ranks with its own word statistics: near ties may swap, but what comes first is worth as much.
        assert worth(sharded, single, 1) >= 0.75, (query, sharded[:3], single[:3])
        ten.append(worth(sharded, single))
        assert ten[-1] >= 0.85, (query, sharded[:10], single[:10])
    assert sum(ten) / len(ten) >= 0.95
