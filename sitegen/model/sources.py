"""Articles and pages: the Markdown files under content/, each parsed once per change, and the values taken from it.

("sources",) lists the Markdown files of content/news and content/pages; ("source", path) reads
one, validates its front matter and converts its body (in parallel, see graph/parallel.py, when many
are due). The values pages read are small parts of it, so that an edit changes only what it touches:
("front", path) the front matter, ("head", path) what shapes the site (kind, language, date,
slug, draft, aliases, menu), ("body", path) the digest of the converted body, ("summary", path),
("lastmod", path), ("tagnames", path) and ("refs", path).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from ..checks.alt_text import check_alt_texts
from ..checks.names import NAME_HINT, check_name
from ..checks.raw_html import check_raw_html
from ..checks.template_code import check_template_code
from ..checks.titles import fold
from ..graph.bodies import BodyStore
from ..graph.core import Graph, Key, Outcome, Rule, digest_of
from ..graph.inputs import FILE, GOOD_LINK, HIDDEN, hidden, link_problem, read_input, tree, unreadable
from ..graph.parallel import jobs_for, run_chunks
from ..problems import Problem, Problems
from ..render.markup import body_images, first_paragraph, to_html_checked
from .config import Config
from .schemas import ID_PATTERN, ArticleMeta, CallMeta, EventMeta, JobMeta, PageMeta
from .validation import known_fields, near_miss, validate
from .yamlio import YamlData, decode_text, parse_yaml

SECTIONS = {"news": ("article", ArticleMeta), "pages": ("page", PageMeta),
            "events": ("event", EventMeta), "calls": ("call", CallMeta), "jobs": ("job", JobMeta)}
AGENDA = ("event", "call", "job")  # the kinds with days and times, whose state the clock decides
# The address every page of a kind is under (pages at the root), and the field naming its partners.
SECTION_PATHS = {"article": "/news/", "page": "/", "event": "/events/", "call": "/calls/", "job": "/jobs/"}
PARTNER_FIELDS = {"article": "partners", "event": "organisers", "call": "funders", "job": "employer"}
MAX_NAME = 200
MAX_BYTES = 2_000_000
TITLE_SLUG = 120  # characters of a URL name made from a title (as `build.py new` makes file names)
META_TYPES = {kind: meta for kind, meta in SECTIONS.values()}


@dataclass(frozen=True)
class SourceFile:
    """A Markdown file as listed: its path, its bundle folder (None for a single file) and its kind."""

    shown: str
    bundle: str | None
    kind: str


@dataclass(frozen=True)
class Parsed:
    """One Markdown file read, validated and converted."""

    shown: str
    kind: str
    lang: str
    key: str  # the translation key: the file (or bundle) name without language
    bundle: str | None
    meta: ArticleMeta | PageMeta | EventMeta | CallMeta | JobMeta
    lines: YamlData
    body_line: int
    html: tuple[str, str, int, int]  # the converted body: digest, pack, offset, length
    first: str  # the first paragraph's text
    images: tuple[tuple[str, str], ...]  # the (src, alt) of each image of the body, in order

    @property
    def file_slug(self) -> str:
        """The file (or bundle) name made URL-safe."""
        return file_slug(self.key)

    def slug(self, default_language: str) -> str:
        """The URL name (see url_name)."""
        return url_name(self.file_slug, self.lang == default_language, self.meta.slug, self.meta.title)


def url_name(file_slug: str, in_default: bool, slug: str | None, title: str | None) -> str:
    """A page's URL name: front matter `slug`, else the file's name in the default language and the page's own title in another."""
    if slug or in_default:
        return slug or file_slug
    return slugify(title or "", max_length=TITLE_SLUG, word_boundary=True) or file_slug


def file_slug(key: str) -> str:
    """A file (or bundle) name made URL-safe."""
    return slugify(key) or "untitled"


def meant_place(graph: Graph, source: SourceFile, config: Config) -> tuple[str, str]:
    """(language, URL name) a file that could not be parsed was meant to have: its language from its name (the default
    when that is wrong too), its URL name from its front matter's slug or title when those can be read, else from its
    name (the read is recorded)."""
    root: Path = graph.resources["root"]
    ignored = Problems()
    key, lang = _key_and_lang(root / source.shown, root / source.bundle if source.bundle else None, config, source.shown, ignored)
    lang = lang or config.default_language
    raw = read_input(graph, root, source.shown)
    text = decode_text(raw, ignored, source.shown) if raw is not None and len(raw) <= MAX_BYTES else None
    parts = split_front_matter(text, source.shown, ignored) if text else None
    doc = parse_yaml(parts[0], source.shown, ignored) if parts else None
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    slug = data.get("slug")
    slug = slug if isinstance(slug, str) and re.fullmatch(ID_PATTERN, slug) else None
    return lang, url_name(file_slug(key), lang == config.default_language, slug, _text(data.get("title")))


