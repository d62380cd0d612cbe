"""Real-world content from other generators (issue 8, point 6; outcomes pinned by issue 26).

tests/hostile/cases/migration/ holds posts written the way Jekyll and Hugo sites of research institutes
write them. Each, dropped into content/news/, has one pinned outcome: built (its page, its text, exactly
its warnings) or refused (exactly its problem lines, `path:line: level: message`); never a crash.
docs/migrating.md lists what a migrating editor must change, with these messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import assert_outcome, build_checked, built, refused

CORPUS = Path(__file__).parent / "cases" / "migration"
POSTS = sorted(p.name for p in CORPUS.glob("*.md"))
CRLF = {"2024-04-10-crlf-windows.md", "Été 2024 — bilan.md"}  # must keep Windows line endings
NEWS = "content/news/"


def unknown(name: str, line: int, key: str, hint: str, level: str = "warning") -> str:
    """The problem line of an unknown front matter key."""
    return f"{NEWS}{name}:{line}: {level}: unknown front matter field '{key}' ({hint})"


LAYOUT = "articles need no layout; remove it"


def template(name: str, line: int, code: str) -> str:
    """The warning for another generator's template code left in a body."""
    return (f"{NEWS}{name}:{line}: warning: template code of another generator is shown as text: '{code}' "
            "(this site runs no template code: write the link or text it stood for in Markdown, or remove it)")


CATEGORIES = "use 'tags' for topics"
JEKYLL = "2024-01-15-jekyll-seminar.md"
JEKYLL_WARNINGS = (unknown(JEKYLL, 2, "layout", LAYOUT), unknown(JEKYLL, 5, "categories", CATEGORIES),
                   template(JEKYLL, 10, '{% include figure.html image="seminar.jpg" caption="The lec…'),
                   template(JEKYLL, 12, "{{ site.baseurl }}"))
CRLF_POST = "2024-04-10-crlf-windows.md"
CRLF_WARNINGS = (
    unknown(CRLF_POST, 2, "layout", LAYOUT),
    unknown(CRLF_POST, 5, "permalink", "the address comes from the file name or 'slug'; list old addresses under 'aliases'"),
    unknown(CRLF_POST, 6, "excerpt_separator", "the summary is 'summary:' or the first paragraph"),
    unknown(CRLF_POST, 8, "published", "this generator has no 'published': use 'draft: true' to keep it unpublished"),
)
HUGO = "hugo-spring-school.md"
HUGO_WARNINGS = (
    unknown(HUGO, 4, "lastmod", "use 'updated'"),
    unknown(HUGO, 6, "description", "use 'summary'"),
    unknown(HUGO, 7, "categories", CATEGORIES),
    template(HUGO, 13, '{{< figure src="/images/school.jpg" title="Last year\'s part…'),
    template(HUGO, 15, "{{% notice info %}}"),
    template(HUGO, 17, "{{% /notice %}}"),
)
BROKEN = "no page or file at that address (fix the address, or create the page it points to)"
# What each post gives when it is the only one added; its problems as the whole corpus reports them.
READING = {
    "2024-02-03-tags-as-string.md": (unknown("2024-02-03-tags-as-string.md", 2, "layout", LAYOUT),
                                     f"{NEWS}2024-02-03-tags-as-string.md:5: error: 'tags' must be a list, not a single string; write [a, b]"),
    "2024-05-06-unquoted-colon.md": (f"{NEWS}2024-05-06-unquoted-colon.md:3: error: YAML syntax error: mapping values are not allowed in this "
                                     "context (a value containing ': ' must be put in quotes)",),
    "2024-06-01-day-first-date.md": (f"{NEWS}2024-06-01-day-first-date.md:3: error: 'date' must be a date like 2024-01-15, got '01/06/2024'; "
                                     "try 2024-06-01",),
    "2024-07-01-featured-image.md": (f"{NEWS}2024-07-01-featured-image.md:4: error: image_alt is required when image is given: describe the "
                                     "picture for blind readers (add a line 'image_alt: what the picture shows')",
                                     unknown("2024-07-01-featured-image.md", 5, "images", "use 'image' with 'image_alt'")),
    "2024-09-30-hugo-authors.md": (f"{NEWS}2024-09-30-hugo-authors.md:4: error: 'author' must be text, got a list (write one value, without [ ])",),
    "2024-10-14-unpublished-draft.md": (
        unknown("2024-10-14-unpublished-draft.md", 2, "layout", LAYOUT),
        f"{NEWS}2024-10-14-unpublished-draft.md:5: error: 'published: false' is not understood here and the article would be published "
        "(write 'draft: true' instead)",
    ),
    "_index.md": (f"{NEWS}_index.md:2: error: missing required field 'date' (add a line 'date: ...')", unknown("_index.md", 3, "description", "use 'summary'")),
    "hugo-toml-front-matter.md": (f"{NEWS}hugo-toml-front-matter.md:1: error: front matter in TOML ('+++') is not supported (use YAML between "
                                  "'---' lines, with 'key: value')",),
}
EXPECTED = {
    "2023-11-20-front-matter-only.md": built("news/2023-11-20-front-matter-only/index.html", "<h1>Lab closed for the holidays</h1>"),
    JEKYLL: built("news/2024-01-15-jekyll-seminar/index.html", "<h1>Winter seminar on innate immunity</h1>",
                  "The institute hosted its winter seminar", warnings=JEKYLL_WARNINGS),
    CRLF_POST: built("news/2024-04-10-crlf-windows/index.html", "<h1>Annual report published</h1>", "It covers 2023.", warnings=CRLF_WARNINGS),
    "2024-08-12-liquid-link.md": refused(
        unknown("2024-08-12-liquid-link.md", 2, "layout", LAYOUT),
        f"{NEWS}2024-08-12-liquid-link.md:7: error: broken link '{{{{ site.baseurl }}}}/seminars/' on /news/2024-08-12-liquid-link/index.html: {BROKEN}",
        template("2024-08-12-liquid-link.md", 7, "{{ site.baseurl }}"),
        template("2024-08-12-liquid-link.md", 9, "{% link _posts/2024-01-15-jekyll-seminar.md %}"),
    ),
    HUGO: refused(*HUGO_WARNINGS,
                  f"{NEWS}{HUGO}:19: error: broken link '{{{{< ref \"programme.md\" >}}}}' on /news/spring-school-t-cells/index.html: {BROKEN}",
                  template(HUGO, 19, '{{< ref "programme.md" >}}')),
    # No '.fr' suffix: an English page, so the build's typography curls the title's apostrophe.
    "Été 2024 — bilan.md": built("news/ete-2024-bilan/index.html", "<h1>Bilan de l’été 2024</h1>", "Merci à toutes les équipes."),
    **{name: refused(*lines) for name, lines in READING.items()},
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
    """Every post of the corpus has its pinned outcome, and every pinned outcome its post."""
    assert len(POSTS) >= 10
    assert set(EXPECTED) == set(POSTS)


@pytest.mark.parametrize("name", POSTS)
def test_each_post(built_site, name):
    add_post(built_site, name)
    assert_outcome(build_checked(built_site), built_site, EXPECTED[name])


def test_whole_corpus_at_once(built_site):
    """One build reports every post's problems together, sorted by file then line: each post's own lines, links included."""
    for name in POSTS:
        add_post(built_site, name)
    run = build_checked(built_site)
    outcomes = [EXPECTED[name] for name in sorted(POSTS)]
    expected = [line for outcome in outcomes for line in (outcome.lines if hasattr(outcome, "lines") else outcome.warnings)]
    assert_outcome(run, built_site, refused(*expected))


# -- exact messages ---------------------------------------------------------------------------------


def test_jekyll_date_with_offset_is_accepted(built_site):
    """A Jekyll date with a time and a UTC offset: no problem about the date; the time and offset are kept."""
    add_post(built_site, JEKYLL)
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("news/2024-01-15-jekyll-seminar/index.html", 'datetime="2024-01-15"',
                                          '"datePublished":"2024-01-15T12:00:00+01:00"', warnings=JEKYLL_WARNINGS))


