"""The agenda's pages: a listing per kind (events, calls, jobs) with the current items first, its archive by year, and each item."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..model.handles import Page, Site
from ..model.schemas import instant
from ..model.sources import AGENDA, SECTION_PATHS
from ..render.pictures import lead_picture, with_pictures
from .base import SHARE_IMAGE, Head, Lang, Made, Recipe, base, page_alternates, per_language, recipe
from .calendars import listing_calendar
from .feeds import agenda_feed_url

FOLDERS = {"event": "content/events", "call": "content/calls", "job": "content/jobs"}
PARTNERS = {"event": "organisers", "call": "funders", "job": "employer"}


def outputs(site: Site) -> list[Recipe]:
    """Every listing, year of the archive and item of the agenda, in every language."""
    pages = {page.shown: page for page in site.published().pages}

    def made(v: Lang) -> list[Recipe]:
        found = []
        for kind in AGENDA:
            path = SECTION_PATHS[kind]
            found.append(recipe(v.url(path), "agenda", (v.lang, kind), FOLDERS[kind]))
            found += [recipe(v.url(f"{path}{year}/"), "agenda-year", (v.lang, kind, year), FOLDERS[kind]) for year, _ in site.agenda_years(v.lang, kind)]
            for shown in site.graph.get(("agenda", v.lang, kind)):
                found.append(recipe(pages[shown].url, "agenda-item", (shown,), shown, pages[shown].slug_line))
        return found
    return per_language(site, made)


def year_alternates(site: Site, lang: str, kind: str, year: int) -> dict[str, str]:
    """A year of the archive's address in every language whose archive has that year."""
    path = f"{SECTION_PATHS[kind]}{year}/"
    return {other: site.address(other, path) for other in site.config.langs if year in dict(site.agenda_years(other, kind))}


def listing(site: Site, lang: str, kind: str) -> Made:
    """A kind's listing: what is to come or open, soonest first, then the links to the archive's years."""
    v = Lang(site, lang)
    path = SECTION_PATHS[kind]
    title = v.t[f"{kind}s_title"]
    ctx = base(v, Head(v.url(path), title, section=f"{kind}s", kind="list", translations=v.everywhere(path), crumbs=[v.home_crumb()]))
    ctx.update(heading=title, items=[card(v, page) for page in site.agenda_current(lang, kind)], empty=v.t[f"no_{kind}s"],
               years=_years(v, kind), kind=kind, **_subscriptions(site, lang, kind))
    return "agenda-list.html", ctx


def archive_year(site: Site, lang: str, kind: str, year: int) -> Made:
    """The past events, or closed calls or jobs, of one year."""
    v = Lang(site, lang)
    path = SECTION_PATHS[kind]
    title = f"{v.t[f'{kind}s_title']} {year}"
    ctx = base(v, Head(v.url(f"{path}{year}/"), title, section=f"{kind}s", kind="list", translations=year_alternates(site, lang, kind, year),
               fallbacks=v.everywhere(path), crumbs=[v.home_crumb(), (v.t[f"{kind}s_title"], v.url(path))]))
    ctx.update(heading=title, items=[card(v, page) for page in site.agenda_year(lang, kind, year)], empty="", years=_years(v, kind), kind=kind,
               **_subscriptions(site, lang, kind))
    return "agenda-list.html", ctx


def _subscriptions(site: Site, lang: str, kind: str) -> dict[str, str]:
    """The addresses of a kind's calendar and feed, which exist once the language has items of that kind (else "")."""
    has_items = bool(site.graph.get(("agenda", lang, kind)))
    return {"calendar_url": listing_calendar(site, lang, kind) if has_items else "", "feed_url": agenda_feed_url(site, lang, kind) if has_items else ""}


def _years(v: Lang, kind: str) -> list[dict[str, Any]]:
    """The archive's years, newest first, with their counts and addresses."""
    return [{"year": year, "count": v.fmt.plural(f"{kind}s_count", count), "url": v.url(f"{SECTION_PATHS[kind]}{year}/")}
            for year, count in v.site.agenda_years(v.lang, kind)]


