"""public/build.json: what was built, from which commit, and when, for monitoring."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..graph.core import Graph, Rule
from ..graph.git import run_git
from .output import digest, stage_file


def build_metadata(graph: Graph) -> str:
    """("build.json",): generator version, content commit, build time, page counts, the next state change; staged. Its value is its digest.

    `next_change` is the next instant at which a page's state changes (an event starts or ends, a
    call opens or closes, a scheduled article is due): a rebuild then brings the site up to date.
    The build time is SOURCE_DATE_EPOCH when set, else the commit's time, so the file (and
    the whole site) stays byte-identical when nothing changed.
    """
    commit, commit_time, dirty = graph.get(("option", "git"))
    epoch = graph.get(("option", "epoch"))
    when = int(epoch) if epoch else commit_time
    published = graph.get(("pages",))
    pages = Counter(f"{page.kind}s_{page.lang}" for page in published.pages)
    recipes = graph.get(("site",)).recipes
    search = graph.get(("search",))
    data = {
        "generator": "mib-portal", "version": __version__,
        "commit": commit, "dirty": dirty,
        "built_at": _utc(when),
        "pages": dict(sorted(pages.items())),
        "html_files": sum(r.path.endswith(".html") for r in recipes), "files": len(recipes) + len(search) + 1,
        "skipped": dict(published.skipped),
        "next_change": _utc(graph.get(("next-change",))),
    }
    text = (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()
    file_digest = digest(text)
    staging = graph.resources.get("staging")
    if staging is not None and stage_file(staging, "build.json", text, file_digest):
        graph.resources["written"].add("build.json")
    return file_digest


def _utc(moment: float | None) -> str | None:
    """A timestamp as an ISO 8601 UTC time (None stays None)."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


RULES = (Rule("build.json", 13, build_metadata),)


def git_state(root: Path) -> tuple[str | None, int | None, bool]:
    """(HEAD commit, its time, whether the tree has uncommitted changes); Nones outside git."""
    head = run_git(root, "log", "-1", "--format=%H %ct", timeout=10)
    try:
        commit, stamp = head.decode().split()
        stamp = int(stamp)
    except (AttributeError, UnicodeDecodeError, ValueError):
        return None, None, False
    status = run_git(root, "status", "--porcelain", "--", "content", "templates", "static", "config.yaml", timeout=10)
    return commit, stamp, bool(status and status.strip())
