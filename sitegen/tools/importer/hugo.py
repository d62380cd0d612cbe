"""A Hugo site's posts (its sections, files and page bundles, `x.fr.md` translations) and pages, with their old addresses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from slugify import slugify

from ...problems import Problems
from .entries import Entry, declared_lang, merged_tags, translation_key
from .jekyll import MARKDOWN
from .reading import date_text, read_config, read_front, read_limited

POST_SECTIONS = {"posts", "post", "blog", "news", "articles", "actualites"}
CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml")
LANG_SUFFIX = re.compile(r"(.+)\.([a-z]{2}(?:-[a-z]{2})?)", re.IGNORECASE)


def read_site(source: Path, pages: bool, problems: Problems) -> list[Entry]:
    """Every post (and page, when asked) of a Hugo site."""
    config = next((read_config(source / name, problems) for name in CONFIG_NAMES if (source / name).is_file()), {})
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    sections = POST_SECTIONS | set(config.get("mainSections") or params.get("mainSections") or [])
    settings = _Settings(config)
    content = source / "content"
    found = []
    files = sorted(content.rglob("*")) if content.is_dir() else []
    bundles = {path.parent for path in files if path.stem.split(".")[0] == "index" and path.suffix.lower() in MARKDOWN}
    for path in files:
        rel = path.relative_to(content)
        if path.suffix.lower() in (".html", ".htm") and not any(parent in bundles for parent in path.parents):
            problems.warning(f"content/{rel.as_posix()}", 0, "an HTML page: not imported (bring its text in by hand, as Markdown)")
        if path.suffix.lower() not in MARKDOWN or any(p.startswith(".") for p in rel.parts) or path.is_dir():
            continue
        skipped = _skipped(path, bundles)
        if skipped:
            problems.warning(f"content/{rel.as_posix()}", 0, skipped)
            continue
        kind = "news" if len(rel.parts) > 1 and rel.parts[0] in sections else "pages"
        if kind == "pages" and not pages:
            continue
        found.append(_entry(content, rel, kind, settings, problems))
    return [entry for entry in found if entry]


def _skipped(path: Path, bundles: set[Path]) -> str:
    """Why a Markdown file of the content folder is not a post or page ("" when it is one)."""
    if path.stem.split(".")[0] == "_index":
        return "a section's list page: not imported (this site makes its own listings)"
    if path.stem.split(".")[0] != "index" and any(parent in bundles for parent in path.parents):
        return "a Markdown file inside a page bundle is one of its resources, not a post: not imported"
    return ""


class _Settings:
    """What the old addresses depend on: permalink patterns, languages, the default language."""

    def __init__(self, config: dict[str, Any]):
        self.default = str(config.get("defaultContentLanguage") or "en").lower()
        code = config.get("languageCode")  # a one-language site says its language here ("fr-fr")
        self.content_lang = self.default if config.get("defaultContentLanguage") else str(code)[:2].lower() if code else None
        self.in_subdir = bool(config.get("defaultContentLanguageInSubdir"))
        self.languages = {str(k).lower() for k in (config.get("languages") or {})} | {self.default}
        links = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
        self.permalinks = {**{k: v for k, v in links.items() if isinstance(v, str)},
                           **(links.get("page") if isinstance(links.get("page"), dict) else {})}
        self.lower = not config.get("disablePathToLower")

    def prefix(self, lang: str) -> str:
        """The old site's prefix for a language ('' or '/fr')."""
        return "" if lang == self.default and not self.in_subdir else f"/{lang}"


def _entry(content: Path, rel: Path, kind: str, settings: _Settings, problems: Problems) -> Entry | None:
    """One file or page bundle of the content folder."""
    shown = f"content/{rel.as_posix()}"
    text = read_limited(content / rel, shown, problems, root=content)
    front = read_front(text, shown, problems) if text is not None else None
    if front is None:
        return None
    bundle = rel.stem.split(".")[0] == "index"
    stem = rel.parent.name if bundle else rel.stem
    suffix = LANG_SUFFIX.fullmatch(rel.stem)
    lang = declared_lang(front.data)
    if suffix and suffix.group(2).lower() in settings.languages:
        lang = lang or suffix.group(2).lower()
        stem = stem if bundle else suffix.group(1)
    prefix_lang = lang or settings.default  # the language Hugo gave it, for its old address
    lang = lang or settings.content_lang
    notes: list[str] = ["TOML front matter converted to YAML"] if front.toml else []
    when = date_text(front.data.get("date")) if front.data.get("date") is not None else None
    if kind == "news" and when is None:
        problems.error(shown, front.line("date"), "the post has no date, or one that does not exist: not imported",
                       "add 'date = 2024-01-15' to its front matter")
        return None
    tags = merged_tags(front.data, False, notes)
    section = rel.parts[0] if len(rel.parts) > 1 else ""
    folder = rel.parent.parent if bundle else rel.parent
    old = _old_addresses(front.data, section, stem, folder, when, prefix_lang, settings)
    base = (folder / stem).as_posix()
    refs = {base, f"{base}.md", f"/{base}", f"/{base}.md", stem, f"{stem}.md", rel.as_posix(), f"/{rel.as_posix()}"}
    group = translation_key(front.data) or base
    return Entry(shown, content / rel, kind, front, stem, lang, group, when, tags, old, refs,
                 (content / rel).parent if bundle else None, notes=notes)


def _old_addresses(data: dict, section: str, stem: str, folder: Path, when: str | None, lang: str, settings: _Settings) -> list[str]:
    """Its address on the old site (`url`, else the section's permalink pattern, else the folder and name), then its `aliases`."""
    slug = str(data.get("slug") or stem)
    pattern = settings.permalinks.get(section)
    if isinstance(data.get("url"), str) and data["url"].strip():
        own = "/" + data["url"].strip().lstrip("/")
    elif pattern and when:
        year, month, day = when[:4], when[5:7], when[8:10]
        values = {"year": year, "month": month, "day": day, "slug": slug, "title": slugify(str(data.get("title") or stem)),
                  "filename": stem, "contentbasename": stem, "section": section, "slugorfilename": slug}
        own = settings.prefix(lang) + "/" + re.sub(r":([a-z]+)", lambda m: values.get(m.group(1), m.group(0)), pattern).strip("/") + "/"
        own = own.lower() if settings.lower else own
    else:
        path = "/".join(p for p in (*folder.parts, slug) if p)
        own = settings.prefix(lang) + "/" + (path.lower() if settings.lower else path) + "/"
    aliases = data.get("aliases")
    aliases = [aliases] if isinstance(aliases, str) else aliases if isinstance(aliases, list) else []
    found: list[str] = []
    for value in [own, *aliases]:
        text = str(value).strip()
        text = text if text.startswith("/") else settings.prefix(lang) + "/" + "/".join(p for p in (*folder.parts, text) if p)
        text = re.sub(r"/{2,}", "/", text)
        if text not in found:
            found.append(text)
    return found
