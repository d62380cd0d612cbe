"""The shapes of front matter and data files: one definition for validation and JSON Schema."""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo, available_timezones

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ..checks.names import check_name

PARIS = ZoneInfo("Europe/Paris")
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOST_PATTERN = rf"^({_LABEL}\.)*{_LABEL}$"
# http(s), a host name, an optional port, then plain path segments (none starting with a dot; no
# quote, backslash, space, query or fragment): the path is written into every link of every page.
BASE_URL_PATTERN = rf"^https?://({_LABEL}\.)*{_LABEL}(:[0-9]{{1,5}})?(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?$"
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


def _fix_hint(text: str) -> str:
    """Suggest YYYY-MM-DD for a day/month/year date, or for a year-month-day one without leading zeros (2024-1-5)."""
    text = text.strip()
    found = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
    if found:
        day, month, year = (int(g) for g in found.groups())
    elif found := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(g) for g in found.groups())
    else:
        return ""
    try:
        return f"; try {date(year, month, day).isoformat()}"
    except ValueError:
        return ""


def parse_when(value: Any) -> Any:
    """Accept a YAML date, a datetime or a date string; give a timezone-aware datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=PARIS)
    if isinstance(value, date):
        return datetime.combine(value, time(), PARIS)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(DATE_PATTERN, text):
            parsed = _parse_date_string(text)
            if parsed:
                return parsed
        raise ValueError(f"must be a date like 2024-01-15, got {value!r}{_fix_hint(text)}")
    raise ValueError(f"must be a date like 2024-01-15, got {value!r}")


def _parse_date_string(text: str) -> datetime | None:
    """Parse the date strings Jekyll and Hugo editors write."""
    try:
        return parse_when(date.fromisoformat(text))
    except ValueError:
        pass
    for fmt in _DATETIME_FORMATS:
        try:
            return parse_when(datetime.strptime(text.replace("T", " "), fmt))
        except ValueError:
            continue
    try:
        return parse_when(datetime.fromisoformat(text))
    except ValueError:
        return None


def _plain_path(value: str) -> str:
    """An alias the host files can hold: no space, line break or character their syntax reads; accents composed (NFC)."""
    reason = check_name(value)
    if reason:
        raise ValueError(f"must be a plain path like /old-news/, but {reason.replace('the name ', 'it ', 1)}")
    return unicodedata.normalize("NFC", value)


def _comma_list(value: Any) -> Any:
    """Tags written as a string are a type error: say so clearly."""
    if isinstance(value, str):
        raise ValueError("must be a list, not a single string; write [a, b]")
    return value


# What one file may ask for: each of these is multiplied by the pages that show it (an article with
# 4,000 tags made 4,000 tag pages and feeds, each listing the 4,000 tags: 504 MB from 27 KB).
MAX_TAGS = 20  # tags of one article
MAX_ALIASES = 20  # old addresses of one article or page
MAX_IDS = 50  # partners or platforms one article (or platform) names
MAX_ENTRIES = 1000  # entries of one data file (partners, platforms...), and of each list in funding.yaml
MAX_ITEMS = 100  # a platform's services or equipment
MAX_TEXT = 5000  # characters of one text (each language's) in a data file or config.yaml
MAX_SUMMARY = 1000  # characters of a summary, an author, an image's alt text (shown in every listing and feed)

When = Annotated[datetime, BeforeValidator(parse_when), WithJsonSchema({"type": "string", "pattern": DATE_PATTERN})]
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
Slug = Annotated[str, Field(pattern=ID_PATTERN, max_length=120)]
Name = Annotated[str, Field(min_length=1, max_length=300)]
def _text_length(value: str | dict[str, str]) -> str | dict[str, str]:
    """A text, or each language's text, of at most MAX_TEXT characters (one error, whichever form it has)."""
    longest = max([value] if isinstance(value, str) else value.values(), key=len, default="")
    if len(longest) > MAX_TEXT:
        raise PydanticCustomError("string_too_long", "too long", {"max_length": MAX_TEXT, "length": len(longest)})
    return value


Short = Annotated[str, Field(max_length=MAX_SUMMARY)]
OneText = Annotated[str, Field(max_length=MAX_TEXT)]
LangText = Annotated[dict[Annotated[str, Field(pattern=r"^[a-z]{2}$")], str], Field(min_length=1, max_length=20)]
Text = Annotated[Union[str, LangText], AfterValidator(_text_length)]
IdList = Annotated[list[Id], BeforeValidator(_comma_list), Field(max_length=MAX_IDS)]
TagName = Annotated[str, Field(min_length=1, max_length=80)]
NameList = Annotated[list[TagName], BeforeValidator(_comma_list), Field(max_length=MAX_TAGS)]
Alias = Annotated[str, Field(max_length=500), AfterValidator(_plain_path)]


