"""Hostile and odd input (issue 8, point 2).

Whatever an editor puts in content/, templates/, static/ or config.yaml, the build either succeeds
or fails with exit status 1 and a clear `path:line: error: message` naming the file; never a
traceback, never a write outside the output folder, and a failed build leaves public/ untouched.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from .conftest import (
    article,
    assert_built,
    assert_failed_naming,
    assert_handled,
    assert_not_published,
    assert_well_formed,
    build_checked,
    edit,
    lines_naming,
    problem_lines,
    problem_path,
    public_files,
)

PASSWD_MARKER = b"root:x:0:0"
SECRET = b"TOP-SECRET-MARKER"


def write(site: Path, rel: str, content: str | bytes) -> Path:
    """Write a file into the site, creating folders."""
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- slugs, aliases and file names that try to leave the output folder ----------------------------

HOSTILE_SLUGS = [
    "../outside",
    "/etc/passwd",
    "..",
    "a/../../b",
    "%2e%2e/%2e%2e/x",
    "\\..\\..\\x",
    "x\u0000y",
    "a" * 300,
]


@pytest.mark.parametrize("slug", HOSTILE_SLUGS, ids=lambda s: repr(s)[:40])
def test_hostile_slug(site, slug):
    write(site, "content/news/evil.md", article(extra=f"slug: {json.dumps(slug)}\n"))
    run = build_checked(site)
    assert_handled(run, "content/news/evil.md")


HOSTILE_ALIASES = [
    "/../../x/",
    "../outside/",
    "//evil.example/",
    "/a/../../../outside/",
    "/%2e%2e/%2e%2e/x/",
    "/..%2f..%2fx/",
    "https://evil.example/",
    "/etc/passwd",
    "/x\u0000y/",
    "",
    "/",
    "/.git/",
    "/old news/",
    "/old/\n/* https://evil.example/ 200",
    "/old/\t/evil 302",
]


@pytest.mark.parametrize("alias", HOSTILE_ALIASES, ids=lambda s: repr(s)[:40])
def test_hostile_alias(site, alias):
    write(site, "content/news/evil.md", article(extra=f"aliases: {json.dumps([alias])}\n"))
    run = build_checked(site)
    outcome = assert_handled(run, "content/news/evil.md")
    if outcome == "built":
        # An accepted alias must not smuggle extra rules into the host's redirect files.
        for name, fields in (("_redirects", 3), ("_redirects.nginx", 2)):
            rules = [
                line
                for line in (site / "public" / name).read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")
            ]
            ours = [rule for rule in rules if "/news/evil/" in rule]
            assert len(ours) == 1, f"one alias must give one redirect rule in {name}, got {ours!r}"
            bad = [rule for rule in rules if len(rule.split()) != fields]
            assert not bad, f"malformed rules in {name} (an alias smuggled in spaces or line breaks): {bad!r}"


def test_alias_that_collides_with_a_page(site):
    write(site, "content/news/evil.md", article(extra='aliases: ["/news/hello/"]\n'))
    run = build_checked(site)
    assert_failed_naming(run, "content/news/evil.md", "/news/hello/")


ODD_NAMES = [
    "..md",
    "...md",
    "a..b.md",
    "..hidden.md",
    ".. .md",
    "x.md.md",
    "new\nline.md",
    "quote\"'<b>.md",
]


@pytest.mark.parametrize("name", ODD_NAMES, ids=repr)
def test_odd_file_names(site, name):
    write(site, f"content/news/{name}", article())
    run = build_checked(site)
    # A line break in a file name must be shown escaped (\n) so that each problem stays on one line.
    assert_handled(run, "content/news/" + name.replace("\n", "\\n"))


@pytest.mark.parametrize("folder", ["..x", "...", ". .", "-"])
def test_odd_bundle_folder_names(site, folder):
    write(site, f"content/news/{folder}/index.md", article())
    run = build_checked(site)
    assert_handled(run, f"content/news/{folder}/index.md")


def test_very_long_file_name(site):
    name = "a" * 247 + ".md"  # 250 characters, under the system's 255-byte limit
    write(site, f"content/news/{name}", article())
    run = build_checked(site)
    assert_handled(run, f"content/news/{name}")


def test_very_long_unicode_file_name(site):
    name = "é" * 125 + ".md"  # 128 characters, 253 bytes
    write(site, f"content/news/{name}", article())
    run = build_checked(site)
    assert_handled(run, f"content/news/{name}")


def test_file_name_not_utf8(site):
    raw = os.fsencode(site / "content" / "news") + b"/caf\xe9.md"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(article())
    run = build_checked(site)
    assert run.returncode in (0, 1), str(run)
    if run.returncode == 1:
        assert any("content/news/caf" in line for line in problem_lines(run)), str(run)
    else:
        assert_built(run)


@pytest.mark.parametrize("field", ["tags", "aliases"])
def test_very_long_url_segment(site, field):
    """A tag or alias near the length limits gives a folder name longer than the system allows."""
    value = "t" * 290 if field == "tags" else "/" + "a" * 290 + "/"
    write(site, "content/news/evil.md", article(extra=f"{field}: [{json.dumps(value)}]\n"))
    run = build_checked(site)
    assert_handled(run, "content/news/evil.md")


# -- symlinks -------------------------------------------------------------------------------------


def test_symlink_article_to_etc_passwd(site):
    (site / "content/news/passwd.md").symlink_to("/etc/passwd")
    run = build_checked(site)
    assert_failed_naming(run, "content/news/passwd.md", "outside")


def test_symlink_article_to_file_outside(site):
    outside = site.parent.parent / "outside"
    (site / "content/news/secret.md").symlink_to(os.path.relpath(outside / "secret.md", site / "content/news"))
    run = build_checked(site)
    if assert_handled(run, "content/news/secret.md") == "built":
        assert_not_published(site, SECRET)


def test_symlink_folder_in_news_to_outside(site):
    outside = site.parent.parent / "outside"
    (site / "content/news/linked").symlink_to(outside, target_is_directory=True)
    run = build_checked(site)
    if assert_handled(run, "content/news/linked") == "built":
        assert_not_published(site, SECRET)


def test_symlink_bundle_folder_to_outside(site):
    outside = site.parent.parent / "outside"
    (outside / "bundle").mkdir()
    (outside / "bundle" / "index.md").write_bytes((outside / "secret.md").read_bytes())
    (site / "content/news/bundle").symlink_to(outside / "bundle", target_is_directory=True)
    run = build_checked(site)
    if assert_handled(run, "content/news/bundle") == "built":
        assert_not_published(site, SECRET)


def test_news_section_itself_links_outside(site):
    """content/news replaced by a link to a folder outside the site."""
    outside = site.parent.parent / "outside"
    news = site / "content/news"
    for path in news.iterdir():
        (outside / path.name).write_bytes(path.read_bytes())
    for path in list(news.iterdir()):
        path.unlink()
    news.rmdir()
    news.symlink_to(outside, target_is_directory=True)
    run = build_checked(site)
    if assert_handled(run, "content/news") == "built":
        assert_not_published(site, SECRET)


def test_symlink_in_bundle_to_etc_passwd(site):
    write(site, "content/news/trip/index.md", article())
    (site / "content/news/trip/photo.jpg").symlink_to("/etc/passwd")
    run = build_checked(site)
    if assert_handled(run, "content/news/trip/photo.jpg") == "built":
        assert_not_published(site, PASSWD_MARKER)


def test_symlink_loop_in_news(site):
    (site / "content/news/loop.md").symlink_to("loop.md")
    run = build_checked(site)
    assert_handled(run, "content/news/loop.md")


def test_dangling_symlink_in_news(site):
    """Emacs leaves `.#name.md` lock files: links to a target that does not exist."""
    (site / "content/news/.#hello.md").symlink_to("root@host.12345:1700000000")
    run = build_checked(site)
    assert_handled(run, "content/news/.#hello.md")


def test_static_symlink_to_etc_passwd(site):
    (site / "static/passwd.txt").symlink_to("/etc/passwd")
    run = build_checked(site)
    if assert_handled(run, "static/passwd.txt") == "built":
        assert_not_published(site, PASSWD_MARKER)


def test_static_symlink_to_folder_outside(site):
    (site / "static/outside").symlink_to(site.parent.parent / "outside", target_is_directory=True)
    run = build_checked(site)
    if assert_handled(run, "static/outside") == "built":
        assert_not_published(site, SECRET)


def test_static_symlink_loop(site):
    (site / "static/loop").symlink_to("loop")
    run = build_checked(site)
    assert_handled(run, "static/loop")


def test_static_dangling_symlink(site):
    (site / "static/gone.css").symlink_to("no-such-file.css")
    run = build_checked(site)
    assert_handled(run, "static/gone.css")


def test_front_matter_image_climbing_out_of_static(site):
    extra = 'image: "/../../../../../../../../etc/passwd"\nimage_alt: "A picture"\n'
    write(site, "content/news/evil.md", article(extra=extra))
    run = build_checked(site)
    if assert_handled(run, "content/news/evil.md") == "built":
        assert_not_published(site, PASSWD_MARKER)


# -- bytes that are not text ----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["body", "front matter"])
def test_nul_byte_in_markdown(site, where):
    text = article(body="Before\x00after.\n") if where == "body" else article(extra="summary: a\x00b\n")
    write(site, "content/news/nul.md", text)
    run = build_checked(site)
    assert_handled(run, "content/news/nul.md")


def test_nul_byte_in_data_file(site):
    path = site / "content/data/figures.yaml"
    path.write_bytes(path.read_bytes() + b"\n- value: 1\n  label: {en: a\x00b, fr: c}\n")
    run = build_checked(site)
    assert_handled(run, "content/data/figures.yaml")


def test_latin1_markdown(site):
    write(site, "content/news/latin1.md", article(title="Caf\u00e9", body="R\u00e9sum\u00e9 de l'ann\u00e9e.\n").encode("latin-1"))
    run = build_checked(site)
    assert_failed_naming(run, "content/news/latin1.md", "UTF-8")


def test_latin1_data_file(site):
    path = site / "content/data/figures.yaml"
    path.write_bytes(path.read_bytes() + "\n- value: 2\n  label: {en: caf\u00e9, fr: caf\u00e9}\n".encode("latin-1"))
    run = build_checked(site)
    assert_failed_naming(run, "content/data/figures.yaml", "UTF-8")


def test_latin1_config(site):
    path = site / "config.yaml"
    assert b"Fran\xc3\xa7ais" in path.read_bytes()
    path.write_bytes(path.read_bytes().replace(b"Fran\xc3\xa7ais", b"Fran\xe7ais"))
    run = build_checked(site)
    assert_failed_naming(run, "config.yaml", "UTF-8")


def test_latin1_template(site):
    edit(site / "templates/page.html", "</article>", "<p>caf\u00e9</p></article>")
    write(site, "templates/page.html", (site / "templates/page.html").read_text(encoding="utf-8").encode("latin-1"))
    run = build_checked(site)
    assert_failed_naming(run, "templates/page.html")


@pytest.mark.slow
def test_fifty_megabyte_markdown(site):
    paragraph = (
        "The Marseille Immunology Biocluster brings together research teams, hospitals and companies "
        "around the immune system, with *emphasis*, **strong text**, `code` and a [link](/news/). "
    ) * 4
    block = f"## A section\n\n{paragraph}\n\n- an item\n- another item\n\n"
    count = 50 * 1024 * 1024 // len(block) + 1
    path = write(site, "content/news/huge.md", article(body=block * count))
    assert path.stat().st_size >= 50 * 1024 * 1024
    started = time.perf_counter()
    run = build_checked(site, timeout=120)
    seconds = time.perf_counter() - started
    print(f"\n50 MB Markdown file: exit {run.returncode} in {seconds:.1f}s")
    assert seconds < 120, f"the 50 MB case took {seconds:.1f}s"
    assert_handled(run, "content/news/huge.md")


# -- YAML that tries to hurt ----------------------------------------------------------------------

LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{','.join(['*' + chr(ord('a') + i - 1)] * 9)}]" for i in range(1, 9)]
)


def test_billion_laughs_in_front_matter(site):
    write(site, "content/news/laughs.md", '---\ntitle: "Laughs"\ndate: 2024-02-01\n' + LAUGHS + "\nextra: {x: *i}\n---\nBody.\n")
    started = time.perf_counter()
    run = build_checked(site, timeout=60)
    assert time.perf_counter() - started < 60
    assert_failed_naming(run, "content/news/laughs.md")


def test_billion_laughs_in_data_file(site):
    path = site / "content/data/milestones.yaml"
    # A valid-looking list whose first entry's description is the bomb.
    lines = [f"  {line}" for line in LAUGHS.replace("a: &a", "aa: &a").splitlines()]
    text = "- date: 2024\n  status: done\n  title: {en: x, fr: x}\n  description:\n" + "\n".join("  " + x for x in lines) + "\n"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    run = build_checked(site, timeout=60)
    assert time.perf_counter() - started < 60
    assert_failed_naming(run, "content/data/milestones.yaml")


def test_recursive_alias(site):
    write(site, "content/news/loop.md", '---\ntitle: "Loop"\ndate: 2024-02-01\nextra: &a {self: *a}\n---\nBody.\n')
    run = build_checked(site, timeout=60)
    assert_handled(run, "content/news/loop.md")


def test_merge_key_bomb(site):
    """Merge keys (`<<`) repeating one big mapping many times."""
    keys = ", ".join(f"k{i}: {i}" for i in range(2000))
    merges = ", ".join(["*big"] * 200)
    text = f'---\ntitle: "Merge"\ndate: 2024-02-01\nbase: &big {{{keys}}}\nextra: {{<<: [{merges}]}}\n---\nBody.\n'
    write(site, "content/news/merge.md", text)
    started = time.perf_counter()
    run = build_checked(site, timeout=60)
    assert time.perf_counter() - started < 60
    assert_handled(run, "content/news/merge.md")


PYTHON_TAGS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!custom-tag value",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS, ids=lambda t: t.split()[0])
def test_yaml_python_object_in_front_matter(site, tag):
    marker = site.parent.parent / "pwned"
    pwned_before = os.path.exists("/tmp/pwned")
    write(site, "content/news/evil.md", article(title="Evil", extra=f"summary: {tag.format(marker=marker)}\n"))
    run = build_checked(site)
    assert not marker.exists(), "YAML constructed a Python object and ran a command"
    assert os.path.exists("/tmp/pwned") == pwned_before, "YAML constructed a Python object and ran a command"
    found = assert_failed_naming(run, "content/news/evil.md")
    assert any(line.startswith("content/news/evil.md:4: error:") for line in found), f"the error must be at the tag's line (4):\n{run}"


def test_yaml_python_object_in_data_file(site):
    marker = site.parent.parent / "pwned"
    pwned_before = os.path.exists("/tmp/pwned")
    path = site / "content/data/figures.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + f'\n- value: !!python/object/apply:os.system ["touch {marker}"]\n  label: x\n', encoding="utf-8"
    )
    run = build_checked(site)
    assert not marker.exists() and os.path.exists("/tmp/pwned") == pwned_before, "YAML ran a command"
    assert_failed_naming(run, "content/data/figures.yaml", "tag")


def test_yaml_python_object_in_config(site):
    marker = site.parent.parent / "pwned"
    path = site / "config.yaml"
    text = re.sub(r"(?m)^per_page: .*$", f'per_page: !!python/object/apply:os.system ["touch {marker}"]', path.read_text(encoding="utf-8"))
    assert "!!python" in text
    path.write_text(text, encoding="utf-8")
    run = build_checked(site)
    assert not marker.exists(), "YAML ran a command"
    assert_failed_naming(run, "config.yaml", "tag")


def test_duplicate_key_in_front_matter(site):
    write(site, "content/news/dup.md", '---\ntitle: "First"\ndate: 2024-02-01\ntitle: "Second"\n---\nBody.\n')
    run = build_checked(site)
    found = assert_failed_naming(run, "content/news/dup.md", "duplicate key 'title'")
    assert any(line.startswith("content/news/dup.md:4: error:") for line in found), f"the error must be at the second key (line 4):\n{run}"
    assert not (site / "public/news/dup").exists()


def test_duplicate_key_in_data_file(site):
    path = site / "content/data/figures.yaml"
    text = path.read_text(encoding="utf-8") + "\n- value: 3\n  kind: number\n  value: 4\n  label: {en: x, fr: y}\n"
    path.write_text(text, encoding="utf-8")
    line = len(text.splitlines()) - 1  # the second `value:`
    run = build_checked(site)
    found = assert_failed_naming(run, "content/data/figures.yaml", "duplicate key 'value'")
    assert any(f"figures.yaml:{line}: error:" in item for item in found), f"the error must be at line {line}:\n{run}"


def test_duplicate_key_nested_in_data_file(site):
    path = site / "content/data/figures.yaml"
    text = path.read_text(encoding="utf-8") + "\n- value: 3\n  label:\n    en: one\n    fr: un\n    en: two\n"
    path.write_text(text, encoding="utf-8")
    run = build_checked(site)
    assert_failed_naming(run, "content/data/figures.yaml", "duplicate key 'en'")


def test_duplicate_key_in_config(site):
    path = site / "config.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nper_page: 5\n", encoding="utf-8")
    run = build_checked(site)
    assert_failed_naming(run, "config.yaml", "duplicate key 'per_page'")


@pytest.mark.parametrize("spelling", ["yes", "true", "'true'", "on"])
def test_duplicate_key_spelled_differently(site, spelling):
    """`draft: false` then `draft: yes`: YAML 1.1 reads yes/on as true; the second must not silently win."""
    write(site, "content/news/dup.md", f'---\ntitle: "T"\ndate: 2024-02-01\ndraft: false\ndraft: {spelling}\n---\nBody.\n')
    run = build_checked(site)
    assert_failed_naming(run, "content/news/dup.md", "duplicate key")


def test_toml_front_matter(site):
    write(site, "content/news/toml.md", '+++\ntitle = "Hugo post"\ndate = 2024-01-15\n+++\nBody.\n')
    run = build_checked(site)
    found = assert_failed_naming(run, "content/news/toml.md", "TOML", "YAML")
    assert any(line.startswith("content/news/toml.md:1: error:") for line in found), str(run)


def test_json_front_matter(site):
    write(site, "content/news/json.md", '{\n  "title": "Hugo JSON post",\n  "date": "2024-01-15"\n}\nBody.\n')
    run = build_checked(site)
    assert_failed_naming(run, "content/news/json.md")


def test_several_documents_in_data_file(site):
    path = site / "content/data/figures.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n---\n- value: 9\n  label: {en: x, fr: y}\n", encoding="utf-8")
    run = build_checked(site)
    assert_failed_naming(run, "content/data/figures.yaml", "several YAML documents")


def test_one_explicit_document_in_data_file_is_fine(site):
    path = site / "content/data/figures.yaml"
    path.write_text("---\n" + path.read_text(encoding="utf-8") + "\n...\n", encoding="utf-8")
    run = build_checked(site)
    assert_built(run)


# -- empty files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "   \t\n", "\ufeff"], ids=["empty", "newlines", "blanks", "bom-only"])
def test_empty_markdown(site, text):
    write(site, "content/news/empty.md", text)
    run = build_checked(site)
    assert_failed_naming(run, "content/news/empty.md", "empty")


@pytest.mark.parametrize("text", ["---\n", "---\n---\n", "---\n\n---\nBody.\n", "---\n...\n"], ids=["open", "empty-fm", "blank-fm", "dots"])
def test_empty_or_unclosed_front_matter(site, text):
    write(site, "content/news/bad.md", text)
    run = build_checked(site)
    assert_failed_naming(run, "content/news/bad.md")


@pytest.mark.parametrize(
    "text", ["", "\n", "# only a comment\n", "---\n", "null\n", "~\n"], ids=["empty", "newline", "comment", "marker", "null", "tilde"]
)
def test_empty_data_file(site, text):
    (site / "content/data/partners.yaml").write_text(text, encoding="utf-8")
    run = build_checked(site)
    assert_failed_naming(run, "content/data/partners.yaml")


def test_data_file_of_the_wrong_shape(site):
    (site / "content/data/partners.yaml").write_text("just a sentence\n", encoding="utf-8")
    run = build_checked(site)
    assert_failed_naming(run, "content/data/partners.yaml")


@pytest.mark.parametrize("ending", ["---\n", "---", "---\n\n\n"], ids=["newline", "no-newline", "blank-lines"])
def test_front_matter_only_builds(site, ending):
    write(site, "content/news/no-body.md", f'---\ntitle: "No body"\ndate: 2024-02-01\n{ending}')
    run = build_checked(site)
    assert_built(run)
    assert (site / "public/news/no-body/index.html").is_file()


# -- text that looks like code: never evaluated, always escaped --------------------------------------


def test_jinja_syntax_in_markdown_is_text(site):
    body = "Result: {{ 7*7 }}.\n\n{% raw %}kept{% endraw %}\n\nTitle: {{ config.title }} and {% if true %}yes{% endif %}.\n"
    write(site, "content/news/jinja.md", article(body=body, title="{{ 7*7 }} in the title"))
    run = build_checked(site)
    assert_built(run)
    html = (site / "public/news/jinja/index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in html and "{% raw %}" in html and "{% endraw %}" in html, "Jinja syntax in a body must appear as text"
    assert "Result: 49" not in html and "49 in the title" not in html, "an article body or title was evaluated by Jinja"
    assert "Title: {{ config.title }} and" in html, "a template expression in a body must appear as text"


# -- line endings and byte order marks ----------------------------------------------------------------


def test_crlf_and_bom_markdown(site):
    text = "\ufeff" + article(body="Line one.\n\nLine two.\n", extra="tags: [crlf]\n").replace("\n", "\r\n")
    write(site, "content/news/windows.md", text.encode("utf-8"))
    run = build_checked(site, "--strict")
    assert_built(run)
    assert not lines_naming(run, "content/news/windows.md", "warning")
    html = (site / "public/news/windows/index.html").read_text(encoding="utf-8")
    assert "\r" not in html and "\ufeff" not in html and "Line two." in html


def test_old_mac_line_endings(site):
    write(site, "content/news/mac.md", article(body="Line one.\n").replace("\n", "\r").encode("utf-8"))
    run = build_checked(site, "--strict")
    assert_built(run)


def test_crlf_and_bom_data_file_and_config(site):
    for rel in ("content/data/partners.yaml", "config.yaml", "templates/i18n/fr.yaml"):
        path = site / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    run = build_checked(site, "--strict")
    assert_built(run)


def test_crlf_template(site):
    path = site / "templates/page.html"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    run = build_checked(site, "--strict")
    assert_built(run)


# -- templates ----------------------------------------------------------------------------------------


def test_template_syntax_error(site):
    write(site, "templates/x.html", "<p>one</p>\n<p>two</p>\n{% if %}\n<p>four</p>\n")
    run = build_checked(site)
    found = assert_failed_naming(run, "templates/x.html", "syntax")
    assert any(line.startswith("templates/x.html:3: error:") for line in found), f"the error must be at line 3:\n{run}"


def test_template_unclosed_block(site):
    write(site, "templates/x.html", "{% for a in b %}\n<p>{{ a }}</p>\n")
    run = build_checked(site)
    assert_failed_naming(run, "templates/x.html")


def insert_in_main_block(path: Path, line_text: str) -> int:
    """Insert a line right after `{% block main %}` in a template; returns its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next((i for i, line in enumerate(lines) if "{% block main %}" in line), None)
    assert at is not None, f"{path.name} has no {{% block main %}}: update the test"
    lines.insert(at + 1, line_text)
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 2


