"""Hostile and odd input (issue 8, point 2; outcomes pinned by issue 26).

Whatever an editor puts in content/, templates/, static/ or config.yaml, each case has one pinned outcome:
built (exit 0, exactly the warnings listed, the page published showing its text) or refused (exit 1,
exactly the problem lines listed, `path:line: error: message (hint)`, and public/ untouched). Never a
traceback, never a write outside the output folder (build_checked snapshots everything around the site).
Builds run in a process forked from one that has imported the engine; a few run `python build.py` itself (fresh=True).
A case whose outcome today is wrong states the right one and is marked xfail(strict=True).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from support import edit, tree

from .conftest import (
    PASSWD_MARKER,
    SECRET,
    article,
    assert_not_published,
    assert_outcome,
    build_checked,
    built,
    refused,
    write,
)

EVIL = "content/news/evil.md"
# The hints the build gives, as it prints them.
SLUG_HINT = "(use lowercase letters, digits and hyphens, like 'institut-paoli-calmettes')"
LEAVES = "would leave the site's folder (use a plain path like /old-news/ with letters, digits and hyphens)"
LINKED_OUT = "this link points outside the site's folder (copy the file in instead of linking to it)"
FOLDER_OUT = "this folder links outside the site's folder (copy the files in instead of linking to them)"
LOOP = "this link points back to itself, in a loop (remove the link, or copy the file in)"
DANGLING = "this link points to a file that does not exist (remove the link, or copy the file in)"
INTO_HIDDEN = "this link points into a hidden folder (copy the file in instead of linking to it)"
TO_FOLDER = "this link points to a folder (move the folder here instead of linking to it)"
HIDDEN = ("is not published (names starting with '.', such as .env, .git/ or .DS_Store, are never published; "
          "rename it if it belongs on the site)")
NOT_PLAIN = "must be a plain path like /old-news/, but it holds"
HOST_FILES = "which the host files (_headers, _redirects) give a meaning to"
ESCAPED_NUL = "the text holds the control character U+0000, written as an escape (remove the escape ('\\e', '\\x1b', '\\u001b'...) from the quoted text)"
SUFFIX_HINT = "(languages are en, fr; name translations like {}.fr.md)"
NOT_UTF8 = "the file is not UTF-8 text (save it as UTF-8 in your editor)"
NUL = "the file contains a NUL byte (remove it, or re-save the file as text)"
TAG_REFUSED = "is not allowed (remove the '!' tag: only plain text, numbers, dates, lists and mappings are read)"
NOT_FOUND = "template not found (needed for /contact/) (create it or restore it from git)"
OVERWRITES = "would overwrite the site's sources (use a folder of its own, such as public)"
EXPANDS = "the YAML expands to more than 100000 values (anchors and aliases?) (write the values out instead of repeating aliases)"
FM_LINES = "the front matter must be 'key: value' lines (for example 'title: My article')"
# The page and text of the article `article()` writes, once published under a slug.
ARTICLE_TEXTS = ("<h1>Test article</h1>", "Some text.")


def lines_of(path: Path) -> int:
    """How many lines a file has (appended text starts on the next one)."""
    return len(path.read_text(encoding="utf-8").splitlines())


# -- slugs, aliases and file names that try to leave the output folder ----------------------------

HOSTILE_SLUGS = [
    pytest.param("../outside", refused(f"{EVIL}:4: error: 'slug' has an invalid value '../outside' {SLUG_HINT}"), id="dot-dot"),
    pytest.param("/etc/passwd", refused(f"{EVIL}:4: error: 'slug' has an invalid value '/etc/passwd' {SLUG_HINT}"), id="absolute"),
    pytest.param("..", refused(f"{EVIL}:4: error: 'slug' has an invalid value '..' {SLUG_HINT}"), id="parent"),
    pytest.param("a/../../b", refused(f"{EVIL}:4: error: 'slug' has an invalid value 'a/../../b' {SLUG_HINT}"), id="climbing"),
    pytest.param("%2e%2e/%2e%2e/x", refused(f"{EVIL}:4: error: 'slug' has an invalid value '%2e%2e/%2e%2e/x' {SLUG_HINT}"), id="encoded"),
    pytest.param("\\..\\..\\x", refused(f"{EVIL}:4: error: 'slug' has an invalid value " r"'\\..\\..\\x' " + SLUG_HINT), id="backslashes"),
    pytest.param("x\u0000y", refused(f"{EVIL}:4: error: {ESCAPED_NUL}"), id="nul"),
    pytest.param("a" * 300, refused(f"{EVIL}:4: error: 'slug' is 300 characters long, more than the 120 allowed "
                                    "(shorten it: it becomes part of a page's address)"), id="300-characters"),
]


@pytest.mark.parametrize(("slug", "expected"), HOSTILE_SLUGS)
def test_hostile_slug(built_site, slug, expected):
    write(built_site, EVIL, article(extra=f"slug: {json.dumps(slug)}\n"))
    assert_outcome(build_checked(built_site), built_site, expected)


HOSTILE_ALIASES = [
    pytest.param("/../../x/", refused(f"{EVIL}:4: error: the address '/../../x/' {LEAVES}"), id="climbing"),
    pytest.param("../outside/", refused(f"{EVIL}:4: error: the address '../outside/' {LEAVES}"), id="relative"),
    pytest.param("//evil.example/", refused(f"{EVIL}:4: error: the address '//evil.example/' {LEAVES}"), id="protocol-relative"),
    pytest.param("/a/../../../outside/", refused(f"{EVIL}:4: error: the address '/a/../../../outside/' {LEAVES}"), id="climbing-deep"),
    pytest.param("/%2e%2e/%2e%2e/x/", refused(f"{EVIL}:4: error: 'aliases[1]' {NOT_PLAIN} '%', {HOST_FILES}"), id="encoded-dots"),
    pytest.param("/..%2f..%2fx/", refused(f"{EVIL}:4: error: 'aliases[1]' {NOT_PLAIN} '%', {HOST_FILES}"), id="encoded-slashes"),
    pytest.param("https://evil.example/", refused(f"{EVIL}:4: error: 'aliases[1]' {NOT_PLAIN} ':', {HOST_FILES}"), id="absolute-url"),
    pytest.param("/x\u0000y/", refused(f"{EVIL}:4: error: {ESCAPED_NUL}"), id="nul"),
    pytest.param("", refused(f"{EVIL}:4: error: the address '' {LEAVES}"), id="empty"),
    pytest.param("/", refused(f"{EVIL}:4: error: the address / is also used by a page the site makes itself (home.html) "
                              "(give one of them another slug)"), id="home"),
    pytest.param("/.git/", refused(f"{EVIL}:4: error: the address '/.git/' {LEAVES}"), id="hidden"),
    pytest.param("/old news/", refused(f"{EVIL}:4: error: 'aliases[1]' {NOT_PLAIN} a space (U+0020)"), id="space"),
    pytest.param("/old/\n/* https://evil.example/ 200", refused(f"{EVIL}:4: error: 'aliases[1]' {NOT_PLAIN} a line break"), id="smuggled-rule"),
    pytest.param("/old/\t/evil 302", refused(f"{EVIL}:4: error: 'aliases[1]' {NOT_PLAIN} a tab (U+0009)"), id="tab"),
]


@pytest.mark.parametrize(("alias", "expected"), HOSTILE_ALIASES)
def test_hostile_alias(built_site, alias, expected):
    write(built_site, EVIL, article(extra=f"aliases: {json.dumps([alias])}\n"))
    assert_outcome(build_checked(built_site), built_site, expected)


def test_alias_named_like_a_system_file_is_a_redirect_inside_the_site(built_site):
    """/etc/passwd is a plain path: a redirect page at public/etc/passwd, one rule in each host file, nothing else."""
    write(built_site, EVIL, article(extra='aliases: ["/etc/passwd"]\n'))
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("etc/passwd", '<meta http-equiv="refresh" content="0; url=/news/evil/">'))
    public = built_site / "public"
    assert (public / "_redirects").read_text(encoding="utf-8") == "/etc/passwd /news/evil/ 301\n/fr/* /fr/404.html 404\n"
    assert (public / "_redirects.nginx").read_text(encoding="utf-8") == "/etc/passwd /news/evil/;\n"
    assert_not_published(built_site, PASSWD_MARKER)


def test_accented_and_mixed_case_aliases_of_a_migrated_site_redirect(built_site):
    """Old addresses keep their letters: a redirect page at the accented path, percent-encoded in _redirects, as written for nginx.

    An alias typed with a decomposed accent (e + U+0301, as some Mac editors save it) is composed first, so it is one address.
    """
    write(built_site, EVIL, article(extra='aliases: ["/Actualités/Séminaire.html", "/2024/01/Journe\u0301e/"]\n'))
    run = build_checked(built_site)
    assert_outcome(run, built_site, built("Actualités/Séminaire.html", '<meta http-equiv="refresh" content="0; url=/news/evil/">'))
    public = built_site / "public"
    assert (public / "2024/01/Journée/index.html").is_file()
    assert (public / "_redirects").read_text(encoding="utf-8") == (
        "/2024/01/Journ%C3%A9e/ /news/evil/ 301\n/Actualit%C3%A9s/S%C3%A9minaire.html /news/evil/ 301\n/fr/* /fr/404.html 404\n")
    assert (public / "_redirects.nginx").read_text(encoding="utf-8") == (
        "/2024/01/Journée/ /news/evil/;\n/Actualités/Séminaire.html /news/evil/;\n")


def test_alias_that_collides_with_a_page(built_site):
    write(built_site, EVIL, article(extra='aliases: ["/news/hello/"]\n'))
    assert_outcome(build_checked(built_site), built_site, refused(
        f"{EVIL}:4: error: the address /news/hello/ is also used by content/news/hello.md (give one of them another slug)",
        f"content/news/hello.md: error: the address /news/hello/ is also used by {EVIL} (give one of them another slug)",
        "templates: error: broken link '/news/hello/' on 6 pages (first /fr/actualites/bonjour-du-biocluster/index.html): that page is not published: "
        f"{EVIL} and content/news/hello.md both use that address (the link is in no content file, so it comes from a template "
        "or a data file: give one of those files another slug, then point the link at the page you mean)",
    ))


def _suffix(name: str, suffix: str, stem: str) -> object:
    """The refusal of a file name whose last dot starts an unknown language suffix."""
    return refused(f"content/news/{name}: error: unknown language suffix '{suffix}' in the file name {SUFFIX_HINT.format(stem)}")


def _hidden(name: str) -> object:
    """A hidden Markdown file: the site is built without it, and a warning says why."""
    return built("news/hello/index.html", warnings=(f"content/news/{name}: warning: a hidden file {HIDDEN}",))


ODD_NAMES = [
    pytest.param("..md", _hidden("..md"), id="dot-dot-md"),
    pytest.param("...md", _hidden("...md"), id="three-dots-md"),
    pytest.param("a..b.md", _suffix("a..b.md", ".b", "a"), id="double-dot"),
    pytest.param("..hidden.md", _hidden("..hidden.md"), id="hidden"),
    pytest.param(".. .md", _hidden(".. .md"), id="dots-space"),
    pytest.param("x.md.md", _suffix("x.md.md", ".md", "x"), id="md-md"),
    pytest.param("new\nline.md", refused("content/news/new\\nline.md: error: the name holds a line break "
                                         "(rename it: letters, digits, '-', '_', '.' and '@' are safe)"), id="line-break"),
    pytest.param("quote\"'<b>.md", built("news/quote-b/index.html", *ARTICLE_TEXTS), id="quotes-and-tag"),
]


@pytest.mark.parametrize(("name", "expected"), ODD_NAMES)
def test_odd_file_names(built_site, name, expected):
    write(built_site, f"content/news/{name}", article())
    assert_outcome(build_checked(built_site), built_site, expected)


def test_odd_bundle_folder_name(built_site):
    write(built_site, "content/news/-/index.md", article())
    assert_outcome(build_checked(built_site), built_site, built("news/untitled/index.html", *ARTICLE_TEXTS))


@pytest.mark.parametrize("folder", ["..x", "...", ". ."])
def test_hidden_bundle_folder_is_left_out_with_a_warning(built_site, folder):
    write(built_site, f"content/news/{folder}/index.md", article(body="HIDDEN-BUNDLE-MARKER\n"))
    expected = built("news/hello/index.html", warnings=(f"content/news/{folder}/: warning: a hidden folder {HIDDEN}",))
    assert_outcome(build_checked(built_site), built_site, expected)
    assert_not_published(built_site, b"HIDDEN-BUNDLE-MARKER")


def test_very_long_file_name(built_site):
    name = "a" * 247 + ".md"  # 250 characters, under the system's 255-byte limit
    write(built_site, f"content/news/{name}", article())
    expected = refused(f"content/news/{name}: error: the file name is longer than 200 characters (shorten it)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_very_long_unicode_file_name(built_site):
    name = "é" * 125 + ".md"  # 128 characters, 253 bytes: under both limits, its slug transliterated
    write(built_site, f"content/news/{name}", article())
    assert_outcome(build_checked(built_site), built_site, built(f"news/{'e' * 125}/index.html", *ARTICLE_TEXTS))


def test_file_name_not_utf8(built_site):
    raw = os.fsencode(built_site / "content" / "news") + b"/caf\xe9.md"
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write(article())
    expected = refused("content/news/caf?.md: error: the file name is not UTF-8 (rename the file (letters, digits and hyphens are safest))")
    assert_outcome(build_checked(built_site), built_site, expected)


LONG_SEGMENTS = [
    pytest.param("tags", ["t" * 290], refused(f"{EVIL}:4: error: 'tags[1]' is 290 characters long, more than the 80 allowed "
                                             "(shorten it: it becomes part of a page's address)"), id="tag"),
    pytest.param("aliases", ["/" + "a" * 290 + "/"], refused(
        f"{EVIL}:4: error: the address '/{'a' * 79}…' has a part longer than 200 characters (shorten the slug, tag or alias)"), id="alias"),
]


@pytest.mark.parametrize(("field", "value", "expected"), LONG_SEGMENTS)
def test_very_long_url_segment(built_site, field, value, expected):
    """A tag or alias near the length limits would give a folder name longer than the system allows."""
    write(built_site, EVIL, article(extra=f"{field}: {json.dumps(value)}\n"))
    assert_outcome(build_checked(built_site), built_site, expected)


# -- symlinks -------------------------------------------------------------------------------------


def test_symlink_article_to_etc_passwd(built_site):
    (built_site / "content/news/passwd.md").symlink_to("/etc/passwd")
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/passwd.md: error: {LINKED_OUT}"))


def test_symlink_article_to_file_outside(built_site):
    outside = built_site.parent.parent / "outside"
    (built_site / "content/news/secret.md").symlink_to(os.path.relpath(outside / "secret.md", built_site / "content/news"))
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/secret.md: error: {LINKED_OUT}"))


def test_symlink_folder_in_news_to_outside(built_site):
    (built_site / "content/news/linked").symlink_to(built_site.parent.parent / "outside", target_is_directory=True)
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/linked: error: {FOLDER_OUT}"))


def test_symlink_bundle_folder_to_outside(built_site):
    outside = built_site.parent.parent / "outside"
    (outside / "bundle").mkdir()
    (outside / "bundle" / "index.md").write_bytes((outside / "secret.md").read_bytes())
    (built_site / "content/news/bundle").symlink_to(outside / "bundle", target_is_directory=True)
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/bundle: error: {FOLDER_OUT}"))


def test_news_section_itself_links_outside(built_site):
    """content/news replaced by a link to a folder outside the site."""
    outside = built_site.parent.parent / "outside"
    news = built_site / "content/news"
    for path in news.iterdir():
        (outside / path.name).write_bytes(path.read_bytes())
    shutil.rmtree(news)
    news.symlink_to(outside, target_is_directory=True)
    expected = refused(f"content/news: error: {FOLDER_OUT}")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_symlink_in_bundle_to_etc_passwd(built_site):
    write(built_site, "content/news/trip/index.md", article())
    (built_site / "content/news/trip/photo.jpg").symlink_to("/etc/passwd")
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/trip/photo.jpg: error: {LINKED_OUT}"))


def test_symlink_loop_in_news(built_site):
    (built_site / "content/news/loop.md").symlink_to("loop.md")
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/loop.md: error: {LOOP}"))


def test_dangling_symlink_in_news(built_site):
    """Emacs leaves `.#name.md` lock files (links to a target that does not exist) while a file is edited: hidden, left out without a word."""
    (built_site / "content/news/.#hello.md").symlink_to("root@host.12345:1700000000")
    assert_outcome(build_checked(built_site), built_site, built("news/hello/index.html"))


def test_dangling_symlink_article(built_site):
    (built_site / "content/news/gone.md").symlink_to("no-such-file.md")
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/gone.md: error: {DANGLING}"))


def test_static_symlink_to_etc_passwd(built_site):
    (built_site / "static/passwd.txt").symlink_to("/etc/passwd")
    assert_outcome(build_checked(built_site), built_site, refused(f"static/passwd.txt: error: {LINKED_OUT}"))


def test_static_symlink_to_folder_outside(built_site):
    (built_site / "static/outside").symlink_to(built_site.parent.parent / "outside", target_is_directory=True)
    run = build_checked(built_site)
    assert_not_published(built_site, SECRET)
    assert_outcome(run, built_site, refused(f"static/outside: error: {FOLDER_OUT}"))


def test_static_symlink_loop(built_site):
    (built_site / "static/loop").symlink_to("loop")
    assert_outcome(build_checked(built_site), built_site, refused(f"static/loop: error: {LOOP}"))


def test_static_dangling_symlink(built_site):
    (built_site / "static/gone.css").symlink_to("no-such-file.css")
    expected = refused(f"static/gone.css: error: {DANGLING}")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_static_symlink_to_the_repositorys_git_config(built_site):
    """CI's checkout keeps its token in .git/config: a link to it inside the site's folder is refused too."""
    write(built_site, ".git/config", "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (built_site / "static/config.txt").symlink_to("../.git/config")
    run = build_checked(built_site)
    assert_not_published(built_site, b"AUTHORIZATION")
    assert_outcome(run, built_site, refused(f"static/config.txt: error: {INTO_HIDDEN}"))


def test_bundle_symlink_into_the_build_cache(built_site):
    write(built_site, "content/news/trip/index.md", article())
    (built_site / "content/news/trip/graph.db").symlink_to("../../../.cache/lock")
    write(built_site, ".cache/lock", "x")
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/trip/graph.db: error: {INTO_HIDDEN}"))


def test_static_symlink_to_a_folder_inside_the_site(built_site):
    (built_site / "static/templates").symlink_to("../templates", target_is_directory=True)
    assert_outcome(build_checked(built_site), built_site, refused(f"static/templates: error: {TO_FOLDER}"))


def test_data_file_linked_to_etc_passwd_is_refused_unread(built_site):
    """The link is refused before the file is read: no line of /etc/passwd is quoted in any message."""
    path = built_site / "content/data/figures.yaml"
    path.unlink()
    path.symlink_to("/etc/passwd")
    run = build_checked(built_site)
    assert "root:" not in run.stderr
    assert_outcome(run, built_site, refused(f"content/data/figures.yaml: error: {LINKED_OUT}"))


def test_ui_strings_linked_outside_are_refused(built_site):
    outside = built_site.parent.parent / "outside"
    (outside / "fr.yaml").write_bytes((built_site / "templates/i18n/fr.yaml").read_bytes())
    (built_site / "templates/i18n/fr.yaml").unlink()
    (built_site / "templates/i18n/fr.yaml").symlink_to(outside / "fr.yaml")
    assert_outcome(build_checked(built_site), built_site, refused(f"templates/i18n/fr.yaml: error: {LINKED_OUT}"))


def test_a_message_quotes_a_short_excerpt_never_a_whole_file(built_site):
    """A data file that is one long text (a pasted file) is named with its first characters only."""
    text = "x" * 5000
    (built_site / "content/data/figures.yaml").write_text(f'"{text}"\n', encoding="utf-8")
    run = build_checked(built_site)
    assert text not in run.stderr
    assert_outcome(run, built_site, refused(re.compile(r"content/data/figures\.yaml:1: error: .*'x{60}…'.*")))


def test_front_matter_image_climbing_out_of_static(built_site):
    image = "/../../../../../../../../etc/passwd"
    write(built_site, EVIL, article(extra=f'image: "{image}"\nimage_alt: "A picture"\n'))
    run = build_checked(built_site)
    assert_not_published(built_site, PASSWD_MARKER)
    assert_outcome(run, built_site, refused(
        f"{EVIL}:4: error: image '{image}' not found (put it beside index.md in a bundle, or give a path under static/ starting with '/')"))


# -- bytes that are not text ----------------------------------------------------------------------


@pytest.mark.parametrize(("where", "line"), [("body", 5), ("front matter", 4)])
def test_nul_byte_in_markdown(built_site, where, line):
    text = article(body="Before\x00after.\n") if where == "body" else article(extra="summary: a\x00b\n")
    write(built_site, "content/news/nul.md", text)
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/nul.md:{line}: error: {NUL}"))


def test_nul_byte_in_data_file(built_site):
    path = built_site / "content/data/figures.yaml"
    line = lines_of(path) + 3
    path.write_bytes(path.read_bytes() + b"\n- value: 1\n  label: {en: a\x00b, fr: c}\n")
    assert_outcome(build_checked(built_site), built_site, refused(f"content/data/figures.yaml:{line}: error: {NUL}"))


def test_latin1_markdown(built_site):
    write(built_site, "content/news/latin1.md", article(title="Caf\u00e9", body="R\u00e9sum\u00e9 de l'ann\u00e9e.\n").encode("latin-1"))
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/latin1.md:2: error: {NOT_UTF8}"))


def test_latin1_data_file(built_site):
    path = built_site / "content/data/figures.yaml"
    line = lines_of(path) + 3
    path.write_bytes(path.read_bytes() + "\n- value: 2\n  label: {en: caf\u00e9, fr: caf\u00e9}\n".encode("latin-1"))
    assert_outcome(build_checked(built_site), built_site, refused(f"content/data/figures.yaml:{line}: error: {NOT_UTF8}"))


def test_latin1_config(built_site):
    path = built_site / "config.yaml"
    data = path.read_bytes()
    assert b"Fran\xc3\xa7ais" in data
    line = data[: data.index(b"Fran\xc3\xa7ais")].count(b"\n") + 1
    path.write_bytes(data.replace(b"Fran\xc3\xa7ais", b"Fran\xe7ais"))
    assert_outcome(build_checked(built_site), built_site, refused(f"config.yaml:{line}: error: {NOT_UTF8}"))


def test_latin1_template(built_site):
    """A template not in UTF-8 is refused naming it (with the decoder's words, where other files get a line and a hint)."""
    path = built_site / "templates/page.html"
    edit(path, "</article>", "<p>caf\u00e9</p></article>")
    data = path.read_text(encoding="utf-8").encode("latin-1")
    path.write_bytes(data)
    at = data.index(b"caf\xe9") + 3
    expected = refused(f"templates/page.html: error: cannot read template: 'utf-8' codec can't decode byte 0xe9 in position {at}: "
                       "invalid continuation byte")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_markdown_over_the_size_limit(built_site):
    """A Markdown file over 2 MB is refused before it is converted, with its size and what to do."""
    body = ("A paragraph of an overlong article. " * 40 + "\n\n") * 1400
    path = write(built_site, "content/news/huge.md", article(body=body))
    size = path.stat().st_size
    assert 2_000_000 < size < 2_100_000
    expected = refused(f"content/news/huge.md: error: the file is {size / 1e6:.1f} MB, more than the 2 MB an article may have "
                       "(split it, or link large documents instead of pasting them)")
    assert_outcome(build_checked(built_site), built_site, expected)


@pytest.mark.slow
def test_fifty_megabyte_markdown(built_site):
    paragraph = (
        "The Marseille Immunology Biocluster brings together research teams, hospitals and companies "
        "around the immune system, with *emphasis*, **strong text**, `code` and a [link](/news/). "
    ) * 4
    block = f"## A section\n\n{paragraph}\n\n- an item\n- another item\n\n"
    count = 50 * 1024 * 1024 // len(block) + 1
    path = write(built_site, "content/news/huge.md", article(body=block * count))
    size = path.stat().st_size
    assert size >= 50 * 1024 * 1024
    run = build_checked(built_site, timeout=120, fresh=True)  # refused before it is read whole: a timeout would fail the test
    assert_outcome(run, built_site, refused(f"content/news/huge.md: error: the file is {size / 1e6:.1f} MB, more than the 2 MB an article "
                                            "may have (split it, or link large documents instead of pasting them)"))


# -- YAML that tries to hurt ----------------------------------------------------------------------

LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{','.join(['*' + chr(ord('a') + i - 1)] * 9)}]" for i in range(1, 9)]
)


