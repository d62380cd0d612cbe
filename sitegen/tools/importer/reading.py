"""A source file read safely: its size, its text, its front matter (YAML `---` or TOML `+++`) with lines."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ...model.paths import inside
from ...model.yamlio import decode_text, parse_yaml
from ...problems import Problems

MAX_BYTES = 2_000_000  # a post larger than this is no post (the build refuses it too)
MAX_CONFIG = 1_000_000  # a site's config file
TOML_PLACE = re.compile(r" \(at line (\d+), column \d+\)")  # where tomllib says an error is, in the front matter


@dataclass
class Front:
    """The front matter of a source file as data, the line of each top-level key, and the body."""

    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    toml: bool = False

    def line(self, key: str) -> int:
        """The line of a key in the source file (1 when unknown)."""
        return self.lines.get(key, 1)


def read_limited(path: Path, shown: str, problems: Problems, limit: int = MAX_BYTES, root: Path | None = None) -> str | None:
    """A file's text, refused when it is a symbolic link or in a folder linked from outside `root`, too large, or not UTF-8."""
    if path.is_symlink() or (root is not None and not inside(path, root)):
        problems.error(shown, 0, "a symbolic link, or in a linked folder: not imported", "copy the file it points to in its place")
        return None
    size = path.stat().st_size
    if size > limit:
        problems.error(shown, 0, f"the file has {size:,} bytes, more than {limit:,}: not imported", "split it, or bring it in by hand")
        return None
    return decode_text(path.read_bytes(), problems, shown)


def read_front(text: str, shown: str, problems: Problems) -> Front | None:
    """Split and parse the front matter; None after a problem."""
    lines = text.split("\n")
    fence = lines[0].strip()
    if fence not in ("---", "+++"):
        problems.error(shown, 1, "the file does not start with front matter ('---' or '+++'): not imported", "add a front matter with a title")
        return None
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() == fence), None)
    if end is None:
        problems.error(shown, 1, "the front matter is not closed: not imported", f"add a line '{fence}' after its last field")
        return None
    head, body = "\n".join(lines[1:end]), "\n".join(lines[end + 1:])
    front = _toml(head, shown, problems) if fence == "+++" else _yaml(head, shown, problems)
    if front is None:
        return None
    front.body, front.body_line = body, end + 2
    return front


def _yaml(text: str, shown: str, problems: Problems) -> Front | None:
    """YAML front matter (the engine's safe reader: no tags, no alias bombs, duplicate keys refused)."""
    doc = parse_yaml(text, shown, problems, first_line=2)
    if doc is None:
        return None
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        problems.error(shown, 2, "the front matter is not a list of 'key: value' lines: not imported")
        return None
    return Front({str(k): v for k, v in data.items()}, {str(k[0]): n for k, n in doc.lines.items() if len(k) == 1})


def _toml(text: str, shown: str, problems: Problems) -> Front | None:
    """TOML front matter (Hugo's `+++`), with the line of each top-level key found by its name."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        where = TOML_PLACE.search(str(exc))
        message = "it is nested too deeply" if isinstance(exc, RecursionError) else TOML_PLACE.sub("", str(exc))[:200]
        problems.error(shown, int(where.group(1)) + 1 if where else 1, f"TOML syntax error: {message}: not imported",
                       "fix the front matter between the '+++' lines")
        return None
    lines = {}
    for number, line in enumerate(text.split("\n"), start=2):
        key = line.split("=", 1)[0].strip().strip('"') if "=" in line else line.strip().strip("[]")
        lines.setdefault(key, number)
    return Front(data, lines, toml=True)


def read_config(path: Path, problems: Problems) -> dict[str, Any]:
    """A generator's config file (`_config.yml`, `hugo.toml`, `config.yaml`…) as data; {} when absent."""
    if not path.is_file():
        return {}
    text = read_limited(path, path.name, problems, MAX_CONFIG)
    if text is None:
        return {}
    if path.suffix == ".toml":
        try:
            return tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            problems.error(path.name, 0, f"TOML syntax error: {str(exc)[:200]}", "its settings (permalinks, languages) are not used")
            return {}
    doc = parse_yaml(text, path.name, problems)
    return doc.data if doc and isinstance(doc.data, dict) else {}


def date_text(value: Any) -> str | None:
    """A date as this site writes it (`2024-01-15` or `2024-01-15 10:00:00 +0100`), None when it is none."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %z").strip()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        from ...model.schemas import parse_when

        try:
            parse_when(value.strip())
        except ValueError:
            return None
        return value.strip()
    return None
