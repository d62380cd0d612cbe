"""`build.py import jekyll|hugo SOURCE` (issue 25, point 1): the fixtures in tests/importer/ brought into the sample site.

Each test runs the command as an editor would, then reads the files written, the report word for word, the exit
status, what was not written, and finally builds the imported site with `check`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import REPO, edit, make_site, run_build, run_cli, tree

JEKYLL = REPO / "tests" / "importer" / "jekyll"
HUGO = REPO / "tests" / "importer" / "hugo"
SEMINAR = "content/news/seminaire-immunologie.fr.md"


@pytest.fixture
def site(tmp_path) -> Path:
    """The sample site, without its own about page (the imported sites bring theirs)."""
    return make_site(tmp_path, {"content/pages/about.md": None, "content/pages/about.fr.md": None})


def imported(site: Path, *args: str):
    """`build.py import ARGS` run from the site's folder."""
    return run_cli(site, "import", *args)


JEKYLL_REPORT = [
    "_posts/2024/2024-01-15-Séminaire-Immunologie.md -> content/news/seminaire-immunologie.fr.md: date taken from the file name; "
    "'tags' split into a list; 'categories' made a list; 'categories' added to tags; old address kept as aliases: "
    "/seminaires/2024/01/15/Séminaire-Immunologie.html; 'layout' dropped; 'posted_by' became 'author'; 'subtitle' kept under extra; "
    "{{ site.baseurl }} removed (addresses start at the site's root); 1 {% post_url %} rewritten to the new address",
    "_posts/2024/2024-03-02-annual-report.md -> content/news/annual-report.md: date taken from the file name; old address kept as "
    "aliases: /reports/2023/annual.html; 'layout' dropped; 'img_alttext' became 'image_alt'; {{ site.baseurl }} removed "
    "(addresses start at the site's root); 1 link to an old address rewritten",
    "_posts/2024-05-01-open-day.md -> content/news/open-day.md: date taken from the file name; old address kept as aliases: "
    "/2024/05/01/open-day.html",
    "_posts/2024-06-10-visite-du-labo.md -> content/news/visite-du-labo.md: date taken from the file name; old address kept as aliases: "
    "/2024/06/10/visite-du-labo.html",
    "_posts/2024-07-01-untitled-many-tags.md -> content/news/untitled-many-tags.md: date taken from the file name; 'tags' split into "
    "a list; old address kept as aliases: /2024/07/01/untitled-many-tags.html; no title: the file's name given as its title",
    "_posts/archive/2024-03-02-annual-report.md -> content/news/2024-03-02-annual-report.md: 'category' made a list; 'category' "
    "added to tags; named '2024-03-02-annual-report': 'annual-report' was taken; old address kept as aliases: "
    "/archive/2024/03/02/annual-report.html",
    "_posts/fr/2024-05-01-portes-ouvertes.md -> content/news/open-day.fr.md: date taken from the file name; named 'open-day' to pair "
    "with _posts/2024-05-01-open-day.md, of which it is a translation; old address kept as aliases: /2024/05/01/portes-ouvertes.html; 1 {% link %} rewritten to the new address",
    "about.md -> content/pages/about.md: 'layout' dropped",
    "wrote 9 files, 0 already there",
]
JEKYLL_PROBLEMS = [
    "_posts/2024-06-10-visite-du-labo.md:3: warning: declared 'en', but its text reads as 'fr': imported as 'en' "
    "(check its language, and move it if it is wrong)",
    "_posts/2025-02-29-leap-day.md: error: the date 2025-02-29 in the file name does not exist: not imported "
    "(rename the file with the real date)",
    "content/news/2024-03-02-annual-report.md:8: warning: kramdown extension '{:toc}' left in place (Python-Markdown does not read it)",
    "content/news/annual-report.md:11: warning: the file '/assets/img/chart.png' is missing from the old site: not copied "
    "(find it, and put it in static/ at that path)",
    "content/news/open-day.fr.md:6: warning: {% post_url %} to '2023-01-01-gone': no imported post or page has that name "
    "(write the address by hand)",
    "content/news/seminaire-immunologie.fr.md:12: warning: a link to '/gallery/', an address of the old site that no imported post "
    "or page had (point it at a page of this site, or remove it)",
    "content/news/seminaire-immunologie.fr.md:14: warning: template tag '{% include figure.html image=\"lab.png\" %}' left in place "
    "(replace it by hand)",
    "content/news/untitled-many-tags.md:4: warning: 22 tags, more than the 20 an article may have (keep the 20 that matter most)",
    "content/pages/about.md:4: warning: template tag '{% endfor %}' left in place (replace it by hand)",
    "content/pages/about.md:4: warning: template tag '{% for member in site.data.team %}' left in place (replace it by hand)",
    "content/pages/about.md:4: warning: template tag '{{ member.name }}' left in place (replace it by hand)",
    "1 error, 10 warnings",
]


