"""Typography per language: French spaces, thousands and ranges; English quotes and ranges; only in text, and idempotent."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.render.typography import english, french, typeset

NBSP, NNBSP = "\u00a0", "\u202f"  # before ':' and units; before ';' '!' '?', inside « » and between thousands


# -- French ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("html", "expected"), [
    # punctuation: a typed space is replaced, a missing one added
    ("<p>Nombre : cinq ; oui ! non ?</p>", f"<p>Nombre{NBSP}: cinq{NNBSP}; oui{NNBSP}! non{NNBSP}?</p>"),
    ("<p>Note: voir; oui! non?</p>", f"<p>Note{NBSP}: voir{NNBSP}; oui{NNBSP}! non{NNBSP}?</p>"),
    ("<p>Vraiment ?! Oui !!!</p>", f"<p>Vraiment{NNBSP}?! Oui{NNBSP}!!!</p>"),
    ("<p>« oui »? (voir)! « non »!</p>", f"<p>«{NNBSP}oui{NNBSP}»{NNBSP}? (voir){NNBSP}! «{NNBSP}non{NNBSP}»{NNBSP}!</p>"),
    ("<p>«Bonjour»</p>", f"<p>«{NNBSP}Bonjour{NNBSP}»</p>"),
    ("<p>« Et maintenant ? »</p>", f"<p>«{NNBSP}Et maintenant{NNBSP}?{NNBSP}»</p>"),
    (f"<p>Nombre{NNBSP}: x ; y</p>", f"<p>Nombre{NBSP}: x{NNBSP}; y</p>"),
    # numbers and their units or currency
    ("<p>97 M€, 97 millions d'euros, 10 %, 10%, 5 km, 200 €, 2 milliards</p>",
     f"<p>97{NBSP}M€, 97{NBSP}millions d'euros, 10{NBSP}%, 10{NBSP}%, 5{NBSP}km, 200{NBSP}€, 2{NBSP}milliards</p>"),
    ("<p>Il a 3 ans. Le 3 mars, 3 s'applique, 18 membres.</p>", f"<p>Il a 3{NBSP}ans. Le 3 mars, 3 s'applique, 18 membres.</p>"),
    # thousands
    ("<p>10 000 habitants, 1 000 000 €, 1 280 pixels</p>", f"<p>10{NNBSP}000 habitants, 1{NNBSP}000{NNBSP}000{NBSP}€, 1{NNBSP}280 pixels</p>"),
    ("<p>le 12 mai 2024, en 2024 300 personnes, 04 91 12 34 56</p>", "<p>le 12 mai 2024, en 2024 300 personnes, 04 91 12 34 56</p>"),
    # ranges between numbers, in prose
    ("<p>200-500 emplois, 200–500 emplois, 2024-2026, 18-25 ans</p>",
     f"<p>200 à 500 emplois, 200 à 500 emplois, 2024 à 2026, 18 à 25{NBSP}ans</p>"),
    ("<p>10 000-20 000 €</p>", f"<p>10{NNBSP}000 à 20{NNBSP}000{NBSP}€</p>"),
    ("<p>le 2024-01-15, loi n° 2005-102, COVID-19, ANR-21-ESRS, 5-3, 1,5-2</p>",
     "<p>le 2024-01-15, loi n° 2005-102, COVID-19, ANR-21-ESRS, 5-3, 1,5-2</p>"),
])
def test_french_rules(html, expected):
    assert french(html) == expected


@pytest.mark.parametrize("html", [
    "<p>à 10:30, le ratio 1:2, std::vector, https://example.org/a?b=1;c=2, www.example.org/x:y</p>",
    "<p>Écrire à contact@example.org, mailto:contact@example.org</p>",
    "<p>Recherche &amp; développement, R&amp;D, d&#39;euros, l&#39;État, &#8211;</p>",
    '<a href="https://example.org/?q=1" title="Note : 10 000 €" data-x="a ; b">x</a>',
    '<meta name="description" content="Premier grand investissement du MIB : 30 millions">',
    "<pre><code>a : b ; 10 000 € « x »</code></pre><p>x</p>",
    "<p>Tapez <kbd>Ctrl</kbd> puis <code>a : b</code>, <samp>Erreur : 404</samp>.</p>",
    '<script type="application/ld+json">{"a": "b : c ; 10 000 €"}</script>',
    "<style>a{b:c;} p::after{content:'!'}</style><textarea>x : y</textarea>",
    '<p><span translate="no">a : b</span> <span lang="en">Note: yes; 10 000</span></p>',
    "<!-- a : b ; c --><p>x</p>",
    f"<p>Nombre{NBSP}: x{NNBSP}; «{NNBSP}y{NNBSP}» 10{NNBSP}000{NBSP}€</p>",
])
def test_french_leaves_alone(html):
    assert french(html) == html


@pytest.mark.parametrize(("html", "expected"), [
    ('<li><strong>Nombre</strong> : cinq</li>', f'<li><strong>Nombre</strong>{NBSP}: cinq</li>'),
    ('<li><a href="/fr/x/">Plateforme 1</a>: à venir</li>', f'<li><a href="/fr/x/">Plateforme 1</a>{NBSP}: à venir</li>'),
    ("<p>Nombre <strong>:</strong> cinq</p>", f"<p>Nombre{NBSP}<strong>:</strong> cinq</p>"),
    ("<p>«<em>Titre</em>»?</p>", f"<p>«{NNBSP}<em>Titre</em>{NNBSP}»{NNBSP}?</p>"),
    ("<p><code>x</code>: la valeur</p>", f"<p><code>x</code>{NBSP}: la valeur</p>"),
    ("<p>x</p><p>: y</p><td>?</td>", "<p>x</p><p>: y</p><td>?</td>"),  # no space at the start of a block
    ("<p>voir <code>x </code>: y</p>", "<p>voir <code>x </code>: y</p>"),  # code's own space is not changed
    ("<p>Voir https://example.org : ici, et www.example.org !</p>",
     f"<p>Voir https://example.org{NBSP}: ici, et www.example.org{NNBSP}!</p>"),
    ("<p>AT&amp;T ; ici</p>", f"<p>AT&amp;T{NNBSP}; ici</p>"),
    ("<p>Nombre&nbsp;: x</p>", "<p>Nombre&nbsp;: x</p>"),  # the editor's own non-breaking space
])
def test_french_across_tags_entities_and_links(html, expected):
    assert french(html) == expected


def test_french_leaves_tags_and_attributes_byte_for_byte():
    html = ('<p class="a : b" data-n="10 000"><a href="/fr/x/?a=1&amp;b=2" title="« x » : y">Lien</a> : '
            '<img src="/i.png" alt="Note : 5 km"> 5 km</p>')
    assert french(html) == ('<p class="a : b" data-n="10 000"><a href="/fr/x/?a=1&amp;b=2" title="« x » : y">Lien</a>'
                            f'{NBSP}: <img src="/i.png" alt="Note : 5 km"> 5{NBSP}km</p>')


# -- English --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>It's \"quoted\" and 'single', the '90s.</p>", "<p>It’s “quoted” and ‘single’, the ’90s.</p>"),
    ("<h1>Don&#39;t &#34;panic&#34;</h1>", "<h1>Don’t “panic”</h1>"),  # as Jinja escapes them
    ('<p>"<a href="/x/">A link</a>" and <a href="/y/">MIB</a>\'s</p>', '<p>“<a href="/x/">A link</a>” and <a href="/y/">MIB</a>’s</p>'),
    ('<li>a</li><li>"b"</li>', "<li>a</li><li>“b”</li>"),
    ("<p>2024-2026, pages 12-15.</p>", "<p>2024–2026, pages 12–15.</p>"),
    ("<p>On 2024-01-15, law no. 2005-102, COVID-19, 5-3.</p>", "<p>On 2024-01-15, law no. 2005-102, COVID-19, 5-3.</p>"),
    ("<p>Note: 10 000 ; yes !</p>", "<p>Note: 10 000 ; yes !</p>"),  # no French rule in English
])
def test_english_rules(html, expected):
    assert english(html) == expected


@pytest.mark.parametrize("html", [
    "<p>He said “it's fine” – and ‘left’ 2024–2026.</p>",  # quotes already typographic: the text is the editor's
    "<p>It’s done.</p>",
    '<p>{% include figure.html image="seminar.jpg" %}</p>',  # reads like code
    "<p><code>'a'</code> <kbd>\"b\"</kbd></p><pre>it's \"x\" 2024-2026</pre>",
    '<a title="it\'s &#34;x&#34;" href="https://example.org/it\'s">x</a>',
    "<p>See https://example.org/it's-here and www.example.org/don't-panic</p>",
    '<script type="application/ld+json">{"a": "it\'s"}</script>',
    '<blockquote lang="fr">Il l\'a dit : "oui"</blockquote>',  # another language's text
])
def test_english_leaves_alone(html):
    assert english(html) == html


# -- both -----------------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html>
<head><title>Emploi : 200-500 postes – MIB</title>
<script type="application/ld+json">{"headline": "Emploi : 200-500"}</script></head>
<body><h1>Le MIB : 97 millions d'euros</h1>
<p>Le <a href="https://example.org/?a=1">site</a> : « voir <code>x : y</code> » ; 10 000 € ? Oui ! 2024–2026.</p>
<p>It's "quoted" 2024-2026 <span lang="en">Note: it's</span></p>
<pre>a : b</pre>
</body></html>
"""


