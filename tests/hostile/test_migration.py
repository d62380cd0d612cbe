"""Real-world content from other generators (issue 8, point 6).

tests/hostile/cases/migration/ holds posts written the way Jekyll and Hugo sites of research
institutes write them. Each, dropped into content/news/, must build or be reported clearly
(`path:line: level: message` naming it); never a crash. docs/migrating.md lists what a migrating
editor must change, with these messages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import (
    assert_built,
    assert_failed_naming,
    assert_handled,
    assert_well_formed,
    build_checked,
    lines_naming,
    problem_lines,
)

CORPUS = Path(__file__).parent / "cases" / "migration"
POSTS = sorted(p.name for p in CORPUS.glob("*.md"))
CRLF = {"2024-04-10-crlf-windows.md", "Été 2024 — bilan.md"}  # must keep Windows line endings

# What each post must give: "built", or the errors that must name it.
EXPECTED_ERRORS = {
    "2024-02-03-tags-as-string.md": ["'tags' must be a list"],
    "2024-05-06-unquoted-colon.md": ["YAML"],
    "2024-06-01-day-first-date.md": ["'date' must be a date", "2024-06-01"],
    "2024-07-01-featured-image.md": ["image_alt"],
    "2024-08-12-liquid-link.md": ["{{ site.baseurl }}/seminars/"],
    "2024-09-30-hugo-authors.md": ["'author'"],
    "_index.md": ["date"],
    "hugo-toml-front-matter.md": ["TOML"],
}
EXPECTED_BUILT = {
    "2023-11-20-front-matter-only.md",
    "2024-01-15-jekyll-seminar.md",
    "2024-04-10-crlf-windows.md",
    "Été 2024 — bilan.md",
}


def add_post(site: Path, name: str, folder: str = "content/news") -> str:
    """Copy a corpus post into the site (Windows line endings kept); returns its path as the build names it."""
    data = (CORPUS / name).read_bytes()
    if name in CRLF and b"\r\n" not in data:  # a checkout may have normalised line endings
        data = data.replace(b"\n", b"\r\n")
    target = site / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return f"{folder}/{name}"


def test_corpus_is_complete():
    assert len(POSTS) >= 10
    assert set(EXPECTED_ERRORS) | EXPECTED_BUILT <= set(POSTS)


@pytest.mark.parametrize("name", POSTS)
def test_each_post_builds_or_is_reported(site, name):
    shown = add_post(site, name)
    run = build_checked(site)
    outcome = assert_handled(run, shown)
    if name in EXPECTED_BUILT:
        assert outcome == "built", f"{name} should build:\n{run}"
    if name in EXPECTED_ERRORS:
        assert_failed_naming(run, shown, *EXPECTED_ERRORS[name])


def test_whole_corpus_at_once(site):
    """One build reports every post's reading and validation problems together, sorted, with a count."""
    shown = {name: add_post(site, name) for name in POSTS}
    run = build_checked(site)
    assert run.returncode == 1
    assert_well_formed(run)
    lines = problem_lines(run)
    assert lines == sorted(
        lines,
        key=lambda line: (line.split(":")[0], int(re.match(r"^[^:]+:(\d+):", line).group(1)) if re.match(r"^[^:]+:\d+:", line) else 0),
    ), "problems must be sorted by file then line"
    # Problems found while reading (not the link check, which runs on rendered pages) all appear in one run.
    for name in set(EXPECTED_ERRORS) - {"2024-08-12-liquid-link.md"}:
        assert lines_naming(run, shown[name]), f"{name} is not reported when the whole corpus is built:\n{run}"


# -- exact messages ---------------------------------------------------------------------------------


def unknown_key(path: str, line: int, key: str) -> re.Pattern:
    """The warning for an unknown front matter key, with any hint."""
    return re.compile(rf"^{re.escape(path)}:{line}: warning: unknown front matter field '{re.escape(key)}'( \(.+\))?$")


def test_jekyll_date_with_offset_is_accepted(site):
    shown = add_post(site, "2024-01-15-jekyll-seminar.md")
    run = build_checked(site)
    assert_built(run)
    assert not lines_naming(run, shown, "error")
    assert not [line for line in lines_naming(run, shown, "warning") if "date" in line], f"the date must be accepted silently:\n{run}"
    html = (site / "public/news/2024-01-15-jekyll-seminar/index.html").read_text(encoding="utf-8")
    assert 'datetime="2024-01-15"' in html
    assert "2024-01-15T12:00:00+01:00" in html, "the time and its UTC offset must be kept (JSON-LD datePublished)"


@pytest.mark.parametrize(
    "value",
    ["2024-01-15 12:00 +0100", "2024-01-15 12:00:00 +0100", "2024-01-15T12:00:00+01:00", "2024-01-15 12:00:00 +01:00", "2024-01-15 12:00"],
)
def test_jekyll_and_hugo_date_forms(site, value):
    (site / "content/news/dated.md").write_text(f'---\ntitle: "Dated"\ndate: {value}\n---\nBody.\n', encoding="utf-8")
    run = build_checked(site)
    assert_built(run)
    assert 'datetime="2024-01-15"' in (site / "public/news/dated/index.html").read_text(encoding="utf-8")


def test_tags_as_string_is_an_error_at_its_line(site):
    shown = add_post(site, "2024-02-03-tags-as-string.md")
    run = build_checked(site)
    assert_failed_naming(run, shown)
    expected = f"{shown}:5: error: 'tags' must be a list, not a single string; write [a, b]"
    assert expected in problem_lines(run), f"expected exactly:\n{expected}\n{run}"


