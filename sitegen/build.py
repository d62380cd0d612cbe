"""The pipeline: one pass over the build graph, from the inputs that changed to the published site.

A cold build, a build after one edit and a build where nothing changed are the same pass: list
the inputs, compare them with what the graph saw last, recompute what read something that
changed (level by level, cut off where a value comes out equal), check, publish atomically,
save the graph. With nothing changed, nothing beyond the input listing is loaded.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import time
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .graph.inputs import input_changes, list_inputs, with_digests
from .graph.store import Store
from .problems import ERROR, BuildFailed, Problem, merge_broken, merge_repeats, sorted_problems

ENGINE = Path(__file__).parent


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
    """What a build did."""

    problems: list[Problem]
    stats: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    overview: list[str] = field(default_factory=list)
    mode: str = "full"  # "unchanged" when nothing it reads had changed
    graph: Any = None  # the build's graph (for the translation report), None when nothing was loaded
    computed: list = field(default_factory=list)  # the keys of the nodes this build computed


class Published(NamedTuple):
    """A published file as the last build left it: its digest, size, times, inode, and the node that made it."""

    digest: str
    size: int
    mtime_ns: int
    ino: int
    node: int


def build(opts: Options) -> Result:
    """Bring the published site up to date with its inputs; raise BuildFailed (nothing published) on errors.

    One build of a site at a time: a second one waits for the first (publish/lock.py).
    """
    from .publish.cache_dir import cache_problems
    from .publish.lock import site_lock

    root = opts.config.parent.absolute()
    refused = cache_problems(root)  # before the lock, the first thing written there
    if refused:
        raise BuildFailed(refused)
    with collector_paused(), site_lock(root / ".cache"), ExitStack() as held:
        return _build(opts, held)


def _build(opts: Options, held: ExitStack) -> Result:
    """The pipeline, stage by stage (what it opens closed by `held` as it ends)."""
    started = time.perf_counter()
    root = opts.config.parent.absolute()
    now = clock()
    # 1. Check the output folder (listed by forked processes meanwhile); list the inputs and compare
    # them with what the graph saw last.
    store = _closing(held, Store(root / ".cache" / f"graph-{_graph_name(root, opts)}.sqlite", code_salt()))
    refused: list[Problem] = []
    out_dir = _output_folder(opts, root, _placed(store.meta("out_dir"), root), refused)
    meta = _Meta(store)
    folders = _closing(held, _listed(out_dir, meta)) if opts.write and out_dir is not None and not refused else None
    listing = list_inputs(root, opts.config)
    options = options_of(opts, root)
    changes, kept, trees = input_changes(root, listing, meta.inputs, meta.trees, options, meta.options)
    forced = store.outside(now) + list(meta.unpublished)
    if changes or forced:  # a pass is due whatever the output folder holds: load its rules while both folders are listed
        if folders is not None:
            folders.list_staging()  # for the publishing step, by another forked process
        from . import rules  # noqa: F401
    stale = _stale_outputs(folders, meta.published) if folders is not None else set()
    # 2. Nothing read has changed and the published site is as it was left: say what the last build said.
    if not changes and not forced and not stale and out_dir is not None and not refused and not store.fresh:
        return _replay(store, meta, opts, started, folders)
    # 3. The pass: every value that read something that changed is computed again, level by level.
    if folders is not None:
        folders.list_staging()  # when only the published folder's changes made the pass due
    from .rules import resources

    graph = _graph(store, root, opts, options, changes, now, forced + [meta.published[path].node for path in sorted(stale) if path in meta.published])
    if opts.output is None:  # the settings say where the output goes (they may have changed)
        out_dir, folders = _named_output(graph, opts, root, out_dir, folders, meta.published, refused)
        _closing(held, folders)
    staging = _staging(out_dir, meta.published, folders) if opts.write and out_dir is not None and not refused else None
    graph.resources.update(resources(graph, root, opts, staging, out_dir))
    _closing(held, graph.resources["bodies"])
    try:
        with _progress(opts, graph):
            graph.run()
        # 4. Every problem of every value, then strict mode.
        problems = report([*graph.problems(), *refused], opts.strict)
        overview = _overview(graph)
        failed = any(p.is_error for p in problems)
        if failed or staging is None:
            problems += _saved(graph, meta.after(graph, kept, trees, opts, out_dir, published=None, overview=overview))
            if failed:
                raise BuildFailed(problems)
            return Result(problems, {}, time.perf_counter() - started, overview, "checked", graph, list(graph.computed))
        # 5. Publish atomically, then save the graph and forget the bodies no source points to.
        published, stats = _publish(graph, staging, meta.published)
    except BaseException as failure:
        if staging is not None:
            staging.abort(failure)
        raise
    saved = meta.after(graph, kept, trees, opts, out_dir, published=published, overview=overview, marks=staging.marks())
    return _finish(graph, saved, problems, stats, started)


def _closing(held: ExitStack, resource: Any) -> Any:
    """The resource, closed when the build ends (its files, connections and forked processes: a preview server
    builds again and again in one process, and does not wait for the cycle collector to free them); None as it is."""
    if resource is not None:
        held.callback(resource.close)
    return resource


def _graph(store: Store, root: Path, opts: Options, options: dict, changes: list, now: float, forced: list[int]):
    """The build's graph, its inputs set from what changed, the nodes to compute again whatever they read forced."""
    from .graph.core import Graph
    from .rules import ROOTS, RULES, base_resources

    graph = Graph(store, RULES, now, ROOTS)
    graph.resources.update(base_resources(root, opts.config), options=options)
    for key, digest, value in changes:
        graph.set_input(key, digest, value)
    graph.force_ids(forced)
    return graph