def test_template_undefined_variable(site):
    line = insert_in_main_block(site / "templates/page.html", "<p>{{ no_such_variable }}</p>")
    run = build_checked(site)
    found = assert_failed_naming(run, "templates/page.html", "no_such_variable")
    assert any(item.startswith(f"templates/page.html:{line}: error:") for item in found), f"the error must be at line {line}:\n{run}"


def test_template_undefined_attribute(site):
    line = insert_in_main_block(site / "templates/article.html", "<p>{{ article.meta.no_such_field }}</p>")
    run = build_checked(site)
    found = assert_failed_naming(run, "templates/article.html", "no_such_field")
    assert any(item.startswith(f"templates/article.html:{line}: error:") for item in found), f"the error must be at line {line}:\n{run}"


def test_template_runtime_error(site):
    path = site / "templates/page.html"
    edit(path, "</article>", "{{ 1 // 0 }}</article>")
    run = build_checked(site)
    assert_failed_naming(run, "templates/page.html")


def test_template_includes_itself(site):
    path = site / "templates/page.html"
    edit(path, "</article>", '{% include "page.html" %}</article>')
    run = build_checked(site, timeout=60)
    assert_failed_naming(run, "templates/page.html")


def test_template_includes_missing_file(site):
    path = site / "templates/page.html"
    edit(path, "</article>", '{% include "partials/nope.html" %}</article>')
    run = build_checked(site)
    assert_failed_naming(run, "templates/partials/nope.html")


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "/etc/passwd", "../config.yaml"])
def test_template_includes_file_outside_templates(site, target):
    write(site, "templates/x.html", f'{{% include "{target}" %}}\n')
    path = site / "templates/page.html"
    edit(path, "</article>", f'{{% include "{target}" %}}</article>')
    run = build_checked(site)
    assert run.returncode == 1, str(run)
    assert_well_formed(run)
    assert any(problem_path(line).startswith("templates/") for line in problem_lines(run) if ": error: " in line), str(run)
    assert_not_published(site, PASSWD_MARKER)


