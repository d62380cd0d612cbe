"""Addresses in each language's words: the section names of the strings files ('/news/' is '/fr/actualites/').

Views and templates write a path with the sections' keys ('/news/2024/', '/tags/x/'); the
language's `address_<key>` strings name its first part, and `address_page` the 'page' of a
paginated listing. A language without those strings keeps the keys, so a new language needs
only its strings file.
"""

from __future__ import annotations

import re

from ..graph.core import Graph, Rule
from ..problems import Problems
from .config import Config

PREFIX = "address_"
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_NAME = 60

Names = dict[str, str]  # section key -> this language's name for it


def names_of(texts: dict) -> Names:
    """The section names a strings file gives (`address_news: actualites` gives {'news': 'actualites'})."""
    return {key[len(PREFIX):]: value for key, value in texts.items() if key.startswith(PREFIX) and isinstance(value, str)}


def check_names(texts: dict, shown: str, line, problems: Problems) -> bool:
    """Each address name is a plain lowercase name, and no two sections share one; False after recording problems."""
    ok, seen = True, {}
    for key, value in texts.items():
        if not key.startswith(PREFIX):
            continue
        if not isinstance(value, str) or not NAME.fullmatch(value) or len(value) > MAX_NAME:
            from slugify import slugify

            suggestion = slugify(value, max_length=MAX_NAME) if isinstance(value, str) else ""
            problems.error(shown, line((key,)), f"the address name '{key}: {value}' is not a plain name",
                           f"use lowercase letters, digits and hyphens, like '{key}: {suggestion or key[len(PREFIX):]}'")
            ok = False
        elif value in seen:
            problems.error(shown, line((key,)), f"the address name '{value}' of '{key}' is also the name of '{seen[value]}'",
                           "give each section its own name")
            ok = False
        else:
            seen[value] = key
    return ok


def localize(path: str, names: Names) -> str:
    """A path in a language's words: its first part, and the 'page' of a paginated listing, named by `names`."""
    first, sep, rest = path[1:].partition("/")
    if not sep or first not in names:
        return path
    if rest.startswith("page/"):
        rest = names.get("page", "page") + rest[4:]
    return f"/{names[first]}/{rest}"


def delocalize(path: str, names: Names) -> str:
    """The keys' path of a path in a language's words (what `localize` made it from)."""
    first, sep, rest = path[1:].partition("/")
    keys = {name: key for key, name in names.items() if key != "page"}
    if not sep or first not in keys:
        return path
    page = names.get("page", "page") + "/"
    if rest.startswith(page):
        rest = "page/" + rest[len(page):]
    return f"/{keys[first]}/{rest}"


def address(graph: Graph, config: Config, lang: str, path: str) -> str:
    """A path ('/news/') as a language's address ('/fr/actualites/'), its prefix included."""
    return config.prefix(lang) + localize(path, graph.get(("addresses", lang)))


def addresses_rule(graph: Graph, lang: str) -> Names:
    """("addresses", lang): a language's section names (none when its strings could not be read: the keys stay)."""
    strings = graph.get(("strings", lang))
    return names_of(strings) if strings is not None else {}


RULES = (Rule("addresses", 3, addresses_rule),)
