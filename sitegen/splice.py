"""One edited body written into its published page, without loading the cache.

A build that publishes keeps, in `.cache/frames.marshal`, a frame for each article or page
whose file holds its own body as it is and nothing else that changes with it: where that body
sits in the file. The next build whose only changes are bodies of such files, with their front
matter as it was, their summary the same and no other page reading those bodies, writes each
new body's HTML into a copy of the published file, checks that page's links and raw HTML, and
publishes it. Anything else, or any doubt, and the build takes its usual way.

The cache learns of what was published this way from `cache.note_published`, so the build
after it can still resume from the cache.
"""

from __future__ import annotations

import marshal
import os
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from .cache import Entry, note_published, text_digest
from .checks.links import Scan, check_page_links, scan_page
from .checks.raw_html import check_raw_html
from .model.content import MAX_BYTES, split_front_matter
from .model.yamlio import decode_text
from .pipeline import strictify
from .problems import Problem, Problems
from .publish.output import Folders, Staging, digest, stage_file, url_to_path
from .render.markup import first_paragraph, to_html_checked
from .resume import without
from .snapshot import Inputs, Snapshot, bytes_digest

OWN_TEMPLATES = ("article.html", "page.html", "about.html")
FRAMES = "frames.marshal"


class Frame(NamedTuple):
    """Where an article's or page's body is in its published file, and what else must stay as it was."""

    path: str  # the page's file in the output folder
    digest: str  # of the published file the frame was taken in
    offset: int  # of the body's HTML, in bytes
    length: int
    front_key: str  # the front matter as written, where it stands (Source.front_key)
    body_line: int
    own_summary: bool  # the front matter gives the summary (else it is the body's first paragraph)
    raw_problems: tuple  # what the raw HTML check said of the body, each problem as a tuple of its fields

    def problems(self) -> list[Problem]:
        """The raw HTML check's problems of the body."""
        return [Problem(*fields) for fields in self.raw_problems]


def as_fields(problems: list[Problem]) -> tuple:
    """Problems as plain tuples, as frames keep them."""
    return tuple((p.path, p.line, p.level, p.message, p.hint) for p in problems)


class Frames(NamedTuple):
    """What the published build knows of its pages' bodies: where each page that can be spliced holds its own, and who reads whose."""

    pages: dict[str, Frame]  # source file -> its page's frame
    readers: dict[str, tuple[str, ...]]  # output file -> the files of the other pages whose body its render read (absent: none)
    complete: bool  # `readers` covers every page (else a page absent from it may have read any body it shows)


NO_FRAMES = Frames({}, {}, False)


def frames_of(routes: list, outputs: list, users: dict[str, list[int]], bodied: set[int], rendered: dict[str, tuple],
              before: Frames, raw_problems) -> Frames:
    """The frames of a build that rendered or kept every route.

    `rendered` is what render_routes said of the pages rendered now (the bodies each read, and
    its frame); a page kept as published keeps what `before` said of it. A page gets a frame
    when no other page read its body, and may not have (a page whose reads are unknown and that
    is keyed by the bodies it shows: `bodied`, `users`). `raw_problems(shown)` gives the raw
    HTML check's problems of a source.
    """
    readers, unknown, complete = {}, set(), True
    for i, route in enumerate(routes):
        path = url_to_path(route.url)
        reads = rendered[path][0] if path in rendered else before.readers.get(path, ()) if before.complete else None
        if reads is None:
            complete = False
            unknown.update([i] if i in bodied else [])
        elif reads:
            readers[path] = reads
    blocked = set().union(*readers.values())
    own = {route.source: i for i, route in enumerate(routes) if route.page is not None}
    blocked.update(shown for shown, shown_by in users.items() if any(j in unknown and j != own.get(shown) for j in shown_by))
    published = {output.path: output.digest for output in outputs}
    pages = {}
    for route in routes:
        if route.page is None or route.template not in OWN_TEMPLATES or route.source in blocked:
            continue
        path = url_to_path(route.url)
        taken = rendered[path][1] if path in rendered else None
        old = before.pages.get(route.source)
        if path not in rendered and old is not None and old.path == path:
            taken = (old.offset, old.length, old.digest)
        if taken is not None and taken[2] == published.get(path):
            pages[route.source] = _frame(route, path, taken, raw_problems)
    return Frames(pages, readers, complete)


