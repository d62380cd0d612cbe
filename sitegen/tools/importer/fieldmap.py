"""The field map: which front matter key of the old site becomes which field here, extendable in a small YAML file.

A map file holds `old: new` lines: `new` is one of this site's fields, `extra.NAME` (kept under
`extra:`) or nothing (`old:` alone, or `old: null`: the key is dropped). Its lines replace the
defaults for the keys they name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...model.yamlio import parse_yaml
from ...problems import Problems, UsageError
from .reading import read_limited

ARTICLE_FIELDS = ("title", "date", "summary", "tags", "partners", "platforms", "author", "image", "image_alt", "image_credit",
                  "image_focus", "updated", "draft", "slug", "aliases", "extra")
PAGE_FIELDS = ("title", "date", "summary", "menu", "weight", "slug", "aliases", "draft", "updated", "image", "image_alt",
               "image_credit", "image_focus", "extra")

# Keys of Jekyll and Hugo that mean nothing here (the importer reads some of them first: dates, tags, addresses, languages).
DROPPED = ("layout", "permalink", "excerpt_separator", "comments", "share", "sitemap", "published", "redirect_from", "url",
           "categories", "category", "lang", "language", "translationKey", "translation_key", "ref", "lang_ref", "lang-ref",
           "type", "weight", "toc", "math", "mathjax", "showToc", "hidemeta", "menu", "menus", "output", "outputs",
           "cascade", "build", "_build", "headless", "isCJKLanguage", "keywords", "markup", "linkTitle", "publishDate",
           "expiryDate", "series", "read_time", "classes", "render_with_liquid")

READ_FIRST = ("lang", "language", "categories", "category", "permalink", "url", "published", "redirect_from",
              "translationKey", "translation_key", "ref", "lang_ref", "lang-ref")  # used by the importer, not just dropped

DEFAULT_MAP: dict[str, str | None] = {
    **{key: None for key in DROPPED},
    "posted_by": "author", "authors": "author",
    "img_alttext": "image_alt", "image_alt_text": "image_alt", "alt": "image_alt", "featured_image_alt": "image_alt",
    "featured_image": "image", "cover": "image", "thumbnail": "image", "feature_image": "image",
    "excerpt": "summary", "description": "summary", "lastmod": "updated", "last_modified_at": "updated", "modified": "updated",
    "subtitle": "extra.subtitle",
}


def load_field_map(path: Path | None) -> dict[str, str | None]:
    """The default map with the lines of the user's map file over it; a bad file is a usage error."""
    mapping = dict(DEFAULT_MAP)
    if path is None:
        return mapping
    problems = Problems()
    text = read_limited(path, str(path), problems, 100_000) if path.is_file() else None
    doc = parse_yaml(text, str(path), problems) if text is not None else None
    if doc is None:
        raise UsageError(f"cannot read the field map {path}: {problems[0].message if problems else 'no such file'}",
                         "a YAML file of 'old: new' lines, like 'posted_by: author'")
    if not isinstance(doc.data or {}, dict):
        raise UsageError(f"{path}: the field map must be 'old: new' lines", "like 'posted_by: author' or 'subtitle: extra.subtitle'")
    for old, new in (doc.data or {}).items():
        mapping[str(old)] = _target(new, path, doc.line((old,)))
    return mapping


def _target(new: Any, path: Path, line: int) -> str | None:
    """One line's target, checked: a field of this site, `extra.NAME`, or nothing."""
    if new is None:
        return None
    if isinstance(new, str) and ((new in ARTICLE_FIELDS and new != "extra") or (new.startswith("extra.") and len(new) > 6)):
        return new
    raise UsageError(f"{path}:{line}: {new!r} is not a field of this site",
                     f"use one of {', '.join(f for f in ARTICLE_FIELDS if f != 'extra')}, extra.NAME, or nothing to drop the key")


def map_fields(data: dict[str, Any], mapping: dict[str, str | None], kind: str) -> tuple[dict[str, Any], list[str]]:
    """The front matter this site reads (keys it does not know kept under `extra`), and what was changed."""
    fields = ARTICLE_FIELDS if kind == "news" else PAGE_FIELDS
    out: dict[str, Any] = {}
    extra: dict[str, Any] = dict(data.get("extra") or {}) if isinstance(data.get("extra"), dict) else {}
    notes: list[str] = []
    for key, value in data.items():
        target = mapping.get(key, key)
        if key == "extra" and isinstance(value, dict):
            continue
        if target is None:
            if key not in READ_FIRST:
                notes.append(f"'{key}' dropped")
            continue
        name = target.removeprefix("extra.") if target.startswith("extra.") or target not in fields else None
        if name is not None:
            extra[name] = value
            notes.append(f"'{key}' kept under extra")
        elif target in out:
            notes.append(f"'{key}' dropped ('{target}' is given)")
        else:
            out[target] = value
            if target != key:
                notes.append(f"'{key}' became '{target}'")
    if extra:
        out["extra"] = extra
    return out, notes
