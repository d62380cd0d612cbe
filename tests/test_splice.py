"""An edited body written into its published page without loading the cache (sitegen/splice.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import load_cli, make_site, tree
from jinja2 import Environment
from test_incremental import _replace, build, cold_copy, new_process

load_cli()
from sitegen import snapshot  # noqa: E402 - after load_cli put the repository on sys.path
from sitegen.fingerprint import _body_verbatim  # noqa: E402

CONTACT = "content/pages/contact.md"
MORE = "\nOur office opens in the spring.\n"


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """The sample site built once, its files counted as settled (as they are a few seconds after an edit)."""
    monkeypatch.setattr(snapshot, "RACY_SECONDS", 0.0)
    site = make_site(tmp_path)
    build(site)
    new_process()
    return site


def _append(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.write_text(path.read_text() + text)


def _rebuild(site: Path):
    """A build by a new process (what `build.py` does after an edit)."""
    new_process()
    return build(site)


def test_a_body_edit_below_the_summary_is_spliced_and_equals_a_cold_build(site, tmp_path):
    _append(site, CONTACT, MORE)
    result = _rebuild(site)
    assert result.mode == "spliced"
    assert result.stats["written"] == 1 and result.stats["removed"] == 0
    assert b"Our office opens in the spring." in (site / "public/contact/index.html").read_bytes()
    assert tree(site / "public") == cold_copy(site, tmp_path)
    _append(site, CONTACT, "\nAnd a second paragraph.\n")
    assert _rebuild(site).mode == "spliced"
    assert tree(site / "public") == cold_copy(site, tmp_path)
    assert _rebuild(site).stats["written"] == 0  # nothing changed since: nothing written


def test_what_a_splice_cannot_make_alone_builds_the_usual_way(site, tmp_path):
    """A new summary, a front matter edit, a body the feeds show: each by the pipeline, each a cold build's bytes."""
    _replace(site, CONTACT, "Contact details to be announced.", "Contact details soon.")  # the summary shown in the page's head
    assert _rebuild(site).mode == "bodies"
    _replace(site, CONTACT, "weight: 10", "weight: 11")
    assert _rebuild(site).mode == "full"
    _append(site, "content/news/first-award.md", MORE)  # the feeds show articles' bodies
    assert _rebuild(site).mode == "bodies"
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_after_a_splice_the_next_edit_resumes_from_the_cache(site, tmp_path):
    """The cache learns what the splice published: the next build re-renders only what an edit changes."""
    _append(site, CONTACT, MORE)
    assert _rebuild(site).mode == "spliced"
    _append(site, "content/news/first-award.md", MORE)
    result = _rebuild(site)
    assert result.mode == "bodies" and 0 < result.stats["written"] < 10
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_broken_link_in_a_spliced_body_fails_as_the_pipeline_says_and_publishes_nothing(site, tmp_path):
    before = tree(site / "public")
    _append(site, CONTACT, "\nWrite to [the office](/contact/office/).\n")
    with pytest.raises(load_cli().BuildFailed) as failed:
        _rebuild(site)
    assert [str(p) for p in failed.value.problems] == [
        "content/pages/contact.md:8: error: broken link '/contact/office/' on /contact/index.html: no page or file at that address"
        " (fix the address, or create the page it points to)"]
    assert tree(site / "public") == before
    pipeline = make_site(tmp_path / "pipeline")  # the same edit on a site with no frames: the same message
    _append(pipeline, CONTACT, "\nWrite to [the office](/contact/office/).\n")
    with pytest.raises(load_cli().BuildFailed) as usual:
        build(pipeline)
    assert [str(p) for p in usual.value.problems] == [str(p) for p in failed.value.problems]
    _replace(site, CONTACT, "[the office](/contact/office/)", "[the partners](/partners/)")
    assert _rebuild(site).mode == "spliced"
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_an_anchor_on_another_page_is_checked(site):
    _append(site, CONTACT, "\nSee [the first award](/news/first-award/#no-such-part).\n")
    with pytest.raises(load_cli().BuildFailed) as failed:
        _rebuild(site)
    assert [p.message for p in failed.value.problems] == [
        "broken link '/news/first-award/#no-such-part' on /contact/index.html: no element with id 'no-such-part' on that page"]


