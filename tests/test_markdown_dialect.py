"""The Markdown editors write (GitHub's): bare addresses, strikethrough, lists right after a paragraph, two-space nesting,
task lists; and another generator's template code, shown as text, told at its line."""

from __future__ import annotations

import re

from support import make_site, run_build, run_cli

BODY = """Read https://www.inserm.fr/en/ and write to contact@example.org.

The ~~old~~ plan changed.

The steps:
1. apply
2. wait

To do:
- [ ] write the report
- [x] book the room
  - two spaces in
    - four

In 1986. the lab opened.

{% include figure.html src="lab.jpg" %}

See {{< ref "programme.md" >}} and `{% raw %}` in code.

```
{% not checked in code %}
```
"""


def _built(tmp_path):
    """The sample site with one article in GitHub's dialect."""
    site = make_site(tmp_path, {"content/news/dialect.md": f"---\ntitle: Dialect\ndate: 2024-03-01\n---\n{BODY}"})
    run = run_cli(site)
    return site, run


def _body(site) -> str:
    """The article's body as published."""
    page = (site / "public/news/dialect/index.html").read_text()
    return re.search(r'<div class="prose">(.*?)</div>', page, re.S).group(1)


def test_github_markdown_reads_as_on_github(tmp_path):
    """Links, strikethrough, a list after its paragraph, nesting at two spaces, checkboxes labelled by their text."""
    site, run = _built(tmp_path)
    assert run.returncode == 0, run
    body = _body(site)
    assert '<a href="https://www.inserm.fr/en/">https://www.inserm.fr/en/</a>' in body
    assert 'write to <a href="' in body and "contact" not in body.split("write to")[1].split("</p>")[0].split(">", 1)[0]
    assert "The <del>old</del> plan changed." in body
    assert "<p>The steps:</p>\n<ol>\n<li>apply</li>\n<li>wait</li>\n</ol>" in body
    assert ('<li class="task"><label><input disabled type="checkbox"> write the report</label></li>\n'
            '<li class="task"><label><input checked disabled type="checkbox"> book the room</label><ul>\n'
            "<li>two spaces in<ul>\n<li>four</li>\n</ul>\n</li>\n</ul>\n</li>") in body
    assert "<p>In 1986. the lab opened.</p>" in body  # a number other than 1 does not start a list inside a paragraph


def test_template_code_of_another_generator_is_a_warning_at_its_line(tmp_path):
    """Liquid and Hugo shortcodes outside code: one warning each, at its line; code spans and blocks are left alone."""
    site, run = _built(tmp_path)
    hint = "(this site runs no template code: write the link or text it stood for in Markdown, or remove it)"
    assert run.lines == [
        "content/news/dialect.md:21: warning: template code of another generator is shown as text: "
        f"'{{% include figure.html src=\"lab.jpg\" %}}' {hint}",
        "content/news/dialect.md:23: warning: template code of another generator is shown as text: "
        f"'{{{{< ref \"programme.md\" >}}}}' {hint}",
        "0 errors, 2 warnings",
    ]
    assert "{% include figure.html" in _body(site)


def test_a_line_of_unclosed_template_tags_is_read_in_linear_time(tmp_path):
    """400,000 characters of Hugo's '{{%' never closed: no warning, and the build ends well within the run's hang limit."""
    site = make_site(tmp_path, {"content/news/tags.md": "---\ntitle: Tags\ndate: 2024-03-01\n---\n" + "{{%a " * 80_000 + "\n"})
    run = run_build(site)
    assert (run.returncode, run.stderr) == (0, ""), run
