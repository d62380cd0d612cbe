"""The YAML data files (partners, platforms, milestones, key figures, funding), each entry validated on its own.

("data", name) reads and validates one file: an invalid entry is reported and left out, the
others are kept, and the ids of entries that failed for another reason are still known, so an
article naming them gets no second, false error. Pages read entries field by field
(("field", name, id, field) through `Entry`), so an edit to one partner's location changes
only the pages that show its location.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from ..graph.core import Graph, Rule
from ..graph.inputs import read_input, tree, unread_problem
from ..problems import Problem, Problems
from .config import Config
from .schemas import DATA_FILES, MAX_ENTRIES, OPTIONAL_DATA, Accessibility, Funding
from .validation import _data_loc, adapter, describe, near_miss, validate
from .yamlio import YamlData, decode_text, parse_yaml

LISTS = ("partners", "platforms", "milestones", "figures")  # files that are lists of entries
MAX_DATA_BYTES = 1_000_000  # what one data file may hold (a 50 MB description was accepted, and shown on several pages)


@dataclass(frozen=True)
class DataFile:
    """One data file: its valid entries (or its value, for funding), their lines, and every id it names."""

    shown: str
    value: Any  # a tuple of entries, or the funding model, or None when the file could not be read
    lines: YamlData | None
    known: tuple[str, ...] | None  # every id written in the file, valid entry or not (None: unreadable)


def data_path(name: str) -> str:
    """Where a data file is."""
    return f"content/data/{name}.yaml"


def read_data_file(graph: Graph, name: str) -> DataFile:
    """One data file read and validated, entry by entry for lists."""
    shown = data_path(name)
    config: Config | None = graph.get(("config",))
    raw = read_input(graph, graph.resources["root"], shown)
    found = Problems()
    refused = unread_problem(graph.resources["root"], shown) if raw is None else None
    if refused is not None:
        graph.problem(refused)
        return DataFile(shown, None, None, None)
    result = _parse(raw, name, shown, config, found)
    for problem in found:
        graph.problem(problem)
    return result


def _parse(raw: bytes | None, name: str, shown: str, config: Config | None, problems: Problems) -> DataFile:
    """Decode, parse and validate a data file's bytes."""
    empty = DataFile(shown, None, None, None)
    if raw is None and name in OPTIONAL_DATA:
        return DataFile(shown, None, None, ())
    if raw is None:
        problems.error(shown, 0, "the data file is missing", "create it; see the README's data file tables")
        return empty
    if len(raw) > MAX_DATA_BYTES:
        problems.error(shown, 0, f"the data file is {len(raw) / 1e6:.1f} MB, more than the {MAX_DATA_BYTES // 1_000_000} MB a data file may have",
                       "data files hold short texts: put long ones in articles or pages")
        return empty
    text = decode_text(raw, problems, shown)
    if text is None:
        return empty
    if not text.strip():
        problems.error(shown, 1, "the data file is empty", "see the README for the fields this file takes")
        return empty
    doc = parse_yaml(text, shown, problems)
    if doc is None:
        return empty
    if name not in LISTS:
        value = validate(DATA_FILES[name], doc, shown, problems)
        if isinstance(value, Funding):
            _duplicate_ids(doc, ("sources",), [s.model_dump() for s in value.sources], shown, problems)
            _duplicate_ids(doc, ("allocations",), [a.model_dump() for a in value.allocations], shown, problems)
        placed = [((), value)] if value is not None else []
        _missing_languages(placed, doc, shown, config, problems)
        return DataFile(shown, value, doc, None if value is None else ())
    if not isinstance(doc.data, list) or len(doc.data) > MAX_ENTRIES:
        validate(DATA_FILES[name], doc, shown, problems)  # says what the file should be, or how many entries it may have
        return DataFile(shown, None, doc, None)
    placed = _entries(name, doc, shown, problems)
    _duplicate_ids(doc, (), doc.data, shown, problems)
    _missing_languages([((i,), entry) for i, entry in placed], doc, shown, config, problems)
    known = tuple(item["id"] for item in doc.data if isinstance(item, dict) and isinstance(item.get("id"), str))
    return DataFile(shown, tuple(entry for _, entry in placed), doc, known)