def refreshed(before: Frames, routes: list, chosen: list[int], rendered: dict[str, tuple], outputs: list, raw_problems) -> Frames:
    """The frames after a build that rendered again only the routes `chosen` (those showing edited bodies).

    Their reads replace what `before` said of them; an edited page gets a frame from its new
    render when no page reads its body (known only when `before` was complete, else it keeps one
    only if it had one).
    """
    readers = dict(before.readers)
    for i in chosen:
        path = url_to_path(routes[i].url)
        if path in rendered:
            readers.pop(path, None)
            readers.update({path: rendered[path][0]} if rendered[path][0] else {})
    blocked = set().union(*readers.values())
    published = {output.path: output.digest for output in outputs}
    pages = {shown: frame for shown, frame in before.pages.items() if shown not in blocked}
    for i in chosen:
        route = routes[i]
        path = url_to_path(route.url)
        if route.page is None or route.template not in OWN_TEMPLATES or path not in rendered:
            continue
        had = pages.pop(route.source, None)
        taken = rendered[path][1]
        if (had is not None or before.complete) and route.source not in blocked and taken and taken[2] == published.get(path):
            pages[route.source] = _frame(route, path, taken, raw_problems)
    return Frames(pages, readers, before.complete)


def _frame(route, path: str, taken: tuple[int, int, str], raw_problems) -> Frame:
    """The frame of a route's page: where its file (of that digest) holds the body, and what the body's source says."""
    source = route.page.source
    return Frame(path, taken[2], taken[0], taken[1], source.front_key, source.body_line, bool(source.meta.summary),
                 as_fields(raw_problems(route.source)))


class Spliced(NamedTuple):
    """What a spliced build did: its problems, the counts, the snapshot (None when the listing cannot be trusted) and frames to save."""

    problems: Problems
    stats: dict
    snapshot: Snapshot | None
    frames: Frames


def load_frames(folder: Path, key: str | None = None) -> Frames:
    """The frames the last build that published saved (whatever its options when `key` is None, else only for these)."""
    try:
        saved_key, shown, fields, readers, complete = marshal.loads((folder / FRAMES).read_bytes())
        pages = dict(zip(shown, map(partial(tuple.__new__, Frame), fields), strict=True))
    except (OSError, EOFError, ValueError, TypeError):
        return NO_FRAMES
    return Frames(pages, readers, complete) if key in (None, saved_key) else NO_FRAMES


def save_frames(folder: Path, key: str, frames: Frames) -> None:
    """Keep the frames of a build that published, under the key of its options (none kept when it cannot write).

    With marshal: a third of pickle's time for ten thousand frames (6 ms against 20 to write).
    """
    tmp = folder / f"{FRAMES}.{os.getpid()}.tmp"
    try:
        tmp.write_bytes(marshal.dumps((key, list(frames.pages), [tuple(f) for f in frames.pages.values()], frames.readers, frames.complete)))
        os.replace(tmp, folder / FRAMES)
    except OSError:
        drop_frames(folder)
        tmp.unlink(missing_ok=True)


def drop_frames(folder: Path) -> None:
    """Forget the frames before publishing: a build killed before it saves its own leaves none that describe another site."""
    (folder / FRAMES).unlink(missing_ok=True)


def splice(last: Snapshot | None, key: str, known: Frames, inputs: Inputs, now: float, root: Path, out_dir: Path,
           folders: Folders | None, config, strict: bool) -> Spliced | None:
    """Publish the edited bodies into their pages, or None (nothing done) when this build cannot be made this way.

    An editor's mistake in a new body (a broken link, an image without alt text; a warning in
    strict mode) comes back as an error among the problems, with nothing written.
    """
    changed = _only_framed_bodies(last, key, known, inputs, now, folders, config)
    if changed is None:
        return None
    problems = Problems()
    problems.extend(last.problems)
    frames, pages, as_listed = dict(known.pages), {}, True
    for shown in changed:
        edit = _edited(shown, known.pages[shown], root, out_dir, config.iframe_allow)
        if edit is None:
            return None
        frames[shown], data, page_scan, read = edit
        as_listed = as_listed and inputs.digests.get(shown, read) == read
        problems[:] = without(problems, known.pages[shown].problems()) + frames[shown].problems()
        pages[frames[shown].path] = (shown, data, page_scan)
    scans = {path: page_scan for path, (_, _, page_scan) in pages.items()}
    for path, (shown, _, page_scan) in pages.items():
        check_page_links(path, shown, page_scan, set(folders.published), lambda target: scans.get(target) or _scan_file(out_dir / target),
                         "", root, problems)
    if strict:
        strictify(problems)
    if problems.errors:
        return Spliced(problems, {}, None, known)
    drop_frames(root / ".cache")
    stats, now_there = _publish(out_dir, folders, {path: data for path, (_, data, _) in pages.items()})
    note_published(root / ".cache", {path: Entry("", frames[shown].digest, *now_there[path][:2]) for path, (shown, _, _) in pages.items()})
    snapshot = None
    if as_listed and inputs.racy <= last.racy | set(changed):  # every file listed too soon is compared by its bytes next time
        snapshot = replace(last, key=key, files=inputs.files, outputs={path: entry[:2] for path, entry in now_there.items()},
                           problems=list(problems), racy=inputs.racy, digests={rel: inputs.digests[rel] for rel in inputs.racy})
    return Spliced(problems, stats, snapshot, known._replace(pages=frames))


