"""The translation report: what is missing in a language, and translations older than their original."""

from __future__ import annotations

import time

from ..graph.core import Graph
from ..model.handles import Page, Site
from ..problems import Problem
from .staleness import Outdated, day_of, outdated


def translation_report(graph: Graph, problems: list[Problem]) -> list[str]:
    """Lines telling editors what to translate next, most useful first."""
    site = Site(graph)
    config = site.config
    pages = sorted((site.page(info.shown) for info in site.published().pages), key=lambda p: p.shown)
    lines = []
    for page in pages:
        translations = page.translations
        for lang in config.langs:
            if lang != page.lang and lang not in translations and _is_original(page, translations, config.default_language):
                lines.append(f"  missing {lang}: {page.shown} ({page.url}) has no {config.languages[lang].name} version")
    pairs = [(page, page.translations[config.default_language]) for page in pages
             if page.lang != config.default_language and config.default_language in page.translations]
    changed = _content_changes(site, pairs)
    for page, original in pairs:
        if page.shown in changed:
            lines.append(_outdated_line(page, original, changed[page.shown]))
        elif _stale(page, original):
            lines.append(f"  outdated {page.lang}: {page.shown} ({_day(page)}) is older than {original.shown}, updated {_day(original)}")
    for problem in problems:
        if " has no " in problem.message and problem.path.startswith("content/data/"):
            lines.append(f"  missing in data: {problem.path}:{problem.line}: {problem.message}")
    return lines


def _content_changes(site: Site, pairs: list[tuple[Page, Page]]) -> dict[str, Outdated]:
    """The translations whose original's title, summary or body changed after them (git history, else digests)."""
    epoch = site.graph.get(("option", "epoch"))
    today = day_of(int(epoch) if epoch else time.time(), site.config.timezone)
    return outdated(site.root, site.root / ".cache", [(page.shown, original.shown) for page, original in pairs],
                    today, site.config.timezone)


def _outdated_line(page: Page, original: Page, change: Outdated) -> str:
    """The report line of a translation whose original's content changed after it."""
    return (f"  outdated {page.lang}: {page.shown}: its original {original.shown} changed its {_listed(change.parts)}"
            f" since {change.since.isoformat()}"
            f" (the translation was last changed on {change.translated.isoformat()})")


def _listed(words: tuple[str, ...]) -> str:
    """Words as a sentence lists them: 'title', 'title and body', 'title, summary and body'."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _is_original(page: Page, translations: dict[str, Page], default: str) -> bool:
    """A page counts as an original when it is in the default language or has no default version."""
    return page.lang == default or default not in translations


def _stale(translation: Page, original: Page) -> bool:
    """True when the original was updated after the translation was last touched."""
    return bool(original.meta.updated) and original.updated > translation.updated


def _day(page: Page) -> str:
    """A page's last-touched date."""
    return page.updated.date().isoformat() if page.updated else "undated"
