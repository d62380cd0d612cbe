"""Files copied as they are: static/ and the images beside a bundle's index.md."""

from __future__ import annotations

import os
from pathlib import Path

from .content import Source
from .output import Output
from .problems import Problems
from .site import Page


def static_outputs(static: Path, root: Path, problems: Problems) -> list[Output]:
    """Every file under static/, at the same path in the site."""
    outputs = []
    if not static.is_dir():
        return outputs
    real_root = root.resolve()
    for folder, dirs, files in os.walk(static):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            shown = str(path.relative_to(root))
            if not path.resolve().is_relative_to(real_root):
                problems.error(shown, 0, "this link points outside the site's folder", "copy the file in instead of linking to it")
                continue
            try:
                outputs.append(Output(path.relative_to(static).as_posix(), path.read_bytes(), shown))
            except OSError as exc:
                problems.error(shown, 0, f"cannot read the file: {exc.strerror or exc}")
    return outputs


def bundle_outputs(pages: list[Page], root: Path, problems: Problems) -> list[Output]:
    """A bundle's files beside its page, for each language version."""
    outputs = []
    for page in pages:
        outputs += _assets(page.source, page.url, root, problems)
    return outputs


def _assets(source: Source, url: str, root: Path, problems: Problems) -> list[Output]:
    """The assets of one bundle copied under one URL."""
    found = []
    for path in source.assets:
        try:
            found.append(Output(url.lstrip("/") + path.name, path.read_bytes(), str(path.relative_to(root))))
        except OSError as exc:
            problems.error(str(path.relative_to(root)), 0, f"cannot read the file: {exc.strerror or exc}")
    return found
