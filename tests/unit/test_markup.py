"""Markdown conversion."""

from sitegen.render.markup import first_paragraph, to_html


def test_body_h1_becomes_h2_so_the_title_stays_the_only_h1():
    html = to_html("# Part\n\n## Sub\n")
    assert '<h2 id="part">Part</h2>' in html and '<h3 id="sub">Sub</h3>' in html


def test_h2_bodies_are_left_alone():
    assert to_html("## Part\n").startswith('<h2 id="part">')


def test_jinja_syntax_stays_text():
    assert to_html("{{ x }} and {% y %}") == "<p>{{ x }} and {% y %}</p>"


def test_tables_and_lists():
    html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n")
    assert "<th>a</th>" in html and "<li>one</li>" in html


def test_first_paragraph_is_plain_text():
    assert first_paragraph(to_html("Hello *world* &amp; [link](/x/).\n\nSecond.")) == "Hello world & link."
    assert first_paragraph("<h2>No paragraph</h2>") == ""
    assert first_paragraph(to_html("word " * 100), limit=20).endswith("…")
