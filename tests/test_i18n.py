"""Both languages everywhere: UI strings, the language switch, hreflang, feeds and the translation report.

How each language writes dates and amounts is tested in unit/test_formatter.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml
from support import REPO, build, copy_real_site, edit, run_cli, tree

EN = yaml.safe_load((REPO / "templates" / "i18n" / "en.yaml").read_text())
FR = yaml.safe_load((REPO / "templates" / "i18n" / "fr.yaml").read_text())


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    """A copy of the repository's own site, built once for this module in strict mode (output and cache in the copy)."""
    site = copy_real_site(tmp_path_factory.mktemp("real") / "site")
    result = build(site, strict=True)
    return site / "public", result


def _texts(strings: dict) -> dict[str, str]:
    """Every text of a strings file, each plural form under 'key.form'."""
    flat = {}
    for key, value in strings.items():
        flat.update({f"{key}.{form}": text for form, text in value.items()} if isinstance(value, dict) else {key: value})
    return flat


class _Text(HTMLParser):
    """Visible text and labelling attributes of a page."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "alt", "content") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def test_no_english_ui_string_on_french_pages(real_site):
    """No French page shows a value of the English strings file (where it differs from the French)."""
    out, _ = real_site
    # The switch shows each language's own name ('English', marked lang="en"), which is also en.yaml's name of English.
    english = {v for k, v in _texts(EN).items() if v != _texts(FR)[k] and "{" not in v and len(v) > 3 and not k.startswith("language_name_")}
    pages = sorted((out / "fr").rglob("*.html"))
    assert len(english) > 20 and len(pages) > 20
    offenders = []
    for page in pages:
        parser = _Text()
        parser.feed(page.read_text())
        text = " ".join(" ".join(parser.parts).split())
        offenders += [f"{page.relative_to(out)}: {s!r}" for s in english if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
    assert offenders == []


def test_every_page_declares_its_language(real_site):
    """<html lang> is fr under /fr/ and en elsewhere."""
    out, _ = real_site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        head = page.read_text()[:200]
        want = "fr" if page.relative_to(out).parts[0] == "fr" else "en"
        assert f'<html lang="{want}"' in head, page


def _switch_links(html: str) -> list[tuple[str, str]]:
    """(language, URL) of the language switch links."""
    block = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)" hreflang="([a-z]{2})"', block.group(0)) if block else []


def test_language_switch_lands_on_the_translation(real_site):
    """An article's switch goes to its translation; every page type has a working switch."""
    out, _ = real_site
    article = (out / "news" / "official-launch" / "index.html").read_text()
    assert _switch_links(article) == [("/fr/actualites/lancement-officiel/", "fr")]
    french = (out / "fr" / "partenaires" / "inserm" / "index.html").read_text()
    assert _switch_links(french) == [("/partners/inserm/", "en")]
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    pages = sorted(page for page in out.rglob("*.html") if page.name in ("index.html", "404.html"))
    assert len(pages) > 50
    for page in pages:
        if 'http-equiv="refresh"' not in page.read_text():
            links = _switch_links(page.read_text())
            assert links, f"{page} has no language switch"
            for url, _lang in links:
                target = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
                assert target in files, f"{page}: switch to {url} is missing"


def _hidden_switch_texts(html: str) -> list[str]:
    """The screen-reader text of each link of the language switch, and the link's visible text."""
    block = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S).group(0)
    return re.findall(r'<span class="visually-hidden" lang="[a-z]{2}">([^<]*)</span>([^<]*)</a>', block)


def test_switch_names_the_language_in_the_readers_language(real_site):
    """'Lire cette page en anglais', never 'en English': the name of the language comes from the page's strings file."""
    out, _ = real_site
    assert _hidden_switch_texts((out / "fr" / "actualites" / "lancement-officiel" / "index.html").read_text()) == [("Lire cette page en anglais ", "English")]
    assert _hidden_switch_texts((out / "news" / "official-launch" / "index.html").read_text()) == [("Read this page in French ", "Français")]
    assert _hidden_switch_texts((out / "fr" / "index.html").read_text()) == [("Lire cette page en anglais ", "English")]


