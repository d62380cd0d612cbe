"""UI strings per language and the way each language writes dates, numbers and money (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_skeleton, format_time, get_date_format, parse_pattern
from babel.numbers import format_currency, format_decimal
from babel.numbers import parse_pattern as number_pattern

from ..graph.core import Graph, Rule
from ..graph.inputs import read_input, unread_problem
from ..problems import Problems
from .addresses import check_names
from .yamlio import decode_text, parse_yaml

MAX_STRING = 1000  # characters of one UI string (each is shown on every page)
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")  # CLDR's plural categories, in its order


class Strings(dict):
    """One language's UI strings: `t["key"]` in code, `t.key` in templates.

    A text shown with a count is a mapping of CLDR plural forms (`{one: ..., other: ...}`), read
    through `Formatter.plural`.

    Each text is also an attribute, so Jinja finds `t.nav_home` at its first try; on a plain
    dict the attribute lookup fails first and Jinja falls back to the key, an exception caught
    some 50 times per page.
    """

    def __init__(self, texts: dict[str, str | dict[str, str]]):
        super().__init__(texts)
        self.__dict__.update(texts)


def _parse_strings(raw: bytes, shown: str, problems: Problems) -> dict[str, str | dict[str, str]] | None:
    """One strings file's 'key: text' pairs (a text shown with a count: 'key: {one: ..., other: ...}')."""
    text = decode_text(raw, problems, shown)
    doc = parse_yaml(text, shown, problems) if text is not None else None
    if doc is None:
        return None
    if not isinstance(doc.data, dict) or not all(isinstance(v, str | dict) for v in doc.data.values()):
        problems.error(shown, 1, "UI strings must be 'key: text' lines", "put each text in quotes")
        return None
    wrong = [key for key, value in doc.data.items() if isinstance(value, dict) and not _plural_forms_ok(key, value, shown, doc, problems)]
    long = [key for key, value in doc.data.items() if len(max(_texts(value), key=len, default="")) > MAX_STRING]
    for key in long:
        size = len(max(_texts(doc.data[key]), key=len))
        problems.error(shown, doc.line((key,)), f"the UI string '{key}' is {size} characters long, more than the {MAX_STRING} allowed",
                       "shorten it: it is shown on every page")
    named = check_names(doc.data, shown, doc.line, problems)
    return None if long or wrong or not named else doc.data


def _texts(value: str | dict) -> list[str]:
    """The texts of a UI string: itself, or each of its plural forms."""
    return list(value.values()) if isinstance(value, dict) else [value]


def _plural_forms_ok(key: str, forms: dict, shown: str, doc, problems: Problems) -> bool:
    """A text shown with a count maps CLDR plural forms to texts, 'other' among them."""
    unknown = [form for form in forms if form not in PLURAL_FORMS]
    if unknown or "other" not in forms or not all(isinstance(text, str) for text in forms.values()):
        what = f"'{unknown[0]}' is not a plural form" if unknown else "each form must be a text, 'other' among them"
        problems.error(shown, doc.line((key,)), f"the UI string '{key}' has plural forms, but {what}",
                       f"write '{key}: {{one: ..., other: ...}}' with the forms of {', '.join(PLURAL_FORMS)} the language uses")
        return False
    return True


def strings_rule(graph: Graph, lang: str) -> Strings | None:
    """("strings", lang): one language's UI strings; None when the file is missing or wrong."""
    shown = f"templates/i18n/{lang}.yaml"
    config = graph.get(("config",))
    raw = read_input(graph, graph.resources["root"], shown)
    found = Problems()
    strings = None
    refused = unread_problem(graph.resources["root"], shown) if raw is None else None
    if refused is not None:
        found.append(refused)
    elif raw is None:
        default = config.default_language if config else "en"
        found.error(shown, 0, f"the UI strings file for '{lang}' is missing", f"copy {default}.yaml and translate it")
    else:
        texts = _parse_strings(raw, shown, found)
        named = texts is not None and _names_every_language(texts, shown, config.langs if config else (), found)
        strings = Strings(texts) if named else None
    for problem in found:
        graph.problem(problem)
    return strings


def same_keys_rule(graph: Graph) -> None:
    """("strings-check",): every key of every strings file is in the others."""
    config = graph.get(("config",))
    if config is None:
        return
    found = {lang: strings for lang in config.langs if (strings := graph.get(("strings", lang))) is not None}
    problems = Problems()
    _check_same_keys(found, {lang: f"templates/i18n/{lang}.yaml" for lang in found}, problems)
    for problem in problems:
        graph.problem(problem)


RULES = (Rule("strings", 2, strings_rule), Rule("strings-check", 3, same_keys_rule))


def _check_same_keys(found: dict[str, Strings], shown: dict, problems: Problems) -> None:
    """A key missing in one language's file is an error naming the key and the file."""
    every = set().union(*found.values()) if found else set()
    for lang, strings in found.items():
        for key in sorted(every - set(strings)):
            other = next(shown[k] for k, s in found.items() if key in s)
            problems.error(shown[lang], 0, f"missing UI string '{key}' (it is in {other})", f"add '{key}: ...' translated")


