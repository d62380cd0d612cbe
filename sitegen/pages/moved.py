"""The other languages' pages at their untranslated addresses (/fr/news/x/ for /fr/actualites/y/), as permanent redirects.

Made when config.yaml says `untranslated_addresses: redirect`: the addresses those pages had
before their language named its sections keep working. Such an address yields to any page
or alias that claims it.
"""

from __future__ import annotations

from ..model.addresses import delocalize, localize
from ..model.handles import Site
from .base import SOURCE_KINDS, Made, Recipe, recipe

KEPT_AT_ONE_ADDRESS = ("redirect", "moved", "404")


def outputs(site: Site, made: list[Recipe], page_kinds: frozenset[str]) -> list[Recipe]:
    """A redirect for each page of another language whose address in the default language's words differs."""
    config = site.config
    if config.untranslated_addresses != "redirect":
        return []
    found = []
    for page in made:
        if page.kind not in page_kinds or page.kind in KEPT_AT_ONE_ADDRESS:
            continue
        if page.kind in SOURCE_KINDS:
            info = site.graph.get(("page", page.args[0]))
            lang, old = info.lang, info.untranslated
        else:
            lang = page.args[0]
            old = untranslated(site, lang, page.url)
        if old and old != page.url:
            found.append(recipe(old, "moved", (lang, page.url), f"templates/i18n/{lang}.yaml"))
    return found


def untranslated(site: Site, lang: str, url: str) -> str:
    """An address of another language in the default language's words ("" in the default language)."""
    config = site.config
    prefix = config.prefix(lang)
    if not prefix:
        return ""
    keys = delocalize(url[len(prefix):], site.graph.get(("addresses", lang)))
    return prefix + localize(keys, site.graph.get(("addresses", config.default_language)))


def moved_files(site: Site, made: list[Recipe], page_kinds: frozenset[str]) -> list[tuple[str, str, str, int]]:
    """(untranslated address, address, source, line) of the files that are not pages (a tag's feed): the host files redirect them."""
    if site.config.untranslated_addresses != "redirect":
        return []
    found = []
    for file in made:
        if file.kind in page_kinds or file.kind in ("static", "file") or len(file.args) < 1 or file.args[0] not in site.config.languages:
            continue
        old = untranslated(site, file.args[0], file.url)
        if old and old != file.url:
            found.append((old, file.url, f"templates/i18n/{file.args[0]}.yaml", 0))
    return found


def moved(site: Site, lang: str, target: str) -> Made:
    """The page at an untranslated address."""
    strings = site.strings(lang)
    return "redirect.html", {"target": target, "title": strings["moved_title"], "lang": lang, "t": strings, "config": site.config}


KINDS = {"moved": moved}
