"""Every page of the site as a route: its URL, its template and the data the template gets."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

from ..model.i18n import Formatter, Strings, milestone_sort_key
from ..model.schemas import PARTNER_TYPES
from ..model.site import Page, Site, Tag, tag_slug
from ..render.charts import funding_bars

SEARCH_KINDS = ("news", "partner", "platform", "page")


class Route:
    """One output page before rendering: its URL, template, the file it comes from, and its context.

    An article's or page's context is made only when asked for (`make`): the render workers
    make each one, key and render it, then let it go, so the build never holds the contexts
    of ten thousand pages at once. What the sitemap needs of such a route is on its `page`.
    """

    __slots__ = ("_context", "_make", "line", "page", "source", "template", "url")

    def __init__(self, url: str, template: str, context: dict[str, Any] | None, source: str, line: int = 0, *,
                 make: Callable[[Page], dict[str, Any]] | None = None, page: Page | None = None):
        self.url, self.template, self.source, self.line, self.page = url, template, source, line, page
        self._context, self._make = context, make

    @property
    def context(self) -> dict[str, Any]:
        """The data the template gets (made now if it is made on demand)."""
        if self._context is None and self._make is not None:
            return self._make(self.page)
        return self._context

    def __repr__(self) -> str:
        return f"Route({self.url!r}, {self.template!r}, source={self.source!r})"


class Views:
    """Builds the context of each kind of page for one language."""

    def __init__(self, site: Site, strings: dict[str, Strings], lang: str):
        self.site, self.config, self.lang = site, site.config, lang
        self.t = strings[lang]
        self.fmt = Formatter(lang, self.config.languages[lang].locale, self.t)
        self.prefix = self.config.prefix(lang)
        self._years: list[dict] | None = None
        # One bound method each, shared by every route made here (the cache pickles it once, not per page).
        self._article_context, self._standalone_context = self.article_context, self.standalone_context
        self._navs: dict[str, list[dict]] = {}

    # -- shared pieces ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        """A URL in this language: '/news/' gives '/fr/news/' in French."""
        return f"{self.prefix}{path}"

    def tr(self, value: Any) -> str:
        """A data text in this language (falls back to the default language)."""
        return "" if value is None else self.config.text(value, self.lang)

    def switch(self, targets: dict[str, str]) -> list[dict]:
        """Links to the other languages: the translation, else that language's section index."""
        return [
            {"lang": lang, "name": self.config.languages[lang].name, "url": url}
            for lang, url in sorted(targets.items()) if lang != self.lang
        ]

    def same_path_everywhere(self, path: str) -> dict[str, str]:
        """The same path in every language (for pages made from data)."""
        return {lang: f"{self.config.prefix(lang)}{path}" for lang in self.config.langs}

    def base(self, url: str, title: str, *, section: str, kind: str = "page", description: str = "",
             translations: dict[str, str] | None = None, fallbacks: dict[str, str] | None = None,
             crumbs: list[tuple[str, str]] | None = None, jsonld: list[dict] | None = None,
             og_type: str = "website", image: str = "") -> dict:
        """The context every HTML page gets."""
        translations = translations if translations is not None else {self.lang: url}
        targets = {**(fallbacks or {}), **translations}
        crumbs = crumbs or []
        jsonld = list(jsonld or [])
        if crumbs:
            jsonld.append(self.breadcrumb_ld(crumbs + [(title, url)]))
        return {
            "lang": self.lang, "t": self.t, "fmt": self.fmt, "tr": self.tr, "config": self.config,
            "url_for": self.url, "home_url": self.url("/"),
            "page": {
                "url": url, "title": title, "section": section, "kind": kind,
                "description": description or self.tr(self.config.description),
                "alternates": {lang: u for lang, u in sorted(translations.items())},
                "switch": self.switch(targets), "crumbs": crumbs, "jsonld": jsonld,
                "og_type": og_type, "image": image or "/images/share.png",
            },
            "nav": self.nav(section),
            "footer_pages": [p for p in self.site.standalone(self.lang) if p.meta.menu == "footer"],
        }

    def nav(self, current: str) -> list[dict]:
        """The main menu (built once per section: many pages share it)."""
        if current not in self._navs:
            self._navs[current] = self._build_nav(current)
        return self._navs[current]

    def _build_nav(self, current: str) -> list[dict]:
        """The main menu with `current` marked."""
        items = []
        for key in self.config.main_menu:
            if key == "about":
                about = self.site.page_by_layout(self.lang, "about")
                if not about:
                    continue
                items.append({"key": key, "label": about.title, "url": about.url, "current": current == key})
            else:
                items.append({"key": key, "label": self.t[f"nav_{key}"], "url": self.url(f"/{key}/"), "current": current == key})
        return items

    def breadcrumb_ld(self, crumbs: list[tuple[str, str]]) -> dict:
        """schema.org BreadcrumbList."""
        items = [
            {"@type": "ListItem", "position": i, "name": name, "item": self.config.site_url + url}
            for i, (name, url) in enumerate(crumbs, start=1)
        ]
        return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}

    def organization_ld(self) -> dict:
        """schema.org Organization for the biocluster."""
        site_url = self.config.site_url
        members = [
            {"@type": "Organization", "name": self.tr(p.name)} for p in self.site.data.partners if p.founding_member
        ]
        return {
            "@context": "https://schema.org", "@type": "Organization",
            "name": self.tr(self.config.title), "url": site_url + self.url("/"),
            "logo": site_url + "/images/logo.png", "description": self.tr(self.config.description),
            "member": members,
        }

    def home_crumb(self) -> tuple[str, str]:
        """The first breadcrumb."""
        return (self.t["nav_home"], self.url("/"))

    def section_fallbacks(self, section_path: str) -> dict[str, str]:
        """Every language's index of a section, used when a translation is missing."""
        return self.same_path_everywhere(section_path)

    # -- pages -----------------------------------------------------------------------------

    def home(self) -> Route:
        """The home page: key figures, latest news, platforms, partners."""
        url = self.url("/")
        ctx = self.base(url, self.tr(self.config.title), section="home", translations=self.same_path_everywhere("/"),
                        jsonld=[self.organization_ld()])
        ctx.update(figures=self.site.data.figures, latest=self.site.articles(self.lang)[:4],
                   platforms=self.site.data.platforms,
                   founders=[p for p in self.site.data.partners if p.founding_member])
        return Route(url, "home.html", ctx, "content/data/figures.yaml")

    def news_pages(self) -> list[Route]:
        """The paginated news listing."""
        articles = self.site.articles(self.lang)
        size = self.config.per_page
        chunks = [articles[i : i + size] for i in range(0, len(articles), size)] or [[]]
        routes = []
        for number, chunk in enumerate(chunks, start=1):
            path = "/news/" if number == 1 else f"/news/page/{number}/"
            url = self.url(path)
            title = self.t["news_title"] if number == 1 else f"{self.t['news_title']} – {self.t['page']} {number}"
            ctx = self.base(url, title, section="news", kind="list", translations=self._listing_alternates(path, number),
                            fallbacks=self.section_fallbacks("/news/"), crumbs=[self.home_crumb()] if number == 1 else
                            [self.home_crumb(), (self.t["news_title"], self.url("/news/"))])
            ctx.update(articles=chunk, pager=self.pager(number, len(chunks)), years=self.years(articles), heading=title)
            routes.append(Route(url, "list.html", ctx, "content/news"))
        return routes

    def _listing_alternates(self, path: str, number: int) -> dict[str, str]:
        """A listing page's URL in every language that has that many pages."""
        size = self.config.per_page
        return {
            lang: f"{self.config.prefix(lang)}{path}"
            for lang in self.config.langs if number == 1 or len(self.site.articles(lang)) > (number - 1) * size
        }

    def pager(self, number: int, total: int) -> dict:
        """Previous and next links of a listing page."""
        def link(n: int) -> str:
            return self.url("/news/" if n == 1 else f"/news/page/{n}/")
        return {
            "number": number, "total": total,
            "prev": link(number - 1) if number > 1 else None,
            "next": link(number + 1) if number < total else None,
        }

    def years(self, articles: list[Page]) -> list[dict]:
        """Years with articles, newest first, with counts (computed once per language)."""
        if self._years is None:
            found = [(year, len(list(group))) for year, group in groupby(articles, key=lambda p: p.date.year)]
            self._years = [{"year": y, "count": c, "url": self.url(f"/news/{y}/")} for y, c in found]
        return self._years

    def year_pages(self) -> list[Route]:
        """One archive page per year."""
        articles = self.site.articles(self.lang)
        by_year: dict[int, list[Page]] = {}
        for page in articles:
            by_year.setdefault(page.date.year, []).append(page)
        routes = []
        for entry in self.years(articles):
            year = entry["year"]
            chunk = by_year[year]
            url = entry["url"]
            title = f"{self.t['news_title']} {year}"
            ctx = self.base(url, title, section="news", kind="list", translations={self.lang: url},
                            fallbacks=self.section_fallbacks("/news/"),
                            crumbs=[self.home_crumb(), (self.t["news_title"], self.url("/news/"))])
            ctx["page"]["alternates"] = {lang: u for lang, u in self._year_alternates(year).items()}
            ctx["page"]["switch"] = self.switch({**self.section_fallbacks("/news/"), **self._year_alternates(year)})
            ctx.update(articles=chunk, pager=None, years=self.years(articles), heading=title)
            routes.append(Route(url, "list.html", ctx, "content/news"))
        return routes

    def _year_alternates(self, year: int) -> dict[str, str]:
        """A year archive's URL in every language that has articles that year."""
        return {
            lang: f"{self.config.prefix(lang)}/news/{year}/"
            for lang in self.config.langs if year in self.site.years_of(lang)
        }

    def article(self, page: Page) -> Route:
        """One news article (its context is made when it is rendered)."""
        return Route(page.url, "article.html", None, page.source.shown, _slug_line(page), make=self._article_context, page=page)

    def article_context(self, page: Page) -> dict[str, Any]:
        """What article.html gets."""
        translations = page_alternates(page)
        partners = [self.site.data.partner(pid) for pid in page.meta.partners]
        platforms = [self.site.data.platform(pid) for pid in page.meta.platforms]
        ld = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": page.title,
            "datePublished": page.date.isoformat(), "dateModified": page.updated.isoformat(),
            "inLanguage": page.lang, "mainEntityOfPage": self.config.site_url + page.url,
            "author": {"@type": "Organization", "name": page.meta.author or self.tr(self.config.author)},
            "publisher": {"@type": "Organization", "name": self.tr(self.config.title),
                          "logo": {"@type": "ImageObject", "url": self.config.site_url + "/images/logo.png"}},
            "image": [self.config.site_url + "/images/share.png"], "description": page.summary,
        }
        ctx = self.base(page.url, page.title, section="news", kind="news", description=page.summary,
                        translations=translations, fallbacks=self.section_fallbacks("/news/"),
                        crumbs=[self.home_crumb(), (self.t["nav_news"], self.url("/news/"))],
                        jsonld=[ld], og_type="article")
        slugs = {tag_slug(name) for name in page.meta.tags}
        tags = [{"name": t.name, "slug": t.slug} for t in self.site.tags(self.lang) if t.slug in slugs]
        ctx.update(article=page, partners=partners, platforms=platforms, tags=tags)
        return ctx

    def tag_pages(self) -> list[Route]:
        """The tag index and one page per tag."""
        tags = self.site.tags(self.lang)
        url = self.url("/tags/")
        crumbs = [self.home_crumb(), (self.t["nav_news"], self.url("/news/"))]
        ctx = self.base(url, self.t["tags_title"], section="news", kind="list",
                        translations=self.same_path_everywhere("/tags/"), crumbs=crumbs)
        ctx.update(tags=tags)
        routes = [Route(url, "tags.html", ctx, "content/news")]
        for tag in tags:
            routes.append(self.tag(tag, crumbs + [(self.t["tags_title"], url)]))
        return routes

    def tag(self, tag: Tag, crumbs: list) -> Route:
        """One tag's articles."""
        url = self.url(f"/tags/{tag.slug}/")
        title = f"{self.t['tag_title']} {tag.name}"
        ctx = self.base(url, title, section="news", kind="list", translations={self.lang: url},
                        fallbacks=self.section_fallbacks("/tags/"), crumbs=crumbs)
        ctx.update(articles=tag.pages, pager=None, years=[], heading=title, tag=tag,
                   feed_url=url + "feed.xml")
        return Route(url, "list.html", ctx, "content/news")

    def partners(self) -> list[Route]:
        """The partners directory, grouped by type, and one page per partner."""
        url = self.url("/partners/")
        groups = [
            {"type": kind, "label": self.t[f"partner_type_{kind}"], "partners": sorted(
                [p for p in self.site.data.partners if p.type == kind], key=lambda p: self.tr(p.name).lower())}
            for kind in PARTNER_TYPES
        ]
        groups = [g for g in groups if g["partners"]]
        ctx = self.base(url, self.t["partners_title"], section="partners", kind="list",
                        translations=self.same_path_everywhere("/partners/"), crumbs=[self.home_crumb()])
        ctx.update(groups=groups, partner_count=len(self.site.data.partners))
        routes = [Route(url, "partners.html", ctx, "content/data/partners.yaml")]
        for partner in self.site.data.partners:
            path = f"/partners/{partner.id}/"
            purl = self.url(path)
            pctx = self.base(purl, self.tr(partner.name), section="partners", kind="partner",
                             description=self.tr(partner.description), translations=self.same_path_everywhere(path),
                             crumbs=[self.home_crumb(), (self.t["partners_title"], url)])
            pctx.update(partner=partner, type_label=self.t[f"partner_type_{partner.type}"],
                        articles=self.site.articles_naming(self.lang, "partners", partner.id),
                        platforms=[p for p in self.site.data.platforms if partner.id in p.partners])
            routes.append(Route(purl, "partner.html", pctx, "content/data/partners.yaml"))
        return routes

    def platforms(self) -> list[Route]:
        """The platforms list and one page per platform."""
        url = self.url("/platforms/")
        ctx = self.base(url, self.t["platforms_title"], section="platforms", kind="list",
                        translations=self.same_path_everywhere("/platforms/"), crumbs=[self.home_crumb()])
        ctx.update(platforms=self.site.data.platforms)
        routes = [Route(url, "platforms.html", ctx, "content/data/platforms.yaml")]
        for platform in self.site.data.platforms:
            path = f"/platforms/{platform.id}/"
            purl = self.url(path)
            pctx = self.base(purl, self.tr(platform.name), section="platforms", kind="platform",
                             description=self.tr(platform.summary), translations=self.same_path_everywhere(path),
                             crumbs=[self.home_crumb(), (self.t["platforms_title"], url)])
            pctx.update(platform=platform, partners=[self.site.data.partner(p) for p in platform.partners],
                        articles=self.site.articles_naming(self.lang, "platforms", platform.id))
            routes.append(Route(purl, "platform.html", pctx, "content/data/platforms.yaml"))
        return routes

    def funding(self) -> list[Route]:
        """The funding page with its table and chart."""
        funding = self.site.data.funding
        if funding is None:
            return []
        url = self.url("/funding/")
        ctx = self.base(url, self.t["funding_title"], section="funding", kind="page",
                        translations=self.same_path_everywhere("/funding/"), crumbs=[self.home_crumb()])
        ctx.update(funding=funding, bars=funding_bars(funding, self.tr, self.fmt),
                   operator=self._partner_or_none(funding.programme.operator))
        return [Route(url, "funding.html", ctx, "content/data/funding.yaml")]

    def _partner_or_none(self, pid: str | None):
        """The partner with an id, if any."""
        return next((p for p in self.site.data.partners if p.id == pid), None)

    def standalone(self, page: Page) -> Route:
        """A standalone page (its context is made when it is rendered)."""
        template = "about.html" if page.meta.layout == "about" else "page.html"
        return Route(page.url, template, None, page.source.shown, _slug_line(page), make=self._standalone_context, page=page)

    def standalone_context(self, page: Page) -> dict[str, Any]:
        """What page.html gets; the about layout adds the milestones timeline."""
        translations = page_alternates(page)
        about = page.meta.layout == "about"
        ctx = self.base(page.url, page.title, section="about" if about else "page", kind="page",
                        description=page.summary, translations=translations,
                        fallbacks=self.same_path_everywhere("/"), crumbs=[self.home_crumb()],
                        jsonld=[self.organization_ld()] if about else [])
        milestones = sorted(self.site.data.milestones, key=lambda m: milestone_sort_key(m.date))
        ctx.update(article=page, milestones=milestones if about else [])
        return ctx

    def search(self) -> Route:
        """The search page."""
        url = self.url("/search/")
        ctx = self.base(url, self.t["search_title"], section="search", kind="search",
                        translations=self.same_path_everywhere("/search/"), crumbs=[self.home_crumb()])
        ctx.update(kinds=SEARCH_KINDS)
        return Route(url, "search.html", ctx, "templates/search.html")

    def not_found(self) -> Route:
        """The 404 page."""
        url = self.url("/404.html")
        ctx = self.base(url, self.t["not_found_title"], section="404", kind="404",
                        translations=self.same_path_everywhere("/404.html"))
        return Route(url, "404.html", ctx, "templates/404.html")

    def redirects(self, page: Page) -> list[Route]:
        """A redirect page for each alias of a page."""
        routes = []
        for i, alias in enumerate(page.meta.aliases):
            ctx = {"target": page.url, "title": page.title, "lang": page.lang, "t": self.t, "config": self.config}
            routes.append(Route(alias, "redirect.html", ctx, page.source.shown, page.source.lines.line(("aliases", i))))
        return routes


def page_alternates(page: Page) -> dict[str, str]:
    """An article's or page's URL in each language it is written in, its own first."""
    return {page.lang: page.url, **{lang: p.url for lang, p in page.translations.items()}}


def _slug_line(page: Page) -> int:
    """The line of a page's slug, when its front matter sets one."""
    return page.source.line_of("slug") if page.meta.slug else 0


def all_routes(site: Site, strings: dict[str, Strings]) -> list[Route]:
    """Every HTML page of the site in every language."""
    routes: list[Route] = []
    for lang in site.config.langs:
        views = Views(site, strings, lang)
        routes.append(views.home())
        routes += views.news_pages() + views.year_pages()
        routes += [views.article(p) for p in site.articles(lang)]
        routes += views.tag_pages() + views.partners() + views.platforms() + views.funding()
        routes += [views.standalone(p) for p in site.standalone(lang)]
        routes += [views.search(), views.not_found()]
        for page in site.pages:
            if page.lang == lang:
                routes += views.redirects(page)
    return routes
