"""Reading Markdown files: front matter split and validated, language and bundle worked out."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from .cache import Cache, text_digest
from .config import Config
from .problems import Problems
from .schemas import ArticleMeta, PageMeta
from .validation import known_fields, unknown_keys, validate
from .yamlio import YamlData, decode_text, parse_yaml

SECTIONS = {"news": ("article", ArticleMeta), "pages": ("page", PageMeta)}
MAX_NAME = 200


@dataclass
class Source:
    """One Markdown file, parsed and validated, before URLs are given."""

    shown: str
    kind: str
    lang: str
    key: str
    meta: ArticleMeta | PageMeta
    body: str
    body_line: int
    lines: YamlData
    bundle: Path | None = None
    assets: list[Path] = field(default_factory=list)
    digest: str = ""

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


def read_sources(content_dir: Path, config: Config, problems: Problems, root: Path, cache: Cache | None = None) -> list[Source]:
    """Every article and page under content/, in a stable order; unchanged files come from the cache."""
    sources = []
    for section, (kind, meta_type) in SECTIONS.items():
        folder = content_dir / section
        if not folder.is_dir():
            continue
        for path, bundle in _markdown_files(folder, root, problems):
            source = _cached_source(path, bundle, kind, meta_type, config, problems, root, cache)
            if source:
                sources.append(source)
    return sources


def _cached_source(path: Path, bundle: Path | None, kind: str, meta_type, config: Config, problems: Problems, root: Path, cache: Cache | None) -> Source | None:
    """read_source, skipped when the file's bytes are those the cache parsed last time."""
    shown = _shown(path, root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(shown, 0, f"cannot read the file: {exc.strerror or exc}")
        return None
    digest = text_digest(shown.encode() + b"\0" + raw)
    hit = cache.sources.get(shown) if cache else None
    if hit and hit[0] == digest:
        source, found = hit[1], hit[2]
    else:
        found = Problems()
        source = read_source(raw, path, bundle, kind, meta_type, config, found, root)
        if source:
            source.digest = digest
        if cache is not None:
            cache.sources[shown] = (digest, source, list(found))
    problems.extend(found)
    if source and bundle:
        source.assets = _bundle_assets(bundle, root, problems)
    return source


def _markdown_files(folder: Path, root: Path, problems: Problems) -> list[tuple[Path, Path | None]]:
    """(file, bundle folder or None) for each Markdown file of a section."""
    found = []
    for path in sorted(folder.rglob("*")):
        shown = _shown(path, root)
        if len(path.name) > MAX_NAME:
            problems.error(shown[:300], 0, f"the file name is longer than {MAX_NAME} characters", "shorten it")
            continue
        if path.is_symlink() and not _inside(path, root):
            problems.error(shown, 0, "this link points outside the site's folder", "copy the file in instead of linking to it")
            continue
        if path.is_dir() or path.suffix != ".md":
            continue
        depth = len(path.relative_to(folder).parts)
        if depth == 1:
            found.append((path, None))
        elif depth == 2 and path.name.split(".")[0] == "index":
            found.append((path, path.parent))
        else:
            problems.error(shown, 0, "a Markdown file in an unexpected place", "put articles in content/news/ as NAME.md or NAME/index.md")
    return found


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
    return Source(shown, kind, lang, key, meta, body, body_line, doc, bundle)


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


def _warn_unknown_keys(meta, meta_type, doc: YamlData, shown: str, problems: Problems) -> None:
    """Unknown front matter keys are likely typos: warn, with a suggestion."""
    for key in unknown_keys(meta):
        close = difflib.get_close_matches(key, known_fields(meta_type), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "put custom fields under 'extra:'"
        problems.warning(shown, doc.line((key,)), f"unknown front matter field '{key}'", hint)


def _bundle_assets(bundle: Path, root: Path, problems: Problems) -> list[Path]:
    """The files beside index.md in a bundle, copied with the page."""
    assets = []
    for path in sorted(bundle.iterdir()):
        if path.is_file() and path.suffix != ".md" and _inside(path, root):
            assets.append(path)
    return assets


def _inside(path: Path, root: Path) -> bool:
    """True when a path, links followed, stays inside the site's folder."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _shown(path: Path, root: Path) -> str:
    """A path as editors see it, relative to the site's folder."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