def _names_every_language(texts: dict, shown: str, langs, problems: Problems) -> bool:
    """A strings file names every language of the site (the language switch says 'Read this page in French')."""
    missing = [code for code in langs if f"language_name_{code}" not in texts]
    for code in missing:
        problems.error(shown, 0, f"missing UI string 'language_name_{code}' (the name of the language '{code}' in this language)",
                       f"add 'language_name_{code}: ...' as this language writes it after 'language_switch_to'")
    return not missing


@lru_cache(maxsize=8192)
def _long_date(day: date, locale: str) -> str:
    """A day written out in a locale (listings show thousands of dates, most of them many times)."""
    parsed, pattern = _long_pattern(locale)
    return pattern.apply(day, parsed)


@lru_cache(maxsize=16)
def _locale(locale: str) -> Locale:
    """A parsed locale (its plural rules and number formats)."""
    return Locale.parse(locale)


def _compact_long(amount: float, locale: str) -> str:
    """'97 millions', '1 million', '1,5 million': the long compact form, worded by the plural form of the number shown.

    Babel's `format_compact_decimal` looks for French's explicit '1' form, finds none for millions
    and falls back to 'other' ('1 millions'); here the form is the language's plural rule for the
    number as shown (one decimal at most).
    """
    parsed = _locale(locale)
    formats = parsed.compact_decimal_formats["long"]
    other = formats["other"]
    magnitude = max(int(m) for m in other if int(m) <= amount)
    zeros = number_pattern(other[str(magnitude)]).pattern.count("0")
    number = round(Decimal(amount) / (magnitude // 10 ** (zeros - 1)), 1)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    words = formats.get(parsed.plural_form(number), {}).get(str(magnitude)) or other[str(magnitude)]
    return number_pattern(words).apply(number, parsed, decimal_quantization=False)


@lru_cache(maxsize=16)
def _long_pattern(locale: str) -> tuple:
    """The locale and its parsed long date pattern: what babel's format_date(day, "long") finds at each call."""
    parsed = Locale.parse(locale)
    return parsed, parse_pattern(get_date_format("long", locale=parsed))


class Formatter:
    """Dates, numbers and amounts written the way one language writes them."""

    def __init__(self, lang: str, locale: str, strings: Strings):
        self.lang, self.locale, self.strings = lang, locale, strings

    def day(self, value: date | datetime) -> str:
        """'12 May 2023' / '12 mai 2023'."""
        return _long_date(value.date() if isinstance(value, datetime) else value, self.locale)

    def day_time(self, value: date) -> str:
        """A day, or a day and its time: '14 March 2026, 09:30' / '14 mars 2026 à 09:30'."""
        if not isinstance(value, datetime):
            return self.day(value)
        return self.strings["day_at_time"].replace("{day}", self.day(value)).replace("{time}", self.time(value))

    def time(self, value: datetime) -> str:
        """'09:30': the language's short time of day, as written (never converted)."""
        return format_time(value.time(), "short", locale=self.locale)

    def month(self, value: date) -> str:
        """'January 2024' / 'janvier 2024'."""
        return format_skeleton("yMMMM", value, locale=self.locale)

    def number(self, value: float) -> str:
        """'1,000' / '1 000'."""
        return format_decimal(value, locale=self.locale)

    def money(self, amount: float) -> str:
        """'€97 million' / '97 millions d'euros'; exact amounts below a million."""
        if amount >= 1_000_000:
            return self.strings["money_large"].replace("{amount}", _compact_long(amount, self.locale))
        return format_currency(amount, "EUR", locale=self.locale)

    def money_short(self, amount: float) -> str:
        """'€97M' / '97 M€' for tight places such as chart labels."""
        millions = format_decimal(amount / 1_000_000, format="#,##0.#", locale=self.locale)
        return self.strings["money_millions_short"].replace("{amount}", millions)

    def plural(self, key: str, count: int) -> str:
        """The UI string `key` for `count` things, in the plural form the language's rule picks, `{count}` written out.

        '1 article', '2 articles'; in French '0 article', '1 article', '2 articles'. A form the
        file does not give falls back to 'other'; a plain text is every form.
        """
        forms = self.strings[key]
        text = forms if isinstance(forms, str) else forms.get(_locale(self.locale).plural_form(count), forms["other"])
        return text.replace("{count}", self.number(count))

    def plural_forms(self, key: str) -> dict[str, str]:
        """Every plural form of the UI string `key`, for a script to choose from (a plain text is 'other')."""
        forms = self.strings[key]
        return {"other": forms} if isinstance(forms, str) else dict(forms)

    def language(self, code: str) -> str:
        """The name of a language in this one: 'French' on an English page, 'anglais' on a French one."""
        return self.strings[f"language_name_{code}"]

    def milestone(self, value: int | str | date) -> str:
        """A milestone date at its own precision: '2030', 'January 2024', '12 May 2023'."""
        if isinstance(value, int):
            return str(value)
        if isinstance(value, date):
            return self.day(value)
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return str(parts[0])
        if len(parts) == 2:
            return self.month(date(parts[0], parts[1], 1))
        return self.day(date(*parts))


def milestone_sort_key(value: int | str | date) -> tuple[int, int, int]:
    """Milestone dates of mixed precision in time order: a month sorts at its start, a bare year at its end."""
    if isinstance(value, date):
        return (value.year, value.month, value.day)
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 1:
        return (parts[0], 13, 0)
    return (parts[0], parts[1], parts[2] if len(parts) > 2 else 0)
