"""Each language at addresses in its own words: section names from the strings files, translations named by their
own title or slug, and the untranslated addresses (/fr/news/...) kept as permanent redirects when config.yaml asks."""

from __future__ import annotations

import re

import pytest
from support import FAILED, edit, make_site, run_cli, tree

ARTICLE_FR = "/fr/actualites/le-cluster-exemple-est-laureat/"  # first-award.fr.md, named by its title "Le cluster exemple est lauréat"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site (which asks for the untranslated addresses' redirects), built once."""
    site = make_site(tmp_path_factory.mktemp("addresses"))
    run = run_cli(site)
    assert (run.returncode, run.stderr) == (0, ""), run
    return site / "public"


def _switch(html: str) -> list[str]:
    """The addresses the language switch links to."""
    block = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S).group(0)
    return re.findall(r'href="([^"]+)"', block)


@pytest.mark.parametrize(("english", "french"), [
    ("news/index.html", "fr/actualites/index.html"),
    ("news/2023/index.html", "fr/actualites/2023/index.html"),
    ("partners/index.html", "fr/partenaires/index.html"),
    ("partners/sample-university/index.html", "fr/partenaires/sample-university/index.html"),
    ("platforms/index.html", "fr/plateformes/index.html"),
    ("platforms/alpha/index.html", "fr/plateformes/alpha/index.html"),
    ("funding/index.html", "fr/financement/index.html"),
    ("about/index.html", "fr/a-propos/index.html"),
    ("tags/index.html", "fr/mots-cles/index.html"),
    ("search/index.html", "fr/recherche/index.html"),
    ("news/first-award/index.html", ARTICLE_FR.lstrip("/") + "index.html"),
])
def test_french_pages_live_at_french_addresses(built, english, french):
    """Every French page is at its French address, and the two languages' switches link each other's."""
    en, fr = (built / english).read_text(), (built / french).read_text()
    assert '<html lang="fr"' in fr and 'http-equiv="refresh"' not in fr
    assert _switch(en) == ["/" + french.removesuffix("index.html")]
    assert _switch(fr) == ["/" + english.removesuffix("index.html")]


