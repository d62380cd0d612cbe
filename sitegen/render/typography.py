"""Typography per language, applied to the text of a built HTML page: French non-breaking spaces, English curly quotes.

Only text between tags changes; tags, attributes, entities, URLs and e-mail addresses in text, and
the content of code, pre, kbd, samp, script, style, textarea, of any element marked translate="no"
and of any element in another language (lang="…") are left as they are. Both functions are pure and
idempotent (applying one twice gives what applying it once gave), and cost one regular-expression
split of the page plus one substitution per text node that holds something to change.

French (Imprimerie nationale): U+00A0 before ':', U+202F before ';' '!' '?' and inside « »,
U+00A0 between a number and its unit or currency, U+202F between groups of thousands, and a range
between two numbers written '200-500' or '200–500' becomes '200 à 500'. A space the editor typed
there is replaced, never doubled.
English: straight quotes and apostrophes become ‘ ’ “ ” in text nodes that hold no curly quote yet
and do not read like code (key="value"), and a hyphen between two numbers (2024-2026) becomes an en dash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

NBSP, NNBSP = "\u00a0", "\u202f"

# One token of markup: a tag (quoted attributes may hold '>'), a script, style or textarea whole, a comment or a
# declaration. Split on it, a page gives text, token, tag name ('/p' for an end tag, None for the rest), text...
_TOKEN = re.compile(
    r"(<(?!script\b|style\b|textarea\b)(/?[A-Za-z][A-Za-z0-9-]*+)[^>\"']*+(?:\"[^\"]*+\"[^>\"']*+|'[^']*+'[^>\"']*+)*+>"
    r"|<(?:script\b[^>]*>.*?</script|style\b[^>]*>.*?</style|textarea\b[^>]*>.*?</textarea)\s*>"
    r"|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[!?][^>]*>)",
    re.S,
)
_LANG = re.compile(r"""\slang\s*=\s*["']?([A-Za-z]*)""", re.I)
_NO_TRANSLATE = re.compile(r"""\stranslate\s*=\s*["']?no\b""", re.I)

SKIPPED = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# Elements inside a line of text: the text before them runs on into the text after (anything else is a break).
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "label",
                    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"})
BREAK = "\n"  # the character taken as "the text before" at the start of a block