def test_jekyll_posts_are_flattened_dated_mapped_and_rewritten(site):
    run = imported(site, "jekyll", str(JEKYLL), "--pages")
    assert (run.returncode, run.stdout.splitlines(), run.lines) == (1, JEKYLL_REPORT, JEKYLL_PROBLEMS), run
    news = site / "content" / "news"
    assert (site / SEMINAR).read_text(encoding="utf-8") == (
        "---\n"
        "title: 'Séminaire d''immunologie : les lymphocytes T'\n"
        "date: '2024-01-15'\n"
        "tags: [immunologie, vaccins, Seminaires]\n"
        "author: Marie Curie\n"
        "extra: {subtitle: Une journée à La Timone}\n"
        "aliases: [/seminaires/2024/01/15/Séminaire-Immunologie.html]\n"
        "---\n"
        "Le séminaire a réuni les équipes de la région pour une journée sur les lymphocytes T. Les chercheurs ont présenté leurs "
        "travaux dans la salle du campus et les discussions ont été nombreuses avec les étudiants qui sont venus pour la première fois.\n"
        "{: .lead}\n"
        "\n"
        "Le programme est sur [la page du rapport](/news/annual-report/) et les photos sont dans la [galerie](/gallery/).\n"
        "\n"
        '{% include figure.html image="lab.png" %}\n')
    assert (news / "annual-report.md").read_text(encoding="utf-8") == (
        "---\n"
        "title: 'Annual report: 2023 in numbers'\n"
        "date: '2024-03-02'\n"
        "tags: [reports]\n"
        "image: /assets/img/lab.png\n"
        "image_alt: Two researchers at a microscope in the lab\n"
        "aliases: [/reports/2023/annual.html]\n"
        "---\n"
        "The annual report of the lab is out.\n"
        "\n"
        "![A chart of the year's publications](/assets/img/chart.png)\n"
        "\n"
        "Read about the [open day](/news/open-day/) too.\n")
    assert (news / "2024-03-02-annual-report.md").read_text(encoding="utf-8").startswith(
        "---\ntitle: Annual report (archived draft)\ndate: 2024-03-02 10:30:00 +0100\ntags: [archive]\n")
    assert (news / "open-day.fr.md").read_text(encoding="utf-8") == (
        "---\ntitle: Portes ouvertes\ndate: '2024-05-01'\naliases: [/2024/05/01/portes-ouvertes.html]\n---\n"
        "Le laboratoire ouvre ses portes. Voir [l'annonce](/news/open-day/) et [un ancien lien]({% post_url 2023-01-01-gone %}).\n")
    assert (site / "static/assets/img/lab.png").read_bytes() == (JEKYLL / "assets/img/lab.png").read_bytes()
    assert not list(news.glob("*leap*")) and not list(news.glob("*unfinished*"))  # an impossible date, a draft: not imported