@dataclass(frozen=True)
class Head:
    """What of a page shapes the site: its place, its date, whether it is published, its menu."""

    shown: str
    kind: str
    lang: str
    key: str
    slug: str
    file_slug: str  # the file's name made URL-safe (a translation's untranslated address ends with it)
    date: float | None  # a timestamp
    draft: bool
    aliases: tuple[str, ...]
    menu: str
    weight: int
    layout: str
    slug_line: int
    alias_lines: tuple[int, ...]


def list_sources(graph: Graph) -> tuple[SourceFile, ...]:
    """Every Markdown file of content/news and content/pages, in a stable order; the others are reported."""
    found = []
    for rel, kind in tree(graph, "content"):
        parts = rel.split("/")
        if kind == HIDDEN:
            if _hidden_article(parts):
                hidden(graph, rel)
            continue  # never read (the hidden files of bundles are reported with the bundle's files)
        problem = _listing_problem(rel, kind, parts)
        if problem:
            graph.problem(problem)
            continue
        if not rel.endswith(".md"):
            _unread(graph, rel, parts)
            continue
        bad_name = check_name(rel, published=False)
        if bad_name:
            graph.problem(Problem(rel, 0, "error", bad_name, NAME_HINT))
            continue
        section = SECTIONS.get(parts[1]) if len(parts) > 2 else None
        if section is None:
            graph.problem(Problem(rel, 0, "warning", "this Markdown file is not in content/news, pages, events, calls or jobs, so it is not published",
                                  "move articles to content/news/ and pages to content/pages/"))
            continue
        depth = len(parts) - 2
        if depth == 1:
            found.append(SourceFile(rel, None, section[0]))
        elif depth == 2 and parts[-1].split(".")[0] == "index":
            found.append(SourceFile(rel, "/".join(parts[:-1]), section[0]))
        else:
            graph.problem(Problem(rel, 0, "error", "a Markdown file in an unexpected place", "put articles in content/news/ as NAME.md or NAME/index.md"))
    found.sort(key=lambda source: source.shown.split("/"))
    graph.demand(("source", source.shown, source.bundle or "", source.kind) for source in found)
    graph.demand(("checks", source.shown) for source in found)
    return tuple(found)


def _unread(graph: Graph, rel: str, parts: list[str]) -> None:
    """A warning for a file of content/ the build neither reads nor publishes (a bundle's files and the data files are)."""
    bundle_file = len(parts) == 4 and parts[1] in SECTIONS and parts[3] != ""
    if bundle_file or parts[1] == "data" or not parts[-1]:
        return
    hint = ("rename it to .md" if rel.endswith((".markdown", ".mdown", ".mkd")) else
            "write it in Markdown (.md); pictures and documents go beside an article's index.md, or in static/")
    graph.problem(Problem(rel, 0, "warning", "the build does not read this file, so it is not published", hint))


def _hidden_article(parts: list[str]) -> bool:
    """True for a hidden Markdown file or bundle folder of a section, except editors' lock files (.#) and macOS's (._)."""
    name = parts[-1] or parts[-2]  # a hidden folder is listed with its '/'
    in_section = len(parts) == 3 or (len(parts) == 4 and not parts[-1])
    return in_section and parts[1] in SECTIONS and (name.endswith(".md") or not parts[-1]) and not name.startswith((".#", "._"))


