"""The assembled site: pages with URLs, translations paired, tags, and cross-references checked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from slugify import slugify

from ..bodies import BodyStore
from ..cache import text_digest
from ..problems import Problems
from .config import Config
from .content import Source
from .data import Data, report_unknown_id

# What changes with a page's body: a template naming none of these is given pages by their card (fingerprint.py).
BODY_FIELDS = frozenset({"body", "source", "digest", "store"})


class BodyWatch:
    """Armed while a page keyed without the bodies of the pages it shows renders: whether it read one after all.

    `bodies` lists (page, body) for each body the render in progress read (the render workers
    empty it before each page): a page whose only read is its own body can be spliced.
    """

    armed = False
    read = False
    bodies: list = []

    def saw(self, attribute: str) -> None:
        """Note a template's access to a page's attribute."""
        if self.armed and attribute in BODY_FIELDS:
            self.read = True


BODY_WATCH = BodyWatch()


@dataclass
class Page:
    """An article or a standalone page in one language, with its URL."""

    source: Source
    url: str
    summary: str
    translations: dict[str, Page] = field(default_factory=dict)
    store: BodyStore | None = field(default=None, repr=False, compare=False)

    @property
    def body(self) -> str:
        """The body's HTML, read from the store when a template shows it."""
        BODY_WATCH.saw("body")
        html = self.store.read(self.source.body_key) if self.store else ""
        BODY_WATCH.bodies.append((self, html))
        return html

    @property
    def meta(self):
        """The validated front matter."""
        return self.source.meta

    @property
    def lang(self) -> str:
        """The page's language."""
        return self.source.lang

    @property
    def kind(self) -> str:
        """'article' or 'page'."""
        return self.source.kind

    @property
    def title(self) -> str:
        """The page's title."""
        return self.meta.title

    @property
    def date(self) -> datetime | None:
        """Publication date."""
        return self.meta.date

    @property
    def updated(self) -> datetime | None:
        """Last update, else the publication date."""
        return self.meta.updated or self.meta.date


@dataclass
class Tag:
    """A tag in one language and the articles carrying it, newest first."""

    name: str
    slug: str
    lang: str
    pages: list[Page] = field(default_factory=list)


@dataclass
class Site:
    """Everything the renderer needs, computed once."""

    config: Config
    data: Data
    pages: list[Page]
    now: datetime
    root: Path
    skipped: Counter = field(default_factory=Counter)
    indexes: dict = field(default_factory=dict, repr=False)

    def articles(self, lang: str) -> list[Page]:
        """Articles in one language, newest first."""
        return self._index("articles", lang, lambda: [p for p in self.pages if p.kind == "article" and p.lang == lang])

    def standalone(self, lang: str) -> list[Page]:
        """Standalone pages in one language, by menu weight then title."""
        return self._index("standalone", lang, lambda: sorted(
            (p for p in self.pages if p.kind == "page" and p.lang == lang), key=lambda p: (p.meta.weight, p.title)))

    def tags(self, lang: str) -> list[Tag]:
        """Tags of one language, by name."""
        return self._index("tags", lang, lambda: _collect_tags(self.articles(lang), lang))

    def years_of(self, lang: str) -> set[int]:
        """The years in which articles of one language were published."""
        return self._index("years", lang, lambda: {p.date.year for p in self.articles(lang)})

    def _index(self, name: str, lang: str, compute):
        """A per-language list computed once (the site does not change after assembly)."""
        key = (name, lang)
        if key not in self.indexes:
            self.indexes[key] = compute()
        return self.indexes[key]

    def articles_naming(self, lang: str, what: str, ident: str) -> list[Page]:
        """Articles of one language that name a partner or platform id."""
        return self._index(f"naming-{what}", lang, lambda: _by_reference(self.articles(lang), what)).get(ident, [])

    def page_by_layout(self, lang: str, layout: str) -> Page | None:
        """The standalone page with a given layout (such as 'about') in one language."""
        return next((p for p in self.standalone(lang) if p.meta.layout == layout), None)


def _by_reference(articles: list[Page], what: str) -> dict[str, list[Page]]:
    """Articles grouped by each id they name in a front matter list."""
    found: dict[str, list[Page]] = {}
    for page in articles:
        for ident in dict.fromkeys(getattr(page.meta, what)):
            found.setdefault(ident, []).append(page)
    return found


