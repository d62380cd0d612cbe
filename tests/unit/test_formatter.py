"""Dates, numbers and amounts per language (Babel), UI strings, and the order of milestones."""

from datetime import date, datetime

import pytest
import yaml
from support import REPO

from sitegen.model.i18n import Formatter, Strings, _check_same_keys, _names_every_language, _parse_strings, milestone_sort_key
from sitegen.problems import Problems

EN = Strings(yaml.safe_load((REPO / "templates/i18n/en.yaml").read_text(encoding="utf-8")))
FR = Strings(yaml.safe_load((REPO / "templates/i18n/fr.yaml").read_text(encoding="utf-8")))
en, fr = Formatter("en", "en_GB", EN), Formatter("fr", "fr_FR", FR)
NNBSP, NBSP = "\u202f", "\xa0"  # how French groups thousands, and the space before the euro sign


@pytest.mark.parametrize(("amount", "english", "french"), [
    (999_999, "€999,999.00", f"999{NNBSP}999,00{NBSP}€"),  # below a million: the exact amount
    (1_500_000, "€1.5 million", "1,5 million d'euros"),
    (2_000_000, "€2 million", "2 millions d'euros"),
    (97_000_000, "€97 million", "97 millions d'euros"),
    (2_000_000_000, "€2 billion", "2 milliards d'euros"),
])
def test_money_in_words(amount, english, french):
    assert (en.money(amount), fr.money(amount)) == (english, french)


def test_one_million_is_singular_in_french():
    """The words follow the plural form of the number as shown: Babel's own compact format wrote '1 millions'."""
    assert (en.money(1_000_000), fr.money(1_000_000)) == ("€1 million", "1 million d'euros")
    assert (en.money(1_000_000_000), fr.money(1_000_000_000)) == ("€1 billion", "1 milliard d'euros")
    assert (en.money(1_960_000), fr.money(1_960_000)) == ("€2 million", "2 millions d'euros"), "shown as 2, so plural"


@pytest.mark.parametrize(("count", "english", "french"), [
    (0, "0 articles", "0 article"),  # French takes the singular for 0 and 1
    (1, "1 article", "1 article"),
    (2, "2 articles", "2 articles"),
    (1000, "1,000 articles", f"1{NNBSP}000 articles"),
])
def test_counts_take_each_languages_plural_form(count, english, french):
    assert (en.plural("articles_count", count), fr.plural("articles_count", count)) == (english, french)


def test_plural_falls_back_to_other_and_takes_plain_texts():
    """A form the file leaves out is 'other' (French 'many', for a million); a plain text serves every count."""
    strings = Strings({"things": {"one": "{count} chose", "other": "{count} choses"}, "plain": "{count} fois"})
    french = Formatter("fr", "fr_FR", strings)
    assert french.plural("things", 1_000_000) == f"1{NNBSP}000{NNBSP}000 choses"
    assert (french.plural("plain", 1), french.plural("plain", 3)) == ("1 fois", "3 fois")


def test_plural_forms_for_scripts():
    """The search page gives its script every form of its count; a plain text is the 'other' form."""
    assert fr.plural_forms("search_count") == {"one": f"{{count}} résultat pour «{NNBSP}{{query}}{NNBSP}»", "other": f"{{count}} résultats pour «{NNBSP}{{query}}{NNBSP}»"}
    assert Formatter("en", "en_GB", Strings({"plain": "{count} times"})).plural_forms("plain") == {"other": "{count} times"}


def test_names_of_languages_in_the_readers_language():
    assert (en.language("fr"), en.language("en"), fr.language("en"), fr.language("fr")) == ("French", "English", "anglais", "français")


@pytest.mark.parametrize(("amount", "english", "french"), [
    (1_000_000, "€1M", "1 M€"), (1_500_000, "€1.5M", "1,5 M€"), (97_000_000, "€97M", "97 M€"), (1_250_000_000, "€1,250M", f"1{NNBSP}250 M€"),
])
def test_money_short_for_chart_labels(amount, english, french):
    assert (en.money_short(amount), fr.money_short(amount)) == (english, french)


def test_numbers_days_and_months():
    assert (en.number(1234.5), fr.number(1234.5)) == ("1,234.5", f"1{NNBSP}234,5")
    assert (en.day(date(2023, 5, 12)), fr.day(date(2023, 5, 12))) == ("12 May 2023", "12 mai 2023")
    assert en.day(datetime(2024, 1, 15, 23, 30)) == "15 January 2024", "a time of day is left out"
    assert (en.month(date(2024, 3, 9)), fr.month(date(2024, 3, 9))) == ("March 2024", "mars 2024")


