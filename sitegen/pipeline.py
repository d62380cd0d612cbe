"""Pipeline steps between stages: URL collisions, rendering routes, strict mode (the output folder's checks are in publish/outdir.py)."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from .cache import Cache
from .checks.links import Scan, scan_page
from .fingerprint import Fingerprinter
from .graph.parallel import jobs_for, run_chunks, shared
from .model.site import BODY_WATCH
from .pages.routes import Route
from .problems import ERROR, Problem, Problems
from .publish.output import Output, Staging, digest, listing, safe_relative, stage_file, url_to_path
from .render.templates import render

MAX_SEGMENT = 200
_PLAIN_URL = re.compile(r"/[A-Za-z0-9/_.~-]*")
_ROOT_LINK = re.compile(r'(\s(?:href|src|action|poster)=")/(?!/)')


def check_urls(routes: list[Route], problems: Problems) -> None:
    """Every URL must stay inside the output folder and be written by one source only."""
    seen: dict[str, Route] = {}
    for route in routes:
        path = url_to_path(route.url)
        if not _PLAIN_URL.fullmatch(route.url) or route.url.startswith("//") or _odd_segment(path) or not safe_relative(path):
            problems.error(route.source, route.line, f"the address '{route.url}' would leave the site's folder", "use a plain path like /old-news/ with letters, digits and hyphens")
            continue
        if any(len(part.encode()) > MAX_SEGMENT for part in path.split("/")):
            problems.error(route.source, route.line, f"the address '{route.url[:80]}…' has a part longer than {MAX_SEGMENT} characters", "shorten the slug, tag or alias")
            continue
        if path in seen:
            _collision(route, seen[path], problems)
            continue
        seen[path] = route


def _collision(route: Route, other: Route, problems: Problems) -> None:
    """Two sources for one URL: an error on each editor's file involved."""
    hint = "give one of them another slug"
    for mine, theirs in ((route, other), (other, route)):
        if mine.source.endswith(".md"):
            by = theirs.source if theirs.source.endswith(".md") else f"a page the site makes itself ({theirs.template})"
            problems.error(mine.source, mine.line, f"the address {route.url} is also used by {by}", hint)


def _odd_segment(path: str) -> bool:
    """True for empty (a double slash), dot or hidden path segments."""
    return any(not part or part.startswith(".") for part in path.split("/"))


def render_routes(env: jinja2.Environment, routes: list[Route], base_path: str, problems: Problems, root: Path, *,
                  keys: Fingerprinter | None = None, cache: Cache | None = None, out_dir: Path | None = None, jobs: int = 1,
                  advance=None, staging: Staging | None = None, users: dict[str, list[int]] | None = None,
                  frames: dict[str, tuple] | None = None, bodied: set[int] | None = None,
                  ) -> tuple[list[Output], dict[str, Scan]]:
    """Key every route and render those whose key changed, in parallel, straight into the staging folder.

    Each worker makes a route's context, keys it, and renders it only when the key differs from
    the published file's; pages whose key matches are kept (hard-linked). Workers return only
    keys, digests and link scans, never contexts or the pages' bytes, so memory stays flat as the
    site grows. Returns the outputs (without bytes) and the scans of the pages rendered now.
    `users`, when given, is filled with the routes (by index) whose context shows each page (by
    its file); `frames` with what each page rendered now read (path -> the other pages whose
    body it read, and where it holds its own body: offset, length and the file's digest, or None
    when it cannot be spliced); `bodied` with the routes keyed by the bodies of the pages they show.
    """
    env.globals["base_path"] = base_path
    on_disk = staging.current if staging is not None else listing(out_dir) if cache is not None and out_dir else {}
    if keys:
        keys.warm({route.template for route in routes})  # the templates' digests, once, before the workers fork
    shared = {"env": env, "routes": routes, "base_path": base_path, "root": root, "staging": staging, "keys": keys,
              "manifest": cache.manifest if cache is not None else {}, "on_disk": on_disk, "users": users is not None,
              "frames": frames is not None and not base_path}
    outputs: list[Output | None] = [None] * len(routes)
    failures: list = []
    scans: dict[str, Scan] = {}
    for i, key, file_digest, written, page_scan, found, seen, with_bodies, frame in run_chunks(
            _render_chunk, range(len(routes)), jobs_for(jobs), shared, advance):
        failures += found
        for shown in seen:
            users.setdefault(shown, []).append(i)
        if with_bodies and bodied is not None:
            bodied.add(i)
        if file_digest is None:
            continue
        route = routes[i]
        path = url_to_path(route.url)
        if frame is not None and frames is not None:
            frames[path] = (frame[0], (*frame[1], file_digest) if frame[1] else None)
        outputs[i] = Output(path, None, route.source, file_digest, key, fresh=written is not None)
        if page_scan is not None:
            scans[path] = page_scan.interned()
        if staging is not None:
            staging.record(path, bool(written))
    problems.extend(_merge_repeats(failures))
    return [o for o in outputs if o is not None], scans