def _named_output(graph, opts: Options, root: Path, listed: Path | None, folders, published: dict[str, Published],
                  refused: list[Problem]) -> tuple[Path | None, Any]:
    """The output folder config.yaml names, and its listing; when it is another than the one listed, every file
    the last build published that the new folder does not hold is made again (the graph's outputs are kept)."""
    refused.clear()
    config = graph.peek(("config",))
    out_dir = _output_folder(opts, root, root / config.output if config else None, refused)
    if out_dir is None or out_dir == listed or refused or not opts.write:
        return out_dir, folders
    folders = _listed(out_dir)
    graph.force_ids([published[path].node for path in sorted(_stale_outputs(folders, published)) if path in published])
    return out_dir, folders


def _output_folder(opts: Options, root: Path, folder: Path | None, refused: list[Problem]) -> Path | None:
    """The output folder (--output, else the one the settings name), checked: a refused --output is a UsageError."""
    from .problems import Problems
    from .publish.outdir import check_output_dir

    if opts.output is not None:
        return check_output_dir(opts.output, root, Problems(), True, opts.config)
    if folder is None:
        return None
    found = Problems()
    out_dir = check_output_dir(folder, root, found, False, opts.config)
    refused += found
    return out_dir


def _finish(graph, meta: dict, problems: list[Problem], stats: dict[str, int], started: float) -> Result:
    """Save the graph and forget the body packs no source points to; the result."""
    from .publish import kept_images

    made_all = graph.store.fresh  # a new graph: every output was made, each kept photo copy it uses touched
    unsaved = _saved(graph, meta)
    if made_all:  # since this build started (the file system's clock may lag by a tick: a second's margin)
        kept_images.sweep(graph.resources["cache"] / kept_images.FOLDER, since=time.time() - (time.perf_counter() - started) - 1)
    graph.resources["staging"].settle()  # the staging folder, brought in line with the site while the graph was saved
    if not unsaved:
        graph.resources["bodies"].keep_only(meta["packs"])
    return Result(problems + unsaved, stats, time.perf_counter() - started, meta["overview"], "full", graph, list(graph.computed))