def _focus(value: Any) -> Any:
    """A focal point is two numbers from 0 to 1 (one message for every way of getting it wrong)."""
    numbers = isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    if not numbers or not all(0 <= v <= 1 for v in value):
        raise ValueError(f"must be [x, y], two numbers from 0 (left, top) to 1 (right, bottom), like [0.5, 0.3]; got {value!r}")
    return value


# The point of a picture to keep when it is cropped: [x, y] from the top left corner.
Focus = Annotated[list[Annotated[float, Field(ge=0, le=1)]], BeforeValidator(_focus), Field(min_length=2, max_length=2)]


class Strict(BaseModel):
    """A model that rejects unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Meta(BaseModel):
    """Front matter fields shared by articles and pages; unknown keys are kept to warn about."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    title: Name
    summary: Short | None = None
    draft: bool = False
    updated: When | None = None
    slug: Slug | None = None
    aliases: Annotated[list[Alias], BeforeValidator(_comma_list), Field(max_length=MAX_ALIASES)] = []
    image: Short | None = None
    image_alt: Short | None = None
    image_credit: Short | None = None  # shown under the picture
    image_focus: Focus | None = None
    extra: dict[str, Any] = {}


class ArticleMeta(_Meta):
    """Front matter of a news article."""

    date: When
    tags: NameList = []
    partners: IdList = []
    platforms: IdList = []
    author: Short | None = None


class PageMeta(_Meta):
    """Front matter of a standalone page."""

    date: When | None = None
    menu: Literal["main", "footer", "none"] = "none"
    weight: int = 0
    layout: Literal["page", "about", "accessibility"] = "page"


def parse_moment(value: Any) -> Any:
    """A day (a date) or an instant (a datetime, without a zone when none is written) from YAML or a string."""
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if text and re.fullmatch(DATE_PATTERN, text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        for fmt in _DATETIME_FORMATS:
            try:
                return datetime.strptime(text.replace("T", " "), fmt)
            except ValueError:
                continue
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"must be a day like 2024-01-15 or a day and time like 2024-01-15 14:30, got {value!r}{_fix_hint(text)}")


@cache
def _zone_names() -> frozenset[str]:
    """The IANA time zone names this machine knows."""
    return frozenset(available_timezones())


def _zone(value: str) -> str:
    """An IANA time zone name, like Europe/Paris or America/New_York."""
    if value not in _zone_names():
        close = difflib.get_close_matches(value, sorted(_zone_names()), n=1, cutoff=0.6)
        raise ValueError(f"must be a time zone like Europe/Paris or America/New_York, got {value!r}"
                         + (f"; did you mean {close[0]!r}?" if close else ""))
    return value


