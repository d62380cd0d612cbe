#!/usr/bin/env python3
"""The MIB portal generator's one entry point: build, check, serve, new, schema.

`build()` below is the whole pipeline, in order. Each stage lives in a module of `sitegen/`.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import sys
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from sitegen import __version__, snapshot
from sitegen.bodies import BodyStore
from sitegen.cache import Cache, Entry, code_salt, text_digest
from sitegen.checks.links import check_links, scan
from sitegen.checks.raw_html import check_bodies
from sitegen.model.config import base_url_problem, load_config
from sitegen.model.content import read_sources, reread
from sitegen.model.data import read_data
from sitegen.model.i18n import load_strings
from sitegen.model.site import assemble
from sitegen.pages.indexes import feed_routes, robots_route, sitemap_route
from sitegen.pages.routes import all_routes
from sitegen.pipeline import check_urls, render_routes, strictify
from sitegen.problems import BuildFailed, Problems, UsageError, sorted_problems, summary_line
from sitegen.publish.assets import bundle_outputs, fingerprint, static_outputs
from sitegen.publish.hosting import host_files
from sitegen.publish.lock import site_lock
from sitegen.publish.metadata import build_metadata, git_state
from sitegen.publish.outdir import check_output_dir
from sitegen.publish.output import Folders, Staging, listing
from sitegen.publish.search import search_outputs
from sitegen.render.markup import convert_bodies, reader
from sitegen.render.templates import check_templates, make_env
from sitegen.resume import LastBuild, as_published, refresh_pages, render_keys, same_front_matter, without
from sitegen.splice import NO_FRAMES, Frames, drop_frames, frames_of, load_frames, refreshed, save_frames, splice
from sitegen.tools.progress import Progress
from sitegen.tools.translations import translation_report


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
    remember: bool = False  # keep this build in memory so the next one can re-render only edited bodies


@dataclass
class Result:
    """What a successful build made."""

    site: object
    outputs: list
    problems: list
    stats: dict = field(default_factory=dict)
    seconds: float = 0.0
    overview: list[str] = field(default_factory=list)
    mode: str = "full"  # or "unchanged" (nothing read had changed), "bodies" (only edited bodies re-rendered),
    # "spliced" (edited bodies written into their published pages, splice.py)


def build(opts: Options) -> Result:
    """Read, validate, assemble, render, check and publish the site; raise BuildFailed on errors."""
    with collector_paused(), site_lock(opts.config.parent.absolute() / ".cache"):  # one build of a site at a time
        return _build(opts)


def _build(opts: Options) -> Result:
    """The pipeline, stage by stage."""
    started = time.perf_counter()
    problems = Problems()
    progress = Progress.for_terminal(opts.quiet)
    root = opts.config.parent.absolute()
    inputs = snapshot.list_inputs(root, opts.config, True)  # before reading any input: what this build is made from
    # 1. Settings first: nothing else can be read without them.
    config = load_config(opts.config, problems, opts.base_url)
    if config is None:
        raise BuildFailed(problems)
    out_dir = check_output_dir(opts.output or root / config.output, root, problems, opts.output is not None, opts.config)
    # The output folders are listed by forked processes (on the other core) while this one goes on.
    folders = Folders.listed(out_dir) if opts.write and not opts.remember and not problems.errors else None
    salt = code_salt(config.model_dump_json().encode() + Path(__file__).read_bytes())
    git = git_state(root)
    # What the output depends on besides the input files; build.json also shows the git commit.
    memo_key = text_digest(repr((salt, str(out_dir), opts.drafts, opts.search, os.environ.get("SOURCE_DATE_EPOCH"))))
    run_key = text_digest(repr((memo_key, git)))
    # Nothing read has changed since the last publish: the site is already what this build would make.
    published = snapshot.load(root / ".cache") if opts.write and not problems.errors else None
    if snapshot.still_published(published, run_key, inputs, now(config.timezone).timestamp(), lambda: folders.published if folders else listing(out_dir)):
        return replay(published, opts, started)
    # Only bodies edited, each written as it is into its page alone: spliced into the published files, no cache loaded.
    frames = load_frames(root / ".cache", memo_key) if opts.write and not problems.errors else NO_FRAMES
    if folders is not None and not opts.search:
        spliced = splice(published, run_key, frames, inputs, now(config.timezone).timestamp(), root, out_dir, folders, config, opts.strict)
        if spliced is not None:
            return splice_result(spliced, published, root, memo_key, started)
    cache = Cache.load(root / ".cache", salt)
    # Only article or page bodies edited since the last published build (kept in memory by the
    # preview server, else saved with the cache): re-render just the pages that show them.
    last = _LAST.pop(str(root), None) or cache.last
    if opts.write:
        cache.last = None  # this build's replaces it; `check` publishes nothing and keeps it
    if last is not None and opts.write and not problems.errors:
        result = rebuild_bodies(opts, last, inputs, run_key, memo_key, cache, out_dir, config, salt, git, started,
                                folders or last.folders, frames)
        if result is not None:
            return result
    frames = None  # read again at the end, for the pages kept: not held (nor copied into the workers) meanwhile
    if last is not None and opts.write:  # not needed any more: the full build must not hold the last one's site and routes too
        last = None
        gc.collect()  # pages point at their translations: without the collector (paused) the cycles would stay
    # 2. Read and validate every input, collecting all problems (unchanged files come from the cache).
    strings = load_strings(root / "templates" / "i18n", config, problems, root, cache)
    store = BodyStore(root / ".cache", salt, cache.body_index)
    sources = read_sources(root / "content", config, problems, root, cache, inputs.settled(),
                           reader(config, root, cache, store, opts.jobs, progress))  # new bodies converted as they are read
    data, _ = read_data(root / "content" / "data", config, problems, root, cache)
    env = make_env(root / "templates", root / ".cache" / "jinja")
    check_templates(env, root / "templates", problems, root)
    # 3. Assemble the site: the other Markdown converted (in parallel, cached), URLs, translations, references.
    with progress.stage("Markdown", len(sources)) as advance:
        firsts = convert_bodies(sources, store, root, problems, opts.jobs, cache, advance)
    check_bodies(sources, store, root, config.iframe_allow, cache, problems)
    for source in sources:
        source.body = None  # the Markdown is no longer needed (the HTML is in the store): free it
    site = assemble(config, sources, firsts, store, data, now(config.timezone), root, opts.drafts, problems)
    routes = []
    if not problems.errors:
        routes = all_routes(site, strings)
        routes += feed_routes(site, strings, now(config.timezone))
        routes += [sitemap_route(site, routes), robots_route(site)]
        check_urls(routes, problems)
    # 4. Stop before rendering if anything is wrong.
    if problems.errors:
        progress.close()
        cache.save()
        raise BuildFailed(problems)
    # 5-6. Render what changed (in parallel) straight into a staging folder beside the published site,
    # with fingerprinted static files, bundle assets, host files and the search index.
    static, asset_urls = fingerprint(static_outputs(root / "static", root, problems))
    keys = render_keys(env, root, config, strings, asset_urls, cache.template_refs)
    if cache.out_dir != str(out_dir):
        cache.manifest, cache.out_dir = {}, str(out_dir)
    staging = Staging(out_dir, cache.manifest, folders) if opts.write else None
    saving, was_published = None, cache.manifest
    try:
        with progress.stage("Rendering", len(routes)) as advance:
            users: dict[str, list[int]] = {}
            rendered: dict[str, tuple] = {}
            bodied: set[int] = set()
            outputs, fresh = render_routes(env, routes, config.base_path, problems, root, keys=keys, cache=cache, out_dir=out_dir,
                                           jobs=opts.jobs, advance=advance, staging=staging, users=users, frames=rendered, bodied=bodied)
        prefixes = [config.prefix(lang) for lang in config.langs if config.prefix(lang)]
        extra = static + bundle_outputs(site.pages, root, problems)
        extra += host_files(routes, config.base_path, [u.lstrip("/") for u in asset_urls.values()], prefixes, config.iframe_allow)
        outputs += [staging.put(o) for o in extra] if staging else extra
        # 7-9. Check links, index for search, add build.json, apply strict mode, publish atomically.
        done = Made(root, out_dir, config, site, expiry(site, sources), cache, problems, git, run_key, inputs, memo_key)
        outputs, linkable = check_outputs(opts, done, outputs, fresh, staging, progress)
        # 9. The cache as it will be once published, saved in a forked process while this one publishes.
        if staging:
            cache.last = LastBuild(memo_key, inputs, env, keys, site, strings, routes, users, outputs, linkable,
                                   list(problems), sources, asset_urls, done.until)
        forget_unused(cache, store, sources, outputs)
        saving = cache.save_in_background() if staging and not opts.remember else None
        if not config.base_path:  # where each page holds its own body, for the next build to splice an edit into
            done.frames = frames_of(routes, outputs, users, bodied, rendered, load_frames(root / ".cache"), raw_problems(cache))
        stats = publish(done, outputs, staging, progress)
    except BaseException:
        if saving:
            saving(False)
        if staging:
            staging.abort()
            cache.last = None  # nothing published: no last build to resume
        cache.manifest = was_published
        progress.close()
        cache.save()
        raise
    progress.close()
    if staging:
        cache.last.folders = staging.folders_now()
        _LAST.clear()
        if opts.remember:
            _LAST[str(root)] = cache.last
    _save(cache, problems, saving=saving)
    return Result(site, outputs, list(problems), stats, time.perf_counter() - started, overview(site, problems))


@dataclass
class Made:
    """What a build read and assembled, as the last steps (check, publish, remember) need it."""

    root: Path
    out_dir: Path
    config: object
    site: object
    until: float | None  # expiry(): when what it made goes out of date
    cache: Cache
    problems: Problems
    git: tuple
    run_key: str
    inputs: snapshot.Inputs
    memo_key: str  # what the output depends on besides the inputs and the git commit: the frames' key
    frames: Frames = NO_FRAMES  # where its pages hold their bodies, saved after publishing


def check_outputs(opts: Options, made: Made, outputs: list, fresh: dict, staging: Staging | None,
                  progress: Progress) -> tuple[list, int]:
    """Steps 7 and 8 of every build: links, search index, build.json, strict mode.

    Returns every output and how many of them links may point to; records in the cache what
    was checked and, when staging, what will be published.
    """
    root, config, problems, cache = made.root, made.config, made.problems, made.cache
    locate = staging.file if staging else (lambda path: made.out_dir / path)
    # 7. Check every internal link and anchor in what was rendered.
    with progress.stage("Links", len(outputs)):
        scans = scan(outputs, locate, cache, fresh)
        if not problems.errors:
            check_links(outputs, config.base_path, problems, root, scans, cache.links_checked)
        links_checked = {o.path: o.digest for o in outputs}
        linkable = len(outputs)
    # Search index (Pagefind), from the pages as rendered.
    if opts.search and not problems.errors:
        indexed = {path for path, found in scans.items() if found.indexed}
        with progress.stage("Search", len(indexed)):
            bundle = search_outputs(outputs, indexed, locate, root / ".cache", problems)
        outputs += [staging.put(o) for o in bundle] if staging else bundle
    metadata = build_metadata(made.site, outputs, made.git)
    outputs.append(staging.put(metadata) if staging else metadata)
    # 8. In strict mode warnings count as errors.
    if opts.strict:
        strictify(problems)
    if problems.errors:
        raise BuildFailed(problems)
    cache.links_checked = links_checked
    if staging:
        cache.manifest = manifest(outputs, staging.published(), cache.manifest)
    return outputs, linkable


def publish(made: Made, outputs: list, staging: Staging | None, progress: Progress) -> dict:
    """Step 9: publish atomically (the old site stays until the new one is complete); the counts."""
    if not staging:
        return {}
    drop_frames(made.root / ".cache")
    with progress.stage("Publishing", len(outputs)):
        stats = staging.commit()
    snapshot.save(made.root / ".cache", record(made, outputs))
    save_frames(made.root / ".cache", made.memo_key, made.frames)
    return stats


_LAST: dict[str, LastBuild] = {}  # at most one: the last build of this process, by site folder


def rebuild_bodies(opts: Options, last: LastBuild, inputs: snapshot.Inputs, run_key: str, memo_key: str, cache: Cache,
                   out_dir: Path, config, salt: str, git: tuple, started: float, folders: Folders | None,
                   frames: Frames) -> Result | None:
    """After edits to the bodies of articles or pages only, re-render just the pages that show them.

    Works from the last published build (kept by this process, or saved with the cache): its
    site, routes, and which routes show which page. Returns None (and the full pipeline runs) when anything else changed: another
    file, a front matter, a file added or removed, the options. A new git commit or a tree that
    became dirty only changes build.json, which is made again here anyway. `folders` lists the
    published and staging folders (as the preview server left them, or as listed at the start);
    `frames` where the published pages hold their bodies (splice.py), kept for the pages not rendered again.
    """
    root = opts.config.parent.absolute()
    expired = last.valid_until is not None and now(config.timezone).timestamp() >= last.valid_until
    same = (last.key, last.inputs.root) == (memo_key, inputs.root) and not expired
    changed = inputs.changed_since(last.inputs) if same else None
    by_shown = {source.shown: source for source in last.sources}
    if changed is None or not changed <= by_shown.keys():
        return None
    edited = {}
    for shown in sorted(changed):
        old, before = by_shown[shown], cache.sources.get(shown)
        new = reread(old, config, Problems(), root, cache)
        if new is None or before is None or not same_front_matter(old, new) or cache.sources[shown][2] != before[2]:
            return None
        if new.digest != old.digest:
            edited[shown] = new
    problems = Problems()
    store = BodyStore(root / ".cache", salt, cache.body_index)
    sources = list(edited.values())
    firsts = convert_bodies(sources, store, root, problems, opts.jobs, cache)
    stale = [p for shown in edited for p in cache.files.get(f"raw:{shown}", ("", None, []))[2]]
    check_bodies(sources, store, root, config.iframe_allow, cache, problems)
    problems.extend(without(last.problems, stale))
    if problems.errors:
        raise BuildFailed(problems)  # as the full build would: nothing rendered, nothing published
    affected = refresh_pages(last, edited, firsts, store)
    if affected is None:
        return None
    staging = Staging(out_dir, cache.manifest, folders)
    chosen = sorted(affected)
    if not as_published(last.outputs[: last.linkable], staging.current, cache.manifest):
        staging.abort()
        return None  # the published site is not the one this build was made into
    env, keys = last.tools(root, config, cache)
    was_published = cache.manifest
    try:
        rendered: dict[str, tuple] = {}
        redone, fresh = render_routes(env, [last.routes[i] for i in chosen], config.base_path, problems, root,
                                      keys=keys, cache=cache, jobs=opts.jobs, staging=staging, frames=rendered)
        by_path = {o.path: o for o in redone}
        outputs = []
        for output in last.outputs[: last.linkable]:
            if output.path not in by_path:
                staging.record(output.path, False)
            outputs.append(by_path.get(output.path) or output.kept())
        done = Made(root, out_dir, config, last.site, last.valid_until, cache, problems, git, run_key, inputs, memo_key)  # bodies move no date
        outputs, _ = check_outputs(opts, done, outputs, fresh, staging, Progress(False))
        if not config.base_path:
            done.frames = refreshed(frames, last.routes, chosen, rendered, outputs, raw_problems(cache))
        stats = publish(done, outputs, staging, Progress(False))
    except BaseException:
        staging.abort()
        cache.manifest = was_published
        raise
    last.inputs, last.outputs, last.problems = inputs, outputs, list(problems)
    last.edited.update(edited)
    last.folders = staging.folders_now()
    cache.last = last
    _LAST.clear()
    if opts.remember:
        _LAST[str(root)] = last
    else:
        _save(cache, problems, small=True)
    return Result(last.site, outputs, list(problems), stats, time.perf_counter() - started, overview(last.site, problems), "bodies")


def forget_unused(cache: Cache, store: BodyStore, sources: list, outputs: list) -> None:
    """Drop from the cache (and the converted bodies from disk) what the site no longer uses."""
    in_use = {source.body_key for source in sources}
    if set(cache.bodies) != in_use:
        store.forget_other_engines()
        store.prune(in_use)
    cache.prune({s.shown for s in sources}, in_use, {o.digest for o in outputs})


def _save(cache: Cache, problems: Problems, small: bool = False, saving=None) -> None:
    """Save the cache after a build that published (only what changed when `small`, or finishing the
    background save `saving`); a warning when it cannot be saved."""
    unsaved = saving(True) if saving else cache.save(small)
    if unsaved:
        problems.warning(".cache", 0, f"cannot save the build cache: {unsaved}", "the site was published; the next build reads everything again")


def record(made: Made, outputs: list) -> snapshot.Snapshot | None:
    """What this build read and reported, for the next build to compare with (None when unsure)."""
    if not made.inputs.trusted or made.until == -math.inf:
        return None
    published = made.cache.manifest
    return snapshot.Snapshot(made.run_key, made.inputs.files, {path: (e.size, e.mtime_ns) for path, e in published.items()}, made.until,
                             list(made.problems), overview(made.site, made.problems), sum(o.is_html for o in outputs), len(outputs))


def raw_problems(cache: Cache):
    """A function giving the raw HTML check's problems of a source, as the cache remembers them."""
    return lambda shown: cache.files.get(f"raw:{shown}", ("", None, []))[2]