def test_template_symlink_to_etc_passwd(site):
    (site / "templates/passwd.html").symlink_to("/etc/passwd")
    path = site / "templates/page.html"
    edit(path, "</article>", '{% include "passwd.html" %}</article>')
    run = build_checked(site)
    if assert_handled(run, "templates/passwd.html") == "built":
        assert_not_published(site, PASSWD_MARKER)


def test_missing_template(site):
    (site / "templates/page.html").unlink()
    run = build_checked(site)
    assert_failed_naming(run, "templates/page.html")


def test_broken_i18n_strings(site):
    path = site / "templates/i18n/fr.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nnav_home: [unclosed\n", encoding="utf-8")
    run = build_checked(site)
    assert_failed_naming(run, "templates/i18n/fr.yaml")


# -- config.yaml ----------------------------------------------------------------------------------------


def test_config_unknown_key(site):
    path = site / "config.yaml"
    text = re.sub(r"(?m)^per_page:", "per_pgae:", path.read_text(encoding="utf-8"))
    assert "per_pgae:" in text
    path.write_text(text, encoding="utf-8")
    line = next(i for i, item in enumerate(text.split("\n"), start=1) if item.startswith("per_pgae:"))
    run = build_checked(site)
    found = assert_failed_naming(run, "config.yaml", "per_pgae", "did you mean 'per_page'")
    assert any(f"config.yaml:{line}: error:" in item for item in found), f"the error must be at line {line}:\n{run}"


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "title: [unclosed\n", "\tbad: tab\n"], ids=["empty", "list", "syntax", "tab"])
def test_config_broken(site, text):
    (site / "config.yaml").write_text(text, encoding="utf-8")
    run = build_checked(site)
    assert_failed_naming(run, "config.yaml")