def test_an_existing_file_is_never_overwritten(tmp_path):
    site = make_site(tmp_path)  # the sample site has its own content/pages/about.md
    before = (site / "content/pages/about.md").read_bytes()
    run = imported(site, "jekyll", str(JEKYLL), "--pages")
    assert run.returncode == 1
    assert ("content/pages/about.md: error: the file exists and differs from about.md: not overwritten "
            "(move it away and import again, or merge by hand)") in run.lines
    assert not any(line.startswith("content/pages/about.md:4:") for line in run.lines)  # no to-do in a file not written
    assert (site / "content/pages/about.md").read_bytes() == before


def test_a_second_run_and_a_dry_run_change_nothing(site):
    dry = imported(site, "jekyll", str(JEKYLL), "--pages", "--dry-run")
    assert dry.stdout.splitlines()[-1] == "would write 9 files, 0 already there (dry run: nothing written)"
    assert tree(site / "content") == tree(make_site(site.parent / "fresh", {"content/pages/about.md": None,
                                                                            "content/pages/about.fr.md": None}) / "content")
    imported(site, "jekyll", str(JEKYLL), "--pages")
    first = tree(site)
    again = imported(site, "jekyll", str(JEKYLL), "--pages")
    assert again.stdout.splitlines()[-1] == "wrote 0 files, 9 already there"
    assert tree(site) == first