def card(v: Lang, page: Page) -> dict[str, Any]:
    """What a listing shows of an item: its title, state, main date and place."""
    meta = page.meta
    moments = _moments(v, page)
    return {"url": page.url, "title": page.title, "state": page.state, "state_label": v.t[f"state_{page.state}"],
            "summary": page.summary, "when": moments[-1] if page.kind == "call" else moments[0], "place": _place_name(v, meta)}


def item(site: Site, shown: str) -> Made:
    """One event, call or job."""
    page = site.page(shown)
    v = Lang(site, page.lang)
    meta = page.meta
    kind = page.kind
    path = SECTION_PATHS[kind]
    ids = getattr(meta, PARTNERS[kind])
    partners = [found for pid in ([ids] if isinstance(ids, str) else ids) if (found := site.partner(pid)) is not None]
    jsonld = [STRUCTURED[kind](v, page, partners)] if kind in STRUCTURED else []
    ctx = base(v, Head(page.url, page.title, section=f"{kind}s", kind=kind, description=page.summary,
               translations=page_alternates(page), fallbacks=v.everywhere(path),
               crumbs=[v.home_crumb(), (v.t[f"{kind}s_title"], v.url(path))], jsonld=jsonld))
    zone = meta.zone(site.config.timezone)
    ctx.update(item=page, kind=kind, state=page.state, registration_open=kind == "event" and site.graph.get(("registration", shown)), state_label=v.t[f"state_{page.state}"], moments=_moments(v, page),
               partners=partners, partners_label=v.t[f"agenda_{PARTNERS[kind]}"], place=getattr(meta, "place", None),
               zone_note=v.t["agenda_time_zone"].replace("{zone}", zone) if zone != site.config.timezone else "",
               contract=v.t[f"contract_{meta.contract.replace('-', '_')}"] if kind == "job" else "",
               hours=v.t[f"hours_{meta.hours.replace('-', '_')}"] if kind == "job" else "",
               body=with_pictures(site, page, page.body),
               lead=lead_picture(site, page, meta.image, meta.image_alt or "") if meta.image else None)
    return "agenda-item.html", ctx


def event_ld(v: Lang, page: Page, organisers: list) -> dict[str, Any]:
    """schema.org Event: name, dates, status, attendance mode and place (a Place, a VirtualLocation, or both), organisers."""
    meta = page.meta
    zone = meta.zone(v.config.timezone)
    place = meta.place
    places = []
    if place.name or place.address:
        places.append({"@type": "Place", "name": place.name or place.address,
                       "address": {"@type": "PostalAddress", "streetAddress": place.address or place.name}})
    if place.online:
        places.append({"@type": "VirtualLocation", "url": place.link})
    mode = "Mixed" if len(places) == 2 else "Online" if place.online else "Offline"
    ld = {"@context": "https://schema.org", "@type": "Event", "name": page.title, "description": page.summary,
          "startDate": _local(meta.start, zone).isoformat(), "eventStatus": "https://schema.org/EventScheduled",
          "eventAttendanceMode": f"https://schema.org/{mode}EventAttendanceMode", "location": places[0] if len(places) == 1 else places,
          "url": v.config.site_url + page.url, "inLanguage": page.lang, "image": [v.config.site_url + SHARE_IMAGE],
          "organizer": [_organization(v, partner) for partner in organisers] or [_organization(v, None)]}
    if meta.end is not None:
        ld["endDate"] = _local(meta.end, zone).isoformat()
    return ld


EMPLOYMENT = {"permanent": (), "fixed-term": ("TEMPORARY",), "phd": ("TEMPORARY",), "postdoc": ("TEMPORARY",),
              "internship": ("INTERN",), "apprenticeship": ("OTHER",)}  # schema.org's employmentType words, beside the hours


