"""What every HTML page's context holds (menu, language switch, breadcrumbs, JSON-LD), and the recipe of an output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..graph.store import tuple_reduce
from ..model.addresses import localize
from ..model.handles import Page, Site
from ..model.i18n import Formatter

SHARE_IMAGE = "/images/share.png"  # the site's own link preview (static/images/share.png)
SOURCE_KINDS = frozenset({"article", "page", "agenda-item"})  # the pages made from one source, whose first argument is its path


class Recipe(NamedTuple):
    """How one output is made: its path, the kind of page, the arguments of that kind, and where an editor would look."""

    path: str
    kind: str
    args: tuple
    source: str
    line: int = 0
    url: str = ""  # the address as written (an alias, a slug), for messages; "" for a file's own path

    __reduce__ = tuple_reduce  # 17,000 of them in ("site",) at 10,000 articles, read by every link check


def file_recipe(path: str, kind: str, args: tuple, source: str) -> Recipe:
    """The recipe of a file at a path (a feed, the sitemap, a static file)."""
    return Recipe(path, kind, args, source, 0, "/" + path)


Made = tuple[str, dict[str, Any]] | bytes  # a template and its context, or the output's bytes


def url_to_path(url: str) -> str:
    """The output file of a URL: '/news/x/' gives 'news/x/index.html'."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path


def recipe(url: str, kind: str, args: tuple, source: str, line: int = 0) -> Recipe:
    """The recipe of the page at an address."""
    return Recipe(url_to_path(url), kind, args, source, line, url)


class Lang:
    """One language's view of the site: its address prefix, strings and formats."""

    def __init__(self, site: Site, lang: str):
        self.site, self.config, self.lang = site, site.config, lang
        self.t = site.strings(lang)
        self.fmt = Formatter(lang, self.config.languages[lang].locale, self.t)
        self.prefix = self.config.prefix(lang)
        self.names = site.graph.get(("addresses", lang))

    def url(self, path: str) -> str:
        """An address in this language: '/news/' gives '/fr/actualites/' in French."""
        return self.prefix + localize(path, self.names)

    def tr(self, value: Any) -> str:
        """A data text in this language (falls back to the default language)."""
        return "" if value is None else self.config.text(value, self.lang)

    def everywhere(self, path: str) -> dict[str, str]:
        """The same path in every language (pages made from data, section indexes)."""
        return {lang: self.site.address(lang, path) for lang in self.config.langs}

    def home_crumb(self) -> tuple[str, str]:
        """The first breadcrumb."""
        return (self.t["nav_home"], self.url("/"))


@dataclass(frozen=True)
class Head:
    """What a page says about itself: its address, title, place in the menu, languages, crumbs and metadata."""

    url: str
    title: str
    section: str
    kind: str = "page"
    description: str = ""
    translations: dict[str, str] | None = None  # its address in each language it is written in (default: this one)
    fallbacks: dict[str, str] | None = None  # where the language switch goes for a language it is not written in
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    jsonld: list[dict] = field(default_factory=list)
    og_type: str = "website"
    image: str = ""  # the address of its link preview (default: the site's)
    image_alt: str = ""  # what that preview shows (default: the site's logo)


def base(v: Lang, head: Head) -> dict[str, Any]:
    """The context every HTML page gets."""
    translations = head.translations if head.translations is not None else {v.lang: head.url}
    targets = {**(head.fallbacks or {}), **translations}
    jsonld = list(head.jsonld)
    if head.crumbs:
        jsonld.append(breadcrumb_ld(v, [*head.crumbs, (head.title, head.url)]))
    return {
        "lang": v.lang, "t": v.t, "fmt": v.fmt, "tr": v.tr, "config": v.config,
        "url_for": v.url, "home_url": v.url("/"),
        "page": {
            "url": head.url, "title": head.title, "section": head.section, "kind": head.kind,
            "description": head.description or v.tr(v.config.description),
            "alternates": dict(sorted(translations.items())),
            "switch": switch(v, targets), "crumbs": list(head.crumbs), "jsonld": jsonld,
            "og_type": head.og_type, "image": head.image or SHARE_IMAGE, "image_alt": head.image_alt,
        },
        "nav": nav(v, head.section),
        "footer_pages": [p for p in v.site.standalone(v.lang) if p.meta.menu == "footer"],
    }


def switch(v: Lang, targets: dict[str, str]) -> list[dict]:
    """Links to the other languages: the translation, else that language's section index."""
    return [{"lang": lang, "name": v.config.languages[lang].name, "url": url,
             "label": v.t["language_switch_to"].replace("{language}", v.fmt.language(lang))}
            for lang, url in sorted(targets.items()) if lang != v.lang]


def nav(v: Lang, current: str) -> list[dict]:
    """The main menu with `current` marked."""
    items = []
    for key in v.config.main_menu:
        if key == "about":
            about = v.site.page_by_layout(v.lang, "about")
            if about:
                items.append({"key": key, "label": about.title, "url": about.url, "current": current == key})
        else:
            items.append({"key": key, "label": v.t[f"nav_{key}"], "url": v.url(f"/{key}/"), "current": current == key})
    return items


def breadcrumb_ld(v: Lang, crumbs: list[tuple[str, str]]) -> dict:
    """schema.org BreadcrumbList."""
    items = [{"@type": "ListItem", "position": i, "name": name, "item": v.config.site_url + url} for i, (name, url) in enumerate(crumbs, start=1)]
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def organization_ld(v: Lang) -> dict:
    """schema.org Organization for the biocluster, with its founding members."""
    members = [{"@type": "Organization", "name": v.tr(p.name)} for p in v.site.partners if p.founding_member]
    return {
        "@context": "https://schema.org", "@type": "Organization",
        "name": v.tr(v.config.title), "url": v.config.site_url + v.url("/"),
        "logo": v.config.site_url + "/images/logo.png", "description": v.tr(v.config.description), "member": members,
    }


def page_alternates(page: Page) -> dict[str, str]:
    """An article's or page's address in each language it is written in, its own first."""
    return {page.lang: page.url, **{lang: p.url for lang, p in page.translations.items()}}


def per_language(site: Site, outputs: Callable[[Lang], list[Recipe]]) -> list[Recipe]:
    """The recipes a family makes in every language."""
    return [r for lang in site.config.langs for r in outputs(Lang(site, lang))]