def test_billion_laughs_in_front_matter(built_site):
    write(built_site, "content/news/laughs.md", '---\ntitle: "Laughs"\ndate: 2024-02-01\n' + LAUGHS + "\nextra: {x: *i}\n---\nBody.\n")
    run = build_checked(built_site, timeout=60)  # a blow-up would hit the timeout and fail the test
    assert_outcome(run, built_site, refused(f"content/news/laughs.md:4: error: {EXPANDS}"))


def test_billion_laughs_in_data_file(built_site):
    path = built_site / "content/data/milestones.yaml"
    # A valid-looking list whose first entry's description is the bomb.
    lines = [f"  {line}" for line in LAUGHS.replace("a: &a", "aa: &a").splitlines()]
    text = "- date: 2024\n  status: done\n  title: {en: x, fr: x}\n  description:\n" + "\n".join("  " + x for x in lines) + "\n"
    path.write_text(text, encoding="utf-8")
    run = build_checked(built_site, timeout=60)  # a blow-up would hit the timeout and fail the test
    assert_outcome(run, built_site, refused(f"content/data/milestones.yaml:5: error: {EXPANDS}"))


def test_recursive_alias(built_site):
    write(built_site, "content/news/loop.md", '---\ntitle: "Loop"\ndate: 2024-02-01\nextra: &a {self: *a}\n---\nBody.\n')
    expected = refused("content/news/loop.md:4: error: the YAML is nested more than 64 levels deep (a recursive alias?)")
    assert_outcome(build_checked(built_site, timeout=60), built_site, expected)


