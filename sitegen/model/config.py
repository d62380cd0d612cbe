"""Site settings from config.yaml, validated as a whole before anything else runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator

from ..graph.core import Graph, Rule
from ..graph.inputs import read_input, unreadable
from ..problems import Problems
from .cms_settings import CmsSettings
from .schemas import BASE_URL_PATTERN, HOST_PATTERN, Strict, Text
from .validation import validate
from .yamlio import decode_text, parse_yaml, read_text

Section = Literal["news", "platforms", "partners", "funding", "about", "search", "events", "calls", "jobs"]


class Language(Strict):
    """One language of the site."""

    name: str
    locale: str


class Images(Strict):
    """How pictures are published: the limits an image must stay within, and the widths and quality of its smaller copies."""

    max_pixels: Annotated[int, Field(ge=1, le=200_000_000)] = 40_000_000  # width × height, checked before the pixels are decoded
    max_bytes: Annotated[int, Field(ge=1, le=200_000_000)] = 20_000_000  # the file's size, checked before it is read
    widths: Annotated[list[Annotated[int, Field(ge=16, le=4096)]], Field(min_length=1, max_length=6)] = [480, 960, 1600]
    quality: Annotated[int, Field(ge=30, le=95)] = 80  # of JPEG, WebP and AVIF copies
    cards: bool = True  # a generated preview card for each article without a photo (some 5 ms each); false: the site's picture


def _shown_default(model: type[Strict]) -> Callable[[dict[str, Any]], None]:
    """A section's defaults in the JSON schema editors' tools read, made with the schema.

    The section's default is made by a factory, when a config without it is read: an instance as
    the field's default would build the section's validator whenever this module is imported.
    """
    return lambda schema: schema.setdefault("default", model().model_dump(mode="json"))


class Config(Strict):
    """Everything config.yaml may say."""

    title: Text
    description: Text
    base_url: Annotated[str, Field(pattern=BASE_URL_PATTERN)]
    default_language: str
    languages: dict[Annotated[str, Field(pattern=r"^[a-z]{2}$")], Language]
    timezone: str = "Europe/Paris"
    per_page: Annotated[int, Field(ge=1, le=100)] = 10
    closing_soon: Annotated[int, Field(ge=0, le=365)] = 14  # days before a call or job closes that it shows as closing soon
    feed_limit: Annotated[int, Field(ge=1, le=100)] = 20  # entries of each feed (each with its body): bounded, as there is a feed per tag
    author: Text
    main_menu: list[Section] = ["news", "platforms", "partners", "funding", "about"]
    iframe_allow: list[Annotated[str, Field(pattern=HOST_PATTERN, max_length=253)]] = []  # host names, also in the CSP
    output: str = "public"
    # "redirect": the pages of the other languages also answer, as permanent redirects, at the addresses
    # the default language's words would give them (/fr/news/x/ for /fr/actualites/y/).
    untranslated_addresses: Literal["redirect", "none"] = "none"
    images: Images = Field(default_factory=Images, json_schema_extra=_shown_default(Images))
    cms: CmsSettings = Field(default_factory=CmsSettings, json_schema_extra=_shown_default(CmsSettings))  # the browser editor: Git host, /admin/

    @model_validator(mode="after")
    def _default_is_listed(self):
        """The default language must be one of the languages."""
        if self.default_language not in self.languages:
            raise ValueError(f"default_language '{self.default_language}' is not one of languages: {', '.join(self.languages)}")
        return self

    @property
    def base_path(self) -> str:
        """The path part of base_url, without a trailing slash ('' at a domain's root)."""
        return urlsplit(self.base_url).path.rstrip("/")

    @property
    def site_url(self) -> str:
        """base_url without a trailing slash."""
        return self.base_url.rstrip("/")

    def prefix(self, lang: str) -> str:
        """The URL prefix of a language: '' for the default, '/fr' for the others."""
        return "" if lang == self.default_language else f"/{lang}"

    @cached_property
    def langs(self) -> list[str]:
        """The languages, default first."""
        return [self.default_language] + sorted(k for k in self.languages if k != self.default_language)

    def text(self, value: Text, lang: str) -> str:
        """A config text in one language, falling back to the default language."""
        if isinstance(value, str):
            return value
        return value.get(lang) or value.get(self.default_language) or next(iter(value.values()))


def base_url_problem(url: str) -> str | None:
    """What is wrong with a base URL given on the command line (None: nothing)."""
    if re.fullmatch(BASE_URL_PATTERN, url):
        return None
    return f"{url!r} is not an address like https://example.org/ or https://example.org/portal/ (letters, digits, '.', '-', '_', '~' and '/' only)"


def load_config(path: Path, problems: Problems, base_url: str | None = None) -> Config | None:
    """Read and validate config.yaml; None after recording problems."""
    shown = path.name
    text = read_text(path, problems, shown)
    if text is None:
        return None
    return parse_config(text, shown, problems, base_url)


def parse_config(text: str, shown: str, problems: Problems, base_url: str | None = None) -> Config | None:
    """Validate the text of config.yaml; None after recording problems."""
    doc = parse_yaml(text, shown, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.error(shown, 1, "config.yaml must be a mapping of settings", "see the README for an example")
        return None
    if base_url:
        doc.data["base_url"] = base_url
    return validate(Config, doc, shown, problems)


def config_rule(graph: Graph) -> Config | None:
    """("config",): the settings, with --base-url applied; None after a problem (nothing else can be built)."""
    shown = graph.resources["config_name"]
    raw = read_input(graph, graph.resources["root"], shown)
    found = Problems()
    config = None
    if raw is None:
        found.error(shown, 0, unreadable(graph.resources["root"], shown))
    else:
        text = decode_text(raw, found, shown)
        config = parse_config(text, shown, found, graph.get(("option", "base_url"))) if text is not None else None
    for problem in found:
        graph.problem(problem)
    return config


def setting(graph: Graph, name: str) -> Any:
    """One setting of config.yaml; its default while the file has errors (they fail the build; the values read meanwhile must not)."""
    config = graph.get(("config",))
    return getattr(config, name) if config is not None else Config.model_fields[name].default


RULES = (Rule("config", 1, config_rule),)
