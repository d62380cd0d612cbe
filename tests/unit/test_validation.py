"""Schema failures as editors read them: one problem per failure, at the value's line, with a hint."""

import pytest

from sitegen.model.schemas import DATA_FILES, ArticleMeta, PageMeta
from sitegen.model.validation import field_name, known_fields, unknown_keys, validate
from sitegen.model.yamlio import parse_yaml
from sitegen.problems import Problems

PARTNER = "- id: amu\n  name: AMU\n  type: academic\n  description: A university.\n"


def problems_of(kind, text: str) -> list[str]:
    """The problems of validating a YAML text (as x.yaml) against a schema."""
    problems = Problems()
    doc = parse_yaml(text, "x.yaml", problems)
    assert problems == [], problems
    value = validate(kind, doc, "x.yaml", problems)
    assert (value is None) == bool(problems)
    return [str(p) for p in problems]


@pytest.mark.parametrize(("kind", "text", "expected"), [
    pytest.param(ArticleMeta, "date: 2024-01-01\n", ["x.yaml:1: error: missing required field 'title' (add a line 'title: ...')"],
                 id="missing"),
    pytest.param(ArticleMeta, 'title: T\ndate: "2024-13-01"\n',
                 ["x.yaml:2: error: 'date' must be a date like 2024-01-15, got '2024-13-01'"], id="impossible-date"),
    pytest.param(ArticleMeta, "title: T\ndate: 31/01/2024\n",
                 ["x.yaml:2: error: 'date' must be a date like 2024-01-15, got '31/01/2024'; try 2024-01-31"], id="day-first-date"),
    pytest.param(ArticleMeta, "title: T\ndate: 2024-01-01\ntags: a, b\n",
                 ["x.yaml:3: error: 'tags' must be a list, not a single string; write [a, b]"], id="tags-as-text"),
    pytest.param(ArticleMeta, "title: T\ndate: 2024-01-01\ndraft: maybe\n",
                 ["x.yaml:3: error: 'draft' must be true or false, got 'maybe'"], id="not-a-boolean"),
    pytest.param(ArticleMeta, "title: T\ndate: 2024-01-01\nauthor: [A, B]\n",
                 ["x.yaml:3: error: 'author' must be text, got a list (write one value, without [ ])"], id="list-for-text"),
    pytest.param(ArticleMeta, "title: T\ndate: 2024-01-01\nslug: Not A Slug\n",
                 ["x.yaml:3: error: 'slug' has an invalid value 'Not A Slug' (use lowercase letters, digits and hyphens, like "
                  "'institut-paoli-calmettes')"], id="slug-pattern"),
    pytest.param(ArticleMeta, "title: T\ndate: 2024-01-01\npartners: [amu, Bad_Id]\n",
                 ["x.yaml:3: error: 'partners[2]' has an invalid value 'Bad_Id' (use lowercase letters, digits and hyphens, like "
                  "'institut-paoli-calmettes')"], id="list-item"),
    pytest.param(ArticleMeta, "title: T\ndate: 2024-01-01\nimage: a.png\n", [], id="image-without-alt-is-the-parse's-error"),
    pytest.param(PageMeta, "title: T\nmenu: top\n",
                 ["x.yaml:2: error: 'menu' must be one of main, footer or none, got 'top' (known: main, footer, none)"], id="choice"),
    pytest.param(PageMeta, "title: T\nweight: heavy\n",
                 ["x.yaml:2: error: 'weight' must be a number, got 'heavy' (write digits only, like 97000000)"], id="not-a-number"),
    pytest.param(PageMeta, "title: T\nextra: [a]\n",
                 ["x.yaml:2: error: 'extra' must be a mapping of keys to values, got a list"], id="not-a-mapping"),
])
def test_front_matter_failures(kind, text, expected):
    assert problems_of(kind, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(PARTNER.replace("academic", "acadmic"),
                 ["x.yaml:3: error: entry 1: 'type' must be one of academic, hospital, industry, public-authority or ecosystem, got "
                  "'acadmic' (did you mean 'academic'?)"], id="choice-with-suggestion"),
    pytest.param(PARTNER + "  webiste: https://x.org\n",
                 ["x.yaml:5: error: entry 1: unknown field 'webiste' (did you mean 'website'?)"], id="unknown-field"),
    pytest.param(PARTNER + "  colour: red\n",
                 ["x.yaml:5: error: entry 1: unknown field 'colour' (known: id, name, short_name, type, founding_member, website, logo, "
                  "location, description)"], id="unknown-field-no-match"),
    pytest.param(PARTNER + "  website: www.x.org\n",
                 ["x.yaml:5: error: entry 1: 'website' has an invalid value 'www.x.org' (write a full address starting with https://)"],
                 id="address"),
    pytest.param(PARTNER + "  founding_member: 3\n", ["x.yaml:5: error: entry 1: 'founding_member' must be true or false, got 3"],
                 id="boolean"),
    pytest.param(PARTNER + "- just a name\n",
                 ["x.yaml:5: error: entry 2: 'the file' must be a mapping of keys to values, got the text 'just a name'"], id="entry-not-mapping"),
    pytest.param("id: amu\n", ["x.yaml:1: error: 'the file' must be a list, got a mapping (write it as [first, second] or as lines "
                               "starting with '- ')"], id="not-a-list"),
])
def test_partner_failures(text, expected):
    assert problems_of(DATA_FILES["partners"], text) == expected


