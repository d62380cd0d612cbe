"""Reading the YAML data files: partners, platforms, milestones, key figures and funding."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..problems import Problems
from .config import Config
from .paths import shown as shown_path
from .schemas import DATA_FILES, Figure, Funding, Milestone, Partner, Platform
from .validation import validate
from .yamlio import YamlData, decode_text, parse_yaml

MAX_DATA_BYTES = 1_000_000  # what one data file may hold (a 50 MB description was accepted, and shown on several pages)


@dataclass(frozen=True)
class Data:
    """All data files, validated."""

    partners: tuple[Partner, ...]
    platforms: tuple[Platform, ...]
    milestones: tuple[Milestone, ...]
    figures: tuple[Figure, ...]
    funding: Funding | None
    failed: frozenset[str] = frozenset()

    @cached_property
    def _by_id(self) -> dict[tuple[str, str], Partner | Platform]:
        """Partners and platforms by id."""
        return {("partner", p.id): p for p in self.partners} | {("platform", p.id): p for p in self.platforms}

    def partner(self, pid: str) -> Partner:
        """The partner with this id."""
        return self._by_id[("partner", pid)]

    def platform(self, pid: str) -> Platform:
        """The platform with this id."""
        return self._by_id[("platform", pid)]


@dataclass
class DataFile:
    """One data file's validated value and the lines of its YAML."""

    shown: str
    value: Any
    lines: YamlData


def read_data(data_dir: Path, config: Config, problems: Problems, root: Path, cache=None) -> tuple[Data, dict[str, DataFile]]:
    """Read and check every data file; missing ones are errors."""
    files: dict[str, DataFile] = {}
    for name, kind in DATA_FILES.items():
        loaded = _read_one(data_dir / f"{name}.yaml", kind, problems, root, cache)
        if loaded:
            files[name] = loaded
            _check_duplicate_ids(loaded, problems)
            _warn_missing_languages(loaded, config, problems)
    _check_unknown_files(data_dir, problems, root)
    data = Data(
        partners=tuple(_value(files, "partners", [])),
        platforms=tuple(_value(files, "platforms", [])),
        milestones=tuple(_value(files, "milestones", [])),
        figures=tuple(_value(files, "figures", [])),
        funding=_value(files, "funding", None),
        failed=frozenset(set(DATA_FILES) - set(files)),
    )
    _check_data_references(data, files, problems)
    return data, files


def _value(files: dict[str, DataFile], name: str, default: Any) -> Any:
    """A data file's value, or a default when it failed."""
    return files[name].value if name in files else default


def _read_one(path: Path, kind: Any, problems: Problems, root: Path, cache=None) -> DataFile | None:
    """Read and validate one data file (the cache spares parsing unchanged bytes)."""
    shown = shown_path(path, root)
    if not path.is_file():
        problems.error(shown, 0, "the data file is missing", "create it; see the README's data file tables")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            problems.error(shown, 0, f"the data file is {size / 1e6:.1f} MB, more than the {MAX_DATA_BYTES // 1_000_000} MB a data file may have",
                           "data files hold short texts: put long ones in articles or pages")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(shown, 0, f"cannot read the file: {exc.strerror or exc}")
        return None
    if cache is None:
        return _parse_one(raw, kind, shown, problems)
    return cache.remember(f"data:{shown}", raw, lambda found: _parse_one(raw, kind, shown, found), problems)


def _parse_one(raw: bytes, kind: Any, shown: str, problems: Problems) -> DataFile | None:
    """Decode, parse and validate a data file's bytes."""
    text = decode_text(raw, problems, shown)
    if text is None:
        return None
    if not text.strip():
        problems.error(shown, 1, "the data file is empty", "see the README for the fields this file takes")
        return None
    doc = parse_yaml(text, shown, problems)
    if doc is None:
        return None
    value = validate(kind, doc, shown, problems)
    return DataFile(shown, value, doc) if value is not None else None


