"""Keys for rendered pages: a hash of everything a page's template can see, and of the templates."""

from __future__ import annotations

import hashlib
import io
import pickle
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from pydantic import BaseModel

from .model.site import BODY_FIELDS, Page, Tag

# Context entries covered by the site-wide digest (config, UI strings, formatter, helpers).
GLOBAL_NAMES = frozenset({"t", "fmt", "tr", "config", "url_for"})


class _KeyPickler(pickle.Pickler):
    """Serialises a context by content: pages by their digest, data entries by theirs.

    Pickle walks plain values in C, so this is far faster than a Python walk; `fast` mode
    turns the memo off, so equal values always give equal bytes, whatever objects they are.
    """

    def __init__(self, buffer: io.BytesIO, owner: Fingerprinter, bodies: bool):
        super().__init__(buffer, protocol=5)
        self.fast = True
        self.owner = owner
        self.bodies = bodies  # the template may read the pages' bodies: pages stand for all they are made of

    def reducer_override(self, obj: Any) -> Any:
        """Stand-ins for the site's own objects."""
        if isinstance(obj, Page):
            self.owner.pages_seen.add(obj.source.shown)
            return (str, ("P" + obj.digest if self.bodies else "C" + obj.card,))
        if isinstance(obj, BaseModel):
            return (bytes, (self.owner._model(obj),))
        if isinstance(obj, Tag):
            self.owner.pages_seen.update(p.source.shown for p in obj.pages)
            return (tuple, (("T", obj.name, obj.slug, tuple(p.digest if self.bodies else p.card for p in obj.pages)),))
        if isinstance(obj, (datetime, date)):
            return (str, (obj.isoformat(),))
        if callable(obj) and not isinstance(obj, type):
            raise TypeError(f"cannot fingerprint a {type(obj).__name__} in a template context")
        return NotImplemented


class Fingerprinter:
    """Computes render keys; memoises what many pages share."""

    def __init__(self, env: jinja2.Environment, templates: Path, global_digest: str, refs: dict | None = None):
        self.env, self.templates, self.global_digest = env, templates, global_digest
        self._refs = refs if refs is not None else {}
        self._models: dict[int, bytes] = {}
        self._closures: dict[str, bytes] = {}
        self._bodies: dict[str, bool] = {}
        self.pages_seen: set[str] = set()  # the pages (by file) in the context last keyed

    def route_key(self, template: str, context: dict[str, Any], bodies: bool | None = None) -> str:
        """The key of one page: its templates, the site-wide digest and its own context.

        The pages in the context stand for all they are made of when the templates may read their
        bodies (or `bodies` says so), else for their card."""
        h = hashlib.blake2b(digest_size=20)
        h.update(self.global_digest.encode())
        h.update(self.template_digest(template))
        own = {name: value for name, value in context.items() if name not in GLOBAL_NAMES}
        self.pages_seen = set()
        buffer = io.BytesIO()
        _KeyPickler(buffer, self, self.reads_bodies(template) if bodies is None else bodies).dump(own)
        h.update(buffer.getvalue())
        return h.hexdigest()

    def warm(self, templates: set[str]) -> None:
        """Compute these templates' digests now (before the render workers fork, so each inherits them)."""
        for name in sorted(templates):
            self.template_digest(name)
            self.reads_bodies(name)

    def reads_bodies(self, name: str) -> bool:
        """False when no template a template uses can read a page's body: its pages are then keyed by their card."""
        if name not in self._bodies:
            self._bodies[name] = any(self._names_body(member) for member in sorted(self._closure(name, set())))
        return self._bodies[name]

    def _names_body(self, name: str) -> bool:
        """True when a template may read a page's body, or what changes with it."""
        return self._parsed_check("body", name, _may_read_body, unparsed=True)

    def body_verbatim(self, name: str) -> bool:
        """True when a template, and all it uses, can only write a page's body as it is (see `_body_verbatim`)."""
        key = "verbatim:" + name
        if key not in self._bodies:
            self._bodies[key] = all(self._parsed_check("verbatim", member, _body_verbatim, unparsed=False)
                                    for member in sorted(self._closure(name, set())))
        return self._bodies[key]

    def _parsed_check(self, kind: str, name: str, check, unparsed: bool) -> bool:
        """check(tree) for a template, remembered by the template's bytes (`unparsed` when it cannot be parsed)."""
        source = self._source(name)
        key = f"{kind}:" + hashlib.blake2b(source, digest_size=16).hexdigest()
        if key not in self._refs:
            try:
                self._refs[key] = [check(self.env.parse(source.decode("utf-8")))]
            except (jinja2.TemplateError, UnicodeDecodeError):
                self._refs[key] = [unparsed]
        return self._refs[key][0]

    def template_digest(self, name: str) -> bytes:
        """A digest of a template and every template it extends, includes or imports."""
        if name not in self._closures:
            h = hashlib.blake2b(digest_size=20)
            for member in sorted(self._closure(name, set())):
                h.update(member.encode() + b"\0" + self._source(member))
            self._closures[name] = h.digest()
        return self._closures[name]

    def _closure(self, name: str, seen: set[str]) -> set[str]:
        """The template and all it references (every template when a reference is dynamic)."""
        if name in seen:
            return seen
        seen.add(name)
        source = self._source(name)
        key = hashlib.blake2b(source, digest_size=16).hexdigest()
        if key not in self._refs:
            try:
                self._refs[key] = list(meta.find_referenced_templates(self.env.parse(source.decode("utf-8"))))
            except (jinja2.TemplateError, UnicodeDecodeError):
                self._refs[key] = []
        refs = self._refs[key]
        if None in refs:
            refs = [p.relative_to(self.templates).as_posix() for p in self.templates.rglob("*") if p.is_file()]
        for ref in refs:
            self._closure(ref, seen)
        return seen

    def _source(self, name: str) -> bytes:
        """A template file's bytes (empty when missing: the render reports it)."""
        try:
            return (self.templates / name).read_bytes()
        except OSError:
            return b""

    def _model(self, model: BaseModel) -> bytes:
        """A data entry's digest, computed once per build."""
        key = id(model)
        if key not in self._models:
            self._models[key] = b"M" + hashlib.blake2b(model.model_dump_json().encode(), digest_size=16).digest()
        return self._models[key]