def job_ld(v: Lang, page: Page, employers: list) -> dict[str, Any]:
    """schema.org JobPosting: title, description, datePosted, validThrough, hiringOrganization, jobLocation, employmentType."""
    meta = page.meta
    zone = meta.zone(v.config.timezone)
    ld = {"@context": "https://schema.org", "@type": "JobPosting", "title": page.title, "description": page.body,
          "datePosted": meta.date.date().isoformat(), "validThrough": instant(meta.closes, zone, end=True).isoformat(),
          "employmentType": [meta.hours.replace("-", "_").upper(), *EMPLOYMENT[meta.contract]],
          "hiringOrganization": _organization(v, employers[0] if employers else None), "url": v.config.site_url + page.url}
    place = meta.place
    if place.name or place.address:
        ld["jobLocation"] = {"@type": "Place", "name": place.name or place.address,
                             "address": {"@type": "PostalAddress", "streetAddress": place.address or place.name}}
    else:
        ld["jobLocationType"] = "TELECOMMUTE"
    return ld


def _organization(v: Lang, partner: Any) -> dict[str, str]:
    """A partner as a schema.org Organization (the biocluster itself when there is none)."""
    if partner is None:
        return {"@type": "Organization", "name": v.tr(v.config.title), "url": v.config.site_url + v.url("/")}
    found = {"@type": "Organization", "name": v.tr(partner.name), "url": v.config.site_url + v.url(f"/partners/{partner.id}/")}
    if partner.website:
        found["sameAs"] = partner.website
    return found


STRUCTURED = {"event": event_ld, "job": job_ld}


def _moments(v: Lang, page: Page) -> list[dict[str, str]]:
    """The item's dates as shown, in order, each with a label, a machine-readable value and its text."""
    meta = page.meta
    zone = meta.zone(v.config.timezone)
    if page.kind == "event":
        found = [{"label": v.t["agenda_when"], **_span(v, meta.start, meta.end, zone)}]
        if meta.registration_deadline is not None:
            found.append({"label": v.t["agenda_register_by"], **_moment(v, meta.registration_deadline, zone)})
        return found
    closes = {"label": v.t["agenda_closes" if page.kind == "call" else "agenda_apply_by"], **_moment(v, meta.closes, zone)}
    return [{"label": v.t["agenda_opens"], **_moment(v, meta.opens, zone)}, closes] if page.kind == "call" else [closes]


def _local(moment: date, zone: str) -> date:
    """A day as it is, or a time in the item's time zone."""
    return instant(moment, zone).astimezone(ZoneInfo(zone)) if isinstance(moment, datetime) else moment


def _moment(v: Lang, moment: date, zone: str) -> dict[str, str]:
    """One day or time: its ISO value (a time with its UTC offset) and its text."""
    local = _local(moment, zone)
    return {"iso": local.isoformat(), "text": v.fmt.day_time(local), "end_iso": "", "end_text": ""}


def _span(v: Lang, start: date, end: date | None, zone: str) -> dict[str, str]:
    """An event's start and end as one text: '14 March 2026, 09:30 – 17:00', '14 March 2026 – 16 March 2026'."""
    first = _moment(v, start, zone)
    if end is None:
        return first
    last, local_start = _local(end, zone), _local(start, zone)
    if local_start == last:
        return first
    same_day = isinstance(last, datetime) and isinstance(local_start, datetime) and last.date() == local_start.date()
    return {**first, "end_iso": last.isoformat(), "end_text": v.fmt.time(last) if same_day else v.fmt.day_time(last)}


def _place_name(v: Lang, meta: Any) -> str:
    """A place in a few words: its name, else its address, else 'Online' (calls have none)."""
    place = getattr(meta, "place", None)
    if place is None:
        return ""
    return place.name or place.address or v.t["agenda_online"]


KINDS = {"agenda": listing, "agenda-year": archive_year, "agenda-item": item}
ALTERNATES = {"agenda-year": year_alternates}
