"""Paths as editors see them, and the one check that keeps every read inside the site's folder."""

from __future__ import annotations

from pathlib import Path


def inside(path: Path, root: Path) -> bool:
    """True when a path, links followed, stays inside the site's folder."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def shown(path: Path, root: Path) -> str:
    """A path as editors see it: relative to the site's folder when it is inside it."""
    text, top = str(path), str(root)
    if text.startswith(top) and text[len(top) : len(top) + 1] == "/" and top != "/":
        return text[len(top) + 1 :]  # the common case, without pathlib's slower relative_to
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