_CAPTURING = (nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.AssignBlock)  # what they hold is output changed, or not at all


def _body_verbatim(tree: nodes.Template) -> bool:
    """True when the only way a template reads what changes with a page's body is `{{ x.body|safe }}`.

    That output is the body's HTML as it is, so a page whose render read one body, once, holds it
    verbatim: an edit to that body alone can be spliced into the published file (splice.py).
    Refused: any other use of a body field (a filter, a test, an assignment, a call), a name
    chosen at render time, blocks called as `self.x()` or `super()`, and a macro, call, filter
    or set block around a body, a block or an include, since its output may be changed after.
    """
    allowed = set()
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            if (isinstance(node, nodes.Filter) and node.name == "safe" and not node.args and not node.kwargs
                    and node.dyn_args is None and node.dyn_kwargs is None
                    and isinstance(node.node, nodes.Getattr) and node.node.attr == "body"):
                allowed.add(id(node.node))
    for node in tree.find_all((nodes.Getattr, nodes.Const, nodes.Name)):
        if isinstance(node, nodes.Getattr) and (node.attr in BODY_FIELDS or node.attr.startswith("_")) and id(node) not in allowed:
            return False
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and node.value in BODY_FIELDS:
            return False
        if isinstance(node, nodes.Name) and node.name in ("self", "super", "caller"):
            return False
    for held in tree.find_all(_CAPTURING):
        for node in held.find_all((nodes.Block, nodes.Include, nodes.Getattr)):
            if not isinstance(node, nodes.Getattr) or node.attr in BODY_FIELDS:
                return False
    return True


def _may_read_body(tree: nodes.Template) -> bool:
    """True when a template names a page's body, or what changes with it.

    An attribute or key chosen at render time (`page[name]`) is not seen here: the render
    itself watches for it (site.BODY_WATCH), and a page that read a body is keyed by it.
    """
    for node in tree.find_all((nodes.Getattr, nodes.Const)):
        if isinstance(node, nodes.Getattr) and (node.attr in BODY_FIELDS or node.attr.startswith("_")):
            return True
        if isinstance(node, nodes.Const) and isinstance(node.value, str) and node.value in BODY_FIELDS:
            return True
    return False
