"""Alt text that tells a blind reader nothing: a file name, or words a screen reader says already ("image of …").

Warnings at the line of the image in the Markdown file (or of `image_alt` in its front matter). An image
with no alt text at all is an error of the link check; a decorative image says so explicitly
(`![](rule.svg){: role=presentation }`).
"""

from __future__ import annotations

import html
import re

from ..problems import Problems

_IMG = re.compile(r"<img\b([^>]*)>", re.I)
_ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_FILE_NAME = re.compile(r"(?:[\w.-]*\.(?:jpe?g|png|webp|gif|svg|avif|heic|tiff?|bmp)|(?:img|dsc|dscn|pxl|photo|image)[-_ ]?\d+)", re.I)
_SAID_ALREADY = re.compile(r"(?:(?:an?|the|une?|la|l')\s*)?(?:image|picture|photo|photograph|photographie|illustration)\s+(?:of|showing|de(?!\s+marque)|d'|du|des)\b",
                           re.I)
FILE_NAME_HINT = "describe what the picture shows, for readers who cannot see it"
SAID_HINT = "screen readers already say it is an image: say what it shows"


def alt_problem(alt: str) -> tuple[str, str] | None:
    """What is wrong with an alt text that is there but says nothing (message, hint), else None."""
    text = " ".join(alt.split())
    if _FILE_NAME.fullmatch(text):
        return f"the alt text '{text}' is a file name", FILE_NAME_HINT
    found = _SAID_ALREADY.match(text)
    if found:
        return f"the alt text '{text}' starts with '{found.group(0).strip()}'", SAID_HINT
    return None


def check_alt_texts(shown: str, body: str, body_line: int, body_html: str, image_alt: str | None, alt_line: int, found: Problems) -> None:
    """A warning for each image of a page whose alt text is a file name or starts with "image of" (while the page is parsed)."""
    if image_alt:
        problem = alt_problem(image_alt)
        if problem:
            found.warning(shown, alt_line, *problem)
    if "<img" not in body_html:
        return
    lines = body.split("\n")
    for attrs in _IMG.findall(body_html):
        alt = _ALT.search(attrs)
        problem = alt_problem(html.unescape(alt.group(1) or alt.group(2) or "")) if alt else None
        if problem:
            src = _SRC.search(attrs)
            line = _line_of(lines, html.unescape(src.group(1) or src.group(2) or "") if src else "")
            found.warning(shown, body_line + line - 1 if line else 0, *problem)


def _line_of(lines: list[str], needle: str) -> int:
    """The first line holding `needle` (0 when none does)."""
    for number, line in enumerate(lines, start=1):
        if needle and needle in line:
            return number
    return 0