@pytest.mark.parametrize("rules", [french, english])
def test_applying_twice_changes_nothing_more(rules):
    once = rules(PAGE)
    assert once != PAGE and rules(once) == once


def test_typeset_picks_the_page_language():
    assert typeset("<p>a : b</p>", "fr") == f"<p>a{NBSP}: b</p>"
    assert typeset("<p>a : b</p>", "fr-CA") == f"<p>a{NBSP}: b</p>"
    assert typeset("<p>it's</p>", "en") == "<p>it’s</p>"
    assert typeset("<p>a : it's</p>", "de") == "<p>a : it's</p>"


# Pieces of text and markup a page is made of; random pages of them must keep their markup and be stable.
PIECES = [" ", "  ", "\n", ":", ";", "!", "?", "«", "»", "1", "10", "000", "2024", "-", "–", "'", '"', "&amp;", "&#39;", "&#34;",
          "&nbsp;", "a", "mot", "km", "M€", "%", "€", "millions", "n°", "(", ")", ".", ",", NBSP, NNBSP, "https://x.org/a?b",
          "www.x.fr", "a@b.fr", "<b>", "</b>", "<p>", "</p>", "<code>", "</code>", '<a href="/x?a=1&amp;b=2" title="a : b">', "</a>",
          '<span lang="en">', "</span>", "<br>", "<pre>", "</pre>", '<img alt="a : b">', "<!-- a : b -->", "<script>a : b</script>",
          "’", "“", "=", "::", "10:30"]
MARKUP = re.compile(r"<[^>]*>")


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_random_pages_keep_their_markup_and_are_stable(html):
    for rules in (french, english):
        once = rules(html)
        assert rules(once) == once
        assert MARKUP.findall(once) == MARKUP.findall(html)