def _entries(name: str, doc: YamlData, shown: str, problems: Problems) -> list[tuple[int, Any]]:
    """Each entry of a list file validated on its own: (its index, the entry) for the valid ones."""
    kind = DATA_FILES[name]
    item_type = _item_type(kind)
    valid = []
    for i, item in enumerate(doc.data):
        try:
            valid.append((i, adapter(item_type).validate_python(item)))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                err = {**err, "loc": (i, *err["loc"])}
                message, hint = describe(err, kind)
                problems.error(shown, doc.line(_data_loc(err["loc"])), f"entry {i + 1}: {message}", hint)
    return valid


def _item_type(kind: Any) -> Any:
    """The type of one entry of a list file's type (list[X], or Annotated[list[X], ...])."""
    while get_origin(kind) is not list:
        kind = get_args(kind)[0]
    return get_args(kind)[0]


def _duplicate_ids(doc: YamlData, group: tuple, items: list, shown: str, problems: Problems) -> None:
    """Two entries with one id: an error at the second, naming the first's line."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        line = doc.line((*group, i, "id"))
        if ident in seen:
            problems.error(shown, line, f"duplicate id '{ident}' (first used at line {seen[ident]})", "every id must be unique")
        else:
            seen[ident] = line


def _missing_languages(placed: list[tuple[tuple, Any]], doc: YamlData, shown: str, config: Config | None, problems: Problems) -> None:
    """A per-language text without one of the site's languages is a warning."""
    if config is None:
        return
    for where, value in placed:
        for loc, text in _texts(value, where):
            for lang in config.langs:
                if not (text.get(lang) or "").strip():
                    name = config.languages[lang].name
                    problems.warning(shown, doc.line(loc), f"{_loc_name(loc)} has no {name} text ('{lang}')", f"add '{lang}: ...' under it")


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


def report_unknown_id(pid: str, known: list[str], what: str, shown: str, line: int, problems: Problems) -> None:
    """An error for an id that is not in the data file, with a 'did you mean' (ids are lowercase: 'AMU' means 'amu')."""
    if pid in known:
        return
    if pid.lower() in known:
        hint = f"ids are lowercase: write '{pid.lower()}'"
    else:
        close = near_miss(pid, known)
        hint = f"did you mean '{close}'?" if close else f"add it to {what}s.yaml first"
    problems.error(shown, line, f"unknown {what} id '{pid}'", hint)


def _ids(graph: Graph, name: str) -> tuple[str, ...]:
    """The ids of a file's valid entries, in order."""
    value = graph.get(("data", name)).value
    return tuple(entry.id for entry in value) if value else ()


def _known(graph: Graph, name: str) -> tuple[str, ...] | None:
    """Every id a file names (valid entry or not); None when the file could not be read at all."""
    return graph.get(("data", name)).known


def _entry(graph: Graph, name: str, ident: str) -> Any:
    """The valid entry with this id (None when there is none)."""
    value = graph.get(("data", name)).value or ()
    return next((entry for entry in value if entry.id == ident), None)


NO_FIELD = ("no such field",)  # what ("field", ...) is for a field the entry's kind does not have


def _field(graph: Graph, name: str, ident: str, field: str) -> Any:
    """One field of an entry (NO_FIELD when its kind has no such field)."""
    entry = graph.get(("entry", name, ident))
    if entry is None:
        return None
    return getattr(entry, field) if field in type(entry).model_fields else NO_FIELD


def _whole(graph: Graph, name: str) -> Any:
    """A file read whole (milestones, figures, funding): its value, empty when it failed."""
    value = graph.get(("data", name)).value
    return value if value is not None else (() if name in LISTS else None)


