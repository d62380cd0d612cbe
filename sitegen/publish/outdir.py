"""The output folder: which folders a build may publish into, and the marker that says a folder is this tool's.

A build replaces everything in its output folder, so the folder must be one this tool made: missing,
empty, or claimed by the marker `.NAME.mib-portal` written beside it before the first publish into it
(beside, never inside: it is never published nor served). It may not be, or be inside, a folder the
site needs (the site's own folder, content/, templates/, static/, tests/, the engine's sitegen/) or
one git owns (.git, any path git tracks), nor be a file or a symbolic link. The staging folder
`.NAME.staging` and the name `.NAME.old` beside it are the tool's too: they must not be links either.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problems, UsageError

MARKER_SUFFIX = ".mib-portal"
MARKER_TEXT = (
    "This file marks the folder {name}/ beside it as the output of the MIB portal generator (build.py).\n"
    "Every build replaces everything in that folder. Delete this file with the folder.\n"
)
SITE_FOLDERS = ("content", "templates", "static", "tests", "sitegen", ".git")
ENGINE = Path(__file__).resolve().parents[1]  # the engine's own code, sitegen/


@dataclass(frozen=True)
class Refusal:
    """Why a build may not publish into a folder: what is wrong (after the folder's name) and what to do."""

    what: str
    hint: str


def marker(out_dir: Path) -> Path:
    """The file beside an output folder that says this tool made it."""
    out_dir = out_dir.absolute()
    return out_dir.with_name(f".{out_dir.name}{MARKER_SUFFIX}")


def companions(out_dir: Path) -> list[Path]:
    """The names beside an output folder that belong to it: the staging folder, the old site's name, the marker."""
    out_dir = out_dir.absolute()
    return [out_dir.with_name(f".{out_dir.name}.staging"), out_dir.with_name(f".{out_dir.name}.old"), marker(out_dir)]


def shown(folder: Path, base: Path) -> str:
    """A folder as the messages name it: relative to `base` (the site's folder, or the current one) when inside it, with a final slash."""
    folder, base = folder.absolute(), base.absolute()
    text = str(folder.relative_to(base)) if folder.is_relative_to(base) and folder != base else str(folder)
    return text.rstrip("/") + "/"


def check_output_dir(out_dir: Path, root: Path, problems: Problems, option: bool | str = False, config: Path | None = None) -> Path:
    """The output folder, absolute and normalized, once checked.

    A folder given on the command line (`option`: True for --output, or the words that name it)
    that is refused raises UsageError (`error: --output ...`); one from config.yaml is an error on
    its `output:` line.
    """
    out = Path(os.path.normpath(out_dir.absolute()))
    root = root.absolute()
    refusal = output_refusal(out, root)
    if refusal is None:
        return out
    if option:
        label = option if isinstance(option, str) else "--output"
        raise UsageError(f"{label} {shown(out, Path.cwd())} {refusal.what}", refusal.hint)  # as typed: from the current folder
    config = config or root / "config.yaml"
    problems.error(config.name, _line_of(config, "output"), f"the output folder {shown(out, root)} {refusal.what}", refusal.hint)
    return out


def output_refusal(out: Path, root: Path) -> Refusal | None:
    """Why a build may not publish into `out`, an absolute, normalized path (None: it may)."""
    return _site_refusal(out, root) or _engine_refusal(out) or _kind_refusal(out) or _git_refusal(out, root) or publish_refusal(out)


def publish_refusal(out: Path) -> Refusal | None:
    """The checks the publishing step repeats itself: not a file nor a link, and the tool's own or empty."""
    return _kind_refusal(out) or _ownership_refusal(out)


def claim(out_dir: Path) -> None:
    """Write the marker beside the output folder (nothing when it is there): this tool's builds write that folder."""
    path = marker(out_dir)
    if path.is_file() and not path.is_symlink():
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(MARKER_TEXT.format(name=out_dir.absolute().name))


def owned(out_dir: Path) -> bool:
    """True when the marker beside the folder says this tool made it."""
    try:
        return stat.S_ISREG(os.lstat(marker(out_dir)).st_mode)
    except OSError:
        return False


def _site_refusal(out: Path, root: Path) -> Refusal | None:
    """The site's own folder, a folder above it, or one of the folders the site is made from (links followed or not)."""
    real, real_root = _resolved(out), _resolved(root)
    for target, base in ((out, root), (real, real_root)):
        if target == base or target in base.parents:
            return Refusal("would overwrite the site's sources", "use a folder of its own, such as public")
        for name in SITE_FOLDERS:
            if target.is_relative_to(base / name):
                return Refusal(f"{_is_or_inside(target, base / name)}, which the site needs", "use a folder of its own, such as public")
        cache = base / ".cache"
        if target.is_relative_to(cache) and target != cache / "preview":
            return Refusal(f"{_is_or_inside(target, cache)}, the build's cache", "use a folder of its own, such as public")
    if ".git" in real.parts:
        return Refusal("is inside a git repository's own folder (.git)", "use a folder of its own, such as public")
    return None


def _is_or_inside(target: Path, folder: Path) -> str:
    """'is content/' or 'is inside content/'."""
    return f"is {folder.name}/" if target == folder else f"is inside {folder.name}/"


def _engine_refusal(out: Path) -> Refusal | None:
    """The generator's own code, or a folder holding it."""
    real = _resolved(out)
    if real == ENGINE or real.is_relative_to(ENGINE) or real in ENGINE.parents:
        return Refusal(f"would overwrite the generator's own code ({ENGINE})", "use a folder of its own, such as public")
    return None


def _kind_refusal(out: Path) -> Refusal | None:
    """A file or a link where the output folder goes, or a link, a file or a folder where its companions go."""
    if out.is_symlink():
        return Refusal("is a symbolic link", "give the folder itself: a build replaces the output folder, never the folder a link points to")
    if out.exists() and not out.is_dir():
        return Refusal("is a file, not a folder", "a build replaces the output folder: remove the file, or choose another folder")
    for companion in companions(out):
        if companion.is_symlink():
            return Refusal(f"has a symbolic link beside it ({companion.name}) where the build keeps its own files",
                           f"remove {companion}: the build makes it again")
    where = marker(out)
    if where.exists() and not where.is_file():
        return Refusal(f"has a folder beside it ({where.name}) where the build keeps its marker", f"remove {where}")
    return None


def _ownership_refusal(out: Path) -> Refusal | None:
    """A folder holding files, or a staging folder or old site beside it, without the marker that says this tool wrote them."""
    if owned(out):
        return None
    for companion in companions(out)[:2]:
        if companion.exists():
            return Refusal(f"has {companion.name} beside it, which this tool did not make (no {marker(out).name})",
                           "the build would replace it: delete it if it is left from an earlier build of this site")
    if not out.is_dir():
        return None
    try:
        with os.scandir(out) as entries:
            empty = next(entries, None) is None
    except OSError as exc:
        return Refusal(f"cannot be read: {exc.strerror or exc}", "check its permissions")
    if empty:
        return None
    return Refusal("holds files this tool did not write",
                   "a build replaces everything in it: choose a new or empty folder; if it is an earlier build of this site, delete it first")


def _git_refusal(out: Path, root: Path) -> Refusal | None:
    """The output folder, its companions or the folder it is in (under the site's) tracked by git."""
    real, real_root = _resolved(out), _resolved(root)
    top = real_root / real.relative_to(real_root).parts[0] if real.is_relative_to(real_root) and real != real_root else real
    tracked = tracked_files([top, real, *companions(real)])
    if not tracked:
        return None
    first = shown(tracked[0], real_root).rstrip("/")
    if top != real and not any(path.is_relative_to(real) for path in tracked):
        return Refusal(f"is inside {top.name}/, which holds files tracked by git ({first})", "use a folder git does not track, such as public")
    return Refusal(f"holds files tracked by git ({first})",
                   "a build replaces everything in it: use a folder git does not track, such as public")


def tracked_files(paths: list[Path]) -> list[Path]:
    """The files git tracks at or under these paths (none outside a repository, or without git)."""
    base = _existing_folder(paths[0].parent)
    command = ["git", "--literal-pathspecs", "-C", str(base), "ls-files", "-z", "--", *map(str, paths)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:
        return []
    names = [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]
    return sorted(Path(os.path.normpath(base / name)) for name in names)


def _existing_folder(folder: Path) -> Path:
    """The folder itself, or the nearest folder above it that exists."""
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def _resolved(path: Path) -> Path:
    """A path with its links followed (as it is when that fails)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _line_of(config: Path, key: str) -> int:
    """The line of a top-level key in config.yaml (0 when it is not there)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        for number, line in enumerate(config.read_text(encoding="utf-8").split("\n"), start=1):
            if re.match(rf"{re.escape(key)}\s*:", line):
                return number
    return 0
