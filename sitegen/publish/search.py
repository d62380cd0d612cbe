"""The Pagefind search index of the rendered pages (Pagefind makes one index per <html lang>)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from ..problems import Problems
from .output import Output

BUNDLE = "pagefind"


def search_outputs(outputs: list[Output], indexed: set[str], locate, cache: Path, problems: Problems) -> list[Output]:
    """The Pagefind bundle for the indexed pages, reused from the cache when no page changed."""
    pages = sorted((o for o in outputs if o.path in indexed), key=lambda o: o.path)
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
            problems.error("search index", 0, f"Pagefind failed: {error}", "run 'make build' again; reinstall with 'make setup' if it persists")
            return []
        (folder / "done").write_text("ok\n")
    return _read_bundle(folder)


def _sync_mirror(pages: list[Output], mirror: Path, locate) -> None:
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
            target.write_bytes(page.data if page.data is not None else locate(page.path).read_bytes())
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


def _read_bundle(folder: Path) -> list[Output]:
    """The bundle's files as outputs under /pagefind/."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "done":
            rel = path.relative_to(folder).as_posix()
            found.append(Output(f"{BUNDLE}/{rel}", path.read_bytes(), "search index"))
    return found
