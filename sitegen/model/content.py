"""Reading Markdown files: front matter split and validated, language and bundle worked out."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from ..cache import Cache, text_digest
from ..problems import Problems
from ..publish.output import walk_files
from .config import Config
from .paths import inside as _inside
from .paths import shown as _shown
from .schemas import ArticleMeta, PageMeta
from .validation import known_fields, unknown_keys, validate
from .yamlio import YamlData, decode_text, parse_yaml

SECTIONS = {"news": ("article", ArticleMeta), "pages": ("page", PageMeta)}
MAX_NAME = 200
MAX_BYTES = 2_000_000


@dataclass
class Source:
    """One Markdown file, parsed and validated, before URLs are given."""

    shown: str
    kind: str
    lang: str
    key: str
    meta: ArticleMeta | PageMeta
    body: str | None
    body_line: int
    lines: YamlData
    bundle: Path | None = None
    assets: list[Path] = field(default_factory=list)
    digest: str = ""
    body_key: str = ""
    front_key: str = ""  # a digest of the front matter as written, where it stands

    def __getstate__(self) -> dict:
        """Cached without the Markdown text (its HTML is on disk; `markdown_body` reads it again if needed)."""
        return {**self.__dict__, "body": None}

    @property
    def slug(self) -> str:
        """The URL name: front matter `slug`, else the file (or bundle) name made URL-safe."""
        return self.meta.slug or slugify(self.key) or "untitled"

    def line_of(self, key: str) -> int:
        """The file line of a front matter key."""
        return self.lines.line((key,))


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


ToRead = tuple  # (file, bundle folder or None, kind, front matter schema)
Read = tuple  # (digest of the bytes, None when unreadable; the source, None after a problem; its problems)


def read_sources(content_dir: Path, config: Config, problems: Problems, root: Path, cache: Cache | None = None,
                 stats: dict[str, tuple] | None = None, read_many: Callable[[list[ToRead]], list[Read]] | None = None,
                 ) -> list[Source]:
    """Every article and page under content/, in a stable order; unchanged files come from the cache.

    `stats` (path -> size, times and inode, as listed before reading) lets a file the cache
    read with that very listing entry be taken from it without being read again. The other
    files are read by `read_many` (the build's reads them in its workers, converting the bodies
    as it goes), else one by one here.
    """
    _warn_stray_markdown(content_dir, root, problems)
    wanted: list[ToRead] = []
    for section, (kind, meta_type) in SECTIONS.items():
        folder = content_dir / section
        if folder.is_dir():
            wanted += [(path, bundle, kind, meta_type) for path, bundle in _markdown_files(folder, root, problems)]
    shown = [_shown(path, root) for path, _, _, _ in wanted]
    stat = [stats.get(name) if stats else None for name in shown]
    found: list[tuple[Source | None, list] | None] = [None] * len(wanted)
    todo = []
    for i, name in enumerate(shown):
        hit = cache.sources.get(name) if cache else None
        if hit and stat[i] is not None and hit[3] == stat[i]:
            found[i] = hit[1], hit[2]  # unchanged since the build that read it listed it: not read again
        else:
            todo.append(i)
    read_each = read_many or (lambda items: [read_file(*item, config, root, cache) for item in items])
    reads = read_each([wanted[i] for i in todo]) if todo else []
    for i, read in zip(todo, reads, strict=True):
        _remember_read(cache, shown[i], read, stat[i])
        found[i] = read[1], read[2]
    taken = [_taken(source, its_problems, bundle, root, problems) for (_, bundle, _, _), (source, its_problems) in zip(wanted, found, strict=True)]
    return [source for source in taken if source]


def _remember_read(cache: Cache | None, shown: str, read: Read, stat: tuple | None) -> None:
    """Keep a file's reading in the cache with the listing entry it was read under (not an unreadable file's)."""
    digest, source, its_problems = read
    if digest is not None and cache is not None:
        cache.sources[shown] = (digest, source, tuple(its_problems), stat)  # most are (), one object for all


def _taken(source: Source | None, its_problems: list, bundle: Path | None, root: Path, problems: Problems) -> Source | None:
    """A file's reading taken into the build: its problems reported, its bundle's files listed."""
    problems.extend(its_problems)
    if source and bundle:
        source.assets = _bundle_assets(bundle, root, problems)
    return source


def _warn_stray_markdown(content_dir: Path, root: Path, problems: Problems) -> None:
    """Markdown outside content/news and content/pages is never published: say so."""
    if not content_dir.is_dir():
        return
    for path in sorted(content_dir.iterdir()):
        if path.name in SECTIONS or path.name == "data":
            continue
        stray = [path] if path.suffix == ".md" else sorted(path.rglob("*.md")) if path.is_dir() and _inside(path, root) else []
        for md in stray:
            problems.warning(_shown(md, root), 0, "this Markdown file is not in content/news or content/pages, so it is not published",
                             "move articles to content/news/ and pages to content/pages/")


def read_file(path: Path, bundle: Path | None, kind: str, meta_type, config: Config, root: Path, cache: Cache | None) -> Read:
    """One Markdown file read and parsed, or taken from the cache when it has these very bytes."""
    shown = _shown(path, root)
    found = Problems()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            found.error(shown, 0, f"the file is {size / 1e6:.1f} MB, more than the {MAX_BYTES // 1_000_000} MB an article may have", "split it, or link large documents instead of pasting them")
            return None, None, list(found)
        raw = path.read_bytes()
    except OSError as exc:
        found.error(shown, 0, f"cannot read the file: {exc.strerror or exc}")
        return None, None, list(found)
    digest = text_digest(shown.encode() + b"\0" + raw)
    hit = cache.sources.get(shown) if cache else None
    if hit and hit[0] == digest:
        return digest, hit[1], hit[2]
    source = read_source(raw, path, bundle, kind, meta_type, config, found, root)
    if source:
        source.digest = digest
    return digest, source, list(found)


def reread(source: Source, config: Config, problems: Problems, root: Path, cache: Cache | None) -> Source | None:
    """A known article or page read again from its file (same kind, language and bundle)."""
    meta_type = next(meta for kind, meta in SECTIONS.values() if kind == source.kind)
    read = read_file(root / source.shown, source.bundle, source.kind, meta_type, config, root, cache)
    _remember_read(cache, source.shown, read, None)
    return _taken(read[1], read[2], source.bundle, root, problems)


def _markdown_files(folder: Path, root: Path, problems: Problems) -> list[tuple[Path, Path | None]]:
    """(file, bundle folder or None) for each Markdown file of a section."""
    found = []
    if not _inside(folder, root):
        problems.error(_shown(folder, root), 0, "this folder links outside the site's folder", "copy the files in instead of linking to them")
        return found
    # Files and links (never followed) from one scandir per folder: rglob with a stat and an lstat
    # per path took 0.2 s for 10,000 articles, before the workers could start.
    for rel, entry in sorted(walk_files(folder), key=lambda item: item[0].split("/")):
        path = folder / rel
        shown = _shown(path, root)
        try:
            shown.encode("utf-8")
        except UnicodeEncodeError:
            problems.error(shown.encode("utf-8", "replace").decode(), 0, "the file name is not UTF-8", "rename the file (letters, digits and hyphens are safest)")
            continue
        if len(path.name) > MAX_NAME:
            problems.error(shown[:300], 0, f"the file name is longer than {MAX_NAME} characters", "shorten it")
            continue
        if entry.is_symlink():
            if not _inside(path, root):
                problems.error(shown, 0, "this link points outside the site's folder", "copy the file in instead of linking to it")
                continue
            if path.is_dir():
                found += _markdown_files_under(path, folder, root, problems)
                continue
        if path.suffix != ".md":
            continue
        depth = rel.count("/") + 1
        if depth == 1:
            found.append((path, None))
        elif depth == 2 and path.name.split(".")[0] == "index":
            found.append((path, path.parent))
        else:
            problems.error(shown, 0, "a Markdown file in an unexpected place", "put articles in content/news/ as NAME.md or NAME/index.md")
    return found


def _markdown_files_under(link: Path, folder: Path, root: Path, problems: Problems) -> list[tuple[Path, Path | None]]:
    """Markdown files of a linked folder that stays inside the site (a bundle kept elsewhere in the repository)."""
    return [(path, link) for path in sorted(link.glob("index*.md")) if _inside(path, root) and len(path.relative_to(folder).parts) == 2]


def read_source(raw: bytes, path: Path, bundle: Path | None, kind: str, meta_type, config: Config, problems: Problems, root: Path) -> Source | None:
    """Split and validate one Markdown file's bytes."""
    shown = _shown(path, root)
    key, lang = _key_and_lang(path, bundle, config, shown, problems)
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
    meta = validate(meta_type, doc, shown, problems)
    if meta is None:
        return None
    _warn_unknown_keys(meta, meta_type, doc, shown, problems)
    doc.data = None  # validated into meta: only the lines are kept, for messages
    return Source(shown, kind, lang, key, meta, body, body_line, doc, bundle, body_key=text_digest(body),
                  front_key=text_digest(f"{fm_line}\n{fm_text}"))


