"""The translation report: pages missing a language, translations older than their original, data texts missing a language."""

from support import build, make_site

from sitegen.tools.translations import translation_report

FIRST_AWARD = "content/news/first-award.md"


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
        "  missing en: content/news/seulement.fr.md (/fr/news/seulement/) has no English version",
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