def test_unknown_jekyll_keys_are_warnings_naming_key_and_line(site):
    shown = add_post(site, "2024-01-15-jekyll-seminar.md")
    run = build_checked(site)
    assert_built(run)
    warnings = lines_naming(run, shown, "warning")
    for line, key in ((2, "layout"), (5, "categories")):
        assert any(unknown_key(shown, line, key).match(w) for w in warnings), f"no warning for '{key}' at line {line}:\n{run}"
    assert len(warnings) == 2, f"only the two unknown keys should be reported:\n{run}"


def test_unknown_keys_in_a_crlf_bom_file_keep_their_lines(site):
    shown = add_post(site, "2024-04-10-crlf-windows.md")
    run = build_checked(site)
    assert_built(run)
    warnings = lines_naming(run, shown, "warning")
    for line, key in ((2, "layout"), (5, "permalink"), (6, "excerpt_separator")):
        assert any(unknown_key(shown, line, key).match(w) for w in warnings), f"no warning for '{key}' at line {line}:\n{run}"


def test_unknown_hugo_keys_are_warnings(site):
    shown = add_post(site, "hugo-spring-school.md")
    run = build_checked(site)
    assert_handled(run, shown)
    warnings = lines_naming(run, shown, "warning")
    for line, key in ((4, "lastmod"), (6, "description"), (7, "categories")):
        assert any(unknown_key(shown, line, key).match(w) for w in warnings), f"no warning for '{key}' at line {line}:\n{run}"


def test_unknown_keys_fail_strict(site):
    shown = add_post(site, "2024-01-15-jekyll-seminar.md")
    run = build_checked(site, "--strict")
    assert_failed_naming(run, shown, "layout")


def test_toml_front_matter_says_use_yaml(site):
    shown = add_post(site, "hugo-toml-front-matter.md")
    run = build_checked(site)
    found = assert_failed_naming(run, shown, "TOML", "YAML")
    assert any(line.startswith(f"{shown}:1: error:") for line in found), str(run)


def test_unquoted_colon_points_at_the_line_with_a_hint(site):
    shown = add_post(site, "2024-05-06-unquoted-colon.md")
    run = build_checked(site)
    found = assert_failed_naming(run, shown, "quotes")
    assert any(line.startswith(f"{shown}:3: error:") for line in found), f"the error must be at line 3:\n{run}"


def test_day_first_date_suggests_iso(site):
    shown = add_post(site, "2024-06-01-day-first-date.md")
    run = build_checked(site)
    expected = f"{shown}:3: error: 'date' must be a date like 2024-01-15, got '01/06/2024'; try 2024-06-01"
    assert_failed_naming(run, shown)
    assert expected in problem_lines(run), f"expected exactly:\n{expected}\n{run}"


def test_hugo_author_list_is_an_error_at_its_line(site):
    shown = add_post(site, "2024-09-30-hugo-authors.md")
    run = build_checked(site)
    found = assert_failed_naming(run, shown, "author")
    assert any(line.startswith(f"{shown}:4: error:") for line in found), f"the error must be at line 4:\n{run}"


def test_liquid_and_shortcodes_appear_as_text(site):
    shown = add_post(site, "2024-01-15-jekyll-seminar.md")
    run = build_checked(site)
    assert_built(run)
    assert not lines_naming(run, shown, "error")
    html = (site / "public/news/2024-01-15-jekyll-seminar/index.html").read_text(encoding="utf-8")
    assert "{% include figure.html" in html and "{{ site.baseurl }}" in html


def test_liquid_link_is_a_broken_link_naming_file_and_line(site):
    shown = add_post(site, "2024-08-12-liquid-link.md")
    run = build_checked(site)
    found = assert_failed_naming(run, shown, "broken link")
    assert any(line.startswith(f"{shown}:7: error:") for line in found), f"the error must be at line 7:\n{run}"


def test_front_matter_only_post_builds(site):
    add_post(site, "2023-11-20-front-matter-only.md")
    run = build_checked(site, "--strict")
    assert_built(run)
    assert (site / "public/news/2023-11-20-front-matter-only/index.html").is_file()


def test_non_ascii_file_name_with_spaces(site):
    shown = add_post(site, "Été 2024 — bilan.md")
    run = build_checked(site, "--strict")
    assert_built(run)
    assert not lines_naming(run, shown, "warning")
    html = (site / "public/news/ete-2024-bilan/index.html").read_text(encoding="utf-8")
    assert "Bilan de l'été 2024" in html or "Bilan de l&#39;été 2024" in html


def test_jekyll_published_false_is_never_published_silently(site):
    """`published: false` is Jekyll's draft flag: publishing the post with only a warning would leak it."""
    shown = add_post(site, "2024-10-14-unpublished-draft.md")
    run = build_checked(site)
    assert_handled(run, shown)
    if run.returncode == 0:
        assert not (site / "public/news/2024-10-14-unpublished-draft").exists(), f"a post marked 'published: false' was published:\n{run}"


def test_posts_in_a_hugo_section_folder_are_reported(site):
    """Hugo keeps posts in content/posts/: the build must say they are not read, not drop them silently."""
    shown = add_post(site, "2024-01-15-jekyll-seminar.md", folder="content/posts")
    run = build_checked(site)
    assert run.returncode in (0, 1), str(run)
    assert_well_formed(run)
    assert any(line.startswith(("content/posts", shown)) for line in problem_lines(run)), (
        f"content/posts/ was ignored without a word:\n{run}"
    )


def test_hugo_section_index_is_reported(site):
    shown = add_post(site, "_index.md")
    run = build_checked(site)
    assert_failed_naming(run, shown)
