"""The browser editor's configuration (Decap CMS's config.yml), made from the models the build validates with.

Each field's widget, whether it is required and its pattern come from the JSON Schema of the
model (`adapter(model).json_schema()`), so the editor asks for what the build accepts. A text
that may be written per language (a plain string or `{en: ..., fr: ...}`) is one field per
language. The list data files (partners, platforms...) are YAML lists, which Decap cannot edit
as a whole file: the CMS backend shows each as a map with one key, the file's name (see
cms_files.py), and the configuration describes that map.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..model.cms_settings import CmsSettings
from ..model.config import Config
from ..model.schemas import DATA_FILES, DATE_PATTERN, ID_PATTERN, MILESTONE_DATE, ArticleMeta, CallMeta, EventMeta, JobMeta, PageMeta
from ..model.validation import adapter

API_PATH = "/api/v1"
LOCAL_BACKEND = {"name": "proxy", "proxy_url": API_PATH, "branch": "main"}  # the preview's backend (cms_backend.py)
MEDIA_FOLDER = "static/images/uploads"  # where pictures added in the browser go
PUBLIC_FOLDER = "/images/uploads"  # how pages name them
LIST_FILES = ("partners", "platforms", "milestones", "figures")
SECTIONS = {"news": ("News", ArticleMeta), "pages": ("Pages", PageMeta), "events": ("Events", EventMeta), "calls": ("Calls for projects", CallMeta),
            "jobs": ("Jobs", JobMeta)}
RELATIONS = ("partners", "platforms")  # lists of ids of these data files' entries: selects of the ids there are
SKIPPED = ("extra",)  # free-form maps: edited in the file, not in the browser
PATTERN_HINTS = {
    ID_PATTERN: "lowercase letters, digits and hyphens, like my-name",
    MILESTONE_DATE: "a year, a month or a day, like 2024, 2024-05 or 2024-05-17",
}
HINTS = {  # help under a field, from the editor's guide
    "title": "The page's title; the address comes from the file name, or from 'slug'.",
    "date": "YYYY-MM-DD. A date in the future means scheduled: the article is published from that day.",
    "summary": "Shown in listings and feeds; without it, the first paragraph is used.",
    "draft": "A draft is shown in the preview only, never published.",
    "slug": "The address's last part: lowercase letters, digits and hyphens. Give the French version a French slug.",
    "image": "A picture of static/ (starting with /), for example /images/uploads/launch.jpg.",
    "image_alt": "Required with an image: say what the picture shows, for readers who cannot see it.",
    "aliases": "Old addresses of this page: each one redirects here.",
    "partners": "The partners it names: type to search the ids of the partners file.",
    "platforms": "The platforms it names: type to search the ids of the platforms file.",
}
BUNDLE_IMAGE = "A picture beside the article, in its folder: choose it or upload it here; it is named without a folder (photo.jpg)."
DATA_HINTS = {
    "id": "Lowercase, hyphenated; used in addresses and named by articles. Never change it once published.",
    "partners": "The partners of this platform: type to search the ids of the partners file.",
    "date": "A year, a month or a day: 2024, 2024-05 or 2024-05-17 (a milestone); YYYY-MM-DD (a date).",
    "value": "A number; euros written in full for money (97000000).",
    "description": "One or two sentences in each language.",
}


def cms_config(config: Config, local: bool = False) -> dict[str, Any]:
    """The whole Decap configuration for a site with these settings: for config.yaml's Git host, or (`local`) for the preview's backend."""
    langs = [config.default_language, *[lang for lang in config.languages if lang != config.default_language]]
    settings = config.cms
    git = not local and settings.backend != "local"
    workflow = {"publish_mode": settings.publish_mode} if git and settings.publish_mode == "editorial_workflow" else {}
    return {
        "backend": git_backend(settings) if git else dict(LOCAL_BACKEND),
        **workflow,
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "locale": "en",
        "i18n": {"structure": "multiple_files", "locales": langs, "default_locale": config.default_language},
        "collections": [*[_section(name, label) for name, (label, _) in SECTIONS.items()], _bundles("news"), _data_files(langs)],
    }


def git_backend(settings: CmsSettings) -> dict[str, Any]:
    """Decap's `backend:` for a Git host: the repository and branch, and how editors log in (an OAuth server for GitHub, PKCE elsewhere)."""
    backend: dict[str, Any] = {"name": settings.backend, "repo": settings.repo, "branch": settings.branch}
    if settings.backend == "gitlab":
        backend |= {"auth_type": "pkce", "app_id": settings.app_id}
    elif settings.backend == "gitea":
        backend["app_id"] = settings.app_id
    optional = {"base_url": settings.base_url, "auth_endpoint": settings.auth_endpoint, "api_root": settings.api_root}
    return backend | {key: value for key, value in optional.items() if value is not None}