def _check_unknown_files(data_dir: Path, problems: Problems, root: Path) -> None:
    """A data file the build does not read is probably misnamed."""
    if not data_dir.is_dir():
        return
    for path in sorted(data_dir.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.stem not in DATA_FILES:
            close = difflib.get_close_matches(path.stem, list(DATA_FILES), n=1)
            hint = f"did you mean {close[0]}.yaml?" if close else f"data files are {', '.join(f + '.yaml' for f in DATA_FILES)}"
            problems.warning(str(path.relative_to(root)), 0, "this data file is not used by the site", hint)


def _check_duplicate_ids(loaded: DataFile, problems: Problems) -> None:
    """Two entries with one id is an error naming both lines."""
    items = loaded.value if isinstance(loaded.value, list) else []
    if isinstance(loaded.value, Funding):
        _check_ids(loaded, "sources", loaded.value.sources, problems)
        _check_ids(loaded, "allocations", loaded.value.allocations, problems)
    elif items and hasattr(items[0], "id"):
        _check_ids(loaded, None, items, problems)


def _check_ids(loaded: DataFile, group: str | None, items: list, problems: Problems) -> None:
    """Report repeated ids within one list."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        loc = ((group,) if group else ()) + (i, "id")
        line = loaded.lines.line(loc)
        if item.id in seen:
            problems.error(loaded.shown, line, f"duplicate id '{item.id}' (first used at line {seen[item.id]})", "every id must be unique")
        else:
            seen[item.id] = line


def _check_data_references(data: Data, files: dict[str, DataFile], problems: Problems) -> None:
    """Partner ids named by platforms and by the funding programme must exist."""
    known = [p.id for p in data.partners]
    if "platforms" in files:
        for i, platform in enumerate(data.platforms):
            for j, pid in enumerate(platform.partners):
                report_unknown_id(pid, known, "partner", files["platforms"].shown, files["platforms"].lines.line((i, "partners", j)), problems)
    if data.funding and data.funding.programme.operator:
        report_unknown_id(data.funding.programme.operator, known, "partner", files["funding"].shown, files["funding"].lines.line(("programme", "operator")), problems)


def report_unknown_id(pid: str, known: list[str], what: str, shown: str, line: int, problems: Problems) -> None:
    """An error for an id that is not in the data file, with a 'did you mean'."""
    if pid in known:
        return
    close = difflib.get_close_matches(pid, known, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"add it to {what}s.yaml first"
    problems.error(shown, line, f"unknown {what} id '{pid}'", hint)


def _warn_missing_languages(loaded: DataFile, config: Config, problems: Problems) -> None:
    """A per-language text without one of the site's languages is a warning."""
    for loc, text in _texts(loaded.value, ()):
        missing = [lang for lang in config.langs if not (text.get(lang) or "").strip()]
        for lang in missing:
            name = config.languages[lang].name
            problems.warning(loaded.shown, loaded.lines.line(loc), f"{_loc_name(loc)} has no {name} text ('{lang}')", f"add '{lang}: ...' under it")


def _texts(value: Any, loc: tuple) -> list[tuple[tuple, dict]]:
    """Every per-language text map inside a validated value, with its location."""
    if isinstance(value, BaseModel):
        found = []
        for name in type(value).model_fields:
            found += _texts(getattr(value, name), loc + (name,))
        return found
    if isinstance(value, (list, tuple)):
        return [item for i, v in enumerate(value) for item in _texts(v, loc + (i,))]
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return [(loc, value)]
    return []


def _loc_name(loc: tuple) -> str:
    """A location as "entry 3: 'description'"."""
    prefix = f"entry {loc[0] + 1}: " if loc and isinstance(loc[0], int) else ""
    rest = loc[1:] if prefix else loc
    name = ".".join(f"[{p + 1}]" if isinstance(p, int) else str(p) for p in rest).replace(".[", "[")
    return f"{prefix}'{name}'"