def test_merge_key_bomb(built_site):
    """Merge keys (`<<`) repeating one big mapping many times: the second copy is a duplicate key, refused at once."""
    keys = ", ".join(f"k{i}: {i}" for i in range(2000))
    merges = ", ".join(["*big"] * 200)
    text = f'---\ntitle: "Merge"\ndate: 2024-02-01\nbase: &big {{{keys}}}\nextra: {{<<: [{merges}]}}\n---\nBody.\n'
    write(built_site, "content/news/merge.md", text)
    run = build_checked(built_site, timeout=60)  # a blow-up would hit the timeout and fail the test
    assert_outcome(run, built_site, refused("content/news/merge.md:4: error: duplicate key 'k0' (first given at line 4) (keep one of the two)"))


PYTHON_TAGS = [
    ('!!python/object/apply:os.system ["touch {marker}"]', "tag:yaml.org,2002:python/object/apply:os.system"),
    ("!!python/name:os.system", "tag:yaml.org,2002:python/name:os.system"),
    ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
    ("!custom-tag value", "!custom-tag"),
]


@pytest.mark.parametrize(("tag", "shown"), PYTHON_TAGS, ids=lambda t: t.split()[0])
def test_yaml_python_object_in_front_matter(built_site, tag, shown):
    marker = built_site.parent.parent / "pwned"
    write(built_site, EVIL, article(title="Evil", extra=f"summary: {tag.format(marker=marker)}\n"))
    run = build_checked(built_site)  # the guard also fails if /tmp/pwned appeared
    assert not marker.exists(), "YAML constructed a Python object and ran a command"
    assert_outcome(run, built_site, refused(f"{EVIL}:4: error: the YAML tag '{shown}' {TAG_REFUSED}"))