def _section(name: str, label: str) -> dict[str, Any]:
    """A folder collection of Markdown files, each language in its own file (x.md, x.fr.md)."""
    model = SECTIONS[name][1]
    fields = [{**field, "i18n": True} for field in _hinted(_fields(adapter(model).json_schema(), []), HINTS)]
    fields.append({"name": "body", "label": "Body", "widget": "markdown", "i18n": True})
    return {
        "name": name, "label": label, "folder": f"content/{name}", "create": True, "extension": "md", "format": "frontmatter",
        "slug": "{{slug}}", "summary": "{{title}}", "i18n": True, "fields": fields,
    }


def _bundles(name: str) -> dict[str, Any]:
    """The same section's bundles: x/index.md (x/index.fr.md), their pictures beside them, named without a folder (image: photo.jpg)."""
    section = _section(name, SECTIONS[name][0])
    fields = [{**field, "hint": BUNDLE_IMAGE} if field["name"] == "image" else field for field in section["fields"]]
    top = {"name": f"{name}_bundles", "label": f"{section['label']} (bundles)", "label_singular": f"{section['label']} bundle",
           "folder": section["folder"], "path": "{{slug}}/index", "media_folder": "", "public_folder": ""}
    return top | {key: value for key, value in section.items() if key not in top} | {"fields": fields}


def _data_files(langs: list[str]) -> dict[str, Any]:
    """One file collection holding every data file."""
    files = []
    for name, kind in DATA_FILES.items():
        schema = adapter(kind).json_schema()
        fields = [_entry_list(name, schema, langs)] if name in LIST_FILES else _fields(schema, langs)
        files.append({"name": name, "label": _label(name), "file": f"content/data/{name}.yaml", "fields": _hinted(fields, DATA_HINTS)})
    return {"name": "data", "label": "Data files", "format": "yaml", "editor": {"preview": False}, "files": files}


def _entry_list(name: str, schema: dict[str, Any], langs: list[str]) -> dict[str, Any]:
    """The one field of a list data file as the CMS sees it: the list of its entries, shown open (no field hidden)."""
    field = {"name": name, "label": _label(name), **_widget(schema, schema.get("$defs", {}), langs)}
    first = field["fields"][0]["name"]
    return {**field, "collapsed": False, "summary": "{{fields." + first + "}}"}


def _fields(schema: dict[str, Any], langs: list[str]) -> list[dict[str, Any]]:
    """The fields of an object schema, in the model's order."""
    defs = schema.get("$defs", {})
    schema = _resolve(schema, defs)
    required = set(schema.get("required", []))
    return [_field(name, sub, defs, name in required, langs) for name, sub in schema.get("properties", {}).items() if name not in SKIPPED]


