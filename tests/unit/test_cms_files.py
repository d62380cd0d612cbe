"""The browser editor's path checks and names, without a server: hostile paths never reach outside the allowed folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.tools.cms_files import (
    ENTRY_FOLDERS,
    Refused,
    bundle_of,
    checked_path,
    cms_name,
    disk_name,
    is_picture_path,
    media_path,
    stored_data,
)

SEGMENTS = st.sampled_from(["content", "news", "data", "static", "images", "uploads", "..", ".", "", ".git", "x.md", "link", "%2e%2e",
                            "a\\b", "/", "~", "x\x00y", "é.md", "link/..", "..."])


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A site with content folders, a secret beside it and a link from its articles to outside."""
    top = tmp_path_factory.mktemp("cms")
    site = top / "site"
    for folder in (*ENTRY_FOLDERS, "content/data", "static/images/uploads"):
        (site / folder).mkdir(parents=True)
    (top / "secret").mkdir()
    os.symlink(top / "secret", site / "content/news/link")
    os.symlink(site / "content/pages", site / "content/news/inside")
    return site


@settings(max_examples=300, deadline=None, derandomize=True)
@given(parts=st.lists(SEGMENTS, min_size=1, max_size=7))
def test_a_checked_path_is_always_inside_an_allowed_folder(root, parts):
    """Whatever the CMS sends, a path is refused or, links followed, inside content/news or content/pages."""
    rel = "/".join(parts)
    try:
        path = checked_path(root, rel, ENTRY_FOLDERS)
    except Refused:
        return
    real = path.resolve()
    assert any(real.is_relative_to((root / folder).resolve()) for folder in ENTRY_FOLDERS), rel


def test_refusals_name_the_path(root):
    """Each refusal says which path and why."""
    cases = {
        "content/news/../../config.yaml": "content/news/../../config.yaml: not a path of the site's content",
        "content/news/link/x.md": "content/news/link/x.md: leads outside the site's content through a link",
        "templates/base.html": "templates/base.html: the browser editor may only change files under content/news, content/pages, "
                               "content/events, content/calls, content/jobs",
        "content/news/.hidden.md": "content/news/.hidden.md: not a path of the site's content",
        "": "'': not a path of the site's content",
    }
    for rel, message in cases.items():
        with pytest.raises(Refused) as refused:
            checked_path(root, rel, ENTRY_FOLDERS)
        assert str(refused.value) == message
    assert checked_path(root, "content/news/inside/x.md", ENTRY_FOLDERS) == root / "content/news/inside/x.md"


def test_names_between_decap_and_the_disk():
    """x.en.md is x.md on disk and back; translations and data files keep their names."""
    assert disk_name("content/news/x.en.md", "en") == "content/news/x.md"
    assert disk_name("content/news/x.fr.md", "en") == "content/news/x.fr.md"
    assert disk_name("content/data/partners.yaml", "en") == "content/data/partners.yaml"
    assert cms_name("content/news/x.md", ["en", "fr"], "en") == "content/news/x.en.md"
    assert cms_name("content/pages/about.fr.md", ["en", "fr"], "en") == "content/pages/about.fr.md"
    assert cms_name("content/data/figures.yaml", ["en", "fr"], "en") == "content/data/figures.yaml"


def test_a_list_data_file_comes_back_a_list():
    """{partners: [...]} saved by the CMS is written as the list, a text the same in both languages once, empty fields left out
    (a group left blank, like an audit not made yet, goes too; 0 stays)."""
    saved = ("partners:\n- id: a\n  name: {en: CNRS, fr: CNRS}\n  short_name: ''\n  type: academic\n"
             "  description: {en: Research., fr: Recherche.}\n")
    assert stored_data("partners", saved) == ("- id: a\n  name: CNRS\n  type: academic\n  description:\n    en: Research.\n"
                                               "    fr: Recherche.\n")
    blank_audit = "entity: {en: A, fr: B}\naudit:\n  date: null\n  rate: null\n  auditor: {en: '', fr: ''}\ncontact: /contact/\nplan: 0\n"
    assert stored_data("accessibility", blank_audit) == "entity:\n  en: A\n  fr: B\ncontact: /contact/\nplan: 0\n"
    with pytest.raises(Refused) as refused:
        stored_data("partners", "platforms: []\n")
    assert str(refused.value) == "content/data/partners.yaml: the editor sent something else than the list of partners"


def test_pictures_beside_a_bundle_and_nowhere_deeper(root):
    """A picture may be read or written beside a bundle's index.md; its Markdown, a deeper folder, a link out or another file may not."""
    assert bundle_of("content/news/x/index.fr.md") == "content/news/x" and bundle_of("content/news/x/notes.md") is None
    assert bundle_of("content/news/x.md") is None and bundle_of("content/data/x/index.md") is None
    assert is_picture_path("content/news/x/photo.jpg") and is_picture_path("static/images/uploads/a.png")
    assert not is_picture_path("content/news/x/index.md") and not is_picture_path("content/news/x.md")
    assert media_path(root, "content/news/x/photo.jpg") == root / "content/news/x/photo.jpg"
    cases = {
        "content/news/x/deep/photo.jpg": "content/news/x/deep/photo.jpg: the browser editor may only change files under static/images/uploads",
        "content/news/x/rules.pdf": "content/news/x/rules.pdf: only pictures (.jpg, .jpeg, .png, .webp, .gif, .avif) may be added in the browser",
        "content/news/link/photo.jpg": "content/news/link/photo.jpg: leads outside the site's content through a link",
        "content/data/x/photo.jpg": "content/data/x/photo.jpg: the browser editor may only change files under static/images/uploads",
    }
    for rel, message in cases.items():
        with pytest.raises(Refused) as refused:
            media_path(root, rel)
        assert str(refused.value) == message, rel
