"""The translation report: pages missing a language, translations older than their original, data texts missing a language."""

import json

from support import build, edit, git, make_site

from sitegen.tools.staleness import parse_log, parse_status
from sitegen.tools.translations import translation_report

FIRST_AWARD = "content/news/first-award.md"
OUTDATED = ("  outdated fr: content/news/first-award.fr.md: its original content/news/first-award.md changed its {parts}"
            " since {since} (the translation was last changed on {translated})")


def report(tmp_path, files: dict[str, str]) -> list[str]:
    """The report of the minimal site with these files laid over it (checked, nothing written)."""
    site = make_site(tmp_path, files)
    result = build(site, write=False)
    assert not (site / "public").exists()
    return translation_report(result.graph, result.problems)


MISSING_IN_THE_SAMPLE = [
    "  missing fr: content/news/launch-day/index.md (/news/launch-day/) has no Français version",
    "  missing fr: content/news/platform-news.md (/news/platform-news/) has no Français version",
    "  missing fr: content/pages/contact.md (/contact/) has no Français version",
]


def test_a_page_only_in_french_is_an_original_missing_its_english(tmp_path):
    lines = report(tmp_path, {"content/news/seulement.fr.md": "---\ntitle: Seulement\ndate: 2024-02-01\n---\nEn français.\n"})
    assert lines == MISSING_IN_THE_SAMPLE[:2] + [
        "  missing en: content/news/seulement.fr.md (/fr/actualites/seulement/) has no English version",
    ] + MISSING_IN_THE_SAMPLE[2:]


def test_a_translation_touched_after_its_original_was_updated_is_not_outdated(tmp_path):
    fr = "---\ntitle: Le cluster exemple est lauréat\ndate: 2023-05-12\nupdated: 2024-07-01\n---\nÀ jour.\n"
    en = "---\ntitle: The sample cluster wins an award\ndate: 2023-05-12\nupdated: 2024-06-01\n---\nUpdated.\n\n## What comes next\n"
    assert report(tmp_path, {FIRST_AWARD: en, "content/news/first-award.fr.md": fr}) == MISSING_IN_THE_SAMPLE


def test_data_texts_missing_a_language_are_listed_with_their_line(tmp_path):
    figures = "- value: 18\n  label: {en: members}\n"
    assert report(tmp_path, {"content/data/figures.yaml": figures}) == MISSING_IN_THE_SAMPLE + [
        "  missing in data: content/data/figures.yaml:2: entry 1: 'label' has no Français text ('fr')",
    ]


# -- content changes, from git history -----------------------------------------------------------------


def committed_site(tmp_path, monkeypatch):
    """The minimal site in a git repository of its own, committed whole on 2025-10-30."""
    site = make_site(tmp_path)
    git(site, "init", "-q")
    commit(site, monkeypatch, "2025-10-30T12:00:00Z", "the site")
    return site


