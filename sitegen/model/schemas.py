"""The shapes of front matter and data files: one definition for validation and JSON Schema."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo

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

    model_config = ConfigDict(extra="allow", frozen=True)

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

    @model_validator(mode="after")
    def _alt_with_image(self):
        """Alt text is required when an image is given."""
        if self.image and not (self.image_alt or "").strip():
            raise ValueError("image_alt is required when image is given: describe the picture for blind readers")
        return self


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