def splice_result(spliced, last: snapshot.Snapshot, root: Path, memo_key: str, started: float) -> Result:
    """The result of a build that spliced edited bodies into their pages (splice.py); BuildFailed on errors."""
    if spliced.problems.errors:
        raise BuildFailed(spliced.problems)
    snapshot.save(root / ".cache", spliced.snapshot)
    save_frames(root / ".cache", memo_key, spliced.frames)
    stats = {"html": last.html_files, "files": last.file_count, **spliced.stats}
    return Result(None, [], list(spliced.problems), stats, time.perf_counter() - started, last.overview, "spliced")


def expiry(site, sources: list) -> float | None:
    """When the site built now stops being the one a build would make, as a timestamp (None: never).

    The date of the first scheduled item; at once (-inf) when a feed has no entries, as it is
    then dated 'now' (unless SOURCE_DATE_EPOCH fixes 'now').
    """
    if not os.environ.get("SOURCE_DATE_EPOCH") and any(not site.articles(lang) for lang in site.config.langs):
        return -math.inf
    due = [s.meta.date.timestamp() for s in sources if not s.meta.draft and getattr(s.meta, "date", None) and s.meta.date > site.now]
    return min(due, default=None)


def replay(last: snapshot.Snapshot, opts: Options, started: float) -> Result:
    """The result of a build whose inputs are those of the published site: its problems again, nothing written."""
    problems = Problems()
    problems.extend(last.problems)
    if opts.strict:
        strictify(problems)
    if problems.errors:
        raise BuildFailed(problems)
    stats = {"written": 0, "unchanged": last.file_count, "removed": 0, "html": last.html_files}
    return Result(None, [], list(problems), stats, time.perf_counter() - started, last.overview, "unchanged")