def _field(name: str, schema: dict[str, Any], defs: dict[str, Any], required: bool, langs: list[str]) -> dict[str, Any]:
    """One Decap field for one property."""
    schema = _resolve(schema, defs)
    options = [_resolve(option, defs) for option in schema.get("anyOf", [schema])]
    options = [option for option in options if option.get("type") != "null"]
    field: dict[str, Any] = {"name": name, "label": _label(name)}
    if not required:
        field["required"] = False
    if any(option.get("type") == "object" and "patternProperties" in option for option in options) and langs:
        texts = [{"name": lang, "label": lang, "widget": "text", "required": required} for lang in langs]
        return {**field, "widget": "object", "collapsed": False, "fields": texts}
    if name == "image":
        return {**field, "widget": "image", "choose_url": False}
    if name in RELATIONS and options[0].get("type") == "array":
        return {**field, **_relation(name)}
    patterned = [option for option in options if "pattern" in option]
    field = {**field, **_widget((patterned or options)[0], defs, langs)}
    return field if required or "fields" not in field or field["widget"] != "object" else {**field, "fields": _loosened(field["fields"])}


def _loosened(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields of an optional group (an accessibility audit not made yet) all optional: the build says what a given one lacks."""
    return [{**field, "required": False, **({"fields": _loosened(field["fields"])} if field.get("widget") == "object" else {})}
            for field in fields]


def _hinted(fields: list[dict[str, Any]], hints: dict[str, str]) -> list[dict[str, Any]]:
    """Fields with the help text of their name, at every depth."""
    hinted = []
    for field in fields:
        field = {**field, **({"hint": hints[field["name"]]} if field["name"] in hints else {})}
        if "fields" in field:
            field["fields"] = _hinted(field["fields"], hints)
        hinted.append(field)
    return hinted


def _relation(name: str) -> dict[str, Any]:
    """A select of the ids of a list data file's entries (partners, platforms), several at once."""
    ids = f"{name}.*.id"
    return {"widget": "relation", "collection": "data", "file": name, "value_field": ids, "search_fields": [ids], "display_fields": [ids],
            "multiple": True}


def _widget(schema: dict[str, Any], defs: dict[str, Any], langs: list[str]) -> dict[str, Any]:
    """The widget and its settings for one (non-null) schema."""
    kind = schema.get("type")
    if "enum" in schema:
        return {"widget": "select", "options": list(schema["enum"])}
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind in ("integer", "number"):
        return {"widget": "number", "value_type": "int" if kind == "integer" else "float"} | _bounds(schema)
    if kind == "array":
        items = _resolve(schema.get("items", {}), defs)
        if items.get("type") == "object" and "properties" in items:
            return {"widget": "list", "fields": _fields({**items, "$defs": defs}, langs)}
        return {"widget": "list", "field": _field("item", items, defs, True, langs)}
    if kind == "object":
        return {"widget": "object", "fields": _fields({**schema, "$defs": defs}, langs)}
    if schema.get("format") == "date" or schema.get("pattern") == DATE_PATTERN:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    if "pattern" in schema:
        return {"widget": "string", "pattern": [schema["pattern"], PATTERN_HINTS.get(schema["pattern"], f"must match {schema['pattern']}")]}
    return {"widget": "string"}


def _bounds(schema: dict[str, Any]) -> dict[str, Any]:
    """min and max of a number field."""
    bounds = {}
    if "minimum" in schema or "exclusiveMinimum" in schema:
        bounds["min"] = schema.get("minimum", schema.get("exclusiveMinimum"))
    if "maximum" in schema:
        bounds["max"] = schema["maximum"]
    return bounds


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A schema with its $ref followed."""
    ref = schema.get("$ref")
    return defs[ref.rsplit("/", 1)[-1]] if ref else schema


def _label(name: str) -> str:
    """A field's label from its name: image_alt gives 'Image alt'."""
    return name.replace("_", " ").capitalize()


def config_text(config: Config, local: bool = False) -> str:
    """The configuration as YAML: stable, for a committed file, the published /admin/ and (`local`) the preview."""
    return "# Made by 'python build.py cms' from the models the build validates with: do not edit by hand.\n" + yaml.safe_dump(
        cms_config(config, local), sort_keys=False, allow_unicode=True, width=120)


def write_cms_config(config: Config, folder: Path) -> Path:
    """Write config.yml (for config.yaml's backend) into a folder; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.yml"
    path.write_text(config_text(config), encoding="utf-8")
    return path
