"""public/build.json: what was built, from which commit, and when, for monitoring."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..model.site import Site
from .output import Output


def build_metadata(site: Site, outputs: list[Output], git: tuple[str | None, int | None, bool]) -> Output:
    """build.json: generator version, content commit, build time, page counts.

    The build time is SOURCE_DATE_EPOCH when set, else the commit's time, so the file (and
    the whole site) stays byte-identical when nothing changed.
    """
    commit, commit_time, dirty = git
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = int(epoch) if epoch else commit_time
    pages = Counter()
    for page in site.pages:
        pages[f"{page.kind}s_{page.lang}"] += 1
    data = {
        "generator": "mib-portal", "version": __version__,
        "commit": commit, "dirty": dirty,
        "built_at": datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else None,
        "pages": dict(sorted(pages.items())),
        "html_files": sum(o.is_html for o in outputs), "files": len(outputs) + 1,
        "skipped": dict(sorted(site.skipped.items())),
    }
    return Output("build.json", (json.dumps(data, indent=2, sort_keys=True) + "\n").encode(), "build")


def git_state(root: Path) -> tuple[str | None, int | None, bool]:
    """(HEAD commit, its time, whether the tree has uncommitted changes); Nones outside git."""
    try:
        head = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%H %ct"], capture_output=True, text=True, timeout=10)
        if head.returncode != 0 or not head.stdout.strip():
            return None, None, False
        commit, stamp = head.stdout.split()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "content", "templates", "static", "config.yaml"],
                                capture_output=True, text=True, timeout=10)
        return commit, int(stamp), bool(status.stdout.strip())
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None, None, False