def manifest(outputs: list, on_disk: dict[str, tuple], before: dict[str, Entry]) -> dict[str, Entry]:
    """What was published: key, digest, size and mtime of each file, to skip unchanged work next time.

    An entry that has not changed is the one `before` held (the cache's journal then skips it).
    """
    found = {}
    for o in outputs:
        there = on_disk.get(o.path)
        if there is not None:
            entry = before.get(o.path)
            found[o.path] = entry if entry == (o.key, o.digest, there[0], there[1]) else Entry(o.key, o.digest, there[0], there[1])
    return found


@contextmanager
def collector_paused():
    """Python's cycle collector off while building.

    A build makes millions of objects that live until it ends (the cache, pages, contexts), and
    the collector kept walking them all: a third of a no-change build's time at 10,000 articles.
    The build leaves little cyclic garbage; the collector resumes after it (between rebuilds in
    the preview server).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def now(timezone: str) -> datetime:
    """The build's 'now': SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    zone = ZoneInfo(timezone)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), zone) if epoch else datetime.now(zone)


def overview(site, problems: list) -> list[str]:
    """The summary's lines about content: counts per language, skipped items, missing translations."""
    lines = []
    for lang in site.config.langs:
        lines.append(f"  {lang}: {len(site.articles(lang))} articles, {len(site.standalone(lang))} pages")
    skipped = ", ".join(f"{n} {what}" for what, n in sorted(site.skipped.items())) or "none"
    lines.append(f"  skipped: {skipped}")
    untranslated = sum(1 for p in problems if not p.is_error and p.path.startswith("content/data/") and " has no " in p.message)
    if untranslated:
        lines.append(f"  data texts missing a language: {untranslated} (listed above; 'python build.py check' gives the full report)")
    return lines


