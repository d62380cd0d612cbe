"""What one file may ask for (issue 18, point 3): limits in the schemas, as editors' messages at the right line."""

import pytest

from sitegen.model.schemas import DATA_FILES, MAX_TAGS, ArticleMeta, PageMeta
from sitegen.model.validation import validate
from sitegen.model.yamlio import parse_yaml
from sitegen.problems import Problems

KEEP = "keep at most {n}: each one is shown on many pages"
SHORTEN = "shorten it: long texts belong in an article's body"


def problems_of(kind, text: str, first_line: int = 2) -> list[str]:
    """Validation problems of a YAML text."""
    problems = Problems()
    doc = parse_yaml(text, "f.yaml", problems, first_line)
    validate(kind, doc, "f.yaml", problems)
    return [str(p) for p in problems]


ARTICLE = "title: x\ndate: 2024-01-01\n"


@pytest.mark.parametrize(("extra", "expected"), [
    ("tags:\n" + "".join(f"  - t{i}\n" for i in range(25)), f"f.yaml:25: error: 'tags' has 25 items, more than the 20 allowed ({KEEP.format(n=20)})"),
    ("tags: [" + ", ".join(f"t{i}" for i in range(4000)) + "]\n", f"f.yaml:4: error: 'tags' has 4000 items, more than the 20 allowed ({KEEP.format(n=20)})"),
    ("aliases: [" + ", ".join(f"/a{i}/" for i in range(21)) + "]\n", f"f.yaml:4: error: 'aliases' has 21 items, more than the 20 allowed ({KEEP.format(n=20)})"),
    ("platforms: [" + ", ".join(["p"] * 51) + "]\n", f"f.yaml:4: error: 'platforms' has 51 items, more than the 50 allowed ({KEEP.format(n=50)})"),
    ("summary: " + "s" * 1001 + "\n", f"f.yaml:4: error: 'summary' is 1001 characters long, more than the 1000 allowed ({SHORTEN})"),
    ("author: " + "s" * 1001 + "\n", f"f.yaml:4: error: 'author' is 1001 characters long, more than the 1000 allowed ({SHORTEN})"),
    ("image: x.png\nimage_alt: " + "s" * 1001 + "\n", f"f.yaml:5: error: 'image_alt' is 1001 characters long, more than the 1000 allowed ({SHORTEN})"),
])
def test_front_matter_limits(extra, expected):
    assert problems_of(ArticleMeta, ARTICLE + extra) == [expected]


def test_page_aliases_are_limited_too():
    assert problems_of(PageMeta, "title: x\naliases:\n" + "".join(f"  - /a{i}/\n" for i in range(30))) == [
        f"f.yaml:24: error: 'aliases' has 30 items, more than the 20 allowed ({KEEP.format(n=20)})"]


def test_at_the_limits_is_fine():
    tags = "tags: [" + ", ".join(f"t{i}" for i in range(MAX_TAGS)) + "]\n"
    assert problems_of(ArticleMeta, ARTICLE + tags + "summary: " + "s" * 1000 + "\n") == []


PARTNER = "- id: p{i}\n  name: P\n  type: academic\n  description: {text}\n"


def test_data_file_entries_and_texts():
    text = "".join(PARTNER.format(i=i, text="d") for i in range(1001))
    assert problems_of(DATA_FILES["partners"], text, 1) == [
        f"f.yaml:4001: error: the file has 1001 entries, more than the 1000 allowed ({KEEP.format(n=1000)})"]
    long = PARTNER.format(i=1, text="d" * 5001) + "- id: p2\n  name: {en: P, fr: " + "n" * 6000 + "}\n  type: academic\n  description: d\n"
    assert problems_of(DATA_FILES["partners"], long, 1) == [
        f"f.yaml:4: error: entry 1: 'description' is 5001 characters long, more than the 5000 allowed ({SHORTEN})",
        f"f.yaml:6: error: entry 2: 'name' is 6000 characters long, more than the 5000 allowed ({SHORTEN})",
    ]


def test_a_typo_still_gets_its_hint_through_the_limits():
    assert problems_of(DATA_FILES["partners"], "- id: p\n  name: P\n  type: acadmic\n  description: d\n", 1) == [
        "f.yaml:3: error: entry 1: 'type' must be one of academic, hospital, industry, public-authority or ecosystem, got 'acadmic' "
        "(did you mean 'academic'?)"]
    assert problems_of(DATA_FILES["platforms"], "- id: p\n  name: P\n  status: open\n  summary: s\n  servics: []\n", 1) == [
        "f.yaml:5: error: entry 1: unknown field 'servics' (did you mean 'services'?)"]


def test_feeds_are_bounded_in_config():
    """There is a feed per tag, each with its entries' bodies: feed_limit is bounded."""
    from sitegen.model.config import Config

    text = "title: T\ndescription: D\nbase_url: https://x.example/\ndefault_language: en\nlanguages: {en: {name: English, locale: en}}\n"
    assert problems_of(Config, text + "author: A\nfeed_limit: 100000\n", 1) == ["f.yaml:7: error: 'feed_limit' must be at most 100, got 100000"]
    assert problems_of(Config, text + "author: A\nfeed_limit: 0\n", 1) == ["f.yaml:7: error: 'feed_limit' must be at least 1, got 0"]