def test_config_missing(site):
    (site / "config.yaml").unlink()
    run = build_checked(site)
    assert_failed_naming(run, "config.yaml")


@pytest.mark.parametrize(
    "output",
    [".", "./", "content", "content/news", "templates", "static", "..", "", "/", "content/../content", "public/../content", "public/.."],
)
def test_output_that_would_delete_sources(site, output):
    path = site / "config.yaml"
    text = re.sub(r"(?m)^output: .*$", f"output: {json.dumps(output)}", path.read_text(encoding="utf-8"))
    assert f"output: {json.dumps(output)}" in text
    path.write_text(text, encoding="utf-8")
    run = build_checked(site, output=False)  # the snapshot proves no source was deleted or changed
    assert_failed_naming(run, "config.yaml", "output")


@pytest.mark.parametrize("output", [".", "content", "static"])
def test_output_option_that_would_delete_sources(site, output):
    run = build_checked(site, "--output", output, output=False)
    # A refused --output is a command-line error naming the option, not config.yaml (issue #18).
    assert run.returncode == 2 and run.stderr.startswith("error: --output "), str(run)


def test_output_folder_is_a_link_to_content(site):
    (site / "out").symlink_to("content", target_is_directory=True)
    path = site / "config.yaml"
    text = re.sub(r"(?m)^output: .*$", "output: out", path.read_text(encoding="utf-8"))
    assert "output: out" in text
    path.write_text(text, encoding="utf-8")
    g_before = sorted(p.relative_to(site).as_posix() for p in (site / "content").rglob("*"))
    run = build_checked(site, output=False)
    assert sorted(p.relative_to(site).as_posix() for p in (site / "content").rglob("*")) == g_before, "sources were deleted"
    assert (site / "out").is_symlink(), "the output link was replaced"
    assert_failed_naming(run, "config.yaml", "output")


