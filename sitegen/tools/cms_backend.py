"""The browser editor's backend: Decap CMS's local-backend protocol, answered inside the preview server.

The CMS posts `{"action": ..., "params": {...}}` to /api/v1 (the actions decap-server answers:
info, entriesByFolder, entriesByFiles, getEntry, persistEntry, getMedia, getMediaFile,
persistMedia, deleteFile, deleteFiles, getDeployPreview). Paths are checked by cms_files. Every
entry is parsed and validated by the build's own functions before it is written: a file with an
error is refused with the build's `path:line: error: message (hint)` lines, and nothing is
written. A save changes the sources, so the preview's watcher rebuilds and reloads as for a save
from an editor.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..atomic import write_atomically
from ..model import datafiles, sources
from ..model.config import Config
from ..model.schemas import DATA_FILES
from ..problems import Problems
from .cms_config import MEDIA_FOLDER
from .cms_files import (
    DATA_FOLDER,
    ENTRY_FOLDERS,
    MEDIA_TYPES,
    Refused,
    bundle_of,
    checked_path,
    cms_name,
    data_file,
    disk_name,
    is_bundle_folder,
    is_picture_path,
    list_file,
    media_path,
    shown_data,
    stored_data,
)

MAX_MEDIA = 20_000_000  # bytes of one picture added in the browser
ENTRY_FILES = (*ENTRY_FOLDERS, DATA_FOLDER)
KINDS = {f"content/{folder}": kind for folder, (kind, _meta) in sources.SECTIONS.items()}


@dataclass(frozen=True)
class Answer:
    """An HTTP status and the JSON value to send."""

    status: int
    body: Any


class NoBodies:
    """A body store that keeps nothing: validating an entry needs its HTML checked, not stored."""

    def put(self, html: str) -> tuple:
        """Nowhere."""
        return ("", "", 0, 0)


class Backend:
    """The actions of the local-backend protocol over one site's files."""

    def __init__(self, root: Path, config: Config):
        self.root = root
        self.config = config
        self.default = config.default_language
        self.langs = list(config.languages)

    def answer(self, request: Any) -> Answer:
        """One request's answer; a refusal is a 422 with the message the CMS shows."""
        if not isinstance(request, dict) or not isinstance(request.get("action"), str):
            return Answer(422, {"error": "a request is {\"action\": ..., \"params\": {...}}"})
        params = request.get("params") if isinstance(request.get("params"), dict) else {}
        action = ACTIONS.get(request["action"])
        if action is None:
            return Answer(422, {"error": f"Unknown action {request['action']}"})
        try:
            return Answer(200, action(self, params))
        except Refused as refused:
            return Answer(422, {"error": str(refused)})
        except OSError as exc:  # a disk that fails while reading, a file gone meanwhile...
            return Answer(500, {"error": f"{exc.filename or 'a file'}: {exc.strerror or exc}"})
        except Exception as exc:  # a bug: one line the CMS shows, never a dropped connection
            return Answer(500, {"error": f"internal error (please report it): {type(exc).__name__}: {exc}"})

    def info(self, params: dict) -> dict:
        """What the CMS asks first: a local file-system backend, publishing at once."""
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def entries_by_folder(self, params: dict) -> list[dict]:
        """Every entry of a folder with the extension asked for: its files (depth 1), or its bundles' index files (depth 2).

        The bundles' collection (path {{slug}}/index) asks for depth 2, where decap-server would list the
        single files too; here it gets the bundles only, so no article is listed by both collections.
        """
        folder = checked_path(self.root, params.get("folder"), ENTRY_FILES)
        extension = str(params.get("extension") or "")
        depth = min(int(params.get("depth") or 1), 2) if str(params.get("depth", 1)).isdigit() else 1
        found = self._files(folder, extension, depth)
        if depth == 2:
            found = [rel for rel in found if bundle_of(rel) is not None]
        return [self._entry(rel) for rel in sorted(found)]

    def _files(self, folder: Path, extension: str, depth: int) -> list[str]:
        """The files under a folder (no hidden name, no link), to a depth, as site paths."""
        if depth <= 0 or not folder.is_dir() or folder.is_symlink():
            return []
        found = []
        for child in folder.iterdir():
            if child.name.startswith(".") or child.is_symlink():
                continue
            if child.is_dir():
                found += self._files(child, extension, depth - 1)
            elif child.is_file() and child.name.endswith(extension):
                found.append(child.relative_to(self.root).as_posix())
        return found

    def entries_by_files(self, params: dict) -> list[dict]:
        """The entries named (data null for a file that does not exist)."""
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused("entriesByFiles takes a list of files")
        return [self._entry(disk_name(item.get("path") if isinstance(item, dict) else item, self.default)) for item in files]

    def get_entry(self, params: dict) -> dict:
        """One entry."""
        return self._entry(disk_name(params.get("path"), self.default))

    def _entry(self, rel: Any) -> dict:
        """An entry as the CMS reads it: its text (as the CMS sees it), its CMS path and an id."""
        path = checked_path(self.root, rel, ENTRY_FILES)
        shown = cms_name(rel, self.langs, self.default)
        try:
            raw = path.read_bytes()
        except OSError:
            return {"data": None, "file": {"path": shown, "id": None}}
        text = raw.decode("utf-8", errors="replace")
        name = list_file(rel)
        if name is not None:
            text = self._shown(name, rel, raw, text)
        return {"data": text, "file": {"path": shown, "id": hashlib.sha256(raw).hexdigest()}}

    def _shown(self, name: str, rel: str, raw: bytes, text: str) -> str:
        """A list data file as the CMS edits it; Refused with the build's messages when it cannot be read."""
        try:
            return shown_data(name, text, self.langs)
        except yaml.YAMLError:
            problems = [str(problem) for problem in self.problems(rel, raw) if problem.is_error]
            raise Refused("\n".join(problems) or f"{rel}: not valid YAML") from None

    def persist_entry(self, params: dict) -> dict:
        """Validate every file of an entry (each language's), then write its pictures and the files."""
        files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        if not files or not all(isinstance(item, dict) and isinstance(item.get("raw"), str) for item in files):
            raise Refused("persistEntry takes the entry's files")
        if any(item.get("newPath") and item.get("newPath") != item.get("path") for item in files):
            raise Refused("renaming an entry is not possible in the browser: make a new one, and list the old address under 'aliases'")
        writes = [self._checked_entry(item["path"], item["raw"]) for item in files if not self._untranslated(item)]
        pictures = [self._checked_media(asset) for asset in params.get("assets") or []]
        for path, data in [*pictures, *[(path, data) for path, data in writes if not same_text(path, data)]]:
            self._write(path, data)
        return {"message": "entry persisted"}

    def _write(self, path: Path, data: bytes) -> None:
        """Write one file in one move; Refused, naming it, when the system refuses."""
        try:
            write_atomically(path, data)
        except OSError as exc:
            raise Refused(f"{path.relative_to(self.root).as_posix()}: cannot be written: {exc.strerror or exc} "
                          "(check that it is a file, that the folder may be written and that the disk has room)") from None

    def _untranslated(self, item: dict) -> bool:
        """True for the empty file Decap sends for a language left blank: no translation, nothing to write."""
        path = str(item.get("path"))
        others = [lang for lang in self.langs if lang != self.default]
        return not item["raw"].strip() and any(path.endswith(f".{lang}.md") for lang in others)

    def _checked_entry(self, cms_path: Any, raw: str) -> tuple[Path, bytes]:
        """The file to write and its bytes, after the build's checks; Refused with the build's messages."""
        rel = disk_name(cms_path, self.default)
        path = checked_path(self.root, rel, ENTRY_FILES)
        name = data_file(rel)
        data = (stored_data(name, raw) if name else raw).encode("utf-8")
        if rel.endswith(".md") and len(data) > sources.MAX_BYTES:
            raise Refused(f"{rel}: error: the file is {len(data) / 1e6:.1f} MB, more than the {sources.MAX_BYTES // 1_000_000} MB an article may have"
                          " (split it, or link large documents instead of pasting them)")
        problems = self.problems(rel, data)
        errors = [str(problem) for problem in problems if problem.is_error]
        if errors:
            raise Refused("\n".join(errors))
        return path, data

    def problems(self, rel: str, data: bytes) -> Problems:
        """What the build finds in these bytes at this path (the file's own checks)."""
        found = Problems()
        folder = rel.rsplit("/", 1)[0]
        bundle = bundle_of(rel)
        if rel.endswith(".md") and folder in KINDS:
            sources._parse(data, self.root, rel, None, KINDS[folder], self.config, NoBodies(), found)
        elif bundle is not None and bundle.rsplit("/", 1)[0] in KINDS:
            sources._parse(data, self.root, rel, bundle, KINDS[bundle.rsplit("/", 1)[0]], self.config, NoBodies(), found)
        elif folder == DATA_FOLDER and rel.endswith(".yaml") and rel[len(DATA_FOLDER) + 1 : -len(".yaml")] in DATA_FILES:
            datafiles._parse(data, rel[len(DATA_FOLDER) + 1 : -len(".yaml")], rel, self.config, found)
        else:
            raise Refused(f"{rel}: the browser editor writes articles and pages (.md) and the data files, nothing else")
        return found

    def _checked_media(self, asset: Any) -> tuple[Path, bytes]:
        """A picture to write: a path in the media folder and its decoded bytes."""
        if not isinstance(asset, dict) or asset.get("encoding") != "base64" or not isinstance(asset.get("content"), str):
            raise Refused("a picture is sent as base64")
        path = media_path(self.root, asset.get("path"))
        try:
            data = base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise Refused(f"{asset.get('path')}: the picture's content is not valid base64") from None
        if len(data) > MAX_MEDIA:
            raise Refused(f"{asset.get('path')}: the picture is {len(data) / 1e6:.1f} MB, more than {MAX_MEDIA // 1_000_000} MB")
        return path, data

    def get_media(self, params: dict) -> list[dict]:
        """The pictures of the media folder, or of a bundle's folder (its entry's media)."""
        rel = params.get("mediaFolder") or MEDIA_FOLDER
        folder = checked_path(self.root, rel, ENTRY_FOLDERS if is_bundle_folder(rel) else (MEDIA_FOLDER,))
        pictures = [path for path in self._pictures(folder) if path.suffix.lower() in MEDIA_TYPES]
        return [self._media(path.relative_to(self.root).as_posix()) for path in sorted(pictures)]

    def _pictures(self, folder: Path) -> list[Path]:
        """The pictures directly in a folder (no link, no hidden name)."""
        if not folder.is_dir():
            return []
        return [child for child in folder.iterdir() if child.is_file() and not child.is_symlink() and not child.name.startswith(".")]

    def get_media_file(self, params: dict) -> dict:
        """One picture."""
        return self._media(params.get("path"))

    def _media(self, rel: Any) -> dict:
        """A picture as the CMS reads it: base64, with an id."""
        path = media_path(self.root, rel)
        try:
            data = path.read_bytes()
        except OSError:
            raise Refused(f"{rel}: no such picture") from None
        return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode(), "encoding": "base64",
                "path": rel, "name": path.name}

    def persist_media(self, params: dict) -> dict:
        """Add a picture to the media folder."""
        path, data = self._checked_media(params.get("asset"))
        self._write(path, data)
        return self._media(path.relative_to(self.root).as_posix())

    def delete_file(self, params: dict) -> dict:
        """Delete an entry's file or a picture."""
        self._delete(params.get("path"))
        return {"message": f"deleted file {params.get('path')}"}

    def delete_files(self, params: dict) -> dict:
        """Delete several files (each language's file of an entry)."""
        paths = params.get("paths")
        if not isinstance(paths, list):
            raise Refused("deleteFiles takes a list of paths")
        for rel in paths:
            self._delete(rel)
        return {"message": f"deleted files {', '.join(map(str, paths))}"}

    def _delete(self, cms_path: Any) -> None:
        """Remove one article, page or picture (a data file stays: the build needs it)."""
        rel = disk_name(cms_path, self.default)
        path = media_path(self.root, rel) if is_picture_path(rel) else checked_path(self.root, rel, ENTRY_FOLDERS)
        if path.is_symlink() or path.is_dir():
            raise Refused(f"{rel}: not a file the browser editor may delete")
        with suppress(FileNotFoundError):  # already gone: what the editor asked for
            os.unlink(path)

    def deploy_preview(self, params: dict) -> None:
        """No deploy previews here: the preview server is the preview."""
        return None