def _only_framed_bodies(last: Snapshot | None, key: str, known: Frames, inputs: Inputs, now: float, folders: Folders | None,
                        config) -> list[str] | None:
    """The files changed since the last build published, when each is one with a frame and nothing else changed; else None."""
    if last is None or last.key != key or not known.pages or folders is None or config.base_path or inputs.linked:
        return None
    if last.valid_until is not None and now >= last.valid_until:
        return None
    changed = sorted(inputs.changed_since(last.inputs(inputs.root)) or ())
    if not changed or not all(rel in known.pages for rel in changed):
        return None
    if {path: entry[:2] for path, entry in folders.published.items()} != last.outputs:
        return None  # the output folder is not what the last build published
    return changed


def _edited(shown: str, frame: Frame, root: Path, out_dir: Path, iframe_allow: list[str]) -> tuple[Frame, bytes, Scan, str] | None:
    """An edited page's new frame, file and link scan, and the digest of the Markdown read; None when it cannot be spliced."""
    try:
        raw = (root / shown).read_bytes() if (root / shown).stat().st_size <= MAX_BYTES else b""
        published = (out_dir / frame.path).read_bytes()
    except OSError:
        return None
    found = Problems()
    text = decode_text(raw, found, shown) if raw else None
    parts = split_front_matter(text, shown, found) if text is not None else None
    if parts is None or found or digest(published) != frame.digest:
        return None
    front, front_line, body, body_line = parts
    if text_digest(f"{front_line}\n{front}") != frame.front_key or body_line != frame.body_line:
        return None  # the front matter changed, or moved
    html = to_html_checked(body, shown, body_line, found)
    if html is None:
        return None  # refused: the full build says why
    old_html = published[frame.offset:frame.offset + frame.length].decode("utf-8", "replace")
    if not frame.own_summary and first_paragraph(html) != first_paragraph(old_html):
        return None  # the summary, which listings and the page's head show, changed
    encoded = html.encode("utf-8")
    data = published[:frame.offset] + encoded + published[frame.offset + frame.length:]
    page_scan = scan_page(data.decode("utf-8"))
    if not set(page_scan.ids) >= set(scan_page(published.decode("utf-8")).ids):
        return None  # an element other pages may link to is gone: the whole site's links are checked
    raw_found = Problems()
    check_raw_html(shown, body, html, body_line, iframe_allow, raw_found)
    return frame._replace(digest=digest(data), length=len(encoded), raw_problems=as_fields(raw_found)), data, page_scan, bytes_digest(raw)


def _scan_file(path: Path) -> Scan | None:
    """The link scan of a published page (None when it cannot be read)."""
    try:
        return scan_page(path.read_bytes().decode("utf-8", "replace"))
    except OSError:
        return None


def _publish(out_dir: Path, folders: Folders, pages: dict[str, bytes]) -> tuple[dict, dict]:
    """Publish the new pages at once; the counts and what is published now.

    They are staged beside the published files: one changed page is renamed over its published
    file, several are published by exchanging the folders (Staging.commit).
    """
    staging = Staging(out_dir, {}, folders)
    try:
        for path in folders.published:
            if path not in pages:
                staging.record(path, False)
        for path, data in pages.items():
            staging.record(path, stage_file(staging, path, data, digest(data)))
        stats = staging.commit()
    except BaseException:
        staging.abort()
        raise
    return stats, staging.published()
