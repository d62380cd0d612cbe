"""Decap CMS's files as `make browser-deps` installs them (node_modules/decap-cms/dist), without the editor's settings.

Kept apart from admin.py so that every build can list them (an option of the build) without importing the models.
"""

from __future__ import annotations

import re
from pathlib import Path

DIST = Path(__file__).resolve().parents[2] / "node_modules" / "decap-cms" / "dist"
SCRIPT = re.compile(r"(?:[0-9]+\.)?decap-cms\.js")  # decap-cms.js and the chunks it loads (N.decap-cms.js)


def decap_files() -> tuple[tuple[str, int, int], ...]:
    """(name, size, mtime) of Decap's scripts in node_modules (an input of the build: installing them makes /admin/ again); () when missing."""
    found = []
    try:
        for entry in DIST.iterdir():
            if SCRIPT.fullmatch(entry.name):
                stat = entry.stat()
                found.append((entry.name, stat.st_size, stat.st_mtime_ns))
    except OSError:
        return ()
    return tuple(sorted(found)) if any(name == "decap-cms.js" for name, _size, _mtime in found) else ()
