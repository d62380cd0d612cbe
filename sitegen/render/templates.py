"""Jinja2 environment, template errors as problems, and turning routes into outputs."""

from __future__ import annotations

import contextlib
import json
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..model.paths import inside
from ..model.paths import shown as _shown
from ..model.site import BODY_WATCH, Page
from ..problems import Problems
from ..publish.hosting import content_security_policy

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


class SiteLoader(jinja2.FileSystemLoader):
    """Loads templates from templates/ only: a link pointing outside the site is refused."""

    def __init__(self, folder: Path, root: Path):
        super().__init__(str(folder))
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str):
        """The template's source, unless the file resolves outside the site's folder."""
        source, filename, uptodate = super().get_source(environment, template)
        if not inside(Path(filename), self.root):
            raise jinja2.TemplateNotFound(template, f"templates/{template} links outside the site's folder")
        return source, filename, uptodate


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in .cache/jinja; a full disk only means compiling them again next time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a compiled template, if there is room."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class SiteEnvironment(jinja2.Environment):
    """Jinja's environment, with `page.url` on a plain dict looked up by key at once.

    Jinja tries an attribute first and falls back to the key: on a dict that is an exception
    raised and caught for each `page.title`, `item.url`..., hundreds per page. Looking up the
    key first when the name is not one of dict's own attributes gives the very same result.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` in a template."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if type(obj) is Page:
            BODY_WATCH.saw(attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """`obj[argument]` in a template (and `attribute=` in filters), which falls back to the attribute."""
        if type(obj) is Page and isinstance(argument, str):
            BODY_WATCH.saw(argument)
        return super().getitem(obj, argument)


def make_env(templates: Path, bytecode: Path | None = None) -> jinja2.Environment:
    """A Jinja environment that escapes HTML and XML and fails on undefined names."""
    if bytecode is not None:
        try:
            bytecode.mkdir(parents=True, exist_ok=True)
        except OSError:
            bytecode = None
    env = SiteEnvironment(
        bytecode_cache=_BytecodeCache(str(bytecode)) if bytecode is not None else None,
        loader=SiteLoader(templates, templates.parent),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a build reads each template once: no stat of every template file at every page
    )
    env.filters["tojson_ld"] = json_ld
    env.globals["meta_csp"] = meta_csp
    return env


def meta_csp(frame_hosts: list[str]) -> str:
    """The Content-Security-Policy a page carries in <meta http-equiv> (the header's, from publish/hosting.py)."""
    return content_security_policy(frame_hosts, meta=True)


def json_ld(value: Any) -> Markup:
    """JSON-LD safe to put inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def check_templates(env: jinja2.Environment, templates: Path, problems: Problems, root: Path) -> None:
    """Compile every template once so syntax errors are all reported, with their lines."""
    for path in sorted(templates.rglob("*")):
        if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
            continue
        name = path.relative_to(templates).as_posix()
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.error(_shown(path, root), exc.lineno, f"template syntax error: {exc.message}")
        except jinja2.TemplateNotFound:
            problems.error(_shown(path, root), 0, "this template links outside the site's folder", "copy the file in instead of linking to it")
        except (UnicodeDecodeError, jinja2.TemplateError) as exc:
            problems.error(_shown(path, root), 0, f"cannot read template: {exc}")


def render(env: jinja2.Environment, name: str, context: dict, url: str, problems: Problems, root: Path) -> str | None:
    """Render one template; a failure becomes a problem at the template's line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        outside = "outside" in str(exc.message or "")
        problems.error(f"templates/{exc.name}", 0, "this template links outside the site's folder" if outside else f"template not found (needed for {url})",
                       "copy the file in instead of linking to it" if outside else "create it or restore it from git")
    except jinja2.TemplateSyntaxError as exc:
        problems.error(f"templates/{exc.name or name}", exc.lineno, f"template syntax error: {exc.message}")
    except Exception as exc:
        path, line = _template_frame(exc, env)
        problems.error(path or f"templates/{name}", line, f"{_describe(exc)} (while rendering {url})")
    return None


def _describe(exc: Exception) -> str:
    """A template error in words."""
    if isinstance(exc, jinja2.UndefinedError):
        return f"undefined value: {exc.message}"
    return f"template error: {type(exc).__name__}: {exc}"


def _template_frame(exc: Exception, env: jinja2.Environment) -> tuple[str | None, int]:
    """The innermost template file and line in a traceback (for endless recursion, the repeated one)."""
    frames = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(TEMPLATE_SUFFIXES) and "/templates/" in frame.filename.replace("\\", "/"):
            rel = frame.filename.replace("\\", "/").split("/templates/")[-1]
            frames.append((f"templates/{rel}", frame.lineno or 0))
    if not frames:
        return None, 0
    if isinstance(exc, RecursionError):
        return Counter(frames).most_common(1)[0][0]
    return frames[-1]