def test_raw_html_in_an_edited_body_is_refused_and_the_fix_is_spliced(site):
    """Raw HTML the policy refuses is an error in every build (issue 18): the splice publishes nothing."""
    before = tree(site / "public")
    _append(site, CONTACT, "\n<script>alert(1)</script>\n")
    with pytest.raises(load_cli().BuildFailed) as failed:
        _rebuild(site)
    assert [str(p) for p in failed.value.problems] == [
        "content/pages/contact.md:8: error: raw HTML with a <script> element is not allowed (remove it: pages run no editors' scripts)"]
    assert tree(site / "public") == before
    _replace(site, CONTACT, "\n<script>alert(1)</script>\n", "")
    result = _rebuild(site)
    assert result.mode == "spliced" and result.problems == []


def test_a_published_file_changed_by_hand_is_made_again(site, tmp_path):
    """The splice works from the published files only while they are the ones the last build wrote."""
    page = site / "public/about/index.html"
    page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>hand-made</p></main>"))
    os.utime(page, ns=(0, 0))
    _append(site, CONTACT, MORE)
    assert _rebuild(site).mode != "spliced"
    assert tree(site / "public") == cold_copy(site, tmp_path)


def test_a_template_writing_the_body_twice_gives_no_frames(site, tmp_path):
    _replace(site, "templates/page.html", "{{ article.body|safe }}", "{{ article.body|safe }}{{ article.body|safe }}")
    assert _rebuild(site).mode == "full"
    _append(site, CONTACT, MORE)
    assert _rebuild(site).mode == "bodies"
    assert tree(site / "public") == cold_copy(site, tmp_path)


@pytest.mark.parametrize(("template", "verbatim"), [
    ("{{ a.body|safe }}", True),
    ("{% if a.title %}{% block m %}{{ a.body|safe }}{% endblock %}{% endif %}", True),
    ("{% macro card(p) %}{{ p.title }}{% endmacro %}{{ card(a) }}", True),
    ("{{ a.body }}", False),
    ("{{ a.body|upper|safe }}", False),
    ("{{ a.body|safe ~ 'x' }}", False),
    ("{% set x = a.body %}{{ x|safe }}", False),
    ("{% if 'x' in a.body %}y{% endif %}", False),
    ("{% filter upper %}{{ a.body|safe }}{% endfilter %}", False),
    ("{% macro m() %}{{ a.body|safe }}{% endmacro %}", False),
    ("{% set x %}{% block main %}{% endblock %}{% endset %}", False),
    ("{{ a['body'] }}", False),
    ("{{ a.source.shown }}", False),
    ("{{ self.main() }}", False),
    ("{{ super() }}", False),
])
def test_a_body_is_written_as_it_is_only_by_a_plain_safe_output(template, verbatim):
    assert _body_verbatim(Environment().parse(template)) is verbatim


def test_edits_saved_a_moment_before_each_build_are_spliced_one_after_another(tmp_path, monkeypatch):
    """Files changed just before a build are compared by their bytes next time, so quick edits keep splicing."""
    monkeypatch.setattr(snapshot, "RACY_SECONDS", 0.5)  # two seconds in use: a shorter wait for the test
    site = make_site(tmp_path)
    time.sleep(0.6)
    build(site)
    for k in range(3):
        _append(site, CONTACT, f"\nQuick edit {k}.\n")
        result = _rebuild(site)
        assert result.mode == "spliced", k
        assert snapshot.load(site / ".cache").racy == {CONTACT}
    assert _rebuild(site).mode == "unchanged"  # at once: the racy file's bytes are those the snapshot hashed
    path = site / CONTACT
    stat = path.stat()
    path.write_text(path.read_text().replace("Quick edit 2.", "Quick edit 9."))  # same size, same times: only the bytes tell
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _rebuild(site).mode != "unchanged"
    assert tree(site / "public") == cold_copy(site, tmp_path)
