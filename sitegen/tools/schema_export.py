"""JSON Schema files for editors' tools, made from the very models the build validates with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model.config import Config
from ..model.schemas import DATA_FILES, ArticleMeta, CallMeta, EventMeta, JobMeta, PageMeta
from ..model.validation import adapter

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name to JSON Schema for front matter, each data file and config.yaml."""
    schemas = {
        "article.schema.json": _front_matter(ArticleMeta, "Front matter of a news article (content/news/*.md)"),
        "page.schema.json": _front_matter(PageMeta, "Front matter of a page (content/pages/*.md)"),
        "event.schema.json": _front_matter(EventMeta, "Front matter of an event (content/events/*.md)"),
        "call.schema.json": _front_matter(CallMeta, "Front matter of a call for projects (content/calls/*.md)"),
        "job.schema.json": _front_matter(JobMeta, "Front matter of a job offer (content/jobs/*.md)"),
        "config.schema.json": _titled(adapter(Config).json_schema(), "config.yaml"),
    }
    for name, kind in DATA_FILES.items():
        schemas[f"{name}.schema.json"] = _titled(adapter(kind).json_schema(), f"content/data/{name}.yaml")
    return schemas


def _front_matter(model: Any, title: str) -> dict[str, Any]:
    """Front matter schema: unknown keys flagged, since the build warns about them as likely typos."""
    schema = _titled(adapter(model).json_schema(), title)
    schema["additionalProperties"] = False
    return schema


def _titled(schema: dict[str, Any], title: str) -> dict[str, Any]:
    """A schema with its $schema and title set."""
    return {"$schema": SCHEMA_URL, **schema, "title": title}


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema as stable, pretty JSON; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in sorted(all_schemas().items()):
        path = folder / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