def summary(result: Result) -> str:
    """The one-screen summary printed after a build."""
    stats = dict(result.stats)
    html = stats.pop("html", sum(o.is_html for o in result.outputs))
    unchanged = result.mode == "unchanged"
    files = stats.pop("files", stats["unchanged"] if unchanged else len(result.outputs))
    written = ", ".join(f"{k} {v}" for k, v in stats.items())
    tail = f"  {html} HTML pages, {files} files" + (f"; {written}" if written else "")
    if unchanged:
        tail += " (nothing it reads had changed)"
    return "\n".join([*result.overview, tail])


def print_problems(problems: list, stream=None) -> None:
    """Every problem, sorted, then the count."""
    stream = stream or sys.stderr
    ordered = sorted_problems(problems)
    for problem in ordered:
        print(problem, file=stream)
    if ordered:
        print(summary_line(ordered), file=stream)


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors on one line, `error: message (hint)`, exit status 2."""

    def error(self, message: str) -> NoReturn:
        """Print the usage error and exit with status 2."""
        hint = "" if message.endswith(")") else f" (see 'python {self.prog} --help')"
        self.exit(2, f"error: {message}{hint}\n")


def jobs_count(text: str) -> int:
    """--jobs: a whole number of worker processes, 1 or more, capped to the cores this process may use."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (leave --jobs out to use every core)") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {jobs} (leave --jobs out to use every core)")
    return min(jobs, cores())


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def base_url(text: str) -> str:
    """--base-url: a plain http(s) address, as base_url in config.yaml must be."""
    problem = base_url_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def parse_args(argv: list[str]) -> tuple[str, argparse.Namespace]:
    """The command and its options."""
    parser = Parser(prog="build.py", description="Build the MIB portal.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    for name, text in (("build", "build the site into the output folder"), ("check", "run every check of build --strict, write nothing")):
        _build_options(sub.add_parser(name, help=text))
    serve_parser = sub.add_parser("serve", help="live preview: build with drafts, serve, rebuild and reload on change")
    _build_options(serve_parser)
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_parser.add_argument("--port", type=port_number, default=8000, help="port (default: 8000)")
    new_parser = sub.add_parser("new", help="write a new draft article or page")
    new_parser.add_argument("kind", choices=["news", "page"], help="news (an article) or page")
    new_parser.add_argument("title", help="the title, in quotes")
    new_parser.add_argument("--lang", help="language of the file (default: the site's default language)")
    new_parser.add_argument("--bundle", action="store_true", help="make a folder NAME/index.md with room for images")
    new_parser.add_argument("--slug", help="the file and URL name (default: made from the title)")
    new_parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="config file (default: config.yaml)")
    schema_parser = sub.add_parser("schema", help="write JSON Schema files for editors' tools")
    schema_parser.add_argument("--output", type=Path, default=Path("schemas"), help="folder (default: schemas)")
    _build_options(parser)
    args = parser.parse_args(argv)
    return args.command or "build", args


