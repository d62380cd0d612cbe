"""Which split of the search index is better, measured on a site already built without search.

Usage: .venv/bin/python bench/search_shards.py --config SITE/config.yaml --output OUT [--splits year,section,digest]

For each split (sitegen/publish/search_shards.py SPLITS), with the site's Pagefind cache emptied: the time
and peak memory (the build and Pagefind, summed PSS) of a build that indexes every shard, the shard count
and bytes, the time of a build after one English article's body is edited and how many shards it changed;
then, in Chromium, the results of the corpus's queries in both languages from the merged shards against one
index of the same pages: same result set, same first result, overlap of the first 5 and 10.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import WORDS

from bench import measure

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]
SCRIPT = (BENCH / "search_results.js").read_text(encoding="utf-8")
PAGES = {"en": "/about/", "fr": "/fr/a-propos/"}
RUN = "import runpy, sys; import sitegen.publish.search_shards as s; s.SPLIT = sys.argv.pop(1); runpy.run_path('build.py', run_name='__main__')"


def queries(lang: str) -> list[str]:
    """The corpus's diseases, techniques and places in one language, without their articles."""
    words = WORDS[lang]
    found = [text.split(" ", 1)[1] if text.startswith(("le ", "la ", "les ")) else text.removeprefix("l'")
             for kind in ("disease", "thing", "place") for text in words[kind]]
    return [*found, "MIB", "Inserm"]


ENGINE = [REPO]  # the checkout whose build.py runs (--engine: a copy, so that editing this one does not start a new graph)


def build(split: str, config: Path, output: Path, name: str, search: bool = True) -> dict:
    """One measured build with a split."""
    command = [sys.executable, "-c", RUN, split, "--config", str(config), "--output", str(output), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ENGINE[0]), "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    return measure(command + ([] if search else ["--no-search"]), Path(tempfile.gettempdir()) / f"search-shards-{name}.log", ENGINE[0], env)


def files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def shard_of(path: str, names: set[str]) -> str:
    """The shard a file of the bundle belongs to ('' the root)."""
    first = path.split("/", 1)[0]
    return first if first in names else ""


def edit(site: Path, k: int) -> None:
    """Append a paragraph to the middle English article's body."""
    english = sorted(p for p in (site / "content/news").glob("*.md") if p.name.count(".") == 1)
    with open(english[len(english) // 2], "a", encoding="utf-8") as handle:
        handle.write(f"\nSearch shards edit {k}: one more paragraph.\n")


def one_split(split: str, config: Path, output: Path, k: int) -> dict:
    """Index everything with a split, then one edit; the figures."""
    site = config.parent
    for name in ("pagefind", "search-pages"):
        shutil.rmtree(site / ".cache" / name, ignore_errors=True)
    build(split, config, output, f"{split}-off", search=False)  # the search value is made again by the next build
    cold = build(split, config, output, f"{split}-all")
    bundle = output / "pagefind"
    manifest = json.loads((bundle / "shards.json").read_text())["shards"]
    names = {name.rstrip("/") for names in manifest.values() for name in names}
    before = files(bundle)
    edit(site, k)
    again = build(split, config, output, f"{split}-edit")
    after = files(bundle)
    changed = {shard_of(p, names) for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return {"split": split, "shards": len(names) + 1, "bytes": sum(len(b) for b in after.values()),
            "index_all": cold, "edit": again, "shards_changed": sorted(changed)}


def single_index(site: Path, folder: Path) -> None:
    """One Pagefind index of every indexed page (the shards' mirrors put together) in folder/pagefind/."""
    pages = folder / "pages"
    for mirror in (site / ".cache" / "search-pages").iterdir():
        shutil.copytree(mirror, pages, dirs_exist_ok=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(folder / "root" / "single" / "pagefind")]
    subprocess.run(command, check=True, capture_output=True)
    shutil.rmtree(pages)


def compare(output: Path, single: Path) -> dict:
    """The merged shards' results against one index's, per language, in Chromium."""
    from browser.siteserver import CHROME_ARGS, CHROMIUM, SiteServer
    from playwright.sync_api import sync_playwright

    root = single / "root"
    for entry in output.iterdir():
        if not (root / entry.name).exists():
            (root / entry.name).symlink_to(entry)
    found = {}
    with SiteServer(root) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        page = browser.new_page()
        for lang in ("en", "fr"):
            page.goto(server.origin + PAGES[lang])
            arg = {"lang": lang, "queries": queries(lang), "single": "/single/pagefind/", "filters": {}}
            found[lang] = agreement(page.evaluate(SCRIPT, arg)["queries"])
        browser.close()
    return found


def agreement(results: dict[str, list]) -> dict:
    """How far the merged shards' rankings agree with one index's, over the queries."""
    same_set = same_first = 0
    top5 = top10 = worth = 0.0
    for sharded, single in results.values():
        a, b = [page for page, _ in sharded], [page for page, _ in single]
        same_set += set(a) == set(b)
        same_first += a[:1] == b[:1]
        top5 += len(set(a[:5]) & set(b[:5])) / max(1, min(5, len(b)))
        top10 += len(set(a[:10]) & set(b[:10])) / max(1, min(10, len(b)))
        worth += ten_worth(sharded, single)
    n = len(results)
    return {"queries": n, "same_set": same_set, "same_first": same_first, "top5": top5 / n, "top10": top10 / n, "worth10": worth / n}


def ten_worth(sharded: list, single: list) -> float:
    """What the merged shards' first ten are worth by one index's scores, as a share of what that index's own first ten are worth.

    1.0: the shards put first pages that one index scores as high as its own first ten (ties reordered count in full).
    """
    score = dict((page, value) for page, value in single)
    best = sum(value for _page, value in single[:10])
    return sum(score.get(page, 0.0) for page, _ in sharded[:10]) / best if best else 1.0


def main() -> int:
    """Measure each split; print a table; write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--splits", default="year,section,digest")
    parser.add_argument("--json", type=Path, default=BENCH / "out" / "search-shards.json")
    parser.add_argument("--engine", type=lambda p: Path(p).resolve(), default=REPO, help="the checkout to run (default: this one)")
    args = parser.parse_args()
    ENGINE[0] = args.engine
    config, output = args.config.resolve(), args.output.resolve()
    rows = []
    for k, split in enumerate(args.splits.split(",")):
        row = one_split(split, config, output, k)
        with tempfile.TemporaryDirectory() as folder:
            single_index(config.parent, Path(folder))
            row["quality"] = compare(output, Path(folder))
        rows.append(row)
        print(line(row), flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


def line(row: dict) -> str:
    """One split's figures on one line."""
    q = " ".join(f"{lang}: same set {r['same_set']}/{r['queries']}, same first {r['same_first']}/{r['queries']}, "
                 f"top 5 {r['top5']:.2f}, top 10 {r['top10']:.2f}, worth of the first 10 {r['worth10']:.3f};" for lang, r in row["quality"].items())
    return (f"{row['split']}: {row['shards']} shards, {row['bytes'] / 1e6:.1f} MB; index all {row['index_all']['seconds']:.1f} s "
            f"(load {row['index_all']['load_before']:.1f}) / {row['index_all']['peak_mb']:.0f} MB; one edit {row['edit']['seconds']:.2f} s, "
            f"shards changed {row['shards_changed']}; {q}")


if __name__ == "__main__":
    sys.exit(main())