def test_the_imported_jekyll_site_checks_once_the_listed_work_is_done(site):
    """What the report lists, done by hand as an editor would (the lines it names), and the site passes `check`."""
    imported(site, "jekyll", str(JEKYLL))
    edit(site / SEMINAR, '{% include figure.html image="lab.png" %}\n', "")
    edit(site / "content/news/2024-03-02-annual-report.md", "* TOC\n{:toc}\n", "")
    edit(site / SEMINAR, " et les photos sont dans la [galerie](/gallery/)", "")
    edit(site / "content/news/annual-report.md", "![A chart of the year's publications](/assets/img/chart.png)\n", "")
    edit(site / "content/news/open-day.fr.md", " et [un ancien lien]({% post_url 2023-01-01-gone %})", "")
    edit(site / "content/news/untitled-many-tags.md", ", t, u, v]", "]")
    (site / "content/news/visite-du-labo.md").rename(site / "content/news/visite-du-labo.fr.md")  # its text is French
    run = run_cli(site, "check")
    assert run.returncode == 0, run
    built = run_cli(site, "build")
    assert built.returncode == 0, built
    public = site / "public"
    assert 'url=/fr/actualites/seminaire-d-immunologie-les-lymphocytes-t/"' in \
        (public / "seminaires/2024/01/15/Séminaire-Immunologie.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/records/" target="_blank">' in \
        (public / "news/2024-03-02-annual-report/index.html").read_text(encoding="utf-8")  # a kramdown attribute list, kept
    assert "/reports/2023/annual.html /news/annual-report/ 301" in (public / "_redirects").read_text(encoding="utf-8")
    assert 'href="/fr/actualites/portes-ouvertes/"' in (public / "news/open-day/index.html").read_text(encoding="utf-8")


HUGO_REPORT = [
    "content/about.md -> content/pages/about.md: TOML front matter converted to YAML",
    "content/posts/notes/reading-list.md -> content/news/reading-list.md: 'slug' dropped (the file's name, 'reading-list', gives "
    "the address); old address kept as aliases: /2024/02/reading_list/",
    "content/posts/open-day/index.fr.md -> content/news/open-day/index.fr.md: old address kept as aliases: /fr/2024/05/open-day/",
    "content/posts/open-day/index.md -> content/news/open-day/index.md: old address kept as aliases: /Journée-Portes-Ouvertes/; "
    "'featured_image' became 'image'; 'featured_image_alt' became 'image_alt'",
    "content/posts/spring-school.fr.md -> content/news/spring-school.fr.md: TOML front matter converted to YAML; old address kept "
    "as aliases: /fr/2024/03/spring-school/",
    "content/posts/spring-school.md -> content/news/spring-school.md: TOML front matter converted to YAML; 'categories' made a list; "
    "'categories' added to tags; old addresses kept as aliases: /2024/03/spring-school/, /old/spring-school/; 'description' became "
    "'summary'; 'weight' dropped; 2 ref/relref rewritten to the new addresses",
    "wrote 8 files, 0 already there",
]
HUGO_PROBLEMS = [
    "content/news/spring-school.md:12: warning: template tag '{{< youtube dQw4w9WgXcQ >}}' left in place (replace it by hand)",
    "content/pages/about.md:4: warning: template tag '{{% /notice %}}' left in place (replace it by hand)",
    "content/pages/about.md:4: warning: template tag '{{% notice info %}}' left in place (replace it by hand)",
    "content/posts/_index.md: warning: a section's list page: not imported (this site makes its own listings)",
    "0 errors, 4 warnings",
]


def test_hugo_sections_bundles_and_translations(site):
    run = imported(site, "hugo", str(HUGO), "--pages")
    assert (run.returncode, run.stdout.splitlines(), run.lines) == (0, HUGO_REPORT, HUGO_PROBLEMS), run
    news = site / "content" / "news"
    assert (news / "spring-school.md").read_text(encoding="utf-8") == (
        "---\n"
        "title: 'Spring school: T cells'\n"
        "date: 2024-03-10 09:00:00 +0100\n"
        "tags: [T cells, teaching, Events]\n"
        "summary: A week of lectures on T cells.\n"
        "aliases: [/2024/03/spring-school/, /old/spring-school/]\n"
        "draft: false\n"
        "---\n"
        "The spring school is open to PhD students. See the [open day](/news/open-day/) and the\n"
        "[notes](/news/reading-list/#week-1).\n"
        "\n"
        "{{< youtube dQw4w9WgXcQ >}}\n"
        "\n"
        "![The lecture hall](/images/hall.png)\n")
    assert (news / "spring-school.fr.md").read_text(encoding="utf-8") == (
        "---\ntitle: 'École de printemps : les lymphocytes T'\ndate: 2024-03-10 09:00:00 +0100\ntags: [lymphocytes T]\n"
        "aliases: [/fr/2024/03/spring-school/]\n---\nL'école de printemps est ouverte aux doctorants.\n")
    assert sorted(p.name for p in (news / "open-day").iterdir()) == ["index.fr.md", "index.md", "photo.png"]
    assert (site / "static/images/hall.png").read_bytes() == (HUGO / "static/images/hall.png").read_bytes()
    assert not (news / "_index.md").exists()


def test_the_imported_hugo_site_checks_and_its_old_addresses_redirect(site):
    imported(site, "hugo", str(HUGO))
    edit(site / "content/news/spring-school.md", "{{< youtube dQw4w9WgXcQ >}}\n", "")
    assert (run := run_cli(site, "check")).returncode == 0, run
    assert (run := run_cli(site, "build")).returncode == 0, run
    public = site / "public"
    redirects = (public / "_redirects").read_text(encoding="utf-8")
    assert "/Journ%C3%A9e-Portes-Ouvertes/ /news/open-day/ 301" in redirects
    assert "/fr/2024/03/spring-school/ /fr/actualites/ecole-de-printemps-les-lymphocytes-t/ 301" in redirects
    assert (public / "Journée-Portes-Ouvertes/index.html").is_file()
    assert 'href="/news/reading-list/#week-1"' in (public / "news/spring-school/index.html").read_text(encoding="utf-8")


def test_a_field_map_file_extends_the_defaults(site, tmp_path):
    (tmp_path / "fields.yaml").write_text("subtitle: extra.deck\nposted_by:\n", encoding="utf-8")
    run = imported(site, "jekyll", str(JEKYLL), "--fields", str(tmp_path / "fields.yaml"))
    assert run.returncode == 1  # the leap day
    text = (site / SEMINAR).read_text(encoding="utf-8")
    assert "extra: {deck: Une journée à La Timone}\n" in text and "author" not in text
    assert "'posted_by' dropped" in run.stdout


def test_a_field_map_naming_an_unknown_field_is_a_usage_error(site, tmp_path):
    (tmp_path / "fields.yaml").write_text("posted_by: writer\n", encoding="utf-8")
    run = imported(site, "jekyll", str(JEKYLL), "--fields", str(tmp_path / "fields.yaml"))
    assert run.returncode == 2
    assert run.lines == [f"error: {tmp_path / 'fields.yaml'}:1: 'writer' is not a field of this site (use one of title, date, summary, "
                         "tags, partners, platforms, author, image, image_alt, image_credit, image_focus, updated, draft, slug, aliases, "
                         "extra.NAME, or nothing to drop the key)"]
    assert not (site / SEMINAR).exists()


def test_hostile_sources_are_refused_without_writing_outside(site, tmp_path):
    """A linked post, a bundle file named to break the host files, a date that does not exist in front matter, a TOML bomb."""
    source = tmp_path / "hugo"
    shutil.copytree(HUGO, source)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\ndate: 2024-01-01\n---\nsecret\n", encoding="utf-8")
    (source / "content/posts/linked.md").symlink_to(secret)
    (source / "content/posts/folder").symlink_to(tmp_path, target_is_directory=True)  # secret.md is in it: never read
    (source / "content/posts/open-day/evil;name.png").write_bytes(b"x")
    (source / "content/posts/leap.md").write_text("---\ntitle: Leap\ndate: 2025-02-29\n---\nx\n", encoding="utf-8")
    (source / "content/posts/leap2.md").write_text('+++\ntitle = "Leap"\ndate = 2025-02-29\n+++\nx\n', encoding="utf-8")
    (source / "content/posts/open-day/notes.md").write_text("---\ntitle: Notes\n---\nx\n", encoding="utf-8")
    (source / "content/posts/old.html").write_text("<p>old</p>", encoding="utf-8")
    (source / "content/posts/deep.md").write_text("+++\nx = " + "[" * 5000 + "]" * 5000 + "\n+++\n", encoding="utf-8")
    run = imported(site, "hugo", str(source))
    linked = "error: a symbolic link, or in a linked folder: not imported (copy the file it points to in its place)"
    assert f"content/posts/linked.md: {linked}" in run.lines
    assert ("content/news/open-day/evil;name.png: warning: the file 'evil;name.png' is not copied: the name holds ';', which the host "
            "files (_headers, _redirects) give a meaning to (copy it by hand under a plain name)") in run.lines
    assert "content/posts/leap.md:3: error: invalid value '2025-02-29': day is out of range for month" in run.lines
    assert ("content/posts/leap2.md:3: error: TOML syntax error: Invalid date or datetime: not imported "
            "(fix the front matter between the '+++' lines)") in run.lines
    assert ("content/posts/deep.md:1: error: TOML syntax error: it is nested too deeply: not imported "
            "(fix the front matter between the '+++' lines)") in run.lines
    assert not any((site / "content/news" / name).exists() for name in ("linked.md", "leap.md", "leap2.md", "secret.md", "deep.md", "notes.md", "old.md"))
    assert not (site / "content/news/open-day/evil;name.png").exists()
    assert ("content/posts/open-day/notes.md: warning: a Markdown file inside a page bundle is one of its resources, not a post: "
            "not imported") in run.lines
    assert "content/posts/old.html: warning: an HTML page: not imported (bring its text in by hand, as Markdown)" in run.lines
    assert sum("evil;name.png" in line for line in run.lines) == 1  # once, though both languages of the bundle name it


def test_old_addresses_the_host_files_cannot_hold_are_listed_not_kept(site, tmp_path):
    """Jekyll keeps quotes and brackets in addresses ('pretty' slugify); here such an address cannot redirect: listed, the post imported."""
    source = tmp_path / "jekyll"
    shutil.copytree(JEKYLL, source)
    post = "---\ntitle: Question\n---\nText.\n"
    (source / "_posts/2024-08-01-Qu'est-ce que l'immunité.md").write_text(post, encoding="utf-8")
    (source / "_posts/2024-08-02-Rapport (final).md").write_text(post.replace("Question", "Report"), encoding="utf-8")
    (source / "_posts/2024-09-01-old.html").write_text("---\ntitle: Old\n---\n<p>Old.</p>\n", encoding="utf-8")
    run = imported(site, "jekyll", str(source))
    assert "_posts/2024-09-01-old.html: warning: an HTML post: not imported (bring its text in by hand, as Markdown)" in run.lines
    assert ("_posts/2024-08-01-Qu'est-ce que l'immunité.md: warning: the old address \"/2024/08/01/Qu'est-ce-que-l'immunité.html\" "
            "cannot redirect: it holds ''', which the host files (_headers, _redirects) give a meaning to "
            "(add a redirect for it on the server by hand)") in run.lines, run
    assert ("_posts/2024-08-02-Rapport (final).md: warning: the old address '/2024/08/02/Rapport-(final).html' cannot redirect: "
            "it is not a plain path (letters, digits, '-', '_', '.', '~' and '@' between slashes) "
            "(add a redirect for it on the server by hand)") in run.lines, run
    assert (site / "content/news/rapport-final.md").read_text(encoding="utf-8") == "---\ntitle: Report\ndate: '2024-08-02'\n---\nText.\n"


def test_the_old_sites_settings_give_addresses_and_language(site, tmp_path):
    """Jekyll's permalink pattern and `lang` in _config.yml; a one-language Hugo site's languageCode."""
    jekyll, hugo = tmp_path / "jekyll", tmp_path / "hugo"
    (jekyll / "_posts").mkdir(parents=True)
    (jekyll / "_config.yml").write_text("permalink: /actus/:year/:title/\nlang: fr\n", encoding="utf-8")
    (jekyll / "_posts/2024-02-01-Rentree.md").write_text("---\ntitle: Rentrée\n---\nTexte.\n", encoding="utf-8")
    (hugo / "content/posts").mkdir(parents=True)
    (hugo / "config.toml").write_text('languageCode = "fr-fr"\n[permalinks]\nposts = "/:year/:month/:day/:filename/"\n', encoding="utf-8")
    (hugo / "content/posts/Colloque.md").write_text('+++\ntitle = "Colloque"\ndate = 2024-03-04\n+++\nTexte.\n', encoding="utf-8")
    assert imported(site, "jekyll", str(jekyll)).returncode == 0
    assert imported(site, "hugo", str(hugo)).returncode == 0
    news = site / "content" / "news"
    assert (news / "rentree.fr.md").read_text(encoding="utf-8") == (
        "---\ntitle: Rentrée\ndate: '2024-02-01'\naliases: [/actus/2024/Rentree/]\n---\nTexte.\n")
    assert (news / "colloque.fr.md").read_text(encoding="utf-8") == (
        "---\ntitle: Colloque\ndate: '2024-03-04'\naliases: [/2024/03/04/colloque/]\n---\nTexte.\n")


def test_a_link_tag_to_a_file_gives_its_address_and_copies_it(site, tmp_path):
    source = tmp_path / "jekyll"
    (source / "_posts").mkdir(parents=True)
    (source / "assets/files").mkdir(parents=True)
    (source / "assets/files/report.pdf").write_bytes(b"%PDF-1.4 report")
    (source / "_posts/2024-02-01-report.md").write_text(
        "---\ntitle: The report\n---\nRead [the report]({% link assets/files/report.pdf %}).\n", encoding="utf-8")
    run = imported(site, "jekyll", str(source))
    assert run.returncode == 0, run
    assert (site / "content/news/report.md").read_text(encoding="utf-8").endswith("Read [the report](/assets/files/report.pdf).\n")
    assert (site / "static/assets/files/report.pdf").read_bytes() == b"%PDF-1.4 report"


def test_usage_errors(site):
    run = imported(site, "jekyll", str(site / "nowhere"))
    assert (run.returncode, run.lines) == (2, [f"error: {site / 'nowhere'} is not a folder (give the folder of the jekyll site)"])
    run = run_build(site, "import", "wordpress", str(JEKYLL))
    assert (run.returncode, run.lines) == (2, ["error: argument generator: invalid choice: 'wordpress' (choose from 'jekyll', 'hugo')"])
