"""Every output of the site (("site",)), and one output made, checked for its links' targets and staged (("out", ...)).

("site",) lists what the site publishes, one recipe per file, and refuses addresses that would
leave the output folder or that two sources would both write. ("out", path, kind, *args) makes
one file from its recipe: the kind's context rendered through its template (or the file's bytes),
written into the staging folder when its bytes changed, and scanned for the links it holds.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..checks import accessibility
from ..checks.links import Scan, scan_page
from ..graph.core import Graph, Key, Outcome, Rule
from ..graph.parallel import jobs_for, run_chunks
from ..model.handles import Site
from ..problems import Problem, Problems
from ..publish.output import digest, safe_relative, stage_file
from ..render.templates import render
from ..render.typography import typeset
from .base import SOURCE_KINDS, Recipe
from .registry import KINDS, every_recipe, make

MAX_SEGMENT = 200
_PLAIN_URL = re.compile(r"/[A-Za-z0-9/_.~-]*")
OLD_URL = re.compile(r"/[\w/.~@-]*")  # an alias keeps the old site's letters, accented or not (the host files percent-encode them)
_ROOT_LINK = re.compile(r'(\s(?:href|src|action|poster)=")/(?!/)')


class Outputs(NamedTuple):
    """("site",): every output of the site, and the addresses no output is made for because two sources claim them."""

    recipes: tuple[Recipe, ...]
    contested: dict[str, str]  # address -> why it is not built


class Made(NamedTuple):
    """An output as made: the digest of its bytes, and the scan of its links and ids (HTML only)."""

    digest: str
    scan: Scan | None

    def __digest__(self) -> str:
        """The bytes' digest stands for the output (the scan is made from the bytes)."""
        return self.digest


def out_key(recipe: Recipe) -> Key:
    """The node that makes an output."""
    return ("out", recipe.path, recipe.kind, *recipe.args)


def list_outputs(graph: Graph) -> Outputs:
    """Every output of every family, the addresses checked; each output and its link check demanded.

    Nothing is listed while the settings or a language's UI strings have errors: no page could be made right.
    """
    site = Site(graph)
    if not site.listable():
        return Outputs((), {})
    kept, contested = _checked(every_recipe(site), graph)
    graph.demand([("listed-cards",)])  # the cards the listings show, made before them
    graph.demand(out_key(recipe) for recipe in sorted(kept, key=_listings_first))
    graph.demand(("links", recipe.path) for recipe in kept if recipe.path.endswith(".html") and recipe.kind in KINDS)
    return Outputs(tuple(kept), contested)


LISTINGS = frozenset({"news", "year", "tag", "partner", "platform"})  # the pages that show many articles' cards


def _listings_first(recipe: Recipe) -> bool:
    """Sorts the outputs a first build makes: the listings first (they read the most and make the largest pages; made
    while this process holds few results, and by helpers replaced soon after, the build's peak memory is lower)."""
    return recipe.kind not in LISTINGS


def _checked(recipes: list[Recipe], graph: Graph) -> tuple[list[Recipe], dict[str, str]]:
    """The recipes whose address is a plain path inside the output folder, written by one source only.

    A page the site makes itself goes before an editor's page, which goes before a static or bundle
    file (each of those claims is an error); of two editors' pages, or two files, claiming one address,
    neither is made. The addresses left without a page are returned with why.
    """
    seen: dict[str, Recipe] = {}
    contested: dict[str, list[Recipe]] = {}
    for recipe in recipes:
        problem = _address_problem(recipe) or _reserved_problem(recipe)
        if problem:
            graph.problem(problem)
            continue
        other = seen.get(recipe.path)
        if other is None:
            seen[recipe.path] = recipe
            continue
        for problem in _collision(recipe, other) if "moved" not in (recipe.kind, other.kind) else ():
            graph.problem(problem)
        if _rank(recipe) < _rank(other):
            seen[recipe.path] = recipe
        elif _rank(recipe) == _rank(other) and _editors(other):
            contested.setdefault(recipe.path, [other]).append(recipe)
    for path, claims in contested.items():
        if seen[path] in claims:
            del seen[path]
    why = {"/" + path.removesuffix("index.html"): f"{' and '.join(sorted(c.source for c in claims))} both use that address"
           for path, claims in contested.items() if path not in seen}
    return list(seen.values()), why


def _rank(recipe: Recipe) -> int:
    """Which of two claims on one address is made: the site's own page (0), an editor's page (1), a file (2), an untranslated address (3)."""
    return 3 if recipe.kind == "moved" else 0 if not _editors(recipe) else 1 if recipe.source.endswith(".md") else 2


def _editors(recipe: Recipe) -> bool:
    """True for an output made from one editor's file at an address it chose (a slug, an alias, a file name)."""
    return recipe.source.endswith(".md") or recipe.kind in ("static", "file")


def _address_problem(recipe: Recipe) -> Problem | None:
    """Why a recipe's address is refused, if it is."""
    url, path = recipe.url, recipe.path
    if not (OLD_URL if recipe.kind == "redirect" else _PLAIN_URL).fullmatch(url) or url.startswith("//") or any(not part or part.startswith(".") for part in path.split("/")) \
            or not safe_relative(path):
        return Problem(recipe.source, recipe.line, "error", f"the address '{url}' would leave the site's folder",
                       "use a plain path like /old-news/ with letters, digits and hyphens")
    if any(len(part.encode()) > MAX_SEGMENT for part in path.split("/")):
        return Problem(recipe.source, recipe.line, "error", f"the address '{url[:80]}…' has a part longer than {MAX_SEGMENT} characters",
                       "shorten the slug, tag or alias")
    return None


