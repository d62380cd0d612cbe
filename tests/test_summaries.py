"""Summaries: a front matter summary leads the article; without one, listings take the first paragraph with text, and the
article does not repeat it above its body."""

from __future__ import annotations

import re

from support import make_site, run_cli

WITHOUT = """---
title: Without a summary
date: 2024-03-01
---
<a id="top"></a>

![The new building](/images/logo.png)

The building opened on Monday, with its first teams.

More about the teams.
"""
WITH = """---
title: With a summary
date: 2024-03-02
summary: "A new building for the teams."
---
The building opened on Monday.
"""


def _built(tmp_path):
    """The sample site with both articles, built."""
    site = make_site(tmp_path, {"content/news/without.md": WITHOUT, "content/news/with.md": WITH})
    run = run_cli(site, "--strict")
    assert (run.returncode, run.stderr) == (0, ""), run
    return site / "public"


def test_an_article_without_a_summary_does_not_repeat_its_first_paragraph_as_a_lead(tmp_path):
    """The paragraph is in the body once; the front matter's summary, when given, is the lead."""
    public = _built(tmp_path)
    page = (public / "news/without/index.html").read_text()
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    assert '<p class="lead">' not in main
    assert main.count("The building opened on Monday, with its first teams.") == 1
    assert '<meta name="description" content="The building opened on Monday, with its first teams.">' in page
    assert '<p class="lead">A new building for the teams.</p>' in (public / "news/with/index.html").read_text()


def test_listings_skip_a_first_paragraph_that_is_only_an_anchor_or_an_image(tmp_path):
    """The news list and the feed show the first paragraph that has text."""
    public = _built(tmp_path)
    listing = (public / "news/index.html").read_text()
    card = re.search(r'<a href="/news/without/">.*?</article>', listing, re.S).group(0)
    assert "The building opened on Monday, with its first teams." in card
    assert "The building opened on Monday, with its first teams." in (public / "feed.xml").read_text()