def _listing_problem(rel: str, kind: str, parts: list[str]) -> Problem | None:
    """What is wrong with one entry of content/, as listed."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return Problem(rel.encode("utf-8", "replace").decode(), 0, "error", "the file name is not UTF-8", "rename the file (letters, digits and hyphens are safest)")
    if len(parts[-1]) > MAX_NAME:
        return Problem(rel[:300], 0, "error", f"the file name is longer than {MAX_NAME} characters", "shorten it")
    return link_problem(rel, kind)


def parse_source(graph: Graph, shown: str, bundle: str, kind: str) -> Parsed | None:
    """One Markdown file read, split, validated and converted; None after a problem."""
    root: Path = graph.resources["root"]
    config: Config | None = graph.get(("config",))
    raw = read_input(graph, root, shown)
    found = Problems()
    parsed = None
    if raw is None:
        found.error(shown, 0, unreadable(root, shown))
    elif len(raw) > MAX_BYTES:
        found.error(shown, 0, f"the file is {len(raw) / 1e6:.1f} MB, more than the {MAX_BYTES // 1_000_000} MB an article may have",
                    "split it, or link large documents instead of pasting them")
    elif config is not None:
        try:
            parsed = _parse(raw, root, shown, bundle or None, kind, config, graph.resources["bodies"], found)
        except OSError as exc:
            found.append(unkept(shown, exc))
            graph.again()
    for problem in found:
        graph.problem(problem)
    return parsed


def _parse(raw: bytes, root: Path, shown: str, bundle: str | None, kind: str, config: Config, bodies: BodyStore,
           problems: Problems) -> Parsed | None:
    """Split and validate a Markdown file's bytes, and convert its body (kept in the body store)."""
    path = root / shown
    key, lang = _key_and_lang(path, root / bundle if bundle else None, config, shown, problems)
    text = decode_text(raw, problems, shown)
    if text is None or lang is None:
        return None
    parts = split_front_matter(text, shown, problems)
    if parts is None:
        return None
    fm_text, fm_line, body, body_line = parts
    doc = parse_yaml(fm_text, shown, problems, fm_line)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.error(shown, fm_line, "the front matter must be 'key: value' lines", "for example 'title: My article'")
        return None
    meta_type = META_TYPES[kind]
    meta = validate(meta_type, doc, shown, problems)
    _warn_unknown_keys(doc.data, meta_type, doc, shown, problems)
    image, image_alt = (meta.image, meta.image_alt) if meta else (_text(doc.data.get("image")), _text(doc.data.get("image_alt")))
    complete = _has_alt(image, image_alt, doc, shown, problems) and meta is not None
    for field, message, hint in meta.conflicts(config.timezone) if meta and kind in AGENDA else ():
        problems.error(shown, doc.line((field,)), message, hint)
    doc.data = None  # validated into meta: only the lines are kept, for messages
    html = to_html_checked(body, shown, body_line, problems)  # the body's problems are told with the front matter's
    if html is None:
        return None
    check_raw_html(shown, body, html, body_line, config.iframe_allow, problems)
    check_template_code(shown, body, body_line, problems)
    check_alt_texts(shown, body, body_line, html, image_alt, doc.line(("image_alt",)), problems)
    if not complete:
        return None
    return Parsed(shown, kind, lang, key, bundle, meta, doc, body_line, bodies.put(html), first_paragraph(html), body_images(html))


def _text(value: object) -> str | None:
    """A front matter value that is text, else None (its own error says what it should be)."""
    return value if isinstance(value, str) else None


def _has_alt(image: str | None, image_alt: str | None, doc: YamlData, shown: str, problems: Problems) -> bool:
    """False, after an error at the image's line, for a front matter image without alt text."""
    if image and not (image_alt or "").strip():
        problems.error(shown, doc.line(("image",)), "image_alt is required when image is given: describe the picture for blind readers",
                       "add a line 'image_alt: what the picture shows'")
        return False
    return True


def split_front_matter(text: str, shown: str, problems: Problems) -> tuple[str, int, str, int] | None:
    """(front matter, its first line, body, its first line), or None after a problem."""
    if not text.strip():
        problems.error(shown, 1, "the file is empty", "start it with front matter: '---', 'title: ...', 'date: ...', '---'")
        return None
    lines = text.split("\n")
    first = lines[0].strip()
    if first == "+++":
        problems.error(shown, 1, "front matter in TOML ('+++') is not supported", "use YAML between '---' lines, with 'key: value'")
        return None
    if first != "---":
        problems.error(shown, 1, "the file does not start with front matter", "put '---' on the first line, then 'title: ...', then '---'")
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    problems.error(shown, 1, "the front matter is not closed", "add a line '---' after the last front matter field")
    return None


def _key_and_lang(path: Path, bundle: Path | None, config: Config, shown: str, problems: Problems) -> tuple[str, str | None]:
    """The translation key and the language of a file, from its name."""
    parts = path.name[: -len(".md")].split(".")
    key = bundle.name if bundle else parts[0]
    if len(parts) == 1:
        return key, config.default_language
    suffix = parts[-1]
    if len(parts) == 2 and suffix in config.languages and suffix != config.default_language:
        return key, suffix
    if len(parts) == 2 and suffix == config.default_language:
        problems.error(shown, 0, f"'.{suffix}' is the default language and takes no suffix", f"rename it to {key}.md")
        return key, None
    hint = f"languages are {', '.join(config.langs)}; name translations like {key}.{config.langs[-1]}.md"
    problems.error(shown, 0, f"unknown language suffix '.{suffix}' in the file name", hint)
    return key, None