def same_text(path: Path, data: bytes) -> bool:
    """True when an article's file already says the same (front matter values and body), however it is written.

    Decap sends every language's file on each save, its front matter written its own way: a
    translation left untouched keeps its bytes, so its history (and the report of outdated
    translations, which reads it) shows no change it did not have.
    """
    if path.suffix != ".md":
        return False
    try:
        old = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return _meaning(old) is not None and _meaning(old) == _meaning(data.decode("utf-8"))


def _meaning(text: str) -> tuple | None:
    """An article's front matter values and body, or None when it cannot be read."""
    parts = sources.split_front_matter(text, "", Problems())
    if parts is None:
        return None
    try:
        return yaml.safe_load(parts[0]), parts[2].strip()
    except yaml.YAMLError:
        return None


ACTIONS = {
    "info": Backend.info,
    "entriesByFolder": Backend.entries_by_folder,
    "entriesByFiles": Backend.entries_by_files,
    "getEntry": Backend.get_entry,
    "persistEntry": Backend.persist_entry,
    "getMedia": Backend.get_media,
    "getMediaFile": Backend.get_media_file,
    "persistMedia": Backend.persist_media,
    "deleteFile": Backend.delete_file,
    "deleteFiles": Backend.delete_files,
    "getDeployPreview": Backend.deploy_preview,
}