def _collect_tags(articles: list[Page], lang: str) -> list[Tag]:
    """The tags of these articles, each with its articles in order."""
    tags: dict[str, Tag] = {}
    for page in articles:
        for name in page.meta.tags:
            slug = tag_slug(name)
            tags.setdefault(slug, Tag(name, slug, lang)).pages.append(page)
    return sorted(tags.values(), key=lambda t: t.slug)


@lru_cache(maxsize=4096)
def tag_slug(name: str) -> str:
    """A tag's URL name: 'Immunothérapie' gives 'immunotherapie'."""
    return slugify(name) or "tag"


def page_url(config: Config, source: Source) -> str:
    """The URL of an article or page."""
    section = "/news" if source.kind == "article" else ""
    return f"{config.prefix(source.lang)}{section}/{source.slug}/"


def assemble(config: Config, sources: list[Source], firsts: dict[str, str], store: BodyStore, data: Data, now: datetime, root: Path,
             drafts: bool, problems: Problems) -> Site:
    """Give URLs, drop drafts and scheduled items, pair translations, check references."""
    site = Site(config, data, [], now, root)
    for source in sources:
        if not drafts and _skip_reason(source, now, site.skipped):
            continue
        summary = source.meta.summary or firsts.get(source.shown, "")
        site.pages.append(Page(source, page_url(config, source), summary, store=store))
    site.pages.sort(key=lambda p: (p.kind, -(p.date.timestamp() if p.date else 0), p.url))
    _pair_translations(site.pages)
    for page in site.pages:
        give_digests(page)
    _check_references(site, problems)
    _check_images(site, problems)
    return site


def give_digests(page: Page) -> None:
    """Set what a page is made of (`digest`) and what a page showing it without its body can show (`card`).

    digest: its file's bytes, its URL and its translations' URLs. card: the same without the
    body, but with the summary (the body's first paragraph when the front matter has none), so
    an edit further down an article leaves the card, and the listings showing it, as they were.
    """
    others = "|".join(f"{lang}={p.url}" for lang, p in sorted(page.translations.items()))
    page.digest = text_digest(f"{page.source.digest}|{page.url}|{others}")
    page.card = text_digest(f"{page.source.shown}|{page.source.front_key}|{page.url}|{others}|{page.summary}")


def _skip_reason(source: Source, now: datetime, skipped: Counter) -> bool:
    """Count and skip drafts and items dated in the future."""
    if source.meta.draft:
        skipped["drafts"] += 1
        return True
    if source.meta.date and source.meta.date > now:
        skipped["scheduled"] += 1
        return True
    return False


def _pair_translations(pages: list[Page]) -> None:
    """Link each page to its versions in the other languages (same kind and file name)."""
    groups: dict[tuple[str, str], dict[str, Page]] = {}
    for page in pages:
        groups.setdefault((page.kind, page.source.key), {})[page.lang] = page
    for page in pages:
        group = groups[(page.kind, page.source.key)]
        page.translations = {lang: p for lang, p in group.items() if lang != page.lang}


def _check_references(site: Site, problems: Problems) -> None:
    """Partner and platform ids named in front matter must exist."""
    partners = [p.id for p in site.data.partners]
    platforms = [p.id for p in site.data.platforms]
    valid = {"partners": set(partners), "platforms": set(platforms)}
    for page in site.pages:
        if page.kind != "article":
            continue
        for field_name, known, what in (("partners", partners, "partner"), ("platforms", platforms, "platform")):
            if field_name in site.data.failed:
                continue
            for i, ident in enumerate(getattr(page.meta, field_name)):
                if ident not in valid[field_name]:  # the line is looked up only for an error
                    report_unknown_id(ident, known, what, page.source.shown, page.source.lines.line((field_name, i)), problems)


def _check_images(site: Site, problems: Problems) -> None:
    """A front matter image must exist in the bundle or under static/."""
    for page in site.pages:
        image = page.meta.image
        if image and not image_path(page, image, site.root).is_file():
            problems.error(page.source.shown, page.source.line_of("image"), f"image '{image}' not found", "put it beside index.md in a bundle, or give a path under static/ starting with '/'")


def image_path(page: Page, image: str, root: Path) -> Path:
    """Where a front matter image lives on disk."""
    if image.startswith("/"):
        return root / "static" / image.lstrip("/")
    return (page.source.bundle or root / "content" / "__none__") / image
