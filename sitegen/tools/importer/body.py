"""A post's text: Liquid and shortcode links rewritten to the new addresses, every other template tag listed at its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
BASEURL = re.compile(r"\{\{-?\s*site\.(?:url|baseurl)\s*-?\}\}")
FILTERED = re.compile(r"""\{\{-?\s*(["'])([^"'{}]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}""")
POST_URL = re.compile(r"\{%-?\s*post_url\s+([^\s%]+)\s*-?%\}")
LINK = re.compile(r"\{%-?\s*link\s+([^\s%]+)\s*-?%\}")
REF = re.compile(r"""\{\{([<%])\s*(?:rel)?ref\s+(?:path=)?(["']?)([^"'\s>%]+)\2[^>%]*?[>%]\}\}""")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
KRAMDOWN = re.compile(r"\{::[^}]*\}|\{:toc\}|^\{:[\w-]+:[^}]*\}$", re.MULTILINE)
FILE_LINK = re.compile(r"""!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^)]*["'])?\s*\)|\b(?:src|href|poster)=["']([^"']+)["']""")
PLACEHOLDER = "\x00raw{}\x00"


@dataclass
class Body:
    """A rewritten body, what was changed, what is left to do (line, text), and the files it references (line, address)."""

    text: str
    changed: list[str] = field(default_factory=list)
    todo: list[tuple[int, str]] = field(default_factory=list)
    files: list[tuple[int, str]] = field(default_factory=list)


def rewrite(text: str, first_line: int, resolve: Callable[[str], str | None]) -> Body:
    """Rewrite a body; `resolve` gives the new address of a post or page named in post_url, link, ref or relref."""
    kept: list[str] = []
    text = RAW.sub(lambda m: kept.append(m.group(1)) or PLACEHOLDER.format(len(kept) - 1), text)
    body = Body(text)
    if kept:
        body.changed.append("{% raw %} tags removed")
    _substitute(body, BASEURL, lambda m: "", "{{ site.baseurl }} removed (addresses start at the site's root)")
    _substitute(body, FILTERED, lambda m: "/" + m.group(2).lstrip("/"), "relative_url filters replaced by the address")
    for pattern, what in ((POST_URL, "{% post_url %}"), (LINK, "{% link %}"), (REF, "ref/relref")):
        _resolve_all(body, pattern, what, resolve, first_line)
    body.todo += [(_line(body.text, m.start(), first_line), f"template tag {_short(m.group())} left in place (replace it by hand)")
                  for m in TEMPLATE_TAG.finditer(body.text) if not any(p.fullmatch(m.group()) for p in (POST_URL, LINK, REF))]
    body.todo += [(_line(body.text, m.start(), first_line), f"kramdown extension {_short(m.group())} left in place (Python-Markdown does not read it)")
                  for m in KRAMDOWN.finditer(body.text)]
    _old_links(body, first_line, resolve)
    body.files = [(_line(body.text, m.start(), first_line), m.group(1) or m.group(2)) for m in FILE_LINK.finditer(body.text)]
    for i, raw in enumerate(kept):
        body.text = body.text.replace(PLACEHOLDER.format(i), raw)
    return body


def _old_links(body: Body, first_line: int, resolve: Callable[[str], str | None]) -> None:
    """Links to an old address of an imported post or page point at its new one; other links to the old site's pages are listed."""
    done = 0

    def one(match: re.Match) -> str:
        """The link at its new address, or as it was."""
        nonlocal done
        address = match.group(1) or match.group(2)
        path, _, anchor = address.partition("#")
        if not path.startswith("/") or path.startswith("//") or PurePosixPath(path).suffix.lower() not in ("", ".html", ".htm"):
            return match.group()
        new = resolve("@" + path)
        if new is None:
            body.todo.append((_line(body.text, match.start(), first_line),
                              f"a link to '{address}', an address of the old site that no imported post or page had (point it at a page of this site, or remove it)"))
            return match.group()
        done += new != path
        return match.group().replace(address, new + (f"#{anchor}" if anchor else ""), 1)

    body.text = FILE_LINK.sub(one, body.text)
    if done:
        body.changed.append(f"{done} link{'s' * (done > 1)} to {'old addresses' if done > 1 else 'an old address'} rewritten")


def _substitute(body: Body, pattern: re.Pattern, replace: Callable, note: str) -> None:
    """Replace every match, noting it once with its count."""
    body.text, count = pattern.subn(replace, body.text)
    if count:
        body.changed.append(f"{note} ×{count}" if count > 1 else note)


def _resolve_all(body: Body, pattern: re.Pattern, what: str, resolve: Callable[[str], str | None], first_line: int) -> None:
    """Replace each post_url, link or ref whose target is known; the others stay and are listed."""
    done = 0

    def one(match: re.Match) -> str:
        """The tag replaced by the address, or left and listed."""
        nonlocal done
        name = match.group(match.lastindex)
        target, _, anchor = name.partition("#")
        address = resolve(target) if target else ""
        if address is None:
            body.todo.append((_line(body.text, match.start(), first_line), f"{what} to '{name}': no imported post or page has that name (write the address by hand)"))
            return match.group()
        done += 1
        return address + (f"#{anchor}" if anchor else "")

    body.text = pattern.sub(one, body.text)
    if done:
        body.changed.append(f"{done} {what} rewritten to the new address{'es' * (done > 1)}")


def _line(text: str, offset: int, first_line: int) -> int:
    """The file line of an offset in the body."""
    return first_line + text.count("\n", 0, offset)


def _short(tag: str) -> str:
    """A tag as the report quotes it: on one line, at most 60 characters."""
    flat = " ".join(tag.split())
    return repr(flat if len(flat) <= 60 else flat[:57] + "...")