class _Meta:
    """What the last build saved beside the graph: the inputs it listed, the files it published, what it said."""

    def __init__(self, store: Store):
        self.store = store
        self.inputs = store.meta("inputs", {})
        self.trees = store.meta("trees", {})
        self.options = store.meta("options", {})
        self.published: dict[str, Published] = {path: tuple.__new__(Published, entry) for path, entry in store.meta("published", {}).items()}
        self.unpublished = store.meta("unpublished", ())
        self.marks: dict[str, tuple[int, int]] | None = store.meta("marks")  # the published folder's (see output.checked_listing)

    def after(self, graph, kept, trees, opts: Options, out_dir: Path | None, published: dict | None, overview: list[str],
              marks: dict[str, tuple[int, int]] | None = None) -> dict:
        """What to save for the next build (the body packs' counts too, published or not: they describe the sources saved)."""
        from .rules import live_packs

        unpublished = ()
        if published is None:  # nothing published: what was made must be made again by the next build that publishes
            published, marks = self.published, self.marks
            unpublished = tuple(sorted({*self.unpublished, *(graph.memo(key).id for key in graph.computed if key[0] in MADE)}))
        published = {path: tuple(entry) for path, entry in published.items()}  # saved as plain tuples: pickled in C (a named tuple's reduce is a Python call each)
        return {"inputs": with_digests(kept, graph.file_digests), "trees": trees, "options": graph.resources["options"], "published": published,
                "unpublished": unpublished, "out_dir": _within(out_dir, graph.resources["root"]) if out_dir else "", "overview": overview,
                "marks": marks, "packs": live_packs(graph, self.store, self.store.meta("packs", {}))}


MADE = ("out", "search", "build.json")  # the kinds whose computation writes a file


def _graph_name(root: Path, opts: Options) -> str:
    """The graph's file name: one graph per output folder given and drafts setting."""
    output = _within(Path(os.path.normpath(opts.output.absolute())), root) if opts.output is not None else ""
    return hashlib.blake2b(repr((output, opts.drafts)).encode(), digest_size=6).hexdigest()


def _within(path: Path, root: Path) -> str:
    """A folder as remembered: relative to the site's folder when inside it, so a site moved keeps its graph."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _placed(remembered: str | None, root: Path) -> Path | None:
    """A folder remembered by _within, as a path again (None when none was)."""
    return root / remembered if remembered else None


def options_of(opts: Options, root: Path) -> dict[str, Any]:
    """The options the build's values read (input nodes ("option", name))."""
    from .publish.decap import decap_files
    from .publish.metadata import git_state

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return {"drafts": opts.drafts, "search": opts.search and opts.write, "base_url": opts.base_url, "epoch": epoch,
            "git": git_state(root), "decap": decap_files()}


def clock() -> float:
    """The build's 'now' as a timestamp: SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return float(int(epoch)) if epoch else time.time()


def code_salt() -> str:
    """A digest of the engine's source, the Python version and the installed libraries: another engine starts a new graph."""
    h = hashlib.sha256(sys.version.encode())
    for path in sorted(ENGINE.rglob("*.py")):
        h.update(path.relative_to(ENGINE).as_posix().encode() + b"\0" + path.read_bytes())
    for folder in sys.path:
        if folder.endswith("site-packages") and os.path.isdir(folder):
            h.update("\n".join(sorted(name for name in os.listdir(folder) if name.endswith(".dist-info"))).encode())
    return h.hexdigest()


def _listed(out_dir: Path, meta: _Meta | None = None):
    """The published and staging folders, listed by forked processes while this one goes on (the published one checked
    against what the last build left there, when it left it in this folder)."""
    from .publish.output import Folders

    if meta is None or not meta.marks:
        return Folders.listed(out_dir)
    return Folders.listed(out_dir, meta.published, meta.marks)


def _stale_outputs(folders, published: dict[str, Published]) -> set[str]:
    """The published files that are not as the last build left them (missing, changed, or not its own)."""
    return folders.not_as_left(published)


def _staging(out_dir: Path | None, published: dict[str, Published], folders):
    """The staging folder the outputs are written into (None when the output folder is refused)."""
    from .publish.output import Staging

    if folders is not None:
        folders.list_staging()  # the folders of another output folder than the one listed first
    return Staging(out_dir, published, folders) if out_dir is not None else None


@contextmanager
def _progress(opts: Options, graph):
    """A progress display on a terminal for long builds."""
    from .tools.progress import Progress

    progress = Progress.for_terminal(opts.quiet)
    graph.resources["progress"] = progress
    try:
        yield
    finally:
        progress.close()


