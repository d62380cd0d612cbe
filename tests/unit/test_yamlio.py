"""Safe YAML reading with file line numbers."""

import pickle
from datetime import date

import pytest

from sitegen.model.yamlio import decode_text, parse_yaml, read_text
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


def test_control_character_names_its_code_and_line():
    assert parse("a: 1\nb: x\x07y\n")[1] == [
        "x.yaml:2: error: the control character U+0007 cannot be used in YAML (delete it: most editors do not show it)"]


def test_tab_indentation_hint():
    """libyaml's message names no tab: the hint comes from the line the error points to."""
    assert parse("a:\n\t- b\n")[1] == [
        "x.yaml:2: error: YAML syntax error: while scanning for the next token, found character that cannot start any token "
        "(indent with spaces, not tabs)"]


def test_an_impossible_date_is_an_invalid_value():
    assert parse("date: 2024-13-01\n")[1] == ["x.yaml:1: error: invalid value '2024-13-01': month must be in 1..12"]


def test_keys_must_be_plain_text():
    assert parse("? [a, b]\n: 1\n")[1] == ["x.yaml:1: error: a key must be plain text"]


def test_a_merge_of_something_not_a_mapping_is_refused():
    assert parse("a: &x 1\nb:\n  <<: *x\n")[1][0].startswith("x.yaml:3: error: invalid merge: expected a mapping or list of mappings")


def test_merge_keys_and_non_text_keys():
    doc, problems = parse("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n2024-01-01: day\n1: one\n")
    assert problems == []
    assert doc.data == {"base": {"x": 1}, "item": {"x": 1, "y": 2}, "2024-01-01": "day", 1: "one"}
    assert doc.line(("item", "y")) == 4 and doc.line(("2024-01-01",)) == 5


def test_an_empty_text_is_no_data():
    doc, problems = parse("")
    assert (doc.data, problems) == (None, [])
    doc, problems = parse("# only a comment\n")
    assert (doc.data, doc.line(("anything",)), problems) == (None, 1, [])


def test_line_maps_survive_pickling_and_are_unpacked_on_first_use():
    doc, _ = parse("a: 1\nb:\n  - x\n  - y\n")
    again = pickle.loads(pickle.dumps(doc))
    assert "_packed" in again.__dict__ and "lines" not in again.__dict__
    assert again.data == doc.data and again.line(("b", 1)) == 4 and again.lines == doc.lines
    dated, _ = parse("2024-01-01:\n  x: 1\n")  # a date key: the map cannot be marshalled, so it is pickled as it is
    dated.lines = {(date(2024, 1, 1), "x"): 2, (): 1}
    assert pickle.loads(pickle.dumps(dated)).line((date(2024, 1, 1), "x")) == 2
    with pytest.raises(AttributeError):
        again.no_such_attribute  # noqa: B018 - only `lines` is made on demand


def test_read_text_of_a_missing_file(tmp_path):
    problems = Problems()
    assert read_text(tmp_path / "gone.yaml", problems, "gone.yaml") is None
    assert [str(p) for p in problems] == ["gone.yaml: error: cannot read the file: No such file or directory"]