@pytest.mark.parametrize(("value", "english", "french"), [
    (2030, "2030", "2030"), ("2030", "2030", "2030"), ("2024-01", "January 2024", "janvier 2024"),
    ("2023-05-12", "12 May 2023", "12 mai 2023"), (date(2024, 1, 1), "1 January 2024", "1 janvier 2024"),
])
def test_milestones_at_their_own_precision(value, english, french):
    assert (en.milestone(value), fr.milestone(value)) == (english, french)


def test_milestones_of_mixed_precision_sort_in_time_order():
    """A month sorts at its start, a bare year at its end: May 2023, 12 May 2023, 2023, January 2024."""
    assert sorted(["2024-01", 2023, date(2023, 5, 12), "2023-05"], key=milestone_sort_key) == ["2023-05", date(2023, 5, 12), 2023, "2024-01"]
    assert milestone_sort_key(2023) == (2023, 13, 0)
    assert milestone_sort_key("2023-05") == (2023, 5, 0)
    assert milestone_sort_key("2023-05-12") == milestone_sort_key(date(2023, 5, 12)) == (2023, 5, 12)


def test_strings_are_keys_and_attributes():
    strings = Strings({"nav_home": "Accueil"})
    assert strings["nav_home"] == strings.nav_home == "Accueil" and strings == {"nav_home": "Accueil"}


def _load(files: dict[str, str]) -> tuple[dict, list[str]]:
    """The strings files read and checked as the build does (each file, then every key in every language)."""
    problems = Problems()
    found = {}
    for lang, text in files.items():
        strings = _parse_strings(text.encode(), f"templates/i18n/{lang}.yaml", problems)
        if strings is not None:
            found[lang] = strings
    _check_same_keys(found, {lang: f"templates/i18n/{lang}.yaml" for lang in found}, problems)
    return found, [str(p) for p in problems]


def test_strings_files_every_key_in_every_language():
    found, problems = _load({"en": "a: A\nb: B\n", "fr": "a: Á\nc: Ç\n"})
    assert found == {"en": {"a": "A", "b": "B"}, "fr": {"a": "Á", "c": "Ç"}}
    assert problems == [
        "templates/i18n/en.yaml: error: missing UI string 'c' (it is in templates/i18n/fr.yaml) (add 'c: ...' translated)",
        "templates/i18n/fr.yaml: error: missing UI string 'b' (it is in templates/i18n/en.yaml) (add 'b: ...' translated)",
    ]


def test_strings_file_not_text():
    found, problems = _load({"en": "a: [1, 2]\n"})
    assert found == {}
    assert problems == ["templates/i18n/en.yaml:1: error: UI strings must be 'key: text' lines (put each text in quotes)"]


def test_strings_file_plural_forms():
    found, problems = _load({"en": "n: {one: '{count} thing', other: '{count} things'}\n"})
    assert found == {"en": {"n": {"one": "{count} thing", "other": "{count} things"}}} and problems == []


@pytest.mark.parametrize(("value", "what"), [
    ("{one: A, several: B}", "'several' is not a plural form"),
    ("{one: A}", "each form must be a text, 'other' among them"),
    ("{one: A, other: [B]}", "each form must be a text, 'other' among them"),
])
def test_strings_file_wrong_plural_forms(value, what):
    found, problems = _load({"en": f"a: A\nn: {value}\n"})
    assert found == {}
    assert problems == [f"templates/i18n/en.yaml:2: error: the UI string 'n' has plural forms, but {what} "
                        "(write 'n: {one: ..., other: ...}' with the forms of zero, one, two, few, many, other the language uses)"]


def test_strings_files_name_every_language():
    """A strings file that does not name one of the site's languages is refused (the switch could not name it)."""
    problems = Problems()
    assert _names_every_language({"language_name_en": "anglais", "language_name_fr": "français"}, "templates/i18n/fr.yaml", ("en", "fr"), problems)
    assert not _names_every_language({"language_name_en": "English"}, "templates/i18n/en.yaml", ("en", "fr"), problems)
    assert [str(p) for p in problems] == [
        "templates/i18n/en.yaml: error: missing UI string 'language_name_fr' (the name of the language 'fr' in this language) "
        "(add 'language_name_fr: ...' as this language writes it after 'language_switch_to')"
    ]