def test_yaml_python_object_in_data_file(built_site):
    marker = built_site.parent.parent / "pwned"
    path = built_site / "content/data/figures.yaml"
    line = lines_of(path) + 2
    path.write_text(path.read_text(encoding="utf-8") + f'\n- value: !!python/object/apply:os.system ["touch {marker}"]\n  label: x\n',
                    encoding="utf-8")
    run = build_checked(built_site)
    assert not marker.exists(), "YAML ran a command"
    expected = refused(f"content/data/figures.yaml:{line}: error: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' {TAG_REFUSED}")
    assert_outcome(run, built_site, expected)


def test_yaml_python_object_in_config(built_site):
    marker = built_site.parent.parent / "pwned"
    path = built_site / "config.yaml"
    text = re.sub(r"(?m)^per_page: .*$", f'per_page: !!python/object/apply:os.system ["touch {marker}"]', path.read_text(encoding="utf-8"))
    assert "!!python" in text
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index(next(item for item in text.split("\n") if item.startswith("per_page:"))) + 1
    run = build_checked(built_site)
    assert not marker.exists(), "YAML ran a command"
    assert_outcome(run, built_site, refused(f"config.yaml:{line}: error: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' {TAG_REFUSED}"))


def test_duplicate_key_in_front_matter(built_site):
    write(built_site, "content/news/dup.md", '---\ntitle: "First"\ndate: 2024-02-01\ntitle: "Second"\n---\nBody.\n')
    expected = refused("content/news/dup.md:4: error: duplicate key 'title' (first given at line 2) (keep one of the two)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_duplicate_key_in_data_file(built_site):
    path = built_site / "content/data/figures.yaml"
    first = lines_of(path) + 2
    path.write_text(path.read_text(encoding="utf-8") + "\n- value: 3\n  kind: number\n  value: 4\n  label: {en: x, fr: y}\n", encoding="utf-8")
    expected = refused(f"content/data/figures.yaml:{first + 2}: error: duplicate key 'value' (first given at line {first}) (keep one of the two)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_duplicate_key_nested_in_data_file(built_site):
    path = built_site / "content/data/figures.yaml"
    first = lines_of(path) + 4
    path.write_text(path.read_text(encoding="utf-8") + "\n- value: 3\n  label:\n    en: one\n    fr: un\n    en: two\n", encoding="utf-8")
    expected = refused(f"content/data/figures.yaml:{first + 2}: error: duplicate key 'en' (first given at line {first}) (keep one of the two)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_duplicate_key_in_config(built_site):
    path = built_site / "config.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.split("\n").index(next(item for item in text.split("\n") if item.startswith("per_page:"))) + 1
    path.write_text(text + "\nper_page: 5\n", encoding="utf-8")
    expected = refused(f"config.yaml:{lines_of(path)}: error: duplicate key 'per_page' (first given at line {first}) (keep one of the two)")
    assert_outcome(build_checked(built_site), built_site, expected)


@pytest.mark.parametrize("spelling", ["yes", "true", "'true'", "on"])
def test_duplicate_key_spelled_differently(built_site, spelling):
    """`draft: false` then `draft: yes`: YAML 1.1 reads yes/on as true; the second must not silently win."""
    write(built_site, "content/news/dup.md", f'---\ntitle: "T"\ndate: 2024-02-01\ndraft: false\ndraft: {spelling}\n---\nBody.\n')
    expected = refused("content/news/dup.md:5: error: duplicate key 'draft' (first given at line 4) (keep one of the two)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_toml_front_matter(built_site):
    write(built_site, "content/news/toml.md", '+++\ntitle = "Hugo post"\ndate = 2024-01-15\n+++\nBody.\n')
    expected = refused("content/news/toml.md:1: error: front matter in TOML ('+++') is not supported (use YAML between '---' lines, with 'key: value')")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_json_front_matter(built_site):
    write(built_site, "content/news/json.md", '{\n  "title": "Hugo JSON post",\n  "date": "2024-01-15"\n}\nBody.\n')
    expected = refused("content/news/json.md:1: error: the file does not start with front matter "
                       "(put '---' on the first line, then 'title: ...', then '---')")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_several_documents_in_data_file(built_site):
    path = built_site / "content/data/figures.yaml"
    line = lines_of(path) + 2
    path.write_text(path.read_text(encoding="utf-8") + "\n---\n- value: 9\n  label: {en: x, fr: y}\n", encoding="utf-8")
    expected = refused(f"content/data/figures.yaml:{line}: error: several YAML documents in one file "
                       "(keep one: remove the '---' line and what should not be there)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_milestone_with_an_impossible_month(built_site):
    path = built_site / "content/data/milestones.yaml"
    line = lines_of(path) + 2
    path.write_text(path.read_text(encoding="utf-8") + '\n- date: "2024-13"\n  title: {en: x, fr: x}\n  status: done\n', encoding="utf-8")
    run = build_checked(built_site)
    assert_outcome(run, built_site, refused(re.compile(rf"content/data/milestones\.yaml:{line}: error: entry \d+: 'date' .*'2024-13'.*")))


def test_one_explicit_document_in_data_file_is_fine(built_site):
    path = built_site / "content/data/figures.yaml"
    path.write_text("---\n" + path.read_text(encoding="utf-8") + "\n...\n", encoding="utf-8")
    assert_outcome(build_checked(built_site), built_site, built("index.html", '<span class="figure-value">€97M</span>', "France 2030 funding"))


# -- empty files ----------------------------------------------------------------------------------

EMPTY = "the file is empty (start it with front matter: '---', 'title: ...', 'date: ...', '---')"


@pytest.mark.parametrize("text", ["", "\n\n", "   \t\n", "\ufeff"], ids=["empty", "newlines", "blanks", "bom-only"])
def test_empty_markdown(built_site, text):
    write(built_site, "content/news/empty.md", text)
    assert_outcome(build_checked(built_site), built_site, refused(f"content/news/empty.md:1: error: {EMPTY}"))


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("---\n", "content/news/bad.md:1: error: the front matter is not closed (add a line '---' after the last front matter field)",
                 id="open"),
    pytest.param("---\n---\n", f"content/news/bad.md:2: error: {FM_LINES}", id="empty-fm"),
    pytest.param("---\n\n---\nBody.\n", f"content/news/bad.md:2: error: {FM_LINES}", id="blank-fm"),
    pytest.param("---\n...\n", f"content/news/bad.md:2: error: {FM_LINES}", id="dots"),
])
def test_empty_or_unclosed_front_matter(built_site, text, expected):
    write(built_site, "content/news/bad.md", text)
    assert_outcome(build_checked(built_site), built_site, refused(expected))


SENTENCE = "the text 'just a sentence'"
NOT_A_LIST = "must be a list, got {} (write it as [first, second] or as lines starting with '- ')"


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("", "content/data/partners.yaml:1: error: the data file is empty (see the README for the fields this file takes)", id="empty"),
    pytest.param("\n", "content/data/partners.yaml:1: error: the data file is empty (see the README for the fields this file takes)", id="newline"),
    pytest.param("# only a comment\n", f"content/data/partners.yaml:1: error: 'the file' {NOT_A_LIST.format('nothing')}", id="comment"),
    pytest.param("---\n", f"content/data/partners.yaml:2: error: 'the file' {NOT_A_LIST.format('nothing')}", id="marker"),
    pytest.param("null\n", f"content/data/partners.yaml:1: error: 'the file' {NOT_A_LIST.format('nothing')}", id="null"),
    pytest.param("~\n", f"content/data/partners.yaml:1: error: 'the file' {NOT_A_LIST.format('nothing')}", id="tilde"),
    pytest.param("just a sentence\n", f"content/data/partners.yaml:1: error: 'the file' {NOT_A_LIST.format(SENTENCE)}",
                 id="wrong-shape"),
])
def test_empty_data_file(built_site, text, expected):
    """An empty partners file: refused for itself alone (the partner funding.yaml names is not reported unknown as well)."""
    (built_site / "content/data/partners.yaml").write_text(text, encoding="utf-8")
    assert_outcome(build_checked(built_site), built_site, refused(expected))


@pytest.mark.parametrize("ending", ["---\n", "---", "---\n\n\n"], ids=["newline", "no-newline", "blank-lines"])
def test_front_matter_only_builds(built_site, ending):
    write(built_site, "content/news/no-body.md", f'---\ntitle: "No body"\ndate: 2024-02-01\n{ending}')
    assert_outcome(build_checked(built_site), built_site, built("news/no-body/index.html", "<h1>No body</h1>"))


# -- text that looks like code: never evaluated, always escaped --------------------------------------


def test_jinja_syntax_in_markdown_is_text(built_site):
    body = "Result: {{ 7*7 }}.\n\n{% raw %}kept{% endraw %}\n\nTitle: {{ config.title }} and {% if true %}yes{% endif %}.\n"
    write(built_site, "content/news/jinja.md", article(body=body, title="{{ 7*7 }} in the title"))
    run = build_checked(built_site)
    told = "(this site runs no template code: write the link or text it stood for in Markdown, or remove it)"
    code = [(5, "{{ 7*7 }}"), (7, "{% endraw %}"), (7, "{% raw %}"), (9, "{% endif %}"), (9, "{% if true %}"), (9, "{{ config.title }}")]
    assert_outcome(run, built_site, built("news/jinja/index.html", "<h1>{{ 7*7 }} in the title</h1>", "Result: {{ 7*7 }}.",
                                          "{% raw %}kept{% endraw %}", "Title: {{ config.title }} and {% if true %}yes{% endif %}.",
                                          warnings=tuple(f"content/news/jinja.md:{line}: warning: template code of another generator is shown "
                                                         f"as text: '{text}' {told}" for line, text in code)))
    html = (built_site / "public/news/jinja/index.html").read_text(encoding="utf-8")
    assert "Result: 49" not in html and "49 in the title" not in html, "an article body or title was evaluated by Jinja"


# -- line endings and byte order marks ----------------------------------------------------------------


def test_crlf_and_bom_markdown(built_site):
    text = "\ufeff" + article(body="Line one.\n\nLine two.\n", extra="tags: [crlf]\n").replace("\n", "\r\n")
    write(built_site, "content/news/windows.md", text.encode("utf-8"))
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built("news/windows/index.html", "<h1>Test article</h1>", "<p>Line one.</p>\n<p>Line two.</p>"))
    assert_outcome(run, built_site, built("tags/crlf/index.html", "Test article"))
    html = (built_site / "public/news/windows/index.html").read_text(encoding="utf-8")
    assert "\r" not in html and "\ufeff" not in html


