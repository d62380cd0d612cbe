"""The files the browser editor may touch, and how it names and sees them.

Every path the CMS sends is checked here before anything is read or written: relative, plain
segments (no '..', no hidden name, no backslash), under content/ or the media folder, and never
through a symbolic link that leads outside. Two translations between the CMS's view and the
files on disk:
- names: Decap names every language's file with its suffix (x.en.md, x.fr.md); this project
  names the default language's file without one (x.md, x.fr.md);
- list data files: Decap edits a file as a map, so partners.yaml (a list) is shown as
  `{partners: [...]}`; a per-language text written once (`name: CNRS`) is shown as one text per
  language, and written back once when every language has the same text.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import yaml

from ..model.schemas import DATA_FILES
from ..model.validation import adapter
from .cms_config import LIST_FILES, MEDIA_FOLDER

ENTRY_FOLDERS = ("content/news", "content/pages", "content/events", "content/calls", "content/jobs")
DATA_FOLDER = "content/data"
MEDIA_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
MAX_SEGMENT = 200
MAX_DEPTH = 8


class Refused(Exception):
    """A request the backend will not carry out; its message is shown to the editor."""


def checked_path(root: Path, rel: Any, folders: tuple[str, ...]) -> Path:
    """The file a CMS path names, inside one of `folders` of the site (links followed); Refused otherwise."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel or posixpath.isabs(rel):
        raise Refused(f"{rel if isinstance(rel, str) and rel else repr(rel)}: not a path of the site's content")
    parts = rel.split("/")
    if len(parts) > MAX_DEPTH or any(part in ("", ".", "..") or part.startswith(".") or len(part) > MAX_SEGMENT for part in parts):
        raise Refused(f"{rel}: not a path of the site's content")
    if not any(rel == folder or rel.startswith(folder + "/") for folder in folders):
        raise Refused(f"{rel}: the browser editor may only change files under {', '.join(folders)}")
    top = root.resolve()
    path = root / rel
    real = path.resolve()  # the deepest existing part's links followed
    if not real.is_relative_to(top) or not any(real.is_relative_to(top / folder) for folder in folders):
        raise Refused(f"{rel}: leads outside the site's content through a link")
    return path


def disk_name(rel: Any, default: str) -> Any:
    """The file on disk for a CMS name: content/news/x.en.md is content/news/x.md."""
    suffix = f".{default}.md"
    if isinstance(rel, str) and rel.endswith(suffix) and _in_entry_folder(rel):
        return rel[: -len(suffix)] + ".md"
    return rel


def cms_name(rel: str, langs: list[str], default: str) -> str:
    """The CMS's name for a file on disk: content/news/x.md is content/news/x.en.md."""
    if not rel.endswith(".md") or not _in_entry_folder(rel):
        return rel
    stem = posixpath.basename(rel)[: -len(".md")]
    if "." in stem and stem.rsplit(".", 1)[1] in langs:
        return rel
    return rel[: -len(".md")] + f".{default}.md"


def _in_entry_folder(rel: str) -> bool:
    """True for a path inside the articles' or the pages' folder."""
    return any(rel.startswith(folder + "/") for folder in ENTRY_FOLDERS)


def data_file(rel: str) -> str | None:
    """The data file's name (funding) when a path is one of the data files, else None."""
    for name in DATA_FILES:
        if rel == f"{DATA_FOLDER}/{name}.yaml":
            return name
    return None


def list_file(rel: str) -> str | None:
    """The data file's name (partners) when a path is a list data file, else None."""
    for name in LIST_FILES:
        if rel == f"{DATA_FOLDER}/{name}.yaml":
            return name
    return None


def shown_data(name: str, text: str, langs: list[str]) -> str:
    """A list data file as the CMS edits it: a map with one key, texts per language."""
    value = yaml.safe_load(text)
    return dump({name: _per_language(name, value, langs)})


