"""The Pagefind search index of the rendered pages (Pagefind makes one index per <html lang>)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from .output import Output
from .problems import Problems

BUNDLE = "pagefind"


def search_outputs(outputs: list[Output], cache: Path, problems: Problems) -> list[Output]:
    """The Pagefind bundle for these pages, reused from the cache when no page changed."""
    pages = sorted((o for o in outputs if o.is_html and b"data-pagefind-body" in o.data), key=lambda o: o.path)
    key = hashlib.sha256()
    for page in pages:
        key.update(page.path.encode() + b"\0" + hashlib.sha256(page.data).digest())
    folder = cache / "pagefind" / key.hexdigest()[:20]
    if not (folder / "done").is_file():
        shutil.rmtree(cache / "pagefind", ignore_errors=True)
        error = _index(pages, cache / "search-pages", folder)
        if error:
            problems.error("search index", 0, f"Pagefind failed: {error}", "run 'make build' again; reinstall with 'make setup' if it persists")
            return []
        (folder / "done").write_text("ok\n")
    return _read_bundle(folder)


def _index(pages: list[Output], mirror: Path, folder: Path) -> str:
    """Write the indexable pages to a mirror folder and run Pagefind on it; '' on success."""
    shutil.rmtree(mirror, ignore_errors=True)
    for page in pages:
        target = mirror / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.data)
    mirror.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(mirror), "--output-path", str(folder.absolute())]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
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