def test_old_mac_line_endings(built_site):
    """Lines ended by CR alone (classic Mac OS) read as lines: the front matter is found and the body shown."""
    write(built_site, "content/news/mac.md", article(body="Line one.\rLine two.\r", extra="summary: From a Mac.\r").replace("\n", "\r").encode())
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built("news/mac/index.html", "<h1>Test article</h1>", "<p>Line one.\nLine two.</p>", "From a Mac."))
    assert "\r" not in (built_site / "public/news/mac/index.html").read_text(encoding="utf-8")


def test_crlf_and_bom_data_file_and_config(built_site):
    """Data, config and UI strings saved with a BOM and CRLF read as usual: their text is on the pages."""
    for rel in ("content/data/partners.yaml", "config.yaml", "templates/i18n/fr.yaml"):
        path = built_site / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built("partners/amu/index.html", "<h1>Aix-Marseille University</h1>", "Leads the biocluster."))
    assert_outcome(run, built_site, built("fr/index.html", "<title>Marseille Immunology Biocluster</title>", ">Actualités<"))
    pages = {rel: data for rel, data in tree(built_site / "public").items() if rel.endswith(".html")}
    assert pages and not [rel for rel, data in pages.items() if b"\r" in data or b"\xef\xbb\xbf" in data]


def test_crlf_template(built_site):
    path = built_site / "templates/page.html"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    run = build_checked(built_site, "--strict")
    assert_outcome(run, built_site, built("contact/index.html", "<h1>Contact</h1>", "Write to the editorial team."))
    assert b"\r" not in (built_site / "public/contact/index.html").read_bytes()


