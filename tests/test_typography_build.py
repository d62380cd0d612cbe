"""The build's typography on built pages: French spaces on French pages (body, UI strings and data texts), curly
quotes on English ones, never in code, links, attributes, JSON-LD or feeds; an edit rebuilt gives a cold build's bytes.

The rules themselves are tested in unit/test_typography.py.
"""

from __future__ import annotations

import pytest
from support import cold_copy, edit, load_cli, make_site, run_build, tree

load_cli()
from sitegen.render.typography import english, french  # noqa: E402 - after load_cli put the repository on sys.path

NBSP, NNBSP = "\u00a0", "\u202f"

FRENCH = """---
title: "Typographie : les règles"
date: 2024-03-01
summary: "Un résumé : court ; clair !"
---
Le biocluster reçoit 97 millions d'euros : voir [la page Financement](/fr/financement/) ; soit 200-500 emplois ?

Lancez `build.py --strict : ok` puis ouvrez <https://example.org/a?b=1> !

```
pip install -e '.[dev]' ; echo "10 000 : ok"
```

« Bienvenue » dit-il. Il est 10:30 ; 10 000 personnes, 10 % !
"""

ENGLISH = """---
title: "Typography's rules"
date: 2024-03-01
summary: "A summary."
---
It's "quoted" for 2024-2026. Note: see `it's "code"` and [the "funding" page](/funding/).
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site with a French article mixing code, links and punctuation (and its English translation), built."""
    site = make_site(tmp_path_factory.mktemp("typography"), {"content/news/typo.fr.md": FRENCH, "content/news/typo.md": ENGLISH})
    run = run_build(site)
    assert (run.returncode, run.stderr) == (0, ""), run
    return site


def page(site, path: str) -> str:
    """A published file's text."""
    return (site / "public" / path).read_text(encoding="utf-8")


def test_french_article_text_gets_french_spaces(built):
    html = page(built, "fr/actualites/typographie-les-regles/index.html")
    assert f"<h1>Typographie{NBSP}: les règles</h1>" in html
    assert f"<title>Typographie{NBSP}: les règles – " in html
    assert (f"<p>Le biocluster reçoit 97{NBSP}millions d'euros{NBSP}: voir <a href=\"/fr/financement/\">la page Financement</a>"
            f"{NNBSP}; soit 200 à 500 emplois{NNBSP}?</p>") in html
    assert (f"<p>Lancez <code>build.py --strict : ok</code> puis ouvrez "
            f"<a href=\"https://example.org/a?b=1\">https://example.org/a?b=1</a>{NNBSP}!</p>") in html
    assert f"<p>«{NNBSP}Bienvenue{NNBSP}» dit-il. Il est 10:30{NNBSP}; 10{NNBSP}000 personnes, 10{NBSP}%{NNBSP}!</p>" in html


def test_code_attributes_and_json_ld_keep_plain_spaces(built):
    html = page(built, "fr/actualites/typographie-les-regles/index.html")
    assert "<pre><code>pip install -e '.[dev]' ; echo &quot;10 000 : ok&quot;\n</code></pre>" in html
    assert '<meta name="description" content="Un résumé : court ; clair !">' in html
    assert '"headline":"Typographie : les règles"' in html


def test_ui_strings_and_data_texts_of_french_pages(built):
    assert f"avec 30{NBSP}millions d&#39;euros. Leurs noms et leurs thématiques sont à venir{NBSP}:" in page(built, "fr/plateformes/index.html"), \
        "a UI string"
    assert f"Plateformes{NBSP}: 30{NBSP}millions d&#39;euros" in page(built, "fr/financement/index.html"), "a data text in the chart"
    assert '<span class="figure-value">200 à 500</span>' in page(built, "fr/index.html"), "a figure written 200–500"
    assert f'<a href="/fr/actualites/typographie-les-regles/">Typographie{NBSP}: les règles</a>' in page(built, "fr/actualites/index.html"), "a listing"


def test_english_article_gets_curly_quotes_only_in_text(built):
    html = page(built, "news/typo/index.html")
    assert "<h1>Typography’s rules</h1>" in html
    assert ("<p>It’s “quoted” for 2024–2026. Note: see <code>it's \"code\"</code> and "
            "<a href=\"/funding/\">the “funding” page</a>.</p>") in html
    assert '"headline":"Typography\'s rules"' in html


def test_feeds_keep_the_editors_text(built):
    assert "<title>Typographie : les règles</title>" in page(built, "fr/feed.xml")
    assert "<title>Typography&#39;s rules</title>" in page(built, "feed.xml")


def test_built_pages_are_already_typeset(built):
    """Applying the rules to a built page changes nothing: the build applied them once, wholly."""
    for path, rules in (("fr/actualites/typographie-les-regles/index.html", french), ("fr/index.html", french), ("news/typo/index.html", english)):
        html = page(built, path)
        assert rules(html) == html, path


def test_an_edit_rebuilt_gives_the_cold_build_bytes(built, tmp_path):
    edit(built / "content/news/typo.fr.md", "dit-il.", "dit-il : « Et maintenant ? »")
    run = run_build(built)
    assert (run.returncode, run.stderr) == (0, ""), run
    html = page(built, "fr/actualites/typographie-les-regles/index.html")
    assert f"dit-il{NBSP}: «{NNBSP}Et maintenant{NNBSP}?{NNBSP}» Il est" in html
    assert tree(built / "public") == cold_copy(built, tmp_path)
