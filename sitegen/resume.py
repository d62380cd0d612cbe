"""What the last published build made, kept so an edit to article bodies re-renders only their pages.

The preview server keeps it in memory between builds; every other build saves it with the
cache (`Cache.last`), so the next `build.py` run can take the same short way. `rebuild_bodies`
in `build.py` uses it only when nothing but bodies changed and the output folder still holds
what it describes; anything else runs the whole pipeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .bodies import BodyStore
from .cache import Cache, apply_changes, changes, text_digest
from .fingerprint import Fingerprinter
from .model.site import give_digests
from .pages.routes import Views
from .publish.output import Folders
from .render.templates import make_env
from .snapshot import Inputs


@dataclass
class LastBuild:
    """A build that published: what `rebuild_bodies` needs to re-render only what an edited body changes."""

    key: str  # what the output depends on besides the input files (build.json aside)
    inputs: Inputs
    env: object
    keys: Fingerprinter
    site: object
    strings: dict
    routes: list
    users: dict[str, list[int]]  # page's file -> indexes of the routes whose context shows that page
    outputs: list
    linkable: int  # outputs[:linkable] are the pages and files links may point to (before search and build.json)
    problems: list
    sources: list
    asset_urls: dict[str, str]  # static file URL -> its fingerprinted URL
    valid_until: float | None  # the time at which the site it made goes out of date (a scheduled item is due)
    folders: Folders | None = None  # what the published and staging folders hold (trusted by the preview only)
    edited: dict = field(default_factory=dict)  # file -> its Source, for the bodies edited since the cache was saved whole

    def __post_init__(self) -> None:
        """Its outputs as the next build sees them: published, none rendered by it (so a journal holds only the changed ones)."""
        self.outputs = [output.kept() for output in self.outputs]

    def __getstate__(self) -> dict:
        """Saved with the cache without the template environment (made again by `tools`) and the folders' listings."""
        state = {key: value for key, value in self.__dict__.items() if key != "_base"}
        return {**state, "env": None, "keys": None, "folders": None, "edited": {}}

    def mark_base(self, identity: tuple | None) -> None:
        """Remember its inputs' files and outputs as the saved cache file `identity` holds them, to journal what changes after.

        Kept on this object, so a last build that is dropped (a full build replaces it) takes them along.
        """
        self._base = (identity, self.inputs.files, list(self.outputs))

    def journal(self, identity: tuple | None) -> tuple:
        """What changed since the cache file `identity` was saved whole (all of it when this build was not marked with it)."""
        base = self.__dict__.get("_base")
        files, outputs = base[1:] if base is not None and base[0] == identity else ({}, [])
        changed_outputs = {i: output for i, output in enumerate(self.outputs)
                           if i >= len(outputs) or (outputs[i] is not output and outputs[i] != output)}
        inputs = replace(self.inputs, files={})
        return inputs, changes(files, self.inputs.files), changed_outputs, len(self.outputs), self.problems, self.edited

    def replay(self, journal: tuple, cache: Cache) -> None:
        """Take back the changes a journal saved (the edited bodies given to their pages again)."""
        inputs, file_changes, changed_outputs, count, problems, edited = journal
        firsts = {shown: cache.bodies.get(source.body_key, "") for shown, source in edited.items()}
        if refresh_pages(self, edited, firsts, BodyStore(cache.folder, cache.salt, cache.body_index)) is None:
            raise ValueError("the journal does not follow this last build")  # Cache._replay drops it
        files = dict(self.inputs.files)
        apply_changes(files, file_changes)
        if not all(i in changed_outputs for i in range(len(self.outputs), count)):
            raise ValueError("the journal does not give every output")
        outputs = self.outputs[:count] + [None] * (count - len(self.outputs))
        for i, output in changed_outputs.items():
            outputs[i] = output
        self.inputs = replace(inputs, files=files)
        self.outputs, self.problems, self.edited = outputs, problems, dict(edited)

    def tools(self, root: Path, config, cache: Cache) -> tuple:
        """The template environment and render keys, made again after loading from the cache."""
        if self.env is None:
            self.env = make_env(root / "templates", root / ".cache" / "jinja")
            self.keys = render_keys(self.env, root, config, self.strings, self.asset_urls, cache.template_refs)
        return self.env, self.keys


def refresh_pages(last: LastBuild, edited: dict, firsts: dict[str, str], store: BodyStore) -> set[int] | None:
    """Give the edited sources to their pages, rebuild those pages' own routes; the routes to render again.

    None, before changing anything, when an edited page has no route of its own to rebuild.
    """
    pages = {page.source.shown: page for page in last.site.pages}
    own = {route.url: i for i, route in enumerate(last.routes) if route.template in ("article.html", "page.html", "about.html")}
    if any(shown in pages and pages[shown].url not in own for shown in edited):
        return None
    affected: set[int] = set()
    position = {source.shown: i for i, source in enumerate(last.sources)}
    for shown, new in edited.items():
        last.sources[position[shown]] = new
        page = pages.get(shown)
        if page is None:
            continue  # a draft or scheduled item: on no page
        page.source, page.store = new, store
        page.summary = new.meta.summary or firsts.get(shown, "")
        give_digests(page)
        views = Views(last.site, last.strings, page.lang)
        index = own[page.url]
        last.routes[index] = views.article(page) if page.kind == "article" else views.standalone(page)
        affected.add(index)
        affected.update(last.users.get(shown, []))
    return affected


def as_published(outputs: list, on_disk: dict, known: dict) -> bool:
    """True when every output is in the output folder as the last build published it (size and mtime)."""
    for output in outputs:
        entry, there = known.get(output.path), on_disk.get(output.path)
        if entry is None or there is None or there[:2] != (entry.size, entry.mtime_ns):
            return False
    return True


def same_front_matter(old, new) -> bool:
    """True when two readings of a file have the same front matter, where it stands."""
    return (old.meta, old.body_line, old.lines, old.key, old.lang) == (new.meta, new.body_line, new.lines, new.key, new.lang)


def without(problems: list, gone: list) -> list:
    """`problems` with one occurrence of each of `gone` taken out."""
    rest = list(problems)
    for problem in gone:
        if problem in rest:
            rest.remove(problem)
    return rest


def site_digest(config, strings: dict, asset_urls: dict) -> str:
    """What every page depends on: the generator, the config, the UI strings and the asset names."""
    parts = [__version__, config.model_dump_json(), json.dumps(strings, sort_keys=True), json.dumps(asset_urls, sort_keys=True)]
    return text_digest("\n".join(parts))


def render_keys(env, root: Path, config, strings: dict, asset_urls: dict, refs: dict) -> Fingerprinter:
    """Give the environment the fingerprinted asset names; the render keys of its pages."""
    env.globals["asset"] = lambda url: asset_urls.get(url, url)
    return Fingerprinter(env, root / "templates", site_digest(config, strings, asset_urls), refs)