FOREIGN_KEYS = {
    "published": "this generator has no 'published': use 'draft: true' to keep it unpublished",
    "categories": "use 'tags' for topics",
    "permalink": "the address comes from the file name or 'slug'; list old addresses under 'aliases'",
    "layout": "articles need no layout; remove it",
    "excerpt_separator": "the summary is 'summary:' or the first paragraph",
    "description": "use 'summary'",
    "lastmod": "use 'updated'",
    "redirect_from": "use 'aliases'",
    "images": "use 'image' with 'image_alt'",
}


def _warn_unknown_keys(data: dict, meta_type, doc: YamlData, shown: str, problems: Problems) -> None:
    """Unknown front matter keys are likely typos: warn, with a suggestion.

    Jekyll's and Hugo's 'published: false' is an error: it would publish what was meant hidden.
    """
    known = set(known_fields(meta_type))
    for key in sorted(str(key) for key in data if str(key) not in known):
        if key == "published" and data.get(key) is False:
            problems.error(shown, doc.line((key,)), "'published: false' is not understood here and the article would be published",
                           "write 'draft: true' instead")
            continue
        if key in FOREIGN_KEYS:
            problems.warning(shown, doc.line((key,)), f"unknown front matter field '{key}'", FOREIGN_KEYS[key])
            continue
        close = near_miss(key, known_fields(meta_type))
        hint = f"did you mean '{close}'?" if close else "put custom fields under 'extra:'"
        problems.warning(shown, doc.line((key,)), f"unknown front matter field '{key}'", hint)


def parse_many(graph: Graph, keys: list[Key]) -> Iterable[tuple[Key, Outcome]]:
    """Parse many sources at once, in parallel (their bodies kept by each process in packs of its own)."""
    jobs = jobs_for(graph.resources.get("jobs", 0))
    return run_chunks(_parse_chunk, keys, jobs, graph, graph.resources.get("advance"))


def _parse_chunk(graph: Graph, keys: list[Key]) -> list[tuple[Key, Outcome]]:
    """Parse a chunk of sources (here or in a helper process); the chunk's bodies go into one pack."""
    bodies: BodyStore = graph.resources["bodies"]
    results: list[tuple[Key, Outcome]] = []
    try:
        with bodies.batch():
            results = graph.compute_here(keys)
    except OSError as exc:  # the pack could not be written: none of the chunk's bodies is kept
        return [(key, _failed(outcome, unkept(key[1], exc))) for key, outcome in results] if results else \
            [(key, _failed(Outcome(None, b"", (), (), None, None, ()), unkept(key[1], exc))) for key in keys]
    return results


def unkept(shown: str, exc: OSError) -> Problem:
    """The problem of a body that could not be kept on disk."""
    return Problem(shown, 0, "error", f"cannot keep the converted text in .cache/bodies: {exc.strerror or exc}",
                   "check the disk space and the permissions of .cache/")


def _failed(outcome: Outcome, problem: Problem) -> Outcome:
    """An outcome without its value, with one more problem."""
    return Outcome(None, digest_of(None), outcome.reads, (*outcome.problems, problem), outcome.since, -float("inf"), outcome.children)


def _front(graph: Graph, shown: str) -> ArticleMeta | PageMeta | EventMeta | CallMeta | JobMeta | None:
    """The validated front matter."""
    parsed = _parsed(graph, shown)
    return parsed.meta if parsed else None


def _parsed(graph: Graph, shown: str) -> Parsed | None:
    """The parse of a listed source (read as the node that made it)."""
    return graph.get(source_key(graph, shown))


def source_key(graph: Graph, shown: str) -> Key:
    """The key of the node parsing a file (its bundle and kind are part of it)."""
    parts = shown.split("/")
    kind = SECTIONS[parts[1]][0]
    bundle = "/".join(parts[:-1]) if len(parts) == 4 else ""
    return ("source", shown, bundle, kind)


def _head(graph: Graph, shown: str) -> Head | None:
    """What of a page shapes the site."""
    parsed = _parsed(graph, shown)
    if parsed is None:
        return None
    meta = parsed.meta
    date = meta.date.timestamp() if getattr(meta, "date", None) else None
    alias_lines = tuple(parsed.lines.line(("aliases", i)) for i in range(len(meta.aliases)))
    config = graph.get(("config",))
    slug = parsed.slug(config.default_language if config else parsed.lang)
    slug_line = parsed.lines.line(("slug",)) if meta.slug else parsed.lines.line(("title",)) if slug != parsed.file_slug else 0
    return Head(shown, parsed.kind, parsed.lang, parsed.key, slug, parsed.file_slug, date, meta.draft, tuple(meta.aliases),
                getattr(meta, "menu", "none"), getattr(meta, "weight", 0), getattr(meta, "layout", "page"), slug_line, alias_lines)