def port_number(text: str) -> int:
    """--port: a TCP port, 0 (any free port) to 65535."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def _build_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by build and check."""
    parser.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="config file (default: config.yaml)")
    parser.add_argument("--output", type=Path, default=argparse.SUPPRESS, help="output folder (default: from config, public)")
    parser.add_argument("--drafts", action="store_true", default=argparse.SUPPRESS, help="include drafts and scheduled items")
    parser.add_argument("--strict", action="store_true", default=argparse.SUPPRESS, help="warnings are errors")
    parser.add_argument("--base-url", type=base_url, default=argparse.SUPPRESS, help="override base_url from config")
    parser.add_argument("--jobs", type=jobs_count, default=argparse.SUPPRESS,
                        help="worker processes, 1 or more, at most the number of cores (default: all cores)")
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
    if command in COMMANDS:
        try:
            return COMMANDS[command](args)
        except UsageError as refused:
            print(refused, file=sys.stderr)
            return 2
    opts = options(args, **({"strict": True, "write": False, "search": False} if command == "check" else {}))
    try:
        result = build(opts)
    except UsageError as refused:
        print(refused, file=sys.stderr)
        return 2
    except BuildFailed as failed:
        print_problems(failed.problems)
        print("build failed: nothing was published" if command == "build" else "check failed", file=sys.stderr)
        return 1
    print_problems(result.problems)
    if command == "check":
        report = translation_report(result.site, result.problems)
        print("translations: complete" if not report else "translations to do:\n" + "\n".join(report))
    if not opts.quiet:
        verb = "checked" if command == "check" else "built"
        print(f"{verb} in {result.seconds:.2f}s\n{summary(result)}")
    return 0