# -- templates ----------------------------------------------------------------------------------------


def test_template_syntax_error(built_site):
    write(built_site, "templates/x.html", "<p>one</p>\n<p>two</p>\n{% if %}\n<p>four</p>\n")
    expected = refused("templates/x.html:3: error: template syntax error: Expected an expression, got 'end of statement block'")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_template_unclosed_block(built_site):
    write(built_site, "templates/x.html", "{% for a in b %}\n<p>{{ a }}</p>\n")
    expected = refused("templates/x.html:2: error: template syntax error: Unexpected end of template. Jinja was looking for the following "
                       "tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.")
    assert_outcome(build_checked(built_site), built_site, expected)


def insert_in_main_block(path: Path, line_text: str) -> int:
    """Insert a line right after `{% block main %}` in a template; returns its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next((i for i, line in enumerate(lines) if "{% block main %}" in line), None)
    assert at is not None, f"{path.name} has no {{% block main %}}: update the test"
    lines.insert(at + 1, line_text)
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 2


def line_containing(path: Path, needle: str) -> int:
    """The number of the first line of a file containing `needle`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1) if needle in line)


def test_template_undefined_variable(built_site):
    line = insert_in_main_block(built_site / "templates/page.html", "<p>{{ no_such_variable }}</p>")
    expected = refused(f"templates/page.html:{line}: error: undefined value: 'no_such_variable' is undefined (while rendering /contact/)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_template_undefined_attribute(built_site):
    line = insert_in_main_block(built_site / "templates/article.html", "<p>{{ article.meta.no_such_field }}</p>")
    expected = refused(f"templates/article.html:{line}: error: undefined value: 'ArticleMeta object' has no attribute "
                       "'no_such_field' (while rendering /fr/actualites/bonjour-du-biocluster/ and 1 other page)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_template_runtime_error(built_site):
    path = built_site / "templates/page.html"
    edit(path, "</article>", "{{ 1 // 0 }}</article>")
    expected = refused(f"templates/page.html:{line_containing(path, '{{ 1 // 0 }}')}: error: template error: ZeroDivisionError: "
                       "integer division or modulo by zero (while rendering /contact/)")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_template_includes_itself(built_site):
    """Refused at the template; the end of Python's message depends on where the recursion ran out ("in comparison", ...)."""
    edit(built_site / "templates/page.html", "</article>", '{% include "page.html" %}</article>')
    expected = refused(re.compile(r"templates/page\.html:1: error: template error: RecursionError: maximum recursion depth exceeded"
                                  r"( [a-zA-Z ]+)? \(while rendering /contact/\)"))
    assert_outcome(build_checked(built_site, timeout=60, fresh=True), built_site, expected)


def test_template_includes_missing_file(built_site):
    edit(built_site / "templates/page.html", "</article>", '{% include "partials/nope.html" %}</article>')
    assert_outcome(build_checked(built_site), built_site, refused(f"templates/partials/nope.html: error: {NOT_FOUND}"))


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "/etc/passwd", "../config.yaml"])
def test_template_includes_file_outside_templates(built_site, target):
    write(built_site, "templates/x.html", f'{{% include "{target}" %}}\n')
    edit(built_site / "templates/page.html", "</article>", f'{{% include "{target}" %}}</article>')
    run = build_checked(built_site)
    assert_outcome(run, built_site, refused(f"templates/{target}: error: {NOT_FOUND}"))


