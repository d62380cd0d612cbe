"""The translation report: what is missing in a language, and translations older than their original."""

from __future__ import annotations

from ..graph.core import Graph
from ..model.handles import Page, Site
from ..problems import Problem


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
    for page in pages:
        original = page.translations.get(config.default_language)
        if page.lang != config.default_language and original and _stale(page, original):
            lines.append(f"  outdated {page.lang}: {page.shown} ({_day(page)}) is older than {original.shown}, updated {_day(original)}")
    for problem in problems:
        if " has no " in problem.message and problem.path.startswith("content/data/"):
            lines.append(f"  missing in data: {problem.path}:{problem.line}: {problem.message}")
    return lines


def _is_original(page: Page, translations: dict[str, Page], default: str) -> bool:
    """A page counts as an original when it is in the default language or has no default version."""
    return page.lang == default or default not in translations


def _stale(translation: Page, original: Page) -> bool:
    """True when the original was updated after the translation was last touched."""
    return bool(original.meta.updated) and original.updated > translation.updated


def _day(page: Page) -> str:
    """A page's last-touched date."""
    return page.updated.date().isoformat() if page.updated else "undated"