@pytest.mark.parametrize(
    "value",
    ["2024-01-15 12:00 +0100", "2024-01-15 12:00:00 +0100", "2024-01-15T12:00:00+01:00", "2024-01-15 12:00:00 +01:00", "2024-01-15 12:00"],
)
def test_jekyll_and_hugo_date_forms(built_site, value):
    (built_site / "content/news/dated.md").write_text(f'---\ntitle: "Dated"\ndate: {value}\n---\nBody.\n', encoding="utf-8")
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("news/dated/index.html", 'datetime="2024-01-15"', '"datePublished":"2024-01-15T12:00:00+01:00"'))


def test_unknown_keys_fail_strict(built_site):
    add_post(built_site, JEKYLL)
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, refused(*(line.replace(": warning: ", ": error: ") for line in JEKYLL_WARNINGS)))


def test_liquid_and_shortcodes_appear_as_text(built_site):
    add_post(built_site, JEKYLL)
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("news/2024-01-15-jekyll-seminar/index.html", '{% include figure.html image="seminar.jpg"',
                                          "{{ site.baseurl }} is where Jekyll put", warnings=JEKYLL_WARNINGS))


def test_front_matter_only_post_builds_strict(built_site):
    add_post(built_site, "2023-11-20-front-matter-only.md")
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built("news/2023-11-20-front-matter-only/index.html", "<h1>Lab closed for the holidays</h1>"))
    assert_outcome(run, built_site, built("tags/practical/index.html", "Lab closed for the holidays"))


def test_non_ascii_file_name_with_spaces_builds_strict(built_site):
    add_post(built_site, "Été 2024 — bilan.md")
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built("news/ete-2024-bilan/index.html", "<h1>Bilan de l’été 2024</h1>", "Un été riche en publications."))


def test_jekyll_published_false_is_never_published_silently(built_site):
    """`published: false` is Jekyll's draft flag: publishing the post with only a warning would leak it."""
    add_post(built_site, "2024-10-14-unpublished-draft.md")
    run = build_checked(built_site)
    assert_outcome(run, built_site, EXPECTED["2024-10-14-unpublished-draft.md"])
    assert not (built_site / "public/news/2024-10-14-unpublished-draft").exists()


def test_posts_in_a_hugo_section_folder_are_reported(built_site):
    """Hugo keeps posts in content/posts/: the build says they are not read (a warning), and publishes the rest."""
    add_post(built_site, JEKYLL, folder="content/posts")
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("news/hello/index.html", "<h1>Hello from the biocluster</h1>", warnings=(
        f"content/posts/{JEKYLL}: warning: this Markdown file is not in content/news, pages, events, calls or jobs, so it is not published "
        "(move articles to content/news/ and pages to content/pages/)",)))
    assert not (built_site / "public/news/2024-01-15-jekyll-seminar").exists()