def _body(graph: Graph, shown: str) -> str:
    """The digest of the converted body (where it is kept is read without being recorded: see Page.body)."""
    parsed = _parsed(graph, shown)
    return parsed.html[0] if parsed else ""


def _summary(graph: Graph, shown: str) -> str:
    """The front matter's summary, else the body's first paragraph."""
    parsed = _parsed(graph, shown)
    return (parsed.meta.summary or parsed.first) if parsed else ""


def _lastmod(graph: Graph, shown: str) -> str:
    """The updated (else publication) date as YYYY-MM-DD, for the sitemap."""
    parsed = _parsed(graph, shown)
    when = parsed.meta.updated or getattr(parsed.meta, "date", None) if parsed else None
    return when.date().isoformat() if when else ""


def _title(graph: Graph, shown: str) -> tuple[str, str, int]:
    """("title", path): a page's title as written, folded as readers compare titles, and its line."""
    parsed = _parsed(graph, shown)
    if parsed is None:
        return "", "", 0
    return parsed.meta.title, fold(parsed.meta.title), parsed.lines.line(("title",))


def _tagnames(graph: Graph, shown: str) -> tuple[str, ...]:
    """An article's tags as written."""
    parsed = _parsed(graph, shown)
    return tuple(getattr(parsed.meta, "tags", ())) if parsed else ()


def _refs(graph: Graph, shown: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The partner and platform ids an article, an event, a call or a job names (an event's organisers, a job's employer...)."""
    parsed = _parsed(graph, shown)
    if parsed is None or parsed.kind not in PARTNER_FIELDS:
        return (), ()
    partners = getattr(parsed.meta, PARTNER_FIELDS[parsed.kind])
    return (partners,) if isinstance(partners, str) else tuple(partners), tuple(getattr(parsed.meta, "platforms", ()))


def body_html(graph: Graph, shown: str) -> str:
    """A page's converted body, read as ("body", shown): the body store gives its HTML."""
    graph.get(("body", shown))
    parsed = graph.peek(source_key(graph, shown))
    return graph.resources["bodies"].read(parsed.html) if parsed else ""


def check_source(graph: Graph, shown: str) -> None:
    """("checks", path): the partner and platform ids a source names exist; its front matter image exists (a call's documents are links: checked as such)."""
    from .datafiles import report_unknown_id

    parsed = graph.get(source_key(graph, shown))
    if parsed is None:
        return
    partners, platforms = graph.get(("refs", shown))
    found = Problems()
    for field, data, ids, what in ((PARTNER_FIELDS.get(parsed.kind, "partners"), "partners", partners, "partner"),
                                   ("platforms", "platforms", platforms, "platform")):
        known = graph.get(("known", data)) if ids else None
        if known is None:
            continue  # the data file could not be read: its own error says so
        for i, ident in enumerate(ids):
            if ident not in known:
                report_unknown_id(ident, list(known), what, shown, parsed.lines.line((field, i)), found)
    image = parsed.meta.image
    if image and not _image_exists(graph, parsed, image):
        found.error(shown, parsed.lines.line(("image",)), f"image '{image}' not found",
                    "put it beside index.md in a bundle, or give a path under static/ starting with '/'")
    for problem in found:
        graph.problem(problem)


def _image_exists(graph: Graph, parsed: Parsed, image: str) -> bool:
    """True when a front matter image is a file of static/ (a path starting with '/') or of the page's bundle."""
    if image.startswith("/"):
        wanted, folder = "static/" + image.lstrip("/"), "static"
    elif parsed.bundle:
        wanted, folder = f"{parsed.bundle}/{image}", "content"
    else:
        return False
    return any(rel == wanted and kind in (FILE, GOOD_LINK) for rel, kind in tree(graph, folder))


RULES = (
    Rule("sources", 2, lambda graph: list_sources(graph)),
    Rule("source", 3, parse_source, batch=parse_many),
    Rule("front", 4, _front, stored=False),
    Rule("head", 4, _head, stored=False),
    Rule("body", 4, _body, stored=False),
    Rule("summary", 4, _summary, stored=False),
    Rule("lastmod", 4, _lastmod, stored=False),
    Rule("tagnames", 4, _tagnames, stored=False),
    Rule("title", 4, _title),
    Rule("refs", 4, _refs, stored=False),
    Rule("checks", 5, check_source),
)

