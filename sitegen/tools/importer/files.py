"""The pictures and files posts reference, copied from the source into bundles or `static/`, never outside them."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...checks.names import check_name
from ...model.paths import inside
from ...problems import Problems
from ...publish.output import safe_relative
from .entries import Entry

MAX_FILE = 50_000_000  # bytes of one copied file
PAGE_SUFFIXES = ("", ".html", ".htm", ".md", ".markdown", ".xml")


def planned_copies(entry: Entry, files: list[tuple[int, str]], source_static: Path, problems: Problems) -> dict[str, Path]:
    """Site path -> source file, for a bundle's files and each root address the post names that is a file of the source."""
    copies: dict[str, Path] = {}
    if entry.bundle:
        folder = entry.target.rsplit("/", 1)[0]
        for path in sorted(entry.bundle.rglob("*")):
            rel = path.relative_to(entry.bundle).as_posix()
            if path.is_file() and path.suffix.lower() not in (".md", ".markdown"):
                _add(copies, f"{folder}/{rel}", path, entry.bundle, entry, 0, problems)
    for line, address in files:
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not parts.path or address.startswith("#") or Path(parts.path).suffix.lower() in PAGE_SUFFIXES:
            continue
        wanted = unquote(parts.path)
        if not wanted.startswith("/"):
            if not (entry.bundle and (entry.bundle / wanted).is_file()):
                problems.warning(entry.target, line, f"the file '{address}' is not beside the post: not copied", "put it in static/ and link it from the root")
            continue
        found = source_static / wanted.lstrip("/")
        if found.is_file() and safe_relative(wanted.lstrip("/")):
            _add(copies, "static" + wanted, found, source_static, entry, line, problems)
        else:
            problems.warning(entry.target, line, f"the file '{address}' is missing from the old site: not copied", "find it, and put it in static/ at that path")
    return copies


def _add(copies: dict[str, Path], dest: str, path: Path, root: Path, entry: Entry, line: int, problems: Problems) -> None:
    """Plan one copy, unless the name, a link or the size makes it unsafe."""
    reason = check_name(dest) or ("" if safe_relative(dest) else "it would leave the site's folder")
    if path.is_symlink() or not inside(path, root):
        reason = "it is a symbolic link, or in a linked folder"
    elif path.stat().st_size > MAX_FILE:
        reason = f"it has more than {MAX_FILE:,} bytes"
    if reason:
        where = entry.target if line else dest  # a file the text names, at its line; a bundle's file, under its own name
        problems.warning(where, line, f"the file '{path.name}' is not copied: {reason}", "copy it by hand under a plain name")
        return
    copies[dest] = path
