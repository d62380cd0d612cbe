"""The floors: the least any Python generator built on these libraries must do for the benchmark's corpus.

For every Markdown file under <site>/content/: split the front matter, convert the body with one
Python-Markdown converter per process reused with reset(), render one small Jinja2 template and write
one file, over a multiprocessing Pool of --jobs workers (default: all cores), in chunks.

- The site's floor (default): the front matter split by hand and read with PyYAML's C safe loader, as the
  build does; the site's Markdown configuration (sitegen.render.python_markdown.extensions()).
- The peers' floor (--peers): python-frontmatter and Python-Markdown with `tables` and `fenced_code`, the
  floor other generators (Eleventy, MkDocs, Pelican) were measured against.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import jinja2
import markdown
import yaml

from sitegen.render.python_markdown import extensions

TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{{ meta.title }}</title></head>
<body>
<main>
<h1>{{ meta.title }}</h1>
<p>{{ meta.date }} · {{ (meta.tags or [])|join(", ") }}</p>
{{ body|safe }}
</main>
</body>
</html>
"""

_worker: dict = {}
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a tenth of the pure-Python loader's time


def _init(content: str, out: str, peers: bool = False) -> None:
    """Set up one process: a converter, a compiled template, the folders."""
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    _worker.update(
        split=peers_split if peers else split,
        converter=markdown.Markdown(extensions=["tables", "fenced_code"] if peers else extensions(), output_format="html"),
        template=env.from_string(TEMPLATE),
        content=Path(content),
        out=Path(out),
    )


def split(text: str) -> tuple[dict, str]:
    """Front matter (parsed) and body of a Markdown file that starts with '---'."""
    _, rest = text.split("---\n", 1)
    front, body = rest.split("\n---\n", 1)
    return yaml.load(front, Loader=LOADER) or {}, body


def peers_split(text: str) -> tuple[dict, str]:
    """Front matter and body as python-frontmatter gives them."""
    import frontmatter

    post = frontmatter.loads(text)
    return post.metadata, post.content


def convert_one(path: str) -> int:
    """Convert, render and write one file; returns the bytes written."""
    source = Path(path)
    meta, body = _worker["split"](source.read_text(encoding="utf-8"))
    converter = _worker["converter"]
    converter.reset()
    html = converter.convert(body)
    lang = "fr" if source.name.endswith(".fr.md") else "en"
    data = _worker["template"].render(meta=meta, body=html, lang=lang).encode("utf-8")
    target = _worker["out"] / source.relative_to(_worker["content"]).with_suffix(".html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return len(data)


def run(site: Path, out: Path, jobs: int, peers: bool = False) -> tuple[int, int]:
    """Process every Markdown file of a site; returns (files, bytes written)."""
    content = site / "content"
    paths = sorted(str(p) for p in content.rglob("*.md"))
    out.mkdir(parents=True, exist_ok=True)
    if jobs <= 1:
        _init(str(content), str(out), peers)
        sizes = [convert_one(p) for p in paths]
    else:
        # Small chunks, handed out as workers free up: no worker idles at the end while another
        # finishes a long chunk (the build's chunks shrink to 16 items at the end for the same reason).
        with Pool(jobs, initializer=_init, initargs=(str(content), str(out), peers)) as pool:
            sizes = list(pool.imap_unordered(convert_one, paths, chunksize=16))
    return len(sizes), sum(sizes)


def main(argv: list[str] | None = None) -> int:
    """Command line: floor.py --site DIR --output DIR [--jobs N]."""
    parser = argparse.ArgumentParser(description="The benchmark's floor: parse, convert, render and write every article.")
    parser.add_argument("--site", type=Path, required=True, help="a site folder (with content/)")
    parser.add_argument("--output", type=Path, required=True, help="where to write the pages")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    parser.add_argument("--peers", action="store_true", help="the peers' floor: python-frontmatter, Markdown with tables and fenced_code")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files, size = run(args.site, args.output, args.jobs, args.peers)
    print(f"{'peers floor' if args.peers else 'floor'}: {files} files, {size / 1e6:.1f} MB in {time.perf_counter() - started:.2f}s with {args.jobs} jobs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