def test_every_failure_of_a_file_is_reported():
    text = PARTNER + "- id: Bad\n  name: X\n  type: school\n"
    assert problems_of(DATA_FILES["partners"], text) == [
        "x.yaml:5: error: entry 2: 'id' has an invalid value 'Bad' (ids and slugs are lowercase: write 'bad')",
        "x.yaml:7: error: entry 2: 'type' must be one of academic, hospital, industry, public-authority or ecosystem, got 'school' "
        "(known: academic, hospital, industry, public-authority, ecosystem)",
        "x.yaml:5: error: entry 2: missing required field 'description' (add a line 'description: ...')",
    ]


def test_figure_failure():
    assert problems_of(DATA_FILES["figures"], "- value: lots\n  label: x\n") == [
        "x.yaml:1: error: entry 1: 'value' must be a number, got 'lots' (write digits only, like 97000000)"]


def test_a_wrong_milestone_date_is_one_problem_naming_the_field():
    found = problems_of(DATA_FILES["milestones"], '- date: "May 2024"\n  title: x\n  status: done\n')
    assert found == ["x.yaml:1: error: entry 1: 'date' must be a year, a month or a day, like 2024, 2024-05 or 2024-05-17, got 'May 2024'"]


def test_a_milestone_day_that_does_not_exist():
    found = problems_of(DATA_FILES["milestones"], '- date: "2025-02-29"\n  title: x\n  status: done\n')
    assert found == ["x.yaml:1: error: entry 1: 'date' must be a real month or day, like 2024-05 or 2024-05-17, "
                     "got '2025-02-29' (day is out of range for month)"]


def test_field_names_read_as_editors_write_them():
    assert field_name(("tags", 0)) == "tags[1]"
    assert field_name((2, "partners", 1)) == "partners[2]"
    assert field_name((0,)) == "the file"
    assert field_name(("title", "str")) == "title"  # pydantic's union-branch labels dropped


def test_unknown_and_known_fields():
    problems = Problems()
    meta = validate(ArticleMeta, parse_yaml("title: T\ndate: 2024-01-01\nlayout: post\nsumary: x\n", "x.yaml", problems), "x.yaml", problems)
    assert problems == [] and unknown_keys(meta) == ["layout", "sumary"]
    assert known_fields(PageMeta)[:3] == ["title", "summary", "draft"] and "menu" in known_fields(PageMeta)