def markdown_body(source: Source, root: Path, problems: Problems) -> str | None:
    """A source's Markdown body, read again from its file when the cache left it out."""
    if source.body is None:
        found = Problems()
        try:
            text = decode_text((root / source.shown).read_bytes(), found, source.shown)
        except OSError:
            text = None
        parts = split_front_matter(text, source.shown, found) if text is not None else None
        if parts is None or text_digest(parts[2]) != source.body_key:
            problems.error(source.shown, 0, "the file changed while the site was being built", "build again")
            return None
        source.body = parts[2]
    return source.body


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


def _warn_unknown_keys(meta, meta_type, doc: YamlData, shown: str, problems: Problems) -> None:
    """Unknown front matter keys are likely typos: warn, with a suggestion.

    Jekyll's and Hugo's 'published: false' is an error: it would publish what was meant hidden.
    """
    for key in unknown_keys(meta):
        if key == "published" and (meta.model_extra or {}).get(key) is False:
            problems.error(shown, doc.line((key,)), "'published: false' is not understood here and the article would be published",
                           "write 'draft: true' instead")
            continue
        if key in FOREIGN_KEYS:
            problems.warning(shown, doc.line((key,)), f"unknown front matter field '{key}'", FOREIGN_KEYS[key])
            continue
        close = difflib.get_close_matches(key, known_fields(meta_type), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "put custom fields under 'extra:'"
        problems.warning(shown, doc.line((key,)), f"unknown front matter field '{key}'", hint)


HIDDEN_HINT = "names starting with '.', such as .env, .git/ or .DS_Store, are never published; rename it if it belongs on the site"


def _bundle_assets(bundle: Path, root: Path, problems: Problems) -> list[Path]:
    """The files beside index.md in a bundle, copied with the page; hidden ones (.env, .DS_Store) left out, with a warning."""
    assets = []
    for path in sorted(bundle.iterdir()):
        if path.name.startswith("."):
            kind = "folder" if path.is_dir() else "file"
            problems.warning(_shown(path, root) + "/" * (kind == "folder"), 0, f"a hidden {kind} is not published", HIDDEN_HINT)
        elif path.is_file() and path.suffix != ".md" and _inside(path, root):
            assets.append(path)
    return assets