def test_a_language_without_a_name_stops_the_build(site):
    """The switch must name every language: a name missing from every strings file is an error in each."""
    for lang in ("en", "fr"):
        edit(site / f"templates/i18n/{lang}.yaml", "language_name_fr:", "# language_name_fr:")
    run = run_cli(site)
    assert run.returncode == 1
    assert run.lines == [
        *(f"templates/i18n/{lang}.yaml: error: missing UI string 'language_name_fr' (the name of the language 'fr' in this language) "
          "(add 'language_name_fr: ...' as this language writes it after 'language_switch_to')" for lang in ("en", "fr")),
        "2 errors, 0 warnings",
        "build failed: nothing was published",
    ]


def _counts(html: str) -> list[str]:
    """The text of every count shown in a page."""
    return [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in re.findall(r'<span class="count">(.*?)</span>', html)]


def test_counts_in_each_languages_plural(site):
    """Tag and year counts say '(1 article)' and '(2 articles)' in each language (never '(1 articles)'); partner filters count partners."""
    (site / "content/news/second.fr.md").write_text(
        '---\ntitle: "Deuxième article"\ndate: 2023-06-01\ntags: [France 2030]\n---\nUn deuxième article.\n', encoding="utf-8")
    assert run_cli(site).returncode == 0
    out = site / "public"
    assert _counts((out / "fr/mots-cles/index.html").read_text()) == ["(1 article)", "(2 articles)"]  # financement, France 2030
    assert _counts((out / "tags/index.html").read_text()) == ["(1 article)"] * 4
    assert _counts((out / "fr/actualites/index.html").read_text()) == ["(2 articles)"]  # 2023
    assert _counts((out / "news/index.html").read_text()) == ["(2 articles)", "(1 article)"]  # 2023, 2024
    # the partner filters show the number, and say what it counts to screen readers (the pills stay on one line on a phone)
    hidden = r'<span class="count"><span aria-hidden="true">\((\d+)\)</span><span class="visually-hidden">\(([^<]*)\)</span></span>'
    assert re.findall(hidden, (out / "partners/index.html").read_text()) == [("3", "3 partners"), ("1", "1 partner"), ("1", "1 partner"), ("1", "1 partner")]
    assert re.findall(hidden, (out / "fr/partenaires/index.html").read_text()) == [
        ("3", "3 partenaires"), ("1", "1 partenaire"), ("1", "1 partenaire"), ("1", "1 partenaire")]


def test_funding_chart_says_what_each_amount_is(real_site):
    """The programme's bar and the chart's description say it is the total for all winners; the award's bar says it is MIB's."""
    out, _ = real_site
    for path, programme, award in [
        ("funding/index.html", "Bioclusters programme, total for all winners", "MIB’s award from the Bioclusters programme"),
        ("fr/financement/index.html", "Programme Bioclusters, enveloppe totale pour l&#39;ensemble des lauréats", "Dotation du MIB au titre du programme Bioclusters"),
    ]:
        html = (out / path).read_text()
        labels = [" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", g)) for g in re.findall(r'<text class="bar-label">(.*?)</text>', html)]
        assert labels[:2] == [programme, award], path
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", html, re.S).group(1)
        assert f"{programme}\xa0: " in desc or f"{programme}: " in desc, path


def test_tags_shown_by_their_names(site):
    """A tag is shown as written ('Immunothérapie'), never as its address name, on the article, the index, its page and in feeds."""
    edit(site / "content/news/first-award.fr.md", "tags: [financement, France 2030]", "tags: [financement, France 2030, Immunothérapie]")
    assert run_cli(site).returncode == 0
    out = site / "public" / "fr"
    article = (out / "actualites/le-cluster-exemple-est-laureat/index.html").read_text()
    assert re.findall(r'<a href="/fr/mots-cles/([^/]+)/" data-pagefind-filter="tag">([^<]*)</a>', article) == [
        ("financement", "financement"), ("france-2030", "France 2030"), ("immunotherapie", "Immunothérapie")]
    assert re.findall(r'<a href="/fr/mots-cles/[^"]+">([^<]*)</a>', (out / "mots-cles/index.html").read_text()) == ["financement", "France 2030", "Immunothérapie"]
    assert "<h1>Mot-clé\xa0: Immunothérapie</h1>" in (out / "mots-cles/immunotherapie/index.html").read_text()
    assert '<category term="Immunothérapie"/>' in (out / "feed.xml").read_text()


