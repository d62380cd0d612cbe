"""Converted Markdown kept on disk, one file per distinct body, read only when a page is rendered.

At 10,000 articles the bodies' HTML is some 80 MB of Python strings; a rebuild after one edit
renders a handful of pages, so holding every body in memory (and in the pickled cache) was
wasted time and memory. Files are named by a hash of the Markdown, in a folder named by the
engine's salt, so a changed engine or config never reads another one's HTML.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class BodyStore:
    """The HTML of each Markdown body, by the hash of the Markdown."""

    def __init__(self, cache_dir: Path, salt: str):
        self.top = cache_dir / "html"
        self.dir = self.top / salt[:16]

    def forget_other_engines(self) -> None:
        """Remove the folders of other salts (an older engine or config)."""
        if self.top.is_dir():
            for folder in self.top.iterdir():
                if folder != self.dir:
                    shutil.rmtree(folder, ignore_errors=True)

    def path(self, key: str) -> Path:
        """Where one body's HTML is kept."""
        return self.dir / key[:2] / f"{key}.html"

    def has(self, key: str) -> bool:
        """True when a body's HTML is on disk."""
        return os.path.isfile(f"{self.dir}/{key[:2]}/{key}.html")

    def read(self, key: str) -> str:
        """One body's HTML."""
        return self.path(key).read_text(encoding="utf-8")

    def write(self, key: str, html: str) -> None:
        """Keep one body's HTML (atomically: a killed build leaves no half file)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, target)

    def prune(self, keep: set[str]) -> None:
        """Delete the HTML of bodies no longer in use."""
        if not self.dir.is_dir():
            return
        for folder in self.dir.iterdir():
            for file in folder.iterdir():
                if file.name.split(".")[0] not in keep:
                    file.unlink(missing_ok=True)