def test_template_symlink_to_etc_passwd(built_site):
    (built_site / "templates/passwd.html").symlink_to("/etc/passwd")
    edit(built_site / "templates/page.html", "</article>", '{% include "passwd.html" %}</article>')
    expected = refused(f"templates/passwd.html: error: {LINKED_OUT}")
    assert_outcome(build_checked(built_site), built_site, expected)


def test_missing_template(built_site):
    (built_site / "templates/page.html").unlink()
    assert_outcome(build_checked(built_site), built_site, refused(f"templates/page.html: error: {NOT_FOUND}"))


def test_broken_i18n_strings(built_site):
    path = built_site / "templates/i18n/fr.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nnav_home: [unclosed\n", encoding="utf-8")
    expected = refused(f"templates/i18n/fr.yaml:{lines_of(path) + 1}: error: YAML syntax error: while parsing a flow sequence, "
                       "did not find expected ',' or ']'")
    assert_outcome(build_checked(built_site), built_site, expected)


# -- config.yaml ----------------------------------------------------------------------------------------


def test_config_unknown_key(built_site):
    path = built_site / "config.yaml"
    text = re.sub(r"(?m)^per_page:", "per_pgae:", path.read_text(encoding="utf-8"))
    assert "per_pgae:" in text
    path.write_text(text, encoding="utf-8")
    line = line_containing(path, "per_pgae:")
    assert_outcome(build_checked(built_site), built_site, refused(f"config.yaml:{line}: error: unknown field 'per_pgae' (did you mean 'per_page'?)"))


