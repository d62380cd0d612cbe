"""`build.py new`: a ready-to-edit article or page with every optional field explained."""

from __future__ import annotations

import re
from datetime import date
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
    folder = root / "content" / ("news" if kind == "news" else "pages")
    path = folder / slug / f"index{suffix}.md" if bundle else folder / f"{slug}{suffix}.md"
    if path.exists():
        raise FileExistsError(path)
    text = (ARTICLE if kind == "news" else PAGE).format(
        title=_yaml_string(title), today=today.isoformat(), slug=slug, author=config.text(config.author, lang),
        body=BODIES.get(lang, BODIES["en"]).replace("PARTNERS", _address(root, config, lang, "/partners/")),
        slug_default="the file name" if lang == config.default_language else "the title",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    name = slug if lang == config.default_language else slugify(title, max_length=TITLE_SLUG, word_boundary=True) or slug
    return path, _address(root, config, lang, "/news/" if kind == "news" else "/") + name + "/"


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