def report(found: list[Problem], strict: bool) -> list[Problem]:
    """The problems to print: repeats of one template line or one template link folded, warnings made errors in strict mode."""
    problems = merge_broken(merge_repeats(sorted_problems(found)))
    if strict:
        problems = [Problem(p.path, p.line, ERROR, p.message, p.hint) for p in problems]
    return sorted_problems(problems)


def _publish(graph, staging, before: dict[str, Published]) -> tuple[dict[str, Published], dict[str, int]]:
    """Commit the staging folder (every output of the site, the files this build wrote among them); the new published files."""
    made: dict[str, tuple[str, int]] = {}
    computed = {key[1] for key in graph.computed if key[0] == "out"}  # few after an edit: most outputs are as before
    for recipe in graph.peek(("site",)).recipes:
        path = recipe.path
        if path in computed and graph.was_computed(key := ("out", path, recipe.kind, *recipe.args)):
            value = graph.peek(key)
            if value is not None:
                made[path] = (value.digest, graph.memo(key).id)
        elif path in before:
            last = before[path]
            made[path] = (last.digest, last.node)
    for name in ("search", "build.json"):
        memo = graph.memo((name,))
        for path, file_digest in _files_of(name, graph.peek((name,))):
            made[path] = (file_digest, memo.id)
    staging.record_all(made.keys(), graph.resources["written"])
    stats = {"html": sum(path.endswith(".html") for path in made), "files": len(made), **staging.commit()}
    on_disk = staging.published()
    new = tuple.__new__  # a record made in C, not through Published's own __new__: 28,000 of them with search
    published = {path: new(Published, (file_digest, *on_disk[path], node)) for path, (file_digest, node) in made.items()}
    return published, stats


def _kept_marks(store: Store, marks: dict[str, tuple[int, int]]) -> None:
    """Save the published folder's marks alone (a failure only means listing it whole again next time)."""
    import sqlite3

    with suppress(OSError, sqlite3.Error):
        store.write((), (), [], {"marks": marks})


def _saved(graph, meta: dict) -> list[Problem]:
    """Save the graph; a warning when it cannot be (the next build then does this build's work again)."""
    import sqlite3

    try:
        graph.commit(meta)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return [Problem(".cache", 0, "warning", f"cannot save the build graph: {reason}",
                        "the site was published as built; the next build does this build's work again")]
    return []


def _files_of(name: str, value) -> list[tuple[str, str]]:
    """The (path, digest) of the files the search index or build.json made."""
    return list(value) if name == "search" else [("build.json", value)]


def _overview(graph) -> list[str]:
    """The summary's lines about content: counts per language, skipped items, data texts missing a language."""
    config = graph.peek(("config",))
    if config is None:
        return []
    pages = graph.peek(("pages",))
    lines = []
    for lang in config.langs:
        articles = sum(1 for p in pages.pages if p.kind == "article" and p.lang == lang)
        standalone = sum(1 for p in pages.pages if p.kind == "page" and p.lang == lang)
        lines.append(f"  {lang}: {articles} articles, {standalone} pages")
    skipped = ", ".join(f"{n} {what}" for what, n in pages.skipped) or "none"
    lines.append(f"  skipped: {skipped}")
    return lines


def _replay(store: Store, meta: _Meta, opts: Options, started: float, folders) -> Result:
    """The result of a build whose inputs are those of the published site: its problems again, nothing written
    (but the marks of the published folder's folders, when it had to be listed whole: the next build then checks it)."""
    found = [problem for _, problems in store.with_problems() for problem in problems]
    problems = report(found, opts.strict)
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)
    marks = folders.walked_marks if folders is not None else None
    if marks and marks != meta.marks:
        _kept_marks(store, marks)
    files = len(meta.published)
    html = sum(path.endswith(".html") for path in meta.published)
    stats = {"html": html, "files": files, "written": 0, "unchanged": files, "removed": 0}
    return Result(problems, stats, time.perf_counter() - started, store.meta("overview", []), "unchanged")


@contextmanager
def collector_paused():
    """Python's cycle collector off while building.

    A build makes millions of objects that live until it ends, and the collector kept walking
    them all: a third of a build's time at 10,000 articles. The build leaves little cyclic
    garbage; the collector resumes after it (between rebuilds in the preview server).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
