"""The Jinja2 environment (every template a page uses is a recorded read), template errors as problems."""

from __future__ import annotations

import contextlib
import json
import re
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..graph.core import Graph, Rule
from ..graph.inputs import BAD_LINKS, HIDDEN, LINK_OUT, file_digest, link_problem, tree
from ..model.paths import inside
from ..problems import Problem, Problems
from ..publish.hosting import content_security_policy

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
_QUALIFIED = re.compile(r"'(?:[A-Za-z_][\w]*\.)+([A-Za-z_]\w*) object'")  # the engine's module path: not an editor's business


class UnreadableTemplate(jinja2.TemplateError):
    """A template file that is not UTF-8 text."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


class MissingMacro(jinja2.TemplateError):
    """A macro the engine calls that its template does not define (with the hint its caller gives)."""

    def __init__(self, name: str, macro: str, hint: str):
        super().__init__(f"templates/{name} has no macro '{macro}'")
        self.name, self.macro, self.hint = name, macro, hint


class LinkedOutside(jinja2.TemplateNotFound):
    """A template file that resolves outside the site's folder (a link), refused as if it were not there."""


class SiteLoader(jinja2.FileSystemLoader):
    """Loads templates from templates/ only: a link pointing outside the site is refused."""

    def __init__(self, folder: Path, root: Path):
        super().__init__(str(folder))
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str):
        """The template's source, unless the file resolves outside the site's folder or is not UTF-8."""
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise UnreadableTemplate(template, f"cannot read template: {exc}") from None
        if not inside(Path(filename), self.root):
            raise LinkedOutside(template, f"templates/{template} links outside the site's folder")
        _note_digest(environment, template, filename)
        return source, filename, uptodate


def _note_digest(environment: jinja2.Environment, template: str, filename: str) -> None:
    """Give the graph the digest of a template file read, as read_input does for other inputs: a later build whose
    listing shows the file touched (checked out again, the site copied) compares bytes instead of taking it as changed."""
    graph = getattr(environment, "graph", None)
    if graph is not None and graph.recording:
        with contextlib.suppress(OSError):
            graph.read_file(f"templates/{template}", file_digest(Path(filename).read_bytes()))


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in .cache/jinja; a full disk only means compiling them again next time."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """A template's entry by its name in templates/, not its absolute path, so a site moved keeps them (an entry
        whose source has changed since is refused by Jinja's checksum)."""
        return super().get_cache_key(name)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a compiled template, if there is room."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


_DICT_ATTRIBUTES = frozenset(dir(dict))


class SiteEnvironment(jinja2.Environment):
    """Jinja's environment: each template a render uses is read through the build graph, and `page.url` on a
    plain dict is looked up by key at once.

    Jinja asks for a template again at every render that extends, includes or imports it, so the
    read is recorded in every output that uses it. Jinja tries an attribute first and falls back
    to the key: on a dict that is an exception raised and caught for each `page.title`,
    `item.url`..., hundreds per page. Looking up the key first when the name is not one of dict's
    own attributes gives the very same result.
    """

    graph: Graph | None = None

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        """A template, its file read through the graph (the folder's listing when it does not exist)."""
        if self.graph is not None and isinstance(name, str) and self.graph.recording:
            self.graph.get(("file", f"templates/{name}"))
            try:
                return super().get_template(name, parent, globals)
            except jinja2.TemplateNotFound:
                self.graph.get(("tree", "templates"))
                raise
        return super().get_template(name, parent, globals)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` in a template."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_env(templates: Path, bytecode: Path | None = None, graph: Graph | None = None) -> SiteEnvironment:
    """A Jinja environment that escapes HTML and XML and fails on undefined names (reading through `graph` when given)."""
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
    env.graph = graph
    if graph is not None:
        env.globals["asset"] = lambda url: graph.get(("assets",)).get(url, url)
    return env


def meta_csp(frame_hosts: list[str]) -> str:
    """The Content-Security-Policy a page carries in <meta http-equiv> (the header's, from publish/hosting.py)."""
    return content_security_policy(frame_hosts, meta=True)


def json_ld(value: Any) -> Markup:
    """JSON-LD safe to put inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def check_templates(graph: Graph) -> None:
    """("templates",): every template compiled once, so syntax errors are all reported with their lines."""
    env: SiteEnvironment = graph.resources["templates"]
    for rel, kind in tree(graph, "templates"):
        if not rel.endswith(TEMPLATE_SUFFIXES) or kind == HIDDEN:
            continue
        if kind in BAD_LINKS:
            graph.problem(link_problem(rel, kind))
            continue
        graph.get(("file", rel))
        try:
            env.get_template(rel[len("templates/"):])
        except jinja2.TemplateSyntaxError as exc:
            graph.problem(Problem(rel, exc.lineno or 0, "error", f"template syntax error: {exc.message}"))
        except LinkedOutside:
            graph.problem(link_problem(rel, LINK_OUT))
        except UnreadableTemplate as exc:
            graph.problem(Problem(rel, 0, "error", exc.message or ""))
        except jinja2.TemplateError as exc:
            graph.problem(Problem(rel, 0, "error", f"cannot read template: {exc}"))


RULES = (Rule("templates", 3, check_templates),)


def render(env: jinja2.Environment, name: str, context: dict, url: str, problems: Problems, root: Path) -> str | None:
    """Render one template; a failure becomes a problem at the template's line."""
    return _reported(lambda: env.get_template(name).render(context), env, name, url, problems)


def render_macro(env: jinja2.Environment, name: str, macro: str, args: tuple, url: str, problems: Problems, missing: str) -> str | None:
    """Call one macro of a template; a failure becomes a problem at the template's line (`missing`: the hint when the macro is not there)."""
    def call() -> str:
        """The macro's HTML."""
        found = getattr(env.get_template(name).module, macro, None)
        if found is None:
            raise MissingMacro(name, macro, missing)
        try:
            return str(found(*args))
        except Exception:
            env.handle_exception()  # raised again with the template's own lines in its traceback, as a render's is

    return _reported(call, env, name, url, problems)


def _reported(make: Callable[[], str], env: jinja2.Environment, name: str, url: str, problems: Problems) -> str | None:
    """What `make` renders, or None with a problem at the template's line."""
    try:
        return make()
    except LinkedOutside as exc:  # said by check_templates, in the same words
        problems.error(f"templates/{exc.name}", 0, *BAD_LINKS[LINK_OUT])
    except jinja2.TemplateNotFound as exc:
        problems.error(f"templates/{exc.name}", 0, f"template not found (needed for {url})", "create it or restore it from git")
    except jinja2.TemplateSyntaxError as exc:
        problems.error(f"templates/{exc.name or name}", exc.lineno, f"template syntax error: {exc.message}")
    except UnreadableTemplate as exc:
        problems.error(f"templates/{exc.name}", 0, exc.message or "")
    except MissingMacro as exc:
        problems.error(f"templates/{exc.name}", 0, f"no macro '{exc.macro}' (while rendering {url})", exc.hint)
    except Exception as exc:
        path, line = _template_frame(exc, env)
        problems.error(path or f"templates/{name}", line, f"{_describe(exc)} (while rendering {url})")
    return None


def _describe(exc: Exception) -> str:
    """A template error in words."""
    if isinstance(exc, jinja2.UndefinedError):
        return "undefined value: " + _QUALIFIED.sub(r"'\1 object'", exc.message or "")
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
