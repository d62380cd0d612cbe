"""The Pagefind search index of the rendered pages (Pagefind makes one index per <html lang>)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from ..graph.core import Graph, Rule
from ..problems import Problem
from .output import digest, stage_file

BUNDLE = "pagefind"


class Page(NamedTuple):
    """An indexed page: its path and the digest of its bytes."""

    path: str
    digest: str


def search_index(graph: Graph) -> tuple[tuple[str, str], ...]:
    """("search",): the Pagefind bundle of the indexed pages, staged; (path, digest) of each of its files.

    Pagefind itself does not write its files byte for byte the same from one run to the next, so
    the bundle made for one set of pages is kept in .cache/pagefind and used again while they stay the same.
    """
    if not graph.get(("option", "search")):
        return ()
    pages = []
    for recipe in graph.get(("site",)).recipes:
        if recipe.path.endswith(".html"):
            made = graph.get(("out", recipe.path, recipe.kind, *recipe.args))
            if made is not None and made.scan is not None and made.scan.indexed:
                pages.append(Page(recipe.path, made.digest))
    if graph.resources.get("failed"):  # pages with errors: no index (nothing is published)
        return ()
    bundle = _bundle(sorted(pages), graph.resources["cache"], graph.resources["locate"])
    if isinstance(bundle, str):
        graph.problem(Problem("search index", 0, "error", f"Pagefind failed: {bundle}", "run 'make build' again; reinstall with 'make setup' if it persists"))
        return ()
    staging = graph.resources.get("staging")
    found = []
    for path, data in bundle:
        file_digest = digest(data)
        if staging is not None and stage_file(staging, path, data, file_digest):
            graph.resources["written"].add(path)
        found.append((path, file_digest))
    return tuple(found)


def _bundle(pages: list[Page], cache: Path, locate) -> list[tuple[str, bytes]] | str:
    """The bundle's files (path, bytes), made again only for another set of pages; why Pagefind failed, as text."""
    key = hashlib.sha256()
    for page in pages:
        key.update(f"{page.path}\0{page.digest}\n".encode())
    folder = cache / "pagefind" / key.hexdigest()[:20]
    if not (folder / "done").is_file():
        shutil.rmtree(cache / "pagefind", ignore_errors=True)
        mirror = cache / "search-pages"
        _sync_mirror(pages, mirror, locate)
        error = _index(mirror, folder)
        if error:
            return error
        (folder / "done").write_text("ok\n")
    return _read_bundle(folder)


def _sync_mirror(pages: list[Page], mirror: Path, locate) -> None:
    """Make the mirror folder hold exactly the indexed pages, writing only the changed ones."""
    record = mirror / ".digests.json"
    try:
        known = json.loads(record.read_text())
    except (OSError, ValueError):
        shutil.rmtree(mirror, ignore_errors=True)
        known = {}
    wanted = {p.path: p.digest for p in pages}
    for path in set(known) - set(wanted):
        (mirror / path).unlink(missing_ok=True)
    for page in pages:
        target = mirror / page.path
        if known.get(page.path) != page.digest or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(locate(page.path).read_bytes())
    mirror.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(wanted, sort_keys=True))


def _index(mirror: Path, folder: Path) -> str:
    """Run Pagefind over the mirror folder; '' on success, else its error."""
    command = [sys.executable, "-m", "pagefind", "--site", str(mirror), "--output-path", str(folder.absolute())]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return "" if done.returncode == 0 else (done.stderr or done.stdout).strip()[-500:]


def _read_bundle(folder: Path) -> list[tuple[str, bytes]]:
    """The bundle's files under /pagefind/."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "done":
            found.append((f"{BUNDLE}/{path.relative_to(folder).as_posix()}", path.read_bytes()))
    return found


RULES = (Rule("search", 12, search_index),)
