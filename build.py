#!/usr/bin/env python3
"""The MIB portal generator's one entry point: build, check, serve, new, schema.

`build()` below is the whole pipeline, in order. Each stage lives in a module of `sitegen/`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import __version__
from sitegen.assets import bundle_outputs, fingerprint, static_outputs
from sitegen.checks import check_links, check_raw_html
from sitegen.config import load_config
from sitegen.content import read_sources
from sitegen.data import read_data
from sitegen.hosting import host_files
from sitegen.i18n import load_strings
from sitegen.indexes import feed_routes, robots_route, sitemap_route
from sitegen.markup import convert_bodies
from sitegen.output import publish
from sitegen.pipeline import check_output_dir, check_urls, render_routes, strictify
from sitegen.problems import BuildFailed, Problems, sorted_problems, summary_line
from sitegen.render import check_templates, make_env
from sitegen.search import search_outputs
from sitegen.site import assemble


@dataclass
class Options:
    """What the command line asked for."""

    config: Path = Path("config.yaml")
    output: Path | None = None
    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    jobs: int = 0
    quiet: bool = False
    verbose: bool = False
    write: bool = True
    search: bool = True


@dataclass
class Result:
    """What a successful build made."""

    site: object
    outputs: list
    problems: list
    stats: dict = field(default_factory=dict)
    seconds: float = 0.0


def build(opts: Options) -> Result:
    """Read, validate, assemble, render, check and publish the site; raise BuildFailed on errors."""
    started = time.perf_counter()
    problems = Problems()
    root = opts.config.parent.absolute()
    # 1. Settings first: nothing else can be read without them.
    config = load_config(opts.config, problems, opts.base_url)
    if config is None:
        raise BuildFailed(problems)
    out_dir = check_output_dir(opts.output or root / config.output, root, problems)
    # 2. Read and validate every input, collecting all problems.
    strings = load_strings(root / "templates" / "i18n", config, problems, root)
    sources = read_sources(root / "content", config, problems, root)
    data, _ = read_data(root / "content" / "data", config, problems, root)
    env = make_env(root / "templates")
    check_templates(env, root / "templates", problems, root)
    for source in sources:
        check_raw_html(source.shown, source.body, source.body_line, config.iframe_allow, problems)
    # 3. Assemble the site: URLs, translations, references.
    bodies = convert_bodies(sources, opts.jobs)
    site = assemble(config, sources, bodies, data, now(config.timezone), root, opts.drafts, problems)
    routes = []
    if not problems.errors:
        from sitegen.routes import all_routes

        routes = all_routes(site, strings)
        routes += feed_routes(site, strings, now(config.timezone))
        routes += [sitemap_route(site, routes), robots_route(site)]
        check_urls(routes, problems)
    # 4. Stop before rendering if anything is wrong.
    if problems.errors:
        raise BuildFailed(problems)
    # 5-6. Render every page, feed and index, with fingerprinted static files and bundle assets.
    static, asset_urls = fingerprint(static_outputs(root / "static", root, problems))
    env.globals["asset"] = lambda url: asset_urls.get(url, url)
    outputs = render_routes(env, routes, config.base_path, problems, root)
    outputs += static + bundle_outputs(site.pages, root, problems)
    outputs += host_files(routes, config.base_path, [u.lstrip("/") for u in asset_urls.values()])
    # 7. Check every internal link and anchor in what was rendered.
    if not problems.errors:
        check_links(outputs, config.base_path, problems, root)
    # Search index (Pagefind), from the pages as rendered.
    if opts.search and not problems.errors:
        outputs += search_outputs(outputs, root / ".cache", problems)
    # 8. In strict mode warnings count as errors.
    if opts.strict:
        strictify(problems)
    if problems.errors:
        raise BuildFailed(problems)
    # 9. Publish atomically: the old site stays until the new one is complete.
    stats = publish(outputs, out_dir) if opts.write else {}
    return Result(site, outputs, list(problems), stats, time.perf_counter() - started)


def now(timezone: str) -> datetime:
    """The build's 'now': SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    zone = ZoneInfo(timezone)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), zone) if epoch else datetime.now(zone)


def summary(result: Result) -> str:
    """The one-screen summary printed after a build."""
    site = result.site
    lines = []
    for lang in site.config.langs:
        lines.append(f"  {lang}: {len(site.articles(lang))} articles, {len(site.standalone(lang))} pages")
    skipped = ", ".join(f"{n} {what}" for what, n in sorted(site.skipped.items())) or "none"
    html = sum(o.is_html for o in result.outputs)
    lines.append(f"  skipped: {skipped}")
    lines.append(f"  {html} HTML pages, {len(result.outputs)} files; " + ", ".join(f"{k} {v}" for k, v in result.stats.items()))
    return "\n".join(lines)


def print_problems(problems: list, stream=None) -> None:
    """Every problem, sorted, then the count."""
    stream = stream or sys.stderr
    ordered = sorted_problems(problems)
    for problem in ordered:
        print(problem, file=stream)
    if ordered:
        print(summary_line(ordered), file=stream)


def parse_args(argv: list[str]) -> tuple[str, argparse.Namespace]:
    """The command and its options."""
    parser = argparse.ArgumentParser(prog="build.py", description="Build the MIB portal.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    for name, text in (("build", "build the site into the output folder"), ("check", "run every check of build --strict, write nothing")):
        _build_options(sub.add_parser(name, help=text))
    _build_options(parser)
    args = parser.parse_args(argv)
    return args.command or "build", args


def _build_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by build and check."""
    parser.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="config file (default: config.yaml)")
    parser.add_argument("--output", type=Path, default=argparse.SUPPRESS, help="output folder (default: from config, public)")
    parser.add_argument("--drafts", action="store_true", default=argparse.SUPPRESS, help="include drafts and scheduled items")
    parser.add_argument("--strict", action="store_true", default=argparse.SUPPRESS, help="warnings are errors")
    parser.add_argument("--base-url", default=argparse.SUPPRESS, help="override base_url from config")
    parser.add_argument("--jobs", type=int, default=argparse.SUPPRESS, help="worker processes (default: all cores)")
    parser.add_argument("--no-search", dest="search", action="store_false", default=argparse.SUPPRESS, help="skip the search index")
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only problems")
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="print more")


def options(args: argparse.Namespace, **overrides) -> Options:
    """Options from parsed arguments."""
    values = {k: v for k, v in vars(args).items() if k in Options.__dataclass_fields__}
    return Options(**{**values, **overrides})


def main(argv: list[str] | None = None) -> int:
    """Run a command; exit status 0 on success, 1 on problems, 2 on usage errors."""
    command, args = parse_args(sys.argv[1:] if argv is None else argv)
    opts = options(args, **({"strict": True, "write": False} if command == "check" else {}))
    try:
        result = build(opts)
    except BuildFailed as failed:
        print_problems(failed.problems)
        print("build failed: nothing was published" if command == "build" else "check failed", file=sys.stderr)
        return 1
    print_problems(result.problems)
    if not opts.quiet:
        verb = "checked" if command == "check" else "built"
        print(f"{verb} in {result.seconds:.2f}s\n{summary(result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
