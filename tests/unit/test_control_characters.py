"""Control characters (issue 18, point 5): in a file's text, or written as an escape in a YAML string."""

import pytest

from sitegen.model.yamlio import decode_text, parse_yaml
from sitegen.problems import Problems

ESCAPE = "remove the escape ('\\e', '\\x1b', '\\u001b'...) from the quoted text"


def yaml_problems(text: str, first_line: int = 1) -> list[str]:
    """The problems of parsing a YAML text."""
    problems = Problems()
    parse_yaml(text, "f.yaml", problems, first_line)
    return [str(p) for p in problems]


@pytest.mark.parametrize(("text", "line", "code"), [
    ('title: "\\u0000"', 1, "0000"),
    ('title: "Red \\e[31m"', 1, "001B"),
    ("title: 'fine'\nsummary: \"a\\x1bb\"", 2, "001B"),
    ('tags: ["ok", "\\a"]', 1, "0007"),
    ('k: "\\N"', 1, "0085"),
    ('k: "\\x9b2J"', 1, "009B"),
    ('k: "\\x7f"', 1, "007F"),
    ('k: "a\\rb"', 1, "000D"),
    ('k: "\\v"', 1, "000B"),
    ('"\\e": key', 1, "001B"),
    ("outer:\n  inner:\n    - \"\\b\"", 3, "0008"),
])
def test_escaped_control_characters_are_refused(text, line, code):
    assert yaml_problems(text, 4) == [f"f.yaml:{line + 3}: error: the text holds the control character U+{code}, written as an escape ({ESCAPE})"]


@pytest.mark.parametrize("text", ['k: "a\\tb"', 'k: "two\\nlines"', "k: |\n  a block\n  of lines\n", "k: >\n  folded\n  text\n", 'k: "é \\u00e9"'])
def test_tabs_and_line_breaks_in_yaml_strings_are_fine(text):
    assert yaml_problems(text) == []


@pytest.mark.parametrize(("raw", "line", "message"), [
    (b"---\ntitle: x\n---\nText \x1b[31m red\n", 4, "the file contains the control character U+001B"),
    (b"a\r\nb\r\nc\x07\r\n", 3, "the file contains the control character U+0007"),
    (b"a\rb\rc\x0c", 3, "the file contains the control character U+000C"),
    ("caf\u00e9 \u0092 quote".encode(), 1, "the file contains the control character U+0092"),
    (b"del \x7f", 1, "the file contains the control character U+007F"),
])
def test_control_characters_in_a_file_are_refused(raw, line, message):
    problems = Problems()
    assert decode_text(raw, problems, "x.md") is None
    assert [str(p) for p in problems] == [f"x.md:{line}: error: {message} (delete it: most editors do not show it)"]


def test_tabs_and_line_endings_in_a_file_are_fine():
    problems = Problems()
    assert decode_text(b"a\tb\r\nc\rd\n", problems, "x.md") == "a\tb\nc\nd\n" and not problems
