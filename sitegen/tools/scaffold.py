"""`build.py new`: a ready-to-edit article, page, event, call or job with every optional field explained."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import yaml
from slugify import slugify

from ..model.addresses import localize, names_of
from ..model.config import Config
from ..model.schemas import ID_PATTERN
from ..model.sources import TITLE_SLUG

MAX_SLUG = 120  # as the front matter's slug

ARTICLE = '''---
title: {title}
date: {today}
draft: true                 # delete this line to publish
# summary: "One or two sentences for listings and feeds (default: the first paragraph)."
# tags: [immunotherapy, platforms]      # topics; each has a page at /tags/<tag>/
# partners: [amu, inserm]               # ids from content/data/partners.yaml
# platforms: [platform-1]               # ids from content/data/platforms.yaml
# author: "{author}"
# image: photo.jpg                      # the lead picture: beside index.md in a bundle, or /images/... under static/
# image_alt: "What the picture shows"   # required when image is given
# image_credit: "© Photographer"        # shown under the picture
# image_focus: [0.5, 0.3]               # the point kept when it is cropped for link previews (default: the centre)
# updated: {today}                      # the date of the last real change
# slug: {slug}                          # the URL name (default: {slug_default})
# aliases: [/old/address/]              # old addresses that should redirect here
---
{body}'''

BODIES = {
    "en": """Write the first paragraph here: it is the summary when none is given.

## A subheading

More text, [a link to the partners](PARTNERS), and lists:

- one point
- another point
""",
    "fr": """Écrivez ici le premier paragraphe : il sert de résumé quand aucun n'est donné.

## Un intertitre

D'autres phrases, [un lien vers les partenaires](PARTNERS), et des listes :

