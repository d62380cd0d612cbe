"""Safe YAML reading with file line numbers."""

from sitegen.model.yamlio import decode_text, parse_yaml
from sitegen.problems import Problems


def parse(text, first_line=1):
    problems = Problems()
    return parse_yaml(text, "x.yaml", problems, first_line), [str(p) for p in problems]


def test_lines_of_every_value():
    doc, problems = parse("a: 1\nb:\n  - x\n  - y\nc:\n  d: 2023-05-12\n")
    assert problems == []
    assert doc.line(("a",)) == 1 and doc.line(("b", 1)) == 4 and doc.line(("c", "d")) == 6
    assert doc.line(("c", "d", "missing")) == 6


def test_front_matter_offset_gives_file_lines():
    _doc, problems = parse("title: x\ndate: [\n", first_line=2)
    assert problems[0].startswith("x.yaml:4: error: YAML syntax error")


def test_duplicate_keys_are_errors():
    assert parse("a: 1\nb: 2\na: 3\n")[1] == ["x.yaml:3: error: duplicate key 'a' (first given at line 1) (keep one of the two)"]


def test_python_tags_are_refused():
    _doc, problems = parse("a: !!python/object/apply:os.system [ls]\n")
    assert "the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in problems[0]


def test_billion_laughs_is_bounded():
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefg", "abcdef", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    _doc, problems = parse(text)
    assert "expands to more than 100000 values" in problems[0]


def test_several_documents_are_an_error():
    assert parse("a: 1\n---\nb: 2\n")[1] == ["x.yaml:2: error: several YAML documents in one file (keep one: remove the '---' line and what should not be there)"]


def test_quoting_hint_for_colons():
    assert parse("summary: a: b\n")[1] == ["x.yaml:1: error: YAML syntax error: mapping values are not allowed in this context (a value containing ': ' must be put in quotes)"]


def test_text_decoding():
    problems = Problems()
    assert decode_text("\ufeffa\r\nb\rc".encode(), problems, "f") == "a\nb\nc"
    assert decode_text(b"ok\n\xe9\n", problems, "f") is None
    assert decode_text(b"a\n\x00", problems, "f") is None
    assert [str(p) for p in problems] == [
        "f:2: error: the file is not UTF-8 text (save it as UTF-8 in your editor)",
        "f:2: error: the file contains a NUL byte (remove it, or re-save the file as text)",
    ]
