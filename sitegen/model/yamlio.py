"""Safe YAML reading that keeps the line of every value and refuses what editors never mean."""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..problems import Problems

# libyaml's loader when PyYAML has it (same nodes, same marks, several times faster).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Control characters: never in a file's text (tab, line feed and carriage return aside), nor in a
# YAML string through an escape such as "\e" or "\u001b" (a line break there is fine).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ESCAPED_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_VALUES = 100_000
MAX_DEPTH = 64
ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}

Loc = tuple[Any, ...]


@dataclass
class YamlData:
    """Plain Python data from a YAML text, with the file line of every location."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def __getstate__(self) -> tuple:
        """Pickled with the line map as one marshal blob, read back only when a line is asked for.

        The cache holds ten thousand of these: their small dicts of tuples took longer to load
        than the rest of the sources, and only error messages and edited files need them.
        """
        try:
            return self.data, marshal.dumps(self.lines)
        except ValueError:  # a key marshal cannot write (a date as a YAML key): pickled as it is
            return self.data, self.lines

    def __setstate__(self, state: tuple) -> None:
        """Keep the blob; `lines` is made from it on first use."""
        self.data, lines = state
        if isinstance(lines, bytes):
            self._packed = lines
        else:
            self.lines = lines

    def __getattr__(self, name: str) -> Any:
        """`lines`, made from the pickled blob."""
        if name != "lines" or "_packed" not in self.__dict__:
            raise AttributeError(name)
        self.lines = marshal.loads(self.__dict__.pop("_packed"))
        return self.lines

    def __digest__(self) -> tuple:
        """What the build graph digests: the data and the lines."""
        return self.data, tuple(self.lines.items())

    def line(self, loc: Loc) -> int:
        """The line of `loc`, or of its closest known parent."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, self.lines.get((), 1))


class _Reject(Exception):
    """Stops the conversion with a message and a line."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def read_text(path: Path, problems: Problems, shown: str) -> str | None:
    """A file's text as UTF-8 with a BOM dropped and line endings made LF."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(shown, 0, f"cannot read the file: {exc.strerror or exc}")
        return None
    return decode_text(raw, problems, shown)


def decode_text(raw: bytes, problems: Problems, shown: str) -> str | None:
    """Bytes as UTF-8 text (BOM dropped, LF line endings); None after a problem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(shown, line, "the file is not UTF-8 text", "save it as UTF-8 in your editor")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        if bad.group() == "\x00":
            problems.error(shown, line, "the file contains a NUL byte", "remove it, or re-save the file as text")
        else:
            problems.error(shown, line, f"the file contains the control character U+{ord(bad.group()):04X}", "delete it: most editors do not show it")
        return None
    return text


def parse_yaml(text: str, shown: str, problems: Problems, first_line: int = 1) -> YamlData | None:
    """Parse one YAML document; on any problem record it and return None."""
    offset = first_line - 1
    try:
        loader = LOADER(text)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        problems.error(shown, line, f"the control character U+{char:04X} cannot be used in YAML", "delete it: most editors do not show it")
        return None
    except yaml.composer.ComposerError as exc:
        if "single document" in str(exc):
            line = exc.problem_mark.line + 1 + offset
            problems.error(shown, line, "several YAML documents in one file", "keep one: remove the '---' line and what should not be there")
            return None
        return _yaml_error(exc, text, shown, problems, offset)
    except yaml.MarkedYAMLError as exc:
        return _yaml_error(exc, text, shown, problems, offset)
    except yaml.YAMLError as exc:
        problems.error(shown, first_line, f"YAML error: {exc}")
        return None
    result = YamlData(None)
    if node is None:
        return result
    try:
        result.data = _convert(loader, node, (), result.lines, [0], offset)
    except _Reject as exc:
        problems.error(shown, exc.line, exc.message, exc.hint)
        return None
    finally:
        loader.dispose()
    result.lines = _without_repeats(result.lines)
    return result


def _without_repeats(lines: dict[Loc, int]) -> dict[Loc, int]:
    """The line map without the entries `YamlData.line` finds anyway on their parent (same line).

    Most values sit on their key's line (`tags: [a, b]`): an article's map shrinks from about 12
    entries to 5, which its parsed copy in the cache and in every helper process pays for.
    """
    full = YamlData(None, lines)
    return {loc: line for loc, line in lines.items() if not loc or full.line(loc[:-1]) != line}


def _line_of(exc: yaml.MarkedYAMLError, text: str) -> str:
    """The line of the text an error points at ('' when unknown)."""
    mark = exc.problem_mark or exc.context_mark
    lines = text.split("\n")
    return lines[mark.line] if mark and 0 <= mark.line < len(lines) else ""


def _yaml_error(exc: yaml.MarkedYAMLError, text: str, shown: str, problems: Problems, offset: int) -> None:
    """Turn PyYAML's error into one problem at the file's real line."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + offset if mark else offset + 1
    what = exc.problem or "invalid YAML"
    if exc.context:
        what = f"{exc.context}, {what}"
    hint = ""
    if "mapping values are not allowed" in what:
        hint = "a value containing ': ' must be put in quotes"
    elif "tab" in what or "\t" in _line_of(exc, text):
        hint = "indent with spaces, not tabs"
    problems.error(shown, line, f"YAML syntax error: {what}", hint)
    return None


def _convert(loader, node: yaml.Node, loc: Loc, lines: dict, count: list, offset: int) -> Any:
    """Build plain data from a node, recording lines, refusing duplicates, tags and blow-ups."""
    line = node.start_mark.line + 1 + offset
    count[0] += 1
    if count[0] > MAX_VALUES:
        raise _Reject(line, f"the YAML expands to more than {MAX_VALUES} values (anchors and aliases?)", "write the values out instead of repeating aliases")
    if len(loc) > MAX_DEPTH:
        raise _Reject(line, f"the YAML is nested more than {MAX_DEPTH} levels deep (a recursive alias?)")
    if node.tag not in ALLOWED_TAGS:
        raise _Reject(line, f"the YAML tag '{node.tag}' is not allowed", "remove the '!' tag: only plain text, numbers, dates, lists and mappings are read")
    lines.setdefault(loc, line)
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(loader, node, loc, lines, count, offset)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, loc + (i,), lines, count, offset) for i, item in enumerate(node.value)]
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.constructor.ConstructorError, ValueError) as exc:
        raise _Reject(line, f"invalid value {node.value!r}: {exc}") from None
    bad = ESCAPED_CONTROL.search(value) if isinstance(value, str) else None
    if bad:
        raise _Reject(line, f"the text holds the control character U+{ord(bad.group()):04X}, written as an escape",
                      "remove the escape ('\\e', '\\x1b', '\\u001b'...) from the quoted text")
    return value


def _convert_mapping(loader, node, loc, lines, count, offset) -> dict:
    """Convert a mapping; a key given twice is an error, never a silent overwrite."""
    try:
        loader.flatten_mapping(node)
    except yaml.constructor.ConstructorError as exc:
        raise _Reject(node.start_mark.line + 1 + offset, f"invalid merge: {exc.problem}") from None
    result: dict = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1 + offset
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Reject(key_line, "a key must be plain text")
        key = _convert(loader, key_node, loc + ("<key>",), {}, count, offset)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in result:
            first = lines.get(loc + (key,), "?")
            raise _Reject(key_line, f"duplicate key '{key}' (first given at line {first})", "keep one of the two")
        lines[loc + (key,)] = key_line
        result[key] = _convert(loader, value_node, loc + (key,), lines, count, offset)
    return result