def test_public_is_a_file(site):
    """A file named like the output folder: refused or replaced, never a traceback."""
    import shutil

    shutil.rmtree(site / "public")
    (site / "public").write_text("not a folder\n", encoding="utf-8")
    run = build_checked(site)
    # Refused (issue #18): here through --output, so a command-line error naming the option and the folder.
    assert run.returncode == 2 and run.stderr.startswith("error: --output public/ is a file"), str(run)
    assert (site / "public").read_text(encoding="utf-8") == "not a folder\n"


def test_failed_build_leaves_public_untouched(site):
    before = public_files(site)
    write(site, "content/news/bad.md", "---\ntitle: x\n---\n")  # no date: an error
    run = build_checked(site)
    assert_failed_naming(run, "content/news/bad.md", "date")
    assert public_files(site) == before


def test_only_the_previous_generation_stays_beside_public(site):
    """After builds, `.public.old` is gone; `.public.staging` holds only the previous generation of the site.

    (By design: keeping the previous generation as the next staging folder makes a small edit
    cost a few writes instead of relinking the whole tree; it is never served.)
    """
    write(site, "content/news/new.md", article())
    assert_built(build_checked(site))
    write(site, "content/news/newer.md", article())
    assert_built(build_checked(site))
    assert not (site / ".public.old").exists()
    staged = site / ".public.staging"
    assert staged.is_dir()
    names = {p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()}
    assert "news/new/index.html" in names and "news/newer/index.html" not in names