def test_real_site_tags_written_as_names(real_site):
    """The site's own articles name their tags ('France 2030'), so no tag is shown as an address name."""
    out, _ = real_site
    for path in ("tags/index.html", "fr/mots-cles/index.html", "news/france-2030-funding/index.html", "fr/actualites/financement-france-2030/index.html"):
        html = (out / path).read_text()
        assert re.search(r'/(tags|fr/mots-cles)/france-2030/"[^>]*>France 2030</a>', html), path
        assert ">france-2030<" not in html, path


def test_switch_falls_back_to_the_section_when_untranslated(site):
    """An article with no French version switches to the French news index, never a 404."""
    assert run_cli(site).returncode == 0
    html = (site / "public" / "news" / "platform-news" / "index.html").read_text()
    assert _switch_links(html) == [("/fr/actualites/", "fr")]
    assert 'hreflang="fr"' not in html.split("</head>")[0]


def test_hreflang_alternates_in_head_and_sitemap(site):
    """A translated article lists both languages and x-default, in its head and in the sitemap."""
    assert run_cli(site).returncode == 0
    head = (site / "public" / "news" / "first-award" / "index.html").read_text().split("</head>")[0]
    assert '<link rel="alternate" hreflang="en" href="https://sample.example.org/news/first-award/">' in head
    assert '<link rel="alternate" hreflang="fr" href="https://sample.example.org/fr/actualites/le-cluster-exemple-est-laureat/">' in head
    assert '<link rel="alternate" hreflang="x-default" href="https://sample.example.org/news/first-award/">' in head
    sitemap = (site / "public" / "sitemap.xml").read_text()
    assert '<xhtml:link rel="alternate" hreflang="fr" href="https://sample.example.org/fr/actualites/le-cluster-exemple-est-laureat/"/>' in sitemap


def test_feeds_per_language(site):
    """/feed.xml holds English entries, /fr/feed.xml French ones."""
    assert run_cli(site).returncode == 0
    files = tree(site / "public")
    assert b"<title>The sample cluster wins an award</title>" in files["feed.xml"]
    assert b"Le cluster exemple" not in files["feed.xml"]
    assert b"<title>Le cluster exemple est laur\xc3\xa9at</title>" in files["fr/feed.xml"]
    assert b'xml:lang="fr"' in files["fr/feed.xml"]


def test_translation_report(site):
    """check lists pages missing a translation and translations older than their original, word for word."""
    edit(site / "content/news/first-award.md", "date: 2023-05-12", "date: 2023-05-12\nupdated: 2024-06-01")
    run = run_cli(site, "check")
    assert (run.returncode, run.stderr) == (0, "")
    report = run.stdout.split("checked in")[0]
    assert report == (
        "translations to do:\n"
        "  missing fr: content/news/launch-day/index.md (/news/launch-day/) has no Français version\n"
        "  missing fr: content/news/platform-news.md (/news/platform-news/) has no Français version\n"
        "  missing fr: content/pages/contact.md (/contact/) has no Français version\n"
        "  outdated fr: content/news/first-award.fr.md (2023-05-12) is older than content/news/first-award.md, updated 2024-06-01\n"
    )


def test_missing_ui_string_is_an_error_naming_key_and_file(site):
    """A key in en.yaml but not in fr.yaml stops the build, naming the key and both files."""
    strings = site / "templates/i18n/fr.yaml"
    kept = [line for line in strings.read_text().splitlines(True) if not line.startswith("read_more:")]
    assert len(kept) == len(strings.read_text().splitlines()) - 1
    strings.write_text("".join(kept))
    run = run_cli(site)
    assert run.returncode == 1
    assert run.lines == [
        "templates/i18n/fr.yaml: error: missing UI string 'read_more' (it is in templates/i18n/en.yaml) (add 'read_more: ...' translated)",
        "1 error, 0 warnings",
        "build failed: nothing was published",
    ]