def test_menus_feeds_and_sitemap_use_the_french_addresses(built):
    """The French menu, a tag's page and feed, and the sitemap's alternates name the French addresses only."""
    home = (built / "fr/index.html").read_text()
    menu = re.search(r'<nav class="main-nav".*?</nav>', home, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', menu) == ["/fr/actualites/", "/fr/plateformes/", "/fr/partenaires/", "/fr/financement/", "/fr/a-propos/"]
    assert (built / "fr/mots-cles/financement/index.html").is_file() and (built / "fr/mots-cles/financement/feed.xml").is_file()
    feed = (built / "fr/mots-cles/financement/feed.xml").read_text()
    assert '<link rel="alternate" type="text/html" href="https://sample.example.org/fr/mots-cles/financement/"/>' in feed
    assert f"<id>https://sample.example.org{ARTICLE_FR}</id>" in feed
    sitemap = (built / "sitemap.xml").read_text()
    assert "<loc>https://sample.example.org/fr/partenaires/sample-university/</loc>" in sitemap
    assert '<xhtml:link rel="alternate" hreflang="fr" href="https://sample.example.org/fr/plateformes/alpha/"/>' in sitemap
    assert "/fr/news/" not in sitemap and "/fr/partners/" not in sitemap, "redirects are not listed"
    french = [path for path in tree(built) if path.startswith("fr/") and path.endswith(".html")]
    for path in french:
        html = (built / path).read_text()
        if 'http-equiv="refresh"' not in html:
            assert not re.search(r'href="/fr/(news|partners|platforms|funding|tags|search|about|events|calls|jobs)/', html), path


# What the sample site's French pages answered at before French addresses: each now redirects, in the three forms.
MOVED = [
    ("/fr/about/", "/fr/a-propos/"), ("/fr/calls/", "/fr/appels/"), ("/fr/events/", "/fr/evenements/"), ("/fr/funding/", "/fr/financement/"),
    ("/fr/jobs/", "/fr/emplois/"), ("/fr/news/", "/fr/actualites/"),
    ("/fr/news/2023/", "/fr/actualites/2023/"), ("/fr/news/first-award/", ARTICLE_FR), ("/fr/partners/", "/fr/partenaires/"),
    ("/fr/partners/sample-agency/", "/fr/partenaires/sample-agency/"), ("/fr/partners/sample-hospital/", "/fr/partenaires/sample-hospital/"),
    ("/fr/partners/sample-university/", "/fr/partenaires/sample-university/"), ("/fr/platforms/", "/fr/plateformes/"),
    ("/fr/platforms/alpha/", "/fr/plateformes/alpha/"), ("/fr/platforms/beta/", "/fr/plateformes/beta/"), ("/fr/search/", "/fr/recherche/"), ("/fr/sitemap/", "/fr/plan-du-site/"),
    ("/fr/tags/", "/fr/mots-cles/"), ("/fr/tags/financement/", "/fr/mots-cles/financement/"),
    ("/fr/tags/france-2030/", "/fr/mots-cles/france-2030/"),
]
FEEDS = [("/fr/tags/financement/feed.xml", "/fr/mots-cles/financement/feed.xml"), ("/fr/tags/france-2030/feed.xml", "/fr/mots-cles/france-2030/feed.xml")]


def test_untranslated_addresses_redirect_permanently(built):
    """Each old address is an HTML redirect page, a 301 line of _redirects and of the nginx map; a feed has the last two."""
    for old, new in MOVED:
        page = (built / old.lstrip("/") / "index.html").read_text()
        assert f'<meta http-equiv="refresh" content="0; url={new}">' in page and '<meta name="robots" content="noindex">' in page, old
        assert "<title>Cette page a changé d&#39;adresse</title>" in page
    aliases = [("/old/platform-news/", "/news/platform-news/")]
    pairs = sorted(MOVED + FEEDS + aliases)
    assert (built / "_redirects").read_text().splitlines() == [f"{old} {new} 301" for old, new in pairs] + ["/fr/* /fr/404.html 404"]
    assert (built / "_redirects.nginx").read_text().splitlines() == [f"{old} {new};" for old, new in pairs]
    assert not (built / "fr/tags/financement/feed.xml").exists()


def test_without_the_setting_only_the_french_addresses_exist(tmp_path):
    """By default nothing answers at the untranslated addresses, and a link written with them says where the page is."""
    site = make_site(tmp_path)
    edit(site / "config.yaml", "untranslated_addresses: redirect\n", "")
    run = run_cli(site)
    assert (run.returncode, run.stderr) == (0, "")
    public = site / "public"
    assert not (public / "fr/news").exists() and not (public / "fr/partners").exists()
    assert (public / "_redirects").read_text() == "/old/platform-news/ /news/platform-news/ 301\n/fr/* /fr/404.html 404\n"
    edit(site / "content/news/first-award.fr.md", "(/fr/partenaires/sample-university/)", "(/fr/partners/sample-university/)")
    run = run_cli(site)
    assert run.lines == [
        f"content/news/first-award.fr.md:8: error: broken link '/fr/partners/sample-university/' on {ARTICLE_FR}index.html: "
        "no page or file at that address; this language's address of that page is /fr/partenaires/sample-university/ "
        "(fix the address, or create the page it points to)",
        "1 error, 0 warnings", FAILED]


def test_an_editors_page_or_alias_takes_an_untranslated_address_without_error(tmp_path):
    """An untranslated address yields to a page or an alias that claims it: no error, and the claim is what is published."""
    site = make_site(tmp_path, {"content/pages/sample-news.fr.md": "---\ntitle: Ancienne rubrique\nslug: news\n---\nUne page.\n"})
    edit(site / "content/pages/about.fr.md", "layout: about\n", "layout: about\naliases: [/fr/partners/sample-agency/]\n")
    run = run_cli(site)
    assert (run.returncode, run.stderr) == (0, "")
    public = site / "public"
    assert "<h1>Ancienne rubrique</h1>" in (public / "fr/news/index.html").read_text()
    assert 'url=/fr/a-propos/"' in (public / "fr/partners/sample-agency/index.html").read_text()
    lines = (public / "_redirects").read_text().splitlines()
    assert "/fr/partners/sample-agency/ /fr/a-propos/ 301" in lines and not any(line.startswith("/fr/news/ ") for line in lines)


def test_a_translation_is_named_by_its_slug_or_title(tmp_path):
    """`slug` names a translation; without it its title does (accents and punctuation dropped), never the file's name."""
    site = make_site(tmp_path, {
        "content/news/second.md": "---\ntitle: Second news\ndate: 2024-03-01\n---\nText.\n",
        "content/news/second.fr.md": "---\ntitle: \"Deuxième nouvelle : l'été\"\ndate: 2024-03-01\n---\nTexte.\n",
        "content/news/third.md": "---\ntitle: Third news\ndate: 2024-03-02\n---\nText.\n",
        "content/news/third.fr.md": "---\ntitle: Troisième\nslug: la-troisieme\ndate: 2024-03-02\n---\nTexte.\n",
    })
    run = run_cli(site)
    assert (run.returncode, run.stderr) == (0, "")
    public = site / "public"
    assert _switch((public / "news/second/index.html").read_text()) == ["/fr/actualites/deuxieme-nouvelle-l-ete/"]
    assert _switch((public / "news/third/index.html").read_text()) == ["/fr/actualites/la-troisieme/"]
    assert "/fr/news/second/ /fr/actualites/deuxieme-nouvelle-l-ete/ 301" in (public / "_redirects").read_text().splitlines()


def test_two_translations_with_one_title_are_both_errors_at_their_title(tmp_path):
    """Two French articles whose titles give one address: both refused at their title's line, with the fix."""
    site = make_site(tmp_path, {
        "content/news/second.fr.md": "---\ntitle: Le cluster exemple est lauréat\ndate: 2024-03-01\n---\nTexte.\n",
    })
    run = run_cli(site)
    assert run.lines == [
        f"content/news/first-award.fr.md:2: error: the address {ARTICLE_FR} is also used by content/news/second.fr.md (give one of them another slug)",
        f"content/news/second.fr.md:2: error: the address {ARTICLE_FR} is also used by content/news/first-award.fr.md (give one of them another slug)",
        "2 errors, 0 warnings", FAILED]


@pytest.mark.parametrize(("line", "message"), [
    ('address_news: "Actualités"',
     "the address name 'address_news: Actualités' is not a plain name (use lowercase letters, digits and hyphens, like 'address_news: actualites')"),
    ('address_news: "a/b"', "the address name 'address_news: a/b' is not a plain name (use lowercase letters, digits and hyphens, like 'address_news: a-b')"),
    ('address_news: "partenaires"', "the address name 'partenaires' of 'address_partners' is also the name of 'address_news'"
     " (give each section its own name)"),
])
def test_a_wrong_address_name_is_refused_at_its_line(tmp_path, line, message):
    """A section name that is not a plain name, or that two sections share, stops the build at its line; nothing is written."""
    site = make_site(tmp_path)
    strings = site / "templates/i18n/fr.yaml"
    edit(strings, 'address_news: "actualites"', line)
    number = next(i for i, text in enumerate(strings.read_text().splitlines(), start=1) if text.startswith(
        "address_partners:" if "partenaires" in line else "address_news:"))
    run = run_cli(site)
    assert run.lines == [f"templates/i18n/fr.yaml:{number}: error: {message}", "1 error, 0 warnings", FAILED]
    assert not (site / "public").exists()


def test_a_third_language_needs_only_its_strings_file(tmp_path):
    """German added with a strings file naming its sections: its pages live at its addresses, with no code."""
    site = make_site(tmp_path)
    en, fr = site / "templates/i18n/en.yaml", site / "templates/i18n/fr.yaml"
    german = en.read_text()
    for key, word in (("news", "aktuelles"), ("tags", "schlagworte"), ("partners", "partner"), ("platforms", "plattformen"),
                      ("funding", "finanzierung"), ("search", "suche"), ("page", "seite")):
        german = german.replace(f'address_{key}: "{key}"', f'address_{key}: "{word}"')
    (site / "templates/i18n/de.yaml").write_text(german + 'language_name_de: "Deutsch"\n')
    en.write_text(en.read_text() + 'language_name_de: "German"\n')
    fr.write_text(fr.read_text() + 'language_name_de: "allemand"\n')
    edit(site / "config.yaml", "  fr: {name: Français, locale: fr_FR}\n", "  fr: {name: Français, locale: fr_FR}\n  de: {name: Deutsch, locale: de_DE}\n")
    run = run_cli(site)
    assert run.returncode == 0 and all("has no Deutsch text ('de')" in line for line in run.lines[:-1]), run  # the data is not in German
    public = site / "public"
    for path in ("de/aktuelles/index.html", "de/partner/sample-university/index.html", "de/plattformen/alpha/index.html",
                 "de/finanzierung/index.html", "de/suche/index.html", "de/schlagworte/index.html"):
        assert '<html lang="de"' in (public / path).read_text(), path
    assert "/de/partners/ /de/partner/ 301" in (public / "_redirects").read_text().splitlines()
