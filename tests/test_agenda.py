"""The agenda as readers see it: listings with what is current first, states that follow the build's clock, the archive by year,
the home page's next events and open calls, each item's page, and an incremental build after a deadline equal to a cold one.

The examples are tests/sites/agenda/ laid over the minimal sample site; the run's clock is 2025-11-24 16:00 UTC (support.EPOCH).
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from support import SITES, bare_copy, copy_built, make_site, run_cli, tree

AGENDA = SITES / "agenda"
AFTER_SEED_DEADLINE = "1764601200"  # 2025-12-01 16:00 Paris: seed-grants closed at noon, the symposium still to come
AFTER_SYMPOSIUM = "1764882000"  # 2025-12-04 22:00 Paris: the symposium is over


def overlay() -> dict[str, bytes]:
    """The agenda's example files, by their path in a site."""
    return {p.relative_to(AGENDA).as_posix(): p.read_bytes() for p in sorted(AGENDA.rglob("*.md"))}


@pytest.fixture(scope="module")
def agenda_site(tmp_path_factory) -> Path:
    """The minimal sample site with the agenda's examples, built once at the run's clock: tests only read it."""
    site = make_site(tmp_path_factory.mktemp("agenda"), overlay())
    built = run_cli(site, "--strict")
    assert (built.returncode, built.stderr) == (0, ""), built
    return site


@pytest.fixture
def agenda_copy(agenda_site, tmp_path) -> Path:
    """A copy of the built agenda site of the test's own, whose builds go on from the original's."""
    return copy_built(agenda_site, tmp_path / "agenda")


