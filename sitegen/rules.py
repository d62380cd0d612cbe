"""Every kind of value of a build (its rule and level), the values a build demands itself, and what rules use besides values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .checks import links, titles
from .graph import inputs
from .graph.bodies import BodyStore
from .graph.core import Graph, Rule
from .graph.store import Store
from .model import addresses, agenda, config, datafiles, i18n, images, listings, sources
from .model.schemas import DATA_FILES
from .pages import cards, outputs
from .publish import files, metadata, previews, search
from .render import templates

RULES: tuple[Rule, ...] = (
    *inputs.RULES, *config.RULES, *i18n.RULES, *addresses.RULES, *datafiles.RULES, *images.RULES, *sources.RULES, *listings.RULES, *agenda.RULES,
    *titles.RULES, *templates.RULES, *files.RULES, *previews.RULES, *cards.RULES, *outputs.RULES, *links.RULES, *search.RULES, *metadata.RULES,
)

# What a build demands itself (everything else is read by these, or demanded by them: each source by
# ("sources",), each output and its link check by ("site",)).
ROOTS = (("config",), ("strings-check",), ("sources",), ("data-check",), ("statement-check",), ("title-check",), ("logo-check",), ("templates",), ("site",),
         ("search",), ("build.json",), *(("data", name) for name in DATA_FILES))


def resources(graph: Graph, root: Path, opts: Any, staging: Any, out_dir: Path | None) -> dict[str, Any]:
    """What the rules use besides values: the site's folder, the body store, the templates, the staging folder."""
    cache = root / ".cache"
    env = templates.make_env(root / "templates", cache / "jinja", graph)
    env.globals["card"] = cards.card_global(graph)
    written: set[str] = set()  # the files this build wrote into the staging folder

    def locate(path: str) -> Path:
        """Where an output's bytes are now: in the staging folder when this build wrote it, else published."""
        return (staging.dir if staging is not None and path in written else out_dir or root) / path

    bodies = graph.store.path.with_name(graph.store.path.stem + "-bodies")  # each graph's own: it deletes the packs it no longer uses
    return {"bodies": BodyStore(bodies), "templates": env, "jobs": opts.jobs, "staging": staging, "cache": cache,
            "locate": locate, "written": written}


def base_resources(root: Path, config_path: Path) -> dict[str, Any]:
    """What the first rules need: the site's folder and the name of its config file."""
    return {"root": root, "config_name": inputs.shown(config_path, root)}


def live_packs(graph: Graph, store: Store, counts: dict[str, int]) -> dict[str, int]:
    """How many sources point into each body pack, after this build's changes (packs no longer named are deleted)."""
    counts = dict(counts)
    for _key, old, new in graph.replaced("source"):
        for value, step in ((old, -1), (new, 1)):
            if value is not None:
                pack = value.html[1]
                counts[pack] = counts.get(pack, 0) + step
    return {pack: n for pack, n in counts.items() if n > 0}
