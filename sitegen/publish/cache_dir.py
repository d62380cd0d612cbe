"""The build's own folder in the site, .cache/, checked before a build writes into it.

Every build writes there (its lock, its graph, converted bodies, compiled templates, kept photo copies,
search shards, the preview) and reads back what it wrote, the graph's pickled values included. So
.cache/ must be the build's own: a folder of the site, not a link, with no link among its entries (a
link would send the build's writes elsewhere), and nothing in it that git tracks (a cache committed to
the repository would be read as the build's own: its values unpickled, its links followed).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..problems import Problems
from .outdir import tracked_files

NAME = ".cache"
MADE_BY_THE_BUILD = "the build makes .cache/ and what it holds itself"


def cache_problems(root: Path) -> Problems:
    """What is wrong with the .cache/ of the site at `root`, an absolute path (nothing when it is missing: the build makes it)."""
    problems = Problems()
    cache = root / NAME
    try:
        mode = os.lstat(cache).st_mode
    except OSError:
        return problems
    if stat.S_ISLNK(mode):
        problems.error(NAME, 0, f"the build's cache is a link (to {os.readlink(cache)}): a build would write its files there",
                       f"delete the link; {MADE_BY_THE_BUILD}")
        return problems
    if not stat.S_ISDIR(mode):
        problems.error(NAME, 0, "the build's cache is a file, not a folder", f"delete it; {MADE_BY_THE_BUILD}")
        return problems
    with os.scandir(cache) as entries:
        links = sorted(entry.name for entry in entries if entry.is_symlink())
    for name in links:
        problems.error(f"{NAME}/{name}", 0, "a link inside the build's cache: a build would write its files where it leads",
                       f"delete it; {MADE_BY_THE_BUILD}")
    tracked = tracked_files([cache])
    if tracked:
        first = tracked[0].relative_to(root).as_posix()  # git lists them from `root`, where .cache is
        more = f" and {len(tracked) - 1} more" if len(tracked) > 1 else ""
        problems.error(first, 0, f"the build's cache holds files tracked by git ({first}{more}): a build would read them as its own",
                       f"remove them from git (git rm -r --cached .cache) and list .cache/ in .gitignore; {MADE_BY_THE_BUILD}")
    return problems