def instant(moment: date, zone: str, end: bool = False) -> datetime:
    """A day or a time as an aware datetime: a day starts at midnight in `zone`, and as an end it lasts until the next midnight."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))
    return datetime.combine(moment + timedelta(days=1) if end else moment, time(), ZoneInfo(zone))


Moment = Annotated[Union[date, datetime], BeforeValidator(parse_moment), WithJsonSchema({"type": "string", "pattern": DATE_PATTERN})]
Link = Annotated[str, Field(pattern=r"^(https?://|mailto:)\S+$", max_length=500)]
Zone = Annotated[str, Field(max_length=64), AfterValidator(_zone)]
# A document: a web address, a file beside index.md in a bundle, or a path under static/ starting with '/'.
DocumentLink = Annotated[str, Field(pattern=r"^(https?://\S+|/?[A-Za-z0-9_][A-Za-z0-9._/-]*)$", max_length=500)]
MAX_DOCUMENTS = 20


class Place(Strict):
    """Where an event or a job is: a name and an address, or online with a link (or both)."""

    name: Short | None = None
    address: Short | None = None
    online: bool = False
    link: Link | None = None

    @model_validator(mode="after")
    def _somewhere(self):
        """A place has a name or an address, or is online with a link."""
        if self.online and not self.link:
            raise ValueError("must have a 'link' when it is online (the address where people join)")
        if not (self.name or self.address or self.online):
            raise ValueError("must have a 'name' or an 'address', or 'online: true' with a 'link'")
        return self


class Document(Strict):
    """A document of a call for projects: its title and where it is."""

    title: Name
    link: DocumentLink


class _Agenda(_Meta):
    """Front matter shared by events, calls and jobs: their days and times are in `timezone` (else the site's)."""

    timezone: Zone | None = None
    tags: NameList = []

    def conflicts(self, zone: str) -> list[tuple[str, str, str]]:
        """(field, message, hint) for fields that contradict each other (days and times read in `zone`)."""
        return []

    def zone(self, default: str) -> str:
        """The time zone of its days and times: its own, else the site's."""
        return self.timezone or default

    def first(self) -> date:
        """Its first day or time: an event's start, a call's opening, a job's publication."""
        raise NotImplementedError

    def stamp(self, default_zone: str) -> datetime:
        """When its content dates from: `updated`, else its first day or time (what feeds and calendars date it by)."""
        return self.updated or instant(self.first(), self.zone(default_zone))


def shown_moment(moment: date) -> str:
    """A day or a time as editors write it: 2024-01-15, 2024-01-15 14:30 (with its UTC offset when it has one)."""
    if not isinstance(moment, datetime):
        return moment.isoformat()
    return moment.strftime("%Y-%m-%d %H:%M" + (":%S" if moment.second else "") + (" %z" if moment.tzinfo else ""))


def _before(later: tuple[str, date], earlier: tuple[str, date], zone: str, hint: str) -> list[tuple[str, str, str]]:
    """A conflict on `later` when it ends before `earlier` starts (a day lasts until midnight)."""
    (name, value), (other, first) = later, earlier
    if instant(value, zone, end=True) <= instant(first, zone):
        return [(name, f"'{name}' ({shown_moment(value)}) is before '{other}' ({shown_moment(first)})", hint)]
    return []


class EventMeta(_Agenda):
    """Front matter of an event: a seminar, a conference, a day of talks."""

    start: Moment
    end: Moment | None = None
    place: Place
    organisers: IdList = []
    registration: Link | None = None
    registration_deadline: Moment | None = None

    def first(self) -> date:
        """The start."""
        return self.start

    def conflicts(self, zone: str) -> list[tuple[str, str, str]]:
        """The end is of the start's kind and not before it; registration does not close after the event ends."""
        zone = self.zone(zone)
        if self.end is not None and isinstance(self.end, datetime) != isinstance(self.start, datetime):
            return [("end", "'end' and 'start' must both be days or both be days and times",
                     "write both like 2024-01-15, or both like 2024-01-15 14:30")]
        found = _before(("end", self.end), ("start", self.start), zone, "check the day and the time of 'end'") if self.end else []
        last = self.end or self.start
        deadline = self.registration_deadline
        if deadline is not None and not found and instant(deadline, zone, end=True) > instant(last, zone, end=True):
            found.append(("registration_deadline", f"'registration_deadline' ({shown_moment(deadline)}) is after the event ends",
                          "registration must close before the event ends"))
        return found


CONTRACTS = ("permanent", "fixed-term", "phd", "postdoc", "internship", "apprenticeship")


class CallMeta(_Agenda):
    """Front matter of a call for projects: who funds it, when it opens and closes, who may apply and how."""

    funders: Annotated[IdList, Field(min_length=1)]
    opens: Moment
    closes: Moment
    budget: Short | None = None
    eligibility: Annotated[str, Field(min_length=1, max_length=MAX_SUMMARY)]
    apply: Link
    documents: Annotated[list[Document], Field(max_length=MAX_DOCUMENTS)] = []

    def first(self) -> date:
        """The opening."""
        return self.opens

    def conflicts(self, zone: str) -> list[tuple[str, str, str]]:
        """The call closes after it opens."""
        return _before(("closes", self.closes), ("opens", self.opens), self.zone(zone), "check the day and the time of 'closes'")


class JobMeta(_Agenda):
    """Front matter of a job offer: the employer (a partner), the place, the contract, the closing day, how to apply."""

    date: When  # the day the offer is published (in the future: scheduled, as an article)
    employer: Id
    place: Place
    contract: Literal["permanent", "fixed-term", "phd", "postdoc", "internship", "apprenticeship"]
    hours: Literal["full-time", "part-time"] = "full-time"
    closes: Moment
    apply: Link

    def first(self) -> date:
        """The day it is published."""
        return self.date


PARTNER_TYPES = ("academic", "hospital", "industry", "public-authority", "ecosystem")


class Partner(Strict):
    """A member or partner of the biocluster."""

    id: Id
    name: Text
    short_name: Name | None = None
    type: Literal["academic", "hospital", "industry", "public-authority", "ecosystem"]
    founding_member: bool = False
    website: Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)] | None = None
    logo: Short | None = None
    location: Text | None = None
    description: Text


class Platform(Strict):
    """A research platform."""

    id: Id
    name: Text
    status: Literal["to-be-announced", "planned", "being-built", "open"]
    summary: Text
    services: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []
    equipment: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []
    contact: Text | None = None
    location: Text | None = None
    partners: IdList = []