def text_of(site: Path, page: str) -> str:
    """The visible text of a built page's main content, spaces collapsed."""
    found = re.search(r"<main.*?</main>", (site / "public" / page).read_text(encoding="utf-8"), re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", found.group(0)))).strip()


def titles(site: Path, page: str) -> list[str]:
    """The titles of the cards of a listing, in order."""
    text = (site / "public" / page).read_text(encoding="utf-8")
    return [html.unescape(t) for t in re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', text)]


def test_listings_show_what_is_current_soonest_first_and_archive_the_rest_by_year(agenda_site):
    """Events to come (and happening now) by start; calls and jobs still open by closing; the others in the archive of their year."""
    assert titles(agenda_site, "events/index.html") == ["Winter school", "Antibody symposium", "Webinar with a partner lab"]
    events = text_of(agenda_site, "events/index.html")
    assert "Happening now When 24 November 2025 – 26 November 2025 · Sample campus" in events
    assert "Upcoming When 4 December 2025, 09:00 – 17:30 · Sample lecture hall" in events
    assert "Archive 2025 (1 event) 2024 (1 event)" in events
    assert titles(agenda_site, "events/2025/index.html") == ["Immunology seminar"]
    assert titles(agenda_site, "events/2024/index.html") == ["Launch conference"]
    assert titles(agenda_site, "calls/index.html") == ["Seed grants", "Bridge funding", "Training call"]
    calls = text_of(agenda_site, "calls/index.html")
    assert "Closing soon Closes 1 December 2025, 12:00" in calls and "Not yet open Closes 1 March 2026" in calls
    assert titles(agenda_site, "calls/2025/index.html") == ["Pilot call"]
    assert titles(agenda_site, "jobs/index.html") == ["Postdoc in antibody engineering"]
    assert titles(agenda_site, "jobs/2025/index.html") == ["Laboratory technician"]


def test_french_listings_hold_the_french_items_and_say_when_there_are_none(agenda_site):
    """Each language lists its own files, at its own addresses; an empty listing says so, without an archive."""
    assert titles(agenda_site, "fr/evenements/index.html") == ["Symposium sur les anticorps"]
    assert "Clôture proche Clôture 1 décembre 2025 à 12:00" in text_of(agenda_site, "fr/appels/index.html")
    assert text_of(agenda_site, "fr/emplois/index.html").endswith(
        "Offres d'emploi Aucune offre d'emploi ouverte pour le moment.")
    assert not (agenda_site / "public/fr/emplois.ics").exists() and not (agenda_site / "public/fr/emplois/feed.xml").exists()
    assert not (agenda_site / "public/fr/emplois/2025").exists()


def test_an_event_page_shows_its_days_place_organisers_and_registration(agenda_site):
    """The event's facts in the reader's language, partner links, and its translation paired by the language switch."""
    page = text_of(agenda_site, "events/antibody-symposium/index.html")
    assert page.startswith("Antibody symposium Upcoming A day of talks on therapeutic antibodies. When 4 December 2025, 09:00 – 17:30 "
                           "Register by 28 November 2025 Where Sample lecture hall 1 rue Exemple, 13005 Marseille "
                           "Organisers Sample University , Sample Hospital Register Add to calendar (iCalendar)")
    raw = (agenda_site / "public/events/antibody-symposium/index.html").read_text()
    assert '<time datetime="2025-12-04T09:00:00+01:00">' in raw and '<a href="/partners/sample-hospital/">' in raw
    assert '<a class="button" href="https://example.org/register" rel="external">' in raw
    assert '<a href="/fr/evenements/symposium-sur-les-anticorps/" hreflang="fr" lang="fr" rel="alternate">' in raw
    french = text_of(agenda_site, "fr/evenements/symposium-sur-les-anticorps/index.html")
    assert "Quand 4 décembre 2025 à 09:00 – 17:30 Inscription jusqu'au 28 novembre 2025 Où Amphithéâtre exemple" in french


def test_times_are_shown_in_the_items_own_time_zone(agenda_site):
    """An event in New York shows New York's times and says so; its machine-readable time carries the offset."""
    page = text_of(agenda_site, "events/online-webinar/index.html")
    assert "When 15 January 2026, 10:00 – 11:30 Where Online: Join online Times are given in the time zone America/New_York." in page
    assert '<time datetime="2026-01-15T10:00:00-05:00">' in (agenda_site / "public/events/online-webinar/index.html").read_text()


def test_calls_and_jobs_offer_to_apply_only_while_open(agenda_site):
    """An open call shows its dates, budget, eligibility, documents and an Apply button; a closed job has no button."""
    call = text_of(agenda_site, "calls/seed-grants/index.html")
    assert ("Seed grants Closing soon Opens 1 October 2025 Closes 1 December 2025, 12:00 Funders Sample Agency "
            "Budget Up to 50,000 euros per project Who may apply Teams of the cluster’s members. Documents Rules of the call Apply Add to calendar (iCalendar)") in call
    job = text_of(agenda_site, "jobs/postdoc-antibodies/index.html")
    assert "Apply by 31 January 2026 Where Sample campus 13009 Marseille Employer Sample University Contract Postdoctoral position, full time Apply" in job
    closed = text_of(agenda_site, "jobs/lab-technician/index.html")
    assert "Closed Apply by 30 September 2025" in closed and "Fixed-term contract, part time" in closed
    assert 'class="button"' not in (agenda_site / "public/jobs/lab-technician/index.html").read_text()


def test_home_shows_the_next_events_and_open_calls_only_when_there_are_some(agenda_site, site):
    """The home page lists three events to come and the open calls (not those not yet open); without any, no such section."""
    home = text_of(agenda_site, "index.html")
    assert "Next events Winter school Happening now" in home and "Webinar with a partner lab" in home
    assert re.search(r"Open calls for projects Seed grants Closing soon .* Bridge funding Open .* All calls for projects", home)
    assert "Training call" not in home
    assert run_cli(site).returncode == 0
    assert "Next events" not in text_of(site, "index.html") and "Open calls" not in text_of(site, "index.html")


def test_the_site_map_lists_the_agenda_and_its_archive(agenda_site):
    """The site map links each listing and each year of its archive."""
    page = text_of(agenda_site, "sitemap/index.html")
    assert "Events Events 2025 (1 event) Events 2024 (1 event) Calls for projects Calls for projects 2025 (1 call) Job offers" in page


def test_states_follow_the_clock_and_an_incremental_build_equals_a_cold_one(agenda_copy, tmp_path, monkeypatch):
    """Moving the clock past a deadline, then past an event, moves them to the archive and build.json to the next change; each time the
    incremental build's site is the cold build's, byte for byte."""
    calendars = (agenda_copy / "public/events.ics").read_bytes()
    steps = ((AFTER_SEED_DEADLINE, "2025-12-04T08:00:00Z"), (AFTER_SYMPOSIUM, "2026-01-04T23:00:00Z"))  # the symposium starts; the training call opens
    for epoch, next_change in steps:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        incremental = run_cli(agenda_copy, "--strict")
        assert (incremental.returncode, incremental.stderr) == (0, "")
        cold = bare_copy(agenda_copy, tmp_path / f"cold-{epoch}")
        assert run_cli(cold, "--strict").returncode == 0
        assert tree(agenda_copy / "public") == tree(cold / "public")
        assert titles(agenda_copy, "calls/2025/index.html") == ["Seed grants", "Pilot call"]
        assert json.loads((agenda_copy / "public/build.json").read_text())["next_change"] == next_change
        symposium = (agenda_copy / "public/events/antibody-symposium/index.html").read_text()
        assert "Register</a>" not in symposium, "registration closed on 28 November"
        assert ("Upcoming" in symposium) == (epoch == AFTER_SEED_DEADLINE)
        assert (agenda_copy / "public/events.ics").read_bytes() == calendars, "a calendar does not depend on the clock"
    assert titles(agenda_copy, "calls/index.html") == ["Bridge funding", "Training call"]
    assert titles(agenda_copy, "events/index.html") == ["Webinar with a partner lab"]
    assert titles(agenda_copy, "events/2025/index.html") == ["Antibody symposium", "Winter school", "Immunology seminar"]
    assert "Past" in text_of(agenda_copy, "events/antibody-symposium/index.html")
    assert 'class="button"' not in (agenda_copy / "public/events/antibody-symposium/index.html").read_text()


def calendar(site: Path, path: str) -> Calendar:
    """A built iCalendar file, parsed back."""
    return Calendar.from_ical((site / "public" / path).read_bytes())


def test_calendars_parse_back_with_their_time_zones_stable_uids_and_dtstamps_from_the_content(agenda_site):
    """/events.ics holds every event of the language with the fields RFC 5545 requires; whole days are dates, times carry their zone."""
    cal = calendar(agenda_site, "events.ics")
    assert (str(cal["version"]), str(cal["prodid"])) == ("2.0", "-//MIB portal//sitegen 0.1.0//EN")
    assert sorted(str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")) == ["America/New_York", "Europe/Paris"]
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert sorted(events) == ["Antibody symposium", "Immunology seminar", "Launch conference", "Webinar with a partner lab", "Winter school"]
    assert all({"uid", "dtstamp", "dtstart"} <= {key.lower() for key in e} for e in events.values())
    symposium = events["Antibody symposium"]
    assert str(symposium["uid"]) == "event-antibody-symposium-en@sample.example.org"
    assert symposium.decoded("dtstart") == datetime(2025, 12, 4, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert symposium.decoded("dtend") == datetime(2025, 12, 4, 17, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert symposium.decoded("dtstamp") == datetime(2025, 12, 4, 8, 0, tzinfo=UTC), "DTSTAMP is the content's, not the clock's"
    assert str(symposium["location"]) == "Sample lecture hall, 1 rue Exemple, 13005 Marseille"
    assert str(symposium["url"]) == "https://sample.example.org/events/antibody-symposium/"
    assert (events["Winter school"].decoded("dtstart"), events["Winter school"].decoded("dtend")) == (date(2025, 11, 24), date(2025, 11, 27))
    assert events["Webinar with a partner lab"].decoded("dtstart") == datetime(2026, 1, 15, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    own = calendar(agenda_site, "events/antibody-symposium/calendar.ics").walk("VEVENT")
    assert [str(e["uid"]) for e in own] == ["event-antibody-symposium-en@sample.example.org"]
    french = calendar(agenda_site, "fr/evenements.ics").walk("VEVENT")
    assert [(str(e["summary"]), str(e["uid"])) for e in french] == [("Symposium sur les anticorps", "event-antibody-symposium-fr@sample.example.org")]


def test_calls_and_jobs_closing_are_calendar_entries_and_pages_link_their_calendars(agenda_site):
    """A call's or job's closing is an entry of /calls.ics or /jobs.ics; each page offers its own calendar, each listing its listing's."""
    calls = {str(e["summary"]): e.decoded("dtstart") for e in calendar(agenda_site, "calls.ics").walk("VEVENT")}
    assert calls["Call closes: Seed grants"] == datetime(2025, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert calls["Call closes: Bridge funding"] == date(2026, 2, 15)
    assert len(calls) == 4
    jobs = {str(e["summary"]) for e in calendar(agenda_site, "jobs.ics").walk("VEVENT")}
    assert jobs == {"Applications close: Postdoc in antibody engineering", "Applications close: Laboratory technician"}
    assert "Clôture de l'appel : Bourses d'amorçage" in {str(e["summary"]) for e in calendar(agenda_site, "fr/appels.ics").walk("VEVENT")}
    page = (agenda_site / "public/calls/seed-grants/index.html").read_text()
    assert '<a href="/calls/seed-grants/calendar.ics" type="text/calendar" download>Add to calendar (iCalendar)</a>' in page
    assert '<a href="/fr/evenements.ics" type="text/calendar">S&#39;abonner à cet agenda (iCalendar)</a>' in (
        agenda_site / "public/fr/evenements/index.html").read_text()


def test_each_kind_has_an_atom_feed_of_its_items(agenda_site):
    """/events/feed.xml lists the events (the latest first), dated by their content; the listing's head links it."""
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(agenda_site / "public/events/feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}title") for e in entries] == [
        "Webinar with a partner lab", "Antibody symposium", "Winter school", "Immunology seminar", "Launch conference"]
    assert entries[1].findtext(f"{atom}published") == "2025-12-04T09:00:00+01:00"
    assert feed.findtext(f"{atom}updated") == "2026-01-15T10:00:00-05:00"
    french = ElementTree.parse(agenda_site / "public/fr/appels/feed.xml").getroot()
    assert [e.findtext(f"{atom}id") for e in french.findall(f"{atom}entry")] == ["https://sample.example.org/fr/appels/bourses-d-amorcage/"]
    head = (agenda_site / "public/events/index.html").read_text()
    assert '<link rel="alternate" type="application/atom+xml" title="Events" href="/events/feed.xml">' in head


# The properties search engines require (Google's Event and JobPosting structured data), plus those the issue names.
REQUIRED = {
    "Event": {"@context", "name", "startDate", "location", "eventStatus", "eventAttendanceMode", "organizer", "description", "url"},
    "JobPosting": {"@context", "title", "description", "datePosted", "validThrough", "hiringOrganization", "employmentType", "url"},
}


def structured(site: Path, page: str) -> dict[str, dict]:
    """A built page's JSON-LD objects by their @type."""
    text = (site / "public" / page).read_text(encoding="utf-8")
    found = [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)]
    return {data["@type"]: data for data in found}


def test_events_carry_schema_org_event_with_the_required_fields(agenda_site):
    """An event in a hall is a Place with its address; an online one a VirtualLocation; both with status, mode, dates and organisers."""
    event = structured(agenda_site, "events/antibody-symposium/index.html")["Event"]
    assert REQUIRED["Event"] <= set(event), REQUIRED["Event"] - set(event)
    assert (event["startDate"], event["endDate"]) == ("2025-12-04T09:00:00+01:00", "2025-12-04T17:30:00+01:00")
    assert event["location"] == {"@type": "Place", "name": "Sample lecture hall",
                                 "address": {"@type": "PostalAddress", "streetAddress": "1 rue Exemple, 13005 Marseille"}}
    assert (event["eventStatus"], event["eventAttendanceMode"]) == (
        "https://schema.org/EventScheduled", "https://schema.org/OfflineEventAttendanceMode")
    assert [o["name"] for o in event["organizer"]] == ["Sample University", "Sample Hospital"]
    online = structured(agenda_site, "events/online-webinar/index.html")["Event"]
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://example.org/webinar"}
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["startDate"] == "2026-01-15T10:00:00-05:00"
    assert structured(agenda_site, "events/winter-school/index.html")["Event"]["startDate"] == "2025-11-24"


def test_jobs_carry_schema_org_job_posting_with_the_required_fields(agenda_site):
    """A job's JobPosting: the employer as hiringOrganization, its place, its publication day and the end of its closing day."""
    job = structured(agenda_site, "jobs/postdoc-antibodies/index.html")["JobPosting"]
    assert REQUIRED["JobPosting"] <= set(job), REQUIRED["JobPosting"] - set(job)
    assert (job["datePosted"], job["validThrough"]) == ("2025-11-10", "2026-02-01T00:00:00+01:00")
    assert job["hiringOrganization"] == {"@type": "Organization", "name": "Sample University", "sameAs": "https://university.example.org",
                                         "url": "https://sample.example.org/partners/sample-university/"}
    assert job["jobLocation"]["address"]["streetAddress"] == "13009 Marseille"
    assert job["employmentType"] == ["FULL_TIME", "TEMPORARY"] and job["description"] == "<p>Two years in the antibody team.</p>"
    assert structured(agenda_site, "jobs/lab-technician/index.html")["JobPosting"]["employmentType"] == ["PART_TIME", "TEMPORARY"]


def test_a_partners_page_lists_its_events_calls_and_jobs(agenda_site):
    """Sample University organises, funds and employs: its page lists those items, the current ones first; a partner with none shows no section."""
    page = text_of(agenda_site, "partners/sample-university/index.html")
    section = page[page.index("Events, calls and jobs"):]
    assert re.findall(r"(Antibody symposium|Immunology seminar|Bridge funding|Training call|Postdoc in antibody engineering) ", section) == [
        "Antibody symposium", "Bridge funding", "Training call", "Postdoc in antibody engineering", "Immunology seminar"]
    assert "Événements, appels et emplois Symposium sur les anticorps" in text_of(agenda_site, "fr/partenaires/sample-hospital/index.html")


def test_search_indexes_the_agenda_with_type_and_state_filters(agenda_site):
    """Each item's page gives Pagefind its type and its state; the search page offers the three types."""
    page = (agenda_site / "public/calls/seed-grants/index.html").read_text()
    assert '<span hidden data-pagefind-meta="type:Call for projects" data-pagefind-filter="type:Call for projects"></span>' in page
    assert '<span hidden data-pagefind-filter="state:Closing soon"></span>' in page
    search = (agenda_site / "public/search/index.html").read_text()
    assert all(f'<input type="radio" name="type" value="{kind}">' in search for kind in ("Event", "Call for projects", "Job offer"))
    assert '<select id="search-state" name="state" data-search-select="state">' in search


def test_build_json_says_when_a_page_next_changes(agenda_site):
    """At the run's clock the winter school's end (midnight after its last day, in Paris) is the next change of any page."""
    assert json.loads((agenda_site / "public/build.json").read_text())["next_change"] == "2025-11-26T23:00:00Z"
    assert '<a class="button" href="https://example.org/register" rel="external">Register</a>' in (
        agenda_site / "public/events/antibody-symposium/index.html").read_text(), "registration open until 28 November"
