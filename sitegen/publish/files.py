"""Files published under their own names: static/ (CSS minified, CSS and JS under content-hashed names, pictures without
metadata) and the files of article bundles (pictures without metadata; photos: see derivatives)."""

from __future__ import annotations

import rcssmin

from ..checks.names import NAME_HINT, check_name
from ..graph.core import Graph, Rule
from ..graph.inputs import BAD_LINKS, HIDDEN, UNREADABLE, hidden, link_problem, read_input, tree, unreadable
from ..model.handles import Site
from ..model.images import is_raster, is_sized
from ..pages.base import Made, Recipe, file_recipe
from ..problems import Problem
from .output import digest as bytes_digest
from .stripped import without_metadata

FINGERPRINTED = (".css", ".js")


def static_files(graph: Graph) -> tuple[tuple[str, str], ...]:
    """(path in the site, file) of every file under static/; CSS and JS named by a hash of their bytes."""
    found = []
    for rel, kind in tree(graph, "static"):
        if kind == HIDDEN:
            hidden(graph, rel)
            continue
        if kind in BAD_LINKS:
            graph.problem(link_problem(rel, kind))
            continue
        if kind == UNREADABLE:
            graph.problem(Problem(rel, 0, "error", unreadable(graph.resources["root"], rel)))
            continue
        bad_name = check_name(rel)
        if bad_name:
            graph.problem(Problem(rel, 0, "error", bad_name, NAME_HINT))
            continue
        path = rel[len("static/"):]
        if path.endswith(FINGERPRINTED):
            data = published(rel, read_input(graph, graph.resources["root"], rel) or b"")
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}.{bytes_digest(data)[:10]}{dot}{ext}"
        found.append((path, rel))
    return tuple(found)


def asset_urls(graph: Graph) -> dict[str, str]:
    """The address of each fingerprinted file by its address as written in templates ('/css/style.css')."""
    return {"/" + rel[len("static/"):]: "/" + path for path, rel in graph.get(("static",)) if rel.endswith(FINGERPRINTED)}


def listed(site: Site, shown: str) -> bool:
    """True for a file of static/ or of a bundle the build publishes (not missing, not a link out of the site)."""
    if shown.startswith("static/"):
        return shown in _static_files(site)
    folder, _, name = shown.rpartition("/")
    return name in site.graph.get(("bundle-files",)).get(folder, ())


def _static_files(site: Site) -> set[str]:
    """The files of static/ (made once per value of ("static",), whose read is recorded)."""
    listed = site.graph.get(("static",))
    memo = site.graph.resources.setdefault("static-files", {})
    found = memo.get(id(listed))
    if found is None:
        memo.clear()
        found = memo[id(listed)] = {rel for _path, rel in listed}
    return found


def bundle_files(graph: Graph) -> dict[str, tuple[str, ...]]:
    """The files beside each bundle's index.md (not its Markdown), by bundle folder."""
    found: dict[str, list[str]] = {}
    for rel, kind in tree(graph, "content"):
        parts = rel.rstrip("/").split("/")  # a hidden folder is listed with its '/'
        if len(parts) == 4 and parts[1] in ("news", "pages") and kind == HIDDEN:
            hidden(graph, rel)
        elif len(parts) == 4 and parts[1] in ("news", "pages") and not rel.endswith(".md") and kind != UNREADABLE and kind not in BAD_LINKS:
            bad_name = check_name(parts[3])  # published under its name, beside the page (the folder's name becomes a slug)
            if bad_name:
                graph.problem(Problem(rel, 0, "error", bad_name, NAME_HINT))
                continue
            found.setdefault("/".join(parts[:3]), []).append(parts[3])
            if is_sized(parts[3]):
                graph.demand([("probe", rel), ("image-check", rel)])  # probed in parallel, before the pages that show it are made
    return {folder: tuple(names) for folder, names in sorted(found.items())}


def outputs(site: Site) -> list[Recipe]:
    """Every static file, then every bundle file beside each language version of its page."""
    found = [file_recipe(path, "static", (rel,), rel) for path, rel in site.graph.get(("static",))]
    bundles = site.graph.get(("bundle-files",))
    for page in site.published().pages:
        folder = page.shown.rpartition("/")[0]
        if page.shown.rsplit("/", 1)[-1].startswith("index.") and folder.count("/") == 2:
            found += [file_recipe(page.url.lstrip("/") + name, _kind(site, f"{folder}/{name}"), (f"{folder}/{name}",), f"{folder}/{name}")
                      for name in bundles.get(folder, ())]
    return found


def _kind(site: Site, shown: str) -> str:
    """How a bundle file is published: a photo the build can read as a copy without metadata ("image"), anything else as it is."""
    picture = site.graph.get(("image", shown)) if is_raster(shown) else None
    return "image" if picture is not None and picture.encoded else "file"


def copy(site: Site, shown: str) -> Made:
    """A file's bytes, as they are."""
    data = read_input(site.graph, site.root, shown)
    if data is None:
        site.graph.problem(Problem(shown, 0, "error", unreadable(site.root, shown)))
        return b""
    return data


def published(rel: str, data: bytes) -> bytes:
    """The bytes a file is published with: a stylesheet minified, a picture without its metadata, anything else as it is."""
    if rel.endswith(".css"):
        return rcssmin.cssmin(data)
    return without_metadata(data) if is_sized(rel) else data


def copy_published(site: Site, shown: str) -> Made:
    """A file of static/ or of a bundle as it is published (a stylesheet minified, a picture without metadata)."""
    return published(shown, copy(site, shown))


RULES = (Rule("static", 3, static_files), Rule("assets", 4, asset_urls), Rule("bundle-files", 3, bundle_files))
KINDS = {"static": copy_published, "file": copy_published}