MAPPING = "config.yaml must be a mapping of settings (see the README for an example)"


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("", f"config.yaml:1: error: {MAPPING}", id="empty"),
    pytest.param("- a\n- b\n", f"config.yaml:1: error: {MAPPING}", id="list"),
    pytest.param("title: [unclosed\n", "config.yaml:2: error: YAML syntax error: while parsing a flow sequence, did not find expected ',' or ']'",
                 id="syntax"),
    pytest.param("\tbad: tab\n", "config.yaml:1: error: YAML syntax error: while scanning for the next token, found character that cannot "
                 "start any token (indent with spaces, not tabs)", id="tab"),
])
def test_config_broken(built_site, text, expected):
    (built_site / "config.yaml").write_text(text, encoding="utf-8")
    assert_outcome(build_checked(built_site), built_site, refused(expected))


def test_config_missing(built_site):
    (built_site / "config.yaml").unlink()
    for fresh in (True, False):  # the second build reads what the first one remembered of a site without settings
        assert_outcome(build_checked(built_site, fresh=fresh), built_site, refused("config.yaml: error: cannot read the file: No such file or directory"))


NEEDED = "which the site needs (use a folder of its own, such as public)"


@pytest.mark.parametrize(("output", "shown"), [
    (".", "{site}/ " + OVERWRITES), ("./", "{site}/ " + OVERWRITES), ("", "{site}/ " + OVERWRITES), ("public/..", "{site}/ " + OVERWRITES),
    ("..", "{outer}/ " + OVERWRITES), ("/", "/ " + OVERWRITES),
    ("content", "content/ is content/, " + NEEDED), ("content/news", "content/news/ is inside content/, " + NEEDED),
    ("templates", "templates/ is templates/, " + NEEDED), ("static", "static/ is static/, " + NEEDED),
    ("content/../content", "content/ is content/, " + NEEDED), ("public/../content", "content/ is content/, " + NEEDED),
])
def test_output_that_would_delete_sources(built_site, output, shown):
    path = built_site / "config.yaml"
    text = re.sub(r"(?m)^output: .*$", f"output: {json.dumps(output)}", path.read_text(encoding="utf-8"))
    assert f"output: {json.dumps(output)}" in text
    path.write_text(text, encoding="utf-8")
    line = line_containing(path, "output:")
    run = build_checked(built_site)  # the snapshot proves no source was deleted or changed
    message = shown.format(site=built_site, outer=built_site.parent)
    assert_outcome(run, built_site, refused(f"config.yaml:{line}: error: the output folder {message}"))


@pytest.mark.parametrize(("output", "shown"), [
    (".", "{site}/ would overwrite the site's sources"), ("content", "content/ is content/, which the site needs"),
    ("static", "static/ is static/, which the site needs"),
])
def test_output_option_that_would_delete_sources(built_site, output, shown):
    """A wrong --output is a mistake on the command line: exit 2, one line, nothing built."""
    run = build_checked(built_site, "--output", output)  # relative to the folder build.py runs in: the site's
    message = shown.format(site=built_site)
    assert (run.returncode, run.lines) == (2, [f"error: --output {message} (use a folder of its own, such as public)"]), str(run)


def test_output_folder_is_a_link_to_content(built_site):
    (built_site / "out").symlink_to("content", target_is_directory=True)
    path = built_site / "config.yaml"
    text = re.sub(r"(?m)^output: .*$", "output: out", path.read_text(encoding="utf-8"))
    assert "output: out" in text
    path.write_text(text, encoding="utf-8")
    line = line_containing(path, "output:")
    run = build_checked(built_site)  # the snapshot proves content/ is as it was
    assert (built_site / "out").is_symlink(), "the output link was replaced"
    assert_outcome(run, built_site, refused(f"config.yaml:{line}: error: the output folder out/ is content/, {NEEDED}"))


def test_public_is_a_file(built_site):
    """A file where the output folder goes is not the tool's to replace: refused, and the file kept."""
    shutil.rmtree(built_site / "public")
    (built_site / "public").write_text("not a folder\n", encoding="utf-8")
    run = build_checked(built_site)
    line = line_containing(built_site / "config.yaml", "output:")
    assert_outcome(run, built_site, refused(f"config.yaml:{line}: error: the output folder public/ is a file, not a folder "
                                            "(a build replaces the output folder: remove the file, or choose another folder)"))
    assert (built_site / "public").read_text(encoding="utf-8") == "not a folder\n"


def test_failed_build_leaves_public_untouched(built_site):
    before = tree(built_site / "public")
    write(built_site, "content/news/bad.md", "---\ntitle: x\n---\n")  # no date: an error
    run = build_checked(built_site)
    assert_outcome(run, built_site, refused("content/news/bad.md:2: error: missing required field 'date' (add a line 'date: ...')"))
    assert tree(built_site / "public") == before


def test_only_the_previous_generation_stays_beside_public(built_site):
    """After builds, `.public.old` is gone; `.public.staging` holds the published site's files (hard links), nothing else.

    (By design: keeping the previous generation as the next staging folder, brought in line after
    each exchange, makes a small edit cost a few writes instead of relinking the whole tree; it is
    never served.)
    """
    write(built_site, "content/news/new.md", article())
    assert_outcome(build_checked(built_site), built_site, built("news/new/index.html", *ARTICLE_TEXTS))
    write(built_site, "content/news/newer.md", article(title="Newer article"))
    assert_outcome(build_checked(built_site), built_site, built("news/newer/index.html", "<h1>Newer article</h1>", "Some text."))
    assert not (built_site / ".public.old").exists()
    staged = tree(built_site / ".public.staging")
    assert "news/new/index.html" in staged and staged == tree(built_site / "public")