def commit(site, monkeypatch, when: str, message: str) -> None:
    """Commit every change of the site at a given time (author and committer)."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)
    git(site, "add", "-A", "content")
    git(site, "commit", "-q", "-m", message)


def check(site) -> list[str]:
    """The report of a site as it is (checked, nothing written)."""
    result = build(site, write=False)
    return translation_report(result.graph, result.problems)


def test_an_original_body_rewritten_in_a_later_commit_outdates_its_translation(tmp_path, monkeypatch):
    site = committed_site(tmp_path, monkeypatch)
    edit(site / FIRST_AWARD, "received **€97 million**", "received **€98 million** in 2023")
    commit(site, monkeypatch, "2025-11-03T12:00:00Z", "a new figure")
    edit(site / FIRST_AWARD, "- Jobs", "- Jobs and training")
    commit(site, monkeypatch, "2025-11-10T12:00:00Z", "training")
    assert check(site) == MISSING_IN_THE_SAMPLE + [OUTDATED.format(parts="body", since="2025-11-03", translated="2025-10-30")]


def test_a_new_title_and_summary_are_named(tmp_path, monkeypatch):
    site = committed_site(tmp_path, monkeypatch)
    edit(site / FIRST_AWARD, '"The sample cluster wins an award"', '"The sample cluster wins its first award"')
    edit(site / FIRST_AWARD, '"A sample article about an award."', '"A sample article about a first award."')
    commit(site, monkeypatch, "2025-11-05T09:00:00Z", "title")
    assert check(site) == MISSING_IN_THE_SAMPLE + [OUTDATED.format(parts="title and summary", since="2025-11-05", translated="2025-10-30")]


def test_an_uncommitted_edit_of_the_original_counts_as_a_change_today(tmp_path, monkeypatch):
    site = committed_site(tmp_path, monkeypatch)
    edit(site / FIRST_AWARD, '"The sample cluster wins an award"', '"The sample cluster wins a prize"')
    edit(site / FIRST_AWARD, "- Platforms", "- Platforms and services")
    assert check(site) == MISSING_IN_THE_SAMPLE + [OUTDATED.format(parts="title and body", since="2025-11-24", translated="2025-10-30")]


def test_no_content_change_or_a_translation_changed_since_reports_nothing(tmp_path, monkeypatch):
    site = committed_site(tmp_path, monkeypatch)
    edit(site / FIRST_AWARD, "tags: [funding, France 2030]", "tags: [funding]")  # not a translated part
    edit(site / FIRST_AWARD, "- Jobs\n", "- Jobs\r\n")  # a line ending
    edit(site / FIRST_AWARD, "{% not_a_tag %}`.\n", "{% not_a_tag %}`.\n\n\n")  # blank lines at the end
    commit(site, monkeypatch, "2025-11-03T12:00:00Z", "tags")
    assert check(site) == MISSING_IN_THE_SAMPLE
    edit(site / FIRST_AWARD, "- Jobs", "- Jobs and training")
    commit(site, monkeypatch, "2025-11-04T12:00:00Z", "training")
    edit(site / "content/news/first-award.fr.md", "des emplois.", "des emplois et des formations.")
    commit(site, monkeypatch, "2025-11-06T12:00:00Z", "formations")
    assert check(site) == MISSING_IN_THE_SAMPLE
    edit(site / FIRST_AWARD, "- Platforms", "- Platforms and services")
    edit(site / "content/news/first-award.fr.md", "Des plateformes", "Des plateformes, des services")
    assert check(site) == MISSING_IN_THE_SAMPLE  # both edited now: the translation is being kept up


def test_what_changed_is_counted_from_the_original_as_the_translation_last_saw_it(tmp_path, monkeypatch):
    site = committed_site(tmp_path, monkeypatch)
    edit(site / FIRST_AWARD, "- Jobs", "- Jobs and training")
    commit(site, monkeypatch, "2025-11-04T12:00:00Z", "training")
    edit(site / "content/news/first-award.fr.md", "des emplois.", "des emplois et des formations.")
    commit(site, monkeypatch, "2025-11-06T12:00:00Z", "formations")
    edit(site / FIRST_AWARD, "date: 2023-05-12", "date: 2023-05-13")  # not a translated part, but a change
    commit(site, monkeypatch, "2025-11-07T12:00:00Z", "date")
    edit(site / FIRST_AWARD, '"The sample cluster wins an award"', '"The sample cluster wins a prize"')
    commit(site, monkeypatch, "2025-11-08T12:00:00Z", "title")
    assert check(site) == MISSING_IN_THE_SAMPLE + [OUTDATED.format(parts="title", since="2025-11-07", translated="2025-11-06")]


def test_an_untracked_translation_counts_as_changed_now(tmp_path, monkeypatch):
    site = committed_site(tmp_path, monkeypatch)
    git(site, "rm", "-q", "--cached", "content/news/first-award.fr.md")
    git(site, "commit", "-q", "-m", "the translation out of git")
    edit(site / FIRST_AWARD, "- Jobs", "- Jobs and training")
    git(site, "commit", "-q", "-a", "-m", "training")
    assert check(site) == MISSING_IN_THE_SAMPLE


def test_the_updated_field_still_outdates_a_translation_git_sees_as_current(tmp_path, monkeypatch):
    site = committed_site(tmp_path, monkeypatch)
    edit(site / FIRST_AWARD, "date: 2023-05-12", "date: 2023-05-12\nupdated: 2024-06-01")
    commit(site, monkeypatch, "2025-11-03T12:00:00Z", "updated")
    assert check(site) == MISSING_IN_THE_SAMPLE + [
        "  outdated fr: content/news/first-award.fr.md (2023-05-12) is older than content/news/first-award.md, updated 2024-06-01",
    ]


def test_git_log_and_status_are_read_as_git_writes_them():
    log = "\x01bbb 1762300000\0\ncontent/news/a.md\0\x01aaa 1761800000\0\ncontent/news/a.md\0content/news/a b.fr.md\0"
    assert parse_log(log) == (
        (("bbb", 1762300000), ("aaa", 1761800000)),
        {"content/news/a.md": (0, 1), "content/news/a b.fr.md": (1,)},
    )
    status = " M site/content/news/a.md\0R  site/content/news/new.md\0site/content/news/old.md\0?? site/content/news/é.fr.md\0"
    assert parse_status(status, "site/") == {"content/news/a.md", "content/news/new.md", "content/news/é.fr.md"}


# -- content changes, without git: digests in .cache/ --------------------------------------------------


def test_without_git_the_digests_kept_in_the_cache_see_a_rewritten_body(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-git"))  # no git at all: the report must not fail
    site = make_site(tmp_path)
    assert check(site) == MISSING_IN_THE_SAMPLE  # first check: the translation is taken as current
    record = json.loads((site / ".cache/translations.json").read_text())
    assert sorted(record["translations"]) == ["content/news/first-award.fr.md", "content/pages/about.fr.md"]
    assert check(site) == MISSING_IN_THE_SAMPLE
    edit(site / FIRST_AWARD, "- Jobs", "- Jobs and training")
    lines = MISSING_IN_THE_SAMPLE + [OUTDATED.format(parts="body", since="2025-11-24", translated="2025-11-24")]
    assert check(site) == lines
    assert check(site) == lines  # still outdated while the translation stays as it is
    edit(site / "content/news/first-award.fr.md", "des emplois.", "des emplois et des formations.")
    assert check(site) == MISSING_IN_THE_SAMPLE
    assert not (site / "public").exists()
