"""The agenda: when each event, call and job happens or closes, its state at the build's clock, and the listings.

("timing", path) is an item's instants (from its front matter only); ("state", path) compares
them with the clock through `graph.reached`, which records the window in which the answer holds,
so the next build after an event starts or a call closes computes that state again, and with it
only what reads it: the item's page, its listing, the home page. ("agenda", lang, kind) lists a
language's published items of a kind, ("agenda-current", lang, kind) those still to come or open
(soonest first), ("agenda-archive", lang, kind) the others by year, newest first, and
("agenda-naming", lang) the items naming each partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..graph.core import Graph, Rule
from .config import setting
from .schemas import instant
from .sources import AGENDA

NEVER = float("inf")
EVENT_STATES = ("upcoming", "ongoing", "past")
DEADLINE_STATES = ("not_yet_open", "open", "closing_soon", "closed")
FINISHED = frozenset({"past", "closed"})
DAY = 86400


@dataclass(frozen=True)
class Timing:
    """An item's instants as timestamps: when it starts (or opens) and when it ends (or closes); its year in the archive."""

    kind: str
    start: float  # an event's start, a call's opening; -inf for a job (open once published)
    end: float  # an event's end, a call's or a job's closing
    year: int  # the year of its start (events) or its closing (calls, jobs), in its time zone
    registration: float  # when an event's registration closes: its deadline, else its end


def _timing(graph: Graph, shown: str) -> Timing | None:
    """An item's instants, from its front matter (None when it has errors)."""
    meta = graph.get(("front", shown))
    config = graph.get(("config",))
    if meta is None or config is None:
        return None
    zone = meta.zone(config.timezone)
    kind = graph.get(("head", shown)).kind
    if kind == "event":
        start = instant(meta.start, zone)
        end = instant(meta.end, zone, end=True) if meta.end is not None else _end_of_day(start, zone)
        deadline = meta.registration_deadline
        closes = instant(deadline, zone, end=True).timestamp() if deadline is not None else end.timestamp()
        return Timing(kind, start.timestamp(), end.timestamp(), start.year, closes)
    closes = instant(meta.closes, zone, end=True)
    opens = instant(meta.opens, zone).timestamp() if kind == "call" else -NEVER
    return Timing(kind, opens, closes.timestamp(), (closes - timedelta(seconds=1)).year, closes.timestamp())


def _end_of_day(start: datetime, zone: str) -> datetime:
    """The next midnight after `start` in `zone`: an event without an end lasts its day."""
    local = start.astimezone(ZoneInfo(zone))
    return datetime.combine(local.date() + timedelta(days=1), time(), ZoneInfo(zone))


def _state(graph: Graph, shown: str) -> str:
    """An item's state at the build's clock ('' when it has errors): the clock's window is recorded by `reached`."""
    timing: Timing | None = graph.get(("timing", shown))
    if timing is None:
        return ""
    if timing.kind == "event":
        if not graph.reached(timing.start):
            return "upcoming"
        return "past" if graph.reached(timing.end) else "ongoing"
    if not graph.reached(timing.start):
        return "not_yet_open"
    if graph.reached(timing.end):
        return "closed"
    soon = setting(graph, "closing_soon") * DAY
    return "closing_soon" if graph.reached(timing.end - soon) else "open"


def _registration_open(graph: Graph, shown: str) -> bool:
    """("registration", path): an event still takes registrations (its deadline, else its end, not reached)."""
    timing: Timing | None = graph.get(("timing", shown))
    return timing is not None and not graph.reached(timing.registration)


def _items(graph: Graph, lang: str, kind: str) -> tuple[str, ...]:
    """The published items of a kind in a language, by start (events) or closing (calls, jobs), then path."""
    found = [page.shown for page in graph.get(("pages",)).pages if page.kind == kind and page.lang == lang]
    return tuple(sorted(found, key=lambda shown: (_sort_time(graph, shown), shown)))


def _sort_time(graph: Graph, shown: str) -> float:
    """When an item comes in its listing: an event's start, a call's or job's closing."""
    timing: Timing | None = graph.get(("timing", shown))
    if timing is None:
        return NEVER
    return timing.start if timing.kind == "event" else timing.end


def _current(graph: Graph, lang: str, kind: str) -> tuple[str, ...]:
    """The items still to come or open (and calls not yet open), soonest first."""
    return tuple(shown for shown in graph.get(("agenda", lang, kind)) if graph.get(("state", shown)) not in FINISHED)


def _archive(graph: Graph, lang: str, kind: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(year, items) of the past events or closed calls and jobs, newest year first, each year's latest first."""
    years: dict[int, list[str]] = {}
    for shown in reversed(graph.get(("agenda", lang, kind))):
        if graph.get(("state", shown)) in FINISHED:
            years.setdefault(graph.get(("timing", shown)).year, []).append(shown)
    return tuple((year, tuple(items)) for year, items in sorted(years.items(), reverse=True))


def _naming(graph: Graph, lang: str) -> dict[str, tuple[str, ...]]:
    """The events, calls and jobs of a language naming each partner (as organiser, funder or employer): what is current first."""
    found: dict[str, list[str]] = {}
    for finished in (False, True):
        for kind in AGENDA:
            for shown in graph.get(("agenda", lang, kind)):
                if (graph.get(("state", shown)) in FINISHED) == finished:
                    for ident in dict.fromkeys(graph.get(("refs", shown))[0]):
                        found.setdefault(ident, []).append(shown)
    return {ident: tuple(items) for ident, items in sorted(found.items())}


def _named(graph: Graph, lang: str, ident: str) -> tuple[str, ...]:
    """The events, calls and jobs of a language naming one partner."""
    return graph.get(("agenda-naming", lang)).get(ident, ())


def _next_change(graph: Graph) -> float | None:
    """("next-change",): the next instant a page's state changes, as a timestamp (None: nothing to come); computed again once it passes.

    The instants: an event's start, end and registration deadline, a call's opening, its 'closing soon' and its closing (a
    job's last two), a scheduled article's date. Each is compared with the clock through `reached`.
    """
    config = graph.get(("config",))
    if config is None:
        return None
    soon = config.closing_soon * DAY
    instants = set()
    for lang in config.langs:
        for kind in AGENDA:
            for shown in graph.get(("agenda", lang, kind)):
                timing: Timing = graph.get(("timing", shown))
                instants.update((timing.start, timing.end, timing.registration) if kind == "event" else (timing.start, timing.end - soon, timing.end))
    for _, shown, _ in graph.get(("pages",)).unpublished:
        head = graph.get(("head", shown))
        if head is not None and not head.draft and head.date is not None:  # scheduled (a date not reached is not published)
            instants.add(head.date)
    for moment in sorted(i for i in instants if abs(i) != NEVER):
        if not graph.reached(moment):
            return moment
    return None


def _archive_year(graph: Graph, lang: str, kind: str, year: int) -> tuple[str, ...]:
    """The archived items of one year."""
    return dict(graph.get(("agenda-archive", lang, kind))).get(year, ())


RULES = (
    Rule("timing", 5, _timing),
    Rule("state", 6, _state),
    Rule("registration", 6, _registration_open),
    Rule("agenda", 6, _items),
    Rule("agenda-current", 7, _current),
    Rule("agenda-archive", 7, _archive),
    Rule("agenda-year", 8, _archive_year, stored=False),
    Rule("agenda-naming", 7, _naming),
    Rule("next-change", 8, _next_change),
    Rule("agenda-named", 8, _named, stored=False),
)