MILESTONE_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _milestone_date(value: int | date | str) -> int | date | str:
    """A milestone's year, month (2024-05) or day: one that exists."""
    if isinstance(value, date):
        return value
    text = str(value)
    if not re.fullmatch(MILESTONE_DATE, text):
        raise ValueError(f"must be a year, a month or a day, like 2024, 2024-05 or 2024-05-17, got {value!r}")
    parts = [int(part) for part in text.split("-")]
    try:
        date(parts[0], *(parts[1:] + [1, 1])[:2])
    except ValueError as exc:
        raise ValueError(f"must be a real month or day, like 2024-05 or 2024-05-17, got {value!r} ({exc})") from None
    return value


MilestoneDate = Annotated[
    Union[int, date, str],
    AfterValidator(_milestone_date),
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": MILESTONE_DATE}]}),
]


class Milestone(Strict):
    """A dated step of the biocluster's history or plan."""

    date: MilestoneDate
    title: Text
    description: Text | None = None
    status: Literal["done", "planned"]


class Figure(Strict):
    """A key figure on the home page."""

    value: Annotated[float, Field(ge=0)]
    max: Annotated[float, Field(ge=0)] | None = None
    kind: Literal["money", "number"] = "number"
    label: Text


class Programme(Strict):
    """The national programme the biocluster is funded from."""

    name: Text
    plan: OneText
    operator: Id | None = None
    total: Annotated[int, Field(gt=0)]


class Source(Strict):
    """One source of funding."""

    id: Id
    programme: Text
    funder: Text
    amount: Annotated[int, Field(gt=0)]
    awarded: date | None = None
    period: Text | None = None


class Allocation(Strict):
    """One use of the funding."""

    id: Id
    purpose: Text
    amount: Annotated[int, Field(gt=0)]
    period: Text | None = None


class Funding(Strict):
    """The funding file: the programme, the sources and how the money is allocated."""

    programme: Programme
    sources: Annotated[list[Source], Field(max_length=MAX_ENTRIES)]
    allocations: Annotated[list[Allocation], Field(max_length=MAX_ENTRIES)] = []


LINK_PATTERN = r"^(/|https://|mailto:)[^\s\"'<>]*$"
Link = Annotated[str, Field(pattern=LINK_PATTERN, max_length=500)]


def _links(value: str | dict[str, str]) -> str | dict[str, str]:
    """A link, or each language's link: an address of the site, an https:// link or a mailto: link."""
    for link in [value] if isinstance(value, str) else value.values():
        if not re.fullmatch(LINK_PATTERN, link) or len(link) > 500:
            raise ValueError(f"must be an address of this site (/contact/), an https:// link or a mailto: link, got {link!r}")
    return value


LinkText = Annotated[Union[str, LangText], AfterValidator(_links)]
Criterion = Annotated[str, Field(pattern=r"^\d{1,2}\.\d{1,2}$")]


class Failure(Strict):
    """An RGAA criterion the audit found not met, and what it affects."""

    criterion: Criterion
    description: Text


class Audit(Strict):
    """The RGAA audit of the site: when, against which version, by whom, and what it found."""

    date: date
    rgaa_version: Annotated[str, Field(pattern=r"^\d+(\.\d+){0,2}$")]
    auditor: Text
    rate: Annotated[float, Field(ge=0, le=100)]
    non_compliant: Annotated[list[Failure], Field(max_length=MAX_ITEMS)] = []
    pages: Annotated[list[Link], Field(max_length=MAX_ITEMS)] = []
    technologies: Annotated[list[Name], Field(max_length=MAX_ITEMS)] = []
    environment: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []
    tools: Annotated[list[Name], Field(max_length=MAX_ITEMS)] = []

    @model_validator(mode="after")
    def _full_means_no_failure(self):
        """An audit that met every criterion lists none as not met."""
        if self.rate == 100 and self.non_compliant:
            raise ValueError("a rate of 100 means every criterion is met, yet non_compliant lists some: correct the rate or the list")
        return self


class Accessibility(Strict):
    """The accessibility statement's record: the audit (none yet is allowed), exemptions, the contact route and plans."""

    entity: Text
    audit: Audit | None = None
    disproportionate_burden: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []
    not_subject: Annotated[list[Text], Field(max_length=MAX_ITEMS)] = []
    contact: LinkText
    statement_date: date | None = None
    plan: LinkText | None = None


# Each data file: its name and the type of its whole content.
DATA_FILES: dict[str, Any] = {
    "partners": Annotated[list[Partner], Field(max_length=MAX_ENTRIES)],
    "platforms": Annotated[list[Platform], Field(max_length=MAX_ENTRIES)],
    "milestones": Annotated[list[Milestone], Field(max_length=MAX_ENTRIES)],
    "figures": Annotated[list[Figure], Field(max_length=MAX_ENTRIES)],
    "funding": Funding,
    "accessibility": Accessibility,
}
OPTIONAL_DATA = ("accessibility",)  # files a site may go without (the pages that use them say so)
