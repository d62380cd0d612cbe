"""Check parsed YAML against a schema and turn every failure into an editor-readable problem."""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..problems import Problems
from .schemas import BASE_URL_PATTERN, HOST_PATTERN
from .yamlio import YamlData

ADDRESS_FIELDS = frozenset({"slug", "tags", "aliases", "id"})  # the fields a page's address is made from


@cache
def adapter(kind: Any) -> TypeAdapter:
    """One cached TypeAdapter per schema."""
    return TypeAdapter(kind)


def validate(kind: Any, doc: YamlData, shown: str, problems: Problems) -> Any | None:
    """The validated value, or None after recording every problem found."""
    try:
        return adapter(kind).validate_python(doc.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = _data_loc(err["loc"])
            message, hint = describe(err, kind)
            if loc and isinstance(loc[0], int):
                message = f"entry {loc[0] + 1}: {message}"
            if err["type"] == "too_long" and isinstance(err.get("input"), list):
                loc += (err["ctx"]["max_length"],)  # at the first item over the limit
            problems.error(shown, doc.line(loc), message, hint)
        return None


def _data_loc(loc: tuple) -> tuple:
    """Drop the union-branch labels pydantic adds to a location."""
    return tuple(part for part in loc if not (isinstance(part, str) and ("[" in part or part in ("str", "dict"))))


def field_name(loc: tuple) -> str:
    """A location as editors read it: `partners[2].type` style, 1-based entries."""
    out = ""
    loc = _data_loc(loc)
    if loc and isinstance(loc[0], int):
        loc = loc[1:]
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def describe(err: dict, kind: Any) -> tuple[str, str]:
    """A message and a hint for one pydantic error."""
    name = field_name(err["loc"])
    kind_of = err["type"]
    given = err.get("input")
    shown = _excerpt(given)
    if kind_of == "missing":
        return f"missing required field '{name}'", f"add a line '{name.split('.')[-1]}: ...'"
    if kind_of == "extra_forbidden":
        return f"unknown field '{name}'", _did_you_mean(err["loc"][-1], _known_fields(kind, err["loc"]))
    if kind_of == "literal_error":
        allowed = err["ctx"]["expected"].replace("'", "")
        hint = _did_you_mean(str(given), [a.strip() for a in allowed.replace(" or ", ",").split(",")])
        return f"'{name}' must be one of {allowed}, got {shown!r}", hint
    if kind_of == "string_pattern_mismatch":
        return f"'{name}' has an invalid value {shown!r}", _pattern_hint(err["ctx"]["pattern"], given)
    if kind_of == "too_long" and isinstance(given, list):
        limit, items = err["ctx"]["max_length"], "entries" if name == "the file" or name.endswith(("sources", "allocations")) else "items"
        return f"{_capital(name)} has {len(given)} {items}, more than the {limit} allowed", f"keep at most {limit}: each one is shown on many pages"
    if kind_of == "too_long" and isinstance(given, dict):
        return f"'{name}' has {len(given)} languages, more than the {err['ctx']['max_length']} allowed", ""
    if kind_of == "string_too_long":
        limit = err["ctx"]["max_length"]
        length = err["ctx"].get("length", len(given) if isinstance(given, str) else 0)
        where = "it becomes part of a page's address" if name.rpartition(".")[2].split("[")[0] in ADDRESS_FIELDS else "long texts belong in an article's body"
        return f"'{name}' is {length} characters long, more than the {limit} allowed", f"shorten it: {where}"
    if kind_of in ("less_than_equal", "greater_than_equal", "greater_than"):
        bound = next(iter(err["ctx"].values()))
        words = {"less_than_equal": "at most", "greater_than_equal": "at least", "greater_than": "more than"}[kind_of]
        return f"'{name}' must be {words} {bound}, got {shown!r}", ""
    if kind_of == "too_short" and isinstance(given, list):
        least = err["ctx"]["min_length"]
        return f"'{name}' needs at least {least} {'entry' if least == 1 else 'entries'}, got none", "write it as [first, second]"
    if kind_of == "list_type":
        return f"'{name}' must be a list, got {_type_name(given)}", "write it as [first, second] or as lines starting with '- '"
    if kind_of in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{name}' must be a mapping of keys to values, got {_type_name(given)}", ""
    if kind_of == "bool_type" or kind_of == "bool_parsing":
        return f"'{name}' must be true or false, got {shown!r}", ""
    if kind_of.startswith(("int_", "float_")):
        return f"'{name}' must be a number, got {shown!r}", "write digits only, like 97000000"
    if kind_of in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"'{name}' must be a date like 2024-01-15, got {shown!r}", ""
    if kind_of == "string_type":
        return f"'{name}' must be text, got {_type_name(given)}", "write one value, without [ ]" if isinstance(given, list) else "put the value in quotes"
    if kind_of == "value_error":
        text = str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
        if name == "the file":
            return text, ""
        return f"'{name}' {text}" if text.startswith("must") else f"{name}: {text}", ""
    return f"'{name}': {err['msg']}", ""


def _capital(name: str) -> str:
    """'the file', or a field name quoted."""
    return name if name == "the file" else f"'{name}'"


EXCERPT = 60  # the most of an editor's value a message quotes


def _excerpt(value: Any) -> Any:
    """A text cut to its first EXCERPT characters (a message never quotes a whole file); other values as they are."""
    return value[:EXCERPT] + "…" if isinstance(value, str) and len(value) > EXCERPT else value


def _type_name(value: Any) -> str:
    """How an editor would call a YAML value's type."""
    if isinstance(value, str):
        return f"the text {_excerpt(value)!r}"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


def _pattern_hint(pattern: str, given: Any = None) -> str:
    """Explain the patterns the schemas use (an id written in capitals: the same in lowercase)."""
    if pattern.startswith("^[a-z0-9]+(-"):
        if isinstance(given, str) and re.fullmatch(pattern, given.lower()):
            return f"ids and slugs are lowercase: write '{given.lower()}'"
        return "use lowercase letters, digits and hyphens, like 'institut-paoli-calmettes'"
    if pattern == BASE_URL_PATTERN:
        return "write the address like https://example.org/ or https://example.org/portal/: letters, digits, '.', '-', '_', '~' and '/' only"
    if pattern == HOST_PATTERN:
        return "write a host name only, like www.youtube-nocookie.com"
    if "mailto" in pattern:
        return "write a full address starting with https://, or mailto: and an e-mail address"
    if "https?" in pattern:
        return "write a full address starting with https://"
    return f"expected the form {pattern}"


def near_miss(word: str, known: list[str]) -> str | None:
    """The known word this one is probably a typo of: one edit away (two for words of four letters or more).

    An edit is a letter added, removed, changed, or two neighbours swapped: 'sumary' is 'summary' and
    'alfa' is 'alpha', but 'subtitle' is not 'title' (three letters apart).
    """
    allowed = 1 if len(word) <= 3 else 2
    found = [(distance, candidate) for candidate in known if (distance := _edits(word.lower(), candidate.lower(), allowed)) <= allowed]
    return min(found)[1] if found else None


def _edits(a: str, b: str, limit: int) -> int:
    """The number of edits from a to b (optimal string alignment), or limit + 1 when that is more than limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, row = row, current
    return min(row[-1], limit + 1)


def _did_you_mean(word: Any, known: list[str]) -> str:
    """'did you mean ...?' when a close known word exists."""
    close = near_miss(str(word), known)
    return f"did you mean '{close}'?" if close else (f"known: {', '.join(known)}" if known else "")


def _known_fields(kind: Any, loc: tuple) -> list[str]:
    """The field names of the model at `loc`, for hints."""
    model = _model_at(kind, _data_loc(loc)[:-1])
    return list(model.model_fields) if model else []


def _model_at(kind: Any, loc: tuple) -> type[BaseModel] | None:
    """Walk a schema type along a location to the model found there."""
    for part in loc:
        kind = _unwrapped(kind)
        if isinstance(part, int):
            args = getattr(kind, "__args__", ())
            kind = args[0] if args else None
        elif isinstance(kind, type) and issubclass(kind, BaseModel) and part in kind.model_fields:
            kind = kind.model_fields[part].annotation
        else:
            return None
    kind = _unwrapped(kind)
    if getattr(kind, "__origin__", None) is list:
        kind = _unwrapped(kind.__args__[0])
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def _unwrapped(kind: Any) -> Any:
    """A type without its Annotated metadata (limits such as max_length)."""
    return get_args(kind)[0] if get_origin(kind) is Annotated else kind


def unknown_keys(model: BaseModel) -> list[str]:
    """Keys of a permissive model that the schema does not know."""
    return sorted((model.model_extra or {}).keys())


def known_fields(model_type: type[BaseModel]) -> list[str]:
    """The declared fields of a model."""
    return list(model_type.model_fields)