def _merge_repeats(found: list[Problem]) -> list[Problem]:
    """One problem per template line: '(while rendering /a/ and 12 other pages)'."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in found:
        head, _, _url = problem.message.rpartition(" (while rendering ")
        groups.setdefault((problem.path, problem.line, problem.level, head or problem.message), []).append(problem)
    merged = []
    for (path, line, level, head), items in groups.items():
        if len(items) == 1:
            merged.append(items[0])
            continue
        first = min(p.message.rpartition(" (while rendering ")[2].rstrip(")") for p in items)
        merged.append(Problem(path, line, level, f"{head} (while rendering {first} and {len(items) - 1} other page{'s' * (len(items) > 2)})", items[0].hint))
    return merged


def _render_chunk(indexes: range) -> list[tuple]:
    """Key, render, scan and stage a chunk of routes (in a worker process, or in the parent for small jobs).

    For each route: (index, key, digest, written, scan, problems, pages shown, keyed by bodies,
    frame); written is None for a page kept as published (its key matched), and the digest None
    when it failed; the frame (when asked for, of a page rendered now) is the other pages whose
    body it read and where it holds its own body (None when it cannot be spliced).
    """
    env, routes, base_path, root, staging, keys, manifest, on_disk, users, framing = (
        shared(n) for n in ("env", "routes", "base_path", "root", "staging", "keys", "manifest", "on_disk", "users", "frames"))
    results = []
    for i in indexes:
        route = routes[i]
        context = route.context
        key = keys.route_key(route.template, context) if keys else ""
        seen = sorted(keys.pages_seen) if users and keys else ()
        path = url_to_path(route.url)
        entry = manifest.get(path)
        with_bodies = keys.reads_bodies(route.template) if keys else True
        if key and entry and entry.key == key and on_disk.get(path, ())[:2] == (entry.size, entry.mtime_ns):
            results.append((i, key, entry.digest, None, None, [], seen, with_bodies, None))
            continue
        found = Problems()
        BODY_WATCH.armed, BODY_WATCH.read, BODY_WATCH.bodies = bool(keys) and not with_bodies, False, []
        text = render(env, route.template, context, route.url, found, root)
        BODY_WATCH.armed = False
        if BODY_WATCH.read:  # the templates read a body after all (by a name chosen at render time): key by the bodies
            key, with_bodies = keys.route_key(route.template, context, bodies=True), True
        if text is None:
            results.append((i, key, None, False, None, list(found), seen, with_bodies, None))
            continue
        frame = (_others(route, BODY_WATCH.bodies), _frame(route, text, BODY_WATCH.bodies, keys)) if framing else None
        BODY_WATCH.bodies = []
        if base_path and route.template.endswith(".html"):
            text = _ROOT_LINK.sub(rf'\1{base_path}/', text)
        data = text.encode("utf-8")
        file_digest = digest(data)
        page_scan = scan_page(text) if path.endswith(".html") else None
        try:
            written = stage_file(staging, path, data, file_digest) if staging is not None else False
        except OSError as exc:
            found.error(route.source, 0, f"cannot write {path}: {exc.strerror or exc}", "check the disk space and the output folder's permissions")
            results.append((i, key, None, False, None, list(found), seen, with_bodies, None))
            continue
        results.append((i, key, file_digest, written, page_scan, list(found), seen, with_bodies, frame))
    return results


def _others(route: Route, bodies_read: list) -> tuple[str, ...]:
    """The files of the pages, other than the route's own, whose body its render read."""
    return tuple(sorted({page.source.shown for page, _ in bodies_read if page is not route.page}))


def _frame(route: Route, text: str, bodies_read: list, keys: Fingerprinter | None) -> tuple[int, int] | None:
    """(byte offset, byte length) of the page's own body in its text, when that is all of the body it shows.

    Only for an article or page whose templates write a body only as it is (`body_verbatim`),
    whose render read one body, its own, once, and whose body is found once in the text.
    """
    if route.page is None or keys is None or len(bodies_read) != 1 or bodies_read[0][0] is not route.page:
        return None
    if not keys.body_verbatim(route.template):
        return None
    body = bodies_read[0][1]
    start = text.find(body) if body else -1
    if start < 0 or text.find(body, start + 1) >= 0:
        return None
    return len(text[:start].encode("utf-8")), len(body.encode("utf-8"))


def strictify(problems: Problems) -> None:
    """Turn every warning into an error (strict mode)."""
    for i, problem in enumerate(problems):
        if not problem.is_error:
            problems[i] = Problem(problem.path, problem.line, ERROR, problem.message, problem.hint)
