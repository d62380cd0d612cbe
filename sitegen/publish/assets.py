"""Files copied as they are: static/ and the images beside a bundle's index.md."""

from __future__ import annotations

import os
from pathlib import Path

from ..model.content import HIDDEN_HINT, Source
from ..model.paths import inside
from ..model.site import Page
from ..problems import Problems
from .output import Output, digest


def static_outputs(static: Path, root: Path, problems: Problems) -> list[Output]:
    """Every file under static/, at the same path in the site; hidden files and folders left out, with a warning."""
    outputs = []
    if not static.is_dir():
        return outputs
    for folder, dirs, files in os.walk(static):
        for name in sorted(dirs):
            if name.startswith("."):
                warn_hidden(Path(folder, name), root, problems, folder=True)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # never walked into
        for name in sorted(files):
            path = Path(folder, name)
            shown = str(path.relative_to(root))
            if name.startswith("."):
                warn_hidden(path, root, problems)
                continue
            if not inside(path, root):
                problems.error(shown, 0, "this link points outside the site's folder", "copy the file in instead of linking to it")
                continue
            try:
                outputs.append(Output(path.relative_to(static).as_posix(), path.read_bytes(), shown))
            except OSError as exc:
                problems.error(shown, 0, f"cannot read the file: {exc.strerror or exc}")
    return outputs


def warn_hidden(path: Path, root: Path, problems: Problems, folder: bool = False) -> None:
    """The warning for a hidden file or folder that is left out of the site."""
    what = "a hidden folder" if folder else "a hidden file"
    problems.warning(str(path.relative_to(root)) + ("/" if folder else ""), 0, f"{what} is not published", HIDDEN_HINT)


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


FINGERPRINTED = (".css", ".js")


def fingerprint(outputs: list[Output]) -> tuple[list[Output], dict[str, str]]:
    """Give CSS and JS files content-hashed names; returns the outputs and old-to-new URLs."""
    renamed, urls = [], {}
    for output in outputs:
        if output.path.endswith(FINGERPRINTED):
            stem, dot, ext = output.path.rpartition(".")
            path = f"{stem}.{digest(output.data)[:10]}{dot}{ext}"
            urls["/" + output.path] = "/" + path
            output = Output(path, output.data, output.source)
        renamed.append(output)
    return renamed, urls
