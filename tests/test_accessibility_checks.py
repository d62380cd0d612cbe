"""Build-time accessibility checks: what browser checkers cannot judge, reported as warnings at the content's line."""

from __future__ import annotations

from support import FAILED, edit, make_site, run_cli

BODY = """Intro paragraph.

## Results

#### Details skipped a level

See [read more](/news/first-award/) and [Lire la suite…](/about/).

<table><tr><td>Partner</td><td>Role</td></tr></table>

![The Timone campus](/images/logo.png) The Timone campus seen from the north.

[the award](/news/first-award/) is fine.
"""


def _site(tmp_path):
    """The sample site with one article holding each kind of problem."""
    return make_site(tmp_path, {"content/news/checks.md": f"---\ntitle: Checks\ndate: 2024-03-01\n---\n{BODY}"})


WARNINGS = [
    "content/news/checks.md:9: warning: the heading 'Details skipped a level' is a level 4 after a level 2: a level is skipped "
    "(make it a level 3 heading (### in Markdown))",
    "content/news/checks.md:11: warning: the link text 'Lire la suite…' says nothing of where it leads when read alone "
    "(name the destination in the link: [the launch programme](/news/launch/))",
    "content/news/checks.md:11: warning: the link text 'read more' says nothing of where it leads when read alone "
    "(name the destination in the link: [the launch programme](/news/launch/))",
    "content/news/checks.md:13: warning: the table starting 'Partner Role' has no header cells "
    "(give it a header row of <th> cells (a Markdown table has one: the row above the line of dashes))",
    "content/news/checks.md:15: warning: the alt text 'The Timone campus' repeats the text beside the image "
    "(describe what the picture shows rather than repeat the text beside it)",
]


def test_each_problem_is_a_warning_at_its_line_and_the_site_is_published(tmp_path):
    """A normal build publishes with one warning per problem, each at the line of the article that causes it."""
    site = _site(tmp_path)
    run = run_cli(site)
    assert run.returncode == 0
    assert run.lines == [*WARNINGS, "0 errors, 5 warnings"]
    assert (site / "public/news/checks/index.html").is_file()


def test_strict_builds_fail_on_them_and_publish_nothing(tmp_path):
    """--strict (as CI runs it) turns the warnings into a failure: nothing is published."""
    site = _site(tmp_path)
    run = run_cli(site, "--strict")
    assert run.returncode == 1 and run.lines == [*(line.replace(": warning: ", ": error: ") for line in WARNINGS), "5 errors, 0 warnings", FAILED]
    assert not (site / "public").exists()


def test_a_problem_in_a_template_is_reported_once_on_the_template(tmp_path):
    """A vague link added to the footer of every page: one warning on the templates, with the first page and how many show it."""
    site = make_site(tmp_path)
    edit(site / "templates/base.html", '<p class="footer-funding">', '<p><a href="/about/">Click here</a></p><p class="footer-funding">')
    run = run_cli(site)
    assert run.returncode == 0
    assert run.lines == [
        "templates: warning: the link text 'Click here' says nothing of where it leads when read alone (while rendering / and 50 other pages) "
        "(name the destination in the link: [the launch programme](/news/launch/))", "0 errors, 1 warning"]


def test_the_sites_own_pages_have_none(tmp_path):
    """The sample site as it is builds in strict mode: its templates and content pass every check."""
    run = run_cli(make_site(tmp_path), "--strict")
    assert (run.returncode, run.stderr) == (0, "")


def test_a_title_two_pages_of_one_language_share_is_a_warning_at_the_later_one(tmp_path):
    """Titles compared without case or spacing, articles with pages and with partners' and platforms' names, per language."""
    site = make_site(tmp_path, {
        "content/news/second-award.md": "---\ntitle: ' the SAMPLE cluster   wins an award'\ndate: 2024-03-01\n---\nText.\n",
        "content/pages/sample-university.md": "---\ntitle: Sample University\n---\nText.\n",
        "content/pages/hospital.fr.md": "---\ntitle: Sample Hospital\nslug: hopital\n---\nTexte.\n",
        "content/pages/agence.fr.md": "---\ntitle: Sample Agency\nslug: agence\n---\nTexte.\n",
    })
    assert "title: \"The sample cluster wins an award\"" in (site / "content/news/first-award.md").read_text()
    run = run_cli(site)
    hint = "(give each page a title of its own: readers tell pages apart by their titles in tabs, history and search results)"
    assert run.returncode == 0
    assert run.lines == [
        f"content/data/partners.yaml:2: warning: the title 'Sample University' is also the title of content/pages/sample-university.md:2 {hint}",
        f"content/data/partners.yaml:10: warning: the title 'Sample Hospital' is also the title of content/pages/hospital.fr.md:2 {hint}",
        f"content/news/second-award.md:2: warning: the title ' the SAMPLE cluster   wins an award' is also the title of content/news/first-award.md:2 {hint}",
        "0 errors, 3 warnings",
    ]


PASSAGES = """The biocluster opened its doors to the public this spring.

Le biocluster a ouvert ses portes au public et aux familles de la région.

Le biocluster a ouvert ses portes au public et aux familles de la région.
{: lang=fr }

The motto, <span lang="fr">le soin et la recherche pour les patients de la région</span>, is on the door.

The Référentiel général d'amélioration de l'accessibilité is the framework the site follows.
"""


def test_a_passage_in_another_language_without_lang_is_a_warning_at_its_line(tmp_path):
    """Only the unmarked French paragraph of an English article is reported; marked passages and a name are not."""
    site = make_site(tmp_path, {
        "content/news/passages.md": f"---\ntitle: Passages\ndate: 2024-03-01\n---\n{PASSAGES}",
        "content/news/passages.fr.md": "---\ntitle: Passages en français\nslug: passages\ndate: 2024-03-01\n---\n"
                                       "Le biocluster a ouvert ses portes.\n\nThe biocluster opened its doors to the public and to the families of the region.\n",
    })
    run = run_cli(site)
    assert run.returncode == 0
    assert run.lines == [
        "content/news/passages.fr.md:8: warning: the passage 'The biocluster opened its doors to the public…' reads as English "
        "on a page in French, and says nothing of its language (mark it so screen readers read it in its language: add "
        "'{: lang=en }' on a line of its own after the paragraph, or write <span lang=\"en\">…</span> around a phrase)",
        "content/news/passages.md:7: warning: the passage 'Le biocluster a ouvert ses portes au public…' reads as French "
        "on a page in English, and says nothing of its language (mark it so screen readers read it in its language: add "
        "'{: lang=fr }' on a line of its own after the paragraph, or write <span lang=\"fr\">…</span> around a phrase)",
        "0 errors, 2 warnings",
    ]
    page = (site / "public/news/passages/index.html").read_text()
    assert '<p lang="fr">Le biocluster a ouvert ses portes au public et aux familles de la région.</p>' in page