def _check_data(graph: Graph) -> None:
    """Cross-file checks: the partner ids platforms and the funding programme name, and stray data files."""
    known = graph.get(("known", "partners"))
    platforms: DataFile = graph.get(("data", "platforms"))
    if known is not None and platforms.value:
        for platform in platforms.value:
            for j, pid in enumerate(platform.partners):
                _unknown(pid, known, "partner", platforms.shown, entry_line(platforms, platform.id, ("partners", j)), graph)
    funding: DataFile = graph.get(("data", "funding"))
    if known is not None and isinstance(funding.value, Funding) and funding.value.programme.operator:
        _unknown(funding.value.programme.operator, known, "partner", funding.shown, funding.lines.line(("programme", "operator")), graph)
    for rel, _kind in tree(graph, "content"):  # a data file the build does not read is probably misnamed
        parts = rel.split("/")
        stem, _, suffix = parts[-1].rpartition(".")
        if len(parts) == 3 and parts[1] == "data" and suffix in ("yaml", "yml") and stem not in DATA_FILES:
            close = difflib.get_close_matches(stem, list(DATA_FILES), n=1)
            hint = f"did you mean {close[0]}.yaml?" if close else f"data files are {', '.join(f + '.yaml' for f in DATA_FILES)}"
            graph.problem(Problem(rel, 0, "warning", "this data file is not used by the site", hint))


AUDIT_YEARS = 3  # how long an RGAA audit stands


def _check_statement(graph: Graph) -> None:
    """The accessibility statement's record: there when a page uses it, and its audit not too old."""
    data: DataFile = graph.get(("data", "accessibility"))
    config: Config | None = graph.get(("config",))
    if data.lines is None and data.known == () and config is not None:
        users = [graph.get(("by-layout", lang, "accessibility")) for lang in config.langs]
        user = next((shown for shown in users if shown), None)
        if user:
            graph.problem(Problem(data.shown, 0, "error", f"the data file is missing, and {user} (layout: accessibility) is written from it",
                                  "create it; see 'The accessibility statement' in the README"))
    audit = data.value.audit if isinstance(data.value, Accessibility) else None
    if audit is not None:
        day = audit.date
        expiry = datetime.combine(day.replace(year=day.year + AUDIT_YEARS) if (day.month, day.day) != (2, 29) else date(day.year + AUDIT_YEARS, 3, 1),
                                  time(), ZoneInfo(config.timezone if config else "Europe/Paris")).timestamp()
        if graph.reached(expiry):
            graph.problem(Problem(data.shown, data.lines.line(("audit", "date")), "warning",
                                  f"the audit of {day.isoformat()} is more than {AUDIT_YEARS} years old",
                                  "an RGAA audit stands for three years: record the new audit here, or remove 'audit' "
                                  "(the statement then says the site is not yet audited)"))


def entry_line(data: DataFile, ident: str, loc: tuple) -> int:
    """The line of a location inside the entry with this id."""
    index = next(i for i, item in enumerate(data.lines.data or []) if isinstance(item, dict) and item.get("id") == ident) \
        if data.lines.data else None
    return data.lines.line((index, *loc)) if index is not None else 0


def _unknown(pid: str, known: tuple[str, ...], what: str, shown: str, line: int, graph: Graph) -> None:
    """An unknown id as a problem of the node being computed."""
    found = Problems()
    report_unknown_id(pid, list(known), what, shown, line, found)
    for problem in found:
        graph.problem(problem)


class Entry:
    """A data entry as pages see it: each field read through the graph, so a page depends on the fields it shows."""

    __slots__ = ("_graph", "_name", "id")

    def __init__(self, graph: Graph, name: str, ident: str):
        self._graph, self._name, self.id = graph, name, ident

    def __getattr__(self, field: str) -> Any:
        """One field of the entry."""
        if field.startswith("_"):
            raise AttributeError(field)
        value = self._graph.get(("field", self._name, self.id, field))
        if value == NO_FIELD:
            raise AttributeError(field)
        return value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and (other._name, other.id) == (self._name, self.id)

    def __hash__(self) -> int:
        return hash((self._name, self.id))

    def __repr__(self) -> str:
        return f"Entry({self._name!r}, {self.id!r})"


RULES = (
    Rule("data", 2, read_data_file),
    Rule("ids", 3, _ids),
    Rule("known", 3, _known),
    Rule("entry", 3, _entry, stored=False),
    Rule("field", 4, _field, stored=False),
    Rule("whole", 3, _whole),
    Rule("data-check", 4, _check_data),
    Rule("statement-check", 8, _check_statement),  # reads which page has the accessibility layout
)
