"""Template code of another generator left in a body (Liquid's `{% … %}` and `{{ … }}`, Hugo's shortcodes): shown as text.

A body is Markdown only: the build runs no template code written in it, so `{% include x.html %}`
or `{{< figure src="x" >}}` would reach readers as written. Each is a warning at its line (code
blocks and code spans, where showing it is the point, are left alone).
"""

from __future__ import annotations

import re

from ..problems import Problems

_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# Each tag is looked for within MAX_TAG characters of its start: a line of thousands of unclosed
# "{{<" is read in linear time, not once to its end from each of them.
MAX_TAG = 300
_TEMPLATE = re.compile(rf"\{{%-?\s*(\w+)[^%]{{0,{MAX_TAG}}}?%\}}|\{{\{{[<%]-?\s*/?\s*([\w.-]+).{{0,{MAX_TAG}}}?[>%]\}}\}}|\{{\{{-?\s*([^{{}}]{{1,80}}?)\s*-?\}}\}}")
HINT = "this site runs no template code: write the link or text it stood for in Markdown, or remove it"


def check_template_code(shown: str, body: str, body_line: int, problems: Problems) -> None:
    """A warning at each line of a body holding another generator's template code."""
    if "{%" not in body and "{{" not in body:
        return
    fence = ""
    for number, line in enumerate(body.split("\n"), start=body_line):
        opened = _CODE_FENCE.match(line)
        if fence:
            fence = "" if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) else fence
            continue
        if opened:
            fence = opened.group(1)
            continue
        if line.startswith(("    ", "\t")):
            continue  # an indented code block, or a line of a list item: told apart by Markdown, not here
        for found in _TEMPLATE.finditer(_CODE_SPAN.sub("", line)):
            problems.warning(shown, number, f"template code of another generator is shown as text: '{_short(found.group(0))}'", HINT)


def _short(code: str) -> str:
    """The code as quoted in a message: one line, at most 60 characters."""
    code = " ".join(code.split())
    return code if len(code) <= 60 else code[:59] + "…"