def run_new(args: argparse.Namespace) -> int:
    """`new`: scaffold a draft, print where it is and the URL it will have."""
    problems = Problems()
    config = load_config(args.config, problems)
    if config is None:
        print_problems(problems)
        return 1
    root = args.config.parent
    from sitegen.tools.scaffold import new_file  # the commands other than build and check import what only they use

    try:
        path, url = new_file(root, config, args.kind, args.title, args.lang, args.bundle, args.slug, now(config.timezone).date())
    except FileExistsError as exists:
        print(f"{Path(exists.args[0]).relative_to(root)}: error: the file already exists (nothing was changed; choose another title or --slug)", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {exc.filename or 'the new file'}: {exc.strerror or exc} (check the permissions of the content folder)", file=sys.stderr)
        return 1
    print(f"created {path.relative_to(root)}")
    print(f"its address: {url} (a draft: see it with 'python build.py serve', publish it by deleting 'draft: true')")
    return 0


def run_schema(args: argparse.Namespace) -> int:
    """`schema`: write the JSON Schemas."""
    from sitegen.tools.schema_export import write_schemas

    for path in write_schemas(args.output):
        print(f"wrote {path}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """`serve`: build with drafts into the preview folder, serve it, rebuild on change; a failed build never stops the server."""
    from sitegen.tools.serve import preview_folder, serve

    gc.enable()  # a long-lived process: the garbage of each rebuild must be collected
    given = options(args)
    root = given.config.parent.absolute()
    probe = Problems()
    config = load_config(given.config, probe, given.base_url)
    published = root / (config.output if config else "public")
    preview = preview_folder(root, published, given.output)  # drafts never go into the published folder
    check_output_dir(preview, root, probe, "--output" if given.output else "the preview folder")  # refused: exit 2
    opts = options(args, drafts=True, remember=True, output=preview)

    def rebuild() -> list[str]:
        """One build; the problems as text ([] when it published)."""
        try:
            result = build(opts)
        except BuildFailed as failed:
            print_problems(failed.problems)
            print("build failed: the browser shows the problems until they are fixed", file=sys.stderr)
            return [str(p) for p in sorted_problems(failed.problems)]
        except UsageError as refused:
            print(refused, file=sys.stderr)
            return [str(refused)]
        except Exception as exc:
            import traceback

            traceback.print_exc()
            return [f"internal error (please report it): {type(exc).__name__}: {exc}"]
        print_problems(result.problems)
        print(f"built in {result.seconds:.2f}s: {result.stats.get('written', 0)} files written", flush=True)
        return []

    watched = [root / "content", root / "templates", root / "static", opts.config]
    preview.mkdir(parents=True, exist_ok=True)
    serve(preview, watched, rebuild, args.host, args.port, ready=lambda url: print(f"serving {preview} at {url} (Ctrl+C to stop)", flush=True))
    return 0


COMMANDS = {"new": run_new, "schema": run_schema, "serve": run_serve}


if __name__ == "__main__":
    # One build, then the process ends: no cycle collection at all. Turned back on after the build,
    # the collector walked the whole heap once more before exit (1.2 s at 10,000 articles). The
    # preview server turns it on again: it lives on between builds.
    gc.disable()
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError):  # a closed pipe (build.py | head): nothing more to say
            stream.flush()
    os._exit(status)  # everything is written and closed: skip freeing the build's objects one by one (0.4 s at 10,000 articles)
