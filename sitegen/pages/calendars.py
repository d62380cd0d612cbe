"""iCalendar files (RFC 5545): one per event, call and job, and one per listing and language (/events.ics, /fr/evenements.ics).

An event is its days or times; a call or a job is its closing day or time. A calendar lists every
published item of its kind and language, past ones too, so it never depends on the clock. Each
entry's UID is made from the kind, the file's name and the language, so it stays the same from build
to build; its DTSTAMP is the item's `updated`, else its own first day or time: from the content, never
the build's clock. Times are written in their time zone, described by a VTIMEZONE covering the years
the entries span.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .. import __version__
from ..model.handles import Page, Site
from ..model.schemas import instant
from ..model.sources import AGENDA, SECTION_PATHS
from .base import Made, Recipe, file_recipe, per_language

if TYPE_CHECKING:
    from icalendar import Event

CALENDAR = "calendar.ics"  # an item's own calendar, beside its page


def outputs(site: Site) -> list[Recipe]:
    """Each listing's calendar and each item's, in every language."""
    pages = {page.shown: page for page in site.published().pages}

    def made(v) -> list[Recipe]:
        found = []
        for kind in AGENDA:
            items = site.graph.get(("agenda", v.lang, kind))
            if items:  # a calendar holds at least one entry (RFC 5545)
                found.append(file_recipe(listing_calendar(site, v.lang, kind).lstrip("/"), "calendar", (v.lang, kind), f"content/{kind}s"))
            found += [file_recipe(pages[shown].url.lstrip("/") + CALENDAR, "item-calendar", (shown,), shown) for shown in items]
        return found
    return per_language(site, made)


def listing_calendar(site: Site, lang: str, kind: str) -> str:
    """The address of a listing's calendar: '/events.ics', '/fr/evenements.ics'."""
    return site.address(lang, SECTION_PATHS[kind]).rstrip("/") + ".ics"


def calendar(site: Site, lang: str, kind: str) -> Made:
    """A listing's calendar: every published item of a kind in a language."""
    title = f"{site.config.text(site.config.title, lang)} – {site.strings(lang)[f'{kind}s_title']}"
    return _calendar(site, lang, title, [site.page(shown) for shown in site.graph.get(("agenda", lang, kind))])


def item_calendar(site: Site, shown: str) -> Made:
    """One item's calendar."""
    page = site.page(shown)
    return _calendar(site, page.lang, page.title, [page])


def _calendar(site: Site, lang: str, title: str, pages: list[Page]) -> bytes:
    """A VCALENDAR of these items, with the VTIMEZONEs of the zones their times use."""
    from icalendar import Calendar  # imported only by builds that make a calendar

    cal = Calendar()
    cal.add("prodid", f"-//MIB portal//sitegen {__version__}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    entries = [_entry(site, page) for page in pages]
    for entry in entries:
        cal.add_component(entry)
    years = [entry.decoded("dtstart").year for entry in entries]
    if years:
        cal.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    return cal.to_ical()


def _entry(site: Site, page: Page) -> Event:
    """One VEVENT: an event's days or times, or a call's or job's closing."""
    from icalendar import Event

    meta = page.meta
    config = site.config
    zone = meta.zone(config.timezone)
    t = site.strings(page.lang)
    entry = Event()
    entry.add("uid", f"{page.kind}-{page.shown.split('/')[2].split('.')[0]}-{page.lang}@{urlsplit(config.site_url).hostname}")
    entry.add("url", config.site_url + page.url)
    if page.kind == "event":
        entry.add("summary", page.title)
        _add_span(entry, meta.start, meta.end, zone)
        place = meta.place
        where = [part for part in (place.name, place.address, place.link if place.online else None) if part]
        if where:
            entry.add("location", ", ".join(where))
    else:
        entry.add("summary", t[f"calendar_{page.kind}_closes"].replace("{title}", page.title))
        _add_span(entry, meta.closes, None, zone)
    entry.add("dtstamp", meta.stamp(config.timezone).astimezone(UTC))
    if meta.updated:
        entry.add("last-modified", meta.updated.astimezone(UTC))
    entry.add("description", f"{page.summary}\n\n{config.site_url + page.url}".strip())
    if meta.tags:
        entry.add("categories", list(meta.tags))
    return entry


def _add_span(entry: Event, start: date, end: date | None, zone: str) -> None:
    """DTSTART and DTEND: whole days as dates (DTEND the day after the last), times in their zone."""
    if not isinstance(start, datetime):
        entry.add("dtstart", start)
        entry.add("dtend", (end or start) + timedelta(days=1))
        return
    local = ZoneInfo(zone)
    entry.add("dtstart", instant(start, zone).astimezone(local))
    if end is not None:
        entry.add("dtend", instant(end, zone).astimezone(local))


KINDS = {"calendar": calendar, "item-calendar": item_calendar}