def _collision(recipe: Recipe, other: Recipe) -> list[Problem]:
    """Two sources for one address: an error on each editor's file involved (a Markdown file, a static or bundle file)."""
    found = []
    for mine, theirs in ((recipe, other), (other, recipe)):
        if _editors(mine):
            hint = "give one of them another slug" if mine.source.endswith(".md") else "rename the file, or remove it"
            found.append(Problem(mine.source, mine.line, "error", f"the address {mine.url or '/' + mine.path} is also used by {_claimant(theirs)}", hint))
    return found


def _claimant(recipe: Recipe) -> str:
    """Who else makes an address, as a message names it."""
    return recipe.source if _editors(recipe) else f"a page the site makes itself ({_template_of(recipe)})"


# Files the build writes beside the outputs (not from recipes): no editor's file or alias may take their addresses.
WRITTEN_APART = {"build.json": "build.json", "pagefind/": "the search index"}


def _reserved_problem(recipe: Recipe) -> Problem | None:
    """An editor's file or alias at an address the build writes apart from the outputs."""
    if not _editors(recipe):
        return None
    for path, what in WRITTEN_APART.items():
        if recipe.path == path or (path.endswith("/") and recipe.path.startswith(path)):
            hint = "give it another slug or alias" if recipe.source.endswith(".md") else "rename the file, or remove it"
            return Problem(recipe.source, recipe.line, "error", f"the address {recipe.url or '/' + recipe.path} is also used by a file the site makes itself ({what})", hint)
    return None


def _template_of(recipe: Recipe) -> str:
    """How a page the site makes itself is named in messages."""
    return {"news": "list.html", "year": "list.html", "tag": "list.html", "tags": "tags.html", "home": "home.html",
            "partners": "partners.html", "partner": "partner.html", "platforms": "platforms.html", "platform": "platform.html",
            "funding": "funding.html", "search": "search.html", "404": "404.html", "site-map": "site-map.html"}.get(recipe.kind, recipe.path)


def make_output(graph: Graph, path: str, kind: str, *args) -> Made | None:
    """Make one output, stage it when its bytes changed, scan it; None when it could not be made."""
    site = Site(graph)
    try:
        made = make(site, kind, args)
    except Exception as exc:  # a bug of the engine's, said in one line: the rest of the site is still made and checked
        graph.problem(internal_error(exc, "/" + path.removesuffix("index.html")))
        return None
    if isinstance(made, bytes):
        data, text = made, None
    else:
        text = _render(graph, site, path, made)
        if text is None:
            return None
        if path.endswith(".html"):
            accessibility.report(graph, args[0] if kind in SOURCE_KINDS else "", "/" + path.removesuffix("index.html"), text)
        data = text.encode("utf-8")
    file_digest = digest(data)
    staging = graph.resources.get("staging")
    if staging is not None:
        try:
            if stage_file(staging, path, data, file_digest):
                graph.resources["written"].add(path)
        except OSError as exc:
            graph.problem(Problem(args[0] if kind in SOURCE_KINDS else "", 0, "error", f"cannot write {path}: {exc.strerror or exc}",
                                  "check the disk space and the output folder's permissions"))
            return None
    return Made(file_digest, scan_page(text) if text is not None and path.endswith(".html") else None)


def internal_error(exc: Exception, url: str) -> Problem:
    """An engine failure while making one output, as one line naming where in the engine it happened."""
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{Path(frame.filename).name}:{frame.lineno}"
    return Problem("sitegen", 0, "error", f"internal error while making {url}: {type(exc).__name__}: {exc} ({where})",
                   "please report it with the files you changed last")


def _render(graph: Graph, site: Site, path: str, made: tuple) -> str | None:
    """A template rendered with its context, an HTML page with its language's typography; problems at the template's line."""
    template, context = made
    env = graph.resources["templates"]
    base_path = site.config.base_path
    env.globals["base_path"] = base_path
    found = Problems()
    text = render(env, template, context, "/" + path.removesuffix("index.html"), found, graph.resources["root"])
    for problem in found:
        graph.problem(problem)
    if text is None or not template.endswith(".html"):
        return text
    text = typeset(text, context.get("lang", ""))  # text only: tags, attributes and links as rendered
    return _ROOT_LINK.sub(rf"\1{base_path}/", text) if base_path else text


def make_many(graph: Graph, keys: list[Key]) -> Iterator[tuple[Key, Outcome]]:
    """Make many outputs at once, in parallel; the files they wrote are noted here."""
    written = graph.resources["written"]
    for key, outcome, wrote in run_chunks(_make_chunk, keys, jobs_for(graph.resources.get("jobs", 0)), graph, graph.resources.get("advance")):
        if wrote:
            written.add(key[1])
        made = outcome.value
        if isinstance(made, Made) and made.scan is not None:  # from a helper, each scan brings its own copy of every string
            outcome.value = Made(made.digest, made.scan.interned())  # the same value, its strings shared with the other pages
        yield key, outcome


def _make_chunk(graph: Graph, keys: list[Key]) -> list[tuple[Key, Outcome, bool]]:
    """Make a chunk of outputs (here or in a helper process): each one's outcome, and whether its file was written."""
    written = graph.resources["written"]  # in a helper, a copy of the parent's: the chunk's own files are added to it
    return [(key, outcome, key[0] == "out" and key[1] in written) for key, outcome in graph.compute_here(keys)]


RULES = (Rule("site", 9, list_outputs), Rule("out", 10, make_output, batch=make_many))