# URLs and e-mail addresses written in text; trailing punctuation stays outside.
_LINKY = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:)[^\s<>\"]*[^\s<>\".,;:!?)\]»'’]"
                    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ENTITY = r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
_NUM = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+"  # a number, its thousands grouped or not
_RANGE_END = r"(?![\w–-]|[.,]\d)"  # the end of the second number of a range (not a date, a code or a decimal)
_NUMBERED = re.compile(r"(?:\b[nN][o°º]\.?|#)\s*$")  # 'n° 2005-102', 'no. 2005-102', '#12-3': a number, not a range


def _changed(pattern: re.Pattern, change: Callable[[re.Match, int], tuple[int, str] | None], text: str, prev: str) -> str:
    """A text node with each match of a pattern changed; `prev`, the character before the node, is seen by lookbehinds only."""
    s = prev + text
    out, at = [], 1
    for m in pattern.finditer(s, 1):
        found = change(m, at)
        if found is not None and found[1] != s[found[0]:m.end()]:
            out += (s[at:found[0]], found[1])
            at = m.end()
    if not out:
        return text
    out.append(s[at:])
    return "".join(out)


def _is_range(m: re.Match) -> bool:
    """True when the match's 'lo' and 'hi' read as a range: it goes up, and it is not a number such as 'n° 2005-102'."""
    lo, hi = (int(m.group(name).replace(" ", "").replace(NBSP, "").replace(NNBSP, "")) for name in ("lo", "hi"))
    return lo < hi and not _NUMBERED.search(m.string, max(0, m.start() - 8), m.start())


# -- French ---------------------------------------------------------------------------------------------

_FR_SPACES = " \t\r\n\u00a0\u202f\u2009"
_FR_SPACE = f"[{_FR_SPACES}]"
_FR_AFTER = r"(?=[\s)\]}»”’\"'.,…:;!?]|&(?:nbsp|#160|#34|#39|quot);|$)"  # what may follow : ; ! ? in prose
_FR_UNITS = ("M€|k€|Md€|Mds€|Mrd€|millions?|milliards?|milliers?|euros?|dollars?|km²|km|m²|m³|cm|mm|µm|nm|kg|mg|µg|g"
             "|ml|mL|µl|µL|ha|kDa|Da|°C|min|h|m|ans|mois|jours|semaines|heures|minutes|secondes")
_FR_MARK = rf"::|:{_FR_AFTER}|;{_FR_AFTER}|[!?]+{_FR_AFTER}|»"
_FR_NUM = (rf"(?<![\w.,/#–-])(?P<lo>\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?!\d)"  # grouped, or followed by a range or a unit
           rf"|\d+(?=[-–]\d|{_FR_SPACE}*[%‰€]|{_FR_SPACE}+(?:{_FR_UNITS})(?![\w'’-])))"
           rf"(?:(?P<dash>[-–])(?P<hi>{_NUM}){_RANGE_END})?(?:{_FR_SPACE}+(?P<unit>{_FR_UNITS})(?![\w'’-])|{_FR_SPACE}*(?P<sign>[%‰€]))?")
_FRENCH = re.compile(rf"(?=[:;!?»«0-9])(?:(?P<mark>{_FR_MARK})|(?P<open>«{_FR_SPACE}*)|(?P<num>{_FR_NUM}))")
_ENTITY_END = re.compile(_ENTITY[:-1] + r"\Z")  # the text before a ';' that closes an entity
_FR_LEAD = re.compile(_FR_MARK)  # a text node that starts with punctuation wanting a space before it
_FR_WANTED = re.compile(r"[:;!?«»0-9]")  # a text node without any of these has nothing to change
_FR_SPACE_ENTITIES = ("&nbsp;", "&#160;", "&#xa0;", "&#xA0;", "&#8239;", "&#x202f;", "&#x202F;")


def _grouped(number: str) -> str:
    """A number with U+202F between its groups of thousands."""
    return number.replace(" ", NNBSP).replace(NBSP, NNBSP)


def _french_number(m: re.Match) -> str:
    """A number as French writes it: thousands grouped, a range with 'à', a non-breaking space before its unit."""
    text = _grouped(m.group("lo"))
    if m.group("hi") is not None:
        text += f" à {_grouped(m.group('hi'))}" if _is_range(m) else m.group("dash") + _grouped(m.group("hi"))
    unit = m.group("unit") or m.group("sign")
    return text + NBSP + unit if unit else text


def _no_space_after(before: str, mark: str) -> bool:
    """True when no space goes between a character and the mark after it: a space, an opening bracket, or '?!'."""
    return before.isspace() or before in "([{«" or (before in "!?" and mark[0] in "!?")


def _french_mark(s: str, at: int, start: int, mark: str) -> tuple[int, str] | None:
    """Where the spaces before a mark begin, and the mark with the right space; None when it stays as it is."""
    cut = start
    while cut > at and s[cut - 1] in _FR_SPACES:
        cut -= 1
    before = s[cut - 1]
    if mark == "::" or _no_space_after(before, mark) or (before == ";" and s.endswith(_FR_SPACE_ENTITIES, 0, cut)):
        return None
    if mark == ";" and _ENTITY_END.search(s, max(0, start - 12), start):  # '&amp; ': an entity, not a semicolon
        return None
    return cut, (NBSP if mark[0] == ":" else NNBSP) + mark


def _french_change(m: re.Match, at: int) -> tuple[int, str] | None:
    """Where one French change starts and what it puts there (None: nothing to change)."""
    kind = m.lastgroup
    if kind == "mark":
        return _french_mark(m.string, at, m.start(), m.group())
    if kind == "open":
        return m.start(), "«" + NNBSP
    return m.start(), _french_number(m)


def _french_text(text: str, prev: str) -> str:
    """One French text node, given the character of text before it."""
    return _changed(_FRENCH, _french_change, text, prev)


def _french_lead(pieces: list[str], text: str, prev: str, last: int) -> str:
    """Before a node that starts with ':' ';' '!' '?' or '»': the plain space ending the previous node becomes the right one.

    Returns the character now before the node (the space, when it was replaced).
    """
    if last < 0 or prev not in " \t\r\n":
        return prev
    lead = _FR_LEAD.match(text)
    if lead is None or lead.group() == "::":
        return prev
    before = pieces[last].rstrip(" \t\r\n")
    if not before or _no_space_after(before[-1], text[0]):
        return prev
    space = NBSP if text[0] == ":" else NNBSP
    pieces[last] = before + space
    return space


# -- English --------------------------------------------------------------------------------------------

_EN_RANGE_PATTERN = rf"(?P<range>(?<![\w.,/#–-])(?P<lo>\d+)-(?P<hi>\d+){_RANGE_END})"
_ENGLISH = re.compile(
    r"(?=['\"&0-9])(?:(?P<single>'|&#39;|&#[xX]0*27;|&apos;)|(?P<double>\"|&#34;|&#[xX]0*22;|&quot;)"
    rf"|{_EN_RANGE_PATTERN})"
)
_EN_RANGE = re.compile(rf"(?=[0-9]){_EN_RANGE_PATTERN}")
_EN_WANTED = re.compile(r"['\"&0-9]")  # a text node without any of these has nothing to change
# A text node whose quotes stay straight: it has curly quotes already, or reads like code (key="value").
_EN_KEEP_QUOTES = re.compile(r"[‘’“”]|&(?:[lr][sd]quo|#821[6-9]|#822[01]|#[xX]201[89cdCD]);|=(?:[\"']|&#34;|&#39;|&quot;)")
_EN_OPENS_AFTER = frozenset(" \t\r\n\u00a0\u202f([{‘“—–-/")
_EN_DECADE = re.compile(r"\d\ds\b")


def _opens(s: str, start: int, end: int) -> bool:
    """True when the quote at s[start:end] opens: after a space, a bracket, a dash or an opening quote, not before a space."""
    if end < len(s) and s[end].isspace():
        return False
    before = s[start - 1] if start > 0 else BREAK
    return before in _EN_OPENS_AFTER or (before == ";" and s.endswith(("&#34;", "&quot;"), 0, start))


def _english_change(m: re.Match, at: int) -> tuple[int, str] | None:
    """Where one English change starts and what it puts there (None: nothing to change)."""
    kind, s, start, end = m.lastgroup, m.string, m.start(), m.end()
    if kind == "single":
        return start, "‘" if _opens(s, start, end) and not _EN_DECADE.match(s, end) else "’"
    if kind == "double":
        return start, "“" if _opens(s, start, end) else "”"
    return (start, f"{m.group('lo')}–{m.group('hi')}") if _is_range(m) else None


def _english_text(text: str, prev: str) -> str:
    """One English text node, given the character of text before it (quotes only where it has no curly quote nor code)."""
    return _changed(_EN_RANGE if _EN_KEEP_QUOTES.search(text) else _ENGLISH, _english_change, text, prev)


# -- the walk over a page -------------------------------------------------------------------------------


def _with_links(convert: Callable[[str, str], str]) -> Callable[[str, str], str]:
    """A node converter that leaves URLs and e-mail addresses written in the text as they are."""

    def text(node: str, prev: str) -> str:
        """The node converted around its URLs and addresses."""
        if "://" not in node and "www." not in node and "@" not in node and "mailto:" not in node:
            return convert(node, prev)
        out, at = [], 0
        for link in _LINKY.finditer(node):
            if link.start() > at:
                part = convert(node[at:link.start()], prev)
                out.append(part)
            out.append(link.group())
            prev, at = link.group()[-1], link.end()
        if at < len(node):
            out.append(convert(node[at:], prev))
        return "".join(out)

    return text


def _leaves_alone(tag: str, lang: str) -> bool:
    """True for an opening tag whose content keeps its text: translate="no", or another language."""
    if "translate" in tag and _NO_TRANSLATE.search(tag):
        return True
    if "lang" in tag:
        found = _LANG.search(tag)
        return found is not None and found.group(1) != "" and found.group(1).lower() != lang
    return False


@cache
def _tag_class(raw: str) -> tuple[str, bool, bool, bool, bool]:
    """A tag's name as the walk reads it: (lowercase name without '/', end tag, void, left alone, inline)."""
    name = raw.lower()
    end = name[0] == "/"
    bare = name[1:] if end else name
    return bare, end, bare in VOID, bare in SKIPPED, bare in INLINE


def _typeset(html: str, lang: str, convert: Callable[[str, str], str], wanted: Callable[[str], object],
             lead: Callable[[list[str], str, str, int], str] | None) -> str:
    """Each text node of a page converted, knowing the text before it; markup and left-alone elements as they are."""
    pieces = _TOKEN.split(html)  # text, token, tag name, text, token, tag name, ..., text
    texts, tokens, names = pieces[0::3], pieces[1::3], pieces[2::3]
    skip: list[str] = []  # the names of the open elements whose text is left alone, innermost last
    prev, last = BREAK, -1  # the character of text before the node, and the index of the previous node that may change
    tag_class = _tag_class
    # Each text with the token after it; the last text with an empty comment, which changes nothing.
    for i, (text, token, raw) in enumerate(zip(texts, [*tokens, "<!---->"], [*names, None], strict=True)):
        if text:
            if skip:
                prev, last = text[-1], -1
            else:
                if not text.isspace() and wanted(text):
                    if lead is not None:
                        prev = lead(texts, text, prev, last)
                    text = texts[i] = convert(text, prev)
                prev, last = text[-1], i
        if raw is None:  # a comment or a declaration (transparent), or a whole script, style or textarea (a break)
            if token[1] != "!":
                prev, last = BREAK, -1
            continue
        name, end, void, skipped, inline = tag_class(raw)
        if end:
            if skip and name == skip[-1]:
                skip.pop()
        elif void:
            pass
        elif skip:  # an element nested in one left alone: counted when it could close that one early
            if (name == skip[-1] or skipped) and not token.endswith("/>"):
                skip.append(name)
        elif skipped or (("lang=" in token or "translate" in token) and _leaves_alone(token, lang)):
            skip.append(name)
        if not inline:
            prev, last = BREAK, -1
    pieces[0::3], pieces[2::3] = texts, [""] * len(names)  # the tokens are in place: only texts and names change
    return "".join(pieces)


_french_node = _with_links(_french_text)
_english_node = _with_links(_english_text)


def french(html: str) -> str:
    """A French page with the French spaces, thousands groups and ranges in its text."""
    return _typeset(html, "fr", _french_node, _FR_WANTED.search, _french_lead)


def english(html: str) -> str:
    """An English page with curly quotes and apostrophes, and en dashes in number ranges, in its text."""
    return _typeset(html, "en", _english_node, _EN_WANTED.search, None)


BY_LANGUAGE: dict[str, Callable[[str], str]] = {"fr": french, "en": english}


def typeset(html: str, lang: str) -> str:
    """A page's HTML with its language's typography (unchanged for a language without rules)."""
    rules = BY_LANGUAGE.get(lang.split("-")[0].lower())
    return rules(html) if rules is not None else html