def stored_data(name: str, raw: str) -> str:
    """What the CMS saved as the data file holds it: a list file's list, texts the same in every language once, no empty field."""
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        raise Refused(f"content/data/{name}.yaml: the editor sent text that is not YAML") from None
    if name in LIST_FILES:
        if not isinstance(value, dict) or set(value) != {name}:
            raise Refused(f"content/data/{name}.yaml: the editor sent something else than the list of {name}")
        value = value[name]
    return dump(_tidy(value))


def _per_language(name: str, value: Any, langs: list[str]) -> Any:
    """Every entry's plain-string texts (name, description, each service...) as one text per language."""
    if not isinstance(value, list):
        return value
    texts, lists = text_fields(name)
    return [{key: _spread(field, langs) if key in texts else [_spread(item, langs) for item in field] if key in lists and isinstance(field, list)
             else field for key, field in entry.items()} if isinstance(entry, dict) else entry for entry in value]


def text_fields(name: str) -> tuple[set[str], set[str]]:
    """The fields of a list data file's entries that are texts per language, and those that are lists of them."""
    schema = adapter(DATA_FILES[name]).json_schema()
    entry = next(iter(schema["$defs"].values()))
    texts, lists = set(), set()
    for key, field in entry["properties"].items():
        if _is_text(field):
            texts.add(key)
        elif field.get("type") == "array" and _is_text(field.get("items", {})):
            lists.add(key)
    return texts, lists


def _is_text(schema: dict[str, Any]) -> bool:
    """True for a schema that takes a string or a map of language to string."""
    return any("patternProperties" in option for option in schema.get("anyOf", []))


def _spread(value: Any, langs: list[str]) -> Any:
    """A text given as one string, given for each language."""
    return {lang: value for lang in langs} if isinstance(value, str) else value


def _tidy(value: Any) -> Any:
    """Empty fields left out (the CMS writes every field it shows), and {en: X, fr: X} written X, at every depth."""
    if isinstance(value, list):
        return [_tidy(item) for item in value]
    if not isinstance(value, dict):
        return value
    tidy = {key: _tidy(item) for key, item in value.items()}
    tidy = {key: item for key, item in tidy.items() if not _empty(item)}
    texts = list(tidy.values())
    if tidy and all(re.fullmatch(r"[a-z]{2}", str(key)) for key in tidy) and all(isinstance(t, str) for t in texts) and len(set(texts)) == 1:
        return texts[0]
    return tidy


def _empty(value: Any) -> bool:
    """True for a value the CMS writes for a field left blank (0 and false are values)."""
    return value is None or (isinstance(value, str | list | dict) and not value)


def dump(value: Any) -> str:
    """YAML as the data files are written: keys in their order, accents as they are."""
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def bundle_of(rel: Any) -> str | None:
    """The bundle folder of a bundle's Markdown file (content/news/x for content/news/x/index.fr.md), else None."""
    folder, _, name = rel.rpartition("/") if isinstance(rel, str) else ("", "", "")
    return folder if is_bundle_folder(folder) and name.endswith(".md") and name.split(".")[0] == "index" else None


def is_bundle_folder(rel: Any) -> bool:
    """True for a folder where a bundle lives: a folder of content/news, pages, events, calls or jobs."""
    return isinstance(rel, str) and rel.rpartition("/")[0] in ENTRY_FOLDERS and rel.count("/") == 2


def is_picture_path(rel: Any) -> bool:
    """True for a path in the media folder, or in a bundle's folder but not its Markdown (where pictures are; media_path checks the rest)."""
    if not isinstance(rel, str):
        return False
    return rel.startswith(MEDIA_FOLDER + "/") or (is_bundle_folder(rel.rpartition("/")[0]) and bundle_of(rel) is None)


def media_path(root: Path, rel: Any) -> Path:
    """A picture's path in the media folder or beside a bundle's index.md; Refused for anything else."""
    folder = rel.rpartition("/")[0] if isinstance(rel, str) else ""
    path = checked_path(root, rel, ENTRY_FOLDERS if is_bundle_folder(folder) else (MEDIA_FOLDER,))
    if path.suffix.lower() not in MEDIA_TYPES:
        raise Refused(f"{rel}: only pictures ({', '.join(MEDIA_TYPES)}) may be added in the browser")
    return path
