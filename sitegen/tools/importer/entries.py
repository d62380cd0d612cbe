"""One post or page of the old site, as both readers (Jekyll, Hugo) give it, and its front matter made this site's."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .reading import Front, date_text

TRANSLATION_KEYS = ("translationKey", "translation_key", "ref", "lang_ref", "lang-ref")


@dataclass
class Entry:
    """A post or page found in the source, before it is named and written."""

    shown: str  # its path in the source, for the report
    path: Path
    kind: str  # "news" or "pages"
    front: Front
    name: str  # the file (or bundle) name it asks for here
    lang: str | None  # None: the source says nothing (the site's default language)
    group: str  # the posts sharing a group are translations of each other
    date: str | None
    tags: list[str] = field(default_factory=list)
    old: list[str] = field(default_factory=list)  # its addresses on the old site
    refs: set[str] = field(default_factory=set)  # how other posts name it in post_url, link, ref and relref
    bundle: Path | None = None  # a folder whose other files go along
    notes: list[str] = field(default_factory=list)  # what was changed
    target: str = ""  # its file here, relative to the site ("content/news/x.md")
    address: str = ""  # its address here


def declared_lang(data: dict[str, Any]) -> str | None:
    """The language the front matter declares (`lang` or `language`), lowercased, or None."""
    for key in ("lang", "language"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip().lower().replace("_", "-").split("-")[0]
    return None


def translation_key(data: dict[str, Any]) -> str | None:
    """The key that pairs translations, when the front matter gives one."""
    for key in TRANSLATION_KEYS:
        if isinstance(data.get(key), str | int) and str(data[key]).strip():
            return str(data[key]).strip()
    return None


def as_list(value: Any, split_spaces: bool) -> list[str]:
    """Tags or categories as a list: Jekyll splits a string on spaces, Hugo keeps it whole."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split_spaces else [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]


def merged_tags(data: dict[str, Any], split_spaces: bool, notes: list[str]) -> list[str]:
    """Tags and categories, in order, once each."""
    found: list[str] = []
    for key in ("tags", "categories", "category"):
        values = as_list(data.get(key), split_spaces)
        if isinstance(data.get(key), str) and values:
            notes.append(f"'{key}' split into a list" if split_spaces and len(values) > 1 else f"'{key}' made a list")
        if key != "tags" and values:
            notes.append(f"'{key}' added to tags")
        found += [v for v in values if v not in found]
    return found


def site_front(entry: Entry, mapped: dict[str, Any], kind: str) -> dict[str, Any]:
    """The front matter to write: title and date first, values in the shapes this site reads."""
    title = mapped.pop("title", "")
    if not title:
        entry.notes.append("no title: the file's name given as its title")
    out: dict[str, Any] = {"title": str(title or entry.name)}
    if entry.date:
        out["date"] = entry.date
    mapped.pop("date", None)
    if kind == "news" and entry.tags:
        out["tags"] = entry.tags
    elif entry.tags:
        mapped.setdefault("extra", {})["tags"] = entry.tags
    if isinstance(mapped.get("author"), list):
        mapped["author"] = " and ".join(str(a) for a in mapped["author"])
        entry.notes.append("the list of authors joined into one text")
    if "updated" in mapped:
        mapped["updated"] = date_text(mapped["updated"]) or mapped["updated"]
    if entry.front.data.get("published") is False:
        mapped["draft"] = True
        entry.notes.append("'published: false' became 'draft: true'")
    out.update(mapped)
    if entry.old:
        out["aliases"] = entry.old
    return out