- un point
- un autre point
""",
}

PAGE = '''---
title: {title}
draft: true                 # delete this line to publish
# summary: "One sentence for search engines and link previews."
# menu: footer                          # main, footer or none (default)
# weight: 50                            # order in the menu: smaller first
# slug: {slug}                          # the URL name (default: {slug_default})
# aliases: [/old/address/]
---
Write the page here in Markdown.
'''


# The agenda's drafts: the required fields filled with examples to change (a partner id from
# partners.yaml, days four weeks from today), the optional ones commented out.
EVENT = '''---
title: {title}
draft: true                 # delete this line to publish
start: {later} 09:30        # a day (2025-03-14), or a day and a time (2025-03-14 09:30)
end: {later} 17:00          # optional; of the same kind as start
place:
  name: "The room or building"
  address: "Street, postcode, city"
  # online: true                        # for an online or hybrid event, with its link:
  # link: https://example.org/meeting
# organisers: [{partner}]               # ids from content/data/partners.yaml
# registration: https://example.org/register
# registration_deadline: {soon}
# timezone: Europe/Paris                # when its days and times are not the site's time zone
# summary: "One or two sentences for listings, feeds and calendars (default: the first paragraph)."
# tags: [seminar]
{common}---
{body}'''

CALL = '''---
title: {title}
draft: true                 # delete this line to publish
funders: [{partner}]{funders_note}
opens: {today}              # a day, or a day and a time (2025-03-14 12:00)
closes: {later} 12:00       # a day alone closes at the end of that day
eligibility: "Who may apply, in one or two sentences."
apply: https://example.org/apply        # where to apply (or mailto:address@example.org)
# budget: "Up to 50,000 euros per project"
# documents:                            # files beside index.md in a bundle, under static/ ('/...'), or web addresses
#   - {{title: "Rules of the call", link: rules.pdf}}
# timezone: Europe/Paris
# summary: "One or two sentences for listings and feeds (default: the first paragraph)."
# tags: [funding]
{common}---
{body}'''

JOB = '''---
title: {title}
draft: true                 # delete this line to publish
date: {today}               # the day it is published (a day in the future schedules it)
employer: {partner}{employer_note}
place:
  name: "The site or campus"
  address: "Street, postcode, city"
contract: fixed-term        # permanent, fixed-term, phd, postdoc, internship or apprenticeship
# hours: part-time                      # full-time (default) or part-time
closes: {later}             # the last day to apply (or a day and a time)
apply: mailto:jobs@example.org          # where to apply: a web address or mailto:
# timezone: Europe/Paris
# summary: "One or two sentences for listings and feeds (default: the first paragraph)."
# tags: [postdoc]
{common}---
{body}'''

AGENDA_COMMON = '''# image: photo.jpg                      # beside index.md in a bundle, or /images/... under static/
# image_alt: "What the picture shows"   # required when image is given
# updated: {today}                      # the day of the last real change
# slug: {slug}                          # the URL name (default: {slug_default})
# aliases: [/old/address/]
'''

AGENDA = {"event": EVENT, "call": CALL, "job": JOB}
FOLDERS = {"news": "news", "page": "pages", "event": "events", "call": "calls", "job": "jobs"}
ADDRESSES = {"news": "/news/", "page": "/", "event": "/events/", "call": "/calls/", "job": "/jobs/"}
AHEAD = timedelta(weeks=4)  # an agenda draft's days: four weeks from today


def new_file(root: Path, config: Config, kind: str, title: str, lang: str | None, bundle: bool, slug: str | None, today: date) -> tuple[Path, str]:
    """Write a new draft; returns its path and URL. Raises FileExistsError or ValueError (then nothing is written)."""
    lang = lang or config.default_language
    if lang not in config.languages:
        raise ValueError(f"unknown language '{lang}': the site's languages are {', '.join(config.langs)}")
    if re.search(r"[\x00-\x1f\x7f]", title):
        raise ValueError("the title contains a control character (a line break, a tab...): write it on one line")
    slug = check_slug(slug) if slug is not None else slugify(title, max_length=MAX_SLUG, word_boundary=True)
    if not slug:
        raise ValueError("the title gives an empty file name: pass --slug")
    suffix = "" if lang == config.default_language else f".{lang}"
    folder = root / "content" / FOLDERS[kind]
    path = folder / slug / f"index{suffix}.md" if bundle else folder / f"{slug}{suffix}.md"
    if path.exists():
        raise FileExistsError(path)
    text = _text(root, config, kind, title, lang, slug, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    name = slug if lang == config.default_language else slugify(title, max_length=TITLE_SLUG, word_boundary=True) or slug
    return path, _address(root, config, lang, ADDRESSES[kind]) + name + "/"


def _text(root: Path, config: Config, kind: str, title: str, lang: str, slug: str, today: date) -> str:
    """The new file's text: the kind's template filled in."""
    fields = {"title": _yaml_string(title), "today": today.isoformat(), "slug": slug,
              "slug_default": "the file name" if lang == config.default_language else "the title",
              "body": BODIES.get(lang, BODIES["en"]).replace("PARTNERS", _address(root, config, lang, "/partners/"))}
    if kind not in AGENDA:
        return (ARTICLE if kind == "news" else PAGE).format(author=config.text(config.author, lang), **fields)
    partner = _first_partner(root)
    note = "   # ids from content/data/partners.yaml" if partner else "   # an id from content/data/partners.yaml"
    return AGENDA[kind].format(common=AGENDA_COMMON.format(**fields), partner=partner or "partner-id", later=(today + AHEAD).isoformat(),
                               soon=(today + AHEAD - timedelta(weeks=1)).isoformat(), funders_note=note, employer_note=note, **fields)


def _first_partner(root: Path) -> str:
    """The first partner id of content/data/partners.yaml ("" when there is none or it cannot be read)."""
    try:
        entries = yaml.safe_load((root / "content" / "data" / "partners.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    first = entries[0] if isinstance(entries, list) and entries and isinstance(entries[0], dict) else {}
    ident = first.get("id")
    return ident if isinstance(ident, str) and re.fullmatch(ID_PATTERN, ident) else ""


def _address(root: Path, config: Config, lang: str, path: str) -> str:
    """A path as the language's address, in the words of its strings file (the keys when it cannot be read)."""
    try:
        texts = yaml.safe_load((root / "templates" / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        texts = None
    return config.prefix(lang) + localize(path, names_of(texts) if isinstance(texts, dict) else {})


def check_slug(slug: str) -> str:
    """A --slug given on the command line, refused (ValueError) unless it is a plain name: never a path."""
    if not re.fullmatch(ID_PATTERN, slug) or len(slug) > MAX_SLUG:
        raise ValueError(f"--slug {slug!r} is not a plain name: use lowercase letters, digits and hyphens "
                         f"(at most {MAX_SLUG}), like official-launch; nothing was written")
    return slug


def _yaml_string(text: str) -> str:
    """A title as a double-quoted YAML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
