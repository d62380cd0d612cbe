"""Each entry's file and address here: translations paired as `x.md` + `x.fr.md`, clashes of flattened names resolved."""

from __future__ import annotations

from collections import defaultdict

from slugify import slugify

from ...model.config import Config
from ...model.sources import TITLE_SLUG
from ...problems import Problems
from .entries import Entry


def name_all(entries: list[Entry], config: Config, words: dict[str, dict[str, str]], problems: Problems) -> None:
    """Give each entry its target file and its address; the first of two clashing names keeps it, later ones get their date."""
    taken: set[tuple[str, str]] = set()
    for group in _groups(entries, config, problems):
        first = next((e for e in group if e.lang == config.default_language), group[0])
        name = _free(first, taken)
        bundle = any(e.bundle for e in group)
        for entry in group:
            suffix = "" if entry.lang == config.default_language else f".{entry.lang}"
            entry.target = f"content/{entry.kind}/{name}/index{suffix}.md" if bundle else f"content/{entry.kind}/{name}{suffix}.md"
            entry.address = _address(entry, name, config, words.get(entry.lang or "", {}))
            if entry is not first and name != slugify(entry.name):
                entry.notes.append(f"named '{name}' to pair with {first.shown}, of which it is a translation")
            elif name != slugify(entry.name):
                entry.notes.append(f"named '{name}': '{slugify(entry.name)}' was taken")


def _groups(entries: list[Entry], config: Config, problems: Problems) -> list[list[Entry]]:
    """Entries grouped by translation key, in the order of their first date; a second file in one language goes alone."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    alone = []
    for entry in sorted(entries, key=lambda e: (e.date or "", e.shown)):
        group = groups[(entry.kind, entry.group)]
        if any(e.lang == entry.lang for e in group):
            problems.warning(entry.shown, 0, f"a second {entry.lang} version of '{entry.group}' ({group[0].shown}): imported as an article of its own")
            alone.append([entry])
        else:
            group.append(entry)
    return list(groups.values()) + alone


def _free(entry: Entry, taken: set[tuple[str, str]]) -> str:
    """A plain file name no other group took: its own, else with its date, else numbered."""
    base = slugify(entry.name, max_length=TITLE_SLUG) or "untitled"
    candidates = [base] + ([f"{entry.date[:10]}-{base}"] if entry.date else []) + [f"{base}-{n}" for n in range(2, 1000)]
    name = next(c for c in candidates if (entry.kind, c) not in taken)
    taken.add((entry.kind, name))
    return name


def _address(entry: Entry, name: str, config: Config, words: dict[str, str]) -> str:
    """Its address here, as the build will give it (a translation is named by its slug, else its title)."""
    section = "/" if entry.kind == "pages" else f"/{words.get('news', 'news')}/"
    slug = name
    if entry.lang == config.default_language and entry.front.data.pop("slug", None) is not None:
        entry.notes.append(f"'slug' dropped (the file's name, '{name}', gives the address)")
    if entry.lang != config.default_language:
        given = entry.front.data.get("slug")
        slug = slugify(str(given)) if given else slugify(str(entry.front.data.get("title") or ""), max_length=TITLE_SLUG, word_boundary=True) or name
        if given:
            entry.front.data["slug"] = slug
    return config.prefix(entry.lang or config.default_language) + section + slug + "/"
