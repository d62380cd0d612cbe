"""The news: the paginated listing, the archive of each year, and each article."""

from __future__ import annotations

from typing import Any

from ..model.handles import Site
from ..model.listings import tag_slug
from ..publish.previews import preview_alt, preview_url
from ..render.pictures import lead_picture, with_pictures
from .base import SHARE_IMAGE, Head, Lang, Made, Recipe, base, page_alternates, per_language, recipe


def outputs(site: Site) -> list[Recipe]:
    """Every page of the listing, every year and every article, in every language."""
    pages = {page.shown: page for page in site.published().pages}

    def made(v: Lang) -> list[Recipe]:
        found = [recipe(v.url(_listing_path(n)), "news", (v.lang, n), "content/news") for n in range(1, site.chunks(v.lang) + 1)]
        found += [recipe(v.url(f"/news/{year}/"), "year", (v.lang, year), "content/news") for year, _ in site.years(v.lang)]
        for shown in site.graph.get(("articles", v.lang)):
            info = pages[shown]
            found.append(recipe(info.url, "article", (shown,), shown, info.slug_line))
        return found
    return per_language(site, made)


def _listing_path(number: int) -> str:
    """The path of a page of the news listing."""
    return "/news/" if number == 1 else f"/news/page/{number}/"


def listing_alternates(site: Site, lang: str, number: int) -> dict[str, str]:
    """A listing page's address in every language that has that many pages."""
    return {other: site.address(other, _listing_path(number)) for other in site.config.langs if number == 1 or site.chunks(other) >= number}


def year_alternates(site: Site, lang: str, year: int) -> dict[str, str]:
    """A year archive's address in every language that has articles that year."""
    return {other: site.address(other, f"/news/{year}/") for other in site.config.langs if year in dict(site.years(other))}


def _years(v: Lang) -> list[dict[str, Any]]:
    """Years with articles, newest first, with counts."""
    return [{"year": year, "count": count, "url": v.url(f"/news/{year}/")} for year, count in v.site.years(v.lang)]


def news(site: Site, lang: str, number: int) -> Made:
    """One page of the news listing."""
    v = Lang(site, lang)
    total = site.chunks(lang)
    url = v.url(_listing_path(number))
    title = v.t["news_title"] if number == 1 else f"{v.t['news_title']} – {v.t['page']} {number}"
    crumbs = [v.home_crumb()] if number == 1 else [v.home_crumb(), (v.t["news_title"], v.url("/news/"))]
    ctx = base(v, Head(url, title, section="news", kind="list", translations=listing_alternates(site, lang, number),
               fallbacks=v.everywhere("/news/"), crumbs=crumbs))
    pager = {"number": number, "total": total, "prev": v.url(_listing_path(number - 1)) if number > 1 else None,
             "next": v.url(_listing_path(number + 1)) if number < total else None}
    ctx.update(articles=site.chunk(lang, number), pager=pager, years=_years(v), heading=title)
    return "list.html", ctx


def year(site: Site, lang: str, number: int) -> Made:
    """The archive of one year."""
    v = Lang(site, lang)
    url = v.url(f"/news/{number}/")
    title = f"{v.t['news_title']} {number}"
    alternates = year_alternates(site, lang, number)
    ctx = base(v, Head(url, title, section="news", kind="list", translations=alternates, fallbacks=v.everywhere("/news/"),
               crumbs=[v.home_crumb(), (v.t["news_title"], v.url("/news/"))]))
    ctx.update(articles=site.year(lang, number), pager=None, years=_years(v), heading=title)
    return "list.html", ctx


def article(site: Site, shown: str) -> Made:
    """One news article."""
    page = site.page(shown)
    v = Lang(site, page.lang)
    meta = page.meta
    config = v.config
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": page.title,
        "datePublished": page.date.isoformat(), "dateModified": page.updated.isoformat(),
        "inLanguage": page.lang, "mainEntityOfPage": config.site_url + page.url,
        "author": {"@type": "Organization", "name": meta.author or v.tr(config.author)},
        "publisher": {"@type": "Organization", "name": v.tr(config.title),
                      "logo": {"@type": "ImageObject", "url": config.site_url + "/images/logo.png"}},
        "image": [config.site_url + (preview_url(site, page) or SHARE_IMAGE)], "description": page.summary,
    }
    ctx = base(v, Head(page.url, page.title, section="news", kind="news", description=page.summary,
               translations=page_alternates(page), fallbacks=v.everywhere("/news/"),
               crumbs=[v.home_crumb(), (v.t["nav_news"], v.url("/news/"))], jsonld=[ld], og_type="article",
               image=preview_url(site, page), image_alt=preview_alt(site, page)))
    slugs = sorted({tag_slug(name) for name in meta.tags})
    partners = [found for pid in meta.partners if (found := site.partner(pid)) is not None]
    platforms = [found for pid in meta.platforms if (found := site.platform(pid)) is not None]
    tags = [{"name": site.tag_name(page.lang, slug), "slug": slug} for slug in slugs]
    ctx.update(article=page, partners=partners, platforms=platforms, tags=tags, body=with_pictures(site, page, page.body),
               lead=lead_picture(site, page, meta.image, meta.image_alt or "") if meta.image else None)
    return "article.html", ctx


KINDS = {"news": news, "year": year, "article": article}
ALTERNATES = {"news": listing_alternates, "year": year_alternates}
